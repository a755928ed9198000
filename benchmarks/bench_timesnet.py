"""TimesNet-Gen speed and memory, measured in one run.

1. Merged vs separate Inception at the paper's shapes (d_model 128 -> d_ff
   256, 6 kernels, a 6000-sample record folded by period 60 to a 100 x 60
   grid): forward, and forward + backward.
2. Training throughput (records/s) of the default TimesNetGenerator on
   simulated 3 x 6000 records.
3. Sampling throughput (records/s at n_times 6000).
4. Station-bank bytes per record vs a bank of latents.
5. Time to quality (``--quality``): training time until the reconstructions
   of 100 records of 3 x 6000 samples reach normalised MSE <= 0.01 and a
   median PGA ratio (reconstruction / input) within 0.9-1.1, for several
   training configurations (learning rate, batch, loss), against the 3-minute
   budget; the clock stops while the reconstructions are measured.
6. Epoch cost of batches of 4 vs 8 (``--batch-cost``), float32.

Usage: ``python benchmarks/bench_timesnet.py [--batch 1] [--threads N]
[--quality [--quality-epochs 40] [--configs default ...] [--seed 0]
[--demo-data]] [--batch-cost]``.
Prints the machine load too: on a shared machine the absolute times move,
the ratios less so.
"""

import argparse
import os
import time

import numpy as np
import torch

from skgen import TimesNetGenerator
from skgen.datasets import make_strong_motion
from skgen.nn import (
    EarlyStopping,
    cpu_has_native_bfloat16,
    resolve_precision,
    torch_seed,
    train_epochs,
)
from skgen.nn.losses import stft_log_magnitude_loss
from skgen.nn.timesnet import Inception, TimesNet, normalize
from skgen.sampling import EvolutionarySampler, MixingSampler
from skgen.signal import pga

# Training configurations of the time-to-quality run: lr, batch and the weight
# of the STFT log-magnitude term (0: plain MSE, the paper's loss).
_DEFAULT = TimesNetGenerator()
QUALITY_CONFIGS = {
    "default": dict(
        lr=_DEFAULT.lr,
        batch_size=_DEFAULT.batch_size,
        spectral_loss=_DEFAULT.spectral_loss,
        bf16=resolve_precision(_DEFAULT.precision, "cpu") == "bfloat16",
        epochs=_DEFAULT.epochs,
    ),
    "default in float32": dict(
        lr=_DEFAULT.lr, batch_size=_DEFAULT.batch_size, spectral_loss=0.0, epochs=_DEFAULT.epochs
    ),
    "0.1 (fp32, lr 2e-3, 20 epochs)": dict(lr=2e-3, batch_size=8, spectral_loss=0.0, epochs=20),
    "fp32 lr 2e-3": dict(lr=2e-3, batch_size=8, spectral_loss=0.0),
    "lr 4e-3": dict(lr=4e-3, batch_size=8, spectral_loss=0.0),
    "batch 4": dict(lr=2e-3, batch_size=4, spectral_loss=0.0),
    "stft 0.1": dict(lr=2e-3, batch_size=8, spectral_loss=0.1),
    "stft 1": dict(lr=2e-3, batch_size=8, spectral_loss=1.0),
    "fp32 lr 6e-3 35": dict(lr=6e-3, batch_size=8, spectral_loss=0.0, epochs=35),
    "fp32 lr 8e-3 35": dict(lr=8e-3, batch_size=8, spectral_loss=0.0, epochs=35),
    "fp32 lr 4e-3 b4 35": dict(lr=4e-3, batch_size=4, spectral_loss=0.0, epochs=35),
    "fp32 lr 4e-3 b4 20": dict(lr=4e-3, batch_size=4, spectral_loss=0.0, epochs=20),
    "fp32 lr 4e-3 b4 24": dict(lr=4e-3, batch_size=4, spectral_loss=0.0, epochs=24),
    "fp32 lr 4e-3 b4 28": dict(lr=4e-3, batch_size=4, spectral_loss=0.0, epochs=28),
    "bf16": dict(lr=2e-3, batch_size=8, spectral_loss=0.0, bf16=True),
    "bf16 lr 4e-3": dict(lr=4e-3, batch_size=8, spectral_loss=0.0, bf16=True),
    "bf16 lr 4e-3 stft 0.1": dict(lr=4e-3, batch_size=8, spectral_loss=0.1, bf16=True),
}
TARGET_NMSE = 0.01
TARGET_PGA = (0.9, 1.1)
BUDGET_SECONDS = 180.0


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
    # The default sampler (new phases, spectrum and envelope restoring), the
    # mixing sampler (alignment, restores) and the published code's on the
    # same bank: what each costs against the published mixing.
    seconds = {}
    samplers = {
        "paper": MixingSampler.paper(),
        "mixing": MixingSampler(),
        "default (evolutionary)": EvolutionarySampler(),
        "paper, sample_noise=0.1": MixingSampler.paper().set_params(sample_noise=0.1),
        "mixing, sample_noise=0.1": MixingSampler(sample_noise=0.1),
    }
    for name, sampling in samplers.items():
        generator.set_params(sampler=sampling)
        seconds[name] = best_time(lambda: generator.sample(station, n_samples, random_state=0), 1)
        print(
            f"  sampling          {n_samples / seconds[name]:7.0f} records/s "
            f"({name}, {n_samples} records)"
        )
    for name in ("mixing", "default (evolutionary)"):
        print(f"  {name} sampling costs {seconds[name] / seconds['paper']:.2f}x the paper's")
    print(
        f"  with sample_noise=0.1, mixing costs "
        f"{seconds['mixing, sample_noise=0.1'] / seconds['paper, sample_noise=0.1']:.2f}x"
    )
    generator.set_params(sampler=None)

    entry = generator.bank_[station]
    per_record = sum(value.nbytes for value in entry.values()) / len(entry["recon"])
    for d_model in (generator.d_model, 128):
        latent = generator.n_times_ * d_model * 4
        print(
            f"  bank bytes/record {per_record:9.0f} vs latent bank {latent:9.0f} "
            f"at d_model {d_model}: {latent / per_record:5.1f}x smaller"
        )


