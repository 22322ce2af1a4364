"""A tiny SMTP server on a loopback port that keeps what it receives.

Enough of RFC 5321 for smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT).
`stop()` closes the port, so a connection is refused as by a mail server that is down;
`start()` opens the same port again. Addresses in `refuse` get 550 at RCPT."""

from __future__ import annotations

import email
import socket
import socketserver
import threading
from email.message import Message


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    sink: SmtpSink


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        sink = self.server.sink
        self.reply("220 sink.localhost ESMTP test sink")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-sink.localhost")
                self.reply("250 8BITMIME")
            elif verb in ("HELO", "NOOP"):
                self.reply("250 OK")
            elif verb in ("MAIL", "RSET"):
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.partition(":")[2].strip().strip("<>").lower()
                if address in sink.refuse:
                    self.reply("550 5.1.1 No such user")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                sink.received(self._read_data(), recipients)
                self.reply("250 OK: queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def _read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)  # undo dot-stuffing
        return b"".join(lines)


class SmtpSink:
    def __init__(self, *, refuse: set[str] | None = None) -> None:
        self.refuse = {address.lower() for address in refuse or set()}
        self.messages: list[Message] = []
        self.port = self._free_port()
        self._lock = threading.Lock()
        self._server: _Server | None = None

    @staticmethod
    def _free_port() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])

    def received(self, data: bytes, recipients: list[str]) -> None:
        with self._lock:
            self.messages.append(email.message_from_bytes(data))

    def start(self) -> None:
        server = _Server(("127.0.0.1", self.port), _Session)
        server.sink = self
        threading.Thread(target=server.serve_forever, name="smtp-sink", daemon=True).start()
        self._server = server

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def text_of(self, index: int = -1) -> str:
        """The plain-text part of a received message."""
        message = self.messages[index]
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                return payload.decode(part.get_content_charset() or "utf-8")
        raise AssertionError("no text part")
