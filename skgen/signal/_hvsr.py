"""Horizontal-to-vertical spectral ratio (HVSR) of 3-component records.

Every HVSR in skgen (scorer, CLI, plots, benchmarks) comes from here. The
pipeline is the published one (see :doc:`/method`): the spectra of
:func:`amplitude_spectrum`; horizontal = geometric mean ``sqrt(|E| |N|)``; H
and V smoothed separately; HVSR = H_s / V_s at fixed centre frequencies.
skgen's default smoothing is true Konno-Ohmachi; the published log-Gaussian
kernel is available as ``kernel="log-gaussian"``.
"""

import numpy as np

from .._validation import (
    check_band,
    check_frequencies,
    check_highpass,
    check_positive,
    check_three_component,
)
from ._smoothing import KERNELS, _smoothing_matrix, apply_weights, default_centers
from ._spectra import amplitude

__all__ = ["hvsr"]

_MIN_TIMES = 8
# Records per block in hvsr: bounds the complex spectra held at once (~55 MB
# in float32 for 6000-sample records) without losing the batched products.
_CHUNK_RECORDS = 256


def hvsr(
    X, fs, *, centers=None, bandwidth=40.0, band=(1.0, 20.0), highpass=0.05, kernel="konno-ohmachi"
):
    """Horizontal-to-vertical spectral ratio of 3-component records.

    Spectra come from :func:`amplitude_spectrum`; the horizontal spectrum is
    the geometric mean ``sqrt(|E| |N|)``; H and V are smoothed separately with
    :func:`konno_ohmachi_smooth` and HVSR = H_s / V_s at the centres.

    Parameters
    ----------
    X : array-like of shape (n_records, 3, n_times) or (3, n_times)
        Records with channels E, N, U.
    fs : float
        Sampling rate in Hz.
    centers : array-like of shape (n_centers,), default=None
        Positive centre frequencies up to Nyquist. ``None`` uses
        ``default_centers(band)``.
    bandwidth : float, default=40.0
        Smoothing coefficient ``b``.
    band : tuple of float, default=(1.0, 20.0)
        ``(low, high)`` in Hz, inside (0, Nyquist]; only used when
        ``centers`` is ``None``.
    highpass : float or None, default=0.05
        High-pass corner in Hz (``None``: no filter, no padding).
    kernel : {"konno-ohmachi", "log-gaussian"}, default="konno-ohmachi"
        Smoothing window; ``"log-gaussian"`` with ``highpass=0.05`` and
        ``band=(1, 20)`` is the published pipeline.

    Returns
    -------
    centers : ndarray of shape (n_centers,)
        Centre frequencies in Hz.
    curves : ndarray of shape (n_records, n_centers) or (n_centers,)
        HVSR amplitudes (float32); 1-D for a single record. A record whose
        smoothed vertical spectrum is zero (a silent U channel) gives
        non-finite values.

    Raises
    ------
    ValueError
        If ``fs`` is not positive, ``X`` is not 3-channel, too short or not
        finite, ``band`` or ``centers`` fall outside (0, Nyquist], or any
        smoothing argument is invalid.
    TypeError
        If ``X`` is not a real numeric array or ``fs`` is not a number.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).standard_normal((4, 3, 6000))
    >>> centers, curves = hvsr(X, fs=100.0)
    >>> curves.shape == (4, centers.size)
    True
    """
    fs = check_positive(fs, "fs")
    X = check_three_component(X, min_times=_MIN_TIMES)
    nyquist = fs / 2
    if centers is None:
        low, high = check_band(band)
        if high > nyquist:
            raise ValueError(f"band {band!r} is outside Nyquist: it must lie in (0, {nyquist}] Hz")
        centers = default_centers((low, high))
    else:
        centers = check_frequencies(centers, "centers", allow_zero=False)
        if centers.max() > nyquist:
            raise ValueError(f"centers reach {centers.max()} Hz, outside Nyquist ({nyquist} Hz)")
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")
    bandwidth = check_positive(bandwidth, "bandwidth")
    highpass = check_highpass(highpass, fs)

    single = X.ndim == 2
    records = X[None] if single else X
    curves = np.empty((records.shape[0], centers.size), dtype=np.float32)
    weights = None
    for start in range(0, records.shape[0], _CHUNK_RECORDS):
        block = records[start : start + _CHUNK_RECORDS]
        # float32 spectra: HVSR is a ratio of smoothed spectra, accurate to
        # ~1e-5 relative, far below the spread between records.
        freqs, amplitudes = amplitude(block, fs, highpass, np.float32)
        if weights is None:
            weights = _smoothing_matrix(
                freqs.astype(np.float64).tobytes(),
                centers.tobytes(),
                bandwidth,
                kernel,
                np.dtype(np.float32).str,
            )
        # sqrt of each factor: the product of two large float32 amplitudes
        # could overflow.
        horizontal_vertical = np.stack(
            [np.sqrt(amplitudes[:, 0]) * np.sqrt(amplitudes[:, 1]), amplitudes[:, 2]], axis=1
        )
        smoothed = apply_weights(horizontal_vertical, weights)
        with np.errstate(divide="ignore", invalid="ignore"):
            curves[start : start + block.shape[0]] = smoothed[:, 0] / smoothed[:, 1]
    return centers, curves[0] if single else curves
