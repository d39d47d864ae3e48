"""Accessible SVG charts and the England map, drawn from plain values.

Pure module: no Django, no database. Every public function takes plain values
(tuples, dicts, dataclasses) plus the grade styling, and returns a ``Chart``:
the SVG markup (plain SVG 1.1 so WeasyPrint draws the same picture as the
browser) and a ``Table`` with the same figures for a visually hidden table.

Rules every chart follows:

* ``role="img"`` (``role="group"`` for a map with links, so its links stay
  reachable by screen readers), ``<title>`` and ``<desc>`` referenced by
  ``aria-labelledby``, a ``viewBox`` and no fixed width, so it scales to its
  container;
* colour is never the only cue: each grade has a fill pattern and a text label;
  text sits on a solid chip of the grade colour in whichever of near-black or
  white passes WCAG contrast;
* all text is escaped: council names come from the database;
* element ids start with ``chart_id`` (derived from the inputs when not given)
  so several charts can share a page.

In a template ``{{ chart }}`` renders the SVG (``Chart`` implements
``__html__``); ``chart.table`` feeds the table alternative.
"""

from .bars import grade_mix_by_group, grade_mix_over_time
from .base import NOT_JUDGED, PATTERNS, Chart, GradeStyle, KnownDate, MapDistrict, Table, contrast_ratio
from .css import grade_css
from .england import (
    MAP_DATA,
    council_districts,
    england_map,
    expand_council_values,
    map_regions,
    short_council_name,
    swatch,
    swatch_uri,
)
from .lanes import grade_lanes
from .trajectory import trajectory

__all__ = [
    "MAP_DATA",
    "NOT_JUDGED",
    "PATTERNS",
    "Chart",
    "GradeStyle",
    "KnownDate",
    "MapDistrict",
    "Table",
    "contrast_ratio",
    "council_districts",
    "england_map",
    "expand_council_values",
    "grade_lanes",
    "grade_css",
    "grade_mix_by_group",
    "grade_mix_over_time",
    "map_regions",
    "short_council_name",
    "swatch",
    "swatch_uri",
    "trajectory",
]
