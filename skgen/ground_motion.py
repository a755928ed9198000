"""Ground-motion model: how Fourier amplitudes scale with magnitude and distance.

``ln Y(f) = a_s(f) + b(f) M + c(f) ln R`` per frequency, with a term ``a_s``
per station that absorbs the site, so that ``b`` and ``c`` describe the
source and the path only (:class:`GroundMotionModel`). A generator fits it to
its bank's records (``ground_motion_model()``) and carries generated records
from the scenario they stand for to a target scenario with a smooth gain on
their Fourier amplitude, ``exp(b(f) dM + c(f) d ln R)``
(:func:`scale_to_scenario`); docs/scenario.rst.

numpy and scipy only: the estimators call it, nothing here knows them.
"""

import numpy as np

from .signal import fourier_amplitude

__all__ = [
    "GroundMotionModel",
    "apply_fourier_gain",
    "log_fourier_amplitude",
    "model_frequencies",
    "scale_to_scenario",
    "spectral_correction",
]

# Centre frequencies of the ground-motion model: enough to follow the source
# corner and the site resonance, few enough for 8 records per station.
_N_FREQUENCIES = 24
# Konno-Ohmachi coefficient of the spectra the model is fitted to: smoother
# than the HVSR's 40, so the regression coefficients vary smoothly.
_SMOOTHING = 20.0
# Largest correction of a generated record's spectrum towards its records'
# (a factor of 4 either way): a decoder that lost a band is not asked to
# create it from its noise.
_MAX_CORRECTION = np.log(4.0)
# Floor of a smoothed amplitude relative to the record's largest, so that a
# band with no energy (a filtered record) gives a finite logarithm.
_FLOOR = 1e-10


def model_frequencies(fs, n_times):
    """Centre frequencies (Hz) of the ground-motion model for a record layout.

    24 log-spaced frequencies from ``max(0.1, 2 fs / n_times)`` (a record
    holds at least two periods; at most ``0.1 fs`` for very short records)
    to ``0.45 fs`` (below an anti-alias filter); None when ``fs`` is None.

    Examples
    --------
    >>> f = model_frequencies(100.0, 6000)
    >>> len(f), float(f[0]), float(f[-1])
    (24, 0.1, 45.0)
    """
    if fs is None:
        return None
    low = min(max(0.1, 2.0 * fs / n_times), 0.1 * fs)
    return np.geomspace(low, 0.45 * fs, _N_FREQUENCIES)


def log_fourier_amplitude(X, fs, frequencies):
    """Natural log of each channel's smoothed Fourier amplitude spectrum.

    Parameters
    ----------
    X : ndarray of shape (n_records, n_channels, n_times)
        Accelerations in m/s^2.
    fs : float or None
        None (a generator without a sampling rate) gives NaN.
    frequencies : ndarray of shape (n_frequencies,) or None

    Returns
    -------
    log_fas : ndarray of shape (n_records, n_channels, n_frequencies), float32
        ``ln`` of the Konno-Ohmachi smoothed amplitude (m/s), floored at
        1e-10 of the channel's largest.
    """
    if fs is None:
        # Without a sampling rate there is no spectrum (and no scenario).
        return np.full(X.shape[:-1] + (_N_FREQUENCIES,), np.nan, dtype=np.float32)
    if X.shape[-1] < 2:
        # A single sample has no spectrum: zeros, so no scaling is derived.
        return np.zeros(X.shape[:-1] + (len(frequencies),), dtype=np.float32)
    _, fas = fourier_amplitude(X, fs, centers=frequencies, bandwidth=_SMOOTHING)
    floor = _FLOOR * np.max(fas, axis=-1, keepdims=True) + np.finfo(np.float64).tiny
    return np.log(np.maximum(fas, floor)).astype(np.float32)


