"""The patient's pages: sign-in with an emailed code, sign-out, and their details."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.decorators import patient_required
from accounts.forms import CodeForm, EmailForm, ProfileForm
from accounts.throttles import EMAIL_SCOPE, email_bucket
from accounts.views.common import MODEL_BACKEND, safe_next_url
from accounts.views.language import remember_language
from core.throttling import page_limit

SESSION_SIGN_IN_EMAIL = "patient_sign_in_email"


# --- Patients --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def patient_sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request, reverse("accounts:account"))
    if request.user.is_authenticated and hasattr(request.user, "patient"):
        return redirect(next_url)
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # The API's limits, in the same buckets: per address asking, and per email address.
        limited = page_limit(request, "sign_in_start") or page_limit(request, EMAIL_SCOPE, email_bucket(email))
        if limited:
            return limited
        try:
            services.start_patient_sign_in(email=email, language=translation.get_language())
        except services.CodeNotSent as exc:
            # Said at once: a code that never arrives would leave the patient waiting.
            form.add_error(None, exc.message)
            response = render(request, "accounts/patient_sign_in.html", {"form": form, "next": next_url}, status=503)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except services.AddressRefused as exc:
            form.add_error("email", exc.message)
        else:
            request.session[SESSION_SIGN_IN_EMAIL] = email
            return redirect(f"{reverse('accounts:patient-code')}?{urlencode({'next': next_url})}")
    return render(request, "accounts/patient_sign_in.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def patient_code(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request, reverse("accounts:account"))
    email = request.session.get(SESSION_SIGN_IN_EMAIL)
    if not email:
        return redirect("accounts:patient-sign-in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limited := page_limit(request, "sign_in_verify"):
            return limited
        try:
            user, _token = services.verify_patient_code(
                email=email, code=form.cleaned_data["code"], language=translation.get_language()
            )
        except services.SignInError as exc:
            form.add_error("code", exc.message)
        else:
            login(request, user, backend=MODEL_BACKEND)
            return redirect(next_url)
    minutes = settings.OTP_EMAIL_TOKEN_VALIDITY // 60
    context = {"form": form, "email": email, "next": next_url, "minutes": minutes}
    return render(request, "accounts/patient_code.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("home")


@patient_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    patient = request.user.patient  # type: ignore[union-attr]
    language = request.user.language or translation.get_language()  # type: ignore[union-attr]
    region = selectors.phone_region(patient)
    form = ProfileForm(request.POST or None, instance=patient, region=region, language=language)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # The form already wrote its cleaned values onto `patient`; reload so
        # the service compares against what is stored.
        patient.refresh_from_db()
        services.update_patient_profile(patient, changes=changes)
        response = redirect("accounts:account")
        if chosen := form.cleaned_data.get("language"):
            services.set_language(patient.user, language=chosen)
            translation.activate(chosen)  # the message below is read on the next page, in it
            remember_language(response, chosen)
        messages.success(request, _("Your details are saved."))
        return response
    return render(request, "accounts/account.html", {"form": form, "patient": patient})
