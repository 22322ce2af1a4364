"""The UIDs of Acus's visit copies (calendars.uids)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from calendars.uids import is_own_uid, visit_uid


@override_settings(SITE_URL="https://book.acus.example:8443")
def test_a_visit_s_uid_names_the_appointment_and_this_site_s_host() -> None:
    assert visit_uid(42) == "acus-visit-42@book.acus.example"
    assert is_own_uid(visit_uid(42))


@override_settings(SITE_URL="https://book.acus.example")
@pytest.mark.parametrize(
    "uid",
    [
        "acus-visit-42@staging.acus.example",
        "acus-visit-@book.acus.example",
        "acus-visit-42@book.acus.example.evil",
        "x",
    ],
)
def test_other_uids_are_not_own(uid: str) -> None:
    assert not is_own_uid(uid)
