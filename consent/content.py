"""The demo informed-consent form and health-screening questionnaire, as plain data.

No Django, no database: each function returns a fresh dict that a clinic copies into a
ConsentFormVersion or QuestionnaireVersion and edits. Every figure comes from
../shared/clinical/FACTS.md (section 1 for the screening rules, section 2 for the side
effects); where no rate exists the text says "not known". The words are written for a
reader of about 12: short sentences, everyday words, medical terms explained in brackets.

The consent form follows consent/documents.py (sections, side_effects, blanks
{clinic_name}, {practitioner_name}, {practitioner_disclosure}); the questionnaire follows
consent/screening.py (items, options with outcome/code/explanation/site, if_answered,
combined_rules).
"""

from __future__ import annotations

from typing import Any

# What happens next, said the same way every time.
_BLOCK_NEXT = (
    "Dry needling is not safe or right for you now. "
    "You can still book an assessment without needling, or call the clinic to talk about it."
)
_REVIEW_NEXT = "Your practitioner will check this answer before your appointment is confirmed."
_SITE_NEXT = (
    "Your practitioner will check this answer before your appointment is confirmed. "
    "They will look at the area and will not put needles where it is not safe."
)


def demo_consent_form() -> dict[str, Any]:
    """The demo consent form: every key of ConsentFormVersion except scope, version and material."""
    return {
        "title": "Consent to dry needling",
        "sections": [
            {
                "id": "what",
                "heading": "What is dry needling?",
                "paragraphs": [
                    "Dry needling is a treatment for sore, tight muscles. "
                    "Your practitioner puts very thin needles through your skin into tight spots in a muscle. "
                    "These tight spots are called trigger points. "
                    'It is called "dry" because nothing is injected: there is no medicine in the needle.',
                    "What happens at a session: "
                    "First, you talk with your practitioner about your health and your problem (a consultation). "
                    "Next, they examine you and check how you move (an assessment). "
                    "Then, if dry needling is right for you, they put needles into the trigger points.",
                    "When a needle goes in, the muscle often gives a quick twitch or a short cramp. "
                    "This is common and passes quickly.",
                    "At the end, your practitioner gives you advice on how to look after yourself afterwards "
                    "(aftercare advice). "
                    "They also write down how much pain you have, so you can both plan any more sessions.",
                ],
            },
            {
                "id": "benefits",
                "heading": "How might it help?",
                "paragraphs": [
                    "Dry needling aims to ease muscle pain and stiffness, and to help you move more easily.",
                    "Results are different for each person. "
                    "It may help a lot, a little, or not at all. "
                    "We cannot promise that it will work for you.",
                ],
            },
            {
                "id": "risks",
                "heading": "Risks and side effects",
                "paragraphs": [
                    "Like any treatment, dry needling can have side effects. "
                    "Mild side effects are common. They usually go away on their own. "
                    "Serious problems are rare.",
                    "In one study of 7,629 treatments (Brady and others, 2014), "
                    "mild side effects happened in about 19 of every 100 treatments (19.18%). "
                    "No serious problems were found in that study.",
                    "In another study of 20,464 sessions (Boyce and others, 2020), "
                    "minor side effects happened in about 37 of every 100 sessions (36.7%). "
                    "Serious problems happened in under 1 in every 1,000 sessions (about 1 in 1,024). "
                    "They included a collapsed lung, heavy bleeding, and symptoms that got worse "
                    "and stayed worse for a long time.",
                    "Here are the side effects and how often they happened. "
                    '"Not known" means that no study has given a reliable number.',
                ],
            },
            {
                "id": "alternatives",
                "heading": "Other choices",
                "paragraphs": [
                    "Dry needling is not your only choice. Other options include:",
                    "- an exercise programme to make your muscles stronger and more flexible;",
                    "- hands-on treatment (manual therapy), such as massage or gently moving your joints;",
                    "- other physiotherapy, such as advice on posture, activity and how to manage your pain;",
                    "- medicines from your doctor or pharmacist.",
                    "You can ask your practitioner about any of these.",
                ],
            },
            {
                "id": "decline",
                "heading": "If you say no",
                "paragraphs": [
                    "You do not have to have dry needling. It is your choice.",
                    "If you say no, you can still have an assessment and other treatment. "
                    "Nothing bad will happen to your care.",
                    "Without treatment, your problem may get better on its own, stay the same, or get worse. "
                    "Your practitioner can talk with you about what is best for you.",
                ],
            },
            {
                "id": "withdraw",
                "heading": "You can stop at any time",
                "paragraphs": [
                    "You can change your mind at any time: before a session, or during it. "
                    "You do not have to give a reason.",
                    "To stop during a session, just tell your practitioner. They will stop and take the needles out.",
                    "To withdraw your consent before a visit, tell the clinic, or withdraw it in the app.",
                    "Stopping or withdrawing will not affect the rest of your care.",
                ],
            },
            {
                "id": "records",
                "heading": "Electronic records and signature",
                "paragraphs": [
                    "By signing, you agree to sign this form and to get your records electronically "
                    "(on your phone or computer), instead of on paper.",
                    "You have the right to a paper copy. To get one, ask at the clinic, or call or email the clinic.",
                    "You can withdraw your agreement to electronic records at any time. "
                    "To do this, tell the clinic. After that, the clinic will give you your records on paper.",
                    "To sign and keep your records, you need: a phone, tablet or computer with a web browser; "
                    "an email address; and a way to open PDF files. "
                    "Tell the clinic if your email address changes.",
                    "The clinic keeps your records for as long as the law says it must (its retention period).",
                ],
            },
            {
                "id": "training",
                "heading": "Your practitioner's training",
                "paragraphs": [
                    "{practitioner_disclosure}",
                    "Your practitioner for dry needling at {clinic_name} is {practitioner_name}. "
                    "You can ask them about their training at any time.",
                ],
            },
            {
                "id": "ongoing",
                "heading": "Your consent carries on, and is checked again",
                "paragraphs": [
                    "Signing this form is not the end of it. "
                    "At your session, your practitioner will check with you again that you are happy to go ahead.",
                    "Before each visit, we will ask you whether your health has changed. "
                    "If it has, you will answer the health questions again and sign a new consent.",
                    "We may also ask you to sign again if this form changes in an important way, or after a set time.",
                ],
            },
        ],
        "side_effects": [
            {
                "effect": "Bruising",
                "how_often": "about 8 in 100 treatments (7.55%, Brady 2014); "
                "about 8 in 100 sessions (7.7%, Boyce 2020)",
                "note": "A bruise is a blue or purple mark where the needle went in. It fades on its own.",
            },
            {
                "effect": "Bleeding",
                "how_often": "about 5 in 100 treatments (4.65%, Brady 2014); 16 in 100 sessions (16%, Boyce 2020)",
                "note": "Usually a little blood where the needle went in. Pressing on the spot stops it.",
            },
            {
                "effect": "Pain during needling",
                "how_often": "about 3 in 100 treatments (3.01%, Brady 2014); "
                "about 6 in 100 sessions (5.9%, Boyce 2020)",
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
                "note": "It feels like sore muscles after exercise. "
                "On average it is gone within about 72 hours (3 days).",
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
                "note": "Contact the clinic if a needle spot becomes red, hot or swollen, has pus, "
                "or if you get a fever.",
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
                "note": "These included a collapsed lung, heavy bleeding, and symptoms that stayed worse "
                "for a long time.",
            },
        ],
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


def _yes_no(
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


def demo_questionnaire() -> dict[str, Any]:
    """The demo health screening: one or more items for every rule in FACTS section 1."""
    items: list[dict[str, Any]] = [
        # Block: medical emergency or acute medical condition today.
        _yes_no(
            "unwell_today",
            "Are you unwell today? For example, do you have a fever, a new infection, or a sudden new health problem?",
            "If it is an emergency, call your local emergency number now. "
            "If you become unwell before your visit, tell the clinic.",
            outcome="block",
            code="acute_illness_today",
            explanation="You told us you are unwell today. "
            + _BLOCK_NEXT
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
                    + _REVIEW_NEXT
                    + " They can talk it through with you.",
                    "site": False,
                },
                {
                    "value": "phobia",
                    "label": "I have a very strong fear of needles (needle phobia)",
                    "outcome": "block",
                    "code": "needle_phobia",
                    "explanation": "You told us you have a very strong fear of needles. " + _BLOCK_NEXT,
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
        _yes_no(
            "fainted_with_needles",
            "Have you ever fainted, or nearly fainted, when you had a needle, an injection or a blood test?",
            "Fainting means passing out for a short time. Nearly fainting means feeling dizzy, sick or "
            "light-headed, as if you might pass out.",
            outcome="review",
            code="fainting_with_needles",
            explanation="You told us you have fainted or nearly fainted with needles before. " + _REVIEW_NEXT,
        ),
        # Block: previous abnormal reaction to dry needling or an injection.
        _yes_no(
            "bad_reaction_before",
            "Have you ever had a bad or unusual reaction to dry needling or to an injection?",
            "For example, a serious allergic reaction, or a reaction that needed a doctor. "
            "Soreness, a small bruise or feeling faint does not count here: "
            "there is a separate question about fainting.",
            outcome="block",
            code="previous_abnormal_reaction",
            explanation="You told us you have had a bad reaction to dry needling or an injection before. "
            + _BLOCK_NEXT,
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
                    + _REVIEW_NEXT
                    + " They will also need that person's consent.",
                    "site": False,
                },
                {
                    "value": "hard_to_understand",
                    "label": "I find this hard to understand, and no one with legal authority is helping me",
                    "outcome": "block",
                    "code": "cannot_give_consent",
                    "explanation": "To have dry needling, you need to understand it well enough to agree to it, "
                    "or have someone with legal authority to decide with you. " + _BLOCK_NEXT,
                    "site": False,
                },
            ],
        },
        # Review: bleeding tendency, anticoagulant or antiplatelet medicine.
        # (Site) block: anticoagulants / clotting disorder -> combined rules below.
        _yes_no(
            "blood_thinners",
            "Do you take a medicine that thins your blood or stops it from clotting?",
            "For example warfarin, apixaban, rivaroxaban, dabigatran, heparin injections, clopidogrel, "
            "or a daily aspirin. If you are not sure, answer Yes, or ask your pharmacist.",
            outcome="review",
            code="blood_thinner_medicine",
            explanation="Blood-thinning medicine can make you bleed or bruise more easily. " + _REVIEW_NEXT,
        ),
        _yes_no(
            "bleeding_disorder",
            "Do you have a bleeding or clotting disorder, or do you bleed or bruise very easily?",
            "A bleeding or clotting disorder is a condition where your blood does not clot "
            "(thicken to stop bleeding) in the normal way. Haemophilia is one example.",
            outcome="review",
            code="bleeding_tendency",
            explanation="You told us you bleed easily or have a clotting disorder. " + _REVIEW_NEXT,
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
        _yes_no(
            "recent_surgery",
            "Have you had an operation (surgery) recently?",
            "If you are not sure whether it counts as recent, answer Yes.",
            outcome="review",
            code="recent_surgery",
            explanation="You told us you had an operation recently. Under our clinic's policy, "
            "your practitioner will check this answer before your appointment is confirmed.",
        ),
        # Review: compromised immunity (cancer, HIV, hepatitis, immunosuppressants).
        _yes_no(
            "weak_immune_system",
            "Do you have a health condition, or take a medicine, that weakens your immune system?",
            "Your immune system is how your body fights infection. Examples: cancer or cancer treatment, HIV, "
            "hepatitis (an infection of the liver), or immunosuppressants (medicines that calm down the "
            "immune system, for example after a transplant).",
            outcome="review",
            code="weakened_immunity",
            explanation="A weaker immune system can make an infection more likely. " + _REVIEW_NEXT,
        ),
        # Review: compromised immunity (endocarditis, heart-valve disease or replacement).
        _yes_no(
            "heart_valve",
            "Have you ever had endocarditis, heart-valve disease, or a replacement heart valve?",
            "Endocarditis is an infection of the inside lining of the heart. Heart valves are like little "
            "doors that keep blood flowing the right way through the heart.",
            outcome="review",
            code="heart_valve_or_endocarditis",
            explanation="You told us about endocarditis or a heart-valve problem. " + _REVIEW_NEXT,
        ),
        # Review: unstable heart condition.
        _yes_no(
            "unstable_heart",
            "Do you have a heart condition that is not stable: not under control, or getting worse?",
            "For example, chest pain that is new or happening more often, or a heart problem your doctor is "
            "still trying to control. If your heart condition is stable and well managed, answer No.",
            outcome="review",
            code="unstable_heart_condition",
            explanation="You told us your heart condition is not stable. " + _REVIEW_NEXT,
        ),
        # Review: pacemaker, ICD or other implanted electrical device.
        _yes_no(
            "implanted_device",
            "Do you have a pacemaker, an ICD, or another electrical device inside your body?",
            "A pacemaker keeps your heartbeat steady. An ICD (implantable cardioverter-defibrillator) can "
            "give your heart a shock to fix a dangerous heartbeat. Another example is a nerve stimulator.",
            outcome="review",
            code="implanted_electrical_device",
            explanation="Electrical stimulation must not be used near a device like this. " + _REVIEW_NEXT,
        ),
        # Review: vascular disease.
        _yes_no(
            "vascular_disease",
            "Do you have a disease of your blood vessels (vascular disease)?",
            "Blood vessels are the tubes that carry blood around your body. Examples: poor blood flow "
            "(circulation) in your legs or arms, a blood clot in a vein, or an aneurysm "
            "(a weak, bulging blood vessel).",
            outcome="review",
            code="vascular_disease",
            explanation="You told us you have a disease of your blood vessels. " + _REVIEW_NEXT,
        ),
        # Block: needling in a limb or area with lymphoedema.
        _yes_no(
            "lymphoedema",
            "Do you have lymphoedema?",
            "Lymphoedema is swelling that lasts a long time, often in an arm or a leg. It happens when fluid "
            "(lymph) does not drain away properly.",
            outcome="block",
            code="lymphoedema",
            explanation="Needles must not be used in an arm, leg or area with lymphoedema. " + _BLOCK_NEXT,
        ),
        # Review: lymph nodes removed (limb at risk).
        _yes_no(
            "lymph_nodes_removed",
            "Have you had lymph nodes taken out, for example during an operation for cancer?",
            "Lymph nodes are small glands that help drain fluid and fight infection. "
            "They are often taken out from the armpit or the groin.",
            outcome="review",
            code="lymph_nodes_removed",
            explanation="The arm, leg or area near where lymph nodes were taken out may be at risk. " + _REVIEW_NEXT,
        ),
        # Review: diabetes.
        _yes_no(
            "diabetes",
            "Do you have diabetes?",
            "Diabetes is a condition where there is too much sugar in your blood. "
            "It includes type 1 and type 2 diabetes.",
            outcome="review",
            code="diabetes",
            explanation="You told us you have diabetes. " + _REVIEW_NEXT,
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
                    "explanation": "You told us you have epilepsy that is well controlled. " + _REVIEW_NEXT,
                    "site": False,
                },
                {
                    "value": "uncontrolled",
                    "label": "Yes, and my seizures are not well controlled, or I am not sure",
                    "outcome": "block",
                    "code": "epilepsy_uncontrolled",
                    "explanation": "You told us your seizures are not well controlled. " + _BLOCK_NEXT,
                    "site": False,
                },
            ],
        },
        # Review: pregnant or may be pregnant.
        _yes_no(
            "pregnant",
            "Are you pregnant, or could you be pregnant?",
            "If this does not apply to you, answer No.",
            outcome="review",
            code="pregnancy",
            explanation="You told us you are or could be pregnant. " + _REVIEW_NEXT,
        ),
        # Review: frailty.
        _yes_no(
            "frailty",
            "Would you say you are frail?",
            "For example, you feel weak, get tired very easily, find walking hard, or need help with everyday tasks.",
            outcome="review",
            code="frailty",
            explanation="You told us you feel frail. " + _REVIEW_NEXT,
        ),
        # Review: metal allergy.
        _yes_no(
            "metal_allergy",
            "Are you allergic to any metal, such as nickel, chromium or stainless steel?",
            "For example, jewellery, a watch strap or a belt buckle gives you an itchy rash.",
            outcome="review",
            code="metal_allergy",
            explanation="The needles are made of metal. " + _REVIEW_NEXT,
        ),
        # Review (combined rule below): needling near the chest wall with low body weight.
        _yes_no(
            "area_near_chest",
            "Might the needling be near your chest, ribs, upper back, neck or shoulders?",
            "Think about where you have pain or want treatment. If you are not sure, answer Yes.",
        ),
        _yes_no(
            "low_body_weight",
            "Are you very slim or underweight?",
            "If you are not sure, answer Yes.",
        ),
        # (Site) block: infected, broken or acutely inflamed skin, or varicose veins at the site.
        _yes_no(
            "skin_problem_at_area",
            "Where you want treatment, is any skin infected, broken, or red and swollen?",
            "For example a cut, a sore, a rash, a burn, or a red, hot, puffy area.",
            outcome="review",
            code="skin_problem_at_site",
            explanation="Needles must not go through infected, broken or swollen skin. " + _SITE_NEXT,
            site=True,
        ),
        _yes_no(
            "varicose_veins_at_area",
            "Where you want treatment, do you have varicose veins?",
            "Varicose veins are swollen, twisted veins you can see under the skin, often on the legs.",
            outcome="review",
            code="varicose_veins_at_site",
            explanation="Needles must not go into varicose veins. " + _SITE_NEXT,
            site=True,
        ),
    ]
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
