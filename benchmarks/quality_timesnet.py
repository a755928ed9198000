"""Realism of TimesNet-Gen beyond f0, per region preset, over seeds.

For each seed: simulate every region preset of ``make_strong_motion``
(``--stations`` x ``--records`` each), train the generator on one region
(``--train``, default "A"), register the other regions with ``add_stations``
(frozen weights), and score each region with the package's scorers, whose
protocol splits every station's records into a pool the generator draws from
and held-out records:

- :class:`skgen.IntensityMeasureScorer`: the generator's distortion,
  generated / pool (the exponential of the mean log ratio over stations) of
  PSA (5 % damped, averaged over periods), PGA, PGV, Arias intensity, D5-95
  and Fourier amplitude; novelty (median :func:`skgen.scoring.max_cross_correlation`
  of generated records with the pool, mean over stations) next to the same
  for held-out real records; the classifier two-sample test accuracy
  (:func:`skgen.scoring.c2st_score`, chance 0.5) next to its real-vs-real
  ceiling;
- :class:`skgen.HVSRAlignmentScorer`: f0 alignment next to its split-half
  real-vs-real ceiling.

The training-free ``StochasticGenerator()`` is scored beside every run.
Each value is the mean over seeds, with the spread (min-max) in brackets;
``*`` marks a distortion outside its target (``_common.TARGETS``).

Sampling variants are compared on the same fitted networks (``--variants``,
names from ``_common.SAMPLING_VARIANTS``); training variants need one run
each (``--params key=value ...`` sets constructor parameters).

    nice -n 10 python benchmarks/quality_timesnet.py --stations 6 --records 10 \
        --seeds 0 1 2 --variants default
"""

from _common import (
    SAMPLING_VARIANTS,
    evaluate,
    fit_and_register,
    missed_target,
    parse,
    parse_params,
    parser,
    print_table,
    regions_of,
    simulate,
    write_json,
)

from skgen import StochasticGenerator, TimesNetGenerator

# The training-free reference scored beside every run.
REFERENCE = "stochastic reference"


def main():
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument(
        "--variants", nargs="+", default=["default"], choices=sorted(SAMPLING_VARIANTS)
    )
    cli.add_argument("--params", nargs="*", default=[], help="constructor key=value")
    args = parse(cli)
    params = parse_params(args.params)
    regions = regions_of(args.train)
    runs = {name: [] for name in [*args.variants, REFERENCE]}
    seconds, reference_seconds = [], []
    for seed in args.seeds:
        data = simulate(regions, args.stations, args.records, seed)
        generator = TimesNetGenerator(random_state=seed, **params)
        seconds.append(fit_and_register(generator, data, args.train))
        for name in args.variants:
            defaults = {key: generator.get_params()[key] for key in SAMPLING_VARIANTS[name]}
            generator.set_params(**SAMPLING_VARIANTS[name])
            runs[name].append(evaluate(generator, data, seed))
            generator.set_params(**defaults)
        reference = StochasticGenerator()
        reference_seconds.append(fit_and_register(reference, data, args.train))
        runs[REFERENCE].append(evaluate(reference, data, seed))
        print(f"seed {seed}: fit {seconds[-1]:.0f} s", flush=True)
        write_json(args.json, {"params": params, "seconds": seconds, "runs": runs})
    print(f"parameters: {params or 'defaults'}; {args.stations} stations x {args.records} records")
    for name in runs:
        fits = reference_seconds if name == REFERENCE else seconds
        print_table(name, runs[name], args.train, fits, mark=missed_target)


if __name__ == "__main__":
    main()
