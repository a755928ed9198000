"""``skgen demo``: the paper's experiment on built-in synthetic data.

Train TimesNetGenerator and SpectrogramCVAEGenerator on region "A" (and the
training-free StochasticGenerator: the reference they must beat, and the
evolutionary sampler without a network), register
the stations of region "B" with frozen weights (the cross-region protocol),
generate, score both with :meth:`HVSRAlignmentScorer.report` and
:meth:`IntensityMeasureScorer.report`, compare them over a few splits and
seeds (:func:`skgen.scoring.compare`), and write ``metrics.json``, the
figures (PNG) and a self-contained ``report.html`` (:mod:`._html_report`,
which ``skgen score --report`` uses for a user's model and data).
"""

import os
import time

import numpy as np

from ._cvae import SpectrogramCVAEGenerator
from ._html_report import agg_pyplot, format_number, save_figures, write_report
from ._stochastic import StochasticGenerator
from ._timesnet import TimesNetGenerator
from .datasets import make_strong_motion
from .sampling import EvolutionarySampler
from .scoring import (
    METRICS,
    GoodnessOfFitScorer,
    GroundMotionModelScorer,
    HVSRAlignmentScorer,
    IntensityMeasureScorer,
)
from .scoring._compare import _compare
from .scoring._gmm import import_pygmm
from .scoring._protocol import ProtocolCache

__all__ = ["evaluate", "figures", "run_demo"]

# Full run: 8 stations x 10 records per region of 60 s at 100 Hz (records
# as the paper's, 5 pool and 5 held-out per station, as the quality
# benchmarks) with each generator's CPU defaults and the networks' figures,
# sized to finish in under 5 minutes on 2 cores (on a 2-core Intel Xeon:
# 2 min 36 s in bfloat16, 3 min 50 s with precision="float32";
# benchmarks/bench_demo.py).
# Quick run: a first look in under a minute: fewer and shorter records
# (30 s), fewer epochs, and the figures of TimesNet-Gen only.
_FULL = dict(
    n_stations=8,
    records_per_station=10,
    n_times=6000,
    n_repeats=2,
    overrides={},
    drawn=("TimesNet-Gen", "Spectrogram CVAE"),
)
_QUICK = dict(
    n_stations=4,
    records_per_station=10,
    n_times=3000,
    n_repeats=2,
    overrides={
        "TimesNet-Gen": dict(n_times=3000, epochs=2, noise_epochs=1),
        "Spectrogram CVAE": dict(n_times=3000, epochs=3),
    },
    drawn=("TimesNet-Gen",),
)


# The training-free generators (docs/method.rst, "Does the network earn its
# place?"): the reference, and the evolutionary sampler on the records
# without a network, skgen's best generator on its presets. Scored and
# compared like the networks; their figures are left out to keep the demo's
# time.
_REFERENCE = "Stochastic (reference)"
_NO_NETWORK = "Evolutionary (no network)"

# What the demo's comparison table holds: compare() scores these with one
# HVSR and one intensity-measure run per model and repeat.
_COMPARED = ("alignment", "psa", "duration", "novelty", "c2st", "spread")


def _models(random_state, overrides, precision="auto"):
    models = {
        "TimesNet-Gen": TimesNetGenerator(
            precision=precision, random_state=random_state, verbose=1
        ),
        "Spectrogram CVAE": SpectrogramCVAEGenerator(random_state=random_state, verbose=1),
        _REFERENCE: StochasticGenerator(random_state=random_state),
        _NO_NETWORK: StochasticGenerator(
            source="records", sampler=EvolutionarySampler(), random_state=random_state
        ),
    }
    for name, model in models.items():
        model.set_params(**overrides.get(name, {}))
    return models


# The field's yardsticks (docs/validation.rst) are scored on the first
# station of each region only: Anderson's criteria band-pass every record
# nine times, and the ground-motion model draws once per held-out record.
# Vs30 of the simulated stations for the ground-motion model (m/s): the
# simulation has no Vs30, so the report states this choice.
_VS30 = 400.0


def _yardstick_rows(stations, regions):
    """Rows of the first station of each region (of the first station without regions)."""
    groups = [None] if regions is None else list(dict.fromkeys(regions))
    chosen = []
    for region in groups:
        candidates = stations if region is None else stations[regions == region]
        chosen.append(candidates[0])
    return np.flatnonzero(np.isin(stations, chosen))


def evaluate(
    model,
    X,
    stations,
    *,
    regions=None,
    random_state=0,
    cache=None,
    magnitude=None,
    distance=None,
):
    """Score one fitted model with every scorer's report.

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
    magnitude, distance : ndarray of shape (n_records,), optional
        Each record's scenario; given, the ground-motion-model residuals
        (pygmm) are scored too.

    Returns
    -------
    result : dict
        JSON-safe: the HVSR report's ``to_dict()`` with ``summary``, the
        intensity-measure report's under ``intensity`` (and
        ``intensity_summary``), Anderson's goodness of fit under ``gof``
        (per band) and ``gof_summary``, the ground-motion-model metrics
        under ``gmm`` (or None), and ``score_seconds``.
    reports : (ScoreReport, IntensityMeasureReport, GoodnessOfFitReport,
        GroundMotionModelReport or None)
    """
    start = time.perf_counter()
    cache = ProtocolCache() if cache is None else cache
    report = HVSRAlignmentScorer(random_state=random_state)._report(
        model, X, stations, regions, cache
    )
    intensity = IntensityMeasureScorer(random_state=random_state)._report(
        model, X, stations, regions, cache
    )
    rows = _yardstick_rows(stations, regions)
    gof = GoodnessOfFitScorer(random_state=random_state).report(model, X[rows], stations[rows])
    gmm = None
    if magnitude is not None and distance is not None:
        gmm = GroundMotionModelScorer(vs30=_VS30, random_state=random_state).report(
            model, X[rows], stations[rows], magnitude=magnitude[rows], distance=distance[rows]
        )
    result = dict(
        report.to_dict(),
        summary=report.summary(),
        intensity=intensity.to_dict(),
        intensity_summary=intensity.summary(),
        gof=dict(gof.generated.table(), stations=[str(s) for s in gof.stations]),
        gof_summary=gof.summary(),
        gmm=None if gmm is None else gmm.summary(),
        score_seconds=time.perf_counter() - start,
    )
    return result, (report, intensity, gof, gmm)


