"""EvolutionarySampler: one parent record per generated record, new phases in
its time-frequency cells, the parent's band amplitudes and envelope."""

import numpy as np
import pytest
import scipy.signal
from _testing import MINIMAL_TIMESNET
from sklearn.base import clone

from skgen import (
    EvolutionarySampler,
    MixingSampler,
    StochasticGenerator,
    TimesNetGenerator,
    load,
    make_strong_motion,
)
from skgen._evolutionary import draw_phases, evolutionary_surrogates, window_samples
from skgen._mixing import band_amplitudes, envelope_width, log_envelope

N_TIMES = 1024
FS = 100.0


class _NoTurns:
    """A phase generator whose every turn is zero."""

    def random(self, shape, dtype):
        return np.zeros(shape, dtype)


@pytest.fixture(scope="module")
def data():
    return make_strong_motion(n_stations=2, records_per_station=6, n_times=N_TIMES, random_state=0)


@pytest.fixture(scope="module")
def fitted(data):
    return StochasticGenerator(source="records", sampler=EvolutionarySampler()).fit(
        data.X, data.stations, magnitude=data.magnitude, distance=data.distance
    )


def _burst(t, centre, frequency, width=2.0):
    return np.exp(-0.5 * ((t - centre) / width) ** 2) * np.sin(2 * np.pi * frequency * t)


@pytest.mark.parametrize("width", [8, 64, 256])
def test_zero_turns_give_the_record_back(width):
    # Weighted overlap-add inverts the STFT exactly: all that changes a record
    # is the phases.
    x = np.random.default_rng(0).standard_normal((2, 3, 700)).astype(np.float32)
    turns = draw_phases(len(x), x.shape[-1], width, _NoTurns())
    np.testing.assert_allclose(evolutionary_surrogates(x, width, turns), x, atol=2e-5)


def test_window_samples():
    assert window_samples(2.56, 100.0, 6000) == 256
    assert window_samples(2.56, 200.0, 6000) == 512
    assert window_samples(1.0, 100.0, 6000) == 100
    assert window_samples(1.03, 100.0, 6000) == 100  # 103 rounded down to a multiple of 4
    assert window_samples(2.56, 100.0, 50) == 48  # at most the record
    assert window_samples(0.01, 100.0, 6000) == 4


def test_surrogates_are_new_waveforms_with_the_records_energy():
    x = np.random.default_rng(0).standard_normal((4, 3, 6000)).astype(np.float32)
    y = evolutionary_surrogates(x, 256, np.random.default_rng(1))
    assert y.shape == x.shape and y.dtype == np.float32
    np.testing.assert_allclose(np.sqrt(np.mean(y**2, -1)), np.sqrt(np.mean(x**2, -1)), rtol=1e-4)
    correlation = [abs(np.corrcoef(x[i, c], y[i, c])[0, 1]) for i in range(4) for c in range(3)]
    assert max(correlation) < 0.1
    # seeded
    np.testing.assert_array_equal(evolutionary_surrogates(x, 256, np.random.default_rng(1)), y)


def test_one_phase_per_cell_keeps_every_linear_relation_between_components():
    # N = -0.5 E exactly (a polarised wave), U independent: the surrogate keeps
    # N = -0.5 E sample by sample, while U stays incoherent with E.
    rng = np.random.default_rng(2)
    east = rng.standard_normal(3000)
    x = np.stack([east, -0.5 * east, rng.standard_normal(3000)])[None].astype(np.float32)
    y = evolutionary_surrogates(x, 256, np.random.default_rng(3))[0]
    np.testing.assert_allclose(y[1], -0.5 * y[0], atol=1e-5 * np.abs(y[0]).max())
    assert abs(np.corrcoef(y[0], y[2])[0, 1]) < 0.1


def test_quadrature_between_components_survives():
    # A Rayleigh-like pair: U a quarter period from E at 1 Hz. Independent
    # phases per component would leave the E-U cross-spectrum near zero; the
    # shared phase keeps it imaginary with coherence near 1.
    t = np.arange(6000) / FS
    envelope = np.exp(-0.5 * ((t - 30) / 8) ** 2)
    east = envelope * np.sin(2 * np.pi * 1.0 * t)
    up = envelope * np.cos(2 * np.pi * 1.0 * t)
    x = np.stack([east, np.zeros_like(t), up])[None].astype(np.float32)
    x[:, 1] = 1e-3 * np.random.default_rng(0).standard_normal(6000)
    y = evolutionary_surrogates(x, 256, np.random.default_rng(4))[0]
    f, cross = scipy.signal.csd(y[0], y[2], FS, nperseg=512)
    _, coherence = scipy.signal.coherence(y[0], y[2], FS, nperseg=512)
    near = np.argmin(np.abs(f - 1.0))
    assert coherence[near] > 0.9
    assert abs(cross[near].imag) > 0.9 * abs(cross[near])


