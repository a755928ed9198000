"""Data-parallel training throughput: 1 process against 2 under torchrun.

Trains the same TimesNetGenerator (same global batch, same seed) three ways
on this machine and prints training records per second:

- 1 process, 2 threads (torch's intra-op parallelism over both cores);
- 1 process, 1 thread;
- 2 processes under ``torchrun --nproc-per-node 2`` (gloo), 1 thread each.

Scaling efficiency is the 2-process rate over twice the 1-process,
1-thread rate (1.0 is perfect scaling); the last ratio compares 2 processes
with the best single process on the same 2 cores. Only the training loop is
timed (the fit minus a second encoding of its station bank with
``add_stations``): the bank is encoded by every rank and is not data-parallel.
All processes talk over loopback.

Run: ``python benchmarks/bench_ddp.py [--records 64 --n-times 1000 ...]``.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np


def _worker(args):
    import torch

    torch.set_num_threads(args.threads)
    import torch.distributed as dist

    from skgen import TimesNetGenerator
    from skgen.datasets import make_strong_motion

    data = make_strong_motion(
        n_stations=8, records_per_station=args.records // 8, n_times=args.n_times, random_state=0
    )
    generator = TimesNetGenerator(
        n_times=args.n_times,
        epochs=args.epochs,
        noise_epochs=0,
        batch_size=args.batch_size,
        random_state=0,
    )
    # The training loop: the fit minus the encoding of its station bank, timed
    # again by registering the same stations (public API only).
    start = time.perf_counter()
    generator.fit(data.X, data.stations)
    middle = time.perf_counter()
    generator.add_stations(data.X, data.stations)
    seconds = 2 * middle - start - time.perf_counter()
    distributed = dist.is_available() and dist.is_initialized()
    if not distributed or dist.get_rank() == 0:
        print(
            json.dumps(
                {
                    "world_size": dist.get_world_size() if distributed else 1,
                    "threads": args.threads,
                    "records": len(data.X) * args.epochs,
                    "seconds": seconds,
                    "final_loss": generator.history_["pretrain"][-1],
                }
            )
        )


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args, threads, processes):
    worker = [
        os.path.abspath(__file__),
        "--worker",
        "--threads",
        str(threads),
        "--records",
        str(args.records),
        "--n-times",
        str(args.n_times),
        "--epochs",
        str(args.epochs),
        "--batch-size",
        str(args.batch_size),
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    env["OMP_NUM_THREADS"] = str(threads)
    if processes == 1:
        command = [sys.executable, *worker]
    else:
        command = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--nproc-per-node",
            str(processes),
            "--master-addr",
            "127.0.0.1",
            "--master-port",
            str(_free_port()),
            *worker,
        ]
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            command, env=env, cwd=folder, capture_output=True, text=True, check=True
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--records", type=int, default=64, help="training records (8 stations)")
    parser.add_argument("--n-times", type=int, default=1000, help="samples per record")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16, help="global batch")
    args = parser.parse_args()
    if args.worker:
        _worker(args)
        return
    print(
        f"TimesNetGenerator defaults, {args.records} records x 3 x {args.n_times}, "
        f"{args.epochs} epochs, global batch {args.batch_size}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before the run"
    )
    runs = {
        "1 process, 2 threads": _run(args, threads=2, processes=1),
        "1 process, 1 thread": _run(args, threads=1, processes=1),
        "2 processes (DDP), 1 thread each": _run(args, threads=1, processes=2),
    }
    rates = {}
    for name, run in runs.items():
        rates[name] = run["records"] / run["seconds"]
        print(
            f"{name:<34} {run['seconds']:7.2f} s  {rates[name]:7.1f} records/s  "
            f"final loss {run['final_loss']:.6f}"
        )
    two = rates["2 processes (DDP), 1 thread each"]
    print(
        f"scaling efficiency (2 processes / 2 x 1 process, 1 thread): "
        f"{two / (2 * rates['1 process, 1 thread']):.2f}"
    )
    print(f"speed-up over 1 process with 2 threads: {two / rates['1 process, 2 threads']:.2f}")
    print(
        "final losses agree across world sizes to float32 round-off: "
        f"{np.ptp([run['final_loss'] for run in runs.values()]):.2e} spread"
    )


if __name__ == "__main__":
    main()
