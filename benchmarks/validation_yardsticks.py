"""The field's yardsticks for every generator, next to the training-free reference.

For each region preset and seed: ``make_strong_motion(region=..., n_stations=4,
records_per_station=10, random_state=seed)``, each generator fitted on it
with its records' magnitudes and distances (small configurations, below),
then scored on the same records with the shared protocol (half of each
station's records as pool, the other half held out):
:class:`skgen.scoring.GoodnessOfFitScorer` (Anderson 2004, mean per
criterion over bands and pairs) and
:class:`skgen.scoring.GroundMotionModelScorer` (BSSA14, Vs30 400 m/s),
each with its real-vs-real ceiling (docs/validation.rst, "Numbers").

The generators: TimesNet-Gen with its default sampler and, from the same
fitted network (no refit), with ``MixingSampler()``; the spectrogram CVAE;
the training-free ``StochasticGenerator()`` (the reference every generator
is compared with) and ``StochasticGenerator(source="records",
sampler=EvolutionarySampler())`` (the evolutionary sampler on the records,
no network). Prints the tables (mean over seeds), the spread over seeds of
the total GOF and of the acceptance fraction, and writes every number (per
seed) as JSON.

    nice python benchmarks/validation_yardsticks.py --seeds 0 1 2
"""

import argparse
import copy
import json
import time

import numpy as np
import torch

from skgen import (
    EvolutionarySampler,
    MixingSampler,
    SpectrogramCVAEGenerator,
    StochasticGenerator,
    TimesNetGenerator,
)
from skgen.datasets import make_strong_motion
from skgen.scoring import GMM_METRICS, GOF_CRITERIA, GoodnessOfFitScorer, GroundMotionModelScorer

VS30 = 400.0
REGIONS = ["A", "B", "C", "basin"]
# Generators fitted on the data.
FITTED = {
    "TimesNet-Gen": lambda seed: TimesNetGenerator(epochs=10, random_state=seed),
    "Spectrogram CVAE": lambda seed: SpectrogramCVAEGenerator(epochs=10, random_state=seed),
    "Stochastic (reference)": lambda seed: StochasticGenerator(random_state=seed),
    "Evolutionary (no network)": lambda seed: StochasticGenerator(
        source="records", sampler=EvolutionarySampler(), random_state=seed
    ),
}
# Generators made from a fitted one without refitting: (fitted name, change).
DERIVED = {
    "TimesNet-Gen (mixing)": (
        "TimesNet-Gen",
        lambda model: copy.copy(model).set_params(sampler=MixingSampler()),
    ),
}
MODELS = [
    "TimesNet-Gen",
    "TimesNet-Gen (mixing)",
    "Spectrogram CVAE",
    "Stochastic (reference)",
    "Evolutionary (no network)",
]


def score(model, data, seed):
    gof = GoodnessOfFitScorer(random_state=seed).report(model, data.X, data.stations)
    gmm = GroundMotionModelScorer(vs30=VS30, random_state=seed).report(
        model, data.X, data.stations, magnitude=data.magnitude, distance=data.distance
    )
    return gof.summary(), gmm.summary()


def run(region, seed, names):
    """One row per model in ``names`` on one data set; each network fitted once."""
    data = make_strong_motion(
        region=region, n_stations=4, records_per_station=10, random_state=seed
    )
    fitted, fit_seconds = {}, {}
    for name in names:
        base, change = DERIVED.get(name, (name, None))
        if base not in fitted:
            start = time.perf_counter()
            fitted[base] = FITTED[base](seed).fit(
                data.X, data.stations, magnitude=data.magnitude, distance=data.distance
            )
            fit_seconds[base] = time.perf_counter() - start
        model = fitted[base] if change is None else change(fitted[base])
        start = time.perf_counter()
        gof, gmm = score(model, data, seed)
        row = {
            "region": region,
            "seed": seed,
            "model": name,
            "fitted_as": base,
            "fit_seconds": fit_seconds[base],
            "score_seconds": time.perf_counter() - start,
            "gof": gof,
            "gmm": gmm,
        }
        yield row


def _runs(rows, region, name):
    return [r for r in rows if r["region"] == region and r["model"] == name]


def _ceiling(rows, region, path):
    """The real-vs-real value of one region, mean over seeds. The splits are
    the same for every model, so their ceilings should agree; a warning says
    when they do not (the mean over models is then shown)."""
    values = {}
    for r in rows:
        if r["region"] == region:
            values.setdefault(r["seed"], []).append(path(r))
    if any(np.ptp(v) > 1e-9 for v in values.values()):
        print(f"warning: region {region}: ceilings differ between models: {values}")
    return np.mean([np.mean(v) for v in values.values()])


