"""`import_reports`: every sample report read, matched to its council and saved once, with its file."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.importers import HISTORY_FILE
from inspections.models import Event, EventKind
from intake.reports import match_council, normalise_council_name
from reportreader import Recommendation, ReportResult
from tests.reportreader.test_samples import EXPECTED

pytestmark = pytest.mark.django_db

REPORTS = Path(__file__).resolve().parent.parent / "reportreader" / "reports"
HTML_SAMPLE = REPORTS / "80429-birmingham-2012-10-19.pdf"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def run(*args):
    """Run the command; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_reports", *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        err.write(str(error))
        code = 1
    return code, out.getvalue(), err.getvalue()


def records(stdout):
    return [json.loads(line) for line in stdout.splitlines()]


def urn_of(stem):
    return int(stem.split("-", 1)[0])


def test_json_dry_run_prints_every_readme_field_of_every_sample_and_saves_nothing(_media):
    before = Event.objects.count(), Event.history.count()
    code, stdout, stderr = run(REPORTS, "--dry-run", "--json")
    assert code == 1, "the HTML sample fails, so the run fails"
    by_file = {Path(r["file"]).stem: r for r in records(stdout)}
    assert set(by_file) == set(EXPECTED) | {HTML_SAMPLE.stem}
    for stem, (
        framework,
        council,
        start,
        end,
        published,
        lead,
        judgements,
        council_recs,
        lscb_recs,
    ) in EXPECTED.items():
        record = by_file[stem]
        assert record["ok"] is True and record["error"] is None, stem
        assert record["kind"] == "inspection"
        assert record["council"] == {"name": council, "urn": urn_of(stem)}
        assert record["framework"] == framework
        assert (record["start_date"], record["end_date"], record["published_date"]) == (start, end, published)
        assert record["lead_inspector"] == lead
        assert record["judgements"] == judgements
        addressed = [r["addressed_to"] for r in record["recommendations"]]
        assert (addressed.count("council"), addressed.count("lscb")) == (council_recs, lscb_recs), stem
        assert all(r["text"] for r in record["recommendations"])
        assert isinstance(record["warnings"], list)
        assert record["status"] == "would_update", "every sample is already in the demo data from the history file"
    assert (Event.objects.count(), Event.history.count()) == before
    assert not Path(_media).exists() or not any(Path(_media).rglob("*.pdf"))
    assert "Dry run, nothing saved" in stderr


def test_json_record_has_exactly_the_documented_keys():
    code, stdout, _ = run(REPORTS / "80581-wirral-2024-02-02.pdf", "--dry-run", "--json")
    assert code == 0
    (record,) = records(stdout)
    documented = {
        "file",
        "ok",
        "error",
        "kind",
        "council",
        "framework",
        "inspection_type",
        "start_date",
        "end_date",
        "published_date",
        "lead_inspector",
        "judgements",
        "recommendations",
        "warnings",
    }
    assert documented <= set(record)
    assert set(record["council"]) == {"name", "urn"}
    assert record["inspection_type"] == "standard"
    assert record["published_date"] is None, "ILACS reports print no publication date: null, never guessed"
    assert list(record["recommendations"][0]) == ["text", "addressed_to", "priority"]


def test_import_saves_each_sample_once_with_its_values_and_file_and_a_second_run_changes_nothing():
    before = Event.objects.count()
    code, stdout, stderr = run(REPORTS, "--json")
    assert code == 1
    assert Event.objects.count() == before, "each report updates the history row it matches, never a second copy"
    by_file = {Path(r["file"]).stem: r for r in records(stdout)}
    for stem, (
        framework,
        _council,
        start,
        end,
        published,
        lead,
        judgements,
        council_recs,
        lscb_recs,
    ) in EXPECTED.items():
        record = by_file[stem]
        assert record["ok"], record["error"]
        assert record["status"] == "updated"
        event = Event.objects.get(pk=record["event_id"])
        assert event.council.urn == urn_of(stem)
        assert event.kind == EventKind.INSPECTION
        assert event.framework.key == framework
        assert event.start_date == datetime.date.fromisoformat(start)
        assert event.end_date == datetime.date.fromisoformat(end)
        if published:
            assert event.published_date == datetime.date.fromisoformat(published)
        else:
            assert event.published_date is not None, "the history row's published date is kept, not blanked"
        assert event.lead_inspector == lead
        assert {j.area.key: j.grade.key for j in event.judgements.all()} == judgements
        recs = list(event.recommendations.all())
        assert sum(r.addressed_to == "council" for r in recs) == council_recs
        assert sum(r.addressed_to == "lscb" for r in recs) == lscb_recs
        assert event.source_name == f"{stem}.pdf"
        assert event.report_file.name.endswith(".pdf")
        assert event.report_file.read() == (REPORTS / f"{stem}.pdf").read_bytes()
        assert (
            Event.objects.filter(council=event.council, kind=EventKind.INSPECTION, start_date=event.start_date).count()
            == 1
        )
    assert "11 read, 1 failed; 0 new, 11 updated" in stdout + stderr

    history = Event.history.count()
    code, stdout, stderr = run(REPORTS)
    assert "0 new, 0 updated, 11 unchanged" in stdout
    assert Event.history.count() == history, "a second run writes nothing"


