"""Tests of Anderson's (2004) goodness of fit and its scorer (skgen.scoring)."""

import math

import numpy as np
import pytest
from sklearn.base import clone

from skgen._base import BaseStationGenerator
from skgen.datasets import make_strong_motion
from skgen.scoring import (
    ANDERSON_BANDS,
    GOF_CRITERIA,
    GoodnessOfFitScorer,
    anderson_gof,
    anderson_score,
    compare,
    get_scorer,
    get_scorer_class,
    gof_class,
)

FS = 100.0
LINEAR = ("pga", "pgv", "pgd", "response_spectrum", "fourier_spectrum")
QUADRATIC = ("arias_intensity", "energy_integral")
SHAPE = ("arias_duration", "energy_duration", "cross_correlation")


@pytest.fixture(scope="module")
def data():
    return make_strong_motion(n_stations=2, records_per_station=4, n_times=3000, random_state=0)


def column(name):
    return GOF_CRITERIA.index(name)


def test_anderson_score_hand_values():
    assert anderson_score(2.0, 1.0) == pytest.approx(10 * math.exp(-1))
    assert anderson_score(1.0, 3.0) == pytest.approx(10 * math.exp(-4))
    assert anderson_score(5.0, 5.0) == 10.0
    assert anderson_score(0.0, 0.0) == 10.0
    assert anderson_score(0.0, 1.0) == 0.0
    assert np.isnan(anderson_score(np.nan, 1.0))
    values = np.array([0.3, 1.0, 7.0])
    np.testing.assert_array_equal(anderson_score(values, 1.0), anderson_score(1.0, values))


@pytest.mark.parametrize(
    ("score", "name"),
    [(9.0, "excellent"), (8.0, "good"), (6.0, "good"), (5.9, "fair"), (4.0, "fair"), (3.9, "poor")],
)
def test_gof_class_boundaries(score, name):
    assert gof_class(score) == name


def test_record_against_itself_scores_ten(data):
    gof = anderson_gof(data.X[:2], data.X[:2], data.fs)
    assert gof.criteria.shape == (2, len(ANDERSON_BANDS), 10)
    np.testing.assert_allclose(gof.criteria, 10.0, atol=1e-9)
    assert gof.score == pytest.approx(10.0)
    assert set(gof.table()["class"]) == {"excellent"}


@pytest.mark.parametrize("c", [1.3, 2.0])
def test_scaled_copy_scores_known_values(data, c):
    record = data.X[0].astype(np.float64)
    gof = anderson_gof(c * record, record, data.fs)
    assert gof.criteria.shape == (len(ANDERSON_BANDS), 10)
    for name in LINEAR:
        np.testing.assert_allclose(
            gof.criteria[:, column(name)], 10 * math.exp(-((c - 1) ** 2)), rtol=1e-6
        )
    for name in QUADRATIC:
        np.testing.assert_allclose(
            gof.criteria[:, column(name)], 10 * math.exp(-((c**2 - 1) ** 2)), rtol=1e-6
        )
    for name in SHAPE:
        np.testing.assert_allclose(gof.criteria[:, column(name)], 10.0, atol=1e-6)


def test_gof_is_symmetric_and_sign_flip_kills_the_correlation(data):
    a, b = data.X[0], data.X[5]
    np.testing.assert_allclose(
        anderson_gof(a, b, data.fs).criteria, anderson_gof(b, a, data.fs).criteria, rtol=1e-12
    )
    flipped = anderson_gof(a, -a, data.fs).criteria
    np.testing.assert_allclose(flipped[:, column("cross_correlation")], 0.0, atol=1e-9)
    others = [column(name) for name in GOF_CRITERIA if name != "cross_correlation"]
    np.testing.assert_allclose(flipped[:, others], 10.0, atol=1e-6)


def test_records_of_other_events_score_below_a_copy(data):
    gof = anderson_gof(data.X[:4], data.X[4:], data.fs)
    assert gof.score < 8.0
    assert np.all(gof.total <= 10.0) and np.all(gof.total >= 0.0)


def test_default_bands_stay_below_nyquist(data):
    gof = anderson_gof(data.X[0], data.X[1], 30.0)
    np.testing.assert_array_equal(gof.bands, [b for b in ANDERSON_BANDS if b[1] < 15.0])
    gof = anderson_gof(data.X[0], data.X[1], data.fs, bands=[(1.0, 2.0)])
    assert gof.criteria.shape == (1, 10)
    assert gof.table()["band"] == ["1-2 Hz"]


def test_anderson_gof_bad_input(data):
    with pytest.raises(ValueError, match="same shape"):
        anderson_gof(data.X[:2], data.X[:3], FS)
    with pytest.raises(ValueError, match="3 channels"):
        anderson_gof(data.X[:2, :2], data.X[:2, :2], FS)
    bad = data.X[:2].copy()
    bad[0, 0, 10] = np.nan
    with pytest.raises(ValueError, match="finite|NaN"):
        anderson_gof(bad, data.X[:2], FS)
    with pytest.raises(ValueError, match="Nyquist"):
        anderson_gof(data.X[0], data.X[1], FS, bands=[(10.0, 60.0)])
    with pytest.raises(ValueError, match="0 < low < high"):
        anderson_gof(data.X[0], data.X[1], FS, bands=[(2.0, 1.0)])
    with pytest.raises(ValueError, match="at least 64"):
        anderson_gof(data.X[0, :, :32], data.X[1, :, :32], FS)
    with pytest.raises(TypeError):
        anderson_gof("records", data.X[1], FS)


def test_anderson_gof_leaves_input_untouched(data):
    a, b = data.X[0].copy(), data.X[1].copy()
    anderson_gof(a, b, data.fs)
    np.testing.assert_array_equal(a, data.X[0])
    np.testing.assert_array_equal(b, data.X[1])


