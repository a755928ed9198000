"""Tests for skgen.datasets.make_strong_motion."""

import numpy as np
import pytest
from sklearn.utils import Bunch

from skgen._point_source import layer_transfer, shaped_noise
from skgen.datasets import REGIONS, SITE_RANGES, make_strong_motion
from skgen.signal import hvsr, peak_frequency, pga


@pytest.fixture(scope="module", params=["A", "B", "C", "basin"])
def default_data(request):
    """The documented default data set (8 stations x 20 records) per region."""
    return make_strong_motion(region=request.param, random_state=0)


@pytest.fixture(scope="module")
def both_regions():
    return {region: make_strong_motion(region=region, random_state=0) for region in "ABC"}


def test_shaped_noise_energy_matches_target_spectrum():
    # Boore's normalisation: unit-rms noise spectrum times the target A(f) gives
    # a record whose energy sum(a^2) dt equals the two-sided integral of |A|^2
    # (Parseval), whatever the window.
    rng = np.random.RandomState(0)
    fs, n = 100.0, 4096
    freqs = np.fft.rfftfreq(n, 1 / fs)
    target = 1e-2 * np.exp(-(((freqs - 5.0) / 2.0) ** 2))
    window = np.exp(-(((np.arange(n) / fs - 15.0) / 4.0) ** 2))
    noise = rng.standard_normal((300, n)) * window
    records = shaped_noise(noise, target, 1 / fs)
    energy = np.mean(np.sum(records**2, axis=-1) / fs)
    assert energy == pytest.approx(2 * np.sum(target**2) * freqs[1], rel=0.05)


def test_layer_transfer_function_matches_closed_form():
    # Kramer (1996), section 7.2: resonance at Vs / (4 H) with peak amplitude
    # about 1 / (1 / impedance_ratio + pi damping / 2), and 1 at 0 Hz.
    thickness, vs, damping = 20.0, 200.0, 0.02
    rock_vs = 6.0 * vs * 1.9 / 2.4  # impedance ratio 6 with the module's densities
    freqs = np.linspace(0.0, 5.0, 50001)
    amplitude = np.abs(layer_transfer(freqs, thickness, vs, rock_vs, damping))
    assert amplitude[0] == pytest.approx(1.0)
    assert freqs[np.argmax(amplitude)] == pytest.approx(vs / (4 * thickness), rel=0.005)
    assert amplitude.max() == pytest.approx(1 / (1 / 6.0 + np.pi * damping / 2), rel=0.03)


def test_bunch_fields_shapes_and_dtypes():
    data = make_strong_motion(
        n_stations=3, records_per_station=4, region="B", n_times=1000, fs=50.0, random_state=1
    )
    assert isinstance(data, Bunch)
    assert {"X", "stations", "f0", "region", "magnitude", "distance", "fs", "DESCR"} <= set(data)
    assert data.X.shape == (12, 3, 1000)
    assert data.X.dtype == np.float32
    assert np.isfinite(data.X).all()
    assert data.stations.shape == (12,)
    assert list(data.stations) == ["B00"] * 4 + ["B01"] * 4 + ["B02"] * 4
    assert set(data.f0) == {"B00", "B01", "B02"}
    assert all(type(label) is str and type(value) is float for label, value in data.f0.items())
    assert data.region == "B"
    assert data.fs == 50.0
    assert data.magnitude.shape == data.distance.shape == (12,)


def test_magnitudes_distances_and_f0_lie_in_their_ranges(default_data):
    preset = REGIONS[default_data.region]
    low, high = preset["magnitude_range"]
    assert np.all((default_data.magnitude >= low) & (default_data.magnitude <= high))
    low, high = preset["distance_range"]
    assert np.all((default_data.distance >= low) & (default_data.distance <= high))
    # One station per equal slice of log f0: sorted, they fill the slices in order.
    edges = np.geomspace(*SITE_RANGES["f0"], len(default_data.f0) + 1)
    f0 = np.sort(list(default_data.f0.values()))
    assert np.all((f0 >= edges[:-1]) & (f0 <= edges[1:]))


def test_station_labels_are_unique_across_regions(both_regions):
    labels_a = set(both_regions["A"].stations)
    labels_b = set(both_regions["B"].stations)
    assert len(labels_a) == len(labels_b) == 8
    assert not labels_a & labels_b
    # Different regions are different sites even under the same seed.
    assert set(both_regions["A"].f0.values()).isdisjoint(both_regions["B"].f0.values())


def test_wide_station_labels():
    data = make_strong_motion(n_stations=101, records_per_station=1, n_times=256, random_state=0)
    assert data.stations[0] == "A000" and data.stations[-1] == "A100"
    assert len(set(data.stations)) == 101