def test_when_each_band_arrives_is_kept():
    # 8 Hz energy at 10 s, 1 Hz energy at 40 s: after new phases, each band's
    # energy centroid stays within a window of its time.
    t = np.arange(6000) / FS
    x = (_burst(t, 10, 8.0) + _burst(t, 40, 1.0))[None, None].repeat(3, axis=1)
    y = evolutionary_surrogates(x.astype(np.float32), 256, np.random.default_rng(5))[0, 0]
    for frequency, centre in ((8.0, 10), (1.0, 40)):
        sos = scipy.signal.butter(
            4, (frequency / 1.5, frequency * 1.5), "bandpass", fs=FS, output="sos"
        )
        power = scipy.signal.sosfiltfilt(sos, y) ** 2
        assert abs(np.sum(t * power) / np.sum(power) - centre) < 2.56


def test_parents_cycle_through_the_station_records(fitted, data):
    entry = fitted.bank_[data.stations[0]]
    X, indices, weights = fitted._draw(entry, 13, np.random.RandomState(0))
    assert X.shape == (13, 3, N_TIMES) and indices.shape == (13, 1)
    np.testing.assert_array_equal(weights, np.ones((13, 1)))
    counts = np.bincount(indices[:, 0], minlength=6)
    # 13 records from 6 parents: each parents 2 or 3, the first 12 each twice
    assert counts.min() == 2 and counts.max() == 3
    assert sorted(np.bincount(indices[:12, 0], minlength=6)) == [2] * 6


def test_records_get_their_parents_bands_envelope_and_amplitude(fitted, data):
    entry = fitted.bank_[data.stations[1]]
    X, indices, _ = fitted._draw(entry, 12, np.random.RandomState(1))
    parents = indices[:, 0]
    mu, sigma = entry["mu"][parents][..., None], entry["sigma"][parents][..., None]
    normalised = (X - mu) / sigma
    # the restores end on the spectrum: bands to float32 round-off
    np.testing.assert_allclose(band_amplitudes(normalised), entry["band"][parents], rtol=5e-3)
    measured = log_envelope(normalised, envelope_width(FS, N_TIMES))
    target = entry["envelope"][parents]
    strong = target > target.max(axis=-1, keepdims=True) + np.log(1e-2)
    assert np.median(np.abs(measured - target)[strong]) < np.log(1.25)
    # new waveforms: far from their parents
    records = entry["recon"][parents]
    correlation = np.sum(normalised * records, -1) / np.sqrt(
        np.sum(normalised**2, -1) * np.sum(records**2, -1)
    )
    assert np.median(np.abs(correlation)) < 0.3


