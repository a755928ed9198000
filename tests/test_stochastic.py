"""StochasticGenerator: seeded noise shaped by the station's records, no network."""

import numpy as np
import pytest
from sklearn.base import clone

from skgen import MixingSampler, StochasticGenerator, load, make_strong_motion
from skgen._mixing import band_amplitudes, envelope_width, log_envelope

N_TIMES = 512


@pytest.fixture(scope="module")
def data():
    return make_strong_motion(n_stations=2, records_per_station=6, n_times=N_TIMES, random_state=0)


@pytest.fixture(scope="module")
def fitted(data):
    return StochasticGenerator().fit(
        data.X, data.stations, magnitude=data.magnitude, distance=data.distance
    )


def _mixed_normalised(gen, station, sampler, n_samples, seed):
    """Generated records in normalised units, with their mixtures' indices and
    weights (the sampler's own draws)."""
    entry = gen.bank_[station]
    X, indices, weights = gen._draw(entry, n_samples, np.random.RandomState(seed), sampler)
    mu = np.einsum("sk,skc->sc", weights, entry["mu"][indices])
    sigma = np.exp(np.einsum("sk,skc->sc", weights, np.log(entry["sigma"][indices])))
    return (X - mu[..., None]) / sigma[..., None], entry, indices, weights


def test_seeded_and_new_every_draw(data, fitted):
    station = data.stations[0]
    first = fitted.sample(station, 4, random_state=3)
    assert first.shape == (4, 3, N_TIMES) and first.dtype == np.float32
    np.testing.assert_array_equal(fitted.sample(station, 4, random_state=3), first)
    assert not np.allclose(fitted.sample(station, 4, random_state=4), first)
    # Records differ from each other: fresh noise, not one waveform.
    assert abs(np.corrcoef(first[0, 0], first[1, 0])[0, 1]) < 0.5


def test_band_amplitudes_are_the_records_weighted_geometric_mean(data, fitted):
    sampler = MixingSampler(n_mix=3)
    normalised, entry, indices, weights = _mixed_normalised(fitted, data.stations[1], sampler, 6, 0)
    target = np.exp(np.einsum("sk,skcb->scb", weights, np.log(entry["band"][indices])))
    # The restores end on the spectrum: its bands match to float32 round-off.
    np.testing.assert_allclose(band_amplitudes(normalised), target, rtol=5e-3)


def test_envelope_is_the_records_weighted_geometric_mean(data, fitted):
    # Without alignment the target is the unshifted envelopes' mean.
    sampler = MixingSampler(n_mix=3, restore=None, align_onsets=False)
    normalised, entry, indices, weights = _mixed_normalised(fitted, data.stations[0], sampler, 6, 1)
    target = np.einsum("sk,skct->sct", weights, entry["envelope"][indices])
    measured = log_envelope(normalised, envelope_width(fitted.fs, N_TIMES))
    strong = target > target.max(axis=-1, keepdims=True) + np.log(1e-2)
    error = np.abs(measured - target)[strong]
    # One envelope pass on 5 s of noise with a 1 s window (the gain is
    # interpolated between grid points and the noise's own envelope
    # fluctuates): measured median 0.10 and 90th percentile 0.25 in ln power.
    assert np.median(error) < 0.2 and np.percentile(error, 90) < 0.4
    # Unshaped noise is far off: the restore does the work.
    flat = log_envelope(np.random.default_rng(0).standard_normal(normalised.shape), 100)
    assert np.median(np.abs(flat - target)[strong]) > 2 * np.median(error)


def test_intensity_of_generated_records_follows_the_station(data, fitted):
    """Median PGA of generated records within 1.5x of the station's records'
    (default sampler: spectrum and envelope restored)."""
    for station in fitted.stations_:
        real = np.abs(data.X[data.stations == station]).max(axis=2).mean(axis=1)
        generated = np.abs(fitted.sample(station, 40, random_state=0)).max(axis=2).mean(axis=1)
        assert 1 / 1.5 < np.median(generated) / np.median(real) < 1.5, station


def test_scenario_sampling_scales_with_magnitude(data, fitted):
    station = data.stations[0]
    rows = data.stations == station
    m, r = float(np.median(data.magnitude[rows])), float(np.median(data.distance[rows]))
    weak = fitted.sample(station, 20, random_state=0, magnitude=m, distance=r)
    strong = fitted.sample(station, 20, random_state=0, magnitude=m + 0.3, distance=r)
    assert weak.shape == (20, 3, N_TIMES)
    assert np.median(np.abs(strong).max(axis=2)) > np.median(np.abs(weak).max(axis=2))


