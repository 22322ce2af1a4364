"""Words for what a session note records: the regions treated and the adverse events
seen (FACTS.md section 2), in a practitioner's words. Stored values are the keys;
adverse events use SideEffect's values, shared with the patient's check-in."""

from __future__ import annotations

from collections.abc import Iterable

from booking.models import RED_FLAGS, SideEffect

# Regions a practitioner treats; the neck, shoulders, upper back and chest wall are
# where needling can reach the lung (FACTS.md section 5).
REGIONS = [
    ("neck", "Neck"),
    ("jaw_face", "Jaw or face"),
    ("shoulder_left", "Left shoulder"),
    ("shoulder_right", "Right shoulder"),
    ("upper_back", "Upper back"),
    ("chest_wall", "Chest wall"),
    ("lower_back", "Lower back"),
    ("arm_hand", "Arm or hand"),
    ("hip_buttock", "Hip or buttock"),
    ("thigh", "Thigh"),
    ("knee", "Knee"),
    ("calf_shin", "Calf or shin"),
    ("ankle_foot", "Ankle or foot"),
]
REGION_LABELS = dict(REGIONS)

# The FACTS.md section 2 list in a practitioner's words; the values are SideEffect's.
ADVERSE_EVENTS = [
    (SideEffect.BRUISING.value, "Bruising"),
    (SideEffect.BLEEDING.value, "Bleeding"),
    (SideEffect.SORENESS.value, "Pain during or after needling"),
    (SideEffect.PAIN_WORSE.value, "Symptoms worse"),
    (SideEffect.DROWSINESS.value, "Drowsiness"),
    (SideEffect.HEADACHE.value, "Headache"),
    (SideEffect.NAUSEA.value, "Nausea"),
    (SideEffect.FATIGUE.value, "Fatigue"),
    (SideEffect.FAINTING.value, "Feeling faint or fainting (vasovagal)"),
    (SideEffect.SKIN_INFECTION.value, "Signs of infection at a needle site"),
    (SideEffect.NUMBNESS.value, "Nerve irritation: numbness or weakness"),
    (SideEffect.BREATHLESSNESS.value, "Breathlessness or pain on breathing in (possible pneumothorax)"),
    (SideEffect.CHEST_PAIN.value, "New chest pain (possible pneumothorax)"),
]
ADVERSE_LABELS = dict(ADVERSE_EVENTS)


def region_words(regions: Iterable[str]) -> list[str]:
    return [REGION_LABELS.get(r, r) for r in regions]


def adverse_words(events: Iterable[str]) -> list[str]:
    return [ADVERSE_LABELS.get(e, e) for e in events]


def has_red_flag(events: Iterable[str]) -> bool:
    return bool(RED_FLAGS & set(events))
