"""
Cross-region model selection with scikit-learn's own tools
==========================================================

The paper trains on one region (AFAD, Turkey) and generates for the stations
of another (NGA-West2, California) with frozen weights. With region labels
as ``groups``, ``LeaveOneGroupOut`` reproduces that protocol: each fold
trains on one region, and :class:`skgen.HVSRAlignmentScorer` registers the
held-out region's stations on a copy of the fitted model (no gradient step),
generates for them and compares the generated records with real ones.

This example

1. cross-validates both generators (TimesNet-Gen and the spectrogram CVAE)
   across two synthetic regions and prints a table of every scorer metric;
2. chooses TimesNet-Gen's sampler (records with new phases, or mixtures of
   records) with ``GridSearchCV`` on the same folds, training each fold's
   network once (``memory``);
3. plots the f0 confusion matrices of both generators, trained on region A
   and scored on region B.

From the command line::

    python examples/cross_region_selection.py            # a dozen full-size fits: slow on a CPU
    python examples/cross_region_selection.py --quick    # tiny, seconds

The documentation runs the quick form (``SKGEN_EXAMPLES_QUICK=1``).
"""

import argparse
import os
import tempfile
from pathlib import Path

import numpy as np
from sklearn.model_selection import GridSearchCV, LeaveOneGroupOut, cross_validate

from skgen import (
    EvolutionarySampler,
    HVSRAlignmentScorer,
    MixingSampler,
    SpectrogramCVAEGenerator,
    TimesNetGenerator,
    make_strong_motion,
)
from skgen.plotting import plot_f0_confusion
from skgen.scoring import METRICS

# Full: the demo's layout (8 stations x 20 records of 60 s per region) and
# each generator's CPU defaults. Quick: 3 stations x 4 records of 10.24 s and
# networks a few hundred parameters wide, trained for an epoch or two.
FULL = dict(
    data=dict(n_stations=8, records_per_station=20, n_times=6000),
    models={"TimesNet-Gen": dict(), "Spectrogram CVAE": dict()},
    grid={"sampler": [EvolutionarySampler(), MixingSampler()]},
)
QUICK = dict(
    data=dict(n_stations=3, records_per_station=4, n_times=1024),
    models={
        "TimesNet-Gen": dict(d_model=4, d_ff=8, epochs=2, noise_epochs=1, batch_size=8),
        "Spectrogram CVAE": dict(
            n_fft=64, hop_length=16, channels=(4, 8), latent_dim=4, epochs=2, griffin_lim_iters=4
        ),
    },
    grid={"sampler": [EvolutionarySampler(), MixingSampler(n_mix=2)]},
)
CLASSES = {"TimesNet-Gen": TimesNetGenerator, "Spectrogram CVAE": SpectrogramCVAEGenerator}

parser = argparse.ArgumentParser(description="Cross-region model selection.")
parser.add_argument(
    "--quick",
    action="store_true",
    default=os.environ.get("SKGEN_EXAMPLES_QUICK") == "1",
    help="a tiny run, seconds (default when SKGEN_EXAMPLES_QUICK=1)",
)
parser.add_argument("--out", help="folder for the figures (default: a temp folder)")
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
config = QUICK if args.quick else FULL
out = Path(args.out or tempfile.mkdtemp(prefix="skgen-cross-region-"))
out.mkdir(parents=True, exist_ok=True)

# %%
# Two regions
# -----------
# Different source and path physics; station labels start with the region
# name (A00, ..., B00, ...).
regions = {
    name: make_strong_motion(**config["data"], region=name, random_state=args.seed + i)
    for i, name in enumerate("AB")
}
X = np.concatenate([d.X for d in regions.values()])
stations = np.concatenate([d.stations for d in regions.values()])
groups = np.concatenate([[name] * len(d.X) for name, d in regions.items()])
print(f"X {X.shape}: regions {', '.join(regions)}, {len(set(stations))} stations")

# %%
# Leave one region out
# --------------------
# Every metric from one report per fold: one generation and HVSR pass instead
# of one per metric (a dict of ``HVSRAlignmentScorer(metric=...)`` gives the
# same numbers). "alignment" is the paper's score.
scorer = HVSRAlignmentScorer(random_state=args.seed)


def scoring(estimator, X, stations):
    return scorer.report(estimator, X, stations).metrics


models = {
    name: CLASSES[name](n_times=X.shape[2], random_state=args.seed, **params)
    for name, params in config["models"].items()
}
results = {
    name: cross_validate(model, X, stations, groups=groups, cv=LeaveOneGroupOut(), scoring=scoring)
    for name, model in models.items()
}
# LeaveOneGroupOut holds out one region per fold, in sorted order.
folds = [
    f"train {'+'.join(sorted(set(regions) - {test}))} -> test {test}" for test in np.unique(groups)
]
print("Leave-one-region-out cross-validation (greater is better)")
print(f"{'model':<18}{'fold':<20}" + "".join(f"{m:>16}" for m in METRICS))
for name, result in results.items():
    for i, fold in enumerate(folds):
        print(
            f"{name:<18}{fold:<20}" + "".join(f"{result[f'test_{m}'][i]:>16.3f}" for m in METRICS)
        )
    print(
        f"{name:<18}{'mean':<20}"
        + "".join(f"{np.mean(result[f'test_{m}']):>16.3f}" for m in METRICS)
    )

# %%
# Choose the sampler
# ------------------
# The sampler acts only at sampling time, but ``GridSearchCV`` refits per
# candidate; with ``memory`` the network of each training set is trained
# once and the other candidates take it from the cache.
search = GridSearchCV(
    models["TimesNet-Gen"].set_params(memory=str(out / "networks")),
    config["grid"],
    cv=LeaveOneGroupOut(),
    scoring=scoring,
    refit="alignment",
)
search.fit(X, stations, groups=groups)
print("GridSearchCV over TimesNet-Gen's sampler (mean over the two folds)")
for i, params in enumerate(search.cv_results_["params"]):
    print(
        f"  {params}: alignment {search.cv_results_['mean_test_alignment'][i]:.3f}, "
        f"f0_js {search.cv_results_['mean_test_f0_js'][i]:.3f}"
    )
print(f"best: {search.best_params_}")

# %%
# Train on A, score on B
# ----------------------
# The paper's direction, with the full report: the f0 confusion matrix of
# each generator.
b = regions["B"]
for name, model in models.items():
    model.fit(regions["A"].X, regions["A"].stations)
    report = scorer.report(model, b.X, b.stations)
    figure = plot_f0_confusion(report)
    figure.suptitle(f"{name}, trained on A, scored on B")
    figure.savefig(
        out / f"{name.replace(' ', '-')}-A-to-B-f0-confusion.png", dpi=100, bbox_inches="tight"
    )
print(f"figures saved to {out}")
