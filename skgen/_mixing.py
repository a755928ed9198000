"""Array operations of TimesNet-Gen's mixing options, on records in the bank.

Numpy only: onset alignment shifts records in time (``align_onsets``),
``restore_spectrum`` measures and sets Fourier amplitudes in log-spaced bands,
and ``restore_envelope`` measures and sets the smoothed power envelope
(docs/method.rst, "Sampling").
"""

import numpy as np
import scipy.fft

from ._scenario import draw_near

__all__ = [
    "band_amplitudes",
    "band_edges",
    "draw_mixtures",
    "record_statistics",
    "mix_bank",
    "envelope_at",
    "envelope_width",
    "gather_shifted",
    "log_envelope",
    "match_bands",
    "match_envelope",
    "power_envelope",
    "shift",
]

# Log-spaced frequency bands in which ``restore_spectrum`` matches amplitudes:
# 48 bands from 1/T to Nyquist are about a third of an octave wide at 6000
# samples (with 24, a kappa-steep decay inside one band left the Fourier
# amplitude above 25 Hz 1.2x high).
N_BANDS = 48

# Moving-average window of the power envelope (seconds), and its sampling
# step in the bank (a quarter window).
ENVELOPE_SECONDS = 1.0

# Alternations of envelope and band restoring (``restore_envelope`` with
# ``restore_spectrum``): two leave both within a few per cent.
ENVELOPE_ITERATIONS = 2

# Relative floor of a target envelope: below 1e-6 of its peak power a record
# is noise-free silence, which no gain should try to fill.
_ENVELOPE_FLOOR = 1e-6


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
    return gather_shifted(records, np.arange(len(records)), shifts)


def gather_shifted(bank, rows, shifts):
    """``shift(bank[rows], shifts)`` without the intermediate copy.

    Parameters
    ----------
    bank : ndarray of shape (n_bank, n_channels, n_times)
    rows : ndarray of shape (n_records,), int
    shifts : ndarray of shape (n_records,), int
    """
    n_times = bank.shape[-1]
    out = np.zeros((len(rows),) + bank.shape[1:], dtype=bank.dtype)
    # One slice copy per record: cheaper than a gather with an index per sample.
    for i, (row, delay) in enumerate(zip(rows.tolist(), np.asarray(shifts).tolist())):
        if delay >= 0:
            if delay < n_times:
                out[i, :, delay:] = bank[row, :, : n_times - delay]
        elif -delay < n_times:
            out[i, :, : n_times + delay] = bank[row, :, -delay:]
    return out


def band_edges(n_times):
    """Edges (rFFT bin indices) of the ``restore_spectrum`` bands, 1 to Nyquist."""
    n_freqs = n_times // 2 + 1
    return np.unique(np.round(np.geomspace(1, n_freqs, N_BANDS + 1)).astype(int))


def band_amplitudes(records):
    """RMS of ``|rFFT|`` per log-spaced band, (n_records, n_channels, n_bands), float32.

    Bands cover rFFT bins 1 to Nyquist (DC excluded); a band's value is at
    least 1e-12 so that its logarithm exists.
    """
    power = np.abs(scipy.fft.rfft(records, axis=-1, workers=-1)) ** 2
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
    spectrum = scipy.fft.rfft(records, axis=-1, workers=-1)
    edges = band_edges(records.shape[-1])
    actual = band_amplitudes(records)
    gain = np.where(actual > 1e-12, target / actual, 1.0)
    widths = np.diff(np.append(edges, spectrum.shape[-1]))[: gain.shape[-1]]
    per_bin = np.repeat(gain, widths, axis=-1)
    spectrum[..., 1 : 1 + per_bin.shape[-1]] *= per_bin
    return scipy.fft.irfft(spectrum, n=records.shape[-1], axis=-1, workers=-1).astype(np.float32)


def envelope_width(fs, n_times):
    """Samples in the ``restore_envelope`` window: 1 s, at most the record."""
    return int(min(n_times, max(1, round(ENVELOPE_SECONDS * fs))))


