"""Tests for skgen.io: readers, writers, lengths and resampling."""

import re
import shutil
from pathlib import Path

import numpy as np
import obspy
import pytest
import scipy.io
from obspy import Stream, Trace, UTCDateTime

from skgen.io import (
    G,
    fix_length,
    from_stream,
    read_afad_mat,
    read_peer_at2,
    read_records,
    to_stream,
)

DATA = Path(__file__).parent / "data"
COUNTS = DATA / "CE.68150.counts.mseed"
ACCELERATION = DATA / "CE.68150.mseed"
STATIONXML = DATA / "CE.68150.xml"
KNET = Path(obspy.__file__).parent / "io" / "nied" / "tests" / "data" / "test.knet"
# Records as stored: no processing, the window at the first sample.
RAW = dict(window="start", demean=False, detrend=False, taper=None)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def _stream(
    data_by_channel, fs, station="ABC", network="XX", location="", starttime=0.0, calib=1.0
):
    return Stream(
        [
            Trace(
                np.asarray(data, dtype=np.float64),
                header={
                    "network": network,
                    "station": station,
                    "location": location,
                    "channel": channel,
                    "sampling_rate": fs,
                    "starttime": UTCDateTime(starttime),
                    "calib": calib,
                },
            )
            for channel, data in data_by_channel.items()
        ]
    )


def _at2_text(values, dt=0.01, station="Test Station", component="090", header4=None, units="G"):
    lines = [
        "PEER NGA STRONG MOTION DATABASE RECORD",
        f"Test Event, 1/1/2000, {station}, {component}",
        f"ACCELERATION TIME SERIES IN UNITS OF {units}",
        header4 or f"NPTS={len(values):7d}, DT= {dt:.4f} SEC",
    ]
    # NGA-West2 writes five E15.7 values per line; the last line is partial.
    for start in range(0, len(values), 5):
        lines.append("".join(f"{v:15.7E}" for v in values[start : start + 5]))
    return "\n".join(lines) + "\n"


def _write_at2(path, values, **kwargs):
    path.write_text(_at2_text(values, **kwargs))
    return path


def _knet_raw_counts(path):
    """Integer counts of a K-NET ASCII file, parsed by hand (17 header lines)."""
    lines = Path(path).read_text().splitlines()
    return np.array(" ".join(lines[17:]).split(), dtype=np.int64)


# --------------------------------------------------------------------------
# fix_length and resampling
# --------------------------------------------------------------------------


def test_fix_length_crops_and_pads_at_the_end():
    X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    cropped = fix_length(X, 3)
    padded = fix_length(X, 6)
    np.testing.assert_array_equal(cropped, X[..., :3])
    np.testing.assert_array_equal(padded[..., :4], X)
    np.testing.assert_array_equal(padded[..., 4:], 0)
    assert cropped.dtype == padded.dtype == np.float32
    same = fix_length(X, 4)
    np.testing.assert_array_equal(same, X)
    same[0, 0, 0] = -1
    assert X[0, 0, 0] == 0, "fix_length must return a new array"


@pytest.mark.parametrize(
    "n_times, error, match",
    [
        (0, ValueError, "n_times must be >= 1"),
        (2.5, TypeError, "n_times must be an integer"),
        (True, TypeError, "n_times must be an integer"),
    ],
)
def test_fix_length_rejects_bad_n_times(n_times, error, match):
    with pytest.raises(error, match=match):
        fix_length(np.zeros(5), n_times)


def _peak(signal, fs):
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(signal.size)))
    return np.fft.rfftfreq(signal.size, 1 / fs)[np.argmax(spectrum)]


