"""Short-time Fourier transforms and batched Griffin-Lim phase retrieval.

One STFT convention for every skgen spectrogram: a periodic Hann window of
``n_fft`` samples, ``hop_length`` between frames, frames centred on their
samples with **zero** padding at both ends (``pad_mode="constant"``). Zero
padding suits accelerograms, which start and end at rest, and works for
records shorter than one window (reflect padding cannot).

Griffin-Lim (Griffin & Lim 1984) alternates between the set of spectrograms
with the target magnitude and the set of consistent spectrograms (STFTs of
some signal). skgen uses the fast variant of Perraudin, Balazs & Sondergaard
(2013, "A fast Griffin-Lim algorithm"): each step extrapolates the phase
estimate with a momentum term, which converges in far fewer iterations than
the plain algorithm (``momentum=0``). The update is librosa's and
torchaudio's, so results match those libraries' conventions.
"""

import torch

__all__ = ["stft", "istft", "griffin_lim", "spectral_convergence"]


def _hann(n_fft, reference):
    return torch.hann_window(n_fft, dtype=reference.dtype, device=reference.device)


def stft(x, n_fft, hop_length, window=None):
    """Complex STFT of signals with skgen's convention.

    Parameters
    ----------
    x : Tensor of shape (..., n_times)
        Real signals; any number of leading dimensions.
    n_fft : int
        Window and FFT length in samples.
    hop_length : int
        Samples between consecutive frames.
    window : Tensor of shape (n_fft,) or None, default=None
        Analysis window; ``None`` is a periodic Hann window.

    Returns
    -------
    spectrum : complex Tensor of shape (..., n_fft // 2 + 1, 1 + n_times // hop_length)

    Examples
    --------
    >>> import torch
    >>> stft(torch.zeros(2, 3, 6000), n_fft=256, hop_length=32).shape
    torch.Size([2, 3, 129, 188])
    """
    window = _hann(n_fft, x) if window is None else window
    lead = x.shape[:-1]
    spectrum = torch.stft(
        x.reshape(-1, x.shape[-1]),
        n_fft,
        hop_length,
        window=window,
        center=True,
        pad_mode="constant",
        return_complex=True,
    )
    return spectrum.reshape(*lead, *spectrum.shape[-2:])


def istft(spectrum, n_fft, hop_length, length, window=None):
    """Inverse of :func:`stft` (least-squares overlap-add).

    Parameters
    ----------
    spectrum : complex Tensor of shape (..., n_fft // 2 + 1, n_frames)
    n_fft, hop_length : int
        As in :func:`stft`.
    length : int
        Number of samples of the output signals.
    window : Tensor of shape (n_fft,) or None, default=None
        Synthesis window; ``None`` is a periodic Hann window.

    Returns
    -------
    x : Tensor of shape (..., length)
        Real signals.
    """
    if window is None:
        window = torch.hann_window(n_fft, dtype=spectrum.real.dtype, device=spectrum.device)
    lead = spectrum.shape[:-2]
    x = torch.istft(
        spectrum.reshape(-1, *spectrum.shape[-2:]),
        n_fft,
        hop_length,
        window=window,
        center=True,
        length=length,
    )
    return x.reshape(*lead, length)


