"""Scaling out: data-parallel fits under torchrun, model selection on dask.

The data-parallel tests launch this file under ``torchrun`` (2 CPU processes,
gloo, loopback only): see ``_worker`` at the end.
"""

import copy
import os
import pickle
import socket
import subprocess
import sys
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
import torch

from skgen import _distributed
from skgen._cvae import SpectrogramCVAEGenerator
from skgen._persistence import load
from skgen._timesnet import TimesNetGenerator
from skgen.cli import main
from skgen.datasets import make_strong_motion
from skgen.io import read_records, to_stream
from skgen.sampling import MixingSampler

N_TIMES = 64
# Dropout 0 and no noise injection: a loss without randomness, so the world
# size cannot change the result; float32, because bfloat16 kernels round
# differently for the different local batch sizes.
EXACT = dict(
    precision="float32",
    n_times=N_TIMES,
    d_model=4,
    d_ff=8,
    e_layers=1,
    num_kernels=2,
    dropout=0.0,
    epochs=3,
    noise_epochs=0,
    batch_size=4,
    random_state=0,
)
CLI_PARAMS = dict(
    precision="float32",
    n_times=256,
    d_model=4,
    d_ff=4,
    e_layers=1,
    num_kernels=2,
    epochs=2,
    noise_epochs=0,
    batch_size=4,
    random_state=1,
)


def _records():
    X = np.random.default_rng(0).standard_normal((8, 3, N_TIMES)).astype(np.float32)
    return X, np.repeat(["A", "B"], 4)


