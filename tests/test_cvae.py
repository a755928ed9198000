"""SpectrogramCVAEGenerator, its network, and batched Griffin-Lim."""

import pickle

import numpy as np
import pytest
import torch
from scipy import signal
from sklearn.base import clone

from skgen._cvae import SpectrogramCVAEGenerator, station_gaussian
from skgen._mixing import band_amplitudes
from skgen.nn.cvae import SpectrogramCVAE, kl_divergence
from skgen.nn.griffin_lim import griffin_lim, istft, spectral_convergence, stft

FS = 100.0
TINY = dict(
    n_times=400,
    n_fft=64,
    hop_length=16,
    channels=(4, 8),
    latent_dim=4,
    epochs=2,
    batch_size=8,
    griffin_lim_iters=4,
)


def _records(n_stations=2, per_station=4, n_times=400, seed=0):
    """Noise records whose horizontals resonate at a station frequency."""
    rng = np.random.default_rng(seed)
    X, stations = [], []
    for s in range(n_stations):
        sos = signal.butter(4, [4.0 + 12 * s, 8.0 + 12 * s], "bandpass", fs=FS, output="sos")
        for _ in range(per_station):
            noise = rng.standard_normal((3, n_times))
            noise[:2] = 3 * signal.sosfilt(sos, noise[:2])
            X.append(noise)
            stations.append(f"S{s}")
    return np.asarray(X, dtype=np.float32), np.array(stations)


@pytest.fixture(scope="module")
def fitted():
    X, stations = _records()
    return SpectrogramCVAEGenerator(**TINY, random_state=0).fit(X, stations), X, stations


def _chirp_and_sines(n_times=2000):
    t = np.arange(n_times) / FS
    x = signal.chirp(t, f0=1.0, t1=t[-1], f1=20.0) + 0.5 * np.sin(2 * np.pi * 7.0 * t)
    return torch.tensor(x * signal.windows.tukey(n_times, 0.2), dtype=torch.float64)


