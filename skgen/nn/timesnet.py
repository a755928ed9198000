"""TimesNet autoencoder of TimesNet-Gen (docs/method.rst, "TimesNet-Gen").

Records go in as ``(batch, n_channels, n_times)``; inside the network time
runs along axis 1, ``(batch, n_times, d_model)``, as in TimesNet.

Two departures from the published code, both exact or stricter:

- :class:`Inception` runs ONE convolution with the merged kernel instead of
  ``num_kernels`` separate ones. The mean of "same"-padded convolutions with
  odd kernels 1, 3, ..., 2K-1 is one (2K-1) x (2K-1) convolution whose kernel
  is the mean of the zero-padded kernels (and whose bias is the mean bias).
  The K separate kernels stay the parameters and the merged kernel is built
  from them in every forward pass, so training sees exactly the gradients of
  the separate convolutions (each kernel gets 1/K of the merged kernel's
  gradient, cropped to its size), and the ``state_dict`` keeps the published
  layout (``kernels.<i>.weight``, ``kernels.<i>.bias``).
- :class:`TimesBlock` picks the dominant periods of EACH record from its own
  spectrum (the published code averages the spectrum over the batch), so a
  record's encoding does not depend on its batch-mates.
"""

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["Inception", "TimesBlock", "TimesNet", "dominant_periods", "normalize"]

NORM_EPS = 1e-5


def normalize(X):
    """Normalise each record and channel to zero mean and unit variance.

    Parameters
    ----------
    X : Tensor of shape (batch, n_channels, n_times)

    Returns
    -------
    X_norm : Tensor of shape (batch, n_channels, n_times)
        ``(X - mu) / sigma``.
    mu : Tensor of shape (batch, n_channels)
        Time mean.
    sigma : Tensor of shape (batch, n_channels)
        ``sqrt(biased variance + 1e-5)``.
    """
    mu = X.mean(dim=2)
    sigma = torch.sqrt(X.var(dim=2, unbiased=False) + NORM_EPS)
    return (X - mu[..., None]) / sigma[..., None], mu, sigma


class Inception(nn.Module):
    """Mean of ``num_kernels`` Conv2d layers with kernels 1, 3, ..., 2K-1.

    Computed as one Conv2d with the merged (2K-1) x (2K-1) kernel; see the
    module docstring. Initialised as the published ``Inception_Block_V1``
    (Kaiming normal, fan out, zero bias).

    Parameters
    ----------
    in_channels, out_channels : int
    num_kernels : int
        Number of averaged convolutions K.

    Attributes
    ----------
    kernels : ModuleList of Conv2d
        The K convolutions whose mean this block is; they hold the parameters.
    """

    def __init__(self, in_channels, out_channels, num_kernels):
        super().__init__()
        self.num_kernels = num_kernels
        self.kernels = nn.ModuleList(
            nn.Conv2d(in_channels, out_channels, kernel_size=2 * i + 1, padding=i)
            for i in range(num_kernels)
        )
        for conv in self.kernels:
            nn.init.kaiming_normal_(conv.weight, mode="fan_out", nonlinearity="relu")
            nn.init.zeros_(conv.bias)

    def merged_kernel(self):
        """Return the merged weight ``(out, in, 2K-1, 2K-1)`` and bias ``(out,)``."""
        last = self.num_kernels - 1
        weight = torch.stack(
            [F.pad(conv.weight, [last - i] * 4) for i, conv in enumerate(self.kernels)]
        ).mean(dim=0)
        bias = torch.stack([conv.bias for conv in self.kernels]).mean(dim=0)
        return weight, bias

    def forward(self, x):
        """Apply the block to ``x`` of shape (batch, in_channels, height, width)."""
        weight, bias = self.merged_kernel()
        return F.conv2d(x, weight, bias, padding=self.num_kernels - 1)


def dominant_periods(x, top_k):
    """The ``top_k`` strongest periods of each record, with their amplitudes.

    Parameters
    ----------
    x : Tensor of shape (batch, n_times, n_features)
    top_k : int

    Returns
    -------
    periods : ndarray of shape (batch, k), int
        ``n_times // f`` for the ``k = min(top_k, n_times // 2)`` non-DC rFFT
        bins ``f`` of largest amplitude (amplitude averaged over features).
        When ``n_times < 2`` there is no such bin and the period is
        ``n_times``.
    amplitudes : Tensor of shape (batch, k)
        Their amplitudes (differentiable), zero when ``n_times < 2``.
    """
    n_times = x.shape[1]
    amplitude = torch.fft.rfft(x, dim=1).abs().mean(dim=-1)[:, 1:]
    if amplitude.shape[1] == 0:
        return np.full((x.shape[0], 1), n_times), x.new_zeros(x.shape[0], 1)
    top = torch.topk(amplitude, min(top_k, amplitude.shape[1]), dim=1)
    frequencies = top.indices.cpu().numpy() + 1
    return n_times // frequencies, top.values


