"""What Celery beat runs, and how often: the periodic jobs of every app in one place."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

from config.env import envint


def beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        "expire-stale-holds": {"task": "booking.expire_stale_holds", "schedule": 60.0},
        "verify-consent-chain": {
            "task": "booking.audit.verify_consent_chain",
            "schedule": crontab(minute=0, hour=3, day_of_week="mon"),  # weekly; admins are emailed if broken
        },
        "check-credential-expiry": {
            "task": "booking.check_credential_expiry",  # daily; warns 30 days ahead, emails admins once
            "schedule": crontab(hour=6, minute=30),
        },
        "dispatch-notifications": {
            "task": "notifications.dispatch_due",
            "schedule": float(envint("NOTIFY_DISPATCH_SECONDS", 30, minimum=5)),
            "options": {"expires": 25},  # a queued run older than the next beat is dropped, not piled up
        },
        "course-messages": {
            # Exercise reminders are written up to 10 minutes before their time (notifications.course.LEAD).
            "task": "notifications.course_messages",
            "schedule": 300.0,
            "options": {"expires": 290},
        },
        "waitlist-end-past": {
            # Hourly: clinics' midnights fall at different instants, so a daily run would end some entries late.
            "task": "waitlist.end_past_entries",
            "schedule": crontab(minute=5),
        },
        "waitlist-pass-on-expired": {
            # An unanswered offer passes to the next patient within a minute of running out.
            "task": "waitlist.pass_on_expired",
            "schedule": 60.0,
            "options": {"expires": 55},
        },
        "calendars-push-due": {
            # Visits' copies in practitioners' calendars that a nudge missed or a failure delayed.
            "task": "calendars.push_due",
            "schedule": 60.0,
            "options": {"expires": 55},
        },
        "interop-publish": {
            # SMART Scheduling Links files of clinics whose free time changed (debounced to a minute).
            "task": "interop.publish",
            "schedule": 60.0,
            "options": {"expires": 55},
        },
        "calendars-sync-due": {
            # Every minute, queue the calendars last read more than CALENDAR_SYNC_MINUTES ago.
            "task": "calendars.sync_due",
            "schedule": 60.0,
            "kwargs": {"minutes": envint("CALENDAR_SYNC_MINUTES", 10, minimum=1)},
            "options": {"expires": 55},
        },
    }
