"""Resource ids derived from our primary keys, so two exports of one record agree."""

from __future__ import annotations

import uuid

# Never change this: every id and reference in every export ever made derives from it.
_NAMESPACE = uuid.UUID("6f1c2d9e-3b8a-4c55-9a41-0d7e5b2f8c13")


def full_url(kind: str, pk: int | str) -> str:
    """A stable urn:uuid per row, so two exports of one record agree."""
    return f"urn:uuid:{resource_id(kind, pk)}"


def resource_id(kind: str, pk: int | str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{pk}"))