def test_history_row_without_a_start_date_is_filled_in_not_doubled():
    # The shipped record holds this report; without it, the history's row (no start date) is all we hold.
    Event.objects.filter(council__urn=80426, published_date=datetime.date(2014, 8, 8)).delete()
    call_command("import_history", str(HISTORY_FILE), stdout=io.StringIO())
    barnsley_2014 = Event.objects.get(council__urn=80426, published_date=datetime.date(2014, 8, 8))
    assert barnsley_2014.start_date is None and barnsley_2014.source_name == "Third-party list of Ofsted reports"
    code, stdout, _ = run(REPORTS / "80426-barnsley-2014-08-08.pdf", "--json")
    assert code == 0
    barnsley_2014.refresh_from_db()
    assert records(stdout)[0]["event_id"] == barnsley_2014.pk
    assert barnsley_2014.start_date == datetime.date(2014, 6, 2)
    assert barnsley_2014.source_url.startswith("https://files.ofsted.gov.uk/"), "the history's link is kept"
    assert barnsley_2014.judgements.count() == 7
    assert Event.objects.filter(council__urn=80426, published_date=datetime.date(2014, 8, 8)).count() == 1


def test_a_new_report_creates_an_event_on_the_councils_timeline(client_for):
    event = Event.objects.get(council__urn=80581, start_date=datetime.date(2023, 9, 18))
    event.delete()
    code, stdout, _ = run(REPORTS / "80581-wirral-2024-02-02.pdf", "--json")
    assert code == 0
    record = records(stdout)[0]
    assert record["status"] == "created"
    page = client_for("viewer").get("/councils/wirral/").content.decode()
    assert f"/events/{record['event_id']}/" in page


def test_html_named_pdf_fails_with_a_clear_error_and_the_run_goes_on():
    code, stdout, stderr = run(HTML_SAMPLE, REPORTS / "80581-wirral-2019-07-29.pdf", "--json")
    assert code == 1
    first, second = records(stdout)
    assert first["ok"] is False
    assert "not a PDF" in first["error"] and "HTML" in first["error"]
    assert first["kind"] is None and first["council"] == {"name": None, "urn": None}
    assert second["ok"] is True
    assert "80429-birmingham-2012-10-19.pdf" in stderr
    assert "1 of 2 file(s) could not be imported" in stderr


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.pdf", b"", "empty"),
        ("noise.pdf", bytes(range(256)) * 40, "not a PDF"),
        ("zip.pdf", b"PK\x03\x04" + b"\0" * 200, "ZIP"),
        ("truncated.pdf", (REPORTS / "80581-wirral-2019-07-29.pdf").read_bytes()[:4000], ""),
        ("header-only.pdf", b"%PDF-1.7\n%%EOF\n", ""),
        ("script.pdf", b"%PDF-1.4\n<script>alert(1)</script>\n" * 50, ""),
    ],
)
def test_malformed_and_hostile_files_fail_one_by_one_and_change_nothing(tmp_path, name, content, reason):
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    bad.write_bytes(content)
    before = Event.objects.count(), Event.history.count()
    code, stdout, stderr = run(bad.parent, "--json")
    assert code == 1
    (record,) = records(stdout)
    assert record["ok"] is False
    assert record["error"].startswith(name)
    assert reason in record["error"]
    assert (Event.objects.count(), Event.history.count()) == before


def test_missing_path_is_a_failed_file_not_a_crash(tmp_path):
    code, stdout, _ = run(tmp_path / "nowhere.pdf", "--json")
    assert code == 1
    assert "no such file" in records(stdout)[0]["error"]


def test_folders_are_searched_recursively_for_pdfs_only(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "wirral.PDF").write_bytes((REPORTS / "80581-wirral-2019-07-29.pdf").read_bytes())
    (tmp_path / "a" / "notes.txt").write_text("not a report")
    code, stdout, _ = run(tmp_path, "--dry-run", "--json")
    assert code == 0
    assert [Path(r["file"]).name for r in records(stdout)] == ["wirral.PDF"]


def fake_result(**changes):
    values = {
        "kind": "inspection",
        "council_name": "Wirral Metropolitan Borough Council",
        "framework": "ilacs_2023",
        "inspection_type": "standard",
        "start_date": datetime.date(2030, 1, 7),
        "end_date": datetime.date(2030, 1, 18),
        "lead_inspector": "A Person",
        "judgements": {"overall_effectiveness": "good"},
        "recommendations": [Recommendation("Improve <script>alert(1)</script> planning.")],
    }
    values.update(changes)
    return ReportResult(**values)


