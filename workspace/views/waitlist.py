"""The staff waitlist: per practitioner and day, the patients waiting who could use that time
(in joining order), the practitioner's free times to offer them, the times freed that day with
their offers; an entry's offer history; and the clinic's fill statistics.

Who sees what (the workspace's schedule rule, workspace/selectors/visibility.py): a
practitioner sees their own waitlist, a clinic admin that of every practitioner at the clinics
they run, and only entries at those clinics; any other practitioner or entry id is a 404. The
statistics are for clinic admins only (the clinics they run): they measure the clinic, not one
practitioner's work. Patients never reach these pages (OTP-verified staff only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_verified_required
from accounts.models import User
from booking.errors import BookingError
from booking.models import Clinic, Practitioner
from waitlist.models import Entry, PartOfDay, WaitlistSettings
from waitlist.selectors import staff as waitlist_staff
from waitlist.selectors.stats import fill_stats
from waitlist.services.offers import offer_to
from workspace.forms_waitlist import OfferForm, PeriodForm
from workspace.selectors import visibility
from workspace.views.base import home_zone, page, parse_day, parse_id, user_of


@dataclass(frozen=True)
class Scope:
    people: list[Practitioner]
    practitioner: Practitioner
    clinics: list[Clinic]
    day: date
    today: date

    @property
    def query(self) -> str:
        return urlencode({"day": self.day.isoformat(), "practitioner": self.practitioner.pk})


def _scope(request: HttpRequest, source: Any) -> Scope | None:
    user = user_of(request)
    people = visibility.manageable_practitioners(user)
    wanted = parse_id(source.get("practitioner"))
    practitioner = next((p for p in people if p.pk == wanted), None) if wanted else (people[0] if people else None)
    if practitioner is None:
        if wanted:
            raise Http404("Not a practitioner whose waitlist you see")
        return None
    allowed = visibility.staff_clinics(user).values("pk")
    clinics = list(practitioner.clinics.filter(pk__in=allowed).order_by("name", "pk"))
    today = timezone.localdate(timezone=home_zone(clinics))
    return Scope(people, practitioner, clinics, parse_day(source.get("day")) or today, today)


def notice_words(minutes: int) -> str:
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


def parts_words(entry: Entry) -> str:
    labels = dict(PartOfDay.choices)
    chosen = [str(labels[part]) for part in entry.parts_of_day if part in labels]
    return ", ".join(chosen) if chosen else _("Any time of day")


def _board(scope: Scope, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    entries = list(waitlist_staff.entries_for(scope.practitioner, scope.day, clinics=scope.clinics))
    types = {e.appointment_type_id: e.appointment_type for e in entries}.values()
    free = waitlist_staff.free_times(scope.practitioner, scope.day, types, now=now)
    freed = []
    if scope.clinics:
        start, end = waitlist_staff.day_bounds(scope.day, scope.clinics[0])
        freed = waitlist_staff.freed_on(scope.practitioner, start, end)
    rows = [
        {
            "entry": e,
            "free": free.get(e.appointment_type_id, []),
            "notice": notice_words(e.notice_minutes),
            "parts": parts_words(e),
        }
        for e in entries
    ]
    return {
        "scope": scope,
        "zone": home_zone(scope.clinics),
        "rows": rows,
        "freed": freed,
        "previous": scope.day - timedelta(days=1),
        "next": scope.day + timedelta(days=1),
        "offer_errors": {},
        **extra,
    }


@staff_verified_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    scope = _scope(request, request.GET)
    context = _board(scope) if scope else {"scope": None}
    return page(request, "workspace/waitlist/board.html", "waitlist", context)


@staff_verified_required
@require_POST
def offer(request: HttpRequest) -> HttpResponse:
    scope = _scope(request, request.POST)
    if scope is None:
        raise Http404("No practitioner")
    entry = waitlist_staff.visible_entry(
        scope.practitioner, scope.day, parse_id(request.POST.get("entry")) or 0, clinics=scope.clinics
    )
    if entry is None:
        raise Http404("Not an entry you can offer this time to")
    free = waitlist_staff.free_times(scope.practitioner, scope.day, [entry.appointment_type], now=timezone.now())
    form = OfferForm(
        request.POST, starts=[s.start for s in free[entry.appointment_type_id]], treatment_id=entry.appointment_type_id
    )
    if form.is_valid():
        try:
            offer_to(
                entry,
                practitioner=scope.practitioner,
                appointment_type=entry.appointment_type,
                start=form.chosen_start(),
                by=user_of(request),
            )
        except BookingError as exc:
            form.add_error("start", exc.message)
        else:
            messages.success(request, _("The offer is on its way to the patient."))
            return redirect(f"{reverse('staff:waitlist')}?{scope.query}")
    errors = {entry.pk: [str(e) for errs in form.errors.values() for e in errs]}
    return page(request, "workspace/waitlist/board.html", "waitlist", _board(scope, offer_errors=errors), status=400)


@staff_verified_required
@require_GET
def offers(request: HttpRequest) -> HttpResponse:
    """One entry's offers, with every time in their life: a practitioner sees entries for them
    or for anyone at their clinics; an admin those at the clinics they run."""
    user = user_of(request)
    people = [p.pk for p in visibility.manageable_practitioners(user)]
    clinics = visibility.staff_clinics(user)
    if user.role != User.Role.CLINIC_ADMIN:
        clinics = clinics.filter(practitioners__pk__in=people)
    found = (
        Entry.objects.filter(Q(practitioner__in=people) | Q(practitioner__isnull=True), clinic__in=clinics.values("pk"))
        .select_related("patient", "appointment_type", "clinic", "practitioner")
        .filter(pk=parse_id(request.GET.get("entry")) or 0)
        .first()
    )
    if found is None:
        raise Http404("Not an entry you may see")
    context = {
        "entry": found,
        "zone": found.clinic.zone,
        "history": waitlist_staff.entry_offers(found),
        "notice": notice_words(found.notice_minutes),
        "parts": parts_words(found),
    }
    return page(request, "workspace/waitlist/offers.html", "waitlist", context)


@staff_verified_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    run = list(Clinic.objects.filter(admins=user).order_by("name", "pk")) if user.role == User.Role.CLINIC_ADMIN else []
    if not run:
        raise Http404("Clinic admins only")
    clinic = next((c for c in run if c.pk == parse_id(request.GET.get("clinic"))), run[0])
    today = timezone.localdate(timezone=clinic.zone)
    defaults = {"from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat()}
    data = {key: request.GET.get(key) or value for key, value in defaults.items()}
    form = PeriodForm(data)
    context: dict[str, Any] = {
        "form": form,
        "clinics": run,
        "clinic": clinic,
        "settings": WaitlistSettings.objects.filter(clinic=clinic).first() or WaitlistSettings(clinic=clinic),
    }
    if not form.is_valid():
        return page(request, "workspace/waitlist/stats.html", "waitlist_stats", context, status=400)
    first, last = form.cleaned_data["from"], form.cleaned_data["to"]
    start = waitlist_staff.day_bounds(first, clinic)[0]
    end = waitlist_staff.day_bounds(last, clinic)[1]
    context.update({"first": first, "last": last, "stats": fill_stats([clinic], start=start, end=end)})
    return page(request, "workspace/waitlist/stats.html", "waitlist_stats", context)
