"""``skgen demo``: the paper's experiment on built-in synthetic data.

Train TimesNetGenerator and SpectrogramCVAEGenerator on region "A", register
the stations of region "B" with frozen weights (the cross-region protocol),
generate, score both with :meth:`HVSRAlignmentScorer.report` and
:meth:`IntensityMeasureScorer.report`, compare them over a few splits and
seeds (:func:`skgen.scoring.compare`), and write ``metrics.json``, the
figures (PNG) and a self-contained ``report.html``. ``skgen score --report``
writes the same report for a user's model and data (:func:`write_report`).
"""

import base64
import html
import io
import json
import os
import time

import numpy as np

from ._cvae import SpectrogramCVAEGenerator
from ._timesnet import TimesNetGenerator
from .datasets import make_strong_motion
from .scoring import IM_METRICS, METRICS, HVSRAlignmentScorer, IntensityMeasureScorer
from .scoring._compare import _compare
from .scoring._protocol import ProtocolCache

__all__ = ["agg_pyplot", "evaluate", "figures", "run_demo", "save_figures", "write_report"]

# Full run: 8 stations x 16 records per region of 60 s at 100 Hz (records
# as the paper's, 8 pool and 8 held-out per station) with each generator's
# CPU defaults, sized to finish in under 5 minutes on 2 cores. Quick run: a
# smaller data set and fewer epochs, for a first look in under a minute.
_FULL = dict(n_stations=8, records_per_station=16, n_repeats=2, overrides={})
_QUICK = dict(
    n_stations=4,
    records_per_station=10,
    n_repeats=2,
    overrides={
        "TimesNet-Gen": dict(epochs=2, noise_epochs=1),
        "Spectrogram CVAE": dict(epochs=3),
    },
)


# What the demo's comparison table holds: compare() scores these with one
# HVSR and one intensity-measure run per model and repeat.
_COMPARED = ("alignment", "psa", "duration", "novelty", "c2st")


def _models(random_state, overrides):
    models = {
        "TimesNet-Gen": TimesNetGenerator(random_state=random_state, verbose=1),
        "Spectrogram CVAE": SpectrogramCVAEGenerator(random_state=random_state, verbose=1),
    }
    for name, model in models.items():
        model.set_params(**overrides.get(name, {}))
    return models


def evaluate(model, X, stations, *, regions=None, random_state=0, cache=None):
    """Score one fitted model with both scorers' reports.

    Parameters
    ----------
    model : fitted station generator
    X : ndarray of shape (n_records, 3, n_times)
    stations : ndarray of shape (n_records,)
    regions : ndarray of shape (n_records,), optional
        For the intensity-measure distortion per region.
    random_state : int, default=0
    cache : skgen.scoring._protocol.ProtocolCache, optional
        Records generated before for these data; by default the two reports
        share one generation.

    Returns
    -------
    result : dict
        JSON-safe: the HVSR report's ``to_dict()`` with ``summary``, the
        intensity-measure report's under ``intensity`` (and
        ``intensity_summary``), and ``score_seconds``.
    reports : (ScoreReport, IntensityMeasureReport)
    """
    start = time.perf_counter()
    cache = ProtocolCache() if cache is None else cache
    report = HVSRAlignmentScorer(random_state=random_state)._report(model, X, stations, cache)
    intensity = IntensityMeasureScorer(random_state=random_state)._report(
        model, X, stations, regions, cache
    )
    result = dict(
        report.to_dict(),
        summary=report.summary(),
        intensity=intensity.to_dict(),
        intensity_summary=intensity.summary(),
        score_seconds=time.perf_counter() - start,
    )
    return result, (report, intensity)


def figures(stem, model, reports, X, stations, fs, examples):
    """The report's figures for one model: {file stem: Figure}.

    ``examples`` are (title, station, row of X) triples: for each, the HVSR,
    f0 and PGA-f0 figures of that station and one generated record beside
    the real one. Stations the model was not trained on are registered
    once, on a copy.
    """
    from . import plotting

    report, intensity = reports
    new = ~np.isin(stations, model.stations_)
    generator = model.with_bank(X[new], stations[new]) if new.any() else model
    result = {
        f"{stem}-f0-confusion": plotting.plot_f0_confusion(report),
        f"{stem}-response-spectra": plotting.plot_response_spectra(intensity),
        f"{stem}-durations": plotting.plot_durations(intensity),
        f"{stem}-novelty": plotting.plot_novelty(intensity),
    }
    for title, station, row in examples:
        generated = generator.sample(station, 1, random_state=0)[0]
        name = f"{stem}-{title}"
        result[f"{name}-hvsr"] = plotting.plot_hvsr(report, station=station)
        result[f"{name}-f0"] = plotting.plot_f0_histograms(report, station=station)
        result[f"{name}-pga-f0"] = plotting.plot_pga_f0(report, station=station)
        result[f"{name}-waveforms"] = plotting.plot_waveforms(
            X[row], generated, fs, station=station
        )
    return result


