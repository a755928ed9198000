"""Samplers as objects: nested parameters, sampling without a refit, the
network cache and the checkpoint fingerprint (docs/method.rst, "Sampling")."""

import copy

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold

from skgen import EvolutionarySampler, MixingSampler, StochasticGenerator, TimesNetGenerator
from skgen._network_fit import fit_checkpoint

N_TIMES = 64
TINY = dict(n_times=N_TIMES, d_model=4, d_ff=4, epochs=1, noise_epochs=1, batch_size=4)


def _records(n_stations=2, per_station=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_stations * per_station, 3, N_TIMES)).astype(np.float32)
    X *= rng.lognormal(size=(len(X), 1, 1)).astype(np.float32)
    return X, np.repeat([f"S{i}" for i in range(n_stations)], per_station)


@pytest.fixture(scope="module")
def fitted():
    X, stations = _records()
    return TimesNetGenerator(**TINY, random_state=0).fit(X, stations)


def test_sampler_parameters_are_nested_parameters():
    gen = TimesNetGenerator(sampler=MixingSampler(n_mix=3))
    params = gen.get_params(deep=True)
    assert params["sampler__n_mix"] == 3 and params["sampler__restore"] == "spectrum"
    gen.set_params(sampler__dirichlet_alpha=2.0)
    assert gen.sampler.dirichlet_alpha == 2.0
    cloned = clone(gen)
    assert cloned.sampler is not gen.sampler
    assert cloned.sampler.get_params() == gen.sampler.get_params()


def test_set_params_on_the_default_sampler_makes_one():
    # Each generator's own default: TimesNet-Gen's is the evolutionary
    # sampler, the stochastic reference's the mixing one.
    gen = TimesNetGenerator()
    assert gen.sampler is None and "sampler__window" not in gen.get_params()
    gen.set_params(sampler__window=5.12)
    assert isinstance(gen.sampler, EvolutionarySampler)
    assert gen.sampler.get_params() == EvolutionarySampler(window=5.12).get_params()
    reference = StochasticGenerator().set_params(sampler__n_mix=2)
    assert reference.sampler.get_params() == MixingSampler(n_mix=2).get_params()
    with pytest.raises(ValueError, match="Invalid parameter 'n_mix' for estimator Evol"):
        TimesNetGenerator().set_params(sampler__n_mix=2)


def test_paper_sampler_is_the_published_sampling():
    assert MixingSampler.paper().get_params() == dict(
        n_mix=5,
        dirichlet_alpha=np.inf,
        waveform_weights="dirichlet",
        sample_noise=0.0,
        restore=None,
        restore_envelope=False,
        align_onsets=False,
        sigma_mixing="arithmetic",
        scenario_bandwidth=(0.5, 0.5),
    )


def test_default_sampler_equals_an_explicit_one(fitted):
    explicit = copy.copy(fitted).set_params(sampler=EvolutionarySampler())
    np.testing.assert_array_equal(
        explicit.sample("S0", 3, random_state=1), fitted.sample("S0", 3, random_state=1)
    )


def test_sample_with_another_sampler_leaves_the_generator_unchanged(fitted):
    before = fitted.sample("S1", 4, random_state=2)
    paper = fitted.sample("S1", 4, random_state=2, sampler=MixingSampler.paper())
    as_param = copy.copy(fitted).set_params(sampler=MixingSampler.paper())
    np.testing.assert_array_equal(paper, as_param.sample("S1", 4, random_state=2))
    assert not np.allclose(paper, before)
    assert fitted.sampler is None
    np.testing.assert_array_equal(fitted.sample("S1", 4, random_state=2), before)


def test_sampler_is_validated_once_per_sample_call(fitted, monkeypatch):
    calls = []
    original = MixingSampler._validate_params  # the shared one of every sampler

    def counting(self):
        calls.append(self)
        return original(self)

    # 600 records: three chunks of at most 256.
    for sampler in (MixingSampler(), EvolutionarySampler()):
        calls.clear()
        monkeypatch.setattr(type(sampler), "_validate_params", counting)
        assert fitted.sample("S0", 600, random_state=0, sampler=sampler).shape == (
            600,
            3,
            N_TIMES,
        )
        assert calls == [sampler]


