"""Synthetic, station-labelled strong-motion records with a known site frequency.

:func:`make_strong_motion` simulates 3-component accelerograms with the
stochastic point-source method (Boore, 2003): Gaussian noise, windowed in time
and shaped to a target Fourier amplitude spectrum built from a Brune
omega-squared source, geometric spreading, anelastic attenuation ``Q(f)`` and
``kappa``. Every station sits on a damped soil layer over an elastic
half-space whose resonance gives it a true site frequency ``f0 = Vs / (4 H)``,
so generators and HVSR code can be tested against ground truth offline.

References
----------
Boore, D. M. (2003). Simulation of ground motion using the stochastic method.
Pure and Applied Geophysics, 160, 635-676.

Atkinson, G. M. and Boore, D. M. (1995). Ground-motion relations for eastern
North America. Bulletin of the Seismological Society of America, 85, 17-30.

Boore, D. M. and Thompson, E. M. (2014). Path durations for use in the
stochastic-method simulation of ground motions. Bulletin of the
Seismological Society of America, 104, 2541-2552.

Boore, D. M. and Thompson, E. M. (2015). Revisions to some parameters used
in stochastic-method simulations of ground motion. Bulletin of the
Seismological Society of America, 105, 1029-1041.

Boore, D. M. and Boatwright, J. (1984). Average body-wave radiation
coefficients. Bulletin of the Seismological Society of America, 74,
1615-1621.

Madariaga, R. (1976). Dynamics of an expanding circular fault. Bulletin of
the Seismological Society of America, 66, 639-666.

Kramer, S. L. (1996). Geotechnical Earthquake Engineering. Prentice Hall,
section 7.2 (transfer function of a damped layer on an elastic half-space).
"""

import zlib

import numpy as np
from scipy.fft import irfft, next_fast_len, rfft, rfftfreq
from sklearn.utils import Bunch, check_random_state

from ._validation import check_count, check_positive

__all__ = ["REGIONS", "SITE_RANGES", "make_strong_motion"]

REGIONS = {
    "A": {
        "description": (
            "Active crust (western North America; Boore 2003, path durations "
            "of Boore and Thompson 2014): moderate stress drop, strong "
            "attenuation, high kappa."
        ),
        "stress_drop": 70.0,
        "kappa": 0.04,
        "q0": 180.0,
        "eta": 0.45,
        "beta": 3.5,
        "alpha": 6.0,
        "density": 2.8,
        "spreading_hinges": (1.0, 40.0),
        "spreading_exponents": (-1.0, -0.5),
        "duration_distances": (0.0, 7.0, 45.0, 125.0, 175.0, 270.0),
        "duration_values": (0.0, 2.4, 8.4, 10.9, 17.4, 34.2),
        "magnitude_range": (4.0, 6.5),
        "distance_range": (10.0, 100.0),
    },
    "B": {
        "description": (
            "Stable continent (eastern North America; Atkinson and Boore "
            "1995, path durations of Boore and Thompson 2015): high stress "
            "drop, weak attenuation, low kappa, long durations, smaller and "
            "more distant events."
        ),
        "stress_drop": 180.0,
        "kappa": 0.01,
        "q0": 680.0,
        "eta": 0.36,
        "beta": 3.7,
        "alpha": 6.4,
        "density": 2.8,
        "spreading_hinges": (1.0, 70.0, 130.0),
        "spreading_exponents": (-1.0, 0.0, -0.5),
        "duration_distances": (0.0, 15.0, 35.0, 50.0, 125.0, 200.0, 392.0),
        "duration_values": (0.0, 2.6, 17.5, 25.1, 25.1, 28.5, 46.0),
        "magnitude_range": (3.5, 5.5),
        "distance_range": (20.0, 150.0),
    },
    "C": {
        "description": (
            "Hard-rock shield: representative values for a stable craton with "
            "hard-rock sites (not calibrated to one data set): very low kappa, "
            "high Q with weak frequency dependence, trilinear spreading with a "
            "Moho-bounce plateau, larger events recorded at long distances, "
            "path durations of Boore and Thompson 2015."
        ),
        "stress_drop": 120.0,
        "kappa": 0.005,
        "q0": 1000.0,
        "eta": 0.3,
        "beta": 3.7,
        "alpha": 6.4,
        "density": 2.8,
        "spreading_hinges": (1.0, 70.0, 140.0),
        "spreading_exponents": (-1.3, 0.2, -0.5),
        "duration_distances": (0.0, 15.0, 35.0, 50.0, 125.0, 200.0, 392.0),
        "duration_values": (0.0, 2.6, 17.5, 25.1, 25.1, 28.5, 46.0),
        "magnitude_range": (5.0, 6.5),
        "distance_range": (60.0, 200.0),
    },
}
"""Source and path presets of :func:`make_strong_motion`, by region name.

Each preset is a dict with keys

- ``stress_drop`` : Brune stress drop in bar;
- ``kappa`` : high-frequency decay ``exp(-pi kappa f)``, in s;
- ``q0``, ``eta`` : anelastic attenuation ``Q(f) = q0 * f**eta``;
- ``beta``, ``alpha`` : crustal S- and P-wave speed at the source, km/s;
- ``density`` : crustal density at the source, g/cm^3;
- ``spreading_hinges``, ``spreading_exponents`` : piecewise power-law
  geometric spreading, ``R**exponents[i]`` from ``hinges[i]`` km on
  (continuous, 1 at 1 km);
- ``duration_distances``, ``duration_values`` : path duration in s,
  interpolated linearly in hypocentral distance (km);
- ``magnitude_range`` : moment magnitudes are drawn uniformly in it;
- ``distance_range`` : hypocentral distances (km) are drawn log-uniformly in it;
- ``description`` : where the values come from.

Add a preset by inserting a new key with the same fields.
"""

