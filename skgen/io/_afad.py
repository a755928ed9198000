"""AFAD-style MATLAB ``.mat`` files: one record each, in gal."""

import numbers
import re
from pathlib import Path

import numpy as np
import scipy.io

from .._validation import check_finite
from ._arrays import UNITS, resample
from ._files import check_file
from ._record import Record

AFAD_SAMPLING_RATE = 100.0
"""Rate assumed for AFAD MATLAB files that do not store one (AFAD's 100 Hz)."""

AFAD_UNITS = "gal"
"""Units of AFAD's acceleration values (cm/s^2)."""

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


def is_afad_mat(path):
    """AFAD files are told by their name: ``*.mat``."""
    return Path(path).suffix.lower() == ".mat"


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
    are returned as stored: AFAD distributes acceleration in gal (cm/s^2);
    :func:`read_records` converts them to m/s^2.

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
    check_file(path)
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
    return check_finite(array, f"{path}: '{name}'")


def afad_record(path, fs, factor):
    """One record of an AFAD file at ``fs``; values times ``factor`` (gal by default)."""
    data, rate, station = read_afad_mat(path)
    if station is None:
        match = _AFAD_NAME.search(Path(path).name)
        station = match.group(1) if match else Path(path).stem
    rate = AFAD_SAMPLING_RATE if rate is None else rate
    scale = UNITS[AFAD_UNITS.upper()] if factor is None else factor
    return Record(
        data=np.stack([resample(channel * scale, rate, fs) for channel in data]),
        station=station,
        files=[str(path)],
        channels=["E", "N", "U"],
        sampling_rate=rate,
    )
