"""obspy streams and every format obspy reads (miniSEED, SAC, K-NET, ...).

Traces are grouped per station (network, station and location codes);
within a station, traces overlapping in time form one record. Counts are
converted to m/s^2 with a StationXML inventory (the overall sensitivity,
whose input unit must be an acceleration).
"""

import numbers
import os
import re
import warnings

import numpy as np
import obspy
from obspy import Inventory, Stream, Trace, UTCDateTime

from .._validation import check_finite, check_positive, check_records, check_stations
from ._arrays import UNITS, fix_length, resample, units_factor
from ._record import Record, finish, reading_options

# Channel slots in a record: E, N, U.
_EAST, _NORTH, _UP = 0, 1, 2
_SLOT_NAMES = ("E (east)", "N (north)", "Z/U (vertical)")

# SEED orientation codes (last letter of the channel code); 1 and 2 are the
# two orthogonal horizontals, conventionally 1 the north-ish one.
_SEED_SLOTS = {"E": _EAST, "2": _EAST, "N": _NORTH, "1": _NORTH, "Z": _UP}
# K-NET / KiK-net channel names as obspy's reader gives them (EW, NS, UD,
# with a sensor digit for KiK-net: 1 borehole, 2 surface).
_NIED_SLOTS = {"EW": _EAST, "NS": _NORTH, "UD": _UP}

_SEED_CODE = re.compile(r"^[A-Za-z0-9]*$")
_SEED_LIMITS = {"network": 2, "station": 5, "location": 2}

# The file a trace came from, kept in its stats by read_records.
FILE_KEY = "skgen_file"


def station_label(network, station, location):
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


def _source(trace):
    return trace.stats.get(FILE_KEY)


def _to_acceleration(trace, inventory, factor):
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
        unit_factor = UNITS.get(str(units).strip().upper())
        if unit_factor is None or unit_factor == UNITS["G"]:
            raise ValueError(
                f"{trace.id}: the inventory's sensitivity input unit is "
                f"{units!r}, not an acceleration (m/s**2); skgen reads "
                "accelerograms only."
            )
        trace.remove_sensitivity(inventory)
        trace.data *= unit_factor
    elif trace.stats.calib != 1.0:
        trace.data *= trace.stats.calib
    trace.data *= factor
    trace.stats.calib = 1.0
    return trace


def _time_clusters(traces):
    """Split one station's traces into groups overlapping in time."""
    clusters = []
    end = None
    for trace in sorted(traces, key=lambda tr: tr.stats.starttime):
        if end is None or trace.stats.starttime > end:
            clusters.append([])
            end = trace.stats.endtime
        clusters[-1].append(trace)
        end = max(end, trace.stats.endtime)
    return clusters


def _names(traces):
    return ", ".join(sorted({str(_source(tr)) for tr in traces if _source(tr)}))


def _split_by_file(cluster, label):
    """Records of one station's overlapping traces: nothing merged across files.

    Components of one record may sit in separate files (SAC holds one trace
    per file). When one component comes from several files, each file must
    hold a whole record, and each becomes its own record.
    """
    files_per_slot = {}
    for trace in cluster:
        files_per_slot.setdefault(_channel_slot(trace.stats.channel), set()).add(_source(trace))
    if all(len(files) <= 1 for files in files_per_slot.values()):
        return [cluster]
    by_file = {}
    for trace in cluster:
        by_file.setdefault(_source(trace), []).append(trace)
    whole = all(
        {_channel_slot(tr.stats.channel) for tr in group} >= {_EAST, _NORTH, _UP}
        for group in by_file.values()
    )
    if not whole:
        raise ValueError(
            f"station {label}: files {_names(cluster)} hold overlapping data of the same "
            "component but not a whole 3-component record each; skgen does not "
            "merge records across files (read them in separate calls or fix their times)."
        )
    return list(by_file.values())


def _check_no_overlap(segments, label):
    """Pieces of one channel may leave gaps, but two may not cover one time."""
    segments = sorted(segments, key=lambda tr: tr.stats.starttime)
    for before, after in zip(segments, segments[1:]):
        if after.stats.starttime < before.stats.endtime - 0.5 * before.stats.delta:
            files = _names([before, after])
            where = f" in {files}" if files else ""
            raise ValueError(
                f"station {label}: two traces of channel {before.stats.channel}{where} "
                f"overlap ({before.stats.starttime} - {before.stats.endtime} and "
                f"{after.stats.starttime} - {after.stats.endtime}); give records of "
                "one station distinct times, or read them from separate files."
            )


