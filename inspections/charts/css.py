"""The grade tags' colours as CSS, from the same grade styles the charts draw with.

A grade's colour lives on its ``Grade`` row; pages and PDFs get their tag colours from this
stylesheet text rather than from hand-copied rules, so a colour changed in the data changes
everywhere at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .base import GradeStyle


def grade_css(styles: Sequence[GradeStyle]) -> str:
    """``.app-grade--<key>`` rules (background the grade colour, text its readable ink), one per style."""
    rules = []
    for style in styles:
        # Keys become class names: anything but letters, digits, "_" and "-" is refused, not escaped.
        if not re.fullmatch(r"[A-Za-z0-9_-]+", style.key):
            raise ValueError(f"A grade key must be letters, digits, _ or -, not {style.key!r}")
        rules.append(f".app-grade--{style.key}{{background-color:{style.colour};color:{style.ink}}}")
    return "\n".join(rules) + "\n"
