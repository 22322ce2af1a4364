"""IHE ITI-115/116/117 over Acus's booking: find proposals, hold one, book it, cancel or move.

Every step is booking's own service (hold_appointment, confirm_appointment, consent_flow,
cancel_appointment, reschedule_appointment), so the web's rules hold here unchanged: the same
slot engine, hold time, limits, policy windows, Idempotency-Key and database guards against
double booking. What is the FHIR endpoint's own: reading a proposal id back (signed, see
interop.ids), the patient a client key names (interop.services.patients), and a needling visit
without consent cover, which waits for the patient on the web (a longer hold and a link)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Patient, User
from booking import consent_flow, errors, selectors, services
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Practitioner
from booking.services.locks import locked_appointment
from interop import ids, resources
from interop.parameters import BookRequest, FindQuery, ParameterError, PatientDetails, is_row_id
from interop.selectors import Caller, appointments
from interop.services.patients import patient_for_key

Status = Appointment.Status
# How long a needling visit booked from outside waits for the patient to screen and sign.
CONSENT_WAIT = timedelta(hours=24)
MAX_WINDOW = timedelta(days=62)


class NotFound(errors.BookingError):
    code = "not_found"
    status = 404


def appointment_for(caller: Caller, pk: int) -> Appointment:
    """One of the caller's visits (interop.selectors.appointments); anyone else's is not found."""
    found = appointments(caller).select_related("practitioner", "patient__user").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


@dataclass(frozen=True)
class Proposal:
    key: ids.SlotKey
    end: datetime
    appointment_type: AppointmentType
    clinic: Clinic


@dataclass(frozen=True)
class Booked:
    appointment: Appointment
    # Where the patient screens and signs, when the visit waits for them (else "").
    consent_link: str = ""


def find(*, caller: Caller, query: FindQuery, now: datetime) -> list[Proposal]:
    """Free times from the booking engine, as the web offers them; a client key sees its clinic's only."""
    if query.end - query.start > MAX_WINDOW:
        raise ParameterError("end", _("Ask for at most %(days)s days at a time.") % {"days": MAX_WINDOW.days})
    kinds = AppointmentType.objects.filter(active=True).select_related("clinic").order_by("pk")
    if caller.key is not None:
        kinds = kinds.filter(clinic=caller.key.clinic_id)
    if query.clinic_ids:
        kinds = kinds.filter(clinic__in=query.clinic_ids)
    if query.appointment_type_ids:
        kinds = kinds.filter(pk__in=query.appointment_type_ids)
    wanted: list[Practitioner | None] = list(Practitioner.objects.filter(pk__in=query.practitioner_ids))
    if not query.practitioner_ids:
        wanted = [None]  # "first available": one proposal per time, the least busy practitioner's
    found: dict[tuple[int, int, datetime], Proposal] = {}
    for kind in kinds:
        for practitioner in wanted:
            offered = selectors.available_slots(
                appointment_type=kind, practitioner=practitioner, start=query.start, end=query.end, now=now
            )
            for slot in offered:
                key = ids.SlotKey(slot.practitioner_id, kind.pk, slot.start)
                found[(key.practitioner_id, kind.pk, slot.start)] = Proposal(key, slot.end, kind, kind.clinic)
    ordered = sorted(found.values(), key=lambda p: (p.key.start, p.key.appointment_type_id, p.key.practitioner_id))
    return ordered[: query.count]


def _patient(caller: Caller, details: PatientDetails | None) -> Patient:
    """A patient books for themselves (whatever the body says); a key names the patient."""
    if caller.patient is not None:
        return caller.patient
    assert caller.key is not None
    if details is None:
        raise ParameterError("patient-resource", _("Name the patient: their email address and date of birth."))
    return patient_for_key(caller.key, details=details)


def _proposal(caller: Caller, proposal_id: str) -> tuple[AppointmentType, Practitioner, datetime]:
    """What a proposal from $find names, if it is genuine and the caller's to hold."""
    key = ids.parse_proposed_id(proposal_id)
    kind = AppointmentType.objects.select_related("clinic").filter(pk=key.appointment_type_id).first() if key else None
    practitioner = Practitioner.objects.filter(pk=key.practitioner_id).first() if key else None
    if key is None or kind is None or practitioner is None:
        raise NotFound(_("This proposed appointment is unknown here. Ask $find for times again."))
    if caller.key is not None and kind.clinic_id != caller.key.clinic_id:
        raise NotFound(_("This proposed appointment is unknown here. Ask $find for times again."))
    return kind, practitioner, key.start


def hold(
    *,
    caller: Caller,
    proposal_id: str,
    patient: PatientDetails | None = None,
    idempotency_key: str | None = None,
    now: datetime,
    hold_until: datetime | None = None,
) -> Appointment:
    """ITI-116: a proposal becomes an Acus hold, for the clinic's hold time, as on the web."""
    if not proposal_id.startswith("p"):
        raise NotFound(_("This proposed appointment is unknown here. Ask $find for times again."))
    kind, practitioner, start = _proposal(caller, proposal_id)
    return services.hold_appointment(
        _patient(caller, patient),
        appointment_type=kind,
        start=start,
        practitioner=practitioner,
        idempotency_key=idempotency_key,
        now=now,
        hold_until=hold_until,
    )


