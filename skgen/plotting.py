"""Figures for comparing generated and real records.

Needs matplotlib (``pip install "skgen[plot]"``). Every function takes arrays
(and optionally an ``ax``) and returns the matplotlib ``Figure``; the HVSR
and f0 figures also accept one station's entry of a scorer report
(:meth:`skgen.HVSRAlignmentScorer.report`), the response-spectrum, duration
and novelty figures an :class:`skgen.scoring.IntensityMeasureReport`, the
goodness-of-fit heat map a :class:`skgen.scoring.GoodnessOfFitReport` and
the ground-motion-model figures a
:class:`skgen.scoring.GroundMotionModelReport`. A
figure of a report shows what the report measured, with its settings; it
never measures again. All HVSR values come from :mod:`skgen.signal`.
"""

import numpy as np

from .signal import amplitude_spectrum

__all__ = [
    "plot_durations",
    "plot_f0_confusion",
    "plot_f0_histograms",
    "plot_gmm_psa",
    "plot_gof_bands",
    "plot_hvsr",
    "plot_novelty",
    "plot_pga_f0",
    "plot_residual_correlation",
    "plot_response_spectra",
    "plot_waveforms",
]

_REAL = dict(color="0.25", label="real")
_GENERATED = dict(color="tab:red", label="generated")
_COMPONENTS = ("E", "N", "U")


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("skgen's plots need matplotlib: pip install 'skgen[plot]'") from None
    return plt


def _from_report(report, station, names):
    """One station's arrays from a :class:`skgen.scoring.ScoreReport`."""
    if station is None:
        raise ValueError("station is required when plotting from a report")
    stations = [str(s) for s in report.stations]
    if str(station) not in stations:
        raise ValueError(f"station {station!r} is not in the report; it has {', '.join(stations)}")
    i = stations.index(str(station))
    return [getattr(report, name)[i] for name in names]


def _is_report(value):
    from .scoring import ScoreReport

    return isinstance(value, ScoreReport)


def _axes(ax, **subplot_kw):
    if ax is not None:
        return ax.figure, ax
    fig, ax = _pyplot().subplots(**subplot_kw)
    return fig, ax


def plot_hvsr(centers, real_curves=None, generated_curves=None, *, station=None, ax=None):
    """Median HVSR with its 16-84 % band, real against generated.

    Parameters
    ----------
    centers : ndarray of shape (n_centers,) or ScoreReport
        Frequencies of the curves (Hz), or a scorer report (then the curves
        of ``station`` are taken from it).
    real_curves, generated_curves : ndarray of shape (n_records, n_centers)
        HVSR curves (:func:`skgen.signal.hvsr`).
    station : str, optional
        Title.
    ax : matplotlib Axes, optional

    Returns
    -------
    fig : matplotlib Figure
    """
    if _is_report(centers):
        real_curves, generated_curves = _from_report(
            centers, station, ("real_hvsr", "generated_hvsr")
        )
        centers = centers.centers
    fig, ax = _axes(ax, figsize=(5, 3.5))
    for curves, style in ((real_curves, _REAL), (generated_curves, _GENERATED)):
        curves = np.atleast_2d(curves)
        low, median, high = np.nanpercentile(curves, [16, 50, 84], axis=0)
        ax.fill_between(centers, low, high, color=style["color"], alpha=0.2, linewidth=0)
        ax.plot(centers, median, color=style["color"], label=f"{style['label']} (n={len(curves)})")
    ax.set_xscale("log")
    ax.set_xlabel("Frequency (Hz)")
    ax.set_ylabel("H/V")
    ax.set_title(f"HVSR, station {station}" if station is not None else "HVSR")
    ax.legend(frameon=False)
    return fig


