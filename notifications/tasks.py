from __future__ import annotations

from celery import shared_task

from notifications import course, dispatch


@shared_task(name="notifications.dispatch_due", ignore_result=True)
def dispatch_due() -> int:
    """Beat job (every 30 s) and the after-commit nudge: send what is due.

    Safe to run twice or at once on several workers: rows are leased, not queued."""
    return dispatch.dispatch_due()


@shared_task(name="notifications.course_messages", ignore_result=True)
def course_messages() -> int:
    """Beat job (every few minutes): today's exercise reminders coming due, and "book your next
    session" for a course whose last booked visit has ended (completing one writes it at once).

    Idempotent: the outbox's constraints keep one row per plan and channel (and day)."""
    return course.write_exercise_reminders() + course.sweep_book_next()
