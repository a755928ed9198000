"""Bad input at every public entry point: a clear error, early, inputs untouched.

Each row of the tables below is one mistake a user can make. The test
asserts the exception type, that the message names the argument and the
problem, that nothing was trained, encoded or generated before the error, and
that the caller's arrays are unchanged. The reader fuzzing at the end runs in
a child process so that a hang or an interpreter crash fails the test
instead of the test run.
"""

import copy
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from _testing import MINIMAL_TIMESNET
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from obspy import Stream, Trace

from skgen._cvae import SpectrogramCVAEGenerator
from skgen._timesnet import TimesNetGenerator
from skgen.cli import main
from skgen.datasets import make_strong_motion
from skgen.io import fix_length, from_stream, read_records, to_stream
from skgen.scoring import HVSRAlignmentScorer, f0_alignment_score
from skgen.signal import (
    amplitude_spectrum,
    f0_statistics,
    hvsr,
    konno_ohmachi_smooth,
    peak_frequency,
    pga,
    response_spectrum,
)

DATA = Path(__file__).parent / "data"
FS = 100.0
N_TIMES = 128
TIMESNET = dict(
    MINIMAL_TIMESNET,
    n_times=N_TIMES,
    epochs=1,
    noise_epochs=0,
    batch_size=4,
    random_state=0,
)
CVAE = dict(
    n_times=N_TIMES,
    n_fft=32,
    hop_length=8,
    channels=(2,),
    latent_dim=2,
    epochs=1,
    batch_size=4,
    griffin_lim_iters=1,
    random_state=0,
)
GENERATORS = {"timesnet": (TimesNetGenerator, TIMESNET), "cvae": (SpectrogramCVAEGenerator, CVAE)}


def _records():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 3, N_TIMES)).astype(np.float32)
    return X, np.array(["A", "A", "A", "B", "B", "B"], dtype=object)


@pytest.fixture(scope="module")
def fitted():
    X, stations = _records()
    return {name: cls(**params).fit(X, stations) for name, (cls, params) in GENERATORS.items()}


def _with_nan(X):
    X = X.copy()
    X[1, 2, 5] = np.nan
    return X


def _with_inf(X):
    X = X.copy()
    X[0, 0, 0] = np.inf
    return X


def _dict_in_object(X):
    X = X.astype(object)
    X[0, 0, 0] = {"a": 1}
    return X


# Bad records given to a generator (or the scorer) that expects (6, 3, 128):
# (id, make bad X from good X, exception, message pattern).
BAD_RECORDS = [
    ("ndim-1", lambda X: X[0, 0], ValueError, r"X must have shape .* 1 dimension"),
    ("ndim-4", lambda X: X[None], ValueError, r"X must have shape .* 4 dimension"),
    ("channels", lambda X: X[:, :2], ValueError, r"X has 2 channel\(s\) .* expects 3"),
    (
        "n_times-short",
        lambda X: X[..., :100],
        ValueError,
        r"X records have 100 samples, shorter than the model's n_times=128",
    ),
    (
        "n_times-long",
        lambda X: fix_length(X, 130),
        ValueError,
        r"X records have 130 samples, longer than the model's n_times=128",
    ),
    ("nan", _with_nan, ValueError, r"Input X contains NaN"),
    ("inf", _with_inf, ValueError, r"Input X contains infinity"),
    (
        "strings",
        lambda X: np.full(X.shape, "a"),
        ValueError,
        r"X is not a valid array of records: could not convert string",
    ),
    (
        "dict-in-object",
        _dict_in_object,
        TypeError,
        r"X is not a valid array of records: .*argument must be",
    ),
    ("complex", lambda X: X.astype(np.complex64), ValueError, r"Complex data"),
    (
        "empty",
        lambda X: X[:0],
        ValueError,
        r"X is not a valid array of records: Found array with 0 sample",
    ),
    (
        "ragged",
        lambda X: [X[0].tolist(), X[1, :2].tolist()],
        ValueError,
        r"X is not a valid array of records: .*inhomogeneous",
    ),
    ("none", lambda X: None, TypeError, r"X must be a numeric array of records, got None"),
    ("string", lambda X: "records.mseed", TypeError, r"X must be a numeric array, got a string"),
]

# Bad station labels for six good records.
BAD_STATIONS = [
    ("too-few", lambda s: s[:4], ValueError, r"stations has 4 labels but X has 6 records"),
    (
        "too-many",
        lambda s: np.append(s, "A"),
        ValueError,
        r"stations has 7 labels but X has 6 records",
    ),
    (
        "unhashable",
        lambda s: [{"name": "A"}] * 6,
        TypeError,
        r"stations labels must be strings or numbers; got dict",
    ),
    ("nested", lambda s: [["A"]] * 6, ValueError, r"stations must be 1-D"),
    (
        "mixed",
        lambda s: ["A", 1, "A", 1, "A", 1],
        TypeError,
        r"stations mixes label types \(int, str\)",
    ),
    ("bool", lambda s: [True] * 6, TypeError, r"stations labels must be strings or numbers"),
    ("nan-label", lambda s: [1.0, np.nan] * 3, ValueError, r"stations contains a non-finite"),
    ("none", lambda s: None, ValueError, r"stations is required"),
    ("one-string", lambda s: "AAABBB", TypeError, r"stations must be a 1-D sequence"),
]


def _copy(value):
    return copy.deepcopy(value)


def _assert_unchanged(before, after):
    if isinstance(before, np.ndarray):
        assert isinstance(after, np.ndarray) and before.dtype == after.dtype
        np.testing.assert_array_equal(after, before)
    elif isinstance(before, list):
        np.testing.assert_equal(after, before)
    else:
        assert after is before or after == before