@pytest.mark.parametrize("rate", [200.0, 123.4567])
def test_resampling_keeps_frequency_and_amplitude(rate):
    # 200 Hz takes the polyphase path, 123.4567 Hz the low-pass + Lanczos one.
    t = np.arange(int(40 * rate)) / rate
    sine = 2.0 * np.sin(2 * np.pi * 5.0 * t)
    stream = _stream({c: sine for c in ("HNE", "HNN", "HNZ")}, rate)
    X, _ = from_stream(stream, fs=100.0, n_times=4000, **RAW)
    east = X[0, 0].astype(np.float64)
    assert _peak(east, 100.0) == pytest.approx(5.0, abs=100.0 / 4000)
    reference = 2.0 * np.sin(2 * np.pi * 5.0 * np.arange(4000) / 100.0)
    interior = slice(200, 3800)  # away from filter edge effects
    np.testing.assert_allclose(east[interior], reference[interior], atol=0.01)


def test_resampling_is_anti_aliased():
    # 70 Hz at 200 Hz would fold to 30 Hz at 100 Hz without an anti-alias filter.
    t = np.arange(8000) / 200.0
    tone = np.sin(2 * np.pi * 70.0 * t)
    X, _ = from_stream(
        _stream({c: tone for c in ("HNE", "HNN", "HNZ")}, 200.0), fs=100.0, n_times=4000, **RAW
    )
    assert np.abs(X[0, 0, 200:3800]).max() < 1e-3


# --------------------------------------------------------------------------
# from_stream / to_stream
# --------------------------------------------------------------------------


def test_from_stream_maps_channels_labels_and_calib():
    rng = np.random.default_rng(0)
    e, n, z = rng.normal(size=(3, 500))
    stream = (
        _stream({"HN2": e, "HN1": n, "HNZ": z}, 100.0, station="S1", network="XX", location="10")
        + _stream({"HNE": e, "HNN": n, "HNZ": z}, 100.0, station="S2", network="XX", calib=0.5)
        + _stream({"EW": e, "NS": n, "UD": z}, 100.0, station="S3", network="")
    )
    before = [(tr.data.copy(), tr.stats.calib) for tr in stream]
    X, stations = from_stream(stream, fs=100.0, n_times=500, **RAW)
    assert list(stations) == ["XX.S1.10", "XX.S2", "S3"]
    for trace, (data, calib) in zip(stream, before):
        np.testing.assert_array_equal(trace.data, data)
        assert trace.stats.calib == calib
    np.testing.assert_allclose(X[0], np.stack([e, n, z]), rtol=1e-6)
    np.testing.assert_allclose(X[1], 0.5 * np.stack([e, n, z]), rtol=1e-6)
    np.testing.assert_allclose(X[2], np.stack([e, n, z]), rtol=1e-6)
    assert X.dtype == np.float32 and X.shape == (3, 3, 500)


def test_from_stream_aligns_components_to_common_start():
    data = np.arange(1000, dtype=np.float64)
    stream = _stream({"HNE": data, "HNZ": data}, 100.0, starttime=10.0)
    stream += _stream({"HNN": data}, 100.0, starttime=10.5)
    X, _ = from_stream(stream, fs=100.0, n_times=1000, **RAW)
    np.testing.assert_array_equal(X[0, 0, :950], data[50:])
    np.testing.assert_array_equal(X[0, 1], data)
    np.testing.assert_array_equal(X[0, 0, 950:], 0)


def test_from_stream_separates_records_of_one_station_in_time():
    rng = np.random.default_rng(1)
    first, second = rng.normal(size=(2, 3, 300))
    stream = _stream(dict(zip(("HNE", "HNN", "HNZ"), first)), 100.0) + _stream(
        dict(zip(("HNE", "HNN", "HNZ"), second)), 100.0, starttime=3600.0
    )
    X, stations = from_stream(stream, fs=100.0, n_times=300, **RAW)
    assert list(stations) == ["XX.ABC", "XX.ABC"]
    np.testing.assert_allclose(X, np.stack([first, second]), rtol=1e-6)


