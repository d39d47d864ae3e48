"""The council and history importers: real files in, all-or-nothing, idempotent, row-numbered errors."""

import csv
import shutil
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.importers import COUNCILS_FILE, HISTORY_FILE, parse_day_first
from inspections.models import Council, Event, Judgement

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def snapshot():
    return (
        Event.objects.count(),
        Judgement.objects.count(),
        sorted(Event.objects.values_list("pk", "version")),
    )


def test_every_council_in_the_lookup_is_loaded_with_its_neighbours_in_order():
    rows = list(csv.DictReader(COUNCILS_FILE.open()))
    assert Council.objects.count() == len(rows) == 156
    assert Council.objects.active().count() == 153
    wirral = Council.objects.get(urn=80581)
    assert (wirral.la_code, wirral.gss_code, wirral.region.name) == ("344", "E08000015", "North West")
    expected = [c.strip() for c in next(r for r in rows if r["urn"] == "80581")["stat_neighbours"].split(",")]
    assert [link.neighbour.la_code for link in wirral.neighbour_links.order_by("rank")] == expected


def test_reorganised_councils_are_inactive_and_linked_to_their_successors():
    northamptonshire = Council.objects.get(urn=121939)
    assert northamptonshire.is_active is False
    assert sorted(c.name for c in northamptonshire.successors.all()) == [
        "North Northamptonshire",
        "West Northamptonshire",
    ]


def test_a_region_code_that_contradicts_its_name_does_not_move_the_council():
    assert Council.objects.get(urn=80442).region.name == "South East"  # Buckinghamshire, coded E12000004


def test_loading_councils_twice_changes_nothing_and_says_so():
    output = run("load_councils")
    assert "No changes" in output


def test_every_history_row_becomes_one_inspection():
    rows = list(csv.DictReader(HISTORY_FILE.open()))
    per_council = Counter(int(r["urn"]) for r in rows)
    # Earlier inspections that later reports state (known to the month) are not history rows.
    history = Event.objects.filter(kind="inspection", date_precision="day").exclude(council__urn=80581)
    held = Counter(history.values_list("council__urn", flat=True))
    expected = {urn: n for urn, n in per_council.items() if urn != 80581}
    assert held == expected


def test_importing_history_twice_changes_nothing_and_says_so():
    before = snapshot()
    output = run("import_history", str(HISTORY_FILE))
    assert "No changes: all 497 rows" in output
    assert snapshot() == before


def test_no_grade_markers_never_become_grades():
    # Birmingham's 2012 report is an HTML page saved as a PDF (refused by the record), so the
    # history's "data_unreadable" row is all we hold of it.
    birmingham_2012 = Event.objects.get(council__urn=80429, published_date="2012-10-19")
    assert birmingham_2012.judgements.count() == 0
    north_northants_2026 = Event.objects.get(council__urn=2637539, start_date="2026-05-11")
    keys = set(north_northants_2026.judgements.values_list("area__key", flat=True))
    assert "overall_effectiveness" not in keys
    assert keys == {"impact_of_leaders", "help_and_protection", "children_in_care", "care_leavers"}


def test_day_first_dates_are_read_day_first():
    assert parse_day_first("02/03/16").isoformat() == "2016-03-02"
    assert parse_day_first("17/06/2019").isoformat() == "2019-06-17"


def _damaged_copy(tmp_path, line_number, change):
    """Copy the history file, apply `change(fields)` to the given (1-based) line."""
    lines = HISTORY_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = next(csv.reader([lines[line_number - 1]]))
    new = change(fields)
    if isinstance(new, str):
        lines[line_number - 1] = new
    else:
        from io import StringIO

        buffer = StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(new)
        lines[line_number - 1] = buffer.getvalue()
    path = tmp_path / "damaged.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _set(column, value):
    header = next(csv.reader([HISTORY_FILE.read_text(encoding="utf-8").splitlines()[0]]))
    index = header.index(column)

    def change(fields):
        fields[index] = value
        return fields

    return change


@pytest.mark.parametrize(
    ("line", "change", "message"),
    [
        (40, _set("publication_date", "31/02/19"), "publication_date “31/02/19” is not a date"),
        (41, _set("inspection_start_date", "2019-13-45"), "inspection_start_date “2019-13-45” is not a date"),
        (120, _set("urn", "999999"), "URN “999999” is not a council we know"),
        (200, _set("help_and_protection_grade", "superb"), "help_and_protection_grade “superb” is not a grade"),
        (300, lambda fields: ",".join(fields[:7]) + "\n", "the row has 7 columns but the header has 15"),
    ],
    ids=["bad-published-date", "bad-start-date", "unknown-urn", "unknown-grade-word", "truncated-row"],
)
def test_a_damaged_history_file_names_the_line_and_changes_nothing(tmp_path, line, change, message):
    path = _damaged_copy(tmp_path, line, change)
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was changed"):
        run("import_history", str(path))
    assert snapshot() == before
    # The per-row message, with its line number, goes to stderr.
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_history", str(path), stdout=StringIO(), stderr=err)
    assert f"line {line}: {message}" in err.getvalue()


def test_a_changed_history_file_updates_in_one_transaction_and_dry_run_saves_nothing(tmp_path):
    path = tmp_path / "history.csv"
    shutil.copy(HISTORY_FILE, path)
    original = path.read_text(encoding="utf-8")
    # Rows for reports in the shipped record change nothing: the record already settled them.
    from inspections.record import record_files

    held = {(f.split("/")[1].split("_")[0], f.rsplit("/", 1)[1]) for f in record_files()}
    rows_changed = sum(
        1
        for r in csv.DictReader(original.splitlines())
        if "Sarah Canto" in r["inspector_name"] and (r["urn"], r["pdf_filename"]) not in held
    )
    path.write_text(original.replace("Sarah Canto", "Sarah Canto-Smith"), encoding="utf-8")
    dorset = Event.objects.get(council__urn=2532283, start_date="2025-03-17")
    assert f"would create 0 and update {rows_changed}" in run("import_history", str(path), "--dry-run")
    dorset.refresh_from_db()
    assert dorset.lead_inspector == "Sarah Canto"
    output = run("import_history", str(path))
    assert f"updated {rows_changed}," in output
    dorset.refresh_from_db()
    assert dorset.lead_inspector == "Sarah Canto-Smith"


def test_a_history_row_for_an_inspection_read_from_its_report_fills_in_and_does_not_double():
    # Wirral 2016 is a history row without dates; the story file gave it dates and grades.
    wirral_2016 = Event.objects.filter(council__urn=80581, published_date="2016-09-20")
    assert wirral_2016.count() == 1
    event = wirral_2016.get()
    assert event.start_date.isoformat() == "2016-07-04"
    assert event.source_url == "https://files.ofsted.gov.uk/v1/file/2756076" or event.source_url