def test_same_seed_same_data_different_seed_different_data():
    kwargs = dict(n_stations=2, records_per_station=3, n_times=1500)
    first = make_strong_motion(random_state=7, **kwargs)
    second = make_strong_motion(random_state=np.random.RandomState(7), **kwargs)
    np.testing.assert_array_equal(first.X, second.X)
    np.testing.assert_array_equal(first.magnitude, second.magnitude)
    assert first.f0 == second.f0
    other = make_strong_motion(random_state=8, **kwargs)
    assert not np.allclose(first.X, other.X)
    assert first.f0 != other.f0


def test_records_more_than_one_chunk_are_reproducible():
    # More records than one internal chunk: the data must not depend on chunking
    # bugs such as reusing the noise of the first chunk.
    data = make_strong_motion(n_stations=1, records_per_station=70, n_times=512, random_state=3)
    again = make_strong_motion(n_stations=1, records_per_station=70, n_times=512, random_state=3)
    np.testing.assert_array_equal(data.X, again.X)
    rms = np.sqrt(np.mean(data.X.astype(float) ** 2, axis=(1, 2)))
    assert np.unique(rms).size == 70


def test_hvsr_peak_recovers_each_station_f0(default_data):
    centers, curves = hvsr(default_data.X, default_data.fs)
    f0, _ = peak_frequency(centers, curves, method="interior")
    for station, true_f0 in default_data.f0.items():
        recovered = np.median(f0[default_data.stations == station])
        assert recovered == pytest.approx(true_f0, rel=0.10), station


def test_hvsr_of_one_station_peaks_only_near_its_f0():
    # A single-station check independent of the peak picker: the median H/V
    # curve is highest within 10 % of f0 and its peak stands above the rest.
    data = make_strong_motion(n_stations=3, records_per_station=20, random_state=2)
    centers, curves = hvsr(data.X, data.fs)
    for station, true_f0 in data.f0.items():
        median_curve = np.median(curves[data.stations == station], axis=0)
        assert centers[np.argmax(median_curve)] == pytest.approx(true_f0, rel=0.10)
        far = np.abs(np.log(centers / true_f0)) > np.log(1.5)
        assert median_curve.max() > 2.0 * np.median(median_curve[far])


def test_pga_grows_with_magnitude_and_falls_with_distance(default_data):
    peak = pga(default_data.X)
    design = np.column_stack(
        [np.ones_like(peak), default_data.magnitude, np.log10(default_data.distance)]
    )
    _, per_magnitude, per_log_distance = np.linalg.lstsq(design, np.log10(peak), rcond=None)[0]
    # Empirical ground-motion models for moderate events: log10 PGA rises by
    # roughly 0.3-0.8 per magnitude unit and decays like R^-1 to R^-1.7;
    # region C's distances (60-200 km) straddle its Moho-bounce plateau
    # (R^+0.2 from 70 to 140 km), where the apparent decay is shallower.
    assert 0.2 < per_magnitude < 1.0
    steepest, shallowest = (-1.5, -0.3) if default_data.region == "C" else (-2.0, -0.7)
    assert steepest < per_log_distance < shallowest


def test_pga_is_in_a_physical_range(default_data):
    peak = pga(default_data.X)
    assert np.all(peak > 1e-4)  # far above the 1e-5 m/s^2 sensor noise
    assert np.all(peak < 20.0)  # below 2 g


def _band_share(X, fs, band):
    """Median over records of horizontal energy in ``band`` / in 1-10 Hz."""
    spectrum = np.abs(np.fft.rfft(X[:, :2].astype(float), axis=-1)) ** 2
    freqs = np.fft.rfftfreq(X.shape[-1], 1.0 / fs)
    inside = spectrum[..., (freqs > band[0]) & (freqs < band[1])].sum(axis=-1)
    reference = spectrum[..., (freqs > 1) & (freqs < 10)].sum(axis=-1)
    return np.median(inside / reference)


def test_regions_differ_in_spectral_content_and_duration(both_regions):
    def high_frequency_share(X, fs):
        return _band_share(X, fs, (20, 40))

    def significant_duration(X, fs):
        energy = np.cumsum(X[:, 0].astype(float) ** 2, axis=-1)
        energy /= energy[:, -1:]
        return np.median(((energy > 0.95).argmax(1) - (energy > 0.05).argmax(1)) / fs)

    a, b = both_regions["A"], both_regions["B"]
    # Region B: kappa 0.01 s vs 0.04 s and weaker attenuation, longer path
    # durations, smaller events.
    assert high_frequency_share(b.X, b.fs) > 10 * high_frequency_share(a.X, a.fs)
    assert significant_duration(b.X, b.fs) > 1.5 * significant_duration(a.X, a.fs)
    assert np.median(pga(b.X)) < np.median(pga(a.X))


