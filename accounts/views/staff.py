"""Staff sign-in: password, then a second factor (a TOTP code, a passkey or a backup code),
or enrolment with a QR code and backup codes for someone who has none yet."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.contrib.auth import authenticate, login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from accounts import selectors, services
from accounts.decorators import staff_verified_required
from accounts.forms import StaffCodeForm, StaffPasswordForm
from accounts.models import AccountEvent, User
from accounts.permissions import is_verified_staff
from accounts.views.common import MODEL_BACKEND, safe_next_url

SESSION_BACKUP_CODES = "staff_backup_codes_once"


# --- Staff ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def staff_sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request, reverse("accounts:staff-home"))
    form = StaffPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Passing the request lets django-axes count failures and lock out.
        user = authenticate(request, username=form.cleaned_data["email"], password=form.cleaned_data["password"])
        if isinstance(user, User) and user.is_clinic_staff:
            login(request, user, backend=MODEL_BACKEND)
            services.record_staff_event(AccountEvent.Action.STAFF_PASSWORD_OK, user)
            step = "accounts:staff-verify" if selectors.has_second_factor(user) else "accounts:staff-enrol"
            return redirect(f"{reverse(step)}?{urlencode({'next': next_url})}")
        form.add_error(None, _("That email and password do not match a staff account."))
    return render(request, "accounts/staff_sign_in.html", {"form": form, "next": next_url})


def _signed_in_staff(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_clinic_staff else None


@require_http_methods(["GET", "POST"])
def staff_verify(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request, reverse("accounts:staff-home"))
    user = _signed_in_staff(request)
    if user is None:
        return redirect("accounts:staff-sign-in")
    factors = selectors.second_factors(user)
    if not factors.count:
        return redirect("accounts:staff-enrol")
    form = StaffCodeForm(request.POST or None)
    if not factors.totp:
        form.fields["code"].label = _("Backup code")
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            services.record_staff_event(AccountEvent.Action.STAFF_OTP_VERIFIED, user, device=device.persistent_id)
            return redirect(next_url)
        services.record_staff_event(AccountEvent.Action.STAFF_OTP_REJECTED, user)
        form.add_error(
            "code",
            _("That code is not right. Codes change every 30 seconds; try the newest one.")
            if factors.totp
            else _("That backup code is not right, or it has been used already."),
        )
    return render(request, "accounts/staff_verify.html", {"form": form, "next": next_url, "factors": factors})


@require_http_methods(["GET", "POST"])
def staff_enrol(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request, reverse("accounts:staff-home"))
    user = _signed_in_staff(request)
    if user is None:
        return redirect("accounts:staff-sign-in")
    if services.has_confirmed_totp(user):
        return redirect("accounts:staff-verify")
    if not is_verified_staff(user) and selectors.has_second_factor(user):
        # A passkey holder who removed the app adds it back only after verifying:
        # the password alone must not be enough to add a factor.
        return redirect(f"{reverse('accounts:staff-verify')}?{urlencode({'next': next_url})}")
    device = services.pending_totp_device(user)
    form = StaffCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolment = services.confirm_totp_enrolment(user, code=form.cleaned_data["code"].replace(" ", ""))
        if enrolment is not None:
            otp_login(request, enrolment.device)
            request.session[SESSION_BACKUP_CODES] = enrolment.backup_codes
            return redirect(f"{reverse('accounts:staff-backup-codes')}?{urlencode({'next': next_url})}")
        form.add_error("code", _("That code is not right. Check the time on your phone and try the newest code."))
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": qr.svg_inline(scale=5, title=_("QR code for your authenticator app")),
        "secret": services.base32_secret(device),
    }
    return render(request, "accounts/staff_enrol.html", context)


@staff_verified_required
def staff_backup_codes(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(SESSION_BACKUP_CODES, None)
    if not codes:
        # Shown once only: a reload must not reveal them again.
        return HttpResponseRedirect(reverse("accounts:staff-home"))
    next_url = safe_next_url(request, reverse("accounts:staff-home"))
    return render(request, "accounts/staff_backup_codes.html", {"codes": codes, "next": next_url})


@staff_verified_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The workspace opens on today's appointments (booking's staff pages), found by
    URL name so that accounts imports nothing from booking; a plain welcome without them."""
    try:
        match = resolve(reverse("staff:today"))
    except NoReverseMatch:
        return render(request, "accounts/staff_home.html")
    return match.func(request, *match.args, **match.kwargs)