class GroundMotionModel:
    """Linear ground-motion model with station terms, one per output column.

    ``ln Y_k = a_{s,k} + b_k M + c_k ln R + e`` for every column ``k`` (a
    frequency, a period, a channel), fitted by least squares with one
    intercept per station (the within-station estimator: each station's means
    are removed before ``b`` and ``c`` are solved for). Stations with a single
    record only contribute their term. When the records do not determine
    ``b`` and ``c`` (a single event) the minimum-norm solution gives 0: no
    scaling.

    Attributes
    ----------
    coef_ : ndarray of shape (2, ...)
        ``b`` (per magnitude unit) and ``c`` (per unit of ln distance).
    station_terms_ : dict of label to ndarray of shape (...)
        ``a_s``.
    sigma_ : ndarray of shape (...)
        Root mean square residual.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.array([5.0, 6.0, 7.0, 5.5, 6.5])
    >>> r = np.array([10.0, 40.0, 20.0, 15.0, 60.0])
    >>> s = np.array(["A", "A", "A", "B", "B"], dtype=object)
    >>> y = np.where(s == "A", 1.0, -1.0) + 1.5 * m - 1.2 * np.log(r)
    >>> gmm = GroundMotionModel().fit(y, m, r, s)
    >>> np.round(gmm.coef_, 6)
    array([ 1.5, -1.2])
    """

    def fit(self, log_values, magnitude, distance, stations):
        """Fit the model.

        Parameters
        ----------
        log_values : ndarray of shape (n_records, ...)
            Natural logs of the ground motion (any trailing shape).
        magnitude, distance : ndarray of shape (n_records,)
        stations : ndarray of shape (n_records,)

        Returns
        -------
        self : GroundMotionModel
        """
        y = np.asarray(log_values, dtype=np.float64)
        columns = y.reshape(len(y), -1)
        design = np.column_stack([magnitude, np.log(distance)]).astype(np.float64)
        centred_y, centred_x = columns.copy(), design.copy()
        labels = list(dict.fromkeys(stations))
        rows = {label: np.flatnonzero(stations == label) for label in labels}
        for label in labels:
            centred_y[rows[label]] -= columns[rows[label]].mean(axis=0)
            centred_x[rows[label]] -= design[rows[label]].mean(axis=0)
        coef = np.linalg.lstsq(centred_x, centred_y, rcond=None)[0]
        self.coef_ = coef.reshape((2,) + y.shape[1:])
        self.station_terms_ = {
            label: (
                columns[rows[label]].mean(axis=0) - design[rows[label]].mean(axis=0) @ coef
            ).reshape(y.shape[1:])
            for label in labels
        }
        residual = centred_y - centred_x @ coef
        self.sigma_ = np.sqrt(np.mean(residual**2, axis=0)).reshape(y.shape[1:])
        return self

    def predict(self, magnitude, distance, stations):
        """Median ``ln Y`` of records at known stations.

        Parameters
        ----------
        magnitude, distance, stations : ndarray of shape (n_records,)

        Returns
        -------
        log_values : ndarray of shape (n_records, ...)
        """
        terms = np.stack([self.station_terms_[label] for label in stations])
        return terms + self.log_gain(0.0, 1.0, np.asarray(magnitude), np.asarray(distance))

    def log_gain(self, source_magnitude, source_distance, target_magnitude, target_distance):
        """``b dM + c d ln R``: the log ratio target / source.

        Parameters
        ----------
        source_magnitude, source_distance : array-like of shape (n,) or float
        target_magnitude, target_distance : array-like of shape (n,) or float
            Broadcast together; distances in km.

        Returns
        -------
        log_gain : ndarray of shape (n, ...)
        """
        dm = np.asarray(target_magnitude, dtype=np.float64) - source_magnitude
        dr = np.log(target_distance) - np.log(source_distance)
        dm, dr = np.broadcast_arrays(np.atleast_1d(dm), np.atleast_1d(dr))
        extra = (None,) * (self.coef_.ndim - 1)
        return dm[(...,) + extra] * self.coef_[0] + dr[(...,) + extra] * self.coef_[1]


