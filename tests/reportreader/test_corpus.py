"""The reader against values written down by reading real corpus reports (corpus_expected.csv).

Skips when the corpus is absent ($TRACKER_CORPUS, else <repo>/../shared/corpus). One test per
table row, so a failure names the report and every field it got wrong; the table covers every
layout met: 2013 looked-after, SIF with and without an LSCB review (numbered, grouped and
bulleted lists), a SIF reinspection, ILACS 2018 and 2023, focused visits 2018-24 incl. the
2020-21 whole-service visits, HTML pages saved as PDFs and a stand-alone LSCB review.
"""

from __future__ import annotations

import pytest

from reportreader import ReportError, read_report

from .corpus import corpus_root, load_expected, score

ROOT = corpus_root()
ROWS = load_expected()

pytestmark = pytest.mark.skipif(ROOT is None, reason="the report corpus is not at $TRACKER_CORPUS or ../shared/corpus")


def test_table_covers_every_kind_and_era_with_a_held_out_part():
    kinds = {(row["split"], row["kind"]) for row in ROWS}
    assert {("held_out", "inspection"), ("held_out", "focused_visit"), ("seen", "refused")} <= kinds
    frameworks = {row["framework"] for row in ROWS if row["framework"]}
    assert frameworks == {"looked_after_2009", "sif", "ilacs_2018", "ilacs_2023"}
    assert len(ROWS) >= 50


@pytest.mark.parametrize("row", ROWS, ids=[row["file"].split("/")[1] + " " + row["file"][-20:-4] for row in ROWS])
def test_reader_matches_the_values_read_from_the_report(row):
    try:
        result, error = read_report(ROOT / row["file"]), None
    except ReportError as refused:
        result, error = None, refused.reason
    wrong = [
        f"{check.field}: expected {check.expected!r}, got {check.got!r}"
        for check in score(row, result, error)
        if not check.ok
    ]
    assert not wrong, "\n".join(wrong)
