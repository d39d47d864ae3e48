"""The pages: national dashboard, councils table (filters, sorting, export), council, region and event pages."""

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from inspections import selectors
from inspections.models import Council, Event, EventKind, Framework, Grade, Judgement, Region
from inspections.services import event_save
from scripts.make_bigger_dataset import make_bigger_dataset

# Every page drawn afresh (every cache empty) starts with the four queries of a signed-in request:
# the session, the user, the user's permissions and their groups' permissions.
SIGN_IN = 4
# Exact queries of each page of page_urls(), in the same order, on the demo data and at ten times it.
PAGE_QUERIES = [
    # national_picture: councils with their latest graded ids, those inspections, their judgements,
    # the grades, headline grades by year; the map: themes, inspections public by then, councils,
    # the chosen inspections, their judgements in the theme; the user's personal feed key
    SIGN_IN + 5 + 5 + 1,
    # the filter's choices: regions, council types, frameworks, grades; council_table: councils,
    # their latest inspections, those judgements, interventions in force
    SIGN_IN + 4 + 4,
    SIGN_IN + 4 + 4,
    SIGN_IN + 4 + 2,  # no council matches: no judgements or interventions to fetch for them
    # council_page: the council, its neighbours, its predecessors; its events, their judgements,
    # recommendations and their updates; latest grades of neighbours and region: councils,
    # judgements, grades; the personal feed key
    SIGN_IN + 3 + 4 + 3 + 1,
    SIGN_IN + 1 + 5 + 5,  # the region, then national_picture and the map as on the dashboard
    SIGN_IN + 4,  # the inspection, its judgements, its recommendations and their updates
    SIGN_IN + 2,  # the latest publications and their judgements
    SIGN_IN + 3,  # the council, its publications and their judgements
    SIGN_IN + 2 + 4,  # the themes and regions to choose from; the map as on the dashboard but its themes
]
# A council briefing (analysts may have one): council_page's queries as on the council page, without
# the feed key; the still-open rule's recommendations; the grades for the grade CSS.
BRIEFING = "/councils/wirral/briefing.pdf"
BRIEFING_QUERIES = SIGN_IN + 3 + 4 + 3 + 1 + 1


def page_urls():
    wirral_event = Event.objects.filter(council__urn=80581, judgements__isnull=False).order_by("start_date").last()
    return [
        reverse("inspections:home"),
        reverse("inspections:council_list"),
        reverse("inspections:council_list") + "?grade=inadequate&region=north-west&sort=-overall",
        reverse("inspections:council_list") + "?q=wir&framework=ilacs_2023&intervention=none&any_grade=good",
        reverse("inspections:council_detail", args=["wirral"]),
        reverse("inspections:region_detail", args=["north-west"]),
        reverse("inspections:event_detail", args=[wirral_event.pk]),
        reverse("inspections:feed_latest"),
        reverse("inspections:council_feed", args=["wirral"]),
        reverse("maps:map"),
    ]


def independent_latest_headlines():
    """{council name: headline grade key | "not_judged" | "no_inspection"} straight from the rows."""
    result = {}
    for council in Council.objects.filter(is_active=True):
        graded = [
            e
            for e in Event.objects.filter(council=council, kind=EventKind.INSPECTION)
            if Judgement.objects.filter(event=e).exists()
        ]
        if not graded:
            result[council.name] = "no_inspection"
            continue
        latest = max(graded, key=lambda e: (e.start_date or e.published_date, e.pk))
        headline = latest.framework.headline_area if latest.framework else None
        judgement = Judgement.objects.filter(event=latest, area=headline).first() if headline else None
        result[council.name] = judgement.grade.key if judgement else "not_judged"
    return result


def shown_counts(html):
    """{bucket: number} as the dashboard's headline boxes show them."""
    return {
        key: int(n)
        for key, n in re.findall(
            r'app-counts__item--(\w+)">\s*<a[^>]*>\s*<span class="app-counts__number">(\d+)</span>', html
        )
    }


def table_councils(html):
    """Council names in the councils table, in the order shown."""
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(
        r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="[^"]+">([^<]+)</a>', body
    )