def plot_f0_histograms(real_f0, generated_f0=None, *, bins=None, station=None, ax=None):
    """Histograms of f0, real against generated.

    Parameters
    ----------
    real_f0 : array-like of shape (n,) or ScoreReport
        Site frequencies (Hz) of the real records (NaN, no peak, is left
        out), or a scorer report (then ``station``'s values are used, on the
        report's bins).
    generated_f0 : array-like of shape (n,)
        Site frequencies of the generated records.
    bins : array-like, optional
        Bin edges for arrays; default :data:`skgen.scoring.F0_BINS`, the
        published ``linspace(1, 20, 21)``. With a report its bins are used.
    station : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    fig : matplotlib Figure
    """
    from .scoring import F0_BINS

    if _is_report(real_f0):
        report = real_f0
        if bins is not None:
            raise ValueError("bins cannot be given with a report: its bins are the report's")
        real_f0, generated_f0 = _from_report(report, station, ("real_f0", "generated_f0"))
        bins = report.f0_bins
    bins = F0_BINS if bins is None else np.asarray(bins)
    fig, ax = _axes(ax, figsize=(5, 3.5))
    for f0, style in ((real_f0, _REAL), (generated_f0, _GENERATED)):
        f0 = np.asarray(f0, dtype=float)
        ax.hist(f0[np.isfinite(f0)], bins=bins, density=True, alpha=0.5, **style)
    ax.set_xlabel("f0 (Hz)")
    ax.set_ylabel("density")
    ax.set_title(f"f0, station {station}" if station is not None else "f0")
    ax.legend(frameon=False)
    return fig


def plot_f0_confusion(real_f0, generated_f0=None, stations=None, *, bins=None, ax=None):
    """The f0 distribution confusion matrix (docs/scoring.rst) as a heatmap.

    From a report, the figure shows what the scorer measured: the report's
    matrix, and its ``metrics["alignment"]`` in the title. From arrays, both
    are computed on ``bins``.

    Parameters
    ----------
    real_f0 : sequence of array-like or ScoreReport
        One array of f0 values per station, or a scorer report (then every
        station of the report is shown).
    generated_f0 : sequence of array-like
        Generated f0 values per station, same order.
    stations : sequence of str, optional
        Station labels, in that order; default ``1, 2, ...``.
    bins : array-like, optional
        Histogram bin edges for arrays (default
        :data:`skgen.scoring.F0_BINS`); not with a report.
    ax : matplotlib Axes, optional

    Returns
    -------
    fig : matplotlib Figure
        Title carries the alignment score.
    """
    from .scoring import f0_alignment_score, f0_confusion_matrix

    if _is_report(real_f0):
        report = real_f0
        if bins is not None:
            raise ValueError("bins cannot be given with a report: its bins are the report's")
        matrix, score = report.f0_confusion, report.metrics["alignment"]
        stations = report.stations
    else:
        matrix = f0_confusion_matrix(real_f0, generated_f0, bins=bins)
        score = f0_alignment_score(real_f0, generated_f0, bins=bins)
    n_stations = len(matrix) // 2
    if stations is None:
        stations = [str(i + 1) for i in range(n_stations)]
    elif len(stations) != n_stations:
        raise ValueError(
            f"stations has {len(stations)} labels for {n_stations} stations of f0 values"
        )
    size = 2 * n_stations
    fig, ax = _axes(ax, figsize=(1.2 + 0.35 * size, 0.8 + 0.35 * size))
    image = ax.imshow(matrix, vmin=0, vmax=1, cmap="viridis")
    labels = [f"{kind} {s}" for s in stations for kind in ("R", "G")]
    ax.set_xticks(range(size), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(size), labels, fontsize=7)
    ax.set_title(f"f0 confusion (alignment {score:.3f})")
    fig.colorbar(image, ax=ax, label="1 - JS distance")
    return fig


