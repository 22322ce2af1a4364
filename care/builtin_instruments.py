"""The instruments Acus ships: NPRS and PSFS, free to use (shared/clinical/FACTS.md section 6).

Figures and sources come from FACTS.md section 6 only. Neither carries a question text yet:
the anchors are the standard ones, and the wording of the question waits for a sourced version."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from care.instruments import (
    Anchor,
    Direction,
    Instrument,
    Item,
    ItemKind,
    PatientNamedItems,
    ScoreRange,
    Scoring,
    Threshold,
)

FARRAR_2001 = "Farrar et al., Pain 2001, PMID 11690728"
CLELAND_2008 = "Cleland et al., Arch Phys Med Rehabil 2008"
ABBOTT_SCHMITT_2014 = "Abbott and Schmitt, JOSPT 2014, 1,708 patients, doi 10.2519/jospt.2014.5248"

FREE_TO_USE = _("Widely used without a fee (not checked against the owner's current terms).")

NPRS = Instrument(
    code="nprs",
    name=_("Numeric Pain Rating Scale"),
    items=(
        Item(
            id="pain",
            kind=ItemKind.NUMERIC_SCALE,
            low=0,
            high=10,
            anchors=(Anchor(0, _("No pain")), Anchor(10, _("Worst pain imaginable"))),
        ),
    ),
    scoring=Scoring.SINGLE_ITEM,
    range=ScoreRange(0, 10),
    direction=Direction.LOWER_IS_BETTER,
    meaningful_change=(
        Threshold(code="farrar-2001", label=_("Pain in general"), source=FARRAR_2001, points=2, percent=30),
        Threshold(code="cleland-2008-neck", label=_("Mechanical neck pain"), source=CLELAND_2008, points=1.3),
    ),
    licence=FREE_TO_USE,
)

# Each activity the patient names (a goal of the plan) is rated 0-10; the score is their mean.
# The default threshold is the small change, the least the paper calls important; the medium and
# large ones say how much more the patient has gained.
PSFS = Instrument(
    code="psfs",
    name=_("Patient-Specific Functional Scale"),
    items=(
        Item(
            id="activity",
            kind=ItemKind.NUMERIC_SCALE,
            low=0,
            high=10,
            anchors=(
                Anchor(0, _("Unable to perform activity")),
                Anchor(10, _("Able to perform activity at the same level as before injury or problem")),
            ),
        ),
    ),
    scoring=Scoring.MEAN,
    range=ScoreRange(0, 10),
    direction=Direction.HIGHER_IS_BETTER,
    meaningful_change=(
        Threshold(code="small", label=_("Small change"), source=ABBOTT_SCHMITT_2014, points=1.3),
        Threshold(code="medium", label=_("Medium change"), source=ABBOTT_SCHMITT_2014, points=2.3),
        Threshold(code="large", label=_("Large change"), source=ABBOTT_SCHMITT_2014, points=2.7),
    ),
    licence=FREE_TO_USE,
    patient_named=PatientNamedItems(fewest=3, most=5),
)

BUILT_IN: Mapping[str, Instrument] = {instrument.code: instrument for instrument in (NPRS, PSFS)}
