from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class AcusAdminSite(OTPAdminSite):
    site_header = _("Acus administration")
    site_title = _("Acus admin")

    def login(self, request: HttpRequest, extra_context: dict[str, object] | None = None) -> HttpResponse:
        # One staff sign-in for everything: password, then TOTP (or enrolment).
        next_url = request.GET.get("next") or reverse("admin:index")
        return HttpResponseRedirect(f"{reverse('accounts:staff-sign-in')}?{urlencode({'next': next_url})}")
