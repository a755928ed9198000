"""Response spectra: peak responses of damped single-degree-of-freedom oscillators."""

import numbers

import numpy as np
import scipy.linalg
import scipy.signal

from .._validation import check_frequencies, check_positive
from ._checks import check_series

__all__ = ["response_spectrum"]


def response_spectrum(X, fs, periods, damping=0.05):
    """Pseudo-spectral acceleration of damped single-degree-of-freedom oscillators.

    For each period T (``omega = 2 pi / T``) the relative displacement ``u``
    of ``u'' + 2 damping omega u' + omega^2 u = -a(t)`` is computed by exact
    discretisation for an input linear between samples (Nigam and Jennings
    1969; the recursion of ``scipy.signal.lsim``), starting at rest, and
    vectorised over records with ``scipy.signal.lfilter``;
    PSA = ``omega^2 max|u|``.

    Parameters
    ----------
    X : array-like of shape (..., n_times)
        Ground accelerations, any leading shape (e.g. (n_records, 3, n_times)).
    fs : float
        Sampling rate in Hz.
    periods : array-like of shape (n_periods,)
        Positive oscillator periods in seconds.
    damping : float, default=0.05
        Fraction of critical damping, in (0, 1).

    Returns
    -------
    psa : ndarray of shape (..., n_periods)
        Pseudo-spectral accelerations in the units of ``X``.

    Raises
    ------
    ValueError
        If ``fs``, ``periods`` or ``damping`` are invalid, or ``X`` is empty
        or not finite.
    TypeError
        If ``X`` is not a real numeric array or ``fs`` is not a number.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(2000) / 100.0
    >>> psa = response_spectrum(np.sin(2 * np.pi * t), 100.0, [0.01, 1.0])
    >>> psa.round(1).tolist()
    [1.0, 10.0]
    """
    fs = check_positive(fs, "fs")
    periods = check_frequencies(periods, "periods", allow_zero=False)
    if not isinstance(damping, numbers.Real) or isinstance(damping, bool) or not 0 < damping < 1:
        raise ValueError(f"damping must be in (0, 1), got {damping!r}")
    X = check_series(X).astype(np.float64, copy=False)
    dt = 1.0 / fs
    # The input one step ahead, for the hold term on the next sample.
    ahead = np.concatenate([X[..., 1:], np.zeros(X.shape[:-1] + (1,))], axis=-1)
    psa = np.empty(X.shape[:-1] + (periods.size,))
    for k, period in enumerate(periods):
        omega = 2 * np.pi / period
        state = np.array([[0.0, 1.0], [-(omega**2), -2 * damping * omega]])
        # exp of this block matrix gives the exact step and the two hold
        # integrals of a linearly interpolated input (as in scipy.signal.lsim).
        block = np.zeros((4, 4))
        block[:2, :2] = state * dt
        block[1, 2] = -dt
        block[2, 3] = 1.0
        exponential = scipy.linalg.expm(block)
        step = exponential[:2, :2]
        hold_next = exponential[:2, 3:]
        hold_now = exponential[:2, 2:3] - hold_next
        # scipy.signal.cont2discrete(method="foh") folds the next-sample term
        # into a state offset at t = 0; a record starting at rest has none, so
        # the two terms are filtered separately, from zero state.
        observe = np.array([[1.0, 0.0]])
        now_b, denominator = scipy.signal.ss2tf(step, hold_now, observe, [[0.0]])
        next_b, _ = scipy.signal.ss2tf(step, hold_next, observe, [[0.0]])
        displacement = scipy.signal.lfilter(
            now_b[0], denominator, X, axis=-1
        ) + scipy.signal.lfilter(next_b[0], denominator, ahead, axis=-1)
        psa[..., k] = omega**2 * np.max(np.abs(displacement), axis=-1)
    return psa
