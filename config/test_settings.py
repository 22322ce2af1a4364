"""Settings for the test suite: the real settings, with speed-ups only.

DATABASE_URL and REDIS_URL are honoured as they are, so CI runs against
PostgreSQL and Redis."""

import os

from config.xdist import own_redis_database

os.environ.setdefault("DEBUG", "1")


# Before the settings read it, and in os.environ so that the workers, servers and tasks a test
# starts (they are handed os.environ) use the same database as the test itself. Once per
# process tree: a child that loads these settings again inherits the moved URL and the mark.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and os.environ.get("REDIS_URL") and os.environ.get("ACUS_TEST_REDIS_WORKER") != _worker:
    os.environ["REDIS_URL"] = own_redis_database(os.environ["REDIS_URL"], _worker)
    os.environ["ACUS_TEST_REDIS_WORKER"] = _worker

from config.database import POSTGRES_ENGINE  # noqa: E402
from config.settings import *  # noqa: E402, F403

# Argon2 is deliberately slow; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Throttle counters live in the cache; a per-process cache keeps tests independent.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # noqa: F405
# Tests dispatch explicitly; a nudge per committed booking would only fill the broker.
NOTIFICATIONS_NUDGE = False
# Django's test runner turns DEBUG off, and with it the dev key: a fixed test key (not a secret),
# unless the environment names one (a worker a test starts gets that test's key this way).
CALENDAR_KEYS = CALENDAR_KEYS or ["mT0wR1cq3vPsm3T7C2Tt7q0W2s4pVb3lYtF2m8mX6kQ="]  # noqa: F405
CALENDAR_ALLOW_PRIVATE_HOSTS = True  # Radicale and the ICS server run on loopback
CALENDAR_PUSH_NUDGE = False  # tests that want the task switch it on
WAITLIST_FILL = False  # tests that want the task switch it on (tests/waitlist/test_freeing_broker.py)
# The append-only tables refuse TRUNCATE (core.db.refuse_truncate); the flush between
# transactional tests needs it, so the test suite's own sessions say so.
if DATABASES["default"]["ENGINE"] == POSTGRES_ENGINE:  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] = "-c acus.allow_truncate=on"  # noqa: F405
