"""Does the network earn its place? TimesNet-Gen against training-free references.

For each seed: simulate every region preset of ``make_strong_motion``
(``--stations`` x ``--records`` each), train the default TimesNetGenerator
on one region (``--train``) and register the others with frozen weights;
then score, on the same data and splits (``IntensityMeasureScorer`` and
``HVSRAlignmentScorer`` with ``random_state=seed``: each station's records
split into a pool the generator draws from and held-out records):

- ``TimesNet-Gen, mixing``: TimesNet-Gen with ``MixingSampler()``
  (network reconstructions mixed, the sampler of skgen 0.1);
- ``no-network stack``: ``StochasticGenerator(source="records")``, the same
  sampler mixing the station's normalised records themselves (every
  reconstruction replaced by the record it reconstructs);
- ``stochastic``: ``StochasticGenerator()``, the same sampler mixing fresh
  white noise (noise + the same restores: the stochastic method, the
  reference);
- ``TimesNet-Gen, evolutionary``: the same fitted network sampled with
  ``EvolutionarySampler()``, TimesNet-Gen's default (one reconstruction per
  generated record, new phases in its time-frequency cells);
- ``evolutionary``: ``StochasticGenerator(source="records",
  sampler=EvolutionarySampler())``, the same sampler on the records
  themselves (no network).

Rows per generator and region, mean [min-max] over seeds: generated / pool
distortion ratios (PGA, PSA, FAS, D5-95, Arias), within-station spread
ratios of ln PSA 0.05-2 s, ln PGA, ln D5-95 (generated / held-out, with
"spread real" the pool's / held-out, and "spread / pool" = generated /
pool, the generator's own compression of the spread), novelty, the
classifier two-sample accuracy of generated vs held-out records on
time-frequency and on basic features (0.5: indistinguishable), and f0
alignment; each next to its real-vs-real ceiling.

    nice python benchmarks/ablation_network.py --seeds 0 1 2
"""

import copy
import time

import numpy as np
from _common import MEASURES, parse, parser, print_table, regions_of, simulate, write_json

from skgen import (
    EvolutionarySampler,
    HVSRAlignmentScorer,
    IntensityMeasureScorer,
    MixingSampler,
    StochasticGenerator,
    TimesNetGenerator,
)

GENERATORS = (
    "TimesNet-Gen, mixing",
    "no-network stack",
    "stochastic",
    "TimesNet-Gen, evolutionary",
    "evolutionary",
)


def score(generator, bunch, seed):
    """One region's row: distortions, spreads, novelty, both c2st, f0."""
    report = {
        kind: IntensityMeasureScorer(c2st_features=kind, random_state=seed).report(
            generator, bunch.X, bunch.stations
        )
        for kind in ("time_frequency", "basic")
    }
    im = report["time_frequency"]
    f0 = HVSRAlignmentScorer(random_state=seed).report(generator, bunch.X, bunch.stations)
    row = {name: float(np.exp(im.distortion[m]["all"])) for m, name in MEASURES.items()}
    for key, value in im.spread.items():
        row[f"spread {key}"] = value
    row["spread real"] = im.spread_ceiling["all"]
    row["spread / pool"] = im.spread["all"] / im.spread_ceiling["all"]
    row["novelty"] = float(np.mean(im.table["novelty_generated"]))
    row["novelty real"] = float(np.mean(im.table["novelty_real"]))
    row["c2st tf"] = 1 - im.metrics["c2st"]
    row["c2st tf real"] = 1 - im.ceiling["c2st"]
    row["c2st basic"] = 1 - report["basic"].metrics["c2st"]
    row["c2st basic real"] = 1 - report["basic"].ceiling["c2st"]
    row["f0 alignment"] = float(f0.metrics["alignment"])
    row["f0 ceiling"] = float(f0.ceiling["alignment"])
    return row


def main():
    p = parser(__doc__.splitlines()[0], stations=6, records=10)
    p.add_argument("--epochs", type=int, default=None, help="TimesNet-Gen epochs (default: its)")
    p.add_argument(
        "--precision", default="auto", choices=["auto", "float32", "bfloat16"], help="training"
    )
    args = parse(p)
    regions = regions_of(args.train)
    runs = {name: [] for name in GENERATORS}
    seconds = {name: [] for name in GENERATORS}
    for seed in args.seeds:
        data = simulate(regions, args.stations, args.records, seed)
        timesnet = TimesNetGenerator(
            sampler=MixingSampler(), precision=args.precision, random_state=seed
        )
        if args.epochs is not None:
            timesnet.set_params(epochs=args.epochs)
        generators = {
            "TimesNet-Gen, mixing": timesnet,
            "no-network stack": StochasticGenerator(source="records"),
            "stochastic": StochasticGenerator(),
            "evolutionary": StochasticGenerator(source="records", sampler=EvolutionarySampler()),
        }
        for name, generator in generators.items():
            start = time.perf_counter()
            generator.fit(data[args.train].X, data[args.train].stations)
            for region in regions[1:]:
                generator.add_stations(data[region].X, data[region].stations)
            seconds[name].append(time.perf_counter() - start)
            runs[name].append({region: score(generator, data[region], seed) for region in regions})
            print(f"seed {seed}: {name} scored ({seconds[name][-1]:.0f} s to fit)", flush=True)
        # The same fitted network, sampled one record at a time (no refit).
        evolved = copy.copy(timesnet).set_params(sampler=EvolutionarySampler())
        seconds["TimesNet-Gen, evolutionary"].append(seconds["TimesNet-Gen, mixing"][-1])
        runs["TimesNet-Gen, evolutionary"].append(
            {region: score(evolved, data[region], seed) for region in regions}
        )
        print(f"seed {seed}: TimesNet-Gen, evolutionary scored", flush=True)
    for name in GENERATORS:
        print_table(name, runs[name], args.train, seconds[name])
    write_json(args.json, {"args": vars(args), "runs": runs, "fit_seconds": seconds})


if __name__ == "__main__":
    main()
