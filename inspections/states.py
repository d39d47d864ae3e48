"""The words for every state a judgement can be in that is not a grade, defined once.

Pages, tables, filters, the map legend, charts, exports, the API and the PDF briefings all take
their label and explanation from here, so one situation has one name everywhere. A grade itself
is a ``Grade`` row; its colour and pattern live on that row and nowhere else.
"""

from dataclasses import dataclass

from .charts import GradeStyle


@dataclass(frozen=True)
class State:
    """A non-grade state: a stable key for code and URLs, a short label, a sentence explaining it."""

    key: str
    label: str
    explanation: str
    colour: str
    pattern: str

    @property
    def style(self) -> GradeStyle:
        """How charts and the map draw this state."""
        return GradeStyle(self.key, self.label, self.colour, self.pattern)


NOT_JUDGED = State(
    "not_judged",
    "Not judged",
    "The framework used makes no such judgement (for example, there is no overall effectiveness "
    "judgement under the April 2026 framework, and no separate care leavers judgement from 2018 to 2022).",
    "#b1b4b6",
    "horizontal",
)
GRADE_NOT_RECORDED = State(
    "not_recorded",
    "Grade not recorded",
    "The inspection is on record but the tracker does not hold this grade from its report.",
    "#dee0e2",
    "backhatch",
)
NO_INSPECTION = State(
    "no_inspection",
    "No inspection recorded",
    "The tracker holds no graded inspection of this council (or of the council it replaced) by this date.",
    "#f8f8f8",
    "solid",
)

STATES = (NOT_JUDGED, GRADE_NOT_RECORDED, NO_INSPECTION)
BY_KEY = {state.key: state for state in STATES}


def grade_styles(grades, *, states=STATES) -> list[GradeStyle]:
    """How charts draw each grade (from ``Grade`` rows, best first) followed by the given states."""
    return [GradeStyle(g.key, g.short_label, g.colour, g.pattern) for g in grades] + [s.style for s in states]
