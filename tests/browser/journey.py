"""Steps the browser journeys share: look at a page (axe, screenshot, width, touch
targets, hosts, its language), sign in with the emailed code, choose a time, answer, sign.

The steps find what they press by stable ids, names and addresses, never by English words,
so the same walk runs in every language. A page can carry `language` (the `<html lang>` its
pages must have; a walk in es or fr also records the catalogues' English left on each page,
for assert_no_english_left) and `rtl` (look_at sets dir="rtl" on each page first and checks
that nothing reaches past either inline edge)."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from tests.accounts.sign_in import code_from_mail
from tests.browser.kit import ARTIFACTS, as_without_javascript, assert_accessible
from tests.core.i18n import english_left_in

ENGLISH = "en-gb"

# The demo questionnaire's safe answers to its multiple-choice questions; every other is "No".
DEMO_CLEAR = {"needle_feelings": "fine", "decision_making": "self", "epilepsy": "no"}

# Every control a finger or pointer can hit, measured width and height in CSS pixels. Exempt:
# links inside running text (SC 2.5.8's inline exception: the link shares its lines with other
# text of its block), and an input hidden under a styled label, whose label is measured instead.
_SMALL_TARGETS = """(least) => {
  const CONTROLS = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [role=button], [tabindex]:not([tabindex="-1"])';
  const inline = el => ['inline', 'contents'].includes(getComputedStyle(el).display);
  const lineText = (node, skip) => Array.from(node.childNodes).map(child =>
    child === skip ? ''
    : child.nodeType === Node.TEXT_NODE ? child.textContent
    : child.nodeType === Node.ELEMENT_NODE && getComputedStyle(child).display.startsWith('inline')
      ? lineText(child, skip) : '').join('');
  const inRunningText = el => {
    if (!el.matches('a:not(.button)')) return false;
    let block = el.parentElement;
    while (block && inline(block)) block = block.parentElement;
    return block !== null && lineText(block, el).trim() !== '';
  };
  const hiddenUnderLabel = (el, box) => el.matches('input') && el.labels && el.labels.length > 0
    && (box.width <= 1 || box.height <= 1 || getComputedStyle(el).opacity === '0');
  return Array.from(document.querySelectorAll(CONTROLS))
    .filter(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
    .filter(el => !inRunningText(el))
    .map(el => {
      const box = el.getBoundingClientRect();
      const target = hiddenUnderLabel(el, box) ? el.labels[0] : el;
      return [target, target.getBoundingClientRect()];
    })
    .filter(([, box]) => box.width < least - 0.5 || box.height < least - 0.5)
    .map(([el, box]) => `${Math.round(box.width)}x${Math.round(box.height)} ${el.outerHTML.slice(0, 100)}`);
}"""
# Every rendered element's box past the viewport's left or right edge. Exempt: what is meant to be
# off screen (the skip link until it has focus, visually-hidden text) and what sits inside a box
# that scrolls or clips across (a wide table in its .table-wrap).
_PAST_INLINE_EDGES = """() => {
  const clipped = el => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') return true;
    }
    return false;
  };
  const offScreenByDesign = (el, box) => el.matches('.skip-link:not(:focus)')
    || (getComputedStyle(el).position === 'absolute' && box.width <= 1 && box.height <= 1);
  return Array.from(document.body.querySelectorAll('*'))
    .filter(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, box]) => box.width > 0 && !offScreenByDesign(el, box) && !clipped(el))
    .filter(([, box]) => box.left < -0.5 || box.right > window.innerWidth + 0.5)
    .map(([el, box]) => `${Math.round(box.left)}..${Math.round(box.right)} ${el.outerHTML.slice(0, 100)}`);
}"""
PATIENT_TARGET = 44  # our standard for patients on phones
STAFF_TARGET = 24  # WCAG 2.2 SC 2.5.8 (AA), for the staff pages


def screenshot(page: Any, name: str) -> None:
    """conftest.screenshot at one pixel per CSS pixel: a long page at 3x is slow to write and to view."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{page.profile}.png"), full_page=True, scale="css")


