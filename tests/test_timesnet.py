"""TimesNet-Gen: network pieces, training, the station bank and sampling."""

import copy
import io
import pickle

import joblib
import numpy as np
import pytest
import torch
from _testing import TINY_TIMESNET
from sklearn.base import clone

from skgen._mixing import draw_mixtures, shift
from skgen._persistence import load
from skgen._timesnet import TimesNetGenerator
from skgen._validation import seed_from
from skgen.nn.timesnet import Inception, TimesNet, dominant_periods, normalize
from skgen.sampling import MixingSampler

N_TIMES = 64
TINY = dict(
    TINY_TIMESNET,
    n_times=N_TIMES,
    epochs=2,
    noise_epochs=1,
    batch_size=4,
)


# The published sampling path, without the alignment and restores that act on
# top of it: tests of the latent-mixing identities use it.
PLAIN = dict(
    waveform_weights="dirichlet",
    restore=None,
    restore_envelope=False,
    align_onsets=False,
)


def _draws(gen, sampler, n_records, n_samples, seed):
    """Replay the draws of ``gen.sample(..., random_state=seed, sampler=sampler)``
    without alignment (MixingSampler.sample documents their order)."""
    rng = np.random.RandomState(seed)
    indices, weights = draw_mixtures(
        n_records, n_samples, sampler.n_mix, sampler.dirichlet_alpha, rng
    )
    noise = None
    if sampler.sample_noise > 0:
        eps = np.random.default_rng(seed_from(rng)).standard_normal(
            (n_samples, N_TIMES, len(gen.encoder_scale_)), dtype=np.float32
        )
        noise = eps * (gen.encoder_scale_ * np.float32(sampler.sample_noise))
    return indices, weights, noise


