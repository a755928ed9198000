"""Tests of the ground-motion-model yardsticks (skgen.scoring, through pygmm):
NGA-West2 medians, Baker-Jayaram correlations, Afshari-Stewart durations and
GroundMotionModelScorer."""

import math
import sys

import numpy as np
import pytest
from sklearn.base import clone

from skgen.datasets import make_strong_motion
from skgen.scoring import (
    ACCEPTANCE_BAND,
    GMM_METRICS,
    GMMS,
    GroundMotionModelScorer,
    afshari_stewart_duration,
    baker_jayaram_correlation,
    compare,
    get_scorer,
    get_scorer_class,
    gmm_spectrum,
)
from skgen.signal import G

pygmm = pytest.importorskip("pygmm")

PERIODS = np.array([0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 3.0])


def _pygmm_scenario(magnitude, distance, vs30):
    return pygmm.Scenario(
        mag=magnitude,
        dist_rup=distance,
        dist_jb=distance,
        dist_x=distance,
        v_s30=vs30,
        mechanism="SS",
        dip=90.0,
        depth_tor=0.0,
        region="california",
    )


@pytest.mark.parametrize("gmm", sorted(GMMS))
def test_gmm_spectrum_reproduces_pygmm_in_m_per_s2(gmm):
    model = getattr(pygmm, GMMS[gmm])(_pygmm_scenario(6.0, 20.0, 400.0))
    median, sigma = gmm_spectrum(6.0, 20.0, 400.0, model.periods[:-1], gmm=gmm)
    np.testing.assert_allclose(median, model.spec_accels[:-1] * 9.80665, rtol=1e-12)
    np.testing.assert_allclose(sigma, model.ln_stds[:-1], rtol=1e-12)
    median, _ = gmm_spectrum(6.0, 20.0, 400.0, PERIODS, gmm=gmm)
    np.testing.assert_allclose(median / G, model.interp_spec_accels(PERIODS), rtol=1e-12)


def test_gmm_spectrum_scales_the_way_models_do():
    near, _ = gmm_spectrum(6.0, 10.0, 400.0, PERIODS)
    far, _ = gmm_spectrum(6.0, 80.0, 400.0, PERIODS)
    large, _ = gmm_spectrum(7.0, 10.0, 400.0, PERIODS)
    assert np.all(far < near) and np.all(large > near)
    # PGA-like short-period PSA of an M6 at 10 km on soil: a few tenths of g.
    assert 0.1 * G < near[0] < 1.0 * G


def _baker_jayaram_by_hand(t1, t2):
    """Equations of Baker and Jayaram (2008), Earthquake Spectra 24(1)."""
    t_min, t_max = min(t1, t2), max(t1, t2)
    c1 = 1 - math.cos(math.pi / 2 - 0.366 * math.log(t_max / max(t_min, 0.109)))
    c2 = (
        1 - 0.105 * (1 - 1 / (1 + math.exp(100 * t_max - 5))) * (t_max - t_min) / (t_max - 0.0099)
        if t_max < 0.2
        else 0.0
    )
    c3 = c2 if t_max < 0.109 else c1
    c4 = c1 + 0.5 * (math.sqrt(c3) - c3) * (1 + math.cos(math.pi * t_min / 0.109))
    if t_max < 0.109:
        return c2
    if t_min > 0.109:
        return c1
    if t_max < 0.2:
        return min(c2, c4)
    return c4


def test_baker_jayaram_at_published_periods():
    periods = [0.05, 0.1, 0.15, 1.0, 2.0]
    correlation = baker_jayaram_correlation(periods)
    assert correlation.shape == (5, 5)
    np.testing.assert_allclose(np.diag(correlation), 1.0, atol=1e-12)
    np.testing.assert_allclose(correlation, correlation.T, atol=1e-12)
    for i, t1 in enumerate(periods):
        for j, t2 in enumerate(periods):
            assert correlation[i, j] == pytest.approx(_baker_jayaram_by_hand(t1, t2), abs=1e-9)
    # rho(0.1 s, 1 s) = 0.279 and rho(1 s, 2 s) = 0.749 by hand from the equations.
    assert correlation[1, 3] == pytest.approx(0.2790, abs=5e-4)
    assert correlation[3, 4] == pytest.approx(0.7488, abs=5e-4)


def test_afshari_stewart_reproduces_pygmm():
    model = pygmm.AfshariStewart2016(_pygmm_scenario(6.5, 30.0, 400.0))
    median, sigma = afshari_stewart_duration(6.5, 30.0, 400.0)
    np.testing.assert_allclose(median, [model.duration["D_5t75"], model.duration["D_5t95"]])
    np.testing.assert_allclose(sigma, [model.std_err["D_5t75"], model.std_err["D_5t95"]])
    assert median[1] > median[0] > 0
    assert afshari_stewart_duration(6.5, 90.0, 400.0)[0][1] > median[1]


