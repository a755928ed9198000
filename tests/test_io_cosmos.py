"""COSMOS V1/V2 files: a writer from the specification, a hand-checked header, bad files."""

import math

import numpy as np
import pytest
from obspy import UTCDateTime

from skgen.io import G, SkippedFilesWarning, read_cosmos, read_records

EXACT = dict(window="start", demean=False, detrend=False, taper=None)
MISSING = -999


def _text_header(kind, station="CE", code="68150", lines=13):
    """The 13 text lines of COSMOS v1.20 (only the columns readers use are filled)."""
    text = [f"{kind:<25s} (Format v01.20 with {lines:2d} text lines) Src: skgen test"]
    text += [
        "Record of test earthquake       Earthquake of Wed Jan 01, 2020 00:00 UTC",
        "Hypocenter: 35.000 -118.000    H= 10km (CI  ) M=6.2",
        "Origin: 01/01/2020, 00:00:00.0 UTC (CI  )",
        f"Statn No: 05-00000  Code:{station:2s}-{code:<6s} CGS  Test station",
        "Coords: 35.1000 -118.1000  Site geology: Unknown",
        "Recorder: Basalt s/n: 1234 (  3 Chns of  3 at Sta) Sensor: Episensor s/n 1",
        "Rcrd start time:01/01/2020, 00:00:02.500 UTC (Q=5) RcrdId: (see comment)",
        "Sta Chan   1: 360 deg (Rcrdr Chan  1) Location: Free field",
        "Raw record length =  10.000 sec, Uncor max =    0.000        at    0.000 sec",
        "Processed: 01/02/2020 UTC             Max =     1.000 cm/s/s   at   1.000 sec",
        "Record filtered below  0.10 Hz (periods over  10.0 secs)  and above 40.0 Hz",
        f"{'Values used when parameter or data value is unknown/unspecified:':64s}"
        f"{MISSING:7d},{MISSING:5.1f}",
    ]
    return text[:lines]


def _section(values, azimuth, *, parameter=1, units_code=4, dt=0.01, kind=None, ints=None):
    """One COSMOS v1.20 data section: text, integer and real headers, comments, data."""
    integers = np.full(100, MISSING, dtype=int)
    integers[[0, 1, 2, 3]] = [2, parameter, units_code, 120]
    integers[[39, 40, 41, 42, 43, 44]] = [2020, 1, 1, 1, 0, 0]
    integers[53] = azimuth
    for index, value in (ints or {}).items():
        integers[index] = value
    reals = np.full(100, float(MISSING))
    reals[[0, 1, 2]] = [35.1, -118.1, 200.0]
    reals[[9, 10, 11, 12]] = [35.0, -118.0, 10.0, 6.2]
    reals[16] = 14.0  # epicentral distance (km)
    reals[29] = 2.5  # start second
    reals[61] = dt * 1000.0
    reals[62] = dt * len(values)
    kind = kind or {1: "acceleration", 2: "velocity", 3: "displacement"}[parameter]
    lines = _text_header(f"Corrected {kind}")
    lines.append(" 100 Integer-header values follow on  10 lines, Format= (10I8)")
    lines += ["".join(f"{v:8d}" for v in integers[i : i + 10]) for i in range(0, 100, 10)]
    lines.append(" 100 Real-header values follow on  20 lines, Format= (5F15.6)")
    lines += ["".join(f"{v:15.6f}" for v in reals[i : i + 5]) for i in range(0, 100, 5)]
    lines.append('   1 Comment line(s) follow, each starting with a "|":')
    lines.append("| written by the skgen tests from the COSMOS v1.20 specification")
    lines.append(
        f"{len(values):8d} {kind} pts, approx {int(dt * len(values))} secs, "
        f"units=cm/sec2 ({units_code:02d}), Format=(8F10.5)"
    )
    lines += ["".join(f"{v:10.5f}" for v in values[i : i + 8]) for i in range(0, len(values), 8)]
    lines.append(f"End-of-data for Chan  1 {kind}")
    return lines


def _write_v2(path, channels, with_integrals=True):
    """A V2 file: per channel, acceleration then (V2) velocity and displacement."""
    lines = []
    for values, azimuth in channels:
        lines += _section(values, azimuth)
        if with_integrals:
            lines += _section(np.cumsum(values) * 0.01, azimuth, parameter=2)
            lines += _section(np.zeros_like(values), azimuth, parameter=3)
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def channels():
    rng = np.random.default_rng(0)
    # Values in cm/s^2 with 5 decimals, as the (8F10.5) data format holds them.
    return [np.round(rng.normal(size=40), 5) for _ in range(3)]


def test_hand_checked_header_parse(tmp_path, channels):
    path = _write_v2(tmp_path / "CE68150.V2c", [(channels[0], 360)], with_integrals=False)
    text = path.read_text().splitlines()
    # The fields by hand, as the specification places them.
    assert text[4][25:27] == "CE" and text[4][28:34].strip() == "68150"
    assert text[13].startswith(" 100 Integer-header values follow on  10 lines")
    assert text[14][:24] == "       2       1       4"  # stage V2, acceleration, cm/s^2
    (channel,) = read_cosmos(path)
    assert channel["units_code"] == 4 and channel["factor"] == 0.01
    assert channel["dt"] == pytest.approx(0.01)
    assert channel["azimuth"] == 360 and channel["stage"] == 2
    assert channel["station"] == "CE.68150"
    assert channel["start"] == UTCDateTime(2020, 1, 1, 0, 0, 2.5)
    assert channel["magnitude"] == pytest.approx(6.2)
    assert channel["distance"] == pytest.approx(math.hypot(14.0, 10.0))
    np.testing.assert_array_equal(channel["values"], channels[0])


