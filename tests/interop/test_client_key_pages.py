"""/staff/integrations/: a clinic admin lists, creates (shown once), revokes client keys and
reads each key's calls; nobody else reaches another clinic's keys."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from accounts.models import User
from booking.models import Clinic
from interop.api.auth import ClientKeyAuthentication
from interop.keys import issue_key, key_for
from interop.models import ClientCall, ClientKey, Scope
from tests.accounts.factories import make_staff
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import make_clinic

pytestmark = pytest.mark.django_db
KEY = re.compile(r'value="(acus_[0-9a-f]+_[A-Za-z0-9_-]+)"')


@pytest.fixture
def clinic(clinic_admin: User) -> Clinic:
    found = make_clinic(name="Harbour Physiotherapy")
    found.admins.add(clinic_admin)
    return found


@pytest.fixture
def admin_client(clinic_admin: User, clinic: Clinic) -> Client:
    return verified_staff_client(clinic_admin)


def _create(client: Client, clinic: Clinic, **data: object) -> str:
    response = client.post(f"/staff/integrations/clinics/{clinic.pk}/new/", {"name": "City EHR", **data})
    assert response.status_code == 200, response.content.decode()
    assert "no-store" in response["Cache-Control"]
    found = KEY.search(response.content.decode())
    assert found is not None
    return found[1]


def test_a_new_key_is_shown_once_and_kept_only_as_a_hash(admin_client: Client, clinic: Clinic) -> None:
    key = _create(admin_client, clinic, scopes=[Scope.SLOTS_READ])

    row = ClientKey.objects.get(clinic=clinic)
    listing = admin_client.get("/staff/integrations/").content.decode()
    assert row.name == "City EHR" and row.scopes == ["slots:read"]
    # The secret is everything after the second underscore; token_urlsafe may itself start with
    # or contain "_", so split at most twice (a plain split once gave "" here and failed).
    secret = key.split("_", 2)[2]
    assert len(secret) >= 40
    assert key not in listing and secret not in listing
    assert f"acus_{row.prefix}_" in listing and "City EHR" in listing and "Never used" in listing
    assert key not in str(list(ClientKey.objects.values_list()))
    assert key_for(key) == row


def test_a_key_needs_a_name_and_at_least_one_scope(admin_client: Client, clinic: Clinic) -> None:
    response = admin_client.post(f"/staff/integrations/clinics/{clinic.pk}/new/", {"name": " "})

    assert response.status_code == 400
    assert "Choose at least one thing the key may do." in response.content.decode()
    assert not ClientKey.objects.exists()


def test_only_admins_of_the_clinic_reach_its_keys(clinic: Clinic, clinic_admin: User) -> None:
    row, _ = issue_key(clinic=clinic, name="City EHR", scopes=[Scope.BOOK], actor=clinic_admin)
    other_admin = make_staff(User.Role.CLINIC_ADMIN)
    make_clinic().admins.add(other_admin)
    practitioner = make_staff(User.Role.PRACTITIONER)

    for user in (other_admin, practitioner):
        client = verified_staff_client(user)
        assert client.get(f"/staff/integrations/keys/{row.pk}/calls/").status_code == 404
        assert client.post(f"/staff/integrations/keys/{row.pk}/revoke/").status_code == 404
        assert (
            client.post(
                f"/staff/integrations/clinics/{clinic.pk}/new/", {"name": "x", "scopes": ["slots:read"]}
            ).status_code
            == 404
        )
    assert verified_staff_client(practitioner).get("/staff/integrations/").status_code == 404
    assert "City EHR" not in verified_staff_client(other_admin).get("/staff/integrations/").content.decode()
    assert Client().get("/staff/integrations/").status_code == 302  # to the staff sign-in
    assert ClientKey.objects.count() == 1 and ClientKey.objects.get().active


def test_a_revoked_key_is_refused_with_401(admin_client: Client, clinic: Clinic) -> None:
    key = _create(admin_client, clinic, scopes=[Scope.SLOTS_READ, Scope.BOOK])
    row = ClientKey.objects.get()
    confirm = admin_client.get(f"/staff/integrations/keys/{row.pk}/revoke/")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert ClientKey.objects.get().active  # asking is not revoking

    assert admin_client.post(f"/staff/integrations/keys/{row.pk}/revoke/").status_code == 302

    row.refresh_from_db()
    assert row.revoked_at is not None and row.revoked_by is not None
    assert key_for(key) is None
    request = APIRequestFactory().get("/fhir/R4/Slot", HTTP_AUTHORIZATION=f"Bearer {key}")
    with pytest.raises(exceptions.AuthenticationFailed) as refused:
        ClientKeyAuthentication().authenticate(request)
    assert refused.value.status_code == 401
    assert "Revoked" in admin_client.get("/staff/integrations/").content.decode()


def test_the_calls_page_lists_the_key_s_calls_newest_first(
    admin_client: Client, clinic: Clinic, clinic_admin: User
) -> None:
    row, _ = issue_key(clinic=clinic, name="City EHR", scopes=[Scope.SLOTS_READ], actor=clinic_admin)
    other, _ = issue_key(clinic=clinic, name="Portal", scopes=[Scope.SLOTS_READ], actor=clinic_admin)
    ClientCall.objects.create(client_key=row, method="GET", interaction="Slot search", status=200)
    ClientCall.objects.create(
        client_key=row, method="POST", interaction="Appointment/$hold", resource_id="p1-2-3", status=409
    )
    ClientCall.objects.create(client_key=other, method="GET", interaction="Location read", status=200)

    html = admin_client.get(f"/staff/integrations/keys/{row.pk}/calls/").content.decode()

    assert html.index("Appointment/$hold") < html.index("Slot search")
    assert "409" in html and "p1-2-3" in html and "Location read" not in html
