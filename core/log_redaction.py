"""Request log lines keep the path and drop the query string.

Query strings carry personal data: the consent audit's search box (a patient's name or
email, `?q=`), the erasure lookup (`?email=`), the audit link back from a FHIR export,
and a `next=` that repeats any of them after a sign-in redirect. We redact the query
string in every request log line, rather than moving those searches to POST, because it
covers every URL at once, including ones added later, and keeps filtered lists
bookmarkable and their pages linkable. Access lines are written by gunicorn in
production (its --access-logformat in docker-compose.yml and the Dockerfile logs %(U)s,
the path alone) and by `runserver` in development (the `django.server` logger, filtered
here); `django.request` already names the path only, and is filtered too in case it
ever names more."""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^\s\"]*")
REDACTED = "?[redacted]"
# A waitlist offer's link carries its single-use secret in the path: a 404 for it (another
# patient's link) or a request line would otherwise log a working secret.
_OFFER_SECRET = re.compile(r"(/waitlist/offers/)[^/\s\"?]+")
SECRET_PATHS = ("/waitlist/offers/",)


def redact(text: str) -> str:
    return _OFFER_SECRET.sub(r"\1[redacted]", _QUERY.sub(REDACTED, text))


class RedactQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message or any(path in message for path in SECRET_PATHS):
            record.msg, record.args = redact(message), ()
        return True
