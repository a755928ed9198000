"""Signal processing for strong-motion records: spectra, HVSR, f0 and intensity measures.

Every HVSR in skgen (scorer, CLI, plots, benchmarks) comes from this package,
and so does every intensity measure the scorers compare. The HVSR pipeline is
the published one (see :doc:`/method`): per component a least-squares linear
detrend, zero padding by ``round(1.5 * order / fc * fs)`` samples at both
ends, a 2nd-order Butterworth high-pass at ``fc`` applied forward and
backward, ``|rFFT|``; horizontal = geometric mean ``sqrt(|E| |N|)``; H and V
smoothed separately; HVSR = H_s / V_s at fixed centre frequencies. skgen's
default smoothing is true Konno-Ohmachi; the published log-Gaussian kernel is
available as ``kernel="log-gaussian"``. The intensity measures (response
spectra, Arias intensity, Husid curve, significant duration, Fourier
amplitude spectra, PGA, PGV) are described in :doc:`/intensity_measures`.

Records are arrays of shape ``(n_records, 3, n_times)`` with channels E, N, U,
accelerations in m/s^2.
"""

from ._hvsr import hvsr
from ._intensity import (
    PGA_CHANNELS,
    G,
    arias_intensity,
    horizontal_geometric_mean,
    husid,
    husid_times,
    pga,
    pgv,
    significant_duration,
)
from ._peaks import PEAK_METHODS, f0_statistics, peak_frequency
from ._response import response_spectrum
from ._smoothing import KERNELS, default_centers, konno_ohmachi_smooth
from ._spectra import amplitude_spectrum, fourier_amplitude

__all__ = [
    "G",
    "KERNELS",
    "PEAK_METHODS",
    "PGA_CHANNELS",
    "amplitude_spectrum",
    "arias_intensity",
    "default_centers",
    "f0_statistics",
    "fourier_amplitude",
    "horizontal_geometric_mean",
    "husid",
    "husid_times",
    "hvsr",
    "konno_ohmachi_smooth",
    "peak_frequency",
    "pga",
    "pgv",
    "response_spectrum",
    "significant_duration",
]
