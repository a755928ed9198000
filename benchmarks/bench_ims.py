"""Accuracy and speed of skgen's response spectra against upsampling, eqsig and pyrotd.

Accuracy, on real records at 100 Hz (60 s windows, Tukey-tapered): the truth
is the exact solution for the record upsampled tenfold with
``scipy.signal.resample_poly`` (band-limited interpolation), linear between
the upsampled samples, peak over the upsampled samples. Compared with it:

- skgen ``response_spectrum``;
- the textbook recursion on the record's own samples (Nigam and Jennings
  1969), as eqsig computes it (``eqsig.sdof.pseudo_response_spectra``; eqsig
  reports the PGA for periods below 6 dt);
- pyrotd's frequency-domain solution (``calc_spec_accels``, its default
  ``max_freq_ratio=5``) on the record zero-padded by 200 s (pyrotd's FFT is
  circular).

Speed: response spectra of ``--n-records`` simulated three-component records
(``skgen.datasets.make_strong_motion``, 6000 samples at 100 Hz) at
``--n-periods`` periods from 3 dt to 10 s. skgen runs on all of them; the
references (tenfold upsampling, eqsig, pyrotd) run on the first
``--n-reference`` records in the same process and their time is scaled per
record. eqsig and pyrotd are optional: ``pip install eqsig pyrotd`` (pyrotd
0.6 also needs ``setuptools<81`` for ``pkg_resources``).

Usage::

    python benchmarks/bench_ims.py --n-records 1000
"""

import argparse
import glob
import os
import time
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import scipy.linalg
import scipy.signal
from threadpoolctl import threadpool_limits

from skgen.datasets import make_strong_motion
from skgen.signal import response_spectrum

FS = 100.0
N_TIMES = 6000
DAMPING = 0.05
UPSAMPLING = 10
REPO = Path(__file__).resolve().parents[1]

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import eqsig.sdof
except ImportError:
    eqsig = None
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pyrotd
except ImportError:
    pyrotd = None


def first_order_hold_psa(X, fs, periods, damping=DAMPING):
    """PSA of X (n_traces, n_times): exact for X linear between samples, peak at samples."""
    dt = 1.0 / fs
    psa = np.empty((X.shape[0], periods.size))
    ahead = np.pad(X[:, 1:], ((0, 0), (0, 1)))
    for k, period in enumerate(periods):
        omega = 2 * np.pi / period
        augmented = np.zeros((4, 4))
        augmented[:2, :2] = [[0.0, dt], [-(omega**2) * dt, -2 * damping * omega * dt]]
        augmented[1, 2] = -dt
        augmented[2, 3] = 1.0
        step = scipy.linalg.expm(augmented)
        hold_next = step[:2, 3:]
        hold_now = step[:2, 2:3] - hold_next
        observe = np.array([[1.0, 0.0]])
        now, denominator = scipy.signal.ss2tf(step[:2, :2], hold_now, observe, [[0.0]])
        nxt, _ = scipy.signal.ss2tf(step[:2, :2], hold_next, observe, [[0.0]])
        displacement = scipy.signal.lfilter(now[0], denominator, X, axis=-1)
        displacement += scipy.signal.lfilter(nxt[0], denominator, ahead, axis=-1)
        psa[:, k] = omega**2 * np.abs(displacement).max(axis=-1)
    return psa


def upsampled_psa(X, fs, periods):
    """The straightforward truth: tenfold band-limited upsampling, then the exact recursion."""
    return first_order_hold_psa(
        scipy.signal.resample_poly(X, UPSAMPLING, 1, axis=-1), UPSAMPLING * fs, periods
    )


def eqsig_psa(X, fs, periods):
    return np.stack([eqsig.sdof.pseudo_response_spectra(x, 1 / fs, periods, DAMPING)[2] for x in X])


def pyrotd_psa(X, fs, periods):
    padded = np.pad(X, ((0, 0), (0, int(200 * fs))))
    return np.stack(
        [pyrotd.calc_spec_accels(1 / fs, x, 1 / periods, DAMPING).spec_accel for x in padded]
    )