def _records(n_stations=3, per_station=4, n_times=N_TIMES, seed=0):
    """Sinusoids with a station-specific period, noise and amplitude per record."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_times)
    X, stations = [], []
    for s in range(n_stations):
        for _ in range(per_station):
            phase = rng.uniform(0, 2 * np.pi, size=(3, 1))
            wave = np.sin(2 * np.pi * (s + 2) * t / n_times + phase)
            X.append(rng.lognormal() * (wave + 0.3 * rng.standard_normal((3, n_times))) + 0.1)
            stations.append(f"S{s}")
    return np.asarray(X, dtype=np.float32), np.array(stations)


@pytest.fixture(scope="module")
def fitted():
    X, stations = _records()
    return TimesNetGenerator(**TINY, random_state=0).fit(X, stations), X, stations


def _state(gen):
    return {k: v.clone() for k, v in gen.module_.state_dict().items()}


# -- network pieces -------------------------------------------------------
def test_normalize_matches_numpy():
    x = torch.randn(2, 3, 50, dtype=torch.float64) * 4 + 2
    x_norm, mu, sigma = normalize(x)
    a = x.numpy()
    np.testing.assert_allclose(mu.numpy(), a.mean(axis=2))
    np.testing.assert_allclose(sigma.numpy(), np.sqrt(a.var(axis=2) + 1e-5))
    np.testing.assert_allclose(
        x_norm.numpy(), (a - a.mean(axis=2, keepdims=True)) / sigma.numpy()[..., None]
    )


def test_dominant_periods_of_known_sinusoids():
    t = torch.arange(64, dtype=torch.float32)
    # Record 0: 4 cycles (period 16) strongest, then 10 cycles (period 6).
    # Record 1: 3 cycles only (period 21 = 64 // 3).
    x = torch.stack(
        [
            2 * torch.sin(2 * np.pi * 4 * t / 64) + torch.sin(2 * np.pi * 10 * t / 64),
            torch.sin(2 * np.pi * 3 * t / 64) + 5.0,
        ]
    )[..., None].repeat(1, 1, 3)
    periods, amplitudes = dominant_periods(x, top_k=2)
    assert periods[0].tolist() == [16, 6]
    assert periods[1, 0] == 21
    np.testing.assert_allclose(amplitudes[0].numpy(), [64.0, 32.0], rtol=1e-5)
    # Fewer non-DC bins than top_k: k shrinks; no bin at all: the whole record.
    assert dominant_periods(torch.randn(2, 5, 3), top_k=4)[0].shape == (2, 2)
    periods, amplitudes = dominant_periods(torch.randn(2, 1, 3), top_k=2)
    assert periods.tolist() == [[1], [1]] and float(amplitudes.abs().sum()) == 0


@pytest.mark.parametrize("num_kernels", [1, 3])
def test_merged_inception_equals_separate_convolutions(num_kernels):
    torch.manual_seed(0)
    merged = Inception(5, 7, num_kernels)
    for conv in merged.kernels:  # non-zero biases, so the bias mean is tested
        torch.nn.init.normal_(conv.bias)
    separate = copy.deepcopy(merged)
    x1 = torch.randn(2, 5, 9, 11, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_(True)
    upstream = torch.randn(2, 7, 9, 11)

    out_merged = merged(x1)
    # The reference: the published Inception_Block_V1 forward.
    out_separate = torch.stack([conv(x2) for conv in separate.kernels], dim=-1).mean(-1)
    assert out_merged.shape == (2, 7, 9, 11)
    torch.testing.assert_close(out_merged, out_separate, rtol=1e-5, atol=1e-5)

    (out_merged * upstream).sum().backward()
    (out_separate * upstream).sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-5, atol=1e-5)
    for a, b in zip(merged.kernels, separate.kernels):
        torch.testing.assert_close(a.weight.grad, b.weight.grad, rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(a.bias.grad, b.bias.grad, rtol=1e-5, atol=1e-5)
    assert set(merged.state_dict()) == {
        f"kernels.{i}.{p}" for i in range(num_kernels) for p in ("weight", "bias")
    }


def test_encoding_does_not_depend_on_batch_mates():
    torch.manual_seed(0)
    net = TimesNet(
        3, N_TIMES, d_model=8, d_ff=8, e_layers=2, top_k=2, num_kernels=2, dropout=0.0
    ).eval()
    X, _ = _records(n_stations=4, per_station=2)
    x_norm = normalize(torch.from_numpy(X))[0]
    embedded = net.embedding(x_norm.transpose(1, 2)) + net.position
    # The records really have different dominant periods (else the test
    # could not tell per-record from batch-averaged period selection).
    assert len(np.unique(dominant_periods(embedded, 2)[0][:, 0])) > 1
    with torch.no_grad():
        together = net.encode(x_norm)
        alone = torch.cat([net.encode(x_norm[i : i + 1]) for i in range(len(X))])
        reversed_order = net.encode(x_norm.flip(0)).flip(0)
    torch.testing.assert_close(together, alone, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(together, reversed_order, rtol=1e-5, atol=1e-5)


def test_estimator_encoding_is_batch_size_independent(fitted):
    gen, X, stations = fitted
    other = copy.copy(gen).set_params(batch_size=1)
    np.testing.assert_allclose(other.encode(X), gen.encode(X), rtol=1e-5, atol=1e-5)


# -- estimator --------------------------------------------------------------
def test_shapes_dtypes_and_bank(fitted):
    gen, X, stations = fitted
    assert gen.n_channels_ == 3 and gen.n_times_ == N_TIMES
    assert list(gen.stations_) == ["S0", "S1", "S2"]
    assert len(gen.history_["pretrain"]) == 2 and len(gen.history_["noise"]) == 1
    assert gen.encoder_scale_.shape == (4,) and gen.encoder_scale_.dtype == np.float32
    entry = gen.bank_["S1"]
    assert entry["recon"].shape == (4, 3, N_TIMES) and entry["recon"].dtype == np.float32
    assert entry["mu"].shape == entry["sigma"].shape == entry["rms"].shape == (4, 3)
    samples = gen.sample("S1", n_samples=5, random_state=0)
    assert samples.shape == (5, 3, N_TIMES) and samples.dtype == np.float32
    Z = gen.encode(X)
    assert Z.shape == (12, N_TIMES, 4) and Z.dtype == np.float32
    recon = gen.reconstruct(X)
    assert recon.shape == X.shape and recon.dtype == np.float32
    # The bank holds the normalised reconstruction with mu and sigma of X.
    rows = stations == "S1"
    np.testing.assert_allclose(entry["mu"], X[rows].mean(axis=2), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(entry["sigma"], np.sqrt(X[rows].var(axis=2) + 1e-5), rtol=1e-5)
    np.testing.assert_allclose(
        entry["recon"] * entry["sigma"][..., None] + entry["mu"][..., None],
        recon[rows],
        rtol=1e-5,
        atol=1e-5,
    )


@pytest.mark.slow
def test_training_learns_to_reconstruct():
    X, stations = _records(per_station=6)
    gen = TimesNetGenerator(**{**TINY, "epochs": 25, "lr": 1e-2, "d_model": 8}, random_state=0).fit(
        X, stations
    )
    losses = gen.history_["pretrain"]
    assert losses[-1] < 0.5 * losses[0]
    x_norm = normalize(torch.from_numpy(X))[0].numpy()
    X_hat = gen.reconstruct(X)
    sigma = np.sqrt(X.var(axis=2, keepdims=True) + 1e-5)
    error = np.mean(((X_hat - X) / sigma) ** 2)
    assert error < 0.5 * np.mean(x_norm**2)


def test_fit_and_sample_are_reproducible(fitted):
    gen, X, stations = fitted
    again = TimesNetGenerator(**TINY, random_state=0).fit(X, stations)
    for key, value in _state(gen).items():
        assert torch.equal(value, again.module_.state_dict()[key]), key
    assert gen.history_ == again.history_
    np.testing.assert_array_equal(
        gen.sample("S0", 3, random_state=5), again.sample("S0", 3, random_state=5)
    )
    assert not np.array_equal(
        gen.sample("S0", 3, random_state=5), gen.sample("S0", 3, random_state=6)
    )
    other = TimesNetGenerator(**TINY, random_state=1).fit(X, stations)
    assert not torch.equal(other.module_.position, gen.module_.position)


def test_add_stations_freezes_weights_and_grows_bank(fitted):
    gen, X, stations = fitted
    gen = copy.deepcopy(gen)
    before = _state(gen)
    scale = gen.encoder_scale_.copy()
    X_new, _ = _records(n_stations=2, per_station=3, seed=1)
    labels = np.array(["S0"] * 3 + ["NEW"] * 3)
    gen.add_stations(X_new, labels)
    for key, value in gen.module_.state_dict().items():
        assert torch.equal(value, before[key]), key
    np.testing.assert_array_equal(gen.encoder_scale_, scale)
    assert len(gen.bank_["S0"]["recon"]) == 7 and len(gen.bank_["NEW"]["recon"]) == 3
    assert list(gen.stations_) == ["S0", "S1", "S2", "NEW"]
    assert gen.sample("NEW", 2, random_state=0).shape == (2, 3, N_TIMES)


def test_random_draws(fitted):
    gen, X, stations = fitted
    gen = copy.deepcopy(gen)
    gen.add_stations(X[:5], ["FIVE"] * 5)
    sampler = MixingSampler(n_mix=3, dirichlet_alpha=1.0)
    _, indices, weights = sampler.sample(
        gen.bank_["FIVE"], 200, np.random.RandomState(0), fs=gen.fs, n_times=N_TIMES
    )
    assert indices.shape == weights.shape == (200, 3)
    assert all(len(set(row)) == 3 for row in indices.tolist())
    assert set(indices.ravel()) == set(range(5))
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    # Dirichlet(1, 1, 1): uniform on the simplex, each weight has mean 1/3.
    assert abs(weights.mean() - 1 / 3) < 1e-9 and weights.std() > 0.1
    gen.add_stations(X[:2], ["TWO"] * 2)
    sampler.set_params(dirichlet_alpha=np.inf, sample_noise=0.5)
    _, indices, weights = gen._draw(gen.bank_["TWO"], 4, np.random.RandomState(0), sampler)
    np.testing.assert_array_equal(weights, np.full((4, 3), 1 / 3))
    assert set(indices.ravel()) <= {0, 1}  # fewer records than n_mix
    noise = gen._latent_noise(4, 0, 0.5)
    assert noise.shape == (4, 3, N_TIMES) and noise.dtype == np.float32


@pytest.mark.parametrize("sigma_mixing", ["geometric", "arithmetic"])
@pytest.mark.parametrize("sample_noise", [0.0, 0.7])
@pytest.mark.parametrize("waveform_weights", ["dirichlet", "equal"])
def test_bank_sampling_equals_latent_mixing(fitted, sigma_mixing, sample_noise, waveform_weights):
    gen, X, stations = fitted
    sampler = MixingSampler(
        **{**PLAIN, "waveform_weights": waveform_weights},
        sigma_mixing=sigma_mixing,
        sample_noise=sample_noise,
        n_mix=3,
    )
    X_s = X[stations == "S2"]
    samples = gen.sample("S2", n_samples=6, random_state=3, sampler=sampler)
    indices, weights, noise = _draws(gen, sampler, len(X_s), 6, 3)

    # Explicit route: mix latents of encode(), add noise, head, de-normalise.
    Z = gen.encode(X_s).astype(np.float64)
    # Equal waveform weights mix latents with 1/k; the Dirichlet weights
    # still set mu and sigma.
    latent_weights = weights if waveform_weights == "dirichlet" else np.full_like(weights, 1 / 3)
    z_mixed = np.einsum("sk,sktd->std", latent_weights, Z[indices])
    if sample_noise:
        z_mixed = z_mixed + noise
    with torch.no_grad():
        x_norm = gen.module_.head(torch.from_numpy(z_mixed).float()).numpy()
    mu = X_s.mean(axis=2)
    sigma = np.sqrt(X_s.var(axis=2) + 1e-5)
    mu_mixed = np.einsum("sk,skc->sc", weights, mu[indices])
    if sigma_mixing == "geometric":
        sigma_mixed = np.exp(np.einsum("sk,skc->sc", weights, np.log(sigma[indices])))
    else:
        sigma_mixed = np.einsum("sk,skc->sc", weights, sigma[indices])
    expected = x_norm * sigma_mixed[..., None] + mu_mixed[..., None]
    scale = np.abs(expected).max()
    np.testing.assert_allclose(samples, expected, rtol=1e-4, atol=1e-5 * scale)


def test_restore_energy_sets_weighted_rms(fitted):
    gen, X, stations = fitted
    sampler = MixingSampler(**{**PLAIN, "restore": "energy"}, n_mix=3, sigma_mixing="arithmetic")
    X_s = X[stations == "S0"]
    samples = gen.sample("S0", n_samples=4, random_state=2, sampler=sampler)
    indices, weights, _ = _draws(gen, sampler, len(X_s), 4, 2)
    mu = X_s.mean(axis=2)
    sigma = np.sqrt(X_s.var(axis=2) + 1e-5)
    mu_mixed = np.einsum("sk,skc->sc", weights, mu[indices])
    sigma_mixed = np.einsum("sk,skc->sc", weights, sigma[indices])
    normalised = (samples - mu_mixed[..., None]) / sigma_mixed[..., None]
    record_norm = (X_s - mu[..., None]) / sigma[..., None]
    rms = np.sqrt(np.mean(record_norm**2, axis=2))
    target = np.sqrt(np.einsum("sk,skc->sc", weights, rms[indices] ** 2))
    np.testing.assert_allclose(np.sqrt(np.mean(normalised**2, axis=2)), target, rtol=1e-3)
    # Without restoring, the mixture of incoherent records is weaker.
    plain = gen.sample("S0", 4, random_state=2, sampler=sampler.set_params(restore=None))
    plain_norm = (plain - mu_mixed[..., None]) / sigma_mixed[..., None]
    plain_rms = np.sqrt(np.mean(plain_norm**2, axis=2))
    assert np.all(plain_rms < target)


def test_single_record_station_returns_its_reconstruction(fitted):
    gen, X, stations = fitted
    gen = copy.deepcopy(gen).set_params(sampler=MixingSampler(**PLAIN))
    gen.add_stations(X[:1], ["ONE"])
    samples = gen.sample("ONE", n_samples=3, random_state=0)
    recon = gen.reconstruct(X[:1])
    np.testing.assert_allclose(samples, np.repeat(recon, 3, axis=0), rtol=1e-4, atol=1e-4)
    # Restoring energy scales the normalised reconstruction to the record's
    # own per-channel energy.
    restored = gen.set_params(sampler__restore="energy").sample("ONE", 1, random_state=0)
    mu = X[:1].mean(axis=2, keepdims=True)
    sigma = np.sqrt(X[:1].var(axis=2, keepdims=True) + 1e-5)
    recon_norm = (recon - mu) / sigma
    record_rms = np.sqrt(np.mean(((X[:1] - mu) / sigma) ** 2, axis=2, keepdims=True))
    expected = recon_norm * record_rms / np.sqrt(np.mean(recon_norm**2, axis=2, keepdims=True))
    np.testing.assert_allclose(restored, expected * sigma + mu, rtol=1e-3, atol=1e-4)


# -- errors -----------------------------------------------------------------
def test_input_errors(fitted):
    gen, X, stations = fitted
    with pytest.raises(ValueError, match="dimension"):
        TimesNetGenerator(**TINY).fit(X[..., None], stations)
    with pytest.raises(ValueError, match="shorter than the model's n_times=64"):
        TimesNetGenerator(**TINY).fit(X[..., :50], stations)
    bad = X.copy()
    bad[0, 1, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        TimesNetGenerator(**TINY).fit(bad, stations)
    bad[0, 1, 3] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        TimesNetGenerator(**TINY).fit(bad, stations)
    with pytest.raises(ValueError, match="minimum of 1 is required"):
        TimesNetGenerator(**TINY).fit(X[:0], stations[:0])
    with pytest.raises(ValueError, match="12 records"):
        TimesNetGenerator(**TINY).fit(X, stations[:5])
    with pytest.raises(ValueError, match="expects 3"):
        gen.add_stations(X[:, :2], stations)
    with pytest.raises(ValueError, match="expects 3"):
        gen.encode(X[:, :1])
    with pytest.raises(ValueError, match="n_times=64"):
        gen.reconstruct(X[..., :32])
    with pytest.raises(ValueError, match="n_samples must be >= 1"):
        gen.sample("S0", n_samples=0)
    with pytest.raises(ValueError, match="Unknown station 'S9'"):
        gen.sample("S9")


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"d_model": 0}, ValueError, r"'d_model' parameter of TimesNetGenerator must be an int"),
        ({"epochs": 1.5}, TypeError, r"'epochs' parameter .* an int in the range \[0, inf\)"),
        ({"lr": float("nan")}, ValueError, r"'lr' parameter .* Got nan instead"),
        ({"e_layers": True}, TypeError, r"'e_layers' parameter .* Got True instead"),
        ({"dropout": 1.0}, ValueError, r"'dropout' parameter .* range \[0.0, 1.0\)"),
        ({"lr": 0.0}, ValueError, r"'lr' parameter .* range \(0.0, inf\)"),
        (
            {"sampler": MixingSampler(dirichlet_alpha=0)},
            ValueError,
            r"'dirichlet_alpha' parameter of MixingSampler must be a float in the range "
            r"\(0.0, inf\) or a float among \{inf\}",
        ),
        (
            {"sampler": MixingSampler(sigma_mixing="median")},
            ValueError,
            r"'sigma_mixing' parameter of MixingSampler must be a str among",
        ),
        ({"sampler": MixingSampler(n_mix=0)}, ValueError, r"'n_mix' parameter of MixingSampler"),
        (
            {"sampler": MixingSampler(restore="yes")},
            ValueError,
            r"'restore' parameter of MixingSampler must be a str among .* or None",
        ),
        ({"sampler": MixingSampler(align_onsets=None)}, TypeError, r"'align_onsets' parameter"),
        ({"sampler": MixingSampler(restore_envelope="no")}, TypeError, r"'restore_envelope'"),
        ({"sampler": MixingSampler(waveform_weights="random")}, ValueError, r"'waveform_weights'"),
        ({"sampler": "paper"}, TypeError, r"'sampler' parameter of TimesNetGenerator"),
        ({"memory": 3}, TypeError, r"'memory' parameter of TimesNetGenerator"),
        ({"precision": "half"}, ValueError, r"'precision' parameter .* a str among"),
        ({"spectral_loss": -0.1}, ValueError, r"'spectral_loss' parameter .* \[0.0, inf\)"),
        ({"early_stopping": "yes"}, TypeError, r"'early_stopping' parameter .* 'bool'"),
        ({"validation_fraction": 1.0}, ValueError, r"'validation_fraction' .* \(0.0, 1.0\)"),
        ({"validation_fraction": 0}, ValueError, r"'validation_fraction' .* \(0.0, 1.0\)"),
        ({"n_iter_no_change": 0}, ValueError, r"'n_iter_no_change' parameter"),
        ({"tol": -1.0}, ValueError, r"'tol' parameter .* \[0.0, inf\)"),
        ({"device": "tpu"}, ValueError, "device must be"),
    ],
)
def test_parameter_errors(params, error, match):
    X, stations = _records(n_stations=1)
    gen = TimesNetGenerator(**{**TINY, **params})
    with pytest.raises(error, match=match):
        gen.fit(X, stations)
    assert not hasattr(gen, "module_")


def test_sampling_parameters_checked_at_sample_time(fitted):
    gen = copy.deepcopy(fitted[0]).set_params(sampler=MixingSampler())
    gen.set_params(sampler__dirichlet_alpha=-1.0)
    with pytest.raises(ValueError, match=r"'dirichlet_alpha' parameter .* Got -1.0 instead"):
        gen.sample("S0")
    with pytest.raises(ValueError, match=r"'n_mix' parameter of MixingSampler"):
        fitted[0].sample("S0", sampler=MixingSampler(n_mix=0))
    with pytest.raises(TypeError, match=r"sampler must be a sampler such as skgen.Evolutionary"):
        fitted[0].sample("S0", sampler="paper")


def test_unfitted_encode_raises():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        TimesNetGenerator().encode(np.zeros((1, 3, 6000)))


# -- persistence and sklearn API -------------------------------------------
def test_pickle_and_joblib_round_trip(fitted):
    gen, X, _ = fitted
    expected = gen.sample("S1", 4, random_state=11)
    restored = pickle.loads(pickle.dumps(gen))
    np.testing.assert_array_equal(restored.sample("S1", 4, random_state=11), expected)
    buffer = io.BytesIO()
    joblib.dump(gen, buffer)
    buffer.seek(0)
    restored = joblib.load(buffer)
    np.testing.assert_array_equal(restored.sample("S1", 4, random_state=11), expected)
    np.testing.assert_array_equal(restored.encode(X[:2]), gen.encode(X[:2]))


def test_clone_get_params_and_paper_config():
    gen = TimesNetGenerator(d_model=8, sampler=MixingSampler.paper(), random_state=3)
    params = gen.get_params()
    assert params["d_model"] == 8 and params["sampler__dirichlet_alpha"] == np.inf
    assert params["n_times"] == 6000 and params["sampler__sigma_mixing"] == "arithmetic"
    cloned = clone(gen)
    assert cloned.sampler is not gen.sampler
    assert cloned.get_params(deep=False).keys() == gen.get_params(deep=False).keys()
    assert {k: v for k, v in cloned.get_params().items() if k != "sampler"} == {
        k: v for k, v in params.items() if k != "sampler"
    }
    paper = TimesNetGenerator.paper_config(device="auto")
    expected = dict(
        n_times=6000,
        d_model=128,
        d_ff=256,
        e_layers=2,
        top_k=2,
        num_kernels=6,
        dropout=0.1,
        epochs=50,
        noise_epochs=10,
        device="auto",
    )
    assert {k: paper.get_params()[k] for k in expected} == expected
    net = TimesNet(3, 6000, 128, 256, 2, 2, 6, 0.1)
    n_parameters = sum(p.numel() for p in net.parameters())
    assert 37e6 < n_parameters < 39e6  # "about 38 M parameters" (docs/method.rst)


def test_model_file_round_trip(fitted, tmp_path):
    gen, X, _ = fitted
    path = tmp_path / "timesnet.skgen"
    gen.save(path)
    restored = load(path)
    np.testing.assert_array_equal(
        restored.sample("S2", 3, random_state=4), gen.sample("S2", 3, random_state=4)
    )
    np.testing.assert_array_equal(restored.reconstruct(X[:2]), gen.reconstruct(X[:2]))


def test_interrupted_fit_resumes_from_checkpoint(tmp_path, monkeypatch):
    """Ctrl-C during noise injection: the estimator stays unfitted, and the
    next fit resumes from the checkpoint to the uninterrupted result."""
    import skgen._timesnet as timesnet_module

    X, stations = _records()
    params = dict(TINY, epochs=2, noise_epochs=2, random_state=0)
    reference = TimesNetGenerator(**params).fit(X, stations)

    path = tmp_path / "fit.ckpt"
    gen = TimesNetGenerator(**params, checkpoint=str(path))
    original = timesnet_module.train_epochs

    def interrupt_noise_phase(*args, **kwargs):
        if kwargs.get("desc") == "noise injection":
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(timesnet_module, "train_epochs", interrupt_noise_phase)
        with pytest.raises(KeyboardInterrupt):
            gen.fit(X, stations)
    assert not hasattr(gen, "module_") and not hasattr(gen, "bank_")
    assert path.exists()

    gen.fit(X, stations)
    assert not path.exists()
    for p, q in zip(reference.module_.parameters(), gen.module_.parameters()):
        assert torch.equal(p, q)
    assert gen.history_ == reference.history_
    np.testing.assert_array_equal(
        gen.sample(stations[0], 3, random_state=1), reference.sample(stations[0], 3, random_state=1)
    )


# -- early stopping, spectral loss, onset alignment, peak restoring ---------
def test_early_stopping_holds_out_records_and_is_seeded():
    X, stations = _records(n_stations=3, per_station=4)
    params = dict(TINY, epochs=30, noise_epochs=0, early_stopping=True, validation_fraction=0.25)
    params.update(n_iter_no_change=2, tol=0.5, random_state=0)
    gen = TimesNetGenerator(**params).fit(X, stations)
    validation = gen.history_["validation"]
    # A tolerance of 0.5 on a loss near 1 is a plateau after the first epoch:
    # the first epoch is the best, two more without improvement stop it.
    assert len(validation) == len(gen.history_["pretrain"]) == 3
    assert all(np.isfinite(validation))
    # The best epoch's weights are kept: re-evaluating the held-out loss on
    # the fitted network gives the first epoch's value.
    rows = np.sort(
        np.random.RandomState(np.random.RandomState(0).randint(2**31)).permutation(12)[:3]
    )
    with torch.no_grad():
        x_norm = normalize(torch.from_numpy(X[rows]))[0]
        held_out = float(torch.mean((gen.module_.head(gen.module_.encode(x_norm)) - x_norm) ** 2))
    assert held_out == pytest.approx(validation[0], rel=1e-5)
    again = TimesNetGenerator(**params).fit(X, stations)
    assert again.history_ == gen.history_
    # Every record, held out or not, is in the bank.
    assert sum(len(entry["recon"]) for entry in gen.bank_.values()) == 12
    # Without early stopping there is no validation curve and every epoch runs.
    plain = TimesNetGenerator(**TINY, random_state=0).fit(X, stations)
    assert plain.history_["validation"] == [] and len(plain.history_["pretrain"]) == 2


def test_early_stopping_needs_a_record_to_hold_out():
    X, stations = _records(n_stations=1, per_station=1)
    gen = TimesNetGenerator(**TINY, early_stopping=True)
    with pytest.raises(ValueError, match="early_stopping needs at least 2 records"):
        gen.fit(X, stations)


def test_spectral_loss_changes_training_only_when_weighted():
    X, stations = _records()
    plain = TimesNetGenerator(**TINY, random_state=0).fit(X, stations)
    zero = TimesNetGenerator(**TINY, spectral_loss=0.0, random_state=0).fit(X, stations)
    weighted = TimesNetGenerator(**TINY, spectral_loss=1.0, random_state=0).fit(X, stations)
    assert zero.history_ == plain.history_
    # The weighted loss adds a positive term: its training loss is larger.
    assert weighted.history_["pretrain"][0] > plain.history_["pretrain"][0]


def test_shift_delays_and_advances_with_zero_fill():
    records = np.arange(2 * 1 * 5, dtype=np.float32).reshape(2, 1, 5) + 1
    shifted = shift(records, np.array([2, -1]))
    np.testing.assert_array_equal(shifted[0, 0], [0, 0, 1, 2, 3])
    np.testing.assert_array_equal(shifted[1, 0], [7, 8, 9, 10, 0])


def test_bank_onsets_are_husid_five_percent_points(fitted):
    gen, X, stations = fitted
    entry = gen.bank_["S0"]
    centred = X[stations == "S0"] - X[stations == "S0"].mean(axis=2, keepdims=True)
    husid = np.cumsum(np.sum(centred.astype(np.float64) ** 2, axis=1), axis=1)
    expected = np.argmax(husid >= 0.05 * husid[:, -1:], axis=1)
    assert np.all(np.abs(entry["onset"] - expected) <= 1)  # float32 round-off at the threshold
    sigma = np.sqrt(X[stations == "S0"].var(axis=2) + 1e-5)
    np.testing.assert_allclose(entry["peak"], np.abs(centred).max(axis=2) / sigma, rtol=1e-4)


def test_align_onsets_moves_every_component_to_a_pool_onset(fitted):
    gen, X, stations = fitted
    gen = copy.deepcopy(gen).set_params(
        sampler=MixingSampler(**{**PLAIN, "align_onsets": True}, n_mix=1)
    )
    # A single-record station whose onset is known: a burst starting at 40.
    burst = np.zeros((1, 3, N_TIMES), dtype=np.float32)
    burst[0, :, 40:44] = [[1.0, -2.0, 2.0, -1.0]] * 3
    other = np.zeros_like(burst)
    other[0, :, 10:14] = [[1.0, -2.0, 2.0, -1.0]] * 3
    gen.add_stations(np.concatenate([burst, other]), ["TWO", "TWO"])
    onsets = gen.bank_["TWO"]["onset"]
    assert onsets.tolist() == [40, 10]
    samples = gen.sample("TWO", n_samples=20, random_state=0)
    # Each sample is one record (n_mix=1) moved to one of the two onsets:
    # its strongest sample sits near 41 or 11, never elsewhere, and both occur.
    peaks = np.abs(samples - samples.mean(axis=2, keepdims=True)).sum(axis=1).argmax(axis=1)
    near = np.minimum(np.abs(peaks - 41), np.abs(peaks - 11))
    assert np.all(near <= 3)
    assert np.any(peaks < 25) and np.any(peaks > 25)


def test_restore_peak_sets_weighted_geometric_mean_peak(fitted):
    gen, X, stations = fitted
    sampler = MixingSampler(**{**PLAIN, "restore": "peak"}, n_mix=3, sigma_mixing="geometric")
    X_s = X[stations == "S1"]
    samples = gen.sample("S1", n_samples=5, random_state=4, sampler=sampler)
    indices, weights, _ = _draws(gen, sampler, len(X_s), 5, 4)
    mu = X_s.mean(axis=2)
    record_peak = np.abs(X_s - mu[..., None]).max(axis=2)
    mu_mixed = np.einsum("sk,skc->sc", weights, mu[indices])
    expected = np.exp(np.einsum("sk,skc->sc", weights, np.log(record_peak[indices])))
    measured = np.abs(samples - mu_mixed[..., None]).max(axis=2)
    np.testing.assert_allclose(measured, expected, rtol=1e-3)


def test_restore_spectrum_sets_weighted_geometric_mean_band_amplitudes(fitted):
    gen, X, stations = fitted
    # With alignment and the envelope (the default): the restores end on
    # the spectrum.
    sampler = MixingSampler(restore="spectrum", n_mix=3, sigma_mixing="geometric")
    X_s = X[stations == "S2"].astype(np.float64)
    samples = gen.sample("S2", n_samples=4, random_state=5, sampler=sampler)
    indices, weights, _ = _draws(gen, sampler, len(X_s), 4, 5)
    mu = X_s.mean(axis=2)
    sigma = np.sqrt(X_s.var(axis=2) + 1e-5)
    mu_mixed = np.einsum("sk,skc->sc", weights, mu[indices])
    sigma_mixed = np.exp(np.einsum("sk,skc->sc", weights, np.log(sigma[indices])))
    normalised = (samples - mu_mixed[..., None]) / sigma_mixed[..., None]

    # Band amplitudes computed here independently: RMS of |rFFT| over the
    # log-spaced bins 1..Nyquist of the bands' edges.
    n_freqs = N_TIMES // 2 + 1
    edges = np.unique(np.round(np.geomspace(1, n_freqs, 49)).astype(int))

    def bands(records):
        power = np.abs(np.fft.rfft(records, axis=-1)) ** 2
        return np.stack(
            [np.sqrt(power[..., lo:hi].mean(axis=-1)) for lo, hi in zip(edges[:-1], edges[1:])],
            axis=-1,
        )

    record_bands = bands((X_s - mu[..., None]) / sigma[..., None])
    expected = np.exp(np.einsum("sk,skcb->scb", weights, np.log(record_bands[indices])))
    np.testing.assert_allclose(bands(normalised), expected, rtol=2e-3)


def test_bank_without_new_entries_explains_itself(fitted):
    gen = copy.deepcopy(fitted[0]).set_params(sampler=MixingSampler(align_onsets=False))
    for entry in gen.bank_.values():
        del entry["onset"]
    assert gen.sample("S0", 1, random_state=0).shape == (1, 3, N_TIMES)
    gen.set_params(sampler__align_onsets=True)
    with pytest.raises(ValueError, match="align_onsets=True needs the bank's 'onset' entries"):
        gen.sample("S0", 1, random_state=0)


def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as stream:
            return set(stream.read().split())
    except OSError:
        return set()


def test_auto_precision_is_bfloat16_only_on_native_hardware():
    X, stations = _records()
    gen = TimesNetGenerator(**TINY, random_state=0).fit(X, stations)
    native = bool(_cpu_flags() & {"amx_bf16", "avx512_bf16"})
    assert gen.precision_ == ("bfloat16" if native else "float32")


@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
def test_each_precision_trains_reproducibly(precision):
    X, stations = _records()
    params = dict(TINY, precision=precision, random_state=0)
    first = TimesNetGenerator(**params).fit(X, stations)
    again = TimesNetGenerator(**params).fit(X, stations)
    assert first.precision_ == precision
    assert first.history_ == again.history_
    for key, value in _state(first).items():
        torch.testing.assert_close(_state(again)[key], value, rtol=0, atol=0)
    # bfloat16 changes the arithmetic of training, not what it does: the
    # first epoch's loss agrees with float32 to bfloat16's precision.
    reference = TimesNetGenerator(**dict(params, precision="float32")).fit(X, stations)
    assert first.history_["pretrain"][0] == pytest.approx(
        reference.history_["pretrain"][0], rel=2e-2
    )
