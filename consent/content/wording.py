"""What happens next, and the yes/no question shape, shared by the questionnaire's questions."""

from __future__ import annotations

from typing import Any

# What happens next, said the same way every time.
BLOCK_NEXT = (
    "Dry needling is not safe or right for you now. "
    "You can still book an assessment without needling, or call the clinic to talk about it."
)
REVIEW_NEXT = "Your practitioner will check this answer before your appointment is confirmed."
SITE_NEXT = (
    "Your practitioner will check this answer before your appointment is confirmed. "
    "They will look at the area and will not put needles where it is not safe."
)


def yes_no(
    item_id: str,
    text: str,
    help_text: str,
    *,
    outcome: str = "clear",
    code: str = "",
    explanation: str = "",
    site: bool = False,
) -> dict[str, Any]:
    """A yes/no question whose "yes" carries the rule (or nothing, when outcome is clear)."""
    yes: dict[str, Any] = {"value": "yes", "label": "Yes", "outcome": outcome}
    if outcome != "clear":
        yes.update(code=code, explanation=explanation, site=site)
    return {
        "id": item_id,
        "text": text,
        "help": help_text,
        "type": "yes_no",
        "required": True,
        "options": [yes, {"value": "no", "label": "No", "outcome": "clear"}],
    }
