"""Classifier two-sample test: can a classifier tell generated records from
real ones?

A cross-validated gradient-boosting classifier is trained to separate two
sets of records on amplitude-free features (:func:`c2st_features`: the
``"basic"`` spectral shape, Husid times and crest factors, and by default
with them the ``"time_frequency"`` features of :mod:`._time_frequency`). Its
balanced accuracy is 0.5 when the sets are indistinguishable and 1 when
every record is told apart; the score is ``1 - accuracy``, so greater is
better and 0.5 is the best expected value (see docs/scoring.rst, "c2st").
"""

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from .._validation import check_positive, check_three_component, seed_from
from ..signal import fourier_amplitude, husid_times, significant_duration
from ._time_frequency import time_frequency_features, usable_bands

__all__ = ["C2ST_FEATURE_SETS", "C2ST_FREQUENCIES", "c2st_features", "c2st_score"]

#: Feature sets of :func:`c2st_features`.
C2ST_FEATURE_SETS = ("time_frequency", "basic")

#: Frequencies (Hz) of the log spectral shape in :func:`c2st_features`
#: (those below 0.4 fs are used).
C2ST_FREQUENCIES = np.geomspace(0.3, 20.0, 10)
C2ST_FREQUENCIES.setflags(write=False)

# Husid levels after the 5 % point whose delays from it describe how the
# energy builds up.
_HUSID_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)


def check_feature_set(kind, fs):
    """Raise a ValueError for an unknown feature set, or a sampling rate too
    low for any band of the time-frequency features."""
    if not isinstance(kind, str) or kind not in C2ST_FEATURE_SETS:
        raise ValueError(
            f"the c2st feature set must be one of "
            f"{', '.join(repr(k) for k in C2ST_FEATURE_SETS)}; got {kind!r}."
        )
    if kind == "time_frequency" and len(usable_bands(fs)) < 2:
        raise ValueError(
            "the 'time_frequency' c2st features need at least two octave bands "
            f"below 0.4 fs (fs >= 5.1 Hz); got fs={fs:g} Hz. Use 'basic'."
        )


