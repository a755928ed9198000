"""Pickling of estimators that hold torch modules (joblib, dask, copy).

Modules travel on CPU and come back on the estimator's device, or on CPU
with a warning where that device is missing (skorch's habit).
"""

import copy

from ._torch_utils import usable_device

__all__ = ["TorchPickleMixin"]


class TorchPickleMixin:
    """``__getstate__``/``__setstate__`` for the modules named in ``_torch_attributes``.

    For a class that also derives from :class:`sklearn.base.BaseEstimator`
    (listed after this mixin) and keeps its resolved device in ``device_``.
    """

    # Modules listed here are moved to CPU when pickled.
    _torch_attributes = ("module_",)

    def __getstate__(self):
        state = super().__getstate__()
        for name in self._torch_attributes:
            module = state.get(name)
            if module is not None and any(p.device.type != "cpu" for p in module.parameters()):
                state[name] = copy.deepcopy(module).cpu()
        if "device_" in state:
            state["device_"] = str(state["device_"])
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "device_" in state:
            device = usable_device(state["device_"], "This generator")
            self.device_ = device
            for name in self._torch_attributes:
                module = self.__dict__.get(name)
                if module is not None:
                    module.to(device)
