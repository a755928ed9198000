"""The stochastic point-source method (Boore 2003) behind ``make_strong_motion``.

Array functions: the Brune source with geometric spreading, ``Q(f)`` and
kappa, the transfer function of a station's soil layer, Saragoni-Hart time
windows, windowed Gaussian noise shaped to a target spectrum, and the
simulation of the stochastic region presets (independent noise on every
component). The references are listed in ``skgen.datasets`` and
``docs/data.rst``.
"""

import numpy as np
from scipy.fft import irfft, rfft, rfftfreq

__all__ = [
    "CHUNK_RECORDS",
    "HORIZONTAL_PARTITION",
    "NOISE_FLOOR",
    "PAD_SECONDS",
    "P_HORIZONTAL_RATIO",
    "RADIATION_P",
    "RADIATION_S",
    "ROCK_DENSITY",
    "ROCK_VP_VS",
    "SARAGONI_HART_EPSILON",
    "SOIL_DENSITY",
    "S_VERTICAL_RATIO",
    "WINDOW_LENGTH_FACTOR",
    "corner_frequency",
    "layer_transfer",
    "point_source_records",
    "record_timing",
    "record_windows",
    "saragoni_hart",
    "shaped_noise",
    "site_transfer",
    "source_path_spectra",
]

# Fixed physical constants of the simulation.
SARAGONI_HART_EPSILON = 0.2  # time of the window peak as a fraction of its length
SARAGONI_HART_ETA = 0.05  # window amplitude left at the end of its nominal length
WINDOW_LENGTH_FACTOR = 2.0  # window length / ground-motion duration (Boore 2003)
RADIATION_S = 0.55  # average S-wave radiation pattern (Boore 2003)
RADIATION_P = 0.52  # rms P-wave radiation pattern (Boore and Boatwright 1984)
FREE_SURFACE = 2.0
HORIZONTAL_PARTITION = 1.0 / np.sqrt(2.0)  # S amplitude per horizontal (Boore 2003)
P_CORNER_RATIO = 1.5  # P corner frequency / S corner frequency (Madariaga 1976)
S_VERTICAL_RATIO = 0.6  # vertical / horizontal S-wave amplitude (SV on the vertical)
P_HORIZONTAL_RATIO = 0.3  # horizontal / vertical P-wave amplitude, steep incidence
SOIL_DENSITY = 1.9  # g/cm^3
ROCK_DENSITY = 2.4  # g/cm^3
ROCK_VP_VS = np.sqrt(3.0)  # Poisson solid
NOISE_FLOOR = 1e-5  # rms background noise of a strong-motion sensor, m/s^2
PAD_SECONDS = 20.0  # room for the site's ringing before the circular FFT wraps
# Fixed-size chunks of records bound the memory (a few MB per record at the
# defaults) while keeping the random stream, hence the data, seed-determined.
CHUNK_RECORDS = 32


def layer_transfer(freqs, thickness, velocity, rock_velocity, damping):
    """Surface / outcropping-rock transfer function of a damped layer.

    Vertically incident waves, layer of ``thickness`` (m) and wave speed
    ``velocity`` (m/s) with hysteretic ``damping`` on an elastic half-space
    (Kramer 1996, section 7.2); resonance at ``velocity / (4 thickness)``.
    Arguments of shape (n_stations, 1), result (n_stations, n_freqs).
    """
    complex_velocity = velocity * np.sqrt(1.0 + 2.0j * damping)
    phase = 2.0 * np.pi * freqs * thickness / complex_velocity
    impedance = SOIL_DENSITY * complex_velocity / (ROCK_DENSITY * rock_velocity)
    return 1.0 / (np.cos(phase) + 1j * impedance * np.sin(phase))


def _geometric_spreading(distance, hinges, exponents):
    """Continuous piecewise power law in hypocentral distance (km), 1 at 1 km."""
    spreading = np.ones_like(distance)
    bounds = list(hinges[1:]) + [np.inf]
    for start, stop, exponent in zip(hinges, bounds, exponents):
        segment = np.clip(distance, start, stop) / start
        spreading = spreading * segment**exponent
    return spreading


def saragoni_hart(time, length):
    """Saragoni-Hart window of Boore (2003), zero before ``time = 0``.

    Rises to 1 at ``0.2 length``, is 0.05 at ``length``, then decays.
    """
    eps, eta = SARAGONI_HART_EPSILON, SARAGONI_HART_ETA
    b = -eps * np.log(eta) / (1.0 + eps * (np.log(eps) - 1.0))
    c = b / eps
    a = (np.e / eps) ** b
    scaled = np.maximum(time, 0.0) / length
    return a * scaled**b * np.exp(-c * scaled)


def shaped_noise(noise, spectrum, dt):
    """Boore (2003) step: unit-rms noise spectrum times the target spectrum.

    ``noise`` (..., n) is windowed noise; ``spectrum`` (..., n // 2 + 1) the
    target Fourier spectrum in m/s (complex allowed), so the output's Fourier
    amplitude has the target as its expected rms value.
    """
    noise_spectrum = rfft(noise, axis=-1)
    rms = np.sqrt(np.mean(np.abs(noise_spectrum) ** 2, axis=-1, keepdims=True))
    return irfft(noise_spectrum / rms * spectrum / dt, n=noise.shape[-1], axis=-1)


