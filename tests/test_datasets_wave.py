"""Wave physics of the ``"basin"`` preset of make_strong_motion, checked independently.

Radiation patterns against ObsPy's far-field formula (with mopad's moment
tensor), components rotated with ObsPy, onsets picked with ObsPy's AIC,
envelopes and phases from scipy's Hilbert transform, f0 with skgen.signal.
"""

import numpy as np
import pytest
from obspy.imaging.scripts.mopad import MomentTensor
from obspy.imaging.source import farfield
from obspy.signal.rotate import rotate_ne_rt
from obspy.signal.trigger import aic_simple
from scipy.signal import butter, hilbert, sosfiltfilt

from skgen._wave_physics import radiation, surface_wave_phase
from skgen.datasets import REGIONS, make_strong_motion
from skgen.signal import pga

PRESET = REGIONS["basin"]


@pytest.fixture(scope="module")
def basin():
    """The default data set of the basin preset (8 stations x 20 records)."""
    return make_strong_motion(region="basin", random_state=0)


@pytest.fixture(scope="module")
def rotated(basin):
    """Radial and transverse components by ObsPy, (n_records, n_times) each."""
    X = basin.X.astype(float)
    pairs = [rotate_ne_rt(x[1], x[0], baz) for x, baz in zip(X, basin.back_azimuth)]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def _aic_onset(trace, fs):
    """Onset (s) at the AIC minimum over the samples up to the trace's peak."""
    peak = int(np.argmax(np.abs(trace)))
    with np.errstate(divide="ignore", invalid="ignore"):
        aic = aic_simple(trace[: peak + 1])
    return np.argmin(np.where(np.isfinite(aic), aic, np.inf)) / fs


def _bandpass(x, band, fs, order=4):
    return sosfiltfilt(butter(order, band, "band", fs=fs, output="sos"), x, axis=-1)


def _obspy_radiation(strike, dip, rake, depth, distance, azimuth):
    """P, SV and SH coefficients from mopad's moment tensor and ObsPy's farfield.

    North-east-down coordinates; SV on ``ray x T`` and SH on the transverse T.
    ObsPy's S displacement has the opposite sign convention to the P one, so
    SV and SH are compared up to one common sign per ray.
    """
    tensor = MomentTensor([strike, dip, rake], system="NED").get_M(system="NED")
    mt = [tensor[0, 0], tensor[1, 1], tensor[2, 2], tensor[0, 1], tensor[0, 2], tensor[1, 2]]
    az = np.radians(azimuth)
    cos_i = -depth / distance
    sin_i = np.sqrt(1 - cos_i**2)
    ray = np.array([sin_i * np.cos(az), sin_i * np.sin(az), cos_i])
    transverse = np.array([-np.sin(az), np.cos(az), 0.0])
    p_vector = farfield(mt, ray[:, None], "P")[:, 0]
    s_vector = farfield(mt, ray[:, None], "S")[:, 0]
    return p_vector @ ray, s_vector @ np.cross(ray, transverse), s_vector @ transverse


def test_radiation_matches_obspy_farfield():
    rng = np.random.default_rng(0)
    n = 50
    strike, dip, rake = rng.uniform(0, 360, n), rng.uniform(10, 90, n), rng.uniform(-180, 180, n)
    depth, distance, azimuth = (
        rng.uniform(5, 15, n),
        rng.uniform(16, 100, n),
        rng.uniform(0, 360, n),
    )
    p, sv, sh = radiation(strike, dip, rake, depth, distance, azimuth)
    for i in range(n):
        p_ref, sv_ref, sh_ref = _obspy_radiation(
            strike[i], dip[i], rake[i], depth[i], distance[i], azimuth[i]
        )
        assert p[i] == pytest.approx(p_ref, abs=1e-9)
        sign = -1.0  # ObsPy's S is (gamma gamma^T - I) M gamma, Aki-Richards' the negative
        assert sv[i] == pytest.approx(sign * sv_ref, abs=1e-9)
        assert sh[i] == pytest.approx(sign * sh_ref, abs=1e-9)
    # Over many directions: the focal-sphere means 4/15 (P) and 2/5 (S).
    m = 20000
    strike, dip, rake = rng.uniform(0, 360, m), rng.uniform(10, 90, m), rng.uniform(-180, 180, m)
    depth = rng.uniform(1, 99, m)
    p, sv, sh = radiation(strike, dip, rake, depth, np.full(m, 100.0), rng.uniform(0, 360, m))
    assert np.mean(p**2) == pytest.approx(4 / 15, rel=0.05)
    assert np.mean(sv**2 + sh**2) == pytest.approx(2 / 5, rel=0.05)


