"""The self-contained HTML report of ``skgen demo`` and ``skgen score --report``.

:func:`write_report` writes ``report.html`` (tables of every scorer's metrics
next to their real-vs-real ceilings, the comparison of models, the figures
inlined as PNG) and ``metrics.json``; :func:`save_figures` writes the
figures it inlines. It formats what was measured and measures nothing.
"""

import base64
import html
import io
import json
import os

from .scoring import IM_METRICS, METRICS

__all__ = ["agg_pyplot", "format_number", "save_figures", "write_report"]


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


def format_number(value):
    """A metric for display; ``to_dict`` turns NaN (undefined) into None."""
    return "n/a" if value is None else f"{value:.3f}"


def _metrics_table(results, names, key=None):
    parts = ["<table><tr><th>model</th>"]
    parts += [f"<th>{m}</th><th>{m} ceiling</th>" for m in names]
    parts.append("</tr>")
    for name, result in results.items():
        content = result if key is None else result[key]
        cells = "".join(
            f"<td>{format_number(content['metrics'][m])}</td><td>{format_number(content['ceiling'][m])}</td>"
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
            f"<td>{format_number(by_metric[m]['mean'])} [{format_number(by_metric[m]['low'])}, "
            f"{format_number(by_metric[m]['high'])}]</td>"
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


def _yardstick_tables(results):
    """Anderson's goodness of fit per band and the ground-motion-model metrics."""
    with_gof = {name: r for name, r in results.items() if r.get("gof")}
    parts = []
    if with_gof:
        bands = next(iter(with_gof.values()))["gof"]["band"]
        parts.append(
            "<h2>Anderson (2004) goodness of fit (0-10)</h2><p>Mean total of the ten "
            "criteria per band over (generated, held-out) pairs; below 4 poor, 4-6 fair, "
            "6-8 good, above 8 excellent. The ceiling pairs held-out with pool records.</p>"
            "<table><tr><th>model</th><th>score</th><th>ceiling</th>"
        )
        parts += [f"<th>{html.escape(band)}</th>" for band in bands]
        parts.append("</tr>")
        for name, result in with_gof.items():
            summary = result["gof_summary"]
            cells = "".join(f"<td>{format_number(v)}</td>" for v in result["gof"]["total"])
            parts.append(
                f"<tr><td>{html.escape(name)}</td><td>{format_number(summary['gof'])}</td>"
                f"<td>{format_number(summary['gof_ceiling'])}</td>{cells}</tr>"
            )
        parts.append("</table>")
    with_gmm = {name: r["gmm"] for name, r in results.items() if r.get("gmm")}
    if with_gmm:
        names = ("acceptance", "median", "sigma", "correlation", "duration")
        parts.append(
            "<h2>Ground-motion-model residuals (greater is better)</h2><p>acceptance: "
            "fraction of periods up to 3 s with median ratio in 0.69-1.44; median, sigma: "
            "minus the RMS ln ratio; correlation: minus the RMS difference to Baker-Jayaram "
            "(2008); duration: minus the RMS ln D5-75/D5-95 residual against "
            "Afshari-Stewart (2016). Ceiling: the held-out real records.</p>"
            "<table><tr><th>model</th><th>model (GMM)</th>"
        )
        parts += [f"<th>{m}</th><th>{m} ceiling</th>" for m in names]
        parts.append("</tr>")
        for name, gmm in with_gmm.items():
            cells = "".join(
                f"<td>{format_number(gmm[f'gmm_{m}'])}</td>"
                f"<td>{format_number(gmm[f'gmm_{m}_ceiling'])}</td>"
                for m in names
            )
            parts.append(
                f"<tr><td>{html.escape(name)}</td><td>{html.escape(gmm['gmm'])}</td>{cells}</tr>"
            )
        parts.append("</table>")
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
    parts += _yardstick_tables(results)
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
