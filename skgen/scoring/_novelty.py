"""Novelty: is a generated record a copy of a real one?

A generator that replays, shifts or lightly filters the records it was given
would score well on every spectral metric. The largest normalised
cross-correlation over lags between a generated record and any record of
its station's pool measures how close it is to a copy: 1 for a replay
(shifted or not), about 0.2-0.3 between records of different events at one
station (see docs/scoring.rst, "Novelty").
"""

import numpy as np
from scipy import fft

from .._validation import check_three_component

__all__ = ["max_cross_correlation"]

# Cross-correlations of one record with this many pool records are held in
# memory at once.
_REFERENCES_PER_CHUNK = 64


def max_cross_correlation(X, references):
    """Largest normalised cross-correlation of each record with any reference.

    For a record ``x`` and a reference ``r``, per component ``c`` (after
    removing each trace's mean)::

        rho_c = max over lags k of |sum_t x_c[t + k] r_c[t]| / (||x_c|| ||r_c||)

    computed for all lags at once with FFTs (zero-padded, so the correlation
    is linear, not circular). ``rho`` is the mean of ``rho_c`` over the three
    components, and the result is the largest ``rho`` over the references.
    A component that is all zeros contributes 0.

    Parameters
    ----------
    X : array-like of shape (n_records, 3, n_times)
        Records (E, N, U); one record of shape (3, n_times) is accepted.
    references : array-like of shape (n_references, 3, n_reference_times)
        Records to compare with (a station's pool).

    Returns
    -------
    similarity : ndarray of shape (n_records,)
        In [0, 1]; 1 when a record is a reference, scaled or with its sign
        flipped, and 1 up to the removed means when it is a delayed copy.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.scoring import max_cross_correlation
    >>> rng = np.random.default_rng(0)
    >>> pool = rng.standard_normal((4, 3, 500))
    >>> round(float(max_cross_correlation(-3.0 * pool[2], pool)[0]), 6)
    1.0
    >>> delayed = np.pad(pool[2], ((0, 0), (25, 0)))
    >>> round(float(max_cross_correlation(delayed, pool)[0]), 2)
    1.0
    >>> bool(max_cross_correlation(rng.standard_normal((3, 500)), pool)[0] < 0.3)
    True
    """
    X = check_three_component(X, "X", min_times=1)
    references = check_three_component(references, "references", min_times=1)
    X = np.asarray(X, dtype=float).reshape(-1, 3, X.shape[-1])
    references = np.asarray(references, dtype=float).reshape(-1, 3, references.shape[-1])
    X = X - X.mean(axis=-1, keepdims=True)
    references = references - references.mean(axis=-1, keepdims=True)
    n_fft = fft.next_fast_len(X.shape[-1] + references.shape[-1] - 1, real=True)
    spectra = fft.rfft(X, n_fft, axis=-1)
    reference_spectra = np.conj(fft.rfft(references, n_fft, axis=-1))
    norms = np.linalg.norm(X, axis=-1)
    reference_norms = np.linalg.norm(references, axis=-1)

    similarity = np.empty(X.shape[0])
    for i in range(X.shape[0]):
        best = 0.0
        for start in range(0, references.shape[0], _REFERENCES_PER_CHUNK):
            chunk = slice(start, start + _REFERENCES_PER_CHUNK)
            correlation = fft.irfft(spectra[i] * reference_spectra[chunk], n_fft, axis=-1)
            peak = np.max(np.abs(correlation), axis=-1)
            scale = norms[i] * reference_norms[chunk]
            with np.errstate(divide="ignore", invalid="ignore"):
                rho = np.where(scale > 0, peak / scale, 0.0)
            best = max(best, float(np.max(rho.mean(axis=-1))))
        similarity[i] = min(best, 1.0)
    return similarity