def test_basin_fields_match_the_other_presets(basin):
    stochastic = make_strong_motion(
        n_stations=2, records_per_station=2, n_times=256, random_state=0
    )
    assert set(stochastic) <= set(basin)
    assert set(basin) - set(stochastic) == {"back_azimuth", "depth", "mechanism", "basin"}
    n = 160
    assert basin.X.shape == (n, 3, 6000) and basin.X.dtype == np.float32
    assert np.isfinite(basin.X).all()
    assert basin.stations[0] == "basin00" and basin.stations[-1] == "basin07"
    assert set(basin.f0) == set(basin.basin) == set(basin.stations)
    assert basin.region == "basin" and basin.fs == 100.0
    assert basin.back_azimuth.shape == basin.depth.shape == (n,)
    assert np.all((basin.back_azimuth >= 0) & (basin.back_azimuth < 360))
    assert np.all((basin.depth > 0) & (basin.depth < basin.distance))
    assert basin.mechanism.shape == (n, 3)
    for station in basin.basin.values():
        assert PRESET["basin_frequency_range"][0] <= station["frequency"]
        assert station["frequency"] <= PRESET["basin_frequency_range"][1]
        assert station["low_velocity"] < station["high_velocity"] < PRESET["beta"]


def test_pga_and_long_period_amplitudes_stay_in_range_of_region_a(basin):
    # Same source and path as region A: PGA within the same range; the basin's
    # surface waves add long-period motion, not high-frequency.
    a = make_strong_motion(region="A", random_state=0)
    ratio = np.median(pga(basin.X)) / np.median(pga(a.X))
    assert 0.7 < ratio < 1.4
    assert pga(basin.X).max() < 1.5 * 9.80665


def test_same_seed_same_records_and_geometry():
    kwargs = dict(n_stations=2, records_per_station=3, region="basin", n_times=1500)
    first = make_strong_motion(random_state=3, **kwargs)
    second = make_strong_motion(random_state=np.random.RandomState(3), **kwargs)
    np.testing.assert_array_equal(first.X, second.X)
    np.testing.assert_array_equal(first.mechanism, second.mechanism)
    np.testing.assert_array_equal(first.back_azimuth, second.back_azimuth)
    assert first.basin == second.basin and first.f0 == second.f0
    other = make_strong_motion(random_state=4, **kwargs)
    assert not np.allclose(first.X, other.X)
    assert first.basin != other.basin


def test_more_than_one_chunk_and_short_records():
    data = make_strong_motion(
        n_stations=1, records_per_station=40, region="basin", n_times=300, random_state=2
    )
    again = make_strong_motion(
        n_stations=1, records_per_station=40, region="basin", n_times=300, random_state=2
    )
    np.testing.assert_array_equal(data.X, again.X)
    assert data.X.shape == (40, 3, 300) and np.isfinite(data.X).all()
    assert np.unique(pga(data.X)).size == 40


def test_no_late_surface_waves_wrap_onto_the_pre_event_part(basin):
    # The record starts 3-8 s before the P wave: its first second is sensor
    # noise only; surface waves delayed past the FFT length would wrap there.
    # Sensor noise is 1e-5 m/s^2 rms, so a few 1e-5 at most over 300 samples.
    first_second = np.abs(basin.X[:, :, :100]).max(axis=(1, 2))
    assert np.all(first_second < np.maximum(1e-3 * pga(basin.X), 1e-4))


def test_stochastic_presets_unchanged():
    # Values computed with skgen before the basin preset was added: samples of
    # the first, a middle and the last record (two chunks) and the overall rms.
    expected = {
        "A": ([-0.004057686, -0.1634076, 0.0934377, 0.0001453867], 0.1235032),
        "B": ([-0.002310056, 0.07349177, 0.06579138, -0.007172388], 0.06971043),
        "C": ([-0.0132273, -0.06661154, -0.00279544, 0.0002984602], 0.03074383),
    }
    for region, (samples, rms) in expected.items():
        data = make_strong_motion(
            n_stations=2, records_per_station=20, region=region, n_times=512, random_state=5
        )
        X = data.X.astype(float)
        picked = [X[0, 0, 300], X[17, 1, 200], X[33, 2, 400], X[39, 0, 450]]
        np.testing.assert_allclose(picked, samples, rtol=1e-4, err_msg=region)
        assert np.sqrt(np.mean(X**2)) == pytest.approx(rms, rel=1e-5), region


