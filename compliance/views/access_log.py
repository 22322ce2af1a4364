"""Who looked at which consent, when, how and from where: the access log, filtered."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from compliance import selectors
from compliance.access import AdminScope, clinic_admin_required
from compliance.forms import AccessLogFilterForm
from compliance.views.common import filters_of


@clinic_admin_required
@require_GET
def access_log(request: HttpRequest, scope: AdminScope) -> HttpResponse:
    form = AccessLogFilterForm(request.GET, scope=scope)
    context: dict[str, Any] = {"staff_section": "access_log", "form": form, "clinics": scope.by_slug}
    if not form.is_valid():
        return render(request, "compliance/access_log.html", context, status=400)
    page = Paginator(selectors.access_log(form.query()), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(page=page, query=urlencode(filters_of(form)))
    return render(request, "compliance/access_log.html", context)
