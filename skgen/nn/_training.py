"""One training loop for every skgen network.

AdamW, a cosine learning-rate schedule over all steps, gradient-norm
clipping, a tqdm progress bar per phase showing the running loss, and
optional early stopping on held-out records (:class:`EarlyStopping`), and
optional per-epoch checkpoints from which an interrupted fit resumes to the
same result as an uninterrupted one. Under ``torchrun`` the same loop trains
data-parallel with ``DistributedDataParallel`` (see :func:`train_epochs`).
"""

import copy
import os
import warnings

import numpy as np
import torch
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import BatchSampler, DistributedSampler
from tqdm.auto import tqdm

from .._distributed import all_reduce_sum, broadcast_object, is_main_process, rank, world_size
from .._torch_utils import atomic_torch_save

__all__ = ["Checkpoint", "EarlyStopping", "train_epochs"]


class Checkpoint:
    """Per-epoch training state in one file, written atomically.

    The file holds, per training phase, everything the next epoch depends
    on: weights, optimiser and schedule state, torch's global random state
    (dropout, noise injection) and the losses so far; the shuffling needs no
    state, it is a function of the seed and the epoch. A ``fingerprint`` of
    the parameters and data guards against resuming a different fit: a file
    with another fingerprint is ignored (with a warning) and overwritten.

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
        atomic_torch_save(
            {"fingerprint": self.fingerprint, "phases": self._phases},
            self.path,
            prefix=".skgen-ckpt-",
        )


class EarlyStopping:
    """Stop training when a held-out loss stops improving (scikit-learn's idiom).

    After every epoch :func:`train_epochs` evaluates ``validation_loss`` (in
    eval mode, without gradients); training stops once it has not improved
    by at least ``tol`` for ``n_iter_no_change`` consecutive epochs, and the
    weights of the best epoch are restored, as ``MLPRegressor`` does with
    ``early_stopping=True``.

    Parameters
    ----------
    validation_loss : callable
        ``validation_loss() -> float``: the loss of the held-out records.
    n_iter_no_change : int
        Epochs without improvement before stopping.
    tol : float
        Smallest decrease of the validation loss that counts as improvement.

    Attributes
    ----------
    losses : list of float
        Validation loss after each epoch.
    best_epoch : int or None
        Index of the epoch with the lowest validation loss.
    """

    def __init__(self, validation_loss, n_iter_no_change, tol):
        self.validation_loss = validation_loss
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.losses = []
        self.best_epoch = None
        self._best_state = None

    def update(self, module):
        """Record this epoch's validation loss; True when training should stop."""
        with torch.no_grad():
            loss = float(self.validation_loss())
        self.losses.append(loss)
        best = self.losses[self.best_epoch] if self.best_epoch is not None else np.inf
        if loss < best - self.tol:
            self.best_epoch = len(self.losses) - 1
            self._best_state = copy.deepcopy(module.state_dict())
        return self.stopped

    @property
    def stopped(self):
        """True once ``n_iter_no_change`` epochs have passed without improvement."""
        if self.best_epoch is None:
            return False
        return len(self.losses) - 1 - self.best_epoch >= self.n_iter_no_change

    def restore(self, module):
        """Load the weights of the best epoch into ``module``."""
        if self._best_state is not None:
            module.load_state_dict(self._best_state)

    def state_dict(self):
        return {
            "losses": list(self.losses),
            "best_epoch": self.best_epoch,
            "best_state": copy.deepcopy(self._best_state),
        }

    def load_state_dict(self, state):
        self.losses = list(state["losses"])
        self.best_epoch = state["best_epoch"]
        self._best_state = state["best_state"]


class _BatchLoss(torch.nn.Module):
    """``batch_loss`` as the forward pass of a module that owns the network.

    ``DistributedDataParallel`` averages gradients only for what its wrapped
    module's forward computed; the generators' losses call submodules
    (``encode``, ``head``) directly, so the whole loss becomes the forward.
    """

    def __init__(self, module, batch_loss):
        super().__init__()
        self.module = module
        self.batch_loss = batch_loss

    def forward(self, indices):
        return self.batch_loss(indices)


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
    early_stopping=None,
):
    """Train ``module`` for ``epochs`` passes over ``n_records`` records.

    Parameters
    ----------
    module : torch.nn.Module
        The network; set to train mode here and left in eval mode.
    batch_loss : callable
        ``batch_loss(indices) -> loss``: the mean loss (a scalar tensor) of
        the records at ``indices`` (a ``LongTensor`` on the CPU).
    n_records : int
        Number of training records.
    epochs : int
        Passes over the data; 0 trains nothing.
    lr, weight_decay : float
        AdamW settings.
    batch_size : int
        Records per optimisation step, over all processes.
    seed : int
        Seeds the shuffling so that runs repeat exactly; the same on every
        process.
    desc : str
        Label of the progress bar.
    verbose : int
        Show a progress bar (on rank 0) when > 0.
    clip_norm : float or None
        Gradient-norm clip; ``None`` disables it.
    cosine : bool
        Cosine-anneal the learning rate to 0 over all steps.
    checkpoint : Checkpoint or None
        Save the state after every epoch under the phase name ``desc``, and
        resume from it: epochs already done are not run again. Rank 0 reads
        and writes the file; the other ranks receive its state.
    early_stopping : EarlyStopping or None
        Evaluated after every epoch; stops before ``epochs`` once the
        held-out loss stops improving and restores the best epoch's weights.
        Its ``losses`` hold the validation curve. Every process evaluates
        the same held-out records, so all stop together.

    Returns
    -------
    losses : list of float
        Mean training loss of each epoch, over all processes (fewer than
        ``epochs`` when stopped early).

    Raises
    ------
    ValueError
        In a process group, ``batch_size`` not a multiple of its size.

    Notes
    -----
    Each epoch visits the records in the order of a ``DistributedSampler``
    seeded with ``seed`` (permutation ``randperm(n_records)`` from a
    generator seeded with ``seed + epoch``), in one process or many. In a
    process group of ``W`` processes (see :mod:`skgen._distributed`) the
    network is wrapped in ``DistributedDataParallel`` and rank ``r`` takes
    records ``r, r + W, r + 2W, ...`` of that order in local batches of
    ``batch_size / W``: the union of the local batches of step ``t`` is the
    single-process batch ``t``, and averaging the equal-sized local mean
    losses' gradients gives the single-process gradient. Weights therefore
    equal those of a single-process run up to float32 round-off (in float32
    training; bfloat16 kernels round differently per local batch) whenever the
    loss itself is not random (no dropout, latent noise or reparameterisation
    noise: each process draws its own) and ``W`` divides ``n_records``;
    otherwise the sampler repeats up to ``W - 1`` records per epoch so that
    every rank takes the same number of steps.
    """
    losses = []
    if epochs <= 0:
        module.eval()
        return losses
    world = world_size()
    if batch_size % world:
        raise ValueError(
            f"batch_size={batch_size} is the global batch of {world} training "
            f"processes and must be a multiple of {world}."
        )
    optimizer = torch.optim.AdamW(module.parameters(), lr=lr, weight_decay=weight_decay)
    steps_per_epoch = int(np.ceil(n_records / batch_size))
    scheduler = (
        torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * steps_per_epoch)
        if cosine
        else None
    )
    # One process (world 1) is rank 0 of its own, whatever RANK says.
    sampler = DistributedSampler(
        range(n_records),
        num_replicas=world,
        rank=rank() if world > 1 else 0,
        shuffle=True,
        seed=int(seed),
    )
    batches = BatchSampler(sampler, batch_size // world, drop_last=False)
    if checkpoint is not None:
        saved = broadcast_object(checkpoint.get(desc))
        if saved is not None:
            module.load_state_dict(saved["module"])
            optimizer.load_state_dict(saved["optimizer"])
            if scheduler is not None:
                scheduler.load_state_dict(saved["scheduler"])
            torch.set_rng_state(saved["torch_rng"])
            losses = list(saved["losses"])
            if early_stopping is not None:
                early_stopping.load_state_dict(saved["early_stopping"])
    step = _BatchLoss(module, batch_loss)
    if world > 1:
        step = DistributedDataParallel(step)
    step.train()
    bar = tqdm(
        range(len(losses), epochs),
        desc=desc,
        unit="epoch",
        disable=not verbose or not is_main_process(),
        leave=True,
        initial=len(losses),
        total=epochs,
    )
    stopped = early_stopping is not None and early_stopping.stopped
    try:
        for epoch in bar:
            if stopped:
                break
            sampler.set_epoch(epoch)
            total, seen = 0.0, 0
            for batch in batches:
                indices = torch.as_tensor(batch, dtype=torch.long)
                optimizer.zero_grad(set_to_none=True)
                loss = step(indices)
                with warnings.catch_warnings():
                    # DDP warns when a gradient's strides differ from its
                    # bucket's, even only along size-1 dimensions (1 x 1
                    # kernels), where the memory layout is the same.
                    warnings.filterwarnings("ignore", message="Grad strides do not match")
                    loss.backward()
                if clip_norm is not None:
                    torch.nn.utils.clip_grad_norm_(module.parameters(), clip_norm)
                optimizer.step()
                if scheduler is not None:
                    scheduler.step()
                total += float(loss.detach()) * len(indices)
                seen += len(indices)
            total, seen = all_reduce_sum([total, seen]).tolist()
            losses.append(total / seen)
            bar.set_postfix(loss=f"{losses[-1]:.4g}")
            if early_stopping is not None:
                step.eval()
                stopped = early_stopping.update(module)
                step.train()
            if checkpoint is not None and is_main_process():
                # Copies: state dicts alias live tensors that later epochs
                # (and later phases) keep changing.
                checkpoint.put(
                    desc,
                    copy.deepcopy(
                        {
                            "module": module.state_dict(),
                            "optimizer": optimizer.state_dict(),
                            "scheduler": scheduler.state_dict() if scheduler is not None else None,
                            "torch_rng": torch.get_rng_state(),
                            "losses": list(losses),
                            "early_stopping": (
                                early_stopping.state_dict() if early_stopping is not None else None
                            ),
                        }
                    ),
                )
    finally:
        bar.close()
        module.eval()
    if early_stopping is not None:
        early_stopping.restore(module)
    return losses
