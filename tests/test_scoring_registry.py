"""Tests of the scorer registry (get_scorer, register_scorer) and of the
shared BaseStationScorer (skgen.scoring)."""

import numpy as np
import pytest

from skgen._base import BaseStationGenerator
from skgen.datasets import make_strong_motion
from skgen.scoring import (
    IM_METRICS,
    METRICS,
    BaseStationScorer,
    HVSRAlignmentScorer,
    IntensityMeasureScorer,
    _registry,
    compare,
    get_scorer,
    get_scorer_class,
    get_scorer_names,
    register_scorer,
)


class PoolGenerator(BaseStationGenerator):
    """Test double: 'generates' the station's pool records in order."""

    _torch_attributes = ()

    def __init__(self, fs=100.0, device="cpu", random_state=None):
        self.fs = fs
        self.device = device
        self.random_state = random_state

    def _train(self, X, stations, rng, checkpoint=None):
        return {}

    def _encode_records(self, X, stations):
        return {"records": X}

    def _generate(self, entry, n_samples, rng):
        pool = entry["records"]
        return pool[np.arange(n_samples) % len(pool)].copy()


@pytest.fixture(scope="module")
def data():
    return make_strong_motion(n_stations=2, records_per_station=4, n_times=2000, random_state=0)


@pytest.fixture
def registry():
    """The registry, restored after a test registers a class of its own."""
    saved = dict(_registry._SCORERS)
    yield
    _registry._SCORERS.clear()
    _registry._SCORERS.update(saved)


def test_every_metric_name_resolves_to_its_scorer():
    names = get_scorer_names()
    assert len(names) == len(set(names))
    assert [n for n in names if n in {*METRICS, *IM_METRICS}] == [*METRICS, *IM_METRICS]
    for name in METRICS:
        assert get_scorer_class(name) is HVSRAlignmentScorer
    for name in IM_METRICS:
        assert get_scorer_class(name) is IntensityMeasureScorer
    scorer = get_scorer("spread", random_state=3, c2st_features="basic")
    assert isinstance(scorer, IntensityMeasureScorer)
    assert (scorer.metric, scorer.random_state, scorer.c2st_features) == ("spread", 3, "basic")
    assert (
        get_scorer("log_hvsr").get_params() == HVSRAlignmentScorer(metric="log_hvsr").get_params()
    )


def test_unknown_names_and_parameters_are_refused():
    with pytest.raises(
        ValueError, match=r"metric must be one of .*'alignment', .*'spread'.*got 'r2'"
    ):
        get_scorer("r2")
    with pytest.raises(ValueError, match="metric must be one of"):
        get_scorer_class(None)
    with pytest.raises(ValueError, match="HVSRAlignmentScorer has no parameter.*'periods'"):
        get_scorer("alignment", periods=[0.1])
    with pytest.raises(ValueError, match=r"scoring must name metrics of .*alignment, .*, spread"):
        compare({"a": PoolGenerator()}, np.zeros((2, 3, 100)), ["s", "s"], scoring=["psa", "r2"])


def test_both_scorers_share_the_base_class():
    for cls in (HVSRAlignmentScorer, IntensityMeasureScorer):
        assert issubclass(cls, BaseStationScorer)
        # __call__ and report live once, in the base class
        assert cls.__call__ is BaseStationScorer.__call__
        assert cls.report is BaseStationScorer.report
    assert HVSRAlignmentScorer._metrics == METRICS
    assert IntensityMeasureScorer._metrics == IM_METRICS


@pytest.mark.parametrize("cls", [HVSRAlignmentScorer, IntensityMeasureScorer])
def test_shared_parameter_checks_run_before_any_generation(cls, data):
    class Counting(PoolGenerator):
        calls = 0

        def sample(self, *args, **kwargs):
            type(self).calls += 1
            return super().sample(*args, **kwargs)

    generator = Counting().fit(data.X, data.stations)
    with pytest.raises(ValueError, match="metric must be one of"):
        cls(metric="bogus")(generator, data.X, data.stations)
    with pytest.raises(ValueError, match="metric must be one of"):
        cls(metric="bogus").report(generator, data.X, data.stations)
    with pytest.raises(ValueError, match="reference_split must be a float in"):
        cls(reference_split=1.5)(generator, data.X, data.stations)
    with pytest.raises(ValueError, match="n_samples must be a positive integer"):
        cls(n_samples=0)(generator, data.X, data.stations)
    with pytest.raises(TypeError, match="must be a station generator"):
        cls()(object(), data.X, data.stations)
    with pytest.raises(ValueError, match="several regions"):
        regions = np.arange(len(data.X)) % 2
        cls().report(generator, data.X, data.stations, regions=regions)
    assert Counting.calls == 0


@pytest.mark.parametrize("cls", [HVSRAlignmentScorer, IntensityMeasureScorer])
def test_report_regions_column_through_the_base(cls, data):
    generator = PoolGenerator().fit(data.X, data.stations)
    regions = [str(s)[0] + "-region" for s in data.stations]
    report = cls(random_state=0).report(generator, data.X, data.stations, regions=regions)
    assert report.table["region"] == [str(s)[0] + "-region" for s in report.stations]
    assert cls(random_state=0).report(generator, data.X, data.stations).table["region"] == [
        "all",
        "all",
    ]


def test_a_new_scorer_joins_with_one_line(registry, data):
    @register_scorer
    class CountScorer(BaseStationScorer):
        """Scores the number of records generated per station."""

        _metrics = ("n_generated",)

        def __init__(
            self, metric="n_generated", reference_split=0.5, n_samples=None, random_state=0, fs=None
        ):
            self.metric = metric
            self.reference_split = reference_split
            self.n_samples = n_samples
            self.random_state = random_state
            self.fs = fs

        def _check_settings(self, fs):
            return None

        def _scores(self, estimator, X, stations, metrics, cache=None):
            protocol, _, _ = self._run_protocol(estimator, X, stations, metrics, cache=cache)
            per_station = [float(len(g)) for g in protocol.generated]
            return {"n_generated": float(np.mean(per_station))}, {"n_generated": per_station}

    assert get_scorer_class("n_generated") is CountScorer
    assert "n_generated" in get_scorer_names()
    generator = PoolGenerator().fit(data.X, data.stations)
    assert get_scorer("n_generated")(generator, data.X, data.stations) == 2.0
    result = compare(
        {"pool": generator}, data.X, data.stations, ["n_generated", "psa"], n_repeats=2
    )
    np.testing.assert_array_equal(result.scores["pool"]["n_generated"], [2.0, 2.0])
    with pytest.raises(
        ValueError, match="'psa' of Other are already registered for IntensityMeasureScorer"
    ):

        @register_scorer
        class Other(CountScorer):
            _metrics = ("psa",)

    with pytest.raises(TypeError, match="must list its metric names"):
        register_scorer(type("Empty", (BaseStationScorer,), {}))
