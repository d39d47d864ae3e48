"""factory_boy factories for tests that need data beyond the demo set (e.g. the 10× dataset)."""

import datetime

import factory

from inspections.models import Council, Event, EventKind, Framework, Judgement, Recommendation, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "E12000007"
    name = "London"
    slug = "london"


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    urn = factory.Sequence(lambda n: 9_000_000 + n)
    name = factory.Sequence(lambda n: f"Test Council {n}")
    slug = factory.Sequence(lambda n: f"test-council-{n}")
    la_code = factory.Sequence(lambda n: f"{(n % 900) + 100:03d}")
    gss_code = factory.Sequence(lambda n: f"E99{n:06d}")
    region = factory.SubFactory(RegionFactory)
    council_type = "Unitary Authority"


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    council = factory.SubFactory(CouncilFactory)
    kind = EventKind.INSPECTION
    framework = factory.LazyFunction(lambda: Framework.objects.get(key="ilacs_2023"))
    inspection_type = "standard"
    start_date = datetime.date(2024, 3, 4)
    end_date = datetime.date(2024, 3, 15)
    published_date = datetime.date(2024, 5, 1)
    lead_inspector = "Test Inspector"


class JudgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judgement


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    event = factory.SubFactory(InspectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Improve practice area {n}.")