@pytest.mark.parametrize(
    "channels, match",
    [
        (("HNE", "HNN"), r"station XX\.ABC .*missing component\(s\) Z/U"),
        (("HNE", "HNZ"), r"station XX\.ABC .*missing component\(s\) N \(north\)"),
        (("HNE", "HN2", "HNN", "HNZ"), r"station XX\.ABC has several channels .*HN2, HNE"),
        (("HNE", "HNN", "HNX"), r"channel 'HNX' is neither"),
    ],
)
def test_from_stream_component_errors(channels, match):
    stream = _stream({c: np.zeros(100) for c in channels}, 100.0)
    with pytest.raises(ValueError, match=match):
        from_stream(stream, fs=100.0, n_times=100)


def test_from_stream_input_validation():
    stream = _stream({c: np.zeros(10) for c in ("HNE", "HNN", "HNZ")}, 100.0)
    with pytest.raises(TypeError, match="stream must be an obspy Stream"):
        from_stream(np.zeros((3, 10)))
    with pytest.raises(ValueError, match="fs must be positive and finite"):
        from_stream(stream, fs=-1.0)
    with pytest.raises(TypeError, match="inventory must be an obspy Inventory"):
        from_stream(stream, inventory="not an inventory")
    with pytest.raises(ValueError, match="no traces"):
        from_stream(Stream())


def test_to_stream_codes_and_validation():
    X = np.zeros((3, 3, 50))
    stream = to_stream(X, ["CE.68150", "XX.AB.00", "205"], fs=50.0, starttime="2020-01-01T00:00:00")
    assert [tr.id for tr in stream] == [
        "CE.68150..HNE",
        "CE.68150..HNN",
        "CE.68150..HNZ",
        "XX.AB.00.HNE",
        "XX.AB.00.HNN",
        "XX.AB.00.HNZ",
        ".205..HNE",
        ".205..HNN",
        ".205..HNZ",
    ]
    assert [tr.stats.station for tr in to_stream(X, [7, 8, 205], fs=50.0)][::3] == ["7", "8", "205"]
    assert stream[0].stats.sampling_rate == 50.0
    assert stream[0].stats.starttime == UTCDateTime(2020, 1, 1)
    assert stream[3].stats.starttime > stream[0].stats.endtime
    starts = [UTCDateTime(0), UTCDateTime(10), UTCDateTime(5)]
    stream = to_stream(X, ["A", "B", "C"], fs=50.0, starttime=starts)
    assert [tr.stats.starttime for tr in stream[::3]] == starts
    with pytest.raises(ValueError, match=r"'AKT013'.*station code 'AKT013'.*at most 5"):
        to_stream(X[:1], ["AKT013"], fs=50.0)
    with pytest.raises(ValueError, match="network code 'ABC'"):
        to_stream(X[:1], ["ABC.D"], fs=50.0)
    with pytest.raises(ValueError, match="1.5 is a float"):
        to_stream(X[:1], [1.5], fs=50.0)
    with pytest.raises(ValueError, match="more than three"):
        to_stream(X[:1], ["A.B.C.D"], fs=50.0)
    with pytest.raises(ValueError, match="has 2 channel"):
        to_stream(np.zeros((1, 2, 50)), ["A"], fs=50.0)
    with pytest.raises(ValueError, match="starttime has 1 entries for 3"):
        to_stream(X, ["A", "B", "C"], fs=50.0, starttime=[UTCDateTime(0)])


@pytest.mark.parametrize("fmt, suffix", [("MSEED", ".mseed"), ("SAC", ".sac")])
def test_round_trip_through_files(tmp_path, fmt, suffix):
    rng = np.random.default_rng(2)
    X = rng.normal(scale=0.3, size=(4, 3, 700)).astype(np.float32)
    stations = np.array(["CE.68150", "XX.AB.00", "CE.68150", "STA"], dtype=object)
    stream = to_stream(X, stations, fs=100.0)
    stream.write(str(tmp_path / f"records{suffix}"), format=fmt)
    files = sorted(tmp_path.iterdir())
    assert len(files) == (1 if fmt == "MSEED" else 12)
    X_read, stations_read = read_records(files, fs=100.0, n_times=700, **RAW)
    # Records come back grouped by station, in order of first appearance.
    order = [0, 2, 1, 3]
    np.testing.assert_array_equal(X_read, X[order])
    assert list(stations_read) == list(stations[order])
    assert X_read.dtype == np.float32


