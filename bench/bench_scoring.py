"""Scoring speed: 10,000 synthetic locations under the Kansrijk Bouwen preset.

Compares the vectorised engine (`score` on the whole table) with a baseline measured in the same
run: the same engine called once per location (a per-row loop over the same rules), timed on a
sample and scaled to all locations. Also times the Monte Carlo sensitivity (1,000 draws), which
reuses the criterion scores, against re-scoring the table once per draw (timed on a few draws,
scaled). Prints the times and the ratios.

    .venv/bin/python bench/bench_scoring.py [--n 10000] [--sample 200]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from locatiescan.paths import SCORING_DIR
from locatiescan.scoring import ScoringInput, ScoringModel, load_model, score, sensitivity

MODEL_FILE = SCORING_DIR / "kansrijk_bouwen.yaml"


def synthetic_inputs(model: ScoringModel, n: int, seed: int = 0) -> ScoringInput:
    """A generated table: `synthetic-00001` ..., random values for every source, ~10 % missing."""
    rng = np.random.default_rng(seed)
    ids = [f"synthetic-{i:05d}" for i in range(1, n + 1)]
    locations = pd.DataFrame(
        {
            "id": ids,
            "naam": [f"Synthetische locatie {i}" for i in range(1, n + 1)],
            "planstatus": rng.choice(np.array(["hard", "zacht", None], dtype=object), n),
            "woningen": rng.integers(20, 8000, n).astype(float),
        }
    )
    screening = pd.DataFrame(
        {
            "natura2000.overlap_pct": np.where(rng.random(n) < 0.8, 0.0, rng.uniform(0, 40, n)),
            "natura2000.distance_m": rng.uniform(0, 8000, n),
            "netcongestie.afname_code": rng.integers(0, 4, n).astype(float),
            "water_bodem.klasse": rng.choice(np.array(list("ABCD"), dtype=object), n),
        },
        index=ids,
    )
    indicators = pd.DataFrame(
        {
            "leegstand_pct": rng.uniform(1, 7, n),
            "sociale_huur_pct": rng.uniform(10, 45, n),
            "huishoudgrootte": rng.uniform(1.8, 2.8, n),
            "aandeel_plancap_pct": rng.uniform(0, 60, n),
        },
        index=ids,
    )
    answers = {}
    for question in model.vragen:
        if question.type == "getal":
            low, high = question.min or 0, question.max or 100
            answers[question.id] = rng.uniform(low, high, n)
        else:
            answers[question.id] = rng.choice(np.array(question.allowed(), dtype=object), n)
    answers_frame = pd.DataFrame(answers, index=ids)
    for frame in (screening, indicators, answers_frame):  # about 10 % unknown everywhere
        frame[:] = frame.where(rng.random(frame.shape) >= 0.1)
    return ScoringInput(locations, screening, indicators, answers_frame)


def per_location(model: ScoringModel, inputs: ScoringInput, rows: range) -> None:
    """The baseline: score every location on its own."""
    for row in rows:
        lid = inputs.locations["id"].iloc[row]
        single = ScoringInput(
            inputs.locations.iloc[[row]],
            inputs.screening.loc[[lid]],
            inputs.indicators.loc[[lid]],
            inputs.answers.loc[[lid]],
        )
        score(model, single)


def timed(fn, repeat: int = 3) -> float:
    """Best wall time of `repeat` runs (seconds)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of synthetic locations")
    parser.add_argument("--sample", type=int, default=50, help="locations timed in the baseline")
    parser.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws")
    args = parser.parse_args()
    model = load_model(MODEL_FILE)
    inputs = synthetic_inputs(model, args.n)
    criteria = len(model.criteria()) + len(model.bonus)

    vectorised = timed(lambda: score(model, inputs))
    sample = min(args.sample, args.n)
    baseline = timed(lambda: per_location(model, inputs, range(sample)), repeat=1) * args.n / sample
    result = score(model, inputs)
    monte_carlo = timed(lambda: sensitivity(result, draws=args.draws), repeat=1)
    rescoring = timed(lambda: [score(model, inputs) for _ in range(3)], repeat=1) * args.draws / 3

    print(f"bench_scoring: {args.n} locations x {criteria} criteria ({MODEL_FILE.name})")
    print(f"  vectorised score()          {vectorised * 1000:10.1f} ms")
    print(f"  per-location loop baseline  {baseline * 1000:10.1f} ms  (timed on {sample}, scaled)")
    print(f"  speed-up                    {baseline / vectorised:10.1f} x")
    print(f"  explanation rows            {len(result.explanation):10d}")
    print(f"  sensitivity, {args.draws} draws     {monte_carlo * 1000:10.1f} ms")
    print(f"  re-score per draw baseline  {rescoring * 1000:10.1f} ms  (timed on 3 draws, scaled)")
    print(f"  speed-up                    {rescoring / monte_carlo:10.1f} x")


if __name__ == "__main__":
    main()
