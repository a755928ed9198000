"""
The paper's TimesNet-Gen configuration, on a GPU
=================================================

``TimesNetGenerator.paper_config()`` is the network of arXiv 2512.04694:
records of 6000 samples, d_model 128, d_ff 256, two TimesBlocks with the 2
dominant periods, Inception blocks of 6 kernels, dropout 0.1, 50
pre-training and 10 noise-injection epochs; about 38 M parameters, sized for
a GPU. ``device="auto"`` picks CUDA when available. A per-epoch checkpoint
in ``--out`` lets an interrupted run resume where it stopped.

The model is trained on region "A" of the synthetic data, region "B" is
registered with frozen weights (the paper's cross-region protocol), and
both regions are scored twice: with skgen's sampling defaults and with the
published code's sampling (equal weights, no energy restoring, arithmetic
mixing of sigma), which only changes how the station bank is resampled, so
the same fitted network serves both.

From the command line (the documentation shows it without running it)::

    python examples/paper_config_gpu.py              # needs a GPU (or --allow-cpu)
    python examples/paper_config_gpu.py --quick      # any machine, seconds

``--quick`` keeps the paper's structure (``paper_config`` with e_layers 2,
top_k 2, dropout 0.1) but overrides what makes it expensive: 1024-sample
records, d_model 8, d_ff 16, 2 kernels, 1 + 1 epochs, and 3 stations x 4
records per region. It checks that the code path runs, not the paper's
numbers.
"""

import argparse
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import torch

from skgen import HVSRAlignmentScorer, MixingSampler, TimesNetGenerator, make_strong_motion
from skgen.plotting import plot_f0_confusion
from skgen.scoring import METRICS

FULL = dict(data=dict(n_stations=8, records_per_station=20, n_times=6000), overrides={})
QUICK = dict(
    data=dict(n_stations=3, records_per_station=4, n_times=1024),
    overrides=dict(
        n_times=1024, d_model=8, d_ff=16, num_kernels=2, epochs=1, noise_epochs=1, batch_size=8
    ),
)
# The published code's sampling: equal weights 1/k (the Dirichlet limit
# alpha -> inf), no alignment or restoring, arithmetic mean of sigma.
PUBLISHED_SAMPLING = MixingSampler.paper()


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="The paper's TimesNet-Gen configuration, on a GPU."
    )
    parser.add_argument(
        "--quick", action="store_true", help="a tiny version of the configuration, seconds on a CPU"
    )
    parser.add_argument(
        "--allow-cpu", action="store_true", help="run the full configuration without a GPU (hours)"
    )
    parser.add_argument("--out", help="folder for outputs (default: a temp folder)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    if not (args.quick or args.allow_cpu or torch.cuda.is_available()):
        sys.exit(
            "No CUDA device: the paper's configuration takes hours on a CPU. "
            "Use --quick for a tiny run, or --allow-cpu to run it anyway."
        )
    out = Path(args.out or tempfile.mkdtemp(prefix="skgen-paper-config-"))
    out.mkdir(parents=True, exist_ok=True)

    generator = TimesNetGenerator.paper_config(
        device="auto",
        checkpoint=str(out / "training.ckpt"),
        random_state=args.seed,
        verbose=1,
        **config["overrides"],
    )
    a = make_strong_motion(**config["data"], region="A", random_state=args.seed)
    b = make_strong_motion(**config["data"], region="B", random_state=args.seed + 1)
    generator.fit(a.X, a.stations)
    n_parameters = sum(p.numel() for p in generator.module_.parameters())
    print(
        f"trained on {generator.device_}: {n_parameters:,} parameters, "
        f"d_model {generator.d_model}, n_times {generator.n_times_}, "
        f"{generator.epochs} + {generator.noise_epochs} epochs"
    )

    generator.add_stations(b.X, b.stations)
    generator.save(out / "paper-config.skgen")
    print(f"region B registered with frozen weights; model saved to {out / 'paper-config.skgen'}")

    X = np.concatenate([a.X, b.X])
    stations = np.concatenate([a.stations, b.stations])
    scorer = HVSRAlignmentScorer(random_state=args.seed)
    reports = {"skgen sampling": scorer.report(generator, X, stations)}
    # Sampling parameters act at sample time: no refit needed.
    generator.set_params(sampler=PUBLISHED_SAMPLING)
    reports["published sampling"] = scorer.report(generator, X, stations)

    print(f"\n{'sampling':<20}" + "".join(f"{m:>16}" for m in METRICS) + f"{'PGA ratio':>12}")
    for name, report in reports.items():
        ratio = np.nanmedian(report.table["pga_median_ratio"])
        print(
            f"{name:<20}"
            + "".join(f"{report.metrics[m]:>16.3f}" for m in METRICS)
            + f"{ratio:>12.2f}"
        )
    ceiling = reports["skgen sampling"].ceiling
    print(f"{'real-vs-real':<20}" + "".join(f"{ceiling[m]:>16.3f}" for m in METRICS))

    figure = plot_f0_confusion(reports["skgen sampling"])
    figure.savefig(out / "f0-confusion.png", dpi=100, bbox_inches="tight")
    plt.close(figure)
    print(f"figures saved to {out}")


if __name__ == "__main__":
    main()
