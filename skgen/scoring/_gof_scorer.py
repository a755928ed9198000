"""GoodnessOfFitScorer: Anderson's (2004) goodness of fit of a station's
generated records to its held-out real ones, next to the real-vs-real ceiling.

Every generated record is paired with every held-out record of its station
(:mod:`._gof`); the ceiling pairs the held-out records with the pool records,
on the protocol every scorer shares (:mod:`._protocol`). See
docs/validation.rst.
"""

from dataclasses import dataclass

import numpy as np

from ._base_scorer import BaseStationScorer
from ._gof import GOF_CRITERIA, GoodnessOfFit, band_features, check_bands, pair_criteria
from ._protocol import ceiling_rows
from ._registry import register_scorer

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
    regions : dict
        Station label -> region (``"all"`` without ``regions``).
    settings : dict
        The scorer's parameters, with the ``fs`` used.
    """

    stations: list
    generated: GoodnessOfFit
    ceiling: GoodnessOfFit
    by_station: dict
    regions: dict
    settings: dict

    @property
    def metrics(self):
        """``{"gof": score}``, as the other scorers' reports."""
        return {"gof": self.score}

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


@register_scorer
class GoodnessOfFitScorer(BaseStationScorer):
    """Scikit-learn scorer: Anderson's (2004) goodness of fit, 0-10.

    Same protocol as :class:`IntensityMeasureScorer`: each station's records
    are split into a pool the generator draws from (on a copy, through
    ``estimator.with_bank``) and held-out records. Each generated record is
    scored against each held-out record of its station with
    :func:`anderson_gof`; ``scorer(estimator, X, stations)`` returns the
    mean over stations of the mean total (bands and pairs), greater is
    better, on Anderson's 0-10 scale. The real-vs-real ceiling
    (``scorer.report``) scores the held-out records against the pool records
    the same way (two random halves with ``reference_split=None``). Records
    of different events score far below the 8-10 of a synthetic of the same
    event: compare with the ceiling. Registered as metric ``"gof"``
    (:func:`get_scorer`, :func:`compare`, ``skgen score --metric gof``).

    Parameters
    ----------
    metric : {"gof"}, default="gof"
        The one metric (kept for :func:`get_scorer`).
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
    >>> from skgen.scoring import GoodnessOfFitScorer, get_scorer
    >>> type(get_scorer("gof")).__name__
    'GoodnessOfFitScorer'
    >>> scorer = GoodnessOfFitScorer(random_state=0)
    >>> scorer(generator, X, stations)  # doctest: +SKIP
    >>> scorer.report(generator, X, stations).summary()  # doctest: +SKIP
    """

    _metrics = ("gof",)

    def __init__(
        self,
        metric="gof",
        bands=None,
        reference_split=0.5,
        n_samples=None,
        random_state=None,
        fs=None,
    ):
        self.metric = metric
        self.bands = bands
        self.reference_split = reference_split
        self.n_samples = n_samples
        self.random_state = random_state
        self.fs = fs

    def _check_settings(self, fs):
        """The pass-bands at ``fs``: below Nyquist (a ValueError otherwise)."""
        return check_bands(self.bands, fs)

    def _scores(self, estimator, X, stations, metrics, cache=None):
        """(``{"gof": score}``, ``{"gof": per-station mean totals}``)."""
        protocol, bands, _ = self._run_protocol(estimator, X, stations, metrics, cache=cache)
        real = band_features(protocol.X, protocol.fs, bands)
        _, by_station = _generated_criteria(protocol, real, bands)
        return {"gof": float(np.nanmean(by_station))}, {"gof": by_station}

    def _report(self, estimator, X, stations, regions, cache=None):
        protocol, bands, station_regions = self._run_protocol(
            estimator, X, stations, self._metrics, for_report=True, regions=regions, cache=cache
        )
        split = protocol.split
        real = band_features(protocol.X, protocol.fs, bands)
        generated_criteria, generated_by_station = _generated_criteria(protocol, real, bands)
        first, second, ceiling_labels = ceiling_rows(split, self.reference_split, protocol.rng)
        ceiling_criteria, ceiling_by_station = [], []
        for label in split.labels:
            if label not in ceiling_labels:
                ceiling_by_station.append(float("nan"))
                continue
            index = ceiling_labels.index(label)
            rows_first, rows_second = _all_pairs(len(first[index]), len(second[index]))
            criteria = pair_criteria(
                real, real, first[index][rows_first], second[index][rows_second]
            )
            ceiling_criteria.append(criteria)
            ceiling_by_station.append(float(np.nanmean(criteria)))
        return GoodnessOfFitReport(
            stations=list(split.labels),
            generated=GoodnessOfFit(bands, np.concatenate(generated_criteria)),
            ceiling=GoodnessOfFit(
                bands,
                np.concatenate(ceiling_criteria)
                if ceiling_criteria
                else np.full((0, len(bands), len(GOF_CRITERIA)), np.nan),
            ),
            by_station={"generated": generated_by_station, "ceiling": ceiling_by_station},
            regions=station_regions,
            settings=dict(self.get_params(), fs=protocol.fs, bands=bands.tolist()),
        )


def _generated_criteria(protocol, real, bands):
    """Criteria of every (generated, held-out) pair of each station, and each
    station's mean total; ``real`` are the band features of ``protocol.X``."""
    criteria_by_station, by_station = [], []
    for label, records in zip(protocol.split.labels, protocol.generated):
        held_out = protocol.split.held_out[label]
        rows_generated, rows_real = _all_pairs(len(records), len(held_out))
        criteria = pair_criteria(
            band_features(records, protocol.fs, bands), real, rows_generated, held_out[rows_real]
        )
        criteria_by_station.append(criteria)
        by_station.append(float(np.nanmean(criteria)))
    return criteria_by_station, by_station
