"""The report of :class:`IntensityMeasureScorer`, shaped like
:class:`ScoreReport`: ``metrics``, ``ceiling``, a per-station ``table``,
``settings``, ``to_dict()`` and ``summary()``."""

from dataclasses import dataclass

import numpy as np

from ._log_measures import LOG_MEASURES
from ._report import json_value

__all__ = ["IM_METRICS", "IntensityMeasureReport"]

#: Metrics of :class:`IntensityMeasureScorer`, all "greater is better".
IM_METRICS = (*LOG_MEASURES, "novelty", "c2st", "spread")

_ARRAYS = (
    "periods",
    "real_psa",
    "generated_psa",
    "real_duration",
    "generated_duration",
    "real_novelty",
    "generated_novelty",
)


@dataclass
class IntensityMeasureReport:
    """Everything :meth:`IntensityMeasureScorer.report` measured.

    Attributes
    ----------
    stations : list of n_stations labels
        Station order of every per-station list and table row.
    table : dict of str to list
        Per-station columns: ``station``, ``region``, ``n_pool``,
        ``n_held_out``, ``n_generated``; for each measure ``m`` of
        ``psa, pga, pgv, arias, duration, fas`` (natural-log units):
        ``m_distortion``, the mean log ratio generated / pool (averaged
        over periods; 0 is unbiased, ``ln c`` for a replay scaled by
        ``c``), ``m_residual``, the RMS over periods of ``mean ln
        generated - mean ln held-out``, and ``m_sigma_real`` /
        ``m_sigma_generated``, the standard deviation of ln IM over the
        station's real records (all of them) and its generated ones;
        ``novelty_generated`` and ``novelty_real``, the median
        :func:`max_cross_correlation` with the pool of generated and of
        held-out real records; ``psa_spread_ratio``, ``pga_spread_ratio``,
        ``duration_spread_ratio`` and ``spread_ratio`` (their geometric
        mean), ``sigma generated / sigma held-out`` of ln IM (PSA: the
        geometric mean over the periods in 0.05-2 s).
    metrics : dict of str to float
        Every metric of ``IM_METRICS``, greater is better (see
        :class:`IntensityMeasureScorer`).
    ceiling : dict of str to float
        The same metrics with the pool's real records in place of generated
        ones (two random halves with ``reference_split=None``).
    distortion : dict of str to dict
        Per measure, the mean over stations of ``m_distortion`` per region,
        and over every station under ``"all"``: a generator's systematic
        bias, kept apart from its distance to held-out records.
    spread : dict of str to float
        Per measure of ``psa, pga, duration`` and under ``"all"``, the
        geometric mean over stations of the spread ratio (1 is the real
        spread, 0.5 half of it).
    spread_ceiling : dict of str to float
        The same with the pool's real records in place of generated ones:
        how far from 1 the ratio of two sets of real records falls.
    settings : dict
        The scorer's parameters, the sampling rate and the periods used.
    periods : ndarray of shape (n_periods,)
        Periods (s) of the response spectra.
    real_psa, generated_psa : list of ndarray of shape (n_records_s, n_periods)
        Per station, 5 % damped PSA (m/s^2, horizontal geometric mean) of
        its held-out real and its generated records.
    real_duration, generated_duration : list of ndarray of shape (n_records_s,)
        Per station, D5-95 (s, horizontal geometric mean).
    real_novelty, generated_novelty : list of ndarray of shape (n_records_s,)
        Per station, :func:`max_cross_correlation` of each held-out real and
        each generated record with the pool.
    """

    stations: list
    table: dict
    metrics: dict
    ceiling: dict
    distortion: dict
    spread: dict
    spread_ceiling: dict
    settings: dict
    periods: np.ndarray
    real_psa: list
    generated_psa: list
    real_duration: list
    generated_duration: list
    real_novelty: list
    generated_novelty: list

    def to_frame(self):
        """Per-station table as a pandas DataFrame, one row per station.

        Returns
        -------
        frame : pandas.DataFrame

        Raises
        ------
        ImportError
            pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "IntensityMeasureReport.to_frame needs pandas (pip install pandas); "
                "to_dict gives the same table as plain lists."
            ) from None
        return pd.DataFrame(self.table)

    def summary(self):
        """A plain-text table: one row per station, the overall metrics, and
        the distortion per region.

        Returns
        -------
        text : str
        """
        table = self.table
        rows = [
            f"{'station':<12}{'n':>4}{'PSA bias':>10}{'PSA resid':>11}"
            f"{'D5-95 bias':>12}{'novelty gen':>13}{'novelty real':>14}"
        ]
        for i, station in enumerate(self.stations):
            rows.append(
                f"{station!s:<12}{table['n_held_out'][i]:>4}"
                f"{table['psa_distortion'][i]:>10.3f}{table['psa_residual'][i]:>11.3f}"
                f"{table['duration_distortion'][i]:>12.3f}"
                f"{table['novelty_generated'][i]:>13.3f}{table['novelty_real'][i]:>14.3f}"
            )
        rows += ["", f"{'metric':<16}{'score':>9}{'real-vs-real ceiling':>22}"]
        for name in IM_METRICS:
            rows.append(f"{name:<16}{self.metrics[name]:>9.3f}{self.ceiling[name]:>22.3f}")
        rows += ["", f"{'spread ratio':<16}{'generated':>10}{'real':>10}"]
        for key, value in self.spread.items():
            rows.append(f"{key:<16}{value:>10.3f}{self.spread_ceiling[key]:>10.3f}")
        rows += ["", "distortion (mean log ratio generated / pool) per region"]
        regions = list(next(iter(self.distortion.values())))
        rows.append(f"{'measure':<16}" + "".join(f"{r!s:>10}" for r in regions))
        for measure, by_region in self.distortion.items():
            rows.append(f"{measure:<16}" + "".join(f"{by_region[r]:>10.3f}" for r in regions))
        return "\n".join(rows)

    def to_dict(self, arrays=False):
        """Plain, JSON-serialisable content (``json.dumps(..., allow_nan=False)``).

        Parameters
        ----------
        arrays : bool, default=False
            Also include the periods and the per-station PSA, duration and
            novelty arrays, for plots.

        Returns
        -------
        report : dict
            Keys ``stations``, ``table``, ``metrics``, ``ceiling``,
            ``distortion``, ``spread``, ``spread_ceiling``, ``settings``
            (and ``arrays``). Non-finite numbers become None.
        """
        content = {
            "stations": list(self.stations),
            "table": dict(self.table),
            "metrics": dict(self.metrics),
            "ceiling": dict(self.ceiling),
            "distortion": dict(self.distortion),
            "spread": dict(self.spread),
            "spread_ceiling": dict(self.spread_ceiling),
            "settings": dict(self.settings),
        }
        if arrays:
            content["arrays"] = {name: getattr(self, name) for name in _ARRAYS}
        return json_value(content)
