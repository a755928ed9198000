"""Records out: miniSEED, SAC, ASDF and the SeisBench layout, in chunks.

:class:`RecordWriter` appends chunk after chunk of records, so memory stays at
one chunk whatever the number of records (``skgen sample`` streams through
it); :func:`write_records` writes one array at once. Every container is
read back by :func:`skgen.io.read_records`: values, station labels and
sampling rate always, the generator's provenance and each record's scenario
magnitude and distance where the container holds them (``docs/data.rst``).
"""

import csv
import json
import numbers
import os
from pathlib import Path

import numpy as np
from obspy import UTCDateTime

from .._validation import check_finite, check_positive, check_records, check_stations
from ._optional import require
from ._stream import _seed_codes, to_stream

FORMATS = ("mseed", "sac", "asdf", "seisbench")
_SUFFIXES = {
    ".mseed": "mseed",
    ".miniseed": "mseed",
    ".ms": "mseed",
    ".sac": "sac",
    ".h5": "asdf",
    ".asdf": "asdf",
}

ASDF_TAG = "generated"
"""ASDF waveform tag of the records skgen writes."""

# ASDF auxiliary data skgen writes: the generator's provenance (one JSON
# document) and, per chunk, each record's station, start and scenario.
ASDF_PROVENANCE = "SkgenProvenance"
ASDF_RECORDS = "SkgenRecords"
# HDF5 attribute of a SeisBench waveforms.hdf5 holding the provenance (JSON).
SEISBENCH_PROVENANCE = "skgen_provenance"
SEISBENCH_COLUMNS = [
    "trace_name",
    "station_network_code",
    "station_code",
    "station_location_code",
    "trace_channel",
    "trace_component_order",
    "trace_start_time",
    "trace_sampling_rate_hz",
    "trace_npts",
]
SEISBENCH_SCENARIO = ["source_magnitude", "path_hyp_distance_km"]


def record_spacing(n_times, fs):
    """Seconds between the starts of consecutive records (as :func:`to_stream` spaces them)."""
    return float(np.ceil(n_times / fs)) + 60.0


def _json_bytes(value):
    return np.frombuffer(json.dumps(value).encode("utf-8"), dtype=np.uint8)


class _MseedSink:
    """One miniSEED file, appended chunk by chunk; it appears only when complete."""

    def __init__(self, path, fs, provenance, n_records):
        self.path = Path(path)
        self.partial = Path(f"{path}.part")
        self.file = open(self.partial, "wb")
        self.fs = fs

    def write(self, X, stations, starts, scenario):
        to_stream(X, stations, self.fs, starttime=starts).write(self.file, format="MSEED")

    def close(self):
        self.file.close()
        os.replace(self.partial, self.path)
        return [str(self.path)]

    def abort(self):
        self.file.close()
        self.partial.unlink(missing_ok=True)


class _SacSink:
    """SAC holds one trace per file: PATH's stem + record number + channel code.

    The scenario goes in the SAC header (``mag``, ``dist`` in km).
    """

    def __init__(self, path, fs, provenance, n_records):
        self.root, self.ext = os.path.splitext(os.fspath(path))
        self.width = len(str(n_records)) if n_records else 1
        self.fs = fs
        self.paths = []

    def write(self, X, stations, starts, scenario):
        first = len(self.paths) // 3
        stream = to_stream(X, stations, self.fs, starttime=starts)
        for index, trace in enumerate(stream):
            record = index // 3
            trace.stats.sac = {
                key: float(values[record])
                for key, values in zip(("mag", "dist"), scenario)
                if values is not None
            }
            number = f"{first + record + 1:0{self.width}d}"
            self.paths.append(f"{self.root}.{number}.{trace.stats.channel}{self.ext}")
            trace.write(self.paths[-1], format="SAC")

    def close(self):
        return list(self.paths)

    def abort(self):
        for path in self.paths:
            Path(path).unlink(missing_ok=True)