def plot_waveforms(real_record, generated_record, fs, *, station=None):
    """Real and generated 3-component records with their Fourier spectra.

    Parameters
    ----------
    real_record, generated_record : ndarray of shape (3, n_times)
        One record each (E, N, U), in m/s^2.
    fs : float
        Sampling rate (Hz).
    station : str, optional

    Returns
    -------
    fig : matplotlib Figure
        Three rows (components) by two columns (time series, amplitude
        spectrum).
    """
    plt = _pyplot()
    fig, axes = plt.subplots(3, 2, figsize=(9, 6), gridspec_kw={"width_ratios": [2, 1]})
    for record, style in ((real_record, _REAL), (generated_record, _GENERATED)):
        record = np.asarray(record, dtype=float)
        time = np.arange(record.shape[-1]) / fs
        freqs, amplitudes = amplitude_spectrum(record, fs, highpass=None)
        for row, name in enumerate(_COMPONENTS):
            axes[row, 0].plot(time, record[row], linewidth=0.5, **style)
            axes[row, 0].set_ylabel(f"{name} (m/s$^2$)")
            axes[row, 1].loglog(freqs[1:], amplitudes[row, 1:], linewidth=0.5, **style)
    axes[-1, 0].set_xlabel("Time (s)")
    axes[-1, 1].set_xlabel("Frequency (Hz)")
    axes[0, 1].legend(frameon=False, fontsize=7)
    fig.suptitle(f"Records, station {station}" if station is not None else "Records")
    fig.tight_layout()
    return fig


def plot_pga_f0(
    real_pga, real_f0=None, generated_pga=None, generated_f0=None, *, station=None, ax=None
):
    """PGA against f0, real and generated.

    Parameters
    ----------
    real_pga : array-like of shape (n,) or ScoreReport
        Peak ground acceleration (m/s^2) of the real records, or a scorer
        report (then ``station``'s values are used).
    real_f0, generated_pga, generated_f0 : array-like of shape (n,)
        Site frequency (Hz) of the real records, PGA and f0 of the generated
        ones.
    station : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    fig : matplotlib Figure
    """
    if _is_report(real_pga):
        real_pga, real_f0, generated_pga, generated_f0 = _from_report(
            real_pga, station, ("real_pga", "real_f0", "generated_pga", "generated_f0")
        )
    fig, ax = _axes(ax, figsize=(5, 3.5))
    ax.scatter(real_f0, real_pga, s=14, **_REAL)
    ax.scatter(generated_f0, generated_pga, s=14, marker="x", **_GENERATED)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("f0 (Hz)")
    ax.set_ylabel("PGA (m/s$^2$)")
    ax.set_title(f"PGA vs f0, station {station}" if station is not None else "PGA vs f0")
    ax.legend(frameon=False)
    return fig


def _band(ax, x, values, style, label):
    """Median and 16-84 % band of ``values`` (n_records, n_x) on a log axis."""
    values = np.atleast_2d(values)
    low, median, high = np.nanpercentile(values, [16, 50, 84], axis=0)
    ax.fill_between(x, low, high, color=style["color"], alpha=0.2, linewidth=0)
    ax.plot(x, median, color=style["color"], label=f"{label} (n={len(values)})")


