"""Wall time of ``skgen demo``, as a user runs it, in each precision.

Runs ``skgen demo`` (through :func:`skgen.cli.main`, in this process) once
per ``--precision`` into a temporary folder and prints its wall time and the
machine. ``--precision float32`` trains TimesNet-Gen as CPUs without native
bfloat16 do, also on a CPU that has it; ``auto`` is what this CPU does by
default. The target: under 5 minutes (``--quick``: under 1) on 2 cores.

    python benchmarks/bench_demo.py --precision auto float32
    python benchmarks/bench_demo.py --quick
"""

import argparse
import contextlib
import io
import tempfile
import time

from _common import machine

from skgen.cli import main as skgen


def run(quick, precision):
    """Seconds of one ``skgen demo`` run (its output is kept quiet)."""
    argv = ["demo", "--precision", precision] + (["--quick"] if quick else [])
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            status = skgen(argv + ["--out", out])
        seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"skgen {' '.join(argv)} failed with status {status}")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="time skgen demo --quick")
    parser.add_argument(
        "--precision", nargs="+", choices=["auto", "float32"], default=["auto", "float32"]
    )
    args = parser.parse_args()
    print(machine())
    for precision in args.precision:
        seconds = run(args.quick, precision)
        minutes, rest = divmod(seconds, 60)
        print(
            f"skgen demo{' --quick' if args.quick else ''} --precision {precision}: "
            f"{seconds:.0f} s ({minutes:.0f} min {rest:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
