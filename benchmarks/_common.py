"""What the quality and comparison benchmarks share: arguments, the
train-on-one-region / register-the-others setup, seed loops and tables.

The measurements themselves come from the package (``skgen.scoring``,
``skgen.signal``); nothing here recomputes a score.
"""

import argparse
import json
import os
import platform
import time

import numpy as np
import torch

from skgen import (
    EvolutionarySampler,
    HVSRAlignmentScorer,
    IntensityMeasureScorer,
    MixingSampler,
    make_strong_motion,
)
from skgen.datasets import REGIONS
from skgen.nn import cpu_has_native_bfloat16, resolve_precision

# Samplers on a fitted TimesNetGenerator (set_params), by name.
SAMPLING_VARIANTS = {
    "default": {},
    "mixing": {"sampler": MixingSampler()},
    "evolutionary": {"sampler": EvolutionarySampler()},
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

# The data sizes of ``skgen demo`` (full and --quick), per region, and the
# quick demo's training lengths. The full demo trains each generator with
# its defaults.
DEMO = {
    "full": dict(n_stations=8, records_per_station=10, overrides={}),
    "quick": dict(
        n_stations=4,
        records_per_station=10,
        overrides={
            "TimesNet-Gen": dict(epochs=2, noise_epochs=1),
            "Spectrogram CVAE": dict(epochs=3),
        },
    ),
}

# IntensityMeasureScorer's measure -> row name, and the largest acceptable
# distortion factor of each (generated / pool within [1 / t, t]).
MEASURES = {
    "pga": "PGA",
    "pgv": "PGV",
    "psa": "PSA",
    "fas": "FAS",
    "duration": "D5-95",
    "arias": "Arias",
}
TARGETS = {"PGA": 1.2, "PSA": 1.25, "FAS": 1.25, "D5-95": 1.15, "Arias": 1.4}


def evaluate(generator, data, seed):
    """Per region: distortion ratios, novelty, c2st and f0 alignment of ``generator``."""
    results = {}
    for region, bunch in data.items():
        im = IntensityMeasureScorer(random_state=seed).report(generator, bunch.X, bunch.stations)
        f0 = HVSRAlignmentScorer(random_state=seed).report(generator, bunch.X, bunch.stations)
        row = {name: float(np.exp(im.distortion[m]["all"])) for m, name in MEASURES.items()}
        row["novelty"] = float(np.mean(im.table["novelty_generated"]))
        row["novelty real"] = float(np.mean(im.table["novelty_real"]))
        row["c2st accuracy"] = 1 - im.metrics["c2st"]
        row["c2st real"] = 1 - im.ceiling["c2st"]
        row["f0 alignment"] = float(f0.metrics["alignment"])
        row["f0 ceiling"] = float(f0.ceiling["alignment"])
        results[region] = row
    return results


def missed_target(key, value):
    """True where a distortion ratio lies outside its target band."""
    factor = TARGETS.get(key)
    return factor is not None and not 1 / factor <= value <= factor


def parse_params(items):
    """``["key=value", ...]`` -> dict, values read as JSON where they parse."""
    params = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise argparse.ArgumentTypeError(f"expected key=value, got {item!r}")
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


def parser(description, *, seeds=(0, 1, 2), stations=6, records=10):
    """An argument parser with the options every quality benchmark takes:
    ``--seeds``, ``--stations``, ``--records``, ``--train``, ``--threads``,
    ``--json``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(seeds))
    parser.add_argument("--stations", type=int, default=stations, help="stations per region")
    parser.add_argument("--records", type=int, default=records, help="records per station")
    parser.add_argument("--train", default="A", choices=sorted(REGIONS), help="training region")
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    parser.add_argument("--json", default=None, help="write the results to this file")
    return parser


def parse(parser):
    """Parse the command line, apply ``--threads`` and print the machine."""
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    print(machine())
    return args


def machine():
    """One line: CPU model, cores, torch threads, native bfloat16, load."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            model = next(line for line in info if line.startswith("model name"))
        model = model.split(":", 1)[1].strip()
    except (OSError, StopIteration):
        pass
    return (
        f"{model}, {os.cpu_count()} cores, torch threads {torch.get_num_threads()}, "
        f"native bfloat16: {cpu_has_native_bfloat16()} (precision='auto' trains in "
        f"{resolve_precision('auto', 'cpu')}), load average {os.getloadavg()[0]:.1f}"
    )


def regions_of(train):
    """Every region preset, the training region first."""
    return [train] + [r for r in sorted(REGIONS) if r != train]


def simulate(regions, n_stations, n_records, seed, **kwargs):
    """``{region: make_strong_motion(...)}``, region ``i`` seeded ``seed + i``."""
    return {
        region: make_strong_motion(
            n_stations, n_records, region=region, random_state=seed + i, **kwargs
        )
        for i, region in enumerate(regions)
    }


def fit_and_register(generator, data, train, *, scenario=False):
    """Fit ``generator`` on region ``train`` of ``data``, register the other
    regions' stations with frozen weights (``add_stations``); return the fit
    time in seconds. With ``scenario`` each record's magnitude and distance
    go along."""

    def extra(bunch):
        return dict(magnitude=bunch.magnitude, distance=bunch.distance) if scenario else {}

    start = time.perf_counter()
    generator.fit(data[train].X, data[train].stations, **extra(data[train]))
    seconds = time.perf_counter() - start
    for region, bunch in data.items():
        if region != train:
            generator.add_stations(bunch.X, bunch.stations, **extra(bunch))
    return seconds


def spread(values):
    """``"mean [min-max]"`` of ``values``."""
    values = np.asarray(values, dtype=float)
    return f"{values.mean():.2f} [{values.min():.2f}-{values.max():.2f}]"


def print_table(title, runs, train, seconds, mark=None):
    """Per quantity and region, the mean over seeds with its min-max spread.

    ``runs`` is one ``{region: {quantity: value}}`` per seed; ``mark(quantity,
    mean)`` returns True where a cell gets a ``*`` (a missed target);
    ``train`` None: nothing was trained (no training region, no fit time).
    """
    regions = list(runs[0])
    width = max([16, *(len(key) + 2 for key in runs[0][regions[0]])])
    if train is None:  # nothing trained
        print(f"\n== {title}")
    else:
        print(f"\n== {title}: trained on {train}, fit {np.mean(seconds):.0f} s (mean)")
    print(
        f"{'quantity':<{width}}"
        + "".join(f"{r + (' (train)' if r == train else ''):>24}" for r in regions)
    )
    for key in runs[0][regions[0]]:
        cells = []
        for region in regions:
            values = [run[region][key] for run in runs]
            star = "*" if mark is not None and mark(key, np.mean(values)) else ""
            cells.append(spread(values) + star)
        print(f"{key:<{width}}" + "".join(f"{c:>24}" for c in cells))


def write_json(path, content):
    """Write ``content`` to ``path`` (nothing without a path)."""
    if path:
        with open(path, "w") as stream:
            json.dump(content, stream, indent=1)
