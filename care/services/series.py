"""Booking the rest of a course in one step: propose a visit per remaining session, then hold
them all at once, all or nothing.

propose_series reads the practitioner's free slots with booking's own slot engine
(booking.selectors.available_slots, five queries for the whole range), drops the times the patient
is already booked elsewhere, and lets care.series_planner place each session.

book_series proposes again and, when the caller passes the starts they were shown, refuses if the
free times changed meanwhile (SeriesChanged, with the new proposal). Then ONE transaction: the
patient's row lock, then the practitioner's (booking's lock order), holds that ran out released,
every start checked against one load of the schedule, the appointments inserted (the exclusion
constraints stay the final guard), the HELD audit rows and the CourseVisit rows written. A session
that cannot be held rolls the whole series back: SeriesUnavailable names it (409), and a fresh
proposal can be asked for at once.

Consent for dry needling (FACTS.md section 3: one consent covers later visits while nothing
changes; a new treating practitioner needs a new one):
- The patient's consent already covers visits with the plan's practitioner up to the series' last
  visit (booking.consent_flow.existing_cover's rule: consent_cover for the clinic, signed for
  this practitioner): the patient (or the practitioner, on the patient's word) confirms that
  nothing has changed in their health since that consent, and every visit is linked to it and
  confirmed in the same transaction through consent_flow.confirm_with_existing_consent; a
  consent whose screening review is still undecided sends the visits to wait for that review.
  Without that answer the series is refused (HealthQuestion), nothing is held.
- No such consent (first needling visit, another practitioner's consent, or one that runs out
  before the last visit): only the FIRST session is held, and the patient goes through booking's
  normal steps for it (health questions, consent form, signature), with that hold's usual timer.
  Once it is signed, the remaining sessions are proposed again and are covered. So no needling
  visit waits unconfirmed for a signature. A practitioner cannot sign for the patient: for them
  the series is refused (ConsentRequired).
- A treatment without needling: every visit is confirmed at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from booking import consent_flow, errors
from booking import selectors as booking_selectors
from booking.availability import occupancy
from booking.models import Appointment, AppointmentEvent
from booking.services.checks import check_offers
from booking.services.holds import release_expired_holds
from booking.services.locks import lock_patient, lock_practitioners
from booking.signals import Change, appointment_changed
from care import series_planner as planner
from care.models import CarePlan, CourseVisit, PlanStatus
from care.selectors import series as selectors
from consent import selectors as consent_selectors
from core import formats, metrics

Status = Appointment.Status
OPEN = (PlanStatus.PROPOSED, PlanStatus.ACTIVE)


@dataclass(frozen=True)
class ProposedVisit:
    number: int
    start: datetime | None  # UTC; None: no free time in the spacing window
    wanted: datetime  # the chosen weekday and time aimed for, in the clinic's zone
    moved: str  # CourseVisit.Moved's value
    reason: str  # why, in words; "" when not moved


@dataclass(frozen=True)
class Proposal:
    plan_id: int
    weekday: int
    time_of_day: time
    visits: tuple[ProposedVisit, ...]
    # "none" (no needling), "covered" (an existing consent covers every visit), "first_visit"
    # (only the first is booked now, through the consent steps).
    consent: str = "none"
    consent_since: date | None = None  # the covering consent's date, for the health question

    @property
    def complete(self) -> bool:
        return all(visit.start is not None for visit in self.visits)

    @property
    def starts(self) -> list[datetime | None]:
        return [visit.start for visit in self.visits]


@dataclass
class Booked:
    visits: list[CourseVisit] = field(default_factory=list)
    # Set when only the first visit was held: the patient signs for it through booking's steps.
    needs_consent: Appointment | None = None


class SeriesError(errors.BookingError):
    """A series was refused; `proposal`, when set, is a fresh one to show instead."""

    def __init__(self, message: str, *, proposal: Proposal | None = None, session: int | None = None) -> None:
        super().__init__(message)
        self.proposal = proposal
        self.session = session


class PlanNotOpen(SeriesError):
    code = "plan_not_open"


class NothingToBook(SeriesError):
    code = "nothing_to_book"


class SeriesIncomplete(SeriesError):
    code = "series_incomplete"


class SeriesChanged(SeriesError):
    code = "series_changed"


class SeriesUnavailable(SeriesError):
    code = "slot_unavailable"


class HealthQuestion(SeriesError):
    code = "health_question"


class ConsentRequired(SeriesError):
    code = "consent_required"


def _check_open(plan: CarePlan) -> None:
    if plan.status not in OPEN:
        raise PlanNotOpen(_("Visits can be booked only for a proposed or active plan."))


def propose_series(plan: CarePlan, *, weekday: int, time_of_day: time, now: datetime | None = None) -> Proposal:
    """One proposed visit per unbooked session of the plan (none when all are booked)."""
    now = now or timezone.now()
    _check_open(plan)
    clinic, zone = plan.clinic, plan.clinic.zone
    booked = list(selectors.booked_visits(plan, now))
    numbers = selectors.free_numbers(plan, booked)
    earliest = (now + clinic.policy.min_notice).astimezone(zone).date()
    after = max((v.appointment.start for v in booked), default=None)
    request = planner.Request(
        first_number=1,
        count=len(numbers),
        spacing_days=plan.spacing_days,
        weekday=weekday,
        time_of_day=time_of_day,
        zone=zone,
        earliest=earliest,
        after=after.astimezone(zone).date() if after else None,
    )
    planned = planner.plan_series(request, _free_starts(plan, request, now)) if numbers else []
    visits = tuple(
        ProposedVisit(number, p.start, p.wanted, p.moved.value, _reason(p, plan))
        for number, p in zip(numbers, planned, strict=True)
    )
    consent, since = _consent_mode(plan, visits)
    return Proposal(plan.pk, weekday, time_of_day, visits, consent, since)


def _free_starts(plan: CarePlan, request: planner.Request, now: datetime) -> planner.FreeStarts:
    zone = request.zone
    _, high = planner.window(plan.spacing_days)
    # The first visit falls at most 6 + 2 days after its earliest day, each next one `high` later.
    first = max(request.after or request.earliest, request.earliest)
    last = first + timedelta(days=6 + planner.TOLERANCE_DAYS + request.count * high)
    start = datetime.combine(request.earliest, time(0), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), zone).astimezone(UTC)
    slots = booking_selectors.available_slots(
        appointment_type=plan.appointment_type, practitioner=plan.practitioner, start=start, end=end, now=now
    )
    # The patient's own other bookings (with anyone): a visit must not clash with them.
    own = list(
        Appointment.objects.filter(
            booking_selectors.live_appointments(now), patient_id=plan.patient_id, start__lt=end, end__gt=start
        ).values_list("start", "end")
    )
    by_day: dict[date, list[datetime]] = {}
    for slot in slots:
        if any(slot.start < o_end and slot.end > o_start for o_start, o_end in own):
            continue
        by_day.setdefault(slot.start.astimezone(zone).date(), []).append(slot.start)
    return lambda day: by_day.get(day, [])


def _reason(visit: planner.PlannedVisit, plan: CarePlan) -> str:
    wanted = visit.wanted
    words = {"day": formats.day(wanted), "time": formats.clock(wanted), "days": plan.spacing_days}
    if visit.reason == planner.Reason.TAKEN:
        return _("%(time)s on %(day)s is not free: this is the nearest free time that day.") % words
    if visit.reason == planner.Reason.DAY_FULL:
        return _("%(day)s has no free time: this is the nearest day that keeps to your plan's spacing.") % words
    if visit.reason == planner.Reason.SPACING:
        return _("Your plan's spacing of %(days)s days does not fall on your chosen weekday here.") % words
    if visit.reason == planner.Reason.NO_TIME:
        return _("No free time near %(day)s that keeps to your plan's spacing.") % words
    return ""


def _consent_mode(plan: CarePlan, visits: Sequence[ProposedVisit]) -> tuple[str, date | None]:
    if not plan.appointment_type.involves_needling or not visits:
        return "none", None
    starts = [v.start for v in visits if v.start is not None]
    last = max(starts, default=None)
    if last is None:
        return "first_visit", None
    clinic = plan.clinic
    cover = consent_selectors.consent_cover(
        plan.patient, scope=clinic.slug, valid_since=clinic.consent_valid_since(last)
    )
    if cover is None or consent_flow.signed_for_practitioner(cover.consent) != plan.practitioner_id:
        return "first_visit", None
    return "covered", cover.consent.signed_at.astimezone(clinic.zone).date()


def book_series(
    plan: CarePlan,
    *,
    actor: User,
    weekday: int,
    time_of_day: time,
    starts: Sequence[datetime] | None = None,
    health_unchanged: bool = False,
    now: datetime | None = None,
) -> Booked:
    """Hold (and, when consent allows, confirm) a visit for every unbooked session, or none.

    `starts`: the proposal the caller saw; when the free times changed since, SeriesChanged
    carries the new one and nothing is booked."""
    now = now or timezone.now()
    proposal = propose_series(plan, weekday=weekday, time_of_day=time_of_day, now=now)
    if not proposal.visits:
        raise NothingToBook(_("Every session of this plan is already booked."))
    if starts is not None and [s.astimezone(UTC) for s in starts] != proposal.starts:
        raise SeriesChanged(
            _("The free times have changed since you looked. Please check the new proposal."), proposal=proposal
        )
    if not proposal.complete:
        missing = next(v for v in proposal.visits if v.start is None)
        raise SeriesIncomplete(
            _("Session %(number)s has no free time within your plan's spacing. Please choose another weekday or time.")
            % {"number": missing.number},
            proposal=proposal,
            session=missing.number,
        )
    visits = list(proposal.visits)
    if proposal.consent == "covered" and not health_unchanged:
        raise HealthQuestion(
            _("Please confirm that nothing has changed in your health since %(date)s.")
            % {"date": formats.long_date(proposal.consent_since or now)},
            proposal=proposal,
        )
    if proposal.consent == "first_visit":
        if actor.pk != plan.patient.user_id:
            raise ConsentRequired(
                _(
                    "The patient has no consent to dry needling with this practitioner yet: they book the first "
                    "visit and sign, then the rest can be booked."
                ),
                proposal=proposal,
            )
        visits = visits[:1]
    with transaction.atomic():
        held = _hold_all(plan, visits, actor=actor, proposal=proposal, now=now)
        course = CourseVisit.objects.bulk_create(
            [
                CourseVisit(plan=plan, appointment=appt, number=v.number, moved=v.moved, moved_reason=v.reason[:300])
                for appt, v in zip(held, visits, strict=True)
            ]
        )
        if proposal.consent == "first_visit":
            return Booked(course, needs_consent=held[0])
        _confirm(held, plan, actor=actor, covered=proposal.consent == "covered")
    return Booked(course)


def _hold_all(
    plan: CarePlan, visits: list[ProposedVisit], *, actor: User, proposal: Proposal, now: datetime
) -> list[Appointment]:
    """booking.services.holds' steps for many starts at once, in its lock order."""
    kind, patient, pid = plan.appointment_type, plan.patient, plan.practitioner_id
    if not kind.active:
        raise errors.InvalidStart(_("This treatment cannot be booked at the moment."), code="appointment_type_inactive")
    lock_patient(patient.pk)
    lock_practitioners([pid])
    check_offers(plan.practitioner, kind)
    release_expired_holds(practitioner_id=pid, patient_id=patient.pk, now=now)
    starts = [v.start for v in visits if v.start is not None]
    first, last = min(starts), max(starts) + timedelta(minutes=1)
    schedule = booking_selectors.load_schedules(
        clinic=plan.clinic, practitioner_ids=[pid], start=first, end=last, now=now
    )[pid]
    # One schedule load for the whole series, then each start checked on its own: cheaper than
    # laying out every slot of the weeks in between.
    free = {
        start
        for start in starts
        if booking_selectors.offers_start(appointment_type=kind, schedule=schedule, start=start, now=now)
    }
    service = kind.service
    clashes = list(
        Appointment.objects.filter(booking_selectors.live_appointments(now), patient=patient)
        .filter(Q(start__lt=last + service.duration, end__gt=first))
        .values_list("start", "end")
    )
    rows = []
    for visit in visits:
        assert visit.start is not None
        end = visit.start + service.duration
        if visit.start not in free or any(visit.start < c_end and end > c_start for c_start, c_end in clashes):
            raise _taken(visit, plan)
        blocked = occupancy(visit.start, end, service)
        rows.append(
            Appointment(
                patient=patient,
                practitioner_id=pid,
                clinic=plan.clinic,
                appointment_type=kind,
                start=visit.start,
                end=end,
                blocked_start=blocked.start,
                blocked_end=blocked.end,
                status=Status.HELD,
                hold_expires_at=now + plan.clinic.hold_duration,
                time_zone=plan.clinic.time_zone,
                created_at=now,
            )
        )
    held = _insert(rows, visits, plan)
    metrics.count_after_commit(metrics.HOLDS, len(held))
    AppointmentEvent.objects.bulk_create(
        [
            AppointmentEvent(
                appointment=appt,
                action=AppointmentEvent.Action.HELD,
                actor=actor,
                data={"start": appt.start.isoformat(), "practitioner": pid, "plan": plan.pk},
            )
            for appt in held
        ]
    )
    return held


