"""TimesNet-Gen against the spectrogram CVAE and the training-free
generators on the demo data, with intervals and paired tests.

The setting of ``skgen demo``: the generators trained on region A (its data
sizes, ``_common.DEMO``; 60 s at 100 Hz) with their CPU defaults, region B's
stations registered with frozen weights; then :func:`skgen.compare` over
``--n-repeats`` pool/held-out splits and generation seeds, and the
real-vs-real ceilings of one split. Prints the table and writes it as JSON.

Besides TimesNet-Gen (default sampler: ``EvolutionarySampler``) and the
CVAE, the table always holds TimesNet-Gen with ``MixingSampler()`` (the same
fitted network), the training-free reference ``StochasticGenerator()`` and
``StochasticGenerator(source="records", sampler=EvolutionarySampler())``
(the default sampler without a network). ``--paper`` adds TimesNet-Gen with
the published code's sampling (``MixingSampler.paper()`` on the same
network); ``--cvae-params key=value ...`` adds a CVAE with those parameters
(e.g. the best of ``examples/tune_cvae.py``) next to the default one;
``--timesnet key=value ...`` overrides TimesNet-Gen's parameters.

    python benchmarks/compare_models.py                  # about 15 min on 2 cores
    python benchmarks/compare_models.py --quick          # the quick demo's setting
    python benchmarks/compare_models.py --paper --cvae-params beta=1e-3 latent_dim=16
"""

import argparse
import copy
import json
import time

import numpy as np
import torch
from _common import DEMO, parse_params, simulate
from sklearn.base import clone

from skgen import (
    EvolutionarySampler,
    HVSRAlignmentScorer,
    IntensityMeasureScorer,
    MixingSampler,
    SpectrogramCVAEGenerator,
    StochasticGenerator,
    TimesNetGenerator,
    compare,
)

METRICS = (
    "alignment",
    "f0_js",
    "log_hvsr",
    "psa",
    "pga",
    "duration",
    "fas",
    "novelty",
    "c2st",
    "spread",
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the quick demo's data and epochs")
    parser.add_argument("--n-repeats", type=int, default=5)
    parser.add_argument("--records", type=int, default=None, help="per station (default: demo's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default="compare_models.json")
    parser.add_argument("--paper", action="store_true", help="add the published sampling")
    parser.add_argument("--cvae-params", nargs="*", default=None, help="a tuned CVAE: key=value")
    parser.add_argument("--timesnet", nargs="*", default=[], help="TimesNet-Gen key=value")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    config = DEMO["quick" if args.quick else "full"]
    data = list(
        simulate(
            ["A", "B"],
            config["n_stations"],
            args.records or config["records_per_station"],
            args.seed,
        ).values()
    )
    X = np.concatenate([d.X for d in data])
    stations = np.concatenate([d.stations for d in data])
    models = {
        "TimesNet-Gen": TimesNetGenerator(random_state=args.seed),
        "Spectrogram CVAE": SpectrogramCVAEGenerator(random_state=args.seed),
    }
    for name, model in models.items():
        model.set_params(**config["overrides"].get(name, {}))
    models["TimesNet-Gen"].set_params(**parse_params(args.timesnet))
    if args.cvae_params is not None:
        tuned = clone(models["Spectrogram CVAE"]).set_params(**parse_params(args.cvae_params))
        models["Spectrogram CVAE (tuned)"] = tuned
    for name, model in models.items():
        model.set_params(verbose=0)
        start = time.perf_counter()
        model.fit(data[0].X, data[0].stations)
        print(f"fit {name}: {time.perf_counter() - start:.0f} s")
    # Samplers only: the same fitted network, sampled another way.
    network = models.pop("TimesNet-Gen")
    first = {
        "TimesNet-Gen": network,
        "TimesNet-Gen (mixing)": copy.deepcopy(network).set_params(sampler=MixingSampler()),
    }
    if args.paper:
        first["TimesNet-Gen (paper)"] = copy.deepcopy(network).set_params(
            sampler=MixingSampler.paper()
        )
    references = {
        "Stochastic (reference)": StochasticGenerator(),
        "Evolutionary, no network": StochasticGenerator(
            source="records", sampler=EvolutionarySampler()
        ),
    }
    for reference in references.values():
        reference.fit(data[0].X, data[0].stations)
    models = {**first, **models, **references}

    start = time.perf_counter()
    result = compare(
        models, X, stations, scoring=METRICS, n_repeats=args.n_repeats, random_state=args.seed
    )
    print(f"compare ({args.n_repeats} repeats): {time.perf_counter() - start:.0f} s\n")

    # Real-vs-real ceilings of the first repeat's split (the same for every
    # model: pool records in place of generated ones).
    seed = result.settings["seeds"][0]
    model = next(iter(models.values()))
    hvsr_ceiling = HVSRAlignmentScorer(random_state=seed).report(model, X, stations).ceiling
    im_ceiling = IntensityMeasureScorer(random_state=seed).report(model, X, stations).ceiling
    ceiling = {**hvsr_ceiling, **im_ceiling}

    print(result.table())
    print("\nreal-vs-real ceiling (repeat 1): ")
    print("  ".join(f"{m} {ceiling[m]:.3f}" for m in result.metrics))
    print("\ntests:")
    for metric, test in result.tests.items():
        print(f"  {metric}: {test}")
    content = dict(
        result.to_dict(),
        ceiling={m: ceiling[m] if np.isfinite(ceiling[m]) else None for m in result.metrics},
    )
    with open(args.out, "w") as stream:
        json.dump(content, stream, indent=2, allow_nan=False)
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
