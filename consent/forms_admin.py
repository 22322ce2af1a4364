"""The admin's "Publish a new version" forms: a consent form and a questionnaire.

Lists of things (sections, side effects, questions, rules) are JSON in labelled
textareas, texts are plain fields. Each field is checked for shape with a message
that names the position (consent/document_checks.py), then the whole document is
checked the way `publish_*` will check it, so the admin sees every problem as a form
error before anything is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consent import content, documents, services
from consent import document_checks as checks
from consent.models import ConsentFormVersion, QuestionnaireVersion

PLACEHOLDERS = {key: key for key in documents.CONTEXT_KEYS}


class DocumentJSONField(forms.JSONField):
    """JSON in a roomy textarea, shown indented, with the line and column of a syntax error."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"rows": kwargs.pop("rows", 16), "class": "vLargeTextField document-json", "spellcheck": "false"}
        kwargs.setdefault("widget", forms.Textarea(attrs=attrs))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            try:
                json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValidationError(
                    _("This is not valid JSON: %(problem)s at line %(line)s, column %(column)s."),
                    code="invalid",
                    params={"problem": exc.msg, "line": exc.lineno, "column": exc.colno},
                ) from None
            raise


class PublishForm(forms.Form):
    """What both documents share: the version the edit started from, a title and a reason."""

    based_on = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    reason = forms.CharField(
        label=_("What changed, and why"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to publish. Kept in this version's history with your name and the time."),
        error_messages={"required": _("Say what changed and why: it is kept with the version.")},
    )

    # field name -> shape check; a failing field drops out of cleaned_data.
    shape_checks: ClassVar[dict[str, checks.Check]] = {}
    content_fields: ClassVar[tuple[str, ...]] = ()
    demo: ClassVar[Callable[[], dict[str, Any]]]  # a clinic's first version starts from this

    def __init__(self, *args: Any, publishing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.publishing = publishing
        self.fields["reason"].required = publishing  # a preview needs no reason

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, check in self.shape_checks.items():
            if name in cleaned:
                for message in check(cleaned[name]):
                    self.add_error(name, message)
        if not self.errors:
            self.check_document(cleaned)
        return cleaned

    def check_document(self, cleaned: dict[str, Any]) -> None:
        """The checks `publish_*` runs, on a shape already known to be right."""

    def content(self) -> dict[str, Any]:
        """The keyword arguments for `publish_*` (besides scope)."""
        return {name: self.cleaned_data[name] for name in self.content_fields}

    @classmethod
    def initial_for(cls, current: ConsentFormVersion | QuestionnaireVersion | None) -> dict[str, Any]:
        """Start from the current version's content (never its "material" flag), or from the demo content."""
        document = current.canonical() if current is not None else cls.demo()
        initial = {name: document[name] for name in cls.content_fields if name in document}
        return {**initial, "based_on": current.version if current is not None else 0}


class ConsentFormPublishForm(PublishForm):
    sections = DocumentJSONField(
        label=_("Sections"),
        rows=24,
        help_text=_(
            'A list of {"id", "heading", "paragraphs": [...]}, in reading order. The side effects are '
            'shown inside the section whose id is "risks". Any text may use the blanks {clinic_name}, '
            "{practitioner_name} and {practitioner_disclosure} (the practitioner's training)."
        ),
    )
    side_effects = DocumentJSONField(
        label=_("Side effects"),
        help_text=_('A list of {"effect", "how_often", "note"}; "how_often" in words a patient understands.'),
    )
    acknowledgements = DocumentJSONField(
        label=_("Statements the patient ticks"),
        rows=10,
        help_text=_(
            'A list of {"id", "text"}: the patient must tick every one to sign. An id is lower-case '
            "letters, digits and _."
        ),
    )
    e_records_disclosure = forms.CharField(
        label=_("Electronic records disclosure"), widget=forms.Textarea(attrs={"rows": 5})
    )
    intent_statement = forms.CharField(
        label=_("Signature statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown just above the name the patient types to sign."),
    )
    material = forms.BooleanField(
        label=_("Material change (patients must sign again)"),
        required=False,
        help_text=_(
            "Tick this when the change matters to a patient's decision, for example a new risk. Consents "
            "signed on earlier versions then stop covering new needling visits, and each patient signs this "
            "version before their next one. Leave it unticked for wording fixes."
        ),
    )

    shape_checks: ClassVar[dict[str, checks.Check]] = {
        "title": checks.blank_errors,
        "sections": checks.section_errors,
        "side_effects": checks.side_effect_errors,
        "acknowledgements": checks.acknowledgement_errors,
        "e_records_disclosure": checks.blank_errors,
        "intent_statement": checks.blank_errors,
    }
    content_fields = (
        "title",
        "sections",
        "side_effects",
        "acknowledgements",
        "e_records_disclosure",
        "intent_statement",
    )
    field_order = [*content_fields, "material", "reason"]
    demo = staticmethod(content.demo_consent_form)

    def check_document(self, cleaned: dict[str, Any]) -> None:
        for message in checks.risks_errors(cleaned["sections"], cleaned["side_effects"]):
            self.add_error("sections", message)
        if self.errors:
            return
        draft = ConsentFormVersion(scope="draft", version=0, **self.content())
        try:  # what publish_consent_form does: every blank must be one we can fill
            documents.render_text(draft.canonical(), PLACEHOLDERS)
        except (KeyError, ValueError, IndexError, AttributeError, TypeError) as exc:
            self.add_error(None, gettext("This form cannot be shown to patients: %(problem)s") % {"problem": exc})

    def content(self) -> dict[str, Any]:
        return {**super().content(), "material": self.cleaned_data["material"]}


class QuestionnairePublishForm(PublishForm):
    items = DocumentJSONField(
        label=_("Questions"),
        rows=30,
        help_text=_(
            'A list of questions in the order patients answer them: {"id", "text", "help", "type": '
            '"yes_no" | "choice" | "text", "required", "options": [{"value", "label", "outcome": "clear" | "review" '
            '| "block", "code", "explanation", "site"}]}; a text question has "if_answered" instead of options. '
            'A "review" or "block" answer needs a reason code and an explanation in plain words.'
        ),
    )
    combined_rules = DocumentJSONField(
        label=_("Rules that combine answers"),
        rows=12,
        required=False,
        help_text=_(
            'A list of {"when": {"question_id": "answer", "context:minor": true}, "outcome", "code", '
            '"explanation"} for what no single answer decides. Empty: [].'
        ),
    )

    shape_checks: ClassVar[dict[str, checks.Check]] = {
        "items": checks.item_errors,
        "combined_rules": checks.combined_rule_errors,
    }
    content_fields = ("title", "items", "combined_rules")
    field_order = [*content_fields, "reason"]
    demo = staticmethod(content.demo_questionnaire)

    def clean_combined_rules(self) -> Any:
        rules = self.cleaned_data["combined_rules"]
        return [] if rules is None else rules

    def check_document(self, cleaned: dict[str, Any]) -> None:
        try:  # the very check publish_questionnaire runs before it writes
            services._check_items(cleaned["items"], cleaned["combined_rules"])
        except services.CombinedRuleError as exc:
            self.add_error("combined_rules", str(exc))
        except (ValueError, KeyError, TypeError) as exc:
            self.add_error("items", str(exc))
