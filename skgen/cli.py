"""The ``skgen`` command.

Subcommands: ``demo``, ``hvsr``, ``fit``, ``add-stations``, ``sample``,
``score``. User mistakes (a missing file, an unknown station, an unreadable
format, a bad parameter) end with one line on stderr and exit status 2, not
a traceback (set ``SKGEN_DEBUG=1`` to see one).
"""

import argparse
import ast
import os
import sys

import numpy as np

__all__ = ["main"]

_GENERATORS = {"timesnet": "TimesNetGenerator", "cvae": "SpectrogramCVAEGenerator"}


class UsageError(ValueError):
    """A mistake in the command line itself."""


def _parse_params(pairs, estimator_cls):
    """``["epochs=3", "d_model=8"]`` -> dict, values read as Python literals."""
    allowed = estimator_cls().get_params()
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


def _read(args, n_times):
    from .io import read_records

    return read_records(args.data, fs=args.fs, n_times=n_times, inventory=args.inventory)


def _cmd_hvsr(args):
    from .io import read_records
    from .signal import hvsr, peak_frequency, pga

    X, stations = read_records(
        args.files, fs=args.fs, n_times=args.n_times, inventory=args.inventory
    )
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
    params = _parse_params(args.param, cls)
    params.setdefault("fs", args.fs)
    params.setdefault("verbose", 1)
    n_times = params.get("n_times", cls().n_times)
    if n_times is None:
        raise UsageError(
            "--param n_times=None cannot be used with files: records are read to a "
            "fixed length; give the number of samples, e.g. --param n_times=6000"
        )
    X, stations = _read(args, n_times)
    generator = cls(**params).fit(X, stations)
    # Under torchrun every rank fits the same model; rank 0 writes and reports.
    generator.save(args.model)
    if is_main_process():
        print(
            f"fitted {cls.__name__} on {len(X)} records of {len(generator.stations_)} "
            f"station(s); saved to {args.model}"
        )
    return 0


def _cmd_add_stations(args):
    import skgen

    from ._distributed import is_main_process

    generator = skgen.load(args.model)
    X, stations = _read(args, generator.n_times_)
    generator.add_stations(X, stations)
    out = args.out or args.model
    generator.save(out)
    if is_main_process():
        print(f"registered {len(X)} record(s) of {len(set(stations))} station(s); saved to {out}")
    return 0


def _station_label(generator, text):
    """The bank's label for a station typed on the command line: models
    fitted in Python may use integer labels, the command line gives text."""
    if text not in generator.bank_ and text.lstrip("-").isdigit() and int(text) in generator.bank_:
        return int(text)
    return text


def _cmd_sample(args):
    import skgen

    from .io import to_stream

    out = args.out
    root, ext = os.path.splitext(out)
    ext = ext.lower()
    if ext not in (".mseed", ".sac", ".npz"):
        raise UsageError(f"--out must end in .mseed, .sac or .npz, got {out!r}")
    generator = skgen.load(args.model)
    X = generator.sample(_station_label(generator, args.station), args.n, random_state=args.seed)
    if ext == ".npz":
        np.savez(out, X=X, stations=np.array([str(args.station)] * len(X)), fs=generator.fs)
    else:
        stream = to_stream(X, [str(args.station)] * len(X), generator.fs)
        if ext == ".mseed":
            stream.write(out, format="MSEED")
        else:
            # A SAC file holds one trace: one file per record and component,
            # OUT's stem + record number + channel code.
            width = len(str(len(X)))
            paths = []
            for i, trace in enumerate(stream):
                paths.append(f"{root}.{i // 3 + 1:0{width}d}.{trace.stats.channel}{ext}")
                trace.write(paths[-1], format="SAC")
            out = f"{paths[0]} ... {paths[-1]}"
    print(f"wrote {len(X)} record(s) for station {args.station} to {out}")
    return 0


def _cmd_score(args):
    import skgen

    from .scoring import IM_METRICS

    generator = skgen.load(args.model)
    X, stations = _read(args, generator.n_times_)
    if args.report:
        from ._demo import agg_pyplot, evaluate, figures, save_figures, write_report

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
        scorer_cls = (
            skgen.IntensityMeasureScorer if args.metric in IM_METRICS else skgen.HVSRAlignmentScorer
        )
        scorer = scorer_cls(metric=args.metric, random_state=args.seed)
        print(f"{args.metric}: {scorer(generator, X, stations):.4f}")
    return 0


def _cmd_demo(args):
    from ._demo import run_demo

    run_demo(out=args.out, quick=args.quick, random_state=args.seed)
    return 0


def _add_reading_options(parser):
    parser.add_argument(
        "--fs",
        type=float,
        default=100.0,
        help="sampling rate records are resampled to (Hz, default 100)",
    )
    parser.add_argument("--inventory", help="StationXML file to convert counts to m/s^2")


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
    demo.set_defaults(func=_cmd_demo)

    hv = sub.add_parser("hvsr", help="f0, A0 and PGA of each record in FILES")
    hv.add_argument("files", nargs="+", metavar="FILES")
    _add_reading_options(hv)
    hv.add_argument(
        "--n-times",
        type=int,
        default=6000,
        help="crop or zero-pad records to this many samples (default 6000)",
    )
    hv.add_argument("--kernel", default="konno-ohmachi", choices=["konno-ohmachi", "log-gaussian"])
    hv.add_argument("--peak", default="interior", choices=["interior", "argmax"])
    hv.set_defaults(func=_cmd_hvsr)

    fit = sub.add_parser("fit", help="train a generator on records and save it")
    fit.add_argument("data", nargs="+", metavar="DATA")
    fit.add_argument("--model", required=True, help="model file to write")
    fit.add_argument("--generator", choices=sorted(_GENERATORS), default="timesnet")
    fit.add_argument(
        "--param",
        action="append",
        metavar="KEY=VALUE",
        help="a constructor parameter, e.g. --param epochs=20 (repeatable)",
    )
    _add_reading_options(fit)
    fit.set_defaults(func=_cmd_fit)

    add = sub.add_parser("add-stations", help="register new stations with frozen weights")
    add.add_argument("data", nargs="+", metavar="DATA")
    add.add_argument("--model", required=True)
    add.add_argument("--out", help="model file to write (default: overwrite --model)")
    _add_reading_options(add)
    add.set_defaults(func=_cmd_add_stations)

    sample = sub.add_parser("sample", help="generate records for a station")
    sample.add_argument("--model", required=True)
    sample.add_argument("--station", required=True)
    sample.add_argument("-n", type=int, default=1, help="number of records")
    sample.add_argument(
        "--out",
        required=True,
        help="output file: .mseed or .npz; .sac writes one file per "
        "record and component, OUT-stem.N.CHANNEL.sac",
    )
    sample.add_argument("--seed", type=int, default=None)
    sample.set_defaults(func=_cmd_sample)

    score = sub.add_parser(
        "score", help="HVSR alignment and intensity measures of generated vs real records"
    )
    score.add_argument("data", nargs="+", metavar="DATA")
    score.add_argument("--model", required=True)
    score.add_argument("--metric", default="alignment", help="an HVSR or intensity-measure metric")
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
