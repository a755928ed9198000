"""Resonance frequency f0 from HVSR curves and its lognormal statistics."""

import numpy as np

from .._validation import check_frequencies, check_real_array

__all__ = ["PEAK_METHODS", "f0_statistics", "peak_frequency"]

PEAK_METHODS = ("interior", "argmax")


def _interior_peaks(curves):
    """Mask of interior local maxima; a flat top counts when both sides drop."""
    sign = np.sign(np.diff(curves, axis=-1))
    n_steps = sign.shape[-1]
    index = np.broadcast_to(np.arange(n_steps), sign.shape)
    # Sign of the nearest non-flat step to the left / right of each point,
    # so every point of a plateau sees the slopes around the whole plateau.
    last = np.maximum.accumulate(np.where(sign != 0, index, -1), axis=-1)
    first = np.flip(
        np.minimum.accumulate(np.flip(np.where(sign != 0, index, n_steps), axis=-1), axis=-1),
        axis=-1,
    )
    padded = np.concatenate([sign, np.zeros(sign.shape[:-1] + (1,))], axis=-1)
    rising = np.take_along_axis(padded, np.where(last < 0, n_steps, last), axis=-1) > 0
    falling = np.take_along_axis(padded, first, axis=-1) < 0
    peaks = np.zeros(curves.shape, dtype=bool)
    # Point i has the step i-1 on its left and the step i on its right.
    peaks[..., 1:-1] = rising[..., :-1] & falling[..., 1:]
    return peaks


def peak_frequency(centers, curves, method="interior"):
    """Resonance frequency f0 and amplitude a0 of HVSR curves.

    Parameters
    ----------
    centers : array-like of shape (n_centers,)
        Frequencies of the curves' last axis, increasing.
    curves : array-like of shape (..., n_centers)
        HVSR curves.
    method : {"interior", "argmax"}, default="interior"
        ``"interior"`` (skgen's default): the highest interior local maximum.
        A point is a local maximum when the curve strictly rises into it and
        strictly falls after it; a flat top counts as one peak when the
        curve rises before it and falls after it, and resolves to its lowest
        frequency, as do equal-height peaks. The first and last centres are
        never peaks: a curve that only rises (or falls) to a band edge has no
        resonance inside the band and gives ``f0 = a0 = NaN``.
        ``"argmax"`` (the published pick): the global maximum, band edges
        included.

    Returns
    -------
    f0 : ndarray of shape curves.shape[:-1]
        Peak frequencies in Hz (a float for a single curve).
    a0 : ndarray of shape curves.shape[:-1]
        Curve values at the peak. Both are NaN for a curve without an
        interior peak (``"interior"``) or holding NaN or inf.

    Raises
    ------
    ValueError
        If ``method`` is unknown, ``centers`` is not 1-D or increasing, or
        the last axis of ``curves`` does not match ``centers``.

    Examples
    --------
    >>> import numpy as np
    >>> centers = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    >>> curve = np.array([1.0, 3.0, 2.0, 4.0, 5.0])
    >>> f0, a0 = peak_frequency(centers, curve)
    >>> float(f0), float(a0)
    (2.0, 3.0)
    >>> f0, a0 = peak_frequency(centers, curve, method="argmax")
    >>> float(f0), float(a0)
    (5.0, 5.0)
    """
    if method not in PEAK_METHODS:
        raise ValueError(f"method must be one of {PEAK_METHODS}, got {method!r}")
    centers = check_frequencies(centers, "centers", allow_zero=True)
    if np.any(np.diff(centers) <= 0):
        raise ValueError("centers must be strictly increasing")
    curves = check_real_array(curves, "curves").astype(np.float64)
    if curves.ndim == 0 or curves.shape[-1] != centers.size:
        raise ValueError(
            f"curves' last axis must match centers ({centers.size} values), "
            f"got curves of shape {curves.shape}"
        )
    if curves.size == 0:
        raise ValueError(f"curves is empty (shape {curves.shape})")
    finite = np.all(np.isfinite(curves), axis=-1)
    safe = np.where(finite[..., None], curves, 0.0)
    if method == "argmax":
        candidates = safe
        found = finite
    else:
        peaks = _interior_peaks(safe)
        candidates = np.where(peaks, safe, -np.inf)
        found = finite & peaks.any(axis=-1)
    best = np.argmax(candidates, axis=-1)
    f0 = np.where(found, centers[best], np.nan)
    a0 = np.where(found, np.take_along_axis(safe, best[..., None], axis=-1)[..., 0], np.nan)
    return f0[()], a0[()]


def f0_statistics(f0):
    """Lognormal median and log standard deviation of resonance frequencies.

    Follows hvsrpy: median ``exp(mean(ln f0))`` and ``sigma_ln`` the sample
    standard deviation (``ddof=1``) of ``ln f0``. NaN entries (curves without
    an interior peak) are ignored.

    Parameters
    ----------
    f0 : array-like
        Resonance frequencies in Hz, any shape; NaN allowed.

    Returns
    -------
    median : float
        Lognormal median in Hz; NaN when no f0 is finite.
    sigma_ln : float
        Standard deviation of ln f0 with ``ddof=1``; NaN with fewer than two
        finite values.

    Raises
    ------
    ValueError
        If a non-NaN value is not positive and finite.
    TypeError
        If ``f0`` is None, a string, or not numeric.

    Examples
    --------
    >>> median, sigma_ln = f0_statistics([2.0, 8.0, float("nan")])
    >>> round(median, 6), round(sigma_ln, 6)
    (4.0, 0.980258)
    """
    if f0 is None or isinstance(f0, (str, bytes)):
        raise TypeError(f"f0 must be an array of frequencies in Hz, got {type(f0).__name__}")
    try:
        f0 = np.asarray(f0, dtype=np.float64).ravel()
    except (TypeError, ValueError) as exc:
        raise TypeError(f"f0 must be an array of frequencies in Hz ({exc})") from None
    f0 = f0[~np.isnan(f0)]
    if np.any(~np.isfinite(f0) | (f0 <= 0)):
        raise ValueError("f0 must be positive and finite (NaN entries are ignored)")
    if f0.size == 0:
        return np.nan, np.nan
    log_f0 = np.log(f0)
    sigma_ln = float(np.std(log_f0, ddof=1)) if f0.size > 1 else np.nan
    return float(np.exp(np.mean(log_f0))), sigma_ln
