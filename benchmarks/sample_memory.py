"""Peak memory of ``skgen sample`` against the number of records.

Fits a tiny TimesNet-Gen on synthetic 60 s records (6000 samples at 100 Hz),
then runs ``skgen sample -n N --out gen.mseed`` in a fresh interpreter for
each ``N`` and prints its peak resident memory. Records are generated and
written ``SAMPLE_CHUNK`` (1000) at a time, so the peak should not grow with
``N``; the arrays of all ``N`` records alone would take ``N * 72`` kB.

Usage::

    python benchmarks/sample_memory.py --n 1000 4000
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from skgen import TimesNetGenerator, make_strong_motion

CHILD = """
import resource, sys
from skgen.cli import main
status = main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(status)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 4000])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="skgen-sample-memory-"))
    data = make_strong_motion(n_stations=1, records_per_station=4, n_times=6000, random_state=0)
    model = folder / "tiny.skgen"
    TimesNetGenerator(
        n_times=6000, d_model=4, d_ff=4, num_kernels=1, epochs=1, noise_epochs=0, random_state=0
    ).fit(data.X, data.stations).save(model)
    env = dict(os.environ, OMP_NUM_THREADS="1")
    print(f"{'n':>8} {'peak RSS (MB)':>14} {'all records (MB)':>17} {'file (MB)':>10}")
    for n in args.n:
        out = folder / f"gen{n}.mseed"
        argv = ["sample", "--model", str(model), "--station", str(data.stations[0])]
        argv += ["-n", str(n), "--seed", "0", "--out", str(out)]
        result = subprocess.run(
            [sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, env=env
        )
        if result.returncode != 0:
            raise SystemExit(result.stderr)
        peak_kb = int(result.stdout.strip().splitlines()[-1])
        print(
            f"{n:>8} {peak_kb / 1024:>14.0f} {n * 3 * 6000 * 4 / 2**20:>17.0f} "
            f"{out.stat().st_size / 2**20:>10.0f}"
        )
        out.unlink()


if __name__ == "__main__":
    main()
