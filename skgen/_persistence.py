"""Safe model files: ``gen.save(path)`` and ``skgen.load(path)``.

A model file is one ``torch.save`` of plain data: the constructor
parameters, the fitted arrays (as tensors), the network's ``state_dict`` and
the station bank. It is read back with ``torch.load(weights_only=True)``,
whose unpickler accepts only tensors and plain containers, so a file can
never execute code on load. Writes go to a temporary file in the target
folder and are renamed into place: a failure mid-write leaves any previous
file intact.
"""

import os
import pickle

import numpy as np
import torch

from ._torch_utils import atomic_torch_save, usable_device

__all__ = ["FORMAT_VERSION", "load", "save"]

FORMAT_NAME = "skgen-model"
FORMAT_VERSION = 1


def _registry():
    from ._cvae import SpectrogramCVAEGenerator
    from ._timesnet import TimesNetGenerator

    return {cls.__name__: cls for cls in (TimesNetGenerator, SpectrogramCVAEGenerator)}


def _to_safe(value):
    """Encode a fitted value with only types ``weights_only`` accepts."""
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return {"__list_array__": [_to_safe(v) for v in value.tolist()]}
        return {"__ndarray__": torch.from_numpy(np.ascontiguousarray(value))}
    if isinstance(value, torch.device):
        return {"__device__": str(value)}
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {"__dict__": [[_to_safe(k), _to_safe(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"__tuple__": [_to_safe(v) for v in value]}
    if isinstance(value, list):
        return [_to_safe(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str, torch.Tensor)):
        return value
    raise TypeError(f"cannot store a value of type {type(value).__name__} in a model file")


def _from_safe(value):
    if isinstance(value, dict):
        if "__ndarray__" in value:
            return value["__ndarray__"].numpy()
        if "__list_array__" in value:
            out = np.empty(len(value["__list_array__"]), dtype=object)
            out[:] = [_from_safe(v) for v in value["__list_array__"]]
            return out
        if "__device__" in value:
            return torch.device(value["__device__"])
        if "__dict__" in value:
            return {_from_safe(k): _from_safe(v) for k, v in value["__dict__"]}
        if "__tuple__" in value:
            return tuple(_from_safe(v) for v in value["__tuple__"])
    if isinstance(value, list):
        return [_from_safe(v) for v in value]
    return value


def save(generator, path):
    """Write a fitted generator to ``path`` atomically.

    Parameters
    ----------
    generator : TimesNetGenerator or SpectrogramCVAEGenerator
        A fitted generator.
    path : str or path-like
        Destination file (conventionally ``.skgen``).

    Notes
    -----
    Under ``torchrun`` only rank 0 writes: after a data-parallel ``fit``
    every rank holds the same generator, and one writer per file avoids
    processes racing on it.
    """
    from sklearn.utils.validation import check_is_fitted

    from . import __version__
    from ._distributed import is_main_process

    check_is_fitted(generator)
    if not is_main_process():
        return
    modules = {
        name: {k: v.detach().cpu() for k, v in getattr(generator, name).state_dict().items()}
        for name in generator._torch_attributes
    }
    fitted = {
        name: _to_safe(value)
        for name, value in vars(generator).items()
        if name.endswith("_")
        and not name.startswith("_")
        and name not in modules
        and name != "bank_"
    }
    payload = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "skgen_version": __version__,
        "class": type(generator).__name__,
        "params": _to_safe(generator.get_params(deep=False)),
        "fitted": fitted,
        "modules": modules,
        "bank": _to_safe(generator.bank_),
    }
    atomic_torch_save(payload, path)


def load(path):
    """Read a generator written by :meth:`save`, without executing any code.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    generator : TimesNetGenerator or SpectrogramCVAEGenerator
        Fitted, on CPU unless it was saved from CUDA and CUDA is available.

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        Not an skgen model file, a file carrying code (refused), a format
        version newer than this skgen reads, or a damaged file (missing
        entries, unknown parameters, weights that do not fit the network);
        the message names the file.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"No model file at {path!r}.")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        raise ValueError(
            f"{path!r} was refused: it is not a plain-data skgen model file "
            f"(it may carry code, which skgen never runs). Details: {exc}"
        ) from None
    except Exception as exc:
        # torch's restricted unpickler fails on garbage in many ways
        # (RuntimeError, EOFError, IndexError, ...): all mean "not a model".
        raise ValueError(
            f"{path!r} is not a readable skgen model file: {type(exc).__name__}: {exc}"
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_NAME:
        raise ValueError(f"{path!r} is not an skgen model file.")
    version = payload.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"{path!r} has an invalid model-file format version {version!r}.")
    if version > FORMAT_VERSION:
        raise ValueError(
            f"{path!r} uses model-file format version {version}, newer than "
            f"version {FORMAT_VERSION} that this skgen reads; upgrade skgen."
        )
    missing = sorted({"class", "params", "fitted", "modules", "bank"} - payload.keys())
    if missing:
        raise ValueError(f"{path!r} is an incomplete skgen model file (missing {missing}).")
    # Only fitted attributes may be set from the file, never methods or
    # private state of the estimator.
    for name in payload["fitted"]:
        if not (isinstance(name, str) and name.endswith("_") and not name.startswith("_")):
            raise ValueError(f"{path!r}: {name!r} is not a fitted attribute.")
    classes = _registry()
    if payload["class"] not in classes:
        raise ValueError(f"{path!r} holds an unknown generator class {payload['class']!r}.")
    cls = classes[payload["class"]]
    # Parameters added since the file was written take the values that
    # reproduce its behaviour then, not today's defaults.
    params = {**getattr(cls, "_params_of_older_files", {}), **_from_safe(payload["params"])}
    unknown = sorted(set(params) - set(cls().get_params()))
    if unknown:
        raise ValueError(
            f"{path!r} sets parameters {unknown} that {cls.__name__} does not "
            "have; it was written by another skgen version."
        )
    generator = cls(**params)
    for name, value in payload["fitted"].items():
        setattr(generator, name, _from_safe(value))
    generator.bank_ = _from_safe(payload["bank"])
    device = usable_device(generator.device_, f"the model in {path!r}")
    generator.device_ = device
    for name, state in payload["modules"].items():
        module = generator._build_module()
        try:
            module.load_state_dict(state)
        except RuntimeError as exc:
            raise ValueError(
                f"{path!r}: the saved weights do not fit the network its "
                f"parameters describe ({exc})."
            ) from None
        setattr(generator, name, module.to(device))
    generator._freeze_modules()
    return generator
