"""A client: one connection that records every call, and helpers for the slot answers and call summaries."""

from __future__ import annotations

import socket
import time as clock
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import orjson

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
    """HTTP/1.1 over a plain socket, one connection per call, recording every call.

    gunicorn's sync workers close the connection after each answer, so keep-alive buys
    nothing. The client shares the machine's two cores with the server it measures, so it
    is kept lean: http.client parsed every answer's headers with the email package and
    json decoded every body, 0.57 ms of CPU a request, a tenth of the machine at bench.load's
    rate (bench/README, "Issue 22, eighth pass"). Here the request is written in one send,
    the answer read to the end of the stream (the server closes it; a Content-Length or a
    chunked body is honoured) and its JSON decoded with orjson."""

    port: int
    timeout: float = 30.0
    calls: list[Call] = field(default_factory=list)
    _sock: socket.socket | None = None

    def connect(self) -> None:
        """Open the next call's connection now (the race opens them all before it starts)."""
        self.close()
        self._sock = socket.create_connection((HOST, self.port), timeout=self.timeout)

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def request(
        self, method: str, path: str, *, token: str, body: dict[str, Any] | None = None, key: str | None = None
    ) -> tuple[int, Any]:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {HOST}:{self.port}",
            f"Authorization: Token {token}",
            "Accept: application/json",
            "Connection: close",
        ]
        payload = b""
        if body is not None:
            payload = orjson.dumps(body)
            lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        if key:
            lines.append(f"Idempotency-Key: {key}")
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload
        began = clock.perf_counter()
        try:
            sock = self._sock or socket.create_connection((HOST, self.port), timeout=self.timeout)
            self._sock = None
            with sock:
                sock.sendall(message)
                chunks = []
                while chunk := sock.recv(65536):
                    chunks.append(chunk)
            status, raw = _parse(b"".join(chunks))
        except (OSError, ValueError) as exc:
            self.calls.append(Call(method, 0, type(exc).__name__, clock.perf_counter() - began))
            return 0, None
        elapsed = clock.perf_counter() - began
        try:
            data = orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError:
            data = None
        code = data.get("code", "") if isinstance(data, dict) and status >= 400 else ""
        self.calls.append(Call(method, status, str(code), elapsed))
        return status, data


def _parse(answer: bytes) -> tuple[int, bytes]:
    """(status, body) of a whole HTTP/1.x answer; ValueError if it is cut short or malformed."""
    head, separator, rest = answer.partition(b"\r\n\r\n")
    if not separator or not head.startswith(b"HTTP/1."):
        raise ValueError("no complete HTTP answer")
    status_line, *header_lines = head.split(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    headers: dict[bytes, bytes] = {}
    for line in header_lines:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        return status, _unchunk(rest)
    length = headers.get(b"content-length")
    if length is not None:
        if len(rest) < int(length):
            raise ValueError("answer shorter than its Content-Length")
        return status, rest[: int(length)]
    return status, rest


def _unchunk(rest: bytes) -> bytes:
    body: list[bytes] = []
    while True:
        size_line, separator, rest = rest.partition(b"\r\n")
        if not separator:
            raise ValueError("chunked answer cut short")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return b"".join(body)
        if len(rest) < size + 2:
            raise ValueError("chunked answer cut short")
        body.append(rest[:size])
        rest = rest[size + 2 :]


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