def plot_response_spectra(report, stations=None, *, n_columns=4):
    """5 % damped response spectra per station: median and 16-84 % band of
    the held-out real records against the generated ones.

    Parameters
    ----------
    report : IntensityMeasureReport
        From :meth:`skgen.scoring.IntensityMeasureScorer.report`.
    stations : sequence of str, optional
        Stations to show, default all of the report's.
    n_columns : int, default=4

    Returns
    -------
    fig : matplotlib Figure
        One panel per station, PSA (m/s^2) against period (s), log-log; the
        title gives the station's mean log ratio generated / pool
        (``psa_distortion`` of the report's table).
    """
    labels = [str(s) for s in report.stations]
    shown = labels if stations is None else [str(s) for s in stations]
    for station in shown:
        if station not in labels:
            raise ValueError(
                f"station {station!r} is not in the report; it has {', '.join(labels)}"
            )
    n_columns = min(n_columns, len(shown))
    n_rows = -(-len(shown) // n_columns)
    fig, axes = _pyplot().subplots(
        n_rows, n_columns, figsize=(2.6 * n_columns, 2.2 * n_rows), sharex=True, squeeze=False
    )
    for ax, station in zip(axes.flat, shown):
        i = labels.index(station)
        _band(ax, report.periods, report.real_psa[i], _REAL, "real")
        _band(ax, report.periods, report.generated_psa[i], _GENERATED, "generated")
        ax.set_xscale("log")
        ax.set_yscale("log")
        bias = report.table["psa_distortion"][i]
        ax.set_title(f"{station}: ln gen/pool {bias:+.2f}", fontsize=8)
    for ax in axes.flat[len(shown) :]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("Period (s)")
    for ax in axes[:, 0]:
        ax.set_ylabel("PSA (m/s$^2$)")
    axes.flat[0].legend(frameon=False, fontsize=6)
    fig.tight_layout()
    return fig


def _per_station_points(ax, report, real, generated):
    labels = [str(s) for s in report.stations]
    for i in range(len(labels)):
        for values, style, shift, marker in (
            (real[i], _REAL, -0.15, "o"),
            (generated[i], _GENERATED, 0.15, "x"),
        ):
            values = np.asarray(values, dtype=float)
            ax.scatter(
                np.full(values.size, i + shift),
                values,
                s=12,
                marker=marker,
                color=style["color"],
                label=style["label"] if i == 0 else None,
            )
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.legend(frameon=False, fontsize=7)


def plot_durations(report, *, ax=None):
    """Significant duration D5-95 of every record, per station, real
    (held-out) against generated.

    Parameters
    ----------
    report : IntensityMeasureReport
    ax : matplotlib Axes, optional

    Returns
    -------
    fig : matplotlib Figure
    """
    fig, ax = _axes(ax, figsize=(max(4.0, 0.45 * len(report.stations) + 1.5), 3.2))
    _per_station_points(ax, report, report.real_duration, report.generated_duration)
    ax.set_ylabel("D5-95 (s)")
    ax.set_title("Significant duration D5-95")
    return fig


def plot_novelty(report, *, ax=None):
    """Largest normalised cross-correlation with the station's pool, per
    station: generated records against held-out real ones (1 is a copy).

    Parameters
    ----------
    report : IntensityMeasureReport
    ax : matplotlib Axes, optional

    Returns
    -------
    fig : matplotlib Figure
        The title gives the report's ``novelty`` score and its ceiling.
    """
    fig, ax = _axes(ax, figsize=(max(4.0, 0.45 * len(report.stations) + 1.5), 3.2))
    _per_station_points(ax, report, report.real_novelty, report.generated_novelty)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("max cross-correlation with pool")
    ax.set_title(
        f"Novelty {report.metrics['novelty']:.3f} (real-vs-real {report.ceiling['novelty']:.3f})"
    )
    return fig


def plot_gof_bands(report, *, ax=None):
    """Anderson's goodness of fit as a heat map: criterion against band.

    Parameters
    ----------
    report : GoodnessOfFitReport
        From :meth:`skgen.scoring.GoodnessOfFitScorer.report`.
    ax : matplotlib Axes, optional

    Returns
    -------
    fig : matplotlib Figure
        Mean over record pairs of each criterion (C1-C10) and of the total
        per band, on Anderson's 0-10 scale (red poor, green excellent); the
        title gives the score and the real-vs-real ceiling.
    """
    from .scoring import GOF_CRITERIA

    table = report.generated.table()
    values = np.array([table[name] for name in GOF_CRITERIA] + [table["total"]])
    fig, ax = _axes(ax, figsize=(1.0 + 0.75 * len(table["band"]), 4.2))
    image = ax.imshow(values, cmap="RdYlGn", vmin=0.0, vmax=10.0, aspect="auto")
    for (i, j), value in np.ndenumerate(values):
        ax.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=6)
    ax.set_xticks(range(len(table["band"])), table["band"], rotation=45, ha="right", fontsize=7)
    labels = [f"C{k + 1} {name.replace('_', ' ')}" for k, name in enumerate(GOF_CRITERIA)]
    ax.set_yticks(range(len(labels) + 1), [*labels, "total"], fontsize=7)
    ax.axhline(len(labels) - 0.5, color="black", linewidth=0.8)
    ceiling = report.summary()["gof_ceiling"]
    ax.set_title(f"Anderson GOF {report.score:.2f} (real-vs-real {ceiling:.2f})", fontsize=9)
    fig.colorbar(image, ax=ax, label="score (0-10)")
    fig.tight_layout()
    return fig


