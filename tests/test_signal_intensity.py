"""Intensity measures of skgen.signal against closed forms, scipy and obspy references."""

from pathlib import Path

import numpy as np
import obspy
import pytest
import scipy.fft
import scipy.integrate
import scipy.optimize
import scipy.signal
from obspy.signal.konnoohmachismoothing import konno_ohmachi_smoothing

from skgen.signal import (
    G,
    arias_intensity,
    fourier_amplitude,
    horizontal_geometric_mean,
    husid,
    husid_times,
    pgv,
    significant_duration,
)

FS = 100.0
DATA = Path(__file__).parent / "data"


def _napa_record():
    """CE.68150 (South Napa 2014), E, N, U in m/s^2, resampled from 200 to 100 Hz."""
    stream = obspy.read(str(DATA / "CE.68150.mseed"))
    traces = [stream.select(channel=f"HN{c}")[0].data.astype(np.float64) for c in "ENZ"]
    n_times = min(len(trace) for trace in traces)
    record = np.stack([trace[:n_times] for trace in traces])
    return scipy.signal.resample_poly(record, 1, 2, axis=-1)


def _sinusoid(amplitude=1.5, frequency=2.0, duration=20.0):
    """A sinusoid over whole cycles, ending on a zero sample."""
    t = np.arange(int(round(duration * FS)) + 1) / FS
    return t, amplitude * np.sin(2 * np.pi * frequency * t)


def _sinusoid_husid(t, frequency, duration):
    """Closed form of the normalised Husid curve of sin(2 pi f t) on [0, duration]."""
    energy = t / 2 - np.sin(4 * np.pi * frequency * t) / (8 * np.pi * frequency)
    return energy / (duration / 2)


# ---------------------------------------------------------------- Arias, Husid, duration


def test_g_is_standard_gravity():
    assert G == 9.80665


def test_arias_sinusoid_closed_form():
    t, a = _sinusoid(amplitude=1.5, frequency=2.0, duration=20.0)
    # integral of A^2 sin^2 over whole cycles = A^2 D / 2.
    expected = np.pi / (2 * 9.80665) * 1.5**2 * 20.0 / 2
    assert float(arias_intensity(a, FS)) == pytest.approx(expected, rel=1e-9)


def test_arias_batch_shape_and_per_trace_values():
    X = np.random.default_rng(0).standard_normal((4, 3, 500))
    before = X.copy()
    arias = arias_intensity(X, FS)
    assert arias.shape == (4, 3)
    np.testing.assert_array_equal(X, before)
    reference = np.pi / (2 * G) * scipy.integrate.trapezoid(X[2, 1] ** 2, dx=1 / FS)
    assert arias[2, 1] == pytest.approx(reference, rel=1e-12)
    np.testing.assert_allclose(arias_intensity(X.astype(np.float32), FS), arias, rtol=1e-5)


def test_husid_sinusoid_closed_form():
    t, a = _sinusoid(amplitude=0.7, frequency=1.3, duration=10.0)
    curve = husid(a, FS)
    assert curve.shape == a.shape
    assert curve[0] == 0.0 and curve[-1] == pytest.approx(1.0)
    assert np.all(np.diff(curve) >= 0)
    # Trapezoid rule against the exact integral: error O(dt^2).
    np.testing.assert_allclose(curve, _sinusoid_husid(t, 1.3, t[-1]), atol=2e-4)


def test_husid_zero_energy_trace_is_nan_and_others_unaffected():
    X = np.random.default_rng(1).standard_normal((2, 3, 200))
    X[1, 2] = 0.0
    curves = husid(X, FS)
    assert np.all(np.isnan(curves[1, 2]))
    assert np.all(np.isfinite(curves[[0, 1, 1], [2, 0, 1]]))
    assert np.isnan(significant_duration(X, FS)[1, 2])
    assert np.all(np.isnan(husid_times(X, FS, [0.1, 0.5])[1, 2]))
    assert arias_intensity(X, FS)[1, 2] == 0.0


