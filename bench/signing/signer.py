"""One signer process: its own Django set-up and database connection, signing its tasks one
after another through booking.consent_flow.sign_for_appointment, the function the consent page
and the API call (lock the visit, validate, append to the clinic's chain, link, confirm).

The wait for the clinic's chain head is timed around the one statement that takes it:
`SELECT ... FROM consent_clinicchainhead ... FOR UPDATE` (consent.services._append_to_chain),
seen through a database execute wrapper, so the service is measured unchanged. The head stays
locked from that statement until the transaction commits: `lock_held` is that span."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from bench.signing import APP_NAME_PREFIX
from bench.signing.figures import Task

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100">'
    '<path d="M10 60 C 40 10, 70 10, 100 60 S 160 110, 190 60 L 280 40"/></svg>'
)


class ChainLockTimer:
    """A connection execute wrapper that times the chain head's FOR UPDATE."""

    def __init__(self) -> None:
        self.waited = 0.0
        self.locked_at: float | None = None

    def reset(self) -> None:
        self.waited, self.locked_at = 0.0, None

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if not (sql.endswith("FOR UPDATE") and '"consent_clinicchainhead"' in sql):
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.locked_at = time.perf_counter()
            self.waited += self.locked_at - started


def run(name: str, tasks: list[Task], warmups: int, ready: Any, go: Any, results: Any) -> None:
    """The process body: set up, sign the warm-up tasks, say ready, wait, sign and report."""
    os.environ["PGAPPNAME"] = APP_NAME_PREFIX + name  # libpq reads it when the connection opens
    from bench.common import process_tree_cpu_seconds, setup_django

    setup_django()
    from django.conf import settings
    from django.db import connection

    # No query log (DEBUG keeps every statement in memory) and no broker: each confirmation's
    # nudge is published after commit, outside the chain lock, and nothing consumes it here.
    settings.DEBUG = False
    settings.NOTIFICATIONS_NUDGE = False
    settings.CALENDAR_PUSH_NUDGE = False
    requests = [_request(task) for task in tasks]
    timer = ChainLockTimer()
    report: dict[str, Any] = {"signer": name, "latencies": [], "lock_waits": [], "lock_held": [], "failures": []}
    with connection.execute_wrapper(timer):
        for task, request in zip(tasks[:warmups], requests[:warmups], strict=True):
            _sign(task, request)  # imports, templates and first queries: not timed
        backend = _backend_pid()
        ready.set()
        go.wait()
        cpu_started = time.process_time()
        db_cpu_started = process_tree_cpu_seconds(backend)
        for task, request in zip(tasks[warmups:], requests[warmups:], strict=True):
            timer.reset()
            started = time.perf_counter()
            try:
                _sign(task, request)
            except Exception as exc:  # a failure is counted and reported, never hidden
                report["failures"].append(f"{type(exc).__name__}: {exc}")
                continue
            finished = time.perf_counter()
            report["latencies"].append(finished - started)
            report["lock_waits"].append(timer.waited)
            report["lock_held"].append(finished - timer.locked_at if timer.locked_at else 0.0)
        report["cpu_seconds"] = time.process_time() - cpu_started
        # Its PostgreSQL backend's CPU, read from /proc (the bench runs beside a local server).
        report["db_cpu_seconds"] = process_tree_cpu_seconds(backend) - db_cpu_started
    results.put(report)


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _request(task: Task) -> tuple[Any, Any]:
    """The patient and what they submit, loaded before the clock starts (a page has them from
    its form and session)."""
    from django.utils import timezone

    from accounts.models import Patient
    from booking import consent_flow
    from consent import selectors
    from consent.models import ScreeningResponse

    patient = Patient.objects.select_related("user").get(pk=task.patient_id)
    screening = ScreeningResponse.objects.select_related("questionnaire_version").get(pk=task.screening_id)
    form = selectors.current_form(screening.questionnaire_version.scope)
    assert form is not None
    request = consent_flow.SignatureRequest(
        form=form,
        screening=screening,
        typed_name=patient.legal_name,
        acknowledgements=[a["id"] for a in form.acknowledgements],
        e_records_accepted=True,
        guardian=None,
        signature_svg=SVG,
        ip_address="198.51.100.7",
        user_agent="Mozilla/5.0 (bench.signing)",
        auth_method="emailed one-time code, web session",
        authenticated_at=timezone.now(),
    )
    return patient, request


def _sign(task: Task, prepared: tuple[Any, Any]) -> None:
    from booking import consent_flow

    patient, request = prepared
    consent_flow.sign_for_appointment(patient, appointment_id=task.appointment_id, request=request)
