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
    "restore_bands_and_envelope",
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
    out = np.empty((len(rows),) + bank.shape[1:], dtype=bank.dtype)
    # One slice copy per record (cheaper than a gather with an index per
    # sample), and zeros only where no sample comes.
    for i, (row, delay) in enumerate(zip(rows.tolist(), np.asarray(shifts).tolist())):
        delay = min(max(delay, -n_times), n_times)
        if delay >= 0:
            out[i, :, :delay] = 0
            out[i, :, delay:] = bank[row, :, : n_times - delay]
        else:
            out[i, :, n_times + delay :] = 0
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
    records = np.asarray(records)
    return _band_rms(scipy.fft.rfft(records, axis=-1, workers=-1), records.shape[-1])


def _band_rms(spectrum, n_times):
    """:func:`band_amplitudes` of records whose rFFT is ``spectrum``."""
    power = np.square(spectrum.real)
    power += np.square(spectrum.imag)
    edges = band_edges(n_times)
    sums = np.add.reduceat(power[..., 1:], edges[:-1] - 1, axis=-1)
    counts = np.diff(np.append(edges, power.shape[-1]))[: len(edges) - 1]
    amplitude = np.sqrt(sums[..., : len(counts)] / counts)
    return np.maximum(amplitude, 1e-12).astype(np.float32)


def match_bands(records, target, workers=-1):
    """Rescale each band's Fourier amplitude to ``target``, keeping the phase.

    Parameters
    ----------
    records : ndarray of shape (n_records, n_channels, n_times)
    target : ndarray of shape (n_records, n_channels, n_bands)
        Band amplitudes as :func:`band_amplitudes` measures them.
    workers : int, default=-1
        Threads of each Fourier transform (``scipy.fft``; the result does
        not depend on them).
    """
    n_times = records.shape[-1]
    # One rFFT gives both the band amplitudes and the spectrum to rescale.
    spectrum = scipy.fft.rfft(records, axis=-1, workers=workers)
    edges = band_edges(n_times)
    actual = _band_rms(spectrum, n_times)
    gain = np.where(actual > 1e-12, target / actual, 1.0).astype(np.float32)
    widths = np.diff(np.append(edges, spectrum.shape[-1]))[: gain.shape[-1]]
    per_bin = np.repeat(gain, widths, axis=-1)
    spectrum[..., 1 : 1 + per_bin.shape[-1]] *= per_bin
    spectrum = scipy.fft.irfft(spectrum, n=n_times, axis=-1, workers=workers)
    return spectrum.astype(np.float32, copy=False)


def envelope_width(fs, n_times):
    """Samples in the ``restore_envelope`` window: 1 s, at most the record."""
    return int(min(n_times, max(1, round(ENVELOPE_SECONDS * fs))))


def _hop(width):
    return max(1, width // 4)


def power_envelope(records, width, at=None):
    """Centred moving average of ``records ** 2`` over ``width`` samples, float64.

    The window shrinks at the record's ends (the mean of the samples that
    exist). Evaluated at the samples ``at`` (default: every sample, so that
    the envelope has the records' shape ``(..., n_times)``); the cost grows
    with ``len(at) * width``, so that the bank's grid (every quarter window)
    costs about four passes over the records.
    """
    power = np.square(records)
    n_times = power.shape[-1]
    at = np.arange(n_times) if at is None else np.asarray(at)
    half = width // 2
    low = np.clip(at - half, 0, n_times)
    high = np.clip(at + half + 1, 0, n_times)
    # reduceat sums power[low:high] at the even slots (the odd ones, between
    # windows, are not used); it cannot index n_times, so a window reaching
    # the end stops one sample short and gets the last sample added.
    last = n_times - 1
    bounds = np.stack([low, np.minimum(high, last)], axis=1).ravel()
    # Sums of non-negative terms: float32 keeps them to a few 1e-7 relative.
    sums = np.add.reduceat(power, bounds, axis=-1)[..., ::2].astype(np.float64)
    to_end = (high == n_times) & (low < last)
    sums[..., to_end] += power[..., last:]
    return sums / (high - low)


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
    hop = _hop(width)
    grid = _grid(n_times, width)
    target = np.exp(log_target)
    floor = _ENVELOPE_FLOOR * target.max(axis=-1, keepdims=True)
    actual = power_envelope(records, width, at=grid)
    gain = np.sqrt((target + floor) / (actual + floor)).astype(np.float32)
    # Linear interpolation between grid samples, one hop of samples per grid
    # step: gain + fraction * (next gain - gain); the last value holds after
    # the last grid sample.
    step = np.diff(gain, axis=-1, append=gain[..., -1:])
    fraction = np.arange(hop, dtype=np.float32) / np.float32(hop)
    per_sample = step[..., None] * fraction
    per_sample += gain[..., None]
    per_sample = per_sample.reshape(gain.shape[:-1] + (-1,))[..., :n_times]
    return np.multiply(records, per_sample, dtype=np.float32)


def restore_bands_and_envelope(records, band_target, log_envelope, width, workers=-1):
    """Give records target band amplitudes and, optionally, a power envelope.

    The envelope gain widens the spectrum a little and the band gain spreads
    the envelope a little, so with both targets the two alternate
    (:data:`ENVELOPE_ITERATIONS` times), ending on the bands.

    Parameters
    ----------
    records : ndarray of shape (n_records, n_channels, n_times), float32
    band_target : ndarray of shape (n_records, n_channels, n_bands)
        Band amplitudes as :func:`band_amplitudes` measures them.
    log_envelope : ndarray of shape (n_records, n_channels, n_steps) or None
        ln of the target power envelope at the grid of :func:`log_envelope`;
        None restores the bands only.
    width : int
        The envelope window (samples).
    workers : int, default=-1
        Threads of each Fourier transform (:func:`match_bands`).
    """
    records = match_bands(records, band_target, workers)
    for _ in range(ENVELOPE_ITERATIONS if log_envelope is not None else 0):
        records = match_bands(match_envelope(records, log_envelope, width), band_target, workers)
    return records


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
    delays = np.zeros(indices.shape, dtype=np.int64)
    if onsets is not None:
        delays = onsets[:, None] - entry["onset"][indices]
    mixed = np.zeros((len(indices),) + entry["recon"].shape[1:], dtype=np.float32)
    for j in range(indices.shape[1]):
        if onsets is not None:
            component = gather_shifted(entry["recon"], indices[:, j], delays[:, j])
        else:
            component = entry["recon"][indices[:, j]]
        # component is a fresh copy either way: weight it in place.
        component *= w32[:, j, None, None]
        mixed += component
    if restore_envelope:
        # Weighted geometric mean of the aligned records' envelopes: a
        # typical envelope, not the longer one of their average.
        envelopes = envelope_at(entry["envelope"][indices.ravel()], delays.ravel(), width)
        log_target = np.einsum(
            "sk,skcb->scb", weights, envelopes.reshape(indices.shape + envelopes.shape[1:])
        )
    if restore_spectrum:
        target = np.exp(np.einsum("sk,skcb->scb", weights, np.log(entry["band"][indices])))
        return restore_bands_and_envelope(
            mixed, target, log_target if restore_envelope else None, width
        )
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