def _no_work(monkeypatch, cls):
    """Make training, encoding and generation fail the test if reached."""

    def fail(*args, **kwargs):
        pytest.fail("work started before the input was validated")

    for hook in ("_train", "_encode_records", "_generate"):
        monkeypatch.setattr(cls, hook, fail)


def _bank_snapshot(gen):
    return {label: {k: v.copy() for k, v in entry.items()} for label, entry in gen.bank_.items()}


def _call_generator(gen, method, X, stations):
    if method == "fit":
        return gen.fit(X, stations)
    if method in ("add_stations", "with_bank", "score"):
        return getattr(gen, method)(X, stations)
    if method == "scorer":
        return HVSRAlignmentScorer(metric="f0_js")(gen, X, stations)
    if method == "report":
        return HVSRAlignmentScorer().report(gen, X, stations)
    if method == "reconstruct-stations":
        return gen.reconstruct(X, stations)
    return getattr(gen, method)(X)


METHODS_XS = ["fit", "add_stations", "with_bank", "score", "scorer", "report"]
METHODS_X = ["reconstruct", "encode"]


def _method_cases():
    for name in GENERATORS:
        for method in METHODS_XS + METHODS_X:
            if method == "encode" and name == "cvae":
                continue
            yield name, method
    yield "cvae", "reconstruct-stations"


@pytest.mark.parametrize("name, method", list(_method_cases()))
@pytest.mark.parametrize("case, make, error, match", BAD_RECORDS, ids=[c[0] for c in BAD_RECORDS])
def test_generator_rejects_bad_records(fitted, monkeypatch, name, method, case, make, error, match):
    good_X, stations = _records()
    X = make(good_X)
    if method == "fit" and case in ("ndim-1", "channels"):
        pytest.skip("fit accepts any channel count; 1-D is tested through ndim-4")
    X_before, stations_before = _copy(X), stations.copy()
    cls, params = GENERATORS[name]
    gen = cls(**params) if method == "fit" else fitted[name]
    bank = None if method == "fit" else _bank_snapshot(gen)
    _no_work(monkeypatch, cls)
    rows = len(X) if hasattr(X, "__len__") and not isinstance(X, str) else 6
    with pytest.raises(error, match=match):
        _call_generator(gen, method, X, stations[:rows] if rows <= 6 else stations)
    _assert_unchanged(X_before, X)
    np.testing.assert_array_equal(stations, stations_before)
    if bank is None:
        assert not hasattr(gen, "bank_") and not hasattr(gen, "module_")
    else:
        assert list(gen.bank_) == list(bank)
        for label in bank:
            for key, value in bank[label].items():
                np.testing.assert_array_equal(gen.bank_[label][key], value)


@pytest.mark.parametrize(
    "name, method",
    [(name, method) for name in GENERATORS for method in METHODS_XS]
    + [("cvae", "reconstruct-stations")],
)
@pytest.mark.parametrize("case, make, error, match", BAD_STATIONS, ids=[c[0] for c in BAD_STATIONS])
def test_generator_rejects_bad_stations(
    fitted, monkeypatch, name, method, case, make, error, match
):
    X, good = _records()
    stations = make(good)
    if method == "reconstruct-stations" and stations is None:
        pytest.skip("reconstruct(X, None) is valid: every record uses the unknown slot")
    X_before, stations_before = X.copy(), _copy(stations)
    cls, params = GENERATORS[name]
    gen = cls(**params) if method == "fit" else fitted[name]
    _no_work(monkeypatch, cls)
    with pytest.raises(error, match=match):
        _call_generator(gen, method, X, stations)
    np.testing.assert_array_equal(X, X_before)
    _assert_unchanged(stations_before, stations)


@pytest.mark.parametrize("name", GENERATORS)
@pytest.mark.parametrize(
    "params, error, match",
    [
        (dict(fs=0.0), ValueError, r"fs"),
        (dict(fs=-100.0), ValueError, r"fs"),
        (dict(n_times=129), ValueError, r"X records have 128 samples, shorter than .*n_times=129"),
        (dict(n_times=0), ValueError, r"n_times"),
        (dict(n_times=12.5), TypeError, r"n_times"),
        (dict(epochs=-1), ValueError, r"epochs"),
        (dict(batch_size=0), ValueError, r"batch_size"),
    ],
)
def test_fit_rejects_bad_parameters_before_training(monkeypatch, name, params, error, match):
    X, stations = _records()
    X_before = X.copy()
    cls, base = GENERATORS[name]
    gen = cls(**{**base, **params})
    _no_work(monkeypatch, cls)
    with pytest.raises(error, match=match):
        gen.fit(X, stations)
    np.testing.assert_array_equal(X, X_before)
    assert not hasattr(gen, "module_")


@pytest.mark.parametrize("name", GENERATORS)
@pytest.mark.parametrize(
    "station, n_samples, error, match",
    [
        ("A", 0, ValueError, r"n_samples must be >= 1, got 0"),
        ("A", -3, ValueError, r"n_samples must be >= 1, got -3"),
        ("A", 1.5, TypeError, r"n_samples must be an integer, got float"),
        ("A", "3", TypeError, r"n_samples must be an integer, got str"),
        ("A", None, TypeError, r"n_samples must be an integer, got NoneType"),
        ("A", True, TypeError, r"n_samples must be an integer, got bool"),
        (["A"], 1, TypeError, r"station must be a single label, got list"),
        ("Z", 1, ValueError, r"Unknown station 'Z'; known stations: 'A', 'B'"),
        (1, 1, ValueError, r"Unknown station 1"),
    ],
)
def test_sample_rejects_bad_requests(fitted, monkeypatch, name, station, n_samples, error, match):
    gen = fitted[name]
    _no_work(monkeypatch, type(gen))
    with pytest.raises(error, match=match):
        gen.sample(station, n_samples, random_state=0)


