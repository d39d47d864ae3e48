"""The Django admin: every model registered; an inspection's inlines offer only its framework's areas and grades."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

from inspections.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser("root-test", "root@example.org", "pw-for-tests-1")
    client.force_login(user)
    return client


def test_every_inspections_model_is_in_the_admin():
    from django.apps import apps

    models = [m for m in apps.get_app_config("inspections").get_models() if not m.__name__.startswith("Historical")]
    assert all(admin.site.is_registered(m) for m in models)


def test_the_inspection_page_offers_only_its_frameworks_areas_and_grades(superuser_client):
    event = Event.objects.get(council__urn=80581, start_date="2019-06-17")
    html = superuser_client.get(f"/admin/inspections/event/{event.pk}/change/").content.decode()
    assert "The experiences and progress of children in care and care leavers" in html
    assert ">Adequate<" not in html  # the 2009 scale's grade is not offered for an ILACS inspection
    assert ">Effectiveness of the Local Safeguarding Children Board<" not in html


def test_the_event_list_filters_by_grade_and_searches_by_council(superuser_client):
    response = superuser_client.get("/admin/inspections/event/", {"grade": "inadequate", "q": "Wirral"})
    assert response.status_code == 200
    assert "Wirral" in response.content.decode()


def test_the_inspection_pages_inline_inputs_each_have_a_name(superuser_client):
    event = Event.objects.get(council__urn=80581, start_date="2019-06-17")
    html = superuser_client.get(f"/admin/inspections/event/{event.pk}/change/").content.decode()
    assert 'aria-label="Area, row 1"' in html and 'aria-label="Grade, row 1"' in html
    assert 'aria-label="Delete, row 1"' in html


def test_the_council_type_filter_has_no_blank_link(superuser_client):
    from inspections.models import Council

    Council.objects.filter(urn=80581).update(council_type="")
    html = superuser_client.get("/admin/inspections/council/").content.decode()
    filters = html.split('id="changelist-filter"')[1].split("</search>")[0]
    assert "council_type=" in filters
    assert re.search(r'council_type=[^"]*"[^>]*>\s*</a>', filters) is None, "a filter link with no words"
