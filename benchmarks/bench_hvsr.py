"""Time skgen's batched HVSR against obspy and pykooh Konno-Ohmachi smoothing, fairly.

skgen: ``hvsr`` (spectra, Konno-Ohmachi smoothing of H and V at the 303
default centres over 1-20 Hz, ratio) and ``peak_frequency`` on
``--n-records`` records of 3 x 6000 samples at 100 Hz, float32.

Every reference pipeline computes the same spectra with
``skgen.signal.amplitude_spectrum`` (timed once and added to each), smooths H
and V its own way, takes the ratio and picks f0 with ``peak_frequency``:

1. obspy as a user calls it on a batch: ``konno_ohmachi_smoothing`` on the
   2-D array of spectra with ``enforce_no_matrix=True`` (the matrix path
   of obspy <= 1.4 is wrong, obspy issue 2276; it would also need a 9001 x
   9001 matrix), which loops in Python over frequencies and spectra. obspy
   smooths at every FFT frequency, 9001 of them, 30 times the work of 303
   centres: this ratio is about the grid and that loop, not the algorithm.
   It runs on ``--n-obspy`` records and its time is scaled per record.
2. obspy's window function at skgen's 303 centres, windows built on every
   call and applied with one matrix product.
3. The same with the windows built once and reused (what skgen's cache
   does): the remaining ratio is skgen's float32 spectra and fused blocks.
4. pykooh (MIT, numba), if installed (``pip install pykooh``): its
   ``CachedSmoother`` at the 303 centres, built once and called once per
   spectrum (its API), and its ``smooth`` function at the same centres.

Outputs are checked equal where the grids are equal: obspy's values at FFT
frequencies against skgen's smoothing with those frequencies as centres,
and every 303-centre reference against skgen's HVSR curves.

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
from threadpoolctl import threadpool_limits

from skgen.signal import amplitude_spectrum, hvsr, konno_ohmachi_smooth, peak_frequency

try:
    import pykooh
except ImportError:
    pykooh = None

FS = 100.0
N_TIMES = 6000
BANDWIDTH = 40.0


def best_of(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def horizontal_and_vertical(X):
    """Spectra as skgen's hvsr computes them: float32, H = sqrt(|E| |N|), V = |U|."""
    freqs, amplitudes = amplitude_spectrum(X, FS)
    horizontal = np.sqrt(amplitudes[:, 0]) * np.sqrt(amplitudes[:, 1])
    return freqs, horizontal, amplitudes[:, 2]


def obspy_windows(freqs, centers):
    """obspy's normalised Konno-Ohmachi window at each centre, shape (n_freqs, n_centers)."""
    return np.stack(
        [konno_ohmachi_smoothing_window(freqs, c, BANDWIDTH, normalize=True) for c in centers],
        axis=1,
    )


