"""Scenario conditioning: records for a station *and* an earthquake scenario.

A scenario is a moment magnitude ``M`` and a hypocentral distance ``R`` (km).
Here: the checks of scenarios, the kernel in (magnitude, ln distance)
around a target that favours the station's records of similar events
(:func:`kernel_log_weights`, :func:`draw_near`), the scenario a mix stands
for and the warning for targets outside a station's records. The
ground-motion model that scales records to the target is
:mod:`skgen.ground_motion` (docs/scenario.rst).

numpy and scipy only: the estimators call it, nothing here knows them.
"""

import numbers
import warnings

import numpy as np

from ._validation import check_finite, check_parameter, check_positive, check_real_array

__all__ = [
    "check_bandwidth",
    "check_record_scenarios",
    "check_scenario",
    "draw_near",
    "kernel_log_weights",
    "mix_scenario",
    "warn_outside_pool",
]


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
