"""Real records in, nothing lost: the failures of issue #14 and event windows.

Real public-domain records (``tests/data/README.md``): CE.68150 (2014 South
Napa, 200 Hz) and UW.TBPA, UW.TKCO, UW.UPS (2001 Nisqually, 100 Hz), all in
m/s^2. "Cut from continuous data" records are these behind 120 s of
pre-event noise: the record's own first 10 s tiled, or seeded Gaussian
noise of that level.
"""

import json
import os
import re
import warnings
from pathlib import Path

import numpy as np
import obspy
import pytest
import scipy.io
from obspy import Stream, Trace, UTCDateTime

from skgen.cli import main
from skgen.io import SkippedFilesWarning, from_stream, pick_onset, read_records, to_stream
from skgen.signal import pga

DATA = Path(__file__).parent / "data"
REAL = {
    "CE.68150": DATA / "CE.68150.mseed",
    "UW.TBPA": DATA / "uw10530748.UW.TBPA.mseed",
    "UW.TKCO": DATA / "uw10530748.UW.TKCO.mseed",
    "UW.UPS": DATA / "uw10530748.UW.UPS.mseed",
}
PAD = 120.0  # seconds of pre-event noise
RAW = dict(window="start", demean=False, detrend=False, taper=None)


def _padded(stream, seconds, gaussian, rng):
    """The stream behind ``seconds`` of realistic pre-event noise."""
    stream = stream.copy()
    for trace in stream:
        fs = trace.stats.sampling_rate
        quiet = trace.data[: int(10 * fs)].astype(np.float64)
        n = int(seconds * fs)
        if gaussian:
            noise = rng.normal(quiet.mean(), quiet.std(), n)
        else:
            noise = np.resize(quiet, n)
        trace.data = np.concatenate([noise, trace.data]).astype(np.float32)
        trace.stats.starttime -= seconds
    return stream


@pytest.fixture(scope="module")
def continuous(tmp_path_factory):
    """A folder of the four real records cut from 'continuous data'."""
    folder = tmp_path_factory.mktemp("continuous")
    rng = np.random.default_rng(0)
    for index, path in enumerate(REAL.values()):
        stream = _padded(obspy.read(str(path)), PAD, gaussian=index % 2 == 1, rng=rng)
        stream.write(str(folder / path.name), format="MSEED")
    return folder


@pytest.fixture(scope="module")
def whole_pga():
    """Horizontal PGA of each real record, read whole (processed the same way)."""
    peaks = {}
    for station, path in REAL.items():
        X, _ = read_records(path, n_times=30000, window="start")
        peaks[station] = float(pga(X[0]))
    return peaks


# -- event windows -------------------------------------------------------------
def test_windows_of_records_cut_from_continuous_data(continuous, whole_pga):
    """Each window holds at least 0.85 of the record's PGA and is quiet in
    its first 2 s (before the change the window was the first 60 s: pure
    noise, 0.000 of the PGA)."""
    X, stations, meta = read_records(continuous, return_meta=True)
    assert sorted(stations) == sorted(REAL)
    for record, station, info in zip(X, stations, meta):
        peak = float(pga(record))
        assert peak >= 0.85 * whole_pga[station], station
        assert np.abs(record[:, :200]).max() < 0.02 * peak, station
        assert info["pga"] == pytest.approx(peak, rel=1e-6)
        assert info["onset_method"] == "aic"
        # The window starts 5 s before the onset, 120 s later than in the
        # record without the noise.
        assert info["window_start"] == pytest.approx(info["onset"] - 5.0, abs=0.01)
        assert info["onset"] > PAD
    X_old, _ = read_records(continuous, window="start")
    assert np.all(pga(X_old) < 0.01 * pga(X))


