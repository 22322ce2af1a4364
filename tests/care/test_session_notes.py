"""Session notes through the service (care.services): the checks every caller gets, pages and
API alike. The workspace's notes page and its API are tested in tests/workspace."""

from __future__ import annotations

import pytest

from accounts.models import Patient
from booking import errors, services
from care import services as care_services
from care.services import InvalidInput
from tests.care.factories import note
from tests.workspace.factories import MONDAY, Desk, book_needling, book_plain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.mark.parametrize(("before", "after"), [(11, 3), (3, -1), (True, 3)])
def test_the_service_refuses_pain_outside_0_to_10(desk: Desk, patient: Patient, before: int, after: int) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    with pytest.raises(InvalidInput) as refused:
        care_services.record_session_note(visit, author=desk.alex.user, note=note(before, after, regions=["neck"]))
    assert set(refused.value.fields) <= {"pain_before", "pain_after"}


def test_notes_for_a_cancelled_visit_are_refused(desk: Desk, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("09:00", MONDAY))
    services.cancel_appointment(visit, actor=desk.alex.user, reason="closed", override=True)

    with pytest.raises(errors.InvalidTransition):
        care_services.record_session_note(visit, author=desk.alex.user, note=note(3, 2))
