"""Three single-component series into one record: horizontals rotated to E and N.

Formats that store one component per series with its azimuth (PEER AT2,
COSMOS) hand their parts here: a vertical and two horizontals at any two
non-parallel azimuths become one record with channels E, N, U.
"""

import numpy as np
from obspy.signal.rotate import rotate2zne

from ._arrays import fix_length, resample
from ._record import Record


def triplet_record(members, base, fs, what):
    """One record from a vertical and two horizontals, rotated to E and N.

    Parameters
    ----------
    members : list of dict
        One per component: ``kind`` ("vertical" or "horizontal"), ``azimuth``
        (degrees from north, horizontals), ``acceleration`` (m/s^2), ``dt``
        (s), ``station``, ``path``, ``component`` and ``event``.
    base : str
        Station label when the members do not agree on one.
    fs : float
        Target sampling rate in Hz.
    what : str
        The files, for messages (e.g. "PEER AT2 files").
    """
    names = ", ".join(sorted({str(m["path"]) for m in members}))
    verticals = [m for m in members if m["kind"] == "vertical"]
    horizontals = [m for m in members if m["kind"] == "horizontal"]
    if len(verticals) != 1 or len(horizontals) != 2:
        raise ValueError(
            f"{what} must come in triplets (two horizontals and one "
            f"vertical per station); found {len(horizontals)} horizontal(s) "
            f"and {len(verticals)} vertical(s) in: {names}."
        )
    dts = {m["dt"] for m in members}
    if max(dts) - min(dts) > 1e-9:
        raise ValueError(
            f"{names}: {what}: triplet with different sampling intervals {sorted(dts)}."
        )
    (h1, h2), up = horizontals, verticals[0]
    if abs(np.sin(np.radians(h1["azimuth"] - h2["azimuth"]))) < 1e-3:
        raise ValueError(
            f"{names}: {what}: horizontals have parallel azimuths {h1['azimuth']} and "
            f"{h2['azimuth']}."
        )
    npts = max(m["acceleration"].size for m in members)
    h1_data, h2_data, up_data = (fix_length(m["acceleration"], npts) for m in (h1, h2, up))
    # Rotate the recorded azimuths to geographic N and E; the vertical
    # (dip -90 in SEED's convention) passes unchanged.
    _, north, east = rotate2zne(
        up_data, 0.0, -90.0, h1_data, h1["azimuth"], 0.0, h2_data, h2["azimuth"], 0.0
    )
    rate = 1.0 / members[0]["dt"]
    stations = {m["station"] for m in members if m["station"]}
    return Record(
        data=np.stack([resample(channel, rate, fs) for channel in (east, north, up_data)]),
        station=stations.pop() if len(stations) == 1 else base,
        files=sorted({str(m["path"]) for m in members}),
        # The recorded components; E and N are rotated from the first two.
        channels=[m["component"] or m["path"].stem for m in (h1, h2, up)],
        sampling_rate=rate,
        start=members[0].get("start"),
        event=members[0]["event"],
    )
