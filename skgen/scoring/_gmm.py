"""Published ground-motion models through pygmm: NGA-West2 medians and sigmas
of PSA, the Baker and Jayaram (2008) correlation of PSA residuals across
periods, and the Afshari and Stewart (2016) significant durations.

pygmm (the optional extra ``skgen[gmm]``) implements the models; this
module only converts skgen's scenario (moment magnitude, hypocentral
distance in km, Vs30 in m/s) into a pygmm scenario and its PSA from g into
m/s^2. The conventions and the error of each approximation are in
docs/validation.rst.
"""

import numbers

import numpy as np

from .._validation import check_frequencies, check_positive
from ..signal import G

__all__ = [
    "ACCEPTANCE_BAND",
    "GMMS",
    "baker_jayaram_correlation",
    "afshari_stewart_duration",
    "gmm_spectrum",
]

#: The NGA-West2 models skgen can score against, by their usual short names.
GMMS = {
    "ASK14": "AbrahamsonSilvaKamai2014",
    "BSSA14": "BooreStewartSeyhanAtkinson2014",
    "CB14": "CampbellBozorgnia2014",
    "CY14": "ChiouYoungs2014",
}

#: The Broadband Platform's acceptance band of the ratio to the median.
ACCEPTANCE_BAND = (0.69, 1.44)

MECHANISMS = ("SS", "NS", "RS")


def import_pygmm():
    """The pygmm module, or an ImportError naming the extra that installs it."""
    try:
        import pygmm
    except ImportError as exc:
        raise ImportError(
            "Ground-motion models need pygmm: pip install 'skgen[gmm]' (or pip install pygmm)."
        ) from exc
    return pygmm


def check_gmm(gmm):
    """The pygmm class name of a short model name in :data:`GMMS`."""
    if not isinstance(gmm, str) or gmm not in GMMS:
        raise ValueError(f"gmm must be one of {', '.join(repr(g) for g in GMMS)}; got {gmm!r}.")
    return GMMS[gmm]


def _check_scenario(magnitude, distance, vs30, mechanism):
    for name, value in (("magnitude", magnitude), ("distance", distance), ("vs30", vs30)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number; got {value!r}.")
        if not np.isfinite(value):
            raise ValueError(f"{name} must be finite; got {value!r}.")
    check_positive(distance, "distance")
    check_positive(vs30, "vs30")
    if mechanism not in MECHANISMS:
        raise ValueError(f"mechanism must be one of {MECHANISMS}; got {mechanism!r}.")


def _scenario(pygmm, magnitude, distance, vs30, mechanism):
    # A point source at the surface: the hypocentral distance stands for
    # Rrup, Rjb and Rx (docs/validation.rst states the error).
    distance = float(distance)
    return pygmm.Scenario(
        mag=float(magnitude),
        dist_rup=distance,
        dist_jb=distance,
        dist_x=distance,
        v_s30=float(vs30),
        mechanism=mechanism,
        dip=90.0 if mechanism == "SS" else 45.0,
        depth_tor=0.0,
        region="california",
    )


def gmm_spectrum(magnitude, distance, vs30, periods, gmm="BSSA14", mechanism="SS"):
    """Median PSA and its log standard deviations from an NGA-West2 model.

    Parameters
    ----------
    magnitude : float
        Moment magnitude.
    distance : float
        Hypocentral distance in km, used as the rupture (Rrup), Joyner-Boore
        (Rjb) and Rx distance of a point source at the surface.
    vs30 : float
        Time-averaged shear-wave velocity of the top 30 m, m/s.
    periods : array-like of shape (n_periods,)
        Oscillator periods in s, inside the model's range (0.01-10 s).
    gmm : {"BSSA14", "ASK14", "CB14", "CY14"}, default="BSSA14"
    mechanism : {"SS", "NS", "RS"}, default="SS"
        Fault mechanism: strike-slip (dip 90 degrees), normal or reverse (dip
        45 degrees).

    Returns
    -------
    median : ndarray of shape (n_periods,)
        Median PSA (5 % damping, RotD50) in m/s^2 (pygmm's g times
        :data:`skgen.signal.G`), interpolated log-log between the model's
        periods.
    sigma : ndarray of shape (n_periods,)
        Total standard deviation of ln PSA (between- and within-event).

    Raises
    ------
    ImportError
        pygmm is missing (the ``gmm`` extra).
    ValueError, TypeError
        An unknown model or mechanism, a non-finite or non-positive scenario
        value, periods outside 0.01-10 s.

    Examples
    --------
    >>> median, sigma = gmm_spectrum(6.0, 20.0, 400.0, [0.1, 1.0])  # doctest: +SKIP
    """
    name = check_gmm(gmm)
    _check_scenario(magnitude, distance, vs30, mechanism)
    periods = check_frequencies(periods, "periods", allow_zero=False)
    if periods.min() < 0.01 or periods.max() > 10.0:
        raise ValueError(
            f"periods must lie in the models' range 0.01-10 s; got {periods.min():g}-"
            f"{periods.max():g} s."
        )
    pygmm = import_pygmm()
    model = getattr(pygmm, name)(_scenario(pygmm, magnitude, distance, vs30, mechanism))
    median = np.asarray(model.interp_spec_accels(periods), dtype=np.float64) * G
    sigma = np.asarray(model.interp_ln_stds(periods), dtype=np.float64)
    return median, sigma


def baker_jayaram_correlation(periods):
    """Baker and Jayaram (2008) correlation of ln PSA residuals between periods.

    Parameters
    ----------
    periods : array-like of shape (n_periods,)
        Periods in s (the model is fitted on 0.01-10 s).

    Returns
    -------
    correlation : ndarray of shape (n_periods, n_periods)
        Symmetric, ones on the diagonal.

    Raises
    ------
    ImportError
        pygmm is missing (the ``gmm`` extra).

    Examples
    --------
    >>> baker_jayaram_correlation([0.1, 1.0]).round(3).tolist()
    [[1.0, 0.279], [0.279, 1.0]]
    """
    periods = check_frequencies(periods, "periods", allow_zero=False)
    import_pygmm()
    from pygmm.baker_jayaram_2008 import calc_correls

    return np.stack([calc_correls(periods, period) for period in periods])


def afshari_stewart_duration(magnitude, distance, vs30, mechanism="SS"):
    """Afshari and Stewart (2016) median D5-75 and D5-95 and their ln sigmas.

    Parameters
    ----------
    magnitude, distance, vs30, mechanism
        As for :func:`gmm_spectrum` (distance used as Rrup).

    Returns
    -------
    median : ndarray of shape (2,)
        Median D5-75 and D5-95 of the Arias intensity, in s.
    sigma : ndarray of shape (2,)
        Their total ln standard deviations.

    Raises
    ------
    ImportError
        pygmm is missing (the ``gmm`` extra).
    ValueError, TypeError
        As for :func:`gmm_spectrum`.
    """
    _check_scenario(magnitude, distance, vs30, mechanism)
    pygmm = import_pygmm()
    model = pygmm.AfshariStewart2016(_scenario(pygmm, magnitude, distance, vs30, mechanism))
    duration, sigma = model.duration, model.std_err
    return (
        np.array([duration["D_5t75"], duration["D_5t95"]], dtype=np.float64),
        np.array([sigma["D_5t75"], sigma["D_5t95"]], dtype=np.float64),
    )
