"""Read and validate the CSV files we import (council lookup, third-party inspection history).

Parsing collects every row's problems before anything is written, so an import is all or nothing.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings

from .models import Council, EventKind
from .record import held_from_record
from .selectors.matching import find_matching_event, framework_for_dates, frameworks_by_key
from .services import (
    CREATED,
    UNCHANGED,
    CouncilLookupRow,
    ImportFailed,
    RowError,
    councils_load,
    event_save,
    run_import,
)

DATA_DIR = Path(settings.BASE_DIR) / "inspections" / "data"
COUNCILS_FILE = DATA_DIR / "la_lookup.csv"
REORGANISATIONS_FILE = DATA_DIR / "reorganisations.csv"
REGIONS_FILE = DATA_DIR / "regions.csv"
HISTORY_FILE = DATA_DIR / "ilacs_history.csv"
# Shown to users as the event's source, so it says what the source is, not its file name; rows
# imported before carry the file name.
HISTORY_SOURCE = "Third-party list of Ofsted reports"
HISTORY_SOURCES = (HISTORY_SOURCE, "ilacs_history.csv")


def _read_csv(path, required):
    """Rows of a CSV file as (line number, dict); raises ImportFailed for a missing file or header."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ImportFailed(str(path), [RowError(0, "the file does not exist.")]) from None
    except UnicodeDecodeError as exc:
        raise ImportFailed(str(path), [RowError(0, f"the file is not UTF-8 text ({exc.reason}).")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFailed(str(path), [RowError(1, "the file is empty.")]) from None
    except csv.Error as exc:
        raise ImportFailed(str(path), [RowError(1, f"the header could not be read ({exc}).")]) from None
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFailed(str(path), [RowError(1, f"the header lacks the column(s) {', '.join(missing)}.")])
    rows, errors = [], []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(reader.line_num, f"the row could not be read as CSV ({exc})."))
            break
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append(
                RowError(
                    line,
                    f"the row has {len(values)} columns but the header has {len(header)}; "
                    "it looks truncated or has a stray comma.",
                )
            )
            continue
        rows.append((line, dict(zip(header, (v.strip() for v in values)))))
    return rows, errors


# Councils ------------------------------------------------------------------------------------

COUNCIL_COLUMNS = [
    "urn",
    "la_code",
    "la_code_new",
    "stat_neighbours",
    "local_authority_ons_name",
    "region_name",
    "ons_la_type",
    "ons_population_0-25",
]


def parse_councils(path):
    """Validated CouncilLookupRow list from a la_lookup.csv-format file. Raises ImportFailed."""
    rows, errors = _read_csv(path, COUNCIL_COLUMNS)
    regions = {name.casefold(): (code, name) for code, name in parse_regions(REGIONS_FILE)}
    parsed, seen = [], {}
    for line, r in rows:
        problems = []
        if not r["urn"].isdigit():
            problems.append(f"URN “{r['urn']}” is not a number.")
        if not re.fullmatch(r"[0-9]{3}", r["la_code"]):
            problems.append(f"LA code “{r['la_code']}” is not three digits.")
        if not re.fullmatch(r"E[0-9]{8}", r["la_code_new"]):
            problems.append(f"GSS code “{r['la_code_new']}” is not an English GSS code (E and eight digits).")
        # The lookup's region codes disagree with its region names on a few rows (Buckinghamshire
        # is coded East Midlands); the name agrees with the file's other region column, so it wins.
        region = regions.get((r["region_name"] or r["rgn22nm"]).casefold())
        if region is None:
            problems.append(f"region “{r['region_name']}” is not one of England's nine regions.")
        if not r["local_authority_ons_name"]:
            problems.append("the council has no name.")
        neighbours = [c.strip() for c in r["stat_neighbours"].split(",") if c.strip()]
        if any(not re.fullmatch(r"[0-9]{3}", c) for c in neighbours):
            problems.append(f"statistical neighbours “{r['stat_neighbours']}” are not a list of LA codes.")
        population = r["ons_population_0-25"]
        if population and not population.isdigit():
            problems.append(f"population “{population}” is not a whole number.")
        for key in ("urn", "la_code", "la_code_new"):
            if r[key] and (key, r[key]) in seen:
                problems.append(f"{key} {r[key]} already appears on line {seen[(key, r[key])]}.")
            seen.setdefault((key, r[key]), line)
        if problems:
            errors.extend(RowError(line, p) for p in problems)
            continue
        parsed.append(
            CouncilLookupRow(
                row=line,
                urn=int(r["urn"]),
                name=r["local_authority_ons_name"],
                la_code=r["la_code"],
                gss_code=r["la_code_new"],
                region_code=region[0],
                region_name=region[1],
                council_type=r["ons_la_type"],
                population_0_25=int(population) if population else None,
                neighbour_la_codes=neighbours,
            )
        )
    if errors:
        raise ImportFailed(str(path), errors)
    return parsed


def parse_regions(path):
    rows, errors = _read_csv(path, ["code", "name"])
    if errors:
        raise ImportFailed(str(path), errors)
    return [(r["code"], r["name"]) for _, r in rows]


def parse_reorganisations(path):
    rows, errors = _read_csv(path, ["predecessor_gss", "successor_gss"])
    if errors:
        raise ImportFailed(str(path), errors)
    return [(r["predecessor_gss"], r["successor_gss"]) for _, r in rows]


def load_councils(*, path=COUNCILS_FILE, reorganisations_path=REORGANISATIONS_FILE, dry_run=False):
    """Load every council from the lookup file. Raises ImportFailed; returns an ImportSummary."""
    rows = parse_councils(path)
    reorganisations = parse_reorganisations(reorganisations_path)

    def apply(summary):
        statuses = councils_load(rows=rows, reorganisations=reorganisations)
        summary.rows = len(rows)
        for status in statuses.values():
            summary.add(status)

    return run_import(source=Path(path).name, dry_run=dry_run, apply=apply)


# Third-party history ---------------------------------------------------------------------------

HISTORY_COLUMNS = [
    "urn",
    "publication_date",
    "inspection_link",
    "inspection_framework",
    "inspector_name",
    "inspection_start_date",
    "inspection_end_date",
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
]

# The history file's grade columns, by the theme of the area each one reports.
GRADE_COLUMNS = {
    "overall_effectiveness_grade": "overall",
    "impact_of_leaders_grade": "leadership",
    "help_and_protection_grade": "help_and_protection",
    "in_care_grade": "children_in_care",
    "care_leavers_grade": "care_leavers",
}
# The words the file uses for grades; these markers mean "no grade", never a grade.
GRADE_WORDS = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires_improvement",
    "requires improvement to be good": "requires_improvement",
    "to requires improvement": "requires_improvement",  # "Requires improvement to be good" split by the extractor
    "adequate": "adequate",
    "inadequate": "inadequate",
}
NO_GRADE = {"", "data_unreadable", "inspection_pre_dates_judgement", "not_reported_post_reform", "not judged"}
INSPECTION_TYPES = {
    "": "",
    "standard": "standard",
    "short": "short",
    # Stated by the extractor for a standard inspection that ran longer; the type itself is not stated.
    "inspection duration longer than standard framework": "",
}


