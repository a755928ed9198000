"""Readers and writers: real strong-motion records in, records out.

Everything here turns files and obspy streams into skgen's data convention,
``X`` of shape (n_records, 3, n_times) in m/s^2 with channels E, N, U, plus
one station label per record, and back.

Two rules hold throughout:

- A record's length is fixed by cropping or zero-padding at the end
  (:func:`fix_length`). Fourier-resampling a record to a new length would
  time-stretch it and move its resonance frequency.
- A sampling rate is changed only by anti-aliased resampling to the target
  ``fs``: a polyphase FIR filter (:func:`scipy.signal.resample_poly`) when
  the two rates have a small rational ratio, else a zero-phase low-pass
  followed by Lanczos interpolation (obspy). Both are local filters, so,
  unlike FFT resampling (``Trace.resample``), the end of a transient record
  does not wrap around into its start.
"""

import numbers
import os
import re
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import obspy
import scipy.io
from obspy import Inventory, Stream, Trace, UTCDateTime
from obspy.signal.rotate import rotate2zne
from scipy.signal import resample_poly

from ._validation import check_count, check_positive, check_records, check_stations

__all__ = [
    "fix_length",
    "from_stream",
    "read_afad_mat",
    "read_peer_at2",
    "read_records",
    "to_stream",
]

G = 9.80665
"""Standard gravity in m/s^2 (PEER records are in units of g)."""

AFAD_SAMPLING_RATE = 100.0
"""Rate assumed for AFAD MATLAB files that do not store one (AFAD's 100 Hz)."""

# Channel slots in a record: E, N, U.
_EAST, _NORTH, _UP = 0, 1, 2
_SLOT_NAMES = ("E (east)", "N (north)", "Z/U (vertical)")

# SEED orientation codes (last letter of the channel code); 1 and 2 are the
# two orthogonal horizontals, conventionally 1 the north-ish one.
_SEED_SLOTS = {"E": _EAST, "2": _EAST, "N": _NORTH, "1": _NORTH, "Z": _UP}
# K-NET / KiK-net channel names as obspy's reader gives them (EW, NS, UD,
# with a sensor digit for KiK-net: 1 borehole, 2 surface).
_NIED_SLOTS = {"EW": _EAST, "NS": _NORTH, "UD": _UP}

# Instrument-sensitivity input units that are acceleration, with the factor
# to m/s^2.
_ACCELERATION_UNITS = {
    "M/S**2": 1.0,
    "M/S/S": 1.0,
    "M/S2": 1.0,
    "M/SEC**2": 1.0,
    "CM/S**2": 0.01,
    "CM/S/S": 0.01,
    "CM/S2": 0.01,
    "GAL": 0.01,
}

# Units of PEER-style headers ("... IN UNITS OF G"), factor to m/s^2.
_AT2_UNITS = {
    "G": G,
    "CM/S/S": 0.01,
    "CM/SEC/SEC": 0.01,
    "CM/S2": 0.01,
    "CM/S^2": 0.01,
    "GAL": 0.01,
    "M/S/S": 1.0,
    "M/SEC/SEC": 1.0,
    "M/S2": 1.0,
    "M/S^2": 1.0,
}

# PEER component tokens: verticals, and named horizontals with their azimuth.
_AT2_VERTICAL = {"UP", "DWN", "DOWN", "DN", "UD", "V", "VER", "VERT", "Z"}
_AT2_AZIMUTH = {"N": 0.0, "NS": 0.0, "E": 90.0, "EW": 90.0}
# A component suffix at the end of a PEER file stem, e.g. ELC180, ELC-UP,
# HMCDWN, G02000.
_AT2_SUFFIX = re.compile(
    r"[-_.]?(UP|DWN|DOWN|DN|UD|VERT|VER|V|Z|EW|NS|E|N|\d{1,3})$", re.IGNORECASE
)
_AFAD_NAME = re.compile(r"AFAD\.(\w+?)\.")

_MAT_FS_KEYS = ("fs", "sampling_rate", "samplingrate", "sampling_frequency", "samplerate", "sps")
_MAT_DT_KEYS = ("dt", "delta", "time_interval", "sampling_interval")
_MAT_STATION_KEYS = (
    "station",
    "statid",
    "station_id",
    "stationid",
    "station_code",
    "stationcode",
    "station_name",
    "sta",
)

_SEED_CODE = re.compile(r"^[A-Za-z0-9]*$")
_SEED_LIMITS = {"network": 2, "station": 5, "location": 2}


# --------------------------------------------------------------------------
# Array helpers
# --------------------------------------------------------------------------


