"""Torch utilities below the estimators: devices, seeding, atomic files.

Only the estimator layer, :mod:`skgen.nn` and model files import this module;
the numpy layers (:mod:`skgen.signal`, :mod:`skgen.io`,
:mod:`skgen.datasets`) never do, so they load without torch.
"""

import contextlib
import functools
import os
import tempfile
import warnings
from contextlib import contextmanager

import torch

__all__ = [
    "atomic_torch_save",
    "autocast",
    "check_precision",
    "resolve_device",
    "resolve_precision",
    "torch_seed",
    "usable_device",
]

PRECISIONS = ("auto", "float32", "bfloat16")


@functools.lru_cache(maxsize=1)
def cpu_has_native_bfloat16():
    """True when the CPU computes bfloat16 natively (Intel AMX or AVX512-BF16).

    Read from ``/proc/cpuinfo``; False where that file does not exist, so
    that ``precision="auto"`` falls back to float32 rather than emulating.
    """
    try:
        with open("/proc/cpuinfo") as stream:
            flags = set(stream.read().split())
    except OSError:
        return False
    return bool(flags & {"amx_bf16", "avx512_bf16"})


def check_precision(precision):
    """Raise ``ValueError`` unless ``precision`` is one of :data:`PRECISIONS`."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}; got {precision!r}.")


def resolve_precision(precision, device):
    """``"float32"`` or ``"bfloat16"``: the training precision on ``device``.

    ``"auto"`` is bfloat16 autocast where the hardware computes it natively
    (a CPU with AMX or AVX512-BF16, a CUDA device with bfloat16 support) and
    float32 elsewhere (docs/method.rst, "Training precision").
    """
    check_precision(precision)
    if precision != "auto":
        return precision
    device = torch.device(device)
    if device.type == "cuda":
        return "bfloat16" if torch.cuda.is_bf16_supported() else "float32"
    return "bfloat16" if device.type == "cpu" and cpu_has_native_bfloat16() else "float32"


def autocast(device, precision):
    """Autocast context of the forward pass: bfloat16 matmuls and convolutions
    with float32 weights and losses, or nothing for ``"float32"``."""
    if precision != "bfloat16":
        return contextlib.nullcontext()
    return torch.autocast(torch.device(device).type, dtype=torch.bfloat16)


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