def look_at(page: Any, name: str, live_server: Any, *, target: int) -> None:
    """The checks every page of every journey gets; a page with JavaScript off is
    screenshotted as it is and checked in its twin (kit.without_javascript)."""
    page.wait_for_load_state("load")
    rtl = getattr(page, "rtl", False)
    if rtl:
        page.evaluate("document.documentElement.dir = 'rtl'")
    screenshot(page, name)
    language = getattr(page, "language", ENGLISH)
    if language != ENGLISH:
        page.english_left = {**getattr(page, "english_left", {}), name: english_left_in(page.content())}
    if not getattr(page, "javascript", True):
        page = as_without_javascript(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: horizontal scrolling ({width}px)"
    if rtl:
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= page.evaluate("window.innerWidth"), f"{name}: horizontal scrolling right to left ({width}px)"
        past = page.evaluate(_PAST_INLINE_EDGES)
        assert not past, f"{name}: boxes past the inline edges right to left: {past}"
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": size["height"]})
    narrow = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert narrow <= 320, f"{name}: horizontal scrolling at 320px ({narrow}px)"
    small = page.evaluate(_SMALL_TARGETS, target)
    assert not small, f"{name}: touch targets under {target}x{target}px: {small}"
    lang = page.evaluate("document.documentElement.lang")
    assert lang.lower() == language, f"{name}: <html lang={lang!r}>, not {language!r}"
    assert_accessible(page)


def assert_no_english_left(page: Any) -> None:
    """After a walk in es or fr: no page showed a catalogue's English sentence."""
    left = {name: found for name, found in getattr(page, "english_left", {}).items() if found}
    assert getattr(page, "english_left", None), "no page of the walk was looked at in another language"
    assert not left, f"English left on the {page.language} pages: {json.dumps(left, indent=1, ensure_ascii=False)}"


def submit(page: Any) -> None:
    """Send the page's form (the last submit button in <main>: each step's page has one form to send) and
    wait for the next page's scripts, so that what a step reads next is on the new page, focus set."""
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


def choose_language(page: Any, language: str) -> None:
    """The footer's switcher: a plain form, so it works with JavaScript off too."""
    page.locator(".language-switcher select").select_option(language)
    with page.expect_navigation():
        page.locator(".language-switcher button[type=submit]").click()
    page.language = language


def look(page: Any, name: str, live_server: Any) -> None:
    """look_at for a patient page: 44 px targets."""
    look_at(page, name, live_server, target=PATIENT_TARGET)


def record_hosts(page: Any) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def assert_same_host(urls: list[str], live_server: Any) -> None:
    others = [url for url in urls if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert not others, f"requests to other hosts: {others}"


def sign_in_with_code(page: Any, email: str, live_server: Any, prefix: str) -> None:
    """On the sign-in page: ask for a code, read it from the email, type it."""
    look(page, f"{prefix}-sign-in", live_server)
    page.locator("#id_email").fill(email)
    submit(page)
    page.wait_for_url("**/signin/code/**")
    look(page, f"{prefix}-code", live_server)
    page.locator("#id_code").fill(code_from_mail())
    submit(page)


def choose_a_time(page: Any, live_server: Any, prefix: str, treatment: str, *, from_home: bool = True) -> str:
    """Home, Book, the treatment, first available, a free time tomorrow or later; return its label."""
    if from_home:
        page.goto(live_server.url + "/")
        look(page, f"{prefix}-1-home", live_server)
        page.locator(f'main a[href="{reverse("booking:treatments")}"]').first.click()
        look(page, f"{prefix}-2-treatments", live_server)
    page.get_by_role("link", name=treatment).click()
    look(page, f"{prefix}-3-practitioner", live_server)
    page.locator('main a[href$="?practitioner=any"]').click()
    look(page, f"{prefix}-4-times", live_server)
    # Not today: today's first time may pass the clinic's notice limit while the test signs in.
    page.locator("a.day").nth(1).click()
    page.wait_for_url("**day=*")
    button = page.locator(".time-button").first
    label = button.inner_text()
    button.click()
    return str(label)


def give_details(
    page: Any, live_server: Any, prefix: str, *, name: str, born: str, phone: str, mistakes: bool = False
) -> None:
    page.wait_for_url("**/details/")
    look(page, f"{prefix}-6-details", live_server)
    if mistakes:
        page.locator("#id_phone").fill("0117")
        submit(page)
        page.wait_for_selector(".error-summary")
        assert page.evaluate("document.activeElement.className") == "error-summary", "the summary takes focus"
        look(page, f"{prefix}-6b-details-errors", live_server)
        page.locator('.error-summary a[href="#id_legal_name"]').click()
        assert page.evaluate("document.activeElement.id") == "id_legal_name", "each error leads to its field"
    page.locator("#id_legal_name").fill(name)
    page.locator("#id_date_of_birth").fill(born)
    page.locator("#id_phone").fill(phone)
    submit(page)


def answer_health_questions(page: Any, live_server: Any, prefix: str, **answers: str) -> None:
    page.wait_for_url("**/screening/")
    look(page, f"{prefix}-7-screening", live_server)
    for radio in page.locator('input[type=radio][value="no"]').all():
        radio.check()
    for name, value in {**DEMO_CLEAR, **answers}.items():
        page.locator(f'input[name="{name}"][value="{value}"]').check()
    submit(page)


def sign_consent(page: Any, live_server: Any, prefix: str, *, typed_name: str, draw: bool = True) -> None:
    page.wait_for_url("**/consent/**")
    look(page, f"{prefix}-8-consent", live_server)
    for section in page.locator("details.consent-section summary").all()[1:]:
        section.click()  # read each part
    for box in page.locator(".consent-form input[type=checkbox]").all():
        box.check()
    page.locator("#id_typed_name").fill(typed_name)
    if draw:
        pad = page.locator("canvas.signature__pad")
        pad.scroll_into_view_if_needed()
        box = pad.bounding_box()
        page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 15, steps=6)
        page.mouse.move(box["x"] + box["width"] - 20, box["y"] + box["height"] - 15, steps=6)
        page.mouse.up()
    look(page, f"{prefix}-8b-consent-filled", live_server)
    with page.expect_navigation():
        page.locator(".consent-form button[type=submit]").click()


def hold_the_time(page: Any, live_server: Any, prefix: str) -> None:
    page.wait_for_url("**/hold/**")
    look(page, f"{prefix}-5c-hold", live_server)
    submit(page)


def book_screen_and_sign(page: Any, live_server: Any, prefix: str, *, email: str, treatment: str) -> None:
    """The whole clear journey, looking at every page: home to the page that says it is booked."""
    choose_a_time(page, live_server, prefix, treatment)
    page.wait_for_url("**/signin/**")
    sign_in_with_code(page, email, live_server, f"{prefix}-5")
    hold_the_time(page, live_server, prefix)
    give_details(page, live_server, prefix, name="Robin Clear", born="1985-04-02", phone="+447911123456")
    answer_health_questions(page, live_server, prefix)
    sign_consent(page, live_server, prefix, typed_name="Robin Clear")
    page.wait_for_url("**/appointments/*/")
    look(page, f"{prefix}-9-booked", live_server)


def open_my_appointments(page: Any, live_server: Any, prefix: str) -> None:
    page.locator(f'header a[href="{reverse("booking:my-appointments")}"]').click()
    page.wait_for_url("**/appointments/")
    look(page, f"{prefix}-10-my-appointments", live_server)
