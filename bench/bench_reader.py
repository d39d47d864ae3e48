"""Measure the report reader on the real corpus: accuracy against the expected-values table,
refusals over every file, and throughput on one core.

Usage: .venv/bin/python bench/bench_reader.py [CORPUS_DIR]
(default $TRACKER_CORPUS, else <repo>/../shared/corpus; without a corpus it times the samples).

Prints, for the table's seen rows and its held-out rows separately (see
tests/reportreader/corpus.py for how they were chosen): per-field accuracy, the share of reports
whose recommendation counts are exact, and every wrong value; then, over the whole corpus, each
refusal with its reason, the kinds and frameworks read, and reports per second on one core (the
reader runs in this one process; measured as CPU time, so other work on a shared machine does
not count against it, and also on the clock; the target is at least 10).
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportreader import ReportError, read_report  # noqa: E402
from tests.reportreader.corpus import corpus_root, field_group, load_expected, score  # noqa: E402

SAMPLES = ROOT / "tests" / "reportreader" / "reports"
RECOMMENDATION_FIELDS = ("council_recommendations", "lscb_recommendations", "priority_recommendations")


def read(path: Path):
    """Return (result, refusal reason) for one file."""
    try:
        return read_report(path), None
    except ReportError as error:
        return None, error.reason


def accuracy(root: Path, outcomes: dict[str, tuple]) -> None:
    """Print per-field accuracy and recommendation-count exactness, seen and held-out apart."""
    rows = load_expected()
    splits = sorted({row["split"] for row in rows}, key=lambda name: (name != "seen", name))
    for split in splits:
        chosen = [row for row in rows if row["split"] == split]
        by_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        right: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        exact = collections.Counter()
        wrong = []
        for row in chosen:
            result, reason = outcomes[row["file"]]
            checks = score(row, result, reason)
            kind = row["kind"]
            for check in checks:
                group = field_group(check.field)
                by_kind[kind][group] += 1
                right[kind][group] += check.ok
                if not check.ok:
                    wrong.append(f"    {row['file']}: {check.field}: expected {check.expected!r}, got {check.got!r}")
            if kind != "refused":
                exact[kind, "reports"] += 1
                exact[kind, "exact"] += all(c.ok for c in checks if c.field in RECOMMENDATION_FIELDS)
        print(f"\n== {split} rows: {len(chosen)} reports")
        for kind in sorted(by_kind):
            total, ok = sum(by_kind[kind].values()), sum(right[kind].values())
            print(f"  {kind}: {ok}/{total} fields right ({100 * ok / total:.1f} %)")
            for group in sorted(by_kind[kind]):
                print(f"    {group:26} {right[kind][group]:4}/{by_kind[kind][group]:<4}")
            if exact[kind, "reports"]:
                done, of = exact[kind, "exact"], exact[kind, "reports"]
                print(f"    recommendation counts exact on {done}/{of} ({100 * done / of:.1f} %)")
        print("  wrong values:" if wrong else "  wrong values: none")
        print("\n".join(wrong))


def main(argv: list[str]) -> int:
    """Read the whole corpus (or the samples), print accuracy, refusals and throughput."""
    root = Path(argv[1]) if len(argv) > 1 else corpus_root()
    folder = root or SAMPLES
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
    if not files:
        print(f"no .pdf files in {folder}")
        return 1
    outcomes: dict[str, tuple] = {}
    started, started_cpu = time.perf_counter(), time.process_time()
    for path in files:
        outcomes[str(path.relative_to(folder))] = read(path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    if root is not None:
        accuracy(root, outcomes)
    else:
        print(f"(no corpus at $TRACKER_CORPUS or ../shared/corpus: timing the {len(files)} samples only)")
    refusals = collections.Counter(reason for _, reason in outcomes.values() if reason)
    kinds = collections.Counter(
        (result.kind, result.framework or "-") for result, _ in outcomes.values() if result is not None
    )
    print(f"\n== whole folder: {len(files)} files")
    for (kind, framework), count in sorted(kinds.items()):
        print(f"  {count:4}  {kind} {framework}")
    print(f"  refused: {sum(refusals.values())}")
    for name, (_, reason) in sorted(outcomes.items()):
        if reason:
            print(f"    {name}: {reason}")
    warned = sum(1 for result, _ in outcomes.values() if result is not None and result.warnings)
    print(f"  results with warnings: {warned}")
    print(
        f"\n{len(files)} files, one process (one core): {cpu:.1f} s of CPU, {len(files) / cpu:.1f} reports per CPU"
        f" second (target >= 10); {elapsed:.1f} s on the clock ({len(files) / elapsed:.1f}/s, lower when other"
        " work shares the machine)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
