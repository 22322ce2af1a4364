"""What the demo consent form explains, section by section (FACTS section 2 for the figures)."""

from __future__ import annotations

from typing import Any


def demo_sections() -> list[dict[str, Any]]:
    """The sections of the demo consent form, in reading order."""
    return [
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
    ]
