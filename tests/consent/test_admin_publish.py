"""Clinic admins publish new consent form and questionnaire versions in the admin: for their
own clinics only, with every problem shown as a form error, and a history row saying who."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.test import Client
from django.utils import timezone

from accounts.models import Patient, User
from booking.models import Clinic
from consent import admin_publish, selectors, services
from consent.admin import ConsentFormVersionAdmin
from consent.models import ConsentFormVersion, QuestionnaireVersion
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import make_clinic
from tests.consent.factories import QUESTIONS, SCOPE, form_content
from tests.consent.publishing import FORM_URL, QUESTIONNAIRE_URL, admin_of, form_post, questionnaire_post
from tests.consent.signing import screened, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(name="Test Clinic", slug=SCOPE)


@pytest.fixture
def boss(clinic: Clinic) -> User:
    return admin_of(clinic, "runs-test-clinic@example.com")


def test_a_clinic_admin_publishes_a_new_consent_form_version(boss: User, form: ConsentFormVersion) -> None:
    client = verified_staff_client(boss)
    page = client.get(FORM_URL)
    assert page.status_code == 200
    assert "Thin needles go into tight muscle at {clinic_name}." in page.content.decode()
    sections = [*form.sections[:-1], {**form.sections[-1], "paragraphs": ["{practitioner_disclosure} Ask us."]}]

    response = client.post(FORM_URL, form_post(form, sections=sections), follow=True)

    new = selectors.current_form(SCOPE)
    assert new is not None and new.version == 2 and new.material is False
    assert new.sections[-1]["paragraphs"] == ["{practitioner_disclosure} Ask us."]
    assert response.redirect_chain[-1][0] == f"/admin/consent/consentformversion/?scope={SCOPE}"
    assert "Published consent form version 2 for Test Clinic." in response.content.decode()
    entry = LogEntry.objects.get(object_id=str(new.pk), content_type__model="consentformversion")
    assert entry.user == boss and entry.action_flag == ADDITION
    assert entry.change_message.endswith("Reason: Clearer words about bruising.")
    assert boss.email in response.content.decode()  # the list's "Published by"
    history = client.get(f"/admin/consent/consentformversion/{new.pk}/history/").content.decode()
    assert "Published version 2 for test-clinic" in history and "Clearer words about bruising." in history


def test_a_clinic_admin_publishes_a_new_questionnaire_that_new_screenings_use(
    boss: User, questionnaire: QuestionnaireVersion, patient: Patient
) -> None:
    pacemaker = {
        "id": "pacemaker",
        "text": "Do you have a pacemaker?",
        "type": "yes_no",
        "options": [
            {"value": "no", "label": "No"},
            {"value": "yes", "label": "Yes", "outcome": "review", "code": "pacemaker", "explanation": "We check."},
        ],
    }
    client = verified_staff_client(boss)

    response = client.post(QUESTIONNAIRE_URL, questionnaire_post(questionnaire, items=[*QUESTIONS, pacemaker]))

    assert response.status_code == 302
    new = selectors.current_questionnaire(SCOPE)
    assert new is not None and new.version == 2 and new.items[-1]["id"] == "pacemaker"
    answers = {"needle_fear": "no", "diabetes": "no", "pacemaker": "yes"}
    screening = services.record_screening(patient, questionnaire=new, answers=answers, is_minor=False)
    assert screening.outcome == "review" and screening.reasons[0]["code"] == "pacemaker"
    assert LogEntry.objects.filter(user=boss, object_id=str(new.pk), action_flag=ADDITION).exists()


def test_a_material_version_supersedes_the_consents_signed_before_it(
    boss: User, form: ConsentFormVersion, questionnaire: QuestionnaireVersion, patient: Patient
) -> None:
    consent = sign(patient, form, screened(patient, questionnaire))
    a_year_ago = timezone.now() - timedelta(days=365)
    client = verified_staff_client(boss)

    client.post(FORM_URL, form_post(form, reason="A typo."))
    assert selectors.consent_status(consent, valid_since=a_year_ago) == "active"
    response = client.post(
        FORM_URL, form_post(form, based_on="2", material=True, reason="New risk: fainting."), follow=True
    )

    assert selectors.current_form(SCOPE).material is True  # type: ignore[union-attr]
    assert selectors.consent_status(consent, valid_since=a_year_ago) == "superseded"
    assert selectors.covering_consent(patient, scope=SCOPE, valid_since=a_year_ago) is None
    assert "It is a material change: patients sign it again" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sections", '[{"id": "what", "heading": "What"', "This is not valid JSON"),
        ("sections", '{"id": "what"}', "Give a list of sections"),
        ("sections", '[{"id": "risks", "heading": "Risks", "paragraph": ["x"]}]', "unknown &quot;paragraph&quot;"),
        ("sections", '[{"id": "what", "heading": "What", "paragraphs": ["x"]}]', "Add a section with the id"),
        ("intent_statement", "I sign for {patient_name}.", "unknown blank {patient_name}"),
        ("intent_statement", "I sign {.", "stray {"),
        ("acknowledgements", '[{"id": "read", "text": "a"}, {"id": "read", "text": "b"}]', "used twice"),
        ("side_effects", '[{"effect": "Bruising"}]', "&quot;how_often&quot; is missing"),
        ("reason", "", "Say what changed and why"),
    ],
)
def test_a_bad_consent_form_is_a_form_error_and_nothing_is_published(
    boss: User, form: ConsentFormVersion, field: str, value: str, message: str
) -> None:
    response = verified_staff_client(boss).post(FORM_URL, form_post(form, **{field: value}))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Nothing was published." in html
    assert 'aria-invalid="true"' in html or field == "sections"  # a cross-field error sits on the field too
    assert ConsentFormVersion.objects.filter(scope=SCOPE).count() == 1
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("items", "[", "This is not valid JSON"),
        ("items", "[]", "This field is required"),
        ("items", '{"id": "x"}', "Give a list of one or more questions"),
        ("items", '[{"id": "x", "text": "X?", "type": "scale"}]', "&quot;type&quot; must be one of"),
        (
            "items",
            '[{"id": "x", "text": "X?", "type": "yes_no", "options": [{"value": "yes", "label": "Yes", '
            '"outcome": "block"}]}]',
            "a non-clear answer needs a reason code and an explanation",
        ),
        (
            "combined_rules",
            '[{"when": {"nope": "yes"}, "outcome": "review", "code": "c", "explanation": "e"}]',
            "combined rule names an unknown question or answer",
        ),
    ],
)
def test_a_bad_questionnaire_is_a_form_error_and_nothing_is_published(
    boss: User, questionnaire: QuestionnaireVersion, field: str, value: str, message: str
) -> None:
    response = verified_staff_client(boss).post(QUESTIONNAIRE_URL, questionnaire_post(questionnaire, **{field: value}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert QuestionnaireVersion.objects.filter(scope=SCOPE).count() == 1


def test_the_preview_shows_the_form_as_patients_read_it_and_publishes_nothing(
    boss: User, form: ConsentFormVersion
) -> None:
    response = verified_staff_client(boss).post(FORM_URL, form_post(form, action="_preview"))

    html = response.content.decode()
    assert response.status_code == 200 and "Preview: what patients will see" in html
    assert "Thin needles go into tight muscle at Test Clinic." in html
    assert "about 8 in 100 treatments" in html and "Publish version 2" in html
    assert ConsentFormVersion.objects.filter(scope=SCOPE).count() == 1


def test_it_refuses_an_edit_that_started_from_an_older_version(boss: User, form: ConsentFormVersion) -> None:
    services.publish_consent_form(scope=SCOPE, **form_content(title="Published meanwhile"))

    response = verified_staff_client(boss).post(FORM_URL, form_post(form))

    assert "was published while you were editing" in response.content.decode()
    assert ConsentFormVersion.objects.filter(scope=SCOPE).count() == 2


def test_a_clinics_first_version_starts_from_the_demo_content(boss: User, clinic: Clinic) -> None:
    client = verified_staff_client(boss)

    page = client.get(QUESTIONNAIRE_URL).content.decode()

    assert "no questionnaire yet" in page and "unwell_today" in page
    assert client.get("/admin/consent/questionnaireversion/publish/").url == QUESTIONNAIRE_URL  # type: ignore[attr-defined]


def test_an_admin_of_another_clinic_cannot_see_or_publish_for_this_clinic(boss: User, form: ConsentFormVersion) -> None:
    other = admin_of(make_clinic(name="Elsewhere"), "runs-elsewhere@example.com")
    client = verified_staff_client(other)

    assert client.get(FORM_URL).status_code == 404
    assert client.post(FORM_URL, form_post(form)).status_code == 404
    listing = client.get("/admin/consent/consentformversion/")
    assert listing.status_code == 200 and SCOPE not in listing.content.decode()
    assert client.get(f"/admin/consent/consentformversion/{form.pk}/change/").status_code == 302  # "does not exist"
    assert ConsentFormVersion.objects.filter(scope=SCOPE).count() == 1


def test_a_superuser_chooses_among_every_clinic(clinic_admin: User, clinic: Clinic) -> None:
    make_clinic(name="Another Clinic")

    page = verified_staff_client(clinic_admin).get("/admin/consent/consentformversion/publish/")

    html = page.content.decode()
    assert page.status_code == 200 and "Test Clinic" in html and "Another Clinic" in html


def test_a_practitioner_and_an_unverified_session_cannot_reach_it(
    practitioner: User, boss: User, form: ConsentFormVersion
) -> None:
    unverified = Client()
    unverified.force_login(boss, backend="django.contrib.auth.backends.ModelBackend")

    for client in (verified_staff_client(practitioner), unverified):
        assert client.get(FORM_URL).status_code == 302  # to the staff sign-in
        assert client.post(FORM_URL, form_post(form)).status_code == 302
        assert client.get("/admin/consent/consentformversion/").status_code == 302
    assert ConsentFormVersion.objects.filter(scope=SCOPE).count() == 1


def test_published_versions_cannot_be_added_changed_or_deleted_in_the_admin(
    boss: User, form: ConsentFormVersion
) -> None:
    client = verified_staff_client(boss)

    assert client.get("/admin/consent/consentformversion/add/").status_code == 403
    assert client.post(f"/admin/consent/consentformversion/{form.pk}/change/", {"title": "X"}).status_code == 403
    assert client.post(f"/admin/consent/consentformversion/{form.pk}/delete/", {"post": "yes"}).status_code == 403
    view = client.get(f"/admin/consent/consentformversion/{form.pk}/change/")
    assert view.status_code == 200 and "Thin needles go into tight muscle" in view.content.decode()
    assert "— (in code)" in view.content.decode()  # published by a service call, not in the admin
    assert ConsentFormVersion.objects.get(pk=form.pk).title == form.title


def test_a_publish_that_another_overtakes_is_rolled_back(
    boss: User, form: ConsentFormVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Version 2 lands after the page checked that 1 is current: publish_* numbers ours 3
    under its row lock, and the page rolls it back rather than replace version 2 unseen."""
    page_saw_version_1 = dataclasses.replace(admin_publish.CONSENT_FORM, current=lambda scope: form)
    monkeypatch.setattr(ConsentFormVersionAdmin, "kind", page_saw_version_1)
    services.publish_consent_form(scope=SCOPE, **form_content(title="Published meanwhile"))

    response = verified_staff_client(boss).post(FORM_URL, form_post(form))

    assert "Version 2 of this consent form was published while you were editing" in response.content.decode()
    assert list(
        ConsentFormVersion.objects.filter(scope=SCOPE).order_by("version").values_list("version", flat=True)
    ) == [1, 2]
    assert not LogEntry.objects.exists()
