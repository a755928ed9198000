"""Input checks shared by every layer of skgen, knowing nothing of the estimators.

One function per rule, one message per rule, named for what it checks, in the
manner of :mod:`sklearn.utils.validation`. Everything here is numpy and
scikit-learn only: :mod:`skgen.signal`, :mod:`skgen.io` and
:mod:`skgen.datasets` import it without loading torch.
"""

import numbers

import numpy as np
from sklearn.utils import check_scalar
from sklearn.utils.validation import check_array

__all__ = [
    "check_band",
    "check_count",
    "check_finite",
    "check_frequencies",
    "check_highpass",
    "check_parameter",
    "check_positive",
    "check_real_array",
    "check_records",
    "check_series",
    "check_stations",
    "check_three_component",
    "plain_label",
    "seed_from",
]


def _label_kind(label):
    """Return 'str', 'int' or 'float' for a valid station label."""
    if isinstance(label, (str, np.str_)):
        return "str"
    if isinstance(label, (bool, np.bool_)):
        return "bool"
    if isinstance(label, numbers.Integral):
        return "int"
    if isinstance(label, numbers.Real):
        return "float"
    return None


def plain_label(label):
    """Station labels as plain Python objects (``np.str_`` -> ``str``)."""
    kind = _label_kind(label)
    if kind == "str":
        return str(label)
    if kind == "int":
        return int(label)
    if kind == "float":
        return float(label)
    return label


def check_stations(stations, n_records, name="stations"):
    """Validate station labels and return them as a 1-D object array.

    Parameters
    ----------
    stations : array-like of shape (n_records,)
        One label per record: all strings, or all integers, or all floats.
    n_records : int
        Number of records the labels belong to.
    name : str, default="stations"
        Argument name used in error messages.

    Returns
    -------
    stations : ndarray of shape (n_records,), dtype object
        Plain Python labels (``str``, ``int`` or ``float``).

    Raises
    ------
    TypeError
        Unhashable, missing, boolean or mixed-type labels.
    ValueError
        Not 1-D, or a length different from ``n_records``.
    """
    if stations is None:
        raise ValueError(
            f"{name} is required, one station label per record. Expected "
            "array-like (array or non-string sequence), got None."
        )
    if isinstance(stations, (str, bytes)) or np.ndim(stations) == 0:
        raise TypeError(
            f"{name} must be a 1-D sequence of labels, one per record; "
            f"got {type(stations).__name__}."
        )
    labels = list(stations)
    if np.ndim(np.asarray(stations, dtype=object)) != 1:
        raise ValueError(f"{name} must be 1-D (one label per record).")
    if len(labels) != n_records:
        raise ValueError(
            f"{name} has {len(labels)} labels but X has {n_records} records; "
            "give one station label per record."
        )
    kinds = set()
    for label in labels:
        kind = _label_kind(label)
        if kind is None or kind == "bool":
            raise TypeError(
                f"{name} labels must be strings or numbers; got {type(label).__name__} ({label!r})."
            )
        if kind == "float" and not np.isfinite(label):
            raise ValueError(f"{name} contains a non-finite label ({label!r}).")
        kinds.add(kind)
    if len(kinds) > 1:
        raise TypeError(
            f"{name} mixes label types ({', '.join(sorted(kinds))}); use one "
            "type for all station labels, e.g. all strings."
        )
    out = np.empty(len(labels), dtype=object)
    out[:] = [plain_label(label) for label in labels]
    return out


def check_records(X, *, name="X", n_channels=None, n_times=None, min_records=1):
    """Validate an array of records and return a float32 copy.

    Parameters
    ----------
    X : array-like of shape (n_records, n_channels, n_times) or (n_records, n_times)
        Records; a 2-D array is read as single-channel records.
    name : str, default="X"
        Argument name used in error messages.
    n_channels, n_times : int or None
        Required number of channels and samples, if known.
    min_records : int, default=1
        Smallest accepted number of records.

    Returns
    -------
    X : ndarray of shape (n_records, n_channels, n_times), float32
        A new array; the caller's array is never modified.

    Raises
    ------
    TypeError
        ``X`` is None, a string, or holds values that are not numbers.
    ValueError
        Wrong number of dimensions, channels or samples, fewer than
        ``min_records`` records, NaN, inf, complex or non-numeric strings;
        the message starts with ``name``.
    """
    if isinstance(X, (str, bytes)):
        raise TypeError(f"{name} must be a numeric array, got a string.")
    if X is None:
        raise TypeError(f"{name} must be a numeric array of records, got None.")
    # sklearn's checks give the standard messages for sparse, complex,
    # object and non-finite input; the record-specific checks follow.
    try:
        arr = check_array(
            X,
            ensure_2d=False,
            allow_nd=True,
            dtype=np.float32,
            copy=True,
            ensure_min_samples=min_records,
            input_name=name,
        )
    except (TypeError, ValueError) as exc:
        if str(exc).startswith(f"Input {name} "):
            raise
        # Messages such as "could not convert string to float" or "Found
        # array with 0 sample(s)" do not say which argument is wrong.
        raise type(exc)(f"{name} is not a valid array of records: {exc}") from exc
    if arr.ndim == 2:
        arr = arr[:, np.newaxis, :]
    if arr.ndim != 3:
        raise ValueError(
            f"{name} must have shape (n_records, n_channels, n_times) or "
            f"(n_records, n_times); got an array with {arr.ndim} dimension(s), "
            f"shape {arr.shape}."
        )
    if arr.shape[2] == 0:
        raise ValueError(f"{name} has records with 0 samples.")
    if n_channels is not None and arr.shape[1] != n_channels:
        raise ValueError(
            f"{name} has {arr.shape[1]} channel(s) per record; this model "
            f"expects {n_channels} (E, N, U order for 3-component records)."
        )
    if n_times is not None and arr.shape[2] != n_times:
        problem = "shorter" if arr.shape[2] < n_times else "longer"
        raise ValueError(
            f"{name} records have {arr.shape[2]} samples, {problem} than the "
            f"model's n_times={n_times}; crop or zero-pad them first "
            "(skgen.io.fix_length)."
        )
    return arr


