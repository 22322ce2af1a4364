"""Sign-in requests racing on PostgreSQL: the challenge row decides, one winner each time.

Each thread has its own database connection and waits at a barrier, so all of them
reach the challenge at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from accounts import services
from accounts.models import Patient, SignInChallenge, User
from tests.accounts.sign_in import code_from_mail
from tests.resources import need_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
RACERS = 6


def race(call: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(RACERS)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_the_same_code_verified_at_once_signs_in_once_and_makes_one_user() -> None:
    need_postgres()
    services.start_patient_sign_in(email="racer@example.com")
    code = code_from_mail()

    results, errors = race(lambda: services.verify_patient_code(email="racer@example.com", code=code))

    assert len(results) == 1, errors
    assert all(isinstance(error, services.SignInError) for error in errors)
    assert User.objects.filter(email="racer@example.com").count() == 1
    assert Patient.objects.count() == 1


def test_codes_asked_for_at_once_send_one_email_and_keep_one_challenge() -> None:
    need_postgres()

    _, errors = race(lambda: services.start_patient_sign_in(email="eager@example.com"))

    assert errors == []
    assert len(mail.outbox) == 1
    assert SignInChallenge.objects.count() == 1
    assert not User.objects.exists()
    services.verify_patient_code(email="eager@example.com", code=code_from_mail())