def test_hard_rock_region_is_broadband_distant_and_long(both_regions):
    a, b, c = both_regions["A"], both_regions["B"], both_regions["C"]
    # Kappa 0.005 s vs 0.04 s: far more energy above 20 Hz than region A.
    assert _band_share(c.X, c.fs, (20, 40)) > 10 * _band_share(a.X, a.fs, (20, 40))
    # Larger events than region B (M 5-6.5 vs 3.5-5.5): lower corner
    # frequencies, so far more energy below 1 Hz.
    assert _band_share(c.X, c.fs, (0.2, 1)) > 10 * _band_share(b.X, b.fs, (0.2, 1))
    # Recorded far away: every distance beyond 60 km, median beyond both others.
    assert c.distance.min() >= 60.0
    assert np.median(c.distance) > 1.5 * max(np.median(a.distance), np.median(b.distance))
    # Long path durations: the significant duration exceeds region A's.
    energy = np.cumsum(c.X[:, 0].astype(float) ** 2, axis=-1)
    duration_c = np.median(
        (energy > 0.95 * energy[:, -1:]).argmax(1) - (energy > 0.05 * energy[:, -1:]).argmax(1)
    )
    energy = np.cumsum(a.X[:, 0].astype(float) ** 2, axis=-1)
    duration_a = np.median(
        (energy > 0.95 * energy[:, -1:]).argmax(1) - (energy > 0.05 * energy[:, -1:]).argmax(1)
    )
    assert duration_c > 2 * duration_a


def test_p_wave_arrives_first_and_mostly_on_the_vertical():
    data = make_strong_motion(n_stations=1, records_per_station=10, random_state=4)
    preset = REGIONS["A"]
    s_minus_p = data.distance * (1 / preset["beta"] - 1 / preset["alpha"])
    envelope = np.abs(data.X.astype(float))
    p_onset = np.argmax(envelope[:, 2] > 0.05 * envelope[:, 2].max(axis=-1, keepdims=True), axis=-1)
    s_peak = envelope[:, :2].max(axis=1).argmax(axis=-1)
    # The horizontal S-wave peak comes at least the S-P time after the P onset.
    assert np.all((s_peak - p_onset) / data.fs > 0.8 * s_minus_p)
    # Over the first half of the S-P interval the vertical dominates.
    for record, start, delay in zip(envelope, p_onset, s_minus_p):
        p_window = record[:, start : start + int(0.5 * delay * data.fs)]
        assert p_window[2].max() > 1.3 * p_window[:2].max()


def test_short_records_keep_the_s_wave():
    long = make_strong_motion(n_stations=1, records_per_station=5, random_state=5)
    short = make_strong_motion(n_stations=1, records_per_station=5, n_times=300, random_state=5)
    np.testing.assert_array_equal(long.magnitude, short.magnitude)
    # The strongest shaking sits inside the short record (not cut at an edge),
    # so its PGA is of the same order as the full record's; a record holding
    # only the P wave would fall far below.
    ratio = pga(short.X) / pga(long.X)
    assert np.all((ratio > 1 / 3) & (ratio < 3))
    peak_time = np.abs(short.X[:, :2]).max(axis=1).argmax(axis=-1)
    assert np.all((peak_time > 30) & (peak_time < 270))


def test_does_not_touch_global_random_state():
    state = np.random.get_state()[1]  # noqa: NPY002 (the legacy global state is what is checked).copy()
    make_strong_motion(n_stations=1, records_per_station=2, n_times=256, random_state=0)
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_stations": 0}, ValueError, "n_stations must be >= 1, got 0"),
        ({"n_stations": 2.0}, TypeError, "n_stations must be an integer, got float"),
        ({"n_stations": True}, TypeError, "n_stations must be an integer, got bool"),
        ({"records_per_station": -1}, ValueError, "records_per_station must be >= 1, got -1"),
        (
            {"records_per_station": "5"},
            TypeError,
            "records_per_station must be an integer, got str",
        ),
        ({"n_times": 10}, ValueError, "n_times must be at least 64"),
        ({"n_times": 600.0}, TypeError, "n_times must be an integer, got float"),
        ({"fs": 0.0}, ValueError, "fs must be positive and finite, got 0.0"),
        ({"fs": np.nan}, ValueError, "fs must be positive and finite, got nan"),
        ({"fs": 20.0}, ValueError, "fs must be at least 40"),
        ({"fs": "100"}, TypeError, "fs must be a real number"),
        (
            {"region": "D"},
            ValueError,
            r"Unknown region 'D'; known regions: \['A', 'B', 'C', 'basin'\]",
        ),
        ({"region": None}, ValueError, "Unknown region None"),
    ],
)
def test_bad_arguments_raise(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_strong_motion(**kwargs)


def test_numpy_integers_are_accepted():
    data = make_strong_motion(
        n_stations=np.int64(2),
        records_per_station=np.int32(2),
        n_times=np.int64(256),
        fs=np.float32(100.0),
        random_state=0,
    )
    assert data.X.shape == (4, 3, 256)
    assert type(data.fs) is float
