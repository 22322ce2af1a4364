"""The demo health screening's questions: one or more for every rule in FACTS section 1."""

from __future__ import annotations

from typing import Any

from consent.content.wording import BLOCK_NEXT, REVIEW_NEXT, SITE_NEXT, yes_no


def demo_questions() -> list[dict[str, Any]]:
    """The questionnaire's items, in the order the patient answers them."""
    return [
        # Block: medical emergency or acute medical condition today.
        yes_no(
            "unwell_today",
            "Are you unwell today? For example, do you have a fever, a new infection, or a sudden new health problem?",
            "If it is an emergency, call your local emergency number now. "
            "If you become unwell before your visit, tell the clinic.",
            outcome="block",
            code="acute_illness_today",
            explanation="You told us you are unwell today. "
            + BLOCK_NEXT
            + " When you are well again, you can answer these questions again.",
        ),
        # Block: needle phobia, or does not want needling. Review: anxiety.
        {
            "id": "needle_feelings",
            "text": "How do you feel about having needles as part of your treatment?",
            "help": "There is no wrong answer. Please be honest, so we can keep you safe and comfortable.",
            "type": "choice",
            "required": True,
            "options": [
                {"value": "fine", "label": "I am happy to have needles", "outcome": "clear"},
                {
                    "value": "anxious",
                    "label": "I feel anxious or nervous about needles",
                    "outcome": "review",
                    "code": "needle_anxiety",
                    "explanation": "You told us you feel anxious about needles. "
                    + REVIEW_NEXT
                    + " They can talk it through with you.",
                    "site": False,
                },
                {
                    "value": "phobia",
                    "label": "I have a very strong fear of needles (needle phobia)",
                    "outcome": "block",
                    "code": "needle_phobia",
                    "explanation": "You told us you have a very strong fear of needles. " + BLOCK_NEXT,
                    "site": False,
                },
                {
                    "value": "no_needles",
                    "label": "I do not want needles to be used",
                    "outcome": "block",
                    "code": "declines_needling",
                    "explanation": "You told us you do not want needles. That is your choice, "
                    "and we will not use them. Dry needling is not right for you now. "
                    "You can still book an assessment without needling, or call the clinic to talk about it.",
                    "site": False,
                },
            ],
        },
        # Review: fainting with needles before.
        yes_no(
            "fainted_with_needles",
            "Have you ever fainted, or nearly fainted, when you had a needle, an injection or a blood test?",
            "Fainting means passing out for a short time. Nearly fainting means feeling dizzy, sick or "
            "light-headed, as if you might pass out.",
            outcome="review",
            code="fainting_with_needles",
            explanation="You told us you have fainted or nearly fainted with needles before. " + REVIEW_NEXT,
        ),
        # Block: previous abnormal reaction to dry needling or an injection.
        yes_no(
            "bad_reaction_before",
            "Have you ever had a bad or unusual reaction to dry needling or to an injection?",
            "For example, a serious allergic reaction, or a reaction that needed a doctor. "
            "Soreness, a small bruise or feeling faint does not count here: "
            "there is a separate question about fainting.",
            outcome="block",
            code="previous_abnormal_reaction",
            explanation="You told us you have had a bad reaction to dry needling or an injection before. " + BLOCK_NEXT,
        ),
        # Block: cannot give informed consent and no valid substitute decision-maker.
        {
            "id": "decision_making",
            "text": "Who is making the decision about this treatment?",
            "help": "Some people have someone with legal authority to help them make health decisions. "
            "This could be a parent, a guardian, or another legal decision-maker "
            "(a person chosen by law or by a court to decide for them).",
            "type": "choice",
            "required": True,
            "options": [
                {"value": "self", "label": "I make this decision for myself", "outcome": "clear"},
                {
                    "value": "with_decision_maker",
                    "label": "A parent, guardian or other legal decision-maker is helping me decide",
                    "outcome": "review",
                    "code": "substitute_decision_maker",
                    "explanation": "Someone with legal authority is helping you decide. "
                    + REVIEW_NEXT
                    + " They will also need that person's consent.",
                    "site": False,
                },
                {
                    "value": "hard_to_understand",
                    "label": "I find this hard to understand, and no one with legal authority is helping me",
                    "outcome": "block",
                    "code": "cannot_give_consent",
                    "explanation": "To have dry needling, you need to understand it well enough to agree to it, "
                    "or have someone with legal authority to decide with you. " + BLOCK_NEXT,
                    "site": False,
                },
            ],
        },
        # Review: bleeding tendency, anticoagulant or antiplatelet medicine.
        # (Site) block: anticoagulants / clotting disorder -> combined rules below.
        yes_no(
            "blood_thinners",
            "Do you take a medicine that thins your blood or stops it from clotting?",
            "For example warfarin, apixaban, rivaroxaban, dabigatran, heparin injections, clopidogrel, "
            "or a daily aspirin. If you are not sure, answer Yes, or ask your pharmacist.",
            outcome="review",
            code="blood_thinner_medicine",
            explanation="Blood-thinning medicine can make you bleed or bruise more easily. " + REVIEW_NEXT,
        ),
        yes_no(
            "bleeding_disorder",
            "Do you have a bleeding or clotting disorder, or do you bleed or bruise very easily?",
            "A bleeding or clotting disorder is a condition where your blood does not clot "
            "(thicken to stop bleeding) in the normal way. Haemophilia is one example.",
            outcome="review",
            code="bleeding_tendency",
            explanation="You told us you bleed easily or have a clotting disorder. " + REVIEW_NEXT,
        ),
        # Review: current medicines (list).
        {
            "id": "medicines",
            "text": "Please list any medicines you take now.",
            "help": "Include tablets, injections, inhalers and creams, and medicines you buy without a "
            "prescription. Leave this empty if you take none.",
            "type": "text",
            "required": False,
            "if_answered": {
                "outcome": "review",
                "code": "current_medicines",
                "explanation": "You told us about medicines you take. "
                "Your practitioner will check your list before your appointment is confirmed.",
            },
        },
        # Review: recent surgery (no authoritative source: clinic policy).
        yes_no(
            "recent_surgery",
            "Have you had an operation (surgery) recently?",
            "If you are not sure whether it counts as recent, answer Yes.",
            outcome="review",
            code="recent_surgery",
            explanation="You told us you had an operation recently. Under our clinic's policy, "
            "your practitioner will check this answer before your appointment is confirmed.",
        ),
        # Review: compromised immunity (cancer, HIV, hepatitis, immunosuppressants).
        yes_no(
            "weak_immune_system",
            "Do you have a health condition, or take a medicine, that weakens your immune system?",
            "Your immune system is how your body fights infection. Examples: cancer or cancer treatment, HIV, "
            "hepatitis (an infection of the liver), or immunosuppressants (medicines that calm down the "
            "immune system, for example after a transplant).",
            outcome="review",
            code="weakened_immunity",
            explanation="A weaker immune system can make an infection more likely. " + REVIEW_NEXT,
        ),
        # Review: compromised immunity (endocarditis, heart-valve disease or replacement).
        yes_no(
            "heart_valve",
            "Have you ever had endocarditis, heart-valve disease, or a replacement heart valve?",
            "Endocarditis is an infection of the inside lining of the heart. Heart valves are like little "
            "doors that keep blood flowing the right way through the heart.",
            outcome="review",
            code="heart_valve_or_endocarditis",
            explanation="You told us about endocarditis or a heart-valve problem. " + REVIEW_NEXT,
        ),
        # Review: unstable heart condition.
        yes_no(
            "unstable_heart",
            "Do you have a heart condition that is not stable: not under control, or getting worse?",
            "For example, chest pain that is new or happening more often, or a heart problem your doctor is "
            "still trying to control. If your heart condition is stable and well managed, answer No.",
            outcome="review",
            code="unstable_heart_condition",
            explanation="You told us your heart condition is not stable. " + REVIEW_NEXT,
        ),
        # Review: pacemaker, ICD or other implanted electrical device.
        yes_no(
            "implanted_device",
            "Do you have a pacemaker, an ICD, or another electrical device inside your body?",
            "A pacemaker keeps your heartbeat steady. An ICD (implantable cardioverter-defibrillator) can "
            "give your heart a shock to fix a dangerous heartbeat. Another example is a nerve stimulator.",
            outcome="review",
            code="implanted_electrical_device",
            explanation="Electrical stimulation must not be used near a device like this. " + REVIEW_NEXT,
        ),
        # Review: vascular disease.
        yes_no(
            "vascular_disease",
            "Do you have a disease of your blood vessels (vascular disease)?",
            "Blood vessels are the tubes that carry blood around your body. Examples: poor blood flow "
            "(circulation) in your legs or arms, a blood clot in a vein, or an aneurysm "
            "(a weak, bulging blood vessel).",
            outcome="review",
            code="vascular_disease",
            explanation="You told us you have a disease of your blood vessels. " + REVIEW_NEXT,
        ),
        # Block: needling in a limb or area with lymphoedema.
        yes_no(
            "lymphoedema",
            "Do you have lymphoedema?",
            "Lymphoedema is swelling that lasts a long time, often in an arm or a leg. It happens when fluid "
            "(lymph) does not drain away properly.",
            outcome="block",
            code="lymphoedema",
            explanation="Needles must not be used in an arm, leg or area with lymphoedema. " + BLOCK_NEXT,
        ),
        # Review: lymph nodes removed (limb at risk).
        yes_no(
            "lymph_nodes_removed",
            "Have you had lymph nodes taken out, for example during an operation for cancer?",
            "Lymph nodes are small glands that help drain fluid and fight infection. "
            "They are often taken out from the armpit or the groin.",
            outcome="review",
            code="lymph_nodes_removed",
            explanation="The arm, leg or area near where lymph nodes were taken out may be at risk. " + REVIEW_NEXT,
        ),
        # Review: diabetes.
        yes_no(
            "diabetes",
            "Do you have diabetes?",
            "Diabetes is a condition where there is too much sugar in your blood. "
            "It includes type 1 and type 2 diabetes.",
            outcome="review",
            code="diabetes",
            explanation="You told us you have diabetes. " + REVIEW_NEXT,
        ),
        # Review: epilepsy (uncontrolled: block).
        {
            "id": "epilepsy",
            "text": "Do you have epilepsy (seizures or fits)?",
            "help": "A seizure is a sudden burst of activity in the brain. It can cause shaking, staring, "
            "or passing out.",
            "type": "choice",
            "required": True,
            "options": [
                {"value": "no", "label": "No", "outcome": "clear"},
                {
                    "value": "controlled",
                    "label": "Yes, and my seizures are well controlled",
                    "outcome": "review",
                    "code": "epilepsy_controlled",
                    "explanation": "You told us you have epilepsy that is well controlled. " + REVIEW_NEXT,
                    "site": False,
                },
                {
                    "value": "uncontrolled",
                    "label": "Yes, and my seizures are not well controlled, or I am not sure",
                    "outcome": "block",
                    "code": "epilepsy_uncontrolled",
                    "explanation": "You told us your seizures are not well controlled. " + BLOCK_NEXT,
                    "site": False,
                },
            ],
        },
        # Review: pregnant or may be pregnant.
        yes_no(
            "pregnant",
            "Are you pregnant, or could you be pregnant?",
            "If this does not apply to you, answer No.",
            outcome="review",
            code="pregnancy",
            explanation="You told us you are or could be pregnant. " + REVIEW_NEXT,
        ),
        # Review: frailty.
        yes_no(
            "frailty",
            "Would you say you are frail?",
            "For example, you feel weak, get tired very easily, find walking hard, or need help with everyday tasks.",
            outcome="review",
            code="frailty",
            explanation="You told us you feel frail. " + REVIEW_NEXT,
        ),
        # Review: metal allergy.
        yes_no(
            "metal_allergy",
            "Are you allergic to any metal, such as nickel, chromium or stainless steel?",
            "For example, jewellery, a watch strap or a belt buckle gives you an itchy rash.",
            outcome="review",
            code="metal_allergy",
            explanation="The needles are made of metal. " + REVIEW_NEXT,
        ),
        # Review (combined rule below): needling near the chest wall with low body weight.
        yes_no(
            "area_near_chest",
            "Might the needling be near your chest, ribs, upper back, neck or shoulders?",
            "Think about where you have pain or want treatment. If you are not sure, answer Yes.",
        ),
        yes_no(
            "low_body_weight",
            "Are you very slim or underweight?",
            "If you are not sure, answer Yes.",
        ),
        # (Site) block: infected, broken or acutely inflamed skin, or varicose veins at the site.
        yes_no(
            "skin_problem_at_area",
            "Where you want treatment, is any skin infected, broken, or red and swollen?",
            "For example a cut, a sore, a rash, a burn, or a red, hot, puffy area.",
            outcome="review",
            code="skin_problem_at_site",
            explanation="Needles must not go through infected, broken or swollen skin. " + SITE_NEXT,
            site=True,
        ),
        yes_no(
            "varicose_veins_at_area",
            "Where you want treatment, do you have varicose veins?",
            "Varicose veins are swollen, twisted veins you can see under the skin, often on the legs.",
            outcome="review",
            code="varicose_veins_at_site",
            explanation="Needles must not go into varicose veins. " + SITE_NEXT,
            site=True,
        ),
    ]
