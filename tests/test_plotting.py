"""Figures: each returns a Figure with the expected axes and content."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from conftest import ResamplingGenerator  # noqa: E402

from skgen import plotting  # noqa: E402
from skgen.datasets import make_strong_motion  # noqa: E402
from skgen.scoring import HVSRAlignmentScorer, f0_alignment_score  # noqa: E402
from skgen.signal import hvsr, peak_frequency, pga  # noqa: E402


@pytest.fixture(scope="module")
def report_and_data():
    data = make_strong_motion(n_stations=3, records_per_station=6, n_times=2000, random_state=0)
    gen = ResamplingGenerator().fit(data.X, data.stations)
    report = HVSRAlignmentScorer(highpass=0.5).report(gen, data.X, data.stations)
    return report, data


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_hvsr_from_arrays():
    rng = np.random.default_rng(0)
    centers = np.geomspace(1, 20, 50)
    real, generated = rng.uniform(1, 3, (2, 8, 50))
    fig = plotting.plot_hvsr(centers, real, generated, station="S1")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    medians = [line.get_ydata() for line in ax.get_lines()]
    np.testing.assert_allclose(medians[0], np.median(real, axis=0))
    np.testing.assert_allclose(medians[1], np.median(generated, axis=0))
    assert "S1" in ax.get_title()


def test_plot_hvsr_and_f0_from_report(report_and_data):
    report, data = report_and_data
    station = report.stations[1]
    fig = plotting.plot_hvsr(report, station=station)
    median = fig.axes[0].get_lines()[0].get_ydata()
    np.testing.assert_allclose(median, np.median(report.real_hvsr[1], axis=0), rtol=1e-6)
    fig = plotting.plot_f0_histograms(report, station=station)
    assert len(fig.axes[0].patches) == 2 * 20
    with pytest.raises(ValueError, match="'nope' is not in the report"):
        plotting.plot_hvsr(report, station="nope")
    with pytest.raises(ValueError, match="station is required"):
        plotting.plot_pga_f0(report)


def test_plot_f0_confusion_heatmap(report_and_data):
    report, _ = report_and_data
    fig = plotting.plot_f0_confusion(report)
    image = fig.axes[0].get_images()[0].get_array()
    assert image.shape == (6, 6)
    score = f0_alignment_score(report.real_f0, report.generated_f0)
    assert f"{score:.3f}" in fig.axes[0].get_title()


def test_plot_waveforms_and_pga_f0():
    data = make_strong_motion(n_stations=1, records_per_station=2, n_times=1000, random_state=1)
    fig = plotting.plot_waveforms(data.X[0], data.X[1], data.fs, station="A00")
    assert len(fig.axes) == 6
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), data.X[0, 0])
    assert fig.axes[1].get_xscale() == "log"
    centers, curves = hvsr(data.X, data.fs, highpass=0.5)
    f0, _ = peak_frequency(centers, curves)
    fig = plotting.plot_pga_f0(pga(data.X), f0, pga(data.X), f0)
    offsets = fig.axes[0].collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 1], pga(data.X))