# --------------------------------------------------------------------------
# Real data: CE.68150 and K-NET
# --------------------------------------------------------------------------


def test_counts_with_stationxml_equal_the_acceleration_file():
    X_native, stations = read_records(COUNTS, fs=200.0, n_times=23800, inventory=STATIONXML)
    X_reference, _ = read_records(ACCELERATION, fs=200.0, n_times=23800)
    assert list(stations) == ["CE.68150"]
    np.testing.assert_allclose(X_native, X_reference, rtol=1e-6, atol=1e-7)
    pga = np.abs(X_native[0, :2]).max()
    assert pga == pytest.approx(3.7, abs=0.05)
    # The same through from_stream with an Inventory object, at the default
    # 100 Hz: both files processed the same way still agree.
    inventory = obspy.read_inventory(str(STATIONXML))
    X_counts, _ = from_stream(obspy.read(str(COUNTS)), inventory=inventory)
    X_default, _ = read_records([ACCELERATION])
    assert X_counts.shape == (1, 3, 6000)
    np.testing.assert_allclose(X_counts, X_default, rtol=1e-5, atol=1e-6)
    # Without the inventory the counts are not acceleration.
    X_raw, _ = read_records(COUNTS, fs=200.0, n_times=23800)
    assert np.abs(X_raw).max() > 1e4


def test_inventory_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.xml"):
        read_records(COUNTS, inventory=tmp_path / "missing.xml")
    bad = tmp_path / "bad.xml"
    bad.write_text("<not station xml>")
    with pytest.raises(ValueError, match="bad.xml"):
        read_records(COUNTS, inventory=bad)
    other = obspy.read(str(COUNTS))
    for trace in other:
        trace.stats.station = "OTHER"
    with pytest.raises(ValueError, match="no instrument sensitivity for CE.OTHER"):
        from_stream(other, inventory=obspy.read_inventory(str(STATIONXML)))


@pytest.mark.skipif(not KNET.is_file(), reason="obspy's K-NET test file is not installed")
def test_knet_file_units(tmp_path):
    # obspy ships one K-NET component (E-W); the N-S and U-D files are copies
    # with the direction line changed, so the three form one record.
    text = KNET.read_text()
    paths = [KNET]
    for direction in ("N-S", "U-D"):
        path = tmp_path / f"AKT0139608110312.{direction}"
        path.write_text(text.replace("Dir.              E-W", f"Dir.              {direction}"))
        paths.append(path)
    X, stations = read_records(paths, fs=100.0, n_times=5900, **RAW)
    assert list(stations) == ["BO.AKT013"]
    # Header: "Scale Factor 2000(gal)/8388608", 1 gal = 0.01 m/s^2.
    expected = _knet_raw_counts(KNET) * 2000.0 / 8388608 * 0.01
    assert expected.size == 5900
    for slot in range(3):
        np.testing.assert_allclose(X[0, slot], expected, rtol=1e-6)
    # Header "Max. Acc. (gal) 4.383" is the peak of the de-meaned record.
    peak_gal = np.abs(X[0, 0] - X[0, 0].mean()).max() * 100
    assert peak_gal == pytest.approx(4.383, abs=5e-3)