def batch_cost(n_records=16, repeats=3):
    """Print the cost of a float32 epoch in batches of 4 vs 8, alternated in one process."""
    data = make_strong_motion(n_stations=4, records_per_station=n_records // 4, random_state=0)
    X_norm, _, _ = normalize(torch.from_numpy(data.X))
    generator = TimesNetGenerator()
    with torch_seed(0):
        module = TimesNet(
            *X_norm.shape[1:],
            generator.d_model,
            generator.d_ff,
            generator.e_layers,
            generator.top_k,
            generator.num_kernels,
            generator.dropout,
        )

    def batch_loss(indices):
        x = X_norm[indices]
        return torch.mean((module.head(module.encode(x)) - x) ** 2)

    seconds = {4: [], 8: []}
    for repeat in range(repeats):
        for batch_size in (8, 4):
            start = time.perf_counter()
            train_epochs(
                module,
                batch_loss,
                len(X_norm),
                epochs=1,
                lr=1e-4,
                weight_decay=0.0,
                batch_size=batch_size,
                seed=repeat,
            )
            seconds[batch_size].append(time.perf_counter() - start)
    print(
        f"Float32 epoch of {len(X_norm)} records, batches of 4 vs 8 ({repeats} alternated "
        f"epochs each): median {np.median(seconds[4]) / np.median(seconds[8]):.2f}x, "
        f"fastest {min(seconds[4]) / min(seconds[8]):.2f}x"
    )


def time_to_quality(name, config, X, epochs, seed=0):
    """Train the default network on ``X`` (initial weights and shuffling from
    ``seed``) and print when the target is met."""
    generator = TimesNetGenerator()
    n_channels, n_times = X.shape[1:]
    with torch_seed(seed):
        module = TimesNet(
            n_channels,
            n_times,
            generator.d_model,
            generator.d_ff,
            generator.e_layers,
            generator.top_k,
            generator.num_kernels,
            generator.dropout,
        )
    X_norm, _, sigma = normalize(torch.from_numpy(X))
    weight = config["spectral_loss"]

    def batch_loss(indices):
        x = X_norm[indices]
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.get("bf16", False)):
            x_hat = module.head(module.encode(x)).float()
        loss = torch.mean((x_hat - x) ** 2)
        return loss + weight * stft_log_magnitude_loss(x_hat, x) if weight else loss

    clock = {"train": 0.0, "since": time.perf_counter(), "met": None}
    rows = []

    def measure():
        clock["train"] += time.perf_counter() - clock["since"]
        with torch.no_grad():
            recon = torch.cat(
                [module(torch.from_numpy(X[i : i + 16])) for i in range(0, len(X), 16)]
            )
        # Normalised MSE: the error in units of each record's and channel's sigma.
        nmse = float(torch.mean(((recon - torch.from_numpy(X)) / sigma[..., None]) ** 2))
        ratio = float(np.median(pga(recon.numpy()) / pga(X)))
        rows.append((len(rows) + 1, clock["train"], nmse, ratio))
        print(
            f"      {name} epoch {len(rows):3d} {clock['train']:6.0f} s  NMSE {nmse:.4f}  "
            f"PGA ratio {ratio:.2f}",
            flush=True,
        )
        if clock["met"] is None and nmse <= TARGET_NMSE and TARGET_PGA[0] <= ratio <= TARGET_PGA[1]:
            clock["met"] = (len(rows), clock["train"])
        clock["since"] = time.perf_counter()
        return nmse

    hook = EarlyStopping(measure, n_iter_no_change=epochs + 1, tol=0.0)
    with torch_seed(seed):
        train_epochs(
            module,
            batch_loss,
            len(X),
            epochs=epochs,
            lr=config["lr"],
            weight_decay=generator.weight_decay,
            batch_size=config["batch_size"],
            seed=seed,
            early_stopping=hook,
        )
    last = rows[-1]
    met = (
        f"target met after {clock['met'][0]} epochs, {clock['met'][1]:.0f} s"
        + (
            " (within the 3-minute budget)"
            if clock["met"][1] <= BUDGET_SECONDS
            else " (over budget)"
        )
        if clock["met"]
        else "target not met"
    )
    print(
        f"  {name:<10} {config}: after {last[0]} epochs ({last[1]:.0f} s) "
        f"NMSE {last[2]:.4f}, PGA ratio {last[3]:.2f}; {met}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1, help="Inception batch size")
    parser.add_argument("--repeats", type=int, default=1, help="timed calls per case")
    parser.add_argument("--records", type=int, default=64, help="training records")
    parser.add_argument("--samples", type=int, default=2000, help="sampled records")
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    parser.add_argument("--quality", action="store_true", help="time to quality only")
    parser.add_argument(
        "--quality-epochs", type=int, default=None, help="default: the config's, else 40"
    )
    parser.add_argument("--configs", nargs="+", default=list(QUALITY_CONFIGS))
    parser.add_argument("--batch-cost", action="store_true", help="epoch cost of batch 4 vs 8 only")
    parser.add_argument("--seed", type=int, default=0, help="time to quality: weights, shuffling")
    parser.add_argument(
        "--demo-data",
        action="store_true",
        help="time to quality on the full demo's training records instead",
    )
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, native bfloat16: "
        f"{cpu_has_native_bfloat16()} (precision='auto' trains in "
        f"{resolve_precision('auto', 'cpu')})"
    )
    if args.batch_cost:
        batch_cost()
        return
    if args.quality:
        data = (
            make_strong_motion(n_stations=8, records_per_station=10, region="A", random_state=0)
            if args.demo_data
            else make_strong_motion(n_stations=10, records_per_station=10, random_state=0)
        )
        print(
            f"Time to quality (seed {args.seed}): {len(data.X)} records of 3 x 6000, target "
            f"NMSE <= "
            f"{TARGET_NMSE} and median PGA ratio in {TARGET_PGA}, budget {BUDGET_SECONDS:.0f} s"
        )
        for name in args.configs:
            config = QUALITY_CONFIGS[name]
            epochs = args.quality_epochs or config.get("epochs", 40)
            time_to_quality(name, config, data.X, epochs, args.seed)
        return
    bench_inception(args.batch, args.repeats)
    bench_generator(args.records, args.samples)


if __name__ == "__main__":
    main()
