"""Tests for skgen.signal against obspy, scipy, hvsrpy's published value and hand computations."""

import numpy as np
import pytest
import scipy.fft
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st
from obspy.signal.konnoohmachismoothing import konno_ohmachi_smoothing

from skgen.signal import (
    amplitude_spectrum,
    default_centers,
    f0_statistics,
    hvsr,
    konno_ohmachi_smooth,
    peak_frequency,
    pga,
)
from skgen.signal._smoothing import _smoothing_matrix

FS = 100.0


def _resonant_records(f0, n_records=3, n_times=6000, damping=0.05, seed=0):
    """White noise whose horizontals pass through a base-excited oscillator at f0."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((n_records, 3, n_times))
    freqs = scipy.fft.rfftfreq(n_times, 1 / FS)
    s = 2j * np.pi * freqs
    omega = 2 * np.pi * f0
    transfer = (2 * damping * omega * s + omega**2) / (s**2 + 2 * damping * omega * s + omega**2)
    spectra = scipy.fft.rfft(noise, axis=-1)
    spectra[:, :2] *= transfer
    return scipy.fft.irfft(spectra, n=n_times, axis=-1)


# ---------------------------------------------------------------- smoothing


def test_konno_ohmachi_matches_obspy_1d_path():
    rng = np.random.default_rng(1)
    freqs = np.linspace(0.0, 50.0, 401)
    spectra = rng.random((3, freqs.size)) + 0.1
    # Centres at the spectrum's own non-zero frequencies: obspy's definition.
    centers = freqs[1:]
    ours = konno_ohmachi_smooth(spectra, freqs, centers, bandwidth=40.0)
    for spectrum, smoothed in zip(spectra, ours):
        # obspy's 2-D matrix path is wrong (obspy issue 2276): use its 1-D loop.
        reference = konno_ohmachi_smoothing(spectrum, freqs, bandwidth=40.0, normalize=True)
        np.testing.assert_allclose(smoothed, reference[1:], rtol=1e-6)


def test_konno_ohmachi_hvsrpy_published_value():
    freqs = np.linspace(3, 30, 100)
    t = np.linspace(0, 1, 100)
    amplitude = 5 * np.sin(2 * np.pi * 0.5 * t) + 0.5 * np.sin(2 * np.pi * 80 * t)
    smoothed = konno_ohmachi_smooth(amplitude, freqs, [10.0], bandwidth=40.0)
    assert round(float(smoothed[0]), 4) == 3.6707


def test_log_gaussian_kernel_is_published_formula():
    rng = np.random.default_rng(2)
    freqs = np.linspace(0.0, 50.0, 501)
    spectrum = rng.random(freqs.size)
    centers = np.array([1.0, 5.0, 17.0])
    weights = np.exp(-40 * np.log(freqs[1:, None] / centers) ** 2)
    expected = spectrum[1:] @ weights / weights.sum(axis=0)
    got = konno_ohmachi_smooth(spectrum, freqs, centers, bandwidth=40.0, kernel="log-gaussian")
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_smoothing_batch_equals_loop_and_keeps_shape():
    rng = np.random.default_rng(3)
    freqs = np.linspace(0.0, 50.0, 301)
    spectra = rng.random((2, 3, freqs.size))
    centers = default_centers((1.0, 20.0))
    batch = konno_ohmachi_smooth(spectra, freqs, centers)
    assert batch.shape == (2, 3, centers.size)
    np.testing.assert_allclose(batch[1, 2], konno_ohmachi_smooth(spectra[1, 2], freqs, centers))


def test_smoothing_float32_stays_float32_and_matrix_is_cached():
    freqs = np.linspace(0.0, 50.0, 201)
    spectra = np.ones((4, freqs.size), dtype=np.float32)
    before = _smoothing_matrix.cache_info()
    first = konno_ohmachi_smooth(spectra, freqs, [2.0, 3.0], bandwidth=30.0)
    konno_ohmachi_smooth(spectra, freqs, [2.0, 3.0], bandwidth=30.0)
    after = _smoothing_matrix.cache_info()
    assert first.dtype == np.float32
    assert after.misses == before.misses + 1
    assert after.hits == before.hits + 1


def test_zero_frequency_gets_no_weight():
    freqs = np.array([0.0, 1.0, 2.0, 4.0])
    spectrum = np.array([1e6, 1.0, 1.0, 1.0])
    np.testing.assert_allclose(konno_ohmachi_smooth(spectrum, freqs, [1.5]), 1.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"kernel": "parzen"}, "kernel must be one of"),
        ({"bandwidth": 0.0}, "bandwidth must be positive"),
        ({"centers": [0.0, 1.0]}, "centers must be positive"),
        ({"freqs": np.linspace(0, 10, 5)}, "last axis must match freqs"),
        ({"freqs": np.ones((2, 11))}, "freqs must be a non-empty 1-D"),
    ],
)
def test_smoothing_errors(kwargs, match):
    arguments = {
        "spectra": np.ones(11),
        "freqs": np.linspace(0, 10, 11),
        "centers": [1.0, 2.0],
    } | kwargs
    with pytest.raises(ValueError, match=match):
        konno_ohmachi_smooth(**arguments)


def test_smoothing_rejects_centre_without_weight():
    # exp(-100 ln^2(50)) underflows to 0: the 1 Hz centre sees no frequency.
    with pytest.raises(ValueError, match=r"centers \[1.0\] get no log-gaussian weight"):
        konno_ohmachi_smooth(np.ones(2), [0.0, 50.0], [1.0], bandwidth=100.0, kernel="log-gaussian")


def test_smoothing_rejects_nan_spectra():
    with pytest.raises(ValueError, match="spectra must be finite"):
        konno_ohmachi_smooth(np.full(11, np.nan), np.linspace(0, 10, 11), [1.0])


def test_default_centers_spacing():
    centers = default_centers((1.0, 20.0))
    assert centers[0] == 1.0 and centers[-1] == 20.0
    ratios = centers[1:] / centers[:-1]
    assert np.all(ratios <= 1.01 + 1e-12)
    # Not needlessly dense either: within one step of the 1 % bound.
    assert ratios.max() > 1.0095
    with pytest.raises(ValueError, match="0 < low < high"):
        default_centers((20.0, 1.0))


# ---------------------------------------------------------------- spectra


@pytest.mark.parametrize("highpass", [0.05, 0.5])
def test_amplitude_spectrum_matches_time_domain_forward_backward(highpass):
    rng = np.random.default_rng(4)
    # A random walk: strong low-frequency content that the high-pass must remove.
    X = np.cumsum(rng.standard_normal((2, 3, 1000)), axis=-1)
    freqs, amplitudes = amplitude_spectrum(X, FS, highpass=highpass)

    pad = int(round(1.5 * 2 / highpass * FS))
    padded = np.pad(scipy.signal.detrend(X, axis=-1, type="linear"), ((0, 0), (0, 0), (pad, pad)))
    sos = scipy.signal.butter(2, highpass, btype="highpass", fs=FS, output="sos")
    reference = np.abs(np.fft.rfft(scipy.signal.sosfiltfilt(sos, padded, axis=-1), axis=-1))
    b, a = scipy.signal.butter(2, highpass, btype="highpass", fs=FS)
    reference_ba = np.abs(np.fft.rfft(scipy.signal.filtfilt(b, a, padded, axis=-1), axis=-1))

    np.testing.assert_allclose(freqs, np.fft.rfftfreq(padded.shape[-1], 1 / FS))
    scale = reference.max()
    np.testing.assert_allclose(amplitudes, reference, rtol=0, atol=1e-6 * scale)
    np.testing.assert_allclose(amplitudes, reference_ba, rtol=0, atol=1e-6 * scale)


def test_amplitude_spectrum_without_highpass_and_input_untouched():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((3, 500)) + np.linspace(0, 5, 500)
    original = X.copy()
    freqs, amplitudes = amplitude_spectrum(X, FS, highpass=None)
    np.testing.assert_array_equal(X, original)
    expected = np.abs(np.fft.rfft(scipy.signal.detrend(X, axis=-1), axis=-1))
    np.testing.assert_allclose(amplitudes, expected, rtol=1e-9, atol=1e-9)
    assert freqs.shape == (251,)
    assert amplitude_spectrum(X.astype(np.float32), FS)[1].dtype == np.float32


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"fs": 0.0}, "fs must be positive"),
        ({"highpass": 60.0}, "below the Nyquist"),
        ({"highpass": -1.0}, "highpass must be positive"),
        ({"X": np.ones(1)}, "at least 2 samples"),
        ({"X": np.array([0.0, np.nan, 1.0])}, "X must be finite"),
    ],
)
def test_amplitude_spectrum_errors(kwargs, match):
    arguments = {"X": np.ones((3, 100)), "fs": FS} | kwargs
    with pytest.raises(ValueError, match=match):
        amplitude_spectrum(**arguments)


# ---------------------------------------------------------------- HVSR


def test_hvsr_shapes_single_and_batch():
    X = np.random.default_rng(6).standard_normal((2, 3, 1000))
    centers, curves = hvsr(X, FS)
    np.testing.assert_array_equal(centers, default_centers((1.0, 20.0)))
    assert curves.shape == (2, centers.size)
    _, single = hvsr(X[1], FS)
    assert single.shape == (centers.size,)
    np.testing.assert_allclose(single, curves[1], rtol=1e-6)
    explicit, curve = hvsr(X[0], FS, centers=[2.0, 5.0])
    np.testing.assert_array_equal(explicit, [2.0, 5.0])
    assert curve.shape == (2,)


def test_hvsr_is_ratio_of_smoothed_spectra():
    X = np.random.default_rng(7).standard_normal((2, 3, 1500))
    centers, curves = hvsr(X, FS, kernel="log-gaussian")
    freqs, amplitudes = amplitude_spectrum(X, FS)
    horizontal = np.sqrt(amplitudes[:, 0] * amplitudes[:, 1])
    expected = konno_ohmachi_smooth(
        horizontal, freqs, centers, kernel="log-gaussian"
    ) / konno_ohmachi_smooth(amplitudes[:, 2], freqs, centers, kernel="log-gaussian")
    np.testing.assert_allclose(curves, expected, rtol=1e-4)


def test_hvsr_scale_and_swap_invariance():
    X = np.random.default_rng(8).standard_normal((2, 3, 2000))
    _, curves = hvsr(X, FS)
    _, scaled = hvsr(X * 981.0, FS)
    _, swapped = hvsr(X[:, [1, 0, 2]], FS)
    np.testing.assert_allclose(scaled, curves, rtol=1e-4)
    np.testing.assert_allclose(swapped, curves, rtol=1e-5)


def test_hvsr_ignores_offset_and_linear_trend():
    X = np.random.default_rng(11).standard_normal((2, 3, 2000))
    trend = 1e4 + 3.0 * np.arange(2000) / FS
    _, curves = hvsr(X, FS)
    _, trended = hvsr(X + trend, FS)
    np.testing.assert_allclose(trended, curves, rtol=1e-4)


@pytest.mark.parametrize("f0", [2.5, 7.0])
def test_hvsr_recovers_known_resonance(f0):
    X = _resonant_records(f0, n_records=8)
    centers, curves = hvsr(X, FS)
    found, amplitude = peak_frequency(centers, curves)
    # One 60 s noise record scatters f0 by a few percent; the station's
    # lognormal median over its records is the estimate held to 2 %.
    np.testing.assert_allclose(found, f0, rtol=0.05)
    assert f0_statistics(found)[0] == pytest.approx(f0, rel=0.02)
    assert np.all(amplitude > 3)


def test_hvsr_does_not_modify_input():
    X = np.random.default_rng(9).standard_normal((3, 800)).astype(np.float32)
    original = X.copy()
    hvsr(X, FS)
    np.testing.assert_array_equal(X, original)


@pytest.mark.parametrize(
    "X, kwargs, match",
    [
        (np.ones((3, 500)), {"fs": 0.0}, "fs must be positive"),
        (np.ones((3, 500)), {"fs": -100.0}, "fs must be positive"),
        (np.ones((3, 500)), {"fs": 30.0}, "outside Nyquist"),
        (np.ones((3, 500)), {"fs": FS, "centers": [1.0, 60.0]}, "outside Nyquist"),
        (np.ones((3, 500)), {"fs": FS, "band": (5.0, 2.0)}, "0 < low < high"),
        (np.ones((2, 500)), {"fs": FS}, "3 channels"),
        (np.ones((2, 4, 500)), {"fs": FS}, "3 channels"),
        (np.ones(500), {"fs": FS}, r"shape \(n_records, 3, n_times\)"),
        (np.full((3, 500), np.nan), {"fs": FS}, "X must be finite"),
        (np.ones((3, 4)), {"fs": FS}, "at least 8 samples"),
        (np.ones((3, 500)), {"fs": FS, "kernel": "gauss"}, "kernel must be one of"),
        (np.ones((3, 500)), {"fs": FS, "bandwidth": -4.0}, "bandwidth must be positive"),
    ],
)
def test_hvsr_errors(X, kwargs, match):
    with pytest.raises(ValueError, match=match):
        hvsr(X, **kwargs)


def test_hvsr_rejects_non_numeric():
    with pytest.raises(TypeError, match="real numeric"):
        hvsr(np.full((3, 100), "a"), FS)


# ---------------------------------------------------------------- peaks


def test_peak_rising_to_band_edge_is_not_interior():
    centers = np.geomspace(1.0, 20.0, 50)
    curve = np.linspace(1.0, 5.0, 50)
    f0, a0 = peak_frequency(centers, curve)
    assert np.isnan(f0) and np.isnan(a0)
    f0, a0 = peak_frequency(centers, curve, method="argmax")
    assert f0 == 20.0 and a0 == 5.0


def test_peak_interior_and_argmax_differ_with_edge_maximum():
    centers = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    curve = np.array([1.0, 2.0, 1.0, 1.5, 2.5, 9.0])
    assert peak_frequency(centers, curve) == (2.0, 2.0)
    assert peak_frequency(centers, curve, method="argmax") == (6.0, 9.0)


def test_peak_two_interior_peaks_gives_higher():
    centers = np.arange(1.0, 10.0)
    curves = np.array([[1, 3, 1, 1, 5, 1, 2, 1, 0], [1, 6, 1, 1, 5, 1, 2, 1, 0]], dtype=float)
    f0, a0 = peak_frequency(centers, curves)
    np.testing.assert_array_equal(f0, [5.0, 2.0])
    np.testing.assert_array_equal(a0, [5.0, 6.0])


def test_peak_plateaus():
    centers = np.arange(1.0, 8.0)
    # A flat top between a rise and a fall is a peak at its lowest frequency.
    assert peak_frequency(centers, [1, 2, 4, 4, 4, 2, 1]) == (3.0, 4.0)
    # A flat step on a rising curve is not a peak.
    f0, _ = peak_frequency(centers, [1, 2, 2, 3, 4, 5, 6])
    assert np.isnan(f0)
    # A flat top touching the band edge is not interior.
    f0, _ = peak_frequency(centers, [1, 2, 3, 4, 5, 5, 5])
    assert np.isnan(f0)


def test_peak_non_finite_curve_and_batch_shape():
    centers = np.arange(1.0, 6.0)
    curves = np.array([[[1, 2, 1, 0, 0], [1, np.inf, 1, 0, 0]]], dtype=float)
    f0, a0 = peak_frequency(centers, curves)
    assert f0.shape == (1, 2)
    np.testing.assert_array_equal(f0, [[2.0, np.nan]])
    np.testing.assert_array_equal(a0, [[2.0, np.nan]])


def test_peak_errors():
    with pytest.raises(ValueError, match="method must be one of"):
        peak_frequency([1.0, 2.0, 3.0], [1.0, 2.0, 1.0], method="max")
    with pytest.raises(ValueError, match="last axis must match centers"):
        peak_frequency([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="strictly increasing"):
        peak_frequency([1.0, 3.0, 2.0], [1.0, 2.0, 1.0])


# ---------------------------------------------------------------- PGA, f0


def test_pga_hand_computed():
    X = np.array(
        [
            [[0.1, -0.5, 0.2], [0.3, 0.0, -0.4], [2.0, 0.0, 0.0]],
            [[-1.0, 0.0, 0.0], [0.0, 0.7, 0.0], [0.0, 0.0, -0.2]],
        ]
    )
    np.testing.assert_allclose(pga(X), [0.5, 1.0])
    np.testing.assert_allclose(pga(X, channels="all"), [2.0, 1.0])
    np.testing.assert_allclose(pga(X, channels="each"), [[0.5, 0.4, 2.0], [1.0, 0.7, 0.2]])
    assert pga(X[0]) == 0.5
    np.testing.assert_allclose(pga(X[:, :2], channels="all"), [0.5, 1.0])


def test_pga_errors():
    with pytest.raises(ValueError, match="channels must be one of"):
        pga(np.ones((3, 10)), channels="vertical")
    with pytest.raises(ValueError, match="needs 3 channels"):
        pga(np.ones((2, 10)))
    with pytest.raises(ValueError, match="X must be finite"):
        pga(np.full((3, 10), np.nan))


def test_f0_statistics_by_hand():
    f0 = np.array([1.5, 2.0, np.nan, 3.1, 2.4])
    median, sigma_ln = f0_statistics(f0)
    logs = np.log([1.5, 2.0, 3.1, 2.4])
    mean = logs.sum() / 4
    assert median == pytest.approx(np.exp(mean), rel=1e-12)
    assert sigma_ln == pytest.approx(np.sqrt(((logs - mean) ** 2).sum() / 3), rel=1e-12)


def test_f0_statistics_degenerate_inputs():
    assert all(np.isnan(f0_statistics([np.nan, np.nan])))
    median, sigma_ln = f0_statistics([4.0, np.nan])
    assert median == pytest.approx(4.0) and np.isnan(sigma_ln)
    with pytest.raises(ValueError, match="f0 must be positive"):
        f0_statistics([1.0, -2.0])


# ---------------------------------------------------------------- properties


@st.composite
def records(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    n_times = draw(st.integers(64, 400))
    gains = draw(st.lists(st.floats(1e-3, 1e3), min_size=3, max_size=3))
    rng = np.random.default_rng(seed)
    return rng.standard_normal((3, n_times)) * np.array(gains)[:, None]


@settings(max_examples=10, deadline=None, derandomize=True)
@given(X=records(), scale=st.floats(1e-4, 1e4))
def test_property_finite_scale_and_swap_invariant(X, scale):
    _, curve = hvsr(X, FS, band=(1.0, 20.0))
    assert np.all(np.isfinite(curve)) and np.all(curve > 0)
    _, scaled = hvsr(X * scale, FS)
    _, swapped = hvsr(X[[1, 0, 2]], FS)
    np.testing.assert_allclose(scaled, curve, rtol=1e-4)
    np.testing.assert_allclose(swapped, curve, rtol=1e-5)


@settings(max_examples=10, deadline=None, derandomize=True)
@given(
    value=st.floats(1e-6, 1e6),
    n_freqs=st.integers(64, 300),
    bandwidth=st.floats(5.0, 100.0),
    kernel=st.sampled_from(["konno-ohmachi", "log-gaussian"]),
)
def test_property_constant_spectrum_is_unchanged(value, n_freqs, bandwidth, kernel):
    freqs = np.linspace(0.0, 50.0, n_freqs)
    centers = np.geomspace(1.0, 20.0, 7)
    smoothed = konno_ohmachi_smooth(
        np.full(n_freqs, value), freqs, centers, bandwidth=bandwidth, kernel=kernel
    )
    np.testing.assert_allclose(smoothed, value, rtol=1e-10)
