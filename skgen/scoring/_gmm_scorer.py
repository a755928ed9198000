"""GroundMotionModelScorer: do scenario records sit where a published
ground-motion model puts them?

Each station's records are split into a pool (registered with their
magnitude and distance on a copy of the generator) and held-out records; at
each held-out record's scenario the generator samples, and the ln PSA of
the generated records and of the real one are compared with an NGA-West2
model's median and sigma (:mod:`._gmm`), their residual correlation across
periods with Baker and Jayaram (2008), their durations with Afshari and
Stewart (2016). The real held-out records' own residuals are the reference
(the ceiling). See docs/validation.rst.
"""

import numbers
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.utils import check_random_state

from .._scenario import check_record_scenarios
from .._validation import check_frequencies, check_positive, seed_from
from ..signal import horizontal_geometric_mean, response_spectrum, significant_duration
from ._base_scorer import BaseStationScorer
from ._gmm import (
    ACCEPTANCE_BAND,
    MECHANISMS,
    afshari_stewart_duration,
    baker_jayaram_correlation,
    check_gmm,
    gmm_spectrum,
    import_pygmm,
)
from ._protocol import check_scored_records, split_stations
from ._registry import register_scorer

__all__ = ["GMM_METRICS", "GMM_PERIODS", "GroundMotionModelReport", "GroundMotionModelScorer"]

#: What :class:`GroundMotionModelScorer` can return: ``"gmm_" +`` a key of
#: its report's ``metrics`` (and a key of ``report.summary()``).
GMM_METRICS = ("gmm_acceptance", "gmm_median", "gmm_sigma", "gmm_correlation", "gmm_duration")

#: Default periods (s): 16 log-spaced from 0.05 to 3 s, the acceptance band's range.
GMM_PERIODS = np.geomspace(0.05, 3.0, 16)

# The Broadband Platform checks the acceptance band up to this period (s).
_ACCEPTANCE_MAX_PERIOD = 3.0
# Significant-duration intervals of Afshari and Stewart (2016): D5-75, D5-95.
_DURATIONS = ((0.05, 0.75), (0.05, 0.95))


def _stats(residuals, sigma, correlation_reference, duration_residuals, periods):
    """Per-period median and sigma ratios and the five metrics of residuals.

    ``residuals`` (n, n_periods) of ln PSA, ``sigma`` (n, n_periods) the
    model's sigma at each residual's scenario, ``duration_residuals`` (n, 2).
    """
    bias = residuals.mean(axis=0)
    spread = residuals.std(axis=0, ddof=1) if len(residuals) > 1 else np.full(bias.shape, np.nan)
    sigma_ratio = spread / sigma.mean(axis=0)
    median_ratio = np.exp(bias)
    scored = periods <= _ACCEPTANCE_MAX_PERIOD
    low, high = ACCEPTANCE_BAND
    inside = (median_ratio >= low) & (median_ratio <= high)
    upper = np.triu_indices(len(periods), k=1)
    if len(residuals) > 2 and len(periods) > 1:
        correlation = np.corrcoef(residuals, rowvar=False)
        correlation_error = float(
            np.sqrt(np.mean((correlation[upper] - correlation_reference[upper]) ** 2))
        )
    else:
        correlation = np.full((len(periods), len(periods)), np.nan)
        correlation_error = float("nan")
    duration_bias = duration_residuals.mean(axis=0)
    metrics = {
        "acceptance": float(np.mean(inside[scored])) if scored.any() else float("nan"),
        "median": -float(np.sqrt(np.mean(bias**2))),
        "sigma": -float(np.sqrt(np.mean(np.log(sigma_ratio) ** 2))),
        "correlation": -correlation_error,
        "duration": -float(np.sqrt(np.mean(duration_bias**2))),
    }
    per_period = {
        "median_ratio": median_ratio,
        "sigma_ratio": sigma_ratio,
        "correlation": correlation,
        "duration_ratio": np.exp(duration_bias),
    }
    return metrics, per_period