def parse_day_first(text):
    """A day-first date (20/09/16 or 17/06/2019); raises ValueError with the text."""
    for fmt in ("%d/%m/%y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class HistoryRow:
    row: int
    council: Council
    values: dict
    judgements: dict


def parse_history(path):
    """Validated HistoryRow list and warnings from an ilacs_history.csv-format file. Raises ImportFailed."""
    rows, errors = _read_csv(path, HISTORY_COLUMNS)
    councils = {c.urn: c for c in Council.objects.all()}
    frameworks = list(frameworks_by_key().values())
    theme_areas = {
        fw.key: {fa.area.theme: fa.area.key for fa in fw.framework_areas.select_related("area")} for fw in frameworks
    }
    parsed, seen, warnings = [], {}, []
    for line, r in rows:
        problems = []
        council = councils.get(int(r["urn"])) if r["urn"].isdigit() else None
        if council is None:
            problems.append(f"URN “{r['urn']}” is not a council we know (load the councils first).")
        dates = {}
        for column, name, required in (
            ("publication_date", "published_date", True),
            ("inspection_start_date", "start_date", False),
            ("inspection_end_date", "end_date", False),
        ):
            text = r[column]
            if not text:
                dates[name] = None
                if required:
                    problems.append(f"{column} is empty.")
                continue
            try:
                dates[name] = parse_day_first(text)
            except ValueError:
                problems.append(f"{column} “{text}” is not a date (expected day/month/year, e.g. 20/09/16).")
        start, end, published = dates.get("start_date"), dates.get("end_date"), dates.get("published_date")
        if start and end and end < start:
            problems.append(f"the inspection ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y}).")
        if published and (end or start) and published < (end or start):
            problems.append("the report is published before the inspection ended.")
        if r["inspection_framework"] not in INSPECTION_TYPES:
            problems.append(f"inspection type “{r['inspection_framework']}” is not standard or short.")
        grades = {}
        for column, theme in GRADE_COLUMNS.items():
            word = r[column].lower()
            if word in NO_GRADE:
                continue
            if word not in GRADE_WORDS:
                problems.append(f"{column} “{r[column]}” is not a grade we recognise.")
                continue
            grades[theme] = GRADE_WORDS[word]
        framework = None
        if not problems:
            framework = framework_for_dates(start_date=start, published_date=published, frameworks=frameworks)
            judgements = {}
            if grades and framework is None:
                problems.append("it has grades but its dates do not tell which framework it was inspected under.")
            for theme, grade in grades.items():
                if framework is None:
                    break
                area = theme_areas[framework.key].get(theme)
                if area is None:
                    # Seen in the real file: a separate care leavers grade on a 2022 report.
                    warnings.append(
                        RowError(
                            line,
                            f"{framework.short_name} makes no separate “{theme.replace('_', ' ')}” judgement; "
                            f"the file's grade “{grade}” for it was not imported.",
                        )
                    )
                elif grade not in {g.key for g in framework.scale.grades.all()}:
                    problems.append(f"“{grade}” is not a grade under {framework.short_name}.")
                else:
                    judgements[area] = grade
        if council is not None:
            identity = (council.urn, start or published)
            if identity in seen:
                problems.append(f"it repeats the inspection on line {seen[identity]}.")
            seen.setdefault(identity, line)
        if problems:
            errors.extend(RowError(line, p) for p in problems)
            continue
        parsed.append(
            HistoryRow(
                row=line,
                council=council,
                values={
                    "framework": framework,
                    "inspection_type": INSPECTION_TYPES[r["inspection_framework"]],
                    "start_date": start,
                    "end_date": end,
                    "published_date": published,
                    "lead_inspector": " ".join(r["inspector_name"].split()),
                    "source_url": r["inspection_link"],
                    "source_name": HISTORY_SOURCE,
                },
                judgements=judgements,
            )
        )
    if errors:
        raise ImportFailed(str(path), errors)
    return parsed, warnings


def import_history(*, path=HISTORY_FILE, dry_run=False):
    """Import every row of a history file as an inspection. Raises ImportFailed; returns ImportSummary.

    Rows that match an inspection we already hold (same council and start date, or the same
    published date where a start date is missing) fill in what is missing there rather than add a
    second inspection; values from a better source (a report read in full) are never overwritten.
    """
    rows, warnings = parse_history(path)

    def apply(summary):
        summary.rows = len(rows)
        summary.warnings = warnings
        for row in rows:
            existing = _held_event(row)
            if held_from_record(existing):
                # The shipped record already settled this report against this row (the report wins).
                summary.add(UNCHANGED)
                continue
            try:
                _event, status = event_save(
                    council=row.council,
                    kind=EventKind.INSPECTION,
                    values=row.values,
                    judgements=row.judgements,
                    fill_only=existing is not None and existing.source_name not in HISTORY_SOURCES,
                    event=existing,
                    merge=True,
                )
            except Exception as exc:  # noqa: BLE001 — any failure names its row and aborts the file
                raise ImportFailed(str(path), [RowError(row.row, _message(exc))]) from exc
            summary.add(status)

    return run_import(source=Path(path).name, dry_run=dry_run, apply=apply)


def _held_event(row):
    """The inspection we already hold for a history row (same report link, else same dates), or None."""
    return find_matching_event(
        council=row.council,
        kind=EventKind.INSPECTION,
        start_date=row.values["start_date"],
        published_date=row.values["published_date"],
        source_url=row.values["source_url"],
    )


def _message(exc):
    messages = getattr(exc, "messages", None)
    return " ".join(messages) if messages else str(exc)


__all__ = ["CREATED", "ImportFailed", "import_history", "load_councils", "parse_day_first", "date"]
