"""Visits by year, kind and region, with the councils and links."""

import pytest
from django.urls import reverse

from inspections.models import Event, EventKind

pytestmark = pytest.mark.django_db
VISITS = [EventKind.MONITORING_VISIT, EventKind.FOCUSED_VISIT, EventKind.JTAI]


def test_counts_by_year_add_up_to_every_visit_and_wirral_2018_monitoring_visits_are_listed(viewer_client, wirral):
    response = viewer_client.get(reverse("analysis:visit_themes"))
    assert response.status_code == 200
    found = response.context["found"]
    assert sum(total for _y, _c, total in found.years) == Event.objects.filter(kind__in=VISITS).count()
    assert sum(total for _r, _c, total in found.regions) == Event.objects.filter(kind__in=VISITS).count()
    page = viewer_client.get(
        reverse("analysis:visit_themes"),
        {"region": wirral.region.slug, "kind": "monitoring_visit", "year": "2018"},
    )
    visits = page.context["page"].object_list
    wirral_2018 = [e for e in visits if e.council_id == wirral.pk]
    assert wirral_2018 and all(e.kind == "monitoring_visit" for e in visits)
    assert f'href="{wirral_2018[0].get_absolute_url()}"' in page.content.decode()


def test_unknown_filters_are_named_and_ignored(viewer_client):
    response = viewer_client.get(reverse("analysis:visit_themes"), {"region": "atlantis", "year": "18"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is no such region" in html and "Enter the year as four digits" in html
    assert response.context["region"] is None and response.context["year"] is None


def test_visit_themes_page_makes_a_fixed_number_of_queries(viewer_client, django_assert_max_num_queries):
    viewer_client.get(reverse("analysis:visit_themes"))
    with django_assert_max_num_queries(8):
        assert viewer_client.get(reverse("analysis:visit_themes"), {"region": "north-west"}).status_code == 200
