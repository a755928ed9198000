"""Scenario-aware generation: kernel, ground-motion model, gain, sampling, metadata."""

import warnings

import numpy as np
import pytest
from sklearn.model_selection import GroupKFold, cross_validate

from skgen import (
    GroundMotionModel,
    MixingSampler,
    SpectrogramCVAEGenerator,
    TimesNetGenerator,
    load,
    make_strong_motion,
)
from skgen._scenario import check_record_scenarios, draw_near, kernel_log_weights
from skgen.ground_motion import apply_fourier_gain
from skgen.scoring import scenario_errors

TINY = dict(n_times=64, d_model=4, d_ff=4, epochs=1, noise_epochs=0, batch_size=8)


@pytest.fixture(scope="module")
def data():
    return make_strong_motion(n_stations=2, records_per_station=8, n_times=64, random_state=0)


@pytest.fixture(scope="module")
def fitted(data):
    gen = TimesNetGenerator(**TINY, random_state=0)
    return gen.fit(data.X, data.stations, magnitude=data.magnitude, distance=data.distance)


def inside_scenario(data, station):
    """A scenario inside the station's range: its records' median event."""
    rows = data.stations == station
    return float(np.median(data.magnitude[rows])), float(np.median(data.distance[rows]))


# -- kernel and record selection -------------------------------------------
def test_kernel_weights_by_hand():
    magnitude = np.array([6.0, 6.5, 5.0, 6.0])
    distance = np.array([20.0, 20.0, 20.0, 20.0 * np.exp(0.5)])
    w = np.exp(kernel_log_weights(magnitude, distance, (6.0, 20.0), (0.5, 0.5)))
    # dM / h = 0, 1, -2, 0 and d ln R / h = 0, 0, 0, 1.
    np.testing.assert_allclose(w, [1.0, np.exp(-0.5), np.exp(-2.0), np.exp(-0.5)])


def test_draw_near_favours_near_records():
    log_w = kernel_log_weights(
        np.array([6.0, 6.1, 4.0, 4.2, 7.5]), np.full(5, 30.0), (6.0, 30.0), (0.3, 0.5)
    )
    indices, weights = draw_near(log_w, 2, 1.0, 2000, np.random.RandomState(0))
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    mass = np.bincount(indices.ravel(), weights=weights.ravel(), minlength=5) / 2000
    # Records 0 and 1 (within 0.1 of the target) carry nearly all the weight.
    assert mass[0] + mass[1] > 0.95
    assert mass[0] > mass[1]
    assert np.all(indices[:, 0] != indices[:, 1])


# -- ground-motion model ---------------------------------------------------
def test_gmm_recovers_known_coefficients():
    rng = np.random.default_rng(1)
    n = 300
    stations = np.array([f"S{i % 6}" for i in range(n)], dtype=object)
    magnitude = rng.uniform(4, 7, n)
    distance = np.exp(rng.uniform(np.log(5), np.log(200), n))
    terms = {f"S{i}": rng.normal(0, 1, 2) for i in range(6)}
    b, c = np.array([1.4, 0.9]), np.array([-1.1, -1.6])
    y = (
        np.stack([terms[s] for s in stations])
        + magnitude[:, None] * b
        + np.log(distance)[:, None] * c
        + rng.normal(0, 0.1, (n, 2))
    )
    gmm = GroundMotionModel().fit(y, magnitude, distance, stations)
    np.testing.assert_allclose(gmm.coef_[0], b, atol=0.03)
    np.testing.assert_allclose(gmm.coef_[1], c, atol=0.03)
    for label, term in terms.items():
        np.testing.assert_allclose(gmm.station_terms_[label], term, atol=0.15)
    np.testing.assert_allclose(gmm.sigma_, 0.1, atol=0.02)
    # Scaling from a scenario to itself is no scaling.
    np.testing.assert_array_equal(gmm.log_gain(6.0, 30.0, 6.0, 30.0), 0.0)
    np.testing.assert_allclose(gmm.log_gain(5.0, 10.0, 6.0, 10.0 * np.e)[0], gmm.coef_.sum(axis=0))


