"""calendars.net refuses what a practitioner's address must not reach: plain http, loopback,
private, link-local and metadata addresses (before any connection), a redirect to one of them;
it keeps credentials from a redirect to another host, caps size and time, and verifies TLS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.test import override_settings

from calendars import net
from calendars.models import Connection
from calendars.net import FetchError
from tests.calendars.servers import IcsServer

Failure = Connection.Failure


def _failure(url: str, **kwargs: Any) -> str:
    with pytest.raises(FetchError) as caught:
        net.request("GET", url, **kwargs)
    return caught.value.failure


@override_settings(CALENDAR_ALLOW_PRIVATE_HOSTS=False)
def test_plain_http_is_refused(ics_server: IcsServer) -> None:
    url = ics_server.serve("/cal.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert _failure(url) == Failure.REFUSED_ADDRESS
    assert ics_server.requests == []


@override_settings(CALENDAR_ALLOW_PRIVATE_HOSTS=False)
@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "10.0.0.1",
        "192.168.1.1",
        "172.16.0.1",
        "169.254.169.254",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[fe80::1]",
        "0.0.0.0",  # noqa: S104 (an address to refuse, not one to bind)
    ],
)
def test_a_private_loopback_or_link_local_address_is_refused_without_connecting(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("a refused address was connected to")

    monkeypatch.setattr(net.socket_helpers, "create_connection", no_connection)
    started = time.monotonic()
    assert _failure(f"https://{host}/calendar.ics") == Failure.REFUSED_ADDRESS
    assert time.monotonic() - started < 1


@override_settings(CALENDAR_ALLOW_PRIVATE_HOSTS=False)
@pytest.mark.parametrize("url", ["ftp://example.com/x.ics", "https://user:pw@example.com/x.ics", "https:///x.ics"])
def test_other_schemes_and_addresses_with_credentials_in_them_are_refused(url: str) -> None:
    assert _failure(url) == Failure.REFUSED_ADDRESS


def _only_127_0_0_1(address: str) -> bool:
    return address == "127.0.0.1"


@pytest.fixture
def other_host() -> Iterator[IcsServer]:
    server = IcsServer(host="127.0.0.2")
    server.start()
    yield server
    server.stop()


def test_a_redirect_to_a_disallowed_address_is_refused(
    ics_server: IcsServer, other_host: IcsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A narrower rule than production's, so that one loopback server is "outside" and another "inside".
    monkeypatch.setattr(net, "address_allowed", _only_127_0_0_1)
    target = other_host.serve("/inside.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    url = ics_server.redirect("/cal.ics", target)

    assert _failure(url) == Failure.REFUSED_ADDRESS
    assert ics_server.requests == ["/cal.ics"] and other_host.requests == []


def test_a_redirect_on_the_same_host_is_followed(ics_server: IcsServer) -> None:
    ics_server.serve("/new.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    url = ics_server.redirect("/old.ics", "/new.ics")
    answer = net.request("GET", url, username="ana", password="s3cret-pass")
    assert answer.status == 200 and answer.body.startswith(b"BEGIN:VCALENDAR")
    assert all(a.startswith("Basic ") for a in ics_server.authorizations)  # same host: still sent


def test_credentials_are_not_sent_to_a_redirect_on_another_host(ics_server: IcsServer, other_host: IcsServer) -> None:
    target = other_host.serve("/elsewhere.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    url = ics_server.redirect("/cal.ics", target)

    answer = net.request("GET", url, username="ana", password="s3cret-pass")

    assert answer.status == 200
    assert ics_server.authorizations[0].startswith("Basic ")
    assert other_host.requests == ["/elsewhere.ics"] and other_host.authorizations == [""]


def test_too_many_redirects_fail(ics_server: IcsServer) -> None:
    for n in range(6):
        ics_server.redirect(f"/{n}.ics", f"/{n + 1}.ics")
    assert _failure(f"{ics_server.base}/0.ics") == Failure.SERVER


def test_an_answer_larger_than_the_cap_is_too_large(ics_server: IcsServer) -> None:
    url = ics_server.serve("/big.ics", b"X" * 50_000)
    assert _failure(url, max_bytes=10_000) == Failure.TOO_LARGE
    with override_settings(CALENDAR_FETCH_MAX_BYTES=10_000):
        assert _failure(url) == Failure.TOO_LARGE
    assert net.request("GET", url, max_bytes=60_000).body == b"X" * 50_000


@override_settings(CALENDAR_FETCH_SECONDS=1)
def test_a_slow_server_times_out_within_the_total_time(ics_server: IcsServer) -> None:
    url = ics_server.serve("/slow.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    ics_server.delay = 3
    started = time.monotonic()
    assert _failure(url) == Failure.TIMEOUT
    assert time.monotonic() - started < 2.5


def test_an_unknown_host_is_unreachable() -> None:
    assert _failure("https://calendar.invalid/x.ics") == Failure.UNREACHABLE


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[str]:
    cert_path, key_path = _self_signed(tmp_path)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}/calendar.ics"
    server.shutdown()
    server.server_close()


def test_a_certificate_that_does_not_verify_fails_as_tls(https_server: str) -> None:
    assert _failure(https_server) == Failure.TLS