def test_bad_sampler_fails_fit_before_training(monkeypatch):
    X, stations = _records()

    def fail(*args, **kwargs):
        pytest.fail("training started before the sampler was validated")

    monkeypatch.setattr(TimesNetGenerator, "_train", fail)
    gen = TimesNetGenerator(**TINY, sampler=MixingSampler(restore="band"))
    with pytest.raises(ValueError, match=r"'restore' parameter of MixingSampler"):
        gen.fit(X, stations)


def test_sample_noise_needs_a_latent_space(fitted):
    entry = fitted.bank_["S0"]
    with pytest.raises(ValueError, match="sample_noise > 0 needs a generator with a latent"):
        MixingSampler(sample_noise=0.1).sample(
            entry, 1, np.random.RandomState(0), fs=100.0, n_times=N_TIMES
        )


def test_sampler_options_leave_the_checkpoint_fingerprint(tmp_path):
    X, stations = _records()
    path = tmp_path / "fit.ckpt"
    gen = TimesNetGenerator(**TINY, checkpoint=path, random_state=0)
    reference = fit_checkpoint(gen, X, stations).fingerprint
    for sampler in (MixingSampler.paper(), MixingSampler(restore_envelope=False)):
        other = clone(gen).set_params(sampler=sampler, memory=str(tmp_path))
        assert fit_checkpoint(other, X, stations).fingerprint == reference
    assert fit_checkpoint(clone(gen).set_params(d_model=8), X, stations).fingerprint != reference
    assert fit_checkpoint(gen, X[::-1].copy(), stations).fingerprint != reference


def _count_training(monkeypatch):
    calls = []
    train = TimesNetGenerator._train

    def counting(self, *args, **kwargs):
        calls.append(1)
        return train(self, *args, **kwargs)

    monkeypatch.setattr(TimesNetGenerator, "_train", counting)
    return calls


def _spread(generator, X, stations):
    """A cheap score: the spread of a few generated records."""
    return float(np.std(generator.sample(generator.stations_[0], 2, random_state=0)))


GRID = {"sampler__dirichlet_alpha": [0.3, 1.0, np.inf]}


@pytest.mark.parametrize("memory", [None, "folder"])
def test_grid_search_over_sampler_settings_trains_one_network_per_fold(
    tmp_path, monkeypatch, memory
):
    X, stations = _records()
    calls = _count_training(monkeypatch)
    location = None if memory is None else str(tmp_path / "cache")
    gen = TimesNetGenerator(**TINY, sampler=MixingSampler(), memory=location, random_state=0)
    search = GridSearchCV(gen, GRID, cv=KFold(2), scoring=_spread).fit(X, stations)
    # 3 settings x 2 folds + the refit on all records: 7 fits; with the
    # cache, one network per training set (2 folds + all records).
    assert len(calls) == (7 if memory is None else 3)
    assert search.best_estimator_.sampler.dirichlet_alpha in GRID["sampler__dirichlet_alpha"]


def test_cached_network_is_the_trained_one(tmp_path, monkeypatch):
    X, stations = _records()
    calls = _count_training(monkeypatch)
    cached = TimesNetGenerator(**TINY, memory=str(tmp_path), random_state=0).fit(X, stations)
    again = clone(cached).set_params(sampler=MixingSampler.paper()).fit(X, stations)
    assert len(calls) == 1
    plain = TimesNetGenerator(**TINY, sampler=MixingSampler.paper(), random_state=0)
    plain.fit(X, stations)
    assert len(calls) == 2
    np.testing.assert_array_equal(
        again.sample("S0", 3, random_state=0), plain.sample("S0", 3, random_state=0)
    )
    for key, value in plain.module_.state_dict().items():
        assert np.array_equal(again.module_.state_dict()[key].numpy(), value.numpy()), key
    # Another seed or other data is another network.
    clone(cached).set_params(random_state=1).fit(X, stations)
    clone(cached).fit(X[:-1], stations[:-1])
    assert len(calls) == 4


def test_cli_params_reach_the_sampler():
    from skgen.cli import _parse_params

    params = _parse_params(
        ["sampler__window=5.12", "sampler__restore=None", "d_model=8"], TimesNetGenerator
    )
    gen = TimesNetGenerator().set_params(**params)
    assert gen.d_model == 8 and gen.sampler.window == 5.12 and gen.sampler.restore is None
    # with --sampler mixing, the mixing sampler's options
    params = _parse_params(["sampler__n_mix=3"], TimesNetGenerator, "mixing")
    gen = TimesNetGenerator(sampler=MixingSampler()).set_params(**params)
    assert gen.sampler.n_mix == 3
