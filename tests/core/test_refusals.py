"""A service's refusal that no view mapped still reaches the client in the API's one error
shape, with its own status and code: never a 500 (core/refusals.py, core/rest.py)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from booking import errors
from care.errors import InvalidInput


def answer_to(refusal: Exception) -> Any:
    class Refusing(APIView):
        permission_classes = [AllowAny]
        authentication_classes: list[Any] = []

        def post(self, request: Request) -> Response:
            raise refusal

    return Refusing.as_view()(APIRequestFactory().post("/api/v1/anything", {}, format="json"))


@pytest.mark.parametrize(
    ("refusal", "status", "code"),
    [
        (errors.SlotUnavailable("Someone has just booked that time."), 409, "slot_unavailable"),
        (errors.InvalidStart("That time was never bookable."), 400, "invalid_start"),
        (errors.BookingError("Not now.", code="plan_closed"), 409, "plan_closed"),
    ],
)
def test_an_unmapped_booking_refusal_is_its_own_status_and_code(refusal: Exception, status: int, code: str) -> None:
    response = answer_to(refusal)
    assert response.status_code == status
    assert response.data == {"code": code, "detail": str(refusal), "fields": {}}


def test_an_unmapped_refusal_of_named_fields_names_them() -> None:
    response = answer_to(InvalidInput({"score": ["Give a score from 0 to 10."]}))
    assert response.status_code == 400
    assert response.data == {
        "code": "invalid",
        "detail": "Give a score from 0 to 10.",
        "fields": {"score": ["Give a score from 0 to 10."]},
    }


def test_any_other_exception_is_still_a_server_error() -> None:
    with pytest.raises(ZeroDivisionError):  # DRF re-raises what no handler answers: Django's 500 page
        answer_to(ZeroDivisionError())
