"""bench's HTTP client (bench.http_booking.client): one request a connection over a plain
socket, answers read to the end and decoded, every call recorded, against a real loopback
server that answers the way gunicorn can (Content-Length, chunked, cut short)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import pytest

from bench.http_booking.client import Client

ANSWERS = {
    "/length": b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"a": [1]}\n',
    "/chunked": (
        b"HTTP/1.1 409 Conflict\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'8\r\n{"code":\r\n14\r\n "slot_unavailable"}\r\n0\r\n\r\n'
    ),
    "/short": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}",
    "/nothing": b"",
}


@pytest.fixture
def server() -> Iterator[tuple[int, list[bytes]]]:
    """A one-answer-per-connection server, as gunicorn's sync workers are; yields its port and
    the requests it received."""
    listener = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    ),
                    0,
                )
                while len(body) < length:
                    body += conn.recv(65536)
                received.append(head + b"\r\n\r\n" + body)
                path = head.split(b" ")[1].decode()
                conn.sendall(ANSWERS[path])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], received
    listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() (Linux), so the thread ends now
    listener.close()
    thread.join(timeout=5)


def test_an_answer_with_a_length_is_decoded_and_the_call_recorded(server: tuple[int, list[bytes]]) -> None:
    port, received = server
    client = Client(port)

    status, data = client.request("GET", "/length", token="abc")

    assert (status, data) == (200, {"a": [1]})
    assert [(c.method, c.status, c.code) for c in client.calls] == [("GET", 200, "")]
    assert client.calls[0].seconds > 0
    request = received[0].decode()
    assert request.startswith("GET /length HTTP/1.1\r\n")
    assert "Authorization: Token abc\r\n" in request
    assert "Accept: application/json\r\n" in request


def test_a_chunked_refusal_gives_its_code(server: tuple[int, list[bytes]]) -> None:
    port, _ = server
    client = Client(port)

    status, data = client.request("GET", "/chunked", token="abc")

    assert status == 409
    assert data == {"code": "slot_unavailable"}
    assert client.calls[0].code == "slot_unavailable"


def test_a_body_and_an_idempotency_key_are_sent_as_json(server: tuple[int, list[bytes]]) -> None:
    port, received = server
    client = Client(port)
    client.connect()  # opened ahead, as the race opens its connections before it starts

    client.request("POST", "/length", token="abc", body={"start": "2026-03-03T09:00:00+00:00"}, key="k-1")

    head, _, body = received[0].partition(b"\r\n\r\n")
    assert json.loads(body) == {"start": "2026-03-03T09:00:00+00:00"}
    assert b"Content-Type: application/json" in head
    assert b"Idempotency-Key: k-1" in head


@pytest.mark.parametrize("path", ["/short", "/nothing"])
def test_an_answer_cut_short_counts_as_no_answer(server: tuple[int, list[bytes]], path: str) -> None:
    port, _ = server
    client = Client(port)

    assert client.request("GET", path, token="abc") == (0, None)
    assert client.calls[0].status == 0
    assert client.calls[0].code == "ValueError"


def test_a_closed_port_counts_as_no_answer() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    client = Client(port, timeout=2)

    assert client.request("GET", "/length", token="abc") == (0, None)
    assert client.calls[0].code == "ConnectionRefusedError"
