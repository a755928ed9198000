"""HVSRAlignmentScorer: do generated records carry their station's site
response?

The scorer's orchestration: the shared protocol (:mod:`._protocol`) builds
each station's pool and generates; this module computes HVSR, f0 and PGA of
the generated and held-out records with :mod:`skgen.signal` and compares
them with the paper's f0 formulas (:mod:`._f0`). See docs/scoring.rst.
"""

from dataclasses import dataclass

import numpy as np
from scipy.stats import wasserstein_distance

from .._validation import check_band
from ..signal import f0_statistics, hvsr, peak_frequency, pga
from ._base_scorer import BaseStationScorer
from ._f0 import energy_distance, f0_alignment_score, f0_bins, f0_confusion_matrix, f0_similarity
from ._protocol import ceiling_rows
from ._registry import register_scorer
from ._report import _TABLE_COLUMNS, METRICS, ScoreReport

__all__ = ["HVSRAlignmentScorer"]


# -- record features and per-station comparisons -----------------------------
@dataclass
class _Features:
    """What the metrics need from a set of records of one station."""

    curves: np.ndarray
    f0: np.ndarray
    pga: np.ndarray

    def take(self, rows):
        return _Features(self.curves[rows], self.f0[rows], self.pga[rows])


@dataclass
class _Run:
    """One scorer run: per station (``labels`` order) the features of the
    held-out real records and of the generated ones; for a report, the
    real-vs-real ceiling's two feature lists."""

    labels: list
    regions: dict
    fs: float
    bins: np.ndarray
    centers: np.ndarray
    real: list
    generated: list
    ceiling: tuple = None


def _ln_f0(features):
    f0 = features.f0[np.isfinite(features.f0) & (features.f0 > 0)]
    return np.log(f0)


def _pga_f0_cloud(features):
    usable = np.isfinite(features.f0) & (features.f0 > 0) & (features.pga > 0)
    return np.column_stack([np.log(features.pga[usable]), np.log(features.f0[usable])])


def _f0_wasserstein(real, generated):
    ln_real, ln_generated = _ln_f0(real), _ln_f0(generated)
    if ln_real.size == 0 or ln_generated.size == 0:
        return float("nan")
    return float(wasserstein_distance(ln_real, ln_generated))


def _log_hvsr_rms(real, generated):
    with np.errstate(divide="ignore", invalid="ignore"):
        median_real = np.median(np.log(real.curves), axis=0)
        median_generated = np.median(np.log(generated.curves), axis=0)
    return float(np.sqrt(np.mean((median_real - median_generated) ** 2)))


def _pga_f0_energy(real, generated):
    return energy_distance(_pga_f0_cloud(real), _pga_f0_cloud(generated))


def _pga_median_ratio(real, generated):
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.median(generated.pga) / np.median(real.pga))


def _f0_summary(features):
    median, sigma = f0_statistics(features.f0)
    return float(median), float(sigma)


def _overall_metric(name, real, generated, bins):
    """One overall metric (greater is better) over per-station feature lists."""
    if name == "alignment":
        if len(real) < 2:
            return float("nan")
        return f0_alignment_score([r.f0 for r in real], [g.f0 for g in generated], bins)
    if not real:
        return float("nan")
    if name == "f0_js":
        return float(np.mean([f0_similarity(r.f0, g.f0, bins) for r, g in zip(real, generated)]))
    distance = {
        "f0_wasserstein": _f0_wasserstein,
        "log_hvsr": _log_hvsr_rms,
        "pga_f0": _pga_f0_energy,
    }[name]
    return -float(np.mean([distance(r, g) for r, g in zip(real, generated)]))


