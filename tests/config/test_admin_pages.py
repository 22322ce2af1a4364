"""Every admin list and the clinic form open for an OTP-verified clinic admin: no 500s."""

from __future__ import annotations

import pytest
from django.contrib import admin

from accounts.models import User
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import make_clinic

pytestmark = pytest.mark.django_db


def test_every_admin_list_opens(clinic_admin: User) -> None:
    client = verified_staff_client(clinic_admin)

    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url


def test_the_clinic_form_lists_its_admins_and_records_settings(clinic_admin: User) -> None:
    clinic = make_clinic()
    client = verified_staff_client(clinic_admin)

    page = client.get(f"/admin/booking/clinic/{clinic.pk}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="admins"' in html and 'name="retention_years"' in html
