"""The scorers' protocol: split each station's records into a pool and
held-out records, generate from the pool, compare with the held-out part.

One implementation shared by :class:`HVSRAlignmentScorer` and
:class:`IntensityMeasureScorer` (see docs/scoring.rst, "The honest protocol
and the ceiling"): the estimator passed in is never modified, because the
pool is registered on a copy (``estimator.with_bank``).
"""

import copy
import numbers
from dataclasses import dataclass, replace

import numpy as np
from sklearn.utils import check_random_state

from .._validation import check_positive, check_records, check_stations, seed_from


@dataclass(frozen=True)
class StationSplit:
    """Which rows of ``X`` each station's pool and held-out part hold.

    Attributes
    ----------
    labels : list of n_stations labels
        Stations in order of first appearance in ``stations``.
    rows, pool, held_out : dict of label to ndarray of int
        All of the station's rows, its pool rows and its held-out rows. With
        ``reference_split=None`` the pool and the held-out part are the same
        rows (the published protocol).
    """

    labels: list
    rows: dict
    pool: dict
    held_out: dict


@dataclass(frozen=True)
class Protocol:
    """One scorer call's checked input, its split and its generated records.

    Attributes
    ----------
    X : ndarray of shape (n_records, 3, n_times)
        The checked records (a float32 copy; the caller's array is untouched).
    stations : ndarray of shape (n_records,)
    fs : float
        Sampling rate (Hz).
    split : StationSplit
    generated : list of n_stations ndarray of shape (n_generated_s, 3, n_times)
        Per station, in ``split.labels`` order, the generated records.
    rng : numpy.random.RandomState
        The scorer's random state after the split and the generation, for
        what the caller draws next (the ceiling's halves, a classifier seed).
    """

    X: np.ndarray
    stations: np.ndarray
    fs: float
    split: StationSplit
    generated: list
    rng: np.random.RandomState


def check_generator(estimator):
    """Raise a TypeError unless ``estimator`` has ``with_bank`` and ``sample``."""
    if not (hasattr(estimator, "with_bank") and hasattr(estimator, "sample")):
        raise TypeError(
            "estimator must be a station generator with with_bank() and "
            f"sample() methods; got {type(estimator).__name__}."
        )


def check_protocol_params(reference_split, n_samples):
    """Validate the two protocol parameters shared by the scorers."""
    if reference_split is not None and (
        isinstance(reference_split, (bool, np.bool_))
        or not isinstance(reference_split, numbers.Real)
        or not 0.0 < reference_split < 1.0
    ):
        raise ValueError(
            f"reference_split must be a float in (0, 1) or None; got {reference_split!r}."
        )
    if n_samples is not None and (
        isinstance(n_samples, (bool, np.bool_))
        or not isinstance(n_samples, numbers.Integral)
        or n_samples < 1
    ):
        raise ValueError(f"n_samples must be a positive integer or None; got {n_samples!r}.")


def resolve_fs(fs, estimator):
    """The sampling rate: ``fs`` if given, else ``estimator.fs``."""
    value = fs if fs is not None else getattr(estimator, "fs", None)
    source = "fs" if fs is not None else "estimator.fs (fs=None)"
    if value is None:
        raise ValueError(f"{source} must be a positive sampling rate in Hz; got None.")
    return check_positive(value, source)


def check_scored_records(X, stations, reference_split):
    """Checked records and labels; every station needs 2 records to split."""
    X = check_records(X, n_channels=3)
    stations = check_stations(stations, X.shape[0])
    if reference_split is not None:
        labels = dict.fromkeys(stations)
        small = [label for label in labels if np.count_nonzero(stations == label) < 2]
        if small:
            raise ValueError(
                "reference_split needs at least 2 records per station to "
                "split them into a pool and a comparison part; too few for "
                f"station(s) {', '.join(repr(s) for s in small)}. Drop them "
                "or use reference_split=None (the published protocol)."
            )
    return X, stations


def split_stations(stations, reference_split, rng):
    """Each station's pool and held-out rows, drawn with ``rng``."""
    labels = list(dict.fromkeys(stations))
    rows = {label: np.flatnonzero(stations == label) for label in labels}
    pool, held_out = {}, {}
    for label in labels:
        if reference_split is None:
            pool[label] = held_out[label] = rows[label]
            continue
        shuffled = rng.permutation(rows[label])
        n_pool = round(reference_split * len(shuffled))
        n_pool = min(max(n_pool, 1), len(shuffled) - 1)
        pool[label], held_out[label] = shuffled[:n_pool], shuffled[n_pool:]
    return StationSplit(labels, rows, pool, held_out)


class ProtocolCache(dict):
    """Protocols already run on one data set, so that scorers sharing a seed
    (the HVSR and the intensity-measure scorer of one model in
    :func:`compare` or in a report) generate once: generating is the
    expensive part for a network. Only integer seeds are cached."""


def run_protocol(
    estimator, X, stations, *, reference_split, n_samples, random_state, fs, cache=None
):
    """Split, register each pool on a copy and generate.

    ``X`` and ``stations`` come from :func:`check_scored_records`; call it,
    :func:`check_generator`, :func:`check_protocol_params` and any
    scorer-specific check first, so that nothing is generated from bad input.
    With a :class:`ProtocolCache` (for these ``X`` and ``stations`` only), a
    protocol run before with the same estimator and settings is reused, with
    a fresh copy of its random state.

    Returns
    -------
    protocol : Protocol
    """
    key = None
    if cache is not None and isinstance(random_state, numbers.Integral):
        key = (id(estimator), int(random_state), reference_split, n_samples, float(fs))
        if key in cache:
            return replace(cache[key], rng=copy.deepcopy(cache[key].rng))
    rng = check_random_state(random_state)
    split = split_stations(stations, reference_split, rng)
    pool_rows = np.concatenate([split.pool[label] for label in split.labels])
    generator = estimator.with_bank(X[pool_rows], stations[pool_rows])
    generated = [
        np.asarray(
            generator.sample(
                label,
                len(split.held_out[label]) if n_samples is None else n_samples,
                random_state=seed_from(rng),
            )
        )
        for label in split.labels
    ]
    protocol = Protocol(X, stations, float(fs), split, generated, rng)
    if key is not None:
        cache[key] = replace(protocol, rng=copy.deepcopy(rng))
    return protocol


def ceiling_rows(split, reference_split, rng):
    """Real-vs-real row sets: (held-out part, other part) per station.

    With ``reference_split`` set, each station's held-out rows against its
    pool rows; with ``None``, two random halves of each station's records
    (stations with a single record are left out). Returns the two lists and
    the labels they belong to.
    """
    if reference_split is not None:
        return (
            [split.held_out[label] for label in split.labels],
            [split.pool[label] for label in split.labels],
            list(split.labels),
        )
    first, second, labels = [], [], []
    for label in split.labels:
        if len(split.rows[label]) < 2:
            continue
        shuffled = rng.permutation(split.rows[label])
        half = len(shuffled) // 2
        first.append(shuffled[half:])
        second.append(shuffled[:half])
        labels.append(label)
    return first, second, labels
