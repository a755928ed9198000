"""IntensityMeasureScorer: do generated records load a structure the way a
station's real records do?

Response spectra, peak values, Arias intensity, duration and Fourier
spectra (:mod:`._log_measures`), novelty (:mod:`._novelty`) and a classifier
two-sample test (:mod:`._c2st`), each next to its real-vs-real ceiling, on
the protocol every scorer shares (:mod:`._protocol`). See
docs/scoring.rst, "Intensity measures".
"""

from dataclasses import dataclass, field

import numpy as np

from .._validation import seed_from
from ._base_scorer import BaseStationScorer
from ._c2st import c2st_features, c2st_score, check_feature_set
from ._intensity_report import IM_METRICS, IntensityMeasureReport
from ._log_measures import LOG_MEASURES, check_periods, log_intensity_measures
from ._novelty import max_cross_correlation
from ._protocol import ceiling_rows
from ._registry import register_scorer
from ._spread import SPREAD_MEASURES, SPREAD_PERIOD_RANGE, spread_log_ratios

__all__ = ["IntensityMeasureScorer"]


@dataclass
class _Run:
    """One scorer run: the protocol's split and, per measure, the values of
    every real record (rows of ``X``) and of each station's generated ones."""

    protocol: object
    regions: dict
    periods: np.ndarray
    real: dict
    generated: dict
    c2st_seed: int
    # novelty values, computed once per run for the score, the ceiling and
    # the report's table
    novelty: dict = field(default_factory=dict)

    @property
    def labels(self):
        return self.protocol.split.labels


def _mean_difference(generated, real):
    """Per-period difference of mean ln values, (n_values,)."""
    return generated.mean(axis=0) - real.mean(axis=0)


def _residual(generated, real):
    """RMS over periods of the difference of mean ln values."""
    return float(np.sqrt(np.mean(_mean_difference(generated, real) ** 2)))


def _sigma(values):
    """Standard deviation of ln values over records, averaged over periods."""
    if len(values) < 2:
        return float("nan")
    return float(np.mean(np.std(values, axis=0, ddof=1)))