# ---------------------------------------------------------------- access


@pytest.mark.django_db
def test_every_page_sends_a_visitor_who_is_not_signed_in_to_sign_in(client):
    for url in page_urls()[:7]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
def test_every_page_answers_every_role(any_role_client):
    for url in page_urls():
        assert any_role_client.get(url).status_code == 200, url


DEVELOPER_WORDS = ("DOMAIN.md", "shipped history", "manage.py", "System (data load", "ilacs_history", "make_briefings")


@pytest.mark.django_db
def test_no_page_shows_developer_words(client_for):
    from inspections.models import Recommendation

    editor = client_for("editor")
    wirral_2016 = Event.objects.get(council__urn=80581, start_date="2016-07-04")
    rec = Recommendation.objects.filter(event=wirral_2016).first()
    urls = [
        *page_urls()[:6],
        reverse("inspections:council_history", args=["wirral"]),
        reverse("inspections:event_history", args=[wirral_2016.pk]),
        reverse("inspections:recommendation_update", args=[rec.pk]),
        reverse("inspections:event_new"),
    ]
    for url in urls:
        html = editor.get(url).content.decode()
        for words in DEVELOPER_WORDS:
            assert words not in html, (url, words)


@pytest.mark.django_db
def test_each_non_grade_state_has_one_name_on_every_page(viewer_client):
    from inspections.states import NO_INSPECTION, NOT_JUDGED

    old_names = ("No overall judgement (April 2026", "Not inspected", "No graded inspection recorded", "Grades not")
    pages = {url: viewer_client.get(url).content.decode() for url in page_urls()[:7]}
    pages["/councils/northamptonshire/"] = viewer_client.get("/councils/northamptonshire/").content.decode()
    for url, html in pages.items():
        for name in old_names:
            assert name not in html, (url, name)
    assert NOT_JUDGED.label in pages["/"] and NO_INSPECTION.label in pages["/"]
    councils = pages[reverse("inspections:council_list")]
    assert f'<option value="{NOT_JUDGED.key}">{NOT_JUDGED.label}</option>' in councils


@pytest.mark.django_db
def test_unknown_council_region_and_event_are_not_found(viewer_client):
    assert viewer_client.get(reverse("inspections:council_detail", args=["nowhere"])).status_code == 404
    assert viewer_client.get(reverse("inspections:region_detail", args=["nowhere"])).status_code == 404
    assert viewer_client.get(reverse("inspections:event_detail", args=[999999])).status_code == 404


# ---------------------------------------------------------------- queries


@pytest.mark.django_db
def test_every_page_makes_a_fixed_small_number_of_queries_on_the_demo_data(analyst_client, django_assert_num_queries):
    for url, queries in [*zip(page_urls(), PAGE_QUERIES, strict=True), (BRIEFING, BRIEFING_QUERIES)]:
        cache.clear()
        with django_assert_num_queries(queries):
            assert analyst_client.get(url).status_code == 200


@pytest.mark.django_db
def test_every_page_makes_the_same_number_of_queries_on_a_ten_times_bigger_dataset(
    analyst_client, django_assert_num_queries
):
    urls = page_urls()
    added = make_bigger_dataset()
    assert added["councils"] > 800 and Event.objects.count() > 10 * 508
    for url, queries in [*zip(urls, PAGE_QUERIES, strict=True), (BRIEFING, BRIEFING_QUERIES)]:
        cache.clear()
        with django_assert_num_queries(queries):
            assert analyst_client.get(url).status_code == 200
    councils = analyst_client.get(reverse("inspections:council_list")).content.decode()
    assert len(table_councils(councils)) == Council.objects.active().count()


@pytest.mark.django_db
def test_a_cached_page_makes_only_the_feed_key_query(viewer_client, django_assert_num_queries):
    viewer_client.get("/")
    # Session, user and permissions come from the cache and the body from its fragment; the page is
    # not yet kept whole (the first response set a new CSRF cookie), so the view reads the feed key.
    with django_assert_num_queries(1):
        viewer_client.get("/")
    with django_assert_num_queries(0):  # now kept whole, with the CSRF cookie it renews
        assert viewer_client.get("/").status_code == 200