def _record_from_traces(traces, label, fs):
    """One whole record at ``fs`` from one station's traces of one time span."""
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
    parts, channels, rates = [], [], []
    for slot in range(3):
        channel_codes = sorted({tr.stats.channel for tr in slots[slot]})
        if len(channel_codes) > 1:
            raise ValueError(
                f"station {label} has several channels for {_SLOT_NAMES[slot]}: "
                f"{', '.join(channel_codes)}; select one (e.g. stream.select("
                "channel=...)) before reading."
            )
        _check_no_overlap(slots[slot], label)
        segments = Stream(slots[slot])
        if len(segments) > 1:
            # Pieces of one channel (gaps, split records) form one trace;
            # gaps are filled with zeros, as the record is zero-padded.
            segments.merge(method=1, fill_value=0)
        trace = segments[0]
        rate = float(trace.stats.sampling_rate)
        if not np.isfinite(rate) or rate <= 0:
            raise ValueError(f"{trace.id} has an invalid sampling rate {rate}.")
        check_finite(trace.data, f"station {label}: trace {trace.id}")
        parts.append((trace.stats.starttime, resample(trace.data, rate, fs)))
        channels.append(channel_codes[0])
        rates.append(rate)
    # Align on the latest start so every component has data from sample 0.
    start = max(part[0] for part in parts)
    aligned = [data[int(round((start - part_start) * fs)) :] for part_start, data in parts]
    # Components that end early are zero-padded to the longest.
    n_samples = max(len(data) for data in aligned)
    files = sorted({str(_source(tr)) for tr in traces if _source(tr)})
    return Record(
        data=np.stack([fix_length(data, n_samples) for data in aligned]),
        station=label,
        files=files,
        channels=channels,
        sampling_rate=max(rates),
        start=start,
        event=_sac_scenario(traces),
    )


def _sac_scenario(traces):
    """Magnitude and distance (km) from SAC headers (``mag``, ``dist``), when set."""
    sac = [tr.stats.get("sac", {}) for tr in traces]
    scenario = {}
    for name, key in (("magnitude", "mag"), ("distance", "dist")):
        values = {float(header[key]) for header in sac if key in header}
        if len(values) == 1:
            scenario[name] = values.pop()
    return scenario


def stream_records(stream, fs, inventory, factor, on_error):
    """Records of ``stream``, in order of first appearance of their station.

    ``on_error(files, exception)`` is called for a record that cannot be
    built; it raises or records the skip.
    """
    by_station = {}
    for trace in stream:
        stats = trace.stats
        key = (stats.network, stats.station, stats.location)
        try:
            converted = _to_acceleration(trace, inventory, factor)
        except ValueError as exc:
            files = [_source(trace)] if _source(trace) else []
            on_error(files, ValueError(f"{files[0]}: {exc}") if files else exc)
            continue
        by_station.setdefault(key, []).append(converted)
    records = []
    for key, traces in by_station.items():
        label = station_label(*key)
        for cluster in _time_clusters(traces):
            try:
                groups = _split_by_file(cluster, label)
            except ValueError as exc:
                on_error(sorted({str(_source(tr)) for tr in cluster}), exc)
                continue
            for group in groups:
                try:
                    records.append(_record_from_traces(group, label, fs))
                except ValueError as exc:
                    files = sorted({str(_source(tr)) for tr in group if _source(tr)})
                    if files:
                        exc = ValueError(f"{', '.join(files)}: {exc}")
                    on_error(files, exc)
    return records


def check_stream(stream, inventory):
    """Type checks of :func:`from_stream`'s stream and inventory."""
    if not isinstance(stream, Stream):
        raise TypeError(f"stream must be an obspy Stream, got {type(stream).__name__}.")
    if inventory is not None and not isinstance(inventory, Inventory):
        raise TypeError(
            f"inventory must be an obspy Inventory or None, got {type(inventory).__name__}."
        )
    if len(stream) == 0:
        raise ValueError("stream contains no traces.")