def test_gmm_without_scenario_spread_does_not_scale():
    # One event for every record: b and c are not determined -> no scaling.
    y = np.random.default_rng(0).normal(size=(4, 3))
    gmm = GroundMotionModel().fit(y, np.full(4, 6.0), np.full(4, 20.0), np.array(list("AABB")))
    np.testing.assert_allclose(gmm.coef_, 0.0, atol=1e-12)


# -- Fourier gain ----------------------------------------------------------
def test_fourier_gain_is_one_when_log_gain_is_zero():
    x = np.random.default_rng(0).standard_normal((2, 3, 500)).astype(np.float32)
    out = apply_fourier_gain(x, 100.0, np.array([1.0, 5.0, 20.0]), np.zeros((2, 3, 3)))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, x, atol=1e-5)


def test_fourier_gain_is_smooth_interpolation_in_log_frequency():
    # An impulse has a flat spectrum: the output spectrum is the gain itself.
    x = np.zeros((1, 1, 1000))
    x[..., 0] = 1.0
    centres = np.array([1.0, 2.0, 4.0, 8.0])
    log_gain = np.array([0.0, 1.0, 1.0, 0.0])[None, None]
    gain = np.abs(np.fft.rfft(apply_fourier_gain(x, 100.0, centres, log_gain)[0, 0]))
    f = np.fft.rfftfreq(1000, 0.01)
    expected = np.exp(np.interp(np.log(np.maximum(f, 1.0)), np.log(centres), log_gain[0, 0]))
    np.testing.assert_allclose(gain, expected, rtol=1e-9)
    # At 1.5 Hz: halfway in ln f between 1 and 2 Hz is sqrt(2); by hand:
    assert gain[15] == pytest.approx(np.exp(np.log(1.5) / np.log(2.0)))
    # No jump anywhere: the slope in ln f never exceeds that between centres.
    slope = np.diff(np.log(gain[1:])) / np.diff(np.log(f[1:]))
    assert np.max(np.abs(slope)) <= 1.0 / np.log(2.0) + 1e-9


# -- sampling --------------------------------------------------------------
def test_scenario_sampling_is_reproducible_and_differs(data, fitted):
    station = data.stations[0]
    m, r = inside_scenario(data, station)
    a = fitted.sample(station, 3, magnitude=m, distance=r, random_state=5)
    b = fitted.sample(station, 3, magnitude=m, distance=r, random_state=5)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (3, 3, 64) and a.dtype == np.float32
    plain = fitted.sample(station, 3, random_state=5)
    assert not np.allclose(a, plain)


def test_larger_magnitude_gives_stronger_records(data, fitted):
    station = data.stations[0]
    m, r = inside_scenario(data, station)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        small = fitted.sample(station, 20, magnitude=m - 0.5, distance=r, random_state=0)
        large = fitted.sample(station, 20, magnitude=m + 0.5, distance=r, random_state=0)
    assert np.median(np.abs(large).max(axis=2)) > 1.5 * np.median(np.abs(small).max(axis=2))


def test_no_scenario_sampling_unchanged_by_metadata(data, fitted):
    plain = TimesNetGenerator(**TINY, random_state=0).fit(data.X, data.stations)
    for station in dict.fromkeys(data.stations):
        np.testing.assert_array_equal(
            plain.sample(station, 4, random_state=3), fitted.sample(station, 4, random_state=3)
        )


def test_cvae_scenario_falls_back_to_gmm_scaling(data):
    X = make_strong_motion(n_stations=2, records_per_station=4, n_times=400, random_state=0)
    gen = SpectrogramCVAEGenerator(
        n_times=400,
        n_fft=64,
        hop_length=16,
        channels=(4, 8),
        latent_dim=4,
        epochs=1,
        random_state=0,
    ).fit(X.X, X.stations, magnitude=X.magnitude, distance=X.distance)
    station = X.stations[0]
    m, r = inside_scenario(X, station)
    out = gen.sample(station, 2, magnitude=m, distance=r, random_state=0)
    assert out.shape == (2, 3, 400)
    np.testing.assert_array_equal(
        out, gen.sample(station, 2, magnitude=m, distance=r, random_state=0)
    )