def test_unfitted_generator_methods_raise_not_fitted():
    from sklearn.exceptions import NotFittedError

    X, stations = _records()
    gen = TimesNetGenerator(**TIMESNET)
    for call in (
        lambda: gen.sample("A"),
        lambda: gen.add_stations(X, stations),
        lambda: gen.encode(X),
        lambda: gen.reconstruct(X),
        lambda: gen.with_bank(X, stations),
    ):
        with pytest.raises(NotFittedError, match="not fitted"):
            call()


# -- the scorer --------------------------------------------------------------
@pytest.mark.parametrize(
    "params, estimator, error, match",
    [
        (dict(fs=0.0), None, ValueError, r"fs must be positive and finite, got 0\.0"),
        (dict(fs=-5.0), None, ValueError, r"fs must be positive and finite, got -5\.0"),
        (
            dict(band=(1.0, 80.0)),
            None,
            ValueError,
            r"band \(1.0, 80.0\) is outside Nyquist.*50.0\]",
        ),
        (dict(band=(20.0, 1.0)), None, ValueError, r"band must satisfy 0 < low < high"),
        (dict(band=5.0), None, ValueError, r"band must be a pair \(low, high\)"),
        (dict(n_samples=0), None, ValueError, r"n_samples must be a positive integer or None"),
        (
            dict(reference_split=1.5),
            None,
            ValueError,
            r"reference_split must be a float in \(0, 1\)",
        ),
        (dict(metric="accuracy"), None, ValueError, r"metric must be one of"),
        ({}, object(), TypeError, r"estimator must be a station generator"),
    ],
)
@pytest.mark.parametrize("entry", ["call", "report"])
def test_scorer_rejects_bad_settings(fitted, monkeypatch, params, estimator, error, match, entry):
    X, stations = _records()
    X_before = X.copy()
    gen = fitted["timesnet"] if estimator is None else estimator
    _no_work(monkeypatch, TimesNetGenerator)
    scorer = HVSRAlignmentScorer(**params)
    with pytest.raises(error, match=match):
        if entry == "call":
            scorer(gen, X, stations)
        else:
            scorer.report(gen, X, stations)
    np.testing.assert_array_equal(X, X_before)


def test_scorer_needs_two_records_per_station_before_generating(fitted, monkeypatch):
    X, stations = _records()
    _no_work(monkeypatch, TimesNetGenerator)
    with pytest.raises(ValueError, match=r"at least 2 records per station.*'C'"):
        HVSRAlignmentScorer()(fitted["timesnet"], X, np.array(["A"] * 5 + ["C"]))
    with pytest.raises(ValueError, match=r"metric='alignment' needs records of at least 2"):
        HVSRAlignmentScorer()(fitted["timesnet"], X, np.array(["A"] * 6))


@pytest.mark.parametrize(
    "real, generated, error, match",
    [
        ([[2.0], [9.0]], [[2.0]], ValueError, r"real_f0 has 2 stations but generated_f0 has 1"),
        ([[2.0]], [[2.0]], ValueError, r"needs at least 2 stations, got 1"),
        ([], [], ValueError, r"needs at least 2 stations, got 0"),
        ([[[2.0]], [[9.0]]], [[2.0], [9.0]], ValueError, r"real_f0\[0\] must be a 1-D array"),
        ([["a"], ["b"]], [[2.0], [9.0]], TypeError, r"real_f0\[0\] must be numeric f0 values"),
        ([[2.0], [9.0]], [[2.0], [{"f0": 1}]], TypeError, r"generated_f0\[1\] must be numeric"),
        ("2.0, 9.0", [[2.0], [9.0]], TypeError, r"real_f0 must be a sequence"),
        (None, [[2.0], [9.0]], TypeError, r"real_f0 must be a sequence"),
    ],
)
def test_f0_alignment_score_rejects_bad_input(real, generated, error, match):
    before = _copy((real, generated))
    with pytest.raises(error, match=match):
        f0_alignment_score(real, generated)
    assert (real, generated) == before or str((real, generated)) == str(before)


# -- skgen.signal ------------------------------------------------------------
R = np.random.default_rng(1).standard_normal((2, 3, 600))
R_NAN = R.copy()
R_NAN[0, 1, 3] = np.nan
R_INF = R.copy()
R_INF[1, 0, 0] = -np.inf
FREQS = np.linspace(0.0, 50.0, 101)
SPECTRA = np.ones((2, 101))