def ratio_and_peak(centers, smoothed_h, smoothed_v):
    curves = (smoothed_h / smoothed_v).astype(np.float32)
    return curves, peak_frequency(centers, curves)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-records", type=int, default=1000)
    parser.add_argument("--n-obspy", type=int, default=4, help="records smoothed by obspy")
    parser.add_argument("--n-pykooh", type=int, default=50, help="records for pykooh.smooth")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="BLAS threads for every method (threaded BLAS spins badly on a loaded machine)",
    )
    args = parser.parse_args()
    threadpool_limits(args.blas_threads)

    rng = np.random.default_rng(args.seed)
    X = rng.standard_normal((args.n_records, 3, N_TIMES)).astype(np.float32)
    print(f"{args.n_records} records of 3 x {N_TIMES} at {FS:g} Hz")
    print(f"{os.cpu_count()} CPUs visible, {args.blas_threads} BLAS thread(s)")
    centers, _ = hvsr(X[:1], FS)  # builds and caches the weight matrix

    def skgen_pipeline():
        centers, curves = hvsr(X, FS)
        return curves, peak_frequency(centers, curves)

    skgen_seconds, (curves, _) = best_of(skgen_pipeline, args.repeat)
    print(
        f"skgen hvsr + peak_frequency at {centers.size} centres: {skgen_seconds:.3f} s "
        f"({1e3 * skgen_seconds / args.n_records:.3f} ms per record, best of {args.repeat})"
    )
    spectra_seconds, (freqs, horizontal, vertical) = best_of(
        lambda: horizontal_and_vertical(X), args.repeat
    )
    print(f"spectra alone (amplitude_spectrum, shared by every reference): {spectra_seconds:.3f} s")
    results = []

    # 1. obspy on a batch, every FFT frequency.
    n_obspy = min(args.n_obspy, args.n_records)
    batch = np.concatenate([horizontal[:n_obspy], vertical[:n_obspy]]).astype(np.float64)
    start = time.perf_counter()
    smoothed = konno_ohmachi_smoothing(
        batch, freqs, bandwidth=BANDWIDTH, normalize=True, enforce_no_matrix=True
    )
    obspy_seconds = (time.perf_counter() - start) / n_obspy * args.n_records
    same_grid = np.arange(100, 2001, 50)  # FFT frequencies between 0.56 and 11 Hz
    ours = konno_ohmachi_smooth(batch, freqs, freqs[same_grid], bandwidth=BANDWIDTH)
    difference = np.max(np.abs(ours / smoothed[:, same_grid] - 1))
    results.append(
        (
            f"obspy konno_ohmachi_smoothing on a 2-D batch (enforce_no_matrix=True) at all "
            f"{freqs.size} FFT frequencies, timed on {n_obspy} records and scaled",
            obspy_seconds,
            f"equal to skgen's smoothing at {same_grid.size} shared frequencies within "
            f"{difference:.1e} (relative)",
            "skgen smooths at 303 centres instead of 9001 frequencies (30 times less work) "
            "and obspy's 2-D path loops in Python over frequencies and spectra: this ratio "
            "measures the grid and that loop, not a faster algorithm",
        )
    )

    # 2. and 3. obspy's windows at skgen's centres, built per call or once.
    def obspy_centres(windows=None):
        weights = obspy_windows(freqs, centers) if windows is None else windows
        return ratio_and_peak(centers, horizontal @ weights, vertical @ weights)

    seconds, (obspy_curves, _) = best_of(obspy_centres, args.repeat)
    difference = np.max(np.abs(obspy_curves / curves - 1))
    results.append(
        (
            f"obspy's window at skgen's {centers.size} centres, built on every call",
            spectra_seconds + seconds,
            f"HVSR curves equal to skgen's within {difference:.1e} (relative)",
            "the same grid; the gain is skgen's cached weight matrix",
        )
    )
    windows = obspy_windows(freqs, centers).astype(np.float32)
    seconds, (obspy_curves, _) = best_of(lambda: obspy_centres(windows), args.repeat)
    difference = np.max(np.abs(obspy_curves / curves - 1))
    results.append(
        (
            f"obspy's window at skgen's {centers.size} centres, built once and reused",
            spectra_seconds + seconds,
            f"HVSR curves equal to skgen's within {difference:.1e} (relative)",
            "the same grid and the same caching: what is left is skgen's fused, blocked spectra",
        )
    )

    # 4. pykooh.
    if pykooh is not None:
        smoother = pykooh.CachedSmoother(freqs.astype(np.float64), centers, BANDWIDTH, True)

        def pykooh_centres():
            # CachedSmoother takes one spectrum per call.
            smoothed_h = np.stack([smoother(spectrum) for spectrum in horizontal])
            smoothed_v = np.stack([smoother(spectrum) for spectrum in vertical])
            return ratio_and_peak(centers, smoothed_h, smoothed_v)

        seconds, (pykooh_curves, _) = best_of(pykooh_centres, args.repeat)
        difference = np.max(np.abs(pykooh_curves / curves - 1))
        results.append(
            (
                f"pykooh CachedSmoother at skgen's {centers.size} centres, built once",
                spectra_seconds + seconds,
                f"HVSR curves equal to skgen's within {difference:.1e} (relative)",
                "the same grid and caching, one spectrum per call, in float64",
            )
        )

        n_pykooh = min(args.n_pykooh, args.n_records)
        freqs64 = freqs.astype(np.float64)

        def pykooh_smooth():
            # pykooh.smooth (numba) computes the windows on every call.
            smoothed_h, smoothed_v = (
                np.stack([pykooh.smooth(centers, freqs64, s, BANDWIDTH) for s in spectra])
                for spectra in (horizontal[:n_pykooh], vertical[:n_pykooh])
            )
            return ratio_and_peak(centers, smoothed_h, smoothed_v)

        pykooh.smooth(centers, freqs64, horizontal[0], BANDWIDTH)  # compiles
        start = time.perf_counter()
        pykooh_curves, _ = pykooh_smooth()
        seconds = (time.perf_counter() - start) / n_pykooh * args.n_records
        difference = np.max(np.abs(pykooh_curves / curves[:n_pykooh] - 1))
        results.append(
            (
                f"pykooh.smooth (numba) at skgen's {centers.size} centres, timed on "
                f"{n_pykooh} records and scaled",
                spectra_seconds + seconds,
                f"HVSR curves equal to skgen's within {difference:.1e} (relative)",
                "the same grid, windows computed on every call, one spectrum per call",
            )
        )
    else:
        print("pykooh is not installed (pip install pykooh): skipped")

    print()
    for what, seconds, check, meaning in results:
        print(f"vs {what}: {seconds:.2f} s for {args.n_records} records")
        print(f"   -> skgen is {seconds / skgen_seconds:.1f}x faster; {check}; {meaning}.")


if __name__ == "__main__":
    main()
