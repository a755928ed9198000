"""Array operations of TimesNet-Gen's mixing options, on records in the bank.

Numpy only: onset alignment shifts records in time (``align_onsets``), and
``restore_spectrum`` measures and sets Fourier amplitudes in log-spaced bands
(docs/method.rst).
"""

import numpy as np

__all__ = ["band_amplitudes", "band_edges", "match_bands", "shift"]

# Log-spaced frequency bands in which ``restore_spectrum`` matches amplitudes.
N_BANDS = 24


def shift(records, shifts):
    """Delay each record by ``shifts`` samples (negative: advance), zero-filled.

    Parameters
    ----------
    records : ndarray of shape (n_records, n_channels, n_times)
    shifts : ndarray of shape (n_records,), int

    Returns
    -------
    shifted : ndarray of shape (n_records, n_channels, n_times)
        ``shifted[i, :, t] = records[i, :, t - shifts[i]]`` where that sample
        exists, else 0.
    """
    n_times = records.shape[-1]
    source = np.arange(n_times)[None, :] - np.asarray(shifts)[:, None]
    inside = (source >= 0) & (source < n_times)
    gathered = np.take_along_axis(records, np.clip(source, 0, n_times - 1)[:, None, :], axis=2)
    return gathered * inside[:, None, :]


def band_edges(n_times):
    """Edges (rFFT bin indices) of the ``restore_spectrum`` bands, 1 to Nyquist."""
    n_freqs = n_times // 2 + 1
    return np.unique(np.round(np.geomspace(1, n_freqs, N_BANDS + 1)).astype(int))


def band_amplitudes(records):
    """RMS of ``|rFFT|`` per log-spaced band, (n_records, n_channels, n_bands), float32.

    Bands cover rFFT bins 1 to Nyquist (DC excluded); a band's value is at
    least 1e-12 so that its logarithm exists.
    """
    power = np.abs(np.fft.rfft(records, axis=-1)) ** 2
    edges = band_edges(records.shape[-1])
    sums = np.add.reduceat(power[..., 1:], edges[:-1] - 1, axis=-1)
    counts = np.diff(np.append(edges, power.shape[-1]))[: len(edges) - 1]
    amplitude = np.sqrt(sums[..., : len(counts)] / counts)
    return np.maximum(amplitude, 1e-12).astype(np.float32)


def match_bands(records, target):
    """Rescale each band's Fourier amplitude to ``target``, keeping the phase.

    Parameters
    ----------
    records : ndarray of shape (n_records, n_channels, n_times)
    target : ndarray of shape (n_records, n_channels, n_bands)
        Band amplitudes as :func:`band_amplitudes` measures them.
    """
    spectrum = np.fft.rfft(records, axis=-1)
    edges = band_edges(records.shape[-1])
    actual = band_amplitudes(records)
    gain = np.where(actual > 1e-12, target / actual, 1.0)
    widths = np.diff(np.append(edges, spectrum.shape[-1]))[: gain.shape[-1]]
    per_bin = np.repeat(gain, widths, axis=-1)
    spectrum[..., 1 : 1 + per_bin.shape[-1]] *= per_bin
    return np.fft.irfft(spectrum, n=records.shape[-1], axis=-1).astype(np.float32)
