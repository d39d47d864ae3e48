"""The expected-values table for real corpus reports, and how a reader result is scored against it.

``corpus_expected.csv`` holds values written down by reading each report's pages (never copied
from the reader's output). Its ``split`` column says how each row was used:

- ``seen``: the reader was developed against these (rows whose SHA-1 of the relative path is
  divisible by 14, not held out, plus odd files: 2013 looked-after, a SIF reinspection, a SIF
  file with the LSCB's own report appended, 2021+ title layouts, HTML pages, an LSCB review);
- ``held_out``: chosen by the same rule ((sha1 // 14) % 5 in {0, 1}) and written down before
  development began; first measured after the SIF and letter work: 296/296 fields right;
- ``held_out_2``: a second unseen part chosen later (sha1 % 14 == 7 and (sha1 // 14) % 3 == 0,
  plus 2014-18 inspections with sha1 % 14 == 9, without the sample City of London 2020 and the
  already-seen Surrey LSCB review), written down before the reader was run on them; first
  measured at 468/472 fields right (the four misses were then fixed, so it is now seen too);
- ``held_out_3``: a third unseen part (sha1 % 14 == 5 and (sha1 // 14) % 3 == 0 among rows not
  yet used, keeping the 2014-17 SIF reports with sha1 % 14 == 12 and the focused visits, leaving
  out files already looked at while checking the whole corpus), written down before the reader
  was run on them; first measured at 293/295: one letter's focus key wrong, and one value of
  the table itself wrong (Hampshire 2014's LSCB list has two items, not three), corrected after
  re-reading the page;
- ``held_out_4``: a fourth unseen part, 48 files not yet in the table with sha1 % 17 == 3, plus,
  for eras that residue missed, those with sha1 % 17 == 5 among 2012-13 inspections, 2018 and 2024
  letters and letters published October 2020 to June 2021 (the assurance visits), and Medway's
  2013 looked-after report (residue 7: residue 5 gave only an HTML page for 2012-13); written down
  from pypdf's text of the pages and committed before the reader was run on them. First measured
  at 415/415 inspection fields and 239/242 letter fields right; recommendation counts exact on
  47/47 reports; 0 real reports refused (one HTML page refused, as written down). The one reader
  miss: a letter's second focus sentence saying whom inspectors left out ("did not include ...
  care leavers") gave ``care_leavers`` for an extra-familial harm visit, fixed in general (a
  negated clause names no focus; a focus sentence naming none gives way to the next). The other
  two were the table's: re-reading the pages, Wandsworth 2021's and Hull 2021's letters are titled
  "London Borough of Wandsworth" and "Kingston upon Hull City" (the table had taken the names
  from the first sentence). Now 242/242.

Shared by ``test_corpus.py`` and ``bench/bench_reader.py`` so both score the same way.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

TABLE = Path(__file__).with_name("corpus_expected.csv")
REPO = Path(__file__).resolve().parents[2]


def corpus_root() -> Path | None:
    """Return the corpus folder ($TRACKER_CORPUS, else <repo>/../shared/corpus), or None if absent."""
    configured = os.environ.get("TRACKER_CORPUS")
    root = Path(configured) if configured else REPO.parent / "shared" / "corpus"
    return root if root.is_dir() else None


def load_expected() -> list[dict[str, str]]:
    """Return the table's rows as dicts of strings."""
    with TABLE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Check:
    """One field of one report: what the table says and what the reader gave."""

    file: str
    field: str
    expected: object
    got: object

    @property
    def ok(self) -> bool:
        return self.expected == self.got


def norm_name(text: str | None) -> str | None:
    """Return a council name compared loosely: case, quotes, spacing and a trailing "local authority"."""
    if not text:
        return None
    text = text.lower().replace("’", "'").replace("&", "and")
    text = re.sub(r"\s+", " ", text).strip(" .,")
    text = re.sub(r"^the ", "", text)
    return re.sub(r" local authority$", "", text)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def score(row: dict[str, str], result=None, error: str | None = None) -> list[Check]:
    """Return the checks for one table row, given the reader's result or its refusal reason."""
    file = row["file"]
    if row["kind"] == "refused":
        wanted = f"refused, saying {row['refused']}"
        got = wanted if error and row["refused"].lower() in error.lower() else (error or "read, not refused")
        return [Check(file, "refused", wanted, got)]
    if result is None:
        return [Check(file, "refused", None, error)]
    checks = [
        Check(file, "kind", row["kind"], result.kind),
        Check(file, "council_name", norm_name(row["council_name"]), norm_name(result.council_name)),
        Check(file, "start_date", row["start_date"] or None, _iso(result.start_date)),
        Check(file, "end_date", row["end_date"] or None, _iso(result.end_date)),
        Check(file, "published_date", row["published_date"] or None, _iso(result.published_date)),
        Check(file, "lead_inspector", row["lead_inspector"] or None, result.lead_inspector),
    ]
    recommendations = result.recommendations
    council = sum(1 for r in recommendations if r.addressed_to == "council")
    lscb = sum(1 for r in recommendations if r.addressed_to == "lscb")
    priority = sum(1 for r in recommendations if getattr(r, "priority", False))
    checks += [
        Check(file, "council_recommendations", int(row["council_recs"]), council),
        Check(file, "lscb_recommendations", int(row["lscb_recs"]), lscb),
        Check(file, "priority_recommendations", int(row["priority_recs"]), priority),
    ]
    if row["kind"] == "inspection":
        checks.append(Check(file, "framework", row["framework"], result.framework))
        if row["inspection_type"]:
            checks.append(Check(file, "inspection_type", row["inspection_type"], result.inspection_type))
        expected = dict(pair.split("=") for pair in row["judgements"].split(";") if pair)
        for area, grade in expected.items():
            checks.append(Check(file, f"judgement:{area}", grade, result.judgements.get(area)))
        extra = sorted(set(result.judgements) - set(expected))
        checks.append(Check(file, "judgement:no_extra", [], extra))
    else:
        checks.append(Check(file, "inspectors", row["inspectors"].split(";"), list(result.inspectors)))
        checks.append(Check(file, "focus_key", row["focus_key"] or None, result.focus_key))
    return checks


def field_group(field: str) -> str:
    """Return the name a field is reported under (each judgement area counts as a field)."""
    return "judgements" if field.startswith("judgement:") else field
