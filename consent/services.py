"""Writes for screening and consent. Every row written here is append-only."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Patient, User
from consent import anchors, documents, integrity, screening, selectors, translation_services
from consent.models import (
    ClinicChainHead,
    ConsentAccessLog,
    ConsentFormTranslation,
    ConsentFormVersion,
    ConsentWithdrawal,
    Outcome,
    QuestionnaireTranslation,
    QuestionnaireVersion,
    ScreeningResponse,
    ScreeningReview,
    SignedConsent,
)
from consent.svg import SignatureInvalid, clean_signature_svg
from core import metrics


class ConsentError(Exception):
    """Bad input to a consent service: `fields` maps a field to its messages."""

    def __init__(self, fields: dict[str, list[str]], *, code: str = "invalid", status: int = 400) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()))
        self.fields = fields
        self.code = code
        self.status = status


# --- Publishing -----------------------------------------------------------------------


def publish_consent_form(*, scope: str, material: bool = False, **content: Any) -> ConsentFormVersion:
    with transaction.atomic():
        version = _next_version(ConsentFormVersion, scope)
        form = ConsentFormVersion(scope=scope, version=version, material=material, **content)
        documents.render_text(form.canonical(), _PLACEHOLDER_CONTEXT)  # every blank must be one we can fill
        form.content_sha256 = documents.sha256_of(form.canonical())
        form.save()
        translation_services.mark_outdated(ConsentFormTranslation, scope=scope, current_version=version)
    return form


def publish_questionnaire(*, scope: str, material: bool = False, **content: Any) -> QuestionnaireVersion:
    _check_items(content["items"], content.get("combined_rules", []))
    with transaction.atomic():
        version = _next_version(QuestionnaireVersion, scope)
        questionnaire = QuestionnaireVersion(scope=scope, version=version, material=material, **content)
        questionnaire.content_sha256 = documents.sha256_of(questionnaire.canonical())
        questionnaire.save()
        translation_services.mark_outdated(QuestionnaireTranslation, scope=scope, current_version=version)
    return questionnaire


_PLACEHOLDER_CONTEXT = {key: key for key in documents.CONTEXT_KEYS}


def _next_version(model: type[ConsentFormVersion] | type[QuestionnaireVersion], scope: str) -> int:
    latest = model.objects.select_for_update().filter(scope=scope).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


class CombinedRuleError(ValueError):
    """A combined rule is wrong (the admin shows it on the rules field)."""


def _check_items(items: list[dict[str, Any]], combined_rules: list[dict[str, Any]]) -> None:
    """Refuse a questionnaire whose rules could silently never fire (messages in the active language)."""
    ids = [item["id"] for item in items]
    if len(ids) != len(set(ids)):
        raise ValueError(_("Each question id must be used once only."))
    values = {item["id"]: {o["value"] for o in item.get("options", [])} for item in items}
    for rule in combined_rules:
        if rule.get("outcome") not in {"review", "block"} or not (rule.get("code") and rule.get("explanation")):
            message = _("The combined rule %(rule)s needs an outcome (review or block), a code and an explanation.")
            raise CombinedRuleError(message % {"rule": repr(rule)})
        for key, expected in rule["when"].items():
            if key.startswith("context:"):
                continue
            if key not in values or (values[key] and expected not in values[key]):
                message = _("The combined rule names an unknown question or answer: %(key)s=%(answer)s.")
                raise CombinedRuleError(message % {"key": key, "answer": repr(expected)})
    for item in items:
        names = {"id": item["id"]}
        text_rule = item.get("if_answered")
        if (
            text_rule
            and text_rule.get("outcome", "clear") != "clear"
            and not (text_rule.get("code") and text_rule.get("explanation"))
        ):
            raise ValueError(_("%(id)s: an answered-text rule needs a reason code and an explanation.") % names)
        for option in item.get("options", []):
            if option.get("outcome", "clear") not in {"clear", "review", "block"}:
                raise ValueError(_("%(id)s: an answer has an unknown outcome.") % names)
            if option.get("outcome", "clear") != "clear" and not (option.get("code") and option.get("explanation")):
                raise ValueError(_("%(id)s: a non-clear answer needs a reason code and an explanation.") % names)


# --- Screening ------------------------------------------------------------------------


def record_screening(
    patient: Patient,
    *,
    questionnaire: QuestionnaireVersion,
    answers: dict[str, Any],
    is_minor: bool,
    translation: QuestionnaireTranslation | None = None,
    language: str = "",
) -> ScreeningResponse:
    """Answers are kept by the source's ids and judged by the source's rules, whatever
    language the questions were shown in (`translation`, reviewed, of `questionnaire`)."""
    if translation is not None and not _offerable(translation, questionnaire):
        raise ConsentError({"questionnaire": [_("These health questions are not offered in this language.")]})
    try:
        cleaned = screening.clean_answers(questionnaire.items, answers)
    except screening.AnswersInvalid as exc:
        raise ConsentError({f"answers.{k}": v for k, v in exc.fields.items()}) from None
    result = screening.evaluate(
        questionnaire.items, cleaned, combined_rules=questionnaire.combined_rules, context={"minor": is_minor}
    )
    response = ScreeningResponse.objects.create(
        patient=patient,
        questionnaire_version=questionnaire,
        answers=cleaned,
        outcome=result.outcome,
        reasons=[r.as_dict() for r in result.reasons],
        language=translation.language if translation is not None else language,
        questionnaire_translation=translation,
    )
    metrics.count_after_commit(metrics.SCREENINGS, outcome=response.outcome)
    return response


def _offerable(
    translation: ConsentFormTranslation | QuestionnaireTranslation, source: ConsentFormVersion | QuestionnaireVersion
) -> bool:
    """Only a reviewed, up-to-date translation of this very version may be shown and signed."""
    return translation.source_id == source.pk and translation.reviewed and translation.outdated_at is None


# --- Signing --------------------------------------------------------------------------


@dataclass(frozen=True)
class Guardian:
    relationship: str
    authority: str
    minor_assent: bool


@dataclass(frozen=True)
class SigningContext:
    """Facts from outside the consent app that a signature records."""

    scope: str
    render_context: dict[str, str]
    is_minor: bool
    ip_address: str | None
    user_agent: str
    auth_method: str
    authenticated_at: datetime | None
    language: str = ""  # the language of the source form (the clinic's), when no translation is shown


def same_name(a: str, b: str) -> bool:
    """Names match ignoring case, accents' composition and extra spaces."""

    def norm(name: str) -> str:
        return " ".join(unicodedata.normalize("NFC", name).casefold().split())

    return bool(norm(a)) and norm(a) == norm(b)


