"""Shared fixtures: one torch thread, and a network-free generator that obeys
the base contract."""

import pytest
import torch

from skgen._base import BaseStationGenerator

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


@pytest.fixture(scope="session", autouse=True)
def one_torch_thread():
    """The tests' tiny networks gain nothing from a second thread, and on a
    busy 2-core machine contending threads make their fits many times
    slower."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


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


@pytest.fixture
def resampling_generator():
    return ResamplingGenerator