@dataclass(frozen=True)
class GroundMotionModelReport:
    """What :class:`GroundMotionModelScorer` measured.

    Attributes
    ----------
    gmm : str
        The model's short name.
    periods : ndarray of shape (n_periods,)
    stations : ndarray of shape (n_held_out,)
        Station of each held-out record.
    magnitude, distance, vs30 : ndarray of shape (n_held_out,)
        Each held-out record's scenario.
    ln_median, sigma : ndarray of shape (n_held_out, n_periods)
        The model's ln median PSA (m/s^2) and ln sigma at each scenario.
    generated_residuals : ndarray of shape (n_held_out, n_samples, n_periods)
        ``ln PSA - ln median`` of the records generated at each scenario
        (horizontal geometric mean, 5 % damping).
    real_residuals : ndarray of shape (n_held_out, n_periods)
        The same for the held-out records.
    baker_jayaram : ndarray of shape (n_periods, n_periods)
        The published correlation of residuals across periods.
    metrics, ceiling : dict of str to float
        Every metric of :data:`GMM_METRICS`, without its ``"gmm_"``
        prefix (``"acceptance"``, ...), for the generated and for the
        held-out real records (greater is better).
    generated, real : dict of str to ndarray
        ``median_ratio`` and ``sigma_ratio`` per period, the residual
        ``correlation`` matrix and ``duration_ratio`` (D5-75, D5-95).
    n_outside : int
        Held-out scenarios outside their station's pool range.
    settings : dict
    """

    gmm: str
    periods: np.ndarray
    stations: np.ndarray
    magnitude: np.ndarray
    distance: np.ndarray
    vs30: np.ndarray
    ln_median: np.ndarray
    sigma: np.ndarray
    generated_residuals: np.ndarray
    real_residuals: np.ndarray
    baker_jayaram: np.ndarray
    metrics: dict
    ceiling: dict
    generated: dict
    real: dict
    n_outside: int
    settings: dict

    def summary(self):
        """The metrics and their ceilings, as a JSON-safe dict."""
        out = {f"gmm_{name}": value for name, value in self.metrics.items()}
        out.update({f"gmm_{name}_ceiling": value for name, value in self.ceiling.items()})
        out["gmm"] = self.gmm
        out["n_records"] = int(len(self.stations))
        out["n_outside"] = int(self.n_outside)
        return out


