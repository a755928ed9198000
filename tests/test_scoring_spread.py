"""Tests of the within-station spread metric of IntensityMeasureScorer
against hand-computed standard deviations (skgen.scoring.spread_log_ratios)."""

import math

import numpy as np
import pytest

from skgen._base import BaseStationGenerator
from skgen.datasets import make_strong_motion
from skgen.scoring import (
    DEFAULT_PERIODS,
    SPREAD_MEASURES,
    IntensityMeasureScorer,
    spread_log_ratios,
)
from skgen.signal import horizontal_geometric_mean, response_spectrum, significant_duration

FS = 100.0


class ScaledReplayGenerator(BaseStationGenerator):
    """Test double: the i-th record 'generated' for a station is its i-th pool
    record times ``exp(growth * i)``, so its ln PGA and ln PSA are the
    pool's plus ``growth * i`` and its D5-95 is the pool's."""

    _torch_attributes = ()

    def __init__(self, growth=0.0, fs=FS, device="cpu", random_state=None):
        self.growth = growth
        self.fs = fs
        self.device = device
        self.random_state = random_state

    def _train(self, X, stations, rng, checkpoint=None):
        return {}

    def _encode_records(self, X, stations):
        return {"records": X}

    def _generate(self, entry, n_samples, rng):
        pool = entry["records"]
        index = np.arange(n_samples)
        scale = np.exp(self.growth * index)[:, np.newaxis, np.newaxis]
        return pool[index % len(pool)].astype(float) * scale


def hand_std(values):
    values = np.asarray(values, dtype=float)
    mean = values.sum(axis=0) / len(values)
    return np.sqrt(((values - mean) ** 2).sum(axis=0) / (len(values) - 1))


@pytest.fixture(scope="module")
def data():
    return make_strong_motion(n_stations=3, records_per_station=6, n_times=2000, random_state=0)


def test_spread_log_ratios_by_hand():
    # real ln values 0, 1, 2 (sigma 1); generated 0, 0.5, 1 (sigma 0.5)
    real = {
        "psa": np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 4.0]]),
        "pga": np.array([[0.0], [1.0], [2.0]]),
    }
    real["duration"] = np.array([[1.0], [2.0], [3.0]])
    generated = {
        "psa": np.array([[0.0, 0.0], [0.5, 2.0], [1.0, 4.0]]),  # sigma 0.5 and 2 (same)
        "pga": np.array([[0.0], [0.5], [1.0]]),
        "duration": np.array([[1.0], [3.0], [5.0]]),  # sigma 2 against 1
    }
    ratios = spread_log_ratios(generated, real, np.array([True, True]))
    assert ratios["psa"] == pytest.approx(0.5 * (math.log(0.5) + 0.0))
    assert ratios["pga"] == pytest.approx(math.log(0.5))
    assert ratios["duration"] == pytest.approx(math.log(2.0))
    assert ratios["all"] == pytest.approx((0.5 * math.log(0.5) + math.log(0.5) + math.log(2.0)) / 3)
    # only the first period in range
    assert spread_log_ratios(generated, real, np.array([True, False]))["psa"] == pytest.approx(
        math.log(0.5)
    )
    # no PSA period in range: PSA is left out of the mean
    without = spread_log_ratios(generated, real, np.array([False, False]))
    assert "psa" not in without
    assert without["all"] == pytest.approx(0.5 * (math.log(0.5) + math.log(2.0)))
    # no generated spread: -inf; a single record or no real spread: NaN
    flat = {m: np.zeros_like(v) for m, v in generated.items()}
    assert spread_log_ratios(flat, real, np.array([True, True]))["all"] == -math.inf
    assert math.isnan(spread_log_ratios(generated, flat, np.array([True, True]))["pga"])
    single = {m: v[:1] for m, v in generated.items()}
    assert math.isnan(spread_log_ratios(single, real, np.array([True, True]))["all"])


def expected_spread(X, stations, growth):
    """The spread metric by hand: reference_split=None, so each station's
    held-out records are all its records, in order, and the generated ones
    are them times exp(growth * i)."""
    periods = DEFAULT_PERIODS[(DEFAULT_PERIODS >= 0.05) & (DEFAULT_PERIODS <= 2.0)]
    per_station = []
    for label in dict.fromkeys(stations):
        real = X[np.asarray(stations) == label].astype(float)
        generated = real * np.exp(growth * np.arange(len(real)))[:, np.newaxis, np.newaxis]
        ratios = []
        for records in (generated, real):
            ln_pga = np.log(horizontal_geometric_mean(np.max(np.abs(records), axis=-1), axis=1))
            ln_psa = np.log(
                horizontal_geometric_mean(response_spectrum(records, FS, periods), axis=1)
            )
            ln_duration = np.log(
                horizontal_geometric_mean(significant_duration(records, FS), axis=1)
            )
            ratios.append((hand_std(ln_psa), hand_std(ln_pga), hand_std(ln_duration)))
        (psa_g, pga_g, dur_g), (psa_r, pga_r, dur_r) = ratios
        log_ratios = [np.mean(np.log(psa_g / psa_r)), np.log(pga_g / pga_r), np.log(dur_g / dur_r)]
        per_station.append(np.mean(log_ratios))
    return per_station


@pytest.mark.parametrize("growth", [0.0, 0.3])
def test_spread_metric_equals_hand_computed_standard_deviations(data, growth):
    generator = ScaledReplayGenerator(growth=growth).fit(data.X, data.stations)
    scorer = IntensityMeasureScorer(metric="spread", reference_split=None, random_state=0)
    per_station = expected_spread(data.X, data.stations, growth)
    if growth == 0.0:
        # a replay has exactly the real spread
        np.testing.assert_allclose(per_station, 0.0, atol=1e-9)
    else:
        # amplitudes changed record by record: PSA and PGA spread moved
        assert all(abs(value) > 0.01 for value in per_station)
    score = scorer(generator, data.X, data.stations)
    assert score == pytest.approx(-abs(np.mean(per_station)), abs=1e-5)
    report = scorer.report(generator, data.X, data.stations)
    assert report.metrics["spread"] == pytest.approx(score, abs=1e-6)
    np.testing.assert_allclose(report.table["spread_ratio"], np.exp(per_station), rtol=1e-5)
    np.testing.assert_allclose(report.table["duration_spread_ratio"], 1.0, rtol=1e-5)
    assert report.spread["all"] == pytest.approx(np.exp(np.mean(per_station)), rel=1e-5)
    # the ceiling compares two random halves of real records: finite, <= 0
    assert -2.0 < report.ceiling["spread"] <= 0.0
    assert set(report.spread) == set(report.spread_ceiling) == {*SPREAD_MEASURES, "all"}
    assert "spread ratio" in report.summary()


def test_spread_per_station_scores_in_compare(data):
    from skgen.scoring import compare

    narrow = ScaledReplayGenerator(growth=0.0).fit(data.X, data.stations)
    # ln IM offsets 0, 2, 4 over three records: several times any station's
    # own spread, whichever records the split puts in the pool.
    wide = ScaledReplayGenerator(growth=2.0).fit(data.X, data.stations)
    result = compare({"replay": narrow, "wide": wide}, data.X, data.stations, "spread", n_repeats=2)
    assert result.station_scores["replay"]["spread"].shape == (2, 3)
    assert result.scores["replay"]["spread"].mean() > result.scores["wide"]["spread"].mean()
