"""Training losses on waveforms (docs/method.rst, "Training length, loss and precision")."""

import torch

__all__ = ["STFT_RESOLUTIONS", "stft_log_magnitude_loss"]

# (n_fft, hop) pairs: 5.12 s, 1.28 s and 0.32 s Hann windows at 100 Hz, so
# that long-period content and short high-frequency bursts are both resolved.
STFT_RESOLUTIONS = ((512, 128), (128, 32), (32, 8))

# Floor of the magnitudes before the logarithm, for records normalised to unit
# variance: far below their strong-motion content, above round-off.
_MAGNITUDE_FLOOR = 1e-3


def stft_log_magnitude_loss(estimate, target, resolutions=STFT_RESOLUTIONS):
    """Multi-resolution STFT log-magnitude distance, as audio waveform models use.

    For each ``(n_fft, hop)`` the mean absolute difference of
    ``log(|STFT| + 1e-3)`` (Hann window), averaged over resolutions. Unlike
    the mean squared error it weighs every frequency by its relative error, so
    weak high frequencies and sharp peaks count.

    Parameters
    ----------
    estimate, target : Tensor of shape (batch, n_channels, n_times)
        Normalised waveforms. Resolutions with ``n_fft > n_times`` are skipped
        (the first resolution is shrunk to ``n_times`` if none fits).
    resolutions : sequence of (int, int), default=STFT_RESOLUTIONS

    Returns
    -------
    loss : Tensor, scalar

    Examples
    --------
    >>> import torch
    >>> x = torch.randn(2, 3, 1000)
    >>> float(stft_log_magnitude_loss(x, x))
    0.0
    """
    n_times = target.shape[-1]
    usable = [(n_fft, hop) for n_fft, hop in resolutions if n_fft <= n_times]
    if not usable:
        usable = [(n_times, max(1, n_times // 4))]
    estimate = estimate.reshape(-1, n_times)
    target = target.reshape(-1, n_times)
    total = 0.0
    for n_fft, hop in usable:
        window = torch.hann_window(n_fft, device=target.device, dtype=target.dtype)

        def log_magnitude(x, n_fft=n_fft, hop=hop, window=window):
            spectrum = torch.stft(x, n_fft, hop, window=window, center=False, return_complex=True)
            return torch.log(spectrum.abs() + _MAGNITUDE_FLOOR)

        total = total + torch.mean(torch.abs(log_magnitude(estimate) - log_magnitude(target)))
    return total / len(usable)
