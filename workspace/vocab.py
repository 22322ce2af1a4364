"""Words for what a session note records: the regions treated and the adverse events
seen (FACTS.md section 2), in a practitioner's words. Stored values are the keys;
adverse events use SideEffect's values, shared with the patient's check-in."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from booking.models import RED_FLAGS, SideEffect

# Regions a practitioner treats; the neck, shoulders, upper back and chest wall are
# where needling can reach the lung (FACTS.md section 5).
REGIONS = [
    ("neck", _("Neck")),
    ("jaw_face", _("Jaw or face")),
    ("shoulder_left", _("Left shoulder")),
    ("shoulder_right", _("Right shoulder")),
    ("upper_back", _("Upper back")),
    ("chest_wall", _("Chest wall")),
    ("lower_back", _("Lower back")),
    ("arm_hand", _("Arm or hand")),
    ("hip_buttock", _("Hip or buttock")),
    ("thigh", _("Thigh")),
    ("knee", _("Knee")),
    ("calf_shin", _("Calf or shin")),
    ("ankle_foot", _("Ankle or foot")),
]
REGION_LABELS = dict(REGIONS)

# The FACTS.md section 2 list in a practitioner's words; the values are SideEffect's.
ADVERSE_EVENTS = [
    (SideEffect.BRUISING.value, _("Bruising")),
    (SideEffect.BLEEDING.value, _("Bleeding")),
    (SideEffect.SORENESS.value, _("Pain during or after needling")),
    (SideEffect.PAIN_WORSE.value, _("Symptoms worse")),
    (SideEffect.DROWSINESS.value, _("Drowsiness")),
    (SideEffect.HEADACHE.value, _("Headache")),
    (SideEffect.NAUSEA.value, _("Nausea")),
    (SideEffect.FATIGUE.value, _("Fatigue")),
    (SideEffect.FAINTING.value, _("Feeling faint or fainting (vasovagal)")),
    (SideEffect.SKIN_INFECTION.value, _("Signs of infection at a needle site")),
    (SideEffect.NUMBNESS.value, _("Nerve irritation: numbness or weakness")),
    (SideEffect.BREATHLESSNESS.value, _("Breathlessness or pain on breathing in (possible pneumothorax)")),
    (SideEffect.CHEST_PAIN.value, _("New chest pain (possible pneumothorax)")),
]
ADVERSE_LABELS = dict(ADVERSE_EVENTS)


def region_words(regions: Iterable[str]) -> list[str]:
    return [str(REGION_LABELS.get(r, r)) for r in regions]


def adverse_words(events: Iterable[str]) -> list[str]:
    return [str(ADVERSE_LABELS.get(e, e)) for e in events]


def has_red_flag(events: Iterable[str]) -> bool:
    return bool(RED_FLAGS & set(events))