def fix_length(X, n_times):
    """Crop or zero-pad the last axis to ``n_times`` samples.

    Samples are removed from, or zeros appended at, the end; the start of the
    record and its sampling rate are untouched (a record is never resampled to
    change its length, which would move its resonance frequency).

    Parameters
    ----------
    X : array-like of shape (..., n_samples)
        Records, e.g. (n_records, 3, n_samples) or one trace (n_samples,).
    n_times : int
        Length of the result's last axis.

    Returns
    -------
    X_fixed : ndarray of shape (..., n_times)
        A new array with the dtype of ``X``.

    Raises
    ------
    TypeError
        If ``n_times`` is not an integer or ``X`` is not a real numeric array.
    ValueError
        If ``n_times < 1``, ``X`` is a scalar or holds NaN or inf.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.io import fix_length
    >>> fix_length(np.arange(1.0, 6.0), 3)
    array([1., 2., 3.])
    >>> fix_length(np.arange(1.0, 4.0), 5)
    array([1., 2., 3., 0., 0.])
    """
    n_times = check_count(n_times, "n_times")
    X = np.asarray(X)
    if X.ndim == 0:
        raise ValueError("X must have at least one axis (time), got a scalar.")
    if X.dtype.kind not in "iuf":
        raise TypeError(f"X must be a real numeric array, got dtype {X.dtype}.")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite (no NaN or inf).")
    out = np.zeros(X.shape[:-1] + (n_times,), dtype=X.dtype)
    n_kept = min(n_times, X.shape[-1])
    out[..., :n_kept] = X[..., :n_kept]
    return out


def _resample(data, rate, fs):
    """Anti-aliased resampling of one trace from ``rate`` to ``fs`` Hz."""
    if rate == fs:
        return np.asarray(data, dtype=np.float64)
    ratio = Fraction(fs / rate).limit_denominator(1000)
    if abs(float(ratio) * rate - fs) <= 1e-9 * fs:
        # Polyphase FIR (Kaiser window), zero delay; a linear edge extension
        # keeps a baseline offset from ringing at the record's ends.
        return resample_poly(data, ratio.numerator, ratio.denominator, padtype="line")
    # No small rational ratio (e.g. a drifting 99.99 Hz clock).
    trace = Trace(np.asarray(data, dtype=np.float64), header={"sampling_rate": rate})
    if fs < rate:
        trace.filter("lowpass", freq=0.45 * fs, corners=8, zerophase=True)
    trace.interpolate(sampling_rate=fs, method="lanczos", a=20)
    return trace.data


# --------------------------------------------------------------------------
# obspy streams
# --------------------------------------------------------------------------


def _station_label(network, station, location):
    """``NET.STA.LOC``, ``NET.STA`` without location, ``STA`` when both are empty."""
    if location:
        return f"{network}.{station}.{location}"
    if network:
        return f"{network}.{station}"
    return station


def _channel_slot(channel):
    """Record slot (0 E, 1 N, 2 U) of a channel code, or None."""
    code = channel.strip().upper()
    nied = code.rstrip("0123456789")
    if nied in _NIED_SLOTS:
        return _NIED_SLOTS[nied]
    return _SEED_SLOTS.get(code[-1:])


def _to_acceleration(trace, inventory):
    """Copy of ``trace`` as float64 in m/s^2."""
    trace = trace.copy()
    # Masked samples (gaps of a merged stream) become zeros, like padding.
    trace.data = np.ma.filled(trace.data, 0).astype(np.float64)
    if inventory is not None:
        try:
            response = inventory.get_response(trace.id, trace.stats.starttime)
            units = response.instrument_sensitivity.input_units
        except Exception as exc:
            raise ValueError(
                f"inventory has no instrument sensitivity for {trace.id} at "
                f"{trace.stats.starttime}: {exc}"
            ) from exc
        factor = _ACCELERATION_UNITS.get(str(units).strip().upper())
        if factor is None:
            raise ValueError(
                f"{trace.id}: the inventory's sensitivity input unit is "
                f"{units!r}, not an acceleration (m/s**2); skgen reads "
                "accelerograms only."
            )
        trace.remove_sensitivity(inventory)
        trace.data *= factor
    elif trace.stats.calib != 1.0:
        trace.data *= trace.stats.calib
    trace.stats.calib = 1.0
    return trace


def _time_clusters(traces):
    """Split one station's traces into records: groups overlapping in time."""
    clusters = []
    end = None
    for trace in sorted(traces, key=lambda tr: tr.stats.starttime):
        if end is None or trace.stats.starttime > end:
            clusters.append([])
            end = trace.stats.endtime
        clusters[-1].append(trace)
        end = max(end, trace.stats.endtime)
    return clusters