def _hop(width):
    return max(1, width // 4)


def power_envelope(records, width, at=None):
    """Centred moving average of ``records ** 2`` over ``width`` samples, float64.

    The window shrinks at the record's ends (the mean of the samples that
    exist). Evaluated at the samples ``at`` (default: every sample, so that
    the envelope has the records' shape ``(..., n_times)``).
    """
    power = np.square(np.asarray(records, dtype=np.float64))
    n_times = power.shape[-1]
    cumulative = np.concatenate(
        [np.zeros(power.shape[:-1] + (1,)), np.cumsum(power, axis=-1)], axis=-1
    )
    at = np.arange(n_times) if at is None else at
    half = width // 2
    low = np.clip(at - half, 0, n_times)
    high = np.clip(at + half + 1, 0, n_times)
    return (cumulative[..., high] - cumulative[..., low]) / (high - low)


def _interpolation(position, n_steps):
    """Neighbours and weight of linear interpolation at ``position`` (in steps),
    clipped to ``[0, n_steps - 1]``: values there are
    ``(1 - fraction) * v[low] + fraction * v[high]``."""
    position = np.clip(position, 0, n_steps - 1)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, n_steps - 1)
    return low, high, position - low


def _grid(n_times, width):
    """Samples at which envelopes are kept: every quarter window."""
    return np.arange(0, n_times, _hop(width))


def log_envelope(records, width):
    """ln of the power envelope every quarter window, float32, as kept in the bank.

    Returns shape ``(..., ceil(n_times / hop))`` with ``hop = max(1, width // 4)``:
    the envelope at samples ``0, hop, 2 hop, ...``.
    """
    grid = _grid(np.shape(records)[-1], width)
    envelope = power_envelope(records, width, at=grid)
    return np.log(np.maximum(envelope, 1e-30)).astype(np.float32)


def envelope_at(log_envelopes, shifts, width):
    """Log envelopes (:func:`log_envelope`) delayed by ``shifts`` samples.

    Values at the same grid samples, linearly interpolated; before the first
    and after the last kept value the edge value holds (pre-event noise,
    coda).

    Parameters
    ----------
    log_envelopes : ndarray of shape (n_records, n_channels, n_steps)
    shifts : ndarray of shape (n_records,), int
    width : int

    Returns
    -------
    ndarray of shape (n_records, n_channels, n_steps), float64
    """
    n_steps = log_envelopes.shape[-1]
    position = np.arange(n_steps)[None, :] - np.asarray(shifts)[:, None] / _hop(width)
    low, high, fraction = _interpolation(position, n_steps)
    fraction = fraction[:, None, :]
    first = np.take_along_axis(log_envelopes, low[:, None, :], axis=2)
    second = np.take_along_axis(log_envelopes, high[:, None, :], axis=2)
    return (1.0 - fraction) * first + fraction * second


def match_envelope(records, log_target, width):
    """Multiply records by a slowly varying gain so that their power envelope
    (:func:`power_envelope`) becomes ``exp(log_target)``.

    The gain is computed at the envelope grid (every quarter window) and
    interpolated linearly to every sample.

    Parameters
    ----------
    records : ndarray of shape (n_records, n_channels, n_times)
    log_target : ndarray of shape (n_records, n_channels, n_steps)
        ln of the target power envelope at the grid of :func:`log_envelope`.
    width : int
        The envelope window (samples).
    """
    n_times = records.shape[-1]
    grid = _grid(n_times, width)
    target = np.exp(log_target)
    floor = _ENVELOPE_FLOOR * target.max(axis=-1, keepdims=True)
    actual = power_envelope(records, width, at=grid)
    gain = np.sqrt((target + floor) / (actual + floor)).astype(np.float32)
    # Linear interpolation between grid samples; the last value holds after
    # the last grid sample.
    low, high, fraction = _interpolation(np.arange(n_times) / _hop(width), len(grid))
    fraction = fraction.astype(np.float32)
    return (records * (gain[..., low] * (1 - fraction) + gain[..., high] * fraction)).astype(
        np.float32
    )


def draw_mixtures(n_records, n_samples, n_mix, alpha, rng, log_weights=None):
    """Records and Dirichlet weights of ``n_samples`` mixtures of ``n_mix``.

    Uniformly random distinct records (with replacement only when the station
    has fewer than ``n_mix``) and ``w ~ Dirichlet(alpha * 1_k)``, or, with
    ``log_weights``, records and weights favouring a target scenario
    (:func:`skgen._scenario.draw_near`).

    Returns
    -------
    indices : ndarray of shape (n_samples, n_mix), int
    weights : ndarray of shape (n_samples, n_mix), float64, rows summing to 1
    """
    if log_weights is not None:
        return draw_near(log_weights, n_mix, alpha, n_samples, rng)
    k = n_mix
    if n_records >= k:
        # The k smallest of n_records uniform keys: a uniformly random
        # k-subset per row, in O(n_records) (the weights are exchangeable, so
        # the order within a row does not matter).
        keys = rng.random_sample((n_samples, n_records))
        indices = np.argpartition(keys, k - 1, axis=1)[:, :k]
    else:
        indices = rng.randint(n_records, size=(n_samples, k))
    if np.isinf(alpha):
        weights = np.full((n_samples, k), 1.0 / k)
    else:
        weights = rng.dirichlet(np.full(k, float(alpha)), size=n_samples)
    return indices, weights


