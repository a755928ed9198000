"""The array operations behind TimesNet-Gen's sampling options (skgen._mixing)."""

import numpy as np
import pytest

from skgen._mixing import (
    band_amplitudes,
    draw_mixtures,
    envelope_at,
    envelope_width,
    gather_shifted,
    log_envelope,
    match_bands,
    match_envelope,
    mix_bank,
    power_envelope,
    record_statistics,
    shift,
)


def test_power_envelope_is_a_moving_average_shrinking_at_the_ends():
    x = np.random.default_rng(0).standard_normal((2, 3, 50))
    width = 5
    envelope = power_envelope(x, width)
    # Inside: numpy's moving average of the squares.
    inside = np.apply_along_axis(lambda v: np.convolve(v**2, np.ones(5) / 5, "valid"), -1, x)
    np.testing.assert_allclose(envelope[..., 2:-2], inside, rtol=1e-12)
    # At the ends: the mean of the samples that exist (hand-computed).
    np.testing.assert_allclose(envelope[..., 0], np.mean(x[..., :3] ** 2, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(envelope[..., -1], np.mean(x[..., -3:] ** 2, axis=-1), rtol=1e-12)


def test_envelope_at_is_the_shifted_envelope_with_edges_held():
    x = np.random.default_rng(1).standard_normal((2, 3, 40))
    width = 4  # hop 1: every sample is kept, no interpolation
    log_env = log_envelope(x, width)
    assert log_env.shape == (2, 3, 40) and log_env.dtype == np.float32
    moved = envelope_at(log_env, np.array([3, -2]), width)
    np.testing.assert_allclose(moved[0, :, 3:], log_env[0, :, :-3], rtol=1e-6)
    np.testing.assert_allclose(moved[0, :, :3], np.repeat(log_env[0, :, :1], 3, axis=1))
    np.testing.assert_allclose(moved[1, :, :-2], log_env[1, :, 2:], rtol=1e-6)
    np.testing.assert_allclose(moved[1, :, -2:], np.repeat(log_env[1, :, -1:], 2, axis=1))


def test_envelope_at_interpolates_between_kept_values():
    # A linear ramp of log power kept every 4 samples (width 16), delayed by
    # 6 samples = 1.5 steps: the ramp minus 1.5, the first value held.
    log_env = np.arange(10, dtype=np.float32)[None, None, :]
    moved = envelope_at(log_env, np.array([6]), width=16)
    np.testing.assert_allclose(moved[0, 0], np.maximum(np.arange(10) - 1.5, 0.0), atol=1e-6)


def test_log_envelope_keeps_every_quarter_window():
    x = np.random.default_rng(4).standard_normal((1, 2, 103))
    kept = log_envelope(x, 20)  # hop 5
    assert kept.shape == (1, 2, 21)
    np.testing.assert_allclose(kept, np.log(power_envelope(x, 20)[..., ::5]), rtol=1e-6)


def test_match_envelope_imposes_a_slow_envelope_on_noise():
    rng = np.random.default_rng(2)
    n_times, width = 4000, 100
    noise = rng.standard_normal((1, 1, n_times)).astype(np.float32)
    t = np.arange(n_times)
    target = np.exp(-(((t - 1500) / 500.0) ** 2))[None, None, :] * 4.0 + 0.01
    matched = match_envelope(noise, np.log(target[..., :: width // 4]), width)
    assert matched.shape == noise.shape and matched.dtype == np.float32
    measured = power_envelope(matched, width)
    strong = target > 0.5
    # One pass of a sample-wise gain: within 20 % everywhere (the gain varies
    # inside the window), 2 % in the median; the noise itself was 0.25-400x off.
    np.testing.assert_allclose(measured[strong], target[strong], rtol=0.2)
    assert np.median(measured[strong] / target[strong]) == pytest.approx(1.0, abs=0.02)
    # The noise itself is not modified in place.
    assert np.allclose(power_envelope(noise, width).mean(), 1.0, rtol=0.1)


def test_match_bands_then_band_amplitudes_round_trip():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 600)).astype(np.float32)
    target = band_amplitudes(rng.standard_normal((2, 3, 600)) * 3.0)
    np.testing.assert_allclose(band_amplitudes(match_bands(x, target)), target, rtol=1e-3)


def test_gather_shifted_equals_indexing_then_shifting():
    bank = np.random.default_rng(5).standard_normal((4, 3, 30)).astype(np.float32)
    rows = np.array([3, 0, 3, 1, 2])
    shifts = np.array([5, -7, 0, 40, -30])  # two beyond the record: all zeros
    expected = np.zeros((5, 3, 30), dtype=np.float32)
    expected[0, :, 5:] = bank[3, :, :25]
    expected[1, :, :23] = bank[0, :, 7:]
    expected[2] = bank[3]
    np.testing.assert_array_equal(gather_shifted(bank, rows, shifts), expected)


def test_shift_delays_and_advances_with_zeros():
    x = np.arange(1, 6, dtype=np.float32)[None, None, :].repeat(2, axis=0)
    moved = shift(x, np.array([2, -1]))
    np.testing.assert_array_equal(moved[0, 0], [0, 0, 1, 2, 3])
    np.testing.assert_array_equal(moved[1, 0], [2, 3, 4, 5, 0])


@pytest.mark.parametrize(("fs", "n_times", "expected"), [(100.0, 6000, 100), (100.0, 64, 64)])
def test_envelope_width_is_one_second_at_most_the_record(fs, n_times, expected):
    assert envelope_width(fs, n_times) == expected


# -- the vectorised operations against plain reference implementations ------
# Written for clarity (cumulative sums, np.interp, one band at a time), as the
# mixing code did before it was vectorised; sampling must give the same
# records within float32 rounding.


def _plain_power_envelope(x, width, at):
    power = np.asarray(x, dtype=np.float64) ** 2
    n_times = power.shape[-1]
    out = np.empty(power.shape[:-1] + (len(at),))
    for k, sample in enumerate(at):
        low, high = max(0, sample - width // 2), min(n_times, sample + width // 2 + 1)
        out[..., k] = power[..., low:high].mean(axis=-1)
    return out


def _plain_band_amplitudes(x):
    power = np.abs(np.fft.rfft(np.asarray(x, dtype=np.float64), axis=-1)) ** 2
    edges = list(np.unique(np.round(np.geomspace(1, power.shape[-1], 49)).astype(int)))
    bands = [power[..., low:high].mean(axis=-1) for low, high in zip(edges[:-1], edges[1:])]
    return np.maximum(np.sqrt(np.stack(bands, axis=-1)), 1e-12)


def _plain_match_bands(x, target):
    spectrum = np.fft.rfft(np.asarray(x, dtype=np.float64), axis=-1)
    actual = _plain_band_amplitudes(x)
    edges = list(np.unique(np.round(np.geomspace(1, spectrum.shape[-1], 49)).astype(int)))
    for band, (low, high) in enumerate(zip(edges[:-1], edges[1:])):
        spectrum[..., low:high] *= (target[..., band] / actual[..., band])[..., None]
    return np.fft.irfft(spectrum, n=x.shape[-1], axis=-1)


def _plain_match_envelope(x, log_target, width):
    n_times = x.shape[-1]
    hop = max(1, width // 4)
    grid = np.arange(0, n_times, hop)
    target = np.exp(log_target)
    floor = 1e-6 * target.max(axis=-1, keepdims=True)
    gain = np.sqrt((target + floor) / (_plain_power_envelope(x, width, grid) + floor))
    out = np.empty(x.shape)
    for index in np.ndindex(x.shape[:-1]):
        out[index] = x[index] * np.interp(np.arange(n_times), grid, gain[index])
    return out


def _plain_mix_bank(entry, indices, weights, onsets, width):
    """The default sampler (equal waveform weights, aligned onsets, spectrum
    and envelope restored, two alternations)."""
    n_samples, n_mix = indices.shape
    n_steps = entry["envelope"].shape[-1]
    hop = max(1, width // 4)
    mixed = np.zeros((n_samples,) + entry["recon"].shape[1:])
    log_target = np.zeros((n_samples,) + entry["envelope"].shape[1:])
    for i in range(n_samples):
        for j in range(n_mix):
            row, delay = indices[i, j], onsets[i] - entry["onset"][indices[i, j]]
            mixed[i] += shift(entry["recon"][row : row + 1], np.array([delay]))[0] / n_mix
            steps = np.arange(n_steps)
            for c in range(mixed.shape[1]):
                moved = np.interp(steps - delay / hop, steps, entry["envelope"][row, c])
                log_target[i, c] += weights[i, j] * moved
    target = np.exp(np.einsum("sk,skcb->scb", weights, np.log(entry["band"][indices])))
    mixed = _plain_match_bands(mixed, target)
    for _ in range(2):
        mixed = _plain_match_bands(_plain_match_envelope(mixed, log_target, width), target)
    return mixed


@pytest.mark.parametrize(("n_times", "width"), [(600, 40), (203, 10), (50, 1)])
def test_power_envelope_on_a_grid_equals_plain_window_means(n_times, width):
    x = np.random.default_rng(6).standard_normal((2, 3, n_times)).astype(np.float32)
    at = np.arange(0, n_times, max(1, width // 4))
    np.testing.assert_allclose(
        power_envelope(x, width, at=at), _plain_power_envelope(x, width, at), rtol=1e-5
    )


def test_band_amplitudes_and_match_bands_equal_plain_per_band_loops():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 3, 600)).astype(np.float32)
    target = _plain_band_amplitudes(rng.standard_normal((2, 3, 600)) * 2.0)
    np.testing.assert_allclose(band_amplitudes(x), _plain_band_amplitudes(x), rtol=1e-4)
    matched = match_bands(x, target.astype(np.float32))
    assert matched.dtype == np.float32
    expected = _plain_match_bands(x, target)
    np.testing.assert_allclose(matched, expected, rtol=1e-4, atol=1e-4 * np.abs(expected).max())


@pytest.mark.parametrize("n_times", [600, 613])
def test_match_envelope_equals_plain_interpolated_gain(n_times):
    rng = np.random.default_rng(8)
    x = rng.standard_normal((2, 3, n_times)).astype(np.float32)
    width = 40
    log_target = log_envelope(rng.standard_normal((2, 3, n_times)) * 3.0, width)
    matched = match_envelope(x, log_target, width)
    assert matched.dtype == np.float32
    expected = _plain_match_envelope(x, log_target, width)
    np.testing.assert_allclose(matched, expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())
    # The records are not modified in place.
    fresh = np.random.default_rng(8).standard_normal((2, 3, n_times)).astype(np.float32)
    np.testing.assert_array_equal(x, fresh)


def test_mix_bank_default_sampler_equals_plain_reference():
    rng = np.random.default_rng(9)
    n_times, fs = 800, 40.0
    records = rng.standard_normal((6, 3, n_times)) * np.exp(
        -(((np.arange(n_times) - rng.integers(200, 500, (6, 1, 1))) / 120.0) ** 2)
    )
    entry = record_statistics(records.astype(np.float32), np.zeros((6, 3)), np.ones((6, 3)), fs)
    entry["recon"] = (0.8 * records).astype(np.float32)
    indices, weights = draw_mixtures(6, 7, 4, 0.3, np.random.RandomState(0))
    onsets = rng.integers(100, 600, size=7)
    mixed = mix_bank(
        entry,
        indices,
        weights,
        onsets,
        fs=fs,
        waveform_weights="equal",
        restore_spectrum=True,
        restore_envelope=True,
        restore_peak=False,
        restore_energy=True,
    )
    assert mixed.shape == (7, 3, n_times) and mixed.dtype == np.float32
    expected = _plain_mix_bank(entry, indices, weights, onsets, envelope_width(fs, n_times))
    np.testing.assert_allclose(mixed, expected, rtol=1e-3, atol=1e-4 * np.abs(expected).max())
