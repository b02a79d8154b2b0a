"""CLI start-up: cold import of `locatiescan.cli.main` and `locatiescan --help`, each in a fresh
process, against a bare `python -c "import pandas"` measured in the same run (ratio).

Target (issue: instant map, screening at the I/O floor): a small fixed cost per command; the
heavy optional libraries (matplotlib, reportlab, openpyxl, OWSLib, folium, dask) are imported
only by the command that needs them. Each figure is the median of `--rounds` alternating runs;
the load average is printed with the figures (other work on this machine slows them). Also lists
which of those libraries the CLI import still loads. Not a test.

    .venv/bin/python bench/bench_startup.py [--rounds 5] [--before-src DIR]

`--before-src` also times the CLI import from another source tree (e.g. main's `src`, from
`git archive main src | tar -x -C /tmp/main`), in the same run: before vs after.
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
CLI_IMPORT = "import locatiescan.cli.main"
CASES = {
    "python -c 'import pandas' (baseline)": [sys.executable, "-c", "import pandas"],
    CLI_IMPORT: [sys.executable, "-c", "import locatiescan.cli.main"],
    "locatiescan --help": [sys.executable, "-m", "locatiescan", "--help"],
}


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def loaded_heavy(env: dict[str, str] | None = None) -> list[str]:
    """The heavy libraries that `import locatiescan.cli.main` loads."""
    probe = (
        "import json, sys; import locatiescan.cli.main; "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, env=env)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before-src", type=str, default=None)
    args = parser.parse_args()
    cases = {name: (command, None) for name, command in CASES.items()}
    before_env = None
    if args.before_src:
        before_env = {**os.environ, "PYTHONPATH": args.before_src}
        cases["import locatiescan.cli.main (before)"] = (CASES[CLI_IMPORT], before_env)
    for command, env in cases.values():  # one warm-up each: byte code compiled, files cached
        timed(command, env)
    load_start = os.getloadavg()[0]
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, (command, env) in cases.items():
            times[name].append(timed(command, env))
    load_end = os.getloadavg()[0]
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = medians[next(iter(cases))]
    print(
        f"median of {args.rounds} runs each; load average (1 min) {load_start:.1f} → {load_end:.1f}"
    )
    for name, seconds in medians.items():
        spread = f"{min(times[name]):.2f}–{max(times[name]):.2f}"
        print(f"  {name:<40} {seconds:6.2f} s  ({spread})  {seconds / baseline:4.2f}x pandas")
    heavy = loaded_heavy()
    print("heavy libraries loaded by the CLI import: " + (", ".join(heavy) or "none"))
    if before_env is not None:
        before = loaded_heavy(before_env)
        print("  ... and before: " + (", ".join(before) or "none"))


if __name__ == "__main__":
    main()
