"""The field's yardsticks for TimesNet-Gen and the spectrogram CVAE per region preset.

For each region preset and seed: ``make_strong_motion(region=..., n_stations=4,
records_per_station=10, random_state=seed)``, each generator fitted on it
with its records' magnitudes and distances (small configurations, below),
then scored on the same records with the shared protocol (half of each
station's records as pool, the other half held out):
:class:`skgen.scoring.GoodnessOfFitScorer` (Anderson 2004, mean per
criterion over bands and pairs) and
:class:`skgen.scoring.GroundMotionModelScorer` (BSSA14, Vs30 400 m/s),
each with its real-vs-real ceiling. Prints the tables (mean over seeds) and
writes every number as JSON.

    nice python benchmarks/validation_yardsticks.py --regions A B C --seeds 0 1 2
"""

import argparse
import json
import time

import numpy as np
import torch

from skgen import SpectrogramCVAEGenerator, TimesNetGenerator
from skgen.datasets import make_strong_motion
from skgen.scoring import GMM_METRICS, GOF_CRITERIA, GoodnessOfFitScorer, GroundMotionModelScorer

VS30 = 400.0
MODELS = {
    "TimesNet-Gen": lambda seed: TimesNetGenerator(epochs=10, random_state=seed),
    "Spectrogram CVAE": lambda seed: SpectrogramCVAEGenerator(epochs=10, random_state=seed),
}


def run(region, seed, name):
    data = make_strong_motion(
        region=region, n_stations=4, records_per_station=10, random_state=seed
    )
    start = time.perf_counter()
    model = MODELS[name](seed).fit(
        data.X, data.stations, magnitude=data.magnitude, distance=data.distance
    )
    fit_seconds = time.perf_counter() - start
    gof = GoodnessOfFitScorer(random_state=seed).report(model, data.X, data.stations)
    gmm = GroundMotionModelScorer(vs30=VS30, random_state=seed).report(
        model, data.X, data.stations, magnitude=data.magnitude, distance=data.distance
    )
    return {
        "region": region,
        "seed": seed,
        "model": name,
        "fit_seconds": fit_seconds,
        "gof": gof.summary(),
        "gmm": gmm.summary(),
    }


def print_tables(rows):
    keys = sorted({(r["region"], r["model"]) for r in rows})
    print("\nAnderson GOF, mean per criterion (generated | real-vs-real ceiling), mean over seeds")
    print(
        f"{'region':<7}{'model':<18}"
        + "".join(f"{c[:10]:>11}" for c in GOF_CRITERIA)
        + "      total"
    )
    for region, name in keys:
        runs = [r for r in rows if r["region"] == region and r["model"] == name]
        for part, label in (("generated", name), ("ceiling", "  real-vs-real")):
            means = [np.mean([r["gof"][part][c] for r in runs]) for c in GOF_CRITERIA]
            total = np.mean(
                [r["gof"]["gof" if part == "generated" else "gof_ceiling"] for r in runs]
            )
            print(
                f"{region:<7}{label:<18}"
                + "".join(f"{m:>11.2f}" for m in means)
                + f"{total:>11.2f}"
            )
    print(f"\nBSSA14 residuals (Vs30 {VS30:g} m/s), mean over seeds: generated (ceiling)")
    print(f"{'region':<7}{'model':<18}" + "".join(f"{m:>20}" for m in GMM_METRICS))
    for region, name in keys:
        runs = [r for r in rows if r["region"] == region and r["model"] == name]
        cells = "".join(
            f"{np.mean([r['gmm'][f'gmm_{m}'] for r in runs]):>11.3f} "
            f"({np.mean([r['gmm'][f'gmm_{m}_ceiling'] for r in runs]):.3f})"
            for m in GMM_METRICS
        )
        print(f"{region:<7}{name:<18}{cells}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", nargs="+", default=["A", "B", "C"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--out", default="validation_yardsticks.json")
    args = parser.parse_args()
    torch.set_num_threads(1)
    rows = []
    for seed in args.seeds:
        for region in args.regions:
            for name in args.models:
                rows.append(run(region, seed, name))
                print(
                    f"{region} seed {seed} {name}: gof {rows[-1]['gof']['gof']:.2f} "
                    f"(ceiling {rows[-1]['gof']['gof_ceiling']:.2f}), acceptance "
                    f"{rows[-1]['gmm']['gmm_acceptance']:.2f} "
                    f"(ceiling {rows[-1]['gmm']['gmm_acceptance_ceiling']:.2f}), "
                    f"fit {rows[-1]['fit_seconds']:.0f} s",
                    flush=True,
                )
                with open(args.out, "w") as stream:
                    json.dump(rows, stream, indent=1)
    print_tables(rows)


if __name__ == "__main__":
    main()
