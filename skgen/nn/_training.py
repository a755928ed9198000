"""One training loop for every skgen network.

AdamW, a cosine learning-rate schedule over all steps, gradient-norm
clipping and a tqdm progress bar per phase showing the running loss.
"""

import numpy as np
import torch
from tqdm.auto import tqdm

__all__ = ["train_epochs"]


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
    module.train()
    bar = tqdm(range(epochs), desc=desc, unit="epoch", disable=not verbose, leave=True)
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
    finally:
        bar.close()
        module.eval()
    return losses
