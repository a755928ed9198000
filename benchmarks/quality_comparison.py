"""TimesNet-Gen against the spectrogram CVAE baseline, side by side.

The same split as ``quality_timesnet.py``: both generators train on region
"A" with their default CPU configurations, region "B" is registered with
frozen weights (``add_stations``), and each station's records are split in
half (pool / compared). Prints the per-station table of each model and then
every overall metric of both with the real-vs-real ceiling. Nothing is tuned
on this split: both run with their defaults.

    python benchmarks/quality_comparison.py [--stations 8] [--records 20]
"""

from quality_timesnet import _real_pga_ratio, fit_timed, parse_args, print_report, two_regions

from skgen import HVSRAlignmentScorer, SpectrogramCVAEGenerator, TimesNetGenerator
from skgen.scoring import METRICS


def main():
    args = parse_args(__doc__.splitlines()[0])
    a, X, stations, regions = two_regions(args.stations, args.records, args.seed)
    scorer = HVSRAlignmentScorer(random_state=args.seed)
    real_ratio = _real_pga_ratio(X, stations, args.seed)
    reports, seconds = {}, {}
    for gen in (
        TimesNetGenerator(random_state=args.seed),
        SpectrogramCVAEGenerator(random_state=args.seed),
    ):
        name = type(gen).__name__
        seconds[name] = fit_timed(gen, a)
        reports[name] = scorer.report(gen, X, stations)
        print_report(name, reports[name], regions, real_ratio)

    print(f"\n{'':<26}" + "".join(f"{m:>15}" for m in METRICS) + f"{'fit (s)':>9}")
    for name, report in reports.items():
        print(
            f"{name:<26}"
            + "".join(f"{report.metrics[m]:>15.3f}" for m in METRICS)
            + f"{seconds[name]:>9.1f}"
        )
    ceiling = next(iter(reports.values())).ceiling
    print(f"{'real vs real (ceiling)':<26}" + "".join(f"{ceiling[m]:>15.3f}" for m in METRICS))


if __name__ == "__main__":
    main()
