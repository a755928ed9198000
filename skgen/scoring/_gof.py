"""Anderson (2004) goodness of fit of a synthetic record to a recorded one.

The score the SCEC Broadband Platform reports: both records are band-passed
into Anderson's frequency bands, and in each band ten criteria are compared,
each on a 0-10 scale with :func:`anderson_score`. The total of a band is the
mean of its ten criteria; below 4 is a poor fit, 4-6 fair, 6-8 good, above 8
excellent (:func:`gof_class`). See docs/validation.rst for skgen's reading
of each criterion.
"""

from dataclasses import dataclass

import numpy as np
import scipy.integrate
import scipy.signal

from .._validation import check_band, check_positive, check_three_component
from ..signal import (
    arias_intensity,
    fourier_amplitude,
    pga,
    response_spectrum,
    significant_duration,
)

__all__ = [
    "ANDERSON_BANDS",
    "GOF_CRITERIA",
    "GoodnessOfFit",
    "anderson_gof",
    "anderson_score",
    "gof_class",
]

#: Anderson's (2004) narrow pass-bands (Hz) and the broadband 0.05-20 Hz.
ANDERSON_BANDS = (
    (0.05, 0.1),
    (0.1, 0.2),
    (0.2, 0.5),
    (0.5, 1.0),
    (1.0, 2.0),
    (2.0, 5.0),
    (5.0, 10.0),
    (10.0, 20.0),
    (0.05, 20.0),
)

#: The ten criteria C1-C10, in order.
GOF_CRITERIA = (
    "arias_duration",
    "energy_duration",
    "arias_intensity",
    "energy_integral",
    "pga",
    "pgv",
    "pgd",
    "response_spectrum",
    "fourier_spectrum",
    "cross_correlation",
)

# Butterworth order of the band-pass, applied forward and backward.
_FILTER_ORDER = 4
# Oscillator periods and Fourier frequencies scored per band (log-spaced):
# few, because the response spectrum of every band-passed trace is the cost.
_N_PER_BAND = 3
# Samples per shortest period of a band kept for its response spectrum.
_SAMPLES_PER_PERIOD = 10


