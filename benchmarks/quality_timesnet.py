"""Realism of TimesNet-Gen beyond f0, per region preset, over seeds.

For each seed: simulate every region preset of ``make_strong_motion``
(``--stations`` x ``--records`` each), train the generator on one region
(``--train``, default "A"), register the other regions with ``add_stations``
(frozen weights), and compare, station by station, generated records with the
station's *pool* (the records the generator draws from, i.e. all of them):
the generator's distortion. Per region the table gives the mean over
stations (geometric, the quantities are ratios) of generated / pool for

- horizontal PGA (max over E and N);
- PSA at 0.05, 0.1, 0.2, 0.5, 1 and 2 s (5 % damped, geometric mean of E, N);
- Fourier amplitude (Konno-Ohmachi smoothed), log-mean over the bands
  0.2-1, 1-5, 5-25 and 25-45 Hz (geometric mean of E and N);
- D5-95 (5-95 % of the Husid curve) and Arias intensity (geometric mean of
  E and N);

all from :mod:`skgen.signal`;

then novelty (median over generated records of the largest normalised
cross-correlation over lags with any pool record of the station, averaged
over components; the same for each real record against the station's other
records is the real-vs-real reference), and f0 alignment with
``HVSRAlignmentScorer`` next to its split-half real-vs-real ceiling. Each
value is the mean over seeds, with the spread (min-max) in brackets.

Sampling variants are compared on the same fitted networks (``--variants``,
names from ``VARIANTS``); training variants need one run each
(``--params key=value ...`` sets constructor parameters).

    nice -n 10 python benchmarks/quality_timesnet.py --stations 6 --records 10 \
        --seeds 0 1 2 --variants default
"""

import argparse
import json
import time

import numpy as np
import torch
from scipy.fft import next_fast_len

from skgen import HVSRAlignmentScorer, MixingSampler, TimesNetGenerator, make_strong_motion
from skgen.datasets import REGIONS
from skgen.scoring import c2st_features, c2st_score
from skgen.signal import (
    arias_intensity,
    fourier_amplitude,
    horizontal_geometric_mean,
    pga,
    response_spectrum,
    significant_duration,
)

PERIODS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
BANDS = ((0.2, 1.0), (1.0, 5.0), (5.0, 25.0), (25.0, 45.0))
TARGETS = {"PGA": 1.2, "PSA": 1.25, "FAS": 1.25, "D5-95": 1.15, "Arias": 1.4}

# Sampling options on a fitted generator (set_params), by name.
VARIANTS = {
    "default": {},
    "paper": {"sampler": MixingSampler.paper()},
    # skgen 0.1's sampling: Dirichlet(1) weights on waveforms and amplitudes,
    # energy restoring only.
    "0.1": {
        "sampler": MixingSampler(
            dirichlet_alpha=1.0,
            waveform_weights="dirichlet",
            restore="energy",
            restore_envelope=False,
            align_onsets=False,
        )
    },
    "no envelope": {"sampler": MixingSampler(restore_envelope=False)},
    "no alignment": {"sampler": MixingSampler(align_onsets=False)},
    "dirichlet waveforms": {"sampler": MixingSampler(waveform_weights="dirichlet")},
    "alpha 1": {"sampler": MixingSampler(dirichlet_alpha=1.0)},
    "alpha inf": {"sampler": MixingSampler(dirichlet_alpha=np.inf)},
}


def intensity_measures(X, fs):
    """Per record: a dict of horizontal intensity measures (n_records,)."""
    X = np.asarray(X, dtype=np.float64)
    measures = {"PGA": pga(X)}
    psa = horizontal_geometric_mean(response_spectrum(X, fs, PERIODS), axis=1)
    for i, period in enumerate(PERIODS):
        measures[f"PSA {period:g}s"] = psa[:, i]
    centers, amplitude = fourier_amplitude(X[:, :2], fs, centers=np.geomspace(0.2, 45.0, 60))
    amplitude = np.sqrt(amplitude[:, 0] * amplitude[:, 1])
    for low, high in BANDS:
        band = (centers >= low) & (centers <= high)
        measures[f"FAS {low:g}-{high:g}"] = np.exp(np.mean(np.log(amplitude[:, band]), axis=-1))
    duration = significant_duration(X[:, :2], fs)
    measures["D5-95"] = np.sqrt(duration[:, 0] * duration[:, 1])
    arias = arias_intensity(X[:, :2], fs)
    measures["Arias"] = np.sqrt(arias[:, 0] * arias[:, 1])
    return measures


def novelty(generated, pool, exclude_self=False):
    """Median over ``generated`` of the best normalised cross-correlation.

    For each generated record and pool record: per component, the maximum
    over lags of ``|xcorr| / (||g|| ||p||)`` of the demeaned signals, averaged
    over components; then the maximum over the pool. With ``exclude_self``
    (``generated is pool``) a record is not compared with itself.
    """
    n_times = generated.shape[-1]
    n_fft = next_fast_len(2 * n_times)

    def spectra(X):
        X = np.asarray(X, dtype=np.float64)
        X = X - X.mean(axis=-1, keepdims=True)
        norm = np.linalg.norm(X, axis=-1, keepdims=True)
        return np.fft.rfft(X / np.maximum(norm, 1e-30), n=n_fft, axis=-1)

    g, p = spectra(generated), spectra(pool)
    best = np.empty(len(g))
    for i, spectrum in enumerate(g):
        xcorr = np.fft.irfft(spectrum[None] * np.conj(p), n=n_fft, axis=-1)
        score = np.abs(xcorr).max(axis=-1).mean(axis=-1)
        if exclude_self:
            score[i] = -np.inf
        best[i] = score.max()
    return float(np.median(best))