def test_save_load_round_trip(data, fitted, tmp_path):
    path = tmp_path / "stochastic.skgen"
    fitted.save(path)
    restored = load(path)
    assert type(restored) is StochasticGenerator
    assert list(restored.stations_) == list(fitted.stations_)
    station = data.stations[0]
    np.testing.assert_array_equal(
        restored.sample(station, 3, random_state=2), fitted.sample(station, 3, random_state=2)
    )


def test_add_stations_without_training(data):
    gen = StochasticGenerator().fit(data.X[:6], data.stations[:6])
    gen.add_stations(data.X[6:], np.full(6, "NEW"))
    assert list(gen.stations_) == [data.stations[0], "NEW"]
    assert gen.sample("NEW", 2, random_state=0).shape == (2, 3, N_TIMES)


def test_sklearn_parameters_and_clone():
    gen = StochasticGenerator(fs=50.0, sampler=MixingSampler(n_mix=2))
    params = gen.get_params()
    assert params["fs"] == 50.0 and params["sampler__n_mix"] == 2
    cloned = clone(gen)
    assert cloned.sampler is not gen.sampler and cloned.get_params()["sampler__n_mix"] == 2
    default = StochasticGenerator().set_params(sampler__n_mix=3)
    assert default.sampler.n_mix == 3


@pytest.mark.parametrize(
    "params, error, match",
    [
        (dict(fs=0.0), ValueError, r"'fs' parameter of StochasticGenerator"),
        (dict(n_times=0), ValueError, r"'n_times' parameter of StochasticGenerator"),
        (dict(sampler="noise"), TypeError, r"'sampler' parameter of StochasticGenerator"),
        (dict(sampler=MixingSampler(n_mix=0)), ValueError, r"'n_mix' parameter of MixingSampler"),
        (
            dict(sampler=MixingSampler(sample_noise=0.1)),
            ValueError,
            r"no latent space: the sampler's sample_noise must be 0, got 0.1",
        ),
    ],
)
def test_bad_parameters(data, params, error, match):
    with pytest.raises(error, match=match):
        StochasticGenerator(**params).fit(data.X, data.stations)


def test_bad_input(data, fitted):
    bad = data.X.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        StochasticGenerator().fit(bad, data.stations)
    assert not np.isnan(data.X).any()
    with pytest.raises(ValueError, match="12 records"):
        StochasticGenerator().fit(data.X, data.stations[:5])
    with pytest.raises(ValueError, match="Unknown station 'Z'"):
        fitted.sample("Z")
    with pytest.raises(ValueError, match="n_times=512"):
        fitted.add_stations(data.X[:, :, :100], data.stations)


def test_records_source_with_one_record_and_no_restores_returns_a_station_record(data):
    # n_mix=1 without restores or alignment: the mixture is one normalised
    # record, de-normalised with its own mu and sigma, i.e. the record itself.
    sampler = MixingSampler(n_mix=1, restore=None, restore_envelope=False, align_onsets=False)
    gen = StochasticGenerator(sampler=sampler, source="records").fit(data.X, data.stations)
    station = data.stations[0]
    pool = data.X[data.stations == station]
    generated = gen.sample(station, 5, random_state=0)
    for record in generated:
        error = np.abs(pool - record).max(axis=(1, 2)) / np.abs(pool).max()
        assert error.min() < 1e-5
    # The noise source under the same sampler gives no station record.
    noise = StochasticGenerator(sampler=sampler).fit(data.X, data.stations)
    record = noise.sample(station, 1, random_state=0)[0]
    assert (np.abs(pool - record).max(axis=(1, 2)) / np.abs(pool).max()).min() > 0.1


def test_records_source_keeps_the_bank_records_and_the_restores(data):
    gen = StochasticGenerator(source="records").fit(data.X, data.stations)
    station = data.stations[1]
    assert gen.bank_[station]["recon"].shape == (6, 3, N_TIMES)
    sampler = MixingSampler(n_mix=3)
    normalised, entry, indices, weights = _mixed_normalised(gen, station, sampler, 4, 0)
    target = np.exp(np.einsum("sk,skcb->scb", weights, np.log(entry["band"][indices])))
    np.testing.assert_allclose(band_amplitudes(normalised), target, rtol=5e-3)
    with pytest.raises(ValueError, match="'source' parameter of StochasticGenerator"):
        StochasticGenerator(source="network").fit(data.X, data.stations)
