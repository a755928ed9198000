"""Processing of a whole record before its window is cut.

The defaults follow the first steps of USGS gmprocess's strong-motion
processing: remove the mean, remove a linear trend, taper 5 % of the record
at each end with a Hann window. A band-pass is off by default; when asked for,
it is a zero-phase (forward and backward) 4-pole Butterworth filter. Each
step is done with obspy's ``Trace`` methods on the whole record, so a window
cut afterwards starts and ends in processed data. See ``docs/data.rst``.
"""

import numbers

import numpy as np
from obspy import Trace

from .._validation import check_band


def check_processing(demean, detrend, taper, bandpass, fs):
    """Validate the processing options; returns ``(taper, bandpass)`` normalised."""
    for name, value in (("demean", demean), ("detrend", detrend)):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {value!r}.")
    if taper is None or taper is False:
        taper = 0.0
    if isinstance(taper, (bool, np.bool_)) or not isinstance(taper, numbers.Real):
        raise TypeError(f"taper must be a fraction (e.g. 0.05) or None, got {taper!r}.")
    if not 0.0 <= taper <= 0.5:
        raise ValueError(f"taper must be between 0 and 0.5 (fraction at each end), got {taper}.")
    if bandpass is not None:
        bandpass = check_band(bandpass, "bandpass")
        if bandpass[1] >= fs / 2:
            raise ValueError(
                f"bandpass upper corner {bandpass[1]} Hz must be below the Nyquist "
                f"frequency {fs / 2} Hz of fs={fs}."
            )
    return float(taper), bandpass


def process(data, fs, demean=True, detrend=True, taper=0.05, bandpass=None):
    """Demean, detrend, taper and band-pass each channel of a record.

    Parameters
    ----------
    data : ndarray of shape (n_channels, n_samples)
        Acceleration; not modified.
    fs : float
        Sampling rate in Hz.
    demean, detrend : bool
        Remove the mean; remove a least-squares straight line.
    taper : float
        Fraction of the record tapered at each end (Hann); 0 for none.
    bandpass : (float, float) or None
        Corners in Hz of a zero-phase 4-pole Butterworth band-pass.

    Returns
    -------
    processed : ndarray of shape (n_channels, n_samples), float64
    """
    processed = np.empty(data.shape, dtype=np.float64)
    for slot, channel in enumerate(data):
        trace = Trace(np.array(channel, dtype=np.float64), header={"sampling_rate": fs})
        if demean:
            trace.detrend("demean")
        if detrend:
            trace.detrend("linear")
        if taper > 0 and trace.stats.npts > 2:
            trace.taper(max_percentage=taper, type="hann")
        if bandpass is not None:
            trace.filter(
                "bandpass", freqmin=bandpass[0], freqmax=bandpass[1], corners=4, zerophase=True
            )
        processed[slot] = trace.data
    return processed