def _insert(rows: list[Appointment], visits: list[ProposedVisit], plan: CarePlan) -> list[Appointment]:
    """All rows in one statement; if the database refuses (an overlap that got past the locks),
    again one by one, to name the session that failed."""
    try:
        with transaction.atomic():  # a savepoint: the outer transaction stays usable
            return Appointment.objects.bulk_create(rows)
    except IntegrityError:
        pass
    for row, visit in zip(rows, visits, strict=True):
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            raise _taken(visit, plan) from None
    return rows


def _taken(visit: ProposedVisit, plan: CarePlan) -> SeriesUnavailable:
    assert visit.start is not None
    when = formats.day_at(visit.start.astimezone(plan.clinic.zone))
    return SeriesUnavailable(
        _("Session %(number)s (%(when)s) has just been taken, so nothing was booked. Please look at the new proposal.")
        % {"number": visit.number, "when": when},
        session=visit.number,
    )


def _confirm(held: list[Appointment], plan: CarePlan, *, actor: User, covered: bool) -> None:
    if covered:
        for appt in held:
            # The health answer was given for the whole series (book_series checked it).
            consent_flow.confirm_with_existing_consent(plan.patient, appointment_id=appt.pk, health_unchanged=True)
            appt.refresh_from_db(fields=["status", "consent", "screening", "hold_expires_at"])
        return
    # confirm_appointment's write for all at once, then its audit row and news for each
    # (booking.services.events.record_event, in bulk): notifications hears of every visit.
    Appointment.objects.filter(pk__in=[a.pk for a in held]).update(
        status=Status.CONFIRMED, hold_expires_at=None, updated_at=timezone.now()
    )
    AppointmentEvent.objects.bulk_create(
        [AppointmentEvent(appointment=a, action=AppointmentEvent.Action.CONFIRMED, actor=actor, data={}) for a in held]
    )
    metrics.count_after_commit(metrics.BOOKINGS, len(held))
    for appt in held:
        appt.status, appt.hold_expires_at = Status.CONFIRMED, None
        appointment_changed.send(sender=Appointment, appointment=appt, change=Change.CONFIRMED, actor=actor)
