"""A view that handles everything a patient's record holds and then fails, as a real bug
would: the error reporting tests send a request to it (`pytest.mark.urls`)."""

from __future__ import annotations

import json
import logging

import sentry_sdk
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

log = logging.getLogger("tests.core.failing_view")

PATIENT = {
    "name": "Marguerite Quillfeather",
    "email": "marguerite.quillfeather@example.org",
    "phone": "+447700900123",
    "date_of_birth": "1961-04-27",
    "screening_answer": "Takes warfarin since the pacemaker was fitted",
    "signature": "data:image/svg+xml;base64,UXVpbGxmZWF0aGVyU2lnbmVkSGVyZQ==",
}


@csrf_exempt  # as the token-authenticated API is
def sign_and_fail(request: HttpRequest) -> HttpResponse:
    body = json.loads(request.body)
    name, email, phone = body["name"], body["email"], body["phone"]
    date_of_birth, answer, signature = body["date_of_birth"], body["screening_answer"], body["signature"]
    # What careless code might do: a breadcrumb naming the patient, a user and extra context.
    log.info("signing consent for %s <%s>, born %s, phone %s", name, email, date_of_birth, phone)
    sentry_sdk.set_user({"id": "17", "email": email, "username": name})
    sentry_sdk.set_extra("screening", {"answer": answer, "signature": signature})
    sentry_sdk.set_context("patient", {"phone": phone, "birthDate": date_of_birth})
    raise ValueError(f"could not store the signature for {email} (born {date_of_birth}, phone {phone})")


urlpatterns = [path("consent/sign", sign_and_fail)]