class TimesBlock(nn.Module):
    """Fold time by each record's dominant periods, convolve in 2-D, combine.

    Parameters
    ----------
    d_model, d_ff : int
        Feature width outside and inside the block.
    top_k : int
        Periods used per record.
    num_kernels : int
        Kernels of each :class:`Inception`.
    """

    def __init__(self, d_model, d_ff, top_k, num_kernels):
        super().__init__()
        self.top_k = top_k
        self.conv = nn.Sequential(
            Inception(d_model, d_ff, num_kernels),
            nn.GELU(),
            Inception(d_ff, d_model, num_kernels),
        )

    def _fold_convolve(self, x, period):
        batch, n_times, n_features = x.shape
        length = -(-n_times // period) * period
        if length != n_times:
            x = F.pad(x, (0, 0, 0, length - n_times))
        grid = x.reshape(batch, length // period, period, n_features).permute(0, 3, 1, 2)
        out = self.conv(grid).permute(0, 2, 3, 1).reshape(batch, length, n_features)
        return out[:, :n_times]

    def forward(self, x):
        """Apply the block to ``x`` of shape (batch, n_times, d_model)."""
        periods, amplitudes = dominant_periods(x, self.top_k)
        batch, k = periods.shape
        # Branch (record b, rank i) sits at row b * k + i; records that share
        # a period are folded and convolved together, once per period.
        flat = periods.reshape(-1)
        outputs, rows = [], []
        for period in np.unique(flat):
            index = np.flatnonzero(flat == period)
            records = torch.as_tensor(index // k, device=x.device)
            outputs.append(self._fold_convolve(x[records], int(period)))
            rows.append(index)
        inverse = torch.as_tensor(np.argsort(np.concatenate(rows)), device=x.device)
        branches = torch.cat(outputs)[inverse].reshape(batch, k, *x.shape[1:])
        weights = F.softmax(amplitudes, dim=1)
        return torch.einsum("bk,bktd->btd", weights, branches) + x


class TimesNet(nn.Module):
    """The TimesNet-Gen autoencoder.

    Parameters
    ----------
    n_channels : int
        Channels per record (3: E, N, U).
    n_times : int
        Samples per record.
    d_model, d_ff, e_layers, top_k, num_kernels : int
        Feature width, inner width, number of TimesBlocks, periods per record,
        kernels per Inception block.
    dropout : float
        Dropout after the embedding.

    Notes
    -----
    ``encode`` and ``head`` work on normalised records (see :func:`normalize`);
    ``forward`` returns the reconstruction in the input's units,
    ``head(encode(x_norm)) * sigma + mu``.
    """

    def __init__(self, n_channels, n_times, d_model, d_ff, e_layers, top_k, num_kernels, dropout):
        super().__init__()
        self.embedding = nn.Linear(n_channels, d_model)
        self.position = nn.Parameter(torch.empty(n_times, d_model))
        nn.init.normal_(self.position, std=0.02)
        self.dropout = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(
            TimesBlock(d_model, d_ff, top_k, num_kernels) for _ in range(e_layers)
        )
        self.layer_norm = nn.LayerNorm(d_model)
        self.projection = nn.Linear(d_model, n_channels)

    def encode(self, x_norm):
        """Latents ``z`` of shape (batch, n_times, d_model) of normalised records
        ``x_norm`` of shape (batch, n_channels, n_times)."""
        z = self.dropout(self.embedding(x_norm.transpose(1, 2)) + self.position)
        for block in self.blocks:
            z = self.layer_norm(block(z))
        return z

    def head(self, z):
        """Normalised reconstruction (batch, n_channels, n_times) of latents ``z``."""
        return self.projection(z).transpose(1, 2)

    def forward(self, x):
        """Reconstruct records ``x`` of shape (batch, n_channels, n_times)."""
        x_norm, mu, sigma = normalize(x)
        return self.head(self.encode(x_norm)) * sigma[..., None] + mu[..., None]
