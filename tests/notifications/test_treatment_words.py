"""Messages name the treatment in the recipient's language, where the clinic gave the words."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.models import Patient, User
from booking.models import Clinic, Practitioner
from notifications import content
from notifications.models import Kind, Notification
from notifications.selectors import settings_for
from tests.booking.factories import insert_appointment, local, make_type
from tests.notifications.factories import add_row
from tests.notifications.helpers import NOW

pytestmark = pytest.mark.django_db


def test_a_spanish_reminder_names_the_treatment_in_spanish(
    patient: Patient, clinic: Clinic, physio: Practitioner
) -> None:
    kind = make_type(
        clinic, name="Follow-up dry needling", translations={"es": {"name": "Punción seca de seguimiento"}}
    )
    User.objects.filter(pk=patient.user_id).update(language="es")
    visit = insert_appointment(patient, physio, kind, local(clinic, date(2026, 6, 3), "10:00"))
    row = add_row(visit, Kind.REMINDER, due_at=NOW)
    row = Notification.objects.select_related("appointment__patient__user", "appointment__clinic").get(pk=row.pk)

    message = content.render(row, settings_for(clinic.pk))

    assert "Punción seca de seguimiento" in message.text
    assert "Follow-up dry needling" not in message.text + message.html + message.subject
