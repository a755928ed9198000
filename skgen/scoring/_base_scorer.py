"""BaseStationScorer: what every station scorer shares.

A station scorer splits each station's records into a pool and held-out
records (:mod:`._protocol`), generates from the pool and compares. This base
owns ``__call__``, ``report``, the checks of the parameters every scorer
has (``metric``, ``reference_split``, ``n_samples``, ``fs``) and the run of
the protocol; a subclass declares its metric names in ``_metrics`` and
implements ``_check_settings``, ``_scores`` and ``_report``; a scorer that
needs per-record metadata (magnitude, distance) names the keyword arguments
in ``_scenario_arguments``, which ``__call__`` and ``report`` pass through.
See docs/scoring.rst, "Writing a scorer".
"""

from sklearn.base import BaseEstimator

from .._validation import check_stations
from ._protocol import (
    check_generator,
    check_protocol_params,
    check_scored_records,
    resolve_fs,
    run_protocol,
)

__all__ = ["BaseStationScorer"]


class BaseStationScorer(BaseEstimator):
    """Base class of the scikit-learn scorers of station generators.

    ``scorer(estimator, X, stations)`` returns the float of ``metric``,
    greater is better, so a scorer goes into ``cross_validate`` and
    ``GridSearchCV``; ``scorer.report(estimator, X, stations)`` returns every
    metric next to its real-vs-real ceiling. Subclasses store ``metric``,
    ``reference_split``, ``n_samples``, ``random_state`` and ``fs`` (see
    :class:`HVSRAlignmentScorer`), list their metric names in the class
    attribute ``_metrics`` and register them with
    :func:`skgen.scoring.register_scorer`, which :func:`get_scorer`,
    :func:`compare` and ``skgen score`` read.

    See Also
    --------
    HVSRAlignmentScorer, IntensityMeasureScorer, get_scorer
    """

    #: The metric names this scorer computes, in report order.
    _metrics = ()
    #: Per-record keyword arguments ``__call__`` and ``report`` accept and
    #: pass to ``_scores`` and ``_report``, e.g. ``("magnitude", "distance")``.
    _scenario_arguments = ()

    def __call__(self, estimator, X, stations, **scenario):
        """Score ``estimator`` on the stations of ``X``; greater is better.

        Parameters
        ----------
        estimator : fitted station generator
            Anything with ``with_bank(X, stations)`` and
            ``sample(station, n_samples, random_state)``, e.g.
            :class:`skgen.TimesNetGenerator`.
        X : array-like of shape (n_records, 3, n_times)
            Real records in m/s^2, channels E, N, U.
        stations : array-like of shape (n_records,)
            Station label of each record.
        **scenario : array-like of shape (n_records,)
            Per-record arguments of scorers that list them in
            ``_scenario_arguments`` (:class:`GroundMotionModelScorer`:
            ``magnitude=``, ``distance=``).

        Returns
        -------
        score : float

        Raises
        ------
        ValueError
            Unknown metric or invalid parameter, invalid records, a station
            with fewer than 2 records when ``reference_split`` is set, or a
            scorer-specific condition (see the subclass).
        TypeError
            ``estimator`` is not a station generator, or a keyword argument
            the scorer does not take.
        """
        self._check_scenario_arguments(scenario)
        scores, _ = self._scores(estimator, X, stations, (self.metric,), **scenario)
        return scores[self.metric]

    def report(self, estimator, X, stations, regions=None, **scenario):
        """Every metric with its real-vs-real ceiling, per station.

        Parameters
        ----------
        estimator : fitted station generator
        X : array-like of shape (n_records, 3, n_times)
        stations : array-like of shape (n_records,)
        regions : array-like of shape (n_records,) or None, default=None
            Region of each record (one per station), a column of the
            report's table; ``None`` puts every station in region ``"all"``.
        **scenario : array-like of shape (n_records,)
            As for calling the scorer.

        Returns
        -------
        report : ScoreReport or IntensityMeasureReport
            ``report.metrics[scorer.metric]`` equals ``scorer(estimator, X,
            stations)`` for a seeded scorer.

        Raises
        ------
        ValueError, TypeError
            As for calling the scorer; a station whose records lie in more
            than one region.
        """
        self._check_scenario_arguments(scenario)
        return self._report(estimator, X, stations, regions, **scenario)

    # -- for subclasses ----------------------------------------------------
    def _check_settings(self, fs):
        """Check the subclass's own parameters at sampling rate ``fs``;
        return what the run needs of them."""
        raise NotImplementedError

    def _scores(self, estimator, X, stations, metrics, cache=None):
        """(metric -> score, metric -> per-station scores or None)."""
        raise NotImplementedError

    def _report(self, estimator, X, stations, regions, cache=None):
        raise NotImplementedError

    def _check_stations(self, stations, for_report):
        """Scorer-specific checks of the station labels, before generating."""

    # -- shared ------------------------------------------------------------
    def _check_scenario_arguments(self, scenario):
        unknown = [key for key in scenario if key not in self._scenario_arguments]
        if unknown:
            takes = ", ".join(self._scenario_arguments) or "none"
            raise TypeError(
                f"{type(self).__name__} takes no argument(s) "
                f"{', '.join(repr(k) for k in unknown)}; its per-record arguments: {takes}."
            )

    def _check_params(self, estimator, metrics):
        """Validate every parameter before any work: (fs, settings)."""
        for name in (self.metric, *metrics):
            if name not in self._metrics:
                raise ValueError(
                    f"metric must be one of {', '.join(repr(m) for m in self._metrics)}; "
                    f"got {name!r}."
                )
        check_protocol_params(self.reference_split, self.n_samples)
        check_generator(estimator)
        fs = resolve_fs(self.fs, estimator)
        return fs, self._check_settings(fs)

    def _run_protocol(
        self, estimator, X, stations, metrics, for_report=False, regions=None, cache=None
    ):
        """Check everything, then split and generate.

        Returns
        -------
        protocol : Protocol
        settings : what :meth:`_check_settings` returned
        station_regions : dict of station label to region
        """
        fs, settings = self._check_params(estimator, metrics)
        X, stations = check_scored_records(X, stations, self.reference_split)
        self._check_stations(stations, for_report)
        station_regions = self._station_regions(regions, stations)
        protocol = run_protocol(
            estimator,
            X,
            stations,
            reference_split=self.reference_split,
            n_samples=self.n_samples,
            random_state=self.random_state,
            fs=fs,
            cache=cache,
        )
        return protocol, settings, station_regions

    @staticmethod
    def _station_regions(regions, stations):
        """Station -> its region (``"all"`` when ``regions`` is None)."""
        labels = list(dict.fromkeys(stations))
        if regions is None:
            return dict.fromkeys(labels, "all")
        regions = check_stations(regions, len(stations), name="regions")
        station_regions = {}
        for label in labels:
            found = list(dict.fromkeys(regions[stations == label]))
            if len(found) > 1:
                raise ValueError(
                    f"station {label!r} has records in several regions "
                    f"({', '.join(repr(r) for r in found)}); give one region per station."
                )
            station_regions[label] = found[0]
        return station_regions
