"""Memory and throughput of sampling and HVSR at scale, streamed in batches.

Two streams of ``--n-records`` records of 3 x 6000 samples at 100 Hz:

1. sampling: a :class:`skgen.TimesNetGenerator` (default network, trained
   for one epoch on a small ``make_strong_motion`` set: only the bank and
   the sampler matter here) generates ``--batch`` records per call, round
   robin over its stations; each batch is reduced to its PGA and dropped.
   The same stream with the published sampling
   (``MixingSampler.paper()``: no alignment, no restoring) on the
   same bank is the reference: the cost ratios of the default sampler
   (``EvolutionarySampler``) and of ``MixingSampler()`` to it are printed;
2. HVSR: records generated per chunk of ``--chunk`` go through
   :func:`skgen.signal.hvsr` and :func:`skgen.signal.peak_frequency`; only
   the f0 values are kept.

The resident set size (RSS, from ``/proc/self/status``; ``resource`` gives
the process peak) is read after every batch. If memory does not grow with the
number of batches, the RSS after the last batch matches the RSS after the
first one: the printed growth ratio is about 1.

Usage::

    python benchmarks/bench_scale.py --n-records 100000
"""

import argparse
import copy
import os
import resource
import time

import numpy as np
import torch

from skgen import MixingSampler, TimesNetGenerator
from skgen.datasets import make_strong_motion
from skgen.nn import cpu_has_native_bfloat16
from skgen.signal import hvsr, peak_frequency, pga

FS = 100.0
N_TIMES = 6000


def rss_mb():
    """Current resident set size of this process, in MB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def peak_rss_mb():
    """Peak resident set size of this process so far, in MB (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_stream(name, n_records, batch, step):
    """Call ``step(start, size)`` over ``n_records`` in batches; report memory."""
    rss = []
    start_time = time.perf_counter()
    for start in range(0, n_records, batch):
        step(start, min(batch, n_records - start))
        rss.append(rss_mb())
    elapsed = time.perf_counter() - start_time
    n_batches = len(rss)
    # The first batches allocate the reusable buffers (numpy, BLAS, FFT
    # plans); compare a batch after that warm-up with the last one.
    reference = rss[min(1, n_batches - 1)]
    print(
        f"{name}: {n_records} records in {n_batches} batches of {batch}, "
        f"{elapsed:.1f} s, {n_records / elapsed:,.0f} records/s"
    )
    print(
        f"  RSS after batch 1: {rss[0]:.0f} MB, batch 2: {reference:.0f} MB, "
        f"median: {np.median(rss):.0f} MB, last: {rss[-1]:.0f} MB, "
        f"max: {max(rss):.0f} MB"
    )
    print(
        f"  memory growth ratio (last / batch 2): {rss[-1] / reference:.3f}; "
        f"slope {np.polyfit(np.arange(n_batches), rss, 1)[0] * 100:+.2f} MB per "
        "100 batches"
    )
    print(f"  process peak RSS so far: {peak_rss_mb():.0f} MB")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-records", type=int, default=100_000)
    parser.add_argument(
        "--batch", type=int, default=1000, help="records generated per sample() call (default 1000)"
    )
    parser.add_argument(
        "--chunk", type=int, default=1000, help="records per HVSR chunk (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.n_records < 1 or args.batch < 1 or args.chunk < 1:
        parser.error("--n-records, --batch and --chunk must be >= 1")

    print(
        f"{os.cpu_count()} CPUs visible, torch threads {torch.get_num_threads()}, "
        f"native bfloat16: {cpu_has_native_bfloat16()}, load average "
        f"{' '.join(f'{load:.2f}' for load in os.getloadavg())}"
    )
    data = make_strong_motion(
        n_stations=4, records_per_station=8, n_times=N_TIMES, fs=FS, random_state=args.seed
    )
    start = time.perf_counter()
    generator = TimesNetGenerator(
        n_times=N_TIMES, fs=FS, epochs=1, noise_epochs=0, random_state=args.seed
    ).fit(data.X, data.stations)
    stations = list(generator.stations_)
    print(
        f"trained on {len(data.X)} records of {len(stations)} stations in "
        f"{time.perf_counter() - start:.1f} s; RSS {rss_mb():.0f} MB"
    )

    published = copy.deepcopy(generator).set_params(sampler=MixingSampler.paper())
    mixing = copy.deepcopy(generator).set_params(sampler=MixingSampler())
    seconds = {}
    streams = (("published sampling", published), ("mixing", mixing), ("sampling", generator))
    for name, model in streams:
        pga_max = [0.0]

        def sample_step(start, size, model=model, pga_max=pga_max):
            station = stations[(start // args.batch) % len(stations)]
            X = model.sample(station, size, random_state=args.seed + start)
            pga_max[0] = max(pga_max[0], float(pga(X).max()))

        seconds[name] = run_stream(name, args.n_records, args.batch, sample_step)
        print(f"  largest generated PGA: {pga_max[0]:.3g} m/s^2")
    print(
        "default sampling (EvolutionarySampler) costs "
        f"{seconds['sampling'] / seconds['published sampling']:.2f}x the published sampling, "
        f"MixingSampler() {seconds['mixing'] / seconds['published sampling']:.2f}x"
    )

    f0_found = [0]
    hvsr_seconds = [0.0]

    def hvsr_step(start, size):
        station = stations[(start // args.chunk) % len(stations)]
        X = generator.sample(station, size, random_state=args.seed + start)
        tic = time.perf_counter()
        centers, curves = hvsr(X, FS)
        f0, _ = peak_frequency(centers, curves)
        hvsr_seconds[0] += time.perf_counter() - tic
        f0_found[0] += int(np.isfinite(f0).sum())

    run_stream("sampling + HVSR + f0", args.n_records, args.chunk, hvsr_step)
    print(
        f"  HVSR + f0 alone: {hvsr_seconds[0]:.1f} s, "
        f"{args.n_records / hvsr_seconds[0]:,.0f} records/s"
    )
    print(f"  records with an interior f0 peak: {f0_found[0]} of {args.n_records}")
    print(f"peak RSS of the whole run: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
