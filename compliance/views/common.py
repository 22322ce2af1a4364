"""What the audit pages share: no copy of a page kept in any cache, and the filters as a query string."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpResponse, QueryDict


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def filters_of(form: Form) -> list[tuple[str, str]]:
    """The filters as submitted (not the page, nor a CSRF token), for links and hidden fields."""
    data = form.data
    assert isinstance(data, QueryDict)
    return [(k, v) for k, values in data.lists() if k in form.fields for v in values if v]
