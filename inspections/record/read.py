"""Reading the corpus: each file through the report reader, with the page each value is on.

No database here: `read_one` runs in worker processes. What a report states about the council's
earlier inspections comes from the reader (`reportreader.previous`).
"""

import hashlib
from datetime import date
from pathlib import Path

from reportreader.previous import normalise_page


def _page_of(pages, *needles):
    """The first page (1-based) holding every needle (normalised), or None."""
    wanted = [normalise_page(n) for n in needles if n]
    if not wanted:
        return None
    for number, text in enumerate(pages, start=1):
        if all(w in text for w in wanted):
            return number
    return None


def _date_words(value):
    return f"{value.day} {value:%B}" if value else None


def read_one(args):
    """Read one corpus file. `args`: (root, relative path, {area key: short name}). Returns a plain dict:
    {"file", "sha256", "result": ReportResult fields, "pages": {value: page}} or {"file", "refused": reason}.
    Never raises for a bad file: the refusal is the answer."""
    from reportreader import ReportError, previous_inspections, read_report

    root, relative, area_names = args
    path = Path(root) / relative
    data = path.read_bytes()
    entry = {"file": relative, "sha256": hashlib.sha256(data).hexdigest()}
    try:
        result = read_report(data, filename=path.name)
    except ReportError as error:
        return {**entry, "refused": error.reason}
    except Exception as error:  # noqa: BLE001 — a hostile file must not stop the build
        return {**entry, "refused": f"the file could not be read ({type(error).__name__})"}
    entry["result"] = _result_dict(result)
    pages = _page_texts(data, path.name)
    entry["pages"] = _locate(pages, entry["result"], area_names)
    if result.kind == "inspection":
        entry["previous"] = previous_inspections(pages)
    return entry


def _result_dict(result):
    """The reader's values, including fields newer readers add (inspectors, focus key, priority)."""
    data = result.to_dict()
    data["inspectors"] = list(getattr(result, "inspectors", None) or [])
    data["focus_key"] = getattr(result, "focus_key", None)
    data["recommendations"] = [
        {"text": r.text, "addressed_to": r.addressed_to, "priority": bool(getattr(r, "priority", False))}
        for r in result.recommendations
    ]
    return data


def _page_texts(data, name):
    """Each page's text, normalised (case, quotes, spaces), or [] when it cannot be had."""
    try:
        from reportreader.pdftext import extract_pages

        return [normalise_page(p) for p in extract_pages(data, name)]
    except Exception:  # noqa: BLE001 — locating is a help for reviewers, never a reason to refuse
        return []


def _locate(pages, result, area_names):
    """{value name: page} for the values found on a page of the report (where practical)."""
    found = {}

    def put(key, page):
        if page is not None:
            found[key] = page

    put("council", _page_of(pages, result.get("council_name")))
    for key in ("start_date", "end_date", "published_date"):
        value = date.fromisoformat(result[key]) if result.get(key) else None
        put(key, _page_of(pages, _date_words(value)))
    put("lead_inspector", _page_of(pages, result.get("lead_inspector")))
    put("focus", _page_of(pages, (result.get("focus") or "")[:60]))
    for area, grade in (result.get("judgements") or {}).items():
        grade_words = grade.replace("_", " ")
        page = _page_of(pages, area_names.get(area, ""), grade_words)
        if page is None and area == "overall_effectiveness":
            page = _page_of(pages, "children's services in", grade_words)  # SIF: "… in Wirral are inadequate"
        put(f"judgements.{area}", page)
    for number, rec in enumerate(result.get("recommendations") or [], start=1):
        put(f"recommendations.{number}", _page_of(pages, rec["text"][:60]))
    return found


def corpus_files(corpus):
    """Every PDF under the corpus folder, as sorted relative paths (hidden files skipped)."""
    root = Path(corpus)
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() == ".pdf" and not any(part.startswith(".") for part in p.parts)
    )


def _read_all(tasks, jobs):
    if jobs <= 1:
        yield from map(read_one, tasks)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(read_one, tasks, chunksize=4)