@pytest.fixture
def fake_reader(monkeypatch, tmp_path):
    """Make the command read `result` from a real (small) PDF file; returns the file's folder."""
    folder = tmp_path / "fake"
    folder.mkdir()

    def install(result):
        (folder / "report.pdf").write_bytes(b"%PDF-1.4 fake")
        monkeypatch.setattr("intake.pipeline.read_limited", lambda data, filename=None, limits=None: result)
        return folder / "report.pdf"

    return install


def test_unknown_council_is_an_error_for_that_file_but_json_shows_what_was_read(fake_reader):
    path = fake_reader(fake_result(council_name="Atlantis Borough Council"))
    before = Event.objects.count()
    code, stdout, _ = run(path, "--json")
    assert code == 1
    (record,) = records(stdout)
    assert record["ok"] is False
    assert "Atlantis Borough Council" in record["error"] and "not a council we know" in record["error"]
    assert record["council"] == {"name": "Atlantis Borough Council", "urn": None}
    assert record["start_date"] == "2030-01-07" and record["judgements"] == {"overall_effectiveness": "good"}
    assert Event.objects.count() == before


def test_printed_urn_wins_over_the_name(fake_reader):
    path = fake_reader(fake_result(council_name="Somewhere else", council_urn=80426))
    code, stdout, _ = run(path, "--json")
    assert code == 0
    assert Event.objects.get(pk=records(stdout)[0]["event_id"]).council.urn == 80426


def test_invalid_values_save_nothing_and_leave_no_file_behind(fake_reader, _media):
    path = fake_reader(fake_result(end_date=datetime.date(2029, 1, 1)))
    before = Event.objects.count()
    code, stdout, _ = run(path, "--json")
    assert code == 1
    assert "end date" in records(stdout)[0]["error"]
    assert Event.objects.count() == before
    assert not any(Path(_media).rglob("*.pdf"))


def test_a_new_report_with_text_that_looks_like_script_is_stored_as_text(fake_reader, client_for):
    path = fake_reader(fake_result())
    code, stdout, _ = run(path, "--json")
    assert code == 0
    event = Event.objects.get(pk=records(stdout)[0]["event_id"])
    assert event.recommendations.get().text == "Improve <script>alert(1)</script> planning."
    page = client_for("viewer").get(f"/events/{event.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_progress_goes_to_stderr_so_json_stdout_stays_clean():
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_reports", str(REPORTS / "80581-wirral-2019-07-29.pdf"), "--json", "-v", "2", stdout=out, stderr=err
    )
    assert all(json.loads(line) for line in out.getvalue().splitlines())
    assert "[1/1]" in err.getvalue() and "files/s" in err.getvalue()


@pytest.mark.parametrize(
    ("printed", "urn"),
    [
        ("Wirral Metropolitan Borough Council", 80581),
        ("Metropolitan Borough of Barnsley Council", 80426),
        ("Bedford Borough", 80428),
        ("Bedford Borough Council", 80428),
        ("City of London", 80450),
        ("City of London Corporation", 80450),
        ("Bristol City Council", 80441),
        ("Bristol, City of", 80441),
        ("City of Bristol", 80441),
        ("Kingston upon Hull City Council", 80477),
        ("Hull City Council", 80477),
        ("London Borough of Barking & Dagenham", 80486),
        ("London Borough of Hammersmith and Fulham", 80497),
        ("Royal Borough of Kensington and Chelsea", 80544),
        ("Royal Borough of Windsor & Maidenhead", 80546),
        ("Norfolk County Council", 80418),
        ("Durham County Council", 80465),
        ("County Durham", 80465),
        ("Bournemouth, Christchurch and Poole", 2532287),
        ("Bournemouth, Christchurch & Poole Council", 2532287),
        ("BCP Council", 2532287),
        ("BCP", 2532287),
        ("St Helens Council", 80560),
        ("Southend-on-Sea City Council", 80559),
        ("Brighton & Hove City Council", 80438),
        ("Telford & Wrekin Council", 80570),
        ("Council of the Isles of Scilly", 80455),
        ("Newcastle City Council", 80525),
        ("City of Wolverhampton Council", 80583),
        ("Westminster City Council", 80519),
        ("North Northamptonshire Council", 2637539),
        ("Northamptonshire County Council", 121939),
        ("WIRRAL", 80581),
    ],
)
def test_council_names_match_however_the_report_prints_them(printed, urn):
    council = match_council(name=printed)
    assert council is not None, normalise_council_name(printed)
    assert council.urn == urn


@pytest.mark.parametrize("printed", ["", None, "Atlantis", "Council", "London Borough of Nowhere"])
def test_names_that_are_no_council_match_nothing(printed):
    assert match_council(name=printed) is None
