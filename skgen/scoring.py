"""Station alignment scores: do generated records look like their station's?

Two layers, kept apart:

- pure functions on f0 arrays (``f0_histogram``, ``f0_similarity``,
  ``f0_confusion_matrix``, ``f0_alignment_score``) that implement the
  paper's published formulas and are easy to test against its numbers;
- :class:`HVSRAlignmentScorer`, a scikit-learn scorer that builds each
  station's pool, generates, computes HVSR, f0 and PGA with
  :mod:`skgen.signal` and compares generated with held-out real records.
"""

import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.spatial.distance import cdist, jensenshannon
from scipy.stats import wasserstein_distance
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state

from ._validation import check_positive, check_records, check_stations, seed_from
from .signal import f0_statistics, hvsr, peak_frequency, pga

__all__ = [
    "F0_BINS",
    "METRICS",
    "HVSRAlignmentScorer",
    "ScoreReport",
    "f0_alignment_score",
    "f0_confusion_matrix",
    "f0_histogram",
    "f0_similarity",
    "energy_distance",
]

#: The published f0 histogram bins: 20 equal bins on 1-20 Hz.
F0_BINS = np.linspace(1.0, 20.0, 21)
F0_BINS.setflags(write=False)

#: Overall metrics of :class:`HVSRAlignmentScorer`, all "greater is better".
METRICS = ("alignment", "f0_js", "f0_wasserstein", "log_hvsr", "pga_f0")

# The published code adds this to every bin so that empty bins do not make
# the Jensen-Shannon divergence degenerate.
_HISTOGRAM_FLOOR = 1e-10

_N_BINS = 20


# -- f0 distribution scores (pure functions) ----------------------------------
def _check_bins(bins):
    if bins is None:
        return F0_BINS
    edges = np.asarray(bins, dtype=float)
    if edges.ndim != 1 or edges.size < 2:
        raise ValueError(
            f"bins must be a 1-D array of at least 2 bin edges; got shape {edges.shape}."
        )
    if not np.all(np.isfinite(edges)) or np.any(np.diff(edges) <= 0):
        raise ValueError("bins must be finite and strictly increasing.")
    return edges


