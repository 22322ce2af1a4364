from __future__ import annotations

from typing import Any

import pytest

from tests.browser.kit import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_loads_on_a_phone_and_passes_axe(phone: Any, live_server: Any) -> None:
    requests: list[str] = []
    phone.on("request", lambda request: requests.append(request.url))

    response = phone.goto(live_server.url + "/")

    assert response.status == 200
    assert phone.get_by_role("heading", level=1).inner_text() == "Book a dry-needling session"
    assert phone.get_by_role("link", name="Book").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"], "no horizontal scrolling"
    assert all(url.startswith(live_server.url) for url in requests), "no requests to other hosts"
    screenshot(phone, "home")
    assert_accessible(phone)


def test_the_sign_in_page_is_usable_at_320px_and_passes_axe(phone: Any, live_server: Any) -> None:
    phone.set_viewport_size({"width": 320, "height": 640})
    phone.goto(live_server.url + "/signin/")

    email = phone.get_by_label("Email address")
    box = email.bounding_box()
    button = phone.get_by_role("button", name="Email me a code").bounding_box()

    assert box["height"] >= 44 and button["height"] >= 44, "44 px touch targets"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(phone, "sign-in")
    assert_accessible(phone)
