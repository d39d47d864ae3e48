"""Compare councils: grades over time theme by theme, starting from statistical neighbours."""

import pytest
from django.urls import reverse

from inspections.models import StatisticalNeighbour

pytestmark = pytest.mark.django_db


def test_starting_from_wirral_compares_it_with_its_neighbours(viewer_client, wirral):
    response = viewer_client.get(reverse("analysis:compare"), {"council": "wirral"})
    assert response.status_code == 200
    neighbours = list(
        StatisticalNeighbour.objects.filter(council=wirral).order_by("rank").values_list("neighbour__slug", flat=True)
    )
    assert [c.slug for c in response.context["chosen"]] == ["wirral", *neighbours[:9]]
    assert f"councils=wirral%2C{neighbours[0]}" in response.context["share"]


def test_wirral_overall_effectiveness_over_time_is_in_the_comparison(viewer_client, wirral):
    other = StatisticalNeighbour.objects.filter(council=wirral).order_by("rank").first().neighbour
    response = viewer_client.get(reverse("analysis:compare"), {"councils": f"wirral,{other.slug}"})
    themes = dict(response.context["found"].themes)
    row = next(r for r in themes["Overall effectiveness"] if r.council.pk == wirral.pk)
    keys = [(event.start_date.isoformat(), grade.key) for event, grade in row.grades if event.start_date]
    assert ("2016-07-04", "inadequate") in keys and ("2019-06-17", "requires_improvement") in keys
    assert keys == sorted(keys)
    html = response.content.decode()
    assert "Overall effectiveness" in html and other.name in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"councils": "wirral"}, "Choose at least 2 councils to compare"),
        ({"councils": "wirral,atlantis"}, "These are not councils we know: atlantis"),
        ({"council": "atlantis"}, "There is no council at that address"),
    ],
)
def test_wrong_choices_get_a_clear_error(viewer_client, query, message):
    response = viewer_client.get(reverse("analysis:compare"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html


def test_no_choice_shows_how_to_start(viewer_client):
    response = viewer_client.get(reverse("analysis:compare"))
    assert response.status_code == 200
    assert "Choose a council to start from its statistical neighbours" in response.content.decode()


def test_compare_makes_a_fixed_number_of_queries(viewer_client, django_assert_max_num_queries):
    viewer_client.get(reverse("analysis:compare"))
    with django_assert_max_num_queries(10):
        assert viewer_client.get(reverse("analysis:compare"), {"council": "wirral"}).status_code == 200


def test_analysts_download_the_comparison_and_viewers_cannot(analyst_client, viewer_client, wirral):
    import csv
    import io

    other = StatisticalNeighbour.objects.filter(council=wirral).order_by("rank").first().neighbour
    query = {"councils": f"wirral,{other.slug}", "format": "csv"}
    assert viewer_client.get(reverse("analysis:compare"), query).status_code == 403
    assert (
        "Download the comparison"
        not in viewer_client.get(reverse("analysis:compare"), {"council": "wirral"}).content.decode()
    )
    response = analyst_client.get(reverse("analysis:compare"), query)
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[1][0] == "As at"
    rows = [dict(zip(lines[4], line, strict=True)) for line in lines[5:]]
    assert {
        "council_urn": "80581",
        "theme": "Overall effectiveness",
        "start_date": "2016-07-04",
        "grade": "inadequate",
    }.items() <= next(
        r
        for r in rows
        if r["council_urn"] == "80581" and r["start_date"] == "2016-07-04" and r["theme"] == "Overall effectiveness"
    ).items()