# -- STFT and Griffin-Lim --------------------------------------------------
def test_stft_matches_scipy():
    x = _chirp_and_sines(1000)
    ours = stft(x, 128, 16).numpy()
    # scipy scales by 1 / sum(window) and uses the same zero-padded centring.
    _, _, ref = signal.stft(
        x.numpy(), nperseg=128, noverlap=112, window="hann", boundary="zeros", padded=True
    )
    ref = ref[:, : ours.shape[1]] * signal.get_window("hann", 128).sum()
    assert ours.shape == (65, 1 + 1000 // 16)
    np.testing.assert_allclose(ours, ref, atol=1e-9)


@pytest.mark.parametrize("n_times", [1, 7, 399])
def test_istft_inverts_stft_for_any_length(n_times):
    x = torch.randn(2, 3, n_times, dtype=torch.float64)
    spectrum = stft(x, 64, 16)
    assert spectrum.shape == (2, 3, 33, 1 + n_times // 16)
    torch.testing.assert_close(istft(spectrum, 64, 16, n_times), x)


def test_griffin_lim_recovers_magnitude():
    x = _chirp_and_sines()
    magnitude = stft(x, 128, 16).abs()
    estimate = griffin_lim(
        magnitude, 128, 16, n_iter=100, length=len(x), generator=torch.Generator().manual_seed(0)
    )
    assert estimate.shape == x.shape and estimate.dtype == x.dtype
    error = spectral_convergence(magnitude, stft(estimate, 128, 16).abs())
    assert error < 0.05
    start = spectral_convergence(
        magnitude,
        stft(
            griffin_lim(
                magnitude,
                128,
                16,
                n_iter=0,
                length=len(x),
                generator=torch.Generator().manual_seed(0),
            ),
            128,
            16,
        ).abs(),
    )
    assert start > 0.3


def test_fast_griffin_lim_beats_plain_at_equal_iterations():
    x = _chirp_and_sines()
    magnitude = stft(x, 128, 16).abs()

    def error(momentum):
        estimate = griffin_lim(
            magnitude,
            128,
            16,
            n_iter=32,
            length=len(x),
            momentum=momentum,
            generator=torch.Generator().manual_seed(0),
        )
        return spectral_convergence(magnitude, stft(estimate, 128, 16).abs())

    assert error(0.99) < 0.75 * error(0.0)


def test_griffin_lim_batched_and_seeded():
    magnitude = stft(torch.randn(2, 3, 300), 64, 16).abs()
    a = griffin_lim(magnitude, 64, 16, 5, 300, generator=torch.Generator().manual_seed(1))
    b = griffin_lim(magnitude, 64, 16, 5, 300, generator=torch.Generator().manual_seed(1))
    c = griffin_lim(magnitude, 64, 16, 5, 300, generator=torch.Generator().manual_seed(2))
    assert a.shape == (2, 3, 300) and a.dtype == torch.float32
    torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert not torch.equal(a, c)
    zeros = griffin_lim(magnitude, 64, 16, 5, 300, init="zeros")
    torch.testing.assert_close(zeros, griffin_lim(magnitude, 64, 16, 5, 300, init="zeros"))
    # Default length: as many samples as the frames span.
    assert griffin_lim(magnitude, 64, 16, 0).shape[-1] == 16 * (magnitude.shape[-1] - 1)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_iter=-1), "n_iter must be a non-negative integer"),
        (dict(momentum=1.0), r"momentum must be in \[0, 1\)"),
        (dict(init="ones"), "init must be 'random' or 'zeros'"),
        (dict(n_fft=128), "n_fft // 2 \\+ 1 = 65"),
    ],
)
def test_griffin_lim_errors(kwargs, match):
    magnitude = torch.ones(33, 10)
    arguments = dict(n_fft=64, hop_length=16) | kwargs
    with pytest.raises(ValueError, match=match):
        griffin_lim(magnitude, **arguments)


# -- network ---------------------------------------------------------------
@pytest.mark.parametrize("n_freqs, n_frames", [(33, 26), (5, 1), (129, 188)])
def test_network_shapes(n_freqs, n_frames):
    net = SpectrogramCVAE(3, n_freqs, n_frames, n_slots=3, channels=(4, 4, 8), latent_dim=5)
    x = torch.randn(2, 3, n_freqs, n_frames)
    slot = torch.tensor([0, 2])
    reconstruction, mean, logvar = net(x, slot)
    assert reconstruction.shape == x.shape
    assert mean.shape == logvar.shape == (2, 5)
    # The condition reaches both halves: another slot changes both outputs.
    other = torch.tensor([1, 1])
    assert not torch.equal(net.encode(x, slot)[0], net.encode(x, other)[0])
    assert not torch.equal(net.decode(mean, slot), net.decode(mean, other))


def test_kl_divergence_matches_torch_distributions():
    mean, logvar = torch.randn(4, 3), torch.randn(4, 3)
    posterior = torch.distributions.Normal(mean, torch.exp(0.5 * logvar))
    prior = torch.distributions.Normal(torch.zeros(3), torch.ones(3))
    expected = torch.distributions.kl_divergence(posterior, prior).sum(dim=1)
    torch.testing.assert_close(kl_divergence(mean, logvar), expected)


# -- station latent model ---------------------------------------------------
def test_station_gaussian_moment_matches_the_mixture():
    mean = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, -1.0]])
    variance = np.array([[1.0, 2.0], [3.0, 4.0], [2.0, 0.0]]) + 0.5
    centre, covariance = station_gaussian(mean, np.log(variance))
    np.testing.assert_allclose(centre, [2.0, 1.0])
    # Hand-computed: biased covariance of the means plus the mean variance.
    expected = np.array([[8 / 3, -4 / 3], [-4 / 3, 8 / 3]]) + np.diag([2.5, 2.5])
    np.testing.assert_allclose(covariance, expected)
    # Against a Monte-Carlo draw from the mixture itself.
    rng = np.random.default_rng(0)
    which = rng.integers(3, size=200_000)
    draws = mean[which] + np.sqrt(variance[which]) * rng.standard_normal((200_000, 2))
    np.testing.assert_allclose(np.cov(draws, rowvar=False), covariance, atol=0.05)


