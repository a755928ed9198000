"""Synthetic, station-labelled strong-motion records with a known site frequency.

:func:`make_strong_motion` simulates 3-component accelerograms with the
stochastic point-source method (Boore, 2003): Gaussian noise, windowed in time
and shaped to a target Fourier amplitude spectrum built from a Brune
omega-squared source, geometric spreading, anelastic attenuation ``Q(f)`` and
``kappa``. Every station sits on a damped soil layer over an elastic
half-space whose resonance gives it a true site frequency ``f0 = Vs / (4 H)``,
so generators and HVSR code can be tested against ground truth offline.

The ``"basin"`` preset carries the same spectra by waves instead of
independent noise per component: S waves polarised by a double-couple
radiation pattern and the back-azimuth, P waves on the vertical and the radial
before them, and dispersed surface waves of a sedimentary basin
(``docs/presets.rst``).

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
from scipy.fft import next_fast_len
from sklearn.utils import Bunch, check_random_state

from ._point_source import PAD_SECONDS, ROCK_DENSITY, ROCK_VP_VS, SOIL_DENSITY, point_source_records
from ._validation import check_count, check_positive
from ._wave_physics import draw_basins, draw_geometry, wave_records

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

A wave-physics preset (``"basin"``) also has

- ``wave_physics`` : ``True``;
- ``basin_frequency_range`` : each station's basin frequency ``fb`` (Hz) is
  drawn log-uniformly in it; surface waves carry the band below ``2 fb``;
- ``basin_velocity_range`` : each station's low-frequency group velocity
  (km/s) is drawn uniformly in it;
- ``surface_wave_velocity`` : group velocity at high frequency, km/s;
- ``surface_wave_ratio`` : surface-wave / S-wave Fourier amplitude at 10 km,
  growing as ``sqrt(R / 10 km)`` (cylindrical against spherical spreading).

Add a preset by inserting a new key with the same fields.
"""

# The basin preset: region A's source and path, recorded with wave physics.
REGIONS["basin"] = {
    **{key: value for key, value in REGIONS["A"].items() if key != "description"},
    "description": (
        "Active crust as region A, recorded in a sedimentary basin, with "
        "wave physics: S waves polarised by a double-couple radiation "
        "pattern and the back-azimuth, P waves on the vertical and the "
        "radial before the S waves, and dispersed Rayleigh and Love waves "
        "of the basin (slow at low frequency) after them."
    ),
    "wave_physics": True,
    "basin_frequency_range": (0.2, 0.6),
    "basin_velocity_range": (1.5, 2.5),
    "surface_wave_velocity": 3.0,
    "surface_wave_ratio": 1.5,
}


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

_P_ARRIVAL_RANGE = (3.0, 8.0)  # seconds of pre-event record before the P wave
_MIN_N_TIMES = 64
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
    vs_rock = impedance * vs * SOIL_DENSITY / ROCK_DENSITY
    return {
        "f0": f0,
        "thickness": vs / (4.0 * f0),
        "vs": vs,
        "vp": vp_vs * vs,
        "vs_rock": vs_rock,
        "vp_rock": ROCK_VP_VS * vs_rock,
        "damping": damping,
    }


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

    ``region="basin"`` (source and path of region A) adds wave physics, with
    the same spectra on average: each record draws a double-couple mechanism,
    a depth of 5-15 km and a source-to-station azimuth. S waves carry the
    radiation pattern (SV on the radial, SH on the transverse, rotated into E
    and N by the back-azimuth), coherent below about 2 Hz and isotropic,
    incoherent scattering above. The P wave (radiation pattern below 2 Hz)
    arrives at ``R / alpha`` on the vertical and, 0.3 times as strong and in
    phase, on the radial, before the S wave at ``R / beta``. Each station
    sits in a basin with a group velocity ``U(f)`` slow at low frequency
    (:data:`REGIONS`): Rayleigh waves on the radial and the vertical, the
    vertical a quarter period behind the radial, and Love waves on the
    transverse, arrive at ``R / U(f)`` (Love 1.1 times faster), a group
    delay applied as a phase in the Fourier domain. The site transfer
    functions apply as above, so the H/V peak stays at ``f0``.

    Parameters
    ----------
    n_stations : int, default=8
        Number of stations.
    records_per_station : int, default=20
        Number of records simulated for each station.
    region : str, default="A"
        Source and path preset, a key of :data:`REGIONS` ("A" active crust,
        "B" stable continent, "C" hard-rock shield, "basin" region A with
        wave physics). Station labels start with the region name.
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

        ``region="basin"`` adds

        back_azimuth : ndarray of shape (n_records,)
            Station-to-source azimuth in degrees from north, as ObsPy's
            ``rotate_ne_rt`` takes it.
        depth : ndarray of shape (n_records,)
            Hypocentral depth in km.
        mechanism : ndarray of shape (n_records, 3)
            Strike, dip and rake of the double couple in degrees (Aki and
            Richards convention).
        basin : dict of str to dict
            Per station, ``frequency`` (Hz), ``low_velocity`` and
            ``high_velocity`` (km/s) of its Rayleigh group velocity
            ``U(f) = high - (high - low) / (1 + (f / frequency)^2)``.

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
    site_rng = np.random.RandomState(site_seed)
    sites = _draw_sites(n_stations, site_rng)
    width = max(2, len(str(n_stations - 1)))
    labels = np.array([f"{region}{i:0{width}d}" for i in range(n_stations)])
    station_index = np.repeat(np.arange(n_stations), records_per_station)

    events = {
        "magnitude": rng.uniform(*preset["magnitude_range"], n_records),
        "distance": np.exp(rng.uniform(*np.log(preset["distance_range"]), n_records)),
        "pre_event": rng.uniform(*_P_ARRIVAL_RANGE, n_records),
    }
    extra = {}
    if preset.get("wave_physics", False):
        basins = draw_basins(n_stations, preset, site_rng)
        geometry = draw_geometry(n_records, events["distance"], rng)
        X = wave_records(preset, sites, basins, station_index, events, geometry, n_times, fs, rng)
        extra = {
            "back_azimuth": geometry["back_azimuth"],
            "depth": geometry["depth"],
            "mechanism": geometry["mechanism"],
            "basin": {
                str(label): {key: float(values[i]) for key, values in basins.items()}
                for i, label in enumerate(labels)
            },
        }
    else:
        n_sim = next_fast_len(n_times + int(np.ceil(PAD_SECONDS * fs)), real=True)
        X = point_source_records(preset, sites, station_index, events, n_times, n_sim, fs, rng)

    return Bunch(
        X=X,
        stations=labels[station_index],
        f0={str(label): float(value) for label, value in zip(labels, sites["f0"])},
        region=region,
        magnitude=events["magnitude"],
        distance=events["distance"],
        fs=fs,
        DESCR=(
            f"Stochastic point-source strong motion (Boore 2003), region "
            f"{region!r}: {preset['description']} {n_stations} stations x "
            f"{records_per_station} records, {n_times} samples at {fs:g} Hz, "
            f"acceleration in m/s^2, channels E, N, U."
        ),
        **extra,
    )
