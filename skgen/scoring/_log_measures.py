"""Intensity measures of records, as engineers read them, in natural logs.

Every measure is computed per component by :mod:`skgen.signal` and combined
over the horizontals by their geometric mean ``sqrt(E N)`` (the convention
of ground-motion models; see docs/scoring.rst, "Intensity measures").
"""

import numpy as np

from .._validation import check_frequencies
from ..signal import (
    arias_intensity,
    fourier_amplitude,
    horizontal_geometric_mean,
    pgv,
    response_spectrum,
    significant_duration,
)

__all__ = ["DEFAULT_PERIODS", "LOG_MEASURES", "check_periods", "log_intensity_measures"]

#: Default oscillator periods (s) of ``psa`` and ``fas`` (at the
#: frequencies 1 / period): 25 log-spaced periods on 0.05-5 s.
DEFAULT_PERIODS = np.geomspace(0.05, 5.0, 25)
DEFAULT_PERIODS.setflags(write=False)

#: Intensity measures compared in log units: each gives, per record, one
#: value (``pga``, ``pgv``, ``arias``, ``duration``) or one per period
#: (``psa``, ``fas``).
LOG_MEASURES = ("psa", "pga", "pgv", "arias", "duration", "fas")

# Response spectra are accurate from three samples per period up (docs/
# scoring.rst); shorter periods are refused rather than reported wrong.
_SAMPLES_PER_PERIOD = 3


def check_periods(periods, fs):
    """Periods (s) as a float array, each at least 3 samples long at ``fs``;
    ``None`` is the :data:`DEFAULT_PERIODS` that are."""
    shortest = _SAMPLES_PER_PERIOD / fs
    if periods is None:
        periods = DEFAULT_PERIODS[DEFAULT_PERIODS >= shortest]
    periods = check_frequencies(periods, "periods", allow_zero=False)
    if periods.min() < shortest:
        raise ValueError(
            f"periods must be at least {_SAMPLES_PER_PERIOD} samples long, "
            f"{shortest:g} s at fs={fs:g} Hz; got {periods.min():g} s."
        )
    return periods


def _log(values):
    # A record that is all zeros would give -inf; the smallest float keeps
    # every statistic finite and its distance very large, as it should be.
    return np.log(np.maximum(values, np.finfo(float).tiny))


def log_intensity_measures(X, fs, measure, periods):
    """ln of one intensity measure of every record, horizontal geometric mean.

    Parameters
    ----------
    X : ndarray of shape (n_records, 3, n_times)
        Records in m/s^2, channels E, N, U.
    fs : float
        Sampling rate (Hz).
    measure : {"psa", "pga", "pgv", "arias", "duration", "fas"}
        ``psa``: 5 % damped pseudo-spectral acceleration (m/s^2) at
        ``periods``; ``pga`` (m/s^2); ``pgv`` (m/s, high-passed at 0.05 Hz
        as the HVSR pipeline); ``arias``: Arias intensity (m/s);
        ``duration``: significant duration D5-95 (s); ``fas``:
        Konno-Ohmachi-smoothed Fourier amplitude (m/s) at the frequencies
        ``1 / periods``.
    periods : ndarray of shape (n_periods,)
        Checked periods (:func:`check_periods`).

    Returns
    -------
    values : ndarray of shape (n_records, n_values)
        ``n_values`` is ``n_periods`` for ``psa`` and ``fas``, 1 otherwise.
    """
    if measure == "psa":
        per_component = response_spectrum(X, fs, periods, damping=0.05)
    elif measure == "fas":
        _, per_component = fourier_amplitude(X, fs, centers=np.sort(1.0 / periods))
        # back to the order of ``periods``
        per_component = per_component[..., np.argsort(np.argsort(1.0 / periods))]
    else:
        per_component = {
            "pga": lambda: np.max(np.abs(X), axis=-1),
            "pgv": lambda: pgv(X, fs),
            "arias": lambda: arias_intensity(X, fs),
            "duration": lambda: significant_duration(X, fs),
        }[measure]()[..., np.newaxis]
    return _log(horizontal_geometric_mean(per_component, axis=1)).reshape(X.shape[0], -1)
