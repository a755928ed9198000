"""
Tune the spectrogram CVAE across regions with GridSearchCV and early stopping
=============================================================================

A baseline is only a fair comparison once it is trained long enough and its
main hyperparameters are tuned. This example

1. lets the training length follow the data: ``early_stopping=True`` holds
   out ``validation_fraction`` of the training records and stops once their
   loss stops improving (``epochs`` becomes a maximum; ``history_`` holds
   the validation curve);
2. searches ``beta`` and ``latent_dim`` with ``GridSearchCV`` over the three
   region presets of :func:`skgen.make_strong_motion`, one region held out
   per fold (``LeaveOneGroupOut``): the held-out region's stations are
   registered with frozen weights and scored by
   :class:`skgen.HVSRAlignmentScorer` (f0 alignment, greater is better);
3. prints and plots the search table and the default vs tuned scores of
   every fold.

From the command line::

    python examples/tune_cvae.py            # 18 full-size fits: long on a CPU
    python examples/tune_cvae.py --quick    # tiny, seconds

The documentation runs the quick form (``SKGEN_EXAMPLES_QUICK=1``).
"""

import argparse
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GridSearchCV, LeaveOneGroupOut, cross_val_score

from skgen import HVSRAlignmentScorer, SpectrogramCVAEGenerator, make_strong_motion

# Full: 6 stations x 10 records of 60 s per region, up to 300 epochs.
# Quick: 3 stations x 4 records of 10.24 s, a network a few hundred
# parameters wide, at most 4 epochs.
FULL = dict(
    data=dict(n_stations=6, records_per_station=10, n_times=6000),
    model=dict(epochs=300, early_stopping=True, n_iter_no_change=10),
    grid={"beta": [1e-5, 1e-4, 1e-3], "latent_dim": [16, 32]},
)
QUICK = dict(
    data=dict(n_stations=3, records_per_station=4, n_times=1024),
    model=dict(
        n_times=1024,
        n_fft=64,
        hop_length=16,
        channels=(4, 8),
        latent_dim=4,
        griffin_lim_iters=4,
        epochs=4,
        early_stopping=True,
        validation_fraction=0.25,
        n_iter_no_change=2,
    ),
    grid={"beta": [1e-4, 1e-2], "latent_dim": [2, 4]},
)


parser = argparse.ArgumentParser(description="Tune the spectrogram CVAE across regions.")
parser.add_argument(
    "--quick",
    action="store_true",
    default=os.environ.get("SKGEN_EXAMPLES_QUICK") == "1",
    help="a tiny run, seconds (default when SKGEN_EXAMPLES_QUICK=1)",
)
parser.add_argument("--out", help="unused; accepted like the other examples")
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--beta", type=float, nargs="+", help="the beta grid (default: above)")
parser.add_argument("--latent-dim", type=int, nargs="+", help="the latent_dim grid")
parser.add_argument("--max-epochs", type=int, help="epochs of the early-stopped fits")
args = parser.parse_args()
config = QUICK if args.quick else FULL
grid = dict(config["grid"])
if args.beta:
    grid["beta"] = args.beta
if args.latent_dim:
    grid["latent_dim"] = args.latent_dim
model_params = dict(config["model"])
if args.max_epochs:
    model_params["epochs"] = args.max_epochs

# %%
# Three regions, one held out per fold
# ------------------------------------
regions = [
    make_strong_motion(**config["data"], region=name, random_state=args.seed + i)
    for i, name in enumerate("ABC")
]
X = np.concatenate([d.X for d in regions])
stations = np.concatenate([d.stations for d in regions])
groups = np.concatenate([[d.region] * len(d.X) for d in regions])
cv = list(LeaveOneGroupOut().split(X, stations, groups))
scorer = HVSRAlignmentScorer(random_state=args.seed)

# %%
# Search beta and latent_dim
# --------------------------
base = SpectrogramCVAEGenerator(random_state=args.seed, **model_params)
search = GridSearchCV(base, grid, scoring=scorer, cv=cv, refit=False)
search.fit(X, stations)
print("GridSearchCV over the held-out region (f0 alignment, mean over 3 folds):")
for params, mean, std in zip(
    search.cv_results_["params"],
    search.cv_results_["mean_test_score"],
    search.cv_results_["std_test_score"],
):
    print(f"  {params}: {mean:.3f} +- {std:.3f}")
print(f"best: {search.best_params_} ({search.best_score_:.3f})")

# %%
# Default vs tuned
# ----------------
# The default is the CVAE as it ships (a fixed number of epochs); the
# tuned one adds early stopping and the best grid point.
default = SpectrogramCVAEGenerator(
    random_state=args.seed, **(config["model"] if args.quick else {})
)
tuned = SpectrogramCVAEGenerator(random_state=args.seed, **{**model_params, **search.best_params_})
held_out = [groups[test][0] for _, test in cv]
figure, ax = plt.subplots(figsize=(5, 3.5))
for offset, (name, model) in zip((-0.2, 0.2), (("default", default), ("tuned", tuned))):
    scores = cross_val_score(model, X, stations, scoring=scorer, cv=cv)
    cells = ", ".join(f"{region} {score:.3f}" for region, score in zip(held_out, scores))
    print(f"{name:<8} held-out region: {cells}; mean {np.mean(scores):.3f}")
    ax.bar(np.arange(len(scores)) + offset, scores, width=0.4, label=name)
ax.set_xticks(np.arange(len(held_out)), [f"held out {region}" for region in held_out])
ax.set_ylabel("f0 alignment (greater is better)")
ax.legend(frameon=False)
