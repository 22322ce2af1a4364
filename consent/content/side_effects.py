"""The demo consent form's side effects and how often each happens (FACTS section 2)."""

from __future__ import annotations

from typing import Any


def demo_side_effects() -> list[dict[str, Any]]:
    """Each side effect with its rate and source; "not known" where no study gives one."""
    return [
        {
            "effect": "Bruising",
            "how_often": "about 8 in 100 treatments (7.55%, Brady 2014); about 8 in 100 sessions (7.7%, Boyce 2020)",
            "note": "A bruise is a blue or purple mark where the needle went in. It fades on its own.",
        },
        {
            "effect": "Bleeding",
            "how_often": "about 5 in 100 treatments (4.65%, Brady 2014); 16 in 100 sessions (16%, Boyce 2020)",
            "note": "Usually a little blood where the needle went in. Pressing on the spot stops it.",
        },
        {
            "effect": "Pain during needling",
            "how_often": "about 3 in 100 treatments (3.01%, Brady 2014); about 6 in 100 sessions (5.9%, Boyce 2020)",
            "note": "Tell your practitioner if it hurts. They can stop.",
        },
        {
            "effect": "Pain after the treatment",
            "how_often": "about 2 in 100 treatments (2.19%, Brady 2014)",
            "note": "",
        },
        {
            "effect": "Soreness after needling",
            "how_often": "common; the exact rate is not known",
            "note": "It feels like sore muscles after exercise. On average it is gone within about 72 hours (3 days).",
        },
        {
            "effect": "Your symptoms feel worse for a while",
            "how_often": "just under 1 in 100 treatments (0.88%, Brady 2014)",
            "note": "",
        },
        {
            "effect": "Feeling sleepy (drowsiness)",
            "how_often": "about 3 in 1,000 treatments (0.26%, Brady 2014)",
            "note": "Do not drive if you feel drowsy.",
        },
        {
            "effect": "Headache",
            "how_often": "about 1 in 1,000 treatments (0.14%, Brady 2014)",
            "note": "",
        },
        {
            "effect": "Feeling sick (nausea)",
            "how_often": "about 1 in 1,000 treatments (0.13%, Brady 2014)",
            "note": "",
        },
        {
            "effect": "Feeling tired (fatigue)",
            "how_often": "about 4 in 10,000 treatments (0.04%, Brady 2014)",
            "note": "",
        },
        {
            "effect": "Feeling faint or fainting",
            "how_often": "not known",
            "note": "Tell your practitioner at once if you feel dizzy, faint or sick. "
            "Eating a light meal before your visit helps.",
        },
        {
            "effect": "Infection where a needle went in",
            "how_often": "not known — rare",
            "note": "Contact the clinic if a needle spot becomes red, hot or swollen, has pus, or if you get a fever.",
        },
        {
            "effect": "Nerve irritation",
            "how_often": "not known — rare",
            "note": "This can feel like tingling, numbness or weakness. "
            "Contact the clinic if numbness or weakness does not go away.",
        },
        {
            "effect": "Collapsed lung (pneumothorax), when needles are used near the chest wall",
            "how_often": "rare but serious; for acupuncture, about 1 serious event in every 200,000 treatments "
            "(White 2004); the rate for dry needling is not known",
            "note": "This risk applies when needles are used near the chest, ribs, upper back, neck or "
            "shoulders. Symptoms can start hours or even days later: new chest pain, pain when you breathe "
            "in, feeling short of breath, or a dry cough. If this happens, get emergency care straight away "
            "(call your local emergency number) and say that you had dry needling.",
        },
        {
            "effect": "Serious problems of any kind",
            "how_often": "under 1 in 1,000 sessions (about 1 in 1,024, Boyce 2020); "
            "none were found in 7,629 treatments (Brady 2014)",
            "note": "These included a collapsed lung, heavy bleeding, and symptoms that stayed worse for a long time.",
        },
    ]