def plot_gmm_psa(report, record=0, *, ax=None):
    """Generated PSA at one scenario against a ground-motion model's median
    and the Broadband Platform's acceptance band, log-log, period on x.

    Parameters
    ----------
    report : GroundMotionModelReport
        From :meth:`skgen.scoring.GroundMotionModelScorer.report`.
    record : int, default=0
        Which held-out record's scenario (row of ``report.stations``).
    ax : matplotlib Axes, optional

    Returns
    -------
    fig : matplotlib Figure
        The model's median (black) with 0.69-1.44x of it shaded and its
        ``exp(+-sigma)`` dashed, the records generated at the scenario (red)
        and the held-out real record of that scenario (grey).
    """
    from .scoring import ACCEPTANCE_BAND

    if not 0 <= record < len(report.stations):
        raise ValueError(f"record must be in [0, {len(report.stations)}), got {record!r}")
    periods, ln_median = report.periods, report.ln_median[record]
    median = np.exp(ln_median)
    fig, ax = _axes(ax, figsize=(4.6, 3.4))
    low, high = ACCEPTANCE_BAND
    ax.fill_between(
        periods, low * median, high * median, color="0.8", label=f"{low}-{high}x median"
    )
    ax.plot(periods, median, color="black", label=f"{report.gmm} median")
    for sign in (-1, 1):
        ax.plot(periods, np.exp(ln_median + sign * report.sigma[record]), "k--", linewidth=0.7)
    for k, residual in enumerate(report.generated_residuals[record]):
        ax.plot(
            periods,
            np.exp(ln_median + residual),
            color=_GENERATED["color"],
            alpha=0.7,
            label="generated" if k == 0 else None,
        )
    ax.plot(periods, np.exp(ln_median + report.real_residuals[record]), **_REAL)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Period (s)")
    ax.set_ylabel("PSA (m/s$^2$)")
    ax.set_title(
        f"{report.stations[record]}: M {report.magnitude[record]:.1f}, "
        f"R {report.distance[record]:.0f} km, Vs30 {report.vs30[record]:.0f} m/s",
        fontsize=8,
    )
    ax.legend(frameon=False, fontsize=6)
    fig.tight_layout()
    return fig


def plot_residual_correlation(report):
    """Correlation of ln PSA residuals across periods, generated and real,
    beside Baker and Jayaram (2008).

    Parameters
    ----------
    report : GroundMotionModelReport

    Returns
    -------
    fig : matplotlib Figure
        Three panels on the same colour scale, periods on log axes; titles
        give the RMS difference to Baker-Jayaram.
    """
    fig, axes = _pyplot().subplots(1, 3, figsize=(10.5, 3.4), sharey=True)
    edges = np.sqrt(report.periods[1:] * report.periods[:-1])
    edges = np.concatenate(
        [[report.periods[0] ** 2 / edges[0]], edges, [report.periods[-1] ** 2 / edges[-1]]]
    )
    panels = (
        ("generated", report.generated["correlation"], -report.metrics["correlation"]),
        ("real (held-out)", report.real["correlation"], -report.ceiling["correlation"]),
        ("Baker & Jayaram (2008)", report.baker_jayaram, None),
    )
    for ax, (title, matrix, error) in zip(axes, panels):
        image = ax.pcolormesh(edges, edges, matrix, cmap="viridis", vmin=-0.2, vmax=1.0)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("Period (s)")
        ax.set_title(title if error is None else f"{title}: RMS diff {error:.2f}", fontsize=8)
    axes[0].set_ylabel("Period (s)")
    fig.colorbar(image, ax=axes, label="correlation of ln PSA residuals")
    return fig
