"""What changed since a date: publications, grade changes, intervention, recommendation updates."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import Event, RecommendationStatus, RecommendationUpdate

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


# The feed ---------------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(response):
    root = ET.fromstring(response.content)
    return [
        {
            "title": e.findtext(f"{ATOM}title"),
            "link": e.find(f"{ATOM}link").get("href"),
            "id": e.findtext(f"{ATOM}id"),
            "updated": e.findtext(f"{ATOM}updated")[:10],
        }
        for e in root.findall(f"{ATOM}entry")
    ]


def test_the_feed_lists_changes_newest_first_with_portsmouths_grade_changes(viewer_client):
    response = viewer_client.get(reverse("analysis:changes_feed"), {"since": "2024-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = feed_entries(response)
    assert len(entries) == 200  # the newest 200; the CSV holds them all
    dates = [e["updated"] for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert len({e["id"] for e in entries}) == len(entries)

    recent = feed_entries(viewer_client.get(reverse("analysis:changes_feed"), {"since": "2026-06-01"}))
    portsmouth = Event.objects.get(council__slug="portsmouth", published_date=datetime.date(2026, 8, 18))
    found = {e["title"] for e in recent if e["link"] == f"http://testserver{portsmouth.get_absolute_url()}"}
    assert found == {
        "Portsmouth: Published: ILACS 2026 inspection",
        "Portsmouth: Grade changed: Leadership (ILACS 2026 inspection) (Good to Outstanding)",
        "Portsmouth: Grade changed: Children in care (looked after) (ILACS 2026 inspection) (Good to Outstanding)",
        "Portsmouth: Grade changed: Care leavers (ILACS 2026 inspection) (Requires improvement to be good to Outstanding)",
    }


def test_the_feed_holds_the_csvs_rows_and_a_status_update_from_today(analyst_client, wirral):
    rec = wirral.events.filter(recommendations__isnull=False).order_by("-start_date").first().recommendations.first()
    RecommendationUpdate.objects.create(recommendation=rec, date=timezone.localdate(), status=RecommendationStatus.MET)
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    entries = feed_entries(analyst_client.get(reverse("analysis:changes_feed"), {"since": since}))
    lines = list(
        csv.reader(
            io.StringIO(
                analyst_client.get(reverse("analysis:changes_csv"), {"since": since}).content.decode("utf-8-sig")
            )
        )
    )
    assert len(entries) == len(lines) - 5
    top = entries[0]
    assert top["title"] == f"Wirral: Recommendation status updated: {rec.number}. {rec.text} (Met)"
    assert top["updated"] == timezone.localdate().isoformat()


def test_a_personal_feed_address_opens_the_feed_without_a_session(client, make_user):
    from accounts.tokens import feed_token

    user = make_user("viewer", username="reader")
    url = reverse("analysis:changes_feed")
    assert client.get(url, {"token": feed_token(user)}).status_code == 200
    assert client.get(url, {"token": f"{user.pk}-forged"}).status_code == 403
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_a_wrong_date_in_the_feed_is_a_400_naming_it(viewer_client):
    response = viewer_client.get(reverse("analysis:changes_feed"), {"since": "31/10/2026"})
    assert response.status_code == 400


def test_the_changes_page_links_its_feed_and_a_personal_address(viewer_client, make_user):
    from accounts.tokens import feed_token

    html = viewer_client.get(reverse("analysis:changes"), {"since": "2024-01-01"}).content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="What changed (Atom feed)" href="/changes/feed/?since=2024-01-01">'
        in html
    )
    user = viewer_client.get(reverse("analysis:changes")).wsgi_request.user
    assert f'value="http://testserver/changes/feed/?token={feed_token(user)}"' in html
