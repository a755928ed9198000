"""The ``skgen`` command.

Subcommands: ``demo``, ``hvsr``, ``fit``, ``add-stations``, ``sample``,
``score``. Commands that read records take files, directories and glob
patterns, and share the reading options of :func:`skgen.io.read_records`.
User mistakes (a missing file, an unknown station, an unreadable format, a
bad parameter, an output too large to write) end with one line on stderr
and exit status 2, not a traceback (set ``SKGEN_DEBUG=1`` to see one).
"""

import argparse
import ast
import csv
import os
import shutil
import sys
import warnings
from collections import Counter

import numpy as np

from ._validation import check_count
from .signal import KERNELS

__all__ = ["main"]

_GENERATORS = {
    "timesnet": "TimesNetGenerator",
    "cvae": "SpectrogramCVAEGenerator",
    "stochastic": "StochasticGenerator",
}
# --sampler choices: how TimesNet-Gen and the stochastic generator draw
# (docs/method.rst, "Sampling" and "Records, not averages").
_SAMPLERS = ("mixing", "evolutionary", "paper")


def _sampler(name):
    """The sampler object a --sampler name stands for."""
    from .sampling import EvolutionarySampler, MixingSampler

    return {
        "mixing": MixingSampler,
        "evolutionary": EvolutionarySampler,
        "paper": MixingSampler.paper,
    }[name]()


def _check_takes_sampler(cls, sampler):
    """--sampler only for generators with a ``sampler`` parameter."""
    if sampler is not None and "sampler" not in cls().get_params(deep=False):
        raise UsageError(
            "--sampler applies to timesnet and stochastic generators; "
            f"{cls.__name__} has no sampler (the CVAE samples its station's latent Gaussian)"
        )


class UsageError(ValueError):
    """A mistake in the command line itself."""


def _parse_params(pairs, estimator_cls, sampler=None):
    """``["epochs=3", "d_model=8"]`` -> dict, values read as Python literals.

    The sampler's options are ``sampler__...`` (e.g. ``sampler__window=5.12``),
    those of ``sampler`` (a --sampler name) when given, else of the
    generator's default sampler.
    """
    estimator = estimator_cls()
    if "sampler" in estimator.get_params(deep=False) and estimator.sampler is None:
        default = estimator._default_sampler()
        estimator.set_params(sampler=default if sampler is None else _sampler(sampler))
    allowed = estimator.get_params()
    params = {}
    for pair in pairs or []:
        key, sep, text = pair.partition("=")
        if not sep:
            raise UsageError(f"--param expects key=value, got {pair!r}")
        if key not in allowed:
            raise UsageError(
                f"unknown parameter {key!r} for {estimator_cls.__name__}; "
                f"known: {', '.join(sorted(allowed))}"
            )
        try:
            params[key] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            params[key] = text
    return params


