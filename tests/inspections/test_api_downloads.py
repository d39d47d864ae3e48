"""The downloads as JSON (/api/inspections/, /api/visits/, /api/recommendations/): the same rows and
codes as the files, filters, pagination, clear 400s and a fixed number of queries."""

import csv
import io

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.tokens import api_token_create
from inspections.models import Event, EventKind, Recommendation

pytestmark = pytest.mark.django_db


def csv_rows(response):
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [dict(zip(lines[4], line, strict=True)) for line in lines[5:]]


def as_csv_cell(value):
    return "" if value is None else str(value)


def all_results(client, url):
    """Every row of a list, following the `next` links."""
    rows = []
    while url:
        data = client.get(url).json()
        rows += data["results"]
        url = data["next"]
    return rows


@pytest.mark.parametrize("name", ["inspections", "visits", "recommendations"])
def test_each_list_has_the_downloads_rows_and_columns_for_a_council(analyst_client, name):
    api = all_results(analyst_client, f"/api/{name}/?council=wirral&page_size=7")
    download = [r for r in csv_rows(analyst_client.get(f"/downloads/{name}.csv")) if r["council_urn"] == "80581"]
    assert len(api) == len(download) > 0
    for row, line in zip(api, download, strict=True):
        assert list(row) == list(line)  # the same column names in the same order
        assert {k: as_csv_cell(v) for k, v in row.items()} == line


def test_wirral_2019_inspection_keeps_its_previous_grades_when_the_filter_leaves_the_earlier_one_out(viewer_client):
    data = viewer_client.get("/api/inspections/?council=80581&since=2019-01-01").json()
    assert [r["start_date"] for r in data["results"]] == ["2019-06-17", "2023-09-18"]
    ilacs_2019 = data["results"][0]
    assert ilacs_2019["overall"] == "requires_improvement"
    assert ilacs_2019["overall_previous"] == "inadequate"  # SIF 2016, before `since`
    assert ilacs_2019["leadership_previous"] == "inadequate"
    assert ilacs_2019["lscb"] == "not_judged" and ilacs_2019["lscb_previous"] == "inadequate"
    assert ilacs_2019["lead_inspector"] == "Paula Thomson-Jones"
    assert ilacs_2019["framework"] == "ilacs_2018"
    assert ilacs_2019["published_date"] == "2019-07-29"
    assert ilacs_2019["tracker_link"] == f"http://testserver/events/{ilacs_2019['event_id']}/"
    assert data["as_at"] == timezone.localdate().isoformat() and "Ofsted" in data["source"]


def test_recommendation_status_is_the_one_rule_and_null_stands_for_nothing_recorded(viewer_client):
    rows = all_results(viewer_client, "/api/recommendations/?council=wirral&page_size=500")
    standing = dict(
        Recommendation.objects.with_standing().filter(event__council__urn=80581).values_list("pk", "standing")
    )
    assert {r["recommendation_id"]: r["status"] for r in rows} == standing
    current = {r["status"] for r in rows if r["event_start_date"] == "2023-09-18"}
    assert current == {"open"}
    assert {r["status"] for r in rows if r["event_start_date"] == "2016-07-04" and r["addressed_to"] == "lscb"} == {
        "lscb_ended"
    }
    assert all(r["status_updated"] is None for r in rows if r["event_start_date"] == "2016-07-04")


def test_pages_link_to_each_other_with_absolute_addresses(viewer_client):
    first = viewer_client.get("/api/visits/?region=north-west&page_size=3").json()
    total = Event.objects.filter(
        kind__in=[EventKind.MONITORING_VISIT, EventKind.FOCUSED_VISIT, EventKind.JTAI],
        council__region__slug="north-west",
    ).count()
    assert first["count"] == total > 6
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/visits/?region=north-west&page_size=3&page=2"
    second = viewer_client.get(first["next"]).json()
    assert second["previous"] == "http://testserver/api/visits/?region=north-west&page_size=3&page=1"
    assert len(first["results"]) == len(second["results"]) == 3
    assert not {r["event_id"] for r in first["results"]} & {r["event_id"] for r in second["results"]}
    rows = all_results(viewer_client, "/api/visits/?region=north-west&page_size=3")
    assert len({r["event_id"] for r in rows}) == total
    assert viewer_client.get("/api/visits/").json()["count"] > 100
    assert len(viewer_client.get("/api/visits/").json()["results"]) == 100  # the default page size