def real_windows(directory):
    """60 s Tukey-tapered windows of every real record, resampled to 100 Hz."""
    import obspy

    windows = []
    # Records in m/s^2 only (the raw-counts copy of CE.68150 is skipped).
    paths = [path for path in sorted(glob.glob(str(directory / "*.mseed"))) if "counts" not in path]
    for path in paths:
        stream = obspy.read(path)
        traces = [stream.select(channel=f"??{c}")[0] for c in "ENZ"]
        ratio = Fraction(FS / traces[0].stats.sampling_rate).limit_denominator(100)
        n_times = min(len(trace.data) for trace in traces)
        record = np.stack([trace.data[:n_times].astype(np.float64) for trace in traces])
        record -= record.mean(axis=-1, keepdims=True)
        record = scipy.signal.resample_poly(record, ratio.numerator, ratio.denominator, axis=-1)
        for start in range(0, record.shape[-1] - N_TIMES + 1, 1500):
            window = record[:, start : start + N_TIMES]
            windows.append(window * scipy.signal.windows.tukey(N_TIMES, 0.05))
    return np.concatenate(windows), len(paths)


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def relative_error(values, truth):
    return 100 * (values / truth - 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-records", type=int, default=1000)
    parser.add_argument("--n-periods", type=int, default=100)
    parser.add_argument("--n-reference", type=int, default=100)
    parser.add_argument("--n-pyrotd", type=int, default=5)
    parser.add_argument("--real-dir", type=Path, default=REPO / "tests" / "data")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="BLAS threads for every method (threaded BLAS spins badly on a loaded machine)",
    )
    args = parser.parse_args()
    threadpool_limits(args.blas_threads)

    periods = np.geomspace(3 / FS, 10.0, args.n_periods)
    print(f"{args.n_periods} periods from {periods[0]:g} to {periods[-1]:g} s, damping {DAMPING}")
    print(f"{os.cpu_count()} CPUs visible, {args.blas_threads} BLAS thread(s)")
    print(f"eqsig installed: {eqsig is not None}, pyrotd installed: {pyrotd is not None}")

    # ------------------------------------------------------------ accuracy
    directory = args.real_dir
    traces, n_files = real_windows(directory)
    print(
        f"\naccuracy on {traces.shape[0]} traces ({traces.shape[0] // 3} windows of 60 s "
        f"from {n_files} real records in {directory}) against the {UPSAMPLING}x upsampled "
        "exact solution"
    )
    truth = upsampled_psa(traces, FS, periods)
    errors = {"skgen": relative_error(response_spectrum(traces, FS, periods), truth)}
    errors["textbook"] = relative_error(first_order_hold_psa(traces, FS, periods), truth)
    if eqsig is not None:
        errors["eqsig"] = relative_error(eqsig_psa(traces, FS, periods), truth)
    if pyrotd is not None:
        errors["pyrotd"] = relative_error(pyrotd_psa(traces, FS, periods), truth)
    header = f"{'T (s)':>7} {'skgen max':>10} {'skgen mean':>11}"
    header += "".join(f" {name + ' max':>13}" for name in errors if name != "skgen")
    print("error in % (max = largest |error| over the traces, mean = signed mean)")
    print(header)
    rows = list(range(0, periods.size, max(1, periods.size // 20)))
    for k in rows:
        line = f"{periods[k]:7.3f} {np.abs(errors['skgen'][:, k]).max():10.2f}"
        line += f" {errors['skgen'][:, k].mean():11.2f}"
        line += "".join(
            f" {np.abs(error[:, k]).max():13.2f}"
            for name, error in errors.items()
            if name != "skgen"
        )
        print(line)
    line = f"{'all T':>7} {np.abs(errors['skgen']).max():10.2f} {errors['skgen'].mean():11.2f}"
    line += "".join(
        f" {np.abs(error).max():13.2f}" for name, error in errors.items() if name != "skgen"
    )
    print(line + "   (max over all periods)")
    largest = np.abs(errors["skgen"]).max(axis=0)
    print(f"skgen's largest error: {largest.max():.2f} % at T = {periods[largest.argmax()]:.3f} s")

    # ------------------------------------------------------------ speed
    X = make_strong_motion(
        n_stations=10,
        records_per_station=-(-args.n_records // 10),
        n_times=N_TIMES,
        fs=FS,
        random_state=args.seed,
    ).X
    X = X[: args.n_records].astype(np.float64)
    n_traces = X.shape[0] * X.shape[1]
    print(f"\nspeed: {X.shape[0]} records x 3 x {N_TIMES} samples, {periods.size} periods")
    response_spectrum(X[:1], FS, periods)  # builds and caches the filters
    skgen_seconds, psa = timed(response_spectrum, X, FS, periods)
    per_trace = skgen_seconds / n_traces
    print(f"skgen response_spectrum: {skgen_seconds:.1f} s ({1e3 * per_trace:.2f} ms per trace)")

    reference = X[: args.n_reference].reshape(-1, N_TIMES)
    upsampled_seconds, truth = timed(upsampled_psa, reference, FS, periods)
    upsampled_per_trace = upsampled_seconds / reference.shape[0]
    check = np.abs(relative_error(psa.reshape(-1, periods.size)[: reference.shape[0]], truth))
    print(
        f"{UPSAMPLING}x upsampled exact solution: {upsampled_seconds:.1f} s on "
        f"{reference.shape[0]} traces ({1e3 * upsampled_per_trace:.2f} ms per trace, "
        f"{upsampled_per_trace * n_traces:.0f} s scaled to {n_traces}); skgen's largest "
        f"difference from it on these records: {check.max():.2f} %"
    )
    print(
        f"speed-up vs the {UPSAMPLING}x upsampled solution (same accuracy target, both "
        f"vectorised over traces): {upsampled_per_trace / per_trace:.1f}x"
    )
    if eqsig is not None:
        eqsig_seconds, _ = timed(eqsig_psa, reference, FS, periods)
        eqsig_per_trace = eqsig_seconds / reference.shape[0]
        print(
            f"speed-up vs eqsig pseudo_response_spectra (textbook recursion at the samples, "
            f"one trace at a time, {1e3 * eqsig_per_trace:.2f} ms per trace): "
            f"{eqsig_per_trace / per_trace:.1f}x"
        )
    if pyrotd is not None:
        subset = reference[: args.n_pyrotd]
        pyrotd_seconds, _ = timed(pyrotd_psa, subset, FS, periods)
        pyrotd_per_trace = pyrotd_seconds / subset.shape[0]
        print(
            f"speed-up vs pyrotd calc_spec_accels (frequency domain, 200 s padding, one "
            f"trace at a time, {1e3 * pyrotd_per_trace:.0f} ms per trace on "
            f"{subset.shape[0]} traces): {pyrotd_per_trace / per_trace:.0f}x"
        )


if __name__ == "__main__":
    main()
