"""Wave physics of the basin preset of ``make_strong_motion``.

The stochastic point-source spectra of ``_point_source`` carried by waves
instead of independent noise per component (docs/data.rst, "Region
presets"):

- S waves polarised by the source's radiation pattern and the back-azimuth:
  a double-couple moment tensor radiates SV and SH along the ray to the
  station (Aki and Richards 2002, equation 4.29 and box 4.4); SV arrives on
  the radial, SH on the transverse, rotated into E and N. Scattering makes
  the radiation isotropic and incoherent at high frequency (Takemura et al.
  2009; Pitarka et al. 2000): the coherent share of the S energy is
  ``1 / (1 + (f / 2 Hz)^4)``, 94 % at 1 Hz, 16 % at 3 Hz;
- P waves on the vertical and the radial only, in phase (motion along the
  steeply incident ray), with the P radiation pattern at low frequency;
- dispersed surface waves of the station's basin: Rayleigh waves on the
  radial and the vertical, the vertical a quarter period behind the radial
  (retrograde motion), Love waves on the transverse, each frequency arriving
  at ``R / U(f)``. The group delay is a phase applied in the Fourier domain.

References
----------
Aki, K. and Richards, P. G. (2002). Quantitative Seismology, 2nd edition.
University Science Books.

Pitarka, A., Somerville, P., Fukushima, Y., Uetake, T. and Irikura, K.
(2000). Simulation of near-fault strong-ground motion using hybrid Green's
functions. Bulletin of the Seismological Society of America, 90, 566-586.

Takemura, S., Furumura, T. and Saito, T. (2009). Distortion of the apparent
S-wave radiation pattern in the high-frequency wavefield: Tottori-Ken Seibu,
Japan, earthquake of 2000. Geophysical Journal International, 178, 950-961.
"""

import numpy as np
from scipy.fft import irfft, next_fast_len, rfft, rfftfreq

from ._point_source import (
    CHUNK_RECORDS,
    HORIZONTAL_PARTITION,
    NOISE_FLOOR,
    P_HORIZONTAL_RATIO,
    PAD_SECONDS,
    S_VERTICAL_RATIO,
    WINDOW_LENGTH_FACTOR,
    corner_frequency,
    record_timing,
    record_windows,
    saragoni_hart,
    site_transfer,
    source_path_spectra,
)

__all__ = [
    "draw_basins",
    "draw_geometry",
    "group_velocity",
    "moment_tensor",
    "radiation",
    "radial_transverse_to_east_north",
    "surface_wave_phase",
    "wave_records",
]

# Mean squares of the P and S (SV^2 + SH^2) radiation of a unit double couple
# over the focal sphere (Aki and Richards 2002): 4/15 and 2/5.
_MEAN_SQUARE_P = 4.0 / 15.0
_MEAN_SQUARE_S = 2.0 / 5.0
_ISOTROPIC_FREQUENCY = 2.0  # Hz where half the S energy has lost the radiation pattern
_ISOTROPIC_EXPONENT = 4.0  # coherent below 1 Hz (94 %), isotropic above 3 Hz (16 %)
_DEPTH_RANGE = (5.0, 15.0)  # km, hypocentral depths
_DIP_RANGE = (20.0, 90.0)  # degrees
_RAYLEIGH_V_TO_H = 0.8  # vertical / radial amplitude of the Rayleigh wave
_LOVE_SPEED_RATIO = 1.1  # Love / Rayleigh group velocity
_SURFACE_REFERENCE_DISTANCE = 10.0  # km where surface waves carry surface_wave_ratio
_SURFACE_RAMP = 1.0  # s, cosine onset of the surface waves at the S arrival