# -- the scorer ----------------------------------------------------------------
@register_scorer
class HVSRAlignmentScorer(BaseStationScorer):
    """Scikit-learn scorer: how station-specific are a generator's records?

    For every station in ``X``, the scorer builds the generator's pool from
    part of the station's records (``estimator.with_bank``, on a copy: the
    estimator passed in is never modified), generates records, and compares
    their HVSR, f0 and PGA (all from :mod:`skgen.signal`) with the station's
    other records. Use it as ``scoring=`` in ``cross_validate`` or
    ``GridSearchCV``: ``scorer(estimator, X, stations)`` returns a float,
    greater is better. Test stations need not be known to the estimator: the
    frozen network encodes them (the paper's cross-region protocol).

    Parameters
    ----------
    metric : {"alignment", "f0_js", "f0_wasserstein", "log_hvsr", "pga_f0"}, \
            default="alignment"
        What ``__call__`` returns:

        - ``"alignment"``: :func:`f0_alignment_score`, the paper's score
          (needs at least 2 stations);
        - ``"f0_js"``: mean per-station :func:`f0_similarity`;
        - ``"f0_wasserstein"``: minus the mean per-station Wasserstein-1
          distance between real and generated ln f0;
        - ``"log_hvsr"``: minus the mean per-station RMS distance between the
          real and generated median ln HVSR curves;
        - ``"pga_f0"``: minus the mean per-station :func:`energy_distance`
          between the real and generated (ln PGA, ln f0) clouds, unscaled
          (both in natural-log units).

        Distances are NaN for a station without any f0 (no peak in any of its
        real or generated records), and so is their mean.
    n_samples : int or None, default=None
        Records generated per station; ``None`` generates as many as the
        station's compared real records.
    reference_split : float in (0, 1) or None, default=0.5
        Fraction of each station's records (drawn at random) that form its
        pool; the rest are compared with the generated records. Every station
        then needs at least 2 records. ``None`` is the published protocol:
        the pool and the comparison are the same records (optimistic).
    centers : array-like of shape (n_centers,) or None, default=None
        HVSR centre frequencies, passed to :func:`skgen.signal.hvsr`.
    bandwidth : float, default=40.0
        Smoothing bandwidth ``b``.
    band : (float, float), default=(1.0, 20.0)
        HVSR frequency band (Hz). The f0 histograms use 20 equal bins on
        it, :func:`f0_bins` ``(band)``: the published bins
        ``linspace(1, 20, 21)`` by default.
    highpass : float, default=0.05
        High-pass corner (Hz) applied before the spectra.
    kernel : str, default="konno-ohmachi"
        Smoothing kernel, see :func:`skgen.signal.hvsr`.
    peak_method : str, default="interior"
        f0 picking, see :func:`skgen.signal.peak_frequency`.
    fs : float or None, default=None
        Sampling rate of ``X`` (Hz); ``None`` uses ``estimator.fs``.
    random_state : int, RandomState instance or None, default=0
        Seeds the pool/comparison split and the generation; a fixed integer
        gives the same score for the same estimator and data.

    Notes
    -----
    The ceiling of ``report`` replaces generated records with real ones:
    with ``reference_split`` set, each station's pool records are compared
    with its comparison records (the two halves at the default 0.5); with
    ``reference_split=None``, two random halves of each station's records
    (stations with a single record are left out). Since half as many
    records make noisier histograms, that second ceiling is slightly
    pessimistic. ``report`` allows a single station (its ``alignment`` is
    NaN); calling the scorer with ``metric="alignment"`` needs at least 2.

    See Also
    --------
    BaseStationScorer, f0_alignment_score, f0_similarity

    Examples
    --------
    >>> from sklearn.model_selection import LeaveOneGroupOut, cross_validate
    >>> from skgen.scoring import HVSRAlignmentScorer
    >>> scorer = HVSRAlignmentScorer(metric="f0_js")
    >>> scorer.get_params()["metric"]
    'f0_js'
    >>> cross_validate(generator, X, stations, groups=regions,
    ...                cv=LeaveOneGroupOut(),
    ...                scoring=HVSRAlignmentScorer())  # doctest: +SKIP
    >>> scorer.report(generator, X, stations).to_frame()  # doctest: +SKIP
    """

    _metrics = METRICS

    def __init__(
        self,
        metric="alignment",
        n_samples=None,
        reference_split=0.5,
        centers=None,
        bandwidth=40.0,
        band=(1.0, 20.0),
        highpass=0.05,
        kernel="konno-ohmachi",
        peak_method="interior",
        fs=None,
        random_state=0,
    ):
        self.metric = metric
        self.n_samples = n_samples
        self.reference_split = reference_split
        self.centers = centers
        self.bandwidth = bandwidth
        self.band = band
        self.highpass = highpass
        self.kernel = kernel
        self.peak_method = peak_method
        self.fs = fs
        self.random_state = random_state

    def _report(self, estimator, X, stations, regions, cache=None):
        run = self._run(
            estimator, X, stations, METRICS, for_report=True, regions=regions, cache=cache
        )
        real, generated, bins = run.real, run.generated, run.bins
        metrics = {name: _overall_metric(name, real, generated, bins) for name in METRICS}
        ceiling_real, ceiling_other = run.ceiling
        ceiling = {
            name: _overall_metric(name, ceiling_real, ceiling_other, bins) for name in METRICS
        }
        table = {column: [] for column in _TABLE_COLUMNS}
        for label, r, g in zip(run.labels, real, generated):
            median_real, sigma_real = _f0_summary(r)
            median_generated, sigma_generated = _f0_summary(g)
            row = {
                "station": label,
                "region": run.regions[label],
                "n_real": len(r.f0),
                "n_generated": len(g.f0),
                "f0_median_real": median_real,
                "f0_median_generated": median_generated,
                "sigma_ln_f0_real": sigma_real,
                "sigma_ln_f0_generated": sigma_generated,
                "f0_js_similarity": f0_similarity(r.f0, g.f0, bins),
                "f0_wasserstein_ln": _f0_wasserstein(r, g),
                "log_hvsr_rms": _log_hvsr_rms(r, g),
                "pga_median_ratio": _pga_median_ratio(r, g),
                "pga_f0_energy_distance": _pga_f0_energy(r, g),
            }
            for column in _TABLE_COLUMNS:
                table[column].append(row[column])
        settings = dict(self.get_params(), fs=run.fs)
        settings["centers"] = None if self.centers is None else list(run.centers)
        return ScoreReport(
            stations=list(run.labels),
            table=table,
            metrics=metrics,
            ceiling=ceiling,
            centers=run.centers,
            real_hvsr=[r.curves for r in real],
            generated_hvsr=[g.curves for g in generated],
            real_f0=[r.f0 for r in real],
            generated_f0=[g.f0 for g in generated],
            real_pga=[r.pga for r in real],
            generated_pga=[g.pga for g in generated],
            settings=settings,
            f0_confusion=f0_confusion_matrix([r.f0 for r in real], [g.f0 for g in generated], bins),
        )

    # -- internals -------------------------------------------------------
    def _scores(self, estimator, X, stations, metrics, cache=None):
        """(metric -> score, metric -> per-station scores or None) of one run,
        for :func:`compare`; per-station scores are greater-is-better too."""
        run = self._run(estimator, X, stations, metrics, cache=cache)
        per_station = {
            "f0_js": lambda r, g: f0_similarity(r.f0, g.f0, run.bins),
            "f0_wasserstein": lambda r, g: -_f0_wasserstein(r, g),
            "log_hvsr": lambda r, g: -_log_hvsr_rms(r, g),
            "pga_f0": lambda r, g: -_pga_f0_energy(r, g),
        }
        scores, by_station = {}, {}
        for name in metrics:
            scores[name] = _overall_metric(name, run.real, run.generated, run.bins)
            by_station[name] = (
                [per_station[name](r, g) for r, g in zip(run.real, run.generated)]
                if name in per_station
                else None
            )
        return scores, by_station

    def _check_settings(self, fs):
        _, high = check_band(self.band)
        # Checked here as well as in hvsr, so that nothing is generated first.
        if self.centers is None and high > fs / 2:
            raise ValueError(
                f"band {self.band!r} is outside Nyquist: it must lie in (0, "
                f"{fs / 2}] Hz for fs={fs} Hz."
            )

    def _check_stations(self, stations, for_report):
        n_stations = len(dict.fromkeys(stations))
        if self.metric == "alignment" and n_stations < 2 and not for_report:
            raise ValueError(
                f"metric='alignment' needs records of at least 2 stations, got "
                f"{n_stations} ({stations[0]!r}); use metric='f0_js' for a "
                "single station."
            )

    def _features(self, records, fs):
        centers, curves = hvsr(
            records,
            fs,
            centers=self.centers,
            bandwidth=self.bandwidth,
            band=self.band,
            highpass=self.highpass,
            kernel=self.kernel,
        )
        f0, _ = peak_frequency(centers, curves, method=self.peak_method)
        return centers, _Features(
            np.asarray(curves, dtype=float),
            np.asarray(f0, dtype=float),
            np.asarray(pga(records), dtype=float),
        )

    def _run(self, estimator, X, stations, metrics, for_report=False, regions=None, cache=None):
        protocol, _, station_regions = self._run_protocol(
            estimator, X, stations, metrics, for_report=for_report, regions=regions, cache=cache
        )
        X, fs = protocol.X, protocol.fs
        split, generated_records = protocol.split, protocol.generated

        # One HVSR pass over the real records needed (each once, whatever is
        # compared with what) and the generated ones together.
        if for_report:
            real_rows = np.arange(X.shape[0])
        else:
            real_rows = np.sort(np.concatenate([split.held_out[label] for label in split.labels]))
        centers, features = self._features(np.concatenate([X[real_rows], *generated_records]), fs)
        position = np.empty(X.shape[0], dtype=int)
        position[real_rows] = np.arange(real_rows.size)
        real_all = features.take(np.arange(real_rows.size))
        bounds = real_rows.size + np.cumsum([0] + [len(g) for g in generated_records])
        ceiling = None
        if for_report:
            first, second, _ = ceiling_rows(split, self.reference_split, protocol.rng)
            ceiling = (
                [real_all.take(rows) for rows in first],
                [real_all.take(rows) for rows in second],
            )
        return _Run(
            labels=split.labels,
            regions=station_regions,
            fs=fs,
            bins=f0_bins(self.band),
            centers=np.asarray(centers, dtype=float),
            real=[real_all.take(position[split.held_out[label]]) for label in split.labels],
            generated=[
                features.take(np.arange(start, stop))
                for start, stop in zip(bounds[:-1], bounds[1:])
            ],
            ceiling=ceiling,
        )
