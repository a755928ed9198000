"""The shared training loop: seeding, checkpoints, resuming after an interruption."""

import numpy as np
import pytest
import torch

from skgen._torch_utils import torch_seed
from skgen.nn._training import Checkpoint, train_epochs

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
