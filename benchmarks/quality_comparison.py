"""TimesNet-Gen against the spectrogram CVAE baseline, side by side.

The protocol of ``quality_timesnet.py``: per seed, every region preset is
simulated, each generator trains on one region with its default CPU
configuration (``--timesnet``/``--cvae key=value`` override parameters), the
other regions are registered with frozen weights (``add_stations``), and the
intensity-measure table (generated / pool), novelty and f0 alignment are
printed per region, mean and spread over seeds.

    nice -n 10 python benchmarks/quality_comparison.py --stations 6 --records 10
"""

import argparse
import time

from quality_timesnet import evaluate, parse_params, print_table, simulate

from skgen import SpectrogramCVAEGenerator, TimesNetGenerator
from skgen.datasets import REGIONS


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=6)
    parser.add_argument("--records", type=int, default=10)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--train", default="A", choices=sorted(REGIONS))
    parser.add_argument("--timesnet", nargs="*", default=[], help="key=value")
    parser.add_argument("--cvae", nargs="*", default=[], help="key=value")
    args = parser.parse_args()
    regions = [args.train] + [r for r in sorted(REGIONS) if r != args.train]
    models = {
        "TimesNetGenerator": (TimesNetGenerator, parse_params(args.timesnet)),
        "SpectrogramCVAEGenerator": (SpectrogramCVAEGenerator, parse_params(args.cvae)),
    }
    runs = {name: [] for name in models}
    seconds = {name: [] for name in models}
    for seed in args.seeds:
        data = simulate(regions, args.stations, args.records, seed)
        for name, (cls, params) in models.items():
            generator = cls(random_state=seed, **params)
            start = time.perf_counter()
            generator.fit(data[args.train].X, data[args.train].stations)
            seconds[name].append(time.perf_counter() - start)
            for region in regions[1:]:
                generator.add_stations(data[region].X, data[region].stations)
            runs[name].append(evaluate(generator, data, seed))
        print(f"seed {seed} done", flush=True)
    for name in models:
        print_table(
            f"{name} {models[name][1] or 'defaults'}", runs[name], args.train, seconds[name]
        )


if __name__ == "__main__":
    main()