def moment_tensor(strike, dip, rake):
    """Unit double-couple moment tensors, (n, 3, 3), x north, y east, z down.

    Aki and Richards (2002), box 4.4; angles in degrees, arrays of shape (n,).
    """
    phi, delta, lam = (np.radians(np.asarray(a, dtype=float)) for a in (strike, dip, rake))
    m = np.empty(phi.shape + (3, 3))
    m[:, 0, 0] = -(
        np.sin(delta) * np.cos(lam) * np.sin(2 * phi)
        + np.sin(2 * delta) * np.sin(lam) * np.sin(phi) ** 2
    )
    m[:, 0, 1] = np.sin(delta) * np.cos(lam) * np.cos(2 * phi) + 0.5 * np.sin(2 * delta) * np.sin(
        lam
    ) * np.sin(2 * phi)
    m[:, 0, 2] = -(
        np.cos(delta) * np.cos(lam) * np.cos(phi) + np.cos(2 * delta) * np.sin(lam) * np.sin(phi)
    )
    m[:, 1, 1] = (
        np.sin(delta) * np.cos(lam) * np.sin(2 * phi)
        - np.sin(2 * delta) * np.sin(lam) * np.cos(phi) ** 2
    )
    m[:, 1, 2] = -(
        np.cos(delta) * np.cos(lam) * np.sin(phi) - np.cos(2 * delta) * np.sin(lam) * np.cos(phi)
    )
    m[:, 2, 2] = np.sin(2 * delta) * np.sin(lam)
    m[:, 1, 0], m[:, 2, 0], m[:, 2, 1] = m[:, 0, 1], m[:, 0, 2], m[:, 1, 2]
    return m


def radiation(strike, dip, rake, depth, distance, azimuth):
    """P, SV and SH radiation coefficients of the straight ray to each station.

    The ray leaves a source at ``depth`` (km) upwards to a surface station at
    hypocentral ``distance`` (km) and source-to-station ``azimuth`` (degrees
    from north). Far-field displacement of a unit double couple (Aki and
    Richards 2002, equation 4.29): P along the ray ``gamma`` with amplitude
    ``gamma . M gamma``, S the part of ``M gamma`` across the ray. SH is its
    component on the transverse direction (ObsPy's T, ``(cos az, -sin az)``
    east, north), SV on ``gamma x T``, which turns into the radial (away from
    the source) when the ray is refracted to vertical under the station.
    Returns three arrays of shape (n,).
    """
    azimuth = np.radians(azimuth)
    cos_takeoff = -np.asarray(depth) / distance  # upgoing: takeoff beyond 90 degrees
    sin_takeoff = np.sqrt(1.0 - cos_takeoff**2)
    ray = np.stack(
        [sin_takeoff * np.cos(azimuth), sin_takeoff * np.sin(azimuth), cos_takeoff], axis=-1
    )
    transverse = np.stack([-np.sin(azimuth), np.cos(azimuth), np.zeros_like(azimuth)], axis=-1)
    traction = np.einsum("nij,nj->ni", moment_tensor(strike, dip, rake), ray)
    p_wave = np.sum(ray * traction, axis=-1)
    s_vector = traction - p_wave[:, None] * ray
    sv = np.sum(s_vector * np.cross(ray, transverse), axis=-1)
    sh = np.sum(s_vector * transverse, axis=-1)
    return p_wave, sv, sh


def group_velocity(freqs, frequency, low, high):
    """Rayleigh group velocity ``U(f) = high - (high - low) / (1 + (f / frequency)^2)``.

    Slow (``low``, km/s) at low frequency, where the waves of a basin travel in
    its sediments, rising to ``high`` above the basin's ``frequency`` (Hz).
    Arguments broadcast.
    """
    return high - (high - low) / (1.0 + (freqs / frequency) ** 2)


def surface_wave_phase(freqs, delay):
    """``exp(i phi(f))`` with group delay ``delay`` (s), ``-dphi/df / (2 pi) = delay``.

    ``phi(f) = -2 pi integral_0^f delay(f') df'`` by the trapezoidal rule on
    the grid ``freqs`` (last axis of ``delay``).
    """
    steps = 0.5 * (delay[..., 1:] + delay[..., :-1]) * np.diff(freqs)
    integral = np.concatenate([np.zeros(delay.shape[:-1] + (1,)), np.cumsum(steps, axis=-1)], -1)
    return np.exp(-2j * np.pi * integral)