def _read_with_meta(args, n_times):
    """Records of ``args.data`` as the reading options say, with their meta;
    files left out by ``--skip-bad`` are listed on stderr."""
    from .io import SkippedFilesWarning, read_records

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SkippedFilesWarning)
        X, stations, meta = read_records(
            args.data,
            fs=args.fs,
            n_times=n_times,
            inventory=args.inventory,
            window=args.window,
            pre_event=args.pre_event,
            bandpass=args.bandpass,
            units=args.units,
            on_error="skip" if args.skip_bad else "raise",
            return_meta=True,
        )
    for warning in caught:
        if issubclass(warning.category, SkippedFilesWarning):
            print(f"skgen: {warning.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return X, stations, meta


def _read(args, n_times):
    X, stations, _ = _read_with_meta(args, n_times)
    return X, stations


def _record_scenarios(meta, path):
    """Magnitude and distance of each record, or ``(None, None)``.

    Taken from the records' meta where the reader found them, else from the
    ``--scenarios`` CSV (columns ``file,magnitude,distance``, distance in km):
    a record takes the next row of the first of its files named there (by
    file name without folder), so a file holding several records lists one
    row per record, in order.
    """
    if all("magnitude" in record and "distance" in record for record in meta):
        return (
            np.array([record["magnitude"] for record in meta], dtype=float),
            np.array([record["distance"] for record in meta], dtype=float),
        )
    if path is None:
        return None, None
    rows = {}
    with open(path, newline="") as file:
        reader = csv.DictReader(file)
        missing = {"file", "magnitude", "distance"} - set(reader.fieldnames or ())
        if missing:
            raise UsageError(
                f"--scenarios {path}: needs columns file, magnitude and distance; "
                f"missing {', '.join(sorted(missing))}"
            )
        for row in reader:
            try:
                values = float(row["magnitude"]), float(row["distance"])
            except ValueError:
                raise UsageError(f"--scenarios {path}: not a number in row {row}") from None
            rows.setdefault(os.path.basename(row["file"]), []).append(values)
    scenarios = []
    for record in meta:
        names = [
            os.path.basename(name) for name in record["files"] if os.path.basename(name) in rows
        ]
        if not names or not rows[names[0]]:
            raise UsageError(
                f"--scenarios {path}: no (further) row for the record of "
                f"{', '.join(record['files'])}"
            )
        scenarios.append(rows[names[0]].pop(0))
    magnitude, distance = np.array(scenarios).T
    return magnitude, distance


def _print_records_per_station(stations, meta):
    files = {path for record in meta for path in record["files"]}
    counts = Counter(stations)
    print(f"read {len(stations)} record(s) of {len(counts)} station(s) from {len(files)} file(s)")
    for station, count in counts.items():
        print(f"  {station!s:<20} {count:>6} record(s)")


def _cmd_hvsr(args):
    from .signal import hvsr, peak_frequency, pga

    X, stations = _read(args, args.n_times)
    centers, curves = hvsr(X, args.fs, kernel=args.kernel)
    f0, a0 = peak_frequency(centers, curves, method=args.peak)
    peaks = pga(X)
    print(f"{'station':<20} {'f0 (Hz)':>8} {'A0':>8} {'PGA (m/s^2)':>12}")
    for label, f, a, p in zip(stations, f0, a0, peaks):
        print(f"{label!s:<20} {f:>8.3f} {a:>8.3f} {p:>12.4g}")
    return 0


def _cmd_fit(args):
    import skgen

    from ._distributed import is_main_process

    cls = getattr(skgen, _GENERATORS[args.generator])
    _check_takes_sampler(cls, args.sampler)
    params = _parse_params(args.param, cls, args.sampler)
    if args.sampler is not None:
        params["sampler"] = _sampler(args.sampler)
        if args.generator == "stochastic" and args.sampler == "evolutionary":
            # new phases for the station's records: the bank keeps them
            params.setdefault("source", "records")
    params.setdefault("fs", args.fs)
    defaults = cls().get_params(deep=False)
    if "verbose" in defaults:
        params.setdefault("verbose", 1)
    if defaults["n_times"] is None:
        params.setdefault("n_times", 6000)
    n_times = params.get("n_times", defaults["n_times"])
    if n_times is None:
        raise UsageError(
            "--param n_times=None cannot be used with files: records are read to a "
            "fixed length; give the number of samples, e.g. --param n_times=6000"
        )
    X, stations, meta = _read_with_meta(args, n_times)
    magnitude, distance = _record_scenarios(meta, args.scenarios)
    generator = cls().set_params(**params).fit(X, stations, magnitude=magnitude, distance=distance)
    # Under torchrun every rank fits the same model; rank 0 writes and reports.
    generator.save(args.model)
    if is_main_process():
        _print_records_per_station(stations, meta)
        print(
            f"fitted {cls.__name__} on {len(X)} records of {len(generator.stations_)} "
            f"station(s); saved to {args.model}"
        )
    return 0


def _cmd_add_stations(args):
    import skgen

    from ._distributed import is_main_process

    generator = skgen.load(args.model)
    X, stations, meta = _read_with_meta(args, generator.n_times_)
    magnitude, distance = _record_scenarios(meta, args.scenarios)
    generator.add_stations(X, stations, magnitude=magnitude, distance=distance)
    out = args.out or args.model
    generator.save(out)
    if is_main_process():
        _print_records_per_station(stations, meta)
        print(f"registered {len(X)} record(s) of {len(set(stations))} station(s); saved to {out}")
    return 0


def _station_label(generator, text):
    """The bank's label for a station typed on the command line: models
    fitted in Python may use integer labels, the command line gives text."""
    if text not in generator.bank_ and text.lstrip("-").isdigit() and int(text) in generator.bank_:
        return int(text)
    return text


SAMPLE_CHUNK = 1000
"""Records generated and written at a time by ``skgen sample``: memory stays
at one chunk (72 MB at 6000 samples) whatever ``-n`` is."""


def _physical_memory():
    """Bytes of RAM, or None where the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def _check_output_size(n, n_times, format, out):
    """One clear line, before any work, for an output that cannot be written."""
    size = n * 3 * n_times * 4  # float32 samples
    gib = size / 2**30
    if format == "npz":
        memory = _physical_memory()
        if memory is not None and 2 * size > memory:
            raise UsageError(
                f"-n {n} records of {n_times} samples need {gib:.1f} GiB held at once "
                f"for one .npz (this machine has {memory / 2**30:.1f} GiB); write "
                "mseed, sac, asdf or seisbench, which are written in chunks, or lower -n"
            )
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"No such directory for --out: {folder!r}")
    free = shutil.disk_usage(folder).free
    if size > free:
        raise UsageError(
            f"-n {n} records of {n_times} samples need about {gib:.1f} GiB on disk; "
            f"{free / 2**30:.1f} GiB free in {folder}"
        )


_SAMPLE_FORMATS = ("mseed", "sac", "asdf", "seisbench", "npz")


def _sample_format(args):
    """The container of ``skgen sample``: ``--format``, else told by --out's suffix."""
    from .io._write import writer_format

    if args.format is not None:
        return args.format
    if args.out.lower().endswith(".npz"):
        return "npz"
    try:
        return writer_format(args.out)
    except ValueError:
        raise UsageError(
            f"--out must end in .mseed, .sac or .npz (or .h5 for ASDF), or give --format "
            f"(seisbench writes a folder); cannot tell the format of {args.out!r}"
        ) from None


def _write_generated(generator, station, label, n, rng, scenario, format, out, provenance):
    """Generate and write ``n`` records chunk by chunk: memory stays at one chunk."""
    from .io import RecordWriter

    with RecordWriter(
        out, generator.fs, format=format, provenance=provenance, n_records=n
    ) as writer:
        for first in range(0, n, SAMPLE_CHUNK):
            size = min(SAMPLE_CHUNK, n - first)
            X = generator.sample(station, size, random_state=rng, **scenario)
            writer.write(X, [label] * size, **scenario)
    paths = writer.close()
    return paths[0] if len(paths) == 1 else f"{paths[0]} ... {paths[-1]}"


def _cmd_sample(args):
    import skgen

    out = args.out
    format = _sample_format(args)
    n = check_count(args.n, "n_samples")
    generator = skgen.load(args.model)
    _check_takes_sampler(type(generator), args.sampler)
    station = _station_label(generator, args.station)
    _check_output_size(n, generator.n_times_, format, out)
    if args.sampler is not None:
        generator.set_params(sampler=_sampler(args.sampler))
    # One random stream through all chunks: the same --seed gives the same
    # records, and up to SAMPLE_CHUNK records those of one sample() call.
    rng = np.random.RandomState(args.seed)
    label = str(args.station)
    scenario = {}
    if args.magnitude is not None or args.distance is not None:
        scenario = {"magnitude": args.magnitude, "distance": args.distance}
    if format == "npz":
        X = generator.sample(station, n, random_state=rng, **scenario)
        np.savez(out, X=X, stations=np.array([label] * n), fs=generator.fs)
    else:
        provenance = {
            "model": os.path.basename(args.model),
            "generator": type(generator).__name__,
            "station": label,
            "random_state": args.seed,
            **scenario,
        }
        out = _write_generated(generator, station, label, n, rng, scenario, format, out, provenance)
    print(f"wrote {n} record(s) for station {args.station} to {out}")
    return 0


def _cmd_score(args):
    import skgen

    from .scoring import get_scorer

    # An unknown metric fails here, naming the known ones, before any reading.
    scorer = None if args.report else get_scorer(args.metric, random_state=args.seed)
    generator = skgen.load(args.model)
    X, stations = _read(args, generator.n_times_)
    if args.report:
        from ._demo import evaluate, figures
        from ._html_report import agg_pyplot, save_figures, write_report

        result, reports = evaluate(generator, X, stations, random_state=args.seed)
        os.makedirs(args.report, exist_ok=True)
        images = {}
        if agg_pyplot() is not None:
            examples = [("records", stations[0], 0)]
            drawn = figures("score", generator, reports, X, stations, generator.fs, examples)
            images = save_figures(args.report, {args.model: drawn})
        n_stations = len(set(stations))
        intro = f"Model {args.model} scored on {len(X)} records of {n_stations} stations."
        write_report(
            args.report, "skgen score", intro, {args.model: result}, images, metrics=result
        )
        print(result["summary"])
        print(result["intensity_summary"])
        print(f"report written to {args.report}")
    else:
        print(f"{args.metric}: {scorer(generator, X, stations):.4f}")
    return 0


def _cmd_demo(args):
    from ._demo import run_demo

    run_demo(out=args.out, quick=args.quick, random_state=args.seed, precision=args.precision)
    return 0


def _add_reading_options(parser):
    parser.add_argument(
        "--fs",
        type=float,
        default=100.0,
        help="sampling rate records are resampled to (Hz, default 100)",
    )
    parser.add_argument("--inventory", help="StationXML file to convert counts to m/s^2")
    parser.add_argument(
        "--window",
        choices=["event", "start"],
        default="event",
        help="where the record's window starts: before the P-wave onset (default) "
        "or at the first sample",
    )
    parser.add_argument(
        "--pre-event",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="seconds kept before the P-wave onset (default 5)",
    )
    parser.add_argument(
        "--bandpass",
        type=float,
        nargs=2,
        metavar=("LOW", "HIGH"),
        help="zero-phase Butterworth band-pass corners in Hz (default: none)",
    )
    parser.add_argument(
        "--units",
        help="units of the files' values when known (m/s^2, gal, cm/s^2, g); "
        "default: each format's own",
    )
    parser.add_argument(
        "--skip-bad",
        action="store_true",
        help="skip files that cannot be read, listing each and why, instead of stopping",
    )


def build_parser():
    """The argument parser of the ``skgen`` command."""
    parser = argparse.ArgumentParser(
        prog="skgen",
        description="Site-specific strong-motion generation (TimesNet-Gen).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="train, generate and score on synthetic data")
    demo.add_argument("--out", default="skgen-demo", help="output folder (default ./skgen-demo)")
    demo.add_argument("--quick", action="store_true", help="a smaller run, under a minute")
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument(
        "--precision",
        choices=["auto", "float32"],
        default="auto",
        help="TimesNet-Gen's training precision (auto: bfloat16 where the CPU computes it "
        "natively); float32 trains as CPUs without native bfloat16 do",
    )
    demo.set_defaults(func=_cmd_demo)

    hv = sub.add_parser("hvsr", help="f0, A0 and PGA of each record in FILES")
    hv.add_argument("data", nargs="+", metavar="FILES", help="files, directories or globs")
    _add_reading_options(hv)
    hv.add_argument(
        "--n-times",
        type=int,
        default=6000,
        help="samples per record window (default 6000)",
    )
    hv.add_argument("--kernel", default="konno-ohmachi", choices=KERNELS)
    hv.add_argument("--peak", default="interior", choices=["interior", "argmax"])
    hv.set_defaults(func=_cmd_hvsr)

    fit = sub.add_parser("fit", help="train a generator on records and save it")
    fit.add_argument("data", nargs="+", metavar="DATA", help="files, directories or globs")
    fit.add_argument("--model", required=True, help="model file to write")
    fit.add_argument("--generator", choices=sorted(_GENERATORS), default="timesnet")
    fit.add_argument(
        "--sampler",
        choices=_SAMPLERS,
        help="how timesnet and stochastic generators draw records (default: the "
        "generator's); evolutionary with stochastic keeps the records (source=records)",
    )
    fit.add_argument(
        "--param",
        action="append",
        metavar="KEY=VALUE",
        help="a constructor parameter, e.g. --param epochs=20 (repeatable)",
    )
    _add_reading_options(fit)
    fit.add_argument(
        "--scenarios",
        metavar="CSV",
        help="each record's event: a CSV with columns file,magnitude,distance (km), "
        "one row per record (see docs/scenario.rst)",
    )
    fit.set_defaults(func=_cmd_fit)

    add = sub.add_parser("add-stations", help="register new stations with frozen weights")
    add.add_argument("data", nargs="+", metavar="DATA", help="files, directories or globs")
    add.add_argument("--model", required=True)
    add.add_argument("--out", help="model file to write (default: overwrite --model)")
    _add_reading_options(add)
    add.add_argument(
        "--scenarios",
        metavar="CSV",
        help="each record's event: a CSV with columns file,magnitude,distance (km), "
        "one row per record (see docs/scenario.rst)",
    )
    add.set_defaults(func=_cmd_add_stations)

    sample = sub.add_parser("sample", help="generate records for a station")
    sample.add_argument("--model", required=True)
    sample.add_argument("--station", required=True)
    sample.add_argument("-n", type=int, default=1, help="number of records")
    sample.add_argument(
        "--out",
        required=True,
        help="output file: .mseed, .h5 (ASDF) or .npz; .sac writes one file per "
        "record and component, OUT-stem.N.CHANNEL.sac; with --format seisbench "
        "a folder of waveforms.hdf5 and metadata.csv",
    )
    sample.add_argument(
        "--format",
        choices=_SAMPLE_FORMATS,
        help="container of --out (default: told by its suffix); asdf and seisbench keep "
        "the generator's provenance and the scenario (see docs/data.rst)",
    )
    sample.add_argument("--seed", type=int, default=None)
    sample.add_argument(
        "--sampler", choices=_SAMPLERS, help="draw with this sampler instead of the model's"
    )
    sample.add_argument(
        "--magnitude", type=float, help="scenario moment magnitude (with --distance)"
    )
    sample.add_argument(
        "--distance", type=float, help="scenario hypocentral distance in km (with --magnitude)"
    )
    sample.set_defaults(func=_cmd_sample)

    score = sub.add_parser(
        "score", help="HVSR alignment and intensity measures of generated vs real records"
    )
    score.add_argument("data", nargs="+", metavar="DATA")
    score.add_argument("--model", required=True)
    score.add_argument(
        "--metric", default="alignment", help="a metric name of skgen.scoring.get_scorer_names()"
    )
    score.add_argument(
        "--report", metavar="DIR", help="write report.html, its figures and metrics.json"
    )
    score.add_argument("--seed", type=int, default=0)
    _add_reading_options(score)
    score.set_defaults(func=_cmd_score)
    return parser


def main(argv=None):
    """Run the ``skgen`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError, TypeError, ImportError) as exc:
        if os.environ.get("SKGEN_DEBUG"):
            raise
        # One line: some messages carry a library's multi-line details.
        message = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"skgen: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("skgen: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