@pytest.mark.parametrize("interval", [(0.05, 0.95), (0.05, 0.75), (0.2, 0.8)])
def test_significant_duration_sinusoid_closed_form(interval):
    frequency, duration = 0.7, 30.0
    t, a = _sinusoid(amplitude=2.0, frequency=frequency, duration=duration)
    duration = t[-1]

    def time_at(level):
        return scipy.optimize.brentq(
            lambda x: _sinusoid_husid(x, frequency, duration) - level, 0.0, duration
        )

    expected = time_at(interval[1]) - time_at(interval[0])
    assert float(significant_duration(a, FS, interval)) == pytest.approx(expected, abs=2e-3)


def test_husid_times_hand_values_and_interpolation():
    # a^2 = [0, 1, 1, 0]: trapezoid cumulative [0, 0.5, 1.5, 2] / 2.
    a = np.array([0.0, 1.0, -1.0, 0.0])
    np.testing.assert_allclose(husid(a, 2.0), [0.0, 0.25, 0.75, 1.0])
    # Level 0.5 lies halfway between samples 1 and 2: 1.5 samples = 0.75 s at 2 Hz.
    np.testing.assert_allclose(husid_times(a, 2.0, [0.0, 0.25, 0.5, 1.0]), [0.0, 0.5, 0.75, 1.5])


def test_husid_times_batch_matches_single_traces_and_duration():
    X = np.random.default_rng(2).standard_normal((3, 3, 400)) * np.linspace(0, 1, 400) ** 2
    levels = [0.05, 0.5, 0.95]
    times = husid_times(X, FS, levels)
    assert times.shape == (3, 3, 3)
    np.testing.assert_allclose(times[1, 2], husid_times(X[1, 2], FS, levels))
    np.testing.assert_allclose(significant_duration(X, FS), times[..., 2] - times[..., 0])
    assert np.all(np.diff(times, axis=-1) > 0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda X: husid_times(X, FS, [0.5, 1.2]), r"levels must lie in \[0, 1\]"),
        (lambda X: husid_times(X, FS, [[0.5]]), "levels must be a non-empty 1-D array"),
        (lambda X: husid_times(X, FS, [np.nan]), "levels must be finite"),
        (lambda X: significant_duration(X, FS, (0.95, 0.05)), "start < end"),
        (lambda X: significant_duration(X, FS, (0.05, 0.5, 0.95)), "start < end"),
        (lambda X: arias_intensity(X[..., :1], FS), "at least 2 samples"),
        (lambda X: husid(X, 0.0), "fs must be positive"),
        (lambda X: arias_intensity(np.where(X > 1, np.nan, X), FS), "X must be finite"),
        (lambda X: pgv(X, FS, highpass=None), "pgv needs a high-pass"),
        (lambda X: pgv(X, FS, highpass=80.0), "below the Nyquist"),
        (lambda X: fourier_amplitude(X, FS, centers=[1.0, 60.0]), "outside Nyquist"),
        (lambda X: fourier_amplitude(X, FS, bandwidth=0), "bandwidth must be positive"),
    ],
)
def test_intensity_measure_errors(call, match):
    X = np.random.default_rng(3).standard_normal((2, 3, 300))
    with pytest.raises(ValueError, match=match):
        call(X)


def test_intensity_measure_type_errors():
    with pytest.raises(TypeError, match="X must be a real numeric array"):
        arias_intensity(np.array(["a", "b"]), FS)
    with pytest.raises(TypeError, match="fs must be a real number"):
        significant_duration(np.ones(10), "100")


# ---------------------------------------------------------------- Fourier amplitude


def test_fourier_amplitude_matches_obspy_on_the_fft_grid():
    X = np.random.default_rng(4).standard_normal((2, 3, 512))
    freqs = scipy.fft.rfftfreq(512, 1 / FS)
    centers = freqs[5:200]
    _, ours = fourier_amplitude(X, FS, centers=centers, bandwidth=30.0)
    assert ours.shape == (2, 3, centers.size)
    spectrum = np.abs(np.fft.rfft(X[1, 2])) / FS
    reference = konno_ohmachi_smoothing(spectrum, freqs, bandwidth=30.0, normalize=True)
    np.testing.assert_allclose(ours[1, 2], reference[5:200], rtol=1e-6)