@register_scorer
class GroundMotionModelScorer(BaseStationScorer):
    """Scikit-learn scorer of scenario records against an NGA-West2 model.

    For each held-out record the generator samples ``n_samples`` records at
    that record's magnitude and distance (``estimator.sample(...,
    magnitude=, distance=)`` on a copy whose bank holds the station's pool
    with its scenarios). Residuals ``ln PSA - ln median`` against the model
    (pygmm; optional extra ``skgen[gmm]``) give, per period, the median ratio
    ``exp(mean residual)`` and the sigma ratio ``std(residual) / sigma``.
    ``scorer(estimator, X, stations, magnitude=..., distance=...)`` returns
    one of :data:`GMM_METRICS`, greater is better:

    - ``"gmm_acceptance"``: the fraction of periods up to 3 s whose median
      ratio lies in the Broadband Platform's band 0.69-1.44;
    - ``"gmm_median"``: minus the RMS over periods of the ln median ratio;
    - ``"gmm_sigma"``: minus the RMS over periods of the ln sigma ratio;
    - ``"gmm_correlation"``: minus the RMS difference between the
      residuals' correlation across periods and Baker and Jayaram (2008);
    - ``"gmm_duration"``: minus the RMS of the mean ln D5-75 and D5-95
      residuals against Afshari and Stewart (2016).

    The names are registered (:func:`get_scorer`), but :func:`compare` and
    ``skgen score`` have no magnitudes or distances to pass: there the
    scorer raises a ValueError naming the missing ``magnitude=`` and
    ``distance=`` (docs/scoring.rst, "Writing a scorer").

    The same metrics of the held-out real records are the ceiling
    (``report``): a model that does not describe the data (skgen's
    simulated regions are not California) limits the real records too.

    Parameters
    ----------
    gmm : {"BSSA14", "ASK14", "CB14", "CY14"}, default="BSSA14"
    vs30 : float or dict, default=760.0
        Vs30 (m/s) of every station, or a dict station -> Vs30. skgen does
        not guess Vs30 from f0.
    mechanism : {"SS", "NS", "RS"}, default="SS"
    metric : str, default="gmm_acceptance"
        One of :data:`GMM_METRICS`.
    periods : array-like of shape (n_periods,) or None, default=None
        Periods (s), at least 3 samples long and within 0.01-10 s; ``None``
        uses those of :data:`GMM_PERIODS` at least 3 samples long.
    reference_split : float in (0, 1), default=0.5
        Fraction of each station's records in its pool.
    n_samples : int, default=1
        Records generated per held-out record.
    random_state : int, RandomState instance or None, default=None
    fs : float or None, default=None
        Sampling rate; ``None`` uses ``estimator.fs``.

    See Also
    --------
    gmm_spectrum, baker_jayaram_correlation, afshari_stewart_duration,
    scenario_errors

    Examples
    --------
    >>> from skgen.scoring import GroundMotionModelScorer
    >>> scorer = GroundMotionModelScorer(gmm="BSSA14", vs30=400.0, random_state=0)
    >>> scorer(generator, X, stations, magnitude=m, distance=r)  # doctest: +SKIP
    """

    _metrics = GMM_METRICS
    _scenario_arguments = ("magnitude", "distance")

    def __init__(
        self,
        gmm="BSSA14",
        vs30=760.0,
        mechanism="SS",
        metric="gmm_acceptance",
        periods=None,
        reference_split=0.5,
        n_samples=1,
        random_state=None,
        fs=None,
    ):
        self.gmm = gmm
        self.vs30 = vs30
        self.mechanism = mechanism
        self.metric = metric
        self.periods = periods
        self.reference_split = reference_split
        self.n_samples = n_samples
        self.random_state = random_state
        self.fs = fs

    def _scores(self, estimator, X, stations, metrics, cache=None, **scenario):
        """(metric -> score, metric -> None): no per-station scores."""
        report = self._report(estimator, X, stations, None, metrics=metrics, **scenario)
        return (
            {name: report.metrics[name.removeprefix("gmm_")] for name in metrics},
            dict.fromkeys(metrics),
        )

    def _report(
        self,
        estimator,
        X,
        stations,
        regions,
        cache=None,
        *,
        metrics=GMM_METRICS,
        magnitude=None,
        distance=None,
    ):
        """The report; ``regions`` are checked but not part of it."""
        fs, periods = self._check_params(estimator, metrics)
        X, stations = check_scored_records(X, stations, self.reference_split)
        self._station_regions(regions, stations)
        if magnitude is None or distance is None:
            raise ValueError(
                "GroundMotionModelScorer needs each record's magnitude and distance: "
                "scorer(estimator, X, stations, magnitude=..., distance=...); compare() "
                "and skgen score have none to pass."
            )
        magnitude, distance = check_record_scenarios(magnitude, distance, len(X))
        vs30 = self._station_vs30(stations)
        import_pygmm()
        rng = check_random_state(self.random_state)
        split = split_stations(stations, self.reference_split, rng)
        pool = np.concatenate([split.pool[label] for label in split.labels])
        generator = estimator.with_bank(
            X[pool], stations[pool], magnitude=magnitude[pool], distance=distance[pool]
        )
        rows = np.concatenate([split.held_out[label] for label in split.labels])
        generated, n_outside = [], 0
        for row in rows:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                generated.append(
                    np.asarray(
                        generator.sample(
                            stations[row],
                            self.n_samples,
                            magnitude=magnitude[row],
                            distance=distance[row],
                            random_state=seed_from(rng),
                        )
                    )
                )
            n_outside += any("outside the range" in str(w.message) for w in caught)
        generated = np.stack(generated)
        n_rows, n_samples = generated.shape[:2]
        models = [
            gmm_spectrum(
                magnitude[row], distance[row], vs30[row], periods, self.gmm, self.mechanism
            )
            for row in rows
        ]
        ln_median = np.log(np.stack([median for median, _ in models]))
        sigma = np.stack([s for _, s in models])
        durations = np.log(
            [
                afshari_stewart_duration(magnitude[row], distance[row], vs30[row], self.mechanism)[
                    0
                ]
                for row in rows
            ]
        )
        flat = generated.reshape(n_rows * n_samples, *generated.shape[2:])
        generated_residuals = (
            self._ln_psa(flat, fs, periods).reshape(n_rows, n_samples, -1) - ln_median[:, None]
        )
        real_residuals = self._ln_psa(X[rows], fs, periods) - ln_median
        generated_durations = (
            self._ln_durations(flat, fs).reshape(n_rows, n_samples, 2) - durations[:, None]
        )
        real_durations = self._ln_durations(X[rows], fs) - durations
        reference = baker_jayaram_correlation(periods)
        metrics, generated_stats = _stats(
            generated_residuals.reshape(n_rows * n_samples, -1),
            np.repeat(sigma, n_samples, axis=0),
            reference,
            generated_durations.reshape(n_rows * n_samples, 2),
            periods,
        )
        ceiling, real_stats = _stats(real_residuals, sigma, reference, real_durations, periods)
        return GroundMotionModelReport(
            gmm=self.gmm,
            periods=periods,
            stations=stations[rows],
            magnitude=magnitude[rows],
            distance=distance[rows],
            vs30=vs30[rows],
            ln_median=ln_median,
            sigma=sigma,
            generated_residuals=generated_residuals,
            real_residuals=real_residuals,
            baker_jayaram=reference,
            metrics=metrics,
            ceiling=ceiling,
            generated=generated_stats,
            real=real_stats,
            n_outside=int(n_outside),
            settings=dict(self.get_params(), fs=fs, periods=periods.tolist()),
        )

    # -- internals -------------------------------------------------------
    @staticmethod
    def _ln_psa(records, fs, periods):
        psa = response_spectrum(records, fs, periods)
        return np.log(horizontal_geometric_mean(psa, axis=-2))

    @staticmethod
    def _ln_durations(records, fs):
        return np.log(
            np.stack(
                [
                    horizontal_geometric_mean(significant_duration(records, fs, interval))
                    for interval in _DURATIONS
                ],
                axis=-1,
            )
        )

    def _check_settings(self, fs):
        """The model, mechanism, held-out split and periods at ``fs``: the
        sorted periods."""
        check_gmm(self.gmm)
        if self.mechanism not in MECHANISMS:
            raise ValueError(f"mechanism must be one of {MECHANISMS}; got {self.mechanism!r}.")
        if self.reference_split is None:
            raise ValueError("GroundMotionModelScorer needs held-out records: reference_split.")
        if self.n_samples is None:
            raise ValueError("n_samples must be a positive integer (records per scenario).")
        if self.periods is None:
            periods = GMM_PERIODS[GMM_PERIODS * fs >= 3.0]
        else:
            periods = check_frequencies(self.periods, "periods", allow_zero=False)
            short = periods[periods * fs < 3.0]
            if short.size:
                raise ValueError(
                    f"periods {short.tolist()} s are shorter than 3 samples at fs={fs} Hz."
                )
        if periods.min() < 0.01 or periods.max() > 10.0:
            raise ValueError("periods must lie in the models' range 0.01-10 s.")
        return np.sort(periods)

    def _station_vs30(self, stations):
        """Vs30 of each record's station, (n_records,)."""
        if isinstance(self.vs30, dict):
            missing = [label for label in dict.fromkeys(stations) if label not in self.vs30]
            if missing:
                raise ValueError(
                    f"vs30 has no value for station(s) {', '.join(repr(s) for s in missing)}."
                )
            values = [self.vs30[label] for label in stations]
        elif isinstance(self.vs30, numbers.Real) and not isinstance(self.vs30, bool):
            values = [self.vs30] * len(stations)
        else:
            raise TypeError(
                f"vs30 must be a number (m/s) or a dict station -> Vs30; got {self.vs30!r}."
            )
        return np.array([check_positive(value, "vs30") for value in values], dtype=np.float64)
