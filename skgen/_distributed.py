"""Data-parallel training under ``torchrun``: the process group and its helpers.

``torchrun`` starts one process per device and sets ``RANK``, ``WORLD_SIZE``
and ``LOCAL_RANK`` (with ``MASTER_ADDR`` and ``MASTER_PORT``). ``fit`` sees
them and trains data-parallel (:func:`process_group`); every other helper
here is a no-op in a single process, so the same code runs either way.
"""

import atexit
import os
from contextlib import contextmanager

import torch
from torch import distributed

__all__ = [
    "all_reduce_sum",
    "broadcast_object",
    "is_main_process",
    "launched_by_torchrun",
    "process_group",
    "rank",
    "world_size",
]

_TORCHRUN_VARIABLES = ("RANK", "WORLD_SIZE", "LOCAL_RANK")


def launched_by_torchrun():
    """True when ``torchrun`` (or any launcher setting its variables) started
    this process.

    Returns
    -------
    launched : bool
        ``RANK``, ``WORLD_SIZE`` and ``LOCAL_RANK`` are all set.
    """
    return all(name in os.environ for name in _TORCHRUN_VARIABLES)


def _initialized():
    return distributed.is_available() and distributed.is_initialized()


def world_size():
    """Number of training processes: the default process group's size, else 1.

    Returns
    -------
    world_size : int
    """
    return distributed.get_world_size() if _initialized() else 1


def rank():
    """This process's rank: from the process group, else ``RANK``, else 0.

    ``RANK`` counts outside a process group too, so that after a
    data-parallel ``fit`` only rank 0 writes files.

    Returns
    -------
    rank : int
    """
    if _initialized():
        return distributed.get_rank()
    if launched_by_torchrun():
        return int(os.environ["RANK"])
    return 0


def is_main_process():
    """True on rank 0 (and in any single process): the one that writes files.

    Returns
    -------
    main : bool
    """
    return rank() == 0


@contextmanager
def process_group(device):
    """Run the block in the default process group when torchrun asks for one.

    Under ``torchrun`` with ``WORLD_SIZE`` > 1 and no process group yet, the
    default group is created from the environment (``init_method="env://"``)
    with the gloo backend for a CPU ``device`` and nccl for CUDA. It then
    lives until the process exits, so that later fits reuse it (creating a
    group again after destroying it can hang in the rendezvous). For CUDA,
    the process first selects the GPU of its ``LOCAL_RANK``, so
    ``device="cuda"`` means one GPU per process. A group the caller created
    is used as it is; without torchrun nothing happens.

    Parameters
    ----------
    device : torch.device
        Where training runs; chooses the backend.

    Yields
    ------
    world_size : int
        Processes training together (1 without a process group).
    """
    if not _initialized() and launched_by_torchrun() and int(os.environ["WORLD_SIZE"]) > 1:
        if device.type == "cuda":
            torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
        distributed.init_process_group("nccl" if device.type == "cuda" else "gloo")
        atexit.register(_destroy)
    yield world_size()


def _destroy():
    if _initialized():
        distributed.destroy_process_group()


def broadcast_object(obj, src=0):
    """Every rank receives rank ``src``'s copy of a picklable object.

    Parameters
    ----------
    obj : object
        Picklable; only rank ``src``'s value matters.
    src : int, default=0

    Returns
    -------
    obj : object
        ``obj`` itself in a single process, else a copy of rank ``src``'s.
    """
    if world_size() == 1:
        return obj
    box = [obj]
    distributed.broadcast_object_list(box, src=src)
    return box[0]


def all_reduce_sum(values):
    """Element-wise sum of a float array over all ranks, the same on every rank.

    Parameters
    ----------
    values : array-like of float
        This rank's values; the same shape on every rank.

    Returns
    -------
    total : Tensor of dtype float64
        On the CPU; ``values`` as a tensor in a single process.
    """
    total = torch.as_tensor(values, dtype=torch.float64)
    if world_size() == 1:
        return total
    # nccl reduces device tensors only.
    on_gpu = distributed.get_backend() == "nccl"
    buffer = total.cuda() if on_gpu else total.clone()
    distributed.all_reduce(buffer)
    return buffer.cpu()