def check_parameter(
    value, name, target_type, min_val=None, max_val=None, include_boundaries="both", allow_inf=False
):
    """Validate a scalar hyperparameter: :func:`sklearn.utils.check_scalar`,
    made strict where it is lenient.

    ``check_scalar`` accepts ``True`` as an integer and NaN or infinity as a
    real number; a learning rate of NaN would train silently to garbage.

    Parameters
    ----------
    value : object
    name : str
        Parameter name for the messages.
    target_type : type or tuple of types
        ``numbers.Integral`` or ``numbers.Real``.
    min_val, max_val, include_boundaries
        As in :func:`sklearn.utils.check_scalar`.
    allow_inf : bool, default=False
        Accept +inf (e.g. ``dirichlet_alpha=np.inf``: equal weights).

    Raises
    ------
    TypeError, ValueError
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number, not a bool ({value!r}).")
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        if np.isnan(value) or (np.isinf(value) and not (allow_inf and value > 0)):
            raise ValueError(f"{name} must be finite, got {value}.")
    check_scalar(
        value,
        name,
        target_type,
        min_val=min_val,
        max_val=max_val,
        include_boundaries=include_boundaries,
    )
    return value


def check_positive(value, name):
    """Validate a positive, finite real number (a sampling rate, a
    bandwidth, a frequency); returns it as a ``float``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}.")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be positive and finite, got {float(value)}.")
    return float(value)


def check_count(value, name="n_samples"):
    """Validate a count that must be a positive integer (``n_samples``,
    ``n_times``); returns it as an ``int``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}.")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}.")
    return int(value)


def seed_from(rng):
    """Draw a 31-bit integer seed from a ``RandomState``."""
    return int(rng.randint(np.iinfo(np.int32).max))


def check_real_array(X, name="X"):
    """Return ``X`` as an ndarray of a real numeric dtype (no copy)."""
    X = np.asarray(X)
    if X.dtype == object or not (
        np.issubdtype(X.dtype, np.integer) or np.issubdtype(X.dtype, np.floating)
    ):
        raise TypeError(f"{name} must be a real numeric array, got dtype {X.dtype}")
    return X


def check_finite(X, name="X"):
    """Raise if ``X`` holds NaN or infinity; return it unchanged."""
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return X


def check_three_component(X, name="X", min_times=8):
    """Validate one (3, n_times) record or (n_records, 3, n_times) records.

    Unlike :func:`check_records` this neither copies nor converts: the
    signal functions work on the caller's array (float32 stays float32).

    Raises
    ------
    TypeError
        Not a real numeric array.
    ValueError
        Wrong shape, not 3 channels (E, N, U), fewer than ``min_times``
        samples, no records, NaN or inf.
    """
    X = check_real_array(X, name)
    if X.ndim not in (2, 3):
        raise ValueError(
            f"{name} must have shape (n_records, 3, n_times) or (3, n_times), got {X.shape}"
        )
    if X.shape[-2] != 3:
        raise ValueError(f"{name} must have 3 channels (E, N, U), got {X.shape[-2]} channels")
    if X.shape[-1] < min_times:
        raise ValueError(f"{name} needs at least {min_times} samples, got {X.shape[-1]}")
    if X.size == 0:
        raise ValueError(f"{name} holds no records (shape {X.shape})")
    return check_finite(X, name)


def check_frequencies(values, name, *, allow_zero):
    """A non-empty 1-D float64 array of finite frequencies (Hz) or periods (s)."""
    try:
        values = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers in Hz or s ({exc})") from None
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be finite")
    if allow_zero and np.any(values < 0):
        raise ValueError(f"{name} must be non-negative")
    if not allow_zero and np.any(values <= 0):
        raise ValueError(f"{name} must be positive")
    return values


def check_band(band, name="band"):
    """A frequency band ``(low, high)`` in Hz with ``0 < low < high``."""
    try:
        low, high = (float(v) for v in band)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high) in Hz, got {band!r}") from None
    if not (np.isfinite(low) and np.isfinite(high) and 0 < low < high):
        raise ValueError(f"{name} must satisfy 0 < low < high, got {band!r}")
    return low, high


def check_series(X, min_times=1, name="X"):
    """Time series of shape ``(..., n_times)``: real, non-empty, finite.

    Returns ``X`` as an ndarray without copying it.
    """
    X = check_real_array(X, name)
    if X.ndim == 0 or X.size == 0:
        raise ValueError(
            f"{name} is empty or has no samples along its last axis, got shape {X.shape}"
        )
    if X.shape[-1] < min_times:
        raise ValueError(
            f"{name} needs at least {min_times} samples along its last axis, got shape {X.shape}"
        )
    return check_finite(X, name)


def check_highpass(highpass, fs):
    """A high-pass corner in (0, Nyquist) Hz, or None."""
    if highpass is None:
        return None
    highpass = check_positive(highpass, "highpass")
    if highpass >= fs / 2:
        raise ValueError(f"highpass={highpass} Hz must be below the Nyquist frequency {fs / 2} Hz")
    return highpass