def radial_transverse_to_east_north(radial, transverse, back_azimuth):
    """E and N from radial and transverse (ObsPy's convention), angle in degrees."""
    angle = np.radians(back_azimuth)
    sin, cos = np.sin(angle), np.cos(angle)
    return -radial * sin - transverse * cos, -radial * cos + transverse * sin


def draw_basins(n_stations, preset, rng):
    """Per-station basin: its frequency (Hz) and slow group velocity (km/s)."""
    low, high = np.log(preset["basin_frequency_range"])
    return {
        "frequency": np.exp(rng.uniform(low, high, n_stations)),
        "low_velocity": rng.uniform(*preset["basin_velocity_range"], n_stations),
        "high_velocity": np.full(n_stations, preset["surface_wave_velocity"]),
    }


def draw_geometry(n_records, distance, rng):
    """Per-record mechanism (strike, dip, rake), depth and azimuths, in degrees and km."""
    strike = rng.uniform(0.0, 360.0, n_records)
    dip = rng.uniform(*_DIP_RANGE, n_records)
    rake = rng.uniform(-180.0, 180.0, n_records)
    # The source lies below the station: depth at most 0.9 times the distance.
    depth = np.minimum(rng.uniform(*_DEPTH_RANGE, n_records), 0.9 * distance)
    azimuth = rng.uniform(0.0, 360.0, n_records)
    return {
        "mechanism": np.column_stack([strike, dip, rake]),
        "depth": depth,
        "azimuth": azimuth,
        "back_azimuth": (azimuth + 180.0) % 360.0,
    }


def _unit_spectra(noise):
    """Fourier spectra of windowed noise normalised to unit rms amplitude."""
    spectra = rfft(noise, axis=-1)
    return spectra / np.sqrt(np.mean(np.abs(spectra) ** 2, axis=-1, keepdims=True))


def _surface_delays(distance, start, basins, station_index, freqs):
    """Rayleigh and Love group delays after the record start, (n, n_freqs) each."""
    velocity = group_velocity(
        freqs,
        basins["frequency"][station_index, None],
        basins["low_velocity"][station_index, None],
        basins["high_velocity"][station_index, None],
    )
    rayleigh = distance[:, None] / velocity - start[:, None]
    love = distance[:, None] / (_LOVE_SPEED_RATIO * velocity) - start[:, None]
    return rayleigh, love


def _simulation_length(preset, basins, station_index, events, n_times, fs):
    """FFT length that holds the latest surface waves with room before wrapping."""
    magnitude, distance = events["magnitude"], events["distance"]
    start = record_timing(preset, magnitude, distance, events["pre_event"], n_times, fs)["start"]
    slowest = distance / basins["low_velocity"][station_index] - start
    excitation = WINDOW_LENGTH_FACTOR / corner_frequency(preset, magnitude)
    latest = np.max(slowest + 3.0 * excitation)
    length = max(n_times / fs, latest) + PAD_SECONDS
    return next_fast_len(int(np.ceil(length * fs)), real=True)


