"""Tests of the intensity-measure scorer, novelty, the classifier two-sample
test and compare (skgen.scoring)."""

import json
import math
import pickle

import numpy as np
import pytest
from _testing import ResamplingGenerator
from scipy import stats
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, LeaveOneGroupOut, cross_validate

from skgen._base import BaseStationGenerator
from skgen.datasets import make_strong_motion
from skgen.scoring import (
    IM_METRICS,
    IntensityMeasureScorer,
    c2st_features,
    c2st_score,
    compare,
    max_cross_correlation,
)

FS = 100.0
LINEAR = ("psa", "pga", "pgv", "fas")  # scale with the record's amplitude


class ReplayGenerator(BaseStationGenerator):
    """Test double: 'generates' the station's pool records in order, times
    ``scale``; with ``phase_randomise`` each one with random Fourier phases
    (same amplitude spectrum, a different waveform)."""

    _torch_attributes = ()

    def __init__(self, scale=1.0, phase_randomise=False, fs=FS, device="cpu", random_state=None):
        self.scale = scale
        self.phase_randomise = phase_randomise
        self.fs = fs
        self.device = device
        self.random_state = random_state

    def _train(self, X, stations, rng, checkpoint=None):
        return {}

    def _encode_records(self, X, stations):
        return {"records": X}

    def _generate(self, entry, n_samples, rng):
        pool = entry["records"]
        records = pool[np.arange(n_samples) % len(pool)].astype(float) * self.scale
        if self.phase_randomise:
            spectra = np.fft.rfft(records, axis=-1)
            phases = np.exp(2j * np.pi * rng.uniform(size=spectra.shape))
            phases[..., 0] = 1.0
            records = np.fft.irfft(np.abs(spectra) * phases, records.shape[-1], axis=-1)
        return records


@pytest.fixture(scope="module")
def data():
    return make_strong_motion(n_stations=3, records_per_station=6, n_times=2000, random_state=0)


@pytest.fixture(scope="module")
def replay(data):
    return ReplayGenerator().fit(data.X, data.stations)


@pytest.fixture(scope="module")
def replay_report(data, replay):
    return IntensityMeasureScorer(random_state=0).report(replay, data.X, data.stations)


# -- novelty -------------------------------------------------------------------
def brute_force_similarity(record, references):
    """max over references of the mean over components of max |xcorr| /
    norms, with numpy.correlate (all lags)."""
    best = 0.0
    x = record - record.mean(axis=-1, keepdims=True)
    for reference in references:
        r = reference - reference.mean(axis=-1, keepdims=True)
        rho = [
            np.max(np.abs(np.correlate(x[c], r[c], mode="full")))
            / (np.linalg.norm(x[c]) * np.linalg.norm(r[c]))
            for c in range(3)
        ]
        best = max(best, float(np.mean(rho)))
    return best


def test_max_cross_correlation_matches_numpy_correlate():
    rng = np.random.default_rng(1)
    records = rng.standard_normal((3, 3, 300))
    references = rng.standard_normal((4, 3, 220))
    records[1, :, 40:260] += 2.0 * references[2]  # partly a delayed copy
    expected = [brute_force_similarity(x, references) for x in records]
    np.testing.assert_allclose(max_cross_correlation(records, references), expected, rtol=1e-10)
    assert max_cross_correlation(records, references)[1] > 0.7 > expected[0]


def test_max_cross_correlation_of_a_replay_is_one():
    rng = np.random.default_rng(2)
    pool = rng.standard_normal((3, 3, 400))
    np.testing.assert_allclose(max_cross_correlation(-2.5 * pool, pool), 1.0, rtol=1e-12)
    silent = np.zeros((3, 400))
    assert max_cross_correlation(silent, pool)[0] == 0.0
    with pytest.raises(ValueError, match="references must have 3 channels"):
        max_cross_correlation(pool, pool[:, :2])
    with pytest.raises(ValueError, match="X must be finite"):
        max_cross_correlation(np.full((3, 400), np.nan), pool)


