"""Building the record: read every corpus file, settle each, write the record and its review file."""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Framework
from .files import HISTORY_FILE, RECORD_FILE, REVIEW_COLUMNS, REVIEW_FILE
from .read import _read_all, corpus_files
from .settle import _history_rows, _Settler


@dataclass
class Built:
    """What build_record produced: entries (one per read report) and review rows."""

    entries: list = field(default_factory=list)
    review: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # [(file, reason)]


def build_record(*, corpus, history_path=HISTORY_FILE, jobs=1, progress=None):
    """Read every PDF under `corpus` and settle it. Returns Built (entries sorted by file).

    `jobs`: worker processes for reading (the slow part); `progress(done, total, file)` is called
    after each file. Raises FileNotFoundError when the corpus folder does not exist.
    """
    from ..councils import council_index, council_index_from_lookup
    from ..models import Council

    corpus = Path(corpus)
    if not corpus.is_dir():
        raise FileNotFoundError(f"{corpus} is not a folder of reports")
    files = corpus_files(corpus)
    frameworks = {
        f.key: f for f in Framework.objects.select_related("scale").prefetch_related("scale__grades", "areas")
    }
    for framework in frameworks.values():
        framework.judged_areas = list(framework.areas.all())
    area_names = {a.key: a.short_name for f in frameworks.values() for a in f.judged_areas}
    # Councils from the database when loaded, else from the lookup file (a fresh checkout needs only `migrate`).
    index = council_index() if Council.objects.exists() else council_index_from_lookup()
    settler = _Settler(
        index=index,
        councils=dict(index.by_urn),
        frameworks=frameworks,
        history=_history_rows(history_path),
    )
    built = Built()
    tasks = [(str(corpus), relative, area_names) for relative in files]
    for number, read in enumerate(_read_all(tasks, jobs), start=1):
        if progress:
            progress(number, len(files), read["file"])
        if "refused" in read:
            built.refused.append((read["file"], read["refused"]))
            continue
        entry, problem = settler.settle(read)
        if entry is None:
            built.refused.append((read["file"], problem))
            continue
        built.entries.append(entry)
    for file, reason in built.refused:
        urn = Path(file).parts[1].split("_")[0] if len(Path(file).parts) > 2 else ""
        built.review.append(
            {
                "file": file,
                "urn": urn,
                "council": "",
                "kind": "",
                "field": "file",
                "report": reason,
                "history": "",
                "settled": "Refused: not in the record (a history row for it, if any, stays as it was).",
            }
        )
    built.review.extend(settler.review)
    built.entries.sort(key=lambda e: e["file"])
    built.review.sort(key=lambda r: (r["file"], r["field"], r["report"]))
    return built


def write_record(built, *, record_path=RECORD_FILE, review_path=REVIEW_FILE):
    """Write the record (one JSON object per line, keys sorted) and the review file, deterministically."""
    lines = [json.dumps(entry, ensure_ascii=False, sort_keys=True) for entry in built.entries]
    Path(record_path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REVIEW_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(built.review)
    Path(review_path).write_text(buffer.getvalue(), encoding="utf-8")