def sign_consent(
    patient: Patient,
    *,
    form: ConsentFormVersion,
    screening_response: ScreeningResponse,
    typed_name: str,
    acknowledgements: list[str],
    e_records_accepted: bool,
    context: SigningContext,
    guardian: Guardian | None = None,
    signature_svg: str = "",
    screened_since: datetime | None = None,
    translation: ConsentFormTranslation | None = None,
) -> SignedConsent:
    """Validate everything, then append the signature to the hash chain.

    Only the clinic's current form can be signed, with the patient's latest screening
    on the current questionnaire, answered at or after `screened_since` (booking passes
    the moment the visit was held, as the pages do). `translation`: the reviewed translation
    of `form` the signer read; the text hashed and kept is the translated one."""
    errors = _signing_errors(
        patient, form, screening_response, typed_name, acknowledgements, e_records_accepted, context, guardian
    )
    errors.update(_document_errors(patient, form, screening_response, scope=context.scope, since=screened_since))
    clean_svg = ""
    if signature_svg.strip():
        try:
            clean_svg = clean_signature_svg(signature_svg)
        except SignatureInvalid as exc:
            errors["signature_svg"] = [str(exc)]
    if translation is not None and not _offerable(translation, form):
        errors["form_version"] = [_("This translation of the consent form is not offered: please read the form again.")]
    if errors:
        raise ConsentError(errors)
    if screening_response.outcome == Outcome.BLOCK:
        raise ConsentError(
            {"screening": [_("Your health answers mean dry needling is not right for you now.")]},
            code="screening_blocked",
            status=409,
        )
    shown = translation if translation is not None else form
    text = documents.render_text(shown.canonical(), context.render_context)
    fields: dict[str, Any] = {
        "patient_id": patient.pk,
        "form_version_id": form.pk,
        "form_sha256": form.content_sha256,
        "rendered_text_sha256": documents.sha256_text(text),
        "render_context": context.render_context,
        "screening_id": screening_response.pk,
        "signer_role": SignedConsent.SignerRole.GUARDIAN if guardian else SignedConsent.SignerRole.PATIENT,
        "typed_name": " ".join(typed_name.split()),
        "guardian_relationship": guardian.relationship.strip() if guardian else "",
        "guardian_authority": guardian.authority.strip() if guardian else "",
        "minor_assent": guardian.minor_assent if guardian else None,
        "signature_svg": clean_svg,
        "acknowledgements": sorted(acknowledgements),
        "intent_statement": documents.fill(shown.intent_statement, context.render_context),
        "e_records_accepted": True,
        "signed_at": timezone.now().replace(microsecond=0),
        "ip_address": context.ip_address,
        "user_agent": context.user_agent[:400],
        "auth_method": context.auth_method,
        "authenticated_at": context.authenticated_at.replace(microsecond=0) if context.authenticated_at else None,
        "scope": context.scope,
        "chain_scheme": integrity.CURRENT_SCHEME,
        "screening_answers_sha256": integrity.answers_sha256(screening_response.answers),
    }
    extra = {"language": translation.language if translation else context.language, "form_translation": translation}
    return _append_to_chain(fields, extra)


