"""Writers and the ASDF / SeisBench readers: round trips, gmprocess workspaces, bad files."""

import csv
import math
import sys

import h5py
import numpy as np
import pyasdf
import pytest
from obspy import Inventory, Stream, Trace, UTCDateTime
from obspy.core.event import Event, Magnitude, Origin
from obspy.core.inventory import Channel, Network, Response, Station
from obspy.core.inventory.response import InstrumentSensitivity, ResponseStage
from obspy.geodetics import gps2dist_azimuth

from skgen.io import RecordWriter, SkippedFilesWarning, read_records, write_records

FS = 100.0
N_TIMES = 300
EXACT = dict(n_times=N_TIMES, window="start", demean=False, detrend=False, taper=None)
STATIONS = ["XX.A", "XX.B", "XX.A", "YY.C.00", "D"]


@pytest.fixture
def records():
    return np.random.default_rng(0).normal(size=(5, 3, N_TIMES)).astype("float32")


def _read(path, **kwargs):
    return read_records(path, return_meta=True, **EXACT, **kwargs)


@pytest.mark.parametrize("fmt, name", [("asdf", "gen.h5"), ("seisbench", "set")])
def test_asdf_and_seisbench_round_trip_everything(tmp_path, records, fmt, name):
    magnitude = np.array([5.0, 6.25, 7.0, 5.5, 6.5])
    provenance = {"model": "site.skgen", "station": "XX.A", "random_state": 3}
    paths = write_records(
        tmp_path / name,
        records,
        STATIONS,
        FS,
        format=fmt,
        provenance=provenance,
        magnitude=magnitude,
        distance=20.0,
    )
    X, stations, meta = _read(tmp_path / name)
    np.testing.assert_array_equal(X, records)
    assert list(stations) == STATIONS  # written order, labels as given
    assert [m["sampling_rate"] for m in meta] == [FS] * 5
    assert [m["magnitude"] for m in meta] == list(magnitude)
    assert [m["distance"] for m in meta] == [20.0] * 5
    from skgen import __version__

    assert {k: meta[0]["provenance"][k] for k in provenance} == provenance
    assert meta[0]["provenance"]["skgen_version"] == __version__
    assert [m["channels"][0][-1] for m in meta] == ["E"] * 5
    assert all(str(path).startswith(str(tmp_path)) for path in paths)


