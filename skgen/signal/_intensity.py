"""Intensity measures of accelerograms: PGA, PGV, Arias intensity, Husid curve, duration.

Accelerations are in m/s^2 and g = 9.80665 m/s^2. Every function works on
``(..., n_times)`` arrays (one value per trace) except :func:`pga`, which
combines the channels of 3-component records. The field's horizontal value is
the geometric mean of the E and N values (:func:`horizontal_geometric_mean`).
See :doc:`/intensity_measures` for the definitions.
"""

import numpy as np
import scipy.fft
import scipy.integrate

from .._validation import (
    check_finite,
    check_highpass,
    check_positive,
    check_real_array,
    check_series,
)
from ._spectra import detrend, highpass_gain, n_pad

__all__ = [
    "G",
    "PGA_CHANNELS",
    "arias_intensity",
    "horizontal_geometric_mean",
    "husid",
    "husid_times",
    "pga",
    "pgv",
    "significant_duration",
]

G = 9.80665
PGA_CHANNELS = ("horizontal", "all", "each")


def pga(X, channels="horizontal"):
    """Peak ground acceleration, max ``|a|``, per record.

    Parameters
    ----------
    X : array-like of shape (n_records, n_channels, n_times) or (n_channels, n_times)
        Accelerograms; channels E, N, U for 3-channel records.
    channels : {"horizontal", "all", "each"}, default="horizontal"
        ``"horizontal"``: max over the E and N channels (needs 3 channels);
        ``"all"``: max over all channels; ``"each"``: one value per channel.

    Returns
    -------
    pga : ndarray of shape (n_records,), or (n_records, n_channels) for "each"
        In the units of ``X``; a single record gives a float (or
        ``(n_channels,)`` for ``"each"``).

    Raises
    ------
    ValueError
        If ``channels`` is unknown, ``X`` is not 2-D/3-D, is empty, is not
        finite, or ``"horizontal"`` is asked of a record without 3 channels.
    TypeError
        If ``X`` is not a real numeric array.

    Examples
    --------
    >>> import numpy as np
    >>> record = np.array([[0.1, -0.3], [0.2, 0.0], [0.9, 0.0]])
    >>> float(pga(record)), float(pga(record, channels="all"))
    (0.3, 0.9)
    """
    if channels not in PGA_CHANNELS:
        raise ValueError(f"channels must be one of {PGA_CHANNELS}, got {channels!r}")
    X = check_real_array(X, "X")
    if X.ndim not in (2, 3) or X.size == 0:
        raise ValueError(
            f"X must have shape (n_records, n_channels, n_times) or (n_channels, n_times) "
            f"and not be empty, got {X.shape}"
        )
    if channels == "horizontal" and X.shape[-2] != 3:
        raise ValueError(f'channels="horizontal" needs 3 channels (E, N, U), got {X.shape[-2]}')
    check_finite(X)
    peaks = np.max(np.abs(X), axis=-1)
    if channels == "each":
        return peaks
    if channels == "horizontal":
        peaks = peaks[..., :2]
    return np.max(peaks, axis=-1)[()]


def _check_fs_series(X, fs, min_times=2):
    return check_series(X, min_times=min_times), check_positive(fs, "fs")


def _squared_integral(X, fs):
    """Cumulative trapezoid integral of a^2 dt, shape (..., n_times), starting at 0."""
    squared = np.square(X.astype(np.float64, copy=False))
    return scipy.integrate.cumulative_trapezoid(squared, dx=1.0 / fs, axis=-1, initial=0.0)


def arias_intensity(X, fs):
    """Arias intensity ``pi / (2 g) * integral of a(t)^2 dt`` per trace.

    Parameters
    ----------
    X : array-like of shape (..., n_times)
        Accelerations in m/s^2, any leading shape (e.g. (n_records, 3, n_times)).
    fs : float
        Sampling rate in Hz.

    Returns
    -------
    arias : ndarray of shape X.shape[:-1]
        Arias intensity in m/s (a float for a single trace); the integral is
        the trapezoid rule over the samples, g = :data:`G` = 9.80665 m/s^2.

    Raises
    ------
    ValueError
        If ``fs`` is not positive, ``X`` has fewer than 2 samples or
        non-finite values.
    TypeError
        If ``X`` is not a real numeric array or ``fs`` is not a number.

    Examples
    --------
    A 1 m/s^2 sinusoid over 10 s: ``pi / (2 g) * 10 / 2 = 0.8009`` m/s.

    >>> import numpy as np
    >>> t = np.arange(1001) / 100.0
    >>> round(float(arias_intensity(np.sin(2 * np.pi * 2.0 * t), 100.0)), 4)
    0.8009
    """
    X, fs = _check_fs_series(X, fs)
    squared = np.square(X.astype(np.float64, copy=False))
    return (np.pi / (2 * G) * scipy.integrate.trapezoid(squared, dx=1.0 / fs, axis=-1))[()]


