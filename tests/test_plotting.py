"""Figures: each returns a Figure with the expected axes and content."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from _testing import ResamplingGenerator  # noqa: E402

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
    np.testing.assert_array_equal(image, report.f0_confusion)
    assert f"{report.metrics['alignment']:.3f}" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="bins cannot be given with a report"):
        plotting.plot_f0_confusion(report, bins=np.linspace(1, 20, 11))


def test_plots_of_a_report_use_its_band():
    """With a non-default band, the figure prints the report's alignment,
    not one recomputed on the published 1-20 Hz bins."""
    data = make_strong_motion(n_stations=4, records_per_station=6, n_times=2000, random_state=3)
    gen = ResamplingGenerator(shuffle_stations=True).fit(data.X, data.stations)
    report = HVSRAlignmentScorer(band=(2.0, 15.0), highpass=0.5).report(gen, data.X, data.stations)
    on_default_bins = f0_alignment_score(report.real_f0, report.generated_f0)
    on_report_bins = f0_alignment_score(
        report.real_f0, report.generated_f0, bins=np.linspace(2.0, 15.0, 21)
    )
    assert f"{on_default_bins:.3f}" != f"{on_report_bins:.3f}"  # the case that used to fail
    np.testing.assert_allclose(report.metrics["alignment"], on_report_bins)
    title = plotting.plot_f0_confusion(report).axes[0].get_title()
    assert f"{report.metrics['alignment']:.3f}" in title
    assert f"{on_default_bins:.3f}" not in title
    ax = plotting.plot_f0_histograms(report, station=report.stations[0]).axes[0]
    edges = sorted({round(patch.get_x(), 9) for patch in ax.patches})
    np.testing.assert_allclose(edges, np.linspace(2.0, 15.0, 21)[:-1])


def test_plot_f0_confusion_from_arrays_without_station_labels():
    real = [[2.0, 2.1, 2.2], [9.0, 9.5, 10.0]]
    generated = [[2.0, 2.3], [9.2, 12.0]]
    fig = plotting.plot_f0_confusion(real, generated)
    labels = [tick.get_text() for tick in fig.axes[0].get_xticklabels()]
    assert labels == ["R 1", "G 1", "R 2", "G 2"]
    assert f"{f0_alignment_score(real, generated):.3f}" in fig.axes[0].get_title()
    fig = plotting.plot_f0_confusion(real, generated, ["a", "b"], bins=np.linspace(1, 13, 7))
    score = f0_alignment_score(real, generated, bins=np.linspace(1, 13, 7))
    assert f"{score:.3f}" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="stations has 3 labels for 2 stations"):
        plotting.plot_f0_confusion(real, generated, ["a", "b", "c"])


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


@pytest.fixture(scope="module")
def intensity_report():
    from skgen.scoring import IntensityMeasureScorer

    data = make_strong_motion(n_stations=3, records_per_station=6, n_times=2000, random_state=0)
    gen = ResamplingGenerator().fit(data.X, data.stations)
    return IntensityMeasureScorer(random_state=0).report(gen, data.X, data.stations)


def test_plot_response_spectra_shows_the_reports_spectra(intensity_report):
    report = intensity_report
    fig = plotting.plot_response_spectra(report)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 3
    ax = visible[1]
    real, generated = (line.get_ydata() for line in ax.get_lines())
    np.testing.assert_allclose(ax.get_lines()[0].get_xdata(), report.periods)
    np.testing.assert_allclose(real, np.median(report.real_psa[1], axis=0))
    np.testing.assert_allclose(generated, np.median(report.generated_psa[1], axis=0))
    assert f"{report.table['psa_distortion'][1]:+.2f}" in ax.get_title()
    fig = plotting.plot_response_spectra(report, stations=[report.stations[2]])
    assert report.stations[2] in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="'nope' is not in the report"):
        plotting.plot_response_spectra(report, stations=["nope"])


def test_plot_durations_and_novelty(intensity_report):
    report = intensity_report
    ax = plotting.plot_durations(report).axes[0]
    real_points = ax.collections[0].get_offsets()
    np.testing.assert_allclose(real_points[:, 1], report.real_duration[0])
    ax = plotting.plot_novelty(report).axes[0]
    generated_points = ax.collections[1].get_offsets()
    np.testing.assert_allclose(generated_points[:, 1], report.generated_novelty[0])
    assert f"{report.metrics['novelty']:.3f}" in ax.get_title()
    assert f"{report.ceiling['novelty']:.3f}" in ax.get_title()