def test_missing_pygmm_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pygmm", None)
    with pytest.raises(ImportError, match=r"skgen\[gmm\]"):
        gmm_spectrum(6.0, 20.0, 400.0, PERIODS)
    with pytest.raises(ImportError, match=r"skgen\[gmm\]"):
        baker_jayaram_correlation(PERIODS)


def test_gmm_functions_bad_input():
    with pytest.raises(ValueError, match="gmm must be one of"):
        gmm_spectrum(6.0, 20.0, 400.0, PERIODS, gmm="XYZ")
    with pytest.raises(ValueError, match="mechanism"):
        gmm_spectrum(6.0, 20.0, 400.0, PERIODS, mechanism="oblique")
    with pytest.raises(ValueError, match="distance"):
        gmm_spectrum(6.0, -5.0, 400.0, PERIODS)
    with pytest.raises(ValueError, match="finite"):
        gmm_spectrum(np.nan, 20.0, 400.0, PERIODS)
    with pytest.raises(TypeError, match="vs30"):
        gmm_spectrum(6.0, 20.0, "soft", PERIODS)
    with pytest.raises(ValueError, match="0.01-10 s"):
        gmm_spectrum(6.0, 20.0, 400.0, [0.1, 20.0])


class ScenarioOracle:
    """Test double: at a scenario it 'generates' the real record of that
    scenario times ``scale``, so every residual is the real one plus ln scale."""

    def __init__(self, X, magnitude, distance, scale=1.0, fs=100.0):
        self.X, self.magnitude, self.distance = X, magnitude, distance
        self.scale, self.fs = scale, fs

    def with_bank(self, X, stations, *, magnitude=None, distance=None):
        return self

    def sample(self, station, n_samples=1, random_state=None, *, magnitude=None, distance=None):
        row = np.flatnonzero((self.magnitude == magnitude) & (self.distance == distance))[0]
        return np.repeat(self.scale * self.X[row : row + 1].astype(np.float64), n_samples, axis=0)


@pytest.fixture(scope="module")
def data():
    return make_strong_motion(n_stations=2, records_per_station=8, n_times=3000, random_state=1)


@pytest.mark.parametrize("scale", [1.0, 1.3, 0.6])
def test_scorer_acceptance_on_scaled_real_records(data, scale):
    oracle = ScenarioOracle(data.X, data.magnitude, data.distance, scale=scale)
    scorer = GroundMotionModelScorer(vs30=400.0, random_state=0)
    report = scorer.report(
        oracle, data.X, data.stations, magnitude=data.magnitude, distance=data.distance
    )
    generated = report.generated_residuals[:, 0]
    np.testing.assert_allclose(generated, report.real_residuals + math.log(scale), atol=1e-5)
    ratio = report.real["median_ratio"] * scale
    low, high = ACCEPTANCE_BAND
    expected = np.mean((ratio >= low) & (ratio <= high))
    assert report.metrics["acceptance"] == pytest.approx(expected)
    np.testing.assert_allclose(report.generated["median_ratio"], ratio, rtol=1e-5)
    # Scaling moves neither the spread, the correlation nor the durations.
    np.testing.assert_allclose(
        report.generated["sigma_ratio"], report.real["sigma_ratio"], rtol=1e-4
    )
    for name in ("sigma", "correlation", "duration"):
        assert report.metrics[name] == pytest.approx(report.ceiling[name], abs=1e-4)
    if scale == 1.0:
        assert report.metrics == pytest.approx(report.ceiling, abs=1e-5)


def test_scorer_uses_pygmm_medians_at_each_scenario(data):
    oracle = ScenarioOracle(data.X, data.magnitude, data.distance)
    scorer = GroundMotionModelScorer(gmm="CY14", vs30={"A00": 300.0, "A01": 500.0}, random_state=0)
    report = scorer.report(
        oracle, data.X, data.stations, magnitude=data.magnitude, distance=data.distance
    )
    for k in (0, len(report.stations) - 1):
        vs30 = 300.0 if report.stations[k] == "A00" else 500.0
        assert report.vs30[k] == vs30
        model = pygmm.ChiouYoungs2014(
            _pygmm_scenario(float(report.magnitude[k]), float(report.distance[k]), vs30)
        )
        np.testing.assert_allclose(
            report.ln_median[k], np.log(model.interp_spec_accels(report.periods) * G), rtol=1e-12
        )
    np.testing.assert_allclose(report.baker_jayaram, baker_jayaram_correlation(report.periods))


