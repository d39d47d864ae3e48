"""The dashboard's and councils table's lean reads give what the general ones give, in the same queries."""

import datetime

import pytest

from inspections.models import Event, Grade, JudgementArea
from inspections.selectors import council_table
from inspections.selectors.judgements import read_judgements
from inspections.tables import CouncilsTable
from tests.factories import CouncilFactory, InspectionFactory, JudgementFactory

pytestmark = pytest.mark.django_db


def _two_inspections():
    council = CouncilFactory(name="Lean Read Borough", slug="lean-read-borough")
    older = InspectionFactory(council=council, start_date=datetime.date(2021, 1, 11), end_date=None)
    newer = InspectionFactory(council=council, start_date=datetime.date(2024, 3, 4))
    overall = JudgementArea.objects.get(key="overall_effectiveness")
    help_area = JudgementArea.objects.get(key="help_and_protection")
    JudgementFactory(event=older, area=overall, grade=Grade.objects.get(key="inadequate"))
    JudgementFactory(event=newer, area=overall, grade=Grade.objects.get(key="good"))
    JudgementFactory(event=newer, area=help_area, grade=Grade.objects.get(key="good"))
    return council, older, newer


def test_read_judgements_gives_each_event_its_judgements_in_one_query(django_assert_num_queries):
    _council, older, newer = _two_inspections()
    with django_assert_num_queries(2):  # the events, then every judgement with its area and grade
        events = read_judgements(Event.objects.filter(pk__in=[older.pk, newer.pk]).order_by("start_date"))
    with django_assert_num_queries(0):
        read = [[(j.area.key, j.grade.key, j.event.pk) for j in e.judgements.all()] for e in events]
    assert read[0] == [("overall_effectiveness", "inadequate", older.pk)]
    assert sorted(read[1]) == [("help_and_protection", "good", newer.pk), ("overall_effectiveness", "good", newer.pk)]
    # Both "good" judgements share one Grade: the vocabulary is built once, not once per judgement.
    first, second = events[1].judgements.all()
    assert first.grade is second.grade


def test_read_judgements_of_nothing_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert read_judgements([]) == []


def test_councils_table_row_reads_grades_and_direction_from_the_lean_read():
    council, _older, _newer = _two_inspections()
    found = council_table(councils=type(council).objects.filter(pk=council.pk))
    (row,) = found.rows
    assert row.headline.key == "good"
    assert row.direction.label == "Improved"
    assert row.direction.basis == "Overall effectiveness: inadequate → good"
    assert row.latest.council is row.council  # the row's council, not a second copy


def test_councils_table_renders_each_row_as_escaped_cells():
    council = CouncilFactory(name="Lean <Read> & Co", slug="lean-read-co")
    found = council_table(councils=type(council).objects.filter(pk=council.pk))
    table = CouncilsTable(found.rows, themes=found.themes, today=datetime.date(2026, 11, 30))
    (row,) = table.paginated_rows
    assert row.html.startswith(
        '<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/councils/lean-read-co/">'
        "Lean &lt;Read&gt; &amp; Co</a></th>"
    )
    assert '<td class="govuk-table__cell">London</td>' in row.html
    assert row.html.count('<td class="govuk-table__cell">') == len(table.columns) - 1
