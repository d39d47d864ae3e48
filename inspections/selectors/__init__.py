"""Reads that span models or shape data for a page or the API, each in a fixed number of queries.

By what they are about: `councils` (one council's page and events), `national` (where every
council stands, today or on any date), `table` (the councils table) and `judgements` (an
inspection's headline, the direction of travel, the grid). Import them from here. `matching`
(the held event a new one would duplicate) serves the writes and is imported by its own name.
"""

from .councils import (
    CouncilPage,
    LatestGrades,
    briefing_choices,
    council_page,
    council_timeline,
    council_with_relations,
    judgements_by_area,
    latest_graded_inspections,
    published_events,
)
from .judgements import (
    DECLINED,
    FIRST,
    IMPROVED,
    NOT_COMPARABLE,
    SAME,
    Direction,
    GridRow,
    JudgementGrid,
    direction_of_travel,
    grade_vocabulary,
    headline_judgement,
    judgement_grid,
    read_judgements,
    worst_by_theme,
)
from .national import (
    AreaRecord,
    CouncilStanding,
    NationalPicture,
    area_record,
    national_picture,
    public_on,
    standings_as_at,
)
from .table import CouncilRow, CouncilTable, council_table, filter_vocabulary

__all__ = [
    "DECLINED",
    "FIRST",
    "IMPROVED",
    "NOT_COMPARABLE",
    "SAME",
    "AreaRecord",
    "CouncilPage",
    "CouncilRow",
    "CouncilStanding",
    "CouncilTable",
    "Direction",
    "GridRow",
    "JudgementGrid",
    "LatestGrades",
    "NationalPicture",
    "area_record",
    "briefing_choices",
    "council_page",
    "council_table",
    "council_timeline",
    "council_with_relations",
    "direction_of_travel",
    "filter_vocabulary",
    "grade_vocabulary",
    "headline_judgement",
    "judgement_grid",
    "read_judgements",
    "worst_by_theme",
    "judgements_by_area",
    "latest_graded_inspections",
    "national_picture",
    "public_on",
    "published_events",
    "standings_as_at",
]
