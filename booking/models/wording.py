"""The clinic's own words in each language: treatment names and descriptions, practitioners' bios.

These are the clinic's data, not the interface's, so they are not in a gettext catalogue:
each row keeps its words as written (in the clinic's language) and, in `translations`, the
same words in other languages: {"es": {"name": "...", "description": "..."}, "fr": {...}}.
A reader sees their language's words where the clinic gave them, else the words as written.
They are not clinical documents (consent forms and questionnaires have reviewed translations,
see consent/translation_models.py): a treatment's name carries no clinical claim."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _


def in_language(translations: Mapping[str, Any], field: str, written: str, language: str | None = None) -> str:
    """`field` in the reader's language (the active one by default), else as written."""
    wanted = language or translation.get_language() or ""
    for code in (wanted, wanted.split("-")[0]):
        words = translations.get(code) if isinstance(translations, Mapping) else None
        if isinstance(words, Mapping) and isinstance(words.get(field), str) and words[field].strip():
            return str(words[field])
    return written


def check_translations(value: Any, fields: Iterable[str]) -> None:
    """Refuse anything but {language: {field: text}} for the languages and fields Acus knows."""
    allowed_fields = set(fields)
    languages = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, dict):
        raise ValidationError(_('Give the translations as an object keyed by language, e.g. {"es": {…}}.'))
    for language, words in value.items():
        if language not in languages:
            raise ValidationError(
                _("“%(language)s” is not a language Acus speaks (%(known)s).")
                % {"language": language, "known": ", ".join(sorted(languages))}
            )
        if not isinstance(words, dict) or not set(words) <= allowed_fields:
            raise ValidationError(
                _("The words for “%(language)s” may only be: %(fields)s.")
                % {"language": language, "fields": ", ".join(sorted(allowed_fields))}
            )
        if not all(isinstance(text, str) for text in words.values()):
            raise ValidationError(_("Each translation must be text."))