SIGNAL_CASES = [
    # hvsr
    ("hvsr", lambda: hvsr(R[0, 0], FS), ValueError, r"X must have shape .*\(600,\)"),
    ("hvsr", lambda: hvsr(R[None], FS), ValueError, r"X must have shape .*\(1, 2, 3, 600\)"),
    ("hvsr", lambda: hvsr(R[:, :2], FS), ValueError, r"X must have 3 channels .*got 2"),
    ("hvsr", lambda: hvsr(R_NAN, FS), ValueError, r"X must be finite"),
    ("hvsr", lambda: hvsr(R_INF, FS), ValueError, r"X must be finite"),
    ("hvsr", lambda: hvsr(R.astype(str), FS), TypeError, r"X must be a real numeric array"),
    ("hvsr", lambda: hvsr(R.astype(object), FS), TypeError, r"X must be a real numeric array"),
    ("hvsr", lambda: hvsr(None, FS), TypeError, r"X must be a real numeric array"),
    ("hvsr", lambda: hvsr(R[:0], FS), ValueError, r"X holds no records"),
    ("hvsr", lambda: hvsr(R[..., :4], FS), ValueError, r"X needs at least 8 samples"),
    ("hvsr", lambda: hvsr(R, 0.0), ValueError, r"fs must be positive and finite, got 0"),
    ("hvsr", lambda: hvsr(R, -100.0), ValueError, r"fs must be positive and finite, got -100"),
    ("hvsr", lambda: hvsr(R, np.nan), ValueError, r"fs must be positive and finite, got nan"),
    ("hvsr", lambda: hvsr(R, "100"), TypeError, r"fs must be a real number, got str"),
    (
        "hvsr",
        lambda: hvsr(R, FS, band=(1.0, 60.0)),
        ValueError,
        r"band \(1.0, 60.0\) is outside Nyquist",
    ),
    ("hvsr", lambda: hvsr(R, 30.0), ValueError, r"band \(1.0, 20.0\) is outside Nyquist.*15.0"),
    ("hvsr", lambda: hvsr(R, FS, band=(20.0, 1.0)), ValueError, r"band must satisfy 0 < low"),
    (
        "hvsr",
        lambda: hvsr(R, FS, centers=[1.0, 70.0]),
        ValueError,
        r"centers reach 70.0 Hz, outside Nyquist",
    ),
    (
        "hvsr",
        lambda: hvsr(R, FS, highpass=60.0),
        ValueError,
        r"highpass=60.0 Hz must be below the Nyquist",
    ),
    ("hvsr", lambda: hvsr(R, FS, kernel="gauss"), ValueError, r"kernel must be one of"),
    # amplitude_spectrum
    ("amplitude_spectrum", lambda: amplitude_spectrum(R_NAN, FS), ValueError, r"X must be finite"),
    (
        "amplitude_spectrum",
        lambda: amplitude_spectrum(R.astype(str), FS),
        TypeError,
        r"X must be a real numeric array",
    ),
    ("amplitude_spectrum", lambda: amplitude_spectrum(R[:0], FS), ValueError, r"X is empty"),
    (
        "amplitude_spectrum",
        lambda: amplitude_spectrum(R[..., :1], FS),
        ValueError,
        r"X needs at least 2 samples",
    ),
    ("amplitude_spectrum", lambda: amplitude_spectrum(R, 0), ValueError, r"fs must be positive"),
    (
        "amplitude_spectrum",
        lambda: amplitude_spectrum(R, FS, highpass=50.0),
        ValueError,
        r"highpass=50.0 Hz must be below the Nyquist",
    ),
    # pga
    ("pga", lambda: pga(R[0, 0]), ValueError, r"X must have shape .*\(600,\)"),
    ("pga", lambda: pga(R[:, :2]), ValueError, r'channels="horizontal" needs 3 channels'),
    ("pga", lambda: pga(R_NAN), ValueError, r"X must be finite"),
    ("pga", lambda: pga(R.astype(str)), TypeError, r"X must be a real numeric array"),
    ("pga", lambda: pga(R[:0]), ValueError, r"X must have shape .*not be empty"),
    ("pga", lambda: pga(R, channels="vertical"), ValueError, r"channels must be one of"),
    # response_spectrum
    (
        "response_spectrum",
        lambda: response_spectrum(R_INF, FS, [1.0]),
        ValueError,
        r"X must be finite",
    ),
    (
        "response_spectrum",
        lambda: response_spectrum(R.astype(str), FS, [1.0]),
        TypeError,
        r"X must be a real numeric array",
    ),
    ("response_spectrum", lambda: response_spectrum(R[:0], FS, [1.0]), ValueError, r"X is empty"),
    (
        "response_spectrum",
        lambda: response_spectrum(R, -1.0, [1.0]),
        ValueError,
        r"fs must be positive",
    ),
    (
        "response_spectrum",
        lambda: response_spectrum(R, FS, [0.0, 1.0]),
        ValueError,
        r"periods must be positive",
    ),
    (
        "response_spectrum",
        lambda: response_spectrum(R, FS, ["a"]),
        TypeError,
        r"periods must be an array of numbers",
    ),
    (
        "response_spectrum",
        lambda: response_spectrum(R, FS, [1.0], damping=1.0),
        ValueError,
        r"damping must be in \(0, 1\)",
    ),
    # konno_ohmachi_smooth
    (
        "konno_ohmachi_smooth",
        lambda: konno_ohmachi_smooth(SPECTRA * np.nan, FREQS, [1.0]),
        ValueError,
        r"spectra must be finite",
    ),
    (
        "konno_ohmachi_smooth",
        lambda: konno_ohmachi_smooth(SPECTRA.astype(str), FREQS, [1.0]),
        TypeError,
        r"spectra must be a real numeric array",
    ),
    (
        "konno_ohmachi_smooth",
        lambda: konno_ohmachi_smooth(SPECTRA[:, :50], FREQS, [1.0]),
        ValueError,
        r"spectra's last axis must match freqs \(101 values\)",
    ),
    (
        "konno_ohmachi_smooth",
        lambda: konno_ohmachi_smooth(SPECTRA[:0], FREQS, [1.0]),
        ValueError,
        r"spectra is empty",
    ),
    (
        "konno_ohmachi_smooth",
        lambda: konno_ohmachi_smooth(SPECTRA, FREQS[None], [1.0]),
        ValueError,
        r"freqs must be a non-empty 1-D array",
    ),
    (
        "konno_ohmachi_smooth",
        lambda: konno_ohmachi_smooth(SPECTRA, ["a"] * 101, [1.0]),
        TypeError,
        r"freqs must be an array of numbers",
    ),
    (
        "konno_ohmachi_smooth",
        lambda: konno_ohmachi_smooth(SPECTRA, FREQS - 1.0, [1.0]),
        ValueError,
        r"freqs must be non-negative",
    ),
    (
        "konno_ohmachi_smooth",
        lambda: konno_ohmachi_smooth(SPECTRA, FREQS, []),
        ValueError,
        r"centers must be a non-empty 1-D array",
    ),
    (
        "konno_ohmachi_smooth",
        lambda: konno_ohmachi_smooth(SPECTRA, FREQS, [0.0]),
        ValueError,
        r"centers must be positive",
    ),
    (
        "konno_ohmachi_smooth",
        lambda: konno_ohmachi_smooth(SPECTRA, FREQS, [1.0], bandwidth=0),
        ValueError,
        r"bandwidth must be positive and finite",
    ),
    # peak_frequency
    (
        "peak_frequency",
        lambda: peak_frequency(np.arange(1.0, 6.0), np.full(5, "a")),
        TypeError,
        r"curves must be a real numeric array",
    ),
    (
        "peak_frequency",
        lambda: peak_frequency(np.arange(1.0, 6.0), np.ones(4)),
        ValueError,
        r"curves' last axis must match centers \(5 values\)",
    ),
    (
        "peak_frequency",
        lambda: peak_frequency(np.arange(1.0, 6.0), np.ones((0, 5))),
        ValueError,
        r"curves is empty",
    ),
    (
        "peak_frequency",
        lambda: peak_frequency([1.0, np.nan, 3.0], np.ones(3)),
        ValueError,
        r"centers must be finite",
    ),
    (
        "peak_frequency",
        lambda: peak_frequency([3.0, 2.0, 1.0], np.ones(3)),
        ValueError,
        r"centers must be strictly increasing",
    ),
    (
        "peak_frequency",
        lambda: peak_frequency(np.arange(1.0, 6.0), np.ones(5), method="max"),
        ValueError,
        r"method must be one of",
    ),
    # f0_statistics
    (
        "f0_statistics",
        lambda: f0_statistics(["a", "b"]),
        TypeError,
        r"f0 must be an array of frequencies",
    ),
    ("f0_statistics", lambda: f0_statistics(None), TypeError, r"f0 must be an array .*NoneType"),
    (
        "f0_statistics",
        lambda: f0_statistics([2.0, -1.0]),
        ValueError,
        r"f0 must be positive and finite",
    ),
    (
        "f0_statistics",
        lambda: f0_statistics([2.0, np.inf]),
        ValueError,
        r"f0 must be positive and finite",
    ),
]