def _record_from_traces(traces, label, fs, n_times):
    """One (3, n_times) record from one station's traces of one time span."""
    slots = {}
    for trace in traces:
        slot = _channel_slot(trace.stats.channel)
        if slot is None:
            raise ValueError(
                f"station {label}: channel {trace.stats.channel!r} is neither "
                "east (E, 2, EW), north (N, 1, NS) nor vertical (Z, UD)."
            )
        slots.setdefault(slot, []).append(trace)
    missing = [_SLOT_NAMES[s] for s in range(3) if s not in slots]
    if missing:
        found = sorted({tr.stats.channel for tr in traces})
        raise ValueError(
            f"station {label} (record starting {min(tr.stats.starttime for tr in traces)}) "
            f"is missing component(s) {', '.join(missing)}; channels found: "
            f"{', '.join(found)}."
        )
    parts = []
    for slot in range(3):
        channels = sorted({tr.stats.channel for tr in slots[slot]})
        if len(channels) > 1:
            raise ValueError(
                f"station {label} has several channels for {_SLOT_NAMES[slot]}: "
                f"{', '.join(channels)}; select one (e.g. stream.select("
                "channel=...)) before reading."
            )
        segments = Stream(slots[slot])
        if len(segments) > 1:
            # Pieces of one channel (gaps, split records) form one trace;
            # gaps are filled with zeros, as the record is zero-padded.
            try:
                segments.merge(method=1, fill_value=0)
            except Exception as exc:
                raise ValueError(
                    f"station {label}: cannot merge the pieces of channel {channels[0]}: {exc}"
                ) from exc
        trace = segments[0]
        rate = float(trace.stats.sampling_rate)
        if not np.isfinite(rate) or rate <= 0:
            raise ValueError(f"{trace.id} has an invalid sampling rate {rate}.")
        if not np.all(np.isfinite(trace.data)):
            raise ValueError(f"{trace.id} contains non-finite samples.")
        parts.append((trace.stats.starttime, _resample(trace.data, rate, fs)))
    # Align on the latest start so every component has data from sample 0.
    start = max(part[0] for part in parts)
    record = np.empty((3, n_times), dtype=np.float32)
    for slot, (part_start, data) in enumerate(parts):
        offset = int(round((start - part_start) * fs))
        record[slot] = fix_length(data[offset:], n_times)
    return record


def from_stream(stream, fs=100.0, n_times=6000, inventory=None):
    """Turn an obspy stream of accelerograms into records.

    Traces are grouped per station (network, station and location codes);
    within a station, traces overlapping in time form one record, so one
    stream may hold several records of a station. Each record is converted to
    m/s^2, resampled (anti-aliased) to ``fs``, aligned to the latest
    component start and cropped or zero-padded at the end to ``n_times``.

    Parameters
    ----------
    stream : obspy.Stream
        Acceleration traces. Channel codes are mapped by their last letter:
        ``E`` or ``2`` -> east slot, ``N`` or ``1`` -> north slot, ``Z`` ->
        vertical (SEED: ``1`` and ``2`` are the orthogonal horizontals, ``1``
        the north-ish one). K-NET/KiK-net names ``EW``, ``NS``, ``UD`` (with
        an optional sensor digit) are mapped likewise. Horizontals are not
        rotated. Pieces of one channel separated by a gap are merged with
        zeros in the gap.
    fs : float, default=100.0
        Target sampling rate in Hz.
    n_times : int, default=6000
        Samples per record.
    inventory : obspy.Inventory or None, default=None
        If given, counts are converted with ``Trace.remove_sensitivity``
        (overall sensitivity, whose input unit must be an acceleration);
        otherwise data are multiplied by ``stats.calib`` when it is not 1
        (obspy's K-NET reader stores the gal-to-m/s^2 scale there), and taken
        as m/s^2 as they are when it is 1.

    Returns
    -------
    X : ndarray of shape (n_records, 3, n_times), float32
        Records in m/s^2, channels E, N, U.
    stations : ndarray of shape (n_records,), dtype object
        ``"NET.STA.LOC"``, or ``"NET.STA"`` when the location code is empty,
        or ``"STA"`` when network and location codes are both empty. Records
        come in order of first appearance of their station in ``stream``,
        then by time.

    Raises
    ------
    TypeError
        If ``stream`` is not an obspy Stream or ``inventory`` not an Inventory.
    ValueError
        If a station lacks a component (naming the station and the missing
        component), has two channels for one component, or has an unknown
        channel code; if the inventory has no acceleration sensitivity for a
        trace; on an empty stream or invalid ``fs``/``n_times``.

    Examples
    --------
    >>> import numpy as np
    >>> from obspy import Stream, Trace
    >>> from skgen.io import from_stream
    >>> stream = Stream([Trace(np.ones(300), header={
    ...     "network": "XX", "station": "ABC", "channel": f"HN{c}",
    ...     "sampling_rate": 200.0}) for c in "ENZ"])
    >>> X, stations = from_stream(stream, fs=100.0, n_times=200)
    >>> X.shape, list(stations)
    ((1, 3, 200), ['XX.ABC'])
    """
    if not isinstance(stream, Stream):
        raise TypeError(f"stream must be an obspy Stream, got {type(stream).__name__}.")
    fs = check_positive(fs, "fs")
    n_times = check_count(n_times, "n_times")
    if inventory is not None and not isinstance(inventory, Inventory):
        raise TypeError(
            f"inventory must be an obspy Inventory or None, got {type(inventory).__name__}."
        )
    if len(stream) == 0:
        raise ValueError("stream contains no traces.")
    by_station = {}
    for trace in stream:
        stats = trace.stats
        key = (stats.network, stats.station, stats.location)
        by_station.setdefault(key, []).append(_to_acceleration(trace, inventory))
    records, stations = [], []
    for key, traces in by_station.items():
        label = _station_label(*key)
        for cluster in _time_clusters(traces):
            records.append(_record_from_traces(cluster, label, fs, n_times))
            stations.append(label)
    X = np.stack(records)
    return X, check_stations(stations, len(stations))


