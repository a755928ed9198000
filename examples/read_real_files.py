"""
Reading real records with obspy: counts + StationXML -> m/s^2 -> HVSR
=====================================================================

The record shipped with the tests (``tests/data``): station CE.68150 (Napa
College) during the 2014 M6.0 South Napa earthquake, 200 Hz, 119 s, in raw
digitiser counts with its StationXML, plus the same record already in m/s^2.
This example

1. reads the counts file with its inventory (:func:`skgen.io.read_records`
   converts counts to m/s^2 with the overall sensitivity, resamples to
   100 Hz with an anti-aliasing filter, removes mean and trend, tapers, and
   cuts an ``n_times`` window starting 5 s before the P-wave onset);
2. reads the m/s^2 file and checks the two agree;
3. prints PGA, f0 and A0 with skgen's default HVSR (Konno-Ohmachi, highest
   interior peak) and with the published pipeline (log-Gaussian, argmax);
4. writes the converted record back to miniSEED and plots it.

From the command line::

    python examples/read_real_files.py [--quick] [--out DIR]

``--quick`` reads a 60 s window (6000 samples) instead of the whole record
(the documentation's form, ``SKGEN_EXAMPLES_QUICK=1``). The record is found
next to this file (``../tests/data``), or in the folder named by
``SKGEN_DATA``.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import obspy

from skgen.io import from_stream, read_records, to_stream
from skgen.signal import hvsr, peak_frequency, pga

# The data sit next to the tests, found from this script (sys.argv[0], also in
# the docs build), not the working folder.
DATA = Path(
    os.environ.get("SKGEN_DATA") or Path(sys.argv[0]).resolve().parent.parent / "tests" / "data"
)
FS = 100.0


parser = argparse.ArgumentParser(description="Reading real records with obspy.")
parser.add_argument(
    "--quick",
    action="store_true",
    default=os.environ.get("SKGEN_EXAMPLES_QUICK") == "1",
    help="read a 60 s window only (default when SKGEN_EXAMPLES_QUICK=1)",
)
parser.add_argument("--out", help="folder for outputs (default: a temp folder)")
args = parser.parse_args()
out = Path(args.out or tempfile.mkdtemp(prefix="skgen-real-files-"))
out.mkdir(parents=True, exist_ok=True)
n_times = 6000 if args.quick else 11900

# %%
# Counts and StationXML in, m/s^2 out
# -----------------------------------
counts = DATA / "CE.68150.counts.mseed"
inventory = DATA / "CE.68150.xml"
X, stations = read_records(counts, fs=FS, n_times=n_times, inventory=inventory)
print(f"read {counts.name} with {inventory.name}: X {X.shape} in m/s^2, stations {list(stations)}")

# %%
# The same with obspy objects, for records already in memory, and from the
# file already in m/s^2.
X_obspy, _ = from_stream(
    obspy.read(str(counts)),
    fs=FS,
    n_times=n_times,
    inventory=obspy.read_inventory(str(inventory)),
)
assert np.array_equal(X, X_obspy)

X_ms, _ = read_records(DATA / "CE.68150.mseed", fs=FS, n_times=n_times)
difference = np.abs(X - X_ms).max() / np.abs(X_ms).max()
print(f"counts/StationXML vs the m/s^2 file: max difference {difference:.1e} of the peak")

# %%
# PGA, f0 and A0
# --------------
peaks = pga(X, channels="each")[0]
print(
    "PGA (m/s^2): "
    + ", ".join(f"{c} {p:.3f}" for c, p in zip("ENU", peaks))
    + f"; horizontal {pga(X)[0]:.3f}"
)

curves = {}
for name, kernel, method in (
    ("skgen default", "konno-ohmachi", "interior"),
    ("published", "log-gaussian", "argmax"),
):
    centers, curve = hvsr(X[0], FS, kernel=kernel)
    f0, a0 = peak_frequency(centers, curve, method=method)
    curves[name] = (centers, curve)
    print(f"f0 ({name}, {kernel}, {method}): {f0:.2f} Hz, A0 {a0:.2f}")

# %%
# Back to miniSEED, and a figure
# ------------------------------
written = out / "CE.68150.100Hz.mseed"
to_stream(X, stations, FS, starttime=obspy.read(str(counts))[0].stats.starttime).write(
    str(written), format="MSEED"
)
# Read back as stored: no processing, the window at the first sample.
X_back, _ = read_records(
    written, fs=FS, n_times=n_times, window="start", demean=False, detrend=False, taper=None
)
assert np.array_equal(X_back, X)
print(f"wrote {written}")

fig, axes = plt.subplots(4, 1, figsize=(8, 8))
time = np.arange(n_times) / FS
for ax, channel, component in zip(axes, X[0], "ENU"):
    ax.plot(time, channel, linewidth=0.5, color="0.2")
    ax.set_ylabel(f"{component} (m/s$^2$)")
axes[2].set_xlabel("Time (s)")
for name, (centers, curve) in curves.items():
    axes[3].semilogx(centers, curve, label=name)
axes[3].set_xlabel("Frequency (Hz)")
axes[3].set_ylabel("H/V")
axes[3].legend(frameon=False)
fig.suptitle(f"{stations[0]}, 2014 South Napa earthquake")
fig.tight_layout()
fig.savefig(out / "CE.68150.png", dpi=100)
print(f"figure saved to {out}")
