"""The read-only JSON API, compared with the CSV and with the Wirral story."""

import csv
from collections import Counter

import pytest

from inspections.importers import HISTORY_FILE

pytestmark = pytest.mark.django_db


def test_the_api_needs_a_sign_in(client):
    response = client.get("/api/councils/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    assert "Sign in" in response.json()["error"]


def test_scripts_can_sign_in_with_basic_credentials(client, make_user):
    import base64

    make_user("viewer", username="script-user")
    good = base64.b64encode(b"script-user:pw-for-tests-1").decode()
    bad = base64.b64encode(b"script-user:wrong").decode()
    assert client.get("/api/councils/80581/", HTTP_AUTHORIZATION=f"Basic {good}").json()["urn"] == 80581
    assert client.get("/api/councils/80581/", HTTP_AUTHORIZATION=f"Basic {bad}").status_code == 401
    assert client.get("/api/councils/80581/", HTTP_AUTHORIZATION="Basic !!!").status_code == 401


def test_council_list_has_every_council_with_its_latest_graded_inspection(viewer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        data = viewer_client.get("/api/councils/").json()
    assert len(data) == 156
    wirral = next(c for c in data if c["urn"] == 80581)
    assert wirral["slug"] == "wirral"
    assert wirral["la_code"] == "344" and wirral["gss_code"] == "E08000015"
    assert wirral["latest"] == {
        "start_date": "2023-09-18",
        "published_date": "2024-02-02",
        "framework": "ilacs_2023",
        "inspection_type": "standard",
        "judgements": {
            "overall_effectiveness": "requires_improvement",
            "impact_of_leaders": "requires_improvement",
            "help_and_protection": "requires_improvement",
            "children_in_care": "requires_improvement",
            "care_leavers": "requires_improvement",
        },
    }


def test_latest_grades_match_the_csv(viewer_client):
    """Independently: for each council, its latest CSV row (by start date, else publication date)
    with an overall grade must be what the API calls latest, unless a later report has no overall
    judgement (the April 2026 framework)."""
    from datetime import datetime

    def day(text):
        return datetime.strptime(text, "%d/%m/%Y" if len(text) == 10 else "%d/%m/%y").date()

    words = {
        "good": "good",
        "outstanding": "outstanding",
        "inadequate": "inadequate",
        "requires improvement": "requires_improvement",
    }
    # Where a report read in full and the history disagree, the report wins (listed in the review file).
    review = csv.DictReader((HISTORY_FILE.parent / "record_review.csv").open(encoding="utf-8"))
    report_wins = {
        int(r["urn"])
        for r in review
        if r["field"] == "judgements.overall_effectiveness" and r["settled"] == "The report wins."
    }
    latest_row = {}
    for row in csv.DictReader(HISTORY_FILE.open()):
        if row["overall_effectiveness_grade"] not in words:
            continue
        when = day(row["inspection_start_date"] or row["publication_date"])
        urn = int(row["urn"])
        if urn not in latest_row or when > latest_row[urn][0]:
            latest_row[urn] = (when, row)
    data = {c["urn"]: c for c in viewer_client.get("/api/councils/").json()}
    checked = 0
    for urn, (when, row) in latest_row.items():
        latest = data[urn]["latest"]
        if "overall_effectiveness" not in latest["judgements"]:
            continue
        assert when.isoformat() in (latest["start_date"], latest["published_date"]), urn
        if urn not in report_wins:
            assert latest["judgements"]["overall_effectiveness"] == words[row["overall_effectiveness_grade"]], urn
        checked += 1
    assert checked > 120


def test_events_per_council_match_the_csv(viewer_client):
    per_council = Counter(int(r["urn"]) for r in csv.DictReader(HISTORY_FILE.open()))
    for urn in (80486, 80426, 2532283, 80418):
        events = viewer_client.get(f"/api/councils/{urn}/").json()["events"]
        # Earlier inspections that later reports state (known to the month) are not history rows.
        dated = [e for e in events if e["kind"] == "inspection" and e["date_precision"] == "day"]
        assert len(dated) == per_council[urn]


def test_wirral_detail_tells_the_whole_story_in_order(viewer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        data = viewer_client.get("/api/councils/80581/").json()
    assert data["name"] == "Wirral" and data["region"] == "North West"
    assert len(data["statistical_neighbours"]) == 10
    events = data["events"]

    # Oldest first; a date known only to the month or year after the events dated within it.
    def position(event):
        year, month, day = map(int, (event["start_date"] or event["published_date"]).split("-"))
        precision = event["date_precision"]
        return (year, 13 if precision == "year" else month, 32 if precision in ("year", "month") else day)

    positions = [position(e) for e in events]
    assert positions == sorted(positions)
    kinds = Counter(e["kind"] for e in events)
    assert kinds["inspection"] == 4 and kinds["monitoring_visit"] >= 3 and kinds["intervention"] == 2
    assert kinds["milestone"] >= 4 and kinds["focused_visit"] == 2

    sif = next(e for e in events if e["framework"] == "sif")
    assert (sif["start_date"], sif["end_date"], sif["published_date"]) == ("2016-07-04", "2016-07-28", "2016-09-20")
    assert sif["judgements"] == {
        "overall_effectiveness": "inadequate",
        "help_and_protection": "inadequate",
        "children_looked_after": "requires_improvement",
        "adoption_performance": "requires_improvement",
        "care_leavers": "inadequate",
        "leadership_management_governance": "inadequate",
        "lscb": "inadequate",
    }
    addressed = Counter(r["addressed_to"] for r in sif["recommendations"])
    assert addressed == {"council": 19, "lscb": 7}
    assert [r["number"] for r in sif["recommendations"] if r["addressed_to"] == "lscb"] == list(range(1, 8))

    ilacs_2019 = next(e for e in events if e["start_date"] == "2019-06-17")
    assert ilacs_2019["lead_inspector"] == "Paula Thomson-Jones"
    assert ilacs_2019["judgements"]["impact_of_leaders"] == "good"
    assert ilacs_2019["judgements"]["overall_effectiveness"] == "requires_improvement"
    assert len(ilacs_2019["recommendations"]) == 5

    notice = next(e for e in events if e["kind"] == "intervention" and "notice" in e["title"].lower())
    assert notice["end_date"] == "2019-07-29"
    visit = next(e for e in events if e["start_date"] == "2018-09-04")
    assert (visit["kind"], visit["lead_inspector"], visit["focus"]) == (
        "monitoring_visit",
        "Sheena Doyle",
        "children who need help and protection",
    )
    march_2011 = events[0]
    assert march_2011["judgements"] == {
        "safeguarding_overall_effectiveness": "good",
        "looked_after_overall_effectiveness": "good",
    }


def test_an_unknown_urn_is_a_404(viewer_client):
    assert viewer_client.get("/api/councils/1/").status_code == 404


def test_the_api_only_reads(viewer_client):
    assert viewer_client.post("/api/councils/").status_code in (403, 405)
