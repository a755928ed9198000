"""Input checks shared by the signal functions, built on :mod:`skgen._validation`."""

import numpy as np

from .._validation import check_finite, check_positive, check_real_array


def float_dtype(X):
    """float32 input stays float32 (it is enough for spectra); else float64."""
    return np.float32 if X.dtype == np.float32 else np.float64


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
