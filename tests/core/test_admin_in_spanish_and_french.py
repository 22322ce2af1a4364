"""The admin speaks the clinic admin's language: Django's own words from its catalogue, and
Acus's column names, fieldsets, field labels, help texts and the consent publish page from
the apps' catalogues, with <html lang> set to match."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from booking.models import Clinic
from consent.models import ConsentFormVersion
from notifications import wording
from notifications.models import Kind, MessageTemplate
from tests.accounts.factories import make_staff
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import make_clinic
from tests.consent.factories import publish_form
from tests.core.i18n import english_left_in

pytestmark = pytest.mark.django_db

# What each page must show, per language: labels and help texts marked in the models and admins.
EXPECTED = {
    "es": {
        "index": ["Administración de Acus", "Reservas", "Clínicas", "Versiones del formulario de consentimiento"],
        "clinic_list": ["Zona horaria", "Jurisdicción"],
        "clinic": ["Zona horaria", "Zona IANA, p. ej. Europe/London", "Normas de reserva", "Idioma y país"],
        "form_list": ["Publicada por", "Publicar una nueva versión"],
        "form": ["Traducciones", "Sustancial", "Ninguna todavía."],
        "publish": ["Qué ha cambiado y por qué", "Declaración de firma", "Vista previa", "Publicar la versión 2"],
        "template_list": ["Traductor", "Revisor clínico", "Desactualizada"],
        "template": ["Asunto", "plantilla de mensaje", "Texto", "para Clinic"],
    },
    "fr": {
        "index": ["Administration d'Acus", "Réservations", "Cliniques", "Versions du formulaire de consentement"],
        "clinic_list": ["Fuseau horaire", "Juridiction"],
        "clinic": [
            "Fuseau horaire",
            "Fuseau IANA, par exemple Europe/London",
            "Règles de réservation",
            "Langue et pays",
        ],
        "form_list": ["Publiée par", "Publier une nouvelle version"],
        "form": ["Traductions", "Importante", "Aucune pour l'instant."],
        "publish": ["Ce qui a changé, et pourquoi", "Déclaration de signature", "Aperçu", "Publier la version 2"],
        "template_list": ["Traducteur", "Relecteur clinique", "Obsolète"],
        "template": ["Objet", "modèle de message", "Texte", "pour Clinic"],
    },
}


def admin_speaking(language: str, clinic: Clinic) -> Client:
    user = make_staff(User.Role.CLINIC_ADMIN, f"admin-{language}@example.com")
    User.objects.filter(pk=user.pk).update(language=language)
    user.refresh_from_db()
    clinic.admins.add(user)
    return verified_staff_client(user)


def pages(clinic: Clinic, form: ConsentFormVersion, template: MessageTemplate) -> dict[str, str]:
    return {
        "index": "/admin/",
        "clinic_list": "/admin/booking/clinic/",
        "clinic": f"/admin/booking/clinic/{clinic.pk}/change/",
        "form_list": "/admin/consent/consentformversion/",
        "form": f"/admin/consent/consentformversion/{form.pk}/change/",
        "publish": f"/admin/consent/consentformversion/publish/{clinic.slug}/",
        "template_list": "/admin/notifications/messagetemplate/",
        "template": f"/admin/notifications/messagetemplate/{template.pk}/change/",
    }


def text_of(html: str) -> str:
    # Django's French admin writes apostrophes as U+2019 and escapes ours: compare them alike.
    return html.replace("&#x27;", "'").replace("\u2019", "'")


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_admin_pages_are_in_the_admins_language(language: str) -> None:
    clinic = make_clinic(slug="test-clinic")
    form = publish_form(clinic.slug)
    template = wording.save_template(MessageTemplate(clinic=clinic, kind=Kind.REMINDER, subject="Hi", text="Soon."))
    client = admin_speaking(language, clinic)

    for page, url in pages(clinic, form, template).items():
        response = client.get(url)
        assert response.status_code == 200, (page, response.status_code)
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, page
        for words in EXPECTED[language][page]:
            assert text_of(words) in text_of(html), (page, words)
        assert english_left_in(html) == [], page


def test_the_admin_stays_english_for_an_english_admin() -> None:
    clinic = make_clinic(slug="test-clinic")
    client = admin_speaking("en-gb", clinic)

    html = client.get(f"/admin/booking/clinic/{clinic.pk}/change/").content.decode()

    assert '<html lang="en-gb"' in html
    for words in ("Time zone", "IANA zone, e.g. Europe/London", "Booking policy", "Language and country"):
        assert words in html
