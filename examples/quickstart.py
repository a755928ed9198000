"""
Quickstart: fit, sample, score, plot
====================================

Trains TimesNet-Gen on synthetic records of 8 stations (60 s at 100 Hz, the
paper's layout), generates new records for one station, scores the model
with the HVSR alignment scorer and plots the result.

From the command line::

    python examples/quickstart.py            # about 3 minutes on 2 cores
    python examples/quickstart.py --quick    # a tiny run, seconds

Figures are also saved to ``--out`` (default: a new temporary folder). The
documentation runs the quick form (``SKGEN_EXAMPLES_QUICK=1``).
"""

import argparse
import os
import tempfile
from pathlib import Path

from skgen import HVSRAlignmentScorer, TimesNetGenerator, make_strong_motion
from skgen.plotting import plot_f0_histograms, plot_hvsr, plot_waveforms

# --quick: fewer and shorter records (20 s) and a few epochs of training.
FULL = dict(data=dict(n_stations=8, records_per_station=20, n_times=6000), model={})
QUICK = dict(
    data=dict(n_stations=3, records_per_station=6, n_times=2000),
    model=dict(d_model=8, d_ff=16, epochs=2, noise_epochs=1),
)

parser = argparse.ArgumentParser(description="Quickstart: fit, sample, score, plot.")
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
out = Path(args.out or tempfile.mkdtemp(prefix="skgen-quickstart-"))
out.mkdir(parents=True, exist_ok=True)

# %%
# Data and training
# -----------------
# ``X`` has shape ``(n_records, 3, n_times)`` in m/s^2, channels E, N, U, with
# one station label per record; the true site frequency of every station is
# known.
data = make_strong_motion(**config["data"], random_state=args.seed)
print(f"data: X {data.X.shape}, {len(set(data.stations))} stations, fs {data.fs} Hz")

generator = TimesNetGenerator(
    n_times=data.X.shape[2], random_state=args.seed, **config["model"]
).fit(data.X, data.stations)
print(
    f"trained TimesNetGenerator: final reconstruction loss {generator.history_['pretrain'][-1]:.3f}"
)

# %%
# Generate for a station
# ----------------------
station = data.stations[0]
records = generator.sample(station, n_samples=5, random_state=args.seed)
print(f"generated for station {station}: {records.shape}")
figure = plot_waveforms(data.X[0], records[0], data.fs, station=station)
figure.savefig(out / "waveforms.png", dpi=100, bbox_inches="tight")

# %%
# Score
# -----
# Honest protocol: each station's pool is half its records, the other half is
# compared with the generated records.
report = HVSRAlignmentScorer(random_state=args.seed).report(generator, data.X, data.stations)
print(report.summary())

figure = plot_hvsr(report, station=station)
figure.savefig(out / "hvsr.png", dpi=100, bbox_inches="tight")

# %%
figure = plot_f0_histograms(report, station=station)
figure.savefig(out / "f0.png", dpi=100, bbox_inches="tight")
print(f"figures saved to {out}")
