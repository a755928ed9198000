"""The CUDA path (``device="cuda"``): runs where a GPU exists, skips elsewhere."""

import numpy as np
import pytest
import torch

from skgen import SpectrogramCVAEGenerator, TimesNetGenerator, make_strong_motion
from skgen.nn.griffin_lim import griffin_lim, stft

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")

TINY = dict(
    n_times=256, fs=50.0, d_model=4, d_ff=8, num_kernels=2, epochs=2, noise_epochs=1, batch_size=4
)


@pytest.fixture(scope="module")
def data():
    return make_strong_motion(
        n_stations=2, records_per_station=4, n_times=256, fs=50.0, random_state=0
    )


def test_timesnet_fits_and_samples_on_cuda_reproducibly(data):
    first = TimesNetGenerator(**TINY, device="cuda", random_state=0).fit(data.X, data.stations)
    assert first.device_.type == "cuda"
    assert next(first.module_.parameters()).device.type == "cuda"
    X = first.sample(first.stations_[0], 3, random_state=1)
    assert X.shape == (3, 3, 256) and X.dtype == np.float32 and np.isfinite(X).all()
    np.testing.assert_array_equal(first.sample(first.stations_[0], 3, random_state=1), X)
    # The CPU reconstructs what the GPU does (same weights, float32).
    on_cpu = first.reconstruct(data.X[:2])
    first.module_.cpu()
    first.device_ = torch.device("cpu")
    np.testing.assert_allclose(first.reconstruct(data.X[:2]), on_cpu, rtol=1e-3, atol=1e-4)


def test_cvae_samples_on_cuda(data):
    gen = SpectrogramCVAEGenerator(
        n_times=256, n_fft=64, hop_length=16, epochs=1, device="cuda", random_state=0
    ).fit(data.X, data.stations)
    X = gen.sample(gen.stations_[0], 2, random_state=0)
    assert X.shape == (2, 3, 256) and np.isfinite(X).all()


def test_griffin_lim_on_cuda_equals_cpu():
    x = torch.sin(torch.arange(2000) / 7.0)[None].repeat(2, 1)
    magnitude = stft(x, 128, 16).abs()
    outputs = [
        griffin_lim(
            magnitude.to(device),
            128,
            16,
            n_iter=4,
            length=2000,
            generator=torch.Generator().manual_seed(0),
        ).cpu()
        for device in ("cpu", "cuda")
    ]
    torch.testing.assert_close(outputs[1], outputs[0], rtol=1e-3, atol=1e-3)