# -- hand-computable scorer cases -------------------------------------------------
def test_replay_has_zero_distortion_and_novelty_one(replay_report):
    table = replay_report.table
    for measure in ("psa", "pga", "pgv", "arias", "duration", "fas"):
        np.testing.assert_allclose(table[f"{measure}_distortion"], 0.0, atol=1e-9)
        assert replay_report.distortion[measure]["all"] == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(table["novelty_generated"], 1.0)
    assert replay_report.metrics["novelty"] == pytest.approx(0.0, abs=1e-12)
    # Real records of other events are far from copies of each other.
    assert 0.5 < replay_report.ceiling["novelty"] < 0.95
    # With reference_split=0.5 and 6 records the pool is 3 records, and the
    # replay of 3 held-out-many records is exactly the pool: its residual to
    # the held-out records is the ceiling's.
    for measure in ("psa", "pga", "duration"):
        assert replay_report.metrics[measure] == pytest.approx(replay_report.ceiling[measure])


@pytest.mark.parametrize("scale", [0.5, 3.0])
def test_scaled_replay_has_log_ratio_ln_scale(data, scale):
    generator = ReplayGenerator(scale=scale).fit(data.X, data.stations)
    report = IntensityMeasureScorer(random_state=0).report(generator, data.X, data.stations)
    for measure in LINEAR:
        np.testing.assert_allclose(
            report.table[f"{measure}_distortion"], math.log(scale), rtol=1e-6
        )
    # Arias intensity grows with a^2, the duration does not change.
    np.testing.assert_allclose(report.table["arias_distortion"], 2 * math.log(scale), rtol=1e-6)
    np.testing.assert_allclose(report.table["duration_distortion"], 0.0, atol=1e-9)
    np.testing.assert_allclose(report.table["novelty_generated"], 1.0)
    # Amplitude-free features: a scaled replay is as hard to tell as a replay.
    unscaled = ReplayGenerator().fit(data.X, data.stations)
    same = IntensityMeasureScorer(metric="c2st", random_state=0)
    assert same(generator, data.X, data.stations) == same(unscaled, data.X, data.stations)


def test_phase_randomised_pool_ranks_above_a_replay(data, replay):
    scorer = IntensityMeasureScorer(metric="novelty", random_state=0)
    randomised = ReplayGenerator(phase_randomise=True).fit(data.X, data.stations)
    assert scorer(replay, data.X, data.stations) == pytest.approx(0.0, abs=1e-12)
    assert scorer(randomised, data.X, data.stations) > 0.5


def test_distortion_per_region(data):
    X = np.concatenate([data.X, data.X])
    stations = np.concatenate([data.stations, np.char.add("B", data.stations.astype(str))])
    regions = np.repeat(["A", "B"], len(data.X))
    # Region B's stations get records scaled by 2, so a replay of its pool is
    # 2 x a replay of region A's in amplitude but its log ratio is still 0;
    # a generator scaling by 2 everywhere is biased by ln 2 in both regions.
    X[len(data.X) :] *= 2.0
    generator = ReplayGenerator(scale=2.0).fit(X, stations)
    report = IntensityMeasureScorer(random_state=0).report(generator, X, stations, regions)
    assert set(report.distortion["pga"]) == {"A", "B", "all"}
    for region in ("A", "B", "all"):
        assert report.distortion["pga"][region] == pytest.approx(math.log(2.0))
    assert report.table["region"] == ["A"] * 3 + ["B"] * 3
    with pytest.raises(ValueError, match="has records in several regions"):
        IntensityMeasureScorer().report(generator, X, stations, np.tile(["A", "B"], len(data.X)))


# -- the scorer protocol -----------------------------------------------------------
@pytest.mark.parametrize("metric", ["psa", "duration", "novelty", "c2st"])
def test_call_equals_report_metric(data, replay_report, metric):
    resampling = ResamplingGenerator().fit(data.X, data.stations)
    scorer = IntensityMeasureScorer(metric=metric, random_state=0)
    report = scorer.report(resampling, data.X, data.stations)
    assert scorer(resampling, data.X, data.stations) == pytest.approx(report.metrics[metric])
    assert set(report.metrics) == set(IM_METRICS) == set(report.ceiling)


