"""Sign-in pages for patients (emailed code) and staff (password, then TOTP)."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from accounts import services
from accounts.decorators import patient_required, staff_verified_required
from accounts.forms import CodeForm, EmailForm, ProfileForm, StaffCodeForm, StaffPasswordForm
from accounts.models import AccountEvent, User
from accounts.throttles import EMAIL_SCOPE, email_bucket
from core.throttling import page_limit

SESSION_SIGN_IN_EMAIL = "patient_sign_in_email"
SESSION_BACKUP_CODES = "staff_backup_codes_once"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


# --- Patients --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def patient_sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, reverse("accounts:account"))
    if request.user.is_authenticated and hasattr(request.user, "patient"):
        return redirect(next_url)
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # The API's limits, in the same buckets: per address asking, and per email address.
        limited = page_limit(request, "sign_in_start") or page_limit(request, EMAIL_SCOPE, email_bucket(email))
        if limited:
            return limited
        services.start_patient_sign_in(email=email)
        request.session[SESSION_SIGN_IN_EMAIL] = email
        return redirect(f"{reverse('accounts:patient-code')}?{urlencode({'next': next_url})}")
    return render(request, "accounts/patient_sign_in.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def patient_code(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, reverse("accounts:account"))
    email = request.session.get(SESSION_SIGN_IN_EMAIL)
    if not email:
        return redirect("accounts:patient-sign-in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limited := page_limit(request, "sign_in_verify"):
            return limited
        try:
            user, _ = services.verify_patient_code(email=email, code=form.cleaned_data["code"])
        except services.SignInError as exc:
            form.add_error("code", exc.message)
        else:
            login(request, user, backend=MODEL_BACKEND)
            return redirect(next_url)
    return render(request, "accounts/patient_code.html", {"form": form, "email": email, "next": next_url})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("home")


@patient_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    patient = request.user.patient  # type: ignore[union-attr]
    form = ProfileForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # The form already wrote its cleaned values onto `patient`; reload so
        # the service compares against what is stored.
        patient.refresh_from_db()
        services.update_patient_profile(patient, changes=changes)
        messages.success(request, "Your details are saved.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form, "patient": patient})


# --- Staff ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def staff_sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, reverse("accounts:staff-home"))
    form = StaffPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Passing the request lets django-axes count failures and lock out.
        user = authenticate(request, username=form.cleaned_data["email"], password=form.cleaned_data["password"])
        if isinstance(user, User) and user.is_clinic_staff:
            login(request, user, backend=MODEL_BACKEND)
            services.record_staff_event(AccountEvent.Action.STAFF_PASSWORD_OK, user)
            step = "accounts:staff-verify" if services.has_confirmed_totp(user) else "accounts:staff-enrol"
            return redirect(f"{reverse(step)}?{urlencode({'next': next_url})}")
        form.add_error(None, "That email and password do not match a staff account.")
    return render(request, "accounts/staff_sign_in.html", {"form": form, "next": next_url})


def _signed_in_staff(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_clinic_staff else None


@require_http_methods(["GET", "POST"])
def staff_verify(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, reverse("accounts:staff-home"))
    user = _signed_in_staff(request)
    if user is None:
        return redirect("accounts:staff-sign-in")
    if not services.has_confirmed_totp(user):
        return redirect("accounts:staff-enrol")
    form = StaffCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            services.record_staff_event(AccountEvent.Action.STAFF_OTP_VERIFIED, user, device=device.persistent_id)
            return redirect(next_url)
        services.record_staff_event(AccountEvent.Action.STAFF_OTP_REJECTED, user)
        form.add_error("code", "That code is not right. Codes change every 30 seconds; try the newest one.")
    return render(request, "accounts/staff_verify.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def staff_enrol(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, reverse("accounts:staff-home"))
    user = _signed_in_staff(request)
    if user is None:
        return redirect("accounts:staff-sign-in")
    if services.has_confirmed_totp(user):
        return redirect("accounts:staff-verify")
    device = services.pending_totp_device(user)
    form = StaffCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolment = services.confirm_totp_enrolment(user, code=form.cleaned_data["code"].replace(" ", ""))
        if enrolment is not None:
            otp_login(request, enrolment.device)
            request.session[SESSION_BACKUP_CODES] = enrolment.backup_codes
            return redirect(f"{reverse('accounts:staff-backup-codes')}?{urlencode({'next': next_url})}")
        form.add_error("code", "That code is not right. Check the time on your phone and try the newest code.")
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": qr.svg_inline(scale=5, title="QR code for your authenticator app"),
        "secret": services.base32_secret(device),
    }
    return render(request, "accounts/staff_enrol.html", context)


@staff_verified_required
def staff_backup_codes(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(SESSION_BACKUP_CODES, None)
    if not codes:
        # Shown once only: a reload must not reveal them again.
        return HttpResponseRedirect(reverse("accounts:staff-home"))
    next_url = _next_url(request, reverse("accounts:staff-home"))
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
