"""The England map: every district's colour against the council's latest grade, dates, areas, regions."""

import datetime
import re
import time
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections import charts, selectors, states
from inspections.models import Council, Framework, Grade, Region
from inspections.services import event_save
from maps import drawing
from maps import selectors as map_selectors

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
    styles = states.grade_styles(Grade.objects.all())
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
            out[str(council.urn)] = states.NO_INSPECTION.key
        else:
            out[str(council.urn)] = selectors.judgements_by_area(event).get(area_key, charts.NOT_JUDGED)
    return out


def test_every_district_takes_its_councils_latest_overall_grade(viewer_client):
    chart = drawing.england_map_chart()
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
    districts = district_grades(drawing.england_map_chart().svg)
    wirral = next(v for v in districts.values() if v[0] == "80581")
    assert wirral[3] == "Wirral — Requires improvement (ILACS 2023 inspection published 2 February 2024)"


def test_legend_counts_every_council_once_and_says_each_grade_in_words():
    chart = drawing.england_map_chart()
    counts = {}
    for row in chart.table.rows:
        counts[row[1]] = counts.get(row[1], 0) + 1
    assert sum(counts.values()) == 153
    assert {(item.label, item.count) for item in chart.legend} == set(counts.items())
    # Colour is never alone: every grade has a pattern or is the one solid fill, and words in the legend.
    assert 'id="map-' in chart.svg and "<pattern" in chart.svg


def test_the_2016_map_shows_wirral_inadequate_only_from_the_day_its_report_was_published():
    before = drawing.england_map_chart(as_at=WIRRAL_SIF_PUBLISHED - datetime.timedelta(days=1))
    on_the_day = drawing.england_map_chart(as_at=WIRRAL_SIF_PUBLISHED)
    end_of_2016 = drawing.england_map_chart(as_at=datetime.date(2016, 12, 31))
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
    chart = drawing.england_map_chart(as_at=datetime.date(2011, 3, 2), theme="help_and_protection")
    wirral = district_grades(chart.svg)["E08000015"]
    assert grade_of(wirral[1]) == "good"
    assert "started March 2011" in wirral[3]  # known to the month only: no made-up day
    assert "Overall effectiveness of safeguarding services" in wirral[3]


def test_areas_are_matched_across_frameworks_by_theme():
    chart = drawing.england_map_chart(theme="children_in_care", as_at=datetime.date(2016, 12, 31))
    wirral = district_grades(chart.svg)["E08000015"]
    assert grade_of(wirral[1]) == "requires_improvement"  # SIF's children looked after
    assert "Children looked after and achieving permanence" in wirral[3]


def test_2026_framework_councils_are_not_judged_on_overall_but_graded_on_leaders():
    latest = selectors.latest_graded_inspections(councils=Council.objects.active())
    new_framework = [e for e in latest.values() if e.framework.key == "ilacs_2026"]
    assert new_framework, "the demo data has councils inspected under the 2026 framework"
    overall = district_grades(drawing.england_map_chart().svg)
    leaders = district_grades(drawing.england_map_chart(theme="leadership").svg)
    for event in new_framework:
        urn = str(event.council.urn)
        overall_fills = {grade_of(v[1]) for v in overall.values() if v[0] == urn}
        leader_fills = {grade_of(v[1]) for v in leaders.values() if v[0] == urn}
        assert overall_fills == {charts.NOT_JUDGED}
        assert leader_fills == {selectors.judgements_by_area(event)["impact_of_leaders"]}
    wording = next(v[3] for v in overall.values() if v[0] == str(new_framework[0].council.urn))
    assert "made no “overall effectiveness” judgement" in wording


def test_region_map_is_zoomed_to_the_regions_councils():
    north_west = Region.objects.get(code="E12000002")
    chart = drawing.england_map_chart(region=north_west)
    districts = district_grades(chart.svg)
    councils = {str(urn) for urn in Council.objects.active().filter(region=north_west).values_list("urn", flat=True)}
    assert {urn for urn, *_rest in districts.values()} == councils
    assert {row[0] for row in chart.table.rows} == set(
        Council.objects.active().filter(region=north_west).values_list("name", flat=True)
    )
    assert "North West" in chart.table.caption
    national_box = re.search(r'viewBox="([^"]+)"', drawing.england_map_chart().svg).group(1)
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
    districts = district_grades(drawing.england_map_chart(as_at=datetime.date(2020, 1, 1)).svg)
    for name in ["North Northamptonshire", "West Northamptonshire"]:
        successor = Council.objects.get(name=name)
        values = [v for v in districts.values() if v[0] == str(successor.urn)]
        assert values and {grade_of(v[1]) for v in values} == {"inadequate"}
        assert values[0][3].startswith(
            f"{name} — Inadequate (Northamptonshire’s SIF inspection published 30 April 2019"
        )
    # Once a successor has its own graded inspection, that is what shows.
    today = district_grades(drawing.england_map_chart().svg)
    north = Council.objects.get(name="North Northamptonshire")
    assert "Northamptonshire’s" not in next(v[3] for v in today.values() if v[0] == str(north.urn))