def test_seeded_reproducibility_and_estimator_not_mutated(data):
    generator = ResamplingGenerator().fit(data.X, data.stations)
    bank = {label: dict(entry) for label, entry in generator.bank_.items()}
    X_before = data.X.copy()
    scorer = IntensityMeasureScorer(metric="pga", random_state=3)
    first = scorer(generator, data.X, data.stations)
    assert scorer(generator, data.X, data.stations) == first
    assert IntensityMeasureScorer(metric="pga", random_state=4)(
        generator, data.X, data.stations
    ) != pytest.approx(first)
    assert generator.bank_.keys() == bank.keys()
    for label, entry in generator.bank_.items():
        assert entry["records"] is bank[label]["records"]
    np.testing.assert_array_equal(data.X, X_before)


def test_report_json_round_trip(replay_report):
    content = replay_report.to_dict(arrays=True)
    text = json.dumps(content, allow_nan=False)
    assert json.loads(text) == content
    assert content["settings"]["periods"] == pytest.approx(replay_report.periods.tolist())
    assert len(content["arrays"]["real_psa"]) == 3
    assert len(content["arrays"]["real_psa"][0][0]) == len(replay_report.periods)
    summary = replay_report.summary()
    assert "real-vs-real ceiling" in summary and "c2st" in summary


def test_sklearn_integration(data):
    X, stations = data.X, data.stations
    groups = np.array(["east" if s.endswith("0") else "west" for s in stations])
    generator = ResamplingGenerator().fit(X, stations)
    scorer = IntensityMeasureScorer(metric="duration", random_state=0)
    result = cross_validate(
        generator, X, stations, groups=groups, cv=LeaveOneGroupOut(), scoring=scorer
    )
    assert result["test_score"].shape == (2,)
    assert np.all(result["test_score"] <= 0)
    search = GridSearchCV(
        ResamplingGenerator(),
        {"shuffle_stations": [False, True]},
        scoring={"psa": IntensityMeasureScorer(metric="psa", random_state=0)},
        refit="psa",
        cv=[(np.arange(len(X)), np.arange(len(X)))],
    )
    search.fit(X, stations)
    assert search.best_params_ == {"shuffle_stations": False}
    assert clone(scorer).get_params() == scorer.get_params()
    assert pickle.loads(pickle.dumps(scorer)).get_params() == scorer.get_params()


@pytest.mark.parametrize(
    "params, error, match",
    [
        (dict(metric="sa"), ValueError, "metric must be one of 'psa'"),
        (dict(periods=[0.02, 1.0]), ValueError, r"periods must be at least 3 samples long, 0.03 s"),
        (dict(periods=[[1.0]]), ValueError, "periods must be a non-empty 1-D array"),
        (dict(reference_split=1.5), ValueError, "reference_split must be a float in"),
        (dict(n_samples=0), ValueError, "n_samples must be a positive integer"),
        (dict(fs=-1.0), ValueError, "fs must be positive"),
    ],
)
def test_bad_settings(data, replay, params, error, match):
    with pytest.raises(error, match=match):
        IntensityMeasureScorer(**params)(replay, data.X, data.stations)


def test_bad_input(data, replay):
    scorer = IntensityMeasureScorer()
    with pytest.raises(TypeError, match="must be a station generator"):
        scorer(object(), data.X, data.stations)
    with pytest.raises(ValueError, match="at least 2 records per station"):
        scorer(replay, data.X[:7], data.stations[:7])
    bad = data.X.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        scorer(replay, bad, data.stations)
    with pytest.raises(ValueError, match="X has 2 channel"):
        scorer(replay, data.X[:, :2], data.stations)