@pytest.mark.parametrize(
    "function, call, error, match",
    SIGNAL_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(SIGNAL_CASES)],
)
def test_signal_rejects_bad_input(function, call, error, match):
    shared = [R, R_NAN, R_INF, FREQS, SPECTRA]
    before = [a.copy() for a in shared]
    with pytest.raises(error, match=match):
        call()
    for original, array in zip(before, shared):
        np.testing.assert_array_equal(array, original)


def test_signal_leaves_inputs_untouched_on_success():
    X = R.astype(np.float32)
    before = X.copy()
    hvsr(X, FS)
    amplitude_spectrum(X, FS)
    pga(X)
    response_spectrum(X, FS, [0.5, 1.0])
    np.testing.assert_array_equal(X, before)


# -- skgen.io and make_strong_motion --------------------------------------------
@pytest.fixture(scope="module")
def stream():
    return to_stream(R.astype(np.float32), ["XX.A", "XX.B"], FS)


IO_CASES = [
    (
        "fix_length",
        lambda s: fix_length(np.full(5, "a"), 3),
        TypeError,
        r"X must be a real numeric array, got dtype <U1",
    ),
    (
        "fix_length",
        lambda s: fix_length(np.array([1.0, np.nan]), 3),
        ValueError,
        r"X must be finite",
    ),
    ("fix_length", lambda s: fix_length(R, 0), ValueError, r"n_times must be >= 1, got 0"),
    ("fix_length", lambda s: fix_length(R, 2.5), TypeError, r"n_times must be an integer"),
    ("fix_length", lambda s: fix_length(3.0, 2), ValueError, r"X must have at least one axis"),
    ("from_stream", lambda s: from_stream([1, 2]), TypeError, r"stream must be an obspy Stream"),
    ("from_stream", lambda s: from_stream(Stream()), ValueError, r"stream contains no traces"),
    (
        "from_stream",
        lambda s: from_stream(s, fs=0.0),
        ValueError,
        r"fs must be positive and finite, got 0\.0",
    ),
    (
        "from_stream",
        lambda s: from_stream(s, fs=True),
        TypeError,
        r"fs must be a real number, got bool",
    ),
    ("from_stream", lambda s: from_stream(s, n_times=0), ValueError, r"n_times must be >= 1"),
    (
        "from_stream",
        lambda s: from_stream(Stream(s[:2])),
        ValueError,
        r"station XX.A .*missing component\(s\) Z/U",
    ),
    (
        "from_stream",
        lambda s: from_stream(s, inventory="inv.xml"),
        TypeError,
        r"inventory must be an obspy Inventory",
    ),
    ("to_stream", lambda s: to_stream(R_NAN, ["A", "B"], FS), ValueError, r"Input X contains NaN"),
    (
        "to_stream",
        lambda s: to_stream(R[:, :2], ["A", "B"], FS),
        ValueError,
        r"X has 2 channel\(s\)",
    ),
    ("to_stream", lambda s: to_stream(R[None], ["A", "B"], FS), ValueError, r"X must have shape"),
    (
        "to_stream",
        lambda s: to_stream(np.full(R.shape, "a"), ["A", "B"], FS),
        ValueError,
        r"X is not a valid array of records: could not convert string",
    ),
    (
        "to_stream",
        lambda s: to_stream(R[:0], [], FS),
        ValueError,
        r"X is not a valid array of records: Found array with 0 sample",
    ),
    (
        "to_stream",
        lambda s: to_stream(R, ["A"], FS),
        ValueError,
        r"stations has 1 labels but X has 2 records",
    ),
    (
        "to_stream",
        lambda s: to_stream(R, [{"A": 1}, "B"], FS),
        TypeError,
        r"stations labels must be strings or numbers",
    ),
    ("to_stream", lambda s: to_stream(R, ["A", 1], FS), TypeError, r"stations mixes label types"),
    (
        "to_stream",
        lambda s: to_stream(R, ["A", "B"], 0.0),
        ValueError,
        r"fs must be positive and finite, got 0\.0",
    ),
    (
        "to_stream",
        lambda s: to_stream(R, ["TOOLONGSTATION", "B"], FS),
        ValueError,
        r"station code 'TOOLONGSTATION' does not fit SEED",
    ),
    (
        "read_records",
        lambda s: read_records(DATA / "CE.68150.mseed", fs=0.0),
        ValueError,
        r"fs must be positive and finite, got 0\.0",
    ),
    (
        "read_records",
        lambda s: read_records(DATA / "CE.68150.mseed", fs=-1.0),
        ValueError,
        r"fs must be positive and finite, got -1\.0",
    ),
    (
        "read_records",
        lambda s: read_records(DATA / "CE.68150.mseed", n_times=0),
        ValueError,
        r"n_times must be >= 1",
    ),
    ("read_records", lambda s: read_records([]), ValueError, r"paths is empty"),
    (
        "read_records",
        lambda s: read_records(DATA, window="peak"),
        ValueError,
        r"window must be 'event' or 'start', got 'peak'",
    ),
    (
        "read_records",
        lambda s: read_records(DATA, pre_event=-1.0),
        ValueError,
        r"pre_event == -1\.0, must be >= 0",
    ),
    (
        "read_records",
        lambda s: read_records(DATA, taper=0.7),
        ValueError,
        r"taper must be between 0 and 0\.5",
    ),
    (
        "read_records",
        lambda s: read_records(DATA, demean="no"),
        TypeError,
        r"demean must be True or False",
    ),
    (
        "read_records",
        lambda s: read_records(DATA, bandpass=(5.0, 1.0)),
        ValueError,
        r"bandpass must satisfy 0 < low < high",
    ),
    (
        "read_records",
        lambda s: read_records(DATA, units="furlong"),
        ValueError,
        r"units 'furlong' is not an acceleration unit",
    ),
    (
        "read_records",
        lambda s: read_records(DATA, units=100),
        TypeError,
        r"units must be a string",
    ),
    (
        "read_records",
        lambda s: read_records(DATA, on_error="ignore"),
        ValueError,
        r"on_error must be 'raise' or 'skip'",
    ),
    (
        "read_records",
        lambda s: read_records(
            DATA / "CE.68150.counts.mseed", units="gal", inventory=DATA / "CE.68150.xml"
        ),
        ValueError,
        r"give units or an inventory, not both",
    ),
    (
        "read_records",
        lambda s: read_records(DATA / "*.nothing"),
        FileNotFoundError,
        r"No file matches",
    ),
    (
        "from_stream",
        lambda s: from_stream(s, window=None),
        ValueError,
        r"window must be 'event' or 'start'",
    ),
    (
        "from_stream",
        lambda s: from_stream(s, taper="hann"),
        TypeError,
        r"taper must be a fraction",
    ),
    ("read_records", lambda s: read_records(None), TypeError, r"paths must be a path"),
    (
        "read_records",
        lambda s: read_records(DATA / "absent.mseed"),
        FileNotFoundError,
        r"absent\.mseed",
    ),
    (
        "make_strong_motion",
        lambda s: make_strong_motion(n_stations=0),
        ValueError,
        r"n_stations must be >= 1, got 0",
    ),
    (
        "make_strong_motion",
        lambda s: make_strong_motion(records_per_station=-1),
        ValueError,
        r"records_per_station must be >= 1, got -1",
    ),
    (
        "make_strong_motion",
        lambda s: make_strong_motion(n_stations=2.5),
        TypeError,
        r"n_stations must be an integer, got float",
    ),
    (
        "make_strong_motion",
        lambda s: make_strong_motion(fs=0.0),
        ValueError,
        r"fs must be positive and finite, got 0\.0",
    ),
    (
        "make_strong_motion",
        lambda s: make_strong_motion(fs=-100.0),
        ValueError,
        r"fs must be positive and finite, got -100\.0",
    ),
    (
        "make_strong_motion",
        lambda s: make_strong_motion(fs=30.0),
        ValueError,
        r"fs must be at least 40.0 Hz .*below Nyquist",
    ),
    (
        "make_strong_motion",
        lambda s: make_strong_motion(n_times=10),
        ValueError,
        r"n_times must be at least 64",
    ),
    (
        "make_strong_motion",
        lambda s: make_strong_motion(region="Z"),
        ValueError,
        r"Unknown region 'Z'",
    ),
]


