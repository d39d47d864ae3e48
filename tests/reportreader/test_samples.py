"""Every field of the sample reports' README table, read from the real files."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from reportreader import Recommendation, ReportResult, read_report

REPORTS = Path(__file__).parent / "reports"
RI = "requires_improvement"
OUT = "outstanding"


def d(text: str | None) -> datetime.date | None:
    """Return the date for an ISO string, or None."""
    return datetime.date.fromisoformat(text) if text else None


# file stem: framework, council as printed, start, end, published, lead inspector,
# judgements in report order, council recommendations, LSCB recommendations.
EXPECTED = {
    "80418-norfolk-2013-08-16": (
        "looked_after_2009",
        "Norfolk County Council",
        "2013-07-08",
        "2013-07-12",
        "2013-08-16",
        "Gary Lamb",
        {
            "overall_effectiveness": "inadequate",
            "capacity_to_improve": "inadequate",
            "outcomes_for_looked_after_children": "inadequate",
            "quality_of_provision": "inadequate",
            "leadership_and_management": "inadequate",
        },
        17,
        0,
    ),
    "80426-barnsley-2014-08-08": (
        "sif",
        "Metropolitan Borough of Barnsley Council",
        "2014-06-02",
        "2014-06-25",
        "2014-08-08",
        "Jansy Kelly",
        {
            "overall_effectiveness": RI,
            "help_and_protection": RI,
            "children_looked_after": RI,
            "adoption_performance": RI,
            "care_leavers": "good",
            "leadership_management_governance": RI,
            "lscb": RI,
        },
        25,
        7,
    ),
    "80581-wirral-2016-09-20": (
        "sif",
        "Wirral Metropolitan Borough Council",
        "2016-07-04",
        "2016-07-28",
        "2016-09-20",
        "Shirley Bailey",
        {
            "overall_effectiveness": "inadequate",
            "help_and_protection": "inadequate",
            "children_looked_after": RI,
            "adoption_performance": RI,
            "care_leavers": "inadequate",
            "leadership_management_governance": "inadequate",
            "lscb": "inadequate",
        },
        19,
        7,
    ),
    "80428-bedford-2017-04-07": (
        "sif",
        "Bedford Borough",
        "2017-01-23",
        "2017-02-16",
        "2017-04-07",
        "Donna Marriott",
        {
            "overall_effectiveness": RI,
            "help_and_protection": RI,
            "children_looked_after": RI,
            "adoption_performance": "good",
            "care_leavers": "good",
            "leadership_management_governance": RI,
            "lscb": "good",
        },
        10,
        2,
    ),
    "80426-barnsley-2018-11-19": (
        "ilacs_2018",
        "Barnsley",
        "2018-10-08",
        "2018-10-19",
        None,
        "Jan Edwards",
        {
            "impact_of_leaders": "good",
            "help_and_protection": "good",
            "children_in_care_and_care_leavers": "good",
            "overall_effectiveness": "good",
        },
        4,
        0,
    ),
    "80581-wirral-2019-07-29": (
        "ilacs_2018",
        "Wirral Metropolitan Borough Council",
        "2019-06-17",
        "2019-06-28",
        None,
        "Paula Thomson-Jones",
        {
            "impact_of_leaders": "good",
            "help_and_protection": RI,
            "children_in_care_and_care_leavers": RI,
            "overall_effectiveness": RI,
        },
        5,
        0,
    ),
    "80450-london-corporation-2020-04-06": (
        "ilacs_2018",
        "City of London",
        "2020-03-02",
        "2020-03-06",
        None,
        "Matt Reed",
        {
            "impact_of_leaders": OUT,
            "help_and_protection": "good",
            "children_in_care_and_care_leavers": OUT,
            "overall_effectiveness": OUT,
        },
        2,
        0,
    ),
    "2637539-north-northamptonshire-2022-11-25": (
        "ilacs_2018",
        "North Northamptonshire",
        "2022-10-03",
        "2022-10-14",
        None,
        "Alison Smale",
        {
            "impact_of_leaders": RI,
            "help_and_protection": RI,
            "children_in_care_and_care_leavers": RI,
            "overall_effectiveness": RI,
        },
        4,
        0,
    ),
    "80581-wirral-2024-02-02": (
        "ilacs_2023",
        "Wirral",
        "2023-09-18",
        "2023-09-29",
        None,
        "Teresa Godfrey",
        {
            "impact_of_leaders": RI,
            "help_and_protection": RI,
            "children_in_care": RI,
            "care_leavers": RI,
            "overall_effectiveness": RI,
        },
        7,
        0,
    ),
    "2532283-dorset-2025-05-09": (
        "ilacs_2023",
        "Dorset",
        "2025-03-17",
        "2025-03-21",
        None,
        "Sarah Canto",
        {
            "impact_of_leaders": OUT,
            "help_and_protection": OUT,
            "children_in_care": OUT,
            "care_leavers": "good",
            "overall_effectiveness": OUT,
        },
        1,
        0,
    ),
    "2637539-north-northamptonshire-2026-07-07": (
        "ilacs_2026",
        "North Northamptonshire",
        "2026-05-11",
        "2026-05-22",
        None,
        "David Cohen",
        {
            "impact_of_leaders": OUT,
            "help_and_protection": "good",
            "children_in_care": "good",
            "care_leavers": "good",
        },
        2,
        0,
    ),
}

_cache: dict[str, ReportResult] = {}


def result_for(stem: str) -> ReportResult:
    """Return the (cached) reader result for a sample file."""
    if stem not in _cache:
        _cache[stem] = read_report(REPORTS / f"{stem}.pdf")
    return _cache[stem]


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_sample_report_matches_every_readme_field(stem):
    (
        framework,
        council,
        start,
        end,
        published,
        lead,
        judgements,
        council_recs,
        lscb_recs,
    ) = EXPECTED[stem]
    result = result_for(stem)
    assert result.kind == "inspection"
    assert result.framework == framework
    assert result.council_name == council
    assert result.council_urn is None  # none of the samples prints its URN
    assert result.start_date == d(start)
    assert result.end_date == d(end)
    assert result.published_date == d(published)
    assert result.lead_inspector == lead
    assert result.judgements == judgements
    assert list(result.judgements) == list(judgements), "judgements must be in report order"
    addressed = [r.addressed_to for r in result.recommendations]
    assert addressed.count("council") == council_recs
    assert addressed.count("lscb") == lscb_recs
    assert addressed == sorted(addressed), "the council's list comes before the LSCB's"


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_sample_report_to_dict_is_json_ready(stem):
    import json

    data = result_for(stem).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["start_date"] == EXPECTED[stem][2]


def test_ilacs_reports_without_printed_publication_date_say_so():
    result = result_for("80581-wirral-2019-07-29")
    assert result.published_date is None
    assert any("publication date" in warning for warning in result.warnings)


def test_2026_report_has_no_overall_effectiveness_judgement():
    assert "overall_effectiveness" not in result_for("2637539-north-northamptonshire-2026-07-07").judgements


def test_barnsley_2014_paragraph_numbered_recommendations_are_whole_items():
    recs = [r for r in result_for("80426-barnsley-2014-08-08").recommendations if r.addressed_to == "council"]
    assert recs[0].text.startswith("The local authority and its partners need to build upon")
    assert recs[-1].text.startswith("Professional, reflective supervision")
    assert recs[-1].text.endswith("future careers.")


def test_list_crossing_a_page_break_does_not_swallow_page_headers():
    recs = result_for("80418-norfolk-2013-08-16").recommendations
    assert all("Inspection of looked after children services" not in r.text for r in recs)
    assert recs[0] == Recommendation(recs[0].text, "council", priority=True)  # under "Immediately:"
    assert not recs[-1].priority  # under "Within six months:"


def test_ilacs_inspection_type_comes_from_on_site_length():
    assert result_for("2532283-dorset-2025-05-09").inspection_type == "short"
    assert result_for("80581-wirral-2024-02-02").inspection_type == "standard"
    assert result_for("80426-barnsley-2014-08-08").inspection_type is None


def test_reader_accepts_bytes_as_well_as_paths():
    path = REPORTS / "80581-wirral-2019-07-29.pdf"
    from_bytes = read_report(path.read_bytes(), filename="wirral.pdf")
    assert from_bytes.to_dict() == result_for("80581-wirral-2019-07-29").to_dict()
