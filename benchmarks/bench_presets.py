"""Build time and per-station statistics of every ``make_strong_motion`` preset.

For each region preset: records per second to build the default data set
(8 stations x 20 records of 3 x 6000 samples at 100 Hz), best of
``--repeats`` builds in this process, and its ratio to preset A; then, per
station, the range of horizontal PGA (geometric mean of E and N), of D5-95
(geometric mean of E and N) and the true and recovered f0 (median over the
station's records of the HVSR peak, ``skgen.signal``); and over all records
the median 5 % damped PSA (horizontal geometric mean) at 0.1, 0.5 and 2 s.
The presets draw different sites, so their statistics compare in range, not
record by record.

Usage::

    nice python benchmarks/bench_presets.py --seed 0
"""

import argparse
import time

import numpy as np

from skgen.datasets import REGIONS, make_strong_motion
from skgen.signal import (
    horizontal_geometric_mean,
    hvsr,
    peak_frequency,
    response_spectrum,
    significant_duration,
)

PERIODS = (0.1, 0.5, 2.0)


def build(region, seed, repeats):
    """The default data set of ``region`` and the best build time in s."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        data = make_strong_motion(region=region, random_state=seed)
        times.append(time.perf_counter() - start)
    return data, min(times)


def station_statistics(data):
    """Per-station PGA and D5-95 ranges, true and recovered f0."""
    pga = horizontal_geometric_mean(np.abs(data.X).max(axis=-1), axis=1)
    duration = horizontal_geometric_mean(significant_duration(data.X, data.fs), axis=1)
    centers, curves = hvsr(data.X, data.fs)
    f0, _ = peak_frequency(centers, curves)
    rows = []
    for station in sorted(data.f0):
        mine = data.stations == station
        rows.append(
            (
                station,
                pga[mine].min(),
                pga[mine].max(),
                duration[mine].min(),
                duration[mine].max(),
                data.f0[station],
                np.median(f0[mine]),
            )
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    seconds = {}
    for region in REGIONS:
        data, seconds[region] = build(region, args.seed, args.repeats)
        n = len(data.X)
        print(
            f"\nregion {region}: {n / seconds[region]:.1f} records/s "
            f"({seconds[region]:.2f} s for {n} records; "
            f"{seconds[region] / seconds['A']:.2f}x the time of preset A)"
        )
        psa = response_spectrum(data.X, data.fs, PERIODS)
        median_psa = np.median(horizontal_geometric_mean(psa, axis=1), axis=0)
        print(
            "median PSA (m/s^2) "
            + ", ".join(f"{p:g} s: {v:.3f}" for p, v in zip(PERIODS, median_psa))
        )
        print("station  PGA (m/s^2)        D5-95 (s)      f0 true  f0 HVSR")
        for station, low, high, d_low, d_high, f0, recovered in station_statistics(data):
            print(
                f"{station:8s} {low:7.4f}-{high:7.4f}  {d_low:5.1f}-{d_high:5.1f}  "
                f"{f0:7.2f}  {recovered:7.2f}"
            )


if __name__ == "__main__":
    main()