class _AsdfSink:
    """An ASDF file: waveforms tagged ``generated``, provenance as auxiliary data."""

    def __init__(self, path, fs, provenance, n_records):
        pyasdf = require("pyasdf")
        self.path = Path(path)
        self.partial = Path(f"{path}.part")
        self.partial.unlink(missing_ok=True)
        self.dataset = pyasdf.ASDFDataSet(os.fspath(self.partial), compression=None, mpi=False)
        self.dataset.add_auxiliary_data(
            _json_bytes(provenance), data_type=ASDF_PROVENANCE, path="generator", parameters={}
        )
        self.fs = fs
        self.n_chunks = 0

    def write(self, X, stations, starts, scenario):
        self.dataset.add_waveforms(to_stream(X, stations, self.fs, starttime=starts), tag=ASDF_TAG)
        magnitude, distance = scenario
        rows = [
            {
                "station": str(station),
                "start": str(start),
                "magnitude": None if magnitude is None else float(magnitude[i]),
                "distance": None if distance is None else float(distance[i]),
            }
            for i, (station, start) in enumerate(zip(stations, starts))
        ]
        self.dataset.add_auxiliary_data(
            _json_bytes(rows),
            data_type=ASDF_RECORDS,
            path=f"chunk{self.n_chunks:06d}",
            parameters={},
        )
        self.n_chunks += 1

    def _close_dataset(self):
        # pyasdf flushes and closes the HDF5 file when the data set goes.
        self.dataset = None

    def close(self):
        self._close_dataset()
        os.replace(self.partial, self.path)
        return [str(self.path)]

    def abort(self):
        self._close_dataset()
        self.partial.unlink(missing_ok=True)