def test_fourier_amplitude_sinusoid_line():
    # A bin-centred sinusoid: |FFT| dt = A D / 2 at its frequency; a very
    # narrow window (b = 4000) leaves the line's value.
    t = np.arange(2000) / FS
    _, fas = fourier_amplitude(3.0 * np.sin(2 * np.pi * 5.0 * t), FS, [5.0], bandwidth=4000.0)
    assert float(fas[0]) == pytest.approx(3.0 * 20.0 / 2, rel=1e-3)


def test_fourier_amplitude_default_centers():
    centers, fas = fourier_amplitude(np.ones((1, 3, 1000)), 200.0)
    np.testing.assert_allclose(centers, np.geomspace(0.1, 90.0, 100))
    assert fas.shape == (1, 3, 100)


# ---------------------------------------------------------------- PGV


def _reference_pgv(a, fs, highpass=0.05):
    """Detrend, pad, sosfiltfilt, cumulative trapezoid: the time-domain way."""
    pad = int(round(1.5 * 2 / highpass * fs))
    detrended = scipy.signal.detrend(a, type="linear")
    padded = np.concatenate([np.zeros(pad), detrended, np.zeros(pad)])
    sos = scipy.signal.butter(2, highpass, btype="highpass", fs=fs, output="sos")
    filtered = scipy.signal.sosfiltfilt(sos, padded, padtype=None)
    velocity = scipy.integrate.cumulative_trapezoid(filtered, dx=1 / fs, initial=0.0)
    return np.abs(velocity[pad : pad + a.size]).max()


def test_pgv_closed_form_velocity():
    # v(t) = V sin(2 pi f t) sin^2(pi t / D) starts and ends at rest; a = dv/dt.
    V, f, D = 0.3, 2.0, 20.0
    t = np.arange(int(D * FS) + 1) / FS
    a = V * (
        2 * np.pi * f * np.cos(2 * np.pi * f * t) * np.sin(np.pi * t / D) ** 2
        + np.sin(2 * np.pi * f * t) * (np.pi / D) * np.sin(2 * np.pi * t / D)
    )
    # PGV is read at the samples, like PGA.
    expected = np.abs(V * np.sin(2 * np.pi * f * t) * np.sin(np.pi * t / D) ** 2).max()
    assert float(pgv(a, FS)) == pytest.approx(expected, rel=2e-4)


def test_pgv_matches_time_domain_reference_on_a_real_record():
    record = _napa_record()[:, 2000:8000]
    ours = pgv(record, FS)
    assert ours.shape == (3,)
    for channel, value in zip(record, ours):
        assert value == pytest.approx(_reference_pgv(channel, FS), rel=2e-3)
    # The South Napa record at CE.68150 peaks at tens of cm/s.
    assert 0.1 < ours.max() < 1.0


# ---------------------------------------------------------------- geometric mean


def test_horizontal_geometric_mean_shapes():
    values = np.random.default_rng(5).random((4, 3, 7)) + 0.1
    mean = horizontal_geometric_mean(values)
    assert mean.shape == (4, 7)
    np.testing.assert_allclose(mean, np.sqrt(values[:, 0] * values[:, 1]))
    scalars = values[..., 0]
    np.testing.assert_allclose(
        horizontal_geometric_mean(scalars), np.sqrt(scalars[:, 0] * scalars[:, 1])
    )
    assert float(horizontal_geometric_mean([4.0, 9.0, 100.0])) == 6.0


def test_horizontal_geometric_mean_ambiguous_and_bad_input():
    square = np.arange(1.0, 10.0).reshape(3, 3)
    with pytest.raises(ValueError, match="both last axes have length 3, pass axis"):
        horizontal_geometric_mean(square)
    np.testing.assert_allclose(horizontal_geometric_mean(square, axis=0), np.sqrt([4, 10, 18]))
    np.testing.assert_allclose(horizontal_geometric_mean(square, axis=-1), np.sqrt([2, 20, 56]))
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 3, k\) or \(\.\.\., 3\)"):
        horizontal_geometric_mean(np.ones((2, 4)))
    with pytest.raises(ValueError, match="along axis 1"):
        horizontal_geometric_mean(np.ones((2, 4)), axis=1)
    with pytest.raises(ValueError, match="non-negative"):
        horizontal_geometric_mean([-1.0, 1.0, 1.0])
    assert np.isnan(horizontal_geometric_mean([np.nan, 1.0, 1.0]))