SITE_RANGES = {
    "f0": (1.5, 15.0),
    "vs_layer": (150.0, 450.0),
    "impedance_ratio": (5.0, 10.0),
    "damping": (0.01, 0.03),
    "vp_vs_layer": (4.0, 8.0),
}
"""Ranges of the per-station site properties of :func:`make_strong_motion`.

Station ``f0`` (Hz) is drawn log-uniformly, one station per equal slice of
``log f0``, so the stations of a data set spread over the whole range. The
soil layer's S-wave speed ``vs_layer`` (m/s) is log-uniform, its thickness is
``vs_layer / (4 f0)``; the S-wave impedance ratio half-space / layer, the
layer's damping ratio and its ``Vp / Vs`` are uniform in their ranges.
"""

# Fixed physical constants of the simulation.
_SARAGONI_HART_EPSILON = 0.2  # time of the window peak as a fraction of its length
_SARAGONI_HART_ETA = 0.05  # window amplitude left at the end of its nominal length
_WINDOW_LENGTH_FACTOR = 2.0  # window length / ground-motion duration (Boore 2003)
_RADIATION_S = 0.55  # average S-wave radiation pattern (Boore 2003)
_RADIATION_P = 0.52  # rms P-wave radiation pattern (Boore and Boatwright 1984)
_FREE_SURFACE = 2.0
_HORIZONTAL_PARTITION = 1.0 / np.sqrt(2.0)  # S amplitude per horizontal (Boore 2003)
_P_CORNER_RATIO = 1.5  # P corner frequency / S corner frequency (Madariaga 1976)
_S_VERTICAL_RATIO = 0.6  # vertical / horizontal S-wave amplitude (SV on the vertical)
_P_HORIZONTAL_RATIO = 0.3  # horizontal / vertical P-wave amplitude, steep incidence
_SOIL_DENSITY = 1.9  # g/cm^3
_ROCK_DENSITY = 2.4  # g/cm^3
_ROCK_VP_VS = np.sqrt(3.0)  # Poisson solid
_NOISE_FLOOR = 1e-5  # rms background noise of a strong-motion sensor, m/s^2
_P_ARRIVAL_RANGE = (3.0, 8.0)  # seconds of pre-event record before the P wave
_PAD_SECONDS = 20.0  # room for the site's ringing before the circular FFT wraps
_MIN_N_TIMES = 64
_CHUNK_RECORDS = 32
_MIN_FS = 40.0  # Nyquist at or above 20 Hz, the top of the usual HVSR band


