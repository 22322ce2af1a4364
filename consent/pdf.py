"""The patient's copy of a signed consent, as a PDF (fpdf2).

It shows what 21 CFR 11.50 asks of a signed record: the signer's printed name,
the date and time, and the meaning of the signature, with the full text signed,
the health answers and the hashes that prove nothing changed since."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from consent import documents
from consent.models import SignedConsent
from core import formats

# Debian's fonts-dejavu-core (installed by .ci/run and the Dockerfile) covers
# most scripts; without it we fall back to a core font and Latin-1 text.
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.unicode = (_DEJAVU / "DejaVuSans.ttf").exists()
        if self.unicode:
            self.add_font("body", "", str(_DEJAVU / "DejaVuSans.ttf"))
            self.add_font("body", "B", str(_DEJAVU / "DejaVuSans-Bold.ttf"))
            self.add_font("mono", "", str(_DEJAVU / "DejaVuSansMono.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 15, 18)

    def text_of(self, value: str) -> str:
        if self.unicode:
            return value
        folded = unicodedata.normalize("NFKD", value).replace("\u2014", "-").replace("\u2019", "'")
        return folded.encode("latin-1", "replace").decode("latin-1")

    def font(self, style: str = "", size: float = 10, mono: bool = False) -> None:
        if self.unicode:
            self.set_font("mono" if mono else "body", "" if mono else style, size)
        else:
            self.set_font("Courier" if mono else "Helvetica", style, size)

    def para(self, value: str, *, style: str = "", size: float = 10, mono: bool = False, gap: float = 1.5) -> None:
        self.font(style, size, mono)
        self.multi_cell(0, size * 0.5, self.text_of(value), new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)


def consent_pdf(consent: SignedConsent, *, zone: str) -> bytes:
    """In the language the consent was signed in: its labels, its dates and the text signed.
    Rows from before translations ("") were signed in English."""
    with translation.override(consent.language or settings.LANGUAGE_CODE):
        return _consent_pdf(consent, zone=zone)


def _consent_pdf(consent: SignedConsent, *, zone: str) -> bytes:
    form = consent.form_version
    screening = consent.screening
    shown_questions = screening.questionnaire_translation or screening.questionnaire_version
    local = consent.signed_at.astimezone(ZoneInfo(zone))
    shown = consent.shown_canonical()
    pdf = _Pdf()
    pdf.set_title(_("Signed consent %(number)s") % {"number": consent.sequence})
    pdf.add_page()
    pdf.para(shown["title"], style="B", size=16, gap=3)
    pdf.para(_("Signature"), style="B", size=12)
    if consent.signer_role == SignedConsent.SignerRole.PATIENT:
        signed_by = _("Signed by: %(name)s (the patient)") % {"name": consent.typed_name}
    else:
        signed_by = _("Signed by: %(name)s (%(relationship)s, on the patient's behalf)") % {
            "name": consent.typed_name,
            "relationship": consent.guardian_relationship or _("guardian"),
        }
    pdf.para(signed_by)
    pdf.para(
        _("Date and time: %(local)s %(zone)s (%(utc)s UTC)")
        % {"local": formats.full_date_at(local), "zone": zone, "utc": f"{consent.signed_at:%Y-%m-%d %H:%M}"}
    )
    pdf.para(
        _(
            "Meaning of this signature: by typing their full name, the signer adopted it as their electronic "
            "signature, with the intent to sign this consent. %(statement)s"
        )
        % {"statement": consent.intent_statement}
    )
    if consent.signer_role == SignedConsent.SignerRole.GUARDIAN:
        pdf.para(_("Authority to decide: %(authority)s") % {"authority": consent.guardian_authority})
        assent = _("given") if consent.minor_assent else _("not given")
        pdf.para(_("The patient's own agreement (assent): %(assent)s") % {"assent": assent})
    pdf.para(
        _("Signed in with: %(method)s. Form version %(version)s.")
        % {"method": consent.auth_method, "version": form.version},
        gap=4,
    )

    pdf.para(_("What was signed"), style="B", size=12)
    for line in documents.render_text(shown, consent.render_context).splitlines():
        pdf.para(line or " ", gap=0.5)
    pdf.ln(3)

    pdf.para(_("Health questions and answers"), style="B", size=12)
    for item in shown_questions.items:
        answer = screening.answers.get(item["id"])
        label = next((o["label"] for o in item.get("options", []) if o["value"] == answer), answer) or _("(no answer)")
        pdf.para(f"{item['text']} — {label}", gap=0.8)
    pdf.para(_("Screening result: %(outcome)s") % {"outcome": screening.get_outcome_display()}, style="B", gap=4)

    pdf.para(_("Integrity"), style="B", size=12)
    pdf.para(_("Form sha256: %(hash)s") % {"hash": consent.form_sha256}, mono=True, size=8)
    pdf.para(_("Text sha256: %(hash)s") % {"hash": consent.rendered_text_sha256}, mono=True, size=8)
    pdf.para(_("Record sha256: %(hash)s") % {"hash": consent.row_hash}, mono=True, size=8)
    pdf.para(_("Previous record: %(hash)s") % {"hash": consent.previous_hash}, mono=True, size=8)
    return bytes(pdf.output())
