"""The review queue: screenings waiting for this practitioner's decision, oldest first.

The decision itself is taken on the appointment page (views_appointment.review),
where the answers, the consent and the earlier notes are in view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from accounts.decorators import staff_verified_required
from workspace.selectors import reviews
from workspace.views.base import page, user_of


@staff_verified_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    waiting = reviews.review_queue(user_of(request))
    return page(request, "workspace/reviews.html", "reviews", {"entries": waiting})
