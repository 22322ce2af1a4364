"""The caller's address cannot be forged with X-Forwarded-For.

The header is believed only when the direct peer is one of TRUSTED_PROXIES, and then
only its right-most entry that is not a proxy of ours. Sign-in limits (API and pages)
and the staff password lockout all count by that address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings
from rest_framework.test import APIClient

from accounts.models import User
from core.addresses import client_ip
from tests.accounts.factories import STAFF_PASSWORD

pytestmark = pytest.mark.django_db
Tighten = Callable[..., None]
START = "/api/v1/auth/patient/start"
VERIFY = "/api/v1/auth/patient/verify"
PROXY = "127.0.0.1"  # the test client's own address, standing in for our reverse proxy


def forged(i: int) -> str:
    return f"203.0.113.{i + 1}"


def address(remote: str, forwarded: str | None = None) -> str | None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(request)


# --- The rule ----------------------------------------------------------------------------


def test_it_ignores_the_header_when_no_proxy_is_trusted() -> None:
    assert address("198.51.100.4", "203.0.113.7") == "198.51.100.4"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_it_ignores_the_header_from_a_peer_that_is_not_a_trusted_proxy() -> None:
    assert address("198.51.100.4", "203.0.113.7") == "198.51.100.4"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_it_takes_the_right_most_entry_that_is_not_a_trusted_proxy_never_the_left_most() -> None:
    # The caller made up the first entry; our proxies appended the real one and themselves.
    assert address("10.0.0.2", "203.0.113.7, 198.51.100.4, 10.0.0.9") == "198.51.100.4"
    assert address("10.0.0.2", "198.51.100.4") == "198.51.100.4"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "2001:db8::/32"])
def test_it_falls_back_to_the_proxy_when_the_chain_holds_nothing_usable() -> None:
    assert address("10.0.0.2", "") == "10.0.0.2"
    assert address("10.0.0.2", "10.0.0.3") == "10.0.0.2"
    assert address("10.0.0.2", "203.0.113.7, not-an-address") == "10.0.0.2"
    assert address("2001:db8::1", " 2001:DB8::5 , 2a00:1450::1 ") == "2a00:1450::1"


# --- Sign-in limits with a forged header ------------------------------------------------


def test_the_twelfth_code_request_from_one_address_is_refused_whatever_the_header_says() -> None:
    answers = [
        APIClient().post(START, {"email": f"p{i}@example.com"}, format="json", HTTP_X_FORWARDED_FOR=forged(i))
        for i in range(12)
    ]

    assert [a.status_code for a in answers] == [202] * 10 + [429, 429]
    assert answers[-1].json()["code"] == "throttled"


def test_code_checks_are_limited_per_address_whatever_the_header_says(throttle_rates: Tighten) -> None:
    throttle_rates(sign_in_verify="2/hour")
    body = {"email": "p@example.com", "code": "123456"}
    answers = [APIClient().post(VERIFY, body, format="json", HTTP_X_FORWARDED_FOR=forged(i)) for i in range(4)]

    assert [a.status_code for a in answers] == [400, 400, 429, 429]


def test_the_sign_in_page_counts_per_address_whatever_the_header_says(throttle_rates: Tighten) -> None:
    throttle_rates(sign_in_start="2/hour")
    starts = [Client(HTTP_X_FORWARDED_FOR=forged(i)).post("/signin/", {"email": f"p{i}@example.com"}) for i in range(3)]

    assert [a.status_code for a in starts] == [302, 302, 429]


def test_the_code_page_counts_per_address_whatever_the_header_says(throttle_rates: Tighten) -> None:
    throttle_rates(sign_in_verify="2/hour")
    client = Client()
    assert client.post("/signin/", {"email": "p@example.com"}).status_code == 302
    checks = [client.post("/signin/code/", {"code": "000000"}, HTTP_X_FORWARDED_FOR=forged(i)) for i in range(3)]

    assert [a.status_code for a in checks] == [200, 200, 429]  # wrong codes are shown on the form


# --- Behind a trusted proxy ---------------------------------------------------------------


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_each_forwarded_caller_has_their_own_bucket(throttle_rates: Tighten) -> None:
    throttle_rates(sign_in_start="2/hour")

    def start(caller: str, i: int) -> Any:
        # The caller put a made-up address first; our proxy appended the one it saw.
        chain = f"{forged(i)}, {caller}"
        return APIClient().post(START, {"email": f"p{i}@example.com"}, format="json", HTTP_X_FORWARDED_FOR=chain)

    first = [start("198.51.100.1", i).status_code for i in range(3)]
    second = [start("198.51.100.2", i).status_code for i in range(3, 6)]

    assert first == [202, 202, 429]
    assert second == [202, 202, 429]


# --- Staff password lockout -----------------------------------------------------------------


def guess(password: str, forwarded: str) -> Any:
    return Client(HTTP_X_FORWARDED_FOR=forwarded).post(
        "/staff/signin/", {"email": "prac@example.com", "password": password}
    )


def test_the_staff_lockout_holds_against_a_forged_header(practitioner: User) -> None:
    for i in range(5):
        guess("wrong", forged(i))

    refused = guess(STAFF_PASSWORD, forged(9))

    assert refused.status_code == 429 and b"locked" in refused.content
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_the_lockout_counts_the_forwarded_caller(practitioner: User) -> None:
    for i in range(5):
        guess("wrong", f"{forged(i)}, 198.51.100.1")

    refused = guess(STAFF_PASSWORD, f"{forged(9)}, 198.51.100.1")
    elsewhere = guess(STAFF_PASSWORD, "198.51.100.2")

    assert refused.status_code == 429 and b"locked" in refused.content
    assert elsewhere.status_code == 302  # the same email from another address is not locked out
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.1"}