def test_station_gaussian_one_record_is_its_posterior():
    centre, covariance = station_gaussian([[1.0, -2.0, 0.5]], np.log([[0.1, 1.0, 3.0]]))
    np.testing.assert_allclose(centre, [1.0, -2.0, 0.5])
    np.testing.assert_allclose(covariance, np.diag([0.1, 1.0, 3.0]))


# -- estimator ---------------------------------------------------------------
def test_fit_attributes_and_sample_shapes(fitted):
    gen, X, stations = fitted
    assert gen.station_index_ == {"S0": 0, "S1": 1}
    assert gen.n_times_ == 400 and gen.n_channels_ == 3
    assert set(gen.history_) == {"loss", "reconstruction", "kl", "validation"}
    assert gen.history_["validation"] == []  # no early stopping by default
    assert all(len(gen.history_[key]) == TINY["epochs"] for key in ("loss", "reconstruction", "kl"))
    np.testing.assert_allclose(
        gen.history_["loss"],
        np.add(gen.history_["reconstruction"], gen.beta * np.array(gen.history_["kl"])),
        rtol=1e-5,
    )
    entry = gen.bank_["S0"]
    assert entry["mean"].shape == entry["logvar"].shape == (4, 4)
    np.testing.assert_array_equal(entry["slot"], 0)
    np.testing.assert_array_equal(entry["band"], band_amplitudes(X[stations == "S0"]))
    assert not any(p.requires_grad for p in gen.module_.parameters())
    samples = gen.sample("S1", n_samples=3, random_state=0)
    assert samples.shape == (3, 3, 400) and samples.dtype == np.float32
    assert np.all(np.isfinite(samples)) and samples.std() > 0


