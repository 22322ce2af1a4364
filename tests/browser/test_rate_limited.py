"""The page a patient sees when a rate limit stops them, on a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.journey import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_too_many_tries_page_passes_axe(phone: Any, live_server: Any, throttle_rates: Callable[..., None]) -> None:
    # The live server runs in this process, so the tightened class attribute reaches it.
    throttle_rates(sign_in_start="1/hour")
    for _ in range(2):
        phone.goto(live_server.url + "/signin/")
        phone.get_by_label("Email address").fill("pat@example.com")
        with phone.expect_response(lambda response: response.request.method == "POST") as posted:
            phone.get_by_role("button", name="Email me a code").click()

    assert posted.value.status == 429
    assert phone.get_by_role("heading", level=1).inner_text() == "Please wait a moment"
    look(phone, "rate-limited", live_server)