def _check_arguments(n_stations, records_per_station, region, n_times, fs):
    n_stations = check_count(n_stations, "n_stations")
    records_per_station = check_count(records_per_station, "records_per_station")
    n_times = check_count(n_times, "n_times")
    if n_times < _MIN_N_TIMES:
        raise ValueError(f"n_times must be at least {_MIN_N_TIMES}, got {n_times}.")
    if not isinstance(region, str) or region not in REGIONS:
        raise ValueError(f"Unknown region {region!r}; known regions: {sorted(REGIONS)}.")
    fs = check_positive(fs, "fs")
    if fs < _MIN_FS:
        raise ValueError(
            f"fs must be at least {_MIN_FS} Hz so that the station frequencies "
            f"(up to {SITE_RANGES['f0'][1]} Hz) lie below Nyquist, got {fs}."
        )
    return n_stations, records_per_station, n_times, float(fs)


def _draw_sites(n_stations, rng):
    """Per-station soil layer over half-space, with stratified log-uniform f0."""
    low, high = np.log(SITE_RANGES["f0"])
    edges = np.linspace(low, high, n_stations + 1)
    f0 = np.exp(rng.uniform(edges[:-1], edges[1:]))
    rng.shuffle(f0)
    vs_low, vs_high = np.log(SITE_RANGES["vs_layer"])
    vs = np.exp(rng.uniform(vs_low, vs_high, n_stations))
    impedance = rng.uniform(*SITE_RANGES["impedance_ratio"], n_stations)
    damping = rng.uniform(*SITE_RANGES["damping"], n_stations)
    vp_vs = rng.uniform(*SITE_RANGES["vp_vs_layer"], n_stations)
    vs_rock = impedance * vs * _SOIL_DENSITY / _ROCK_DENSITY
    return {
        "f0": f0,
        "thickness": vs / (4.0 * f0),
        "vs": vs,
        "vp": vp_vs * vs,
        "vs_rock": vs_rock,
        "vp_rock": _ROCK_VP_VS * vs_rock,
        "damping": damping,
    }


def _layer_transfer(freqs, thickness, velocity, rock_velocity, damping):
    """Surface / outcropping-rock transfer function of a damped layer.

    Vertically incident waves, layer of ``thickness`` (m) and wave speed
    ``velocity`` (m/s) with hysteretic ``damping`` on an elastic half-space
    (Kramer 1996, section 7.2); resonance at ``velocity / (4 thickness)``.
    Arguments of shape (n_stations, 1), result (n_stations, n_freqs).
    """
    complex_velocity = velocity * np.sqrt(1.0 + 2.0j * damping)
    phase = 2.0 * np.pi * freqs * thickness / complex_velocity
    impedance = _SOIL_DENSITY * complex_velocity / (_ROCK_DENSITY * rock_velocity)
    return 1.0 / (np.cos(phase) + 1j * impedance * np.sin(phase))


def _geometric_spreading(distance, hinges, exponents):
    """Continuous piecewise power law in hypocentral distance (km), 1 at 1 km."""
    spreading = np.ones_like(distance)
    bounds = list(hinges[1:]) + [np.inf]
    for start, stop, exponent in zip(hinges, bounds, exponents):
        segment = np.clip(distance, start, stop) / start
        spreading = spreading * segment**exponent
    return spreading


def _saragoni_hart(time, length):
    """Saragoni-Hart window of Boore (2003), zero before ``time = 0``.

    Rises to 1 at ``0.2 length``, is 0.05 at ``length``, then decays.
    """
    eps, eta = _SARAGONI_HART_EPSILON, _SARAGONI_HART_ETA
    b = -eps * np.log(eta) / (1.0 + eps * (np.log(eps) - 1.0))
    c = b / eps
    a = (np.e / eps) ** b
    scaled = np.maximum(time, 0.0) / length
    return a * scaled**b * np.exp(-c * scaled)