def test_v2_file_becomes_one_record_in_m_per_s2(tmp_path, channels):
    path = _write_v2(
        tmp_path / "CE68150.V2c", [(channels[0], 90), (channels[1], 360), (channels[2], 400)]
    )
    X, stations, meta = read_records(path, fs=100.0, n_times=40, return_meta=True, **EXACT)
    assert list(stations) == ["CE.68150"]
    # E from azimuth 90, N from 360, U from "up": cm/s^2 to m/s^2.
    np.testing.assert_allclose(X[0], np.stack(channels) * 0.01, rtol=1e-6, atol=1e-9)
    assert meta[0]["sampling_rate"] == pytest.approx(100.0)
    assert meta[0]["magnitude"] == pytest.approx(6.2)
    assert meta[0]["distance"] == pytest.approx(math.hypot(14.0, 10.0))
    assert meta[0]["cosmos_stage"] == "V2"
    assert meta[0]["start_time"] == str(UTCDateTime(2020, 1, 1, 0, 0, 2.5))


def test_components_in_separate_files_rotated(tmp_path, channels):
    """Three single-channel files of one station form one record; horizontals at
    azimuths 30 and 120 are rotated to E and N."""
    for name, (values, azimuth) in zip("abc", zip(channels, (30, 120, 401))):
        _write_v2(tmp_path / f"{name}.V1", [(values, azimuth)], with_integrals=False)
    X, stations = read_records(tmp_path, fs=100.0, n_times=40, **EXACT)
    h1, h2, down = (v * 0.01 for v in channels)
    a1, a2 = np.radians(30.0), np.radians(120.0)
    east = h1 * np.sin(a1) + h2 * np.sin(a2)
    north = h1 * np.cos(a1) + h2 * np.cos(a2)
    np.testing.assert_allclose(X[0], np.stack([east, north, -down]), rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("code, factor", [(2, G), (10, 0.01), (11, G / 1000), (7, 0.0254)])
def test_units_codes(tmp_path, channels, code, factor):
    lines = []
    for values, azimuth in zip(channels, (90, 360, 400)):
        lines += _section(values, azimuth, units_code=code)
    (tmp_path / "u.V2").write_text("\n".join(lines) + "\n")
    X, _ = read_records(tmp_path / "u.V2", fs=100.0, n_times=40, **EXACT)
    np.testing.assert_allclose(X[0], np.stack(channels) * factor, rtol=1e-6, atol=1e-9)


def test_bad_files_name_file_and_field(tmp_path, channels):
    good = _write_v2(tmp_path / "good.V2", list(zip(channels, (90, 360, 400))))
    text = good.read_text().splitlines()
    (tmp_path / "cut.V2").write_text("\n".join(text[:50]) + "\n")
    with pytest.raises(ValueError, match=r"cut.V2: truncated in the data"):
        read_cosmos(tmp_path / "cut.V2")
    counts = _section(channels[0], 90, units_code=50)
    (tmp_path / "counts.V1").write_text("\n".join(counts) + "\n")
    with pytest.raises(ValueError, match=r"counts.V1: .*units code 50 \(integer header 3\)"):
        read_cosmos(tmp_path / "counts.V1")
    h1 = _section(channels[0], 700)
    (tmp_path / "h1.V2").write_text("\n".join(h1) + "\n")
    with pytest.raises(ValueError, match=r"h1.V2: .*azimuth code 700 \(integer header 54\)"):
        read_records(tmp_path / "h1.V2", n_times=40)
    (tmp_path / "csmip.V2").write_text("CORRECTED ACCELEROGRAM   ...\n" * 30)
    with pytest.raises(ValueError, match="csmip.V2: line 1: not a COSMOS text header"):
        read_cosmos(tmp_path / "csmip.V2")
    broken = list(text)
    broken[16] = broken[16][:8] + "   x.y  " + broken[16][16:]
    (tmp_path / "broken.V2").write_text("\n".join(broken) + "\n")
    with pytest.raises(ValueError, match=r"broken.V2: line 17: Integer header value 'x.y'"):
        read_cosmos(tmp_path / "broken.V2")
    with pytest.warns(SkippedFilesWarning) as caught:
        X, stations = read_records(tmp_path, n_times=40, on_error="skip", **EXACT)
    message = str(caught[0].message)
    assert all(name in message for name in ("cut.V2", "counts.V1", "h1.V2", "csmip.V2"))
    assert list(stations) == ["CE.68150"]


def test_incomplete_station_is_not_merged(tmp_path, channels):
    _write_v2(tmp_path / "two.V2", [(channels[0], 90), (channels[1], 360)])
    # One file named once: its two horizontals are not completed from elsewhere.
    message = r"found 2 horizontal\(s\) and 0 vertical\(s\) in: \S*two.V2\.$"
    with pytest.raises(ValueError, match=message):
        read_records(tmp_path / "two.V2", n_times=40)
