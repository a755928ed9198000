"""Array helpers of the readers: record length, sampling rate and units.

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

from fractions import Fraction

import numpy as np
from obspy import Trace
from scipy.signal import resample_poly

from .._validation import check_count, check_finite, check_real_array
from ..signal import G

# Acceleration units by their usual spellings (upper case), factor to m/s^2.
UNITS = {
    "M/S**2": 1.0,
    "M/S^2": 1.0,
    "M/S/S": 1.0,
    "M/S2": 1.0,
    "M/SEC**2": 1.0,
    "M/SEC/SEC": 1.0,
    "CM/S**2": 0.01,
    "CM/S^2": 0.01,
    "CM/S/S": 0.01,
    "CM/S2": 0.01,
    "CM/SEC/SEC": 0.01,
    "GAL": 0.01,
    "G": G,
}


def units_factor(units, name="units"):
    """Factor from an acceleration unit (``"m/s^2"``, ``"gal"``, ``"g"``...) to m/s^2."""
    if not isinstance(units, str):
        raise TypeError(f"{name} must be a string such as 'm/s^2', 'gal' or 'g', got {units!r}.")
    factor = UNITS.get(units.strip().upper())
    if factor is None:
        raise ValueError(
            f"{name} {units!r} is not an acceleration unit; use 'm/s^2', 'cm/s^2' "
            "(or 'gal') or 'g'."
        )
    return factor


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
    check_finite(check_real_array(X))
    out = np.zeros(X.shape[:-1] + (n_times,), dtype=X.dtype)
    n_kept = min(n_times, X.shape[-1])
    out[..., :n_kept] = X[..., :n_kept]
    return out


def resample(data, rate, fs):
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
