"""The code systems we write and the R4B code lists we check."""

from __future__ import annotations

CONSENT_SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope"
LOINC = "http://loinc.org"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
OUTCOME_EXTENSION = "urn:acus:fhir:screening-outcome"

# Code lists from the R4B specification that the package leaves unchecked.
# fmt: off
BUNDLE_TYPES = frozenset({
    "document", "message", "transaction", "transaction-response", "batch", "batch-response", "history",
    "searchset", "collection",
})
APPOINTMENT_STATUSES = frozenset({
    "proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow", "entered-in-error",
    "checked-in", "waitlist",
})
PARTICIPANT_STATUSES = frozenset({"accepted", "declined", "tentative", "needs-action"})
PARTICIPANT_REQUIRED = frozenset({"required", "optional", "information-only"})
CONSENT_STATUSES = frozenset({"draft", "proposed", "active", "rejected", "inactive", "entered-in-error"})
CONSENT_SCOPES = frozenset({"adr", "research", "patient-privacy", "treatment"})
PROVISION_TYPES = frozenset({"deny", "permit"})
QUESTIONNAIRE_STATUSES = frozenset({"draft", "active", "retired", "unknown"})
RESPONSE_STATUSES = frozenset({"in-progress", "completed", "amended", "entered-in-error", "stopped"})
ITEM_TYPES = frozenset({
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string", "text", "url",
    "choice", "open-choice", "attachment", "reference", "quantity",
})
# fmt: on

# Our appointment statuses in FHIR's words. A declined visit (the practitioner said
# no after review) is a cancelled one, with the reason, and the practitioner declined.
APPOINTMENT_STATUS_MAP = {
    "held": "proposed",
    "pending_review": "pending",
    "confirmed": "booked",
    "arrived": "arrived",
    "declined": "cancelled",
    "cancelled": "cancelled",
    "completed": "fulfilled",
    "no_show": "noshow",
}
