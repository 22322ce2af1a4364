"""Offering freed time to the waitlist, claiming it, and passing unanswered offers on.

- offer_slot(slot): the slot's matches (waitlist.selectors.matching.matches_for) go to make_offers.
  Sequential mode: one offer at a time, to the first match not offered this slot yet, with an
  exclusive hold (a real HELD appointment for that patient, held as long as the offer runs).
  Broadcast mode: offers to the first broadcast_size matches, no hold; first to claim wins.
- An offer runs offer_minutes, never past the slot's start minus the patient's notice.
- Each offer's link carries a random secret; the offer keeps only its SHA-256. The secret travels
  to the sender in the outbox row's context (written in the same transaction), nowhere else.
- claim(secret): sequential, the hold is already the patient's; broadcast, hold_appointment races
  and the appointment's exclusion constraints pick the one winner (offer_one_claim_per_slot backs
  it). The patient then goes through the usual booking steps (details, health, consent, confirm).
- The slot counts as filled on claim (filled_at - freed_at is the time to fill): the claim is the
  moment the waitlist did its job; a claimed visit that is later let go frees its time again.
- pass_on_expired (beat): offers past their expiry end as expired (their hold released, reason
  offer_expired) and the slot goes to the next match."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Patient, User
from booking import errors
from booking.models import Appointment, AppointmentEvent, AppointmentType, Practitioner
from booking.services.checks import check_bookable
from booking.services.holds import hold_appointment
from core import metrics
from waitlist.models import Entry, FreedSlot, Mode, Offer, Reach, WaitlistSettings
from waitlist.selectors.matching import Match, matches_for

Status = Offer.Status
OPEN = (Status.QUEUED, Status.SENT)
EXPIRED_REASON = "offer_expired"


class OfferError(errors.BookingError):
    """The offer cannot be claimed: expired, taken, or no longer open."""


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def settings_of(clinic_id: int) -> WaitlistSettings:
    found = WaitlistSettings.objects.filter(clinic_id=clinic_id).first()
    return found or WaitlistSettings(clinic_id=clinic_id)


def offer_slot(slot: FreedSlot, *, now: datetime | None = None) -> list[Offer]:
    """Offer a freed slot to its next matches (the Celery task fill_slot calls this)."""
    now = now or timezone.now()
    return make_offers(slot, matches_for(slot, now=now), now=now)


def make_offers(
    slot: FreedSlot, matches: Sequence[Match], *, now: datetime, by: User | None = None, extra: bool = False
) -> list[Offer]:
    """The offers due for `slot` among `matches` (in queue order); entries already offered this
    slot are skipped, so calling it again after an offer ended offers the next one."""
    config = settings_of(slot.clinic_id)
    with transaction.atomic():
        # One writer per slot at a time: two beat runs never offer the same slot twice over.
        slot = FreedSlot.objects.select_for_update().get(pk=slot.pk)
        if slot.outcome != FreedSlot.Outcome.OPEN:
            return []
        offers = Offer.objects.filter(slot=slot)
        if offers.filter(status=Status.CLAIMED).exists():
            return []
        offered = set(offers.values_list("entry_id", flat=True))
        running = offers.filter(status__in=OPEN).count()
        wanted = 1 if config.mode == Mode.SEQUENTIAL else config.broadcast_size
        if extra:  # staff chose the patient: one more offer, whatever is running
            wanted = running + 1
        made: list[Offer] = []
        for match in matches:
            if running + len(made) >= wanted:
                break
            if match.entry.pk in offered or match.entry.status != Entry.Status.WAITING:
                continue
            offer = _offer(slot, match, config, now, by)
            if offer is not None:
                made.append(offer)
                offered.add(match.entry.pk)
    return made


def _expiry(match: Match, config: WaitlistSettings, now: datetime) -> datetime:
    latest = match.start - timedelta(minutes=match.entry.notice_minutes)
    return min(now + timedelta(minutes=config.offer_minutes), latest)


def _offer(slot: FreedSlot, match: Match, config: WaitlistSettings, now: datetime, by: User | None) -> Offer | None:
    expires = _expiry(match, config, now)
    if expires <= now:
        return None  # too soon for this patient's notice
    entry = match.entry
    hold = None
    if config.mode == Mode.SEQUENTIAL:
        try:
            with transaction.atomic():
                hold = hold_appointment(
                    entry.patient,
                    appointment_type=match.appointment_type,
                    start=match.start,
                    practitioner=slot.practitioner,
                    now=now,
                    hold_until=expires,
                )
        except errors.BookingError:
            return None  # the time or the patient is busy after all: the next match
    secret = secrets.token_urlsafe(32)
    offer = Offer.objects.create(
        slot=slot,
        entry=entry,
        start=match.start,
        appointment_type=match.appointment_type,
        practitioner=slot.practitioner,
        token_hash=hash_of(secret),
        hold=hold,
        offered_by=by,
        created_at=now,
        expires_at=expires,
    )
    _queue_message(offer, secret, now)
    return offer


def _queue_message(offer: Offer, secret: str, now: datetime) -> None:
    # By name: notifications sits above waitlist (the layers), its outbox is a plain table to us.
    from django.apps import apps

    notification = apps.get_model("notifications", "Notification")
    patient = offer.entry.patient
    # A text message only to a phone we have; else email, so the offer still reaches them.
    channel = "sms" if offer.entry.reach_by == Reach.SMS and patient.phone else "email"
    notification.objects.create(
        offer=offer,
        kind="waitlist_offer",
        channel=channel,
        due_at=now,
        next_attempt_at=now,
        created_at=now,
        context={"secret": secret},
    )


# --- Reading and claiming -------------------------------------------------------------------


def offer_for(secret: str, *, patient: Patient) -> Offer:
    """The patient's own offer behind a link; anyone else's (or no offer) is a 404."""
    offer = (
        Offer.objects.select_related("entry__patient", "appointment_type", "practitioner__user", "slot__clinic")
        .filter(token_hash=hash_of(secret), entry__patient=patient)
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def mark_opened(offer: Offer, *, now: datetime | None = None) -> None:
    """The first time the patient opens the link (idempotent)."""
    if offer.opened_at is None:
        offer.opened_at = now or timezone.now()
        Offer.objects.filter(pk=offer.pk, opened_at__isnull=True).update(opened_at=offer.opened_at)


def claim(secret: str, *, patient: Patient, now: datetime | None = None) -> Appointment:
    """The patient takes the offered time: a held appointment to continue booking from."""
    now = now or timezone.now()
    offer = offer_for(secret, patient=patient)
    if offer.status == Status.CLAIMED and offer.claimed is not None:
        raise OfferError(_("You have already used this link."), code="offer_used")
    if offer.status in (Status.TAKEN, Status.WITHDRAWN):
        raise OfferError(_("This time has just been taken."), code="offer_taken")
    if offer.status == Status.EXPIRED or offer.expires_at <= now:
        raise OfferError(_("This offer has expired."), code="offer_expired")
    try:
        with transaction.atomic():
            return _claim(offer, patient, now)
    except (IntegrityError, errors.SlotUnavailable, errors.PatientBusy):
        Offer.objects.filter(pk=offer.pk, status__in=OPEN).update(status=Status.TAKEN, ended_at=now)
        raise OfferError(_("This time has just been taken."), code="offer_taken") from None


def _claim(offer: Offer, patient: Patient, now: datetime) -> Appointment:
    # The slot first: claims of one slot queue here, so the winner's "the others are taken"
    # never waits on a loser's locked offer (a deadlock otherwise).
    FreedSlot.objects.select_for_update().filter(pk=offer.slot_id).first()
    offer = Offer.objects.select_for_update().select_related("appointment_type", "practitioner").get(pk=offer.pk)
    if offer.status not in OPEN:
        raise OfferError(_("This time has just been taken."), code="offer_taken")
    if offer.hold is not None:
        visit = offer.hold
        visit.refresh_from_db()
        if visit.status != Appointment.Status.HELD:
            raise OfferError(_("This offer has expired."), code="offer_expired")
        # Claimed: the patient now has the clinic's usual time to finish booking it.
        usual = now + offer.appointment_type.clinic.hold_duration
        if visit.hold_expires_at is None or visit.hold_expires_at < usual:
            visit.hold_expires_at = usual
            visit.save(update_fields=["hold_expires_at", "updated_at"])
    else:
        visit = hold_appointment(
            patient,
            appointment_type=offer.appointment_type,
            start=offer.start,
            practitioner=offer.practitioner,
            now=now,
        )
    offer.status, offer.claimed, offer.claimed_at, offer.ended_at = Status.CLAIMED, visit, now, now
    offer.save(update_fields=["status", "claimed", "claimed_at", "ended_at"])  # the one-claim constraint
    Offer.objects.filter(slot_id=offer.slot_id, status__in=OPEN).update(status=Status.TAKEN, ended_at=now)
    FreedSlot.objects.filter(pk=offer.slot_id, outcome=FreedSlot.Outcome.OPEN).update(
        outcome=FreedSlot.Outcome.FILLED, filled_at=now, filled_by=visit
    )
    return visit


# --- Expiry ---------------------------------------------------------------------------------


def pass_on_expired(now: datetime | None = None) -> int:
    """Beat job: end the offers that ran out and offer their slots to the next match; returns how many ended."""
    now = now or timezone.now()
    ended, slots = end_expired(now)
    for slot in slots:
        offer_slot(slot, now=now)
    return ended


def end_expired(now: datetime) -> tuple[int, list[FreedSlot]]:
    """Offers past their expiry end as expired (a sequential offer's hold is released, reason
    offer_expired); returns how many ended and their slots still open, to offer again."""
    with transaction.atomic():
        ended = list(Offer.objects.select_for_update(skip_locked=True).filter(status__in=OPEN, expires_at__lte=now))
        for offer in ended:
            offer.status, offer.ended_at = Status.EXPIRED, now
            offer.save(update_fields=["status", "ended_at"])
            if offer.hold_id is not None:
                _release(offer.hold_id, now)
    slots = FreedSlot.objects.filter(pk__in={o.slot_id for o in ended}, outcome=FreedSlot.Outcome.OPEN)
    return len(ended), list(slots)


def _release(appointment_id: int, now: datetime) -> None:
    released = Appointment.objects.filter(pk=appointment_id, status=Appointment.Status.HELD).update(
        status=Appointment.Status.CANCELLED,
        cancel_reason=EXPIRED_REASON,
        cancelled_at=now,
        hold_expires_at=None,
        updated_at=now,
    )
    if released:
        AppointmentEvent.objects.create(
            appointment_id=appointment_id, action=AppointmentEvent.Action.HOLD_EXPIRED, at=now
        )
        metrics.count_after_commit(metrics.HOLDS_EXPIRED)


# --- Staff's choice -------------------------------------------------------------------------


def offer_to(
    entry: Entry,
    *,
    practitioner: Practitioner,
    appointment_type: AppointmentType,
    start: datetime,
    by: User,
    now: datetime | None = None,
) -> Offer:
    """Staff offer a time to a chosen patient on the waitlist (a FreedSlot with cause staff)."""
    now = now or timezone.now()
    if entry.status != Entry.Status.WAITING:
        raise errors.BookingError(_("This patient is no longer on the waitlist."), code="entry_not_waiting")
    end = check_bookable(appointment_type, practitioner.pk, start, now)  # free and bookable, else SlotUnavailable
    with transaction.atomic():
        slot = FreedSlot.objects.filter(
            practitioner=practitioner, start=start, end=end, outcome=FreedSlot.Outcome.OPEN
        ).first() or FreedSlot.objects.create(
            clinic=appointment_type.clinic,
            practitioner=practitioner,
            start=start,
            end=end,
            cause=FreedSlot.Cause.STAFF,
            freed_at=now,
        )
        if Offer.objects.filter(slot=slot, entry=entry).exists():
            raise errors.BookingError(_("This patient was already offered this time."), code="already_offered")
        made = make_offers(slot, [Match(entry, appointment_type, start)], now=now, by=by, extra=True)
    if not made:
        raise errors.SlotUnavailable(_("This time cannot be offered to this patient now."))
    return made[0]
