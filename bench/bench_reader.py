"""Time the report reader, file to result, on a folder of reports.

Usage: .venv/bin/python bench/bench_reader.py [DIR] (default tests/reportreader/reports).
Prints each file's time and outcome, then reports per second over all files.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportreader import ReportError, read_report

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "tests" / "reportreader" / "reports"


def main(argv: list[str]) -> int:
    """Read every file in the folder named by argv[1] (or the samples); return an exit code."""
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")
    if not files:
        print(f"no .pdf files in {folder}")
        return 1
    total = 0.0
    for path in files:
        started = time.perf_counter()
        try:
            result = read_report(path)
            outcome = f"{result.kind} {result.framework or '-'} {len(result.judgements)} judgements"
        except ReportError as error:
            outcome = f"refused: {error.reason}"
        elapsed = time.perf_counter() - started
        total += elapsed
        print(f"{elapsed * 1000:8.1f} ms  {path.name}  {outcome}")
    print(f"{len(files)} files in {total:.2f} s: {len(files) / total:.1f} reports/second")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
