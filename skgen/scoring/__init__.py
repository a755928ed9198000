"""Scores of generated records against a station's real ones.

Kept apart, one concept per module:

- :mod:`._f0`: the paper's f0 formulas (``f0_histogram``, ``f0_similarity``,
  ``f0_confusion_matrix``, ``f0_alignment_score``, ``energy_distance``) and
  the one definition of the f0 bins (``f0_bins``);
- :mod:`._report`: :class:`ScoreReport`, what the HVSR scorer measured;
- :mod:`._protocol`: the pool / held-out protocol every scorer shares;
- :mod:`._base_scorer`: :class:`BaseStationScorer`, what every scorer shares
  (``__call__``, ``report``, the parameter checks, the protocol run);
- :mod:`._registry`: :func:`get_scorer`, which scorer computes each metric
  name, and :func:`register_scorer`, how a scorer joins;
- :mod:`._hvsr_scorer`: :class:`HVSRAlignmentScorer`;
- :mod:`._log_measures`, :mod:`._novelty`, :mod:`._spread`: ln intensity
  measures, novelty and the within-station spread of records;
- :mod:`._c2st`, :mod:`._time_frequency`: the classifier two-sample test and
  its time-frequency features;
- :mod:`._intensity_scorer`, :mod:`._intensity_report`:
  :class:`IntensityMeasureScorer` and its report;
- :mod:`._compare`: :func:`compare`, models side by side with intervals
  and paired tests;
- :mod:`._scenario_errors`: :func:`scenario_errors`, scenario-conditioned
  generation against held-out records (docs/scenario.rst);
- :mod:`._gof`, :mod:`._gof_scorer`: Anderson's (2004) goodness of fit and
  :class:`GoodnessOfFitScorer`; :mod:`._gmm`, :mod:`._gmm_scorer`: NGA-West2
  models, Baker-Jayaram and Afshari-Stewart through pygmm and
  :class:`GroundMotionModelScorer` (docs/validation.rst).

See docs/scoring.rst.
"""

from ._base_scorer import BaseStationScorer
from ._c2st import C2ST_FEATURE_SETS, C2ST_FREQUENCIES, c2st_features, c2st_score
from ._compare import Comparison, compare
from ._f0 import (
    F0_BINS,
    energy_distance,
    f0_alignment_score,
    f0_bins,
    f0_confusion_matrix,
    f0_histogram,
    f0_similarity,
)
from ._gmm import (
    ACCEPTANCE_BAND,
    GMMS,
    afshari_stewart_duration,
    baker_jayaram_correlation,
    gmm_spectrum,
)
from ._gmm_scorer import GMM_METRICS, GMM_PERIODS, GroundMotionModelReport, GroundMotionModelScorer
from ._gof import (
    ANDERSON_BANDS,
    GOF_CRITERIA,
    GoodnessOfFit,
    anderson_gof,
    anderson_score,
    gof_class,
)
from ._gof_scorer import GoodnessOfFitReport, GoodnessOfFitScorer
from ._hvsr_scorer import HVSRAlignmentScorer
from ._intensity_report import IM_METRICS, IntensityMeasureReport
from ._intensity_scorer import IntensityMeasureScorer
from ._log_measures import DEFAULT_PERIODS
from ._novelty import max_cross_correlation
from ._registry import get_scorer, get_scorer_class, get_scorer_names, register_scorer
from ._report import METRICS, ScoreReport
from ._scenario_errors import SCENARIO_PERIODS, ScenarioErrors, scenario_errors
from ._spread import SPREAD_MEASURES, SPREAD_PERIOD_RANGE, spread_log_ratios
from ._time_frequency import (
    TIME_FREQUENCY_BANDS,
    time_frequency_feature_names,
    time_frequency_features,
)

__all__ = [
    "C2ST_FEATURE_SETS",
    "C2ST_FREQUENCIES",
    "DEFAULT_PERIODS",
    "F0_BINS",
    "IM_METRICS",
    "METRICS",
    "SCENARIO_PERIODS",
    "SPREAD_MEASURES",
    "SPREAD_PERIOD_RANGE",
    "TIME_FREQUENCY_BANDS",
    "BaseStationScorer",
    "Comparison",
    "HVSRAlignmentScorer",
    "IntensityMeasureReport",
    "IntensityMeasureScorer",
    "ScenarioErrors",
    "ScoreReport",
    "c2st_features",
    "c2st_score",
    "compare",
    "energy_distance",
    "f0_alignment_score",
    "f0_bins",
    "f0_confusion_matrix",
    "f0_histogram",
    "f0_similarity",
    "get_scorer",
    "get_scorer_class",
    "get_scorer_names",
    "max_cross_correlation",
    "register_scorer",
    "scenario_errors",
    "spread_log_ratios",
    "time_frequency_feature_names",
    "time_frequency_features",
    "ANDERSON_BANDS",
    "GOF_CRITERIA",
    "GoodnessOfFit",
    "anderson_gof",
    "anderson_score",
    "gof_class",
    "GoodnessOfFitReport",
    "GoodnessOfFitScorer",
    "ACCEPTANCE_BAND",
    "GMMS",
    "afshari_stewart_duration",
    "baker_jayaram_correlation",
    "gmm_spectrum",
    "GMM_METRICS",
    "GMM_PERIODS",
    "GroundMotionModelReport",
    "GroundMotionModelScorer",
]
