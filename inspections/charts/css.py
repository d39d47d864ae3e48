"""The grade tags' colours as CSS, from the same grade styles the charts draw with.

A grade's colour lives on its ``Grade`` row; pages and PDFs get their tag colours from this
stylesheet text rather than from hand-copied rules, so a colour changed in the data changes
everywhere at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .base import GradeStyle
from .england import swatch_uri


def grade_css(styles: Sequence[GradeStyle]) -> str:
    """Per style: ``.app-grade--<key>`` (a grade tag: its colour, text in its readable ink) and
    ``.app-swatch--<key>`` (a legend's square: its colour and pattern, as in the charts)."""
    # A swatch is decoration beside its words: a background, so screen readers and PDF tags skip it.
    rules = [".app-swatch{display:inline-block;width:1.1em;height:1.1em;vertical-align:middle;background-size:cover}"]
    for style in styles:
        # Keys become class names: anything but letters, digits, "_" and "-" is refused, not escaped.
        if not re.fullmatch(r"[A-Za-z0-9_-]+", style.key):
            raise ValueError(f"A grade key must be letters, digits, _ or -, not {style.key!r}")
        rules.append(f".app-grade--{style.key}{{background-color:{style.colour};color:{style.ink}}}")
        rules.append(f'.app-swatch--{style.key}{{background-image:url("{swatch_uri(style)}")}}')
    return "\n".join(rules) + "\n"
