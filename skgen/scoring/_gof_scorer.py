"""GoodnessOfFitScorer: Anderson's (2004) goodness of fit of a station's
generated records to its held-out real ones, next to the real-vs-real ceiling.

Every generated record is paired with every held-out record of its station
(:mod:`._gof`); the ceiling pairs the held-out records with the pool records,
on the protocol every scorer shares (:mod:`._protocol`). See
docs/validation.rst.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator

from ._gof import GOF_CRITERIA, GoodnessOfFit, band_features, check_bands, pair_criteria
from ._protocol import (
    ceiling_rows,
    check_generator,
    check_protocol_params,
    check_scored_records,
    resolve_fs,
    run_protocol,
)

__all__ = ["GoodnessOfFitReport", "GoodnessOfFitScorer"]


def _all_pairs(n_first, n_second):
    first, second = np.meshgrid(np.arange(n_first), np.arange(n_second), indexing="ij")
    return first.ravel(), second.ravel()


@dataclass(frozen=True)
class GoodnessOfFitReport:
    """What :class:`GoodnessOfFitScorer` measured.

    Attributes
    ----------
    stations : list
        Station labels, in order of first appearance.
    generated, ceiling : GoodnessOfFit
        Criteria of every (generated, held-out) pair and of every
        (held-out, pool) pair of real records, all stations together.
    by_station : dict of str to list of float
        ``"generated"`` and ``"ceiling"``: each station's mean total.
    settings : dict
        The scorer's parameters, with the ``fs`` used.
    """

    stations: list
    generated: GoodnessOfFit
    ceiling: GoodnessOfFit
    by_station: dict
    settings: dict

    @property
    def score(self):
        """The scorer's value: the mean over stations of the generated total."""
        return float(np.nanmean(self.by_station["generated"]))

    def summary(self):
        """Score, ceiling and the mean of each criterion over bands, as a JSON-safe dict."""
        out = {
            "gof": self.score,
            "gof_ceiling": float(np.nanmean(self.by_station["ceiling"])),
        }
        for name, gof in (("generated", self.generated), ("ceiling", self.ceiling)):
            mean = np.nanmean(gof.criteria.reshape(-1, len(GOF_CRITERIA)), axis=0)
            out[name] = dict(zip(GOF_CRITERIA, mean.tolist()))
        return out


class GoodnessOfFitScorer(BaseEstimator):
    """Scikit-learn scorer: Anderson's (2004) goodness of fit, 0-10.

    Same protocol as :class:`IntensityMeasureScorer`: each station's records
    are split into a pool the generator draws from (on a copy, through
    ``estimator.with_bank``) and held-out records. Each generated record is
    scored against each held-out record of its station with
    :func:`anderson_gof`; ``scorer(estimator, X, stations)`` returns the
    mean over stations of the mean total (bands and pairs), greater is
    better. The real-vs-real ceiling scores the held-out records against the
    pool records the same way (two random halves with
    ``reference_split=None``). Records of different events score far below
    the 8-10 of a synthetic of the same event: compare with the ceiling.

    Parameters
    ----------
    bands : sequence of (low, high) or None, default=None
        Pass-bands in Hz; ``None`` uses :data:`ANDERSON_BANDS` below Nyquist.
    reference_split : float in (0, 1) or None, default=0.5
        Fraction of each station's records in its pool.
    n_samples : int or None, default=None
        Records generated per station; ``None`` as many as held out.
    random_state : int, RandomState instance or None, default=None
        Seeds the split and the generation.
    fs : float or None, default=None
        Sampling rate of ``X``; ``None`` uses ``estimator.fs``.

    See Also
    --------
    anderson_gof, IntensityMeasureScorer

    Examples
    --------
    >>> from skgen.scoring import GoodnessOfFitScorer
    >>> scorer = GoodnessOfFitScorer(random_state=0)
    >>> scorer(generator, X, stations)  # doctest: +SKIP
    >>> scorer.report(generator, X, stations).summary()  # doctest: +SKIP
    """

    def __init__(self, bands=None, reference_split=0.5, n_samples=None, random_state=None, fs=None):
        self.bands = bands
        self.reference_split = reference_split
        self.n_samples = n_samples
        self.random_state = random_state
        self.fs = fs

    def __call__(self, estimator, X, stations):
        """Mean goodness of fit of the generated records; greater is better.

        Parameters
        ----------
        estimator : fitted station generator
        X : array-like of shape (n_records, 3, n_times)
            Real records in m/s^2, channels E, N, U.
        stations : array-like of shape (n_records,)

        Returns
        -------
        score : float
            On Anderson's 0-10 scale.

        Raises
        ------
        ValueError
            Invalid parameters or records, a band at or above Nyquist, a
            station with fewer than 2 records when ``reference_split`` is set.
        TypeError
            ``estimator`` is not a station generator.
        """
        return self.report(estimator, X, stations).score

    def report(self, estimator, X, stations):
        """The criteria per band of the generated records and of the ceiling.

        Parameters
        ----------
        estimator : fitted station generator
        X : array-like of shape (n_records, 3, n_times)
        stations : array-like of shape (n_records,)

        Returns
        -------
        report : GoodnessOfFitReport
            ``report.score`` equals ``scorer(estimator, X, stations)`` for a
            seeded scorer.
        """
        check_protocol_params(self.reference_split, self.n_samples)
        check_generator(estimator)
        fs = resolve_fs(self.fs, estimator)
        bands = check_bands(self.bands, fs)
        X, stations = check_scored_records(X, stations, self.reference_split)
        protocol = run_protocol(
            estimator,
            X,
            stations,
            reference_split=self.reference_split,
            n_samples=self.n_samples,
            random_state=self.random_state,
            fs=fs,
        )
        split = protocol.split
        real = band_features(X, fs, bands)
        first, second, ceiling_labels = ceiling_rows(split, self.reference_split, protocol.rng)
        generated_criteria, ceiling_criteria = [], []
        by_station = {"generated": [], "ceiling": []}
        for label, records in zip(split.labels, protocol.generated):
            held_out = split.held_out[label]
            rows_generated, rows_real = _all_pairs(len(records), len(held_out))
            criteria = pair_criteria(
                band_features(records, fs, bands), real, rows_generated, held_out[rows_real]
            )
            generated_criteria.append(criteria)
            by_station["generated"].append(float(np.nanmean(criteria)))
        for label in split.labels:
            if label not in ceiling_labels:
                by_station["ceiling"].append(float("nan"))
                continue
            index = ceiling_labels.index(label)
            rows_first, rows_second = _all_pairs(len(first[index]), len(second[index]))
            criteria = pair_criteria(
                real, real, first[index][rows_first], second[index][rows_second]
            )
            ceiling_criteria.append(criteria)
            by_station["ceiling"].append(float(np.nanmean(criteria)))
        return GoodnessOfFitReport(
            stations=list(split.labels),
            generated=GoodnessOfFit(bands, np.concatenate(generated_criteria)),
            ceiling=GoodnessOfFit(
                bands,
                np.concatenate(ceiling_criteria)
                if ceiling_criteria
                else np.full((0, len(bands), len(GOF_CRITERIA)), np.nan),
            ),
            by_station=by_station,
            settings=dict(self.get_params(), fs=fs, bands=bands.tolist()),
        )