def site_transfer(sites, freqs):
    """SH and P transfer functions of every station, (n_stations, n_freqs)."""
    column = {key: value[:, None] for key, value in sites.items()}
    sh_site = layer_transfer(
        freqs, column["thickness"], column["vs"], column["vs_rock"], column["damping"]
    )
    p_site = layer_transfer(
        freqs, column["thickness"], column["vp"], column["vp_rock"], column["damping"]
    )
    return sh_site, p_site


def source_path_spectra(preset, magnitude, distance, freqs):
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
    corner_s = corner_frequency(preset, magnitude)[:, None]

    def spectrum(radiation, partition, speed, corner):
        # C M0 with speed in m/s and the 1 km reference distance in m gives m s;
        # times (2 pi f)^2 this is a Fourier acceleration amplitude in m/s.
        scale = (
            radiation
            * partition
            * FREE_SURFACE
            / (4.0 * np.pi * density * (speed * 1000.0) ** 3 * 1000.0)
        )
        brune = (2.0 * np.pi * f) ** 2 / (1.0 + (f / corner) ** 2)
        attenuation = np.exp(-np.pi * f * distance[:, None] / (quality * speed))
        return scale * moment * brune * spreading * attenuation * decay

    s_wave = spectrum(RADIATION_S, HORIZONTAL_PARTITION, preset["beta"], corner_s)
    p_wave = spectrum(RADIATION_P, 1.0, preset["alpha"], P_CORNER_RATIO * corner_s)
    return s_wave, p_wave


def corner_frequency(preset, magnitude):
    """Brune S-wave corner frequency in Hz (Boore 2003)."""
    moment_dyne_cm = 10.0 ** (1.5 * magnitude + 16.05)
    return 4.906e6 * preset["beta"] * (preset["stress_drop"] / moment_dyne_cm) ** (1 / 3)


def record_timing(preset, magnitude, distance, pre_event, n_times, fs):
    """Window lengths, arrival times and record start, arrays of shape (n,), in s.

    Each window lasts the source duration ``1 / fc`` plus the path duration.
    The record starts ``pre_event`` s before the P arrival, or later when
    needed to put the S-window peak no later than mid-record; ``start`` is in
    s after the origin time, the arrivals in s after the record start.
    """
    corner_s = corner_frequency(preset, magnitude)
    path_duration = np.interp(distance, preset["duration_distances"], preset["duration_values"])
    length_s = WINDOW_LENGTH_FACTOR * (1.0 / corner_s + path_duration)
    length_p = WINDOW_LENGTH_FACTOR * (1.0 / (P_CORNER_RATIO * corner_s) + path_duration)
    arrival_p = distance / preset["alpha"]
    arrival_s = distance / preset["beta"]
    s_peak = arrival_s + SARAGONI_HART_EPSILON * length_s
    start = np.maximum(arrival_p - pre_event, s_peak - 0.5 * n_times / fs)
    return {
        "start": start,
        "arrival_s": arrival_s - start,
        "arrival_p": arrival_p - start,
        "length_s": length_s,
        "length_p": length_p,
    }


def record_windows(timing, n_times, n_sim, fs):
    """S and P Saragoni-Hart windows on the simulation grid, (n, 2, n_sim).

    ``timing`` is the output of :func:`record_timing`; time 0 is the record start.
    """
    time = np.arange(n_sim) / fs
    window_s = saragoni_hart(time - timing["arrival_s"][:, None], timing["length_s"][:, None])
    window_p = saragoni_hart(time - timing["arrival_p"][:, None], timing["length_p"][:, None])
    # Windows stop half-way into the pad so that the site's ringing has died out
    # before the circular FFT wraps it onto the start of the record.
    active = time < n_times / fs + 0.5 * PAD_SECONDS
    return np.stack([window_s, window_p], axis=1) * active


def point_source_records(preset, sites, station_index, events, n_times, n_sim, fs, rng):
    """Records of a stochastic preset: independent noise on every component.

    ``events`` holds ``magnitude``, ``distance`` and ``pre_event`` per record;
    ``station_index`` maps records to the rows of ``sites``. Returns
    ``X`` (n_records, 3, n_times), float32, channels E, N, U.
    """
    freqs = rfftfreq(n_sim, 1.0 / fs)
    sh_site, p_site = site_transfer(sites, freqs)
    X = np.empty((station_index.size, 3, n_times), dtype=np.float32)
    for first in range(0, station_index.size, CHUNK_RECORDS):
        chunk = slice(first, first + CHUNK_RECORDS)
        magnitude, distance = events["magnitude"][chunk], events["distance"][chunk]
        timing = record_timing(preset, magnitude, distance, events["pre_event"][chunk], n_times, fs)
        windows = record_windows(timing, n_times, n_sim, fs)
        noise = rng.standard_normal(windows.shape[:2] + (3, n_sim))
        noise *= windows[:, :, None, :]
        s_wave, p_wave = source_path_spectra(preset, magnitude, distance, freqs)
        stations_chunk = station_index[chunk]
        # Target spectra (record, wave S/P, channel E/N/U, frequency).
        target = np.empty(noise.shape[:3] + freqs.shape, dtype=complex)
        target[:, 0, :2] = (s_wave * sh_site[stations_chunk])[:, None]
        target[:, 0, 2] = S_VERTICAL_RATIO * s_wave * p_site[stations_chunk]
        target[:, 1, 2] = p_wave * p_site[stations_chunk]
        target[:, 1, :2] = P_HORIZONTAL_RATIO * target[:, 1, 2:3]
        waves = shaped_noise(noise, target, 1.0 / fs)
        records = waves.sum(axis=1)[..., :n_times]
        records += NOISE_FLOOR * rng.standard_normal(records.shape)
        X[chunk] = records
    return X