def test_s_waves_polarised_by_radiation_and_back_azimuth(basin, rotated):
    # Below about 2 Hz the S wave keeps the radiation pattern: E and N move
    # together along a_SV R + a_SH T, so over the S window their correlation
    # is strong, with the sign and the axis of that direction. Checked where
    # the ray leaves the source on an S lobe (SV^2 + SH^2 above its mean over
    # the focal sphere, 2/5), so the coherent wave stands above the scattered
    # one, and, for the sign, off the E and N axes.
    fs = basin.fs
    _, transverse = rotated
    low = _bandpass(basin.X[:, :2].astype(float), (0.8, 2.0), fs)
    azimuth = (basin.back_azimuth + 180.0) % 360.0
    correlation, measured, predicted, lobe, off_axis = [], [], [], [], []
    for i in range(len(basin.X)):
        _, sv, sh = _obspy_radiation(
            *basin.mechanism[i], basin.depth[i], basin.distance[i], azimuth[i]
        )
        az = np.radians(azimuth[i])
        # Refracted to vertical under the station, SV lies on the radial
        # (sin az, cos az) and SH on the transverse (cos az, -sin az), in (E, N).
        east, north = sv * np.sin(az) + sh * np.cos(az), sv * np.cos(az) - sh * np.sin(az)
        onset = int(_aic_onset(transverse[i], fs) * fs)
        window = low[i, :, onset : onset + int(4 * fs)]
        correlation.append(np.corrcoef(window)[0, 1] * np.sign(east * north))
        _, vectors = np.linalg.eigh(np.cov(window))  # major axis: the last eigenvector
        measured.append(np.degrees(np.arctan2(vectors[0, 1], vectors[1, 1])))
        predicted.append(np.degrees(np.arctan2(east, north)))
        lobe.append(sv**2 + sh**2 > 2 / 5)
        off_axis.append(abs(np.sin(2 * np.arctan2(east, north))) > 0.5)
    correlation, measured, predicted, lobe, off_axis = map(
        np.array, (correlation, measured, predicted, lobe, off_axis)
    )

    def axis_error(a, b):
        return np.abs((a - b + 90.0) % 180.0 - 90.0)

    signed = lobe & off_axis
    assert signed.sum() > 25
    assert np.mean(correlation[signed] > 0) > 0.9  # the sign the radiation predicts
    assert np.median(correlation[signed]) > 0.6
    assert np.median(axis_error(measured, predicted)[lobe]) < 12.0
    # Against another record's direction the axes do not match (45 on average).
    assert np.median(axis_error(measured, np.roll(predicted, 1))[lobe]) > 30.0


def test_horizontals_decorrelate_at_high_frequency(basin, rotated):
    # Isotropic scattering above a few Hz: E-N correlation falls with frequency.
    fs = basin.fs
    _, transverse = rotated
    shares = {}
    for band in ((0.3, 1.0), (5.0, 15.0)):
        filtered = _bandpass(basin.X[:, :2].astype(float), band, fs)
        values = []
        for i, trace in enumerate(transverse):
            onset = int(_aic_onset(trace, fs) * fs)
            values.append(abs(np.corrcoef(filtered[i, :, onset : onset + int(4 * fs)])[0, 1]))
        shares[band] = np.median(values)
    assert shares[(5.0, 15.0)] < 0.5 * shares[(0.3, 1.0)]


def test_p_arrives_on_vertical_and_radial_before_s(basin, rotated):
    fs = basin.fs
    radial, transverse = rotated
    X = basin.X.astype(float)
    p_onset = np.array([_aic_onset(x[2], fs) for x in X])
    s_onset = np.array([_aic_onset(t, fs) for t in transverse])
    expected = basin.distance * (1 / PRESET["beta"] - 1 / PRESET["alpha"])
    measured = s_onset - p_onset
    slope, intercept = np.polyfit(expected, measured, 1)
    assert 0.9 < slope < 1.15 and abs(intercept) < 1.0
    assert np.median(np.abs(measured - expected)) < 0.6
    # Between the onsets: P energy on the vertical and the radial (0.3 times
    # its amplitude), almost none on the transverse (SH only).
    energy = {"U": [], "R": [], "T": []}
    long_enough = (s_onset - p_onset) > 2.0
    for i in np.flatnonzero(long_enough):
        part = slice(int(p_onset[i] * fs), int(s_onset[i] * fs) - int(0.3 * fs))
        for name, trace in (("U", X[i, 2]), ("R", radial[i]), ("T", transverse[i])):
            energy[name].append(np.sum(trace[part] ** 2))
    energy = {name: np.array(values) for name, values in energy.items()}
    assert long_enough.sum() > 50
    assert np.median(energy["R"] / energy["U"]) == pytest.approx(0.09, rel=0.5)
    assert np.median(energy["T"] / energy["U"]) < 0.01
    # The P wave is weaker than the S wave.
    p_peak = [
        np.abs(X[i, 2, int(p_onset[i] * fs) : int(s_onset[i] * fs)]).max()
        for i in np.flatnonzero(long_enough)
    ]
    assert np.median(p_peak / pga(basin.X)[long_enough]) < 0.5
    # ... and of higher frequency (corner 1.5 fc, Q with the P speed): on the
    # vertical (one site transfer function for both) the spectral centroid
    # between the picks lies above that of the S wave after its pick.

    def centroid(trace):
        power = np.abs(np.fft.rfft(trace * np.hanning(trace.size))) ** 2
        return np.sum(np.fft.rfftfreq(trace.size, 1 / fs) * power) / np.sum(power)

    ratio = []
    for i in np.flatnonzero(long_enough):
        p_part = X[i, 2, int(p_onset[i] * fs) : int(s_onset[i] * fs)]
        s_part = X[i, 2, int(s_onset[i] * fs) : int(s_onset[i] * fs) + p_part.size]
        ratio.append(centroid(p_part) / centroid(s_part))
    assert np.median(ratio) > 1.1 and np.mean(np.array(ratio) > 1) > 0.65


