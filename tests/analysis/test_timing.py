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
