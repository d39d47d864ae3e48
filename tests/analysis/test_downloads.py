"""Downloads: the whole record as CSV and Excel, for analysts and above, in a fixed number of queries."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from analysis.exports import Sheet, neutralise, to_csv, to_xlsx
from inspections.models import Event, EventKind, Recommendation

pytestmark = pytest.mark.django_db


def read_csv(response):
    """(preamble lines, header, rows as dicts) of a downloaded CSV."""
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    preamble, header, rows = lines[:3], lines[4], lines[5:]
    return preamble, header, [dict(zip(header, row, strict=True)) for row in rows]


def test_viewers_are_refused_every_download(viewer_client):
    assert viewer_client.get(reverse("analysis:downloads")).status_code == 403
    for name in ("inspections", "visits", "recommendations"):
        for fmt in ("csv", "xlsx"):
            assert viewer_client.get(reverse(f"analysis:download_{name}_{fmt}")).status_code == 403


def test_downloads_page_links_each_file_in_both_formats(analyst_client):
    response = analyst_client.get(reverse("analysis:downloads"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("inspections", "visits", "recommendations"):
        assert f'href="/downloads/{name}.csv"' in html
        assert f'href="/downloads/{name}.xlsx"' in html


def test_inspections_csv_states_date_and_source_and_has_every_inspection(analyst_client):
    response = analyst_client.get(reverse("analysis:download_inspections_csv"))
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert f"inspections-as-at-{today}.csv" in response["Content-Disposition"]
    preamble, header, rows = read_csv(response)
    assert preamble[1] == ["As at", today]
    assert preamble[2][0] == "Source" and "Ofsted" in preamble[2][1]
    assert len(rows) == Event.objects.filter(kind=EventKind.INSPECTION).count()
    assert {"overall", "overall_previous", "help_and_protection", "lscb", "lead_inspector"} <= set(header)


def test_wirral_inspections_show_each_grade_with_the_previous_one_beside_it(analyst_client):
    _, _, rows = read_csv(analyst_client.get(reverse("analysis:download_inspections_csv")))
    wirral = [r for r in rows if r["council_urn"] == "80581"]
    by_start = {r["start_date"]: r for r in wirral}
    sif = by_start["2016-07-04"]
    assert (sif["framework"], sif["overall"], sif["lscb"], sif["published_date"]) == (
        "sif",
        "inadequate",
        "inadequate",
        "2016-09-20",
    )
    ilacs_2019 = by_start["2019-06-17"]
    assert ilacs_2019["overall"] == "requires_improvement"
    assert ilacs_2019["overall_previous"] == "inadequate"
    assert ilacs_2019["leadership"] == "good"
    assert ilacs_2019["leadership_previous"] == "inadequate"
    assert ilacs_2019["lscb"] == "not_judged"  # ILACS makes no LSCB judgement: never a grade
    assert ilacs_2019["lead_inspector"] == "Paula Thomson-Jones"
    assert ilacs_2019["tracker_link"].startswith("http://testserver/events/")
    ilacs_2023 = by_start["2023-09-18"]
    assert ilacs_2023["care_leavers"] == "requires_improvement"
    assert ilacs_2023["care_leavers_previous"] == "inadequate"  # SIF 2016: the last care leavers grade


def test_visits_and_recommendations_csv_hold_every_row_with_status(analyst_client):
    _, _, visits = read_csv(analyst_client.get(reverse("analysis:download_visits_csv")))
    assert (
        len(visits)
        == Event.objects.filter(kind__in=[EventKind.MONITORING_VISIT, EventKind.FOCUSED_VISIT, EventKind.JTAI]).count()
    )
    assert any(v["council_urn"] == "80581" and v["kind"] == "monitoring_visit" for v in visits)
    _, _, recs = read_csv(analyst_client.get(reverse("analysis:download_recommendations_csv")))
    assert len(recs) == Recommendation.objects.count()
    # The status is the one rule's standing: a recommendation of an earlier inspection is superseded.
    held = Recommendation.objects.with_standing().select_related("event").first()
    row = next(r for r in recs if r["recommendation_id"] == str(held.pk))
    assert (row["status"], row["text"], row["number"]) == (held.standing, held.text, str(held.number))
    wirral = [r for r in recs if r["council_urn"] == "80581" and r["status"] in ("open", "in_progress")]
    assert {r["event_start_date"] for r in wirral if r["event_kind"] == "inspection"} == {"2023-09-18"}


def test_excel_download_has_the_data_sheet_and_an_about_sheet(analyst_client):
    response = analyst_client.get(reverse("analysis:download_inspections_xlsx"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Inspections", "About"]
    data = book["Inspections"]
    header = [c.value for c in data[1]]
    assert data.max_row - 1 == Event.objects.filter(kind=EventKind.INSPECTION).count()
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["As at"] == timezone.localdate().isoformat()
    assert "Ofsted" in about["Source"]
    assert "not_judged" in about and "overall" in header


@pytest.mark.parametrize("name", ["inspections", "visits", "recommendations"])
def test_each_download_makes_a_fixed_number_of_queries(analyst_client, django_assert_max_num_queries, name):
    analyst_client.get(reverse("analysis:downloads"))  # session and permissions loaded once
    with django_assert_max_num_queries(8):
        assert analyst_client.get(reverse(f"analysis:download_{name}_csv")).status_code == 200


def test_formula_like_text_is_neutralised_in_csv_and_excel(analyst_client):
    event = Event.objects.filter(kind=EventKind.INSPECTION, council__urn=80581).order_by("start_date").last()
    Recommendation.objects.create(event=event, number=99, text='=HYPERLINK("http://evil.example","x")')
    _, _, recs = read_csv(analyst_client.get(reverse("analysis:download_recommendations_csv")))
    assert next(r for r in recs if r["number"] == "99")["text"] == '\'=HYPERLINK("http://evil.example","x")'
    for text in ("+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("Good") == "Good" and neutralise(3) == 3
    sheet = Sheet("T", ["a"], [["=1+1"]])
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(sheet, as_at=timezone.localdate())))
    assert book["T"]["A2"].value == "'=1+1" and book["T"]["A2"].data_type == "s"
    assert "'=1+1" in to_csv(sheet, as_at=timezone.localdate()).decode("utf-8-sig")


def test_analysis_page_offers_downloads_only_to_those_who_may_export(viewer_client, analyst_client):
    assert 'href="/downloads/"' not in viewer_client.get(reverse("analysis:index")).content.decode()
    html = analyst_client.get(reverse("analysis:index")).content.decode()
    assert 'href="/downloads/"' in html and 'href="/timing/"' in html and 'href="/changes/"' in html


def test_downloads_page_explains_the_api_and_links_its_description(analyst_client):
    html = analyst_client.get(reverse("analysis:downloads")).content.decode()
    assert 'href="/api/schema/"' in html and 'href="/account/"' in html
    for name in ("inspections", "visits", "recommendations"):
        assert f'href="/api/{name}/"' in html
    assert (
        'curl -H "Authorization: Bearer $TOKEN" "http://testserver/api/inspections/?region=north-west&amp;since=2023-01-01"'
        in html
    )
