"""Email: plain text plus HTML, through whatever EMAIL_BACKEND is configured.

The Message-ID comes from the notification id, so if a send is retried after the
first one did leave (a worker died before recording it), mail clients see the
same message twice and show it once."""

from __future__ import annotations

import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from notifications.channels import TransportError


def message_id(notification_id: int) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "acus.localhost"
    return f"<notification-{notification_id}@{domain}>"


def send_email(
    *,
    notification_id: int,
    to: str,
    subject: str,
    text: str,
    html: str,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    if not to:
        raise TransportError("no email address", permanent=True)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id(notification_id), "X-Acus-Notification": str(notification_id)},
    )
    email.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        email.attach(filename, content, mimetype)
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        # The error names the address; logs and the admin get the server's codes only.
        codes = sorted({str(code) for code, _ in exc.recipients.values()})
        raise TransportError(f"address refused by the mail server (SMTP {', '.join(codes)})", permanent=True) from exc
    except smtplib.SMTPResponseException as exc:
        # The server's text may quote the message or its recipient: keep the code only.
        raise TransportError(f"{type(exc).__name__} (SMTP {exc.smtp_code})") from exc
    except (smtplib.SMTPException, OSError) as exc:
        # Connection-level failures: their messages say nothing about the recipient.
        raise TransportError(f"{type(exc).__name__}: {exc}") from exc
