"""The England map: every district's colour against the council's latest grade, dates, areas, regions."""

import datetime
import re
import time
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections import charts, maps, selectors
from inspections.models import Council, Framework, Region
from inspections.services import event_save

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
WIRRAL_SIF_PUBLISHED = datetime.date(2016, 9, 20)


def district_grades(svg):
    """{lad23cd: (council URN, grade key, href, title)} read back from the SVG, as a user's browser sees it."""
    root = ET.fromstring(svg)
    colours = {}
    for pattern in root.iter(f"{SVG}pattern"):
        colours[f"url(#{pattern.get('id')})"] = pattern.get("id").rsplit("-p-", 1)[1]
    out = {}
    for group in root.iter():
        urn = group.get("data-urn")
        if urn is None:
            continue
        title = group.find(f"{SVG}title").text
        href = group.get("href")
        for path in group.iter(f"{SVG}path"):
            fill = path.get("fill")
            out[path.get("data-lad")] = (urn, colours.get(fill, fill), href, title)
    return out


def solid_colours():
    """Solid fills name their grade by colour (the others by pattern id)."""
    styles = [*selectors.grade_styles(), *maps._styles([])]
    return {s.colour: s.key for s in styles if s.pattern == "solid"}


def grade_of(fill):
    """A fill read from the SVG as a grade key (patterns carry the key, solid fills the colour)."""
    return solid_colours().get(fill, fill)


def expected_overall(area_key="overall_effectiveness"):
    """{URN: grade key | not_judged} from the shared selector of latest graded inspections."""
    councils = Council.objects.active()
    latest = selectors.latest_graded_inspections(councils=councils)
    out = {}
    for council in councils:
        event = latest.get(council.pk)
        if event is None:
            out[str(council.urn)] = maps.NOT_INSPECTED
        else:
            out[str(council.urn)] = selectors.judgements_by_area(event).get(area_key, charts.NOT_JUDGED)
    return out


def test_every_district_takes_its_councils_latest_overall_grade(viewer_client):
    chart = maps.england_map_chart()
    districts = district_grades(chart.svg)
    assert len(districts) == 296
    expected = expected_overall()
    api = {str(c["urn"]): c for c in viewer_client.get("/api/councils/").json()}
    slugs = dict(Council.objects.values_list("urn", "slug"))
    for lad, (urn, fill, href, title) in districts.items():
        grade = grade_of(fill)
        assert grade == expected[urn], lad
        latest = api[urn]["latest"]
        assert grade == latest["judgements"].get("overall_effectiveness", charts.NOT_JUDGED), lad
        assert href == reverse("inspections:council_detail", args=[slugs[int(urn)]])
        assert title.startswith(f"{api[urn]['name']} — ")
    # A county's districts all take the county council's grade.
    kent = Council.objects.get(name="Kent")
    kent_districts = [lad for lad, (urn, *_rest) in districts.items() if urn == str(kent.urn)]
    assert len(kent_districts) == 12
    assert len({districts[lad][1] for lad in kent_districts}) == 1


def test_titles_name_the_council_the_grade_and_when_it_was_published():
    districts = district_grades(maps.england_map_chart().svg)
    wirral = next(v for v in districts.values() if v[0] == "80581")
    assert wirral[3] == "Wirral — Requires improvement (ILACS 2023 inspection published 2 February 2024)"


def test_legend_counts_every_council_once_and_says_each_grade_in_words():
    chart = maps.england_map_chart()
    counts = {}
    for row in chart.table.rows:
        counts[row[1]] = counts.get(row[1], 0) + 1
    assert sum(counts.values()) == 153
    for label, n in counts.items():
        assert f"{label} ({n})" in chart.svg
    # Colour is never alone: every grade has a pattern or is the one solid fill, and words in the legend.
    assert 'id="map-' in chart.svg and "<pattern" in chart.svg


