"""The shared generator contract: validation, atomic fit, the bank, sampling."""

import numbers
import pickle

import numpy as np
import pytest
from _testing import ResamplingGenerator
from sklearn.base import clone

from skgen._validation import check_parameter, check_records, check_stations


def _data(n_stations=3, per_station=4, n_times=64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_stations * per_station, 3, n_times))
    stations = np.repeat([f"S{i}" for i in range(n_stations)], per_station)
    return X, stations


@pytest.mark.parametrize(
    "X, error, match",
    [
        (np.zeros((2, 3, 4, 5)), ValueError, "X must have shape"),
        (np.zeros(5), ValueError, "X must have shape"),
        (np.zeros((0, 3, 10)), ValueError, "0 sample"),
        (np.full((2, 3, 10), np.nan), ValueError, "X contains NaN"),
        (np.full((2, 3, 10), np.inf), ValueError, "X contains infinity"),
        (np.zeros((2, 3, 10), dtype=complex), ValueError, "Complex data"),
        (np.array([[["a"] * 10] * 3] * 2), ValueError, "[Ss]tring|number"),
        ("records", TypeError, "X must be a numeric array"),
    ],
)
def test_check_records_rejects_bad_input(X, error, match):
    with pytest.raises(error, match=match):
        check_records(X)


def test_check_records_shapes_and_lengths():
    assert check_records(np.ones((4, 10))).shape == (4, 1, 10)
    with pytest.raises(ValueError, match="2 channel.*expects 3"):
        check_records(np.ones((4, 2, 10)), n_channels=3)
    with pytest.raises(ValueError, match="10 samples, shorter than the model's n_times=20"):
        check_records(np.ones((4, 3, 10)), n_times=20)
    with pytest.raises(ValueError, match="longer than"):
        check_records(np.ones((4, 3, 30)), n_times=20)


def test_check_records_copies():
    X = np.ones((2, 3, 8), dtype=np.float32)
    out = check_records(X)
    out[:] = 5
    assert np.all(X == 1)


@pytest.mark.parametrize(
    "stations, error, match",
    [
        (None, ValueError, "stations is required"),
        ("ABC", TypeError, "1-D sequence"),
        (["a", "b"], ValueError, "2 labels but X has 3 records"),
        (["a", 1, "b"], TypeError, "mixes label types"),
        ([["a"], ["b"], ["c"]], ValueError, "1-D"),
        ([{"a"}, {"b"}, {"c"}], TypeError, "strings or numbers"),
        ([True, False, True], TypeError, "strings or numbers"),
        ([1.0, np.nan, 2.0], ValueError, "non-finite label"),
    ],
)
def test_check_stations_rejects_bad_labels(stations, error, match):
    with pytest.raises(error, match=match):
        check_stations(stations, 3)


def test_check_stations_plain_python_labels():
    out = check_stations(np.array(["a", "b"]), 2)
    assert out.dtype == object and type(out[0]) is str
    out = check_stations(np.array([3, 4]), 2)
    assert type(out[0]) is int


def test_fit_builds_bank_per_station_in_order():
    X, stations = _data()
    gen = ResamplingGenerator(random_state=0).fit(X, stations)
    assert list(gen.stations_) == ["S0", "S1", "S2"]
    np.testing.assert_array_equal(gen.bank_["S1"]["records"], X[4:8].astype(np.float32))
    assert gen.n_features_in_ == 3 and gen.n_channels_ == 3 and gen.n_times_ == 64


def test_two_dimensional_input_is_single_channel():
    X, stations = _data()
    gen = ResamplingGenerator().fit(X[:, 0, :], stations)
    assert gen.n_channels_ == 1 and gen.n_features_in_ == 64
    assert gen.sample("S0", 2, random_state=0).shape == (2, 1, 64)


def test_fit_validates_before_training():
    X, stations = _data()
    gen = ResamplingGenerator(n_times=32)
    with pytest.raises(ValueError, match="64 samples, longer than the model's n_times=32"):
        gen.fit(X, stations)
    assert not hasattr(gen, "bank_")


class _FailingGenerator(ResamplingGenerator):
    def __init__(
        self,
        n_times=None,
        fs=100.0,
        shuffle_stations=False,
        device="cpu",
        random_state=None,
        fail=None,
    ):
        super().__init__(n_times, fs, shuffle_stations, device, random_state)
        self.fail = fail

    def _train(self, X, stations, rng, checkpoint=None):
        if self.fail == "train":
            raise KeyboardInterrupt
        return super()._train(X, stations, rng, checkpoint)

    def _encode_records(self, X, stations):
        if self.fail == "encode":
            raise RuntimeError("encoder broke")
        return super()._encode_records(X, stations)


@pytest.mark.parametrize("fail, error", [("train", KeyboardInterrupt), ("encode", RuntimeError)])
def test_interrupted_fit_restores_previous_state(fail, error):
    X, stations = _data()
    gen = _FailingGenerator().fit(X, stations)
    before = dict(gen.__dict__)
    gen.set_params(fail=fail)
    X2, stations2 = _data(n_stations=2, seed=1)
    with pytest.raises(error):
        gen.fit(X2, stations2)
    assert set(gen.__dict__) == set(before) | {"fail"}
    assert gen.bank_ is before["bank_"]
    assert list(gen.stations_) == ["S0", "S1", "S2"]

    fresh = _FailingGenerator(fail=fail)
    with pytest.raises(error):
        fresh.fit(X, stations)
    assert not hasattr(fresh, "bank_") and not hasattr(fresh, "n_features_in_")