def _spread(values):
    """Mean ± standard deviation over seeds (ddof=1; 0 for one seed)."""
    std = np.std(values, ddof=1) if len(values) > 1 else 0.0
    return f"{np.mean(values):.2f} ± {std:.2f}"


def print_tables(rows):
    regions = list(dict.fromkeys(r["region"] for r in rows))
    names = [m for m in MODELS if any(r["model"] == m for r in rows)]
    width = max(len(m) for m in names + ["real-vs-real"]) + 2
    print("\nAnderson GOF, mean per criterion over bands and pairs, mean over seeds")
    print(
        f"{'region':<7}{'model':<{width}}"
        + "".join(f"{f'C{i}':>7}" for i in range(1, len(GOF_CRITERIA) + 1))
        + "       total (± std)"
    )
    for region in regions:
        for name in names:
            runs = _runs(rows, region, name)
            means = [np.mean([r["gof"]["generated"][c] for r in runs]) for c in GOF_CRITERIA]
            total = _spread([r["gof"]["gof"] for r in runs])
            print(
                f"{region:<7}{name:<{width}}"
                + "".join(f"{m:>7.2f}" for m in means)
                + f"{total:>20}"
            )
        means = [
            _ceiling(rows, region, lambda r, c=c: r["gof"]["ceiling"][c]) for c in GOF_CRITERIA
        ]
        total = _ceiling(rows, region, lambda r: r["gof"]["gof_ceiling"])
        print(
            f"{region:<7}{'real-vs-real':<{width}}"
            + "".join(f"{m:>7.2f}" for m in means)
            + f"{total:>13.2f}"
        )
    print(f"\nBSSA14 residuals (Vs30 {VS30:g} m/s), mean over seeds; greater is better")
    header = "".join(f"{m.removeprefix('gmm_'):>13}" for m in GMM_METRICS)
    print(f"{'region':<7}{'model':<{width}}{header}")
    for region in regions:
        for name in names:
            runs = _runs(rows, region, name)
            cells = "".join(f"{np.mean([r['gmm'][m] for r in runs]):>13.2f}" for m in GMM_METRICS)
            print(f"{region:<7}{name:<{width}}{cells}")
        cells = "".join(
            f"{_ceiling(rows, region, lambda r, m=m: r['gmm'][f'{m}_ceiling']):>13.2f}"
            for m in GMM_METRICS
        )
        print(f"{region:<7}{'real-vs-real':<{width}}{cells}")
    print("\nSpread over seeds (mean ± std, ddof=1): total GOF | BSSA14 acceptance")
    for region in regions:
        for name in names:
            runs = _runs(rows, region, name)
            print(
                f"{region:<7}{name:<{width}}"
                f"{_spread([r['gof']['gof'] for r in runs]):>14}"
                f"{_spread([r['gmm']['gmm_acceptance'] for r in runs]):>14}"
            )
        ceiling = [r for r in rows if r["region"] == region and r["model"] == names[0]]
        print(
            f"{region:<7}{'real-vs-real':<{width}}"
            f"{_spread([r['gof']['gof_ceiling'] for r in ceiling]):>14}"
            f"{_spread([r['gmm']['gmm_acceptance_ceiling'] for r in ceiling]):>14}"
        )
    print("\nMean fit | scoring seconds")
    for name in names:
        runs = [r for r in rows if r["model"] == name]
        print(
            f"{name:<{width}}{np.mean([r['fit_seconds'] for r in runs]):>8.0f}"
            f"{np.mean([r['score_seconds'] for r in runs]):>8.0f}"
            + ("  (fit shared)" if runs[0]["fitted_as"] != name else "")
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", nargs="+", default=REGIONS)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--models", nargs="+", default=MODELS, choices=MODELS)
    parser.add_argument("--out", default="validation_yardsticks.json")
    args = parser.parse_args()
    torch.set_num_threads(1)
    rows = []
    for seed in args.seeds:
        for region in args.regions:
            for row in run(region, seed, args.models):
                rows.append(row)
                print(
                    f"{region} seed {seed} {row['model']}: gof {row['gof']['gof']:.2f} "
                    f"(ceiling {row['gof']['gof_ceiling']:.2f}), acceptance "
                    f"{row['gmm']['gmm_acceptance']:.2f} "
                    f"(ceiling {row['gmm']['gmm_acceptance_ceiling']:.2f}), "
                    f"fit {row['fit_seconds']:.0f} s, scoring {row['score_seconds']:.0f} s",
                    flush=True,
                )
                with open(args.out, "w") as stream:
                    json.dump(rows, stream, indent=1)
    print_tables(rows)


if __name__ == "__main__":
    main()
