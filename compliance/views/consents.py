"""The consent audit: the list with its filters and CSV export, one consent in full, its PDF,
and a patient's FHIR bundle.

Thin: parse the filters, check the admin's clinics (compliance.access), call a selector or
export, render. Every view or download of a consent logs an access row in the transaction
that reads it (consent.access)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Patient
from compliance import exports, integrity, selectors
from compliance.access import AdminScope, clinic_admin_required
from compliance.forms import ConsentFilterForm, ExportForm
from compliance.retention import patients_of
from compliance.views.common import filters_of
from consent import access, documents
from consent.fhir.validation import FhirInvalid
from consent.models import SignedConsent

SIGNATURE_MEANING = _(
    "By typing their full name, the signer adopted it as their electronic signature, "
    "with the intent to sign this consent."
)
OUTCOME_LABELS = {
    "clear": pgettext_lazy("screening outcome", "Clear"),
    "review": pgettext_lazy("screening outcome", "Review"),
    "block": pgettext_lazy("screening outcome", "Block"),
}


@clinic_admin_required
@require_GET
def consent_list(request: HttpRequest, scope: AdminScope) -> HttpResponse:
    # The search (`q`, a patient's name or email) stays in the query string, so a filtered
    # list can be bookmarked and paged; request logs drop query strings instead
    # (core/log_redaction.py, gunicorn's --access-logformat in docker-compose.yml).
    form = ConsentFilterForm(request.GET, scope=scope)
    return _list_page(request, scope, form, ExportForm())


def _list_page(
    request: HttpRequest, scope: AdminScope, form: ConsentFilterForm, export_form: ExportForm
) -> HttpResponse:
    context: dict[str, Any] = {
        "staff_section": "audit",
        "form": form,
        "export_form": export_form,
        "clinics": scope.by_slug,
        "status_labels": selectors.STATUS_LABELS,
        "several_clinics": len(scope.clinics) > 1,
    }
    if not form.is_valid():
        return render(request, "compliance/consents.html", context, status=400)
    page, consents = selectors.consent_page(form.query(), now=timezone.now(), page=request.GET.get("page"))
    rows = [
        {
            "consent": c,
            "clinic": scope.clinic_of(c.scope),
            "status_label": selectors.STATUS_LABELS[c.audit_status],  # type: ignore[attr-defined]
        }
        for c in consents
    ]
    context.update(
        page=page,
        rows=rows,
        query=urlencode(filters_of(form)),
        hidden_filters=filters_of(form),
    )
    return render(request, "compliance/consents.html", context)


@clinic_admin_required
@require_POST
def consent_export(request: HttpRequest, scope: AdminScope) -> HttpResponse:
    form = ConsentFilterForm(request.POST, scope=scope)
    export_form = ExportForm(request.POST)
    if not (form.is_valid() and export_form.is_valid()):
        return _list_page(request, scope, form, export_form)
    include = export_form.cleaned_data["include_health_answers"]
    text, export = exports.consents_csv(
        form.query(),
        actor=exports.Actor(scope.user, scope.user.role, "staff_page", scope.ip_address),
        include_health_answers=include,
        filters=form.described(),
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"consents-{timezone.now():%Y%m%d-%H%M}{'-with-health-answers' if include else ''}-export-{export.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _get_consent(scope: AdminScope, pk: int) -> SignedConsent:
    consent = selectors.consent_for_audit(scope, pk)
    if consent is None:
        raise Http404("No consent with that number at your clinics.")
    return consent


@clinic_admin_required
@require_GET
def consent_detail(request: HttpRequest, scope: AdminScope, pk: int) -> HttpResponse:
    consent = _get_consent(scope, pk)
    text = access.signed_text(consent, user=scope.user, channel="staff_page", ip_address=scope.ip_address)
    return render(request, "compliance/consent.html", _detail_context(scope, consent, text))


def _detail_context(scope: AdminScope, consent: SignedConsent, text: str) -> dict[str, Any]:
    form = consent.form_version
    clinic = scope.clinic_of(consent.scope)
    row = integrity.check_row(consent)
    screening = consent.screening
    status = selectors.status_of(consent, clinic, now=timezone.now())
    return {
        "staff_section": "audit",
        "consent": consent,
        "clinic": clinic,
        "status": status,
        "status_label": selectors.STATUS_LABELS[status],
        "text": text,
        "text_hash": documents.sha256_text(text),
        "text_matches": documents.sha256_text(text) == consent.rendered_text_sha256,
        "form_hash": documents.sha256_of(form.canonical()),
        "form_matches": documents.sha256_of(form.canonical()) == consent.form_sha256 == form.content_sha256,
        "row_check": row,
        "badge": integrity.badge(row, integrity.latest_run(), scope.slugs),
        "answers": _answers(screening.questionnaire_version.items, screening.answers),
        "reasons": [{**r, "outcome_label": _outcome_label(r.get("outcome", ""))} for r in screening.reasons or []],
        "acknowledgements": [a for a in form.acknowledgements if a["id"] in consent.acknowledgements],
        "signature_meaning": SIGNATURE_MEANING,
        "signature_src": access.signature_data_uri(consent),
        "appointments": list(consent.appointments.all()),
    }


def _answers(items: list[dict[str, Any]], answers: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        value = answers.get(item["id"])
        option = next((o for o in item.get("options", []) if o["value"] == value), None)
        if option is not None:
            outcome = option.get("outcome", "clear")
        elif value and item.get("if_answered"):
            outcome = item["if_answered"].get("outcome", "clear")
        else:
            outcome = ""
        out.append(
            {
                "question": item["text"],
                "answer": option["label"] if option else (value or gettext("No answer")),
                "outcome": outcome,
                "outcome_label": _outcome_label(outcome),
            }
        )
    return out


def _outcome_label(outcome: str) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome.capitalize()))


@clinic_admin_required
@require_GET
def consent_download(request: HttpRequest, scope: AdminScope, pk: int) -> HttpResponse:
    consent = _get_consent(scope, pk)
    zone = scope.clinic_of(consent.scope).time_zone
    body = access.signed_pdf(consent, user=scope.user, channel="pdf", ip_address=scope.ip_address, zone=zone)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="consent-{consent.pk}.pdf"'
    return response


@clinic_admin_required
@require_GET
def patient_fhir(request: HttpRequest, scope: AdminScope, pk: int) -> HttpResponse:
    patient = Patient.objects.filter(patients_of(list(scope.clinics)), pk=pk).select_related("user").distinct().first()
    if patient is None:
        raise Http404("No patient with that number at your clinics.")
    try:
        bundle = exports.patient_bundle(
            patient,
            clinics=scope.clinics,
            actor=exports.Actor(scope.user, scope.user.role, "staff_page", scope.ip_address),
        )
    except FhirInvalid as exc:  # nothing was exported, and nothing logged: the transaction rolled back
        messages.error(
            request,
            gettext("The FHIR export could not be built, so nothing was exported: %(problem)s") % {"problem": exc},
        )
        return redirect(f"{reverse('audit:consents')}?{urlencode({'q': patient.user.email})}")
    response = HttpResponse(json.dumps(bundle, indent=2, ensure_ascii=False), content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}-fhir-r4b.json"'
    return response
