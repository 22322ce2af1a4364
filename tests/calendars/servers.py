"""Real servers on loopback for calendar sync tests: Radicale (CalDAV) and a plain HTTP server for
ICS addresses. No mocks: the client code talks HTTP to them exactly as it would to Google, iCloud
or a hospital's Exchange."""

from __future__ import annotations

import contextlib
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import urllib3

from tests.loopback import free_port, start_listening, stop

USER = "practitioner"
OTHER_USER = "someone-else"


class Radicale:
    """One Radicale process (htpasswd users, owner-only rights, storage in a temporary folder).
    `stop()` and `start()` simulate an outage on the same port."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_urlsafe(12)
        self.other_password = secrets.token_urlsafe(12)
        (root / "users").write_text(f"{USER}:{self.password}\n{OTHER_USER}:{self.other_password}\n")
        (root / "config").write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            "[auth]\ntype = htpasswd\n"
            f"htpasswd_filename = {root / 'users'}\nhtpasswd_encryption = plain\ndelay = 0\n"
            "[rights]\ntype = owner_only\n"
            f"[storage]\nfilesystem_folder = {root / 'collections'}\n"
            "[web]\ntype = none\n"
            "[logging]\nlevel = warning\n"
        )
        self.log = root / "radicale.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.http = urllib3.PoolManager(retries=False)

    def start(self) -> None:
        if self.process is not None:
            return
        command = [sys.executable, "-m", "radicale", "--config", str(self.root / "config")]
        self.process = start_listening(command, self.log, self.port, "Radicale")

    def stop(self) -> None:
        if self.process is None:
            return
        stop(self.process)
        self.process = None

    def _headers(self, user: str = USER) -> dict[str, str]:
        password = self.password if user == USER else self.other_password
        return urllib3.make_headers(basic_auth=f"{user}:{password}")

    def new_calendar(self, *, user: str = USER, name: str = "Work") -> tuple[str, str, str]:
        """A fresh empty calendar: (its address, username, password)."""
        url = f"{self.base}/{user}/{uuid.uuid4().hex}/"
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>'
            f"<d:displayname>{name}</d:displayname>"
            '<c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set>'
            "</d:prop></d:set></c:mkcalendar>"
        )
        answer = self.http.request("MKCALENDAR", url, body=body.encode(), headers=self._headers(user))
        assert answer.status == 201, (answer.status, answer.data[:500])
        password = self.password if user == USER else self.other_password
        return url, user, password

    def put(self, calendar_url: str, name: str, ics: bytes | str, *, user: str = USER) -> None:
        body = ics.encode() if isinstance(ics, str) else ics
        answer = self.http.request(
            "PUT",
            calendar_url.rstrip("/") + f"/{name}.ics",
            body=body,
            headers={**self._headers(user), "Content-Type": "text/calendar; charset=utf-8"},
        )
        assert answer.status in (201, 204), (answer.status, answer.data[:500])

    def get(self, url: str, *, user: str = USER) -> tuple[int, bytes]:
        answer = self.http.request("GET", url, headers=self._headers(user))
        return answer.status, answer.data

    def objects(self, calendar_url: str, *, user: str = USER) -> dict[str, bytes]:
        """Every event in the calendar, by UID (a REPORT without filter)."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
            '<d:prop><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter>'
            "</c:calendar-query>"
        )
        answer = self.http.request(
            "REPORT", calendar_url, body=body.encode(), headers={**self._headers(user), "Depth": "1"}
        )
        assert answer.status == 207, answer.status
        from defusedxml import ElementTree

        found: dict[str, bytes] = {}
        for data in ElementTree.fromstring(answer.data).iter("{urn:ietf:params:xml:ns:caldav}calendar-data"):
            text = data.text or ""
            for line in text.splitlines():
                if line.startswith("UID:"):
                    found[line[4:].strip()] = text.encode()
                    break
        return found

    def list_uids(self, calendar_url: str, *, user: str = USER) -> set[str]:
        return set(self.objects(calendar_url, user=user))


class IcsServer:
    """Serves bytes set per path; `delay` slows every answer, `status` overrides it; stop/start.
    `redirect(path, location)` answers 302; `authorizations` records each request's Authorization
    header ("" when none). `host` may be another loopback address (127.0.0.2) to be another host."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = free_port()
        self.base = f"http://{host}:{self.port}"
        self.bodies: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}
        self.delay = 0.0
        self.status: int | None = None
        self.requests: list[str] = []
        self.authorizations: list[str] = []
        self._server: ThreadingHTTPServer | None = None

    def redirect(self, path: str, location: str) -> str:
        self.redirects[path] = location
        return f"{self.base}{path}"

    def serve(self, path: str, body: bytes | str) -> str:
        self.bodies[path] = body.encode() if isinstance(body, str) else body
        return f"{self.base}{path}"

    def start(self) -> None:
        if self._server is not None:
            return
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                owner.authorizations.append(self.headers.get("Authorization", ""))
                if owner.delay:
                    time.sleep(owner.delay)
                if self.path in owner.redirects:
                    self.send_response(302)
                    self.send_header("Location", owner.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = owner.bodies.get(self.path)
                status = owner.status or (200 if body is not None else 404)
                payload = body if status == 200 and body is not None else b"no"
                self.send_response(status)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                # The client may give up (a size cap or a timeout): what some tests want.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._server = None


class CuttingProxy:
    """A loopback TCP proxy to another server (Radicale) that can cut an answer short: with
    `cut_after = n` it closes both sides once n bytes of the answer have passed, as a server or a
    network that dies mid-answer does. `base` replaces the target's base in a URL."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.cut_after: int | None = None
        self.cuts = 0
        self._listener: socket.socket | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=10)
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, upstream, None), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, self.cut_after), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, cut_after: int | None) -> None:
        passed = 0
        try:
            while True:
                data = source.recv(4096)
                if not data:
                    break
                if cut_after is not None and passed + len(data) >= cut_after:
                    sink.sendall(data[: max(cut_after - passed, 0)])
                    self.cuts += 1
                    break
                sink.sendall(data)
                passed += len(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
