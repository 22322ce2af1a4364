"""The patient's copy of a signed consent, as a PDF (fpdf2).

It shows what 21 CFR 11.50 asks of a signed record: the signer's printed name,
the date and time, and the meaning of the signature, with the full text signed,
the health answers and the hashes that prove nothing changed since."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF

from consent import documents
from consent.models import SignedConsent

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
    form = consent.form_version
    questionnaire = consent.screening.questionnaire_version
    local = consent.signed_at.astimezone(ZoneInfo(zone))
    pdf = _Pdf()
    pdf.set_title(f"Signed consent {consent.sequence}")
    pdf.add_page()
    pdf.para(form.title, style="B", size=16, gap=3)
    pdf.para("Signature", style="B", size=12)
    signer = (
        "the patient"
        if consent.signer_role == SignedConsent.SignerRole.PATIENT
        else (f"a {consent.guardian_relationship or 'guardian'} on the patient's behalf")
    )
    pdf.para(f"Signed by: {consent.typed_name} ({signer})")
    pdf.para(f"Date and time: {local:%d %B %Y, %H:%M} {zone} ({consent.signed_at:%Y-%m-%d %H:%M} UTC)")
    pdf.para(
        "Meaning of this signature: by typing their full name, the signer adopted it as their electronic "
        f"signature, with the intent to sign this consent. {consent.intent_statement}"
    )
    if consent.signer_role == SignedConsent.SignerRole.GUARDIAN:
        pdf.para(f"Authority to decide: {consent.guardian_authority}")
        pdf.para(f"The patient's own agreement (assent): {'given' if consent.minor_assent else 'not given'}")
    pdf.para(f"Signed in with: {consent.auth_method}. Form version {form.version}.", gap=4)

    pdf.para("What was signed", style="B", size=12)
    for line in documents.render_text(form.canonical(), consent.render_context).splitlines():
        pdf.para(line or " ", gap=0.5)
    pdf.ln(3)

    pdf.para("Health questions and answers", style="B", size=12)
    for item in questionnaire.items:
        answer = consent.screening.answers.get(item["id"])
        label = next((o["label"] for o in item.get("options", []) if o["value"] == answer), answer) or "(no answer)"
        pdf.para(f"{item['text']} — {label}", gap=0.8)
    pdf.para(f"Screening result: {consent.screening.get_outcome_display()}", style="B", gap=4)

    pdf.para("Integrity", style="B", size=12)
    pdf.para(f"Form sha256: {consent.form_sha256}", mono=True, size=8)
    pdf.para(f"Text sha256: {consent.rendered_text_sha256}", mono=True, size=8)
    pdf.para(f"Record sha256: {consent.row_hash}", mono=True, size=8)
    pdf.para(f"Previous record: {consent.previous_hash}", mono=True, size=8)
    return bytes(pdf.output())