def _check_f0(f0, name):
    try:
        values = np.asarray(f0, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric f0 values (Hz); {exc}.") from None
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of f0 values (Hz); got shape {values.shape}.")
    return values


def _check_f0_sets(real_f0, generated_f0):
    for name, sets in (("real_f0", real_f0), ("generated_f0", generated_f0)):
        if isinstance(sets, (str, bytes, dict)) or not hasattr(sets, "__iter__"):
            raise TypeError(
                f"{name} must be a sequence with one 1-D f0 array per station; "
                f"got {type(sets).__name__}."
            )
    real = [_check_f0(f0, f"real_f0[{i}]") for i, f0 in enumerate(real_f0)]
    generated = [_check_f0(f0, f"generated_f0[{i}]") for i, f0 in enumerate(generated_f0)]
    if len(real) != len(generated):
        raise ValueError(
            f"real_f0 has {len(real)} stations but generated_f0 has "
            f"{len(generated)}; give one f0 array per station in both, in the "
            "same station order."
        )
    return real, generated


def f0_histogram(f0, bins=None):
    """Probability histogram of f0 values, as the published scores use it.

    Non-finite values (NaN marks a record without a peak) are dropped and
    values outside the bins are ignored, as ``numpy.histogram`` does; then
    1e-10 is added to every bin and the result renormalised to sum to 1.

    Parameters
    ----------
    f0 : array-like of shape (n_records,)
        Resonance frequencies (Hz).
    bins : array-like of shape (n_bins + 1,), default=None
        Bin edges; ``None`` means ``F0_BINS = linspace(1, 20, 21)``.

    Returns
    -------
    probabilities : ndarray of shape (n_bins,)
        Sums to 1. With no f0 inside the bins it is uniform.

    Examples
    --------
    >>> from skgen.scoring import f0_histogram
    >>> f0_histogram([1.5, 1.7, 3.0, float("nan")]).round(3)[:3]
    array([0.667, 0.   , 0.333])
    """
    edges = _check_bins(bins)
    values = _check_f0(f0, "f0")
    counts, _ = np.histogram(values[np.isfinite(values)], bins=edges)
    probabilities = counts + _HISTOGRAM_FLOOR
    return probabilities / probabilities.sum()


def _js_similarity_matrix(histograms):
    """1 - Jensen-Shannon distance (base 2) between all pairs of rows."""
    with np.errstate(invalid="ignore"):
        distance = jensenshannon(
            histograms[:, np.newaxis, :],
            histograms[np.newaxis, :, :],
            base=2,
            axis=-1,
        )
    # Rounding can make the divergence of near-identical histograms a tiny
    # negative number, whose square root is NaN: the distance is 0 there.
    return 1.0 - np.nan_to_num(distance, nan=0.0)


def f0_similarity(real_f0, generated_f0, bins=None):
    """One station's f0 similarity: 1 - Jensen-Shannon distance of histograms.

    Parameters
    ----------
    real_f0 : array-like of shape (n_real,)
        f0 (Hz) of the station's real records; NaN entries are dropped.
    generated_f0 : array-like of shape (n_generated,)
        f0 (Hz) of its generated records.
    bins : array-like of shape (n_bins + 1,), default=None
        Bin edges; ``None`` means ``linspace(1, 20, 21)``.

    Returns
    -------
    similarity : float
        In [0, 1]; 1 for identical histograms, 0 for disjoint ones (up to the
        1e-10 floor per bin). Base-2 logarithms keep the distance in [0, 1].

    See Also
    --------
    f0_alignment_score : the multi-station score of the paper.

    Examples
    --------
    >>> from skgen.scoring import f0_similarity
    >>> round(f0_similarity([2.0, 2.1, 5.0], [2.2, 5.1, 5.2]), 3)
    0.714
    """
    real = f0_histogram(real_f0, bins)
    generated = f0_histogram(generated_f0, bins)
    return float(_js_similarity_matrix(np.stack([real, generated]))[0, 1])


def f0_confusion_matrix(real_f0, generated_f0, bins=None):
    """The "f0 distribution confusion matrix" of the paper.

    Parameters
    ----------
    real_f0 : sequence of n_stations array-likes of shape (n_real_s,)
        Per station, the f0 (Hz) of its real records.
    generated_f0 : sequence of n_stations array-likes of shape (n_generated_s,)
        Per station, in the same order, the f0 of its generated records.
    bins : array-like of shape (n_bins + 1,), default=None
        Bin edges; ``None`` means ``linspace(1, 20, 21)``.

    Returns
    -------
    matrix : ndarray of shape (2 * n_stations, 2 * n_stations)
        1 - Jensen-Shannon distance (base 2) between every pair of the
        interleaved histograms ``[real_1, generated_1, real_2, ...]``.
        Row and column ``2 s`` are station ``s``'s real records, ``2 s + 1``
        its generated ones.

    Examples
    --------
    >>> from skgen.scoring import f0_confusion_matrix
    >>> f0_confusion_matrix([[2.0], [9.0]], [[2.0], [9.0]]).round(2)
    array([[1., 1., 0., 0.],
           [1., 1., 0., 0.],
           [0., 0., 1., 1.],
           [0., 0., 1., 1.]])
    """
    edges = _check_bins(bins)
    real, generated = _check_f0_sets(real_f0, generated_f0)
    histograms = [f0_histogram(f0, edges) for pair in zip(real, generated) for f0 in pair]
    if not histograms:
        return np.zeros((0, 0))
    return _js_similarity_matrix(np.stack(histograms))


def f0_alignment_score(real_f0, generated_f0, bins=None):
    """The paper's station alignment score (0.93 TimesNet-Gen, 0.81 CVAE).

    Pearson correlation between the entries of :func:`f0_confusion_matrix`
    and the ideal block matrix, which is 1 inside each station's 2 x 2
    (real, generated) block and 0 elsewhere: high when every station's
    generated f0 distribution matches its own real one and differs from the
    other stations'.

    Parameters
    ----------
    real_f0 : sequence of n_stations array-likes of shape (n_real_s,)
        Per station, the f0 (Hz) of its real records; NaN entries dropped.
    generated_f0 : sequence of n_stations array-likes of shape (n_generated_s,)
        Per station, in the same order, the f0 of its generated records.
    bins : array-like of shape (n_bins + 1,), default=None
        Bin edges; ``None`` means ``linspace(1, 20, 21)``.

    Returns
    -------
    score : float
        In [-1, 1], greater is better. NaN, with a ``RuntimeWarning``, when
        all 2 n_stations histograms are identical (the correlation has no
        variance to work with).

    Raises
    ------
    ValueError
        Fewer than 2 stations, or mismatched station counts.

    Examples
    --------
    >>> from skgen.scoring import f0_alignment_score
    >>> real = [[2.0, 2.1, 2.2], [9.0, 9.5, 10.0]]
    >>> round(f0_alignment_score(real, real), 3)
    1.0
    >>> round(f0_alignment_score(real, real[::-1]), 3)
    0.0
    """
    real, generated = _check_f0_sets(real_f0, generated_f0)
    if len(real) < 2:
        raise ValueError(
            f"f0_alignment_score needs at least 2 stations, got {len(real)}: "
            "with one station the correlation with the block matrix is "
            "undefined. Use f0_similarity (the per-station 1 - JS similarity) "
            "instead."
        )
    matrix = f0_confusion_matrix(real, generated, bins)
    ideal = np.kron(np.eye(len(real)), np.ones((2, 2)))
    if np.ptp(matrix) == 0:
        warnings.warn(
            "All real and generated f0 histograms are identical; the alignment "
            "score (a correlation) is undefined and NaN is returned.",
            RuntimeWarning,
            stacklevel=2,
        )
        return float("nan")
    return float(np.corrcoef(matrix.ravel(), ideal.ravel())[0, 1])


def energy_distance(u_points, v_points):
    """Energy distance between two point clouds in any dimension.

    ``sqrt(2 E|X - Y| - E|X - X'| - E|Y - Y'|)`` with Euclidean norms and all
    pairs (including a point with itself), the same convention as
    ``scipy.stats.energy_distance``, which only handles 1-D samples.

    Parameters
    ----------
    u_points : array-like of shape (n_u, n_dims)
        A 1-D array is read as n_u points on a line.
    v_points : array-like of shape (n_v, n_dims)

    Returns
    -------
    distance : float
        0 for identical clouds; NaN when either cloud is empty.

    Examples
    --------
    >>> from skgen.scoring import energy_distance
    >>> round(energy_distance([[0.0, 0.0]], [[3.0, 4.0]]), 4)
    3.1623
    """
    clouds = []
    for name, points in (("u_points", u_points), ("v_points", v_points)):
        cloud = np.asarray(points, dtype=float)
        if cloud.ndim == 1:
            cloud = cloud[:, np.newaxis]
        if cloud.ndim != 2:
            raise ValueError(f"{name} must have shape (n_points, n_dims); got {cloud.shape}.")
        clouds.append(cloud)
    u, v = clouds
    if u.shape[1] != v.shape[1]:
        raise ValueError(
            f"u_points and v_points must have the same number of dimensions; "
            f"got {u.shape[1]} and {v.shape[1]}."
        )
    if u.shape[0] == 0 or v.shape[0] == 0:
        return float("nan")
    between = cdist(u, v).mean()
    within_u = cdist(u, u).mean()
    within_v = cdist(v, v).mean()
    return float(np.sqrt(max(2.0 * between - within_u - within_v, 0.0)))


# -- record features and per-station comparisons -----------------------------
@dataclass
class _Features:
    """What the metrics need from a set of records of one station."""

    curves: np.ndarray
    f0: np.ndarray
    pga: np.ndarray

    def take(self, rows):
        return _Features(self.curves[rows], self.f0[rows], self.pga[rows])


def _ln_f0(features):
    f0 = features.f0[np.isfinite(features.f0) & (features.f0 > 0)]
    return np.log(f0)


def _pga_f0_cloud(features):
    usable = np.isfinite(features.f0) & (features.f0 > 0) & (features.pga > 0)
    return np.column_stack([np.log(features.pga[usable]), np.log(features.f0[usable])])


def _f0_wasserstein(real, generated):
    ln_real, ln_generated = _ln_f0(real), _ln_f0(generated)
    if ln_real.size == 0 or ln_generated.size == 0:
        return float("nan")
    return float(wasserstein_distance(ln_real, ln_generated))


def _log_hvsr_rms(real, generated):
    with np.errstate(divide="ignore", invalid="ignore"):
        median_real = np.median(np.log(real.curves), axis=0)
        median_generated = np.median(np.log(generated.curves), axis=0)
    return float(np.sqrt(np.mean((median_real - median_generated) ** 2)))


def _pga_f0_energy(real, generated):
    return energy_distance(_pga_f0_cloud(real), _pga_f0_cloud(generated))


def _pga_median_ratio(real, generated):
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.median(generated.pga) / np.median(real.pga))


