"""Safe model files: round trips, refused code, atomic writes, versions, devices."""

import io
import os
import pickle
import warnings

import joblib
import numpy as np
import pytest
import torch
from _testing import TINY_TIMESNET

import skgen._persistence as persistence
from skgen._cvae import SpectrogramCVAEGenerator
from skgen._persistence import FORMAT_VERSION, load
from skgen._timesnet import TimesNetGenerator
from skgen.sampling import MixingSampler

DATA = os.path.join(os.path.dirname(__file__), "data")

N_TIMES = 128
TIMESNET = dict(
    TINY_TIMESNET,
    n_times=N_TIMES,
    epochs=1,
    noise_epochs=1,
    batch_size=4,
    sampler=MixingSampler(sample_noise=0.5),
)
CVAE = dict(
    n_times=N_TIMES,
    n_fft=32,
    hop_length=8,
    channels=(4, 8),
    latent_dim=3,
    epochs=1,
    batch_size=4,
    griffin_lim_iters=2,
)


def _records(labels, per_station=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((len(labels) * per_station, 3, N_TIMES)).astype(np.float32)
    X *= rng.lognormal(size=(len(X), 1, 1)).astype(np.float32)
    return X, np.repeat(np.array(labels, dtype=object), per_station)


@pytest.fixture(scope="module", params=["timesnet", "cvae"])
def fitted(request):
    """A fitted generator of each kind, with int labels and one station
    added with frozen weights (a bank not only from ``fit``)."""
    X, stations = _records([11, 22])
    if request.param == "timesnet":
        gen = TimesNetGenerator(**TIMESNET, random_state=0)
    else:
        gen = SpectrogramCVAEGenerator(**CVAE, random_state=0)
    gen.fit(X, stations)
    X_new, new = _records([33], seed=1)
    gen.add_stations(X_new, new)
    return gen, np.concatenate([X, X_new])


def _tmp_files(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def _comparable(params):
    """Parameters with nested estimators (the sampler) as their class and params."""
    return {
        name: (type(value), value.get_params()) if hasattr(value, "get_params") else value
        for name, value in params.items()
    }


def _assert_same_model(restored, gen, X):
    assert type(restored) is type(gen)
    assert _comparable(restored.get_params()) == _comparable(gen.get_params())
    assert list(restored.stations_) == list(gen.stations_)
    assert [type(s) for s in restored.stations_] == [int, int, int]
    for label, entry in gen.bank_.items():
        assert restored.bank_[label].keys() == entry.keys()
        for key, value in entry.items():
            assert restored.bank_[label][key].dtype == value.dtype
            np.testing.assert_array_equal(restored.bank_[label][key], value)
    original, loaded = gen.module_.state_dict(), restored.module_.state_dict()
    assert original.keys() == loaded.keys()
    for key in original:
        assert torch.equal(original[key], loaded[key]), key
    assert not restored.module_.training
    # Fitted and loaded networks are inference-only.
    for module in (gen.module_, restored.module_):
        assert not any(p.requires_grad for p in module.parameters())
    assert restored.history_ == gen.history_
    assert restored.n_times_ == gen.n_times_ == N_TIMES
    assert restored.n_channels_ == 3 and restored.n_features_in_ == gen.n_features_in_
    assert restored.device_ == torch.device("cpu")
    for label in gen.stations_:
        np.testing.assert_array_equal(
            restored.sample(label, 3, random_state=5), gen.sample(label, 3, random_state=5)
        )
    # The CVAE's Griffin-Lim starts from a random phase.
    seeded = {"random_state": 0} if isinstance(gen, SpectrogramCVAEGenerator) else {}
    np.testing.assert_array_equal(
        restored.reconstruct(X[:2], **seeded), gen.reconstruct(X[:2], **seeded)
    )


# -- round trip -------------------------------------------------------------
def test_round_trip_is_identical(fitted, tmp_path):
    gen, X = fitted
    path = tmp_path / "model.skgen"
    gen.save(path)
    assert _tmp_files(tmp_path) == []
    restored = load(str(path))
    _assert_same_model(restored, gen, X)
    # The loaded model keeps working: new stations, then a second round trip.
    X_new, new = _records([44], seed=2)
    restored.add_stations(X_new, new)
    restored.save(path)
    again = load(path)
    np.testing.assert_array_equal(
        again.sample(44, 2, random_state=1), restored.sample(44, 2, random_state=1)
    )


def test_file_holds_plain_data_and_metadata(fitted, tmp_path):
    gen, _ = fitted
    path = tmp_path / "model.skgen"
    gen.save(path)
    payload = torch.load(path, weights_only=True)
    assert payload["format"] == "skgen-model"
    assert payload["format_version"] == FORMAT_VERSION
    assert payload["skgen_version"] == "0.1.0"
    assert payload["class"] == type(gen).__name__
    params = persistence.from_safe(payload["params"], persistence.ESTIMATORS)
    assert params["fs"] == 100.0 and params["n_times"] == N_TIMES
    if isinstance(gen, TimesNetGenerator):
        # The sampler is stored as its class name and parameters.
        stored = persistence.from_safe(payload["params"])["sampler"]
        assert stored == {"__estimator__": "MixingSampler", "params": gen.sampler.get_params()}
        assert params["sampler"].get_params() == gen.sampler.get_params()
    assert set(payload["modules"]) == {"module_"}
    assert all(isinstance(v, torch.Tensor) for v in payload["modules"]["module_"].values())


def test_unfitted_generator_cannot_be_saved(tmp_path):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        TimesNetGenerator().save(tmp_path / "model.skgen")
    assert os.listdir(tmp_path) == []


# -- files carrying code are refused -------------------------------------------
class _Exploit:
    """Unpickling this object would run a shell command creating a file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
@pytest.mark.parametrize("writer", ["torch", "pickle"])
def test_malicious_payload_is_refused_without_running(fitted, tmp_path, writer):
    gen, _ = fitted
    good = tmp_path / "good.skgen"
    gen.save(good)
    payload = torch.load(good, weights_only=True)
    marker = tmp_path / "pwned"
    # A file that is an skgen model in every respect except one smuggled object.
    payload["fitted"]["history_"] = _Exploit(marker)
    path = tmp_path / "evil.skgen"
    if writer == "torch":
        torch.save(payload, path)
    else:
        path.write_bytes(pickle.dumps(payload))
    # Check that the payload is real: a plain unpickler runs the command.
    pickle.loads(pickle.dumps(_Exploit(tmp_path / "control")))
    assert (tmp_path / "control").exists()

    with pytest.raises(ValueError, match=r"evil\.skgen.*refused.*never runs"):
        load(path)
    assert not marker.exists()


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_joblib_file_is_refused(fitted, tmp_path):
    """A pickled estimator is code to skgen.load: only a trusted pickle loads."""
    gen, _ = fitted
    path = tmp_path / "model.joblib"
    joblib.dump(gen, path)
    with pytest.raises(ValueError, match=r"model\.joblib.*refused"):
        load(path)
    np.testing.assert_array_equal(
        joblib.load(path).sample(11, 2, random_state=0), gen.sample(11, 2, random_state=0)
    )


# -- atomic writes ------------------------------------------------------------
@pytest.mark.parametrize("failure", [OSError("No space left on device"), KeyboardInterrupt()])
def test_failure_mid_write_keeps_previous_file(fitted, tmp_path, monkeypatch, failure):
    gen, _ = fitted
    path = tmp_path / "model.skgen"
    gen.save(path)
    before = path.read_bytes()
    expected = gen.sample(11, 2, random_state=3)
    real_save = torch.save

    def save_then_fail(obj, stream, *args, **kwargs):
        buffer = io.BytesIO()
        real_save(obj, buffer)
        stream.write(buffer.getvalue()[: len(buffer.getvalue()) // 2])
        stream.flush()
        raise failure

    monkeypatch.setattr(persistence.torch, "save", save_then_fail)
    with pytest.raises(type(failure)):
        gen.save(path)
    # A first save that fails leaves nothing behind either.
    with pytest.raises(type(failure)):
        gen.save(tmp_path / "new.skgen")
    monkeypatch.undo()

    assert sorted(os.listdir(tmp_path)) == ["model.skgen"]
    assert path.read_bytes() == before
    np.testing.assert_array_equal(load(path).sample(11, 2, random_state=3), expected)


def test_save_into_missing_folder_raises(fitted, tmp_path):
    gen, _ = fitted
    with pytest.raises(FileNotFoundError):
        gen.save(tmp_path / "no" / "such" / "model.skgen")


# -- versions, devices, damaged and foreign files ------------------------------
def _rewrite(source, target, edit):
    payload = torch.load(source, weights_only=True)
    edit(payload)
    torch.save(payload, target)


def test_newer_format_version_is_refused(fitted, tmp_path):
    gen, _ = fitted
    gen.save(tmp_path / "model.skgen")
    newer = tmp_path / "newer.skgen"
    _rewrite(tmp_path / "model.skgen", newer, lambda p: p.update(format_version=FORMAT_VERSION + 1))
    with pytest.raises(
        ValueError,
        match=(
            rf"newer\.skgen.*format version {FORMAT_VERSION + 1}, newer than "
            rf"version {FORMAT_VERSION}.*upgrade skgen"
        ),
    ):
        load(newer)


def test_cuda_model_loads_on_cpu_with_warning(fitted, tmp_path, monkeypatch):
    gen, X = fitted
    gen.save(tmp_path / "model.skgen")
    cuda = tmp_path / "cuda.skgen"
    _rewrite(
        tmp_path / "model.skgen",
        cuda,
        lambda p: p["fitted"].update(device_={"__device__": "cuda:0"}),
    )
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(RuntimeWarning, match=r"cuda\.skgen.*fitted on CUDA.*CPU"):
        restored = load(cuda)
    assert restored.device_ == torch.device("cpu")
    assert all(p.device.type == "cpu" for p in restored.module_.parameters())
    np.testing.assert_array_equal(
        restored.sample(22, 2, random_state=0), gen.sample(22, 2, random_state=0)
    )


def test_cpu_model_loads_without_warning(fitted, tmp_path):
    gen, _ = fitted
    gen.save(tmp_path / "model.skgen")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load(tmp_path / "model.skgen")


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent.skgen"):
        load(tmp_path / "absent.skgen")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"this is a text file, not a model\n",
        np.random.default_rng(0).bytes(4096),
    ],
    ids=["empty", "text", "random"],
)
def test_not_a_model_file(tmp_path, content):
    path = tmp_path / "other.skgen"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=r"other\.skgen"):
        load(path)


def test_truncated_model_file(fitted, tmp_path):
    gen, _ = fitted
    path = tmp_path / "model.skgen"
    gen.save(path)
    raw = path.read_bytes()
    for cut in (len(raw) // 3, len(raw) - 100):
        path.write_bytes(raw[:cut])
        with pytest.raises(ValueError, match=r"model\.skgen.*not a readable skgen model"):
            load(path)


def test_plain_data_of_another_kind_is_not_a_model(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save({"weight": torch.zeros(3)}, path)
    with pytest.raises(ValueError, match=r"weights\.pt.*not an skgen model file"):
        load(path)


@pytest.mark.parametrize(
    "edit, match",
    [
        (lambda p: p.update({"class": "Evil"}), "unknown generator class 'Evil'"),
        (lambda p: p.pop("bank"), "incomplete|missing"),
        (lambda p: p["modules"]["module_"].popitem(), "weights do not fit the network"),
        (lambda p: p["fitted"].update(_generate=1), "not a fitted attribute"),
        (
            lambda p: p["params"]["__dict__"].append(["depth", 3]),
            r"parameters \['depth'\] that .* does not have",
        ),
        (lambda p: p.update(format_version="1"), "invalid model-file format version '1'"),
    ],
)
def test_damaged_model_payload(fitted, tmp_path, edit, match):
    gen, _ = fitted
    gen.save(tmp_path / "model.skgen")
    damaged = tmp_path / "damaged.skgen"
    _rewrite(tmp_path / "model.skgen", damaged, edit)
    with pytest.raises(ValueError, match=match):
        load(damaged)


def test_saved_file_has_ordinary_permissions_and_path_parameters(tmp_path):
    from pathlib import Path

    X = np.random.default_rng(0).standard_normal((4, 3, 64)).astype(np.float32)
    gen = TimesNetGenerator(
        n_times=64,
        d_model=4,
        d_ff=4,
        num_kernels=1,
        epochs=1,
        noise_epochs=0,
        checkpoint=Path(tmp_path / "c.ckpt"),
        random_state=0,
    ).fit(X, ["a", "a", "b", "b"])
    path = tmp_path / "model.skgen"
    gen.save(path)
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~umask
    assert load(path).checkpoint == str(tmp_path / "c.ckpt")


def test_file_without_newer_parameters_samples_as_it_did(tmp_path):
    """A file written before the sampling defaults changed lacks the new
    parameters: it loads with the values that reproduce its sampling then,
    not with today's defaults (which would also need bank entries it lacks)."""
    X, stations = _records([11, 22])
    plain = MixingSampler(
        waveform_weights="dirichlet",
        restore="energy",
        restore_envelope=False,
        align_onsets=False,
        sample_noise=0.5,
    )
    gen = TimesNetGenerator(**{**TIMESNET, "sampler": plain}, precision="float32", random_state=0)
    gen.fit(X, stations)
    gen.save(tmp_path / "model.skgen")
    older = tmp_path / "older.skgen"

    def make_older(payload):
        # As the first skgen wrote it: flat sampling parameters, without the
        # later ones (waveform_weights, restore_spectrum, restore_envelope,
        # align_onsets, precision), and a bank without envelopes.
        params = persistence.from_safe(payload["params"], persistence.ESTIMATORS)
        del params["sampler"], params["precision"]
        params.update(
            n_mix=5,
            dirichlet_alpha=0.3,
            sample_noise=0.5,
            restore_energy=True,
            restore_peak=False,
            scenario_bandwidth=(0.5, 0.5),
            sigma_mixing="geometric",
        )
        bank = persistence.from_safe(payload["bank"])
        for entry in bank.values():
            del entry["envelope"]
        payload.update(params=persistence.to_safe(params), bank=persistence.to_safe(bank))

    _rewrite(tmp_path / "model.skgen", older, make_older)
    loaded = load(older)
    assert loaded.sampler.get_params() == plain.get_params()
    assert loaded.precision == "float32"
    np.testing.assert_array_equal(
        loaded.sample(11, 3, random_state=0), gen.sample(11, 3, random_state=0)
    )


@pytest.mark.parametrize(
    "flags, restore",
    [
        (dict(restore_spectrum=True, restore_peak=True, restore_energy=True), "spectrum"),
        (dict(restore_spectrum=False, restore_peak=True, restore_energy=True), "peak"),
        (dict(restore_spectrum=False, restore_peak=False, restore_energy=True), "energy"),
        (dict(restore_spectrum=False, restore_peak=False, restore_energy=False), None),
    ],
)
def test_three_restore_flags_become_one_choice(flags, restore):
    """The flags overrode each other (spectrum, then peak, then energy)."""
    sampler, rest = MixingSampler._from_flat_params({"d_model": 4, "n_mix": 3, **flags})
    assert sampler.restore == restore and sampler.n_mix == 3
    assert rest == {"d_model": 4}


def test_model_file_of_skgen_before_samplers_samples_bit_identically():
    """tests/data/flat_sampling.skgen was written by skgen before samplers
    (flat sampling parameters, restore_* booleans), with the samples it drew
    then (README in tests/data). Its sampling options become a MixingSampler
    that draws the same records."""
    loaded = load(os.path.join(DATA, "flat_sampling.skgen"))
    expected = np.load(os.path.join(DATA, "flat_sampling_samples.npz"))
    assert loaded.sampler.get_params() == {
        **MixingSampler().get_params(),
        "sample_noise": 0.3,
    }
    # Bit-identical on the machine that wrote it; other CPUs may round FFTs
    # differently in the last float32 digits.
    tolerance = dict(rtol=1e-5, atol=1e-6 * float(np.abs(expected["default"]).max()))
    np.testing.assert_allclose(
        loaded.sample("A", 3, random_state=0), expected["default"], **tolerance
    )
    paper = MixingSampler.paper()
    np.testing.assert_allclose(
        loaded.sample("B", 3, random_state=1, sampler=paper), expected["paper"], **tolerance
    )
    peak = paper.set_params(restore="peak", n_mix=2, dirichlet_alpha=1.0)
    np.testing.assert_allclose(
        loaded.sample("A", 2, random_state=2, sampler=peak), expected["peak"], **tolerance
    )


def test_cvae_file_from_before_restore_spectrum_samples_as_it_did():
    """tests/data/cvae_before_restore.skgen was written by skgen before
    ``restore_spectrum`` and the bank's band amplitudes (README in
    tests/data): it keeps its own batch size, samples what it sampled then,
    and asks for a rebuilt bank only when the restore is switched on."""
    loaded = load(os.path.join(DATA, "cvae_before_restore.skgen"))
    expected = np.load(os.path.join(DATA, "cvae_before_restore_samples.npz"))
    assert loaded.batch_size == 8 and loaded.restore_spectrum is False
    assert "band" not in loaded.bank_["A"]
    tolerance = dict(rtol=1e-5, atol=1e-6 * float(np.abs(expected["default"]).max()))
    np.testing.assert_allclose(
        loaded.sample("A", 3, random_state=0), expected["default"], **tolerance
    )
    loaded.set_params(restore_spectrum=True)
    with pytest.raises(ValueError, match="rebuild its bank from the records"):
        loaded.sample("A", 3, random_state=0)
    stations = np.array(["A"] * 4 + ["B"] * 4)
    rebuilt = loaded.with_bank(expected["records"], stations)
    assert rebuilt.sample("A", 3, random_state=0).shape == (3, 3, 128)


def test_unknown_nested_estimator_is_refused(fitted, tmp_path):
    gen, _ = fitted
    if not isinstance(gen, TimesNetGenerator):
        pytest.skip("only TimesNet-Gen has a sampler")
    gen.save(tmp_path / "model.skgen")
    damaged = tmp_path / "damaged.skgen"

    def rename(payload):
        for name, value in payload["params"]["__dict__"]:
            if name == "sampler":
                value["__estimator__"] = "os.system"

    _rewrite(tmp_path / "model.skgen", damaged, rename)
    with pytest.raises(ValueError, match=r"cannot read: unknown estimator class 'os.system'"):
        load(damaged)


def test_memory_is_not_stored(tmp_path):
    X, stations = _records([11, 22])
    gen = TimesNetGenerator(**TIMESNET, memory=str(tmp_path / "cache"), random_state=0)
    gen.fit(X, stations).save(tmp_path / "model.skgen")
    loaded = load(tmp_path / "model.skgen")
    assert loaded.memory is None
    np.testing.assert_array_equal(
        loaded.sample(11, 2, random_state=0), gen.sample(11, 2, random_state=0)
    )