def book(*, caller: Caller, request: BookRequest, idempotency_key: str | None = None, now: datetime) -> Booked:
    """ITI-117: book a proposal or a held visit; or, given an existing visit whole, cancel or move it."""
    if request.reference.startswith("p"):
        # All or nothing: a proposal booked in one call leaves no stray hold when booking refuses.
        with transaction.atomic():
            held = hold(
                caller=caller,
                proposal_id=request.reference,
                patient=request.patient,
                idempotency_key=idempotency_key,
                now=now,
            )
            return _confirm(caller, held, health_unchanged=request.health_unchanged, now=now)
    if not request.reference.isdigit():
        raise ParameterError("appointment-reference", _("Name a proposed appointment from $find or one of yours."))
    if not is_row_id(request.reference):
        raise NotFound(_("Not found."))
    appointment = appointment_for(caller, int(request.reference))
    if request.status == "cancelled" or _moves(appointment, request):
        return Booked(update(caller=caller, appointment=appointment, request=request, now=now))
    return _confirm(caller, appointment, health_unchanged=request.health_unchanged, now=now)


def _moves(appointment: Appointment, request: BookRequest) -> bool:
    moved_time = request.start is not None and request.start != appointment.start
    moved_person = request.practitioner_id is not None and request.practitioner_id != appointment.practitioner_id
    return moved_time or moved_person


def update(*, caller: Caller, appointment: Appointment, request: BookRequest, now: datetime) -> Appointment:
    """An Appointment sent back changed: status cancelled cancels; a new start (or practitioner)
    moves it. The clinic's cancellation window applies as on the web; nothing else may change."""
    actor = appointment.patient.user
    if request.status == "cancelled":
        if appointment.status in (Status.CANCELLED, Status.DECLINED):
            return appointment  # already so: a retry
        return services.cancel_appointment(appointment, actor=actor, reason=_reason(caller), now=now)
    if _moves(appointment, request):
        target = None
        if request.practitioner_id is not None and request.practitioner_id != appointment.practitioner_id:
            target = Practitioner.objects.filter(pk=request.practitioner_id).first()
            if target is None:
                raise ParameterError("Appointment.participant.actor", _("This does not name a known resource."))
        start = request.start or appointment.start
        return services.reschedule_appointment(appointment, actor=actor, start=start, practitioner=target, now=now)
    if request.status and request.status != resources.APPOINTMENT_STATUS[appointment.status]:
        # Booking is $book's (it runs the consent rules); an update only cancels or moves.
        raise errors.InvalidTransition(
            _("An update can cancel or move a visit; to book it, use $book."), code="unsupported_change"
        )
    return appointment


def _reason(caller: Caller) -> str:
    # Staff read it in the visit's history: which system cancelled, as the audit says too.
    return f"cancelled through {caller.key.name}" if caller.key is not None else ""


def _confirm(caller: Caller, appointment: Appointment, *, health_unchanged: bool | None, now: datetime) -> Booked:
    """Confirm as the web does: at once without needling; with needling through the patient's
    consent. Only the patient may say their health has not changed (health-unchanged, with their
    own token), as the web asks them; otherwise the visit waits for them on the web."""
    patient = appointment.patient
    if appointment.status in (Status.CONFIRMED, Status.PENDING_REVIEW):
        return Booked(appointment, _link(appointment) if _waits_for_patient(appointment) else "")
    if not appointment.appointment_type.involves_needling:
        return Booked(services.confirm_appointment(appointment, actor=patient.user, now=now))
    own_word = caller.patient is not None and health_unchanged is True
    if own_word and consent_flow.existing_cover(patient, appointment) is not None:
        try:
            confirmed = consent_flow.confirm_with_existing_consent(
                patient, appointment_id=appointment.pk, health_unchanged=True
            )
            return Booked(confirmed)
        except consent_flow.ConsentRequired:
            pass  # the visit needs a new signature after all: the web asks for it
    return Booked(extend_hold(appointment, actor=patient.user, now=now), _link(appointment))


def pending_link(appointment: Appointment) -> str:
    """The consent link for a needling visit that waits for the patient's screening and signature."""
    if not appointment.appointment_type.involves_needling:
        return ""
    if appointment.status == Status.HELD or _waits_for_patient(appointment):
        return _link(appointment)
    return ""


def _waits_for_patient(appointment: Appointment) -> bool:
    return (
        appointment.status == Status.PENDING_REVIEW
        and appointment.appointment_type.involves_needling
        and appointment.consent_id is None
    )


def _link(appointment: Appointment) -> str:
    """The patient's page for this visit: it leads them through their details, the health
    questions and the consent (booking.views.steps), after signing in with their email."""
    return settings.SITE_URL + reverse("booking:appointment", args=[appointment.pk])


def consent_deadline(appointment: Appointment, now: datetime) -> datetime:
    """As long as the patient can be given: a day, but never past the clinic's minimum notice."""
    return min(appointment.start - appointment.clinic.policy.min_notice, now + CONSENT_WAIT)


def extend_hold(appointment: Appointment, *, actor: User | None, now: datetime) -> Appointment:
    """Give the patient time to screen and sign: a running hold lasts until consent_deadline
    (never shorter than it already was). Recorded on the visit's history as a hold."""
    with transaction.atomic():
        appt = locked_appointment(appointment)
        if appt.status != Status.HELD or appt.hold_expires_at is None or appt.hold_expires_at <= now:
            if appt.status == Status.HELD:
                raise errors.HoldExpired(_("The hold on this time ran out. Please choose a time again."))
            return appt
        until = consent_deadline(appt, now)
        if until > appt.hold_expires_at:
            appt.hold_expires_at = until
            appt.save(update_fields=["hold_expires_at", "updated_at"])
            services.record_event(
                appt, AppointmentEvent.Action.HELD, actor, extended_until=until.isoformat(), waits_for="consent"
            )
    return appt
