"""Tests of the time-frequency features of the classifier two-sample test,
on hand-built records whose band arrival times, coherence and phase are
known (skgen.scoring.time_frequency_features)."""

import numpy as np
import pytest
import scipy.signal

from skgen.scoring import (
    C2ST_FEATURE_SETS,
    c2st_features,
    time_frequency_feature_names,
    time_frequency_features,
)

FS = 100.0
N_TIMES = 6000  # 60 s
T = np.arange(N_TIMES) / FS
NAMES = time_frequency_feature_names(FS)


def feature(values, name):
    return values[..., NAMES.index(name)]


def burst(frequency, centre, width):
    """A Gaussian-windowed sine: energy centred on ``centre`` (s)."""
    return np.sin(2 * np.pi * frequency * T) * np.exp(-(((T - centre) / width) ** 2))


def band_noise(rng, low=0.3, high=30.0, size=N_TIMES):
    sos = scipy.signal.butter(4, (low, high), btype="bandpass", fs=FS, output="sos")
    return scipy.signal.sosfilt(sos, rng.standard_normal(size))


def test_names_match_the_columns_and_bands_follow_fs():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 3, 2000))
    assert time_frequency_features(X, FS).shape == (2, len(NAMES)) == (2, 85)
    # at 20 Hz only the bands below 8 Hz: 0.5-1, 1-2, 2-4 Hz
    names = time_frequency_feature_names(20.0)
    assert len(names) == 16 * 3 + 5
    assert "t50_2-4Hz_U" in names and not any("4-8Hz" in n for n in names)
    assert time_frequency_features(X[..., ::5], 20.0).shape == (2, len(names))


def test_a_low_frequency_burst_ten_seconds_after_a_high_one():
    # 11.3 Hz (centre of the 8-16 Hz octave) at 10 s, 1.41 Hz (1-2 Hz) at
    # 20 s, on every component; the onset is the 5 % point of the whole.
    record = burst(11.3, 10.0, 0.8) + burst(1.41, 20.0, 0.8)
    X = np.stack([record, 0.7 * record, 0.5 * record])[np.newaxis]
    values = time_frequency_features(X, FS)[0]
    for c in "ENU":
        high, low = feature(values, f"t50_8-16Hz_{c}"), feature(values, f"t50_1-2Hz_{c}")
        assert low - high == pytest.approx(10.0, abs=0.1)
        # each band's energy is symmetric about its burst: 5 and 95 % times
        # equidistant from the 50 % time
        t5, t95 = feature(values, f"t5_1-2Hz_{c}"), feature(values, f"t95_1-2Hz_{c}")
        assert low - t5 == pytest.approx(t95 - low, abs=0.05)
        # low frequencies later: negative dispersion slope (s per octave)
        assert feature(values, f"dispersion_{c}") < -1.0
    # relative to the onset: the high band's 50 % time is a few tenths of a
    # second after the record's 5 % point, which lies in the first burst
    assert 0.0 < feature(values, "t50_8-16Hz_E") < 1.0


def test_vertical_lead_of_a_p_wave_on_the_vertical():
    rng = np.random.default_rng(1)
    p = band_noise(rng) * np.exp(-(((T - 10.0) / 1.0) ** 2))
    s_east = band_noise(rng) * np.exp(-(((T - 15.0) / 1.0) ** 2))
    s_north = band_noise(rng) * np.exp(-(((T - 15.0) / 1.0) ** 2))
    X = np.stack([s_east, s_north, p])[np.newaxis]
    values = time_frequency_features(X, FS)[0]
    assert feature(values, "vertical_lead_t5") == pytest.approx(5.0, abs=0.5)
    assert feature(values, "vertical_lead_t25") == pytest.approx(5.0, abs=0.5)
    # swapped: the horizontals lead, so the lead is negative
    swapped = time_frequency_features(X[:, [2, 1, 0]], FS)[0]
    assert feature(swapped, "vertical_lead_t5") < -3.0


def test_coherence_of_identical_and_independent_components():
    rng = np.random.default_rng(2)
    east = band_noise(rng)
    X = np.stack([east, -2.0 * east, band_noise(rng)])[np.newaxis]
    values = time_frequency_features(X, FS)[0]
    for band in ("0.5-1Hz", "1-2Hz", "2-4Hz", "4-8Hz", "8-16Hz"):
        # N proportional to E: coherence 1 whatever the sign and scale
        assert feature(values, f"coherence_{band}_EN") == pytest.approx(1.0, abs=1e-6)
        # independent noise on U: low (about 1 / (segments x frequencies))
        assert feature(values, f"coherence_{band}_EU") < 0.15
        assert feature(values, f"coherence_{band}_NU") < 0.15


def test_quadrature_of_a_vertical_a_quarter_period_from_the_horizontals():
    rng = np.random.default_rng(3)
    radial = band_noise(rng)
    quarter = np.imag(scipy.signal.hilbert(radial))  # every frequency shifted by 90 degrees
    rayleigh = np.stack([0.6 * radial, 0.8 * radial, quarter])[np.newaxis]
    in_phase = np.stack([0.6 * radial, 0.8 * radial, radial])[np.newaxis]
    for band in ("1-2Hz", "2-4Hz", "4-8Hz"):
        assert feature(time_frequency_features(rayleigh, FS)[0], f"quadrature_{band}") > 0.95
        assert feature(time_frequency_features(in_phase, FS)[0], f"quadrature_{band}") < 0.05


def test_envelope_peakedness_of_a_plateau_and_of_a_strong_phase():
    tone = np.sin(2 * np.pi * 3.0 * T)  # constant envelope in 2-4 Hz
    rng = np.random.default_rng(4)
    # one strong phase, then a weak coda carrying a good part of the energy
    coda = band_noise(rng, 2.0, 4.0) * (T > 10.0)
    phase = burst(3.0, 10.0, 0.5) + 0.15 * coda / np.std(coda[T > 10.0])
    X = np.stack([np.stack([tone] * 3), np.stack([phase] * 3)])
    values = time_frequency_features(X, FS)
    plateau, peaked = feature(values, "peakedness_2-4Hz_E")
    assert plateau == pytest.approx(0.0, abs=0.05)
    assert peaked > 1.0


def test_time_frequency_features_are_amplitude_free_and_do_not_modify_input():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((3, 3, 3000)).astype(np.float32)
    before = X.copy()
    values = c2st_features(X, FS)
    np.testing.assert_array_equal(X, before)
    np.testing.assert_allclose(c2st_features(3.0 * X, FS), values, rtol=1e-4, atol=1e-4)
    # the time-frequency part follows the basic one
    np.testing.assert_allclose(values[:, 48:], time_frequency_features(X.astype(float), FS))


def test_feature_set_is_checked():
    X = np.random.default_rng(6).standard_normal((2, 3, 500))
    assert C2ST_FEATURE_SETS == ("time_frequency", "basic")
    with pytest.raises(ValueError, match="one of 'time_frequency', 'basic'; got 'spectral'"):
        c2st_features(X, FS, kind="spectral")
    with pytest.raises(ValueError, match="at least two octave bands"):
        c2st_features(X, 4.0)
    assert c2st_features(X, 4.0, kind="basic").shape[0] == 2
