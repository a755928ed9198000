"""Scores of generated records against a station's real ones.

Kept apart, one concept per module:

- :mod:`._f0`: the paper's f0 formulas (``f0_histogram``, ``f0_similarity``,
  ``f0_confusion_matrix``, ``f0_alignment_score``, ``energy_distance``) and
  the one definition of the f0 bins (``f0_bins``);
- :mod:`._report`: :class:`ScoreReport`, what the HVSR scorer measured;
- :mod:`._protocol`: the pool / held-out protocol every scorer shares;
- :mod:`._hvsr`: :class:`HVSRAlignmentScorer`.

See docs/scoring.rst.
"""

from ._f0 import (
    F0_BINS,
    energy_distance,
    f0_alignment_score,
    f0_bins,
    f0_confusion_matrix,
    f0_histogram,
    f0_similarity,
)
from ._hvsr import HVSRAlignmentScorer
from ._report import METRICS, ScoreReport

__all__ = [
    "F0_BINS",
    "METRICS",
    "HVSRAlignmentScorer",
    "ScoreReport",
    "energy_distance",
    "f0_alignment_score",
    "f0_bins",
    "f0_confusion_matrix",
    "f0_histogram",
    "f0_similarity",
]
