"""One training loop for every skgen network.

AdamW, a cosine learning-rate schedule over all steps, gradient-norm
clipping, a tqdm progress bar per phase showing the running loss, and
optional per-epoch checkpoints from which an interrupted fit resumes to the
same result as an uninterrupted one.
"""

import copy
import os
import tempfile
import warnings

import numpy as np
import torch
from tqdm.auto import tqdm

__all__ = ["Checkpoint", "train_epochs"]


class Checkpoint:
    """Per-epoch training state in one file, written atomically.

    The file holds, per training phase, everything the next epoch depends
    on: weights, optimiser and schedule state, the shuffling generator and
    torch's global random state (dropout, noise injection), and the losses
    so far. A ``fingerprint`` of the parameters and data guards against
    resuming a different fit: a file with another fingerprint is ignored
    (with a warning) and overwritten.

    Parameters
    ----------
    path : str or path-like
        Checkpoint file.
    fingerprint : str
        Identifies the fit (parameters and training data).
    """

    def __init__(self, path, fingerprint):
        self.path = os.fspath(path)
        self.fingerprint = fingerprint
        self._phases = self._read()

    def _read(self):
        if not os.path.exists(self.path):
            return {}
        try:
            content = torch.load(self.path, map_location="cpu", weights_only=True)
        except Exception as exc:  # a damaged checkpoint must not block a new fit
            warnings.warn(f"ignoring unreadable checkpoint {self.path!r}: {exc}", stacklevel=3)
            return {}
        if not isinstance(content, dict) or content.get("fingerprint") != self.fingerprint:
            warnings.warn(
                f"checkpoint {self.path!r} belongs to a different fit (other parameters "
                "or data); starting afresh and overwriting it",
                stacklevel=3,
            )
            return {}
        return content["phases"]

    def get(self, phase):
        """The saved state of ``phase``, or None."""
        return self._phases.get(phase)

    def remove(self):
        """Delete the file: the fit it protected has finished."""
        if os.path.exists(self.path):
            os.unlink(self.path)

    def put(self, phase, state):
        """Record ``phase``'s state and rewrite the file atomically."""
        self._phases[phase] = state
        folder = os.path.dirname(os.path.abspath(self.path))
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=".skgen-ckpt-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                torch.save({"fingerprint": self.fingerprint, "phases": self._phases}, stream)
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


def train_epochs(
    module,
    batch_loss,
    n_records,
    *,
    epochs,
    lr,
    weight_decay,
    batch_size,
    seed,
    desc="training",
    verbose=0,
    clip_norm=1.0,
    cosine=True,
    checkpoint=None,
):
    """Train ``module`` for ``epochs`` passes over ``n_records`` records.

    Parameters
    ----------
    module : torch.nn.Module
        The network; set to train mode here and left in eval mode.
    batch_loss : callable
        ``batch_loss(indices) -> loss``: a scalar tensor for the records at
        ``indices`` (a ``LongTensor`` on the CPU).
    n_records : int
        Number of training records.
    epochs : int
        Passes over the data; 0 trains nothing.
    lr, weight_decay : float
        AdamW settings.
    batch_size : int
        Records per optimisation step.
    seed : int
        Seeds the shuffling so that runs repeat exactly.
    desc : str
        Label of the progress bar.
    verbose : int
        Show a progress bar when > 0.
    clip_norm : float or None
        Gradient-norm clip; ``None`` disables it.
    cosine : bool
        Cosine-anneal the learning rate to 0 over all steps.
    checkpoint : Checkpoint or None
        Save the state after every epoch under the phase name ``desc``, and
        resume from it: epochs already done are not run again.

    Returns
    -------
    losses : list of float
        Mean training loss of each epoch.
    """
    losses = []
    if epochs <= 0:
        module.eval()
        return losses
    optimizer = torch.optim.AdamW(module.parameters(), lr=lr, weight_decay=weight_decay)
    steps_per_epoch = int(np.ceil(n_records / batch_size))
    scheduler = (
        torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * steps_per_epoch)
        if cosine
        else None
    )
    generator = torch.Generator().manual_seed(int(seed))
    saved = checkpoint.get(desc) if checkpoint is not None else None
    if saved is not None:
        module.load_state_dict(saved["module"])
        optimizer.load_state_dict(saved["optimizer"])
        if scheduler is not None:
            scheduler.load_state_dict(saved["scheduler"])
        generator.set_state(saved["shuffle_rng"])
        torch.set_rng_state(saved["torch_rng"])
        losses = list(saved["losses"])
    module.train()
    bar = tqdm(range(len(losses), epochs), desc=desc, unit="epoch", disable=not verbose,
               leave=True, initial=len(losses), total=epochs)
    try:
        for _ in bar:
            order = torch.randperm(n_records, generator=generator)
            total, seen = 0.0, 0
            for start in range(0, n_records, batch_size):
                indices = order[start : start + batch_size]
                optimizer.zero_grad(set_to_none=True)
                loss = batch_loss(indices)
                loss.backward()
                if clip_norm is not None:
                    torch.nn.utils.clip_grad_norm_(module.parameters(), clip_norm)
                optimizer.step()
                if scheduler is not None:
                    scheduler.step()
                total += float(loss.detach()) * len(indices)
                seen += len(indices)
            losses.append(total / seen)
            bar.set_postfix(loss=f"{losses[-1]:.4g}")
            if checkpoint is not None:
                # Copies: state dicts alias live tensors that later epochs
                # (and later phases) keep changing.
                checkpoint.put(desc, copy.deepcopy({
                    "module": module.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict() if scheduler is not None else None,
                    "shuffle_rng": generator.get_state(),
                    "torch_rng": torch.get_rng_state(),
                    "losses": list(losses),
                }))
    finally:
        bar.close()
        module.eval()
    return losses
