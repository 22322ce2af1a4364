"""Today (a day list, for the phone) and the week (a grid on a desk, a list on a phone).

Days start and end in the clinic's zone; a clinic admin sees every practitioner at
the clinics they run and may narrow the view to one clinic or one practitioner."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import staff_verified_required
from accounts.models import User
from care.models import CarePlan
from care.selectors import plans as plan_selectors
from care.selectors.course import not_improving
from workspace import expiry
from workspace.selectors import calendar_queries, reviews, visibility
from workspace.selectors.badges import Entry
from workspace.views.base import home_zone, page, parse_day, parse_id, user_of


def _filters(request: HttpRequest, user: User) -> dict[str, Any]:
    clinics = list(visibility.staff_clinics(user))
    clinic = next((c for c in clinics if c.pk == parse_id(request.GET.get("clinic"))), None)
    zone = clinic.zone if clinic else home_zone(clinics)
    people = visibility.administered_practitioners(user) if user.role == User.Role.CLINIC_ADMIN else []
    people = list(people)
    practitioner = next((p for p in people if p.pk == parse_id(request.GET.get("practitioner"))), None)
    own = visibility.practitioner_of(user)
    today = timezone.localdate(timezone=zone)
    return {
        "clinics": clinics,
        "clinic": clinic,
        "zone": zone,
        "zone_name": str(zone),
        "practitioners": people,
        "practitioner": practitioner,
        "own": own,
        "today": today,
        "show_practitioner": bool(people) and practitioner is None,
        "warnings": expiry.expiring_credentials(today=today, practitioner=own) if own else [],
        "reviews_waiting": len(reviews.review_queue(user)),
        "query": _query(clinic, practitioner),
    }


def _query(clinic: Any, practitioner: Any) -> str:
    parts = []
    if clinic is not None:
        parts.append(f"clinic={clinic.pk}")
    if practitioner is not None:
        parts.append(f"practitioner={practitioner.pk}")
    return "&".join(parts)


@staff_verified_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = _filters(request, user)
    day: date = parse_day(request.GET.get("day")) or context["today"]
    start, end = calendar_queries.day_bounds(day, context["zone"])
    found = calendar_queries.calendar(
        user, start=start, end=end, clinic=context["clinic"], practitioner=context["practitioner"]
    )
    context.update(
        {
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "entries": found,
            "rows": _with_review_flags(user, found, context["today"]),
            "is_today": day == context["today"],
        }
    )
    return page(request, "workspace/today.html", "today", context)


def _with_review_flags(user: User, found: list[Entry], today: date) -> list[tuple[Entry, CarePlan | None]]:
    """Each entry with the plan to review, if its patient has an active plan with this visit's
    practitioner that reached its review date without a meaningful improvement (two queries)."""
    if not found:
        return []
    plans = plan_selectors.staff_plans(user).filter(patient_id__in={e.appointment.patient_id for e in found})
    flagged = {(plan.patient_id, plan.practitioner_id): plan for plan in not_improving(plans, today)}
    return [(e, flagged.get((e.appointment.patient_id, e.appointment.practitioner_id))) for e in found]


@staff_verified_required
@require_GET
def week(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = _filters(request, user)
    days = calendar_queries.week_of(parse_day(request.GET.get("week")) or context["today"])
    start, _ = calendar_queries.day_bounds(days[0], context["zone"])
    _, end = calendar_queries.day_bounds(days[-1], context["zone"])
    found = calendar_queries.calendar(
        user, start=start, end=end, clinic=context["clinic"], practitioner=context["practitioner"]
    )
    context.update(
        {
            "days": calendar_queries.by_local_day(found, days, context["zone"]),
            "first": days[0],
            "last": days[-1],
            "previous": days[0] - timedelta(days=7),
            "next": days[0] + timedelta(days=7),
            "count": len(found),
        }
    )
    return page(request, "workspace/week.html", "week", context)
