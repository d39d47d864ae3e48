"""Councils, the inspection vocabulary (frameworks, areas, grades) as data, timeline events with
their judgements, and recommendations; a module each. Import from `inspections.models`."""

from .councils import OFSTED_COUNCIL_PAGE, OFSTED_REPORT_LINK, Council, Region, StatisticalNeighbour
from .events import (
    REPORTED_KINDS,
    DatePrecision,
    Event,
    EventKind,
    InspectionType,
    InterventionType,
    Judgement,
    MilestoneType,
)
from .recommendations import (
    STANDING_LABELS,
    AddressedTo,
    Recommendation,
    RecommendationStatus,
    RecommendationUpdate,
)
from .vocabulary import Framework, FrameworkArea, Grade, GradeScale, JudgementArea

__all__ = [
    "OFSTED_COUNCIL_PAGE",
    "OFSTED_REPORT_LINK",
    "REPORTED_KINDS",
    "STANDING_LABELS",
    "AddressedTo",
    "Council",
    "DatePrecision",
    "Event",
    "EventKind",
    "Framework",
    "FrameworkArea",
    "Grade",
    "GradeScale",
    "InspectionType",
    "InterventionType",
    "Judgement",
    "JudgementArea",
    "MilestoneType",
    "Recommendation",
    "RecommendationStatus",
    "RecommendationUpdate",
    "Region",
    "StatisticalNeighbour",
]
