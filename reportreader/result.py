"""The reader's output: plain dataclasses, the vocabulary they use, and the error it raises."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

KINDS = ("inspection", "monitoring_visit", "focused_visit", "jtai")

FRAMEWORKS = (
    "safeguarding_lac_2009",
    "looked_after_2009",
    "sif",
    "ilacs_2018",
    "ilacs_2023",
    "ilacs_2026",
)

GRADES = ("outstanding", "good", "requires_improvement", "adequate", "inadequate")

AREAS = (
    "overall_effectiveness",
    "impact_of_leaders",
    "leadership_management_governance",
    "help_and_protection",
    "children_in_care_and_care_leavers",
    "children_looked_after",
    "children_in_care",
    "care_leavers",
    "adoption_performance",
    "lscb",
    "capacity_to_improve",
    "outcomes_for_looked_after_children",
    "quality_of_provision",
    "leadership_and_management",
    "safeguarding_overall_effectiveness",
    "safeguarding_capacity_to_improve",
    "looked_after_overall_effectiveness",
    "looked_after_capacity_to_improve",
)

ADDRESSEES = ("council", "lscb")

# What a focused visit looked at, as a short key; the letter's own sentence stays in ``focus``.
# Chosen by reading the corpus's 325 letters (2018-2024); the reader picks the first that fits.
FOCUS_KEYS = {
    "front_door": "The 'front door': contacts, referrals and the first response (MASH, thresholds)",
    "children_in_need": "Children in need and children subject to a child protection plan",
    "disabled_children": "Services for disabled children",
    "edge_of_care": "Children on the edge of care",
    "extra_familial_harm": "Vulnerable adolescents and children at risk of harm outside the home (exploitation)",
    "children_in_care": "Children in care: decision-making, matching, placements and planning",
    "permanence": "Planning and achieving permanence for children",
    "care_leavers": "Care leavers and young people preparing to leave care",
    "assurance_visit": (
        "A whole-service visit of the COVID-19 period (autumn 2020 to summer 2021): decision-making across "
        "help and protection, children in care and care leavers"
    ),
}


class ReportError(Exception):
    """A file that cannot be read as an Ofsted report; names the file and the reason."""

    def __init__(self, filename: str, reason: str) -> None:
        self.filename = filename
        self.reason = reason
        super().__init__(f"{filename}: {reason}")


@dataclass(frozen=True)
class Recommendation:
    """One thing the report says must improve, and who it is addressed to."""

    text: str
    addressed_to: str = "council"
    priority: bool = False  # "Areas for priority action", "Priority and immediate action", "Immediately"

    def to_dict(self) -> dict:
        """Return a JSON-ready dict of this recommendation."""
        return {"text": self.text, "addressed_to": self.addressed_to, "priority": self.priority}


@dataclass
class ReportResult:
    """Everything the reader found in one report; unknown values are None with a warning."""

    kind: str
    council_name: str | None = None
    council_urn: int | None = None
    framework: str | None = None
    inspection_type: str | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    published_date: datetime.date | None = None
    lead_inspector: str | None = None
    inspectors: list[str] = field(default_factory=list)  # every inspector named, lead first
    judgements: dict[str, str] = field(default_factory=dict)
    recommendations: list[Recommendation] = field(default_factory=list)
    focus: str | None = None
    focus_key: str | None = None  # one of FOCUS_KEYS, for focused visits
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return a JSON-ready dict: dates as ISO strings, recommendations as dicts."""

        def iso(value: datetime.date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "kind": self.kind,
            "council_name": self.council_name,
            "council_urn": self.council_urn,
            "framework": self.framework,
            "inspection_type": self.inspection_type,
            "start_date": iso(self.start_date),
            "end_date": iso(self.end_date),
            "published_date": iso(self.published_date),
            "lead_inspector": self.lead_inspector,
            "inspectors": list(self.inspectors),
            "judgements": dict(self.judgements),
            "recommendations": [r.to_dict() for r in self.recommendations],
            "focus": self.focus,
            "focus_key": self.focus_key,
            "warnings": list(self.warnings),
        }
