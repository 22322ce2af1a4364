"""The patient pages laid out right to left, ready for a language written that way: the
whole booking journey with dir="rtl" on <html> (set by the test on each page, as we ship no
such language yet) on two phone widths, each page without horizontal scrolling, nothing past
either inline edge, and axe clean. The stylesheets use logical properties only
(tests/core/test_css_is_logical.py), so the layout mirrors itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from booking.models import Appointment
from tests.booking.pages import Journey, make_journey_clinic
from tests.browser.journey import book_screen_and_sign, look, open_my_appointments
from tests.browser.kit import PHONES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW_PHONES = {
    "android-360": {**PHONES["pixel"], "viewport": {"width": 360, "height": 740}, "device_scale_factor": 3},
    "iphone": PHONES["iphone"],  # 390 x 844
}


@pytest.fixture
def clinic(transactional_db: None) -> Journey:
    return make_journey_clinic(demo_content=True)


@pytest.fixture(params=sorted(NARROW_PHONES))
def rtl_phone(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = browser.new_context(**NARROW_PHONES[request.param])
    page = context.new_page()
    page.profile, page.rtl = f"rtl-{request.param}", True
    yield page
    context.close()


def test_every_patient_page_fits_the_phone_right_to_left(rtl_phone: Any, live_server: Any, clinic: Journey) -> None:
    book_screen_and_sign(rtl_phone, live_server, "rtl", email="robin@example.com", treatment=clinic.needling.name)

    assert Appointment.objects.get().status == Appointment.Status.CONFIRMED
    open_my_appointments(rtl_phone, live_server, "rtl")
    rtl_phone.goto(live_server.url + "/signin/")  # signed in, it still shows the form to sign in as someone else
    look(rtl_phone, "rtl-11-sign-in", live_server)


def test_the_skip_link_appears_at_the_inline_start_right_to_left(
    rtl_phone: Any, live_server: Any, clinic: Journey
) -> None:
    rtl_phone.goto(live_server.url + "/")
    rtl_phone.evaluate("document.documentElement.dir = 'rtl'")
    rtl_phone.keyboard.press("Tab")

    box = rtl_phone.locator(".skip-link").bounding_box()
    width = rtl_phone.viewport_size["width"]
    assert rtl_phone.evaluate("document.activeElement.className") == "skip-link"
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the focused skip link is on screen"
    assert box["x"] + box["width"] > width / 2, "it sits at the right, where a right-to-left line starts"


def test_a_phone_number_still_reads_left_to_right(rtl_phone: Any, live_server: Any, clinic: Journey) -> None:
    rtl_phone.goto(live_server.url + "/")
    rtl_phone.evaluate("document.documentElement.dir = 'rtl'")

    plus, last = rtl_phone.evaluate(
        """() => {
          const text = document.querySelector('a[href^="tel:"]').firstChild;
          const at = i => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                            return r.getBoundingClientRect().left; };
          return [at(0), at(text.length - 1)];
        }"""
    )
    assert plus < last, "the + and country code come first, at the left"