def _png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def agg_pyplot():
    """matplotlib.pyplot on the Agg backend, or None (no figures)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no figures (pip install 'skgen[plot]').")
        return None
    return plt


def save_figures(out, figures_by_model):
    """Write every figure as PNG in ``out``; {model: {stem: PNG bytes}}."""
    import matplotlib.pyplot as plt

    images = {}
    for name, figures_of_model in figures_by_model.items():
        images[name] = {}
        for stem, figure in figures_of_model.items():
            png = _png(figure)
            plt.close(figure)
            images[name][stem] = png
            with open(os.path.join(out, f"{stem}.png"), "wb") as stream:
                stream.write(png)
    return images


def _number(value):
    """A metric for display; ``to_dict`` turns NaN (undefined) into None."""
    return "n/a" if value is None else f"{value:.3f}"


def _metrics_table(results, names, key=None):
    parts = ["<table><tr><th>model</th>"]
    parts += [f"<th>{m}</th><th>{m} ceiling</th>" for m in names]
    parts.append("</tr>")
    for name, result in results.items():
        content = result if key is None else result[key]
        cells = "".join(
            f"<td>{_number(content['metrics'][m])}</td><td>{_number(content['ceiling'][m])}</td>"
            for m in names
        )
        parts.append(f"<tr><td>{html.escape(name)}</td>{cells}</tr>")
    parts.append("</table>")
    return parts


def _comparison_table(comparison):
    content = comparison.to_dict()
    metrics = comparison.metrics
    parts = [
        f"<h2>Models compared over {comparison.settings['n_repeats']} splits and seeds</h2>",
        "<p>Mean and 95 % interval over the repeats (greater is better); "
        "p-values of paired two-sided tests.</p><table><tr><th>model</th>",
    ]
    parts += [f"<th>{m}</th>" for m in metrics]
    parts.append("</tr>")
    for model, by_metric in content["models"].items():
        cells = "".join(
            f"<td>{_number(by_metric[m]['mean'])} [{_number(by_metric[m]['low'])}, "
            f"{_number(by_metric[m]['high'])}]</td>"
            for m in metrics
        )
        parts.append(f"<tr><td>{html.escape(model)}</td>{cells}</tr>")
    for pair, by_metric in content["p_values"].items():
        cells = "".join(f"<td>p = {by_metric[m]:.3g}</td>" for m in metrics)
        parts.append(f"<tr><td>{html.escape(pair)}</td>{cells}</tr>")
    parts.append("</table><p>Tests: ")
    parts.append(
        html.escape("; ".join(f"{m}: {test}" for m, test in comparison.tests.items())) + "</p>"
    )
    return parts


def write_report(out, title, intro, results, images, comparison=None, metrics=None):
    """Write ``report.html`` (self-contained) and ``metrics.json`` in ``out``.

    Parameters
    ----------
    out : str or path-like
        Output folder (created).
    title, intro : str
        Heading and first paragraph of the page.
    results : dict of str to dict
        Per model, :func:`evaluate`'s result (plus anything JSON-safe).
    images : dict of str to dict of str to bytes
        Per model, PNG figures by file stem (:func:`save_figures`).
    comparison : skgen.scoring.Comparison, optional
        Shown as a table with intervals and p-values.
    metrics : dict, optional
        What ``metrics.json`` holds; default ``results`` (with the
        comparison under ``"comparison"``).
    """
    os.makedirs(out, exist_ok=True)
    if metrics is None:
        metrics = dict(results)
        if comparison is not None:
            metrics["comparison"] = comparison.to_dict()
    with open(os.path.join(out, "metrics.json"), "w") as stream:
        json.dump(metrics, stream, indent=2, allow_nan=False)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;"
        "text-align:right}img{max-width:100%}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(intro)}</p>",
        "<h2>HVSR and f0 metrics (greater is better)</h2>",
    ]
    parts += _metrics_table(results, METRICS)
    parts.append(
        "<h2>Intensity measures (greater is better)</h2><p>Log residuals of mean "
        "response spectra, PGA, PGV, Arias intensity, D5-95 and Fourier spectra "
        "against held-out records; novelty (1 - median cross-correlation with the "
        "pool); c2st (1 - accuracy of a classifier telling generated from real).</p>"
    )
    parts += _metrics_table(results, IM_METRICS, key="intensity")
    if comparison is not None:
        parts += _comparison_table(comparison)
    for name, result in results.items():
        parts.append(f"<h2>{html.escape(name)}</h2>")
        if "fit_seconds" in result:
            parts.append(f"<p>fit: {result['fit_seconds']:.1f} s, ")
        else:
            parts.append("<p>")
        parts.append(f"scoring: {result['score_seconds']:.1f} s</p><pre>")
        parts.append(html.escape(result["summary"]))
        parts.append("</pre><h3>Intensity measures</h3><pre>")
        parts.append(html.escape(result["intensity_summary"]))
        parts.append("</pre>")
        for stem, png in images.get(name, {}).items():
            data = base64.b64encode(png).decode("ascii")
            parts.append(
                f"<figure><img alt='{html.escape(stem)}' "
                f"src='data:image/png;base64,{data}'>"
                f"<figcaption>{html.escape(stem)}</figcaption></figure>"
            )
    parts.append("</body></html>")
    with open(os.path.join(out, "report.html"), "w") as stream:
        stream.write("\n".join(parts))


def run_demo(out="skgen-demo", quick=False, random_state=0):
    """Run the demo and write its outputs.

    Parameters
    ----------
    out : str or path-like, default="skgen-demo"
        Output folder (created).
    quick : bool, default=False
        A smaller data set and fewer epochs.
    random_state : int, default=0
        Seed of the data, the models and the scorer.

    Returns
    -------
    metrics : dict
        Per model, the reports' content (:func:`evaluate`) plus fit time
        and parameters; ``metrics.json`` holds this and the comparison under
        ``"comparison"``.
    """
    config = _QUICK if quick else _FULL
    data_by_region = {
        region: make_strong_motion(
            n_stations=config["n_stations"],
            records_per_station=config["records_per_station"],
            region=region,
            random_state=random_state + i,
        )
        for i, region in enumerate(("A", "B"))
    }
    train = data_by_region["A"]
    fs = train.fs
    X = np.concatenate([d.X for d in data_by_region.values()])
    stations = np.concatenate([d.stations for d in data_by_region.values()])
    settings = (
        f"Trained on region A ({len(train.X)} records, {config['n_stations']} stations); "
        f"region B registered with frozen weights. Each station's records are split in "
        f"half: one half is the generator's pool, the other is compared with "
        f"{'quick run' if quick else 'full run'} generated records."
    )
    print(settings)
    can_plot = agg_pyplot() is not None
    regions = np.concatenate([np.full(len(d.X), region) for region, d in data_by_region.items()])
    examples = []
    offset = 0
    for region, data in data_by_region.items():
        examples.append((region, data.stations[0], offset))
        offset += len(data.X)

    os.makedirs(out, exist_ok=True)
    models = _models(random_state, config["overrides"])
    fit_seconds = {}
    for name, model in models.items():
        print(f"\n== fitting {name}")
        start = time.perf_counter()
        model.fit(train.X, train.stations)
        fit_seconds[name] = time.perf_counter() - start

    # One protocol cache: the reports reuse the records generated for the
    # comparison's first split, instead of generating again.
    cache = ProtocolCache()
    print(f"\n== comparing the models over {config['n_repeats']} splits and seeds")
    start = time.perf_counter()
    comparison = _compare(models, X, stations, _COMPARED, config["n_repeats"], random_state, cache)
    print(comparison)
    print(f"compared in {time.perf_counter() - start:.1f} s")
    results, images = {}, {}
    for name, model in models.items():
        print(f"\n== {name}")
        result, reports = evaluate(
            model,
            X,
            stations,
            regions=regions,
            random_state=comparison.settings["seeds"][0],
            cache=cache,
        )
        print(result["summary"])
        print(result["intensity_summary"])
        results[name] = dict(
            result,
            fit_seconds=fit_seconds[name],
            params={k: repr(v) for k, v in model.get_params().items()},
        )
        if can_plot:
            drawn = figures(name.replace(" ", "-"), model, reports, X, stations, fs, examples)
            images.update(save_figures(out, {name: drawn}))
    write_report(
        out,
        "skgen demo: cross-region generation on synthetic data",
        settings,
        results,
        images,
        comparison,
    )

    print(f"\n{'model':<18}" + "".join(f"{m:>16}" for m in METRICS))
    for name, result in results.items():
        print(f"{name:<18}" + "".join(f"{_number(result['metrics'][m]):>16}" for m in METRICS))
    ceiling = next(iter(results.values()))["ceiling"]
    print(f"{'real-vs-real':<18}" + "".join(f"{_number(ceiling[m]):>16}" for m in METRICS))
    print(f"\nwrote {out}/report.html and {out}/metrics.json")
    return results
