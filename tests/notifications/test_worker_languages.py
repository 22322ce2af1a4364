"""The issue's proof: a real Celery worker, running in English, sends each patient's messages in
the patient's own language: a French reminder email and a Spanish reminder text message."""

from __future__ import annotations

import email
import json
from datetime import date, timedelta
from email.message import Message
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Patient, User
from booking.models import AppointmentType, Clinic, Practitioner
from notifications.models import Channel, ClinicNotificationSettings, Kind, Notification
from notifications.tasks import dispatch_due as dispatch_task
from tests.accounts.factories import make_patient
from tests.booking.factories import insert_appointment, local
from tests.core.i18n import english_left_in
from tests.notifications.factories import add_row
from tests.notifications.workers import celery_worker, sent_files, wait_until
from tests.resources import need_postgres, need_redis

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]
Status = Notification.Status
TUESDAY = date(2037, 12, 8)  # a Tuesday, far enough ahead for a reminder to still be due


def part(message: Message, mimetype: str) -> str:
    [found] = [p for p in message.walk() if p.get_content_type() == mimetype and not p.get_filename()]
    payload = found.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(found.get_content_charset() or "utf-8")


def subject_of(message: Message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def test_a_worker_running_in_english_sends_a_french_reminder_and_a_spanish_text_message(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner, tmp_path: Path
) -> None:
    need_postgres()
    redis_url = need_redis()
    mail_dir, sms_file, log = tmp_path / "mail", tmp_path / "sms.log", tmp_path / "worker.log"
    mail_dir.mkdir()
    ClinicNotificationSettings.objects.create(clinic=clinic, quiet_start="00:00", quiet_end="00:00")
    User.objects.filter(pk=patient.user_id).update(language="fr")
    Patient.objects.filter(pk=patient.pk).update(time_zone="Europe/Paris")
    spanish = make_patient("sol@example.com", legal_name="Sol Ejemplo", phone="+34612345678", notify_sms=True)
    User.objects.filter(pk=spanish.user_id).update(language="es")
    Patient.objects.filter(pk=spanish.pk).update(time_zone="Europe/Madrid")
    # 08:00 and 10:00 in London are 09:00 in Paris and 11:00 in Madrid.
    french_visit = insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "08:00"))
    spanish_visit = insert_appointment(spanish, physio, visit, local(clinic, TUESDAY, "10:00"))
    now = timezone.now() - timedelta(seconds=1)
    reminder = add_row(french_visit, Kind.REMINDER, due_at=now)
    text = add_row(spanish_visit, Kind.REMINDER, due_at=now, channel=Channel.SMS)

    # The worker: LANGUAGE_CODE en-gb, nothing activated; it learns each reader's language from the rows.
    with celery_worker(mail_dir, log, redis_url, SMS_BACKEND="file", SMS_FILE_PATH=str(sms_file), LANG="en_GB.UTF-8"):
        dispatch_task.apply_async()
        sent = Notification.objects.filter(pk__in=[reminder.pk, text.pk], status=Status.SENT)
        wait_until(lambda: sent.count() == 2, seconds=60, what="the worker to send both reminders", log=log)

    assert dict(sent.values_list("pk", "language")) == {reminder.pk: "fr", text.pk: "es"}
    assert sent_files(mail_dir) == {reminder.pk: 1}
    [eml] = mail_dir.glob(f"{reminder.pk}-*.eml")
    message = email.message_from_bytes(eml.read_bytes())
    subject, body, html = subject_of(message), part(message, "text/plain"), part(message, "text/html")
    when = "mardi 8 décembre 2037, 09:00 (Europe/Paris)"
    assert subject == f"Rappel : Follow-up treatment, {when}"
    assert body.startswith("Bonjour Pat Example,\n\nNous vous rappelons votre rendez-vous.")
    assert f"Quand : {when}" in body
    assert '<html lang="fr"' in html
    assert "<h1" in html and "Rappel de votre rendez-vous" in html
    for words in (subject, body, html):
        assert english_left_in(words) == [], words

    [line] = sms_file.read_text(encoding="utf-8").splitlines()
    sms = json.loads(line)
    assert sms["to"] == "+34612345678"
    assert sms["text"] == (
        "Harbour Physio: recordatorio de su Follow-up treatment con Alex Morgan, "
        "martes, 8 de diciembre de 2037, 11:00 (Europe/Madrid). Para cambiarla, llame al +44 117 496 0123."
    )
    assert english_left_in(sms["text"]) == []