def test_the_2016_map_shows_wirral_inadequate_only_from_the_day_its_report_was_published():
    before = maps.england_map_chart(as_at=WIRRAL_SIF_PUBLISHED - datetime.timedelta(days=1))
    on_the_day = maps.england_map_chart(as_at=WIRRAL_SIF_PUBLISHED)
    end_of_2016 = maps.england_map_chart(as_at=datetime.date(2016, 12, 31))
    wirral_lad = "E08000015"
    assert grade_of(district_grades(before.svg)[wirral_lad][1]) != "inadequate"
    assert grade_of(district_grades(on_the_day.svg)[wirral_lad][1]) == "inadequate"
    assert grade_of(district_grades(end_of_2016.svg)[wirral_lad][1]) == "inadequate"
    # Before publication the latest graded inspection is 2011's, which made no overall judgement.
    title = district_grades(before.svg)[wirral_lad][3]
    assert title.startswith("Wirral — Not judged")
    assert "at 31 December 2016" in end_of_2016.table.caption


def test_an_inspection_without_a_published_date_counts_from_its_start():
    # Wirral's 2011 inspection has a start date only.
    chart = maps.england_map_chart(as_at=datetime.date(2011, 3, 2), area_key="help_and_protection")
    wirral = district_grades(chart.svg)["E08000015"]
    assert grade_of(wirral[1]) == "good"
    assert "started 1 March 2011" in wirral[3]
    assert "Overall effectiveness of safeguarding services" in wirral[3]


def test_areas_are_matched_across_frameworks_by_theme():
    chart = maps.england_map_chart(area_key="children_in_care", as_at=datetime.date(2016, 12, 31))
    wirral = district_grades(chart.svg)["E08000015"]
    assert grade_of(wirral[1]) == "requires_improvement"  # SIF's children looked after
    assert "Children looked after and achieving permanence" in wirral[3]


def test_2026_framework_councils_are_not_judged_on_overall_but_graded_on_leaders():
    latest = selectors.latest_graded_inspections(councils=Council.objects.active())
    new_framework = [e for e in latest.values() if e.framework.key == "ilacs_2026"]
    assert new_framework, "the demo data has councils inspected under the 2026 framework"
    overall = district_grades(maps.england_map_chart().svg)
    leaders = district_grades(maps.england_map_chart(area_key="impact_of_leaders").svg)
    for event in new_framework:
        urn = str(event.council.urn)
        overall_fills = {grade_of(v[1]) for v in overall.values() if v[0] == urn}
        leader_fills = {grade_of(v[1]) for v in leaders.values() if v[0] == urn}
        assert overall_fills == {charts.NOT_JUDGED}
        assert leader_fills == {selectors.judgements_by_area(event)["impact_of_leaders"]}
    wording = next(v[3] for v in overall.values() if v[0] == str(new_framework[0].council.urn))
    assert "made no “overall” judgement" in wording


def test_region_map_is_zoomed_to_the_regions_councils():
    north_west = Region.objects.get(code="E12000002")
    chart = maps.england_map_chart(region=north_west)
    districts = district_grades(chart.svg)
    councils = {str(urn) for urn in Council.objects.active().filter(region=north_west).values_list("urn", flat=True)}
    assert {urn for urn, *_rest in districts.values()} == councils
    assert {row[0] for row in chart.table.rows} == set(
        Council.objects.active().filter(region=north_west).values_list("name", flat=True)
    )
    assert "North West" in chart.table.caption
    national_box = re.search(r'viewBox="([^"]+)"', maps.england_map_chart().svg).group(1)
    assert re.search(r'viewBox="([^"]+)"', chart.svg).group(1) != national_box


def test_successor_councils_show_their_predecessors_grade_before_they_existed():
    northamptonshire = Council.objects.get(name="Northamptonshire")
    event_save(
        council=northamptonshire,
        kind="inspection",
        values={
            "framework": Framework.objects.get(key="sif"),
            "start_date": datetime.date(2019, 3, 4),
            "published_date": datetime.date(2019, 4, 30),
        },
        judgements={"overall_effectiveness": "inadequate"},
    )
    districts = district_grades(maps.england_map_chart(as_at=datetime.date(2020, 1, 1)).svg)
    for name in ["North Northamptonshire", "West Northamptonshire"]:
        successor = Council.objects.get(name=name)
        values = [v for v in districts.values() if v[0] == str(successor.urn)]
        assert values and {grade_of(v[1]) for v in values} == {"inadequate"}
        assert values[0][3].startswith(
            f"{name} — Inadequate (Northamptonshire’s SIF inspection published 30 April 2019"
        )
    # Once a successor has its own graded inspection, that is what shows.
    today = district_grades(maps.england_map_chart().svg)
    north = Council.objects.get(name="North Northamptonshire")
    assert "Northamptonshire’s" not in next(v[3] for v in today.values() if v[0] == str(north.urn))


