"""A client: one connection that records every call, and helpers for the slot answers and call summaries."""

from __future__ import annotations

import http.client
import json
import time as clock
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from bench.common import summary_ms
from bench.http_booking.server import HOST

API = "/api/v1"


@dataclass
class Call:
    method: str
    status: int  # 0: no HTTP answer (connection error or timeout)
    code: str  # the error body's "code", "" on success
    seconds: float


@dataclass
class Client:
    """One keep-alive-capable connection; http.client reconnects when the server closes it."""

    port: int
    timeout: float = 30.0
    calls: list[Call] = field(default_factory=list)
    _conn: http.client.HTTPConnection | None = None

    def connect(self) -> None:
        self._conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        self._conn.connect()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def request(
        self, method: str, path: str, *, token: str, body: dict[str, Any] | None = None, key: str | None = None
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        if self._conn is None:
            self._conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        began = clock.perf_counter()
        try:
            self._conn.request(method, path, body=payload, headers=headers)
            response = self._conn.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            self._conn.close()
            self.calls.append(Call(method, 0, type(exc).__name__, clock.perf_counter() - began))
            return 0, None
        elapsed = clock.perf_counter() - began
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        code = data.get("code", "") if isinstance(data, dict) and status >= 400 else ""
        self.calls.append(Call(method, status, str(code), elapsed))
        return status, data


def slots_path(type_id: int, practitioner: int | str, start: datetime, end: datetime) -> str:
    query = urlencode(
        {"appointment_type": type_id, "practitioner": practitioner, "start": start.isoformat(), "end": end.isoformat()}
    )
    return f"{API}/slots?{query}"


def slot_list(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):  # tolerate a paginated answer
        data = data.get("results", [])
    return [s for s in data or [] if isinstance(s, dict) and "start" in s]


def practitioner_id(slot: dict[str, Any]) -> int:
    value = slot["practitioner"]
    return int(value["id"] if isinstance(value, dict) else value)


def call_summary(calls: list[Call], method: str | None = None) -> dict[str, Any]:
    chosen = [c for c in calls if method is None or c.method == method]
    counts = Counter(f"{c.status} {c.code}".strip() for c in chosen)
    return {
        "requests": len(chosen),
        "latency_ms": summary_ms([c.seconds for c in chosen]),
        "statuses": dict(sorted(counts.items())),
        "server_errors": sum(1 for c in chosen if c.status >= 500),
        "no_answer": sum(1 for c in chosen if c.status == 0),
    }