def _f0_summary(features):
    median, sigma = f0_statistics(features.f0)
    return float(median), float(sigma)


def _overall_metric(name, real, generated, bins):
    """One overall metric (greater is better) over per-station feature lists."""
    if name == "alignment":
        if len(real) < 2:
            return float("nan")
        return f0_alignment_score([r.f0 for r in real], [g.f0 for g in generated], bins)
    if not real:
        return float("nan")
    if name == "f0_js":
        return float(np.mean([f0_similarity(r.f0, g.f0, bins) for r, g in zip(real, generated)]))
    distance = {
        "f0_wasserstein": _f0_wasserstein,
        "log_hvsr": _log_hvsr_rms,
        "pga_f0": _pga_f0_energy,
    }[name]
    return -float(np.mean([distance(r, g) for r, g in zip(real, generated)]))


# -- the report ---------------------------------------------------------------
_TABLE_COLUMNS = (
    "station",
    "n_real",
    "n_generated",
    "f0_median_real",
    "f0_median_generated",
    "sigma_ln_f0_real",
    "sigma_ln_f0_generated",
    "f0_js_similarity",
    "f0_wasserstein_ln",
    "log_hvsr_rms",
    "pga_median_ratio",
    "pga_f0_energy_distance",
)


def _json_value(value):
    """Plain, strict-JSON Python values (non-finite floats become None)."""
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_json_value(item) for item in value]
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (str, int, bool)):
        return value
    # e.g. a RandomState given as random_state
    return repr(value)