def husid(X, fs):
    """Normalised Husid curve: the running integral of ``a(t)^2`` over its total.

    Parameters
    ----------
    X : array-like of shape (..., n_times)
        Accelerations, any leading shape.
    fs : float
        Sampling rate in Hz.

    Returns
    -------
    curves : ndarray of shape (..., n_times)
        Non-decreasing from 0 at the first sample to 1 at the last
        (trapezoid rule). A trace without energy (all samples zero) has no
        Husid curve: its row is NaN, and so are the durations and times
        derived from it.

    Raises
    ------
    ValueError
        If ``fs`` is not positive, ``X`` has fewer than 2 samples or
        non-finite values.
    TypeError
        If ``X`` is not a real numeric array or ``fs`` is not a number.

    Examples
    --------
    >>> import numpy as np
    >>> husid(np.array([0.0, 1.0, 1.0, 0.0]), 1.0).tolist()
    [0.0, 0.25, 0.75, 1.0]
    >>> husid(np.zeros(4), 1.0).tolist()
    [nan, nan, nan, nan]
    """
    X, fs = _check_fs_series(X, fs)
    return _husid(X, fs)


def _husid(X, fs):
    cumulative = _squared_integral(X, fs)
    total = cumulative[..., -1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, cumulative / total, np.nan)


def _check_levels(levels, name):
    levels = check_real_array(levels, name).astype(np.float64)
    if levels.ndim != 1 or levels.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {levels.shape}")
    check_finite(levels, name)
    if np.any((levels < 0) | (levels > 1)):
        raise ValueError(f"{name} must lie in [0, 1], got {levels.tolist()}")
    return levels


