"""The project's own pages and scripts speak Spanish and French: the error pages (with
their <html lang>, even 500 and 503, which render without a request's context), and
the JavaScript catalogue the patient's scripts read their words from."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from tests.core.i18n import english_left_in

LANGUAGES = ["es", "fr"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_the_bare_error_pages_are_in_the_active_language(template: str, language: str) -> None:
    with translation.override(language):
        html = render_to_string(template)

    assert f'<html lang="{language}">' in html
    assert english_left_in(html) == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_wait_page_is_in_the_active_language(language: str) -> None:
    request = RequestFactory().get("/")
    with translation.override(language):
        html = render_to_string("429.html", {"minutes": 2}, request=request)

    assert f'<html lang="{language}"' in html
    assert english_left_in(html) == []


def test_the_english_error_pages_stay_english() -> None:
    with translation.override("en-gb"):
        html = render_to_string("503.html")

    assert '<html lang="en-GB">' in html
    assert "We are back in a moment" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [("es", "Tiempo restante"), ("fr", "Temps restant"), ("en-GB", None)])
def test_the_javascript_catalogue_carries_the_scripts_words(client: Client, language: str, words: str | None) -> None:
    script = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    if words is None:
        assert "Time left" not in script  # English needs no catalogue: gettext() returns the text
    else:
        assert words in script
        assert "%(minutes)s min %(seconds)s s" in script


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-GB", *LANGUAGES])
def test_the_language_switcher_names_each_language_in_its_own_words(client: Client, language: str) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert '<option value="es" lang="es"' in html and ">Español</option>" in html
    assert ">Français</option>" in html and ">British English</option>" in html
