"""Every page carries a Content-Security-Policy that allows no inline code, and the pages
need none: no inline scripts, styles or event handlers that the policy would block."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/signin/", "/staff/signin/", "/api/v1/docs/", "/healthz", "/api/v1/me", "/no-such-page/"]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", PAGES)
def test_the_content_security_policy_allows_no_inline_code(client: Client, path: str) -> None:
    header = client.get(path)["Content-Security-Policy"]
    policy = directives(header)

    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], f"{directive} of {path}: {policy[directive]}"
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


class InlineCode(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in names and dict(attrs).get("type") != "application/json":
            self._in_inline_script = True
        self.found += [f'{tag} {name}="..."' for name in names if name == "style" or re.match(r"on[a-z]+$", name)]

    def handle_endtag(self, tag: str) -> None:
        self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}")


@pytest.mark.parametrize("path", ["/", "/signin/", "/staff/signin/", "/api/v1/docs/"])
def test_the_pages_need_no_inline_code(client: Client, path: str) -> None:
    response = client.get(path)
    parser = InlineCode()
    parser.feed(response.content.decode())

    assert response.status_code == 200
    assert parser.found == [], f"{path} has inline code the policy blocks: {parser.found}"