# ---------------------------------------------------------------- dashboard


@pytest.mark.django_db
def test_dashboard_headline_counts_match_counts_computed_independently_from_the_data(viewer_client):
    expected = {}
    for bucket in independent_latest_headlines().values():
        expected[bucket] = expected.get(bucket, 0) + 1
    html = viewer_client.get("/").content.decode()
    shown = shown_counts(html)
    assert {k: v for k, v in shown.items() if v} == expected
    assert sum(shown.values()) == Council.objects.active().count() == 153
    assert expected["not_judged"] > 0, "the April 2026 framework's councils are counted separately"


@pytest.mark.django_db
def test_dashboard_shows_charts_with_table_alternatives_recent_publications_and_concerns(viewer_client):
    html = viewer_client.get("/").content.decode()
    assert html.count("<svg") >= 3  # map, by region, over time
    assert "Latest overall effectiveness by region, England" in html
    assert "Overall effectiveness judgements by year of publication" in html
    assert "app-chart__table" in html
    latest = Event.objects.filter(published_date__isnull=False).order_by("-published_date", "-pk").first()
    assert latest.council.name in html.split('id="recent"')[1]
    concerns = html.split('id="concerns"')[1].split("</table>")[0]
    assert "Tameside" in concerns and "Wirral" not in concerns