# --------------------------------------------------------------------------
# PEER AT2
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header4",
    [
        "NPTS=      7, DT=   .0050 SEC",
        "NPTS=7, DT=0.005 SEC",
        "   7    0.0050    NPTS, DT",
    ],
)
def test_read_peer_at2_known_values(tmp_path, header4):
    values = [0.1, -0.25, 0.0, 1.5e-3, -2.0e-4, 0.3, -0.05]
    path = _write_at2(tmp_path / "X.AT2", values, header4=header4)
    acceleration, dt = read_peer_at2(path)
    assert dt == 0.005
    np.testing.assert_allclose(acceleration, np.array(values) * 9.80665, rtol=1e-7)
    assert G == 9.80665


def test_read_peer_at2_units_and_kind(tmp_path):
    path = _write_at2(tmp_path / "gal.AT2", [100.0, -50.0], units="CM/S/S")
    np.testing.assert_allclose(read_peer_at2(path)[0], [1.0, -0.5])
    velocity = tmp_path / "X.VT2"
    velocity.write_text(_at2_text([1.0]).replace("ACCELERATION", "VELOCITY"))
    with pytest.raises(ValueError, match=r"X\.VT2.*not an acceleration"):
        read_peer_at2(velocity)


def test_at2_triplet_becomes_one_record(tmp_path):
    rng = np.random.default_rng(3)
    h000, h090, up = rng.normal(scale=0.1, size=(3, 400))
    base = "RSN6_IMPVALL.I_I-ELC"
    paths = [
        _write_at2(tmp_path / f"{base}-UP.AT2", up, station="El Centro Array #9", component="UP"),
        _write_at2(
            tmp_path / f"{base}000.AT2", h000, station="El Centro Array #9", component="000"
        ),
        _write_at2(
            tmp_path / f"{base}090.AT2", h090, station="El Centro Array #9", component="090"
        ),
    ]
    X, stations = read_records(paths, fs=100.0, n_times=500, **RAW)
    assert list(stations) == ["El Centro Array #9"]
    expected = fix_length(np.stack([h090, h000, up]) * 9.80665, 500)
    np.testing.assert_allclose(X[0], expected, rtol=1e-5, atol=1e-6)


def test_at2_triplets_rotate_to_east_north(tmp_path):
    rng = np.random.default_rng(4)
    a, b, c = rng.normal(scale=0.1, size=(3, 300))
    # Station 1: 180 / 270 / DWN with the component only in the file name
    # (header line 2 without a component field).
    for suffix, data in (("180", a), ("270", b), ("DWN", c)):
        path = tmp_path / f"A-HMC{suffix}.AT2"
        path.write_text(
            _at2_text(data).replace("Test Event, 1/1/2000, Test Station, 090", "HELENA 10/31/35")
        )
    # Station 2: non-cardinal azimuths 228 / 318 / V.
    for suffix, data in (("228", a), ("318", b), ("V", c)):
        _write_at2(tmp_path / f"RSN1_RRS{suffix}.AT2", data, station="RRS", component=suffix)
    paths = sorted(tmp_path.iterdir())
    X, stations = read_records(paths, fs=100.0, n_times=300, **RAW)
    assert list(stations) == ["A-HMC", "RRS"]
    # 180 points south and 270 west: E = -b, N = -a.
    np.testing.assert_allclose(X[0], np.stack([-b, -a, c]) * G, atol=1e-6)
    s228, c228 = np.sin(np.radians(228)), np.cos(np.radians(228))
    s318, c318 = np.sin(np.radians(318)), np.cos(np.radians(318))
    east = (a * s228 + b * s318) * G
    north = (a * c228 + b * c318) * G
    np.testing.assert_allclose(X[1], np.stack([east, north, c * G]), atol=1e-6)


def test_at2_incomplete_triplet_names_files(tmp_path):
    paths = [_write_at2(tmp_path / f"STA{c}.AT2", [0.1, 0.2], component=c) for c in ("000", "090")]
    with pytest.raises(ValueError, match=r"found 2 horizontal\(s\) and 0 vertical.*STA000\.AT2"):
        read_records(paths, n_times=10)
    odd = _write_at2(tmp_path / "ODDX.AT2", [0.1], component="T")
    with pytest.raises(ValueError, match=r"ODDX\.AT2.*cannot tell the component"):
        read_records([odd], n_times=10)


