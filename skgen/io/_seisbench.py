"""SeisBench data sets: ``waveforms*.hdf5`` with its ``metadata*.csv``.

The layout SeisBench's ``WaveformDataset`` reads (h5py, extra ``seisbench``):
one metadata row per trace, whose ``trace_name`` addresses the waveform in
the HDF5 file's ``data`` group, either a dataset of its own or a slice of a
trace block (``bucket3$12,:3,:6000``); the ``data_format`` group gives the
``dimension_order`` (``CW`` or ``WC``), ``component_order`` (e.g. ``ZNE``),
``sampling_rate`` and ``unit`` (``mps2`` or ``cmps2``). Per-row columns
``trace_component_order``, ``trace_sampling_rate_hz`` (or ``trace_dt_s``)
replace the data set's values. Station: ``station_network_code``,
``station_code``, ``station_location_code``; scenario: ``source_magnitude``
and ``path_hyp_distance_km``; start: ``trace_start_time``.
"""

import csv
import json
import re
from pathlib import Path

import numpy as np
from obspy import UTCDateTime

from .._validation import check_finite
from ._arrays import UNITS, resample
from ._optional import require
from ._record import Record
from ._stream import station_label
from ._write import SEISBENCH_PROVENANCE

_NAME = re.compile(r"^waveforms(.*)\.hdf5$", re.IGNORECASE)
# SeisBench unit names (CATEGORY_PARAMETER_UNIT convention) to m/s^2.
_UNITS = {"MPS2": 1.0, "CMPS2": 0.01, **UNITS}
# Component letters to the E, N, U slots (SEED: 1 north-ish, 2 east-ish).
_SLOTS = {"E": 0, "2": 0, "N": 1, "1": 1, "Z": 2, "U": 2}


def metadata_path(path):
    """The ``metadata*.csv`` beside ``waveforms*.hdf5`` (same chunk name)."""
    match = _NAME.match(Path(path).name)
    return None if match is None else Path(path).with_name(f"metadata{match.group(1)}.csv")


def is_seisbench(path):
    """A ``waveforms*.hdf5`` file with its ``metadata*.csv`` beside it."""
    metadata = metadata_path(path)
    return metadata is not None and metadata.is_file()


def _text(value):
    """A string from an HDF5 scalar (bytes, str or number)."""
    value = value[()] if hasattr(value, "shape") else value
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray):
        return "".join(str(v.decode() if isinstance(v, bytes) else v) for v in value.ravel())
    return str(value)


def _index(text):
    """A numpy index from SeisBench's slice notation, e.g. ``"3,:3,:6000"``."""
    parts = []
    for part in text.split(","):
        part = part.strip()
        if ":" in part:
            bounds = [int(b) if b.strip() else None for b in part.split(":")]
            parts.append(slice(*bounds))
        else:
            parts.append(int(part))
    return tuple(parts)


def _float(row, key):
    text = (row.get(key) or "").strip()
    return float(text) if text else None


class _DataSet:
    """The data-set-wide description of one waveforms file."""

    def __init__(self, h5, path, factor):
        data_format = h5.get("data_format")
        read = {} if data_format is None else {k: _text(data_format[k]) for k in data_format}
        self.dimension_order = read.get("dimension_order", "CW").replace(",", "").upper()
        if self.dimension_order not in ("CW", "WC"):
            raise ValueError(
                f"{path}: data_format/dimension_order {self.dimension_order!r} is not "
                "CW or WC (one trace of channels by samples)."
            )
        self.component_order = read.get("component_order")
        self.sampling_rate = float(read["sampling_rate"]) if "sampling_rate" in read else None
        measurement = read.get("measurement", "acceleration").lower()
        if "acceleration" not in measurement:
            raise ValueError(
                f"{path}: data_format/measurement is {measurement!r}; skgen reads "
                "accelerograms only."
            )
        if factor is not None:
            self.factor = factor
        elif "unit" in read and read["unit"].strip().upper() in _UNITS:
            self.factor = _UNITS[read["unit"].strip().upper()]
        else:
            raise ValueError(
                f"{path}: data_format/unit is {read.get('unit')!r}, not an acceleration "
                "unit skgen knows (mps2, cmps2); give units= if you know it."
            )
        self.provenance = json.loads(h5.attrs.get(SEISBENCH_PROVENANCE, "{}"))