@dataclass
class ScoreReport:
    """Everything :meth:`HVSRAlignmentScorer.report` measured.

    Attributes
    ----------
    stations : list of n_stations labels
        Station order of every per-station array and table row.
    table : dict of str to list
        Per-station columns: ``station``, ``n_real`` (real records compared),
        ``n_generated``, ``f0_median_real`` and ``f0_median_generated``
        (lognormal medians, Hz), ``sigma_ln_f0_real`` and
        ``sigma_ln_f0_generated``, ``f0_js_similarity`` (1 - JS distance),
        ``f0_wasserstein_ln`` (W1 of ln f0), ``log_hvsr_rms`` (RMS distance of
        the median ln HVSR curves), ``pga_median_ratio`` (median generated /
        median real PGA) and ``pga_f0_energy_distance`` (energy distance of
        the (ln PGA, ln f0) clouds).
    metrics : dict of str to float
        Every overall metric of ``METRICS``, greater is better (distances are
        negated). ``alignment`` is NaN with a single station.
    ceiling : dict of str to float
        The same metrics with real records in place of generated ones: the
        score a generator that reproduced its pool exactly would get (see
        :meth:`HVSRAlignmentScorer.report`).
    centers : ndarray of shape (n_centers,)
        HVSR centre frequencies (Hz).
    real_hvsr, generated_hvsr : list of ndarray of shape (n_records_s, n_centers)
        Per station, the HVSR curves of its compared real and its generated
        records.
    real_f0, generated_f0 : list of ndarray of shape (n_records_s,)
        Per station, f0 (Hz) of each record, NaN where there is no peak.
    real_pga, generated_pga : list of ndarray of shape (n_records_s,)
        Per station, horizontal PGA of each record (units of ``X``).
    settings : dict
        The scorer's parameters and the sampling rate used.
    """

    stations: list
    table: dict
    metrics: dict
    ceiling: dict
    centers: np.ndarray
    real_hvsr: list
    generated_hvsr: list
    real_f0: list
    generated_f0: list
    real_pga: list
    generated_pga: list
    settings: dict

    def to_frame(self):
        """Per-station table as a pandas DataFrame, one row per station.

        Returns
        -------
        frame : pandas.DataFrame of shape (n_stations, 12)

        Raises
        ------
        ImportError
            pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "ScoreReport.to_frame needs pandas (pip install pandas); "
                "ScoreReport.to_dict gives the same table as plain lists."
            ) from None
        return pd.DataFrame({column: self.table[column] for column in _TABLE_COLUMNS})

    def summary(self):
        """A plain-text table: one row per station, then the overall metrics.

        Returns
        -------
        text : str
        """
        head = (
            f"{'station':<12}{'n':>4}{'f0 real':>9}{'f0 gen':>9}"
            f"{'1-JS':>7}{'W1 ln f0':>10}{'PGA ratio':>11}"
        )
        rows = [head]
        table = self.table
        for i, station in enumerate(self.stations):
            rows.append(
                f"{station!s:<12}{table['n_real'][i]:>4}"
                f"{table['f0_median_real'][i]:>9.2f}{table['f0_median_generated'][i]:>9.2f}"
                f"{table['f0_js_similarity'][i]:>7.3f}{table['f0_wasserstein_ln'][i]:>10.3f}"
                f"{table['pga_median_ratio'][i]:>11.2f}"
            )
        rows.append("")
        rows.append(f"{'metric':<16}{'score':>9}{'real-vs-real ceiling':>22}")
        for name in METRICS:
            rows.append(f"{name:<16}{self.metrics[name]:>9.3f}{self.ceiling[name]:>22.3f}")
        return "\n".join(rows)

    def to_dict(self, arrays=False):
        """Plain, JSON-serialisable content (``json.dumps(..., allow_nan=False)``).

        Parameters
        ----------
        arrays : bool, default=False
            Also include ``centers`` and the per-station HVSR, f0 and PGA
            arrays (lists in ``stations`` order), for plots.

        Returns
        -------
        report : dict
            Keys ``stations``, ``table``, ``metrics``, ``ceiling``,
            ``settings`` (and ``arrays``). Non-finite numbers become None.
        """
        content = {
            "stations": list(self.stations),
            "table": {column: list(self.table[column]) for column in _TABLE_COLUMNS},
            "metrics": dict(self.metrics),
            "ceiling": dict(self.ceiling),
            "settings": dict(self.settings),
        }
        if arrays:
            content["arrays"] = {
                name: getattr(self, name)
                for name in (
                    "centers",
                    "real_hvsr",
                    "generated_hvsr",
                    "real_f0",
                    "generated_f0",
                    "real_pga",
                    "generated_pga",
                )
            }
        return _json_value(content)


# -- the scorer ----------------------------------------------------------------
class HVSRAlignmentScorer(BaseEstimator):
    """Scikit-learn scorer: how station-specific are a generator's records?

    For every station in ``X``, the scorer builds the generator's pool from
    part of the station's records (``estimator.with_bank``, on a copy: the
    estimator passed in is never modified), generates records, and compares
    their HVSR, f0 and PGA (all from :mod:`skgen.signal`) with the station's
    other records. Use it as ``scoring=`` in ``cross_validate`` or
    ``GridSearchCV``: ``scorer(estimator, X, stations)`` returns a float,
    greater is better. Test stations need not be known to the estimator: the
    frozen network encodes them (the paper's cross-region protocol).

    Parameters
    ----------
    metric : {"alignment", "f0_js", "f0_wasserstein", "log_hvsr", "pga_f0"}, \
            default="alignment"
        What ``__call__`` returns:

        - ``"alignment"``: :func:`f0_alignment_score`, the paper's score
          (needs at least 2 stations);
        - ``"f0_js"``: mean per-station :func:`f0_similarity`;
        - ``"f0_wasserstein"``: minus the mean per-station Wasserstein-1
          distance between real and generated ln f0;
        - ``"log_hvsr"``: minus the mean per-station RMS distance between the
          real and generated median ln HVSR curves;
        - ``"pga_f0"``: minus the mean per-station :func:`energy_distance`
          between the real and generated (ln PGA, ln f0) clouds, unscaled
          (both in natural-log units).

        Distances are NaN for a station without any f0 (no peak in any of its
        real or generated records), and so is their mean.
    n_samples : int or None, default=None
        Records generated per station; ``None`` generates as many as the
        station's compared real records.
    reference_split : float in (0, 1) or None, default=0.5
        Fraction of each station's records (drawn at random) that form its
        pool; the rest are compared with the generated records. Every station
        then needs at least 2 records. ``None`` is the published protocol:
        the pool and the comparison are the same records (optimistic).
    centers : array-like of shape (n_centers,) or None, default=None
        HVSR centre frequencies, passed to :func:`skgen.signal.hvsr`.
    bandwidth : float, default=40.0
        Smoothing bandwidth ``b``.
    band : (float, float), default=(1.0, 20.0)
        HVSR frequency band (Hz). The f0 histograms use 20 equal bins on
        it: ``linspace(1, 20, 21)``, the published bins, by default.
    highpass : float, default=0.05
        High-pass corner (Hz) applied before the spectra.
    kernel : str, default="konno-ohmachi"
        Smoothing kernel, see :func:`skgen.signal.hvsr`.
    peak_method : str, default="interior"
        f0 picking, see :func:`skgen.signal.peak_frequency`.
    fs : float or None, default=None
        Sampling rate of ``X`` (Hz); ``None`` uses ``estimator.fs``.
    random_state : int, RandomState instance or None, default=0
        Seeds the pool/comparison split and the generation; a fixed integer
        gives the same score for the same estimator and data.

    See Also
    --------
    f0_alignment_score, f0_similarity

    Examples
    --------
    >>> from sklearn.model_selection import LeaveOneGroupOut, cross_validate
    >>> from skgen.scoring import HVSRAlignmentScorer
    >>> scorer = HVSRAlignmentScorer(metric="f0_js")
    >>> scorer.get_params()["metric"]
    'f0_js'
    >>> cross_validate(generator, X, stations, groups=regions,
    ...                cv=LeaveOneGroupOut(),
    ...                scoring=HVSRAlignmentScorer())  # doctest: +SKIP
    >>> scorer.report(generator, X, stations).to_frame()  # doctest: +SKIP
    """

    def __init__(
        self,
        metric="alignment",
        n_samples=None,
        reference_split=0.5,
        centers=None,
        bandwidth=40.0,
        band=(1.0, 20.0),
        highpass=0.05,
        kernel="konno-ohmachi",
        peak_method="interior",
        fs=None,
        random_state=0,
    ):
        self.metric = metric
        self.n_samples = n_samples
        self.reference_split = reference_split
        self.centers = centers
        self.bandwidth = bandwidth
        self.band = band
        self.highpass = highpass
        self.kernel = kernel
        self.peak_method = peak_method
        self.fs = fs
        self.random_state = random_state

    def __call__(self, estimator, X, stations):
        """Score ``estimator`` on the stations of ``X``; greater is better.

        Parameters
        ----------
        estimator : fitted station generator
            Anything with ``with_bank(X, stations)`` and
            ``sample(station, n_samples, random_state)``, e.g.
            :class:`skgen.TimesNetGenerator`.
        X : array-like of shape (n_records, 3, n_times)
            Real records, channels E, N, U.
        stations : array-like of shape (n_records,)
            Station label of each record.

        Returns
        -------
        score : float

        Raises
        ------
        ValueError
            Unknown metric or invalid parameter, invalid records, a station
            with fewer than 2 records when ``reference_split`` is set, or
            fewer than 2 stations for ``metric="alignment"``.
        TypeError
            ``estimator`` is not a station generator.
        """
        run = self._run(estimator, X, stations)
        return _overall_metric(self.metric, run["real"], run["generated"], run["bins"])

    def report(self, estimator, X, stations):
        """Per-station table, every overall metric and its real-data ceiling.

        The ceiling replaces generated records with real ones: with
        ``reference_split`` set, each station's pool records are compared
        with its comparison records (the two halves at the default 0.5);
        with ``reference_split=None``, two random halves of each station's
        records (stations with a single record are left out). Since half
        as many records make noisier histograms, that second ceiling is
        slightly pessimistic.

        Parameters
        ----------
        estimator : fitted station generator
        X : array-like of shape (n_records, 3, n_times)
        stations : array-like of shape (n_records,)

        Returns
        -------
        report : ScoreReport
            ``report.metrics[scorer.metric]`` equals ``scorer(estimator, X,
            stations)`` for a seeded scorer.

        Raises
        ------
        ValueError, TypeError
            As for calling the scorer; a single station is allowed (its
            ``alignment`` is NaN).
        """
        run = self._run(estimator, X, stations, for_report=True)
        real, generated, bins = run["real"], run["generated"], run["bins"]
        metrics = {name: _overall_metric(name, real, generated, bins) for name in METRICS}
        ceiling_real, ceiling_other = run["ceiling"]
        ceiling = {
            name: _overall_metric(name, ceiling_real, ceiling_other, bins) for name in METRICS
        }
        table = {column: [] for column in _TABLE_COLUMNS}
        for label, r, g in zip(run["labels"], real, generated):
            median_real, sigma_real = _f0_summary(r)
            median_generated, sigma_generated = _f0_summary(g)
            row = {
                "station": label,
                "n_real": len(r.f0),
                "n_generated": len(g.f0),
                "f0_median_real": median_real,
                "f0_median_generated": median_generated,
                "sigma_ln_f0_real": sigma_real,
                "sigma_ln_f0_generated": sigma_generated,
                "f0_js_similarity": f0_similarity(r.f0, g.f0, bins),
                "f0_wasserstein_ln": _f0_wasserstein(r, g),
                "log_hvsr_rms": _log_hvsr_rms(r, g),
                "pga_median_ratio": _pga_median_ratio(r, g),
                "pga_f0_energy_distance": _pga_f0_energy(r, g),
            }
            for column in _TABLE_COLUMNS:
                table[column].append(row[column])
        settings = dict(self.get_params(), fs=run["fs"])
        settings["centers"] = None if self.centers is None else list(run["centers"])
        return ScoreReport(
            stations=list(run["labels"]),
            table=table,
            metrics=metrics,
            ceiling=ceiling,
            centers=run["centers"],
            real_hvsr=[r.curves for r in real],
            generated_hvsr=[g.curves for g in generated],
            real_f0=[r.f0 for r in real],
            generated_f0=[g.f0 for g in generated],
            real_pga=[r.pga for r in real],
            generated_pga=[g.pga for g in generated],
            settings=settings,
        )

    # -- internals -------------------------------------------------------
    def _check_params(self, estimator):
        if self.metric not in METRICS:
            raise ValueError(
                f"metric must be one of {', '.join(repr(m) for m in METRICS)}; got {self.metric!r}."
            )
        split = self.reference_split
        if split is not None and (
            isinstance(split, (bool, np.bool_))
            or not isinstance(split, numbers.Real)
            or not 0.0 < split < 1.0
        ):
            raise ValueError(f"reference_split must be a float in (0, 1) or None; got {split!r}.")
        n_samples = self.n_samples
        if n_samples is not None and (
            isinstance(n_samples, (bool, np.bool_))
            or not isinstance(n_samples, numbers.Integral)
            or n_samples < 1
        ):
            raise ValueError(f"n_samples must be a positive integer or None; got {n_samples!r}.")
        try:
            low, high = self.band
        except (TypeError, ValueError):
            raise ValueError(f"band must be a (low, high) pair in Hz; got {self.band!r}.") from None
        if not 0 < low < high:
            raise ValueError(f"band must satisfy 0 < low < high (Hz); got {self.band!r}.")
        if not (hasattr(estimator, "with_bank") and hasattr(estimator, "sample")):
            raise TypeError(
                "estimator must be a station generator with with_bank() and "
                f"sample() methods; got {type(estimator).__name__}."
            )
        fs = self.fs if self.fs is not None else getattr(estimator, "fs", None)
        source = "fs" if self.fs is not None else "estimator.fs (fs=None)"
        if fs is None:
            raise ValueError(f"{source} must be a positive sampling rate in Hz; got None.")
        fs = check_positive(fs, source)
        # Checked here as well as in hvsr, so that nothing is generated first.
        if self.centers is None and high > fs / 2:
            raise ValueError(
                f"band {self.band!r} is outside Nyquist: it must lie in (0, "
                f"{fs / 2}] Hz for fs={fs} Hz."
            )
        return float(fs), np.linspace(low, high, _N_BINS + 1)

    def _features(self, records, fs):
        centers, curves = hvsr(
            records,
            fs,
            centers=self.centers,
            bandwidth=self.bandwidth,
            band=self.band,
            highpass=self.highpass,
            kernel=self.kernel,
        )
        f0, _ = peak_frequency(centers, curves, method=self.peak_method)
        return centers, _Features(
            np.asarray(curves, dtype=float),
            np.asarray(f0, dtype=float),
            np.asarray(pga(records), dtype=float),
        )

    def _run(self, estimator, X, stations, for_report=False):
        fs, bins = self._check_params(estimator)
        X = check_records(X, n_channels=3)
        stations = check_stations(stations, X.shape[0])
        labels = list(dict.fromkeys(stations))
        rows = {label: np.flatnonzero(stations == label) for label in labels}
        if self.metric == "alignment" and len(labels) < 2 and not for_report:
            raise ValueError(
                f"metric='alignment' needs records of at least 2 stations, got "
                f"{len(labels)} ({labels[0]!r}); use metric='f0_js' for a "
                "single station."
            )
        if self.reference_split is not None:
            small = [label for label in labels if len(rows[label]) < 2]
            if small:
                raise ValueError(
                    "reference_split needs at least 2 records per station to "
                    "split them into a pool and a comparison part; too few for "
                    f"station(s) {', '.join(repr(s) for s in small)}. Drop them "
                    "or use reference_split=None (the published protocol)."
                )

        rng = check_random_state(self.random_state)
        pool, comparison = {}, {}
        for label in labels:
            if self.reference_split is None:
                pool[label] = comparison[label] = rows[label]
                continue
            shuffled = rng.permutation(rows[label])
            n_pool = round(self.reference_split * len(shuffled))
            n_pool = min(max(n_pool, 1), len(shuffled) - 1)
            pool[label], comparison[label] = shuffled[:n_pool], shuffled[n_pool:]

        pool_rows = np.concatenate([pool[label] for label in labels])
        generator = estimator.with_bank(X[pool_rows], stations[pool_rows])
        generated_records = [
            generator.sample(
                label,
                len(comparison[label]) if self.n_samples is None else self.n_samples,
                random_state=seed_from(rng),
            )
            for label in labels
        ]

        # One HVSR pass over the real records needed (each once, whatever is
        # compared with what) and the generated ones together.
        if for_report:
            real_rows = np.arange(X.shape[0])
        else:
            real_rows = np.sort(np.concatenate([comparison[label] for label in labels]))
        centers, features = self._features(np.concatenate([X[real_rows], *generated_records]), fs)
        position = np.empty(X.shape[0], dtype=int)
        position[real_rows] = np.arange(real_rows.size)
        real_all = features.take(np.arange(real_rows.size))
        bounds = real_rows.size + np.cumsum([0] + [len(g) for g in generated_records])
        run = {
            "labels": labels,
            "fs": fs,
            "bins": bins,
            "centers": np.asarray(centers, dtype=float),
            "real": [real_all.take(position[comparison[label]]) for label in labels],
            "generated": [
                features.take(np.arange(start, stop))
                for start, stop in zip(bounds[:-1], bounds[1:])
            ],
        }
        if for_report:
            run["ceiling"] = self._ceiling(labels, rows, pool, comparison, real_all, rng)
        return run

    def _ceiling(self, labels, rows, pool, comparison, real_all, rng):
        """Real-vs-real (comparison, other part) feature lists."""
        if self.reference_split is not None:
            return (
                [real_all.take(comparison[label]) for label in labels],
                [real_all.take(pool[label]) for label in labels],
            )
        first, second = [], []
        for label in labels:
            if len(rows[label]) < 2:
                continue
            shuffled = rng.permutation(rows[label])
            half = len(shuffled) // 2
            first.append(real_all.take(shuffled[half:]))
            second.append(real_all.take(shuffled[:half]))
        return first, second
