"""``skgen demo``: the paper's experiment on built-in synthetic data.

Train TimesNetGenerator and SpectrogramCVAEGenerator on region "A", register
the stations of region "B" with frozen weights (the cross-region protocol),
generate, score both with :meth:`HVSRAlignmentScorer.report`, and write
``metrics.json``, the figures (PNG) and a self-contained ``report.html``.
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
from .scoring import METRICS, HVSRAlignmentScorer

__all__ = ["run_demo"]

# Full run: the paper's layout (8 stations x 20 records per region, 60 s at
# 100 Hz) with each generator's CPU defaults. Quick run: a smaller data set
# and fewer epochs, for a first look in under a minute.
_FULL = dict(n_stations=8, records_per_station=20, overrides={})
_QUICK = dict(
    n_stations=4,
    records_per_station=10,
    overrides={
        "TimesNet-Gen": dict(epochs=2, noise_epochs=1),
        "Spectrogram CVAE": dict(epochs=3),
    },
)


def _models(random_state, overrides):
    models = {
        "TimesNet-Gen": TimesNetGenerator(random_state=random_state, verbose=1),
        "Spectrogram CVAE": SpectrogramCVAEGenerator(random_state=random_state, verbose=1),
    }
    for name, model in models.items():
        model.set_params(**overrides.get(name, {}))
    return models


def _figures(name, model, report, data_by_region, fs):
    """The demo's figures for one model: {file stem: Figure}."""
    from . import plotting

    # Stations the model was not trained on are registered once, on a copy.
    new = [d for d in data_by_region.values() if not np.isin(d.stations, model.stations_).all()]
    generator = (
        model.with_bank(
            np.concatenate([d.X for d in new]), np.concatenate([d.stations for d in new])
        )
        if new
        else model
    )
    figures = {f"{name}-f0-confusion": plotting.plot_f0_confusion(report)}
    for region, data in data_by_region.items():
        station = data.stations[0]
        generated = generator.sample(station, 1, random_state=0)[0]
        stem = f"{name}-{region}-{station}"
        figures[f"{stem}-hvsr"] = plotting.plot_hvsr(report, station=station)
        figures[f"{stem}-f0"] = plotting.plot_f0_histograms(report, station=station)
        figures[f"{stem}-pga-f0"] = plotting.plot_pga_f0(report, station=station)
        figures[f"{stem}-waveforms"] = plotting.plot_waveforms(
            data.X[0], generated, fs, station=station
        )
    return figures


def _png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def _number(value):
    """A metric for display; ``to_dict`` turns NaN (undefined) into None."""
    return "n/a" if value is None else f"{value:.3f}"


def _html(results, images, settings):
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        "<title>skgen demo report</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;"
        "text-align:right}img{max-width:100%}</style></head><body>",
        "<h1>skgen demo: cross-region generation on synthetic data</h1>",
        f"<p>{html.escape(settings)}</p>",
        "<h2>Overall metrics (greater is better)</h2><table><tr><th>model</th>",
    ]
    parts += [f"<th>{m}</th><th>{m} ceiling</th>" for m in METRICS]
    parts.append("</tr>")
    for name, result in results.items():
        cells = "".join(
            f"<td>{_number(result['metrics'][m])}</td><td>{_number(result['ceiling'][m])}</td>"
            for m in METRICS
        )
        parts.append(f"<tr><td>{html.escape(name)}</td>{cells}</tr>")
    parts.append("</table>")
    for name, result in results.items():
        parts.append(f"<h2>{html.escape(name)}</h2>")
        parts.append(
            f"<p>fit: {result['fit_seconds']:.1f} s, scoring: "
            f"{result['score_seconds']:.1f} s</p><pre>"
        )
        parts.append(html.escape(result["summary"]))
        parts.append("</pre>")
        for stem, png in images.get(name, {}).items():
            data = base64.b64encode(png).decode("ascii")
            parts.append(
                f"<figure><img alt='{html.escape(stem)}' "
                f"src='data:image/png;base64,{data}'>"
                f"<figcaption>{html.escape(stem)}</figcaption></figure>"
            )
    parts.append("</body></html>")
    return "\n".join(parts)


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
        What ``metrics.json`` holds: per model, the report's content plus
        fit and scoring times.
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
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        plt = None
        print("matplotlib is not installed: no figures (pip install 'skgen[plot]').")

    os.makedirs(out, exist_ok=True)
    scorer = HVSRAlignmentScorer(random_state=random_state)
    results, images = {}, {}
    for name, model in _models(random_state, config["overrides"]).items():
        print(f"\n== {name}")
        start = time.perf_counter()
        model.fit(train.X, train.stations)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        report = scorer.report(model, X, stations)
        score_seconds = time.perf_counter() - start
        summary = report.summary()
        print(summary)
        results[name] = dict(
            report.to_dict(),
            summary=summary,
            fit_seconds=fit_seconds,
            score_seconds=score_seconds,
            params={k: repr(v) for k, v in model.get_params().items()},
        )
        if plt is not None:
            figures = _figures(name.replace(" ", "-"), model, report, data_by_region, fs)
            images[name] = {}
            for stem, figure in figures.items():
                png = _png(figure)
                plt.close(figure)
                images[name][stem] = png
                with open(os.path.join(out, f"{stem}.png"), "wb") as stream:
                    stream.write(png)

    with open(os.path.join(out, "metrics.json"), "w") as stream:
        json.dump(results, stream, indent=2, allow_nan=False)
    with open(os.path.join(out, "report.html"), "w") as stream:
        stream.write(_html(results, images, settings))

    print(f"\n{'model':<18}" + "".join(f"{m:>16}" for m in METRICS))
    for name, result in results.items():
        print(f"{name:<18}" + "".join(f"{_number(result['metrics'][m]):>16}" for m in METRICS))
    ceiling = next(iter(results.values()))["ceiling"]
    print(f"{'real-vs-real':<18}" + "".join(f"{_number(ceiling[m]):>16}" for m in METRICS))
    print(f"\nwrote {out}/report.html and {out}/metrics.json")
    return results
