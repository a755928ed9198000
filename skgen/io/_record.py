"""One record as a reader hands it over, and how it becomes a row of ``X``."""

import numbers
from dataclasses import dataclass, field

import numpy as np

from .._validation import check_count, check_parameter, check_positive, check_stations
from ._arrays import fix_length
from ._processing import check_processing, process
from ._window import pick_onset, window_start


@dataclass
class Record:
    """A whole 3-component record at the target rate, with its provenance.

    Attributes
    ----------
    data : ndarray of shape (3, n_samples)
        Acceleration in m/s^2, channels E, N, U, float64, at the target rate.
    station : str
        Station label.
    files : list of str
        Files the record was read from (empty for an in-memory stream).
    channels : list of str
        Channel codes (or component names) in the E, N, U slots.
    sampling_rate : float
        Rate of the data as stored, in Hz.
    start : obspy.UTCDateTime or None
        Time of the first sample, when the format stores one.
    event : dict
        What the file says of the earthquake (e.g. a PEER header's event name
        and date), JSON-friendly; empty when it says nothing.
    """

    data: np.ndarray
    station: str
    files: list
    channels: list
    sampling_rate: float
    start: object = None
    event: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Reading:
    """How records are processed and windowed (validated reader options)."""

    fs: float
    n_times: int
    window: str
    pre_event: float
    demean: bool
    detrend: bool
    taper: float
    bandpass: object


def reading_options(fs, n_times, window, pre_event, demean, detrend, taper, bandpass):
    """Validate the options shared by :func:`read_records` and :func:`from_stream`."""
    fs = check_positive(fs, "fs")
    n_times = check_count(n_times, "n_times")
    if window not in ("event", "start"):
        raise ValueError(f"window must be 'event' or 'start', got {window!r}.")
    pre_event = check_parameter(pre_event, "pre_event", numbers.Real, min_val=0.0)
    taper, bandpass = check_processing(demean, detrend, taper, bandpass, fs)
    return Reading(fs, n_times, window, float(pre_event), demean, detrend, taper, bandpass)


def _time(start, seconds):
    """ISO time ``seconds`` after ``start``, or None without either."""
    return None if start is None or seconds is None else str(start + seconds)


def finish(records, reading):
    """Process, window and describe records.

    Returns
    -------
    X : ndarray of shape (n_records, 3, n_times), float32
    stations : ndarray of shape (n_records,), dtype object
    meta : list of dict
        One JSON-friendly dict per record (see :func:`skgen.io.read_records`).
    """
    fs, n_times = reading.fs, reading.n_times
    X = np.empty((len(records), 3, n_times), dtype=np.float32)
    meta = []
    for index, record in enumerate(records):
        data = process(
            record.data,
            fs,
            demean=reading.demean,
            detrend=reading.detrend,
            taper=reading.taper,
            bandpass=reading.bandpass,
        )
        n_samples = data.shape[1]
        # A record of a few samples has no onset to speak of.
        onset, method = pick_onset(data, fs) if n_samples >= 8 else (None, None)
        first = 0
        if reading.window == "event" and onset is not None:
            first = window_start(n_samples, onset, fs, n_times, reading.pre_event)
        X[index] = fix_length(data[:, first : first + n_times], n_times)
        peak_record = float(np.abs(data[:2]).max()) if n_samples else 0.0
        meta.append(
            {
                "station": record.station,
                "files": list(record.files),
                "channels": list(record.channels),
                "sampling_rate": float(record.sampling_rate),
                "start_time": _time(record.start, 0.0),
                "onset": onset,
                "onset_time": _time(record.start, onset),
                "onset_method": method,
                "window_start": first / fs,
                "window_start_time": _time(record.start, first / fs),
                "pga": float(np.abs(X[index, :2]).max()),
                "pga_record": peak_record,
                **record.event,
            }
        )
    stations = check_stations([record.station for record in records], len(records))
    return X, stations, meta