def test_the_map_is_redrawn_when_a_grade_changes(wirral):
    first = maps.england_map_chart()
    assert grade_of(district_grades(first.svg)["E08000015"][1]) == "requires_improvement"
    latest = selectors.latest_graded_inspections(councils=Council.objects.filter(pk=wirral.pk))[wirral.pk]
    event_save(
        council=wirral,
        kind="inspection",
        values={},
        event=latest,
        expected_version=latest.version,
        judgements={**selectors.judgements_by_area(latest), "overall_effectiveness": "good"},
    )
    assert grade_of(district_grades(maps.england_map_chart().svg)["E08000015"][1]) == "good"


def test_the_map_is_cached_and_small_and_fast(django_assert_num_queries):
    start = time.perf_counter()
    chart = maps.england_map_chart()
    elapsed = time.perf_counter() - start
    assert len(chart.svg.encode()) < 300_000
    assert elapsed < 2  # generous for a shared test machine; `make bench` measures the real figure
    with django_assert_num_queries(0):
        assert maps.england_map_chart().svg == chart.svg


def test_the_function_refuses_an_unknown_area_or_a_future_date():
    with pytest.raises(ValueError, match="no judgement area"):
        maps.england_map_chart(area_key="nope")
    with pytest.raises(ValueError, match="today or in the past"):
        maps.england_map_chart(as_at=timezone.localdate() + datetime.timedelta(days=1))


# --------------------------------------------------------------------------- the /map/ page


def test_the_map_page_needs_a_sign_in(client):
    response = client.get("/map/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_map_page_shows_the_map_its_table_and_the_choices(viewer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = viewer_client.get("/map/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 1 and html.count('data-lad="') == 296
    assert "Show the map as a table" in html
    assert '<a class="govuk-link" href="/councils/wirral/">Wirral</a>' in html
    assert '<option value="impact_of_leaders"' in html and '<option value="north-west"' in html
    assert 'aria-current="page"' in html  # the Map item in the navigation


def test_the_map_of_2016_beside_todays(viewer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = viewer_client.get("/map/", {"as_at": "2016-12-31", "compare": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 2
    assert "England, at 31 December 2016" in html and "England, today" in html
    assert 'value="2016-12-31"' in html


def test_compare_without_a_date_shows_the_end_of_2016(viewer_client):
    html = viewer_client.get("/map/", {"compare": "1"}).content.decode()
    assert html.count("<svg") == 2 and "at 31 December 2016" in html


def test_the_map_page_takes_a_judgement_a_region_and_a_day_first_date(viewer_client):
    response = viewer_client.get("/map/", {"area": "impact_of_leaders", "region": "north-west", "as_at": "31/12/2020"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "North West, at 31 December 2020" in html
    assert '<option value="impact_of_leaders" selected>' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "nope"}, "Choose a judgement from the list."),
        ({"region": "atlantis"}, "Choose England or a region from the list."),
        ({"as_at": "2016-13-45"}, "The date must be a real date, for example 2016-04-01."),
        ({"as_at": "yesterday"}, "The date must be a real date, for example 2016-04-01."),
        ({"as_at": "2099-01-01"}, "The date must be today or in the past."),
        ({"as_at": "1999-01-01"}, "The date must be in 2009 or later"),
    ],
)
def test_bad_choices_get_an_error_message_and_no_map(viewer_client, params, message):
    response = viewer_client.get("/map/", params)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and message in html
    assert "<svg" not in html
    for value in params.values():
        assert f'value="{value}"' in html or value in ("nope", "atlantis")  # dates are kept as typed
    assert html.count('href="#id_') >= 1  # each error links to its field
