"""Tests for inspections/charts/: what a reader of the charts and the map relies on."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from inspections import charts
from inspections.charts import (
    GradeStyle,
    MapDistrict,
    england_map,
    grade_mix_by_group,
    grade_mix_over_time,
    trajectory,
)
from inspections.charts import england as england_module

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
KENT = "80476"  # 12 districts
WIRRAL = "80581"
NORTH_WEST = "E12000002"
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
# The grades as the Grade rows define them (colour, pattern), then "not judged": charts take
# whatever styles they are given, so the tests give them their own.
STYLES = (
    GradeStyle("outstanding", "Outstanding", "#00703c", "solid"),
    GradeStyle("good", "Good", "#1d70b8", "hatch"),
    GradeStyle("requires_improvement", "Requires improvement to be good", "#f47738", "dots"),
    GradeStyle("adequate", "Adequate", "#ffdd00", "vertical"),
    GradeStyle("inadequate", "Inadequate", "#d4351c", "crosshatch"),
    GradeStyle("not_judged", "Not judged", "#b1b4b6", "horizontal"),
)
STYLE = {s.key: s for s in STYLES}
SCALE = ["outstanding", "good", ("requires_improvement", "adequate"), "inadequate"]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def map_data() -> dict:
    return json.loads(charts.MAP_DATA.read_text(encoding="utf-8"))


def grade_of(urn: str) -> str:
    return GRADES[int(urn) % len(GRADES)]


def all_councils(**overrides: MapDistrict) -> dict[str, MapDistrict]:
    by_council = {
        urn: MapDistrict(grade_of(urn), f"Council {urn}", f"/councils/{urn}/") for urn in charts.council_districts()
    }
    by_council.update(overrides)
    return charts.expand_council_values(by_council)


def district_paths(root: ET.Element) -> dict[str, ET.Element]:
    return {p.get("data-lad"): p for p in root.iter(f"{SVG}path") if p.get("data-lad")}


def expected_fill(chart_svg: str, style: GradeStyle) -> str:
    """The fill a style gets: its colour if solid, else a pattern defined in the SVG."""
    if style.pattern == "solid":
        return style.colour
    root = parse(chart_svg)
    ids = [p.get("id") for p in root.iter(f"{SVG}pattern") if p.get("id").endswith(style.key)]
    assert len(ids) == 1, style.key
    return f"url(#{ids[0]})"


def sample_charts() -> list[charts.Chart]:
    return [
        grade_mix_by_group([("North West", {"good": 3, "inadequate": 1})], STYLES, title="By region"),
        grade_mix_over_time([(2019, {"good": 2}), (2021, {"outstanding": 1})], STYLES, title="Years"),
        trajectory([(date(2016, 9, 20), "inadequate", "SIF")], STYLES, title="Wirral", scale_keys=SCALE),
        england_map(all_councils(), STYLES, title="England"),
        england_map(all_councils(), STYLES, title="North West", region_gss=NORTH_WEST),
    ]


# ------------------------------------------------------------------------- the map


def test_every_england_district_is_drawn_with_its_councils_grade():
    chart = england_map(all_councils(), STYLES)
    paths = district_paths(parse(chart.svg))
    districts = map_data()["districts"]
    assert set(paths) == set(districts)
    assert len(paths) == 296
    for code, path in paths.items():
        style = STYLE[grade_of(districts[code]["council_urn"])]
        assert path.get("fill") == expected_fill(chart.svg, style), code


def test_county_districts_share_one_link_and_the_county_councils_grade():
    values = all_councils(**{KENT: MapDistrict("inadequate", "Kent", "/councils/kent/")})
    chart = england_map(values, STYLES)
    root = parse(chart.svg)
    links = [a for a in root.iter(f"{SVG}a") if a.get("href") == "/councils/kent/"]
    assert len(links) == 1
    kent = links[0]
    assert kent.get(f"{XLINK}href") == "/councils/kent/"
    assert kent.find(f"{SVG}title").text == "Kent — Inadequate"
    fills = {p.get("fill") for p in kent.iter(f"{SVG}path")}
    assert len(list(kent.iter(f"{SVG}path"))) == len(charts.council_districts()[KENT]) == 12
    assert fills == {expected_fill(chart.svg, STYLE["inadequate"])}


def test_council_names_and_links_from_the_database_are_escaped():
    nasty = '<script>alert("x")</script> & Co'
    values = all_councils(**{WIRRAL: MapDistrict("good", nasty, '/c/?a=1&b="2"')})
    chart = england_map(values, STYLES)
    assert "<script>" not in chart.svg
    root = parse(chart.svg)  # still well-formed XML
    wirral = next(a for a in root.iter(f"{SVG}a") if a.get("data-urn") == WIRRAL)
    assert wirral.get("href") == '/c/?a=1&b="2"'
    assert wirral.find(f"{SVG}title").text == f"{nasty} — Good"
    assert [nasty, "Good"] in chart.table.rows


def test_map_table_lists_each_council_once_by_name_with_its_grade():
    chart = england_map(all_councils(), STYLES)
    assert chart.table.headers == ["Council", "Grade"]
    assert len(chart.table.rows) == 153
    assert chart.table.rows == sorted(chart.table.rows, key=lambda r: r[0].casefold())
    assert [f"Council {KENT}", STYLE[grade_of(KENT)].label] in chart.table.rows


def test_region_zoom_links_only_that_regions_districts_and_narrows_the_view():
    national = england_map(all_councils(), STYLES)
    region = england_map(all_councils(), STYLES, region_gss=NORTH_WEST)
    in_region = {c for c, d in map_data()["districts"].items() if d["region_gss"] == NORTH_WEST}
    root = parse(region.svg)
    assert set(district_paths(root)) == in_region
    linked = {p.get("data-lad") for a in root.iter(f"{SVG}a") for p in a.iter(f"{SVG}path")}
    assert linked == in_region
    assert len(region.table.rows) == len({map_data()["districts"][c]["council_urn"] for c in in_region})
    region_height = float(root.get("viewBox").split()[3])
    national_height = float(parse(national.svg).get("viewBox").split()[3])
    assert region_height < national_height / 2


def test_unknown_region_is_refused():
    with pytest.raises(ValueError, match="Unknown region"):
        england_map(all_councils(), STYLES, region_gss="E99999999")


def test_national_map_is_small_enough_for_a_page():
    assert len(england_map(all_councils(), STYLES).svg.encode()) < 300_000


def test_map_legend_shows_each_grade_with_its_count_of_councils():
    values = all_councils()
    chart = england_map(values, STYLES)
    texts = [t.text for t in parse(chart.svg).iter(f"{SVG}text")]
    for key in GRADES:
        count = sum(1 for urn in charts.council_districts() if grade_of(urn) == key)
        assert f"{STYLE[key].label} ({count})" in texts


def test_district_without_a_value_is_not_judged_and_not_linked():
    values = all_councils()
    del values["E08000015"]  # Wirral
    chart = england_map(values, STYLES)
    root = parse(chart.svg)
    group = next(g for g in root.iter() if g.get("data-urn") == WIRRAL)
    assert group.tag == f"{SVG}g"
    assert group.find(f"{SVG}title").text == "Wirral — Not judged"
    path = district_paths(root)["E08000015"]
    assert path.get("fill") == expected_fill(chart.svg, STYLE["not_judged"])


def test_highlight_outlines_the_council_on_top():
    chart = england_map(all_councils(), STYLES, region_gss=NORTH_WEST, highlight=WIRRAL)
    root = parse(chart.svg)
    outline = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "app-map__highlight")
    assert outline.get("d") == map_data()["districts"]["E08000015"]["path"]
    assert outline.get("fill") == "none"


def test_a_grade_without_a_style_is_reported():
    values = all_councils(**{WIRRAL: MapDistrict("superb", "Wirral")})
    with pytest.raises(ValueError, match="superb"):
        england_map(values, STYLES)


# ------------------------------------------------------------------------- bar charts


def test_grade_mix_by_group_table_equals_the_data_in_grade_order():
    chart = grade_mix_by_group(
        [
            ("North West", {"inadequate": 5, "good": 11, None: 1}),
            ("London", {"outstanding": 18}),
        ],
        STYLES,
        title="Latest grade by region",
    )
    assert chart.table.caption == "Latest grade by region"
    assert chart.table.headers == [
        "Region",
        "Outstanding",
        "Good",
        "Inadequate",
        "Not judged",
        "Total",
    ]
    assert chart.table.rows == [
        ["North West", "0", "11", "5", "1", "17"],
        ["London", "18", "0", "0", "0", "18"],
    ]
    texts = "".join(parse(chart.svg).itertext())
    for label in (
        "Outstanding",
        "Good",
        "Inadequate",
        "Not judged",
        "North West",
        "London",
    ):
        assert label in texts


def test_grade_mix_by_group_labels_segment_counts():
    chart = grade_mix_by_group([("South East", {"good": 11, "requires_improvement": 5})], STYLES)
    texts = [t.text for t in parse(chart.svg).iter(f"{SVG}text")]
    assert "11" in texts and "5" in texts


def test_grade_mix_over_time_fills_missing_years_with_zero():
    chart = grade_mix_over_time([(2019, {"good": 2, "inadequate": 1}), (2021, {"outstanding": 1})], STYLES)
    assert chart.table.headers == ["Year", "Outstanding", "Good", "Inadequate", "Total"]
    assert chart.table.rows == [
        ["2019", "0", "2", "1", "3"],
        ["2020", "0", "0", "0", "0"],
        ["2021", "1", "0", "0", "1"],
    ]
    texts = [t.text for t in parse(chart.svg).iter(f"{SVG}text")]
    assert {"2019", "2020", "2021"} <= set(texts)


# ------------------------------------------------------------------------- trajectory


def test_trajectory_table_is_in_date_order_with_not_judged_points():
    points = [
        (date(2019, 7, 29), "requires_improvement", "ILACS standard inspection"),
        (date(2016, 9, 20), "inadequate", "SIF inspection"),
        (date(2018, 9, 5), None, "Monitoring visit"),
        (date(2011, 3, 15), "good", "Safeguarding inspection"),
    ]
    chart = trajectory(points, STYLES, title="Wirral", scale_keys=SCALE)
    assert chart.table.headers == ["Date", "Event", "Grade"]
    assert chart.table.rows == [
        ["15 March 2011", "Safeguarding inspection", "Good"],
        ["20 September 2016", "SIF inspection", "Inadequate"],
        ["5 September 2018", "Monitoring visit", "Not judged"],
        [
            "29 July 2019",
            "ILACS standard inspection",
            "Requires improvement to be good",
        ],
    ]
    root = parse(chart.svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Outstanding" in texts and "Not judged" in texts
    tooltips = [t.text for t in root.iter(f"{SVG}title")]
    assert "20 September 2016: SIF inspection: Inadequate" in tooltips


def test_trajectory_puts_the_best_grade_at_the_top():
    chart = trajectory([(date(2020, 1, 1), "good", "")], STYLES, scale_keys=SCALE)
    labels = {t.text: float(t.get("y")) for t in parse(chart.svg).iter(f"{SVG}text")}
    assert labels["Outstanding"] < labels["Good"] < labels["Inadequate"]


def test_trajectory_refuses_a_grade_off_the_scale():
    with pytest.raises(ValueError, match="adequate"):
        trajectory([(date(2012, 1, 1), "adequate", "")], STYLES, scale_keys=["good", "inadequate"])


# ------------------------------------------------------------------------- all charts


@pytest.mark.parametrize("chart", sample_charts(), ids=["mix", "years", "trajectory", "map", "region"])
def test_every_chart_is_labelled_scalable_plain_svg(chart):
    root = parse(chart.svg)
    assert root.get("role") in {"img", "group"}
    assert "viewBox" in root.attrib and "width" not in root.attrib
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    title_id, desc_id = root.get("aria-labelledby").split()
    assert {title_id, desc_id} <= ids
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    for banned in ("<script", "foreignObject", "style=", "var(--", "<style"):
        assert banned not in chart.svg
    assert chart.__html__() == chart.svg


def test_linked_map_stays_reachable_by_screen_readers():
    assert parse(england_map(all_councils(), STYLES).svg).get("role") == "group"
    unlinked = england_map({"E08000015": MapDistrict("good", "Wirral")}, STYLES)
    assert parse(unlinked.svg).get("role") == "img"


def test_two_charts_on_one_page_do_not_share_ids():
    a = grade_mix_by_group([("A", {"good": 1})], STYLES, title="One")
    b = grade_mix_by_group([("A", {"good": 2})], STYLES, title="Two")
    ids_a = {el.get("id") for el in parse(a.svg).iter() if el.get("id")}
    ids_b = {el.get("id") for el in parse(b.svg).iter() if el.get("id")}
    assert ids_a and not ids_a & ids_b


@pytest.mark.django_db
def test_the_grades_and_states_in_the_data_differ_by_pattern_and_their_text_passes_contrast():
    from inspections import states
    from inspections.models import Grade

    grades = Grade.objects.order_by("rank", "key")
    styles = states.grade_styles(grades)
    assert len(styles) == grades.count() + len(states.STATES) >= 8
    graded = styles[: grades.count()]
    assert len({s.pattern for s in graded}) == len(graded)
    for style in styles:
        assert charts.contrast_ratio(style.colour, style.ink) >= 4.5, style.key


def test_grade_css_gives_each_grade_its_colour_and_readable_text():
    css = charts.grade_css(STYLES)
    assert ".app-grade--good{background-color:#1d70b8;color:#ffffff}" in css
    assert ".app-grade--adequate{background-color:#ffdd00;color:#0b0c0c}" in css
    with pytest.raises(ValueError):
        charts.grade_css([GradeStyle("good}body{", "Good", "#1d70b8")])


def test_a_chart_without_a_not_judged_style_refuses_a_missing_grade():
    with pytest.raises(ValueError, match="No style for grade None"):
        grade_mix_by_group([("A", {None: 1})], STYLES[:-1])


def test_grade_style_rejects_colours_it_cannot_check():
    with pytest.raises(ValueError):
        GradeStyle("good", "Good", "var(--green)")


def test_the_print_map_draws_the_same_fills_as_one_path_per_grade_without_links():
    linked = england_map(all_councils(), STYLES)
    printed = england_map(all_councils(), STYLES, for_print=True)
    root = parse(printed.svg)
    assert root.get("role") == "img" and "<a " not in printed.svg and "data-lad" not in printed.svg
    fills = [p.get("fill") for p in root.find(f".//{SVG}g[@class='app-map__councils']").iter(f"{SVG}path")]
    assert len(fills) == len(set(fills))  # one path per fill
    linked_fills = {p.get("fill") for p in district_paths(parse(linked.svg)).values()}
    strip = lambda fill: fill.rsplit("-p-", 1)[-1]  # noqa: E731  (pattern ids differ by chart id)
    assert {strip(f) for f in fills} == {strip(f) for f in linked_fills}
    assert printed.table == linked.table


def test_the_printed_england_map_is_the_overview_geometry_and_a_printed_region_keeps_its_detail():
    def points(svg):
        paths = parse(svg).find(f".//{SVG}g[@class='app-map__councils']").iter(f"{SVG}path")
        return sum(len(re.findall(r"-?\d+(?:\.\d+)?", p.get("d"))) // 2 for p in paths)

    england, england_printed = (england_map(all_councils(), STYLES, for_print=p) for p in (False, True))
    # Every district is still drawn (a few islands smaller than the ink are not), with about half the points.
    overview = england_module._overview_paths()
    assert set(overview) == set(england_module._map_data()["districts"]) and all(overview.values())
    assert england_printed.svg.count("M") > 0.97 * england.svg.count("M")
    assert points(england_printed.svg) < 0.65 * points(england.svg)
    assert england_printed.table == england.table
    north_west = "E12000002"
    region, region_printed = (
        england_map(all_councils(), STYLES, region_gss=north_west, for_print=p) for p in (False, True)
    )
    assert points(region_printed.svg) == points(region.svg)


@pytest.mark.parametrize("draw", ["groups", "years"])
def test_the_print_form_of_a_bar_chart_draws_each_patterned_fill_once_through_its_segments(draw):
    counts = {"outstanding": 1, "good": 3, "requires_improvement": 2, "inadequate": 1}
    if draw == "groups":
        make = lambda **kw: grade_mix_by_group([("North", counts), ("South", counts), ("East", counts)], STYLES, **kw)  # noqa: E731
    else:
        make = lambda **kw: grade_mix_over_time([(2019, counts), (2020, counts), (2021, counts)], STYLES, **kw)  # noqa: E731
    screen, printed = make(legend=False), make(legend=False, for_print=True)
    assert printed.table == screen.table
    body = parse(printed.svg)
    assert [t.text for t in body.iter(f"{SVG}title")] == [screen.table.caption]  # no tooltips on paper
    for key in ("good", "requires_improvement", "inadequate"):
        uses = [e for e in body.iter() if e.get("fill", "").endswith(f"-p-{key})")]
        assert len(uses) == 1, key  # one pattern drawn, through a clip path of its three segments
        clip = uses[0].get("clip-path")[len("url(#") : -1]
        assert len(body.find(f".//{SVG}clipPath[@id='{clip}']")) == 3
    # Every segment keeps its white outline; its count is left to the table printed beneath (no chip
    # on paper, one on screen); the solid grade is filled as on screen.
    outlined = [r for r in body.iter(f"{SVG}rect") if r.get("stroke") == "#ffffff"]
    assert len(outlined) == len([r for r in parse(screen.svg).iter(f"{SVG}rect") if r.get("stroke") == "#ffffff"]) == 12
    chips = lambda svg: [r for r in parse(svg).iter(f"{SVG}rect") if r.get("rx")]  # noqa: E731
    assert len(chips(screen.svg)) == 12 and chips(printed.svg) == []
    assert len(list(parse(screen.svg).iter(f"{SVG}text"))) - len(list(body.iter(f"{SVG}text"))) == 12
    assert sum(r.get("fill") == STYLE["outstanding"].colour for r in body.iter(f"{SVG}rect")) >= 3


def test_the_print_form_of_a_trajectory_draws_the_same_points_without_tooltips():
    points = [
        (date(2014, 5, 1), "inadequate", "SIF"),
        (date(2016, 5, 1), "inadequate", "SIF"),
        (date(2019, 5, 1), "good", "ILACS"),
        (date(2023, 5, 1), "good", "ILACS"),
    ]
    screen, printed = (
        trajectory(points, STYLES, scale_keys=SCALE),
        trajectory(points, STYLES, scale_keys=SCALE, for_print=True),
    )
    body = parse(printed.svg)
    assert printed.table == screen.table
    assert [t.text for t in body.iter(f"{SVG}title")] == [screen.table.caption]
    centres = lambda root: sorted((c.get("cx"), c.get("cy")) for c in root.iter(f"{SVG}circle"))  # noqa: E731
    # Each point's outline is drawn; each patterned grade's points are also a clip path's shapes.
    outlines = [c for c in body.iter(f"{SVG}circle") if c.get("stroke") == "#0b0c0c"]
    assert sorted((c.get("cx"), c.get("cy")) for c in outlines) == centres(parse(screen.svg))
    for key in ("inadequate", "good"):
        assert len([e for e in body.iter() if e.get("fill", "").endswith(f"-p-{key})")]) == 1