def _nanmean(values):
    """Mean of the finite-or-infinite values, NaN (silently) when all are NaN."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    return float(np.mean(values)) if values.size else float("nan")


def _spread_summary(per_station):
    """Per measure and ``"all"``: the geometric mean ratio over stations."""
    return {
        key: float(np.exp(_nanmean([ratios.get(key, np.nan) for ratios in per_station])))
        for key in (*SPREAD_MEASURES, "all")
    }


@register_scorer
class IntensityMeasureScorer(BaseStationScorer):
    """Scikit-learn scorer on the intensity measures engineers use.

    Same protocol as :class:`HVSRAlignmentScorer`: each station's records
    are split into a pool the generator draws from (registered on a copy
    with ``estimator.with_bank``; the estimator is never modified) and
    held-out records the generated ones are compared with.
    ``scorer(estimator, X, stations)`` returns a float, greater is better,
    so it goes into ``cross_validate`` and ``GridSearchCV``.

    Parameters
    ----------
    metric : {"psa", "pga", "pgv", "arias", "duration", "fas", "novelty", \
"c2st", "spread"}, default="psa"
        What ``__call__`` returns:

        - ``"psa"``, ``"pga"``, ``"pgv"``, ``"arias"``, ``"duration"``,
          ``"fas"``: minus the mean over stations of the log residual, the
          RMS over periods of ``mean ln IM(generated) - mean ln IM(held-out
          real)`` (horizontal geometric mean; ``psa`` 5 % damped and ``fas``
          at the frequencies ``1 / periods``; see
          :func:`skgen.signal.response_spectrum`). 0 is a perfect match.
        - ``"novelty"``: 1 minus the median, over generated records, of
          :func:`max_cross_correlation` with the station's pool: 0 for a
          replay of the pool, about 0.7-0.8 for real records of other
          events.
        - ``"c2st"``: :func:`c2st_score` of generated against held-out real
          records on :func:`c2st_features` (the set ``c2st_features``):
          about 0.5 when a classifier cannot tell them apart, 0 when it
          always can.
        - ``"spread"``: ``-|mean over stations of ln(sigma generated /
          sigma held-out)|``, the within-station standard deviations of ln
          PSA (the ``periods`` in 0.05-2 s), ln PGA and ln D5-95
          (:func:`skgen.scoring.spread_log_ratios`, the three measures
          weighted equally): 0 when generated records vary as much as the
          station's records, ``-ln 2`` at half or twice their spread.
    periods : array-like of shape (n_periods,) or None, default=None
        Oscillator periods (s) of ``psa`` and ``fas``; ``None`` is
        those of ``DEFAULT_PERIODS`` (25 log-spaced periods on 0.05-5 s)
        that are at least 3 samples long at ``fs``; given periods must all
        be.
    reference_split : float in (0, 1) or None, default=0.5
        Fraction of each station's records that form its pool; ``None``
        uses every record as pool and comparison (the published,
        optimistic protocol).
    n_samples : int or None, default=None
        Records generated per station; ``None`` generates as many as the
        station's held-out records.
    random_state : int, RandomState instance or None, default=None
        Seeds the split, the generation and the classifier; a fixed integer
        gives the same score for the same estimator and data.
    fs : float or None, default=None
        Sampling rate of ``X`` (Hz); ``None`` uses ``estimator.fs``.
    c2st_features : {"time_frequency", "basic"}, default="time_frequency"
        Features of the ``c2st`` classifier (:func:`c2st_features`):
        ``"time_frequency"`` adds to the spectral shape, Husid times and
        crest factors of ``"basic"`` when energy arrives in each octave
        band, the vertical's lead and the coherence of the components.

    Notes
    -----
    Calling the scorer raises a ValueError for an unknown metric or an
    invalid parameter, invalid records, periods shorter than 3 samples, a
    station with fewer than 2 records when ``reference_split`` is set; a
    TypeError when ``estimator`` is not a station generator. ``report``
    gives, next to the distortion per region, every metric with its
    real-vs-real ceiling (held-out records against the pool, or two random
    halves with ``reference_split=None``).

    See Also
    --------
    BaseStationScorer, HVSRAlignmentScorer, compare

    Examples
    --------
    >>> from skgen.scoring import IntensityMeasureScorer
    >>> scorer = IntensityMeasureScorer(metric="duration", random_state=0)
    >>> scorer.get_params()["metric"]
    'duration'
    >>> scorer(generator, X, stations)  # doctest: +SKIP
    >>> print(scorer.report(generator, X, stations).summary())  # doctest: +SKIP
    """

    _metrics = IM_METRICS

    def __init__(
        self,
        metric="psa",
        periods=None,
        reference_split=0.5,
        n_samples=None,
        random_state=None,
        fs=None,
        c2st_features="time_frequency",
    ):
        self.metric = metric
        self.periods = periods
        self.reference_split = reference_split
        self.n_samples = n_samples
        self.random_state = random_state
        self.fs = fs
        self.c2st_features = c2st_features

    def _report(self, estimator, X, stations, regions, cache=None):
        run = self._run(
            estimator, X, stations, IM_METRICS, for_report=True, regions=regions, cache=cache
        )
        split = run.protocol.split
        station_regions = run.regions
        metrics, ceiling = {}, {}
        for name in IM_METRICS:
            metrics[name], ceiling[name] = self._metric(run, name, with_ceiling=True)

        table = {
            "station": list(split.labels),
            "region": [station_regions[label] for label in split.labels],
            "n_pool": [len(split.pool[label]) for label in split.labels],
            "n_held_out": [len(split.held_out[label]) for label in split.labels],
            "n_generated": [len(g) for g in run.protocol.generated],
        }
        distortion = {}
        for measure in LOG_MEASURES:
            real, generated = run.real[measure], run.generated[measure]
            per_station = [
                float(np.mean(_mean_difference(g, real[split.pool[label]])))
                for label, g in zip(split.labels, generated)
            ]
            table[f"{measure}_distortion"] = per_station
            table[f"{measure}_residual"] = [
                _residual(g, real[split.held_out[label]])
                for label, g in zip(split.labels, generated)
            ]
            table[f"{measure}_sigma_real"] = [
                _sigma(real[split.rows[label]]) for label in split.labels
            ]
            table[f"{measure}_sigma_generated"] = [_sigma(g) for g in generated]
            by_region = {}
            for label, value in zip(split.labels, per_station):
                by_region.setdefault(station_regions[label], []).append(value)
            distortion[measure] = {region: float(np.mean(v)) for region, v in by_region.items()}
            distortion[measure]["all"] = float(np.mean(per_station))

        generated_novelty = self._novelty(run)
        real_novelty = self._real_novelty(run)
        table["novelty_generated"] = [float(np.median(v)) for v in generated_novelty]
        table["novelty_real"] = [
            float(np.median(real_novelty[label])) if label in real_novelty else float("nan")
            for label in split.labels
        ]
        spread = self._spread(run)
        for key in (*SPREAD_MEASURES, "all"):
            column = "spread_ratio" if key == "all" else f"{key}_spread_ratio"
            table[column] = [float(np.exp(ratios.get(key, np.nan))) for ratios in spread]
        first, second, _ = self._ceiling_rows(run)
        settings = dict(self.get_params(), fs=run.protocol.fs, periods=run.periods.tolist())
        psa = [np.exp(values) for values in run.generated["psa"]]
        duration = [np.exp(values[:, 0]) for values in run.generated["duration"]]
        return IntensityMeasureReport(
            stations=list(split.labels),
            table=table,
            metrics=metrics,
            ceiling=ceiling,
            distortion=distortion,
            spread=_spread_summary(spread),
            spread_ceiling=_spread_summary(self._spread(run, zip(first, second))),
            settings=settings,
            periods=run.periods,
            real_psa=[np.exp(run.real["psa"][split.held_out[label]]) for label in split.labels],
            generated_psa=psa,
            real_duration=[
                np.exp(run.real["duration"][split.held_out[label], 0]) for label in split.labels
            ],
            generated_duration=duration,
            real_novelty=[real_novelty.get(label, np.array([])) for label in split.labels],
            generated_novelty=generated_novelty,
        )

    # -- internals -------------------------------------------------------
    def _check_settings(self, fs):
        check_feature_set(self.c2st_features, fs)
        return check_periods(self.periods, fs)

    def _run(self, estimator, X, stations, metrics, for_report=False, regions=None, cache=None):
        protocol, periods, station_regions = self._run_protocol(
            estimator, X, stations, metrics, for_report=for_report, regions=regions, cache=cache
        )
        X, fs = protocol.X, protocol.fs
        c2st_seed = seed_from(protocol.rng)
        # One pass per measure over the real records needed (all of them for
        # the report's distortion and ceiling, the held-out ones for a
        # score) and the generated ones; rows not needed stay NaN.
        split = protocol.split
        if for_report:
            real_rows = np.arange(X.shape[0])
        else:
            real_rows = np.sort(np.concatenate([split.held_out[label] for label in split.labels]))
        spread = SPREAD_MEASURES if "spread" in metrics else ()
        needed = [m for m in LOG_MEASURES if m in metrics or m in spread]
        if "c2st" in metrics:
            needed.append("c2st")
        real, generated = {}, {}
        for measure in needed:

            def measured(records, measure=measure):
                if measure == "c2st":
                    return c2st_features(records, fs, kind=self.c2st_features)
                return log_intensity_measures(records, fs, measure, periods)

            # A real record's measures do not depend on the split: with a
            # cache (one data set, several models or repeats), every record
            # is measured once.
            if cache is None:
                values = measured(X[real_rows])
            else:
                setting = self.c2st_features if measure == "c2st" else tuple(periods.tolist())
                key = ("real records", measure, setting, float(fs))
                if key not in cache:
                    cache[key] = measured(X)
                values = cache[key][real_rows]
            real[measure] = np.full((X.shape[0], values.shape[1]), np.nan)
            real[measure][real_rows] = values
            values = measured(np.concatenate(protocol.generated))
            bounds = np.cumsum([0] + [len(g) for g in protocol.generated])
            generated[measure] = [values[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
        return _Run(protocol, station_regions, periods, real, generated, c2st_seed)

    def _scores(self, estimator, X, stations, metrics, cache=None):
        """(metric -> score, metric -> per-station scores or None) for ``metrics``."""
        run = self._run(estimator, X, stations, metrics, cache=cache)
        scores, by_station = {}, {}
        for name in metrics:
            scores[name], _ = self._metric(run, name, with_ceiling=False)
            by_station[name] = self._by_station(run, name)
        return scores, by_station

    def _by_station(self, run, name):
        """Per-station scores (greater is better), or None for c2st."""
        split = run.protocol.split
        if name in LOG_MEASURES:
            real = run.real[name]
            return [
                -_residual(g, real[split.held_out[label]])
                for label, g in zip(split.labels, run.generated[name])
            ]
        if name == "novelty":
            return [1.0 - float(np.median(v)) for v in self._novelty(run)]
        if name == "spread":
            return [-abs(ratios["all"]) for ratios in self._spread(run)]
        return None

    def _spread(self, run, pairs=None):
        """Per station, :func:`spread_log_ratios` of generated against
        held-out records, or of ``pairs`` of real (compared, reference) rows."""
        real = run.real
        columns = (run.periods >= SPREAD_PERIOD_RANGE[0]) & (run.periods <= SPREAD_PERIOD_RANGE[1])
        if pairs is None:
            split = run.protocol.split
            return [
                spread_log_ratios(
                    {m: run.generated[m][i] for m in SPREAD_MEASURES},
                    {m: real[m][split.held_out[label]] for m in SPREAD_MEASURES},
                    columns,
                )
                for i, label in enumerate(split.labels)
            ]
        return [
            spread_log_ratios(
                {m: real[m][b] for m in SPREAD_MEASURES},
                {m: real[m][a] for m in SPREAD_MEASURES},
                columns,
            )
            for a, b in pairs
        ]

    def _novelty(self, run):
        """Per station, max cross-correlation of each generated record with
        the station's pool."""
        if "generated" not in run.novelty:
            split, X = run.protocol.split, run.protocol.X
            run.novelty["generated"] = [
                max_cross_correlation(g, X[split.pool[label]])
                for label, g in zip(split.labels, run.protocol.generated)
            ]
        return run.novelty["generated"]

    def _real_novelty(self, run):
        """Station -> the same for its held-out records against its pool
        (one random half against the other with reference_split=None)."""
        if "real" not in run.novelty:
            X = run.protocol.X
            first, second, labels = self._ceiling_rows(run)
            run.novelty["real"] = {
                label: max_cross_correlation(X[a], X[b])
                for label, a, b in zip(labels, first, second)
            }
        return run.novelty["real"]

    def _ceiling_rows(self, run):
        # The halves of reference_split=None are drawn once per run, from a
        # generator seeded by the run, so every metric sees the same halves.
        rng = np.random.RandomState(run.c2st_seed)
        return ceiling_rows(run.protocol.split, self.reference_split, rng)

    def _metric(self, run, name, with_ceiling):
        """(score, ceiling or None) of one metric."""
        split = run.protocol.split
        first, second, _ = self._ceiling_rows(run) if with_ceiling else (None, None, None)
        if name in LOG_MEASURES:
            real = run.real[name]
            score = -np.mean(
                [
                    _residual(g, real[split.held_out[label]])
                    for label, g in zip(split.labels, run.generated[name])
                ]
            )
            ceiling = None
            if with_ceiling:
                ceiling = -np.mean([_residual(real[b], real[a]) for a, b in zip(first, second)])
            return float(score), None if ceiling is None else float(ceiling)
        if name == "novelty":
            score = 1.0 - float(np.median(np.concatenate(self._novelty(run))))
            if not with_ceiling:
                return score, None
            real = list(self._real_novelty(run).values())
            ceiling = 1.0 - float(np.median(np.concatenate(real))) if real else float("nan")
            return score, ceiling
        if name == "spread":
            score = -abs(_nanmean([ratios["all"] for ratios in self._spread(run)]))
            if not with_ceiling:
                return score, None
            real = self._spread(run, zip(first, second))
            return score, -abs(_nanmean([ratios["all"] for ratios in real]))
        # c2st: generated against held-out real records, all stations together.
        features = run.real["c2st"]
        held_out = np.concatenate([split.held_out[label] for label in split.labels])
        score = c2st_score(features[held_out], np.concatenate(run.generated["c2st"]), run.c2st_seed)
        ceiling = None
        if with_ceiling:
            ceiling = c2st_score(
                features[np.concatenate(first)], features[np.concatenate(second)], run.c2st_seed
            )
        return score, ceiling
