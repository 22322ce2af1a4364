"""Email backends for the dispatch tests: one that fails, one that refuses, one that is slow."""

from __future__ import annotations

import os
import smtplib
import time
from collections.abc import Sequence
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        recipients = {to: (550, b"No such user") for message in email_messages for to in message.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


class SlowFileEmailBackend(BaseEmailBackend):
    """Waits ACUS_TEST_SEND_SECONDS, then writes one file per message, named by its
    notification id, into ACUS_TEST_MAIL_DIR: a send that is killed while waiting
    leaves no file behind."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(os.environ["ACUS_TEST_MAIL_DIR"])
        for message in email_messages:
            time.sleep(float(os.environ.get("ACUS_TEST_SEND_SECONDS", "0")))
            notification = message.extra_headers["X-Acus-Notification"]
            with open(folder / f"{notification}-{os.getpid()}-{time.monotonic_ns()}.eml", "wb") as out:
                out.write(message.message().as_bytes())
        return len(email_messages)
