"""The consent audit in a real browser at desk size: it renders, works without JavaScript, and passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from accounts.models import Patient, User
from consent import services
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.accounts.factories import make_patient, make_staff
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.browser.journey import STAFF_TARGET, look_at
from tests.compliance.factories import GUARDIAN, SVG, sign
from tests.consent.factories import SCOPE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def look(page: Any, name: str, live_server: Any) -> None:
    """look_at with WCAG's 24 px minimum target: a staff page, not a patient's."""
    look_at(page, name, live_server, target=STAFF_TARGET)


@pytest.fixture
def desk(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.profile = "desktop"
    yield page
    context.close()


@pytest.fixture
def admin_page(desk: Any, live_server: Any) -> tuple[Any, User]:
    admin = make_staff(User.Role.CLINIC_ADMIN, "boss@example.com")
    client = verified_staff_client(admin)
    desk.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return desk, admin


@pytest.fixture
def consents(
    admin_page: tuple[Any, User], patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> list[SignedConsent]:
    clinic = make_clinic(slug=SCOPE, name="Test Clinic")
    clinic.admins.add(admin_page[1])
    pin = make_practitioner(clinic, name="Dr Pin")
    needling = make_type(clinic, needling=True, name="Dry needling")
    first = sign(
        patient,
        form,
        questionnaire,
        clinic=clinic,
        practitioner=pin,
        treatment=needling,
        answers={"diabetes": "yes"},
        signature_svg=SVG,
    )
    minor = make_patient("kid@example.com", legal_name="Kit Young")
    second = sign(minor, form, questionnaire, clinic=clinic, guardian=GUARDIAN, typed_name="Gwen Young")
    services.withdraw_consent(second, by=minor.user, note="We changed our minds.")
    return [first, second]


def test_the_audit_list_filters_and_passes_axe(
    admin_page: tuple[Any, User], consents: list[SignedConsent], live_server: Any
) -> None:
    page, _ = admin_page
    page.goto(live_server.url + "/staff/audit/consents/")

    assert page.get_by_role("heading", level=1).inner_text() == "Signed consents"
    assert page.get_by_role("row").count() == 3  # a header and two consents
    page.get_by_label("Status").select_option("withdrawn")
    page.get_by_role("button", name="Show consents").click()
    assert page.get_by_role("row").count() == 2
    assert "Kit Young" in page.get_by_role("table").inner_text()
    look(page, "audit-list", live_server)


def test_bad_filters_show_an_error_summary_that_passes_axe(
    admin_page: tuple[Any, User], consents: list[SignedConsent], live_server: Any
) -> None:
    page, _ = admin_page
    response = page.goto(live_server.url + "/staff/audit/consents/?signed_from=soon&form_version=999")

    assert response.status == 400
    assert page.get_by_role("alert").is_visible()
    assert "Enter the date as year-month-day" in page.get_by_role("alert").inner_text()
    look(page, "audit-list-errors", live_server)


def test_the_consent_detail_passes_axe(
    admin_page: tuple[Any, User], consents: list[SignedConsent], live_server: Any
) -> None:
    page, _ = admin_page
    page.goto(live_server.url + f"/staff/audit/consents/{consents[0].pk}/")

    assert "Consent" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("img", name="The signature Pat Example drew").is_visible()
    assert page.locator(".signed-text").inner_text().startswith("Consent to dry needling (version 1)")
    look(page, "audit-detail", live_server)


def test_the_access_log_integrity_and_erasure_pages_pass_axe(
    admin_page: tuple[Any, User], consents: list[SignedConsent], live_server: Any
) -> None:
    page, _ = admin_page
    page.goto(live_server.url + f"/staff/audit/consents/{consents[1].pk}/")
    page.goto(live_server.url + "/staff/audit/access-log/")
    assert "Kit Young" in page.get_by_role("table").inner_text()
    look(page, "audit-access-log", live_server)

    page.goto(live_server.url + "/staff/audit/integrity/")
    page.get_by_role("button", name="Check all 2 signed consents now").click()
    assert "All 2 signed consents verified" in page.get_by_role("status").first.inner_text()
    look(page, "audit-integrity", live_server)

    page.goto(live_server.url + "/staff/audit/erasure/?email=pat@example.com")
    assert page.get_by_role("heading", name="Erasure for Pat Example").is_visible()
    look(page, "audit-erasure", live_server)