# --------------------------------------------------------------------------
# AFAD MATLAB
# --------------------------------------------------------------------------


def test_read_afad_mat_signal_layout(tmp_path):
    rng = np.random.default_rng(5)
    signal = rng.normal(size=(3, 200))
    path = tmp_path / "rec.mat"
    scipy.io.savemat(path, {"signal": signal, "fs": 50.0, "station": "0205"})
    record, fs, station = read_afad_mat(path)
    np.testing.assert_array_equal(record, signal)
    assert (fs, station) == (50.0, "0205")
    scipy.io.savemat(path, {"signal": signal.T, "dt": 0.01})
    record, fs, station = read_afad_mat(path)
    np.testing.assert_array_equal(record, signal)
    assert (fs, station) == (100.0, None)


def test_read_afad_mat_struct_layout(tmp_path):
    t = np.arange(1000) / 100.0
    # AFAD columns are North, East, Up; tones of 3, 7 and 11 Hz tell them apart.
    accel = np.stack([np.sin(2 * np.pi * f * t) for f in (3.0, 7.0, 11.0)], axis=1)
    path = tmp_path / "AFAD.4628.20200101.mat"
    scipy.io.savemat(
        path,
        {"EQ": {"anEQ": {"Accel": accel, "statID": 4628, "Ptime": 3.2, "pga": 1.0}}},
        do_compression=True,
    )
    record, fs, station = read_afad_mat(path)
    np.testing.assert_array_equal(record, accel[:, [1, 0, 2]].T)
    assert (fs, station) == (None, "4628")
    # Through read_records: no stored rate means 100 Hz, so at fs=50 the
    # record halves in length and keeps its frequencies (7 Hz east, 3 Hz
    # north, 11 Hz up); the station comes from the metadata.
    X, stations = read_records(path, fs=50.0, n_times=500)
    assert list(stations) == ["4628"]
    assert X.shape == (1, 3, 500)
    peaks = [_peak(X[0, slot], 50.0) for slot in range(3)]
    np.testing.assert_allclose(peaks, [7.0, 3.0, 11.0], atol=0.1)


def test_read_records_mat_station_from_name(tmp_path):
    path = tmp_path / "AFAD.0205.19990817.mat"
    scipy.io.savemat(path, {"signal": np.ones((3, 100))})
    X, stations = read_records(path, n_times=100, **RAW)
    assert list(stations) == ["0205"]
    np.testing.assert_allclose(X, 0.01)  # 1 gal
    plain = tmp_path / "quake_17.mat"
    scipy.io.savemat(plain, {"signal": np.ones((3, 100))})
    assert list(read_records([plain, path], n_times=100)[1]) == ["quake_17", "0205"]


def test_read_afad_mat_errors(tmp_path):
    path = tmp_path / "other.mat"
    scipy.io.savemat(path, {"something": np.ones(3)})
    with pytest.raises(ValueError, match=r"other\.mat: no AFAD record"):
        read_afad_mat(path)
    scipy.io.savemat(path, {"signal": np.ones((4, 10))})
    with pytest.raises(ValueError, match=r"other\.mat: 'signal' has shape \(4, 10\)"):
        read_afad_mat(path)
    scipy.io.savemat(path, {"signal": np.full((3, 10), np.nan)})
    with pytest.raises(ValueError, match=r"other\.mat: 'signal' must be finite"):
        read_afad_mat(path)


# --------------------------------------------------------------------------
# Corrupt, truncated, wrong-format and missing files
# --------------------------------------------------------------------------


def _at2_bytes():
    values = np.random.default_rng(7).normal(scale=0.1, size=500)
    return _at2_text(values).encode()