def test_seisbench_layout_follows_seisbench(tmp_path, records):
    write_records(tmp_path / "set", records, STATIONS, FS, format="seisbench", magnitude=6.0)
    with open(tmp_path / "set" / "metadata.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows[1]["trace_name"] == f"bucket0$1,:3,:{N_TIMES}"
    assert (rows[3]["station_network_code"], rows[3]["station_code"]) == ("YY", "C")
    assert rows[3]["station_location_code"] == "00"
    assert rows[0]["trace_sampling_rate_hz"] == "100.0"
    assert rows[0]["trace_component_order"] == "ENZ"
    assert "path_hyp_distance_km" not in rows[0] and rows[0]["source_magnitude"] == "6.0"
    with h5py.File(tmp_path / "set" / "waveforms.hdf5") as h5:
        assert h5["data_format/dimension_order"][()].decode() == "CW"
        assert h5["data_format/component_order"][()].decode() == "ENZ"
        # SeisBench's own addressing of a trace block gives the record.
        np.testing.assert_array_equal(h5["data/bucket0"][1, :3, :N_TIMES], records[1])


def test_sac_keeps_scenario_and_mseed_values(tmp_path, records):
    (tmp_path / "sac").mkdir()
    write_records(tmp_path / "sac" / "g.sac", records[:2], ["XX.A", "XX.B"], FS, magnitude=6.5)
    X, stations, meta = _read(tmp_path / "sac")
    np.testing.assert_array_equal(X, records[:2])
    assert [m["magnitude"] for m in meta] == [6.5, 6.5] and list(stations) == ["XX.A", "XX.B"]
    write_records(tmp_path / "g.mseed", records, STATIONS, FS)
    X, stations, _ = _read(tmp_path / "g.mseed")
    # miniSEED groups by station (from_stream's order): compare per label.
    for label in set(STATIONS):
        expected = records[[s == label for s in STATIONS]]
        np.testing.assert_array_equal(X[stations == label], expected)


@pytest.mark.parametrize("fmt, name", [("mseed", "g.mseed"), ("asdf", "g.h5"), ("seisbench", "s")])
def test_chunked_writer_equals_one_write(tmp_path, records, fmt, name):
    (tmp_path / "one").mkdir()
    (tmp_path / "chunks").mkdir()
    write_records(tmp_path / "one" / name, records, STATIONS, FS, format=fmt)
    with RecordWriter(tmp_path / "chunks" / name, FS, format=fmt) as writer:
        for chunk in (slice(0, 2), slice(2, 5)):
            writer.write(records[chunk], STATIONS[chunk])
    one = _read(tmp_path / "one" / name)
    chunks = _read(tmp_path / "chunks" / name)
    np.testing.assert_array_equal(one[0], chunks[0])
    assert list(one[1]) == list(chunks[1])
    assert [m["start_time"] for m in one[2]] == [m["start_time"] for m in chunks[2]]


def test_writer_leaves_nothing_on_error(tmp_path, records):
    for name, fmt in (("g.mseed", "mseed"), ("g.h5", "asdf"), ("set", "seisbench")):
        with pytest.raises(ValueError, match="samples per record"):
            with RecordWriter(tmp_path / name, FS, format=fmt) as writer:
                writer.write(records, STATIONS)
                writer.write(records[:, :, :100], STATIONS)
        left = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
        assert left == [], left


def test_writer_input_errors(tmp_path, records):
    with pytest.raises(ValueError, match="cannot tell the format"):
        write_records(tmp_path / "g.xyz", records, STATIONS, FS)
    with pytest.raises(ValueError, match="format must be one of"):
        write_records(tmp_path / "g.h5", records, STATIONS, FS, format="hdf")
    with pytest.raises(ValueError, match="does not fit"):
        write_records(tmp_path / "g.h5", records[:1], ["TOOLONG.STA"], FS)
    with pytest.raises(ValueError, match=r"magnitude must be a number or have shape \(5,\)"):
        write_records(tmp_path / "g.h5", records, STATIONS, FS, magnitude=[6.0, 7.0])
    with pytest.raises(ValueError, match="magnitude"):
        write_records(tmp_path / "g.h5", records, STATIONS, FS, magnitude=np.nan)
    with pytest.raises(TypeError, match="provenance must be a dict"):
        write_records(tmp_path / "g.h5", records, STATIONS, FS, provenance="model")
    with pytest.raises(TypeError, match="JSON"):
        write_records(tmp_path / "g.h5", records, STATIONS, FS, provenance={"x": object()})
    with pytest.raises(FileNotFoundError, match="No such directory"):
        write_records(tmp_path / "missing" / "g.h5", records, STATIONS, FS)
    bad = records.copy()
    bad[0, 0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        write_records(tmp_path / "g.h5", bad, STATIONS, FS)
    assert not any(tmp_path.iterdir())


def test_missing_extra_names_it(tmp_path, records, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyasdf", None)
    with pytest.raises(ImportError, match=r"skgen\[asdf\]"):
        write_records(tmp_path / "g.h5", records, STATIONS, FS)
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match=r"skgen\[seisbench\]"):
        write_records(tmp_path / "s", records, STATIONS, FS, format="seisbench")


# --- a gmprocess-style workspace -------------------------------------------

SENSITIVITY = 4.0e5  # counts per m/s^2
EPICENTRE = (35.0, -118.0, 12.0)  # latitude, longitude, depth (km)
SITES = {"CI.NEAR": (35.0, -118.0), "CI.FAR": (35.3, -117.6)}


def _inventory():
    networks = []
    for name, (lat, lon) in SITES.items():
        net, sta = name.split(".")
        channels = [
            Channel(
                code=f"HN{c}",
                location_code="",
                latitude=lat,
                longitude=lon,
                elevation=0.0,
                depth=0.0,
                sample_rate=FS,
                response=Response(
                    instrument_sensitivity=InstrumentSensitivity(
                        SENSITIVITY, 1.0, input_units="M/S**2", output_units="COUNTS"
                    ),
                    response_stages=[ResponseStage(1, SENSITIVITY, 1.0, "M/S**2", "COUNTS")],
                ),
            )
            for c in "ENZ"
        ]
        station = Station(sta, lat, lon, 0.0, channels=channels)
        networks.append(Network(net, stations=[station]))
    return Inventory(networks=networks, source="test")


def _event():
    origin = Origin(
        latitude=EPICENTRE[0],
        longitude=EPICENTRE[1],
        depth=EPICENTRE[2] * 1000.0,
        time=UTCDateTime(2020, 1, 1),
    )
    magnitude = Magnitude(mag=6.1, magnitude_type="Mw")
    event = Event(origins=[origin], magnitudes=[magnitude], resource_id="smi:local/ci123")
    event.preferred_origin_id = origin.resource_id
    event.preferred_magnitude_id = magnitude.resource_id
    return event


def _workspace(path, acceleration, labels=("default",)):
    """A workspace as gmprocess writes one: QuakeML, StationXML, raw counts
    under ``<event>_unprocessed``, processed cm/s^2 under ``<event>_<label>``."""
    dataset = pyasdf.ASDFDataSet(str(path), compression=None, mpi=False)
    event = _event()
    dataset.add_quakeml(event)
    dataset.add_stationxml(_inventory())
    for label, scale in (("unprocessed", SENSITIVITY),) + tuple((lab, 100.0) for lab in labels):
        traces = []
        for (name, _), record in zip(SITES.items(), acceleration):
            net, sta = name.split(".")
            for c, data in zip("ENZ", record):
                header = {"network": net, "station": sta, "channel": f"HN{c}"}
                header.update(sampling_rate=FS, starttime=UTCDateTime(2020, 1, 1, 0, 0, 5))
                traces.append(Trace((data * scale).astype(np.float64), header=header))
        dataset.add_waveforms(Stream(traces), tag=f"ci123_{label}", event_id=event)
    del dataset


def test_gmprocess_workspace_raw_and_processed(tmp_path, records):
    acceleration = records[:2].astype(np.float64)
    _workspace(tmp_path / "workspace.h5", acceleration)
    X, stations, meta = _read(tmp_path / "workspace.h5")
    assert sorted(stations) == ["CI.FAR", "CI.NEAR"]
    order = [list(SITES).index(s) for s in stations]
    np.testing.assert_allclose(X, acceleration[order], rtol=1e-6, atol=1e-9)
    assert meta[0]["provenance"]["units"].startswith("counts")
    X_processed, _, meta_p = _read(tmp_path / "workspace.h5", tag="processed")
    # Processed waveforms are stored in cm/s^2 and read back in m/s^2.
    np.testing.assert_allclose(X_processed, acceleration[order], rtol=1e-6, atol=1e-9)
    assert meta_p[0]["provenance"] == {"tag": "ci123_default", "units": "cm/s^2"}
    by_station = {m["station"]: m for m in meta_p}
    # At the epicentre the hypocentral distance is the depth.
    assert by_station["CI.NEAR"]["distance"] == pytest.approx(EPICENTRE[2], abs=1e-9)
    epicentral = gps2dist_azimuth(*EPICENTRE[:2], *SITES["CI.FAR"])[0] / 1000.0
    assert by_station["CI.FAR"]["distance"] == pytest.approx(math.hypot(epicentral, 12.0))
    assert {m["magnitude"] for m in meta_p} == {6.1}
    assert {m["event_id"] for m in meta_p} == {"smi:local/ci123"}
    same, _, _ = _read(tmp_path / "workspace.h5", tag="default")
    np.testing.assert_array_equal(same, X_processed)


def test_workspace_fits_a_generator_with_its_scenario(tmp_path, records):
    from skgen import TimesNetGenerator

    _workspace(tmp_path / "workspace.h5", records[:2].astype(np.float64))
    X, stations, meta = _read(tmp_path / "workspace.h5", tag="processed")
    generator = TimesNetGenerator(
        n_times=N_TIMES, d_model=4, d_ff=4, epochs=1, noise_epochs=0, random_state=0
    )
    generator.fit(
        X,
        stations,
        magnitude=[m["magnitude"] for m in meta],
        distance=[m["distance"] for m in meta],
    )
    assert generator.sample("CI.NEAR", 1, random_state=0).shape == (1, 3, N_TIMES)


def test_workspace_tag_errors(tmp_path, records):
    _workspace(tmp_path / "two.h5", records[:2], labels=("default", "strict"))
    with pytest.raises(ValueError, match="two.h5.*'processed' is ambiguous.*default, strict"):
        read_records(tmp_path / "two.h5", **EXACT, tag="processed")
    with pytest.raises(ValueError, match="no waveforms tagged 'nope'.*ci123_default"):
        read_records(tmp_path / "two.h5", **EXACT, tag="nope")
    with pytest.raises(TypeError, match="tag must be a string"):
        read_records(tmp_path / "two.h5", **EXACT, tag=3)


def test_bad_hdf5_files_name_the_file_and_skip(tmp_path, records):
    write_records(tmp_path / "good.h5", records[:1], ["XX.A"], FS)
    (tmp_path / "garbage.h5").write_bytes(np.random.default_rng(1).bytes(2000))
    with pytest.raises(ValueError, match="garbage.h5: cannot read as ASDF"):
        read_records(tmp_path, **EXACT)
    with pytest.warns(SkippedFilesWarning, match="garbage.h5"):
        X, stations = read_records(tmp_path, **EXACT, on_error="skip")
    np.testing.assert_array_equal(X, records[:1])


def test_bad_seisbench_rows(tmp_path, records):
    write_records(tmp_path / "set", records[:3], ["XX.A"] * 3, FS, format="seisbench")
    metadata = tmp_path / "set" / "metadata.csv"
    lines = metadata.read_text().splitlines()
    lines[2] = lines[2].replace("bucket0$1", "bucket9$1")
    metadata.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"metadata.csv: line 3: trace_name 'bucket9\$1.*no data"):
        read_records(tmp_path / "set", **EXACT)
    with pytest.warns(SkippedFilesWarning, match="line 3"):
        X, _ = read_records(tmp_path / "set", **EXACT, on_error="skip")
    np.testing.assert_array_equal(X, records[[0, 2]])
    metadata.write_text("name,station_code\nx,A\n")
    with pytest.raises(ValueError, match="metadata.csv: no trace_name column"):
        read_records(tmp_path / "set", **EXACT)


def test_workspace_example_runs(tmp_path, monkeypatch, capsys):
    """The gallery example builds, reads and fits from a workspace and writes ASDF back."""
    import runpy
    from pathlib import Path

    pytest.importorskip("matplotlib")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    example = Path(__file__).resolve().parents[1] / "examples" / "plot_read_workspace.py"
    runpy.run_path(str(example), run_name="__main__")
    out = capsys.readouterr().out
    assert "read X (8, 3, 1000), stations ['XX.A00', 'XX.A01'], units cm/s^2" in out
    assert "read back equal: True" in out and "'random_state': 0" in out
