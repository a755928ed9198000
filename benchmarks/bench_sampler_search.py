"""GridSearchCV over three sampler settings, with and without ``memory``.

Both searches run in this process on the same data and folds: without
``memory`` every setting and fold trains its network (3 x 2 fits and the
refit); with ``memory`` (a joblib cache folder) one network per training
set is trained (2 folds and the refit) and the others are read back. The
two searches must agree exactly (scores, best setting), which the script
checks before printing the ratio of their wall times.

Usage::

    nice python benchmarks/bench_sampler_search.py [--epochs E] [--threads N]
"""

import argparse
import tempfile
import time

import numpy as np
import torch
from sklearn.model_selection import GridSearchCV, KFold

from skgen import MixingSampler, TimesNetGenerator, make_strong_motion

GRID = {"sampler__dirichlet_alpha": [0.3, 1.0, np.inf]}


def search(data, memory, epochs):
    generator = TimesNetGenerator(
        n_times=data.X.shape[-1],
        d_model=8,
        d_ff=16,
        epochs=epochs,
        noise_epochs=1,
        sampler=MixingSampler(),
        memory=memory,
        random_state=0,
    )
    cv = KFold(2, shuffle=True, random_state=0)
    start = time.perf_counter()
    result = GridSearchCV(generator, GRID, cv=cv).fit(data.X, data.stations)
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    data = make_strong_motion(n_stations=3, records_per_station=8, n_times=2048, random_state=0)
    plain_seconds, plain = search(data, None, args.epochs)
    with tempfile.TemporaryDirectory() as folder:
        cached_seconds, cached = search(data, folder, args.epochs)
    np.testing.assert_array_equal(
        plain.cv_results_["mean_test_score"], cached.cv_results_["mean_test_score"]
    )
    assert plain.best_params_ == cached.best_params_
    print(f"{len(data.X)} records of 3 x {data.X.shape[-1]}, {args.epochs} epochs, 2 folds")
    print(f"  without memory {plain_seconds:7.1f} s (7 networks trained)")
    print(f"  with memory    {cached_seconds:7.1f} s (3 networks trained)")
    print(f"  ratio          {plain_seconds / cached_seconds:7.2f}x, same scores and best setting")
    print(f"  mean test scores {plain.cv_results_['mean_test_score']}, best {plain.best_params_}")


if __name__ == "__main__":
    main()
