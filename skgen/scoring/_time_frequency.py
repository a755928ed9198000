"""Time-frequency features of records: *when* energy arrives in each
frequency band, and how the components move together.

Spectral shape and broadband Husid times (:mod:`._c2st`, ``"basic"``) are
what a generator's spectrum and envelope restores impose. What they do not
impose is the structure of real wave fields, which these features measure
(see docs/scoring.rst, "Classifier two-sample test"):

- dispersed surface waves: lower frequencies arrive later, so the Husid
  times of octave bands differ, band by band, in a station-specific way;
- P before S: the vertical's energy leads the horizontals';
- polarised S waves: E and N are linear combinations of one motion, so
  coherent, while independent windowed noise on each component is not;
- Rayleigh waves: the vertical a quarter period from the radial, so the
  horizontal-vertical cross-spectrum is imaginary, while P and S motion
  puts it in phase;
- peaked arrivals: the envelope of a band rises to a few strong phases
  rather than to a flat plateau.
"""

import numpy as np
import scipy.signal

from ..signal import husid_times

__all__ = ["TIME_FREQUENCY_BANDS", "time_frequency_feature_names", "time_frequency_features"]

#: Octave bands (Hz) of :func:`time_frequency_features` (those whose upper
#: edge is below 0.4 fs are used).
TIME_FREQUENCY_BANDS = np.array([[0.5, 1.0], [1.0, 2.0], [2.0, 4.0], [4.0, 8.0], [8.0, 16.0]])
TIME_FREQUENCY_BANDS.setflags(write=False)

_BAND_LEVELS = (0.05, 0.5, 0.95)
# Welch segments of about 5 s: a resolution of 0.2 Hz resolves the lowest
# octave, and a 60 s record gives about 20 overlapping segments, enough to
# tell coherence 1 from the ~0.1 of independent noise.
_SEGMENT_SECONDS = 5.12
_PAIRS = ((0, 1), (0, 2), (1, 2))
_BLOCK = 32


def usable_bands(fs):
    """The :data:`TIME_FREQUENCY_BANDS` whose upper edge is below 0.4 fs."""
    return TIME_FREQUENCY_BANDS[TIME_FREQUENCY_BANDS[:, 1] < 0.4 * fs]


def time_frequency_feature_names(fs):
    """Names of the columns of :func:`time_frequency_features` at ``fs``.

    Parameters
    ----------
    fs : float
        Sampling rate (Hz).

    Returns
    -------
    names : list of str
        E.g. ``"t50_1-2Hz_U"`` (50 % Husid time of the 1-2 Hz band of U,
        from the onset), ``"peakedness_8-16Hz_E"``, ``"dispersion_N"``,
        ``"vertical_lead_t5"``, ``"coherence_0.5-1Hz_EN"``,
        ``"quadrature_2-4Hz"``.

    Examples
    --------
    >>> from skgen.scoring import time_frequency_feature_names
    >>> names = time_frequency_feature_names(100.0)
    >>> len(names), names[0], names[-1]
    (85, 't5_0.5-1Hz_E', 'quadrature_8-16Hz')
    """
    bands = [f"{low:g}-{high:g}Hz" for low, high in usable_bands(fs)]
    names = [
        f"t{round(100 * level)}_{band}_{c}"
        for band in bands
        for c in "ENU"
        for level in _BAND_LEVELS
    ]
    names += [f"peakedness_{band}_{c}" for band in bands for c in "ENU"]
    names += [f"dispersion_{c}" for c in "ENU"]
    names += ["vertical_lead_t5", "vertical_lead_t25"]
    names += [f"coherence_{band}_{'ENU'[a]}{'ENU'[b]}" for band in bands for a, b in _PAIRS]
    names += [f"quadrature_{band}" for band in bands]
    return names


def _band_passed(X, fs, bands):
    """(n_records, n_bands, 3, n_times): zero-phase 4th-order Butterworth."""
    out = np.empty((X.shape[0], len(bands)) + X.shape[1:])
    for i, (low, high) in enumerate(bands):
        sos = scipy.signal.butter(4, (low, high), btype="bandpass", fs=fs, output="sos")
        padlen = min(3 * (2 * len(sos) + 1), X.shape[-1] - 1)
        out[:, i] = scipy.signal.sosfiltfilt(sos, X, axis=-1, padlen=padlen)
    return out


def _log_ratio(numerator, denominator):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, np.log(numerator / denominator), np.nan)


def _peakedness(banded, fs, times):
    """ln(peak / mean) of each band's Hilbert envelope between its 5 and
    95 % Husid times: 0 for a plateau, large for a few strong phases."""
    envelope = np.abs(scipy.signal.hilbert(banded, axis=-1))
    t = np.arange(banded.shape[-1]) / fs
    inside = (t >= times[..., :1]) & (t <= times[..., 2:])
    count = inside.sum(axis=-1)
    mean = np.where(count > 0, (envelope * inside).sum(axis=-1) / np.maximum(count, 1), 0.0)
    # the peak inside the window too: the envelope's ends ring (Hilbert
    # transform of a finite record)
    return _log_ratio(np.max(envelope * inside, axis=-1), mean)