@pytest.mark.parametrize(
    "function, call, error, match", IO_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(IO_CASES)]
)
def test_io_and_datasets_reject_bad_input(stream, function, call, error, match):
    shared = [R, R_NAN]
    before = [a.copy() for a in shared]
    traces_before = [tr.copy() for tr in stream]
    with pytest.raises(error, match=match):
        call(stream)
    for original, array in zip(before, shared):
        np.testing.assert_array_equal(array, original)
    assert len(stream) == len(traces_before)
    for trace, original in zip(stream, traces_before):
        assert trace.stats == original.stats
        np.testing.assert_array_equal(trace.data, original.data)


# -- the command line -----------------------------------------------------------
@pytest.fixture(scope="module")
def cli_files(tmp_path_factory, fitted):
    folder = tmp_path_factory.mktemp("cli-bad")
    data = make_strong_motion(
        n_stations=2, records_per_station=2, n_times=N_TIMES * 8, random_state=0
    )
    records = folder / "records.mseed"
    to_stream(data.X, [f"XX.{s}" for s in data.stations], data.fs).write(
        str(records), format="MSEED"
    )
    model = folder / "model.skgen"
    fitted["timesnet"].save(model)
    return folder, records, model


CLI_CASES = [
    (["hvsr", "{records}", "--fs", "0"], "fs must be positive and finite, got 0.0"),
    (["hvsr", "{records}", "--fs", "-50"], "fs must be positive and finite, got -50.0"),
    (["hvsr", "{records}", "--fs", "nan"], "fs must be positive and finite, got nan"),
    (["hvsr", "{records}", "--fs", "30"], "band (1.0, 20.0) is outside Nyquist"),
    (["hvsr", "{records}", "--n-times", "0"], "n_times must be >= 1, got 0"),
    (["hvsr", "{folder}/absent.mseed"], "absent.mseed"),
    (["hvsr", "{model}"], "model.skgen"),
    (
        ["fit", "{records}", "--model", "{folder}/new.skgen", "--param", "epochs=-1"],
        "'epochs' parameter of TimesNetGenerator must be an int in the range [0, inf). Got -1",
    ),
    (
        ["fit", "{records}", "--model", "{folder}/new.skgen", "--param", "fs=0"],
        "'fs' parameter of TimesNetGenerator must be a float in the range (0.0, inf). Got 0",
    ),
    (
        ["fit", "{records}", "--model", "{folder}/new.skgen", "--param", "n_times=0"],
        "n_times must be >= 1",
    ),
    (
        [
            "fit",
            "{records}",
            "--model",
            "{folder}/new.skgen",
            "--param",
            "n_times=512",
            "--param",
            "d_model=0",
        ],
        "'d_model' parameter of TimesNetGenerator must be an int in the range [1, inf). Got 0",
    ),
    (
        ["fit", "{records}", "--model", "{folder}/new.skgen", "--param", "depth=3"],
        "unknown parameter 'depth'",
    ),
    (
        ["fit", "{records}", "--model", "{folder}/new.skgen", "--param", "epochs"],
        "--param expects key=value, got 'epochs'",
    ),
    (
        ["sample", "--model", "{model}", "--station", "A", "-n", "0", "--out", "{folder}/x.npz"],
        "n_samples must be >= 1, got 0",
    ),
    (
        ["sample", "--model", "{model}", "--station", "Z", "--out", "{folder}/x.npz"],
        "Unknown station 'Z'",
    ),
    (
        ["sample", "--model", "{model}", "--station", "A", "--out", "{folder}/x.csv"],
        "--out must end in .mseed, .sac or .npz",
    ),
    (
        ["sample", "--model", "{folder}/absent.skgen", "--station", "A", "--out", "{folder}/x.npz"],
        "absent.skgen",
    ),
    (
        ["sample", "--model", "{records}", "--station", "A", "--out", "{folder}/x.npz"],
        "records.mseed",
    ),
    (
        [
            "add-stations",
            "{records}",
            "--model",
            "{model}",
            "--out",
            "{folder}/more.skgen",
            "--fs",
            "0",
        ],
        "fs must be positive and finite, got 0.0",
    ),
    (
        [
            "add-stations",
            "{folder}/absent.mseed",
            "--model",
            "{model}",
            "--out",
            "{folder}/more.skgen",
        ],
        "absent.mseed",
    ),
    (["score", "{records}", "--model", "{model}", "--metric", "accuracy"], "metric must be one of"),
]


