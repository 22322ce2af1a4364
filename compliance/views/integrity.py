"""The integrity page: the latest chain checks, and a button that runs one now."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from compliance import integrity
from compliance.access import AdminScope, clinic_admin_required
from consent.models import ChainVerification


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def integrity_report(request: HttpRequest, scope: AdminScope) -> HttpResponse:
    if request.method == "POST":
        run = integrity.run_verification(trigger=ChainVerification.Trigger.PAGE, by=scope.user)
        if run.ok:
            mine = integrity.checked_of(run, scope.slugs)
            messages.success(
                request,
                ngettext(
                    "All %(n)s signed consent verified: every hash and link holds.",
                    "All %(n)s signed consents verified: every hash and link holds.",
                    mine or 0,
                )
                % {"n": mine},
            )
        else:
            failure = integrity.failure_for(run, scope.slugs)
            assert failure is not None  # the run failed
            messages.error(request, _("The chain is broken at %(where)s.") % {"where": failure.describe()})
        return redirect("audit:integrity")
    runs = list(ChainVerification.objects.select_related("by").order_by("-finished_at", "-id")[:20])
    # Each run checks every clinic's chain; an admin sees the counts of their own clinics only.
    for run in runs:
        run.mine = integrity.checked_of(run, scope.slugs)  # type: ignore[attr-defined]
        run.failure = integrity.failure_for(run, scope.slugs)  # type: ignore[attr-defined]
    context = {
        "staff_section": "integrity",
        "latest": runs[0] if runs else None,
        "runs": runs,
        "total": integrity.consents_of(scope.slugs),
        "clinics": scope.clinics,
    }
    return render(request, "compliance/integrity.html", context)
