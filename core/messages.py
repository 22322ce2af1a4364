"""django.contrib.messages' middleware, with the message storage made on first use.

Django's MessageMiddleware makes the storage for every request: a FallbackStorage that makes
a cookie storage and a session storage, each reading its settings. Only pages that add or
show a message use it; an API call never does, and under bench.load that making was 1.6 % of
the web workers' CPU (bench/README, "Issue 22, seventh pass").

Here the storage is made when something first touches `request._messages` (messages.add_message,
get_messages, the template context processor). A storage nothing touched has nothing to write
back: its update() stores only messages that were read or added. So leaving it out changes no
response (tests/core/test_messages.py compares every case with Django's middleware)."""

from __future__ import annotations

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response  # never made, so never used: nothing to store
        return super().process_response(request, response)
