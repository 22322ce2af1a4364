"""On PostgreSQL, signing locks only the clinic's own chain head: a clinic never waits on
another clinic's signature, while two signatures at one clinic still take turns."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, transaction

from accounts.models import Patient
from consent import services
from consent.models import ClinicChainHead, ConsentFormVersion, QuestionnaireVersion
from consent.selectors import verify_chain
from tests.consent.factories import QUESTIONS, SCOPE, form_content
from tests.consent.signing import context, screened, sign
from tests.resources import need_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

OTHER = "other-clinic"


def hold_head_lock(scope: str, locked: threading.Event, release: threading.Event) -> None:
    """In its own connection: lock `scope`'s chain head as a signature in progress would."""
    try:
        with transaction.atomic():
            ClinicChainHead.objects.select_for_update().get(scope=scope)
            locked.set()
            release.wait(timeout=30)
    finally:
        connection.close()


def sign_with_lock_timeout(
    patient: Patient, form: ConsentFormVersion, questions: QuestionnaireVersion, scope: str
) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
        sign(patient, form, screened(patient, questions), context=context(scope=scope))


def test_a_clinic_never_waits_on_another_clinics_signature(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    need_postgres()
    other_form = services.publish_consent_form(scope=OTHER, **form_content())
    other_questions = services.publish_questionnaire(scope=OTHER, title="Health check", items=QUESTIONS)
    sign(patient, form, screened(patient, questionnaire))  # the first clinic's head now exists
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_head_lock, args=(SCOPE, locked, release))
    holder.start()
    try:
        assert locked.wait(timeout=10)

        sign_with_lock_timeout(patient, other_form, other_questions, OTHER)  # no wait: another clinic

        with pytest.raises(OperationalError, match="lock timeout"):
            sign_with_lock_timeout(patient, form, questionnaire, SCOPE)  # the same clinic takes turns
    finally:
        release.set()
        holder.join(timeout=10)

    heads = dict(ClinicChainHead.objects.values_list("scope", "count"))
    assert heads == {SCOPE: 1, OTHER: 1}
    assert verify_chain() is None