def test_phases_drawn_in_pieces_or_at_once_are_the_same():
    whole = draw_phases(40, 1000, 64, np.random.default_rng(5))
    rng = np.random.default_rng(5)
    pieces = [draw_phases(n, 1000, 64, rng) for n in (16, 3, 21)]
    np.testing.assert_array_equal(np.concatenate(pieces), whole)
    # (records, 1 shared by the channels, windows of the padded record, bins)
    assert whole.shape == (40, 1, -(-(1000 + 2 * 64) // 16) - 3, 33)
    x = np.random.default_rng(0).standard_normal((40, 3, 1000)).astype(np.float32)
    np.testing.assert_array_equal(
        evolutionary_surrogates(x, 64, whole),
        evolutionary_surrogates(x, 64, np.random.default_rng(5)),
    )


def test_records_do_not_depend_on_the_threads(fitted, data, monkeypatch):
    # More records than a chunk, so that chunks run on several threads.
    import skgen.sampling

    station = data.stations[0]
    n = 2 * skgen.sampling._CHUNK_RECORDS + 7
    monkeypatch.setattr(skgen.sampling, "_THREADS", 1)
    one = fitted.sample(station, n, random_state=2)
    monkeypatch.setattr(skgen.sampling, "_THREADS", 3)
    np.testing.assert_array_equal(fitted.sample(station, n, random_state=2), one)


def test_seeded_and_saved(fitted, data, tmp_path):
    station = data.stations[0]
    first = fitted.sample(station, 5, random_state=3)
    np.testing.assert_array_equal(fitted.sample(station, 5, random_state=3), first)
    assert not np.allclose(fitted.sample(station, 5, random_state=4), first)
    path = tmp_path / "evolutionary.skgen"
    fitted.save(path)
    loaded = load(path)
    assert isinstance(loaded.sampler, EvolutionarySampler)
    np.testing.assert_array_equal(loaded.sample(station, 5, random_state=3), first)


def test_scenario_favours_near_parents(fitted, data):
    station = data.stations[0]
    rows = np.flatnonzero(data.stations == station)
    nearest = rows[np.argmax(data.magnitude[rows])]
    target = dict(magnitude=float(data.magnitude[nearest]), distance=float(data.distance[nearest]))
    entry = fitted.bank_[station]
    rng = np.random.RandomState(0)
    log_weights = fitted.sampler._scenario_log_weights(
        entry, (target["magnitude"], target["distance"])
    )
    _, indices, _ = fitted.sampler.sample(
        entry, 200, rng, fs=FS, n_times=N_TIMES, scenario=(target["magnitude"], target["distance"])
    )
    share = np.bincount(indices[:, 0], minlength=len(rows)) / 200
    expected = np.exp(log_weights - np.logaddexp.reduce(log_weights))
    np.testing.assert_allclose(share, expected, atol=0.1)
    records = fitted.sample(station, 3, random_state=0, **target)
    assert records.shape == (3, 3, N_TIMES) and np.all(np.isfinite(records))


def test_timesnet_samples_with_it():
    data = make_strong_motion(n_stations=2, records_per_station=4, n_times=256, random_state=1)
    gen = TimesNetGenerator(
        n_times=256, epochs=1, noise_epochs=1, random_state=0, **MINIMAL_TIMESNET
    ).fit(data.X, data.stations)
    station = data.stations[0]
    # the default sampler of TimesNet-Gen
    evolved = gen.sample(station, 4, random_state=0)
    explicit = gen.sample(station, 4, random_state=0, sampler=EvolutionarySampler())
    np.testing.assert_array_equal(explicit, evolved)
    mixed = gen.sample(station, 4, random_state=0, sampler=MixingSampler())
    assert mixed.shape == evolved.shape and not np.allclose(mixed, evolved)


def test_nested_parameters():
    gen = StochasticGenerator(source="records", sampler=EvolutionarySampler())
    gen.set_params(sampler__window=5.12)
    assert gen.get_params()["sampler__window"] == 5.12
    assert clone(gen).sampler.window == 5.12


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(window=0), "window"),
        (dict(window="2"), "window"),
        (dict(restore="peak"), "restore"),
        (dict(restore_envelope="yes"), "restore_envelope"),
        (dict(scenario_bandwidth=(0.5, -1)), "bandwidth"),
    ],
)
def test_bad_parameters_fail_fit(data, params, match):
    gen = StochasticGenerator(source="records", sampler=EvolutionarySampler(**params))
    with pytest.raises((ValueError, TypeError), match=match):
        gen.fit(data.X, data.stations)


def test_noise_source_is_refused_with_the_fix(data):
    with pytest.raises(ValueError, match="source='records'"):
        StochasticGenerator(sampler=EvolutionarySampler()).fit(data.X, data.stations)
    # and at sample time, for a noise bank reached with another sampler
    gen = StochasticGenerator().fit(data.X, data.stations)
    with pytest.raises(ValueError, match="source='records'"):
        gen.sample(data.stations[0], 2, sampler=EvolutionarySampler())


def test_generated_records_vary_as_much_as_the_station_records():
    # One parent per record, parents cycling: the spread of ln PGA and ln
    # Arias across generated records is the station's; mixtures compress it.
    from skgen.signal import arias_intensity, pga

    data = make_strong_motion(n_stations=2, records_per_station=10, n_times=2048, random_state=3)
    gen = StochasticGenerator(source="records").fit(data.X, data.stations)
    for station in np.unique(data.stations):
        real = data.X[data.stations == station]
        ratios = {}
        for name, sampler in (("evolutionary", EvolutionarySampler()), ("mixing", None)):
            X = gen.sample(station, 40, random_state=0, sampler=sampler)
            ratios[name] = [
                np.std(np.log(measure(X))) / np.std(np.log(measure(real)))
                for measure in (pga, lambda x: arias_intensity(x, FS).sum(axis=-1))
            ]
        assert all(0.85 < r < 1.2 for r in ratios["evolutionary"]), ratios
        assert all(r < 0.8 for r in ratios["mixing"]), ratios
