"""skgen: site-specific earthquake strong-motion generation with a scikit-learn API.

TimesNet-Gen (arXiv 2512.04694) and its spectrogram CVAE baseline as
scikit-learn estimators, with the HVSR toolkit, readers and scorers around
them. See :class:`TimesNetGenerator` to start.

The public names load lazily (PEP 562, as scipy and scikit-learn do), so
``import skgen.signal`` or ``import skgen.io`` does not pay for torch.
"""

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("skgen")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

# public name -> the module that defines it
_EXPORTS = {
    "GroundMotionModel": "skgen.ground_motion",
    "HVSRAlignmentScorer": "skgen.scoring",
    "IntensityMeasureScorer": "skgen.scoring",
    "EvolutionarySampler": "skgen.sampling",
    "MixingSampler": "skgen.sampling",
    "ScoreReport": "skgen.scoring",
    "SpectrogramCVAEGenerator": "skgen._cvae",
    "StochasticGenerator": "skgen._stochastic",
    "TimesNetGenerator": "skgen._timesnet",
    "compare": "skgen.scoring",
    "f0_alignment_score": "skgen.scoring",
    "load": "skgen._persistence",
    "make_strong_motion": "skgen.datasets",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'skgen' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