# -- classifier two-sample test --------------------------------------------------------
def test_c2st_features_are_amplitude_free_and_documented(data):
    features = c2st_features(data.X[:4], FS, kind="basic")
    assert features.shape == (4, 3 * (10 + 6))
    np.testing.assert_allclose(
        c2st_features(7.0 * data.X[:4], FS, kind="basic"), features, atol=1e-5
    )
    # the default time-frequency set: the basic features, then 16 per band
    # (5 octave bands at 100 Hz) and 5 more
    full = c2st_features(data.X[:4], FS)
    assert full.shape == (4, 48 + 16 * 5 + 5)
    np.testing.assert_array_equal(full[:, :48], features)
    # Husid part of the E component: onset, delays of 25/50/75 %, D5-95.
    from skgen.signal import husid_times, significant_duration

    times = husid_times(data.X[0, 0], FS, [0.05, 0.25, 0.5, 0.75])
    np.testing.assert_allclose(features[0, 10:14], [times[0], *(times[1:] - times[0])])
    np.testing.assert_allclose(features[0, 14], significant_duration(data.X[0, 0], FS))


def test_c2st_score_separates_and_does_not():
    rng = np.random.default_rng(0)
    real = rng.standard_normal((60, 5))
    assert c2st_score(real, real + 10.0, random_state=0) == 0.0
    other = rng.standard_normal((60, 5))
    same = c2st_score(real, other, random_state=0)
    assert 0.3 < same <= 0.7
    assert c2st_score(real, other, random_state=0) == same
    assert math.isnan(c2st_score(real[:1], real[:5]))
    with pytest.raises(ValueError, match="same number of features"):
        c2st_score(real, real[:, :3])


# -- compare ---------------------------------------------------------------------------------
def test_compare_intervals_and_paired_tests(data):
    good = ResamplingGenerator().fit(data.X, data.stations)
    wrong = ResamplingGenerator(shuffle_stations=True).fit(data.X, data.stations)
    result = compare(
        {"good": good, "wrong": wrong},
        data.X,
        data.stations,
        scoring=["f0_js", "pga", "novelty", "c2st"],
        n_repeats=3,
        random_state=0,
    )
    content = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert set(content["models"]) == {"good", "wrong"}
    for model in ("good", "wrong"):
        for metric in ("f0_js", "pga", "novelty", "c2st"):
            interval = content["models"][model][metric]
            values = result.scores[model][metric]
            assert interval["mean"] == pytest.approx(values.mean())
            half = stats.t.ppf(0.975, 2) * values.std(ddof=1) / math.sqrt(3)
            assert interval["high"] - interval["low"] == pytest.approx(2 * half)
    # Per-station metrics: Wilcoxon over the stations' repeat means.
    p = content["p_values"]["good vs wrong"]["pga"]
    station_means = [result.station_scores[m]["pga"].mean(axis=0) for m in ("good", "wrong")]
    assert p == pytest.approx(stats.wilcoxon(station_means[0] - station_means[1]).pvalue)
    assert result.station_scores["good"]["c2st"] is None
    assert "over 3 repeats" in result.tests["c2st"]
    # A repeat scores each model with the same seed: the score of repeat 0
    # is the scorer's own with that seed.
    seed = result.settings["seeds"][0]
    own = IntensityMeasureScorer(metric="pga", random_state=seed)(good, data.X, data.stations)
    assert result.scores["good"]["pga"][0] == pytest.approx(own)
    text = result.table()
    assert "good vs wrong" in text and "novelty" in text


def test_compare_interval_of_infinite_scores_is_their_range():
    # The published sampling of a station with no more records than it mixes
    # gives one record over and over: a spread of -inf in every repeat.
    from skgen.scoring._compare import _interval

    assert _interval([-np.inf, -np.inf, -np.inf]) == (-np.inf, -np.inf, -np.inf)
    assert _interval([-np.inf, -1.0, -0.5]) == (-np.inf, -np.inf, -0.5)
    mean, low, high = _interval([1.0, 2.0, 3.0])
    half = stats.t.ppf(0.975, 2) * 1.0 / math.sqrt(3)
    assert (mean, low, high) == pytest.approx((2.0, 2.0 - half, 2.0 + half))