def test_standardisation_learned_from_training_spectrograms(fitted):
    gen, X, _ = fitted
    log_magnitude = np.log(
        np.abs(
            signal.stft(
                X,
                nperseg=64,
                noverlap=48,
                window="hann",
                boundary="zeros",
                padded=True,
            )[2][..., : 1 + 400 // 16]
            * signal.get_window("hann", 64).sum()
        )
        + gen.magnitude_floor_
    )
    np.testing.assert_allclose(gen.spectrogram_mean_, log_magnitude.mean(), rtol=1e-4)
    np.testing.assert_allclose(gen.spectrogram_std_, log_magnitude.std(), rtol=1e-4)


def test_learns_station_spectra():
    X, stations = _records(per_station=6)
    gen = SpectrogramCVAEGenerator(
        **(
            TINY
            | dict(
                channels=(8, 16),
                latent_dim=2,
                epochs=60,
                lr=3e-3,
                batch_size=4,
                griffin_lim_iters=16,
            )
        ),
        random_state=0,
    ).fit(X, stations)
    assert gen.history_["reconstruction"][-1] < 0.5 * gen.history_["reconstruction"][0]
    freqs = np.fft.rfftfreq(400, 1 / FS)

    def centroid(records):
        power = np.abs(np.fft.rfft(records[:, :2], axis=-1)) ** 2
        return float((power * freqs).sum() / power.sum())

    # Horizontals of S0 resonate at 4-8 Hz (centroid about 6 Hz), those of
    # S1 at 16-20 Hz (about 18 Hz); each station's samples stay on its side.
    assert centroid(X[stations == "S0"]) < 12 < centroid(X[stations == "S1"])
    assert centroid(gen.sample("S0", 8, random_state=0)) < 12
    assert centroid(gen.sample("S1", 8, random_state=0)) > 12


def test_same_seed_same_model_and_samples(fitted):
    gen, X, stations = fitted
    again = clone(gen).fit(X, stations)
    for (name, a), b in zip(gen.module_.state_dict().items(), again.module_.state_dict().values()):
        torch.testing.assert_close(a, b, rtol=0, atol=0, msg=name)
    np.testing.assert_array_equal(
        gen.sample("S0", 2, random_state=3), again.sample("S0", 2, random_state=3)
    )
    assert not np.array_equal(
        gen.sample("S0", 2, random_state=3), gen.sample("S0", 2, random_state=4)
    )
    other = clone(gen).set_params(random_state=1).fit(X, stations)
    assert not torch.equal(other.module_.mean_head.weight, gen.module_.mean_head.weight)


def test_unknown_station_error(fitted):
    gen, _, _ = fitted
    with pytest.raises(ValueError, match="Unknown station 'nowhere'.*'S0', 'S1'"):
        gen.sample("nowhere")


def test_add_stations_frozen_weights_and_unknown_slot(fitted):
    gen, X, _ = fitted
    gen = pickle.loads(pickle.dumps(gen))
    before = {k: v.clone() for k, v in gen.module_.state_dict().items()}
    new, _ = _records(n_stations=1, per_station=3, seed=5)
    gen.add_stations(np.concatenate([new, X[:1]]), ["NEW"] * 3 + ["S0"])
    for name, value in gen.module_.state_dict().items():
        torch.testing.assert_close(value, before[name], rtol=0, atol=0, msg=name)
    np.testing.assert_array_equal(gen.bank_["NEW"]["slot"], 2)
    np.testing.assert_array_equal(gen.bank_["S0"]["slot"], 0)
    assert gen.bank_["S0"]["mean"].shape == (5, 4)
    samples = gen.sample("NEW", 2, random_state=0)
    assert samples.shape == (2, 3, 400) and np.all(np.isfinite(samples))
    # One record suffices for a station.
    gen.add_stations(new[:1], ["LONE"])
    assert gen.sample("LONE", 2, random_state=0).shape == (2, 3, 400)


def test_reconstruct(fitted):
    gen, X, stations = fitted
    out = gen.reconstruct(X[:3], random_state=0)
    assert out.shape == (3, 3, 400) and out.dtype == np.float32
    np.testing.assert_array_equal(out, gen.reconstruct(X[:3], random_state=0))
    conditioned = gen.reconstruct(X[:3], stations[:3], random_state=0)
    assert conditioned.shape == (3, 3, 400) and not np.array_equal(conditioned, out)
    with pytest.raises(ValueError, match="500 samples, longer than the model's n_times=400"):
        gen.reconstruct(np.zeros((1, 3, 500)))


def _centroid(records):
    """Power-weighted mean frequency of the horizontals (Hz)."""
    freqs = np.fft.rfftfreq(records.shape[-1], 1 / FS)
    power = np.abs(np.fft.rfft(records[:, :2], axis=-1)) ** 2
    return float((power * freqs).sum() / power.sum())


def test_restore_spectrum_sets_a_station_records_bands_and_keeps_the_phase(fitted):
    gen, X, stations = fitted
    restored = pickle.loads(pickle.dumps(gen)).set_params(restore_spectrum=True)
    plain = gen.sample("S1", 5, random_state=3)
    samples = restored.sample("S1", 5, random_state=3)
    # Each record's band amplitudes are those of one of the station's records.
    bands = band_amplitudes(samples)
    targets = band_amplitudes(X[stations == "S1"])
    error = np.abs(np.log(bands[:, None] / targets[None])).max(axis=(2, 3))
    assert np.all(error.min(axis=1) < 1e-3)
    # Only amplitudes change: the Fourier phase is the network's.
    before, after = np.fft.rfft(plain, axis=-1), np.fft.rfft(samples, axis=-1)
    strong = np.abs(before) > 1e-3 * np.abs(before).max()
    np.testing.assert_allclose(np.angle(after / before)[strong], 0.0, atol=1e-3)


def test_restore_spectrum_gives_an_unseen_station_its_resonance():
    """A station registered with frozen weights whose horizontals resonate
    at 28-32 Hz, far from the training stations' 4-8 and 16-20 Hz: the
    decoder alone misses it, the restore puts it back."""
    X, stations = _records(n_stations=3, per_station=4)
    train = stations != "S2"
    gen = SpectrogramCVAEGenerator(**TINY, random_state=0).fit(X[train], stations[train])
    gen.add_stations(X[~train], stations[~train])
    target = _centroid(X[~train])
    plain = _centroid(gen.sample("S2", 8, random_state=0))
    restored = _centroid(gen.set_params(restore_spectrum=True).sample("S2", 8, random_state=0))
    assert abs(restored - target) < 1.0 < abs(plain - target)


def test_restore_spectrum_needs_the_banks_bands(fitted):
    gen, X, stations = fitted
    gen = pickle.loads(pickle.dumps(gen)).set_params(restore_spectrum=True)
    # A bank as models saved before the bands were kept have it.
    gen.bank_ = {
        label: {k: v for k, v in entry.items() if k != "band"} for label, entry in gen.bank_.items()
    }
    with pytest.raises(ValueError, match="restore_spectrum needs the bank's 'band' entries"):
        gen.sample("S0", 2, random_state=0)
    # Stations added since hold NaN for the old records: refused as well.
    gen.add_stations(X[:1], stations[:1])
    assert np.isnan(gen.bank_["S0"]["band"][:-1]).all()
    with pytest.raises(ValueError, match="rebuild its bank"):
        gen.sample("S0", 2, random_state=0)
    rebuilt = gen.with_bank(X, stations)
    assert rebuilt.sample("S0", 2, random_state=0).shape == (2, 3, 400)


def test_pickle_round_trip_gives_identical_samples(fitted):
    gen, _, _ = fitted
    loaded = pickle.loads(pickle.dumps(gen))
    np.testing.assert_array_equal(
        loaded.sample("S1", 2, random_state=7), gen.sample("S1", 2, random_state=7)
    )


def test_two_dimensional_input_is_single_channel():
    X, stations = _records()
    gen = SpectrogramCVAEGenerator(**(TINY | dict(n_times=None, epochs=1))).fit(X[:, 0], stations)
    assert gen.n_channels_ == 1 and gen.n_features_in_ == 400
    assert gen.sample("S0", 2, random_state=0).shape == (2, 1, 400)


@pytest.mark.parametrize(
    "params, error, match",
    [
        (dict(hop_length=40), ValueError, "hop_length == 40, must be <= 32"),
        (dict(n_fft=1), ValueError, r"'n_fft' parameter .* range \[2, inf\). Got 1 instead"),
        (dict(channels=()), TypeError, "channels must be a non-empty tuple"),
        (dict(channels=(4, 0)), ValueError, r"channels\[i\] == 0, must be >= 1"),
        (dict(beta=-1.0), ValueError, r"'beta' parameter .* range \[0.0, inf\). Got -1.0"),
        (dict(latent_dim=2.5), TypeError, r"'latent_dim' parameter .* must be an int"),
        (
            dict(unknown_station_rate=1.0),
            ValueError,
            r"'unknown_station_rate' parameter .* \[0.0, 1.0\)",
        ),
        (dict(device="gpu"), ValueError, "device must be"),
    ],
)
def test_bad_parameters(params, error, match):
    X, stations = _records(per_station=1)
    with pytest.raises(error, match=match):
        SpectrogramCVAEGenerator(**(TINY | params)).fit(X, stations)


def test_bad_input(fitted):
    gen, X, stations = fitted
    with pytest.raises(ValueError, match="399 samples, shorter than the model's n_times=400"):
        clone(gen).fit(X[..., :399], stations)
    with pytest.raises(ValueError, match="2 channel.*expects 3"):
        gen.add_stations(X[:, :2], stations)
    with pytest.raises(ValueError, match="stations has 3 labels but X has 8 records"):
        gen.add_stations(X, stations[:3])
    with pytest.raises(ValueError, match="n_samples must be >= 1"):
        gen.sample("S0", 0)


def test_failed_fit_keeps_previous_model(fitted):
    gen, X, stations = fitted
    gen = pickle.loads(pickle.dumps(gen))
    weights = gen.module_.mean_head.weight.clone()
    gen.set_params(unknown_station_rate=2.0)
    with pytest.raises(ValueError, match="unknown_station_rate"):
        gen.fit(X, stations)
    assert torch.equal(gen.module_.mean_head.weight, weights)


def test_interrupted_fit_resumes_from_checkpoint(tmp_path, monkeypatch):
    import skgen._cvae

    X, stations = _records()
    params = TINY | dict(epochs=3, random_state=0)
    reference = SpectrogramCVAEGenerator(**params).fit(X, stations)
    path = tmp_path / "cvae.ckpt"
    calls = []

    def failing_kl(mean, logvar):
        calls.append(1)
        if len(calls) == 2:  # the first step of epoch 2 (one step per epoch)
            raise KeyboardInterrupt
        return kl_divergence(mean, logvar)

    monkeypatch.setattr(skgen._cvae, "kl_divergence", failing_kl)
    gen = SpectrogramCVAEGenerator(**params, checkpoint=path)
    with pytest.raises(KeyboardInterrupt):
        gen.fit(X, stations)
    assert path.exists() and not hasattr(gen, "module_")
    monkeypatch.undo()
    gen.fit(X, stations)
    assert not path.exists()
    for (name, a), b in zip(
        reference.module_.state_dict().items(), gen.module_.state_dict().values()
    ):
        torch.testing.assert_close(a, b, rtol=0, atol=0, msg=name)
    assert gen.history_["loss"] == reference.history_["loss"]
    assert np.isnan(gen.history_["kl"][0]) and not np.isnan(gen.history_["kl"][1])


def test_early_stopping_stops_on_a_plateau_and_is_seeded():
    X, stations = _records(n_stations=2, per_station=5)
    params = dict(TINY, epochs=40, early_stopping=True, validation_fraction=0.2)
    # A tolerance far above any possible improvement: a plateau from epoch 1.
    params.update(n_iter_no_change=3, tol=1e3, random_state=0)
    gen = SpectrogramCVAEGenerator(**params).fit(X, stations)
    assert len(gen.history_["validation"]) == len(gen.history_["loss"]) == 4
    assert np.all(np.isfinite(gen.history_["validation"]))
    again = SpectrogramCVAEGenerator(**params).fit(X, stations)
    assert again.history_["validation"] == gen.history_["validation"]
    assert again.history_["loss"] == gen.history_["loss"]
    # Held-out records are still in the bank.
    assert sum(len(entry["mean"]) for entry in gen.bank_.values()) == 10


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"early_stopping": 1}, TypeError, r"'early_stopping' parameter .* 'bool'"),
        (
            {"validation_fraction": 1.5},
            ValueError,
            r"'validation_fraction' parameter .* \(0.0, 1.0\)",
        ),
        ({"n_iter_no_change": 2.5}, TypeError, r"'n_iter_no_change' parameter .* an int"),
        ({"tol": float("nan")}, ValueError, r"'tol' parameter .* Got nan instead"),
    ],
)
def test_early_stopping_parameters_are_checked(params, error, match):
    X, stations = _records()
    with pytest.raises(error, match=match):
        SpectrogramCVAEGenerator(**{**TINY, **params}).fit(X, stations)