def test_add_stations_grows_and_adds_without_touching_old_arrays():
    X, stations = _data()
    gen = ResamplingGenerator().fit(X, stations)
    old_bank = gen.bank_
    old_s0 = gen.bank_["S0"]["records"].copy()
    Xn, _ = _data(n_stations=1, per_station=2, seed=5)
    gen.add_stations(np.concatenate([Xn, Xn]), ["S0", "S0", "NEW", "NEW"])
    assert list(gen.stations_) == ["S0", "S1", "S2", "NEW"]
    assert gen.bank_["S0"]["records"].shape[0] == 6
    np.testing.assert_array_equal(old_bank["S0"]["records"], old_s0)
    with pytest.raises(ValueError, match="expects 3"):
        gen.add_stations(np.ones((2, 2, 64)), ["a", "b"])


def test_with_bank_returns_copy_and_leaves_original():
    X, stations = _data()
    gen = ResamplingGenerator().fit(X, stations)
    other = gen.with_bank(X[:2], ["S0", "S0"])
    assert other.bank_["S0"]["records"].shape[0] == 2
    assert gen.bank_["S0"]["records"].shape[0] == 4
    other = gen.with_bank(X[:1], ["T"])
    assert "T" in other.stations_ and "T" not in gen.stations_


def test_sample_errors_name_the_problem():
    X, stations = _data()
    gen = ResamplingGenerator().fit(X, stations)
    with pytest.raises(
        ValueError, match=r"Unknown station 'nope'; known stations: 'S0', 'S1', 'S2'"
    ):
        gen.sample("nope")
    with pytest.raises(ValueError, match="n_samples must be >= 1"):
        gen.sample("S0", 0)
    with pytest.raises(TypeError, match="n_samples must be an integer"):
        gen.sample("S0", 2.5)
    with pytest.raises(TypeError, match="single label"):
        gen.sample(["S0"])
    with pytest.raises(Exception, match="not fitted"):
        ResamplingGenerator().sample("S0")


def test_sample_accepts_numpy_labels_and_is_seeded():
    X, stations = _data()
    gen = ResamplingGenerator().fit(X, stations)
    a = gen.sample(np.str_("S1"), 5, random_state=3)
    b = gen.sample("S1", 5, random_state=3)
    np.testing.assert_array_equal(a, b)


def test_pickle_and_clone():
    X, stations = _data()
    gen = ResamplingGenerator(random_state=1).fit(X, stations)
    loaded = pickle.loads(pickle.dumps(gen))
    np.testing.assert_array_equal(
        loaded.sample("S2", 3, random_state=0), gen.sample("S2", 3, random_state=0)
    )
    assert clone(gen).get_params() == gen.get_params()
    assert not hasattr(clone(gen), "bank_")


@pytest.mark.parametrize(
    "value, kind, kwargs, error, match",
    [
        (True, numbers.Integral, {}, TypeError, "a number, not a bool"),
        (float("nan"), numbers.Real, {}, ValueError, "must be finite, got nan"),
        (float("inf"), numbers.Real, {}, ValueError, "must be finite, got inf"),
        (float("-inf"), numbers.Real, {"allow_inf": True}, ValueError, "must be finite"),
        (2.5, numbers.Integral, {}, TypeError, "instance of int"),
        (0, numbers.Integral, {"min_val": 1}, ValueError, "p == 0, must be >= 1"),
    ],
)
def test_check_parameter_is_strict(value, kind, kwargs, error, match):
    with pytest.raises(error, match=match):
        check_parameter(value, "p", kind, **kwargs)


def test_check_parameter_accepts_valid_values():
    assert check_parameter(3, "p", numbers.Integral, min_val=1) == 3
    assert check_parameter(float("inf"), "p", numbers.Real, min_val=0, allow_inf=True) == float(
        "inf"
    )


def test_usable_device_falls_back_with_a_warning(monkeypatch):
    import torch

    from skgen._torch_utils import usable_device

    assert usable_device("cpu", "m") == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(RuntimeWarning, match="m was fitted on CUDA.*run on the CPU"):
        assert usable_device("cuda:1", "m") == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.warns(RuntimeWarning, match=r"fitted on cuda:3 but this machine has 1"):
        assert usable_device("cuda:3", "m") == torch.device("cuda", 0)
    assert usable_device("cuda:0", "m") == torch.device("cuda", 0)


def test_numpy_layers_load_without_torch_or_estimators():
    """signal, io, datasets and scoring are numpy layers: importing them must
    load neither torch nor the estimator modules (lazy top-level exports)."""
    import subprocess
    import sys

    code = (
        "import sys, skgen.signal, skgen.io, skgen.datasets, skgen.scoring\n"
        "heavy = [m for m in sys.modules if m == 'torch' or m in "
        "('skgen._base', 'skgen._timesnet', 'skgen._cvae')]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    import skgen

    assert skgen.TimesNetGenerator.__name__ == "TimesNetGenerator"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        skgen.nope  # noqa: B018 (the attribute access is what raises)