def _cross_spectral(X, fs, bands):
    """Band-averaged magnitude-squared coherence of E-N, E-U and N-U, and the
    quadrature fraction of the horizontal-vertical cross-spectra, per band."""
    nperseg = min(X.shape[-1], int(round(_SEGMENT_SECONDS * fs)))
    freqs, power = scipy.signal.welch(X, fs, nperseg=nperseg, axis=-1)
    cross = {}
    for a, b in _PAIRS:
        _, cross[a, b] = scipy.signal.csd(X[:, a], X[:, b], fs, nperseg=nperseg, axis=-1)
    coherence, quadrature = [], []
    for low, high in bands:
        inside = (freqs >= low) & (freqs < high)
        summed = {pair: value[:, inside].sum(axis=-1) for pair, value in cross.items()}
        auto = power[:, :, inside].sum(axis=-1)
        for a, b in _PAIRS:
            with np.errstate(divide="ignore", invalid="ignore"):
                coherence.append(np.abs(summed[a, b]) ** 2 / (auto[:, a] * auto[:, b]))
        horizontal_vertical = (summed[0, 2], summed[1, 2])
        imaginary = sum(np.abs(value.imag) for value in horizontal_vertical)
        magnitude = sum(np.abs(value) for value in horizontal_vertical)
        with np.errstate(divide="ignore", invalid="ignore"):
            quadrature.append(imaginary / magnitude)
    return np.stack(coherence, axis=-1), np.stack(quadrature, axis=-1)


def time_frequency_features(X, fs):
    """Features of when energy arrives per band and how components cohere.

    Times are in seconds from the record's onset, the 5 % time of its
    3-component Husid curve (the energy ``E^2 + N^2 + U^2``). Per record:

    - per band of :data:`TIME_FREQUENCY_BANDS` and component (E, N, U):
      the 5, 50 and 95 % Husid times of the band-passed record (zero-phase
      4th-order Butterworth) and the peakedness of its envelope,
      ``ln(max / mean)`` of the Hilbert envelope between the band's 5 and
      95 % times;
    - per component, the dispersion slope: the least-squares slope of the
      bands' 50 % times against log2 of the band centre (s per octave;
      negative when low frequencies arrive late);
    - the vertical's lead: the horizontal (``E^2 + N^2``) minus the
      vertical Husid time at 5 % and at 25 %, broadband (positive when P
      on the vertical comes first);
    - per band, the magnitude-squared coherence of E-N, E-U and N-U
      (band-averaged Welch cross-spectra, segments of 5.12 s): 1 for
      components proportional to one motion, near 0 for independent ones;
    - per band, the quadrature fraction of the horizontal-vertical
      cross-spectra, ``(|Im S_EU| + |Im S_NU|) / (|S_EU| + |S_NU|)``: 0 for
      motion in phase (P, S), 1 for a vertical a quarter period from the
      horizontals (Rayleigh).

    Every feature is amplitude-free (scaling a record changes nothing).
    A band without energy gives NaN, which the classifier of
    :func:`c2st_score` handles.

    Parameters
    ----------
    X : ndarray of shape (n_records, 3, n_times)
        Records, channels E, N, U (checked by the caller).
    fs : float
        Sampling rate (Hz).

    Returns
    -------
    features : ndarray of shape (n_records, 16 n_bands + 5)
        ``n_bands`` is the number of bands with an upper edge below 0.4 fs
        (5 at 100 Hz: 85 features).
    """
    # In blocks of records: the band-passed records and their envelopes
    # take 15 complex copies of every record.
    return np.concatenate(
        [_block_features(X[start : start + _BLOCK], fs) for start in range(0, len(X), _BLOCK)]
    )


def _block_features(X, fs):
    bands = usable_bands(fs)
    n_records = X.shape[0]
    onset = husid_times(np.sqrt(np.sum(X**2, axis=1)), fs, (0.05,))
    banded = _band_passed(X, fs, bands)
    times = husid_times(banded, fs, _BAND_LEVELS)
    peakedness = _peakedness(banded, fs, times)
    times = times - onset[:, np.newaxis, np.newaxis]
    octaves = np.log2(np.sqrt(bands[:, 0] * bands[:, 1]))
    centred = (octaves - octaves.mean()) / np.sum((octaves - octaves.mean()) ** 2)
    # (n_records, 3): slope of the band 50 % times over octaves
    dispersion = np.einsum("rbc,b->rc", times[..., 1], centred)
    horizontal = husid_times(np.sqrt(X[:, 0] ** 2 + X[:, 1] ** 2), fs, (0.05, 0.25))
    vertical = husid_times(X[:, 2], fs, (0.05, 0.25))
    coherence, quadrature = _cross_spectral(X, fs, bands)
    return np.concatenate(
        [
            times.reshape(n_records, -1),
            peakedness.reshape(n_records, -1),
            dispersion,
            horizontal - vertical,
            coherence,
            quadrature,
        ],
        axis=1,
    )
