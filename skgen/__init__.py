"""skgen: site-specific earthquake strong-motion generation with a scikit-learn API.

TimesNet-Gen (arXiv 2512.04694) and its spectrogram CVAE baseline as
scikit-learn estimators, with the HVSR toolkit, readers and scorers around
them. See :class:`TimesNetGenerator` to start.
"""

from ._cvae import SpectrogramCVAEGenerator
from ._persistence import load
from ._timesnet import TimesNetGenerator
from .datasets import make_strong_motion
from .scoring import HVSRAlignmentScorer, ScoreReport, f0_alignment_score

__version__ = "0.1.0"

__all__ = [
    "HVSRAlignmentScorer",
    "ScoreReport",
    "SpectrogramCVAEGenerator",
    "TimesNetGenerator",
    "f0_alignment_score",
    "load",
    "make_strong_motion",
    "__version__",
]