def wave_records(preset, sites, basins, station_index, events, geometry, n_times, fs, rng):
    """Records of a wave-physics preset, ``X`` (n_records, 3, n_times), float32.

    ``events`` holds ``magnitude``, ``distance`` and ``pre_event`` per record,
    ``geometry`` the output of :func:`draw_geometry`; ``station_index`` maps
    records to the rows of ``sites`` and ``basins``.
    """
    n_sim = _simulation_length(preset, basins, station_index, events, n_times, fs)
    freqs = rfftfreq(n_sim, 1.0 / fs)
    sh_site, p_site = site_transfer(sites, freqs)
    coherent = 1.0 / (1.0 + (freqs / _ISOTROPIC_FREQUENCY) ** _ISOTROPIC_EXPONENT)
    p_pattern, sv_pattern, sh_pattern = radiation(
        geometry["mechanism"][:, 0],
        geometry["mechanism"][:, 1],
        geometry["mechanism"][:, 2],
        geometry["depth"],
        events["distance"],
        geometry["azimuth"],
    )
    time = np.arange(n_sim) / fs
    X = np.empty((station_index.size, 3, n_times), dtype=np.float32)
    for first in range(0, station_index.size, CHUNK_RECORDS):
        chunk = slice(first, first + CHUNK_RECORDS)
        magnitude, distance = events["magnitude"][chunk], events["distance"][chunk]
        stations = station_index[chunk]
        timing = record_timing(preset, magnitude, distance, events["pre_event"][chunk], n_times, fs)
        windows = record_windows(timing, n_times, n_sim, fs)
        excitation = saragoni_hart(
            time, WINDOW_LENGTH_FACTOR / corner_frequency(preset, magnitude)[:, None]
        )
        # Noise series: S coherent, S radial, S transverse, S vertical (S
        # window), P (P window), Rayleigh and Love (excitation window).
        noise = rng.standard_normal((len(magnitude), 7, n_sim))
        noise[:, :4] *= windows[:, :1]
        noise[:, 4] *= windows[:, 1]
        noise[:, 5:] *= excitation[:, None]
        unit = _unit_spectra(noise) * fs  # times 1 / dt: the Fourier transform's scale
        s_wave, p_wave = source_path_spectra(preset, magnitude, distance, freqs)
        s_site = s_wave * sh_site[stations]

        # S: the radiation pattern at low frequency, isotropic noise above.
        pattern = np.sqrt(coherent / (_MEAN_SQUARE_S * HORIZONTAL_PARTITION**2))
        scattered = np.sqrt(1.0 - coherent)
        radial = s_site * (pattern * sv_pattern[chunk, None] * unit[:, 0] + scattered * unit[:, 1])
        transverse = s_site * (
            pattern * sh_pattern[chunk, None] * unit[:, 0] + scattered * unit[:, 2]
        )
        vertical = S_VERTICAL_RATIO * s_wave * p_site[stations] * unit[:, 3]

        # P: amplitude of the radiation pattern at low frequency, its rms above;
        # linear motion along the ray, on the vertical and the radial.
        p_gain = np.sqrt(coherent * p_pattern[chunk, None] ** 2 / _MEAN_SQUARE_P + 1 - coherent)
        p_vertical = p_gain * p_wave * p_site[stations] * unit[:, 4]
        vertical += p_vertical
        radial += P_HORIZONTAL_RATIO * p_vertical

        # Surface waves of the basin, below twice its frequency.
        basin_frequency = basins["frequency"][stations, None]
        amplitude = (
            preset["surface_wave_ratio"]
            * np.sqrt(distance[:, None] / _SURFACE_REFERENCE_DISTANCE)
            * s_wave
            / (1.0 + (freqs / (2.0 * basin_frequency)) ** 4)
        )
        rayleigh_delay, love_delay = _surface_delays(
            distance, timing["start"], basins, stations, freqs
        )
        rayleigh = amplitude * surface_wave_phase(freqs, rayleigh_delay) * unit[:, 5]
        love = amplitude * surface_wave_phase(freqs, love_delay) * unit[:, 6]
        surface = [
            sh_site[stations] * rayleigh,
            sh_site[stations] * love,
            # Retrograde ellipse: the vertical lags the radial by a quarter period.
            -1j * _RAYLEIGH_V_TO_H * p_site[stations] * rayleigh,
        ]
        waves = irfft(np.stack([radial, transverse, vertical, *surface], axis=1), n=n_sim)
        waves = waves[..., :n_times]
        # The quarter-period shift (a Hilbert transform) leaves a faint
        # acausal tail: surface waves start with the S wave, after a 1 s ramp.
        ramp = np.clip((time[:n_times] - timing["arrival_s"][:, None]) / _SURFACE_RAMP, 0, 1)
        waves = waves[:, :3] + waves[:, 3:] * (0.5 - 0.5 * np.cos(np.pi * ramp))[:, None]
        east, north = radial_transverse_to_east_north(
            waves[:, 0], waves[:, 1], geometry["back_azimuth"][chunk, None]
        )
        records = np.stack([east, north, waves[:, 2]], axis=1)
        records += NOISE_FLOOR * rng.standard_normal(records.shape)
        X[chunk] = records
    return X
