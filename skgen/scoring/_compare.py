"""compare: named generators side by side, with intervals and paired tests.

"Is TimesNet-Gen better than the CVAE, beyond noise?" Every model is scored
on the same pool/held-out splits and generation seeds (``n_repeats`` of
them), so differences between models are paired (see docs/scoring.rst,
"Comparing models").
"""

import itertools
from dataclasses import dataclass

import numpy as np
from scipy import stats
from sklearn.base import clone
from sklearn.utils import check_random_state

from .._validation import check_count, seed_from
from ._protocol import ProtocolCache
from ._registry import get_scorer, get_scorer_class, get_scorer_names
from ._report import json_value

__all__ = ["Comparison", "compare"]

#: Metrics of :func:`compare` when ``scoring=None``.
DEFAULT_COMPARISON = ("alignment", "log_hvsr", "psa", "duration", "novelty", "c2st")


def _interval(values):
    """Mean and 95 % Student-t interval of the mean over repeats.

    With an infinite value (a spread of ``-inf``: generated records that do
    not vary) there is no t-interval: the range of the values stands in.
    """
    values = np.asarray(values, dtype=float)
    mean = float(np.mean(values))
    if values.size < 2:
        return mean, float("nan"), float("nan")
    if np.any(np.isinf(values)) and not np.any(np.isnan(values)):
        return mean, float(values.min()), float(values.max())
    half = stats.t.ppf(0.975, values.size - 1) * np.std(values, ddof=1) / np.sqrt(values.size)
    return mean, float(mean - half), float(mean + half)


def _wilcoxon(first, second):
    """Two-sided Wilcoxon signed-rank p-value of paired values (1 if equal)."""
    difference = np.asarray(first, dtype=float) - np.asarray(second, dtype=float)
    difference = difference[np.isfinite(difference)]
    if difference.size == 0 or np.all(difference == 0):
        return 1.0
    return float(stats.wilcoxon(difference).pvalue)


def _plan(scoring):
    """[(scorer, metric names or None)]: names of one scorer class are
    computed in one run (one generation) per model and repeat."""
    if scoring is None:
        scoring = DEFAULT_COMPARISON
    if isinstance(scoring, str):
        scoring = [scoring]
    if isinstance(scoring, dict):
        for name, scorer in scoring.items():
            if not callable(scorer):
                raise TypeError(
                    f"scoring[{name!r}] must be a scorer, scorer(estimator, X, stations); "
                    f"got {type(scorer).__name__}"
                )
        return [(scorer, [name], False) for name, scorer in scoring.items()]
    names = list(scoring)
    known = get_scorer_names()
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise ValueError(
            f"scoring must name metrics of {', '.join(known)}, "
            f"or be a dict of scorers; got {scoring!r}"
        )
    by_class = {}
    for name in names:
        by_class.setdefault(get_scorer_class(name), []).append(name)
    return [(get_scorer(group[0]), group, True) for group in by_class.values()]


@dataclass
class Comparison:
    """What :func:`compare` measured.

    Attributes
    ----------
    models : list of str
    metrics : list of str
    stations : list of n_stations labels
    scores : dict of str to dict of str to ndarray of shape (n_repeats,)
        Per model and metric, the score of every repeat (greater is better).
    station_scores : dict of str to dict of str to ndarray or None
        Per model and metric, the per-station scores of every repeat, shape
        (n_repeats, n_stations); None for metrics without a per-station value
        (``alignment``, ``c2st``, custom scorers).
    p_values : dict of str to dict of str to float
        Per pair ``"A vs B"`` and metric, the two-sided p-value of the paired
        test (:attr:`tests` says which).
    tests : dict of str to str
        Per metric, the paired test used.
    settings : dict
        ``n_repeats`` and ``random_state``.
    """

    models: list
    metrics: list
    stations: list
    scores: dict
    station_scores: dict
    p_values: dict
    tests: dict
    settings: dict

    def intervals(self):
        """Per model and metric, ``{"mean", "low", "high"}`` (95 % interval).

        Returns
        -------
        intervals : dict of str to dict of str to dict
        """
        return {
            model: {
                metric: dict(zip(("mean", "low", "high"), _interval(values)))
                for metric, values in by_metric.items()
            }
            for model, by_metric in self.scores.items()
        }

    def to_dict(self):
        """Plain, JSON-serialisable content.

        Returns
        -------
        comparison : dict
            ``{"models": {name: {metric: {"mean", "low", "high"}}},
            "p_values": {"A vs B": {metric: p}}, "tests": {...},
            "scores": {name: {metric: [per repeat]}}, "settings": {...}}``;
            non-finite numbers become None.
        """
        return json_value(
            {
                "models": self.intervals(),
                "p_values": self.p_values,
                "tests": self.tests,
                "scores": self.scores,
                "settings": self.settings,
            }
        )

    def table(self):
        """A printable table: mean [95 % interval] per model and metric, then
        the p-values.

        Returns
        -------
        text : str
        """
        intervals = self.intervals()
        width = max(len(m) for m in self.models) + 2
        rows = [f"{'model':<{width}}" + "".join(f"{m:>24}" for m in self.metrics)]
        for model in self.models:
            cells = "".join(
                f"{'{mean:.3f} [{low:.3f}, {high:.3f}]'.format(**intervals[model][m]):>24}"
                for m in self.metrics
            )
            rows.append(f"{model:<{width}}{cells}")
        if self.p_values:
            width = max(len(pair) for pair in self.p_values) + 2
            rows += ["", f"{'p-value':<{width}}" + "".join(f"{m:>24}" for m in self.metrics)]
            for pair, by_metric in self.p_values.items():
                rows.append(
                    f"{pair:<{width}}" + "".join(f"{by_metric[m]:>24.3g}" for m in self.metrics)
                )
        return "\n".join(rows)

    def summary(self):
        """Same as :meth:`table`."""
        return self.table()

    def __str__(self):
        return self.table()


