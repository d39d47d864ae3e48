"""Integrity rules: the database refuses what it can, clean() the rest, in plain words."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inspections.models import Event, Framework, Grade, Judgement, JudgementArea
from inspections.services import event_save

pytestmark = pytest.mark.django_db


def test_an_inspection_cannot_end_before_it_starts(wirral):
    event = Event(
        council=wirral,
        kind="inspection",
        framework=Framework.objects.get(key="sif"),
        start_date=datetime.date(2015, 5, 1),
        end_date=datetime.date(2015, 4, 1),
    )
    with pytest.raises(ValidationError, match="on or after the start date"):
        event.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_a_report_cannot_be_published_before_the_inspection_ended(wirral):
    event = Event(
        council=wirral,
        kind="inspection",
        framework=Framework.objects.get(key="sif"),
        start_date=datetime.date(2015, 5, 1),
        end_date=datetime.date(2015, 5, 20),
        published_date=datetime.date(2015, 5, 10),
    )
    with pytest.raises(ValidationError, match="published date must be on or after"):
        event.full_clean()


def test_a_judgement_must_be_an_area_and_grade_of_the_inspections_framework(wirral):
    event = Event.objects.get(council=wirral, start_date="2019-06-17")
    care_leavers = JudgementArea.objects.get(key="care_leavers")
    with pytest.raises(ValidationError, match="does not judge this area"):
        Judgement(event=event, area=care_leavers, grade=Grade.objects.get(key="good")).full_clean()
    with pytest.raises(ValidationError, match="is not a grade under ILACS 2018"):
        event_save(
            council=wirral,
            kind="inspection",
            event=event,
            expected_version=event.version,
            values={},
            judgements={"overall_effectiveness": "adequate"},
        )


def test_one_judgement_per_area_per_inspection_is_enforced_by_the_database(wirral):
    event = Event.objects.get(council=wirral, start_date="2019-06-17")
    judgement = event.judgements.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Judgement.objects.create(event=event, area=judgement.area, grade=judgement.grade)


def test_a_second_copy_of_the_same_inspection_updates_the_first(wirral):
    framework = Framework.objects.get(key="ilacs_2023")
    before = Event.objects.filter(council=wirral).count()
    event, status = event_save(
        council=wirral,
        kind="inspection",
        values={"framework": framework, "start_date": datetime.date(2023, 9, 18), "lead_inspector": "Teresa Godfrey"},
        merge=True,
    )
    assert status == "unchanged"
    assert Event.objects.filter(council=wirral).count() == before


def test_new_frameworks_are_data_not_code():
    ilacs_2026 = Framework.objects.get(key="ilacs_2026")
    assert ilacs_2026.headline_area is None
    assert [fa.area.key for fa in ilacs_2026.framework_areas.all()] == [
        "impact_of_leaders",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
    ]