def _row_record(h5, row, data_set, fs, files):
    """One record from one metadata row."""
    name = (row.get("trace_name") or "").strip()
    if not name:
        raise ValueError("empty trace_name")
    block, _, where = name.partition("$")
    if block not in h5["data"]:
        raise ValueError(f"trace_name {name!r}: no data/{block} in the waveforms file")
    try:
        data = np.asarray(h5["data"][block][_index(where) if where else ()], dtype=np.float64)
    except (ValueError, IndexError, TypeError) as exc:
        raise ValueError(f"trace_name {name!r}: bad slice ({exc})") from None
    if data.ndim != 2:
        raise ValueError(f"trace_name {name!r} addresses an array of shape {data.shape}, not 2-D")
    if data_set.dimension_order == "WC":
        data = data.T
    components = (row.get("trace_component_order") or data_set.component_order or "").upper()
    slots = [_SLOTS.get(c) for c in components]
    if len(components) != data.shape[0] or sorted(s for s in slots if s is not None) != [0, 1, 2]:
        raise ValueError(
            f"component_order {components!r} does not give E, N and Z for the "
            f"{data.shape[0]} channels of {name!r}"
        )
    rate = _float(row, "trace_sampling_rate_hz")
    if rate is None and _float(row, "trace_dt_s"):
        rate = 1.0 / _float(row, "trace_dt_s")
    rate = rate or data_set.sampling_rate
    if rate is None or not np.isfinite(rate) or rate <= 0:
        raise ValueError(
            f"no valid sampling rate for {name!r} (trace_sampling_rate_hz, trace_dt_s "
            "or data_format/sampling_rate)"
        )
    check_finite(data, f"trace {name!r}")
    code = (row.get("station_code") or "").strip()
    if not code:
        raise ValueError(f"trace {name!r} has no station_code")
    label = station_label(
        (row.get("station_network_code") or "").strip(),
        code,
        (row.get("station_location_code") or "").strip(),
    )
    order = [components[slots.index(slot)] for slot in range(3)]
    start = (row.get("trace_start_time") or "").strip()
    channel = (row.get("trace_channel") or "").strip()
    return Record(
        data=np.stack(
            [resample(data[slots.index(s)] * data_set.factor, rate, fs) for s in range(3)]
        ),
        station=label,
        files=files,
        channels=[channel + c for c in order],
        sampling_rate=rate,
        start=UTCDateTime(start) if start else None,
        event={
            "trace_name": name,
            "magnitude": _float(row, "source_magnitude"),
            "distance": _float(row, "path_hyp_distance_km"),
            "provenance": dict(data_set.provenance),
        },
    )


def _file_records(path, fs, factor, errors):
    h5py = require("h5py")
    metadata = metadata_path(path)
    files = [str(path), str(metadata)]
    try:
        h5 = h5py.File(path, "r")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read as HDF5 ({exc}).") from exc
    records = []
    with h5:
        if "data" not in h5:
            raise ValueError(f"{path}: no 'data' group; not a SeisBench waveforms file.")
        data_set = _DataSet(h5, path, factor)
        with open(metadata, newline="") as file:
            rows = csv.DictReader(file)
            if "trace_name" not in (rows.fieldnames or []):
                raise ValueError(f"{metadata}: no trace_name column.")
            for number, row in enumerate(rows, start=2):
                try:
                    records.append(_row_record(h5, row, data_set, fs, files))
                except ValueError as exc:
                    errors([metadata], ValueError(f"{metadata}: line {number}: {exc}."))
    return records


def seisbench_records(indexed, reading, factor, errors, tag):
    """``(index, record)`` pairs of SeisBench data sets, in metadata order."""
    records = []
    for index, path in indexed:
        try:
            records += [(index, r) for r in _file_records(path, reading.fs, factor, errors)]
        except ValueError as exc:
            errors([path], exc)
    return records