def test_surface_wave_phase_delays_each_band_by_its_group_delay():
    # A pulse at t = 5 s dispersed by the phase: in a narrow band around f the
    # envelope peaks at 5 s + delay(f).
    fs, n = 100.0, 2**14
    freqs = np.fft.rfftfreq(n, 1 / fs)
    delay = 30.0 / (1.0 + (freqs / 0.5) ** 2) + 2.0
    pulse = np.zeros(n)
    pulse[int(5 * fs)] = 1.0
    dispersed = np.fft.irfft(np.fft.rfft(pulse) * surface_wave_phase(freqs, delay), n)
    for f in (0.2, 0.5, 1.0, 3.0):
        envelope = np.abs(hilbert(_bandpass(dispersed, (f / 1.05, f * 1.05), fs, order=2)))
        expected = 5.0 + 30.0 / (1.0 + (f / 0.5) ** 2) + 2.0
        assert np.argmax(envelope) / fs == pytest.approx(expected, abs=0.5), f


def test_low_frequencies_arrive_later_by_the_group_delay(basin):
    # Vertical component (Rayleigh waves): the envelope peak in a narrow band
    # at half the basin frequency lags the one at twice it by the difference
    # of R / U(f), U(f) as documented in the ``basin`` field.
    fs = basin.fs
    measured, predicted = [], []
    for x, station, distance in zip(basin.X.astype(float), basin.stations, basin.distance):
        b = basin.basin[station]
        peaks, arrivals = [], []
        for f in (0.5 * b["frequency"], 2.0 * b["frequency"]):
            band = _bandpass(x[2], (f / 1.15, f * 1.15), fs)
            peaks.append(np.argmax(np.abs(hilbert(band))) / fs)
            speed = b["high_velocity"] - (b["high_velocity"] - b["low_velocity"]) / (
                1 + (f / b["frequency"]) ** 2
            )
            arrivals.append(distance / speed)
        measured.append(peaks[0] - peaks[1])
        predicted.append(arrivals[0] - arrivals[1])
    measured, predicted = np.array(measured), np.array(predicted)
    clear = predicted > 3.0  # delays well above the width of a narrow-band envelope
    assert clear.sum() > 30
    assert np.mean(measured[clear] > 0) > 0.7
    assert np.median(measured[clear] / predicted[clear]) == pytest.approx(1.0, abs=0.3)
    assert np.corrcoef(measured, predicted)[0, 1] > 0.2


def test_rayleigh_vertical_lags_radial_by_a_quarter_period(basin, rotated):
    # Retrograde Rayleigh motion: in the surface-wave band the vertical's
    # analytic signal is 90 degrees behind the radial's (phase of their
    # cross-product summed over the record).
    fs = basin.fs
    radial, _ = rotated
    lag = []
    for i, station in enumerate(basin.stations):
        f = basin.basin[station]["frequency"]
        vertical = hilbert(_bandpass(basin.X[i, 2].astype(float), (f / 1.3, f * 1.3), fs))
        horizontal = hilbert(_bandpass(radial[i], (f / 1.3, f * 1.3), fs))
        lag.append(np.degrees(np.angle(np.sum(vertical * np.conj(horizontal)))))
    lag = np.array(lag)
    assert np.median(lag) == pytest.approx(-90.0, abs=15.0)
    assert np.mean(np.abs(lag + 90.0) < 45.0) > 0.75
