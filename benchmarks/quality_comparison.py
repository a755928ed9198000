"""TimesNet-Gen against the spectrogram CVAE baseline, side by side, with the
training-free stochastic reference.

The protocol of ``quality_timesnet.py``: per seed, every region preset is
simulated, each generator trains on one region with its default CPU
configuration (``--timesnet``/``--cvae key=value`` override parameters), the
other regions are registered with frozen weights (``add_stations``), and the
distortion table (generated / pool), novelty, c2st and f0 alignment are
printed per region, mean and spread over seeds.

    nice -n 10 python benchmarks/quality_comparison.py --stations 6 --records 10
"""

from _common import (
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

from skgen import SpectrogramCVAEGenerator, StochasticGenerator, TimesNetGenerator


def main():
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument("--timesnet", nargs="*", default=[], help="key=value")
    cli.add_argument("--cvae", nargs="*", default=[], help="key=value")
    args = parse(cli)
    regions = regions_of(args.train)
    models = {
        "TimesNetGenerator": (TimesNetGenerator, parse_params(args.timesnet)),
        "SpectrogramCVAEGenerator": (SpectrogramCVAEGenerator, parse_params(args.cvae)),
        # the training-free reference every generator is compared with
        "StochasticGenerator": (StochasticGenerator, {}),
    }
    runs = {name: [] for name in models}
    seconds = {name: [] for name in models}
    for seed in args.seeds:
        data = simulate(regions, args.stations, args.records, seed)
        for name, (cls, params) in models.items():
            generator = cls(random_state=seed, **params)
            seconds[name].append(fit_and_register(generator, data, args.train))
            runs[name].append(evaluate(generator, data, seed))
        print(f"seed {seed} done", flush=True)
        write_json(args.json, {"seconds": seconds, "runs": runs})
    for name in models:
        title = f"{name} {models[name][1] or 'defaults'}"
        print_table(title, runs[name], args.train, seconds[name], mark=missed_target)


if __name__ == "__main__":
    main()