def _shaped_noise(noise, spectrum, dt):
    """Boore (2003) step: unit-rms noise spectrum times the target spectrum.

    ``noise`` (..., n) is windowed noise; ``spectrum`` (..., n // 2 + 1) the
    target Fourier spectrum in m/s (complex allowed), so the output's Fourier
    amplitude has the target as its expected rms value.
    """
    noise_spectrum = rfft(noise, axis=-1)
    rms = np.sqrt(np.mean(np.abs(noise_spectrum) ** 2, axis=-1, keepdims=True))
    return irfft(noise_spectrum / rms * spectrum / dt, n=noise.shape[-1], axis=-1)


def _site_transfer(sites, freqs):
    """SH and P transfer functions of every station, (n_stations, n_freqs)."""
    column = {key: value[:, None] for key, value in sites.items()}
    sh_site = _layer_transfer(
        freqs, column["thickness"], column["vs"], column["vs_rock"], column["damping"]
    )
    p_site = _layer_transfer(
        freqs, column["thickness"], column["vp"], column["vp_rock"], column["damping"]
    )
    return sh_site, p_site


def _source_path_spectra(preset, magnitude, distance, freqs):
    """S (per horizontal) and P (vertical) Fourier spectra on rock, in m/s.

    Brune omega-squared source, geometric spreading, ``Q(f)`` and kappa
    (Boore 2003), shape (n_records, n_freqs); zero at 0 Hz. The P wave uses
    the same ``Q(f)`` with the P-wave speed.
    """
    f = freqs[None, :]
    moment = 10.0 ** (1.5 * magnitude[:, None] + 9.05)  # N m
    quality = preset["q0"] * np.maximum(f, freqs[1]) ** preset["eta"]
    spreading = _geometric_spreading(
        distance, preset["spreading_hinges"], preset["spreading_exponents"]
    )[:, None]
    decay = np.exp(-np.pi * preset["kappa"] * f)
    density = preset["density"] * 1000.0  # kg/m^3
    corner_s = _corner_frequency(preset, magnitude)[:, None]

    def spectrum(radiation, partition, speed, corner):
        # C M0 with speed in m/s and the 1 km reference distance in m gives m s;
        # times (2 pi f)^2 this is a Fourier acceleration amplitude in m/s.
        scale = (
            radiation
            * partition
            * _FREE_SURFACE
            / (4.0 * np.pi * density * (speed * 1000.0) ** 3 * 1000.0)
        )
        brune = (2.0 * np.pi * f) ** 2 / (1.0 + (f / corner) ** 2)
        attenuation = np.exp(-np.pi * f * distance[:, None] / (quality * speed))
        return scale * moment * brune * spreading * attenuation * decay

    s_wave = spectrum(_RADIATION_S, _HORIZONTAL_PARTITION, preset["beta"], corner_s)
    p_wave = spectrum(_RADIATION_P, 1.0, preset["alpha"], _P_CORNER_RATIO * corner_s)
    return s_wave, p_wave


def _corner_frequency(preset, magnitude):
    """Brune S-wave corner frequency in Hz (Boore 2003)."""
    moment_dyne_cm = 10.0 ** (1.5 * magnitude + 16.05)
    return 4.906e6 * preset["beta"] * (preset["stress_drop"] / moment_dyne_cm) ** (1 / 3)


def _record_windows(preset, magnitude, distance, pre_event, n_times, n_sim, fs):
    """S and P Saragoni-Hart windows on the simulation grid, (n, 2, n_sim).

    Each lasts the source duration ``1 / fc`` plus the path duration. Time 0
    is the record start: ``pre_event`` s before the P arrival, or later when
    needed to put the S-window peak no later than mid-record.
    """
    corner_s = _corner_frequency(preset, magnitude)
    path_duration = np.interp(distance, preset["duration_distances"], preset["duration_values"])
    length_s = _WINDOW_LENGTH_FACTOR * (1.0 / corner_s + path_duration)
    length_p = _WINDOW_LENGTH_FACTOR * (1.0 / (_P_CORNER_RATIO * corner_s) + path_duration)
    arrival_p = distance / preset["alpha"]
    arrival_s = distance / preset["beta"]
    s_peak = arrival_s + _SARAGONI_HART_EPSILON * length_s
    start = np.maximum(arrival_p - pre_event, s_peak - 0.5 * n_times / fs)
    time = np.arange(n_sim) / fs
    window_s = _saragoni_hart(time - (arrival_s - start)[:, None], length_s[:, None])
    window_p = _saragoni_hart(time - (arrival_p - start)[:, None], length_p[:, None])
    # Windows stop half-way into the pad so that the site's ringing has died out
    # before the circular FFT wraps it onto the start of the record.
    active = time < n_times / fs + 0.5 * _PAD_SECONDS
    return np.stack([window_s, window_p], axis=1) * active