def read_obspy_file(path):
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
        # the file belongs to a record that was read. The file's size comes
        # from the file system: obspy's ``stats.mseed.filesize`` is the size
        # of the chunk it read, at most 1 MiB.
        in_records = sum(m.number_of_records * m.record_length for m in mseed)
        size = os.path.getsize(path)
        if in_records != size:
            raise ValueError(
                f"{path}: corrupt or truncated miniSEED ({in_records} of "
                f"{size} bytes in readable records)."
            )
    for trace in stream:
        check_finite(trace.data, f"{path}: trace {trace.id}")
        trace.stats[FILE_KEY] = str(path)
    return stream


def from_stream(
    stream,
    fs=100.0,
    n_times=6000,
    inventory=None,
    *,
    window="event",
    pre_event=5.0,
    demean=True,
    detrend=True,
    taper=0.05,
    bandpass=None,
    units=None,
    return_meta=False,
):
    """Turn an obspy stream of accelerograms into records.

    Traces are grouped per station (network, station and location codes);
    within a station, traces overlapping in time form one record, so one
    stream may hold several records of a station. Each record is converted to
    m/s^2, resampled (anti-aliased) to ``fs``, aligned to the latest
    component start, processed (demean, detrend, taper, optional band-pass)
    and cut to an ``n_times`` window around the earthquake (see
    ``docs/data.rst``).

    Parameters
    ----------
    stream : obspy.Stream
        Acceleration traces; not modified. Channel codes are mapped by their
        last letter: ``E`` or ``2`` -> east slot, ``N`` or ``1`` -> north
        slot, ``Z`` -> vertical (SEED: ``1`` and ``2`` are the orthogonal
        horizontals, ``1`` the north-ish one). K-NET/KiK-net names ``EW``,
        ``NS``, ``UD`` (with an optional sensor digit) are mapped likewise.
        Horizontals are not rotated. Pieces of one channel separated by a
        gap are merged with zeros in the gap; pieces that overlap in time are
        an error.
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
    window : {"event", "start"}, default="event"
        ``"event"``: the window starts ``pre_event`` seconds before the
        P-wave onset (:func:`pick_onset`), staying inside the record when
        it is long enough; ``"start"``: it starts at the first sample.
        Records shorter than ``n_times`` are zero-padded at the end.
    pre_event : float, default=5.0
        Seconds of pre-event motion kept before the onset.
    demean, detrend : bool, default=True
        Remove the mean; remove a linear trend (whole record, before the
        window is cut).
    taper : float or None, default=0.05
        Fraction of the whole record tapered at each end with a Hann window;
        None or 0 for none.
    bandpass : (float, float) or None, default=None
        Corners in Hz of a zero-phase 4-pole Butterworth band-pass.
    units : str or None, default=None
        Units of the data when the user knows them (``"m/s^2"``, ``"gal"``
        or ``"cm/s^2"``, ``"g"``); replaces the ``calib`` assumption. Not
        together with ``inventory``.
    return_meta : bool, default=False
        Also return one dict per record (see :func:`read_records`).

    Returns
    -------
    X : ndarray of shape (n_records, 3, n_times), float32
        Records in m/s^2, channels E, N, U.
    stations : ndarray of shape (n_records,), dtype object
        ``"NET.STA.LOC"``, or ``"NET.STA"`` when the location code is empty,
        or ``"STA"`` when network and location codes are both empty. Records
        come in order of first appearance of their station in ``stream``,
        then by time.
    meta : list of dict
        Only with ``return_meta=True``.

    Raises
    ------
    TypeError
        If ``stream`` is not an obspy Stream or ``inventory`` not an Inventory.
    ValueError
        If a station lacks a component (naming the station and the missing
        component), has two channels for one component, overlapping pieces
        of one channel, or an unknown channel code; if the inventory has no
        acceleration sensitivity for a trace; on an empty stream or invalid
        options.

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
    check_stream(stream, inventory)
    reading = reading_options(fs, n_times, window, pre_event, demean, detrend, taper, bandpass)
    factor = 1.0 if units is None else units_factor(units)
    if units is not None and inventory is not None:
        raise ValueError("give units or an inventory, not both: the inventory states the units.")

    def raise_error(files, error):
        raise error

    records = stream_records(stream, reading.fs, inventory, factor, raise_error)
    X, stations, meta = finish(records, reading)
    return (X, stations, meta) if return_meta else (X, stations)


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
