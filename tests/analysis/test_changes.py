"""What changed since a date: publications, grade changes, intervention, recommendation updates."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import RecommendationStatus, RecommendationUpdate

pytestmark = pytest.mark.django_db


def test_default_is_the_last_month_and_the_page_renders_for_viewers(viewer_client):
    response = viewer_client.get(reverse("analysis:changes"))
    assert response.status_code == 200
    month_ago = timezone.localdate() - datetime.timedelta(days=30)
    assert response.context["changes"].since == month_ago
    assert "Download these changes" not in response.content.decode()  # exports are for analysts


def test_wirral_2023_inspection_shows_as_published_with_its_grade_changes(viewer_client, wirral):
    response = viewer_client.get(reverse("analysis:changes"), {"since": "2024-01-01"})
    assert response.status_code == 200
    published = [e for e in response.context["changes"].publications if e.council_id == wirral.pk]
    assert any(e.published_date == datetime.date(2024, 2, 2) for e in published)
    changes = [c for c in response.context["changes"].grade_changes if c.event.council_id == wirral.pk]
    leadership = next(c for c in changes if c.theme_label == "Leadership")
    assert (leadership.previous.key, leadership.new.key, leadership.direction) == (
        "good",
        "requires_improvement",
        "Worse",
    )
    # long lists are paged (50 a page); the page holding Wirral's change shows it with its link
    page = response.context["changes"].grade_changes.index(leadership) // 50 + 1
    html = viewer_client.get(reverse("analysis:changes"), {"since": "2024-01-01", "grades_page": page}).content.decode()
    assert f'href="{leadership.event.get_absolute_url()}"' in html
    assert "Wirral" in html


def test_leaving_intervention_is_listed(viewer_client):
    response = viewer_client.get(reverse("analysis:changes"), {"since": "2019-07-01"})
    left = response.context["changes"].left_intervention
    assert any(e.council.urn == 80581 and e.end_date == datetime.date(2019, 7, 29) for e in left)
    assert "Left government intervention" in response.content.decode()


def test_a_recommendation_status_update_is_listed_and_in_the_csv(analyst_client, wirral):
    rec = wirral.events.filter(recommendations__isnull=False).order_by("-start_date").first().recommendations.first()
    RecommendationUpdate.objects.create(recommendation=rec, date=timezone.localdate(), status=RecommendationStatus.MET)
    response = analyst_client.get(reverse("analysis:changes"))
    assert rec in [u.recommendation for u in response.context["changes"].status_changes]
    assert "Download these changes" in response.content.decode()
    csv_response = analyst_client.get(reverse("analysis:changes_csv"))
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert lines[1][0] == "As at"
    rows = [dict(zip(lines[4], line, strict=True)) for line in lines[5:]]
    row = next(r for r in rows if r["change"] == "recommendation_status")
    assert (row["council_urn"], row["new"]) == ("80581", "met")


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("31/10/2026", "Enter the date as year-month-day, for example 2026-10-31"),
        ("2999-01-01", "The date must be today or in the past"),
    ],
)
def test_a_wrong_date_gets_a_clear_error_and_the_last_month(viewer_client, since, message):
    response = viewer_client.get(reverse("analysis:changes"), {"since": since})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and message in html
    assert f'value="{since}"' in html  # what the user typed is kept
    assert response.context["changes"].since == timezone.localdate() - datetime.timedelta(days=30)


def test_viewers_cannot_download_the_changes(viewer_client):
    assert viewer_client.get(reverse("analysis:changes_csv")).status_code == 403


def test_changes_page_makes_a_fixed_number_of_queries(viewer_client, django_assert_max_num_queries):
    viewer_client.get(reverse("analysis:changes"))
    with django_assert_max_num_queries(10):
        assert viewer_client.get(reverse("analysis:changes"), {"since": "2010-01-01"}).status_code == 200
