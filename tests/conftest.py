"""Shared fixtures: one torch thread, a network-free generator that obeys the
base contract, and the example runner. The objects themselves, and the tiny
network configs, live in ``_testing.py``."""

import pytest
import torch
from _testing import ResamplingGenerator
from _testing import run_example as _run_example


@pytest.fixture(scope="session", autouse=True)
def one_torch_thread():
    """The tests' tiny networks gain nothing from a second thread, and on a
    busy 2-core machine contending threads make their fits many times
    slower."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture
def resampling_generator():
    """The network-free test double class (``_testing.ResamplingGenerator``)."""
    return ResamplingGenerator


@pytest.fixture
def run_example():
    """``run_example(name, tmp_path, *args)``: run ``examples/<name> --quick``."""
    return _run_example
