"""``skgen.load``: generators back from model files, without executing code.

The format and the writer are :mod:`skgen._model_file` (below the
estimators, which call it in ``save``); this module sits above the
estimators and knows their classes, so that nothing imports in a circle.
"""

import os
import pickle

import torch

from ._cvae import SpectrogramCVAEGenerator
from ._model_file import FORMAT_NAME, FORMAT_VERSION, from_safe, to_safe, write_model
from ._stochastic import StochasticGenerator
from ._timesnet import TimesNetGenerator
from ._torch_utils import usable_device
from .sampling import EvolutionarySampler, MixingSampler

__all__ = ["FORMAT_VERSION", "from_safe", "load", "save", "to_safe"]

# The classes a model file may name: generators, and the estimators their
# parameters may hold.
GENERATORS = {
    cls.__name__: cls for cls in (TimesNetGenerator, SpectrogramCVAEGenerator, StochasticGenerator)
}
ESTIMATORS = {cls.__name__: cls for cls in (MixingSampler, EvolutionarySampler)}

save = write_model


def _read_payload(path):
    """The checked payload of a model file."""
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
    if payload["class"] not in GENERATORS:
        raise ValueError(f"{path!r} holds an unknown generator class {payload['class']!r}.")
    return payload


def load(path):
    """Read a generator written by ``save``, without executing any code.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    generator : TimesNetGenerator, SpectrogramCVAEGenerator or StochasticGenerator
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
    payload = _read_payload(path)
    cls = GENERATORS[payload["class"]]
    try:
        params = from_safe(payload["params"], ESTIMATORS)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path!r} has parameters this skgen cannot read: {exc}.") from None
    # Parameters added since the file was written take the values that
    # reproduce its behaviour then, not today's defaults.
    params = cls._params_from_file(params)
    unknown = sorted(set(params) - set(cls().get_params(deep=False)))
    if unknown:
        raise ValueError(
            f"{path!r} sets parameters {unknown} that {cls.__name__} does not "
            "have; it was written by another skgen version."
        )
    generator = cls(**params)
    for name, value in payload["fitted"].items():
        setattr(generator, name, from_safe(value))
    generator.bank_ = from_safe(payload["bank"])
    if not payload["modules"]:
        return generator
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