def _level_times(curves, levels, fs):
    """First time each curve reaches each level, linear between samples."""
    times = np.empty(curves.shape[:-1] + (levels.size,))
    safe = np.nan_to_num(curves, nan=0.0)
    for k, level in enumerate(levels):
        # First sample at or above the level (curves are non-decreasing).
        after = np.argmax(safe >= level, axis=-1)[..., None]
        before = np.maximum(after - 1, 0)
        high = np.take_along_axis(safe, after, axis=-1)[..., 0]
        low = np.take_along_axis(safe, before, axis=-1)[..., 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            fraction = np.where(high > low, (level - low) / (high - low), 1.0)
        times[..., k] = (before[..., 0] + np.where(after[..., 0] > 0, fraction, 0.0)) / fs
    times[np.isnan(curves[..., -1])] = np.nan
    return times


def husid_times(X, fs, levels):
    """Times at which the normalised Husid curve first reaches given levels.

    Parameters
    ----------
    X : array-like of shape (..., n_times)
        Accelerations, any leading shape.
    fs : float
        Sampling rate in Hz.
    levels : array-like of shape (n_levels,)
        Fractions of the total energy, in [0, 1].

    Returns
    -------
    times : ndarray of shape (..., n_levels)
        Seconds from the first sample, interpolated linearly between the two
        samples around each level. NaN for a trace without energy.

    Raises
    ------
    ValueError
        If ``levels`` are not a 1-D array in [0, 1], ``fs`` is not positive,
        ``X`` has fewer than 2 samples or non-finite values.
    TypeError
        If ``X`` or ``levels`` is not a real numeric array or ``fs`` is not a
        number.

    Examples
    --------
    >>> import numpy as np
    >>> husid_times(np.array([0.0, 1.0, 1.0, 0.0]), 1.0, [0.25, 0.5]).tolist()
    [1.0, 1.5]
    """
    X, fs = _check_fs_series(X, fs)
    levels = _check_levels(levels, "levels")
    return _level_times(_husid(X, fs), levels, fs)


def significant_duration(X, fs, interval=(0.05, 0.95)):
    """Significant duration: seconds between two levels of the Husid curve.

    Parameters
    ----------
    X : array-like of shape (..., n_times)
        Accelerations, any leading shape.
    fs : float
        Sampling rate in Hz.
    interval : tuple of float, default=(0.05, 0.95)
        ``(start, end)`` fractions of the total energy with
        ``0 <= start < end <= 1``; the default gives D5-95.

    Returns
    -------
    duration : ndarray of shape X.shape[:-1]
        Seconds between the two levels (see :func:`husid_times`); a float for
        a single trace, NaN for a trace without energy.

    Raises
    ------
    ValueError
        If ``interval`` is not an increasing pair in [0, 1], ``fs`` is not
        positive, ``X`` has fewer than 2 samples or non-finite values.
    TypeError
        If ``X`` is not a real numeric array or ``fs`` is not a number.

    Examples
    --------
    Constant shaking for 10 s: D5-95 is 90 % of it.

    >>> import numpy as np
    >>> round(float(significant_duration(np.ones(1001), 100.0)), 6)
    9.0
    """
    X, fs = _check_fs_series(X, fs)
    levels = _check_levels(interval, "interval")
    if levels.size != 2 or levels[0] >= levels[1]:
        raise ValueError(f"interval must be a pair (start, end) with start < end, got {interval!r}")
    times = _level_times(_husid(X, fs), levels, fs)
    return (times[..., 1] - times[..., 0])[()]


def pgv(X, fs, highpass=0.05):
    """Peak ground velocity, by integrating the high-passed accelerations.

    Each trace is processed as for the HVSR (see :func:`amplitude_spectrum`):
    least-squares linear detrend, zero padding of ``round(1.5 * 2 / highpass
    * fs)`` samples at both ends, 2nd-order Butterworth high-pass applied
    forward and backward; it is then integrated in the frequency domain
    (division by ``2 pi i f``) and PGV is the largest ``|v|`` over the
    record's own samples.

    Parameters
    ----------
    X : array-like of shape (..., n_times)
        Accelerations in m/s^2, any leading shape.
    fs : float
        Sampling rate in Hz.
    highpass : float, default=0.05
        High-pass corner in Hz, in (0, Nyquist). Integration needs it: without
        it a baseline offset grows into a linear drift of the velocity.

    Returns
    -------
    pgv : ndarray of shape X.shape[:-1]
        Peak ground velocity in m/s (a float for a single trace).

    Raises
    ------
    ValueError
        If ``fs`` is not positive, ``highpass`` is not in (0, Nyquist), ``X``
        has fewer than 2 samples or non-finite values.
    TypeError
        If ``X`` is not a real numeric array or ``fs`` is not a number.

    Examples
    --------
    The velocity of ``a = cos(2 pi t)`` m/s^2 is ``sin(2 pi t) / (2 pi)``:
    PGV = 0.16 m/s.

    >>> import numpy as np
    >>> t = np.arange(6001) / 100.0
    >>> round(float(pgv(np.cos(2 * np.pi * t), 100.0)), 2)
    0.16
    """
    X, fs = _check_fs_series(X, fs)
    if highpass is None:
        raise ValueError("pgv needs a high-pass corner (highpass=None is not allowed)")
    highpass = check_highpass(highpass, fs)
    n_times = X.shape[-1]
    # Padding at the end only is a circular shift of padding at both ends:
    # the record's own samples get the same velocities.
    n_fft = scipy.fft.next_fast_len(n_times + 2 * n_pad(highpass, fs), real=True)
    freqs = scipy.fft.rfftfreq(n_fft, d=1.0 / fs)
    spectra = scipy.fft.rfft(detrend(X.astype(np.float64, copy=False)), n=n_fft, axis=-1)
    integrator = np.zeros(freqs.size, dtype=np.complex128)
    integrator[1:] = highpass_gain(freqs[1:], highpass, fs) / (2j * np.pi * freqs[1:])
    velocity = scipy.fft.irfft(spectra * integrator, n=n_fft, axis=-1)[..., :n_times]
    return np.max(np.abs(velocity), axis=-1)[()]


def horizontal_geometric_mean(values, axis=None):
    """Geometric mean of the two horizontal channels, ``sqrt(E * N)``.

    The field's convention for one horizontal value per record (response
    spectra, Arias intensity, PGV, durations of the E and N channels). The U
    channel is ignored.

    Parameters
    ----------
    values : array-like of shape (..., 3, k) or (..., 3)
        Non-negative per-channel values in the order E, N, U, e.g. the output
        of :func:`response_spectrum` (``(n_records, 3, n_periods)``) or of
        :func:`arias_intensity` (``(n_records, 3)``); NaN allowed.
    axis : int, default=None
        The channel axis. ``None`` takes the one axis of length 3 among the
        last two; give it when both have length 3.

    Returns
    -------
    mean : ndarray
        ``values`` without the channel axis: shape (..., k) or (...).

    Raises
    ------
    ValueError
        If the channel axis cannot be told (no axis of length 3 among the
        last two, or both), ``axis`` does not have length 3, or a value is
        negative.
    TypeError
        If ``values`` is not a real numeric array.

    Examples
    --------
    >>> import numpy as np
    >>> horizontal_geometric_mean(np.array([[4.0, 1.0, 7.0]])).tolist()
    [2.0]
    >>> horizontal_geometric_mean(np.array([[1.0, 2.0], [9.0, 8.0], [5.0, 5.0]])).tolist()
    [3.0, 4.0]
    """
    values = check_real_array(values, "values").astype(np.float64)
    if axis is None:
        candidates = [a for a in (-2, -1) if values.ndim >= -a and values.shape[a] == 3]
        if len(candidates) != 1:
            raise ValueError(
                "values must have shape (..., 3, k) or (..., 3) with channels E, N, U; "
                f"got shape {values.shape}"
                + (": both last axes have length 3, pass axis" if candidates else "")
            )
        axis = candidates[0]
    elif values.ndim == 0 or values.shape[axis] != 3:
        raise ValueError(
            f"values must have 3 channels (E, N, U) along axis {axis}, got {values.shape}"
        )
    if np.any(values < 0):
        raise ValueError("values must be non-negative (amplitudes, energies or durations)")
    east, north = np.take(values, 0, axis=axis), np.take(values, 1, axis=axis)
    return np.sqrt(east * north)[()]