def test_onset_does_not_move_with_the_noise(continuous):
    """The pick of a padded record is the pick of the record plus 120 s."""
    _, _, padded = read_records(continuous, return_meta=True)
    for info in padded:
        path = next(p for p in REAL.values() if p.name in info["files"][0])
        _, _, (alone,) = read_records(path, return_meta=True)
        assert info["onset"] == pytest.approx(alone["onset"] + PAD, abs=0.05)
        assert UTCDateTime(info["onset_time"]) == UTCDateTime(alone["onset_time"])


def test_pick_onset_of_the_real_records_precedes_the_strong_motion():
    """AIC picks on the vertical, 15-26 s into these records (first P
    energy), before the 5 % Husid time and the peak."""
    for station, path in REAL.items():
        X, _ = read_records(path, n_times=30000, window="start")
        onset, method = pick_onset(X[0], 100.0)
        peak_time = np.argmax(np.abs(X[0, :2]).max(axis=0)) / 100.0
        assert method == "aic" and 15.0 < onset < 26.0 < peak_time + 5.0, station
        assert onset < peak_time


def test_pick_onset_falls_back_to_husid_without_pre_event():
    rng = np.random.default_rng(0)
    record = rng.normal(size=(3, 3000)) * np.exp(-np.arange(3000) / 800.0)
    onset, method = pick_onset(record, 100.0)
    energy = np.cumsum((record**2).sum(axis=0))
    assert method == "husid"
    assert onset == np.searchsorted(energy, 0.05 * energy[-1]) / 100.0


# -- the five failures of issue #14 --------------------------------------------
def test_valid_miniseed_over_one_mebibyte(tmp_path):
    """A real 3-component, 200 Hz, 450 s record and 32 records of skgen's own
    output in one file: both over 1 MiB, both refused before as truncated."""
    long = _padded(obspy.read(str(REAL["CE.68150"])), 331.0, False, None)
    path = tmp_path / "long.mseed"
    long.write(str(path), format="MSEED")
    assert os.path.getsize(path) > 2**20
    X, stations = read_records(path)
    assert list(stations) == ["CE.68150"]
    assert pga(X[0]) > 3.5

    rng = np.random.default_rng(1)
    X = rng.normal(size=(32, 3, 6000)).astype(np.float32)
    labels = [f"XX.S{i % 4}" for i in range(32)]
    to_stream(X, labels, 100.0).write(str(tmp_path / "all.mseed"), format="MSEED")
    assert os.path.getsize(tmp_path / "all.mseed") > 2 * 2**20
    X_read, stations = read_records(tmp_path / "all.mseed", **RAW)
    order = np.argsort([int(label[-1]) for label in labels], kind="stable")
    np.testing.assert_array_equal(X_read, X[order])
    # A cut-off large file is still refused, against its real size.
    raw = (tmp_path / "all.mseed").read_bytes()
    (tmp_path / "cut.mseed").write_bytes(raw[: len(raw) - 1000])
    with pytest.raises(ValueError, match=r"cut\.mseed: corrupt or truncated .* of 2358296 bytes"):
        read_records(tmp_path / "cut.mseed")


def test_records_with_one_station_and_start_are_not_merged(tmp_path):
    """32 single-record files, 8 per station, all starting at the same time
    (came back as 4 records before)."""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(32, 3, 500)).astype(np.float32)
    for i, record in enumerate(X):
        to_stream(record[None], [f"XX.S{i % 4}"], 100.0, starttime=0).write(
            str(tmp_path / f"rec{i:02d}.mseed"), format="MSEED"
        )
    X_read, stations, meta = read_records(tmp_path, n_times=500, return_meta=True, **RAW)
    assert len(X_read) == 32
    for record, info in zip(X_read, meta):
        (source,) = info["files"]
        index = int(re.search(r"rec(\d+)", source).group(1))
        np.testing.assert_array_equal(record, X[index])
        assert info["station"] == f"XX.S{index % 4}"


