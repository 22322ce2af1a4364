from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a staff account (development only), as an authenticator app would."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("totp_code only works with DEBUG on.")
        device = TOTPDevice.objects.filter(user__email=options["email"].lower(), confirmed=True).first()
        if device is None:
            raise CommandError("No enrolled authenticator for that email.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():0{device.digits}d}")
