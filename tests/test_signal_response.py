"""Response spectra against a hand-built first-order-hold solution, pyrotd and closed forms."""

from pathlib import Path

import numpy as np
import obspy
import pytest
import scipy.linalg
import scipy.signal

from skgen.signal import pga, response_spectrum

FS = 100.0
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def napa_window():
    """20 s of CE.68150 around its peak at 100 Hz, as in tests/data/README.md."""
    stream = obspy.read(str(DATA / "CE.68150.mseed"))
    traces = [stream.select(channel=f"HN{c}")[0].data.astype(np.float64) for c in "ENZ"]
    n_times = min(len(trace) for trace in traces)
    record = scipy.signal.resample_poly(np.stack([t[:n_times] for t in traces]), 1, 2, axis=-1)
    return record[:, 2000:4000] * scipy.signal.windows.tukey(2000, 0.1)


def _first_order_hold_psa(x, dt, period, damping=0.05):
    """omega^2 max|u| at the samples of the exact solution for x linear between samples.

    Built by hand: the state [u, u'] advances by expm of the augmented matrix
    of the oscillator and a ramp input, one sample at a time.
    """
    omega = 2 * np.pi / period
    augmented = np.zeros((4, 4))
    augmented[:2, :2] = [[0.0, 1.0], [-(omega**2), -2 * damping * omega]]
    augmented[1, 2] = -1.0  # u'' = ... - a, a = a0 + slope * t
    augmented[2, 3] = 1.0
    step = scipy.linalg.expm(augmented * dt)
    transition, from_a0, from_slope = step[:2, :2], step[:2, 2], step[:2, 3] / dt
    state = np.zeros(2)
    peak = 0.0
    for now, ahead in zip(x[:-1], x[1:]):
        state = transition @ state + from_a0 * now + from_slope * (ahead - now)
        peak = max(peak, abs(state[0]))
    return omega**2 * peak


def test_matches_hand_built_solution_of_the_upsampled_record(napa_window):
    # The truth: the band-limited record, upsampled tenfold, solved exactly.
    x = napa_window[2, 600:1400]
    periods = np.array([0.03, 0.05, 0.1, 0.3])
    upsampled = scipy.signal.resample_poly(x, 10, 1)
    truth = np.array([_first_order_hold_psa(upsampled, 0.1 / FS, T) for T in periods])
    np.testing.assert_allclose(response_spectrum(x, FS, periods), truth, rtol=0.02)
    # The same solution on the samples alone (today's textbook method) reads
    # several per cent low at short periods: the reference can tell them apart.
    at_samples = np.array([_first_order_hold_psa(x, 1 / FS, T) for T in periods])
    assert np.max(1 - at_samples / truth) > 0.04


def test_matches_pyrotd_reference_on_a_real_record(napa_window):
    table = np.loadtxt(DATA / "CE.68150.psa_pyrotd.txt")
    periods, reference = table[:, 0], table[:, 1:].T
    psa = response_spectrum(napa_window, FS, periods)
    assert psa.shape == (3, periods.size)
    np.testing.assert_allclose(psa, reference, rtol=0.01)


@pytest.mark.parametrize(
    ("frequency", "period"), [(2.0, 0.03), (10.0, 0.05), (3.0, 0.3), (1.0, 2.0)]
)
def test_tapered_sinusoid_steady_state_closed_form(frequency, period):
    # A sinusoid ramped up smoothly over 40 s leaves no transient: the peak
    # is the steady-state amplitude |omega^2 / (omega^2 - Omega^2 + 2 i zeta omega Omega)|.
    t = np.arange(8000) / FS
    s = np.minimum(t / 40.0, 1.0)
    a = 0.8 * s**3 * (10 - 15 * s + 6 * s**2) * np.sin(2 * np.pi * frequency * t)
    omega, forcing = 2 * np.pi / period, 2 * np.pi * frequency
    gain = omega**2 / abs(omega**2 - forcing**2 + 2j * 0.05 * omega * forcing)
    assert float(response_spectrum(a, FS, [period])[0]) == pytest.approx(0.8 * gain, rel=3e-3)


def test_resonance_and_rigid_oscillator():
    t = np.arange(3000) / FS
    acceleration = 0.3 * np.sin(2 * np.pi * 1.0 * t)
    records = np.stack([acceleration, 2 * acceleration])
    psa = response_spectrum(records, FS, [0.005, 1.0], damping=0.05)
    assert psa.shape == (2, 2)
    # A rigid oscillator follows the ground: PSA = PGA.
    np.testing.assert_allclose(psa[:, 0], [0.3, 0.6], rtol=1e-3)
    # At resonance the steady-state amplification is 1 / (2 damping) = 10.
    np.testing.assert_allclose(psa[:, 1], [3.0, 6.0], rtol=0.01)


def test_batch_shape_matches_single_traces_and_keeps_input(napa_window):
    X = np.stack([napa_window, 0.5 * napa_window[::-1]])
    before = X.copy()
    periods = np.geomspace(0.03, 3.0, 7)
    psa = response_spectrum(X, FS, periods)
    assert psa.shape == (2, 3, 7)
    np.testing.assert_array_equal(X, before)
    np.testing.assert_allclose(psa[1, 2], response_spectrum(X[1, 2], FS, periods), rtol=1e-12)
    # Linear in the input.
    np.testing.assert_allclose(psa[1], 0.5 * response_spectrum(napa_window[::-1], FS, periods))
    np.testing.assert_allclose(response_spectrum(X.astype(np.float32), FS, periods), psa, rtol=1e-4)


def test_short_periods_tend_to_the_peak_acceleration(napa_window):
    psa = response_spectrum(napa_window, FS, [0.001, 0.005])
    peak = pga(napa_window, channels="each")
    assert np.all(psa >= peak[:, None] * 0.999)
    assert np.all(psa <= peak[:, None] * 1.1)


def test_long_periods_match_the_sampled_solution(napa_window):
    # At T >= 50 dt the textbook solution on the samples is already exact.
    x = napa_window[0]
    for period in (1.0, 4.0):
        reference = _first_order_hold_psa(x, 1 / FS, period)
        assert float(response_spectrum(x, FS, [period])[0]) == pytest.approx(reference, rel=3e-3)


def test_errors():
    with pytest.raises(ValueError, match="damping must be in"):
        response_spectrum(np.ones(10), FS, [1.0], damping=1.5)
    with pytest.raises(ValueError, match="periods must be positive"):
        response_spectrum(np.ones(10), FS, [0.0, 1.0])
    with pytest.raises(ValueError, match="X must be finite"):
        response_spectrum(np.array([0.0, np.nan]), FS, [1.0])