def c2st_features(X, fs, kind="time_frequency"):
    """Amplitude-free features of records for :func:`c2st_score`.

    ``kind="basic"``, per component (E, N, U):

    - log spectral shape: ln of the Konno-Ohmachi-smoothed Fourier
      amplitude (:func:`skgen.signal.fourier_amplitude`) at
      :data:`C2ST_FREQUENCIES`, minus the record's mean over all components
      and frequencies (so scaling a record changes nothing, while the
      horizontal-to-vertical ratios stay);
    - Husid times: the 5 % time of the normalised Husid curve
      (:func:`skgen.signal.husid_times`), the delays of its 25, 50 and
      75 % points after the 5 % point, and D5-95
      (:func:`skgen.signal.significant_duration`), in seconds;
    - crest factor: ln(peak / RMS).

    ``kind="time_frequency"`` (the default): those, followed by the
    features of :func:`skgen.scoring.time_frequency_features`, when energy
    arrives in each octave band, the vertical's lead and the coherence of
    the components, which a generator's spectrum and envelope restores do
    not impose.

    Parameters
    ----------
    X : array-like of shape (n_records, 3, n_times)
        Records, channels E, N, U.
    fs : float
        Sampling rate (Hz).
    kind : {"time_frequency", "basic"}, default="time_frequency"
        The feature set.

    Returns
    -------
    features : ndarray of shape (n_records, n_features)
        ``3 * (n_frequencies + 6)`` basic features, ``n_frequencies`` the
        number of :data:`C2ST_FREQUENCIES` below ``0.4 fs`` (48 at 100 Hz),
        plus ``16 n_bands + 5`` time-frequency ones (85 at 100 Hz).

    Raises
    ------
    ValueError
        Records not of shape (n_records, 3, n_times) or not finite, a bad
        ``fs``, an unknown ``kind``, or ``fs`` below 5.1 Hz for
        ``"time_frequency"``.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.scoring import c2st_features
    >>> X = np.random.default_rng(0).standard_normal((2, 3, 2000))
    >>> c2st_features(X, 100.0, kind="basic").shape
    (2, 48)
    >>> features = c2st_features(X, 100.0)
    >>> features.shape
    (2, 133)
    >>> np.allclose(c2st_features(5.0 * X, 100.0), features)
    True
    """
    X = check_three_component(X, "X")
    fs = check_positive(fs, "fs")
    check_feature_set(kind, fs)
    X = np.asarray(X, dtype=float).reshape(-1, 3, X.shape[-1])
    frequencies = C2ST_FREQUENCIES[C2ST_FREQUENCIES < 0.4 * fs]
    _, amplitude = fourier_amplitude(X, fs, centers=frequencies)
    log_amplitude = np.log(np.maximum(amplitude, np.finfo(float).tiny))
    shape = log_amplitude - log_amplitude.mean(axis=(1, 2), keepdims=True)
    times = husid_times(X, fs, _HUSID_LEVELS)
    onset = times[..., :1]
    delays = times[..., 1:4] - onset
    duration = significant_duration(X, fs)[..., np.newaxis]
    peak = np.max(np.abs(X), axis=-1)
    rms = np.sqrt(np.mean(X**2, axis=-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        crest = np.where(rms > 0, np.log(peak / rms), 0.0)[..., np.newaxis]
    per_component = np.concatenate([shape, onset, delays, duration, crest], axis=-1)
    basic = per_component.reshape(X.shape[0], -1)
    if kind == "basic":
        return basic
    return np.concatenate([basic, time_frequency_features(X, fs)], axis=1)


def c2st_score(real_features, generated_features, random_state=None):
    """``1 - balanced accuracy`` of a classifier separating two sets.

    A ``HistGradientBoostingClassifier(max_iter=50, max_depth=3,
    min_samples_leaf=5)`` (few shallow trees with small leaves: the sets
    hold tens to hundreds of records) is evaluated by stratified k-fold cross-validation (5 folds,
    fewer when a set has fewer than 5 records), shuffled and seeded by
    ``random_state``; the score uses the balanced accuracy, so unequal set
    sizes do not move its 0.5.

    Parameters
    ----------
    real_features : array-like of shape (n_real, n_features)
    generated_features : array-like of shape (n_generated, n_features)
        E.g. :func:`c2st_features` of real and generated records.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds and the classifier.

    Returns
    -------
    score : float
        About 0.5 when the classifier cannot tell the sets apart, 0 when it
        separates them perfectly; greater is better. NaN when a set has
        fewer than 2 records.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.scoring import c2st_score
    >>> rng = np.random.default_rng(0)
    >>> real = rng.standard_normal((40, 4))
    >>> round(c2st_score(real, real + 10.0, random_state=0), 2)
    0.0
    """
    real = np.asarray(real_features, dtype=float)
    generated = np.asarray(generated_features, dtype=float)
    for name, values in (("real_features", real), ("generated_features", generated)):
        if values.ndim != 2:
            raise ValueError(f"{name} must have shape (n_records, n_features); got {values.shape}")
    if real.shape[1] != generated.shape[1]:
        raise ValueError(
            "real_features and generated_features must have the same number of "
            f"features; got {real.shape[1]} and {generated.shape[1]}"
        )
    n_splits = min(5, len(real), len(generated))
    if n_splits < 2:
        return float("nan")
    rng = check_random_state(random_state)
    features = np.concatenate([real, generated])
    is_generated = np.r_[np.zeros(len(real), dtype=int), np.ones(len(generated), dtype=int)]
    classifier = HistGradientBoostingClassifier(
        max_iter=50, max_depth=3, min_samples_leaf=5, random_state=seed_from(rng)
    )
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed_from(rng))
    # On a few hundred rows, OpenMP threads cost far more than they save
    # (about 15x slower on a busy 2-core machine).
    with threadpool_limits(1, user_api="openmp"):
        accuracy = cross_val_score(
            classifier, features, is_generated, cv=folds, scoring="balanced_accuracy"
        )
    return float(1.0 - np.mean(accuracy))