def _mat_bytes(tmp_path):
    # MATLAB's default v7 format is compressed, so a garbled byte breaks the
    # zlib check; in an uncompressed file a flipped data byte is undetectable.
    path = tmp_path / "fixture.mat"
    scipy.io.savemat(
        path,
        {
            "EQ": {
                "anEQ": {"Accel": np.random.default_rng(8).normal(size=(2000, 3)), "statID": "0205"}
            }
        },
        do_compression=True,
    )
    return path.read_bytes()


def _fuzz_cases(raw, header_size, record_starts, rng):
    """Truncations at several offsets, garbled structure, random bytes."""
    size = len(raw)
    cases = [
        ("truncated", raw[:offset])
        for offset in (
            0,
            10,
            header_size // 2,
            header_size + 3,
            size // 3 + 7,
            size // 2 + 1,
            size - 9,
        )
    ]
    for start in record_starts:
        garbled = bytearray(raw)
        garbled[start : start + 48] = rng.bytes(48)
        cases.append(("garbled", bytes(garbled)))
    cases.append(("random", rng.bytes(size)))
    return cases


@pytest.mark.parametrize("kind", ["at2", "mat", "mseed"])
def test_corrupt_files_raise_value_error_naming_the_file(tmp_path, kind):
    rng = np.random.default_rng(9)
    if kind == "at2":
        raw = _at2_bytes()
        cases = _fuzz_cases(raw, 160, [400, 2000, 5000], rng)
        readers = [read_peer_at2, read_records]
    elif kind == "mat":
        raw = _mat_bytes(tmp_path)
        cases = _fuzz_cases(raw, 128, [300, len(raw) // 2, len(raw) - 200], rng)
        readers = [read_afad_mat, read_records]
    else:
        # Garbling hits record headers (every 4096 bytes); a garbled float32
        # sample inside a record has no checksum to catch it.
        raw = ACCELERATION.read_bytes()
        cases = _fuzz_cases(raw, 128, [0, 4096 * 11, 4096 * 40], rng)
        readers = [read_records]
    for index, (what, content) in enumerate(cases):
        path = tmp_path / f"{what}_{index}.{kind}"
        path.write_bytes(content)
        for reader in readers:
            with pytest.raises(ValueError, match=re.escape(path.name)):
                reader(path)


@pytest.mark.parametrize(
    "name, source",
    [
        ("looks.AT2", ACCELERATION),  # miniSEED bytes named .AT2
        ("looks.mat", STATIONXML),  # XML named .mat
        ("looks.mseed", None),  # an AT2 text named .mseed
    ],
)
def test_wrong_format_raises_value_error(tmp_path, name, source):
    path = tmp_path / name
    if source is None:
        path.write_bytes(_at2_bytes())
    else:
        shutil.copy(source, path)
    with pytest.raises(ValueError, match=re.escape(name)):
        read_records(path)


def test_truncated_at2_values(tmp_path):
    path = _write_at2(
        tmp_path / "short.AT2", [0.1, 0.2, 0.3], header4="NPTS=      5, DT=   .0100 SEC"
    )
    with pytest.raises(ValueError, match=r"short\.AT2: truncated .*NPTS=5 but 3"):
        read_peer_at2(path)
    path.write_text(_at2_text([0.1, 0.2]).replace("2.0000000E-01", "2.00x0000E-01"))
    with pytest.raises(ValueError, match=r"short\.AT2: garbled"):
        read_peer_at2(path)


@pytest.mark.parametrize("reader", [read_peer_at2, read_afad_mat, read_records])
def test_missing_file_raises_file_not_found(tmp_path, reader):
    missing = tmp_path / "nowhere" / "gone.AT2"
    with pytest.raises(FileNotFoundError, match="gone.AT2"):
        reader(missing)


def test_read_records_missing_file_in_list(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent.mseed"):
        read_records([ACCELERATION, tmp_path / "absent.mseed"])
    with pytest.raises(ValueError, match="paths is empty"):
        read_records([])
