"""Quality of TimesNet-Gen on synthetic data, within and across regions.

Train the default CPU configuration on region "A", register region "B" with
``add_stations`` only (frozen weights), generate as many records per station
as it has real ones, and print per station: real vs generated median f0,
sigma ln f0, median PGA and the f0-histogram 1 - JS similarity. Each station's
records are split in half (``HVSRAlignmentScorer``'s default): one half is the
generator's pool, the other the real records compared.

Targets (issue 3): generated median f0 within 10 % of real for at least 90 %
of stations in both regions; median PGA within a factor 1.5 with energy
restoring on (the numbers with it off are printed too); training under 10
minutes on 2 cores.

    python benchmarks/quality_timesnet.py [--stations 8] [--records 20]
"""

import argparse
import time

import numpy as np

from skgen import HVSRAlignmentScorer, TimesNetGenerator, make_strong_motion
from skgen.signal import pga


def _real_pga_ratio(X, stations, seed):
    """Per station, median PGA of one random half of its real records over
    the other half: how far apart two sets of *real* records already are."""
    rng = np.random.RandomState(seed)
    ratios = {}
    peaks = pga(X)
    for station in np.unique(stations):
        values = rng.permutation(peaks[stations == station])
        half = len(values) // 2
        ratios[station] = np.median(values[:half]) / np.median(values[half:])
    return ratios


def _table(report, regions, real_ratio):
    table = report.table
    rows, f0_ok, pga_ok, real_ok = [], [], [], []
    for i, station in enumerate(report.stations):
        real, generated = table["f0_median_real"][i], table["f0_median_generated"][i]
        ratio = table["pga_median_ratio"][i]
        f0_ok.append(abs(generated / real - 1) <= 0.10)
        pga_ok.append(1 / 1.5 <= ratio <= 1.5)
        real_ok.append(1 / 1.5 <= real_ratio[station] <= 1.5)
        rows.append(
            f"{station:<6}{regions[station]:>3}{real:>9.2f}{generated:>9.2f}"
            f"{table['sigma_ln_f0_real'][i]:>8.2f}{table['sigma_ln_f0_generated'][i]:>8.2f}"
            f"{ratio:>8.2f}{real_ratio[station]:>8.2f}{table['f0_js_similarity'][i]:>7.2f}"
        )
    return rows, np.array(f0_ok), np.array(pga_ok), np.array(real_ok)


def two_regions(n_stations, records, seed):
    """Region "A" (training) and "B" (registered later), concatenated."""
    a = make_strong_motion(n_stations, records, region="A", random_state=seed)
    b = make_strong_motion(n_stations, records, region="B", random_state=seed + 1)
    X = np.concatenate([a.X, b.X])
    stations = np.concatenate([a.stations, b.stations])
    regions = {s: "A" for s in a.stations} | {s: "B" for s in b.stations}
    return a, X, stations, regions


def fit_timed(gen, data):
    """Fit on one region and print the time it took."""
    start = time.perf_counter()
    gen.fit(data.X, data.stations)
    seconds = time.perf_counter() - start
    print(f"{type(gen).__name__} on region A: {seconds:.1f} s ({len(data.X)} records)")
    return seconds


def print_report(title, report, regions, real_ratio):
    """The per-station table and the per-region summary of one report."""
    rows, f0_ok, pga_ok, real_ok = _table(report, regions, real_ratio)
    print(f"\n== {title}")
    print(
        "PGA g/r: median generated / median real PGA; PGA r/r: the same "
        "between two random halves of the real records (the noise floor)"
    )
    print(
        f"{'station':<6}{'reg':>3}{'f0 real':>9}{'f0 gen':>9}{'sd real':>8}"
        f"{'sd gen':>8}{'PGA g/r':>8}{'PGA r/r':>8}{'1-JS':>7}"
    )
    print("\n".join(rows))
    in_a = np.array([regions[s] == "A" for s in report.stations])
    ratios = np.array(report.table["pga_median_ratio"])
    for name, mask in (("A (trained)", in_a), ("B (add_stations)", ~in_a)):
        print(
            f"region {name}: f0 within 10 %: {f0_ok[mask].mean():.0%} of stations; "
            f"PGA within x1.5: {pga_ok[mask].mean():.0%} (real halves: "
            f"{real_ok[mask].mean():.0%}); median PGA ratio "
            f"{np.median(ratios[mask]):.2f}"
        )
    print(
        "overall: "
        + ", ".join(
            f"{k} {v:.3f} (ceiling {report.ceiling[k]:.3f})" for k, v in report.metrics.items()
        )
    )


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--stations", type=int, default=8)
    parser.add_argument("--records", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def main():
    args = parse_args(__doc__.splitlines()[0])
    a, X, stations, regions = two_regions(args.stations, args.records, args.seed)
    gen = TimesNetGenerator(random_state=args.seed, verbose=1)
    fit_timed(gen, a)
    scorer = HVSRAlignmentScorer(random_state=args.seed)
    real_ratio = _real_pga_ratio(X, stations, args.seed)
    for restore in (True, False):
        report = scorer.report(gen.set_params(restore_energy=restore), X, stations)
        print_report(f"restore_energy={restore}", report, regions, real_ratio)


if __name__ == "__main__":
    main()