def mix_bank(
    entry,
    indices,
    weights,
    onsets,
    *,
    fs,
    waveform_weights,
    restore_spectrum,
    restore_envelope,
    restore_peak,
    restore_energy,
):
    """Normalised mixtures of a station's bank reconstructions, restored.

    ``weights`` set the amplitudes (every restore target); the waveforms are
    summed with them too, or with equal weights (``waveform_weights``).
    ``onsets`` (n_samples,) or None: the sample at which every component of a
    mixture is shifted to start (``align_onsets``). The options are those of
    :class:`skgen.TimesNetGenerator` (docs/method.rst, "Sampling").

    Returns
    -------
    mixed : ndarray of shape (n_samples, n_channels, n_times), float32
        In normalised units: the caller adds noise and applies mu and sigma.
    """
    n_times = entry["recon"].shape[-1]
    if waveform_weights == "equal":
        w32 = np.full(weights.shape, 1.0 / weights.shape[1], dtype=np.float32)
    else:
        w32 = weights.astype(np.float32)
    width = envelope_width(fs, n_times)
    mixed = np.zeros((len(indices),) + entry["recon"].shape[1:], dtype=np.float32)
    log_target = 0.0
    for j in range(indices.shape[1]):
        delay = np.zeros(len(indices), dtype=np.int64)
        if onsets is not None:
            delay = onsets - entry["onset"][indices[:, j]]
            component = gather_shifted(entry["recon"], indices[:, j], delay)
        else:
            component = entry["recon"][indices[:, j]]
        mixed += w32[:, j, None, None] * component
        if restore_envelope:
            # Weighted geometric mean of the aligned records' envelopes: a
            # typical envelope, not the longer one of their average.
            envelopes = envelope_at(entry["envelope"][indices[:, j]], delay, width)
            log_target = log_target + weights[:, j, None, None] * envelopes
    if restore_spectrum:
        target = np.exp(np.einsum("sk,skcb->scb", weights, np.log(entry["band"][indices])))
        mixed = match_bands(mixed, target)
        # The envelope gain widens the spectrum a little and the band gain
        # spreads the envelope a little: alternate, ending on the spectrum.
        for _ in range(ENVELOPE_ITERATIONS if restore_envelope else 0):
            mixed = match_bands(match_envelope(mixed, log_target, width), target)
        return mixed
    if restore_envelope:
        mixed = match_envelope(mixed, log_target, width)
    if restore_peak:
        target = np.exp(np.einsum("sk,skc->sc", weights, np.log(entry["peak"][indices])))
        actual = np.max(np.abs(mixed), axis=2)
    elif restore_energy:
        target = np.sqrt(np.einsum("sk,skc->sc", weights, entry["rms"][indices] ** 2))
        actual = np.sqrt(np.mean(np.square(mixed), axis=2))
    else:
        return mixed
    gain = np.divide(target, actual, out=np.ones_like(target), where=actual > 0)
    return mixed * gain.astype(np.float32)[..., None]


def record_statistics(x_norm, mu, sigma, fs):
    """Bank entries of normalised records besides their reconstructions.

    The restores aim at the recorded signal (an imperfect decoder's
    reconstructions are weaker): ``rms`` and ``peak`` (n_records, n_channels)
    of the normalised record, ``band`` amplitudes and ``envelope`` (log power
    envelope), and ``onset``, the sample of the 5 % point of the Husid curve of
    the record in its units, over all channels; with ``mu`` and ``sigma``.
    """
    husid = np.cumsum(np.square(x_norm * sigma[..., None]).sum(axis=1), axis=1)
    return {
        "mu": mu,
        "sigma": sigma,
        "rms": np.sqrt(np.mean(np.square(x_norm), axis=2)),
        "peak": np.max(np.abs(x_norm), axis=2),
        "onset": np.argmax(husid >= 0.05 * husid[:, -1:], axis=1).astype(np.int64),
        "band": band_amplitudes(x_norm),
        "envelope": log_envelope(x_norm, envelope_width(fs, x_norm.shape[-1])),
    }
