"""What the audit pages share: the filters as a query string. (No page is kept in any cache:
core.middleware.PrivateResponsesMiddleware marks every answer to a signed-in admin.)"""

from __future__ import annotations

from django.forms import Form
from django.http import QueryDict


def filters_of(form: Form) -> list[tuple[str, str]]:
    """The filters as submitted (not the page, nor a CSRF token), for links and hidden fields."""
    data = form.data
    assert isinstance(data, QueryDict)
    return [(k, v) for k, values in data.lists() if k in form.fields for v in values if v]
