"""The key that signs the chains' checkpoints comes from the environment, like SECRET_KEY."""

from __future__ import annotations

import pytest

from tests.config.environment import manage


@pytest.mark.parametrize("key", ["<unset>", "", "too-short"])
def test_it_refuses_to_start_without_an_anchor_key_when_debug_is_off(key: str) -> None:
    result = manage("check", ANCHOR_KEY=key)

    assert result.returncode != 0
    assert "ANCHOR_KEY must be set to a random string of at least 32 characters" in result.stderr


def test_it_starts_with_a_list_of_anchor_keys_for_a_rotation() -> None:
    result = manage(
        "check", ANCHOR_KEY="<unset>", ANCHOR_KEYS="new-key-new-key-new-key-new-key-1,old-key-old-key-old-key-old-key-2"
    )

    assert result.returncode == 0, result.stderr