def _signing_errors(
    patient: Patient,
    form: ConsentFormVersion,
    screening_response: ScreeningResponse,
    typed_name: str,
    acknowledgements: list[str],
    e_records_accepted: bool,
    context: SigningContext,
    guardian: Guardian | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    required = {a["id"] for a in form.acknowledgements}
    missing = required - set(acknowledgements)
    if missing or set(acknowledgements) - required:
        errors["acknowledgements"] = [_("Please tick every statement to sign.")]
    if not e_records_accepted:
        errors["e_records_accepted"] = [
            _("Please agree to sign and receive records electronically, or ask the clinic for paper.")
        ]
    if context.is_minor and guardian is None:
        errors["guardian"] = [_("A parent or guardian must sign for a patient under the age of majority.")]
    if guardian is not None:
        if not guardian.relationship.strip():
            errors["guardian.relationship"] = [_("Say how you are related to the patient.")]
        if not guardian.authority.strip():
            errors["guardian.authority"] = [_("Confirm that you have the legal right to decide for the patient.")]
        if not guardian.minor_assent:
            errors["guardian.minor_assent"] = [_("The patient must agree to the treatment too.")]
    elif not same_name(typed_name, patient.legal_name):
        errors["typed_name"] = [_("Type your full legal name exactly as in your details.")]
    if guardian is not None and not " ".join(typed_name.split()):
        errors["typed_name"] = [_("Type your full legal name.")]
    return errors


def _document_errors(
    patient: Patient,
    form: ConsentFormVersion,
    screening_response: ScreeningResponse,
    *,
    scope: str,
    since: datetime | None,
) -> dict[str, list[str]]:
    """The form must be the one the clinic publishes now, and the screening the patient's
    own latest answers to the current questions: an old screening or a superseded form
    would put a signature under words or answers that no longer stand."""
    errors: dict[str, list[str]] = {}
    if form.scope != scope:
        errors["form_version"] = [_("This consent form is not this clinic's.")]
    elif form != selectors.current_form(scope):
        errors["form_version"] = [_("A newer consent form has been published: please read it before you sign.")]
    if screening_response.patient_id != patient.pk or screening_response.questionnaire_version.scope != scope:
        errors["screening"] = [_("Unknown health screening.")]
    elif screening_response.questionnaire_version != selectors.current_questionnaire(scope):
        errors["screening"] = [_("The health questions have changed: please answer them again before you sign.")]
    elif screening_response != selectors.latest_screening(patient, scope=scope):
        errors["screening"] = [_("You have answered the health questions again since: sign with your latest answers.")]
    elif since is not None and screening_response.created_at < since:
        errors["screening"] = [_("Please answer the health questions for this visit before you sign.")]
    return errors


def _append_to_chain(fields: dict[str, Any], extra: dict[str, Any]) -> SignedConsent:
    """Append to the clinic's own chain, locking only that clinic's head row. `extra` is
    stored but not hashed: the language and translation shown, which the hashed
    rendered_text_sha256 already pins (the text rebuilt from them must match it)."""
    scope = fields["scope"]
    with transaction.atomic():
        ClinicChainHead.objects.get_or_create(scope=scope, defaults={"last_hash": integrity.GENESIS})
        head = ClinicChainHead.objects.select_for_update().get(scope=scope)
        fields["sequence"] = head.count + 1
        fields["previous_hash"] = head.last_hash
        digest = integrity.row_hash(fields)
        consent = SignedConsent.objects.create(row_hash=digest, **fields, **extra)
        head.last_hash, head.count = digest, head.count + 1
        head.save(update_fields=["last_hash", "count"])
        metrics.count_after_commit(metrics.SIGNATURES, signer=consent.signer_role)
        if head.count % settings.ANCHOR_EVERY == 0:
            checkpoint = anchors.Checkpoint.now(scope=scope, count=head.count, head_hash=digest)
            transaction.on_commit(lambda: anchors.write_after_commit([checkpoint]))
    return consent


# --- After signing ----------------------------------------------------------------------


def withdraw_consent(
    consent: SignedConsent,
    *,
    by: User,
    reason: ConsentWithdrawal.Reason = ConsentWithdrawal.Reason.WITHDRAWN,
    note: str = "",
) -> ConsentWithdrawal:
    with transaction.atomic():
        locked = SignedConsent.objects.select_for_update().get(pk=consent.pk)
        existing = ConsentWithdrawal.objects.filter(consent=locked).first()
        if existing is not None:
            return existing  # withdrawing twice changes nothing
        return ConsentWithdrawal.objects.create(consent=locked, reason=reason, note=note.strip()[:2000], by=by)


def record_review(
    screening_response: ScreeningResponse, *, reviewer: User, decision: ScreeningReview.Decision, note: str
) -> ScreeningReview:
    if not note.strip():
        raise ConsentError({"note": [_("Write a note explaining the decision.")]})
    try:
        with transaction.atomic():
            return ScreeningReview.objects.create(
                screening=screening_response, reviewer=reviewer, decision=decision, note=note.strip()
            )
    except IntegrityError:
        raise ConsentError({"note": [_("Write a note explaining the decision.")]}) from None


def log_access(
    consent: SignedConsent, *, user: User, action: ConsentAccessLog.Action, channel: str, ip_address: str | None
) -> ConsentAccessLog:
    """Call inside the transaction that reads the consent, so no read goes unlogged."""
    return ConsentAccessLog.objects.create(
        consent=consent, user=user, role=user.role, action=action, channel=channel, ip_address=ip_address
    )