def station_ratios(generated, pool, fs):
    """generated / pool ratio of geometric means, per intensity measure."""
    gen, real = intensity_measures(generated, fs), intensity_measures(pool, fs)
    return {
        key: float(np.exp(np.mean(np.log(gen[key])) - np.mean(np.log(real[key])))) for key in gen
    }


def simulate(regions, n_stations, n_records, seed):
    return {
        region: make_strong_motion(n_stations, n_records, region=region, random_state=seed + i)
        for i, region in enumerate(regions)
    }


def evaluate(generator, data, seed):
    """Per region: the mean ratios, novelty and f0 alignment of ``generator``."""
    results = {}
    scorer = HVSRAlignmentScorer(random_state=seed)
    for region, bunch in data.items():
        ratios, novel, real_novel, generated_all = [], [], [], []
        for k, station in enumerate(np.unique(bunch.stations)):
            pool = bunch.X[bunch.stations == station]
            generated = generator.sample(station, len(pool), random_state=seed * 1000 + k)
            generated_all.append(generated)
            ratios.append(station_ratios(generated, pool, bunch.fs))
            novel.append(novelty(generated, pool))
            real_novel.append(novelty(pool, pool, exclude_self=True))
        report = scorer.report(generator, bunch.X, bunch.stations)
        row = {key: float(np.exp(np.mean([np.log(r[key]) for r in ratios]))) for key in ratios[0]}
        row["novelty"] = float(np.mean(novel))
        row["novelty real"] = float(np.mean(real_novel))
        # Classifier two-sample test (accuracy): generated vs real records of
        # the region, and the first vs the second half of each station's
        # real records (chance: 0.5).
        real_features = c2st_features(bunch.X, bunch.fs)
        row["c2st accuracy"] = 1 - c2st_score(
            real_features, c2st_features(np.concatenate(generated_all), bunch.fs), seed
        )
        first = np.concatenate(
            [np.flatnonzero(bunch.stations == s)[::2] for s in np.unique(bunch.stations)]
        )
        second = np.setdiff1d(np.arange(len(bunch.X)), first)
        row["c2st real"] = 1 - c2st_score(real_features[first], real_features[second], seed)
        row["f0 alignment"] = float(report.metrics["alignment"])
        row["f0 ceiling"] = float(report.ceiling["alignment"])
        results[region] = row
    return results


def target_met(key, value):
    for prefix, factor in TARGETS.items():
        if key.startswith(prefix):
            return 1 / factor <= value <= factor
    return None


def print_table(name, runs, train_region, seconds):
    """Mean over seeds with min-max spread; '*' marks a missed target."""
    regions = list(runs[0])
    print(f"\n== {name}: trained on {train_region}, fit {np.mean(seconds):.0f} s (mean)")
    print(
        f"{'quantity':<14}"
        + "".join(f"{r + (' (train)' if r == train_region else ''):>24}" for r in regions)
    )
    for key in runs[0][regions[0]]:
        cells = []
        for region in regions:
            values = np.array([run[region][key] for run in runs])
            met = target_met(key, values.mean())
            mark = "" if met is None or met else "*"
            cells.append(f"{values.mean():.2f} [{values.min():.2f}-{values.max():.2f}]{mark}")
        print(f"{key:<14}" + "".join(f"{c:>24}" for c in cells))


def parse_params(items):
    params = {}
    for item in items:
        key, value = item.split("=", 1)
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=6)
    parser.add_argument("--records", type=int, default=10)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--train", default="A", choices=sorted(REGIONS))
    parser.add_argument("--variants", nargs="+", default=["default"], choices=sorted(VARIANTS))
    parser.add_argument("--params", nargs="*", default=[], help="constructor key=value")
    parser.add_argument("--json", default=None, help="write the results to this file")
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    params = parse_params(args.params)
    regions = [args.train] + [r for r in sorted(REGIONS) if r != args.train]
    runs = {name: [] for name in args.variants}
    seconds = []
    for seed in args.seeds:
        data = simulate(regions, args.stations, args.records, seed)
        generator = TimesNetGenerator(random_state=seed, **params)
        start = time.perf_counter()
        generator.fit(data[args.train].X, data[args.train].stations)
        seconds.append(time.perf_counter() - start)
        for region in regions[1:]:
            generator.add_stations(data[region].X, data[region].stations)
        for name in args.variants:
            defaults = {key: generator.get_params()[key] for key in VARIANTS[name]}
            generator.set_params(**VARIANTS[name])
            runs[name].append(evaluate(generator, data, seed))
            generator.set_params(**defaults)
        print(f"seed {seed}: fit {seconds[-1]:.0f} s", flush=True)
        if args.json:
            with open(args.json, "w") as stream:
                json.dump({"params": params, "seconds": seconds, "runs": runs}, stream, indent=1)
    print(f"parameters: {params or 'defaults'}; {args.stations} stations x {args.records} records")
    for name in args.variants:
        print_table(name, runs[name], args.train, seconds)


if __name__ == "__main__":
    main()
