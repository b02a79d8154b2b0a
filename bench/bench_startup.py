"""CLI start-up: cold import of `locatiescan.cli.main` and `locatiescan --help`, each in a fresh
process, against a bare `python -c "import pandas"` measured in the same run (ratio).

Target (issue: instant map, screening at the I/O floor): a small fixed cost per command; the
heavy optional libraries (matplotlib, reportlab, openpyxl, OWSLib, folium, dask) are imported
only by the command that needs them. Each figure is the median of `--rounds` alternating runs;
the load average is printed with the figures (other work on this machine slows them). Also lists
which of those libraries the CLI import still loads. Not a test.

    .venv/bin/python bench/bench_startup.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HEAVY = ("matplotlib", "reportlab", "openpyxl", "owslib", "folium", "dask", "requests", "rasterio")
CASES = {
    "python -c 'import pandas' (baseline)": [sys.executable, "-c", "import pandas"],
    "import locatiescan.cli.main": [sys.executable, "-c", "import locatiescan.cli.main"],
    "locatiescan --help": [sys.executable, "-m", "locatiescan", "--help"],
}


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def loaded_heavy() -> list[str]:
    """The heavy libraries that `import locatiescan.cli.main` loads."""
    probe = (
        "import json, sys; import locatiescan.cli.main; "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for command in CASES.values():  # one warm-up each: byte code compiled, files in the OS cache
        timed(command)
    load_start = os.getloadavg()[0]
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.rounds):
        for name, command in CASES.items():
            times[name].append(timed(command))
    load_end = os.getloadavg()[0]
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = medians[next(iter(CASES))]
    print(
        f"median of {args.rounds} runs each; load average (1 min) {load_start:.1f} → {load_end:.1f}"
    )
    for name, seconds in medians.items():
        spread = f"{min(times[name]):.2f}–{max(times[name]):.2f}"
        print(f"  {name:<40} {seconds:6.2f} s  ({spread})  {seconds / baseline:4.2f}x pandas")
    heavy = loaded_heavy()
    print("heavy libraries loaded by the CLI import: " + (", ".join(heavy) or "none"))


if __name__ == "__main__":
    main()