def test_afad_gal_and_miniseed_come_back_in_one_unit(tmp_path):
    """One call, two formats of the same motion: AFAD .mat stored in gal,
    miniSEED in m/s^2 (the .mat came back 100 times larger before)."""
    stream = obspy.read(str(REAL["UW.TKCO"]))
    stream.write(str(tmp_path / "TKCO.mseed"), format="MSEED")
    gal = np.stack([tr.data.astype(np.float64) * 100.0 for tr in stream])
    scipy.io.savemat(tmp_path / "AFAD.TKCO.mat", {"signal": gal, "fs": 100.0})
    X, stations = read_records(tmp_path)
    assert sorted(stations) == ["TKCO", "UW.TKCO"]
    np.testing.assert_allclose(X[0], X[1], rtol=1e-4, atol=1e-5 * np.abs(X).max())
    assert pga(X[0]) == pytest.approx(2.67, abs=0.01)
    # Files whose units the user knows: the same values read as gal.
    gal_stream = stream.copy()
    for trace in gal_stream:
        trace.data = trace.data * np.float32(100.0)
    gal_stream.write(str(tmp_path / "gal.mseed"), format="MSEED")
    X_gal, _ = read_records(tmp_path / "gal.mseed", units="gal")
    X_ms, _ = read_records(tmp_path / "TKCO.mseed")
    np.testing.assert_allclose(X_gal, X_ms, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="'furlong' is not an acceleration unit"):
        read_records(tmp_path / "gal.mseed", units="furlong")