class _SeisbenchSink:
    """A SeisBench data set: ``waveforms.hdf5`` and ``metadata.csv`` in folder PATH.

    Each chunk is one trace block ``data/bucketK`` of shape (n, 3, n_times),
    channels E, N, U; a record's ``trace_name`` is ``bucketK$i,:3,:n_times``.
    """

    def __init__(self, path, fs, provenance, n_records):
        h5py = require("h5py")
        self.folder = Path(path)
        if self.folder.exists() and not self.folder.is_dir():
            raise ValueError(
                f"{self.folder}: a SeisBench data set is a folder (waveforms.hdf5 and "
                "metadata.csv); this is a file."
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        self.targets = [self.folder / "waveforms.hdf5", self.folder / "metadata.csv"]
        self.partials = [Path(f"{target}.part") for target in self.targets]
        self.h5 = h5py.File(self.partials[0], "w")
        data_format = self.h5.create_group("data_format")
        for key, value in (
            ("dimension_order", "CW"),
            ("component_order", "ENZ"),
            ("sampling_rate", fs),
            ("measurement", "acceleration"),
            ("unit", "mps2"),
            ("instrument_response", "restituted"),
        ):
            data_format.create_dataset(key, data=value)
        self.h5.create_group("data")
        self.h5.attrs[SEISBENCH_PROVENANCE] = json.dumps(provenance)
        self.csv_file = open(self.partials[1], "w", newline="")
        self.csv = None
        self.scenario_given = None
        self.fs = fs
        self.n_buckets = 0

    def _header(self, scenario):
        given = tuple(values is not None for values in scenario)
        if self.csv is None:
            self.scenario_given = given
            columns = SEISBENCH_COLUMNS + [
                name for name, on in zip(SEISBENCH_SCENARIO, given) if on
            ]
            self.csv = csv.writer(self.csv_file)
            self.csv.writerow(columns)
        elif given != self.scenario_given:
            raise ValueError(
                "every chunk written to one SeisBench data set must give the same "
                "scenario columns (magnitude, distance) as the first."
            )

    def write(self, X, stations, starts, scenario):
        self._header(scenario)
        bucket = f"bucket{self.n_buckets}"
        self.h5["data"].create_dataset(bucket, data=np.asarray(X, dtype=np.float32))
        self.n_buckets += 1
        n_times = X.shape[2]
        for i, (station, start) in enumerate(zip(stations, starts)):
            network, code, location = _seed_codes(station)
            row = [
                f"{bucket}${i},:3,:{n_times}",
                network,
                code,
                location,
                "HN",
                "ENZ",
                str(start),
                repr(float(self.fs)),
                n_times,
            ]
            row += [repr(float(values[i])) for values in scenario if values is not None]
            self.csv.writerow(row)

    def close(self):
        self.h5.close()
        self.csv_file.close()
        for partial, target in zip(self.partials, self.targets):
            os.replace(partial, target)
        return [str(target) for target in self.targets]

    def abort(self):
        self.h5.close()
        self.csv_file.close()
        for partial in self.partials:
            partial.unlink(missing_ok=True)


_SINKS = {"mseed": _MseedSink, "sac": _SacSink, "asdf": _AsdfSink, "seisbench": _SeisbenchSink}


def writer_format(path, format=None):
    """The container of ``path``: ``format`` when given, else told by the suffix."""
    if format is not None:
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {format!r}.")
        return format
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValueError(
            f"cannot tell the format of {os.fspath(path)!r} from its suffix; give "
            f"format= (one of {', '.join(FORMATS)}; seisbench writes a folder)."
        )
    return _SUFFIXES[suffix]


def _check_provenance(provenance):
    if provenance is None:
        return {}
    if not isinstance(provenance, dict):
        raise TypeError(f"provenance must be a dict or None, got {type(provenance).__name__}.")
    try:
        json.dumps(provenance)
    except TypeError as exc:
        raise TypeError(f"provenance must hold JSON values (str, numbers, None): {exc}") from None
    return dict(provenance)


def _check_scenario(values, name, n_records):
    if values is None:
        return None
    if isinstance(values, numbers.Real):
        values = np.full(n_records, float(values))
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (n_records,):
        raise ValueError(
            f"{name} must be a number or have shape ({n_records},), got {values.shape}."
        )
    check_finite(values, name)
    return values


class RecordWriter:
    """Write records to a file chunk by chunk, in one of skgen's containers.

    Memory stays at one chunk whatever the number of records. The file (or
    the SeisBench folder's two files) appears under ``path`` only when
    :meth:`close` is called; on an error inside a ``with`` block the partial
    output is removed. Record ``i`` (counted over all chunks) starts
    ``i * spacing`` seconds after 1970-01-01, ``spacing`` being the record
    duration rounded up to whole seconds plus 60 s, so that records of one
    station stay separate (see :func:`to_stream`).

    Parameters
    ----------
    path : str or path-like
        Output file; for ``"seisbench"`` a folder (created if needed) that
        receives ``waveforms.hdf5`` and ``metadata.csv``; for ``"sac"`` the
        pattern of the files, ``STEM.N.CHANNEL.sac`` per record and component.
    fs : float
        Sampling rate in Hz.
    format : {"mseed", "sac", "asdf", "seisbench"} or None, default=None
        The container; None tells it by the suffix (``.mseed``, ``.sac``,
        ``.h5`` or ``.asdf``).
    provenance : dict or None, default=None
        JSON-friendly description of how the records were made (model,
        station, random_state...); ``skgen_version`` is added. Kept by ASDF
        and SeisBench; miniSEED and SAC cannot hold it.
    n_records : int or None, default=None
        Expected number of records: the zero-padded width of SAC record numbers.

    Attributes
    ----------
    format : str
        The container written.
    provenance : dict
        What is stored, with ``skgen_version``.
    n_records_written : int
        Records written so far.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import numpy as np
    >>> from skgen.io import RecordWriter, read_records
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "gen.mseed"
    >>> X = np.random.default_rng(0).normal(size=(4, 3, 200)).astype("float32")
    >>> with RecordWriter(path, fs=100.0) as writer:
    ...     for chunk in (X[:2], X[2:]):
    ...         writer.write(chunk, ["XX.STA"] * len(chunk))
    >>> X_read, stations = read_records(path, n_times=200, window="start",
    ...     demean=False, detrend=False, taper=None)
    >>> np.array_equal(X_read, X), writer.n_records_written
    (True, 4)
    """

    def __init__(self, path, fs, *, format=None, provenance=None, n_records=None):
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str or path-like, got {type(path).__name__}.")
        self.path = path
        self.fs = check_positive(fs, "fs")
        self.format = writer_format(path, format)
        from .. import __version__

        self.provenance = {**_check_provenance(provenance), "skgen_version": __version__}
        if not Path(path).absolute().parent.is_dir():
            raise FileNotFoundError(f"No such directory for {os.fspath(path)!r}")
        self.n_records_written = 0
        self._n_times = None
        self._paths = None
        self._sink = _SINKS[self.format](path, self.fs, self.provenance, n_records)

    def write(self, X, stations, *, magnitude=None, distance=None):
        """Append records.

        Parameters
        ----------
        X : array-like of shape (n_records, 3, n_times)
            Records in m/s^2, channels E, N, U; every chunk the same ``n_times``.
        stations : array-like of shape (n_records,)
            Labels ``"NET.STA.LOC"``, ``"NET.STA"`` or ``"STA"`` whose codes fit
            SEED (see :func:`to_stream`).
        magnitude, distance : float, array-like of shape (n_records,) or None
            Scenario moment magnitude and hypocentral distance (km) of each
            record, kept by SAC, ASDF and SeisBench.

        Raises
        ------
        ValueError
            On bad records or labels, a chunk of another length, or after
            :meth:`close`.
        """
        if self._sink is None:
            raise ValueError("this RecordWriter is closed.")
        X = check_records(X, n_channels=3)
        stations = check_stations(stations, X.shape[0])
        for label in stations:
            _seed_codes(label)
        if self._n_times is not None and X.shape[2] != self._n_times:
            raise ValueError(
                f"X has {X.shape[2]} samples per record; this file holds {self._n_times}."
            )
        scenario = (
            _check_scenario(magnitude, "magnitude", X.shape[0]),
            _check_scenario(distance, "distance", X.shape[0]),
        )
        spacing = record_spacing(X.shape[2], self.fs)
        first = self.n_records_written
        starts = [UTCDateTime(0) + (first + i) * spacing for i in range(X.shape[0])]
        self._sink.write(X.astype(np.float32, copy=False), stations, starts, scenario)
        self._n_times = X.shape[2]
        self.n_records_written += X.shape[0]

    def close(self):
        """Finish the output; returns the paths written (list of str)."""
        if self._sink is not None:
            if self.n_records_written == 0:
                self.abort()
                raise ValueError(f"no records were written to {os.fspath(self.path)!r}.")
            self._paths = self._sink.close()
            self._sink = None
        return list(self._paths)

    def abort(self):
        """Remove the partial output."""
        if self._sink is not None:
            self._sink.abort()
            self._sink = None

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is None:
            self.close()
        else:
            self.abort()


def write_records(
    path,
    X,
    stations,
    fs,
    *,
    format=None,
    provenance=None,
    magnitude=None,
    distance=None,
):
    """Write records to miniSEED, SAC, ASDF or a SeisBench data set.

    Parameters
    ----------
    path : str or path-like
        Output file, or folder for ``format="seisbench"`` (see
        :class:`RecordWriter`).
    X : array-like of shape (n_records, 3, n_times)
        Records in m/s^2, channels E, N, U (written as HNE, HNN, HNZ).
    stations : array-like of shape (n_records,)
        Labels whose codes fit SEED (see :func:`to_stream`).
    fs : float
        Sampling rate in Hz.
    format : {"mseed", "sac", "asdf", "seisbench"} or None, default=None
        None tells it by the suffix of ``path``.
    provenance : dict or None, default=None
        How the records were made (model, station, random_state...), kept by
        ASDF and SeisBench with ``skgen_version`` added.
    magnitude, distance : float, array-like of shape (n_records,) or None
        Scenario moment magnitude and hypocentral distance (km) per record,
        kept by SAC, ASDF and SeisBench.

    Returns
    -------
    paths : list of str
        The files written.

    Raises
    ------
    ValueError
        If a label does not fit SEED codes, ``X`` is not 3-component, the
        format is unknown or cannot be told from the suffix.
    ImportError
        If ASDF (extra ``asdf``) or SeisBench (extra ``seisbench``) output is
        asked for without its package.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import numpy as np
    >>> from skgen.io import read_records, write_records
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "generated"
    >>> X = np.random.default_rng(0).normal(size=(2, 3, 300)).astype("float32")
    >>> paths = write_records(folder, X, ["XX.STA1", "XX.STA2"], 100.0,
    ...     format="seisbench", provenance={"model": "site.skgen"}, magnitude=6.0)
    >>> [pathlib.Path(p).name for p in paths]
    ['waveforms.hdf5', 'metadata.csv']
    >>> X_read, stations, meta = read_records(folder, n_times=300, window="start",
    ...     demean=False, detrend=False, taper=None, return_meta=True)
    >>> np.array_equal(X_read, X), list(stations), meta[0]["magnitude"]
    (True, ['XX.STA1', 'XX.STA2'], 6.0)
    >>> meta[0]["provenance"]["model"]
    'site.skgen'
    """
    X = check_records(X, n_channels=3)
    with RecordWriter(
        path, fs, format=format, provenance=provenance, n_records=X.shape[0]
    ) as writer:
        writer.write(X, stations, magnitude=magnitude, distance=distance)
    return writer.close()
