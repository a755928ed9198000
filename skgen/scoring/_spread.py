"""Within-station spread: do generated records vary as much as a station's
real ones?

Engineers use the record-to-record variability of a station's intensity
measures (the aleatory sigma of ground-motion models) as much as their
median. A generator that averages records compresses it. The spread is
compared as the ratio of standard deviations of ln IM over a station's
generated and real records (see docs/scoring.rst, "Spread").
"""

import numpy as np

__all__ = ["SPREAD_MEASURES", "SPREAD_PERIOD_RANGE", "spread_log_ratios"]

#: Intensity measures of the spread metric (of :data:`LOG_MEASURES`).
SPREAD_MEASURES = ("psa", "pga", "duration")

#: Periods (s) of ln PSA in the spread: the scorer's periods in this range.
SPREAD_PERIOD_RANGE = (0.05, 2.0)


def _std(values):
    """Standard deviation over records (ddof=1) of each column; NaN with
    fewer than 2 records."""
    if len(values) < 2:
        return np.full(values.shape[1:], np.nan)
    return np.std(values, axis=0, ddof=1)


def spread_log_ratios(generated, real, psa_columns):
    """ln(sigma generated / sigma real) of ln IM for one station.

    Parameters
    ----------
    generated, real : dict of str to ndarray of shape (n_records, n_values)
        ln values of each measure of :data:`SPREAD_MEASURES` for the
        station's generated and real records.
    psa_columns : ndarray of bool of shape (n_periods,)
        The PSA periods in :data:`SPREAD_PERIOD_RANGE`; with none, PSA is
        left out.

    Returns
    -------
    log_ratios : dict of str to float
        Per measure (PSA: the mean over its periods of the per-period log
        ratios), and under ``"all"`` the mean over the measures (each
        measure weighs the same). 0 is the real spread, ``ln 0.5`` half of
        it, ``-inf`` for generated records that do not vary. NaN for a set
        with fewer than 2 records or a real spread of 0.
    """
    log_ratios = {}
    for measure in SPREAD_MEASURES:
        g, r = generated[measure], real[measure]
        if measure == "psa":
            if not np.any(psa_columns):
                continue
            g, r = g[:, psa_columns], r[:, psa_columns]
        sigma_real = _std(r)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(sigma_real > 0, np.log(_std(g) / sigma_real), np.nan)
        log_ratios[measure] = float(np.mean(ratio))
    log_ratios["all"] = float(np.mean(list(log_ratios.values())))
    return log_ratios
