"""The paper's f0 formulas: pure functions on arrays of f0 values.

``f0_histogram``, ``f0_similarity``, ``f0_confusion_matrix`` and
``f0_alignment_score`` implement the published station alignment score (see
docs/scoring.rst) and are tested against the authors' numbers;
``energy_distance`` compares two point clouds. :func:`f0_bins` is the one
definition of the f0 histogram bins: the scorer, its report and the plots
all call it.
"""

import warnings

import numpy as np
from scipy.spatial.distance import cdist, jensenshannon

from .._validation import check_band, check_count

__all__ = [
    "F0_BINS",
    "energy_distance",
    "f0_alignment_score",
    "f0_bins",
    "f0_confusion_matrix",
    "f0_histogram",
    "f0_similarity",
]


def f0_bins(band=(1.0, 20.0), n_bins=20):
    """The f0 histogram bin edges: ``n_bins`` equal bins on ``band``.

    Parameters
    ----------
    band : (float, float), default=(1.0, 20.0)
        Frequency band (Hz); the published bins are 20 equal bins on 1-20 Hz.
    n_bins : int, default=20

    Returns
    -------
    edges : ndarray of shape (n_bins + 1,)

    Examples
    --------
    >>> from skgen.scoring import f0_bins
    >>> f0_bins((2.0, 12.0), n_bins=5)
    array([ 2.,  4.,  6.,  8., 10., 12.])
    """
    low, high = check_band(band)
    return np.linspace(low, high, check_count(n_bins, "n_bins") + 1)


#: The published f0 histogram bins: 20 equal bins on 1-20 Hz.
F0_BINS = f0_bins()
F0_BINS.setflags(write=False)

# The published code adds this to every bin so that empty bins do not make
# the Jensen-Shannon divergence degenerate.
_HISTOGRAM_FLOOR = 1e-10


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
        Bin edges; ``None`` means :data:`F0_BINS` (``f0_bins()``).

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
        Bin edges; ``None`` means :data:`F0_BINS`.

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
        Bin edges; ``None`` means :data:`F0_BINS`.

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
        Bin edges; ``None`` means :data:`F0_BINS`.

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