def test_region_by_slug_or_name_and_council_by_slug_or_urn_give_the_same_rows(viewer_client):
    by_slug = viewer_client.get("/api/inspections/?region=north-west&page_size=500").json()
    by_name = viewer_client.get("/api/inspections/?region=North%20West&page_size=500").json()
    assert by_slug["results"] == by_name["results"]
    expected = Event.objects.filter(kind=EventKind.INSPECTION, council__region__name="North West").count()
    assert by_slug["count"] == expected and {r["region"] for r in by_slug["results"]} == {"North West"}
    assert (
        viewer_client.get("/api/visits/?council=80581").json()
        == viewer_client.get("/api/visits/?council=wirral").json()
    )


def test_framework_and_since_filter_the_rows(viewer_client):
    sif = all_results(viewer_client, "/api/inspections/?framework=sif&page_size=500")
    assert len(sif) == Event.objects.filter(framework__key="sif").count() > 100
    assert {r["framework"] for r in sif} == {"sif"}
    recent = all_results(viewer_client, "/api/recommendations/?since=2024-01-01&framework=ilacs_2023&page_size=500")
    assert recent and all(r["event_published_date"] >= "2024-01-01" for r in recent)
    assert {r["framework"] for r in recent} == {"ilacs_2023"}
    visits = all_results(viewer_client, "/api/visits/?since=2024-06-01&page_size=500")
    assert visits and min(r["published_date"] for r in visits) >= "2024-06-01"


@pytest.mark.parametrize(
    ("url", "parameter", "words"),
    [
        ("/api/inspections/?region=atlantis", "region", "There is no region 'atlantis'"),
        ("/api/inspections/?framework=ofsted_1066", "framework", "There is no framework with the key 'ofsted_1066'"),
        ("/api/recommendations/?since=31/10/2026", "since", "Enter the date as year-month-day"),
        ("/api/recommendations/?since=2999-01-01", "since", "The date must be today or in the past"),
        ("/api/visits/?council=nowhere", "council", "There is no council 'nowhere'"),
        ("/api/visits/?council=1", "council", "There is no council '1'"),
        ("/api/visits/?framework=sif", "framework", "this list takes no such parameter"),
        ("/api/visits/?framework=nope", "framework", "this list takes no such parameter"),
        ("/api/visits/?regoin=london", "regoin", "this list takes no such parameter"),
        ("/api/visits/?region=london&region=north-west", "region", "give it once"),
        ("/api/inspections/?page=0", "page", "greater than or equal to 1"),
        ("/api/inspections/?page=two", "page", "Give the page as a whole number"),
        ("/api/inspections/?page=999", "page", "there are 7 pages of results"),
        ("/api/inspections/?page_size=501", "page_size", "less than or equal to 500"),
    ],
)
def test_a_wrong_parameter_is_a_400_naming_it(viewer_client, url, parameter, words):
    response = viewer_client.get(url)
    assert response.status_code == 400
    body = response.json()
    assert words in body["errors"][parameter]
    assert body["error"].startswith(f"{parameter}: ")


def test_every_wrong_parameter_is_named_at_once(viewer_client):
    body = viewer_client.get("/api/inspections/?region=atlantis&since=yesterday&page_size=0").json()
    assert set(body["errors"]) == {"region", "since", "page_size"}


def test_the_lists_need_a_sign_in_and_a_role_and_take_a_token(client, make_user):
    assert client.get("/api/inspections/").status_code == 401
    _token, raw = api_token_create(user=make_user("viewer", username="script"), name="Nightly load")
    response = client.get("/api/recommendations/?council=wirral", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["count"] > 20
    _token, roleless = api_token_create(user=make_user(None, username="no-role"), name="Test")
    assert client.get("/api/visits/", HTTP_AUTHORIZATION=f"Bearer {roleless}").status_code == 403
    assert client.post("/api/visits/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 403


# Queries: signing in with a session (4: session, user, permissions); the count; the page of rows;
# for inspections also the themes, the page's judgements, which themes each framework judges, and
# the page's councils' inspections and their judgements (for the previous grades); one lookup for
# each of region, framework and council given.
QUERIES = {
    "/api/inspections/": 11,
    "/api/inspections/?region=north-west&framework=ilacs_2023&since=2019-01-01&council=wirral": 14,
    "/api/visits/": 6,
    "/api/visits/?region=London&since=2020-01-01&page=2&page_size=5": 7,
    "/api/recommendations/": 6,
    "/api/recommendations/?framework=sif&council=80581": 8,
}


def test_each_list_makes_a_fixed_number_of_queries(viewer_client, django_assert_num_queries):
    for url, queries in QUERIES.items():
        cache.clear()  # sign-in queries every time (a warm cache would skip some)
        with django_assert_num_queries(queries):
            assert viewer_client.get(url).status_code == 200, url
