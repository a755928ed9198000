"""What several test files share: tiny network configs, a network-free test
double and the estimator checks that cannot apply.

A helper module, not a test module (as ``sklearn.utils._testing``): test files
import it for names they need at module level (subclasses, parametrize
lists); tests reach the same things as fixtures from ``conftest.py``.
"""

import os
import subprocess
import sys
from pathlib import Path

from skgen._base import BaseStationGenerator

REPO = Path(__file__).resolve().parents[1]

# The smallest TimesNet-Gen that trains: one TimesBlock, one period, one kernel.
MINIMAL_TIMESNET = dict(d_model=2, d_ff=2, e_layers=1, top_k=1, num_kernels=1)
# Small, but with what a single block cannot show: two stacked TimesBlocks,
# two periods and two Inception kernels.
TINY_TIMESNET = dict(d_model=4, d_ff=6, e_layers=2, top_k=2, num_kernels=2)
# The smallest spectrogram CVAE: one convolution, a 2-d latent, one Griffin-Lim pass.
MINIMAL_CVAE = dict(latent_dim=2, griffin_lim_iters=1)

# sklearn estimator checks that cannot apply to the generators' shared API
# (skgen._base), with the reason for each.
EXPECTED_FAILED_CHECKS = {
    "check_fit_score_takes_y": "fit(X, stations) is the fixed public API: station "
    "labels are `stations`, not `y`.",
    "check_n_features_in_after_fitting": "sklearn calls score(X, y=...), but score "
    "takes `stations`; records are checked with skgen's own channel/sample messages.",
    "check_pipeline_consistency": "score computes HVSR, which needs 3-component "
    "records; the checks give single-channel 2-D data.",
}


class ResamplingGenerator(BaseStationGenerator):
    """Test double: 'generates' by resampling a station's own records.

    Its samples are real records of the station, so any score comparing them
    with the station's records is at its best; with ``shuffle_stations`` it
    returns records of another station, a deliberately wrong generator.
    """

    _torch_attributes = ()  # no network

    def __init__(
        self, n_times=None, fs=100.0, shuffle_stations=False, device="cpu", random_state=None
    ):
        self.n_times = n_times
        self.fs = fs
        self.shuffle_stations = shuffle_stations
        self.device = device
        self.random_state = random_state

    def _train(self, X, stations, rng, checkpoint=None):
        return {"train_records_": X.shape[0]}

    def _encode_records(self, X, stations):
        return {"records": X}

    def _generate(self, entry, n_samples, rng):
        pool = entry["records"]
        if self.shuffle_stations:
            labels = list(self.bank_)
            own = next(k for k, v in self.bank_.items() if v is entry)
            pool = self.bank_[labels[(labels.index(own) + 1) % len(labels)]]["records"]
        return pool[rng.randint(len(pool), size=n_samples)].copy()


def run_example(name, tmp_path, *args):
    """Run ``examples/<name> --quick`` from an unrelated folder; return its
    stdout and output folder."""
    out = tmp_path / "out"
    # One torch thread: the quick networks are too small to gain from more,
    # and on a busy 2-core machine extra threads make them several times slower.
    env = dict(os.environ, PYTHONPATH=str(REPO), MPLBACKEND="Agg", OMP_NUM_THREADS="1")
    result = subprocess.run(
        [sys.executable, str(REPO / "examples" / name), "--quick", "--out", str(out), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, out
