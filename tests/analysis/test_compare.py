"""Compare councils: grades over time theme by theme, ranks, England and region each year, CSV and PDF."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from analysis.compare import comparison_from_query
from inspections.models import Framework, Grade, JudgementArea, StatisticalNeighbour
from tests.factories import CouncilFactory, InspectionFactory, JudgementFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _judged(council, grade, *, framework="ilacs_2023", start, published):
    event = InspectionFactory(
        council=council,
        framework=Framework.objects.get(key=framework),
        start_date=start,
        end_date=start + datetime.timedelta(days=11),
        published_date=published,
    )
    JudgementFactory(
        event=event, area=JudgementArea.objects.get(key="overall_effectiveness"), grade=Grade.objects.get(key=grade)
    )
    return event


@pytest.fixture
def testshire():
    """A region of four new councils: Alpha good (2024), Beta requires improvement (2022) then inadequate
    (2024), Gamma good (2025), Delta never inspected."""
    region = RegionFactory(code="E99000001", name="Testshire", slug="testshire")
    alpha, beta, gamma, delta = (
        CouncilFactory(name=name, slug=name.lower(), region=region) for name in ("Alpha", "Beta", "Gamma", "Delta")
    )
    _judged(alpha, "good", start=datetime.date(2024, 3, 4), published=datetime.date(2024, 5, 1))
    _judged(
        beta,
        "requires_improvement",
        framework="ilacs_2018",
        start=datetime.date(2022, 4, 4),
        published=datetime.date(2022, 6, 1),
    )
    _judged(beta, "inadequate", start=datetime.date(2024, 9, 2), published=datetime.date(2024, 11, 1))
    _judged(gamma, "good", start=datetime.date(2025, 1, 6), published=datetime.date(2025, 3, 1))
    return region, [alpha, beta, gamma, delta]


def _overall(response):
    return next(t for t in response.context["found"].themes if t.label == "Overall effectiveness")


def test_starting_from_wirral_compares_it_with_its_neighbours(viewer_client, wirral):
    response = viewer_client.get(reverse("analysis:compare"), {"council": "wirral"})
    assert response.status_code == 200
    neighbours = list(
        StatisticalNeighbour.objects.filter(council=wirral).order_by("rank").values_list("neighbour__slug", flat=True)
    )
    assert [c.slug for c in response.context["chosen"]] == ["wirral", *neighbours[:9]]
    assert f"councils=wirral%2C{neighbours[0]}" in response.context["share"]


def test_starting_from_a_council_and_its_region_picks_its_region_by_name(viewer_client, testshire):
    response = viewer_client.get(reverse("analysis:compare"), {"council": "gamma", "group": "region"})
    assert response.status_code == 200
    assert [c.name for c in response.context["chosen"]] == ["Gamma", "Alpha", "Beta", "Delta"]
    assert 'id="group-region" name="group" type="radio" value="region" checked' in response.content.decode()


def test_the_shareable_link_reproduces_the_same_comparison(viewer_client, testshire):
    first = viewer_client.get(reverse("analysis:compare"), {"council": "gamma", "group": "region"})
    assert first.context["share"] == "?councils=gamma%2Calpha%2Cbeta%2Cdelta"
    again = viewer_client.get(reverse("analysis:compare") + first.context["share"])
    assert [c.name for c in again.context["chosen"]] == ["Gamma", "Alpha", "Beta", "Delta"]
    assert [r.rank for r in _overall(again).rows] == [r.rank for r in _overall(first).rows]


def test_wirral_overall_effectiveness_over_time_is_in_the_comparison(viewer_client, wirral):
    other = StatisticalNeighbour.objects.filter(council=wirral).order_by("rank").first().neighbour
    response = viewer_client.get(reverse("analysis:compare"), {"councils": f"wirral,{other.slug}"})
    row = next(r for r in _overall(response).rows if r.council.pk == wirral.pk)
    keys = [(event.start_date.isoformat(), grade.key) for event, grade in row.grades if event.start_date]
    assert ("2016-07-04", "inadequate") in keys and ("2019-06-17", "requires_improvement") in keys
    assert keys == sorted(keys)
    assert row.latest.key == "requires_improvement"  # September 2023, published February 2024
    html = response.content.decode()
    assert "Overall effectiveness" in html and other.name in html


def test_each_theme_has_a_chart_of_every_council_with_its_data_and_key(viewer_client, testshire):
    response = viewer_client.get(reverse("analysis:compare"), {"councils": "alpha,beta,gamma,delta"})
    html = response.content.decode()
    section = html.split('id="theme-overall"')[1].split("</section>")[0]
    assert section.count("<svg") == 1
    assert "Overall effectiveness: each council&#x27;s grade over time" in section
    assert ">Show the data<" in section
    table = section.split('class="govuk-table app-chart__table"')[1].split("</table>")[0]
    assert '<th scope="row" class="govuk-table__header">Beta</th><td class="govuk-table__cell">1 June 2022' in table
    assert "1 November 2024" in table and "Inadequate" in table
    assert 'aria-label="Key"' in section and "app-swatch--good" in section and "app-swatch--inadequate" in section


def test_ranks_share_ties_and_put_councils_without_a_grade_last(viewer_client, testshire):
    response = viewer_client.get(reverse("analysis:compare"), {"councils": "alpha,beta,gamma,delta"})
    rows = _overall(response).rows
    assert [(r.council.name, r.latest_label, r.rank) for r in rows] == [
        ("Alpha", "Good", 1),
        ("Beta", "Inadequate", 3),
        ("Gamma", "Good", 1),
        ("Delta", "No inspection recorded", 4),
    ]
    html = response.content.decode()
    assert "Councils with the same grade share a rank" in html and "share the last rank" in html


def test_region_distribution_each_year_counts_the_grade_published_by_then(viewer_client, testshire):
    response = viewer_client.get(reverse("analysis:compare"), {"councils": "gamma,alpha,beta,delta"})
    theme = _overall(response)
    today = timezone.localdate()
    region = {d.as_at: dict(zip([k for k, _l in theme.columns], d.cells, strict=True)) for d in theme.distributions}
    region = {
        d.as_at: {k: cell for (k, _l), cell in zip(theme.columns, d.cells, strict=True) if cell[0]}
        for d in theme.distributions
        if d.place == "Testshire"
    }
    # Beta's requires improvement was published on 1 June 2022; Alpha's good on 1 May 2024, Beta's
    # inadequate on 1 November 2024, Gamma's good on 1 March 2025; Delta has never been inspected.
    assert region[datetime.date(2022, 12, 31)] == {"requires_improvement": (1, 25), "no_inspection": (3, 75)}
    assert region[datetime.date(2023, 12, 31)] == {"requires_improvement": (1, 25), "no_inspection": (3, 75)}
    assert region[datetime.date(2024, 12, 31)] == {"good": (1, 25), "inadequate": (1, 25), "no_inspection": (2, 50)}
    assert region[today] == {"good": (2, 50), "inadequate": (1, 25), "no_inspection": (1, 25)}
    assert min(region) == datetime.date(2022, 12, 31)  # from the year of the first grade shown
    england = [d for d in theme.distributions if d.place == "England"]
    assert [d.as_at for d in england] == sorted(region)
    assert all(d.total == england[0].total for d in england)


def test_councils_from_two_regions_stand_beside_both_regions(viewer_client, testshire):
    # Gamma (Testshire) first, then Wirral (North West): England, then each region in that order.
    response = viewer_client.get(reverse("analysis:compare"), {"councils": "gamma,wirral"})
    theme = _overall(response)
    today = timezone.localdate()
    assert [d.place for d in theme.distributions if d.as_at == today] == ["England", "Testshire", "North West"]
    html = response.content.decode()
    assert "Overall effectiveness in England, Testshire and North West" in html
    north_west = next(d for d in theme.distributions if d.as_at == today and d.place == "North West")
    assert north_west.total == 24  # the North West's 24 councils of today, the lookup's count


def test_england_distribution_today_agrees_with_the_dashboard(viewer_client, wirral):
    from inspections.selectors import national_picture

    other = StatisticalNeighbour.objects.filter(council=wirral).order_by("rank").first().neighbour
    response = viewer_client.get(reverse("analysis:compare"), {"councils": f"wirral,{other.slug}"})
    theme = _overall(response)
    today = next(d for d in theme.distributions if d.place == "England" and d.as_at == timezone.localdate())
    shown = {k: cell[0] for (k, _l), cell in zip(theme.columns, today.cells, strict=True) if cell[0]}
    assert shown == {k: n for k, n in national_picture().headline_counts.items() if n}
    assert today.total == 153


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"councils": "wirral"}, "Choose at least 2 councils to compare"),
        ({"councils": "wirral,atlantis"}, "These are not councils we know: atlantis"),
        ({"council": "atlantis"}, "There is no council at that address"),
        ({"council": "wirral", "group": "planets"}, "Choose to start from the council&#x27;s statistical neighbours"),
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
    assert "Choose a council to start from its statistical neighbours or its region" in response.content.decode()


def _queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("analysis:compare"), query).status_code == 200
    return len(queries)


def test_compare_makes_the_same_number_of_queries_for_two_or_ten_councils_and_ten_times_the_data(
    viewer_client, wirral, django_assert_num_queries
):
    from inspections.cache import bump_data_version
    from scripts.make_bigger_dataset import make_bigger_dataset

    ten, two = {"council": "wirral"}, {"councils": "wirral,tameside"}

    def count(query, expected):
        viewer_client.get(reverse("analysis:compare"))  # the signed-in user, then cached (tests/conftest.py)
        with django_assert_num_queries(expected):
            assert viewer_client.get(reverse("analysis:compare"), query).status_code == 200

    def assert_queries():
        # The councils, their graded inspections and judgements, the themes, the grades, the picker's
        # councils; and the starting set (the council, its neighbours) for `ten`. When the data has
        # changed, England's record is read again for the distributions (councils, grades, judgement
        # areas, frameworks, events, judgements; themes); then every comparison shares it.
        bump_data_version()
        count(two, 6 + 7)
        count(two, 6)
        count(ten, 8)
        bump_data_version()
        count(ten, 8 + 7)

    assert_queries()
    added = make_bigger_dataset(max_new_councils=200)
    assert added["councils"] == 200
    assert_queries()


def test_analysts_download_the_comparison_and_viewers_cannot(analyst_client, viewer_client, wirral):
    other = StatisticalNeighbour.objects.filter(council=wirral).order_by("rank").first().neighbour
    query = {"councils": f"wirral,{other.slug}", "format": "csv"}
    assert viewer_client.get(reverse("analysis:compare"), query).status_code == 403
    html = viewer_client.get(reverse("analysis:compare"), {"council": "wirral"}).content.decode()
    assert "Download the comparison" not in html
    response = analyst_client.get(reverse("analysis:compare"), query)
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[1][0] == "As at"
    rows = [dict(zip(lines[4], line, strict=True)) for line in lines[5:]]
    assert {
        "council_urn": "80581",
        "theme": "Overall effectiveness",
        "start_date": "2016-07-04",
        "grade": "inadequate",
        "latest_grade_in_theme": "Requires improvement to be good",
    }.items() <= next(
        r
        for r in rows
        if r["council_urn"] == "80581" and r["start_date"] == "2016-07-04" and r["theme"] == "Overall effectiveness"
    ).items()


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_comparison_pdf_holds_the_councils_ranks_and_region_for_those_who_may_export(
    analyst_client, viewer_client, testshire
):
    url = reverse("briefings:comparison_pdf") + "?councils=alpha,beta,gamma,delta"
    assert viewer_client.get(url).status_code == 403
    page = analyst_client.get(reverse("analysis:compare"), {"councils": "alpha,beta,gamma,delta"}).content.decode()
    assert f'href="{reverse("briefings:comparison_pdf")}?councils=alpha%2Cbeta%2Cgamma%2Cdelta"' in page
    response = analyst_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="briefing-comparison-' in response["Content-Disposition"]
    text = pdf_text(response.content)
    for name in ("Alpha", "Beta", "Gamma", "Delta", "Testshire", "England"):
        assert name in text
    assert "Comparison of 4 councils" in text and "share the last rank" in text
    assert PdfReader(io.BytesIO(response.content)).metadata.title == "Comparison of 4 councils' Ofsted judgements"


def test_the_comparison_pdf_refuses_a_wrong_choice_and_says_why(analyst_client):
    response = analyst_client.get(reverse("briefings:comparison_pdf"), {"councils": "wirral,atlantis"})
    assert response.status_code == 400
    assert "These are not councils we know: atlantis" in response.content.decode()


def test_ten_councils_lanes_print_beside_their_heading_drawn_in_print_form(analyst_client):
    """The shipped record: Wirral and its ten statistical neighbours' first theme on the first page."""
    response = analyst_client.get(reverse("briefings:comparison_pdf"), {"council": "wirral", "group": "neighbours"})
    assert response.status_code == 200
    first_page = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Overall effectiveness" in first_page  # the first theme's heading
    assert "No inspection recorded" in first_page  # and its chart's key, printed under the chart
    context, _errors = comparison_from_query(QueryDict("council=wirral"), today=timezone.localdate(), for_print=True)
    svg = context["found"].themes[0].chart.svg
    assert "<title>Wirral:" not in svg and "-clip-" in svg  # no tooltips; patterned grades drawn once
