"""TimesNet-Gen speed and memory, measured in one run.

1. Merged vs separate Inception at the paper's shapes (d_model 128 -> d_ff
   256, 6 kernels, a 6000-sample record folded by period 60 to a 100 x 60
   grid): forward, and forward + backward.
2. Training throughput (records/s) of the default TimesNetGenerator on
   simulated 3 x 6000 records.
3. Sampling throughput (records/s at n_times 6000).
4. Station-bank bytes per record vs a bank of latents.

Usage: ``python benchmarks/bench_timesnet.py [--batch 1] [--threads N]``.
Prints the machine load too: on a shared machine the absolute times move,
the ratios less so.
"""

import argparse
import os
import time

import torch

from skgen._timesnet import TimesNetGenerator
from skgen.datasets import make_strong_motion
from skgen.nn.timesnet import Inception


def best_time(function, repeats):
    """Smallest wall time of ``repeats`` calls, after one warm-up call."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def separate_forward(inception, x):
    """The published Inception_Block_V1: every convolution, then the mean."""
    return torch.stack([conv(x) for conv in inception.kernels], dim=-1).mean(-1)


def bench_inception(batch, repeats):
    torch.manual_seed(0)
    inception = Inception(128, 256, num_kernels=6)
    x = torch.randn(batch, 128, 100, 60, requires_grad=True)
    upstream = torch.randn(batch, 256, 100, 60)

    def forward(function):
        with torch.no_grad():
            function(inception, x)

    def forward_backward(function):
        inception.zero_grad()
        x.grad = None
        (function(inception, x) * upstream).sum().backward()

    with torch.no_grad():
        merged_out = inception(x)
        separate_out = separate_forward(inception, x)
    difference = float((merged_out - separate_out).abs().max() / separate_out.abs().max())
    print(
        f"Inception 128->256, 6 kernels, grid {batch} x 100 x 60 "
        f"(max relative output difference {difference:.1e})"
    )
    for name, run in (("forward", forward), ("forward+backward", forward_backward)):
        t_merged = best_time(lambda run=run: run(lambda m, v: m(v)), repeats)
        t_separate = best_time(lambda run=run: run(separate_forward), repeats)
        print(
            f"  {name:17s} merged {t_merged:7.3f} s  separate {t_separate:7.3f} s  "
            f"speed-up {t_separate / t_merged:5.2f}x"
        )


def bench_generator(n_records, n_samples):
    data = make_strong_motion(n_stations=8, records_per_station=20, random_state=0)
    X, stations = data.X[:n_records], data.stations[:n_records]
    params = dict(noise_epochs=0, random_state=0)
    # Warm-up: torch's first convolutions and FFTs carry one-off set-up costs.
    TimesNetGenerator(epochs=1, **params).fit(X[:2], stations[:2])
    # One training epoch = fit(epochs=1) - fit(epochs=0); both encode the bank.
    start = time.perf_counter()
    TimesNetGenerator(epochs=0, **params).fit(X, stations)
    t_no_training = time.perf_counter() - start
    start = time.perf_counter()
    generator = TimesNetGenerator(epochs=1, **params).fit(X, stations)
    t_one_epoch = time.perf_counter() - start - t_no_training
    n_parameters = sum(p.numel() for p in generator.module_.parameters())
    print(f"Default TimesNetGenerator ({n_parameters} parameters), {len(X)} records of 3 x 6000")
    print(
        f"  training          {len(X) / t_one_epoch:7.1f} records/s ({t_one_epoch:.1f} s per epoch)"
    )
    print(f"  encoding (no fit) {len(X) / t_no_training:7.1f} records/s (bank, scale)")

    station = generator.stations_[0]
    for noise in (0.0, 0.1):
        generator.set_params(sample_noise=noise)
        elapsed = best_time(lambda: generator.sample(station, n_samples, random_state=0), 1)
        print(
            f"  sampling          {n_samples / elapsed:7.0f} records/s "
            f"(sample_noise={noise}, {n_samples} records)"
        )

    entry = generator.bank_[station]
    per_record = sum(value.nbytes for value in entry.values()) / len(entry["recon"])
    for d_model in (generator.d_model, 128):
        latent = generator.n_times_ * d_model * 4
        print(
            f"  bank bytes/record {per_record:9.0f} vs latent bank {latent:9.0f} "
            f"at d_model {d_model}: {latent / per_record:5.1f}x smaller"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1, help="Inception batch size")
    parser.add_argument("--repeats", type=int, default=1, help="timed calls per case")
    parser.add_argument("--records", type=int, default=64, help="training records")
    parser.add_argument("--samples", type=int, default=2000, help="sampled records")
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    bench_inception(args.batch, args.repeats)
    bench_generator(args.records, args.samples)


if __name__ == "__main__":
    main()
