"""Evolutionary-spectrum surrogates: new records with one record's
time-frequency content and new phases.

Numpy only. A record's short-time Fourier transform (periodic Hann window,
hop a quarter window) gives its evolutionary spectrum (Priestley, 1965):
how much energy each frequency carries at each time. Every cell gets a
random phase, the same on every component, and the cells are overlap-added
back. The result is locally stationary noise with the record's
time-varying spectrum, which is the classical stochastic model of
non-stationary ground motion, fitted to one record rather than to an average:
when each band's energy arrives (P before S, dispersed surface waves) and,
because one phase turns all components of a cell together, each cell's
cross-spectrum between components (polarisation, the vertical a quarter
period from the radial in Rayleigh waves) are the record's
(docs/method.rst, "Records, not averages").
"""

import numpy as np
import scipy.fft

__all__ = ["draw_phases", "evolutionary_surrogates", "window_samples"]

# Records transformed at a time: their frames (four copies of each record)
# stay within a few MB.
_BLOCK = 16

# Hops per window: a quarter window (75 % overlap), for which the squared
# periodic Hann window sums to a constant (1.5) in the interior.
_HOPS_PER_WINDOW = 4


def window_samples(window, fs, n_times):
    """Samples of an STFT window of ``window`` seconds at ``fs`` Hz: a
    multiple of 4, at least 4, at most ``n_times`` (rounded down to a
    multiple of 4) where the record is shorter than the window."""
    width = int(round(window * fs))
    width = min(width, n_times)
    return max(_HOPS_PER_WINDOW, width - width % _HOPS_PER_WINDOW)


def _hann(width):
    """Periodic Hann window (the STFT convention), float32."""
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(width) / width)).astype(np.float32)


def _overlap_add(frames, n_blocks):
    """Sum frames of four hop-blocks each, frame ``j`` starting at block ``j``.

    ``frames`` has shape (..., n_frames, 4, hop); returns (..., n_blocks * hop).
    """
    *lead, n_frames, _, hop = frames.shape
    out = np.zeros((*lead, n_blocks, hop), dtype=frames.dtype)
    for q in range(_HOPS_PER_WINDOW):
        out[..., q : q + n_frames, :] += frames[..., q, :]
    return out.reshape(*lead, n_blocks * hop)


def _n_blocks(n_times, width):
    """Hops of the padded record: a window on the left and at least one on
    the right, to whole hops."""
    return -(-(n_times + 2 * width) // (width // _HOPS_PER_WINDOW))


def draw_phases(n_records, n_times, width, rng):
    """The random phase turns of :func:`evolutionary_surrogates`, as fractions
    of a turn.

    Parameters
    ----------
    n_records, n_times : int
    width : int
        Window length in samples, a multiple of 4 (:func:`window_samples`).
    rng : numpy.random.Generator

    Returns
    -------
    phases : ndarray of shape (n_records, 1, n_frames, width // 2 + 1), float32
        Uniform on [0, 1), one per record, window and frequency (shared by
        the channels). Drawing them for many records at once or in
        consecutive pieces gives the same values.
    """
    n_frames = _n_blocks(n_times, width) - _HOPS_PER_WINDOW + 1
    return rng.random((n_records, 1, n_frames, width // 2 + 1), dtype=np.float32)


def evolutionary_surrogates(records, width, phases, workers=-1):
    """Records with the STFT magnitudes of ``records`` and random phases.

    Each record is zero-padded by one window at both ends, cut into windows
    of ``width`` samples every ``width / 4`` (periodic Hann), Fourier
    transformed; each cell (window, frequency) is turned by a uniform random
    phase shared by the record's channels (the zero-frequency cell keeps its
    phase), and the windows are transformed back, windowed again and
    overlap-added with weights that undo the windowing (weighted overlap-add:
    with no turn, the record comes back). Random phases partly cancel where
    windows overlap, so each component is then scaled to the record's energy.

    Parameters
    ----------
    records : ndarray of shape (n_records, n_channels, n_times)
    width : int
        Window length in samples, a multiple of 4 (:func:`window_samples`).
    phases : ndarray or numpy.random.Generator
        The turns from :func:`draw_phases` for these records, or a generator
        to draw them from.
    workers : int, default=-1
        Threads of each Fourier transform (``scipy.fft``).

    Returns
    -------
    surrogates : ndarray of shape (n_records, n_channels, n_times), float32
    """
    # C order: reductions over time then sum in the same order whatever the
    # layout the records came in (a bank of network outputs is strided).
    records = np.ascontiguousarray(records, dtype=np.float32)
    if isinstance(phases, np.random.Generator):
        phases = draw_phases(len(records), records.shape[-1], width, phases)
    return np.concatenate(
        [
            _block_surrogates(
                records[start : start + _BLOCK], width, phases[start : start + _BLOCK], workers
            )
            for start in range(0, len(records), _BLOCK)
        ]
    )


def _block_surrogates(records, width, phases, workers):
    n_records, n_channels, n_times = records.shape
    hop = width // _HOPS_PER_WINDOW
    n_blocks = _n_blocks(n_times, width)
    padded = np.zeros((n_records, n_channels, n_blocks * hop), dtype=np.float32)
    padded[..., width : width + n_times] = records
    window = _hann(width)
    n_frames = n_blocks - _HOPS_PER_WINDOW + 1
    frames = np.lib.stride_tricks.sliding_window_view(padded, width, axis=-1)[..., ::hop, :]
    spectrum = scipy.fft.rfft(frames[..., :n_frames, :] * window, axis=-1, workers=workers)
    angle = phases * np.float32(2 * np.pi)
    angle[..., 0] = 0.0
    turn = np.empty(angle.shape, dtype=np.complex64)
    turn.real = np.cos(angle)
    turn.imag = np.sin(angle)
    spectrum *= turn
    resynthesised = scipy.fft.irfft(spectrum, n=width, axis=-1, workers=workers)
    resynthesised *= window
    shape = (n_records, n_channels, n_frames, _HOPS_PER_WINDOW, hop)
    summed = _overlap_add(resynthesised.reshape(shape), n_blocks)
    squared = np.broadcast_to(np.square(window).reshape(_HOPS_PER_WINDOW, hop), shape[2:])
    weight = _overlap_add(squared, n_blocks)
    # Every sample of the record lies under four windows.
    surrogates = summed[..., width : width + n_times] / weight[width : width + n_times]
    actual = np.sqrt(np.mean(np.square(surrogates), axis=-1, keepdims=True, dtype=np.float64))
    target = np.sqrt(np.mean(np.square(records), axis=-1, keepdims=True, dtype=np.float64))
    gain = np.divide(target, actual, out=np.ones_like(target), where=actual > 0)
    surrogates *= gain.astype(np.float32)
    return surrogates
