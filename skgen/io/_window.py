"""Event windows: where in a long record the earthquake is.

A record cut from continuous data, or a triggered record with a long
pre-event part, holds the earthquake somewhere inside. The ``n_times``
window is placed ``pre_event`` seconds before the P-wave onset, so the strong
motion is inside and the first seconds are pre-event noise.

The onset is picked with the Akaike information criterion on the vertical
component (:func:`obspy.signal.trigger.aic_simple`, Maeda 1985): the global
minimum of the AIC over the samples up to the vertical's peak splits the
record into two stationary parts, noise and signal. On the real records of
``tests/data`` it falls within 0.1 s of an STA/LTA trigger and, unlike an
STA/LTA trigger at a fixed threshold, does not fire early in 120 s of
pre-event noise. When the pick is not credible (less than a second of record
before the vertical's peak, or a pick after the 5 % Husid time) the onset is
the time at which 5 % of the record's Arias intensity has arrived (the 5 %
Husid time). See ``docs/data.rst``.
"""

import numpy as np
from obspy.signal.trigger import aic_simple

from .._validation import check_three_component

HUSID_FRACTION = 0.05
"""Fraction of the Arias intensity that marks the fallback onset."""


def husid_time(data, fs, fraction=HUSID_FRACTION):
    """Seconds until ``fraction`` of the record's Arias intensity (all channels)."""
    energy = np.cumsum(np.sum(np.square(data, dtype=np.float64), axis=0))
    if energy[-1] <= 0:
        return 0.0
    return float(np.searchsorted(energy, fraction * energy[-1])) / fs


def pick_onset(record, fs):
    """P-wave onset of a record, in seconds after its first sample.

    Parameters
    ----------
    record : array-like of shape (3, n_samples)
        One record, channels E, N, U.
    fs : float
        Sampling rate in Hz.

    Returns
    -------
    onset : float
        Seconds from the first sample.
    method : {"aic", "husid"}
        ``"aic"``: the AIC pick on the vertical component; ``"husid"``: the
        5 % Husid time, used when the AIC pick is not credible.

    Raises
    ------
    TypeError
        If ``record`` is not a real numeric array.
    ValueError
        If ``record`` is not (3, n_samples) with at least 8 samples, or holds
        NaN or inf.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.io import pick_onset
    >>> rng = np.random.default_rng(0)
    >>> record = 0.01 * rng.normal(size=(3, 6000))
    >>> record[:, 2000:] += rng.normal(size=(3, 4000))  # shaking from 20 s
    >>> onset, method = pick_onset(record, 100.0)
    >>> round(onset, 1), method
    (20.0, 'aic')
    """
    record = check_three_component(record, "record")
    if record.ndim != 2:
        raise ValueError(f"record must have shape (3, n_samples), got {record.shape}")
    fallback = husid_time(record, fs)
    vertical = np.asarray(record[2], dtype=np.float64)
    peak = int(np.argmax(np.abs(vertical)))
    if peak < fs:  # less than a second before the peak: nothing to split
        return fallback, "husid"
    with np.errstate(divide="ignore", invalid="ignore"):
        aic = aic_simple(vertical[: peak + 1])
    # A constant stretch (zero padding, a gap) has zero variance, log 0 = -inf.
    aic = np.where(np.isfinite(aic), aic, np.inf)
    index = int(np.argmin(aic))
    onset = index / fs
    if not np.isfinite(aic[index]) or index == 0 or onset > fallback:
        return fallback, "husid"
    return onset, "aic"


def window_start(n_samples, onset, fs, n_times, pre_event):
    """First sample of the ``n_times`` window starting ``pre_event`` s before ``onset``.

    The window stays inside the record when the record is long enough: it
    never starts before the first sample, and it starts early enough to end
    at the record's last sample rather than run past it into zero padding.
    """
    start = int(round((onset - pre_event) * fs))
    return max(0, min(start, n_samples - n_times))
