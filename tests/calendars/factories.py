"""Calendar sync factories: a fixed key for sealing credentials, and a connection row as the
connect service leaves it (sealed credentials, the host alone in the clear)."""

from __future__ import annotations

from urllib.parse import urlsplit

from booking.models import Practitioner
from calendars import secrets
from calendars.models import Connection

# The fixed Fernet key of config/test_settings.py (pytest-django runs without DEBUG, so there is
# no key derived from SECRET_KEY); tests/calendars/conftest.py sets it, and a worker process a
# test starts gets it too. One key everywhere: a module-scoped worker reads it before any test.
KEYS = ["mT0wR1cq3vPsm3T7C2Tt7q0W2s4pVb3lYtF2m8mX6kQ="]


def make_connection(
    practitioner: Practitioner,
    *,
    kind: str,
    url: str,
    username: str = "",
    password: str = "",
    name: str = "Hospital shifts",
) -> Connection:
    return Connection.objects.create(
        practitioner=practitioner,
        kind=kind,
        name=name,
        host=urlsplit(url).netloc.rsplit("@", 1)[-1],
        secret=secrets.seal(secrets.Credentials(url=url, username=username, password=password)),
    )