def test_scorer_metrics_seeded_and_callable(data):
    oracle = ScenarioOracle(data.X, data.magnitude, data.distance, scale=1.2)
    kwargs = {"magnitude": data.magnitude, "distance": data.distance}
    for metric in GMM_METRICS:
        scorer = GroundMotionModelScorer(metric=metric, vs30=400.0, random_state=3)
        score = scorer(oracle, data.X, data.stations, **kwargs)
        assert score == scorer.report(oracle, data.X, data.stations, **kwargs).summary()[metric]
    summary = scorer.report(oracle, data.X, data.stations, **kwargs).summary()
    assert summary["gmm"] == "BSSA14" and summary["n_records"] == 8
    assert clone(scorer).get_params() == scorer.get_params()


def test_scorer_bad_input(data):
    oracle = ScenarioOracle(data.X, data.magnitude, data.distance)
    kwargs = {"magnitude": data.magnitude, "distance": data.distance}
    with pytest.raises(ValueError, match="magnitude and distance"):
        GroundMotionModelScorer()(oracle, data.X, data.stations)
    with pytest.raises(ValueError, match="metric must be one of"):
        GroundMotionModelScorer(metric="pga")(oracle, data.X, data.stations, **kwargs)
    with pytest.raises(ValueError, match="gmm must be one of"):
        GroundMotionModelScorer(gmm="NGA")(oracle, data.X, data.stations, **kwargs)
    with pytest.raises(ValueError, match="no value for station"):
        GroundMotionModelScorer(vs30={"A00": 300.0})(oracle, data.X, data.stations, **kwargs)
    with pytest.raises(TypeError, match="vs30"):
        GroundMotionModelScorer(vs30="rock")(oracle, data.X, data.stations, **kwargs)
    with pytest.raises(ValueError, match="3 samples"):
        GroundMotionModelScorer(periods=[0.01, 1.0])(oracle, data.X, data.stations, **kwargs)
    with pytest.raises(TypeError, match="station generator"):
        GroundMotionModelScorer()(object(), data.X, data.stations, **kwargs)


def test_gmm_plots_draw_what_the_report_measured(data):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skgen.plotting import plot_gmm_psa, plot_residual_correlation

    oracle = ScenarioOracle(data.X, data.magnitude, data.distance, scale=1.2)
    report = GroundMotionModelScorer(vs30=400.0, random_state=0).report(
        oracle, data.X, data.stations, magnitude=data.magnitude, distance=data.distance
    )
    fig = plot_gmm_psa(report, record=1)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    median = next(line for line in ax.lines if "median" in line.get_label())
    np.testing.assert_allclose(median.get_xdata(), report.periods)
    np.testing.assert_allclose(median.get_ydata(), np.exp(report.ln_median[1]))
    with pytest.raises(ValueError, match="record must be in"):
        plot_gmm_psa(report, record=99)
    plt.close(fig)
    fig = plot_residual_correlation(report)
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert len(panels) == 3
    np.testing.assert_allclose(
        panels[2].collections[0].get_array().reshape(len(report.periods), -1),
        report.baker_jayaram,
    )
    plt.close(fig)


def test_get_scorer_resolves_the_gmm_metrics_and_passes_scenarios(data):
    oracle = ScenarioOracle(data.X, data.magnitude, data.distance, scale=1.3)
    kwargs = {"magnitude": data.magnitude, "distance": data.distance}
    for name in GMM_METRICS:
        assert get_scorer_class(name) is GroundMotionModelScorer
    scorer = get_scorer("gmm_median", vs30=400.0, random_state=0)
    report = scorer.report(oracle, data.X, data.stations, **kwargs)
    # Every residual is the real one plus ln 1.3 (the oracle), so the metric
    # is minus the RMS over periods of the shifted real bias.
    bias = report.real_residuals.mean(axis=0) + math.log(1.3)
    expected = -math.sqrt(np.mean(bias**2))
    assert scorer(oracle, data.X, data.stations, **kwargs) == pytest.approx(expected, rel=1e-5)
    with pytest.raises(TypeError, match=r"no argument\(s\) 'vs30'.*magnitude, distance"):
        scorer(oracle, data.X, data.stations, vs30=400.0, **kwargs)


def test_compare_without_scenarios_names_them(data):
    oracle = ScenarioOracle(data.X, data.magnitude, data.distance)
    with pytest.raises(ValueError, match=r"magnitude=\.\.\., distance=\.\.\.\); compare\(\)"):
        compare({"oracle": oracle}, data.X, data.stations, scoring="gmm_acceptance", n_repeats=1)
