"""The demo health screening: its questions, and the rules that combine answers (FACTS section 1)."""

from __future__ import annotations

from typing import Any

from consent.content.questions import demo_questions


def demo_questionnaire() -> dict[str, Any]:
    """The demo health screening: one or more items for every rule in FACTS section 1."""
    items = demo_questions()
    site_bleeding = (
        "Your practitioner will check this answer before your appointment is confirmed. "
        "They will only use needles where they can press on the muscle to stop any bleeding."
    )
    combined_rules: list[dict[str, Any]] = [
        {
            "when": {"area_near_chest": "yes", "low_body_weight": "yes"},
            "outcome": "review",
            "code": "chest_wall_low_body_weight",
            "explanation": "Needling near the chest wall (the ribs and muscles around your lungs) in a slim person "
            "has a small risk of a collapsed lung (pneumothorax). "
            "Your practitioner will check these answers before your appointment is confirmed. "
            "They will take extra care near your chest.",
        },
        {
            "when": {"context:minor": True},
            "outcome": "review",
            "code": "minor_needs_guardian",
            "explanation": "You are under the age when you can agree to treatment on your own. "
            "A parent or guardian must give permission, and you will be asked if you agree too. "
            "Your practitioner will check this before your appointment is confirmed.",
        },
        {
            "when": {"blood_thinners": "yes"},
            "outcome": "review",
            "code": "bleeding_site_compression",
            "explanation": site_bleeding,
            "site": True,
        },
        {
            "when": {"bleeding_disorder": "yes"},
            "outcome": "review",
            "code": "bleeding_site_compression",
            "explanation": site_bleeding,
            "site": True,
        },
    ]
    return {"title": "Health check before dry needling", "items": items, "combined_rules": combined_rules}
