"""core.messages makes the message storage only when something uses it: every response must
carry the messages cookie Django's own MessageMiddleware gives it, and a request that never
touches messages must not make the storage at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils.functional import empty

from core.messages import LazyMessageMiddleware

View = Callable[[HttpRequest], Any]

COOKIE = CookieStorage.cookie_name
pytestmark = pytest.mark.django_db


def untouched(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def adds(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Your appointment is booked.")
    return HttpResponse("ok")


def reads(request: HttpRequest) -> HttpResponse:
    return HttpResponse(" | ".join(str(m) for m in messages.get_messages(request)))


def adds_too_many_for_a_cookie(request: HttpRequest) -> HttpResponse:
    for n in range(60):
        messages.info(request, f"message {n} " + "x" * 80)  # past the cookie's 2 kB: the rest go to the session
    return HttpResponse("ok")


VIEWS: dict[str, View] = {
    "untouched": untouched,
    "adds": adds,
    "reads": reads,
    "adds too many for a cookie": adds_too_many_for_a_cookie,
}


def answer(middleware_class: type[MessageMiddleware], view: View, cookie: str) -> Any:
    request = RequestFactory().get("/book/")
    if cookie:
        request.COOKIES[COOKIE] = cookie
    response: Any = SessionMiddleware(middleware_class(view))(request)
    morsel = response.cookies.get(COOKIE)
    sent = None
    if morsel is not None:
        decoded = (
            CookieStorage(request)._decode(  # type: ignore[attr-defined]
                morsel.value
            )
            if morsel.value
            else None
        )
        sent = ([str(m) for m in decoded] if decoded else decoded, morsel["max-age"])
    return response.content, sent, request.session.modified


def a_cookie_holding_one_message() -> str:
    request = RequestFactory().get("/book/")
    response: Any = SessionMiddleware(MessageMiddleware(adds))(request)
    return str(response.cookies[COOKIE].value)


@pytest.mark.parametrize("with_cookie", [False, True])
@pytest.mark.parametrize("view_name", list(VIEWS))
def test_every_response_carries_what_djangos_middleware_gives_it(view_name: str, with_cookie: bool) -> None:
    cookie = a_cookie_holding_one_message() if with_cookie else ""
    assert answer(LazyMessageMiddleware, VIEWS[view_name], cookie) == answer(
        MessageMiddleware, VIEWS[view_name], cookie
    )


def test_a_request_that_never_touches_messages_never_makes_the_storage() -> None:
    request = RequestFactory().get("/api/v1/slots")
    LazyMessageMiddleware(untouched)(request)
    assert request._messages._wrapped is empty  # type: ignore[attr-defined]


def test_a_message_added_on_one_page_shows_on_the_next() -> None:
    request = RequestFactory().get("/book/")
    first: Any = SessionMiddleware(LazyMessageMiddleware(adds))(request)
    shown = answer(LazyMessageMiddleware, reads, str(first.cookies[COOKIE].value))
    assert shown[0] == b"Your appointment is booked."
