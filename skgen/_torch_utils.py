"""Torch utilities below the estimators: devices, seeding, atomic files.

Only the estimator layer, :mod:`skgen.nn` and model files import this module;
the numpy layers (:mod:`skgen.signal`, :mod:`skgen.io`,
:mod:`skgen.datasets`) never do, so they load without torch.
"""

import os
import tempfile
import warnings
from contextlib import contextmanager

import torch

__all__ = ["atomic_torch_save", "resolve_device", "torch_seed", "usable_device"]


def resolve_device(device):
    """Turn ``"auto"``/``"cpu"``/``"cuda"``/``"cuda:N"`` into a ``torch.device``."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError):
        raise ValueError(
            f"device must be 'cpu', 'cuda', 'cuda:N' or 'auto'; got {device!r}."
        ) from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} but no CUDA device is available; use device='cpu' or device='auto'."
        )
    return dev


def usable_device(device, source):
    """Where to run a generator fitted on ``device`` on this machine.

    The same device when it exists; otherwise the CPU (no CUDA) or the first
    GPU (a GPU index this machine lacks), with a ``RuntimeWarning`` naming
    ``source`` -- never an error, so models travel between machines.
    """
    device = torch.device(device)
    if device.type != "cuda":
        return device
    if not torch.cuda.is_available():
        warnings.warn(
            f"{source} was fitted on CUDA but no CUDA device is available; it will run on the CPU.",
            RuntimeWarning,
            stacklevel=3,
        )
        return torch.device("cpu")
    if device.index is not None and device.index >= torch.cuda.device_count():
        warnings.warn(
            f"{source} was fitted on {device} but this machine has "
            f"{torch.cuda.device_count()} CUDA device(s); it will run on cuda:0.",
            RuntimeWarning,
            stacklevel=3,
        )
        return torch.device("cuda", 0)
    return device


@contextmanager
def torch_seed(seed):
    """Seed torch's global generators inside the block, leaving the caller's
    random state as it was."""
    devices = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(int(seed))
        yield


def atomic_torch_save(obj, path, prefix=".skgen-"):
    """``torch.save(obj, path)`` that never leaves a half-written file.

    The object is written to a temporary file in the same folder, flushed to
    disk and renamed over ``path`` in one step, so a crash or an interrupt
    mid-write leaves the previous file (if any) intact.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            torch.save(obj, stream)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private (0600); give it the permissions of
        # an ordinary new file under the user's umask.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