def test_compare_of_a_model_with_itself_has_p_value_one(data):
    good = ResamplingGenerator().fit(data.X, data.stations)
    result = compare({"a": good, "b": good}, data.X, data.stations, scoring="pga", n_repeats=2)
    np.testing.assert_array_equal(result.scores["a"]["pga"], result.scores["b"]["pga"])
    assert result.p_values["a vs b"]["pga"] == 1.0


def test_compare_bad_input(data):
    good = ResamplingGenerator().fit(data.X, data.stations)
    with pytest.raises(ValueError, match="scoring must name metrics"):
        compare({"a": good}, data.X, data.stations, scoring=["nope"])
    with pytest.raises(ValueError, match="at least one model"):
        compare({}, data.X, data.stations)
    with pytest.raises(ValueError, match="n_repeats must be >= 1"):
        compare({"a": good}, data.X, data.stations, n_repeats=0)
    with pytest.raises(TypeError, match="must be a scorer"):
        compare({"a": good}, data.X, data.stations, scoring={"x": 3})


class CountingGenerator(ResamplingGenerator):
    """Counts the stations it generates for (class-wide, copies included)."""

    calls = []

    def _generate(self, entry, n_samples, rng):
        CountingGenerator.calls.append(n_samples)
        return super()._generate(entry, n_samples, rng)


def test_compare_generates_once_per_model_and_repeat(data):
    from skgen.scoring import HVSRAlignmentScorer

    generator = CountingGenerator().fit(data.X, data.stations)
    CountingGenerator.calls.clear()
    result = compare({"a": generator}, data.X, data.stations, scoring=["f0_js", "pga"], n_repeats=2)
    assert len(CountingGenerator.calls) == 2 * 3  # 2 repeats x 3 stations, both scorers
    # Sharing the generated records changes no number.
    for repeat, seed in enumerate(result.settings["seeds"]):
        hvsr = HVSRAlignmentScorer(metric="f0_js", random_state=seed)
        intensity = IntensityMeasureScorer(metric="pga", random_state=seed)
        assert result.scores["a"]["f0_js"][repeat] == pytest.approx(
            hvsr(generator, data.X, data.stations)
        )
        assert result.scores["a"]["pga"][repeat] == pytest.approx(
            intensity(generator, data.X, data.stations)
        )


def test_cached_real_measures_change_no_number(data, replay, monkeypatch):
    # With a cache, each real record is measured once for all models and
    # repeats; the scores and the report are those of an uncached run.
    from skgen.scoring import _intensity_scorer
    from skgen.scoring._log_measures import LOG_MEASURES
    from skgen.scoring._protocol import ProtocolCache

    scaled = ReplayGenerator(scale=2.0).fit(data.X, data.stations)
    scorer = IntensityMeasureScorer(random_state=3)
    metrics = ["pga", "psa", "spread", "c2st"]
    cache = ProtocolCache()
    for model in (replay, scaled):
        cached = scorer._scores(model, data.X, data.stations, metrics, cache=cache)[0]
        plain = scorer._scores(model, data.X, data.stations, metrics)[0]
        assert cached == pytest.approx(plain, rel=1e-6, nan_ok=True)
        report = scorer._report(model, data.X, data.stations, None, cache)
        expected = scorer.report(model, data.X, data.stations)
        assert report.metrics == pytest.approx(expected.metrics, rel=1e-6, nan_ok=True)
        assert report.ceiling == pytest.approx(expected.ceiling, rel=1e-6, nan_ok=True)

    calls = []
    measure = _intensity_scorer.log_intensity_measures

    def counting(records, *args):
        calls.append(len(records))
        return measure(records, *args)

    monkeypatch.setattr(_intensity_scorer, "log_intensity_measures", counting)
    cache = ProtocolCache()
    for model in (replay, scaled):
        scorer._scores(model, data.X, data.stations, metrics, cache=cache)
        scorer._report(model, data.X, data.stations, None, cache)
    # every measure once on the 18 real records, for both models and both
    # calls; the 9 generated records of each call measured each time
    assert sorted(set(calls)) == [9, 18]
    assert calls.count(len(data.X)) == len(LOG_MEASURES)
