"""The evolutionary sampler's STFT window against the time-frequency classifier.

With more records per station the classifier two-sample test has more power
(docs/method.rst, "Does the network earn its place?"). For each seed, every
region preset of ``make_strong_motion`` (``--stations`` x ``--records``
each, default 6 x 16: 8 pool and 8 held-out records per station) is scored
with ``StochasticGenerator(source="records",
sampler=EvolutionarySampler(window=w))`` for each ``--windows`` value: no
network, so nothing is trained and each region is scored on its own.

Rows per window and region, mean [min-max] over seeds: the time-frequency
c2st accuracy (0.5: indistinguishable) with its real-vs-real ceiling, the
spread over the pool's (1: the station's own), and the generated / pool
ratios of PGA, PSA, FAS and D5-95.

    python benchmarks/evolutionary_windows.py --windows 1.28 2.56 5.12
"""

import time

import numpy as np
from _common import parse, parser, print_table, simulate, write_json

from skgen import EvolutionarySampler, IntensityMeasureScorer, StochasticGenerator

REGIONS = ("A", "B", "C", "basin")
MEASURES = ("pga", "psa", "fas", "duration")


def score(window, bunch, seed):
    """One region's row for one window."""
    generator = StochasticGenerator(
        source="records", sampler=EvolutionarySampler(window=window)
    ).fit(bunch.X, bunch.stations)
    report = IntensityMeasureScorer(c2st_features="time_frequency", random_state=seed).report(
        generator, bunch.X, bunch.stations
    )
    row = {
        "c2st tf": 1 - report.metrics["c2st"],
        "c2st tf real": 1 - report.ceiling["c2st"],
        "spread / pool": report.spread["all"] / report.spread_ceiling["all"],
    }
    for measure in MEASURES:
        row[measure] = float(np.exp(report.distortion[measure]["all"]))
    return row


def main():
    p = parser(__doc__.splitlines()[0], records=16)
    p.add_argument("--windows", type=float, nargs="+", default=[1.28, 2.56, 5.12])
    args = parse(p)
    runs = {window: [] for window in args.windows}
    start = time.perf_counter()
    for seed in args.seeds:
        data = simulate(REGIONS, args.stations, args.records, seed)
        for window in args.windows:
            runs[window].append({r: score(window, data[r], seed) for r in REGIONS})
        print(f"seed {seed} scored ({time.perf_counter() - start:.0f} s)", flush=True)
    for window in args.windows:
        print_table(f"window {window:g} s", runs[window], None, None)
    write_json(args.json, {"args": vars(args), "runs": {str(w): r for w, r in runs.items()}})


if __name__ == "__main__":
    main()