def _seed_codes(label):
    """(network, station, location) codes of a station label, validated."""
    if not isinstance(label, (str, numbers.Integral)):
        raise ValueError(
            f"station label {label!r} is a {type(label).__name__}; only string "
            "or integer labels can be written as SEED codes."
        )
    parts = str(label).split(".")
    if len(parts) > 3:
        raise ValueError(
            f"station label {label!r} has more than three dot-separated parts; "
            "use 'NET.STA.LOC', 'NET.STA' or 'STA'."
        )
    if len(parts) == 1:
        network, station, location = "", parts[0], ""
    elif len(parts) == 2:
        network, station, location = parts[0], parts[1], ""
    else:
        network, station, location = parts
    for name, code in (("network", network), ("station", station), ("location", location)):
        if len(code) > _SEED_LIMITS[name] or not _SEED_CODE.match(code):
            raise ValueError(
                f"station label {label!r}: {name} code {code!r} does not fit "
                f"SEED (at most {_SEED_LIMITS[name]} letters or digits); "
                "relabel the records with short codes before writing."
            )
    if not station:
        raise ValueError(f"station label {label!r} has an empty station code.")
    return network, station, location


def to_stream(X, stations, fs, starttime=None):
    """Write records into an obspy stream (channels HNE, HNN, HNZ).

    Parameters
    ----------
    X : array-like of shape (n_records, 3, n_times)
        Records in m/s^2, channels E, N, U.
    stations : array-like of shape (n_records,)
        Labels ``"NET.STA.LOC"``, ``"NET.STA"`` or ``"STA"`` (integers are
        written as station codes and read back as strings; float labels are
        rejected). Codes must fit
        SEED: network <= 2, station 1-5, location <= 2 letters or digits.
    fs : float
        Sampling rate in Hz.
    starttime : obspy.UTCDateTime, str, sequence of those, or None
        Start of each record. A single time (default 1970-01-01) is the start
        of the first record; record ``i`` then starts ``i * spacing`` later,
        with ``spacing`` the record duration rounded up to whole seconds plus
        60 s, so that records of one station stay separate traces in one
        file and :func:`from_stream` reads them back as separate records.
        A sequence gives one start per record.

    Returns
    -------
    stream : obspy.Stream
        ``3 * n_records`` float32 traces, ready for ``stream.write(...,
        format="MSEED")`` or ``format="SAC"``.

    Raises
    ------
    ValueError
        If a label does not fit SEED codes, ``X`` does not have 3 channels,
        ``starttime`` has the wrong length, or ``fs`` is invalid.
    TypeError
        If ``X`` is not numeric.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.io import to_stream
    >>> stream = to_stream(np.zeros((2, 3, 100)), ["CE.68150", "0205"], 100.0)
    >>> [tr.id for tr in stream][:3]
    ['CE.68150..HNE', 'CE.68150..HNN', 'CE.68150..HNZ']
    """
    X = check_records(X, n_channels=3)
    stations = check_stations(stations, X.shape[0])
    fs = check_positive(fs, "fs")
    codes = [_seed_codes(label) for label in stations]
    n_records, _, n_times = X.shape
    if starttime is None or isinstance(starttime, (str, UTCDateTime, numbers.Real)):
        first = UTCDateTime(0) if starttime is None else UTCDateTime(starttime)
        spacing = float(np.ceil(n_times / fs)) + 60.0
        starts = [first + i * spacing for i in range(n_records)]
    else:
        starts = [UTCDateTime(t) for t in starttime]
        if len(starts) != n_records:
            raise ValueError(f"starttime has {len(starts)} entries for {n_records} records.")
    traces = []
    for record, (network, station, location), start in zip(X, codes, starts):
        for data, component in zip(record, "ENZ"):
            traces.append(
                Trace(
                    data.copy(),
                    header={
                        "network": network,
                        "station": station,
                        "location": location,
                        "channel": f"HN{component}",
                        "sampling_rate": fs,
                        "starttime": start,
                    },
                )
            )
    return Stream(traces)


# --------------------------------------------------------------------------
# PEER .AT2
# --------------------------------------------------------------------------