# -- metadata travel -------------------------------------------------------
def test_metadata_round_trip_save_load_and_with_bank(data, fitted, tmp_path):
    path = tmp_path / "model.skgen"
    fitted.save(path)
    loaded = load(path)
    station = data.stations[0]
    rows = data.stations == station
    np.testing.assert_array_equal(loaded.bank_[station]["magnitude"], data.magnitude[rows])
    np.testing.assert_array_equal(loaded.bank_[station]["distance"], data.distance[rows])
    m, r = inside_scenario(data, station)
    np.testing.assert_array_equal(
        loaded.sample(station, 2, magnitude=m, distance=r, random_state=1),
        fitted.sample(station, 2, magnitude=m, distance=r, random_state=1),
    )
    half = np.flatnonzero(rows)[:4]
    other = fitted.with_bank(
        data.X[half],
        data.stations[half],
        magnitude=data.magnitude[half],
        distance=data.distance[half],
    )
    np.testing.assert_array_equal(other.bank_[station]["magnitude"], data.magnitude[half])
    assert len(fitted.bank_[station]["magnitude"]) == 8  # self unchanged
    # Records registered without a scenario cannot be sampled for one.
    bare = fitted.with_bank(data.X[half], data.stations[half])
    with pytest.raises(ValueError, match="without magnitude and distance"):
        bare.sample(station, 1, magnitude=m, distance=r)


def test_add_stations_carries_metadata(data, fitted):
    other = make_strong_motion(
        n_stations=1, records_per_station=5, region="B", n_times=64, random_state=1
    )
    gen = TimesNetGenerator(**TINY, random_state=0).fit(
        data.X, data.stations, magnitude=data.magnitude, distance=data.distance
    )
    gen.add_stations(other.X, other.stations, magnitude=other.magnitude, distance=other.distance)
    station = other.stations[0]
    np.testing.assert_array_equal(gen.bank_[station]["distance"], other.distance)
    m, r = inside_scenario(other, station)
    assert gen.sample(station, 1, magnitude=m, distance=r, random_state=0).shape == (1, 3, 64)


def test_fit_params_are_sliced_by_cross_validate(data):
    # scikit-learn slices sample-aligned fit parameters with the training fold.
    groups = data.stations
    result = cross_validate(
        TimesNetGenerator(**TINY, random_state=0),
        data.X,
        data.stations,
        groups=groups,
        cv=GroupKFold(n_splits=2),
        params={"magnitude": data.magnitude, "distance": data.distance},
        scoring=lambda est, X, y: 0.0,
        return_estimator=True,
    )
    for estimator in result["estimator"]:
        (station,) = estimator.bank_
        rows = data.stations == station
        np.testing.assert_array_equal(estimator.bank_[station]["magnitude"], data.magnitude[rows])


# -- validation and warnings -----------------------------------------------
@pytest.mark.parametrize(
    ("magnitude", "distance", "match"),
    [
        (np.ones(16), None, "given together"),
        (np.ones(15), np.ones(16), r"shape \(16,\)"),
        (np.r_[np.nan, np.ones(15)], np.ones(16), "magnitude must be finite"),
        (np.ones(16), np.r_[0.0, np.ones(15)], "distance must be positive"),
        (np.ones(16), np.r_[np.inf, np.ones(15)], "distance must be finite"),
    ],
)
def test_bad_record_scenarios(magnitude, distance, match):
    with pytest.raises(ValueError, match=match):
        check_record_scenarios(magnitude, distance, 16)


