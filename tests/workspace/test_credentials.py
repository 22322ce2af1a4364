"""Credentials and their expiry: the practitioner sees a warning 30 days before a
dry-needling credential expires, and the clinic admins get one email, once."""

from __future__ import annotations

from datetime import date, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from booking.models import Credential, CredentialExpiryNotice, PractitionerEvent
from tests.booking.factories import make_credential
from tests.workspace.factories import MONDAY, Desk, body
from workspace import expiry
from workspace.tasks import check_credential_expiry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def expiring(desk: Desk, days: int, **fields: object) -> Credential:
    """Replace Alex's dry-needling credential with one that ends in `days` days."""
    Credential.objects.filter(practitioner=desk.alex).delete()
    return make_credential(desk.alex, jurisdiction="GB", valid_until=MONDAY + timedelta(days=days), **fields)  # type: ignore[arg-type]


def test_the_practitioner_sees_their_credentials_and_expiry_dates(desk: Desk, alex_client: Client) -> None:
    credential = expiring(desk, 200)

    page = body(alex_client.get("/staff/credentials/"))

    assert credential.number in page
    assert "Dry-needling certification" in page
    assert "18 Dec 2026" in page and "Valid" in page
    assert "expires on" not in page


def test_thirty_days_before_expiry_the_practitioner_is_warned(desk: Desk, alex_client: Client) -> None:
    credential = expiring(desk, 30)

    credentials = body(alex_client.get("/staff/credentials/"))
    today = body(alex_client.get("/staff/today/"))

    assert f"dry-needling credential {credential.number} expires on 1 July 2026, in 30 days" in credentials
    assert "expires on 1 July 2026" in today


def test_thirty_one_days_before_there_is_no_warning(desk: Desk, alex_client: Client) -> None:
    expiring(desk, 31)

    assert "expires on" not in body(alex_client.get("/staff/credentials/"))


def test_a_renewal_on_record_silences_the_warning(desk: Desk, alex_client: Client) -> None:
    old = expiring(desk, 10)
    assert old.valid_until is not None
    make_credential(desk.alex, valid_from=old.valid_until + timedelta(days=1), valid_until=date(2028, 1, 1))

    assert "expires on" not in body(alex_client.get("/staff/credentials/"))
    assert expiry.plan_expiry_notices(today=MONDAY) == []


def test_an_unverified_renewal_does_not_count(desk: Desk) -> None:
    old = expiring(desk, 10)
    assert old.valid_until is not None
    make_credential(desk.alex, valid_from=old.valid_until + timedelta(days=1), verified=False)

    assert [c.pk for c in expiry.expiring_credentials(today=MONDAY)] == [old.pk]


def test_the_clinic_admin_is_emailed_once(desk: Desk, django_capture_on_commit_callbacks: object) -> None:
    credential = expiring(desk, 30)

    assert check_credential_expiry.apply().get() == 1
    assert check_credential_expiry.apply().get() == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [desk.admin.email]
    assert message.subject == "Alex Morgan's dry-needling credential expires on 1 July 2026"
    assert credential.number in message.body and "in 30 days" in message.body
    assert f"/admin/booking/credential/{credential.pk}/change/" in message.body
    notice = CredentialExpiryNotice.objects.get()
    assert notice.sent_at is not None and notice.valid_until == date(2026, 7, 1)
    assert PractitionerEvent.objects.filter(action=PractitionerEvent.Action.CREDENTIAL_EXPIRY_NOTICE).count() == 1


def test_a_renewal_with_a_new_date_is_warned_about_again_in_its_time(desk: Desk) -> None:
    credential = expiring(desk, 20)
    check_credential_expiry.apply()
    Credential.objects.filter(pk=credential.pk).update(valid_until=MONDAY + timedelta(days=25))

    check_credential_expiry.apply()

    assert len(mail.outbox) == 2
    assert CredentialExpiryNotice.objects.count() == 2


def test_a_failed_send_is_tried_again_on_the_next_run(desk: Desk) -> None:
    expiring(desk, 30)

    with mock.patch("workspace.expiry.send_mail", side_effect=SMTPException("down")):
        assert check_credential_expiry.apply().get() == 0
    assert CredentialExpiryNotice.objects.get().sent_at is None

    assert check_credential_expiry.apply().get() == 1
    assert len(mail.outbox) == 1


def test_a_notice_claimed_by_another_worker_is_not_sent_twice(desk: Desk) -> None:
    expiring(desk, 30)
    (notice_id,) = expiry.plan_expiry_notices(today=MONDAY)
    CredentialExpiryNotice.objects.filter(pk=notice_id).update(claimed_at=timezone.now())

    assert expiry.send_expiry_notice(notice_id) is False
    assert mail.outbox == []


def test_other_credentials_and_other_places_are_left_alone(desk: Desk) -> None:
    Credential.objects.filter(practitioner=desk.alex).delete()
    make_credential(desk.alex, kind=Credential.Kind.LICENCE, valid_until=MONDAY + timedelta(days=5))
    make_credential(desk.alex, jurisdiction="GB", valid_until=None)

    assert expiry.plan_expiry_notices(today=MONDAY) == []


def test_the_clinic_admin_sees_every_practitioners_credentials(desk: Desk, admin_client_: Client) -> None:
    expiring(desk, 12)

    page = body(admin_client_.get("/staff/credentials/"))

    assert "Alex Morgan" in page and "Priya Shah" in page
    assert "Alex Morgan's dry-needling credential" in page