def make_strong_motion(
    n_stations=8,
    records_per_station=20,
    region="A",
    n_times=6000,
    fs=100.0,
    random_state=None,
):
    """Simulate station-labelled 3-component strong-motion records.

    Stochastic point-source simulation (Boore, 2003). The Fourier amplitude
    spectrum of acceleration at hypocentral distance ``R`` is::

        A(f) = C M0 (2 pi f)^2 / (1 + (f / fc)^2) G(R)
               exp(-pi f R / (Q(f) v)) exp(-pi kappa f) T(f)

    with a Brune corner frequency ``fc`` set by the stress drop, the region's
    geometric spreading ``G``, ``Q(f) = q0 f^eta`` and ``kappa``, and the
    station's site transfer function ``T``. Gaussian noise is windowed with a
    Saragoni-Hart window lasting the source duration ``1 / fc`` plus the path
    duration, its spectrum is normalised to unit rms amplitude, multiplied by
    ``A(f)`` and transformed back.

    Each record holds an S wave (wave speed ``beta``) on the horizontals, and
    weaker on the vertical, preceded by a P wave (``alpha``, corner frequency
    1.5 ``fc``) mostly on the vertical; every component has its own noise
    realisation, plus a 1e-5 m/s^2 rms sensor noise floor. A station is a
    damped soil layer on an elastic half-space: the horizontals get its SH
    transfer function (resonance ``f0 = Vs / (4 H)``), the vertical its P
    transfer function (resonance ``Vp / (4 H)``, 4-8 times higher), so the
    station's H/V spectral ratio peaks at ``f0``. Site properties are drawn
    once per station (see :data:`SITE_RANGES`); each record draws its
    magnitude, distance and noise.

    The record starts 3-8 s before the P arrival; when ``n_times`` is too short
    to reach the S wave's peak by mid-record, the record starts later so that
    the S-wave peak sits at mid-record (the P wave may then be cut off).

    Parameters
    ----------
    n_stations : int, default=8
        Number of stations.
    records_per_station : int, default=20
        Number of records simulated for each station.
    region : str, default="A"
        Source and path preset, a key of :data:`REGIONS` ("A" active crust,
        "B" stable continent, "C" hard-rock shield). Station labels start with the region name.
    n_times : int, default=6000
        Samples per record, at least 64.
    fs : float, default=100.0
        Sampling rate in Hz, at least 40 so that every station's ``f0`` lies
        well below Nyquist.
    random_state : int, RandomState instance or None, default=None
        Seeds the site properties, the magnitudes, distances and noise.

    Returns
    -------
    data : sklearn.utils.Bunch
        With fields

        X : ndarray of shape (n_records, 3, n_times), dtype float32
            Ground acceleration in m/s^2, channels E, N, U;
            ``n_records = n_stations * records_per_station``, grouped by
            station.
        stations : ndarray of shape (n_records,), dtype str
            Station label of each record, ``f"{region}{index:02d}"`` (wider
            indices for 100 or more stations), so data sets of different
            regions can be concatenated.
        f0 : dict of str to float
            True site frequency (Hz) of each station.
        region : str
            The region name.
        magnitude : ndarray of shape (n_records,)
            Moment magnitude of each record's event.
        distance : ndarray of shape (n_records,)
            Hypocentral distance in km.
        fs : float
            Sampling rate in Hz.
        DESCR : str
            Description of the simulation.

    Raises
    ------
    TypeError
        If a count is not an int or ``fs`` not a real number.
    ValueError
        If a count is not positive, ``n_times`` is below 64, ``fs`` is below
        40 Hz or ``region`` is not a key of :data:`REGIONS`.

    Notes
    -----
    The true ``f0`` is the SH resonance ``Vs / (4 H)``. Read back with
    ``skgen.signal.hvsr`` (Konno-Ohmachi, b = 40) and the highest interior
    peak, the median over 20 records of a station lies on average about 2 %
    below it, and up to about 9 % below for ``f0`` under 2 Hz, where the
    smoothing window spans few independent spectral values of a record.

    Examples
    --------
    >>> from skgen.datasets import make_strong_motion
    >>> data = make_strong_motion(n_stations=2, records_per_station=3,
    ...                           n_times=2000, random_state=0)
    >>> data.X.shape
    (6, 3, 2000)
    >>> data.stations[::3].tolist()
    ['A00', 'A01']
    >>> sorted(data.f0)
    ['A00', 'A01']
    """
    n_stations, records_per_station, n_times, fs = _check_arguments(
        n_stations, records_per_station, region, n_times, fs
    )
    preset = REGIONS[region]
    rng = check_random_state(random_state)
    n_records = n_stations * records_per_station

    # Stations of different regions are different sites, even under one seed.
    site_seed = (rng.randint(2**31 - 1) + zlib.crc32(region.encode())) % 2**32
    sites = _draw_sites(n_stations, np.random.RandomState(site_seed))
    width = max(2, len(str(n_stations - 1)))
    labels = np.array([f"{region}{i:0{width}d}" for i in range(n_stations)])
    station_index = np.repeat(np.arange(n_stations), records_per_station)

    magnitude = rng.uniform(*preset["magnitude_range"], n_records)
    distance = np.exp(rng.uniform(*np.log(preset["distance_range"]), n_records))
    pre_event = rng.uniform(*_P_ARRIVAL_RANGE, n_records)

    n_sim = next_fast_len(n_times + int(np.ceil(_PAD_SECONDS * fs)), real=True)
    freqs = rfftfreq(n_sim, 1.0 / fs)
    sh_site, p_site = _site_transfer(sites, freqs)
    X = np.empty((n_records, 3, n_times), dtype=np.float32)
    # Fixed-size chunks of records bound the memory (a few MB per record at the
    # defaults) while keeping the random stream, hence the data, seed-determined.
    for first in range(0, n_records, _CHUNK_RECORDS):
        chunk = slice(first, first + _CHUNK_RECORDS)
        windows = _record_windows(
            preset, magnitude[chunk], distance[chunk], pre_event[chunk], n_times, n_sim, fs
        )
        noise = rng.standard_normal(windows.shape[:2] + (3, n_sim))
        noise *= windows[:, :, None, :]
        s_wave, p_wave = _source_path_spectra(preset, magnitude[chunk], distance[chunk], freqs)
        stations_chunk = station_index[chunk]
        # Target spectra (record, wave S/P, channel E/N/U, frequency).
        target = np.empty(noise.shape[:3] + freqs.shape, dtype=complex)
        target[:, 0, :2] = (s_wave * sh_site[stations_chunk])[:, None]
        target[:, 0, 2] = _S_VERTICAL_RATIO * s_wave * p_site[stations_chunk]
        target[:, 1, 2] = p_wave * p_site[stations_chunk]
        target[:, 1, :2] = _P_HORIZONTAL_RATIO * target[:, 1, 2:3]
        waves = _shaped_noise(noise, target, 1.0 / fs)
        records = waves.sum(axis=1)[..., :n_times]
        records += _NOISE_FLOOR * rng.standard_normal(records.shape)
        X[chunk] = records

    return Bunch(
        X=X,
        stations=labels[station_index],
        f0={str(label): float(value) for label, value in zip(labels, sites["f0"])},
        region=region,
        magnitude=magnitude,
        distance=distance,
        fs=fs,
        DESCR=(
            f"Stochastic point-source strong motion (Boore 2003), region "
            f"{region!r}: {preset['description']} {n_stations} stations x "
            f"{records_per_station} records, {n_times} samples at {fs:g} Hz, "
            f"acceleration in m/s^2, channels E, N, U."
        ),
    )
