"""
Real records in: a folder cut from continuous data -> windows, HVSR
===================================================================

The four public-domain records shipped with the tests (``tests/data``):
CE.68150 (2014 South Napa, 200 Hz) and UW.TBPA, UW.TKCO, UW.UPS (2001
Nisqually, 100 Hz), all in m/s^2. To look like records cut from continuous
data, each is written behind 120 s of pre-event noise (its own first 10 s,
repeated) into one folder. This example then

1. reads the folder with :func:`skgen.io.read_records` (every file under
   it): resampled to 100 Hz, mean and trend removed, tapered, and cut to a
   60 s window starting 5 s before the P-wave onset picked on the vertical;
2. prints each record's provenance (``return_meta=True``): files, channels,
   original rate, onset, window start and the window's share of the PGA;
3. prints f0 and A0 of each record (skgen's default HVSR);
4. plots the windows and the HVSR curves.

From the command line::

    python examples/real_records.py [--quick] [--out DIR]

``--quick`` reads 40 s windows instead of 60 s (the documentation's form,
``SKGEN_EXAMPLES_QUICK=1``). The records are found next to this file
(``../tests/data``), or in the folder named by ``SKGEN_DATA``.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import obspy

from skgen.io import read_records
from skgen.signal import hvsr, peak_frequency, pga

# The data sit next to the tests, found from this script (sys.argv[0], also in
# the docs build), not the working folder.
DATA = Path(
    os.environ.get("SKGEN_DATA") or Path(sys.argv[0]).resolve().parent.parent / "tests" / "data"
)
RECORDS = ["CE.68150.mseed", "uw10530748.UW.TBPA.mseed", "uw10530748.UW.TKCO.mseed"]
RECORDS += ["uw10530748.UW.UPS.mseed"]
FS = 100.0
NOISE = 120.0  # seconds of pre-event noise in front of each record


def cut_from_continuous_data(folder):
    """Write each record behind ``NOISE`` s of its own pre-event noise."""
    for name in RECORDS:
        stream = obspy.read(str(DATA / name))
        for trace in stream:
            rate = trace.stats.sampling_rate
            quiet = trace.data[: int(10 * rate)]
            trace.data = np.concatenate([np.resize(quiet, int(NOISE * rate)), trace.data])
            trace.stats.starttime -= NOISE
        stream.write(str(folder / name), format="MSEED")


parser = argparse.ArgumentParser(description="Real records in: windows and HVSR.")
parser.add_argument(
    "--quick",
    action="store_true",
    default=os.environ.get("SKGEN_EXAMPLES_QUICK") == "1",
    help="40 s windows instead of 60 s (default when SKGEN_EXAMPLES_QUICK=1)",
)
parser.add_argument("--out", help="folder for outputs (default: a temp folder)")
args = parser.parse_args()
out = Path(args.out or tempfile.mkdtemp(prefix="skgen-real-records-"))
folder = out / "continuous"
folder.mkdir(parents=True, exist_ok=True)
cut_from_continuous_data(folder)
n_times = 4000 if args.quick else 6000

# %%
# Read the folder
# ---------------
# Every file under the folder, grouped by station, with each record's
# provenance.
X, stations, meta = read_records(folder, fs=FS, n_times=n_times, return_meta=True)
print(f"read {folder}: X {X.shape} in m/s^2, {len(stations)} stations")
print(
    f"{'station':<10} {'channels':<12} {'rate':>5} {'onset (s)':>9} "
    f"{'window (s)':>10} {'PGA':>7} {'share':>6}  onset time"
)
for info in meta:
    print(
        f"{info['station']:<10} {'/'.join(info['channels']):<12} "
        f"{info['sampling_rate']:>5.0f} {info['onset']:>9.2f} "
        f"{info['window_start']:>10.2f} {info['pga']:>7.3f} "
        f"{info['pga'] / info['pga_record']:>6.3f}  {info['onset_time']}"
    )

# %%
# HVSR, f0 and PGA
# ----------------
centers, curve = hvsr(X, FS)
f0, a0 = peak_frequency(centers, curve)
for station, f, a, peak in zip(stations, f0, a0, pga(X)):
    print(f"{station}: f0 {f:.2f} Hz, A0 {a:.2f}, PGA {peak:.3f} m/s^2")

# %%
# The windows and their HVSR curves
# ---------------------------------
fig, axes = plt.subplots(len(X) + 1, 1, figsize=(8, 2 * len(X) + 3))
for ax, record, station, info in zip(axes, X, stations, meta):
    time = info["window_start"] + np.arange(record.shape[1]) / FS
    ax.plot(time, record[0], linewidth=0.5, color="0.2")
    ax.axvline(info["onset"], color="tab:red", linewidth=1, label="P onset")
    ax.set_ylabel(f"{station}\nE (m/s$^2$)")
axes[0].legend(frameon=False, loc="upper right")
axes[len(X) - 1].set_xlabel("Time since the first sample of the file (s)")
for station, values in zip(stations, curve):
    axes[-1].semilogx(centers, values, label=station)
axes[-1].set_xlabel("Frequency (Hz)")
axes[-1].set_ylabel("H/V")
axes[-1].legend(frameon=False, fontsize="small")
fig.tight_layout()
fig.savefig(out / "real-records.png", dpi=100)
print(f"figure saved to {out / 'real-records.png'}")