def test_hvsr_on_a_directory(continuous, capsys):
    """``skgen hvsr DIR`` (before: "No such file (or not a file)")."""
    assert main(["hvsr", str(continuous)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert sorted(line.split()[0] for line in lines[1:]) == sorted(REAL)
    X, stations = read_records(continuous)
    peaks = dict(zip(stations, pga(X)))
    for line in lines[1:]:
        label, _, _, peak = line.split()
        assert float(peak) == pytest.approx(peaks[label], rel=1e-3)


# -- nothing lost: errors name files; skip warns --------------------------------
def test_overlapping_components_across_files_name_the_files(tmp_path):
    stream = to_stream(np.ones((1, 3, 300)), ["XX.A"], 100.0)
    Stream([stream[0], stream[1]]).write(str(tmp_path / "en.mseed"), format="MSEED")
    Stream([stream[0], stream[2]]).write(str(tmp_path / "ez.mseed"), format="MSEED")
    with pytest.raises(ValueError, match=r"en\.mseed.*ez\.mseed.*not a whole"):
        read_records(tmp_path, n_times=300)


def test_overlapping_traces_of_one_channel_are_an_error():
    X = np.ones((2, 3, 300))
    stream = to_stream(X, ["XX.A", "XX.A"], 100.0, starttime=[0, 1])
    with pytest.raises(ValueError, match=r"station XX\.A: two traces of channel HNE .*overlap"):
        from_stream(stream, n_times=300)


def test_components_in_separate_files_still_form_one_record(tmp_path):
    stream = to_stream(np.ones((1, 3, 300)), ["XX.A"], 100.0)
    for trace in stream:
        trace.write(str(tmp_path / f"{trace.stats.channel}.sac"), format="SAC")
    X, stations, meta = read_records(tmp_path, n_times=300, return_meta=True, **RAW)
    assert X.shape == (1, 3, 300) and len(meta[0]["files"]) == 3


def test_bad_files_raise_or_are_skipped_with_a_warning(tmp_path):
    for path in REAL.values():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "garbage.mseed").write_bytes(np.random.default_rng(3).bytes(3000))
    (tmp_path / "README.md").write_text("not data\n")
    with pytest.raises(ValueError, match=r"garbage\.mseed: cannot read"):
        read_records(tmp_path)
    with pytest.warns(SkippedFilesWarning, match=r"skipped 1 file.*\n.*garbage\.mseed: cannot"):
        X, stations = read_records(tmp_path, on_error="skip")
    assert sorted(stations) == sorted(REAL)
    # Globs, recursive.
    _, stations = read_records(str(tmp_path / "**" / "uw*.mseed"))
    assert sorted(stations) == ["UW.TBPA", "UW.TKCO", "UW.UPS"]
    with pytest.raises(FileNotFoundError, match=r"No file matches"):
        read_records(str(tmp_path / "*.AT2"))
    with pytest.raises(ValueError, match="on_error must be 'raise' or 'skip'"):
        read_records(tmp_path, on_error="ignore")


def test_meta_is_json_and_names_the_provenance(continuous):
    _, _, meta = read_records(continuous, return_meta=True)
    json.dumps(meta)
    info = next(m for m in meta if m["station"] == "CE.68150")
    assert info["channels"] == ["HNE", "HNN", "HNZ"]
    assert info["sampling_rate"] == 200.0
    assert info["files"] == [str(continuous / REAL["CE.68150"].name)]
    assert UTCDateTime(info["start_time"]) == UTCDateTime("2014-08-24T10:18:21")
    assert (
        UTCDateTime(info["window_start_time"])
        == UTCDateTime(info["start_time"]) + info["window_start"]
    )


def test_processing_defaults_and_switches():
    """Demean, linear detrend, 5 % Hann taper by default; each switchable."""
    t = np.arange(3000) / 100.0
    trend = 0.5 + 0.01 * t
    stream = Stream(
        [
            Trace(trend.copy(), header={"station": "A", "channel": f"HN{c}", "sampling_rate": 100})
            for c in "ENZ"
        ]
    )
    options = dict(n_times=3000, window="start")
    X, _ = from_stream(stream, **options)
    assert np.abs(X).max() < 1e-5  # a line is all trend
    X, _ = from_stream(stream, demean=False, detrend=False, taper=None, **options)
    np.testing.assert_allclose(X[0, 0], trend, rtol=1e-6)
    X, _ = from_stream(stream, detrend=False, taper=None, **options)
    np.testing.assert_allclose(X[0, 0], trend - trend.mean(), atol=1e-6)
    X, _ = from_stream(stream, demean=False, detrend=False, taper=0.1, **options)
    assert X[0, 0, 0] == 0 and X[0, 0, 1500] == pytest.approx(trend[1500])
    assert X[0, 0, 150] < trend[150] and X[0, 0, 400] == pytest.approx(trend[400])
    tone = Stream(
        [
            Trace(np.sin(2 * np.pi * 20.0 * t), header={"channel": f"HN{c}", "sampling_rate": 100})
            for c in "ENZ"
        ]
    )
    X, _ = from_stream(tone, bandpass=(1.0, 5.0), **options)
    assert np.abs(X[0, 0, 500:2500]).max() < 1e-3
    with pytest.raises(ValueError, match="bandpass upper corner 60.0 Hz"):
        from_stream(tone, bandpass=(1.0, 60.0), **options)
    with pytest.raises(ValueError, match="window must be 'event' or 'start'"):
        from_stream(tone, window="middle")


def test_read_records_does_not_warn_on_good_data(continuous):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_records(continuous)


def test_a_record_shorter_than_the_window_is_padded_and_keeps_its_start():
    rng = np.random.default_rng(4)
    data = rng.normal(size=(3, 5))
    stream = Stream(
        [
            Trace(d, header={"channel": f"HN{c}", "sampling_rate": 100.0})
            for d, c in zip(data, "ENZ")
        ]
    )
    X, _, (info,) = from_stream(stream, n_times=10, return_meta=True, **RAW)
    np.testing.assert_allclose(X[0, :, :5], data, rtol=1e-6)
    np.testing.assert_array_equal(X[0, :, 5:], 0)
    assert info["onset"] is None and info["window_start"] == 0.0
    X_event, _ = from_stream(stream, n_times=10, window="event", demean=False, detrend=False)
    np.testing.assert_array_equal(X_event, X)
