"""Patient pages: a waitlist offer's link (GET shows the time, POST claims it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.decorators import patient_required
from booking.views.common import patient_of
from waitlist.models import Offer
from waitlist.services import offers


@patient_required
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, token: str) -> HttpResponse:
    patient = patient_of(request)
    found = offers.offer_for(token, patient=patient)  # another patient's link is a 404
    now = timezone.now()
    if request.method == "POST":
        try:
            visit = offers.claim(token, patient=patient, now=now)
        except offers.OfferError as exc:
            return _gone(request, found, exc.code or "offer_taken", status=409)
        return redirect("booking:appointment", pk=visit.pk)
    offers.mark_opened(found, now=now)
    if found.status not in offers.OPEN or found.expires_at <= now:
        code = "offer_expired" if found.status == Offer.Status.EXPIRED or found.expires_at <= now else "offer_taken"
        if found.status == Offer.Status.CLAIMED and found.claimed_id:
            return redirect("booking:appointment", pk=found.claimed_id)
        return _gone(request, found, code, status=200)
    context = {"offer": found, "clinic": found.appointment_type.clinic, "kind": found.appointment_type}
    return render(request, "waitlist/offers/offer.html", context)


def _gone(request: HttpRequest, found: Offer, code: str, *, status: int) -> HttpResponse:
    context = {
        "offer": found,
        "kind": found.appointment_type,
        "expired": code == "offer_expired",
        "times_url": reverse("booking:times", args=[found.appointment_type_id]),
    }
    return render(request, "waitlist/offers/gone.html", context, status=status)


urlpatterns: list[URLPattern] = [path("waitlist/offers/<str:token>/", offer, name="offer")]
