"""Scenario conditioning: records for a station *and* an earthquake scenario.

A scenario is a moment magnitude ``M`` and a hypocentral distance ``R`` (km).
Three pieces, described in docs/scenario.rst:

- a kernel in (magnitude, ln distance) around the target, which favours the
  station's records of similar events (:func:`kernel_log_weights`);
- a ground-motion model fitted to the bank's records, ``ln Y(f) = a_s(f) +
  b(f) M + c(f) ln R`` per frequency with a term ``a_s`` per station
  (:class:`GroundMotionModel`); the station terms absorb the site, so ``b``
  and ``c`` describe the source and the path only;
- a smooth gain on the Fourier amplitude that carries a record from its own
  scenario to the target, ``exp(b(f) dM + c(f) d ln R)``
  (:func:`apply_fourier_gain`); it equals 1 when the two scenarios agree.

numpy and scipy only: the estimators call it, nothing here knows them.
"""

import numbers
import warnings

import numpy as np

from ._validation import check_finite, check_parameter, check_positive, check_real_array
from .signal import fourier_amplitude

__all__ = [
    "GroundMotionModel",
    "apply_fourier_gain",
    "check_bandwidth",
    "check_record_scenarios",
    "check_scenario",
    "draw_near",
    "kernel_log_weights",
    "log_fourier_amplitude",
    "mix_scenario",
    "model_frequencies",
    "spectral_correction",
    "warn_outside_pool",
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


def check_record_scenarios(magnitude, distance, n_records):
    """Validate the per-record scenario of ``fit``/``add_stations``/``with_bank``.

    Parameters
    ----------
    magnitude, distance : array-like of shape (n_records,) or None
        Moment magnitude and hypocentral distance (km) of each record's
        event; both or neither.
    n_records : int

    Returns
    -------
    magnitude, distance : ndarray of shape (n_records,), float64
        NaN for every record when neither is given (no scenario known).

    Raises
    ------
    ValueError
        Only one of the two given, wrong shape, non-finite values or a
        distance that is not positive.
    TypeError
        Not numeric.

    Examples
    --------
    >>> check_record_scenarios([6.0, 5.5], [20, 35.0], 2)[1]
    array([20., 35.])
    >>> check_record_scenarios(None, None, 2)[0]
    array([nan, nan])
    """
    if magnitude is None and distance is None:
        missing = np.full(n_records, np.nan)
        return missing, missing.copy()
    if magnitude is None or distance is None:
        given = "magnitude" if distance is None else "distance"
        raise ValueError(
            f"magnitude and distance must be given together (one per record); got only {given}."
        )
    checked = []
    for name, values in (("magnitude", magnitude), ("distance", distance)):
        values = check_real_array(values, name)
        if values.shape != (n_records,):
            raise ValueError(
                f"{name} must have shape ({n_records},), one value per record; "
                f"got shape {values.shape}."
            )
        checked.append(check_finite(values.astype(np.float64), name))
    if np.any(checked[1] <= 0):
        raise ValueError(
            f"distance must be positive (hypocentral distance in km); got {checked[1].min()}."
        )
    return checked[0], checked[1]


def check_scenario(magnitude, distance):
    """Validate a target scenario of ``sample``; None when neither is given.

    Returns
    -------
    scenario : tuple of (float, float) or None
        ``(magnitude, distance)``.

    Examples
    --------
    >>> check_scenario(6.5, 20)
    (6.5, 20.0)
    >>> check_scenario(None, None) is None
    True
    """
    if magnitude is None and distance is None:
        return None
    if magnitude is None or distance is None:
        given = "magnitude" if distance is None else "distance"
        raise ValueError(f"a scenario needs both magnitude and distance; got only {given}.")
    if isinstance(magnitude, (bool, np.bool_)) or not np.isscalar(magnitude):
        raise TypeError(f"magnitude must be a real number, got {type(magnitude).__name__}.")
    magnitude = float(check_finite(check_real_array(magnitude, "magnitude"), "magnitude"))
    return magnitude, check_positive(distance, "distance")


def kernel_log_weights(magnitude, distance, target, bandwidth):
    """Log of the Gaussian kernel weights of records around a target scenario.

    ``ln w_i = -((M_i - M) / h_M)^2 / 2 - ((ln R_i - ln R) / h_R)^2 / 2``:
    distance counts in ratios (20 km is as far from 10 km as 40 km is from
    20 km).

    Parameters
    ----------
    magnitude, distance : ndarray of shape (n_records,)
    target : tuple of (float, float)
        Target magnitude and distance (km).
    bandwidth : tuple of (float, float)
        ``(h_M, h_R)``: magnitude units and natural-log units of distance.

    Returns
    -------
    log_weights : ndarray of shape (n_records,)
        Unnormalised; 0 for a record of exactly the target scenario.

    Examples
    --------
    A record one bandwidth away in magnitude weighs ``exp(-1/2)``:

    >>> import numpy as np
    >>> w = np.exp(kernel_log_weights(np.array([6.0, 6.5]), np.array([20.0, 20.0]),
    ...                                (6.0, 20.0), (0.5, 0.5)))
    >>> np.round(w, 4)
    array([1.    , 0.6065])
    """
    h_magnitude, h_distance = bandwidth
    dm = (np.asarray(magnitude) - target[0]) / h_magnitude
    dr = (np.log(distance) - np.log(target[1])) / h_distance
    return -0.5 * (dm**2 + dr**2)


def check_bandwidth(bandwidth):
    """Validate a kernel bandwidth ``(h_M, h_R)``; returns it as a tuple."""
    try:
        pair = tuple(bandwidth)
    except TypeError:
        pair = ()
    if len(pair) != 2:
        raise ValueError(
            "scenario_bandwidth must be a pair (magnitude units, ln distance units), "
            f"got {bandwidth!r}."
        )
    for name, value in zip(("magnitude", "distance"), pair):
        check_parameter(
            value,
            f"scenario_bandwidth ({name})",
            numbers.Real,
            min_val=0,
            include_boundaries="neither",
        )
    return pair


def draw_near(log_weights, n_mix, alpha, n_samples, rng):
    """Draw mixes of records that favour high kernel weights.

    Each mix takes ``n_mix`` distinct records with probabilities proportional
    to the weights (the Gumbel top-k trick: sampling without replacement);
    with fewer records than ``n_mix``, records are drawn with replacement.
    The mixing weights are Dirichlet with concentration ``alpha * n_mix``
    times each drawn record's share of the drawn weights (``alpha`` infinite:
    the shares themselves), so the records nearest the scenario dominate.

    Parameters
    ----------
    log_weights : ndarray of shape (n_records,)
        From :func:`kernel_log_weights`.
    n_mix : int
    alpha : float
        Dirichlet concentration per record of a uniform mix (may be inf).
    n_samples : int
    rng : numpy.random.RandomState

    Returns
    -------
    indices : ndarray of shape (n_samples, n_mix), int
    weights : ndarray of shape (n_samples, n_mix), float64
        Rows sum to 1.

    Examples
    --------
    With one record far more likely than the others, it is always drawn:

    >>> import numpy as np
    >>> rng = np.random.RandomState(0)
    >>> idx, w = draw_near(np.array([0.0, -50.0, -50.0, -50.0]), 2, 1.0, 100, rng)
    >>> bool(np.all(np.any(idx == 0, axis=1)))
    True
    """
    n_records = len(log_weights)
    shares = np.exp(log_weights - np.max(log_weights))
    if n_records >= n_mix:
        gumbel = -np.log(-np.log(rng.random_sample((n_samples, n_records))))
        indices = np.argpartition(-(log_weights + gumbel), n_mix - 1, axis=1)[:, :n_mix]
    else:
        cumulative = np.cumsum(shares / shares.sum())
        draws = rng.random_sample((n_samples, n_mix))
        indices = np.minimum(np.searchsorted(cumulative, draws), n_records - 1)
    chosen = shares[indices]
    chosen = chosen / chosen.sum(axis=1, keepdims=True)
    if np.isinf(alpha):
        return indices, chosen
    # Dirichlet with per-row concentrations as normalised gamma draws.
    gamma = rng.standard_gamma(np.maximum(alpha * n_mix * chosen, 1e-12))
    total = gamma.sum(axis=1, keepdims=True)
    weights = np.where(total > 0, gamma / np.where(total > 0, total, 1.0), chosen)
    return indices, weights


def mix_scenario(entry, indices, weights):
    """The event a mix of bank records stands for, and its intended spectrum.

    The weighted mean magnitude, the weighted geometric mean distance (the
    records' amplitudes are mixed geometrically) and the weighted mean of
    the records' log Fourier amplitudes.

    Parameters
    ----------
    entry : dict
        A station's bank entry with ``magnitude``, ``distance`` (n_records,)
        and ``log_fas`` (n_records, n_channels, n_frequencies).
    indices, weights : ndarray of shape (n_samples, n_mix)

    Returns
    -------
    magnitude, distance : ndarray of shape (n_samples,)
    intended : ndarray of shape (n_samples, n_channels, n_frequencies)
    """
    magnitude = np.einsum("sk,sk->s", weights, entry["magnitude"][indices])
    distance = np.exp(np.einsum("sk,sk->s", weights, np.log(entry["distance"][indices])))
    intended = np.einsum("sk,skcf->scf", weights, entry["log_fas"][indices])
    return magnitude, distance, intended


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


def warn_outside_pool(station, magnitude, distance, target):
    """Warn when a target scenario lies outside a station's records' range.

    Says by how much: magnitude units beyond the nearest end, and the ratio
    of distances beyond the nearest end.

    Returns
    -------
    outside : bool
    """
    notes = []
    m_low, m_high = float(np.min(magnitude)), float(np.max(magnitude))
    r_low, r_high = float(np.min(distance)), float(np.max(distance))
    if target[0] > m_high:
        notes.append(
            f"magnitude {target[0]:g} is {target[0] - m_high:.2f} above the largest ({m_high:g})"
        )
    elif target[0] < m_low:
        notes.append(
            f"magnitude {target[0]:g} is {m_low - target[0]:.2f} below the smallest ({m_low:g})"
        )
    if target[1] > r_high:
        notes.append(
            f"distance {target[1]:g} km is {target[1] / r_high:.2f}x the largest ({r_high:g} km)"
        )
    elif target[1] < r_low:
        notes.append(
            f"distance {target[1]:g} km is {r_low / target[1]:.2f}x closer than the nearest "
            f"({r_low:g} km)"
        )
    if notes:
        warnings.warn(
            f"Scenario outside the range of the records of station {station!r}: "
            + "; ".join(notes)
            + ". The ground-motion model extrapolates; treat these records with care.",
            UserWarning,
            stacklevel=3,
        )
    return bool(notes)