def test_the_map_is_redrawn_when_a_grade_changes(wirral):
    first = drawing.england_map_chart()
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
    assert grade_of(district_grades(drawing.england_map_chart().svg)["E08000015"][1]) == "good"


def test_the_map_is_cached_and_small_and_fast(django_assert_num_queries):
    start = time.perf_counter()
    chart = drawing.england_map_chart()
    elapsed = time.perf_counter() - start
    assert len(chart.svg.encode()) < 300_000
    assert elapsed < 2  # generous for a shared test machine; `make bench` measures the real figure
    with django_assert_num_queries(0):
        assert drawing.england_map_chart().svg == chart.svg


def test_the_function_refuses_an_unknown_area_or_a_future_date():
    with pytest.raises(ValueError, match="no map of"):
        drawing.england_map_chart(theme="nope")
    with pytest.raises(ValueError, match="today or in the past"):
        drawing.england_map_chart(as_at=timezone.localdate() + datetime.timedelta(days=1))


# --------------------------------------------------------------------------- the /map/ page


def test_the_map_page_needs_a_sign_in(client):
    response = client.get("/map/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_map_page_shows_the_map_its_table_and_the_choices(viewer_client, django_assert_num_queries):
    # The user and their two kinds of permission (the session is cached at sign-in); the themes and
    # regions to choose from; the map's inspections public by then, councils, the chosen inspections
    # and their judgements in the theme.
    with django_assert_num_queries(3 + 2 + 4):
        response = viewer_client.get("/map/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="app-chart"') == 2  # England and the London inset
    assert html.count('data-lad="') == 296 + 33
    assert "Show the map as a table" in html
    assert '<a class="govuk-link" href="/councils/wirral/">Wirral</a>' in html
    assert '<option value="leadership"' in html and '<option value="north-west"' in html
    assert 'aria-current="page"' in html  # the Map item in the navigation


def test_the_map_of_2016_beside_todays(viewer_client, django_assert_num_queries):
    with django_assert_num_queries(3 + 2 + 4 + 4):  # as above, and today's map beside it
        response = viewer_client.get("/map/", {"as_at": "2016-12-31", "compare": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="app-chart"') == 4
    assert "England, at 31 December 2016" in html and "England, today" in html
    assert 'value="2016-12-31"' in html


def test_compare_without_a_date_shows_the_end_of_2016(viewer_client):
    html = viewer_client.get("/map/", {"compare": "1"}).content.decode()
    assert html.count('class="app-chart"') == 4 and "at 31 December 2016" in html


def test_the_map_page_takes_a_judgement_a_region_and_a_day_first_date(viewer_client):
    response = viewer_client.get("/map/", {"theme": "leadership", "region": "north-west", "as_at": "31/12/2020"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "North West, at 31 December 2020" in html
    assert '<option value="leadership" selected>' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"theme": "nope"}, "Choose a judgement from the list."),
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


# --------------------------------------------------------------------------- themes, skip link, inset, legend


def expected_in_theme(theme):
    """{URN: grade key} of each council's latest graded inspection in `theme`, read independently."""
    councils = Council.objects.active()
    latest = selectors.latest_graded_inspections(councils=councils)
    out = {}
    for council in councils:
        event = latest.get(council.pk)
        if event is None:
            out[str(council.urn)] = states.NO_INSPECTION.key
            continue
        judged = sorted(
            (j for j in event.judgements.all() if j.area.theme == theme), key=lambda j: (j.area.theme_order, j.area.key)
        )
        out[str(council.urn)] = judged[0].grade.key if judged else states.NOT_JUDGED.key
    return out


def test_the_map_offers_the_five_themes_not_every_framework_area():
    themes = map_selectors.map_themes()
    assert [t.key for t in themes] == [
        "overall",
        "leadership",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
    ]
    assert [t.label for t in themes][0] == "Overall effectiveness"


@pytest.mark.parametrize("theme", ["overall", "leadership", "help_and_protection", "children_in_care", "care_leavers"])
def test_each_theme_draws_each_councils_grade_in_that_theme(theme):
    chart = drawing.england_map_chart(theme=theme)
    expected = expected_in_theme(theme)
    drawn = {urn: grade_of(fill) for urn, fill, _href, _title in district_grades(chart.svg).values()}
    assert drawn == expected
    graded = [key for key in drawn.values() if key not in {s.key for s in states.STATES}]
    assert len(graded) >= 20, f"the {theme} map is nearly all “not judged”"
    assert chart.graded_count == sum(1 for key in expected.values() if key not in {s.key for s in states.STATES})


def test_an_old_area_address_opens_its_theme(viewer_client):
    html = viewer_client.get("/map/", {"area": "impact_of_leaders"}).content.decode()
    assert '<option value="leadership" selected>' in html
    assert "Leadership: latest grade of each council" in html


def test_skip_the_map_is_the_first_thing_to_focus_and_lands_after_the_maps(viewer_client):
    html = viewer_client.get("/map/").content.decode()
    start = html.index('class="app-map"')
    skip = html.index("Skip the map", start)
    first_link_in_map = html.index('<a href="/councils/', start)
    assert skip < first_link_in_map
    target = re.search(r'<a href="#([^"]+)" class="govuk-skip-link app-map__skip"', html).group(1)
    after = html.index(f'id="{target}"')
    assert after > html.rindex('data-lad="') and after < html.index("Show the map as a table")


def test_the_dashboard_map_has_the_skip_link_too(viewer_client):
    html = viewer_client.get("/").content.decode()
    assert "Skip the map" in html and html.index("Skip the map") < html.index("data-lad=")


def test_london_inset_labels_every_borough_at_a_readable_size():
    chart = drawing.england_map_chart()
    root = ET.fromstring(chart.london.svg)
    boroughs = set(Council.objects.active().filter(region__slug="london").values_list("name", flat=True))
    labels = root.find(f".//{SVG}g[@class='app-map__labels']")
    words = [" ".join(t.text for t in text.iter(f"{SVG}tspan")) for text in labels.iter(f"{SVG}text")]
    assert len(words) == len(boroughs) == 33
    assert sorted(" ".join(charts.short_council_name(name)) for name in boroughs) == sorted(words)
    assert "Camden" in words and "K & C" in words
    # At 345 px (a 375 px phone less the page margins) the text is at least 12 px high.
    view_width = float(root.get("viewBox").split()[2])
    assert float(labels.get("font-size")) * 345 / view_width >= 12
    # The inset's boroughs link to their pages, and only London's councils are in it.
    urns = {g.get("data-urn") for g in root.iter() if g.get("data-urn")}
    assert len(urns) == 33


def test_the_legend_is_page_text_with_each_grade_and_its_count(viewer_client):
    chart = drawing.england_map_chart()
    counts = {}
    for row in chart.table.rows:
        counts[row[1]] = counts.get(row[1], 0) + 1
    assert {(item.label, item.count) for item in chart.legend} == set(counts.items())
    assert "app-chart__legend" not in chart.svg  # no tiny legend drawn inside the map
    html = viewer_client.get("/map/").content.decode()
    for label, n in counts.items():
        assert f"{label} ({n})</li>" in html


@pytest.mark.parametrize("url", ["/map/", "/map/?theme=care_leavers&region=london", "/map/?as_at=2016-12-31&compare=1"])
def test_the_map_page_makes_a_fixed_number_of_queries(viewer_client, django_assert_num_queries, url):
    from django.core.cache import cache

    viewer_client.get(url)  # sign-in and session settled, maps cached
    cache.clear()
    maps_drawn = 2 if "compare" in url else 1
    # Six with an empty cache (the sign-in's reads, the themes and the regions), then for each map
    # drawn: the inspections public by then, the councils, the chosen inspections and their
    # judgements in the theme.
    with django_assert_num_queries(6 + 4 * maps_drawn):
        assert viewer_client.get(url).status_code == 200


def test_two_maps_on_one_page_share_no_element_ids(viewer_client):
    html = viewer_client.get("/map/", {"as_at": "2016-12-31", "compare": "1"}).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
