"""Loading the record: every entry saved through `services.event_save`, all or nothing."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError

from ..models import DatePrecision, EventKind, Framework
from ..selectors.matching import find_matching_event
from ..services import UNCHANGED, ImportFailed, RowError, event_save, run_import
from .files import RECORD_FILE

_record_files_cache = {}


def record_files(path=RECORD_FILE):
    """The corpus paths the record holds (an event's `source_name` when it was loaded from it)."""
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return frozenset()
    cached = _record_files_cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    files = frozenset(json.loads(line)["file"] for line in path.read_text(encoding="utf-8").splitlines() if line)
    _record_files_cache[path] = (stamp, files)
    return files


def held_from_record(event):
    """Whether an event was loaded from the shipped record (its values are already reconciled)."""
    return event is not None and event.source_name in record_files()


@dataclass
class RecordItem:
    line: int
    council: object
    kind: str
    values: dict
    judgements: dict | None
    recommendations: list | None
    earlier: bool = False  # an earlier inspection the report states, not the report itself


def parse_record(path=RECORD_FILE):
    """Validated RecordItems from the record file: each report, then (after every report) each earlier
    inspection the reports state, once per council, framework and month. Raises ImportFailed naming
    each bad line."""
    from ..models import Council

    councils = {c.urn: c for c in Council.objects.all()}
    frameworks = {f.key: f for f in Framework.objects.all()}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportFailed(Path(path).name, [RowError(0, "the file does not exist.")]) from None
    items, earlier, seen, errors = [], [], set(), []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
            items.append(_item(line, entry, councils, frameworks))
            for previous in entry.get("previous") or []:
                key = (entry["council"]["urn"], previous["framework"], previous["month"], previous["published"])
                if key not in seen:
                    seen.add(key)
                    earlier.append(_earlier_item(line, entry, previous, councils, frameworks))
        except (ValueError, KeyError, TypeError) as exc:
            errors.append(RowError(line, str(exc) if isinstance(exc, ValueError) else f"missing value {exc}."))
    if errors:
        raise ImportFailed(Path(path).name, errors)
    return items + earlier


def _item(line, entry, councils, frameworks):
    council = councils.get(entry["council"]["urn"])
    if council is None:
        raise ValueError(f"URN {entry['council']['urn']} is not a council we know (load the councils first).")
    kind = entry["kind"]
    if kind not in EventKind.values:
        raise ValueError(f"“{kind}” is not a kind of event we record.")
    framework = None
    if kind == EventKind.INSPECTION and entry.get("framework"):
        framework = frameworks.get(entry["framework"])
        if framework is None:
            raise ValueError(f"the framework “{entry['framework']}” is not one we record.")

    def day(name):
        return date.fromisoformat(entry[name]) if entry.get(name) else None

    values = {
        "start_date": day("start_date"),
        "end_date": day("end_date"),
        "published_date": day("published_date"),
        "lead_inspector": (entry.get("lead_inspector") or "")[:200],
        "inspectors": list(entry.get("inspectors") or []),
        "focus_key": (entry.get("focus_key") or "")[:40],
        "focus": (entry.get("focus") or "")[:300],
        "source_url": entry.get("link") or "",
        "source_name": entry["file"][:300],
    }
    if values["start_date"] is not None:
        values["date_precision"] = DatePrecision.DAY
    if kind == EventKind.INSPECTION:
        values["framework"] = framework
        values["inspection_type"] = entry.get("inspection_type") or ""
    # Values the report did not give are left out, so what another source holds is kept.
    values = {k: v for k, v in values.items() if v not in (None, "", [])}
    judgements = dict(entry.get("judgements") or {}) if framework is not None else None
    recommendations = [
        {"text": r["text"], "addressed_to": r.get("addressed_to") or "council", "priority": bool(r.get("priority"))}
        for r in entry.get("recommendations") or []
    ]
    return RecordItem(line, council, kind, values, judgements or None, recommendations or None)


def _earlier_item(line, entry, previous, councils, frameworks):
    """An earlier inspection stated by a report: its month, framework and grades, nothing more."""
    council = councils.get(entry["council"]["urn"])
    framework = frameworks.get(previous["framework"])
    if council is None or framework is None:
        raise ValueError(f"the earlier inspection's council or framework “{previous['framework']}” is not known.")
    when = date.fromisoformat(previous["month"] + "-01")
    stated_in = entry.get("published_date")
    stated = f" of {date.fromisoformat(stated_in):%-d %B %Y}" if stated_in else ""
    values = {
        "framework": framework,
        "start_date": None if previous["published"] else when,
        "published_date": when if previous["published"] else None,
        "date_precision": DatePrecision.MONTH,
        "summary": (
            f"Recorded from Ofsted's later report{stated}, which states this inspection's "
            "date and grades; the tracker does not hold this inspection's own report."
        ),
        "source_name": entry["file"][:300],
    }
    values = {k: v for k, v in values.items() if v is not None}
    return RecordItem(line, council, EventKind.INSPECTION, values, dict(previous["judgements"]), None, earlier=True)


def load_record(*, path=RECORD_FILE, dry_run=False):
    """Save every report of the record as an event, all or nothing. Raises ImportFailed; returns ImportSummary.

    An event already held for the same report (same Ofsted link; or same council, kind and dates,
    a partial date matching within its month or year) is updated, never doubled. An earlier
    inspection a report states is added only when nothing else holds that inspection: a report of
    its own, or an event an editor or another source entered, keeps its values.
    """
    items = parse_record(path)

    def apply(summary):
        summary.rows = len(items)
        for item in items:
            match = find_matching_event(
                council=item.council,
                kind=item.kind,
                start_date=item.values.get("start_date"),
                published_date=item.values.get("published_date"),
                source_url=item.values.get("source_url", ""),
                date_precision=item.values.get("date_precision", DatePrecision.DAY),
            )
            if item.earlier and match is not None and match.source_name != item.values["source_name"]:
                summary.add(UNCHANGED)
                continue
            try:
                _event, status = event_save(
                    council=item.council,
                    kind=item.kind,
                    values=item.values,
                    judgements=item.judgements,
                    recommendations=item.recommendations,
                    event=match,
                    merge=True,
                )
            except ValidationError as exc:
                raise ImportFailed(Path(path).name, [RowError(item.line, " ".join(exc.messages))]) from exc
            summary.add(status)

    return run_import(source=Path(path).name, dry_run=dry_run, apply=apply)
