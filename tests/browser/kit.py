"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright at phone sizes.

Loaded once for the whole suite as a pytest plugin (tests/conftest.py), so every test
folder shares one browser: a second sync_playwright in the same thread would fail."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.resources import need, need_chromium

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"

# Playwright's sync API runs an event loop in this thread; Django's live server
# runs in another, so its ORM calls here are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONES = {
    "iphone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
        "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
        "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    },
    "pixel": {
        "viewport": {"width": 412, "height": 915},
        "device_scale_factor": 2.625,
        "is_mobile": True,
        "has_touch": True,
        "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    },
}
# Without these, Chromium tries to reach Google's hosts and this machine has no internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=sorted(PHONES))
def phone(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = browser.new_context(**PHONES[request.param])
    page = context.new_page()
    page.profile = request.param
    yield page
    context.close()


@contextmanager
def without_javascript(browser: Any, device: dict[str, Any], profile: str) -> Iterator[Any]:
    """A page with JavaScript off, carrying a `twin` page with it on for look() to check.

    With JavaScript off, Chromium runs no timers or promise jobs for Playwright either, so
    axe.run (which needs both) never returns there. look() therefore screenshots the real
    page and copies its HTML into the twin: same device and URL (so the same CSS loads),
    scripts removed and <noscript> unwrapped, which is what a browser without JavaScript
    shows. Axe, reflow and touch targets are then checked on the twin."""
    context = browser.new_context(**device, java_script_enabled=False)
    twin_context = browser.new_context(**device)
    page = context.new_page()
    page.profile, page.javascript = profile, False
    page.twin = twin_context.new_page()
    page.twin.profile = profile
    try:
        yield page
    finally:
        context.close()
        twin_context.close()


def as_without_javascript(page: Any) -> Any:
    """page.twin showing page's current HTML as a browser without JavaScript renders it."""
    html = page.content()  # a synchronous read of the DOM: it works with JavaScript off
    html = re.sub(r"<script\b[^>]*>.*?</script\s*>", "", html, flags=re.IGNORECASE | re.DOTALL)
    html = re.sub(r"</?noscript\b[^>]*>", "", html, flags=re.IGNORECASE)
    url = page.url.split("#")[0]
    twin = page.twin

    def serve(route: Any) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    twin.route(lambda address: address.split("#")[0] == url, serve)  # only the document
    try:
        twin.goto(page.url)
        twin.wait_for_load_state("load")
    finally:
        twin.unroute_all()
    return twin


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Serious and critical WCAG violations on the page as it is now."""
    need(AXE.exists(), "axe-core from npm (run `npm ci`)")
    # Evaluated through the DevTools protocol, so our strict CSP (no inline
    # scripts) stays on and still guards the page under test.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def assert_accessible(page: Any) -> None:
    violations = run_axe(page)
    assert not violations, json.dumps(
        [{"id": v["id"], "help": v["help"], "nodes": [n["html"] for n in v["nodes"][:3]]} for v in violations],
        indent=1,
    )


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # CSS pixels: a 3x full-page capture of a long form is huge and slow to write.
    page.screenshot(path=str(ARTIFACTS / f"{name}-{page.profile}.png"), full_page=True, scale="css")
