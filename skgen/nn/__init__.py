"""Torch modules trained by skgen's generators, and their shared training loop.

The loop (:func:`train_epochs`, :class:`EarlyStopping`) and the precision
helpers (:func:`resolve_precision`, :func:`cpu_has_native_bfloat16`,
:func:`torch_seed`) are public so that benchmarks and users' own training
scripts run the same code as the generators (docs/method.rst, "Training
precision").
"""

from .._torch_utils import cpu_has_native_bfloat16, resolve_precision, torch_seed
from ._training import EarlyStopping, train_epochs

__all__ = [
    "EarlyStopping",
    "cpu_has_native_bfloat16",
    "resolve_precision",
    "torch_seed",
    "train_epochs",
]
