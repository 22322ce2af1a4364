"""Checkpoints of each chain's end, signed with a key that lives outside the database and
written outside it, so a wiped or re-chained table shows even to a check run by someone who
could rewrite every row, every chain head and every recorded run.

A checkpoint says: this clinic's chain held `count` signed consents, the newest at position
`sequence` with hash `head_hash`, at `time`. It is signed with HMAC-SHA256 under the first of
settings.ANCHOR_KEYS; any of them verifies (so a rotated-out key still verifies its old
checkpoints). The sink is a write-once directory (settings.ANCHOR_DIR): one file per
checkpoint, created with O_EXCL and never rewritten, holding one JSON line. docs/SECURITY.md
describes other sinks (object storage with a retention lock, mail to the clinic)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

# The directory of the scheme-1 chain over every clinic. A dot never appears in a clinic's slug.
ALL_CLINICS = "scheme-1.all-clinics"


@dataclass(frozen=True)
class Checkpoint:
    clinic: str  # the clinic's scope; "" for the scheme-1 chain over every clinic
    scheme: int
    sequence: int
    head_hash: str
    count: int
    time: str  # UTC, ISO 8601

    @classmethod
    def now(cls, *, scope: str, count: int, head_hash: str, scheme: int = 2) -> Checkpoint:
        stamp = datetime.now(UTC).isoformat(timespec="microseconds")
        return cls(clinic=scope, scheme=scheme, sequence=count, head_hash=head_hash, count=count, time=stamp)


def _keys() -> list[bytes]:
    return [key.encode() for key in settings.ANCHOR_KEYS]


def key_id(key: bytes) -> str:
    """Names a key without revealing it, so a checkpoint says which key signed it."""
    return hashlib.sha256(b"acus-anchor-key-id:" + key).hexdigest()[:16]


def _signature(fields: dict[str, Any], key: bytes) -> str:
    message = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def signed_line(checkpoint: Checkpoint) -> str:
    key = _keys()[0]
    fields = asdict(checkpoint)
    return json.dumps({**fields, "key_id": key_id(key), "signature": _signature(fields, key)}, sort_keys=True)


def clinic_dir(scope: str) -> Path:
    return Path(settings.ANCHOR_DIR) / (scope or ALL_CLINICS)


def write_checkpoint(checkpoint: Checkpoint) -> Path:
    """Create a new file for the checkpoint; an existing file is never opened for writing."""
    directory = clinic_dir(checkpoint.clinic)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = checkpoint.time.replace(":", "").replace("-", "").replace("+0000", "Z")
    path = directory / f"{stamp}-{checkpoint.count:012d}-{secrets.token_hex(4)}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    try:
        os.write(fd, (signed_line(checkpoint) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def write_after_commit(checkpoints: list[Checkpoint]) -> None:
    """For transaction.on_commit: the records are committed by then, so a sink that fails
    must not turn the signature or the check into an error page. It is logged loudly, and
    the next integrity run writes a checkpoint of the whole chain again."""
    for checkpoint in checkpoints:
        try:
            write_checkpoint(checkpoint)
        except OSError:
            logger.exception("could not write the checkpoint of %r to %s", checkpoint.clinic, settings.ANCHOR_DIR)


@dataclass(frozen=True)
class Stored:
    """What the sink holds: the checkpoints whose signature holds, per clinic, oldest first,
    and a sentence for each file that does not verify."""

    by_clinic: dict[str, list[Checkpoint]]
    invalid: list[str]


def read_checkpoints() -> Stored:
    by_clinic: dict[str, list[Checkpoint]] = {}
    invalid: list[str] = []
    root = Path(settings.ANCHOR_DIR)
    if not root.is_dir():
        return Stored(by_clinic, invalid)
    for path in sorted(root.glob("*/*.json")):
        checkpoint = _verified(path)
        if checkpoint is None:
            invalid.append(
                f"the checkpoint file {path} does not carry a valid signature "
                "(it was altered, or signed with a key that is not in ANCHOR_KEYS)"
            )
            continue
        by_clinic.setdefault(checkpoint.clinic, []).append(checkpoint)
    for checkpoints in by_clinic.values():
        checkpoints.sort(key=lambda c: (c.time, c.count))
    return Stored(by_clinic, invalid)


def _verified(path: Path) -> Checkpoint | None:
    try:
        stored = json.loads(path.read_text())
        signature = stored.pop("signature")
        stored.pop("key_id", None)
        checkpoint = Checkpoint(**stored)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    fields = asdict(checkpoint)
    if fields != stored:
        return None
    if not any(hmac.compare_digest(_signature(fields, key), str(signature)) for key in _keys()):
        return None
    return checkpoint
