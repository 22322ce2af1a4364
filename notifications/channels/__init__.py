"""How messages leave: email through Django's backend, SMS through a small backend interface."""

from __future__ import annotations


class TransportError(Exception):
    """A send that did not go through. Permanent ones (a refused address, a provider
    saying the request is wrong) are not retried; the others back off and try again."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
