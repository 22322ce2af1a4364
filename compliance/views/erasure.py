"""Erasure requests: find the patient, see what would be kept and until when, carry it out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Patient, normalise_email
from booking.models import ErasureRequest
from compliance.access import AdminScope, clinic_admin_required
from compliance.erasure import ErasureRefused, carry_out_erasure
from compliance.forms import ErasureConfirmForm, ErasureLookupForm
from compliance.retention import erasure_plan, kept_rows, patients_of


def _their_patients(scope: AdminScope) -> Any:
    return Patient.objects.filter(patients_of(list(scope.clinics))).distinct()


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def erasure_start(request: HttpRequest, scope: AdminScope) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now, scope.clinics[0].zone)
    lookup = ErasureLookupForm(request.GET if "email" in request.GET else None)
    context: dict[str, Any] = {"staff_section": "erasure", "lookup": lookup, "clinics": scope.clinics}
    if lookup.is_bound and lookup.is_valid():
        email = normalise_email(lookup.cleaned_data["email"])
        patient = _their_patients(scope).filter(user__email=email).select_related("user").first()
        if patient is None:
            lookup.add_error("email", _("No patient with that email address has records at your clinics."))
        else:
            confirm = ErasureConfirmForm(
                request.POST if request.method == "POST" else None, today=today, initial={"received_on": today}
            )
            if request.method == "POST" and confirm.is_valid():
                try:
                    done = carry_out_erasure(
                        patient,
                        by=scope.user,
                        received_on=confirm.cleaned_data["received_on"],
                        note=confirm.cleaned_data["note"],
                        now=now,
                    )
                except ErasureRefused as exc:
                    confirm.add_error(None, str(exc))
                else:
                    messages.success(request, _("The erasure request was carried out. Below is what the clinic keeps."))
                    return redirect("audit:erasure-done", pk=done.pk)
            context.update(patient=patient, plan=erasure_plan(patient, now=now), confirm=confirm)
    context["past"] = (
        ErasureRequest.objects.filter(patient__in=_their_patients(scope))
        .select_related("patient", "requested_by")
        .order_by("-carried_out_at")[:20]
    )
    return render(request, "compliance/erasure.html", context)


@clinic_admin_required
@require_GET
def erasure_done(request: HttpRequest, scope: AdminScope, pk: int) -> HttpResponse:
    done = (
        ErasureRequest.objects.filter(pk=pk, patient__in=_their_patients(scope))
        .select_related("patient", "requested_by")
        .first()
    )
    if done is None:
        raise Http404("No erasure request with that number at your clinics.")
    context = {"staff_section": "erasure", "done": done, "kept_rows": kept_rows(done.kept)}
    return render(request, "compliance/erasure_done.html", context)
