"""`make bench`: run every bench/bench_*.py in turn with the same Python, printing their output.

Each script prints its own numbers and exits 0; a script that fails is reported and the rest still run.
Extra arguments are not passed on; run a script directly for its options.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        outcome = "ok" if result.returncode == 0 else "FAILED"
        print(f"--- {script.name}: {outcome} in {time.perf_counter() - started:.0f} s")
        if result.returncode:
            failed.append(script.name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
