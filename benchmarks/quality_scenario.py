"""Scenario-conditioned generation on held-out records, per region preset, over seeds.

For each seed: simulate every region preset of ``make_strong_motion``
(``--stations`` x ``--records`` each, with their magnitudes and distances),
train TimesNet-Gen on region A (``--train``) with the records' scenarios, register the
other regions with ``add_stations`` (frozen weights), then run
:func:`skgen.scoring.scenario_errors` per region: each station's records are
split into a pool and held-out records, and for every held-out record the
generator samples at that record's magnitude and distance. The table gives,
per region, the mean over held-out records of the mean over periods
(0.05-2 s) of ``|ln PSA error|`` for

- the scenario-conditioned generator,
- the same generator without a scenario (the station's records mixed),
- the ground-motion model alone (ln PSA regression on magnitude and ln
  distance with station terms, fitted to the pool records),

the ratio conditioned / unconditioned (target <= 0.6), and f0 alignment of the
conditioned records next to the real-vs-real ceiling (target: within 0.05).
Mean over seeds with the spread (min-max) in brackets.

The training-free ``StochasticGenerator`` (the reference) and
``StochasticGenerator(source="records", sampler=EvolutionarySampler())`` are
scored beside every run. Alternatives of the mechanism are measured on the same fitted networks
(``--variants``, names from ``VARIANTS``): the default (kernel-weighted
records, then the ground-motion gain), the gain alone on uniform mixes (what
the CVAE does), the kernel alone without a gain, the gain without the
correction towards the mixed records' spectra, and other bandwidths.

    nice -n 10 python benchmarks/quality_scenario.py --seeds 0 1 2
"""

import copy
import json

import numpy as np
from _common import SAMPLING_VARIANTS as SAMPLING
from _common import fit_and_register, parse, write_json
from _common import parser as common_parser

from skgen import EvolutionarySampler, StochasticGenerator, TimesNetGenerator, make_strong_motion
from skgen.datasets import REGIONS
from skgen.scoring import scenario_errors


def _uniform_mixes(generator):
    """Scenario sampling without the kernel: the base class's fallback."""
    generator._generate_near = super(type(generator), generator)._generate_near


def _no_gain(generator):
    """Scenario sampling without the ground-motion gain (zero coefficients)."""
    fitted = generator.ground_motion_model

    def model():
        gmm = fitted()
        gmm.coef_ = np.zeros_like(gmm.coef_)
        return gmm

    generator.ground_motion_model = model


def _no_correction(generator):
    """Scenario sampling without the correction towards the records' spectra."""
    near = generator._generate_near

    def without(*args):
        return near(*args)[:3] + (None,)

    generator._generate_near = without


# Changes of the mechanism on a fitted generator, by name (a function that
# patches the instance, or parameters for set_params).
VARIANTS = {
    "default": {},
    "gain-only": _uniform_mixes,
    "kernel-only": _no_gain,
    "no-correction": _no_correction,
    "narrow": {"sampler__scenario_bandwidth": (0.25, 0.25)},
    "wide": {"sampler__scenario_bandwidth": (1.0, 1.0)},
    "mixing": SAMPLING["mixing"],
    "evolutionary": SAMPLING["evolutionary"],
    # The sampler's defaults (docs/method.rst, "Sampling") one at a time, and
    # skgen 0.1's sampling, as _common.SAMPLING_VARIANTS names them.
    "alpha 1": SAMPLING["alpha 1"],
    "no alignment": SAMPLING["no alignment"],
    "no envelope": SAMPLING["no envelope"],
    "0.1 sampling": SAMPLING["0.1"],
}

# Training-free generators scored beside every run (no network): the
# reference, and the evolutionary sampler on the records themselves.
REFERENCES = {
    "stochastic": lambda: StochasticGenerator(),
    "evolutionary, no network": lambda: StochasticGenerator(
        source="records", sampler=EvolutionarySampler()
    ),
}

COLUMNS = ("conditioned", "unconditioned", "gmm", "ratio", "f0_alignment", "f0_ceiling")


def run_seed(seed, args):
    data = {
        region: make_strong_motion(
            n_stations=args.stations,
            records_per_station=args.records,
            region=region,
            n_times=args.n_times,
            random_state=seed,
        )
        for region in REGIONS
    }
    generator = TimesNetGenerator(
        n_times=args.n_times, epochs=args.epochs, noise_epochs=args.noise_epochs, random_state=seed
    )
    fit_time = fit_and_register(generator, data, args.train, scenario=True)
    results = {}
    generators = {}
    for variant in args.variants:
        changed = copy.deepcopy(generator)
        change = VARIANTS[variant]
        if callable(change):
            change(changed)
        else:
            changed.set_params(**change)
        generators[variant] = changed
    for name, make in REFERENCES.items():
        generators[name] = make()
        fit_and_register(generators[name], data, args.train, scenario=True)
    for variant, changed in generators.items():
        for region, d in data.items():
            errors = scenario_errors(
                changed,
                d.X,
                d.stations,
                d.magnitude,
                d.distance,
                n_samples=args.n_samples,
                random_state=seed,
            )
            results[variant, region] = errors.summary()
            print(
                f"seed {seed} {variant} region {region}: {json.dumps(results[variant, region])}",
                flush=True,
            )
    return results, fit_time


def main():
    parser = common_parser(__doc__.splitlines()[0])
    parser.add_argument("--n-times", type=int, default=6000)
    defaults = TimesNetGenerator()
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--noise-epochs", type=int, default=defaults.noise_epochs)
    parser.add_argument("--n-samples", type=int, default=1)
    parser.add_argument("--variants", nargs="+", default=["default"], choices=list(VARIANTS))
    args = parse(parser)
    per_seed, fit_times = [], []
    for seed in args.seeds:
        results, fit_time = run_seed(seed, args)
        per_seed.append(results)
        fit_times.append(fit_time)
    print(
        f"\n{args.stations} stations x {args.records} records per region, n_times "
        f"{args.n_times}, epochs {args.epochs}+{args.noise_epochs}, fit "
        f"{np.mean(fit_times):.0f} s; mean over seeds {args.seeds} [min-max]"
    )
    print(f"{'variant':24} region  " + "  ".join(f"{c:>20}" for c in COLUMNS))
    for variant, region in per_seed[0]:
        cells = []
        for column in COLUMNS:
            values = np.array([r[variant, region][column] for r in per_seed])
            cells.append(f"{values.mean():.3f} [{values.min():.2f}-{values.max():.2f}]")
        print(f"{variant:24} {region:6}  " + "  ".join(f"{c:>20}" for c in cells))
    seeds = [{f"{v} {r}": value for (v, r), value in res.items()} for res in per_seed]
    write_json(args.json, {"args": vars(args), "seeds": seeds, "fit_time": fit_times})


if __name__ == "__main__":
    main()