def _parse_at2(path):
    """Acceleration (m/s^2), dt, station name and component token of an AT2 file."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("ascii")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{path}: not a PEER AT2 text file (non-ASCII byte at {exc.start})."
        ) from exc
    lines = text.splitlines()
    if len(lines) < 4:
        raise ValueError(f"{path}: truncated PEER AT2 file ({len(lines)} of 4 header lines).")
    if re.search(r"VELOCITY|DISPLACEMENT", lines[2], re.IGNORECASE):
        raise ValueError(f"{path}: holds {lines[2].strip()!r}, not an acceleration time series.")
    unit = re.search(r"UNITS\s+OF\s+(\S+)", lines[2], re.IGNORECASE)
    factor = G
    if unit:
        factor = _AT2_UNITS.get(unit.group(1).upper().rstrip(".,"))
        if factor is None:
            raise ValueError(f"{path}: unknown acceleration unit {unit.group(1)!r}.")
    npts, dt = _at2_npts_dt(lines[3], path)
    tokens = " ".join(lines[4:]).split()
    try:
        values = np.array(tokens, dtype=np.float64)
    except ValueError as exc:
        raise ValueError(f"{path}: garbled PEER AT2 data ({exc}).") from exc
    n_exponents = sum("E" in token.upper() for token in tokens)
    if 0 < n_exponents < len(tokens):
        # PEER writes every value in one format (E15.7 in NGA-West2); a value
        # that lost its exponent was cut off, e.g. by a truncated download.
        raise ValueError(
            f"{path}: truncated or garbled PEER AT2 data ({len(tokens) - n_exponents}"
            " value(s) without the exponent the others have)."
        )
    if values.size != npts:
        problem = "truncated" if values.size < npts else "garbled"
        raise ValueError(
            f"{path}: {problem} PEER AT2 file, header NPTS={npts} but {values.size} values."
        )
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{path}: PEER AT2 data contain non-finite values.")
    fields = [field.strip() for field in lines[1].split(",")]
    station = fields[-2] if len(fields) >= 3 and fields[-2] else None
    component = fields[-1].upper() if len(fields) >= 2 and fields[-1] else None
    return values * factor, dt, station, component


def _at2_npts_dt(line, path):
    """NPTS and DT from the 4th header line, both PEER layouts."""
    npts = re.search(r"NPTS\s*=\s*(\d+)", line, re.IGNORECASE)
    dt = re.search(r"DT\s*=\s*([-+0-9.Ee]+)", line, re.IGNORECASE)
    try:
        if npts and dt:
            npts, dt = int(npts.group(1)), float(dt.group(1))
        else:
            # Older layout: "5590    0.0050    NPTS, DT".
            first, second = line.replace(",", " ").split()[:2]
            npts, dt = int(first), float(second)
    except ValueError as exc:
        raise ValueError(
            f"{path}: cannot read NPTS and DT from header line {line.strip()!r}."
        ) from exc
    if npts < 1 or not np.isfinite(dt) or dt <= 0:
        raise ValueError(f"{path}: invalid NPTS={npts} or DT={dt} in header line {line.strip()!r}.")
    return npts, dt


def read_peer_at2(path):
    """Read one PEER NGA-West2 ``.AT2`` acceleration file.

    The file has four header lines; the fourth gives the number of points and
    the time step, as ``NPTS=  5590, DT= .0050 SEC`` (NGA-West2) or
    ``5590    0.0050    NPTS, DT`` (older PEER files). Values in g (the third
    line's ``UNITS OF G``) are converted to m/s^2 with g = 9.80665.

    Parameters
    ----------
    path : str or path-like
        The ``.AT2`` file.

    Returns
    -------
    acceleration : ndarray of shape (npts,)
        Acceleration in m/s^2, float64.
    dt : float
        Time step in seconds.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is truncated, garbled, not text, or not an acceleration
        record; the message names the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skgen.io import read_peer_at2
    >>> text = ("PEER NGA STRONG MOTION DATABASE RECORD\\n"
    ...         "Test event, 1/1/2000, Test station, 090\\n"
    ...         "ACCELERATION TIME SERIES IN UNITS OF G\\n"
    ...         "NPTS=    3, DT=   .0100 SEC\\n"
    ...         "  .1000000E+00 -.2000000E+00  .0000000E+00\\n")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "TEST090.AT2"
    >>> _ = path.write_text(text)
    >>> acceleration, dt = read_peer_at2(path)
    >>> acceleration.round(5).tolist(), dt
    ([0.98066, -1.96133, 0.0], 0.01)
    """
    _check_file(path)
    acceleration, dt, _, _ = _parse_at2(path)
    return acceleration, dt


def _at2_orientation(component, stem):
    """('vertical', None) or ('horizontal', azimuth) of a PEER component."""
    tokens = [component] if component else []
    suffix = _AT2_SUFFIX.search(stem)
    if suffix:
        tokens.append(suffix.group(1).upper())
    for token in tokens:
        if token in _AT2_VERTICAL or token.endswith(("-UP", "-DWN")):
            return "vertical", None
        if token in _AT2_AZIMUTH:
            return "horizontal", _AT2_AZIMUTH[token]
        if re.fullmatch(r"\d{1,3}(\.\d*)?", token):
            return "horizontal", float(token) % 360.0
    return None, None


def _at2_group_key(path, component):
    """Group key and base name: the file stem minus its component suffix."""
    stem = path.stem
    if component and stem.upper().endswith(component):
        base = stem[: -len(component)]
    else:
        suffix = _AT2_SUFFIX.search(stem)
        base = stem[: suffix.start()] if suffix else stem
    base = base.rstrip("-_. ")
    return (str(path.parent.resolve()), base.upper()), base


def _read_at2_triplets(paths, fs, n_times):
    """Records from AT2 files grouped into E, N, U triplets, keyed by first path."""
    groups = {}
    for index, path in paths:
        acceleration, dt, station, component = _parse_at2(path)
        kind, azimuth = _at2_orientation(component, path.stem)
        if kind is None:
            raise ValueError(
                f"{path}: cannot tell the component from the header "
                f"({component!r}) or the file name; expected an azimuth "
                "(e.g. 090, 180), UP, DWN or V."
            )
        key, base = _at2_group_key(path, component)
        groups.setdefault(key, []).append(
            dict(
                index=index,
                path=path,
                acceleration=acceleration,
                dt=dt,
                station=station,
                kind=kind,
                azimuth=azimuth,
                base=base,
            )
        )
    records = []
    for members in groups.values():
        names = ", ".join(str(m["path"]) for m in members)
        verticals = [m for m in members if m["kind"] == "vertical"]
        horizontals = [m for m in members if m["kind"] == "horizontal"]
        if len(verticals) != 1 or len(horizontals) != 2:
            raise ValueError(
                "PEER AT2 files must come in triplets (two horizontals and one "
                f"vertical per station); found {len(horizontals)} horizontal(s) "
                f"and {len(verticals)} vertical(s) in: {names}."
            )
        dts = {m["dt"] for m in members}
        if max(dts) - min(dts) > 1e-9:
            raise ValueError(f"AT2 triplet with different DT values {sorted(dts)}: {names}.")
        (h1, h2), up = horizontals, verticals[0]
        if abs(np.sin(np.radians(h1["azimuth"] - h2["azimuth"]))) < 1e-3:
            raise ValueError(
                f"AT2 horizontals have parallel azimuths {h1['azimuth']} and "
                f"{h2['azimuth']}: {names}."
            )
        npts = max(m["acceleration"].size for m in members)
        h1_data, h2_data, up_data = (fix_length(m["acceleration"], npts) for m in (h1, h2, up))
        # Rotate the recorded azimuths to geographic N and E; the vertical
        # (dip -90 in SEED's convention) passes unchanged.
        _, north, east = rotate2zne(
            up_data, 0.0, -90.0, h1_data, h1["azimuth"], 0.0, h2_data, h2["azimuth"], 0.0
        )
        rate = 1.0 / members[0]["dt"]
        record = np.stack(
            [
                fix_length(_resample(channel, rate, fs), n_times)
                for channel in (east, north, up_data)
            ]
        )
        stations = {m["station"] for m in members if m["station"]}
        label = stations.pop() if len(stations) == 1 else members[0]["base"]
        records.append((min(m["index"] for m in members), record, label))
    return records


# --------------------------------------------------------------------------
# AFAD MATLAB files
# --------------------------------------------------------------------------


def _mat_fields(container):
    """Field name -> value of a loadmat dict or mat_struct, names lower-cased."""
    if isinstance(container, dict):
        items = container.items()
    else:
        items = ((name, getattr(container, name)) for name in getattr(container, "_fieldnames", ()))
    return {str(name).lower(): value for name, value in items if not str(name).startswith("__")}


def _mat_scalar(value):
    """A number or string from a squeezed MATLAB value, else None."""
    value = np.asarray(value)
    if value.size != 1:
        return None
    value = value.item()
    if isinstance(value, (str, bytes)):
        text = value.decode() if isinstance(value, bytes) else value
        return text.strip() or None
    if isinstance(value, numbers.Real) and np.isfinite(value):
        return value
    return None


def read_afad_mat(path):
    """Read an AFAD-style MATLAB accelerogram.

    Two layouts are recognised:

    - a top-level array ``signal`` of shape (3, N) (or (N, 3)), channels
      E, N, U;
    - a struct ``EQ.anEQ`` (or ``anEQ``) whose ``Accel`` is (N, 3) with
      columns North, East, Up (AFAD's order), reordered here to E, N, U.

    The sampling rate comes from a field ``fs``/``sampling_rate``/... or a
    time step ``dt``/``delta``/..., the station from ``station``/``statID``/...
    (top-level variables for ``signal``, fields of ``anEQ`` otherwise). Values
    are returned as stored: AFAD distributes acceleration in gal (cm/s^2).

    Parameters
    ----------
    path : str or path-like
        The ``.mat`` file (MATLAB v4-v7.2; v7.3 files are HDF5).

    Returns
    -------
    record : ndarray of shape (3, n_times)
        Channels E, N, U, float64.
    fs : float or None
        Sampling rate in Hz, if the file stores one.
    station : str or None
        Station code, if the file stores one (numbers are formatted as
        integers when integral).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is not a readable MATLAB file, has neither layout, or
        holds a malformed or non-finite record; the message names the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np, scipy.io
    >>> from skgen.io import read_afad_mat
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "AFAD.0205.mat"
    >>> scipy.io.savemat(path, {"signal": np.ones((3, 50)), "fs": 100.0,
    ...                         "station": "0205"})
    >>> record, fs, station = read_afad_mat(path)
    >>> record.shape, fs, station
    ((3, 50), 100.0, '0205')
    """
    _check_file(path)
    try:
        mat = scipy.io.loadmat(path, squeeze_me=True, struct_as_record=False)
    except Exception as exc:
        raise ValueError(f"{path}: not a readable MATLAB file ({exc}).") from exc
    if "signal" in mat:
        meta = _mat_fields(mat)
        record = _mat_array(mat["signal"], path, "signal")
        if record.shape[0] != 3 and record.shape[1] == 3:
            record = record.T
        if record.shape[0] != 3:
            raise ValueError(f"{path}: 'signal' has shape {record.shape}; expected (3, N).")
    else:
        event = mat.get("anEQ")
        if event is None and "EQ" in mat:
            event = getattr(mat["EQ"], "anEQ", None)
        accel = getattr(event, "Accel", None)
        if accel is None:
            raise ValueError(
                f"{path}: no AFAD record found (expected a 'signal' array or "
                f"an 'EQ.anEQ.Accel' struct field; variables: "
                f"{sorted(k for k in mat if not k.startswith('__'))})."
            )
        meta = _mat_fields(event)
        accel = _mat_array(accel, path, "EQ.anEQ.Accel")
        if accel.shape[1] != 3:
            raise ValueError(f"{path}: 'EQ.anEQ.Accel' has shape {accel.shape}; expected (N, 3).")
        record = accel.T[[1, 0, 2]]
    fs = None
    for key in _MAT_FS_KEYS + _MAT_DT_KEYS:
        value = _mat_scalar(meta.get(key))
        if isinstance(value, numbers.Real) and value > 0:
            fs = float(value) if key in _MAT_FS_KEYS else 1.0 / float(value)
            break
    station = None
    for key in _MAT_STATION_KEYS:
        value = _mat_scalar(meta.get(key))
        if value is not None:
            is_integral = isinstance(value, numbers.Real) and float(value).is_integer()
            station = str(int(value)) if is_integral else str(value)
            break
    return record, fs, station


def _mat_array(value, path, name):
    """A finite 2-D float array from a MATLAB value."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path}: '{name}' is not a numeric array ({exc}).") from exc
    if array.ndim != 2 or array.size == 0:
        raise ValueError(f"{path}: '{name}' has shape {array.shape}; expected 2-D.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{path}: '{name}' contains non-finite values.")
    return array


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def _check_file(path):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or path-like, got {type(path).__name__}.")
    if not Path(path).is_file():
        raise FileNotFoundError(f"No such file (or not a file): {os.fspath(path)!r}")


def _read_obspy(path):
    """obspy.read with corrupt-file checks; errors name the file."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            stream = obspy.read(os.fspath(path))
        except Exception as exc:
            raise ValueError(f"{path}: cannot read as a seismogram ({exc}).") from exc
    for warning in caught:
        message = str(warning.message)
        # libmseed reports a failed Steim checksum as a warning and returns
        # the garbled samples anyway.
        if "readMSEEDBuffer" in message or "Data integrity check" in message:
            raise ValueError(f"{path}: corrupt or truncated miniSEED ({message}).")
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    mseed = [tr.stats.mseed for tr in stream if tr.stats._format == "MSEED"]
    if mseed and len({m.record_length for m in mseed}) == 1:
        # libmseed silently drops a cut-off last record: check every byte of
        # the file belongs to a record that was read.
        in_records = sum(m.number_of_records * m.record_length for m in mseed)
        if in_records != mseed[0].filesize:
            raise ValueError(
                f"{path}: corrupt or truncated miniSEED ({in_records} of "
                f"{mseed[0].filesize} bytes in readable records)."
            )
    for trace in stream:
        if not np.all(np.isfinite(trace.data)):
            raise ValueError(f"{path}: trace {trace.id} has non-finite samples.")
    return stream


def read_records(paths, fs=100.0, n_times=6000, inventory=None):
    """Read strong-motion records from files into ``(X, stations)``.

    Formats, by file name:

    - ``*.AT2`` (any case): PEER NGA-West2 files, three per record. Files
      are grouped by their name stem minus the component suffix (e.g.
      ``RSN6_IMPVALL.I_I-ELC180``, ``...-ELC270`` and ``...-ELC-UP`` form
      one record). The component is the last comma-separated field of the
      second header line, else the name's suffix: ``UP``, ``DWN``, ``V``
      (and ``DOWN``, ``DN``, ``UD``, ``VER``, ``VERT``, ``Z``) mean vertical,
      taken as positive up; an azimuth in degrees (``000``, ``090``,
      ``228``...) or ``N``/``E`` means a horizontal. The two horizontals are
      rotated from their azimuths to geographic E and N
      (:func:`obspy.signal.rotate.rotate2zne`). Station: the header's
      station name, else the grouped stem.
    - ``*.mat``: AFAD-style MATLAB files, one record each
      (:func:`read_afad_mat`), values as stored (AFAD: gal); without a
      stored rate they are taken as 100 Hz. Station: the file's metadata,
      else ``XXXX`` from an ``AFAD.XXXX.`` name, else the file stem.
    - anything else: every format :func:`obspy.read` recognises (miniSEED,
      SAC, K-NET, ...). All such files are read into one stream and passed
      to :func:`from_stream`, so the components of a record may sit in
      separate files.

    Parameters
    ----------
    paths : str, path-like or sequence of those
        Files to read.
    fs : float, default=100.0
        Target sampling rate in Hz (anti-aliased resampling).
    n_times : int, default=6000
        Samples per record (crop or zero-pad at the end).
    inventory : obspy.Inventory, str, path-like or None, default=None
        Instrument responses (or a StationXML file) for obspy-read files in
        counts; see :func:`from_stream`.

    Returns
    -------
    X : ndarray of shape (n_records, 3, n_times), float32
        Channels E, N, U.
    stations : ndarray of shape (n_records,), dtype object
        One label per record, in order of the first file of each record.

    Raises
    ------
    FileNotFoundError
        If a file (or the StationXML file) does not exist; names it.
    ValueError
        If a file is unreadable, corrupt, truncated or of an unknown format
        (naming the file), or a record lacks a component.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from skgen.io import read_records, to_stream
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "records.mseed"
    >>> X = np.random.default_rng(0).normal(size=(2, 3, 500)).astype("float32")
    >>> to_stream(X, ["XX.STA1", "XX.STA2"], fs=100.0).write(path, format="MSEED")
    >>> X_read, stations = read_records(path, fs=100.0, n_times=500)
    >>> np.array_equal(X_read, X), list(stations)
    (True, ['XX.STA1', 'XX.STA2'])
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    try:
        paths = [Path(path) for path in paths]
    except TypeError as exc:
        raise TypeError("paths must be a path or a sequence of paths (str or path-like).") from exc
    if not paths:
        raise ValueError("paths is empty.")
    for path in paths:
        _check_file(path)
    fs = check_positive(fs, "fs")
    n_times = check_count(n_times, "n_times")
    if isinstance(inventory, (str, os.PathLike)):
        _check_file(inventory)
        try:
            inventory = obspy.read_inventory(os.fspath(inventory))
        except Exception as exc:
            raise ValueError(f"{inventory}: cannot read as StationXML ({exc}).") from exc

    records = []  # (index of first file, record, label)
    at2 = [(i, p) for i, p in enumerate(paths) if p.suffix.lower() == ".at2"]
    records += _read_at2_triplets(at2, fs, n_times)
    for index, path in enumerate(paths):
        if path.suffix.lower() != ".mat":
            continue
        record, rate, station = read_afad_mat(path)
        if station is None:
            match = _AFAD_NAME.search(path.name)
            station = match.group(1) if match else path.stem
        rate = AFAD_SAMPLING_RATE if rate is None else rate
        record = np.stack([fix_length(_resample(c, rate, fs), n_times) for c in record])
        records.append((index, record, station))
    seismograms = [(i, p) for i, p in enumerate(paths) if p.suffix.lower() not in (".at2", ".mat")]
    if seismograms:
        stream = Stream()
        for _, path in seismograms:
            stream += _read_obspy(path)
        try:
            X, stations = from_stream(stream, fs=fs, n_times=n_times, inventory=inventory)
        except ValueError as exc:
            # from_stream knows stations, not files: say which files it read.
            names = ", ".join(str(path) for _, path in seismograms)
            raise ValueError(f"{names}: {exc}") from exc
        records += [(seismograms[0][0], record, label) for record, label in zip(X, stations)]
    records.sort(key=lambda item: item[0])
    X = np.stack([record for _, record, _ in records]).astype(np.float32)
    return X, check_stations([label for _, _, label in records], len(records))
