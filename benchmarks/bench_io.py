"""Write and read generated-size records in each container, against miniSEED.

Writes ``--n`` records of 3 x 6000 float32 samples (random arrays, one
station, ``--chunk`` records at a time through :class:`skgen.io.RecordWriter`,
as ``skgen sample`` does) to miniSEED, SAC, ASDF and a SeisBench data set,
reads each back with :func:`skgen.io.read_records` (values as stored), checks
the records read equal those written, and prints records/s and the peak
resident memory of each step (above the resident memory at its start,
sampled every 5 ms from ``/proc/self/statm``, so C buffers of libmseed and
HDF5 count), with ratios to miniSEED measured in the same process. Linux
only (``/proc``).

Usage::

    nice python benchmarks/bench_io.py --n 10000
"""

import argparse
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from skgen.io import RecordWriter, read_records

N_TIMES = 6000
FS = 100.0
STATION = "XX.GEN"
CONTAINERS = {"mseed": "gen.mseed", "sac": "sac/gen.sac", "asdf": "gen.h5", "seisbench": "set"}


def chunks(n, size, seed=0):
    """The records to write, regenerated chunk by chunk from one seed."""
    rng = np.random.default_rng(seed)
    for first in range(0, n, size):
        yield rng.normal(size=(min(size, n - first), 3, N_TIMES)).astype(np.float32)


def resident_bytes():
    with open("/proc/self/statm") as file:
        return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measured(step):
    """(seconds, peak resident MB above the start, result) of ``step()``."""
    baseline = resident_bytes()
    peak = [baseline]
    done = threading.Event()

    def sample():
        while not done.wait(0.005):
            peak[0] = max(peak[0], resident_bytes())

    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.perf_counter()
    try:
        result = step()
    finally:
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    peak[0] = max(peak[0], resident_bytes())
    return seconds, (peak[0] - baseline) / 2**20, result


def run(fmt, folder, n, size):
    path = folder / fmt / CONTAINERS[fmt]
    path.parent.mkdir(parents=True)

    def write():
        with RecordWriter(path, FS, format=fmt, n_records=n) as writer:
            for X in chunks(n, size):
                writer.write(X, [STATION] * len(X))

    def read():
        source = path.parent if fmt == "sac" else path
        return read_records(
            source,
            fs=FS,
            n_times=N_TIMES,
            window="start",
            demean=False,
            detrend=False,
            taper=None,
        )

    write_s, write_mb, _ = measured(write)
    read_s, read_mb, (X_read, stations) = measured(read)
    first = 0
    for X in chunks(n, size):
        if not np.array_equal(X_read[first : first + len(X)], X):
            raise SystemExit(f"{fmt}: records read differ from those written")
        first += len(X)
    if first != len(X_read) or set(stations) != {STATION}:
        raise SystemExit(f"{fmt}: {len(X_read)} records read of {n}")
    on_disk = sum(p.stat().st_size for p in (folder / fmt).rglob("*") if p.is_file())
    shutil.rmtree(folder / fmt)
    return {
        "write_s": write_s,
        "write_mb": write_mb,
        "read_s": read_s,
        "read_mb": read_mb,
        "disk_mb": on_disk / 2**20,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="records (default 10000)")
    parser.add_argument("--chunk", type=int, default=1000, help="records per write (1000)")
    parser.add_argument("--formats", nargs="+", default=list(CONTAINERS), choices=CONTAINERS)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="skgen-bench-io-"))
    # miniSEED first: the reference of the ratios. A run of one other container
    # alone (--formats asdf) measures its memory in a fresh process: memory freed
    # by an earlier step stays with the process and hides a later step's peak.
    formats = sorted(args.formats, key=lambda f: f != "mseed")
    results = {}
    for fmt in formats:
        results[fmt] = run(fmt, folder, args.n, args.chunk)
        print(f"{fmt}: {results[fmt]}", flush=True)
    shutil.rmtree(folder)
    reference = results.get("mseed", {"write_s": np.nan, "read_s": np.nan})
    print(
        f"\n{args.n} records of 3 x {N_TIMES} float32, {args.chunk} per write; "
        "ratios to miniSEED (same process; nan without it)"
    )
    header = (
        "container",
        "write rec/s",
        "x mseed",
        "write MB",
        "read rec/s",
        "x mseed",
        "read MB",
        "disk MB",
    )
    print("{:<10} {:>11} {:>7} {:>9} {:>10} {:>7} {:>8} {:>8}".format(*header))
    for fmt, r in results.items():
        print(
            f"{fmt:<10} {args.n / r['write_s']:>11.0f} "
            f"{reference['write_s'] / r['write_s']:>7.2f} {r['write_mb']:>9.0f} "
            f"{args.n / r['read_s']:>10.0f} {reference['read_s'] / r['read_s']:>7.2f} "
            f"{r['read_mb']:>8.0f} {r['disk_mb']:>8.0f}"
        )


if __name__ == "__main__":
    main()
