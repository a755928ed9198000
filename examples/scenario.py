"""
Scenario generation: records for one station and one earthquake
===============================================================

Trains TimesNet-Gen on synthetic records of region A with each record's
magnitude and distance, then generates records for one station at several
scenarios, plots their response spectra against the station's real records
and measures, on held-out records, how much the scenario helps
(:func:`skgen.scoring.scenario_errors`).

From the command line::

    python examples/scenario.py              # several minutes on 2 cores
    python examples/scenario.py --quick      # a tiny run, seconds

The figure is also saved to ``--out`` (default: a new temporary folder) as
``scenario_psa.png``; the one in the scenario guide is the full run's. The
documentation runs the quick form (``SKGEN_EXAMPLES_QUICK=1``).
"""

import argparse
import os
import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from skgen import TimesNetGenerator, make_strong_motion
from skgen.scoring import scenario_errors
from skgen.signal import horizontal_geometric_mean, response_spectrum

FULL = dict(data=dict(n_stations=6, records_per_station=12, n_times=6000), model={})
QUICK = dict(
    data=dict(n_stations=3, records_per_station=6, n_times=2000),
    model=dict(d_model=8, d_ff=16, epochs=2, noise_epochs=1),
)
PERIODS = np.geomspace(0.05, 2.0, 30)


def psa(X, fs):
    """Horizontal 5 %-damped PSA of each record, (n_records, n_periods)."""
    return horizontal_geometric_mean(response_spectrum(X, fs, PERIODS), axis=-2)


parser = argparse.ArgumentParser(description="Scenario generation.")
parser.add_argument(
    "--quick",
    action="store_true",
    default=os.environ.get("SKGEN_EXAMPLES_QUICK") == "1",
    help="a tiny run, seconds (default when SKGEN_EXAMPLES_QUICK=1)",
)
parser.add_argument("--out", help="folder for the figure (default: a temp folder)")
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--epochs", type=int, help="pre-training epochs (default: the model's)")
args = parser.parse_args()
config = QUICK if args.quick else FULL
if args.epochs is not None:
    config = dict(config, model=dict(config["model"], epochs=args.epochs))
out = Path(args.out or tempfile.mkdtemp(prefix="skgen-scenario-"))
out.mkdir(parents=True, exist_ok=True)

# %%
# Training with each record's scenario
# ------------------------------------
# ``make_strong_motion`` returns each record's magnitude and distance (km).
data = make_strong_motion(**config["data"], random_state=args.seed)
generator = TimesNetGenerator(
    n_times=data.X.shape[2], random_state=args.seed, **config["model"]
).fit(data.X, data.stations, magnitude=data.magnitude, distance=data.distance)

# %%
# Three scenarios for one station
# -------------------------------
station = data.stations[0]
own = data.stations == station
real = psa(data.X[own], data.fs)
# Scenarios inside the station's range: its smallest, median and largest
# magnitude, at its median distance.
distance = float(np.median(data.distance[own]))
magnitudes = np.quantile(data.magnitude[own], [0.0, 0.5, 1.0]).round(1)
low, high = data.magnitude[own].min(), data.magnitude[own].max()
colour = plt.get_cmap("viridis")


def shade(m):
    return colour((m - low) / max(high - low, 1e-9))


figure, ax = plt.subplots(figsize=(6.4, 4.4))
for m, curve in zip(data.magnitude[own], real):
    ax.loglog(PERIODS, curve, color=shade(m), lw=0.8, alpha=0.6)
for m in magnitudes:
    with warnings.catch_warnings():
        # Rounding may put a scenario a hair outside the range: say so below.
        warnings.simplefilter("ignore")
        X = generator.sample(station, 20, magnitude=m, distance=distance, random_state=0)
    median = np.exp(np.log(psa(X, data.fs)).mean(axis=0))
    ax.loglog(PERIODS, median, color=shade(m), lw=3, label=f"generated M{m:.1f}, {distance:.0f} km")
    print(
        f"station {station} M{m:.1f} at {distance:.0f} km: median PSA(0.2 s) "
        f"{np.interp(0.2, PERIODS, median):.3g} m/s^2"
    )
ax.set_xlabel("period (s)")
ax.set_ylabel("PSA, 5 % damped, horizontal (m/s$^2$)")
ax.set_title(f"station {station}: real records (thin, coloured by magnitude) and scenarios")
ax.legend(fontsize=8)
figure.savefig(out / "scenario_psa.png", dpi=110, bbox_inches="tight")

# %%
# How much the scenario helps on held-out records
# -----------------------------------------------

errors = scenario_errors(
    generator, data.X, data.stations, data.magnitude, data.distance, random_state=args.seed
).summary()
print(
    f"held-out ln PSA error (0.05-2 s): conditioned {errors['conditioned']:.2f}, "
    f"unconditioned {errors['unconditioned']:.2f}, model alone {errors['gmm']:.2f}"
)
print(f"figure saved to {out}")
