"""Fixtures for the intake's tests: media in a temporary folder, a fast polite sync, a local copy
of Ofsted's site, and tight reader limits so hostile files fail fast."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.intake.fake_ofsted import FakeOfsted, Site

REPORTS = Path(__file__).resolve().parent.parent / "reportreader" / "reports"
CORPUS = Path(os.environ.get("TRACKER_CORPUS") or Path(__file__).resolve().parents[3] / "shared" / "corpus")


def sample(stem):
    return (REPORTS / f"{stem}.pdf").read_bytes()


@pytest.fixture(autouse=True)
def _intake_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OFSTED_DELAY_SECONDS = 0
    settings.OFSTED_BACKOFF_SECONDS = 0
    settings.OFSTED_RETRIES = 2
    settings.OFSTED_TIMEOUT_SECONDS = 1
    settings.INTAKE_AUTO_ACCEPT = False
    settings.READER_WALL_SECONDS = 8
    settings.READER_CPU_SECONDS = 4
    settings.READER_MEMORY_MB = 512
    return settings


@pytest.fixture
def fake_site(db):
    """A running copy of the site's structure, where every council we hold has a page (with no
    reports until a test adds some); tests fill `.site` before running the sync."""
    from inspections.models import Council

    server = FakeOfsted(Site(exists=set(Council.objects.values_list("urn", flat=True))))
    yield server
    server.stop()


def run_command(name, *args):
    """Run a management command; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        err.write(str(error))
        code = 1
    return code, out.getvalue(), err.getvalue()
