"""Time skgen's batched HVSR + f0 pick against per-spectrum obspy smoothing.

skgen: ``hvsr`` (spectra, Konno-Ohmachi smoothing of H and V at 303 centres
over 1-20 Hz, ratio) and ``peak_frequency`` on ``--n-records`` records of
3 x 6000 samples at 100 Hz. obspy: ``konno_ohmachi_smoothing`` (its 1-D path)
on a handful of the same spectra, extrapolated to 2 spectra (H and V) per
record. obspy smooths at every FFT frequency (its API has no centre grid), so
a second reference applies obspy's window function at skgen's centres only.

Usage::

    python benchmarks/bench_hvsr.py --n-records 1000
"""

import argparse
import os
import time

import numpy as np
from obspy.signal.konnoohmachismoothing import (
    konno_ohmachi_smoothing,
    konno_ohmachi_smoothing_window,
)

from skgen.signal import amplitude_spectrum, hvsr, peak_frequency

FS = 100.0
N_TIMES = 6000


def _best_of(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-records", type=int, default=1000)
    parser.add_argument(
        "--n-obspy-spectra",
        type=int,
        default=2,
        help="spectra smoothed by obspy to estimate its per-spectrum cost",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    X = rng.standard_normal((args.n_records, 3, N_TIMES)).astype(np.float32)
    print(f"{args.n_records} records of 3 x {N_TIMES} at {FS:g} Hz, {os.cpu_count()} CPUs visible")

    start = time.perf_counter()
    centers, _ = hvsr(X[:1], FS)
    print(
        f"first call (builds and caches the {centers.size}-centre weight matrix): "
        f"{time.perf_counter() - start:.3f} s"
    )

    def skgen_pipeline():
        centers, curves = hvsr(X, FS)
        return peak_frequency(centers, curves)

    skgen_seconds, (f0, _) = _best_of(skgen_pipeline, args.repeat)
    skgen_per_record = skgen_seconds / args.n_records
    print(
        f"skgen hvsr + peak_frequency: {skgen_seconds:.3f} s "
        f"({1e3 * skgen_per_record:.3f} ms per record, best of {args.repeat}); "
        f"{np.isnan(f0).sum()} records without an interior peak"
    )

    # obspy on H and V spectra of the first records, float64 as obspy expects.
    n_obspy_records = max(1, args.n_obspy_spectra // 2)
    freqs, amplitudes = amplitude_spectrum(X[:n_obspy_records].astype(np.float64), FS)
    horizontal = np.sqrt(amplitudes[:, 0] * amplitudes[:, 1])
    spectra = np.concatenate([horizontal, amplitudes[:, 2]])[: args.n_obspy_spectra]

    start = time.perf_counter()
    for spectrum in spectra:
        konno_ohmachi_smoothing(spectrum, freqs, bandwidth=40.0, normalize=True)
    obspy_per_spectrum = (time.perf_counter() - start) / len(spectra)
    obspy_per_record = 2 * obspy_per_spectrum
    print(
        f"obspy konno_ohmachi_smoothing at all {freqs.size} frequencies: "
        f"{obspy_per_spectrum:.3f} s per spectrum, {obspy_per_record:.3f} s per record "
        f"(extrapolated to {args.n_records} records: {obspy_per_record * args.n_records:.0f} s)"
    )

    start = time.perf_counter()
    for spectrum in spectra:
        for center in centers:
            window = konno_ohmachi_smoothing_window(freqs, center, 40.0, normalize=True)
            (window * spectrum).sum()
    obspy_centres_per_record = 2 * (time.perf_counter() - start) / len(spectra)
    print(
        f"obspy window at skgen's {centers.size} centres: "
        f"{obspy_centres_per_record:.4f} s per record"
    )

    print(f"speed-up vs obspy konno_ohmachi_smoothing: {obspy_per_record / skgen_per_record:.0f}x")
    print(
        f"speed-up vs obspy window at the same centres: "
        f"{obspy_centres_per_record / skgen_per_record:.0f}x"
    )


if __name__ == "__main__":
    main()
