"""Throughput of SpectrogramCVAEGenerator: training and sampling.

Measures, in one run on 100 Hz / 6000-sample 3-component records:

- training throughput (records per second per epoch) of the default
  configuration, from two fits that differ only in ``epochs`` so the fixed
  cost (normalisation pass, bank encoding) cancels;
- sampling throughput (records per second) at 0, 32 and 128 Griffin-Lim
  iterations; 0 iterations is the decoder alone, so the ratios show how much
  of the cost phase retrieval takes.

Usage::

    python benchmarks/bench_cvae.py [--threads N] [--epochs E] [--n-samples S]
"""

import argparse
import time

import torch
from sklearn.base import clone

from skgen._cvae import SpectrogramCVAEGenerator
from skgen.datasets import make_strong_motion


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
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)")

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


if __name__ == "__main__":
    main()