def figures(stem, model, reports, X, stations, fs, examples):
    """The report's figures for one model: {file stem: Figure}.

    ``examples`` are (title, station, row of X) triples: for each, the HVSR,
    f0 and PGA-f0 figures of that station and one generated record beside
    the real one. Stations the model was not trained on are registered
    once, on a copy. ``reports`` is :func:`evaluate`'s: the goodness-of-fit
    heat map is drawn, and with a ground-motion-model report the generated
    PSA at one scenario against the model and the residual correlation
    beside Baker-Jayaram.
    """
    from . import plotting

    report, intensity, gof, gmm = reports
    new = ~np.isin(stations, model.stations_)
    generator = model.with_bank(X[new], stations[new]) if new.any() else model
    result = {
        f"{stem}-f0-confusion": plotting.plot_f0_confusion(report),
        f"{stem}-response-spectra": plotting.plot_response_spectra(intensity),
        f"{stem}-durations": plotting.plot_durations(intensity),
        f"{stem}-novelty": plotting.plot_novelty(intensity),
        f"{stem}-gof-bands": plotting.plot_gof_bands(gof),
    }
    if gmm is not None:
        result[f"{stem}-gmm-psa"] = plotting.plot_gmm_psa(gmm, record=0)
        result[f"{stem}-residual-correlation"] = plotting.plot_residual_correlation(gmm)
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


def run_demo(out="skgen-demo", quick=False, random_state=0, precision="auto"):
    """Run the demo and write its outputs.

    Parameters
    ----------
    out : str or path-like, default="skgen-demo"
        Output folder (created).
    quick : bool, default=False
        A smaller data set and fewer epochs.
    random_state : int, default=0
        Seed of the data, the models and the scorer.
    precision : {"auto", "float32"}, default="auto"
        TimesNet-Gen's training precision: ``"float32"`` trains as CPUs
        without native bfloat16 do, also on one that has it (the demo's time
        on such CPUs).

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
            n_times=config["n_times"],
            region=region,
            random_state=random_state + i,
        )
        for i, region in enumerate(("A", "B"))
    }
    train = data_by_region["A"]
    fs = train.fs
    X = np.concatenate([d.X for d in data_by_region.values()])
    stations = np.concatenate([d.stations for d in data_by_region.values()])
    magnitude = np.concatenate([d.magnitude for d in data_by_region.values()])
    distance = np.concatenate([d.distance for d in data_by_region.values()])
    # The ground-motion-model residuals need the optional pygmm (skgen[gmm]):
    # without it the demo runs and says what it left out.
    try:
        import_pygmm()
        yardsticks = (
            f"Goodness of fit and ground-motion-model residuals (BSSA14, Vs30 = {_VS30:g} "
            f"m/s, hypocentral distance as Rrup)"
        )
    except ImportError as error:
        magnitude = distance = None
        yardsticks = f"Goodness of fit (ground-motion-model residuals left out: {error})"
    settings = (
        f"Trained on region A ({len(train.X)} records, {config['n_stations']} stations); "
        f"region B registered with frozen weights. Each station's records are split in "
        f"half: one half is the generator's pool, the other is compared with "
        f"{'quick run' if quick else 'full run'} generated records. {yardsticks} "
        f"on the first station of each region. The training-free "
        f"StochasticGenerator (noise shaped by each station's records) is the reference "
        f"a network must beat; the evolutionary sampler on the records without a network "
        f"is skgen's best generator on its presets (the figures of neither are drawn)."
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
    models = _models(random_state, config["overrides"], precision)
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
            magnitude=magnitude,
            distance=distance,
        )
        print(result["summary"])
        print(result["intensity_summary"])
        results[name] = dict(
            result,
            fit_seconds=fit_seconds[name],
            params={k: repr(v) for k, v in model.get_params().items()},
        )
        if can_plot and name in config["drawn"]:
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

    width = max(len(name) for name in [*results, "real-vs-real"]) + 2
    print("\n" + "model".ljust(width) + "".join(f"{m:>16}" for m in METRICS))
    for name, result in results.items():
        values = "".join(f"{format_number(result['metrics'][m]):>16}" for m in METRICS)
        print(name.ljust(width) + values)
    ceiling = next(iter(results.values()))["ceiling"]
    values = "".join(f"{format_number(ceiling[m]):>16}" for m in METRICS)
    print("real-vs-real".ljust(width) + values)
    print(f"\nwrote {out}/report.html and {out}/metrics.json")
    return results