@pytest.mark.django_db
def test_every_chart_offers_its_data_to_show_and_to_analysts_as_csv(client_for):
    analyst, viewer = client_for("analyst"), client_for("viewer")
    pages = {
        "/": ["/charts/by-region.csv", "/charts/by-year.csv"],
        "/regions/north-west/": ["/regions/north-west/charts/by-region.csv", "/regions/north-west/charts/by-year.csv"],
        "/councils/wirral/": ["/councils/wirral/charts/trajectory.csv"],
    }
    for url, csv_urls in pages.items():
        html = analyst.get(url).content.decode()
        assert html.count(">Show the data<") == len(csv_urls), url
        for csv_url in csv_urls:
            assert f'href="{csv_url}"' in html, csv_url
        assert "Download this data as CSV" not in viewer.get(url).content.decode()
    response = analyst.get("/councils/wirral/charts/trajectory.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="wirral-overall-effectiveness-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    html = analyst.get("/councils/wirral/").content.decode()
    assert len(rows) == 1 + 4  # header and Wirral's four graded inspections
    for row in rows[1:]:
        assert row[0] in html and row[-1] in html
    by_region = list(csv.reader(io.StringIO(analyst.get("/charts/by-region.csv").content.decode("utf-8-sig"))))
    assert [r[0] for r in by_region[1:]] == [*Region.objects.order_by("name").values_list("name", flat=True), "England"]
    assert viewer.get("/charts/by-region.csv").status_code == 403
    assert analyst.get("/charts/nothing.csv").status_code == 404


@pytest.mark.django_db
def test_dashboard_shows_a_change_immediately_after_it_is_saved(viewer_client):
    before = shown_counts(viewer_client.get("/").content.decode())
    wirral = Council.objects.get(urn=80581)
    latest = selectors.latest_graded_inspections(councils=Council.objects.filter(pk=wirral.pk))[wirral.pk]
    grades = {j.area.key: j.grade.key for j in latest.judgements.all()}
    event_save(
        council=wirral,
        kind=EventKind.INSPECTION,
        event=latest,
        expected_version=latest.version,
        values={},
        judgements={**grades, "overall_effectiveness": "outstanding"},
    )
    after = shown_counts(viewer_client.get("/").content.decode())
    assert after["outstanding"] == before["outstanding"] + 1
    assert after["requires_improvement"] == before["requires_improvement"] - 1


# ---------------------------------------------------------------- councils table


@pytest.mark.django_db
def test_councils_table_has_one_row_per_active_council_with_latest_grades_and_direction(viewer_client):
    html = viewer_client.get(reverse("inspections:council_list")).content.decode()
    names = table_councils(html)
    assert len(names) == 153 and names == sorted(names, key=str.casefold) or names == sorted(names)
    wirral_row = html.split(">Wirral</a>")[1].split("</tr>")[0]
    assert "Requires improvement" in wirral_row and "Same" in wirral_row and "ILACS 2023" in wirral_row
    assert "2 Feb 2024" in wirral_row
    for header in ["Overall effectiveness", "Leadership", "Care leavers", "Direction of travel", "Intervention"]:
        assert header in html


@pytest.mark.django_db
def test_councils_table_finds_wirral_by_name_urn_or_la_code(viewer_client):
    for term in ["wirral", "80581", "344", "E08000015"]:
        html = viewer_client.get(reverse("inspections:council_list"), {"q": term}).content.decode()
        assert table_councils(html) == ["Wirral"], term
        assert f'value="{term}"' in html  # the search box keeps what was typed


@pytest.mark.django_db
def test_councils_table_search_matches_names_loosely(viewer_client):
    def found(term):
        return table_councils(viewer_client.get(reverse("inspections:council_list"), {"q": term}).content.decode())

    assert found("St Helens") == ["St. Helens"]
    assert found("st. helens") == ["St. Helens"]
    assert found("Durham County") == ["Durham"]
    assert found("Durham County Council") == ["Durham"]
    assert "Brighton and Hove" in found("Brighton & Hove")
    assert "Kingston Upon Hull, City of" in found("Hull City Council")


@pytest.mark.django_db
def test_councils_filters_offer_one_blank_choice_each(viewer_client):
    html = viewer_client.get(reverse("inspections:council_list")).content.decode()
    for name, blank in [
        ("region", "All regions"),
        ("council_type", "All types"),
        ("grade", "Any grade"),
        ("any_grade", "Any grade"),
        ("framework", "Any framework"),
        ("intervention", "Either"),
    ]:
        select = html.split(f'name="{name}"')[1].split("</select>")[0]
        assert select.count('value=""') == 1 and blank in select, name


@pytest.mark.django_db
def test_councils_table_filters_to_inadequate_councils_in_a_region(viewer_client):
    expected = sorted(
        name
        for name, bucket in independent_latest_headlines().items()
        if bucket == "inadequate" and Council.objects.get(name=name).region.slug == "north-west"
    )
    html = viewer_client.get(reverse("inspections:council_list"), {"grade": "inadequate", "region": "north-west"})
    assert table_councils(html.content.decode()) == expected
    assert len(expected) >= 2


@pytest.mark.django_db
def test_councils_table_filters_by_type_framework_no_overall_and_intervention(viewer_client):
    url = reverse("inspections:council_list")
    london = table_councils(viewer_client.get(url, {"council_type": "London Borough"}).content.decode())
    assert len(london) == Council.objects.active().filter(council_type="London Borough").count()
    no_overall = table_councils(viewer_client.get(url, {"grade": "not_judged"}).content.decode())
    assert no_overall == sorted(n for n, b in independent_latest_headlines().items() if b == "not_judged")
    ilacs_2026 = table_councils(viewer_client.get(url, {"framework": "ilacs_2026"}).content.decode())
    assert ilacs_2026 == no_overall
    assert table_councils(viewer_client.get(url, {"intervention": "now"}).content.decode()) == []
    assert len(table_councils(viewer_client.get(url, {"intervention": "none"}).content.decode())) == 153


@pytest.mark.django_db
def test_councils_table_shows_councils_under_intervention_now(viewer_client):
    wirral = Council.objects.get(urn=80581)
    event_save(
        council=wirral,
        kind=EventKind.INTERVENTION,
        values={"intervention_type": "commissioner", "start_date": datetime.date(2025, 1, 6)},
    )
    html = viewer_client.get(reverse("inspections:council_list"), {"intervention": "now"}).content.decode()
    assert table_councils(html) == ["Wirral"]
    assert "Commissioner appointed since Jan 2025" in html


@pytest.mark.django_db
def test_councils_table_sorts_by_overall_grade_best_first_and_reversed(viewer_client):
    url = reverse("inspections:council_list")
    best_first = table_councils(viewer_client.get(url, {"sort": "overall"}).content.decode())
    worst_first = table_councils(viewer_client.get(url, {"sort": "-overall"}).content.decode())
    headlines = independent_latest_headlines()
    assert headlines[best_first[0]] == "outstanding"
    assert headlines[worst_first[0]] in ("not_judged", "no_inspection", "inadequate")
    inadequate_at = [i for i, name in enumerate(best_first) if headlines[name] == "inadequate"]
    outstanding_at = [i for i, name in enumerate(best_first) if headlines[name] == "outstanding"]
    assert max(outstanding_at) < min(inadequate_at)
    html = viewer_client.get(url, {"sort": "-overall"}).content.decode()
    assert 'aria-sort="descending"' in html


@pytest.mark.django_db
def test_councils_table_sorts_by_every_visible_column(viewer_client):
    html = viewer_client.get(reverse("inspections:council_list")).content.decode()
    sorts = set(re.findall(r"\?sort=(-?\w+)", html))
    assert {"region", "council_type", "overall", "published", "framework", "direction", "intervention"} <= sorts
    for sort in sorts:
        response = viewer_client.get(reverse("inspections:council_list"), {"sort": sort})
        assert len(table_councils(response.content.decode())) == 153, sort


@pytest.mark.django_db
def test_councils_table_rejects_a_bad_filter_with_a_clear_error_and_keeps_the_rest(viewer_client):
    response = viewer_client.get(reverse("inspections:council_list"), {"region": "atlantis", "q": "wir"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and 'href="#id_region"' in html
    assert "<title>Error: Councils" in html
    assert 'value="wir"' in html
    assert table_councils(html) == ["Wirral"]


@pytest.mark.django_db
def test_councils_export_is_refused_to_viewers(viewer_client):
    response = viewer_client.get(reverse("inspections:council_list"), {"_export": "csv"})
    assert response.status_code == 403
    assert "Download these councils" not in viewer_client.get(reverse("inspections:council_list")).content.decode()


@pytest.mark.django_db
def test_councils_export_as_csv_holds_the_filtered_rows_with_codes_and_grades(analyst_client):
    response = analyst_client.get(
        reverse("inspections:council_list"), {"region": "north-west", "grade": "inadequate", "_export": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert 'filename="councils-north-west-inadequate-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["Council"] for r in rows] == sorted(r["Council"] for r in rows)
    assert {r["Overall effectiveness"] for r in rows} == {"Inadequate"}
    assert all(r["Region"] == "North West" and r["URN"] and r["LA code"] for r in rows)
    everyone = list(
        csv.DictReader(
            io.StringIO(
                analyst_client.get(reverse("inspections:council_list"), {"_export": "csv"}).content.decode("utf-8-sig")
            )
        )
    )
    assert len(everyone) == 153
    wirral = next(r for r in everyone if r["Council"] == "Wirral")
    assert wirral["URN"] == "80581" and wirral["Published"] == "2024-02-02"
    assert wirral["Direction of travel"].startswith("Same")


@pytest.mark.django_db
def test_councils_export_as_excel_opens_as_a_workbook(analyst_client):
    from openpyxl import load_workbook

    response = analyst_client.get(reverse("inspections:council_list"), {"_export": "xlsx", "q": "wirral"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Council" and rows[1][0] == "Wirral" and len(rows) == 2


@pytest.mark.django_db
def test_councils_export_refuses_an_unknown_format(analyst_client):
    assert analyst_client.get(reverse("inspections:council_list"), {"_export": "pdf"}).status_code == 400


# ---------------------------------------------------------------- direction of travel


@pytest.mark.django_db
def test_direction_of_travel_compares_overall_grades_like_with_like_and_never_averages():
    from inspections.selectors import direction_of_travel

    wirral = Council.objects.get(urn=80581)
    graded = [e for e in selectors.council_timeline(council=wirral) if e.judgements.all()]
    y2011, y2016, y2019, y2023 = graded
    assert direction_of_travel(y2019, y2016).key == "improved"  # SIF → ILACS 2018: same scale
    assert direction_of_travel(y2016, y2019).key == "declined"
    same = direction_of_travel(y2023, y2019)
    assert (
        same.key == "same"
        and same.basis == "Overall effectiveness: requires improvement to be good → requires improvement to be good"
    )
    # 2011 made no overall judgement: not comparable, and the reason is given (no average of areas).
    areas = direction_of_travel(y2016, y2011)
    assert areas.key == "not_comparable" and areas.label == "Not comparable"
    assert "previous inspection (Safeguarding and looked after (2009)) made no overall effectiveness judgement" in (
        areas.basis
    )
    assert direction_of_travel(y2011, None).key == "first"
    assert direction_of_travel(None, None).key == "no_inspection"


def _inspection(council, framework, start, judgements):
    event, _status = event_save(
        council=council,
        kind=EventKind.INSPECTION,
        values={"framework": Framework.objects.get(key=framework), "start_date": start},
        judgements=judgements,
    )
    return Event.objects.with_judgements().get(pk=event.pk)


@pytest.mark.django_db
def test_direction_of_travel_is_not_comparable_under_the_2026_framework_even_with_areas_in_common():
    from inspections.selectors import direction_of_travel

    council = Council.objects.get(urn=80581)
    grades = {"impact_of_leaders": "good", "help_and_protection": "good", "children_in_care": "good"}
    latest = _inspection(council, "ilacs_2026", datetime.date(2026, 4, 20), {**grades, "care_leavers": "good"})
    previous = Event.objects.with_judgements().get(council=council, start_date=datetime.date(2023, 9, 18))
    direction = direction_of_travel(latest, previous)
    assert (direction.key, direction.label) == ("not_comparable", "Not comparable")
    assert "latest inspection (ILACS 2026) made no overall effectiveness judgement" in direction.basis
    # Two 2026 inspections: still no overall judgement to compare like with like.
    again = _inspection(council, "ilacs_2026", datetime.date(2026, 10, 5), {**grades, "care_leavers": "inadequate"})
    assert direction_of_travel(again, latest).key == "not_comparable"


@pytest.mark.django_db
def test_direction_of_travel_does_not_compare_grades_on_different_scales():
    from inspections.selectors import direction_of_travel

    council = Council.objects.get(urn=80581)
    older = _inspection(council, "looked_after_2009", datetime.date(2010, 5, 4), {"overall_effectiveness": "adequate"})
    newer = Event.objects.with_judgements().get(council=council, start_date=datetime.date(2016, 7, 4))
    direction = direction_of_travel(newer, older)
    assert direction.key == "not_comparable" and "grade on different scales" in direction.basis


@pytest.mark.django_db
def test_the_councils_table_says_how_direction_of_travel_is_decided(viewer_client):
    html = viewer_client.get(reverse("inspections:council_list")).content.decode()
    assert "never averaged" in html
    assert "(areas)" not in html


# ---------------------------------------------------------------- council page


@pytest.mark.django_db
def test_wirral_page_shows_the_whole_journey(viewer_client):
    html = viewer_client.get(reverse("inspections:council_detail", args=["wirral"])).content.decode()
    timeline = html.split('id="timeline"')[1].split('id="comparison"')[0]
    assert timeline.index("4 July 2016") < timeline.index("improvement notice") < timeline.index("17 June 2019")
    sif = timeline.split("4 July 2016")[1].split("app-timeline__item")[0]
    assert "Inadequate" in sif and "Children looked after and achieving permanence" in sif
    ilacs = timeline.split("17 June 2019")[1].split("app-timeline__item")[0]
    assert "Requires improvement" in ilacs and "Paula Thomson-Jones" in ilacs
    assert "Monitoring visit: children who need help and protection" in timeline
    assert "recommendations" in sif
    assert "Status:" in timeline


@pytest.mark.django_db
def test_wirral_grid_matches_corresponding_areas_across_frameworks(viewer_client):
    html = viewer_client.get(reverse("inspections:council_detail", args=["wirral"])).content.decode()
    grid = html.split('id="grid-caption"')[1].split("</table>")[0]
    care_row = grid.split("Children in care (looked after)")[1].split("</tr>")[0]
    assert care_row.count("app-grade--requires_improvement") == 3  # SIF 2016, ILACS 2018 and 2023
    assert "Looked after" in care_row and "Children in care" in care_row
    assert grid.count('<th scope="col"') == 5  # the area column and four graded inspections


@pytest.mark.django_db
def test_wirral_page_compares_with_statistical_neighbours_and_region(viewer_client, wirral):
    html = viewer_client.get(reverse("inspections:council_detail", args=["wirral"])).content.decode()
    comparison = html.split('id="comparison-caption"')[1]
    for link in wirral.neighbour_links.select_related("neighbour"):
        assert link.neighbour.name in comparison
    for council in Council.objects.active().filter(region=wirral.region):
        assert council.name in comparison
    assert "Overall effectiveness at each graded inspection, by date of publication, Wirral" in html


@pytest.mark.django_db
def test_council_page_dates_the_grid_and_chart_by_publication(viewer_client):
    html = viewer_client.get(reverse("inspections:council_detail", args=["wirral"])).content.decode()
    grid = html.split('id="grid-caption"')[1].split("</thead>")[0]
    for month in ("Published Sep 2016", "Published Jul 2019", "Published Feb 2024"):
        assert month in grid
    assert "Jul 2016<" not in grid and "Sep 2023<" not in grid  # not the months on site
    chart_table = html.split("by date of publication, Wirral</caption>")[1].split("</table>")[0]
    assert ">Published</th>" in chart_table and "20 September 2016" in chart_table


@pytest.mark.django_db
def test_event_page_headings_go_down_one_level_at_a_time(viewer_client):
    sif = Event.objects.get(council__urn=80581, start_date="2016-07-04")  # recommendations for council and LSCB
    html = viewer_client.get(reverse("inspections:event_detail", args=[sif.pk])).content.decode()
    main = html.split('id="main-content"')[1]
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", main)]
    assert 3 in levels, "the two lists of recommendations have their own headings"
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels


@pytest.mark.django_db
def test_council_page_shows_recommendation_updates(viewer_client, wirral, make_user):
    from inspections.models import Recommendation
    from inspections.services import recommendation_status_change

    recommendation = (
        Recommendation.objects.filter(event__council=wirral, event__start_date__year=2016).order_by("pk").first()
    )
    recommendation_status_change(
        recommendation=recommendation,
        status="met",
        date=datetime.date(2020, 5, 1),
        note="Signed off by the improvement board.",
        evidence_url="https://example.org/evidence",
        user=make_user("editor"),
        expected_version=Event.objects.get(pk=recommendation.event_id).version,
    )
    html = viewer_client.get(reverse("inspections:council_detail", args=["wirral"])).content.decode()
    assert "Signed off by the improvement board." in html and "app-status--met" in html


# ---------------------------------------------------------------- region and event pages


@pytest.mark.django_db
def test_region_page_lists_only_its_councils_with_grade_mix_and_trend(viewer_client):
    region = Region.objects.get(slug="north-west")
    html = viewer_client.get(reverse("inspections:region_detail", args=["north-west"])).content.decode()
    table = html.split('id="councils-caption"')[1].split("</table>")[0]
    listed = re.findall(r'<a class="govuk-link" href="/councils/[^"]+/">([^<]+)</a>', table)
    assert listed == list(
        Council.objects.active().filter(region=region).order_by("name").values_list("name", flat=True)
    )
    assert "Latest overall effectiveness, North West" in html
    assert "Overall effectiveness judgements by year of publication, North West" in html
    assert sum(shown_counts(html).values()) == len(listed)


@pytest.mark.django_db
def test_event_page_shows_judgements_recommendations_and_source(viewer_client, wirral):
    event = Event.objects.get(council=wirral, start_date=datetime.date(2016, 7, 4))
    html = viewer_client.get(reverse("inspections:event_detail", args=[event.pk])).content.decode()
    assert "Leadership, management and governance" in html or "leadership" in html.lower()
    assert html.count("app-grade--inadequate") >= 4
    assert "Local Safeguarding Children Board" in html
    assert Grade.objects.filter(key="inadequate").exists()