def spectral_correction(intended, actual):
    """Log gain that brings generated records' spectra to the intended ones.

    A mix of a station's records should have the weighted mean log Fourier
    amplitude of those records; a decoder's reconstructions are smoother
    and weaker in places (docs/scenario.rst). The correction is the
    difference of the two smoothed log spectra, clipped to a factor of 4
    either way.

    Parameters
    ----------
    intended, actual : ndarray of shape (n_records, n_channels, n_frequencies)
        Natural logs of smoothed Fourier amplitudes
        (:func:`log_fourier_amplitude`).

    Returns
    -------
    log_gain : ndarray of shape (n_records, n_channels, n_frequencies)

    Examples
    --------
    >>> import numpy as np
    >>> spectral_correction(np.zeros((1, 1, 3)), np.log([[[0.5, 1.0, 100.0]]])).round(3)
    array([[[ 0.693,  0.   , -1.386]]])
    """
    return np.clip(intended - actual, -_MAX_CORRECTION, _MAX_CORRECTION)


def apply_fourier_gain(X, fs, frequencies, log_gain):
    """Multiply each record's Fourier spectrum by a smooth gain.

    The gain is known at ``frequencies``; in between it is interpolated
    linearly in ln f (flat beyond the ends, also at 0 Hz), so it is smooth
    and the phase is kept.

    Parameters
    ----------
    X : ndarray of shape (n_records, n_channels, n_times)
    fs : float
    frequencies : ndarray of shape (n_frequencies,)
    log_gain : ndarray of shape (n_records, n_channels, n_frequencies)
        Natural log of the gain.

    Returns
    -------
    X_scaled : ndarray of shape (n_records, n_channels, n_times), dtype of X

    Examples
    --------
    A gain of 2 at every frequency doubles the record:

    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal((1, 3, 100))
    >>> g = np.full((1, 3, 4), np.log(2.0))
    >>> bool(np.allclose(apply_fourier_gain(x, 100.0, np.array([1, 5, 10, 40.0]), g), 2 * x))
    True
    """
    n_times = X.shape[-1]
    spectrum = np.fft.rfft(X, axis=-1)
    log_f = np.log(np.maximum(np.fft.rfftfreq(n_times, 1.0 / fs), frequencies[0]))
    log_centres = np.log(frequencies)
    flat = log_gain.reshape(-1, log_gain.shape[-1])
    gain = np.exp(np.stack([np.interp(log_f, log_centres, row) for row in flat]))
    spectrum *= gain.reshape(log_gain.shape[:-1] + (-1,))
    return np.fft.irfft(spectrum, n=n_times, axis=-1).astype(X.dtype, copy=False)


def scale_to_scenario(X, fs, model, source, target, intended=None):
    """Carry generated records from their own scenarios to a target scenario.

    Parameters
    ----------
    X : ndarray of shape (n_records, n_channels, n_times)
        Generated records, each standing for the scenario in ``source``.
    fs : float
        Sampling rate (Hz).
    model : GroundMotionModel
        Fitted on :func:`log_fourier_amplitude` at :func:`model_frequencies`.
    source : tuple of ndarray of shape (n_records,)
        Magnitude and distance (km) each record stands for.
    target : tuple of (float, float)
        Target magnitude and distance (km).
    intended : ndarray of shape (n_records, n_channels, n_frequencies), default=None
        The log Fourier amplitude each record should have at its own
        scenario, when known: the gain then also corrects the record towards
        it (:func:`spectral_correction`).

    Returns
    -------
    X_scaled : ndarray of shape (n_records, n_channels, n_times), dtype of X
    """
    log_gain = model.log_gain(*source, *target)
    frequencies = model_frequencies(fs, X.shape[-1])
    if intended is not None:
        log_gain += spectral_correction(intended, log_fourier_amplitude(X, fs, frequencies))
    return apply_fourier_gain(X, fs, frequencies, log_gain.astype(np.float32))
