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

The package, by job:

- consent_form.py: demo_consent_form(), built from sections.py (what the form explains)
  and side_effects.py (each side effect and how often it happens);
- questionnaire.py: demo_questionnaire(), built from questions.py (the health questions)
  and its combined rules;
- wording.py: what-happens-next phrases and the yes/no question shape the questions share.
"""

from consent.content.consent_form import demo_consent_form
from consent.content.questionnaire import demo_questionnaire

__all__ = ["demo_consent_form", "demo_questionnaire"]