def griffin_lim(
    magnitude,
    n_fft,
    hop_length,
    n_iter=32,
    length=None,
    window=None,
    momentum=0.99,
    init="random",
    generator=None,
):
    """Signals whose STFT magnitude approximates ``magnitude`` (fast Griffin-Lim).

    All spectrograms of the batch are processed together, so one call costs
    ``2 * n_iter + 1`` batched (inverse) STFTs; the iteration count dominates
    the cost.

    Parameters
    ----------
    magnitude : Tensor of shape (..., n_fft // 2 + 1, n_frames)
        Non-negative target magnitudes, in the convention of :func:`stft`.
    n_fft, hop_length : int
        STFT settings the magnitudes were computed with.
    n_iter : int, default=32
        Number of Griffin-Lim iterations (0 returns the initial estimate).
    length : int or None, default=None
        Samples per output signal; ``None`` is ``hop_length * (n_frames - 1)``.
    window : Tensor of shape (n_fft,) or None, default=None
        ``None`` is a periodic Hann window.
    momentum : float, default=0.99
        Fast Griffin-Lim extrapolation weight (Perraudin et al. 2013), in
        [0, 1); 0 is the original algorithm.
    init : {"random", "zeros"}, default="random"
        Initial phase: uniform random (drawn from ``generator``) or zero.
    generator : torch.Generator or None, default=None
        Source of the random initial phase, for reproducible output.

    Returns
    -------
    x : Tensor of shape (..., length)
        Real signals, same dtype and device as ``magnitude``.

    Raises
    ------
    ValueError
        Negative or non-integer ``n_iter``, ``momentum`` outside [0, 1),
        unknown ``init``, or a frequency axis that does not match ``n_fft``.

    Examples
    --------
    >>> import torch
    >>> t = torch.arange(2000) / 100.0
    >>> x = torch.sin(2 * torch.pi * 5.0 * t)
    >>> magnitude = stft(x, 128, 16).abs()
    >>> x_hat = griffin_lim(magnitude, 128, 16, n_iter=64, length=2000,
    ...                     generator=torch.Generator().manual_seed(0))
    >>> x_hat.shape
    torch.Size([2000])
    >>> bool(spectral_convergence(magnitude, stft(x_hat, 128, 16).abs()) < 0.1)
    True
    """
    if isinstance(n_iter, bool) or not isinstance(n_iter, int) or n_iter < 0:
        raise ValueError(f"n_iter must be a non-negative integer, got {n_iter!r}.")
    if not 0.0 <= momentum < 1.0:
        raise ValueError(f"momentum must be in [0, 1), got {momentum!r}.")
    if init not in ("random", "zeros"):
        raise ValueError(f"init must be 'random' or 'zeros', got {init!r}.")
    if magnitude.ndim < 2 or magnitude.shape[-2] != n_fft // 2 + 1:
        raise ValueError(
            f"magnitude must have shape (..., n_fft // 2 + 1 = {n_fft // 2 + 1}, "
            f"n_frames); got {tuple(magnitude.shape)}."
        )
    if length is None:
        length = hop_length * (magnitude.shape[-1] - 1)
    if window is None:
        window = _hann(n_fft, magnitude)
    if init == "random":
        phase = (
            2
            * torch.pi
            * torch.rand(magnitude.shape, generator=generator, dtype=magnitude.dtype).to(
                magnitude.device
            )
        )
    else:
        phase = torch.zeros_like(magnitude)
    angles = torch.polar(torch.ones_like(magnitude), phase)
    # tprev is the previous consistent spectrogram; the momentum step
    # extrapolates away from it (librosa/torchaudio form of Perraudin's FGLA).
    rebuilt = torch.zeros_like(angles)
    weight = momentum / (1.0 + momentum)
    # In-place updates: the loop is dominated by element-wise complex work.
    for _ in range(n_iter):
        previous = rebuilt
        signal = istft(angles.mul_(magnitude), n_fft, hop_length, length, window)
        rebuilt = stft(signal, n_fft, hop_length, window)
        angles = rebuilt.sub(previous, alpha=weight)
        angles.div_(angles.abs().add_(1e-16))
    return istft(angles.mul_(magnitude), n_fft, hop_length, length, window)


def spectral_convergence(target, estimate):
    """Relative error ``||target - estimate||_F / ||target||_F`` of magnitudes.

    The usual quality measure of phase retrieval (0 is perfect).

    Parameters
    ----------
    target, estimate : Tensor of shape (..., n_freqs, n_frames)
        Magnitude spectrograms.

    Returns
    -------
    error : Tensor of shape ()
    """
    return torch.linalg.vector_norm(target - estimate) / torch.linalg.vector_norm(target)