@pytest.mark.parametrize(
    "argv, message", CLI_CASES, ids=[" ".join(c[0][:2] + c[0][-2:]) for c in CLI_CASES]
)
def test_cli_user_mistakes_are_one_line(cli_files, fitted, capsys, monkeypatch, argv, message):
    folder, records, model = cli_files
    monkeypatch.delenv("SKGEN_DEBUG", raising=False)
    _no_work(monkeypatch, TimesNetGenerator)
    model_before = model.read_bytes()
    argv = [a.format(folder=folder, records=records, model=model) for a in argv]
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith("skgen: error:") and len(err.splitlines()) == 1, err
    assert message in err
    assert captured.out == ""
    assert model.read_bytes() == model_before
    assert not (folder / "new.skgen").exists() and not (folder / "more.skgen").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["sample", "--model", "m.skgen", "--station", "A", "--out", "x.npz", "-n", "many"],
        ["hvsr"],
        ["hvsr", "r.mseed", "--kernel", "boxcar"],
        ["unknown-command"],
    ],
)
def test_cli_argument_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("skgen")


# -- property tests and reader fuzzing beyond test_signal / test_io ----------------
@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    X=arrays(
        np.float64, (3, 256), elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
    ),
    scale=st.floats(1e-3, 1e3),
)
def test_property_any_finite_record(X, scale):
    """Any finite record whose channels are not straight lines (their
    detrended spectra are not zero) gives a finite, positive HVSR, invariant
    to scale and to swapping E and N; f0 and PGA follow."""
    # A straight line (constant included) detrends to rounding noise: its
    # spectrum, and a ratio with it, carry no information.
    t = np.arange(X.shape[1])
    for channel in X:
        residual = channel - np.polyval(np.polyfit(t, channel, 1), t)
        assume(np.abs(residual).max() > 1e-3 * max(np.abs(channel).max(), 1.0))
    before = X.copy()
    centers, curve = hvsr(X, FS)
    np.testing.assert_array_equal(X, before)
    assert np.all(np.isfinite(curve)) and np.all(curve >= 0)
    _, scaled = hvsr(X * scale, FS)
    _, swapped = hvsr(X[[1, 0, 2]], FS)
    np.testing.assert_allclose(scaled, curve, rtol=1e-3, atol=1e-6 * curve.max())
    np.testing.assert_allclose(swapped, curve, rtol=1e-5, atol=1e-9 * curve.max())
    assert pga(X * -scale) == pytest.approx(scale * pga(X), rel=1e-12)


