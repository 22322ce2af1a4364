"""A clinic adds an instrument it is licensed to use, with no copyrighted wording shipped by Acus:
the NDI example of docs/instruments.md parses, is added by staff who confirm the licence, can be
named in a plan and is scored end to end (sum 0-50, lower is better, Young 2009's 10 points)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from accounts.models import Patient
from care.errors import InvalidInput
from care.instruments import Direction, Scoring, instrument_from_dict
from care.models import ClinicInstrument
from care.selectors.instruments import UnknownInstrument, instrument_for
from care.services.scores import record_score
from tests.booking.factories import make_clinic, make_practitioner
from tests.care.plans import plan_body, seen
from tests.care.score_world import active_plan, post
from tests.workspace.factories import Desk, staff_client

YOUNG_2009 = "Young et al., Spine J 2009, doi 10.1016/j.spinee.2009.06.002"
URL = "/api/v1/staff/instruments"


def ndi_example() -> dict[str, Any]:
    text = (Path(settings.BASE_DIR) / "docs" / "instruments.md").read_text()
    found = re.search(r"```json\n(.*?)\n```", text, re.DOTALL)
    assert found, "docs/instruments.md lost its NDI example"
    return dict(json.loads(found.group(1)))


def huge_scale() -> dict[str, Any]:
    rules = ndi_example()
    rules["items"] = [{**item, "high": 2000, "anchors": []} for item in rules["items"]]
    return {**rules, "range": {"min": 0, "max": 20000}}


def test_the_documented_ndi_example_parses_without_item_wording() -> None:
    ndi = instrument_from_dict(ndi_example())

    assert (ndi.code, ndi.scoring, ndi.direction) == ("ndi", Scoring.SUM, Direction.LOWER_IS_BETTER)
    assert (ndi.range.min, ndi.range.max) == (0, 50)
    assert [item.id for item in ndi.items] == [f"item{n}" for n in range(1, 11)]
    assert all(str(item.text).startswith(f"Section {n}: replace") for n, item in enumerate(ndi.items, 1))
    default, cleland = ndi.meaningful_change
    assert (default.code, default.points, default.source) == ("young-2009", 10, YOUNG_2009)
    assert (cleland.points, cleland.source) == (9.5, "Cleland et al., Arch Phys Med Rehabil 2008")


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
class TestAClinicsInstrument:
    def add(self, desk: Desk, **changes: Any) -> Any:
        body = {"clinic": desk.clinic.pk, "licence_confirmed": True, "definition": ndi_example(), **changes}
        return post(staff_client(desk.alex.user), URL, body)

    def test_staff_add_it_confirming_the_licence(self, desk: Desk) -> None:
        response = self.add(desk)

        assert response.status_code == 201, response.content
        row = ClinicInstrument.objects.get()
        assert (row.code, row.licence_confirmed_by, row.active) == ("ndi", desk.alex.user, True)
        assert instrument_for(desk.clinic, "ndi").range.max == 50
        listed = staff_client(desk.admin).get(URL).json()
        assert [i["code"] for i in listed] == ["nprs", "psfs", "ndi"]

    def test_another_clinic_does_not_have_it(self, desk: Desk) -> None:
        self.add(desk)

        with pytest.raises(UnknownInstrument):
            instrument_for(make_clinic(name="Elsewhere", slug="elsewhere"), "ndi")

    @pytest.mark.parametrize(
        ("changes", "field", "words"),
        [
            ({"licence_confirmed": False}, "licence_confirmed", "holds a licence"),
            ({"definition": {**ndi_example(), "range": {"min": 0, "max": 100}}}, "definition", "does not fit sum"),
            ({"definition": {**ndi_example(), "code": "nprs"}}, "definition", "built in"),
            ({"definition": [1, 2]}, "definition", "expected an object"),
            ({"definition": huge_scale()}, "definition", "within ±9999"),
            ({"clinic": 999999}, "clinic", "Unknown clinic"),
        ],
    )
    def test_a_bad_request_is_a_400_naming_the_field(
        self, desk: Desk, changes: dict[str, Any], field: str, words: str
    ) -> None:
        response = self.add(desk, **changes)

        assert response.status_code == 400, response.content
        assert words in " ".join(response.json()["fields"][field])
        assert not ClinicInstrument.objects.exists()

    def test_the_same_code_twice_is_refused(self, desk: Desk) -> None:
        self.add(desk)

        again = self.add(desk)

        assert again.status_code == 400
        assert "already has" in " ".join(again.json()["fields"]["definition"])

    def test_staff_of_another_clinic_cannot_add_one_here(self, desk: Desk) -> None:
        elsewhere = make_clinic(name="Elsewhere", slug="elsewhere")
        sam = make_practitioner(elsewhere, name="Sam Else").user
        body = {"clinic": desk.clinic.pk, "licence_confirmed": True, "definition": ndi_example()}

        response = post(staff_client(sam), URL, body)

        assert response.status_code == 400
        assert "do not work at this clinic" in " ".join(response.json()["fields"]["clinic"])

    def test_a_plan_names_it_only_once_the_clinic_has_it(self, desk: Desk, patient: Patient) -> None:
        alex = staff_client(desk.alex.user)
        body = plan_body(desk, seen(desk, patient), measures=["nprs", "ndi"], goals=[])

        before = post(alex, "/api/v1/staff/care-plans", body)
        self.add(desk)
        after = post(alex, "/api/v1/staff/care-plans", body)

        assert before.status_code == 400
        assert "Unknown outcome measure: ndi." in before.json()["fields"]["measures"]
        assert after.status_code == 201, after.content

    def test_it_is_scored_end_to_end(self, desk: Desk, patient: Patient) -> None:
        self.add(desk)
        plan = active_plan(desk, patient, region="neck", measures=("ndi",))

        def ndi(values: list[int], timepoint: str) -> Any:
            answers = {f"item{n}": v for n, v in enumerate(values, 1)}
            return record_score(plan, instrument="ndi", timepoint=timepoint, answers=answers, actor=patient.user)

        ndi([3] * 10, "baseline")  # 30 of 50
        small = ndi([3] * 9 + [0], "checkin")  # 27: 3 points better, 10%
        large = ndi([2] * 10, "checkin")  # 20: 10 points better, 33.3%

        assert (small.score, small.change, small.meaningful) == (27, 3, False)
        assert (large.score, large.baseline, large.change, float(large.change_percent or 0)) == (20, 30, 10, 33.3)
        assert (large.meaningful, large.threshold, large.threshold_source) == (True, "young-2009", YOUNG_2009)
        with pytest.raises(InvalidInput) as out_of_range:
            ndi([6] + [0] * 9, "checkin")
        assert "from 0 to 5" in out_of_range.value.fields["answers.item1"][0]
