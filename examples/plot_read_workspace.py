"""
Fit a generator from a gmprocess workspace
==========================================

USGS gmprocess keeps the records of an earthquake in an ASDF workspace
(``workspace.h5``): the event as QuakeML, the stations as StationXML, the raw
waveforms in counts under the tag ``<event>_unprocessed`` and the processed
ones, in cm/s², under ``<event>_<label>``. :func:`skgen.io.read_records`
reads such a file directly: the records in m/s², and for each record its
event's magnitude and the hypocentral distance to its station, which is all
``fit(X, stations, magnitude=, distance=)`` needs.

Users of this example have no workspace at hand, so it first builds a tiny
one with pyasdf (extra ``asdf``) the way gmprocess lays it out, from
simulated records. Then it reads the processed waveforms, fits a tiny
TimesNet-Gen with the scenario, and writes generated records back to ASDF
with :func:`skgen.io.write_records`, which keeps the generator's provenance.
"""

# %%
# A tiny workspace
# ----------------
# Four earthquakes recorded at two stations, 10 s records at 100 Hz.
# The raw waveforms are stored in counts (sensitivity 4e5 counts per m/s²,
# in the StationXML), the processed ones in cm/s² as gmprocess stores them.

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pyasdf
from obspy import Inventory, Stream, Trace, UTCDateTime
from obspy.core.event import Event, Magnitude, Origin
from obspy.core.inventory import Channel, Network, Response, Station
from obspy.core.inventory.response import InstrumentSensitivity, ResponseStage

from skgen import TimesNetGenerator, make_strong_motion
from skgen.io import read_records, write_records

N_TIMES, FS, SENSITIVITY = 1000, 100.0, 4.0e5
folder = Path(tempfile.mkdtemp())
data = make_strong_motion(n_stations=2, records_per_station=4, n_times=N_TIMES, random_state=0)
sites = {"XX.A00": (35.0, -118.0), "XX.A01": (35.2, -117.8)}


def channel(code, latitude, longitude):
    sensitivity = InstrumentSensitivity(SENSITIVITY, 1.0, "M/S**2", "COUNTS")
    stage = ResponseStage(1, SENSITIVITY, 1.0, "M/S**2", "COUNTS")
    response = Response(instrument_sensitivity=sensitivity, response_stages=[stage])
    return Channel(code, "", latitude, longitude, 0.0, 0.0, sample_rate=FS, response=response)


inventory = Inventory(
    networks=[
        Network(
            "XX",
            stations=[
                Station(
                    name.split(".")[1],
                    lat,
                    lon,
                    0.0,
                    channels=[channel(f"HN{c}", lat, lon) for c in "ENZ"],
                )
                for name, (lat, lon) in sites.items()
            ],
        )
    ],
    source="example",
)

workspace = pyasdf.ASDFDataSet(str(folder / "workspace.h5"), compression=None, mpi=False)
workspace.add_stationxml(inventory)
for k in range(4):
    time = UTCDateTime(2024, 1, 1 + k, 3, 0, 0)
    origin = Origin(latitude=34.8 + 0.1 * k, longitude=-118.3, depth=10e3, time=time)
    magnitude = Magnitude(mag=5.0 + 0.5 * k, magnitude_type="Mw")
    event = Event(origins=[origin], magnitudes=[magnitude], resource_id=f"smi:local/ev{k}")
    workspace.add_quakeml(event)
    for label, scale in (("unprocessed", SENSITIVITY), ("default", 100.0)):
        traces = []
        for s, name in enumerate(sites):
            record = data.X[s * 4 + k]
            for component, values in zip("ENZ", record):
                header = {
                    "network": "XX",
                    "station": name.split(".")[1],
                    "sampling_rate": FS,
                    "channel": f"HN{component}",
                    "starttime": time + 5,
                }
                traces.append(Trace(values.astype(np.float64) * scale, header=header))
        workspace.add_waveforms(Stream(traces), tag=f"ev{k}_{label}", event_id=event)
del workspace  # pyasdf writes the file when the data set goes

# %%
# Read the processed records with their scenario
# ----------------------------------------------
# ``tag="processed"`` picks gmprocess's processed label; the values come back
# in m/s². Each record's metadata holds its event's magnitude and the
# hypocentral distance from the event's origin to the station's coordinates.

X, stations, meta = read_records(
    folder / "workspace.h5", fs=FS, n_times=N_TIMES, tag="processed", return_meta=True
)
print(f"read X {X.shape}, stations {sorted(set(stations))}, units {meta[0]['provenance']['units']}")
for m in meta:
    print(f"{m['station']}  {m['event_id']:>15}  M {m['magnitude']:.1f}  R {m['distance']:5.1f} km")

# %%
# Fit a tiny generator with the scenario
# --------------------------------------
# A network this small trains in seconds; see ``docs/method.rst`` for real
# configurations.

generator = TimesNetGenerator(
    n_times=N_TIMES, d_model=4, d_ff=4, epochs=1, noise_epochs=0, random_state=0
)
generator.fit(
    X,
    stations,
    magnitude=[m["magnitude"] for m in meta],
    distance=[m["distance"] for m in meta],
)
generated = generator.sample("XX.A00", 2, random_state=0, magnitude=6.0, distance=30.0)
print(f"generated {generated.shape} for XX.A00 at M 6.0, 30 km")

# %%
# Write the generated records back to ASDF
# ----------------------------------------
# The file keeps the generator's provenance and the scenario of each record;
# reading it back gives the same values.

write_records(
    folder / "generated.h5",
    generated,
    ["XX.A00"] * 2,
    FS,
    provenance={"model": "TimesNetGenerator", "station": "XX.A00", "random_state": 0},
    magnitude=6.0,
    distance=30.0,
)
back, _, back_meta = read_records(
    folder / "generated.h5",
    fs=FS,
    n_times=N_TIMES,
    window="start",
    demean=False,
    detrend=False,
    taper=None,
    return_meta=True,
)
print(
    f"read back equal: {np.array_equal(back, generated)}; provenance {back_meta[0]['provenance']}"
)

# %%
# A recorded and a generated record
# ---------------------------------

t = np.arange(N_TIMES) / FS
fig, axes = plt.subplots(2, 1, sharex=True, figsize=(7, 4))
axes[0].plot(t, X[0, 0], lw=0.7)
axes[0].set_title(f"{stations[0]}, read from the workspace (E)")
axes[1].plot(t, generated[0, 0], lw=0.7, color="C1")
axes[1].set_title("generated for XX.A00 at M 6.0, 30 km (E)")
axes[1].set_xlabel("time (s)")
for ax in axes:
    ax.set_ylabel("m/s²")
fig.tight_layout()
plt.show()
