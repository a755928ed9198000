"""The model-file format: plain data only, written atomically.

A model file is one ``torch.save`` of plain data: the constructor
parameters (a nested estimator such as the sampler as its class name and
parameters), the fitted arrays (as tensors), the networks' ``state_dict``
and the station bank. It is read back with ``torch.load(weights_only=True)``,
whose unpickler accepts only tensors and plain containers, so a file can
never execute code on load. Writes go to a temporary file in the target
folder and are renamed into place: a failure mid-write leaves any previous
file intact.

This module writes and decodes; :mod:`skgen._persistence` (above the
estimators) builds generators from what it decodes.
"""

import os

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from . import __version__
from ._distributed import is_main_process
from ._torch_utils import atomic_torch_save

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "from_safe", "to_safe", "write_model"]

FORMAT_NAME = "skgen-model"
FORMAT_VERSION = 1

# Parameters that belong to the machine, not to the model: a cache of
# fitted networks (``memory``) is not stored; a loaded model has none.
_NOT_STORED = ("memory",)


def to_safe(value):
    """Encode a value with only types ``weights_only`` accepts."""
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return {"__list_array__": [to_safe(v) for v in value.tolist()]}
        return {"__ndarray__": torch.from_numpy(np.ascontiguousarray(value))}
    if isinstance(value, torch.device):
        return {"__device__": str(value)}
    if isinstance(value, BaseEstimator):
        return {
            "__estimator__": type(value).__name__,
            "params": to_safe(value.get_params(deep=False)),
        }
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {"__dict__": [[to_safe(k), to_safe(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"__tuple__": [to_safe(v) for v in value]}
    if isinstance(value, list):
        return [to_safe(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str, torch.Tensor)):
        return value
    raise TypeError(f"cannot store a value of type {type(value).__name__} in a model file")


def from_safe(value, estimators=None):
    """Decode :func:`to_safe`'s output.

    Parameters
    ----------
    value : object
    estimators : dict of str to type, default=None
        The estimator classes a nested estimator may name; None leaves
        nested estimators as ``{"__estimator__": name, "params": {...}}``.

    Raises
    ------
    ValueError
        A nested estimator of a class not in ``estimators``.
    """
    if isinstance(value, dict):
        if "__ndarray__" in value:
            return value["__ndarray__"].numpy()
        if "__list_array__" in value:
            out = np.empty(len(value["__list_array__"]), dtype=object)
            out[:] = [from_safe(v, estimators) for v in value["__list_array__"]]
            return out
        if "__device__" in value:
            return torch.device(value["__device__"])
        if "__estimator__" in value:
            name, params = value["__estimator__"], from_safe(value["params"], estimators)
            if estimators is None:
                return {"__estimator__": name, "params": params}
            if name not in estimators:
                raise ValueError(f"unknown estimator class {name!r}")
            return estimators[name](**params)
        if "__dict__" in value:
            return {
                from_safe(k, estimators): from_safe(v, estimators) for k, v in value["__dict__"]
            }
        if "__tuple__" in value:
            return tuple(from_safe(v, estimators) for v in value["__tuple__"])
    if isinstance(value, list):
        return [from_safe(v, estimators) for v in value]
    return value


def write_model(generator, path):
    """Write a fitted generator to ``path`` atomically.

    Parameters
    ----------
    generator : BaseStationGenerator
        A fitted generator.
    path : str or path-like
        Destination file (conventionally ``.skgen``).

    Notes
    -----
    Under ``torchrun`` only rank 0 writes: after a data-parallel ``fit``
    every rank holds the same generator, and one writer per file avoids
    processes racing on it.
    """
    check_is_fitted(generator)
    if not is_main_process():
        return
    modules = {
        name: {k: v.detach().cpu() for k, v in getattr(generator, name).state_dict().items()}
        for name in generator._torch_attributes
    }
    fitted = {
        name: to_safe(value)
        for name, value in vars(generator).items()
        if name.endswith("_")
        and not name.startswith("_")
        and name not in modules
        and name != "bank_"
    }
    params = generator.get_params(deep=False)
    for name in _NOT_STORED:
        params.pop(name, None)
    payload = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "skgen_version": __version__,
        "class": type(generator).__name__,
        "params": to_safe(params),
        "fitted": fitted,
        "modules": modules,
        "bank": to_safe(generator.bank_),
    }
    atomic_torch_save(payload, path)
