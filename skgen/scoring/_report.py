"""The report of :class:`HVSRAlignmentScorer`: what was measured, per station
and overall, with its real-data ceiling and the settings used."""

import math
from dataclasses import dataclass

import numpy as np

from ._f0 import f0_bins

__all__ = ["METRICS", "ScoreReport"]

#: Overall metrics of :class:`HVSRAlignmentScorer`, all "greater is better".
METRICS = ("alignment", "f0_js", "f0_wasserstein", "log_hvsr", "pga_f0")

_TABLE_COLUMNS = (
    "station",
    "region",
    "n_real",
    "n_generated",
    "f0_median_real",
    "f0_median_generated",
    "sigma_ln_f0_real",
    "sigma_ln_f0_generated",
    "f0_js_similarity",
    "f0_wasserstein_ln",
    "log_hvsr_rms",
    "pga_median_ratio",
    "pga_f0_energy_distance",
)


def json_value(value):
    """Plain, strict-JSON Python values (non-finite floats become None)."""
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_value(item) for item in value]
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (str, int, bool)):
        return value
    # e.g. a RandomState given as random_state
    return repr(value)


@dataclass
class ScoreReport:
    """Everything :meth:`HVSRAlignmentScorer.report` measured.

    Attributes
    ----------
    stations : list of n_stations labels
        Station order of every per-station array and table row.
    table : dict of str to list
        Per-station columns: ``station``, ``region`` (the ``regions``
        given to ``report``, ``"all"`` by default), ``n_real`` (real records compared),
        ``n_generated``, ``f0_median_real`` and ``f0_median_generated``
        (lognormal medians, Hz), ``sigma_ln_f0_real`` and
        ``sigma_ln_f0_generated``, ``f0_js_similarity`` (1 - JS distance),
        ``f0_wasserstein_ln`` (W1 of ln f0), ``log_hvsr_rms`` (RMS distance of
        the median ln HVSR curves), ``pga_median_ratio`` (median generated /
        median real PGA) and ``pga_f0_energy_distance`` (energy distance of
        the (ln PGA, ln f0) clouds).
    metrics : dict of str to float
        Every overall metric of ``METRICS``, greater is better (distances are
        negated). ``alignment`` is NaN with a single station.
    ceiling : dict of str to float
        The same metrics with real records in place of generated ones: the
        score a generator that reproduced its pool exactly would get (see
        :meth:`HVSRAlignmentScorer.report`).
    centers : ndarray of shape (n_centers,)
        HVSR centre frequencies (Hz).
    real_hvsr, generated_hvsr : list of ndarray of shape (n_records_s, n_centers)
        Per station, the HVSR curves of its compared real and its generated
        records.
    real_f0, generated_f0 : list of ndarray of shape (n_records_s,)
        Per station, f0 (Hz) of each record, NaN where there is no peak.
    real_pga, generated_pga : list of ndarray of shape (n_records_s,)
        Per station, horizontal PGA of each record (units of ``X``).
    settings : dict
        The scorer's parameters and the sampling rate used; ``band`` fixes
        the f0 histogram bins (:attr:`f0_bins`).
    f0_confusion : ndarray of shape (2 * n_stations, 2 * n_stations)
        :func:`skgen.scoring.f0_confusion_matrix` of ``real_f0`` and
        ``generated_f0`` on :attr:`f0_bins`: the matrix behind
        ``metrics["alignment"]``.
    """

    stations: list
    table: dict
    metrics: dict
    ceiling: dict
    centers: np.ndarray
    real_hvsr: list
    generated_hvsr: list
    real_f0: list
    generated_f0: list
    real_pga: list
    generated_pga: list
    settings: dict
    f0_confusion: np.ndarray

    @property
    def f0_bins(self):
        """ndarray of shape (21,): the f0 histogram bins the report used,
        :func:`skgen.scoring.f0_bins` of ``settings["band"]``."""
        return f0_bins(self.settings["band"])

    def to_frame(self):
        """Per-station table as a pandas DataFrame, one row per station.

        Returns
        -------
        frame : pandas.DataFrame of shape (n_stations, 12)

        Raises
        ------
        ImportError
            pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "ScoreReport.to_frame needs pandas (pip install pandas); "
                "ScoreReport.to_dict gives the same table as plain lists."
            ) from None
        return pd.DataFrame({column: self.table[column] for column in _TABLE_COLUMNS})

    def summary(self):
        """A plain-text table: one row per station, then the overall metrics.

        Returns
        -------
        text : str
        """
        head = (
            f"{'station':<12}{'n':>4}{'f0 real':>9}{'f0 gen':>9}"
            f"{'1-JS':>7}{'W1 ln f0':>10}{'PGA ratio':>11}"
        )
        rows = [head]
        table = self.table
        for i, station in enumerate(self.stations):
            rows.append(
                f"{station!s:<12}{table['n_real'][i]:>4}"
                f"{table['f0_median_real'][i]:>9.2f}{table['f0_median_generated'][i]:>9.2f}"
                f"{table['f0_js_similarity'][i]:>7.3f}{table['f0_wasserstein_ln'][i]:>10.3f}"
                f"{table['pga_median_ratio'][i]:>11.2f}"
            )
        rows.append("")
        rows.append(f"{'metric':<16}{'score':>9}{'real-vs-real ceiling':>22}")
        for name in METRICS:
            rows.append(f"{name:<16}{self.metrics[name]:>9.3f}{self.ceiling[name]:>22.3f}")
        return "\n".join(rows)

    def to_dict(self, arrays=False):
        """Plain, JSON-serialisable content (``json.dumps(..., allow_nan=False)``).

        Parameters
        ----------
        arrays : bool, default=False
            Also include ``centers``, the per-station HVSR, f0 and PGA
            arrays (lists in ``stations`` order) and ``f0_confusion``, for
            plots.

        Returns
        -------
        report : dict
            Keys ``stations``, ``table``, ``metrics``, ``ceiling``,
            ``settings`` (and ``arrays``). Non-finite numbers become None.
        """
        content = {
            "stations": list(self.stations),
            "table": {column: list(self.table[column]) for column in _TABLE_COLUMNS},
            "metrics": dict(self.metrics),
            "ceiling": dict(self.ceiling),
            "settings": dict(self.settings),
        }
        if arrays:
            content["arrays"] = {
                name: getattr(self, name)
                for name in (
                    "centers",
                    "real_hvsr",
                    "generated_hvsr",
                    "real_f0",
                    "generated_f0",
                    "real_pga",
                    "generated_pga",
                    "f0_confusion",
                )
            }
        return json_value(content)
