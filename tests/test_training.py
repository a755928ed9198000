"""The shared training loop: seeding, checkpoints, resuming after an interruption."""

import numpy as np
import pytest
import torch

from skgen._torch_utils import torch_seed
from skgen.nn._training import Checkpoint, EarlyStopping, train_epochs

DATA = torch.from_numpy(np.random.default_rng(0).standard_normal((24, 6)).astype(np.float32))


def _module():
    return torch.nn.Sequential(
        torch.nn.Linear(6, 16), torch.nn.Dropout(0.3), torch.nn.Linear(16, 6)
    )


def _train(module, fail_at=None, checkpoint=None, phase="phase"):
    calls = {"n": 0}

    def batch_loss(indices):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise KeyboardInterrupt
        x = DATA[indices]
        return torch.mean((module(x) - x) ** 2)

    return train_epochs(
        module,
        batch_loss,
        len(DATA),
        epochs=4,
        lr=1e-2,
        weight_decay=1e-4,
        batch_size=8,
        seed=3,
        desc=phase,
        checkpoint=checkpoint,
    )


def _run(fail_at=None, checkpoint=None):
    with torch_seed(0):
        module = _module()
        losses = _train(module, fail_at, checkpoint)
        # A second phase continues from the first one's random state.
        losses += _train(module, None, checkpoint, phase="second")
    return module, losses


def test_seeded_training_repeats_exactly():
    a, losses_a = _run()
    b, losses_b = _run()
    assert losses_a == losses_b
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)


def test_resume_after_interruption_equals_uninterrupted(tmp_path):
    reference, reference_losses = _run()
    path = tmp_path / "fit.ckpt"
    with pytest.raises(KeyboardInterrupt):
        _run(fail_at=8, checkpoint=Checkpoint(path, "fit-1"))  # inside epoch 3 of phase 1
    saved = Checkpoint(path, "fit-1").get("phase")
    assert len(saved["losses"]) == 2
    resumed, resumed_losses = _run(checkpoint=Checkpoint(path, "fit-1"))
    assert resumed_losses == reference_losses
    for p, q in zip(reference.parameters(), resumed.parameters()):
        assert torch.equal(p, q)
    # A finished checkpoint skips training entirely and gives the same weights.
    again, again_losses = _run(fail_at=1, checkpoint=Checkpoint(path, "fit-1"))
    assert again_losses == reference_losses


def test_checkpoint_of_another_fit_is_ignored(tmp_path):
    path = tmp_path / "fit.ckpt"
    with pytest.raises(KeyboardInterrupt):
        _run(fail_at=8, checkpoint=Checkpoint(path, "fit-1"))
    with pytest.warns(UserWarning, match="different fit"):
        other = Checkpoint(path, "fit-2")
    assert other.get("phase") is None


def test_zero_epochs_trains_nothing():
    module = _module()
    before = [p.clone() for p in module.parameters()]
    assert (
        train_epochs(module, None, 4, epochs=0, lr=1.0, weight_decay=0.0, batch_size=2, seed=0)
        == []
    )
    assert all(torch.equal(p, q) for p, q in zip(before, module.parameters()))
    assert not module.training


def test_early_stopping_stops_on_a_plateau_and_restores_the_best_epoch():
    # A validation curve that improves for three epochs, then plateaus.
    curve = iter([1.0, 0.5, 0.4, 0.41, 0.40, 0.45, 0.3, 0.2])
    snapshots = []

    def validation_loss():
        snapshots.append(module[0].weight.detach().clone())
        return next(curve)

    with torch_seed(0):
        module = _module()
        stopper = EarlyStopping(validation_loss, n_iter_no_change=3, tol=0.01)
        losses = train_epochs(
            module,
            lambda idx: torch.mean((module(DATA[idx]) - DATA[idx]) ** 2),
            len(DATA),
            epochs=20,
            lr=1e-2,
            weight_decay=0.0,
            batch_size=8,
            seed=0,
            early_stopping=stopper,
        )
    # 0.41 and 0.40 do not beat 0.4 by 0.01; 0.45 is the third miss.
    assert stopper.losses == [1.0, 0.5, 0.4, 0.41, 0.40, 0.45]
    assert len(losses) == 6 and stopper.best_epoch == 2 and stopper.stopped
    assert torch.equal(module[0].weight, snapshots[2])


def test_early_stopping_resumes_from_checkpoint(tmp_path):
    def run(fail_at=None):
        calls = {"n": 0}
        with torch_seed(0):
            module = _module()

            def batch_loss(idx):
                calls["n"] += 1
                if calls["n"] == fail_at:
                    raise KeyboardInterrupt
                return torch.mean((module(DATA[idx]) - DATA[idx]) ** 2)

            def validation_loss():
                return float(torch.mean((module(DATA[:8]) - DATA[:8]) ** 2))

            stopper = EarlyStopping(validation_loss, n_iter_no_change=2, tol=0.0)
            losses = train_epochs(
                module,
                batch_loss,
                len(DATA),
                epochs=6,
                lr=1e-2,
                weight_decay=0.0,
                batch_size=8,
                seed=1,
                checkpoint=Checkpoint(tmp_path / "ckpt", "fp"),
                early_stopping=stopper,
            )
        return module, losses, stopper.losses

    reference = run()
    (tmp_path / "ckpt").unlink()
    with pytest.raises(KeyboardInterrupt):
        run(fail_at=8)  # in the third epoch
    resumed = run()
    assert resumed[1] == reference[1] and resumed[2] == reference[2]
    for p, q in zip(resumed[0].parameters(), reference[0].parameters()):
        assert torch.equal(p, q)


@pytest.mark.parametrize("name", ["epochs", "lr", "noise_epochs", "batch_size"])
def test_documented_training_defaults_are_the_constructors(name):
    import inspect
    import re

    from skgen import TimesNetGenerator

    documented = re.search(
        rf"^    {name} : \w+, default=(\S+)$", TimesNetGenerator.__doc__, re.MULTILINE
    )
    assert documented is not None, f"{name} has no documented default"
    default = inspect.signature(TimesNetGenerator).parameters[name].default
    assert float(documented.group(1)) == default
    assert getattr(TimesNetGenerator(), name) == default