def compare(estimators, X, stations, scoring=None, n_repeats=5, random_state=None):
    """Score named generators side by side over repeated splits and seeds.

    For each of ``n_repeats`` seeds drawn from ``random_state``, every
    model is scored with the same seed, so with the same pool/held-out split
    of each station and the same generation seeds: the differences between
    models are paired. Each metric gets a mean and a 95 % interval over the
    repeats (Student t), and each pair of models a two-sided paired test:
    the Wilcoxon signed-rank test over stations (each station's score
    averaged over the repeats) when the metric has per-station values,
    otherwise over the repeats (with 5 repeats its smallest possible p-value
    is 0.0625).

    Parameters
    ----------
    estimators : dict of str to fitted station generator
        Named models, e.g. ``{"TimesNet-Gen": tn, "CVAE": cvae}``; a list
        of ``(name, estimator)`` pairs is accepted too.
    X : array-like of shape (n_records, 3, n_times)
        Real records, channels E, N, U.
    stations : array-like of shape (n_records,)
    scoring : str, list of str, dict of str to scorer or None, default=None
        Metric names of :func:`get_scorer_names` (those of
        :class:`HVSRAlignmentScorer`, ``METRICS``, of
        :class:`IntensityMeasureScorer`, ``IM_METRICS``, and ``"gof"`` of
        :class:`GoodnessOfFitScorer`), scored with each
        scorer's defaults (one generation per scorer class, model and
        repeat), or
        named scorers (``random_state`` is set to each repeat's seed).
        ``None`` is ``("alignment", "log_hvsr", "psa", "duration",
        "novelty", "c2st")``.
    n_repeats : int, default=5
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    comparison : Comparison
        ``comparison.to_dict()`` and ``print(comparison)``.

    Raises
    ------
    ValueError, TypeError
        Fewer than one model, an unknown metric, a bad ``n_repeats``, or any
        error of the scorers.

    Examples
    --------
    >>> from skgen.scoring import compare
    >>> result = compare({"TimesNet-Gen": tn, "CVAE": cvae}, X, stations,
    ...                  n_repeats=5, random_state=0)  # doctest: +SKIP
    >>> print(result)  # doctest: +SKIP
    """
    return _compare(estimators, X, stations, scoring, n_repeats, random_state, ProtocolCache())


def _compare(estimators, X, stations, scoring, n_repeats, random_state, cache):
    """:func:`compare`, sharing generated records through ``cache`` (one
    generation per model and seed for all the scorers)."""
    models = dict(estimators.items() if isinstance(estimators, dict) else estimators)
    if not models:
        raise ValueError("estimators must name at least one model")
    n_repeats = check_count(n_repeats, "n_repeats")
    plan = _plan(scoring)
    metrics = [name for _, names, _ in plan for name in names]
    rng = check_random_state(random_state)
    seeds = [seed_from(rng) for _ in range(n_repeats)]

    scores = {m: {name: [] for name in metrics} for m in models}
    by_station = {m: {name: [] for name in metrics} for m in models}
    for seed in seeds:
        for model, estimator in models.items():
            for scorer, names, by_name in plan:
                scorer = clone(scorer) if hasattr(scorer, "get_params") else scorer
                if hasattr(scorer, "set_params") and "random_state" in scorer.get_params():
                    scorer.set_params(random_state=seed)
                if by_name:
                    values, per_station = scorer._scores(estimator, X, stations, names, cache)
                else:
                    values = {names[0]: float(scorer(estimator, X, stations))}
                    per_station = {names[0]: None}
                for name in names:
                    scores[model][name].append(values[name])
                    by_station[model][name].append(per_station[name])

    station_scores = {
        model: {
            name: None if any(v is None for v in values) else np.asarray(values, dtype=float)
            for name, values in by_metric.items()
        }
        for model, by_metric in by_station.items()
    }
    tests, p_values = {}, {}
    first = next(iter(models))
    for name in metrics:
        if station_scores[first][name] is not None:
            n = station_scores[first][name].shape[1]
            tests[name] = f"Wilcoxon signed-rank over {n} stations (mean over repeats)"
        else:
            tests[name] = f"Wilcoxon signed-rank over {n_repeats} repeats"
    for a, b in itertools.combinations(models, 2):
        pair = {}
        for name in metrics:
            if station_scores[a][name] is not None:
                pair[name] = _wilcoxon(
                    station_scores[a][name].mean(axis=0), station_scores[b][name].mean(axis=0)
                )
            else:
                pair[name] = _wilcoxon(scores[a][name], scores[b][name])
        p_values[f"{a} vs {b}"] = pair
    return Comparison(
        models=list(models),
        metrics=metrics,
        stations=list(dict.fromkeys(np.asarray(stations).tolist())),
        scores={
            model: {name: np.asarray(values, dtype=float) for name, values in by_metric.items()}
            for model, by_metric in scores.items()
        },
        station_scores=station_scores,
        p_values=p_values,
        tests=tests,
        settings={"n_repeats": n_repeats, "random_state": random_state, "seeds": seeds},
    )
