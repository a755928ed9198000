"""Throughput of SpectrogramCVAEGenerator: training and sampling.

Measures, in one run on 100 Hz / 6000-sample 3-component records:

- training throughput (records per second per epoch) of the default
  configuration, from two fits that differ only in ``epochs`` so the fixed
  cost (normalisation pass, bank encoding) cancels;
- sampling throughput (records per second) at 0, 32 and 128 Griffin-Lim
  iterations; 0 iterations is the decoder alone, so the ratios show how much
  of the cost phase retrieval takes;
- Griffin-Lim convergence on the STFT magnitudes of recorded-like signals:
  spectral convergence ``|| |STFT(x)| - S || / ||S||`` after 8 to 256
  iterations of the fast algorithm (momentum 0.99, skgen's) and of the
  original one (momentum 0, the reference), and the iterations the original
  needs to reach what the fast one reaches at the default 32: an iteration
  costs the same in both, so that count over 32 is the speed-up.

Usage::

    python benchmarks/bench_cvae.py [--threads N] [--epochs E] [--n-samples S]
"""

import argparse
import os
import time

import numpy as np
import torch
from sklearn.base import clone

from skgen import SpectrogramCVAEGenerator
from skgen.datasets import make_strong_motion
from skgen.nn import cpu_has_native_bfloat16
from skgen.nn.griffin_lim import griffin_lim, spectral_convergence, stft

# Griffin-Lim iteration counts of the convergence table.
ITERATIONS = (8, 16, 32, 64, 128, 256)


def demo_data(seed=0):
    """The demo data set: 8 stations x 20 records."""
    data = make_strong_motion(n_stations=8, records_per_station=20, random_state=seed)
    return data.X, data.stations, "skgen.datasets.make_strong_motion"


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--threads", type=int, default=None, help="torch threads (default: torch's choice)"
    )
    parser.add_argument("--epochs", type=int, default=3, help="epochs of the timed training run")
    parser.add_argument(
        "--n-samples", type=int, default=64, help="records generated per sampling measurement"
    )
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    X, stations, source = demo_data()
    n_records = len(X)
    print(f"data: {source}, X {X.shape}, {len(set(stations))} stations")
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), native bfloat16: "
        f"{cpu_has_native_bfloat16()}, load average "
        f"{' '.join(f'{load:.2f}' for load in os.getloadavg())}"
    )

    base = SpectrogramCVAEGenerator(random_state=0)
    fixed_time, _ = timed(lambda: clone(base).set_params(epochs=0).fit(X, stations))
    fit_time, model = timed(lambda: clone(base).set_params(epochs=args.epochs).fit(X, stations))
    n_params = sum(p.numel() for p in model.module_.parameters())
    train_rate = args.epochs * n_records / (fit_time - fixed_time)
    default_epochs = base.get_params()["epochs"]
    print(
        f"\nnetwork: channels {base.channels}, latent_dim {base.latent_dim}, "
        f"{n_params:,} parameters"
    )
    print(f"fit fixed cost (epochs=0): {fixed_time:.2f} s")
    print(
        f"fit epochs={args.epochs}: {fit_time:.2f} s -> training throughput "
        f"{train_rate:.1f} records/s"
    )
    print(
        f"estimated default fit ({default_epochs} epochs x {n_records} records): "
        f"{fixed_time + default_epochs * n_records / train_rate:.0f} s"
    )

    station = model.stations_[0]
    print(f"\nsampling {args.n_samples} records of one station:")
    rates = {}
    for n_iter in (0, 32, 128):
        model.set_params(griffin_lim_iters=n_iter)
        model.sample(station, 2, random_state=0)  # warm-up
        elapsed, _ = timed(lambda: model.sample(station, args.n_samples, random_state=0))
        rates[n_iter] = args.n_samples / elapsed
        print(
            f"  griffin_lim_iters={n_iter:>3}: {elapsed:6.2f} s -> {rates[n_iter]:8.1f} records/s"
        )
    print(f"  cost ratio 128 / 32 iterations: {rates[32] / rates[128]:.2f}x")
    print(f"  decoder share at 32 iterations: {rates[32] / rates[0]:.1%}")
    griffin_lim_convergence(X[:8], base.n_fft, base.hop_length)


def griffin_lim_convergence(X, n_fft, hop_length):
    """Spectral convergence vs iterations, fast (momentum 0.99) vs original (0)."""
    x = torch.from_numpy(X)
    magnitude = stft(x, n_fft, hop_length).abs()
    print(f"\nGriffin-Lim spectral convergence on {len(X)} records x 3 channels:")
    errors = {}
    for momentum in (0.99, 0.0):
        errors[momentum] = [
            float(
                spectral_convergence(
                    magnitude,
                    stft(
                        griffin_lim(
                            magnitude,
                            n_fft,
                            hop_length,
                            n_iter=n_iter,
                            length=x.shape[-1],
                            momentum=momentum,
                            generator=torch.Generator().manual_seed(0),
                        ),
                        n_fft,
                        hop_length,
                    ).abs(),
                )
            )
            for n_iter in ITERATIONS
        ]
        row = "  ".join(f"{n}: {e:.3f}" for n, e in zip(ITERATIONS, errors[momentum]))
        print(f"  momentum {momentum:<4}: {row}")
    fast = errors[0.99][ITERATIONS.index(32)]
    # Iterations of the original algorithm to reach the fast one's error at
    # 32, interpolated in log(iterations) between the measured counts.
    original = errors[0.0]
    if original[-1] > fast:
        print(f"  the original algorithm stays above {fast:.3f} up to {ITERATIONS[-1]} iterations")
        return
    needed = np.exp(np.interp(-fast, [-e for e in original], np.log(ITERATIONS)))
    print(
        f"  the original algorithm needs ~{needed:.0f} iterations for the fast one's "
        f"{fast:.3f} at 32: {needed / 32:.1f}x the iterations (and the time)"
    )


if __name__ == "__main__":
    main()