def test_bad_record_scenarios_rejected_before_training(data):
    gen = TimesNetGenerator(**TINY)
    with pytest.raises(ValueError, match="distance must be positive"):
        gen.fit(data.X, data.stations, magnitude=data.magnitude, distance=-data.distance)
    assert not hasattr(gen, "module_")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(magnitude=6.0), ValueError, "only magnitude"),
        (dict(magnitude=6.0, distance=0.0), ValueError, "distance must be positive"),
        (dict(magnitude=np.nan, distance=10.0), ValueError, "magnitude must be finite"),
        (dict(magnitude=[6.0], distance=10.0), TypeError, "magnitude must be a real number"),
    ],
)
def test_bad_target_scenario(data, fitted, kwargs, error, match):
    with pytest.raises(error, match=match):
        fitted.sample(data.stations[0], 1, **kwargs)


def test_bad_bandwidth(data, fitted):
    gen = TimesNetGenerator(**TINY, sampler=MixingSampler(scenario_bandwidth=(0.5,)))
    with pytest.raises(ValueError, match="scenario_bandwidth must be a pair"):
        gen.fit(data.X, data.stations)
    gen = TimesNetGenerator(**TINY, sampler=MixingSampler(scenario_bandwidth=(0.5, 0.0)))
    with pytest.raises(ValueError, match="scenario_bandwidth"):
        gen.fit(data.X, data.stations)
    # and at sample time, before any draw, with another sampler
    with pytest.raises(ValueError, match="scenario_bandwidth"):
        fitted.sample(data.stations[0], 1, sampler=MixingSampler(scenario_bandwidth=(0, 1)))


def test_out_of_range_scenario_warns_how_far(data, fitted):
    station = data.stations[0]
    rows = data.stations == station
    top = data.magnitude[rows].max()
    far = data.distance[rows].max()
    with pytest.warns(UserWarning, match=r"above the largest") as record:
        fitted.sample(station, 1, magnitude=top + 1.0, distance=2 * far, random_state=0)
    message = str(record[0].message)
    assert "1.00 above" in message and "2.00x the largest" in message
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fitted.sample(station, 1, magnitude=top, distance=far, random_state=0)


# -- evaluation ------------------------------------------------------------
def test_scenario_errors_with_a_replaying_generator(resampling_generator):
    d = make_strong_motion(n_stations=3, records_per_station=8, n_times=1024, random_state=2)
    gen = resampling_generator().fit(d.X, d.stations)
    errors = scenario_errors(gen, d.X, d.stations, d.magnitude, d.distance, random_state=0)
    assert len(errors.rows) == 12 and errors.conditioned.shape == (12,)
    summary = errors.summary()
    # The simulator's ln PSA is close to linear in M and ln R: the model
    # alone predicts far better than a random record of the station, and a
    # scaled replay of records near the scenario beats a plain replay.
    assert summary["gmm"] < 0.5 * summary["unconditioned"]
    assert summary["conditioned"] < summary["unconditioned"]
    np.testing.assert_array_equal(np.sort(errors.rows), np.sort(errors.rows))
    again = scenario_errors(gen, d.X, d.stations, d.magnitude, d.distance, random_state=0)
    np.testing.assert_array_equal(again.conditioned, errors.conditioned)
    with pytest.raises(ValueError, match="magnitude and distance"):
        scenario_errors(gen, d.X, d.stations, None, None)


def test_bank_without_scenario_keys_gains_them(data, fitted):
    # A model file saved before scenarios existed has no such keys.
    station = data.stations[0]
    rows = np.flatnonzero(data.stations == station)
    gen = fitted.with_bank(data.X[rows[:4]], data.stations[rows[:4]])
    for key in ("magnitude", "distance", "log_fas"):
        del gen.bank_[station][key]
    gen.add_stations(
        data.X[rows[4:]],
        data.stations[rows[4:]],
        magnitude=data.magnitude[rows[4:]],
        distance=data.distance[rows[4:]],
    )
    np.testing.assert_array_equal(gen.bank_[station]["magnitude"][:4], np.nan)
    np.testing.assert_array_equal(gen.bank_[station]["magnitude"][4:], data.magnitude[rows[4:]])
    assert gen.bank_[station]["log_fas"].shape[0] == 8
