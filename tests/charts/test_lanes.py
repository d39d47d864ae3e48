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


def test_the_print_form_draws_each_patterned_grade_once_without_tooltips_or_names_on_the_lanes():
    series = [
        ("Wirral", [(date(2016, 9, 20), "inadequate", "SIF"), (date(2019, 7, 29), "good", "ILACS")]),
        ("Sefton", [(date(2015, 1, 1), "good", "SIF"), (date(2020, 1, 1), "requires_improvement", "ILACS")]),
        ("Halton", [(date(2017, 3, 1), "good", "SIF")]),
    ]
    screen = grade_lanes(series, STYLES, "Overall effectiveness", until=date(2026, 11, 30))
    printed = grade_lanes(series, STYLES, "Overall effectiveness", until=date(2026, 11, 30), for_print=True)
    assert printed.table == screen.table and printed.keys == screen.keys
    root = ET.fromstring(printed.svg)
    assert [t.text for t in root.iter(f"{SVG}title")] == ["Overall effectiveness"]  # no tooltips on paper
    uses = [e for e in root.iter() if e.get("fill", "").endswith("-p-good)")]
    assert len(uses) == 1  # one pattern, through a clip path of the three stretches held at good
    clip = uses[0].get("clip-path")[len("url(#") : -1]
    assert len(root.find(f".//{SVG}clipPath[@id='{clip}']")) == 3
    # Each judgement keeps its tick; the grade's name is left to the table printed beneath.
    ticks = lambda svg: [p for p in ET.fromstring(svg).iter(f"{SVG}path") if p.get("stroke-width") == "2"]  # noqa: E731
    assert len(ticks(printed.svg)) == len(ticks(screen.svg)) == 5
    assert "Good</text>" in screen.svg and "Good</text>" not in printed.svg