def anderson_score(p1, p2):
    """Anderson's similarity of two positive values, ``10 exp(-((p1 - p2) / min(p1, p2))^2)``.

    Parameters
    ----------
    p1, p2 : array-like
        Non-negative values, broadcast against each other.

    Returns
    -------
    score : ndarray or float
        10 for equal values, towards 0 as they part; two zeros score 10, a
        zero against a positive value 0; NaN where either is NaN.

    Examples
    --------
    >>> round(float(anderson_score(2.0, 1.0)), 4)  # 10 exp(-1)
    3.6788
    >>> float(anderson_score(1.0, 1.0))
    10.0
    """
    p1, p2 = np.broadcast_arrays(np.asarray(p1, dtype=np.float64), np.asarray(p2, dtype=np.float64))
    low = np.minimum(p1, p2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(p1 == p2, 0.0, (p1 - p2) / low)
    return (10.0 * np.exp(-np.square(ratio)))[()]


def gof_class(score):
    """Anderson's verbal class of a score: ``"poor"``, ``"fair"``, ``"good"`` or ``"excellent"``.

    Examples
    --------
    >>> gof_class(7.2), gof_class(8.5), gof_class(3.9)
    ('good', 'excellent', 'poor')
    """
    score = float(score)
    if score > 8.0:
        return "excellent"
    if score >= 6.0:
        return "good"
    return "fair" if score >= 4.0 else "poor"


@dataclass(frozen=True)
class GoodnessOfFit:
    """Anderson's criteria of record pairs, per frequency band.

    Attributes
    ----------
    bands : ndarray of shape (n_bands, 2)
        The pass-bands (Hz) that were scored.
    criteria : ndarray of shape (..., n_bands, 10)
        C1-C10 (:data:`GOF_CRITERIA` order) of each pair, the mean of the E
        and N components; leading shape ``(n_pairs,)`` or none for one pair.
    """

    bands: np.ndarray
    criteria: np.ndarray

    @property
    def total(self):
        """Mean of the ten criteria, shape (..., n_bands)."""
        return np.nanmean(self.criteria, axis=-1)

    @property
    def score(self):
        """Mean of the totals over bands and pairs: one number on 0-10."""
        return float(np.nanmean(self.total))

    def table(self):
        """Per band, the mean over pairs of each criterion and of the total.

        Returns
        -------
        table : dict
            ``"band"`` (list of ``"low-high Hz"`` strings), one list per
            criterion name, ``"total"`` and ``"class"``.
        """
        criteria = self.criteria.reshape(-1, *self.criteria.shape[-2:])
        mean = np.nanmean(criteria, axis=0)
        total = np.nanmean(mean, axis=-1)
        table = {"band": [f"{low:g}-{high:g} Hz" for low, high in self.bands]}
        for index, name in enumerate(GOF_CRITERIA):
            table[name] = mean[:, index].tolist()
        table["total"] = total.tolist()
        table["class"] = [gof_class(value) for value in total]
        return table


def check_bands(bands, fs):
    """Bands as an (n_bands, 2) array; ``None`` is those of :data:`ANDERSON_BANDS` below Nyquist."""
    fs = check_positive(fs, "fs")
    if bands is None:
        chosen = [band for band in ANDERSON_BANDS if band[1] < fs / 2]
    else:
        if isinstance(bands, (str, bytes)) or not hasattr(bands, "__len__") or len(bands) == 0:
            raise ValueError(f"bands must be a non-empty list of (low, high) pairs, got {bands!r}")
        chosen = [check_band(band, "each band") for band in bands]
        high = [band for band in chosen if band[1] >= fs / 2]
        if high:
            raise ValueError(
                f"bands {high} reach the Nyquist frequency {fs / 2} Hz; keep them below it"
            )
    return np.asarray(chosen, dtype=np.float64)


def band_features(X, fs, bands):
    """What the criteria compare, per record, horizontal component and band.

    Parameters
    ----------
    X : ndarray of shape (n_records, 3, n_times)
        Checked records (E, N, U); only E and N are scored.
    fs : float
    bands : ndarray of shape (n_bands, 2)

    Returns
    -------
    features : dict of str to ndarray
        Scalars of shape (n_records, 2, n_bands) (durations, Arias intensity,
        energy integral, peaks), spectra of shape (n_records, 2, n_bands,
        n_per_band) and the band-passed accelerations ``"trace"`` of shape
        (n_records, 2, n_bands, n_times) for the cross-correlation.
    """
    horizontal = np.asarray(X[:, :2], dtype=np.float64)
    n_records, _, n_times = horizontal.shape
    n_bands = len(bands)
    traces = np.empty((n_records, 2, n_bands, n_times))
    psa = np.empty((n_records, 2, n_bands, _N_PER_BAND))
    fas = np.empty((n_records, 2, n_bands, _N_PER_BAND))
    for index, (low, high) in enumerate(bands):
        sos = scipy.signal.butter(_FILTER_ORDER, (low, high), btype="bandpass", fs=fs, output="sos")
        traces[:, :, index] = scipy.signal.sosfiltfilt(sos, horizontal, axis=-1)
        frequencies = np.geomspace(low, high, _N_PER_BAND)
        # The band-passed trace holds nothing above the band: its response
        # spectrum is computed on every q-th sample, still 10 samples per
        # shortest period (the response's cost grows with the samples).
        step = max(1, int(fs // (_SAMPLES_PER_PERIOD * high)))
        psa[:, :, index] = response_spectrum(
            traces[:, :, index, ::step], fs / step, 1.0 / frequencies
        )
        fas[:, :, index] = fourier_amplitude(traces[:, :, index], fs, frequencies)[1]
    # The band-pass removes the offsets that would make the integrals drift.
    velocity = scipy.integrate.cumulative_trapezoid(traces, dx=1.0 / fs, axis=-1, initial=0.0)
    displacement = scipy.integrate.cumulative_trapezoid(velocity, dx=1.0 / fs, axis=-1, initial=0.0)
    peaks = pga(traces.reshape(n_records, 2 * n_bands, n_times), channels="each")
    return {
        "arias_duration": significant_duration(traces, fs),
        "energy_duration": significant_duration(velocity, fs),
        "arias_intensity": arias_intensity(traces, fs),
        "energy_integral": scipy.integrate.trapezoid(np.square(velocity), dx=1.0 / fs, axis=-1),
        "pga": peaks.reshape(n_records, 2, n_bands),
        "pgv": np.max(np.abs(velocity), axis=-1),
        "pgd": np.max(np.abs(displacement), axis=-1),
        "response_spectrum": psa,
        "fourier_spectrum": fas,
        "trace": traces,
    }


def _cross_correlation(a, b):
    """Zero-lag correlation coefficient of traces ``a`` and ``b`` (same shape)."""
    norm = np.sqrt(np.sum(a * a, axis=-1) * np.sum(b * b, axis=-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(norm > 0, np.sum(a * b, axis=-1) / norm, 0.0)


def pair_criteria(first, second, rows_first, rows_second):
    """C1-C10 of the record pairs ``(rows_first[k], rows_second[k])``.

    Parameters
    ----------
    first, second : dict
        :func:`band_features` of two sets of records.
    rows_first, rows_second : ndarray of int of shape (n_pairs,)

    Returns
    -------
    criteria : ndarray of shape (n_pairs, n_bands, 10)
        The mean over the E and N components.
    """
    columns = []
    for name in GOF_CRITERIA:
        if name == "cross_correlation":
            rho = _cross_correlation(first["trace"][rows_first], second["trace"][rows_second])
            score = 10.0 * np.maximum(rho, 0.0)
        else:
            score = anderson_score(first[name][rows_first], second[name][rows_second])
            if score.ndim == 4:
                score = score.mean(axis=-1)
        columns.append(score.mean(axis=1))
    return np.stack(columns, axis=-1)


def anderson_gof(generated, reference, fs, bands=None):
    """Anderson's (2004) goodness of fit of generated records to reference ones.

    Both horizontal components (E, N) of each pair are band-passed (4th-order
    Butterworth, forward and backward) into each band and compared on:

    - C1 Arias duration and C2 energy duration: 5-95 % significant
      durations of the band's acceleration and velocity;
    - C3 Arias intensity and C4 energy integral ``integral of v^2 dt``;
    - C5 PGA, C6 PGV, C7 PGD of the band-passed record (velocity and
      displacement by trapezoid integration);
    - C8 response spectrum (5 % damping; of the band-passed record resampled
      to 10 samples per shortest period of the band) and C9 Fourier amplitude
      spectrum at the band's edges and centre, each frequency scored and the
      scores averaged;
    - C10 ``10 max(rho, 0)``, ``rho`` the zero-lag correlation coefficient.

    C1-C9 are scored with :func:`anderson_score`; each criterion is the mean
    over E and N. See docs/validation.rst.

    Parameters
    ----------
    generated, reference : array-like of shape (n_records, 3, n_times) or (3, n_times)
        Records in m/s^2, channels E, N, U, paired row by row (same shape).
    fs : float
        Sampling rate in Hz, of both.
    bands : sequence of (low, high) or None, default=None
        Pass-bands in Hz below Nyquist; ``None`` uses those of
        :data:`ANDERSON_BANDS` below Nyquist.

    Returns
    -------
    gof : GoodnessOfFit
        ``gof.criteria`` has shape (n_records, n_bands, 10), or (n_bands, 10)
        for one pair of (3, n_times) records.

    Raises
    ------
    ValueError
        Records of different shapes, not 3 channels, shorter than 64
        samples, NaN or inf; an invalid ``fs`` or band.
    TypeError
        Records that are not real numeric arrays.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> record = rng.standard_normal((3, 4000))
    >>> gof = anderson_gof(record, 2.0 * record, 100.0)
    >>> round(float(gof.criteria[0, GOF_CRITERIA.index("pga")]), 4)  # 10 exp(-1)
    3.6788
    """
    generated = check_three_component(generated, "generated", min_times=64)
    reference = check_three_component(reference, "reference", min_times=64)
    if generated.shape != reference.shape:
        raise ValueError(
            "generated and reference must have the same shape (records paired row by row); "
            f"got {generated.shape} and {reference.shape}"
        )
    bands = check_bands(bands, fs)
    single = generated.ndim == 2
    if single:
        generated, reference = generated[np.newaxis], reference[np.newaxis]
    rows = np.arange(len(generated))
    criteria = pair_criteria(
        band_features(generated, fs, bands), band_features(reference, fs, bands), rows, rows
    )
    return GoodnessOfFit(bands=bands, criteria=criteria[0] if single else criteria)