@contextmanager
def _one_thread():
    """Torch on one thread, like torchrun ranks and dask workers (both start
    with OMP_NUM_THREADS=1): the same reduction order, and no oversubscribed
    cores."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _torchrun(*args, cwd):
    """Run ``torchrun --nproc-per-node 2 ARGS`` on loopback; fail with its output."""
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    env.update(MASTER_ADDR="127.0.0.1", OMP_NUM_THREADS="1")
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc-per-node",
        "2",
        "--master-addr",
        "127.0.0.1",
        "--master-port",
        str(_free_port()),
        *args,
    ]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def ranks(tmp_path_factory):
    """What each of the 2 torchrun ranks fitted (see ``_worker``), and the
    output of the run."""
    folder = tmp_path_factory.mktemp("ddp")
    data = make_strong_motion(n_stations=2, records_per_station=4, n_times=256, random_state=0)
    to_stream(data.X, [f"XX.{s}" for s in data.stations], data.fs).write(
        str(folder / "records.mseed"), format="MSEED"
    )
    result = _torchrun(__file__, str(folder), cwd=folder)
    states = [torch.load(folder / f"rank{r}.pt", weights_only=False) for r in (0, 1)]
    return folder, states, result.stdout


@pytest.fixture(scope="module")
def single():
    """The one-process fit that the 2-process fit must equal."""
    with _one_thread():
        return TimesNetGenerator(**EXACT).fit(*_records())


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key


@pytest.mark.slow
def test_ranks_end_with_identical_generators(ranks):
    _, (rank0, rank1), _ = ranks
    for name in ("exact", "noise", "cvae", "cli"):
        _assert_same(rank0[name]["weights"], rank1[name]["weights"])
        assert rank0[name]["history"] == rank1[name]["history"]
        assert rank0[name]["bank"].keys() == rank1[name]["bank"].keys()
        for station, entry in rank0[name]["bank"].items():
            for key, value in entry.items():
                np.testing.assert_array_equal(value, rank1[name]["bank"][station][key])
    np.testing.assert_array_equal(rank0["exact"]["scale"], rank1["exact"]["scale"])
    np.testing.assert_array_equal(rank0["noise"]["scale"], rank1["noise"]["scale"])


@pytest.mark.slow
def test_two_processes_equal_one_process(ranks, single):
    _, (rank0, _), _ = ranks
    assert len(rank0["exact"]["history"]["pretrain"]) == EXACT["epochs"]
    for key, value in single.module_.state_dict().items():
        torch.testing.assert_close(rank0["exact"]["weights"][key], value, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(rank0["exact"]["scale"], single.encoder_scale_, rtol=1e-5)
    np.testing.assert_allclose(
        rank0["exact"]["history"]["pretrain"], single.history_["pretrain"], rtol=1e-6
    )
    for station, entry in single.bank_.items():
        for key, value in entry.items():
            np.testing.assert_allclose(
                rank0["exact"]["bank"][station][key], value, rtol=1e-4, atol=1e-5
            )


@pytest.mark.slow
def test_checkpoint_is_written_and_removed_by_rank_0(ranks):
    folder, (rank0, _), _ = ranks
    assert rank0["checkpoint_seen"]
    assert not (folder / "noise.ckpt").exists()


@pytest.mark.slow
def test_batch_size_must_divide_among_processes(ranks):
    _, (rank0, rank1), _ = ranks
    for rank in (rank0, rank1):
        assert "batch_size=3 is the global batch of 2 training processes" in rank["error"]


@pytest.mark.slow
def test_cli_fit_under_torchrun_writes_one_model(ranks):
    folder, (rank0, _), stdout = ranks
    # Rank 0 alone writes and reports, the model of the data-parallel fit.
    assert stdout.count("saved to model.skgen") == 1
    assert sorted(p.name for p in folder.iterdir() if "skgen" in p.name) == ["model.skgen"]
    fitted = load(folder / "model.skgen")
    _assert_same(fitted.module_.state_dict(), rank0["cli"]["weights"])


def test_single_process_helpers(monkeypatch):
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)
    assert not _distributed.launched_by_torchrun()
    assert (_distributed.world_size(), _distributed.rank()) == (1, 0)
    assert _distributed.is_main_process()
    marker = object()
    assert _distributed.broadcast_object(marker) is marker
    total = _distributed.all_reduce_sum([1.5, 2.0])
    assert total.dtype == torch.float64 and total.tolist() == [1.5, 2.0]
    with _distributed.process_group(torch.device("cpu")) as world:
        assert world == 1
    # After a data-parallel fit, outside the group, RANK decides who writes.
    monkeypatch.setenv("RANK", "1")
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("LOCAL_RANK", "1")
    assert _distributed.launched_by_torchrun()
    assert _distributed.rank() == 1 and not _distributed.is_main_process()


def test_save_on_a_non_main_rank_writes_nothing(single, tmp_path, monkeypatch):
    for name, value in (("RANK", "1"), ("WORLD_SIZE", "2"), ("LOCAL_RANK", "1")):
        monkeypatch.setenv(name, value)
    single.save(tmp_path / "model.skgen")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("RANK", "0")
    single.save(tmp_path / "model.skgen")
    assert [p.name for p in tmp_path.iterdir()] == ["model.skgen"]


def test_pickled_cuda_generator_loads_on_cpu_with_warning(single, monkeypatch):
    gen = copy.copy(single)
    gen.device_ = torch.device("cuda")  # as if fitted on a GPU worker
    blob = pickle.dumps(gen)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(RuntimeWarning, match="fitted on CUDA.*CPU"):
        restored = pickle.loads(blob)
    assert restored.device_ == torch.device("cpu")
    np.testing.assert_array_equal(
        restored.sample("A", 2, random_state=0), gen.sample("A", 2, random_state=0)
    )


@pytest.mark.slow
def test_grid_search_on_a_dask_cluster_equals_n_jobs_1():
    distributed = pytest.importorskip("dask.distributed")
    from joblib import parallel_backend
    from sklearn.model_selection import GridSearchCV, LeaveOneGroupOut

    from skgen.scoring import HVSRAlignmentScorer

    a = make_strong_motion(
        n_stations=2, records_per_station=4, region="A", n_times=512, random_state=0
    )
    b = make_strong_motion(
        n_stations=2, records_per_station=4, region="B", n_times=512, random_state=1
    )
    X = np.concatenate([a.X, b.X])
    stations = np.concatenate([a.stations, b.stations])
    regions = np.repeat(["A", "B"], [len(a.X), len(b.X)])

    def search(n_jobs):
        return GridSearchCV(
            TimesNetGenerator(
                n_times=512,
                d_model=4,
                d_ff=4,
                e_layers=1,
                top_k=1,
                num_kernels=2,
                epochs=1,
                noise_epochs=1,
                batch_size=8,
                sampler=MixingSampler(),
                random_state=0,
            ),
            {"sampler__n_mix": [2, 3]},
            cv=LeaveOneGroupOut(),
            scoring=HVSRAlignmentScorer(highpass=0.5, random_state=0),
            refit=False,
            n_jobs=n_jobs,
        ).fit(X, stations, groups=regions)

    with _one_thread():
        serial = search(n_jobs=1)
    with warnings.catch_warnings():
        # The cluster's own start-up chatter is not under test.
        warnings.simplefilter("ignore")
        with (
            distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            with distributed.get_task_stream(client) as tasks, parallel_backend("dask"):
                on_cluster = search(n_jobs=-1)
            workers = set(client.scheduler_info()["workers"])
    # The fits ran on the cluster's worker processes.
    assert tasks.data and {task["worker"] for task in tasks.data} <= workers
    for key in ("split0_test_score", "split1_test_score", "mean_test_score"):
        np.testing.assert_array_equal(on_cluster.cv_results_[key], serial.cv_results_[key])
    assert np.all(np.isfinite(serial.cv_results_["mean_test_score"]))
    assert on_cluster.best_params_ == serial.best_params_


def _state(gen):
    return {
        "weights": {k: v.clone() for k, v in gen.module_.state_dict().items()},
        "history": gen.history_,
        "bank": gen.bank_,
        "scale": getattr(gen, "encoder_scale_", None),
    }


def _worker(folder):
    """One torchrun rank: fit, and record what this rank ended with."""
    X, stations = _records()
    out = {"exact": _state(TimesNetGenerator(**EXACT).fit(X, stations))}
    checkpoint = os.path.join(folder, "noise.ckpt")
    seen = []

    class Watched(TimesNetGenerator):
        def _extend_bank(self, *args, **kwargs):
            seen.append(os.path.exists(checkpoint))
            return super()._extend_bank(*args, **kwargs)

    # No seed: every rank must still start from rank 0's draws.
    noisy = Watched(
        **{
            **EXACT,
            "random_state": None,
            "dropout": 0.2,
            "noise_epochs": 2,
            "checkpoint": checkpoint,
        }
    )
    out["noise"] = _state(noisy.fit(X, stations))
    # Rank 0 checks: the other ranks may look after rank 0 removed it.
    out["checkpoint_seen"] = seen == [True]
    cvae = SpectrogramCVAEGenerator(
        n_times=N_TIMES, n_fft=16, hop_length=4, channels=(2,), latent_dim=2, epochs=2, batch_size=4
    )
    out["cvae"] = _state(cvae.fit(X, stations))
    try:
        TimesNetGenerator(**{**EXACT, "batch_size": 3}).fit(X, stations)
    except ValueError as exc:
        out["error"] = str(exc)
    # The command line, as ``torchrun -m skgen fit`` runs it, and the same fit
    # through the API.
    records = os.path.join(folder, "records.mseed")
    params = [arg for key, value in CLI_PARAMS.items() for arg in ("--param", f"{key}={value}")]
    assert main(["fit", records, "--model", "model.skgen", *params]) == 0  # cwd: folder
    X, stations = read_records(records, n_times=CLI_PARAMS["n_times"])
    out["cli"] = _state(TimesNetGenerator(**CLI_PARAMS).fit(X, stations))
    torch.save(out, os.path.join(folder, f"rank{_distributed.rank()}.pt"))


if __name__ == "__main__":
    _worker(sys.argv[1])