_FUZZ_SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import numpy as np, scipy.io
    from skgen.io import read_records
    from skgen.datasets import make_strong_motion
    from skgen.io import to_stream

    folder = Path(sys.argv[1])
    rng = np.random.default_rng(int(sys.argv[2]))
    at2 = ("PEER NGA STRONG MOTION DATABASE RECORD\\n"
           "Fuzz event, 1/1/2000, Fuzz station, 090\\n"
           "ACCELERATION TIME SERIES IN UNITS OF G\\n"
           "NPTS=  400, DT=   .0100 SEC\\n"
           + "\\n".join("  ".join(f"{v: .7E}" for v in row)
                       for row in rng.normal(scale=0.1, size=(80, 5))) + "\\n").encode()
    mat_path = folder / "seed.mat"
    scipy.io.savemat(mat_path, {"signal": rng.normal(size=(3, 400)), "fs": 100.0,
                                "station": "0205"}, do_compression=True)
    data = make_strong_motion(n_stations=1, records_per_station=1, n_times=2000, random_state=0)
    mseed_path = folder / "seed.mseed"
    to_stream(data.X, ["XX.A"], data.fs).write(str(mseed_path), format="MSEED", reclen=512)
    seeds = {"AT2": at2, "mat": mat_path.read_bytes(), "mseed": mseed_path.read_bytes()}
    outcomes = {}
    for suffix, raw in seeds.items():
        for case in range(int(sys.argv[3])):
            content = bytearray(raw)
            kind = case % 4
            if kind == 0:
                content = content[: rng.integers(0, len(content))]
            elif kind == 1:
                for position in rng.integers(0, len(content), size=rng.integers(1, 20)):
                    content[position] = rng.integers(0, 256)
            elif kind == 2:
                start = rng.integers(0, len(content))
                content[start:start] = rng.bytes(int(rng.integers(1, 200)))
            else:
                start = rng.integers(0, len(content) - 64)
                content[start:start + 64] = rng.bytes(64)
            path = folder / f"fuzz_{case}_{kind}.{suffix}"
            path.write_bytes(bytes(content))
            try:
                X, _ = read_records(path, n_times=400)
                assert np.all(np.isfinite(X)), path
                outcome = "read"
            except ValueError as exc:
                assert path.name in str(exc), (path.name, str(exc))
                outcome = "refused"
            key = f"{suffix}:{outcome}"
            outcomes[key] = outcomes.get(key, 0) + 1
            path.unlink()
    print(json.dumps(outcomes))
""")


def test_reader_fuzzing_never_hangs_or_crashes(tmp_path):
    """Random truncations, byte flips, insertions and overwritten blocks of
    AT2, MATLAB and miniSEED files: each read either succeeds with finite
    records or raises ValueError naming the file. A child process turns a
    hang (timeout) or an interpreter crash (signal) into a test failure."""
    result = subprocess.run(
        [sys.executable, "-c", _FUZZ_SCRIPT, str(tmp_path), "0", "40"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    for suffix in ("AT2", "mat", "mseed"):
        assert counts.get(f"{suffix}:refused", 0) > 0, counts


def test_steim_checksum_failure_is_corruption(tmp_path):
    """A garbled Steim-compressed data frame fails libmseed's integrity check,
    which obspy only warns about while returning the garbled samples."""
    rng = np.random.default_rng(3)
    traces = [
        Trace(
            (rng.standard_normal(3000) * 1000).astype(np.int32),
            header={"network": "XX", "station": "A", "channel": f"HN{c}", "sampling_rate": FS},
        )
        for c in "ENZ"
    ]
    path = tmp_path / "steim.mseed"
    Stream(traces).write(str(path), format="MSEED", encoding="STEIM1", reclen=512)
    X, _ = read_records(path, n_times=3000, window="start", demean=False, detrend=False, taper=None)
    np.testing.assert_array_equal(X[0, 0], traces[0].data)
    raw = bytearray(path.read_bytes())
    # Bytes 64.. of a 512-byte record are its first data frame.
    raw[100:104] = b"\x12\x34\x56\x78"
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"steim\.mseed: corrupt .*integrity check"):
        read_records(path, n_times=3000)
