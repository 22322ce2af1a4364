"""The demo consent form: its sections and side effects, the acknowledgements, and the signature wording."""

from __future__ import annotations

from typing import Any

from consent.content.sections import demo_sections
from consent.content.side_effects import demo_side_effects


def demo_consent_form() -> dict[str, Any]:
    """The demo consent form: every key of ConsentFormVersion except scope, version and material."""
    return {
        "title": "Consent to dry needling",
        "sections": demo_sections(),
        "side_effects": demo_side_effects(),
        "acknowledgements": [
            {
                "id": "read_and_understood",
                "text": "I have read and understood this information, "
                "including the side effects and how often they happen.",
            },
            {
                "id": "questions_answered",
                "text": "I have had the chance to ask questions, and my questions have been answered.",
            },
            {
                "id": "voluntary_can_withdraw",
                "text": "I understand that dry needling is my choice. "
                "I can say no, stop a session, or withdraw my consent at any time.",
            },
            {
                "id": "health_answers_true",
                "text": "I have answered the health questions truthfully. I will tell the clinic if my health changes.",
            },
            {
                "id": "confirmed_in_person",
                "text": "I understand that my practitioner will check my consent with me again, in person, "
                "at the session.",
            },
            {
                "id": "electronic_records",
                "text": "I agree to sign this form and to receive my records electronically.",
            },
        ],
        "intent_statement": "Typing my full name below (and drawing my signature, if I choose to) is my electronic "
        "signature. I am doing this on purpose, because I intend to sign this consent form.",
        "e_records_disclosure": "{clinic_name} will give you this form and your records electronically, "
        "and you sign them electronically. You can ask for a paper copy at any time: ask at the clinic, "
        "or call or email the clinic. You can withdraw your agreement to electronic records at any time by "
        "telling the clinic; after that, you will get your records on paper. You need a phone, tablet or "
        "computer with a web browser, an email address, and a way to open PDF files. The clinic keeps your "
        "records for its retention period (as long as the law says it must).",
    }