class ScaledReplay(BaseStationGenerator):
    """Test double: 'generates' the station's pool records times ``scale``."""

    _torch_attributes = ()

    def __init__(self, scale=1.0, fs=FS, device="cpu", random_state=None):
        self.scale = scale
        self.fs = fs
        self.device = device
        self.random_state = random_state

    def _train(self, X, stations, rng, checkpoint=None):
        return {}

    def _encode_records(self, X, stations):
        return {"records": X}

    def _generate(self, entry, n_samples, rng):
        pool = entry["records"]
        return self.scale * pool[rng.randint(len(pool), size=n_samples)]


@pytest.fixture(scope="module")
def fitted(data):
    return ScaledReplay(fs=data.fs).fit(data.X, data.stations)


def test_scorer_is_seeded_and_equals_its_report(data, fitted):
    scorer = GoodnessOfFitScorer(bands=[(0.5, 1.0), (1.0, 5.0)], random_state=0)
    score = scorer(fitted, data.X, data.stations)
    assert score == scorer(fitted, data.X, data.stations)
    report = scorer.report(fitted, data.X, data.stations)
    assert report.score == score
    summary = report.summary()
    assert summary["gof"] == score
    assert set(summary["generated"]) == set(GOF_CRITERIA)
    # 2 held-out records per station, each paired with 2 generated and 2 pool ones.
    assert report.generated.criteria.shape == (2 * 2 * 2, 2, 10)
    assert report.ceiling.criteria.shape == (2 * 2 * 2, 2, 10)
    assert clone(scorer).get_params() == scorer.get_params()


def test_scorer_ranks_an_amplitude_error_below_a_faithful_replay(data, fitted):
    scorer = GoodnessOfFitScorer(bands=[(1.0, 5.0)], random_state=0)
    faithful = scorer(fitted, data.X, data.stations)
    wrong = scorer(
        clone(fitted).set_params(scale=5.0).fit(data.X, data.stations), data.X, data.stations
    )
    assert wrong < faithful - 1.0
    # Replaying pool records, the generated records are real records of the
    # station: the score is the ceiling's up to the draw.
    report = scorer.report(fitted, data.X, data.stations)
    assert report.score == pytest.approx(np.nanmean(report.by_station["ceiling"]), abs=1.5)


def test_scorer_bad_input(data, fitted):
    with pytest.raises(TypeError, match="station generator"):
        GoodnessOfFitScorer()(object(), data.X, data.stations)
    with pytest.raises(ValueError, match="reference_split"):
        GoodnessOfFitScorer(reference_split=1.5)(fitted, data.X, data.stations)
    with pytest.raises(ValueError, match="Nyquist"):
        GoodnessOfFitScorer(bands=[(10.0, 80.0)])(fitted, data.X, data.stations)


def test_plot_gof_bands_shows_the_report_table(data, fitted):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skgen.plotting import plot_gof_bands

    report = GoodnessOfFitScorer(bands=[(0.5, 1.0), (1.0, 5.0)], random_state=0).report(
        fitted, data.X, data.stations
    )
    fig = plot_gof_bands(report)
    image = fig.axes[0].images[0].get_array()
    table = report.generated.table()
    assert image.shape == (11, 2)
    np.testing.assert_allclose(image[column("pga")], table["pga"])
    np.testing.assert_allclose(image[-1], table["total"])
    plt.close(fig)


def test_get_scorer_resolves_gof_to_this_scorer():
    assert get_scorer_class("gof") is GoodnessOfFitScorer
    scorer = get_scorer("gof", bands=[(1.0, 5.0)], random_state=2)
    assert isinstance(scorer, GoodnessOfFitScorer)
    assert (scorer.metric, scorer.bands, scorer.random_state) == ("gof", [(1.0, 5.0)], 2)
    with pytest.raises(ValueError, match="metric must be one of 'gof'; got 'psa'"):
        GoodnessOfFitScorer(metric="psa")(object(), None, None)


def test_report_metrics_and_regions_follow_the_base(data, fitted):
    scorer = GoodnessOfFitScorer(bands=[(1.0, 5.0)], random_state=0)
    regions = np.where(data.stations == data.stations[0], "north", "south")
    report = scorer.report(fitted, data.X, data.stations, regions=regions)
    assert report.metrics == {"gof": scorer(fitted, data.X, data.stations)}
    assert report.regions == {data.stations[0]: "north", data.stations[-1]: "south"}
    with pytest.raises(ValueError, match="several regions"):
        scorer.report(fitted, data.X, data.stations, regions=np.arange(len(data.X)))


def test_compare_scores_gof_per_station_with_each_repeat_seed(data, fitted):
    wrong = clone(fitted).set_params(scale=5.0).fit(data.X, data.stations)
    result = compare(
        {"replay": fitted, "scaled": wrong},
        data.X,
        data.stations,
        scoring="gof",
        n_repeats=2,
        random_state=0,
    )
    assert result.metrics == ["gof"]
    for model, estimator in (("replay", fitted), ("scaled", wrong)):
        for repeat, seed in enumerate(result.settings["seeds"]):
            expected = GoodnessOfFitScorer(random_state=seed)(estimator, data.X, data.stations)
            assert result.scores[model]["gof"][repeat] == pytest.approx(expected, abs=1e-9)
        assert result.station_scores[model]["gof"].shape == (2, 2)
        assert np.allclose(
            result.station_scores[model]["gof"].mean(axis=1), result.scores[model]["gof"]
        )
    assert np.all(result.scores["scaled"]["gof"] < result.scores["replay"]["gof"])
    assert "over 2 stations" in result.tests["gof"]
