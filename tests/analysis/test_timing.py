"""Timing: days since the last inspection, days to publish, and the next ILACS inspection's window."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from analysis.timing import add_months, intervals

pytestmark = pytest.mark.django_db


def timing_of(response, council):
    return next(t for t in response.context["timings"] if t.council.pk == council.pk)


def test_wirral_requires_improvement_in_2023_is_due_a_standard_inspection_around_2026(viewer_client, wirral):
    response = viewer_client.get(reverse("analysis:timing"))
    assert response.status_code == 200
    t = timing_of(response, wirral)
    assert t.last_graded.start_date == datetime.date(2023, 9, 18)
    assert t.grade.key == "requires_improvement"
    assert t.interval.next_inspection == "Standard inspection"
    # three-year anniversary of the last day (29 September 2023), six months either side
    assert (t.window_opens, t.window_closes) == (datetime.date(2026, 3, 29), datetime.date(2027, 3, 29))
    html = response.content.decode()
    assert "Standard inspection: Mar 2026 to Mar 2027" in html
    assert t.last_inspection == t.last_graded
    assert t.days_to_publish == 126  # 29 September 2023 to 2 February 2024
    assert t.days_since == (timezone.localdate() - datetime.date(2023, 9, 29)).days
    assert t.status == "open"


def test_inadequate_means_monitoring_with_no_fixed_date():
    assert intervals()["inadequate"].earliest_months is None
    assert intervals()["good"].earliest_months == 30 and intervals()["good"].latest_months == 42


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2023, 9, 29), 30) == datetime.date(2026, 3, 29)
    assert add_months(datetime.date(2024, 8, 31), 6) == datetime.date(2025, 2, 28)


def test_due_within_filters_the_table_and_counts_match(viewer_client):
    response = viewer_client.get(reverse("analysis:timing"), {"due": "6"})
    counts = dict(response.context["counts"])
    assert len(response.context["timings"]) == counts[6]
    assert counts[3] <= counts[6] <= counts[12]
    horizon = add_months(timezone.localdate(), 6)
    assert all(t.window_opens <= horizon and t.status in ("open", "upcoming") for t in response.context["timings"])


def test_sorting_by_days_since_descending_puts_the_longest_first(viewer_client):
    response = viewer_client.get(reverse("analysis:timing"), {"sort": "-days"})
    days = [t.days_since for t in response.context["timings"] if t.days_since is not None]
    assert days == sorted(days, reverse=True)
    assert 'aria-sort="descending"' in response.content.decode()


def test_timing_page_makes_a_fixed_number_of_queries(viewer_client, django_assert_max_num_queries):
    viewer_client.get(reverse("analysis:timing"))
    with django_assert_max_num_queries(8):
        assert viewer_client.get(reverse("analysis:timing")).status_code == 200


def test_wirral_council_page_shows_days_since_time_to_publish_and_the_next_window(viewer_client):
    html = viewer_client.get(reverse("inspections:council_detail", args=["wirral"])).content.decode()
    days = (timezone.localdate() - datetime.date(2023, 9, 29)).days
    assert f"{days} days, counted from 29 September 2023" in html
    assert "126 days from the end of the inspection to publication on 2 February 2024" in html
    assert "Standard inspection between 29 March 2026 and 29 March 2027" in html


@pytest.fixture
def two_new_councils():
    """Newtown, judged good on an inspection that ended 15 March 2024; Oldtown, never inspected."""
    from inspections.models import Grade, JudgementArea
    from tests.factories import CouncilFactory, InspectionFactory, JudgementFactory

    newtown = CouncilFactory(name="Newtown", slug="newtown")
    CouncilFactory(name="Oldtown", slug="oldtown")
    event = InspectionFactory(council=newtown)  # 4 to 15 March 2024, published 1 May 2024, ILACS 2023
    JudgementFactory(
        event=event, area=JudgementArea.objects.get(key="overall_effectiveness"), grade=Grade.objects.get(key="good")
    )
    return newtown


def test_a_good_council_is_due_a_short_inspection_30_to_42_months_after_its_last_day(viewer_client, two_new_councils):
    html = viewer_client.get(reverse("inspections:council_detail", args=["newtown"])).content.decode()
    assert "Short inspection between 15 September 2026 and 15 September 2027" in html
    assert "47 days from the end of the inspection to publication on 1 May 2024" in html
    html = viewer_client.get(reverse("inspections:council_detail", args=["oldtown"])).content.decode()
    assert "Not known: no graded inspection is recorded" in html


def _table(client, **query):
    response = client.get(reverse("inspections:council_list"), {"per_page": 500, **query})
    assert response.status_code == 200
    return response.content.decode()


def _rows(html):
    import re

    body = html.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    return [re.sub(r"<[^>]+>", "|", row) for row in body.split('<tr class="govuk-table__row">')[1:]]


def test_councils_table_shows_days_since_and_next_inspection_due(viewer_client, two_new_councils):
    html = _table(viewer_client, q="Newtown")
    days = (timezone.localdate() - datetime.date(2024, 3, 15)).days
    assert "Days since last inspection" in html and "Next inspection due" in html
    (row,) = _rows(html)
    assert f"|{days:,}|" in row and "Sep 2026 to Sep 2027" in row and "short inspection" in row


def test_councils_table_sorts_by_next_inspection_due_and_by_days_since(viewer_client, two_new_councils):
    import re

    rows = _rows(_table(viewer_client, sort="next_due"))
    assert "Oldtown" in rows[-1]  # no graded inspection: last
    months = {
        m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
    }
    opens = []
    for row in rows:
        found = re.search(r"\|(\w{3}) (\d{4}) to \w{3} \d{4}\|", row)
        if found:
            opens.append((int(found.group(2)), months[found.group(1)]))
    assert len(opens) > 100 and opens == sorted(opens)
    rows = _rows(_table(viewer_client, sort="-days_since"))
    assert "Oldtown" in rows[0]  # never inspected: the longest wait, first when the longest come first
    days = [int(found.group(1).replace(",", "")) for row in rows if (found := re.search(r"\|([\d,]+)\|", row))]
    assert len(days) > 100 and days == sorted(days, reverse=True)


def test_councils_table_exports_the_timing_columns(analyst_client, two_new_councils):
    import csv
    import io

    response = analyst_client.get(reverse("inspections:council_list"), {"q": "Newtown", "_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["Next inspection due"] == "2026-09-15 to 2027-09-15"
    assert rows[0]["Days since last inspection"] == str((timezone.localdate() - datetime.date(2024, 3, 15)).days)


def test_timing_adds_no_query_to_the_council_page_or_the_councils_table(
    viewer_client, two_new_councils, django_assert_num_queries
):
    from django.core.cache import cache

    for url, expected in [
        (reverse("inspections:council_list"), COUNCILS_TABLE_QUERIES),
        (reverse("inspections:council_detail", args=["wirral"]), COUNCIL_PAGE_QUERIES),
    ]:
        viewer_client.get(url)
        cache.clear()
        with django_assert_num_queries(expected):
            assert viewer_client.get(url).status_code == 200


# Measured on main before the timing columns and rows were added (with the sign-in queries after the
# cache is cleared); unchanged after.
COUNCILS_TABLE_QUERIES = 12
COUNCIL_PAGE_QUERIES = 15
