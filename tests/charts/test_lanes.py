"""The comparison chart: a lane per council filled with the grade it held from each judgement to the next."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from inspections.charts import GradeStyle, grade_lanes

SVG = "{http://www.w3.org/2000/svg}"
STYLES = (
    GradeStyle("good", "Good", "#1d70b8", "hatch"),
    GradeStyle("requires_improvement", "Requires improvement", "#f47738", "dots"),
    GradeStyle("inadequate", "Inadequate", "#d4351c", "crosshatch"),
    GradeStyle("not_judged", "Not judged", "#b1b4b6", "horizontal"),
    GradeStyle("no_inspection", "No inspection recorded", "#f8f8f8", "solid"),
)
SERIES = [
    ("Wirral", [(date(2019, 7, 29), "requires_improvement", "ILACS"), (date(2016, 9, 20), "inadequate", "SIF")]),
    ("Tameside <&>", [(date(2024, 5, 1), "good", "ILACS")]),
    ("Nowhere", []),
]


def test_each_judgement_is_a_row_of_the_table_oldest_first_per_council():
    chart = grade_lanes(SERIES, STYLES, "Overall effectiveness", until=date(2026, 11, 30), date_label="Published")
    assert chart.table.headers == ["Council", "Published", "Event", "Grade"]
    assert chart.table.rows == [
        ["Wirral", "20 September 2016", "SIF", "Inadequate"],
        ["Wirral", "29 July 2019", "ILACS", "Requires improvement"],
        ["Tameside <&>", "1 May 2024", "ILACS", "Good"],
    ]


def test_the_svg_is_valid_labelled_escaped_and_its_key_lists_only_what_is_drawn_best_first():
    chart = grade_lanes(SERIES, STYLES, "Overall effectiveness", until=date(2026, 11, 30))
    root = ET.fromstring(chart.svg)  # escaped names keep it well formed
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Overall effectiveness"
    assert "Tameside &lt;&amp;&gt;" in chart.svg and "No judgement recorded" in chart.svg
    assert [s.key for s in chart.keys] == ["good", "requires_improvement", "inadequate", "no_inspection"]
    assert "2016" in chart.svg and "2026" in chart.svg
    tips = [t.text for t in root.iter(f"{SVG}title")]
    assert "Wirral: Inadequate from 20 September 2016 (SIF)" in tips


def test_a_grade_without_a_style_is_refused():
    with pytest.raises(ValueError, match="No style for grade 'outstanding'"):
        grade_lanes([("Wirral", [(date(2020, 1, 1), "outstanding", "x")])], STYLES, "t", until=date(2026, 1, 1))
