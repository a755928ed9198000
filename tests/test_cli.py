"""The skgen command end to end on tiny data."""

import re
import subprocess
import sys

import numpy as np
import obspy
import pytest
from obspy import UTCDateTime

from skgen.cli import main
from skgen.datasets import make_strong_motion
from skgen.io import read_records, to_stream
from skgen.signal import hvsr, peak_frequency, pga


@pytest.fixture(scope="module")
def mseed_file(tmp_path_factory):
    data = make_strong_motion(n_stations=2, records_per_station=1, n_times=3000, random_state=0)
    path = tmp_path_factory.mktemp("cli") / "records.mseed"
    to_stream(data.X, [f"XX.{s}" for s in data.stations], data.fs).write(str(path), format="MSEED")
    return path, data


def test_hvsr_prints_f0_and_pga(mseed_file, capsys):
    path, data = mseed_file
    assert main(["hvsr", str(path), "--n-times", "3000"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split()[0] == "station"
    # The command reads as read_records does by default (processed records).
    X, _ = read_records(path, n_times=3000)
    centers, curves = hvsr(X, data.fs)
    f0, a0 = peak_frequency(centers, curves)
    for line, station, f, a, p in zip(lines[1:], data.stations, f0, a0, pga(X)):
        label, f_text, a_text, p_text = line.split()
        assert label == f"XX.{station}"
        assert float(f_text) == pytest.approx(f, abs=1e-3)
        assert float(a_text) == pytest.approx(a, abs=1e-3)
        assert float(p_text) == pytest.approx(p, rel=1e-3)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["hvsr", "missing.mseed"], "missing.mseed"),
        (["sample", "--model", "nope.skgen", "--station", "A", "--out", "x.npz"], "nope.skgen"),
    ],
)
def test_user_mistakes_are_one_line(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SKGEN_DEBUG", raising=False)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("skgen: error:") and message in err
    assert len(err.splitlines()) == 1


def test_unreadable_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "garbage.mseed"
    bad.write_bytes(np.random.default_rng(0).bytes(2000))
    assert main(["hvsr", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "garbage.mseed" in err and "Traceback" not in err


def test_console_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "skgen", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("demo", "hvsr", "fit", "add-stations", "sample", "score"):
        assert command in result.stdout


def test_sample_reaches_integer_station_labels(tmp_path, capsys):
    from skgen import TimesNetGenerator, load

    data = make_strong_motion(n_stations=2, records_per_station=2, n_times=256, random_state=0)
    labels = np.repeat([7, 12], 2)
    gen = TimesNetGenerator(
        n_times=256, d_model=4, d_ff=4, num_kernels=1, epochs=1, noise_epochs=0, random_state=0
    ).fit(data.X, labels)
    model = tmp_path / "int.skgen"
    gen.save(model)
    out = tmp_path / "x.npz"
    assert (
        main(
            [
                "sample",
                "--model",
                str(model),
                "--station",
                "12",
                "-n",
                "2",
                "--out",
                str(out),
                "--seed",
                "3",
            ]
        )
        == 0
    )
    np.testing.assert_array_equal(np.load(out)["X"], load(model).sample(12, 2, random_state=3))
    assert main(["sample", "--model", str(model), "--station", "5", "--out", str(out)]) == 2
    assert "Unknown station '5'" in capsys.readouterr().err


def test_fit_refuses_n_times_none_from_files(tmp_path, capsys, mseed_file):
    path, _ = mseed_file
    assert (
        main(["fit", str(path), "--model", str(tmp_path / "m.skgen"), "--param", "n_times=None"])
        == 2
    )
    assert "--param n_times=None cannot be used with files" in capsys.readouterr().err


# -- reading: directories, --skip-bad, records per station (issue #14) ---------
@pytest.fixture(scope="module")
def folder_of_records(tmp_path_factory):
    """Two stations, three single-record files each, plus one garbage file."""
    folder = tmp_path_factory.mktemp("records")
    data = make_strong_motion(n_stations=2, records_per_station=3, n_times=256, random_state=1)
    for i, (record, station) in enumerate(zip(data.X, data.stations)):
        to_stream(record[None], [f"XX.{station}"], data.fs).write(
            str(folder / f"r{i}.mseed"), format="MSEED"
        )
    (folder / "bad").mkdir()
    (folder / "bad" / "garbage.mseed").write_bytes(np.random.default_rng(0).bytes(1500))
    return folder, data


TINY = [
    "--param",
    "n_times=256",
    "--param",
    "d_model=4",
    "--param",
    "d_ff=4",
    "--param",
    "num_kernels=1",
    "--param",
    "epochs=1",
    "--param",
    "noise_epochs=0",
    "--param",
    "verbose=0",
]


def test_fit_prints_records_per_station_and_skipped_files(folder_of_records, tmp_path, capsys):
    folder, data = folder_of_records
    model = tmp_path / "m.skgen"
    assert main(["fit", str(folder), "--model", str(model), *TINY]) == 2
    err = capsys.readouterr().err
    assert "garbage.mseed" in err and len(err.strip().splitlines()) == 1
    assert not model.exists()
    assert main(["fit", str(folder), "--model", str(model), "--skip-bad", *TINY]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "read 6 record(s) of 2 station(s) from 6 file(s)"
    assert sorted(line.split()[:2] for line in lines[1:3]) == [["XX.A00", "3"], ["XX.A01", "3"]]
    assert re.search(r"skipped 1 file.*\n\s+\S*garbage\.mseed: cannot read", captured.err)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from skgen import TimesNetGenerator

    data = make_strong_motion(n_stations=1, records_per_station=3, n_times=128, random_state=0)
    gen = TimesNetGenerator(
        n_times=128, d_model=4, d_ff=4, num_kernels=1, epochs=1, noise_epochs=0, random_state=0
    ).fit(data.X, data.stations)
    path = tmp_path_factory.mktemp("model") / "tiny.skgen"
    gen.save(path)
    return path, str(data.stations[0])


def test_sample_writes_in_chunks(tiny_model, tmp_path, monkeypatch, capsys):
    """Memory stays at one chunk: sample() is never asked for more, and the
    chunks append to one miniSEED file or continue the SAC numbering."""
    import skgen.cli
    from skgen import TimesNetGenerator, load

    model, station = tiny_model
    sizes = []
    original = TimesNetGenerator.sample

    def counted(self, station, n_samples=1, random_state=None):
        sizes.append(n_samples)
        return original(self, station, n_samples, random_state)

    monkeypatch.setattr(TimesNetGenerator, "sample", counted)
    monkeypatch.setattr(skgen.cli, "SAMPLE_CHUNK", 2)
    out = tmp_path / "gen.mseed"
    argv = ["sample", "--model", str(model), "--station", station, "-n", "5", "--seed", "4"]
    assert main([*argv, "--out", str(out)]) == 0
    assert sizes == [2, 2, 1]
    stream = obspy.read(str(out))
    assert len(stream) == 15
    stream.sort(keys=["starttime", "channel"])
    written = np.stack([tr.data for tr in stream]).reshape(5, 3, 128)
    # The first chunk is what one call with the seed draws; every record differs.
    np.testing.assert_array_equal(written[:2], load(model).sample(station, 2, random_state=4))
    assert len({record.tobytes() for record in written}) == 5
    assert [tr.stats.starttime for tr in stream[::3]] == [UTCDateTime(i * 62.0) for i in range(5)]
    # The same seed gives the same records, through SAC files too.
    assert main([*argv, "--out", str(tmp_path / "gen.sac")]) == 0
    sac = sorted(tmp_path.glob("gen.*.sac"))
    assert [p.name for p in sac][-3:] == ["gen.5.HNE.sac", "gen.5.HNN.sac", "gen.5.HNZ.sac"]
    np.testing.assert_array_equal(obspy.read(str(sac[-1]))[0].data, written[4, 2])
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("out", ["big.npz", "big.mseed"])
def test_sample_too_large_is_one_line_before_any_work(
    tiny_model, tmp_path, monkeypatch, capsys, out
):
    import shutil

    import skgen.cli
    from skgen import TimesNetGenerator

    model, station = tiny_model

    def refuse(*args, **kwargs):
        raise AssertionError("sample() must not run")

    monkeypatch.setattr(TimesNetGenerator, "sample", refuse)
    monkeypatch.setattr(skgen.cli, "_physical_memory", lambda: 4 * 2**30)
    monkeypatch.setattr(
        skgen.cli.shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(0, 0, 2**30)
    )
    monkeypatch.delenv("SKGEN_DEBUG", raising=False)
    argv = ["sample", "--model", str(model), "--station", station, "-n", "2000000"]
    assert main([*argv, "--out", str(tmp_path / out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "-n 2000000 records of 128 samples need" in err
    assert ("for one .npz" in err) == out.endswith(".npz")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt, out", [("asdf", "gen.h5"), ("seisbench", "generated")])
def test_sample_format_streams_into_asdf_and_seisbench(tiny_model, tmp_path, monkeypatch, fmt, out):
    """--format asdf|seisbench writes chunk by chunk; read back with the provenance."""
    import skgen.cli
    from skgen import load
    from skgen.io import read_records

    model, station = tiny_model
    monkeypatch.setattr(skgen.cli, "SAMPLE_CHUNK", 2)
    argv = ["sample", "--model", str(model), "--station", station, "-n", "5", "--seed", "4"]
    assert main([*argv, "--out", str(tmp_path / out), "--format", fmt]) == 0
    X, stations, meta = read_records(
        tmp_path / out,
        n_times=128,
        window="start",
        demean=False,
        detrend=False,
        taper=None,
        return_meta=True,
    )
    np.testing.assert_array_equal(X[:2], load(model).sample(station, 2, random_state=4))
    assert len({record.tobytes() for record in X}) == 5 and list(stations) == [station] * 5
    provenance = meta[0]["provenance"]
    assert provenance["model"] == "tiny.skgen" and provenance["random_state"] == 4
    assert provenance["station"] == station and provenance["generator"] == "TimesNetGenerator"
    assert not list(tmp_path.rglob("*.part"))


def test_sample_format_unknown_suffix_is_one_line(tiny_model, tmp_path, capsys, monkeypatch):
    model, station = tiny_model
    monkeypatch.delenv("SKGEN_DEBUG", raising=False)
    argv = ["sample", "--model", str(model), "--station", station, "--out", str(tmp_path / "g")]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "--out must end in .mseed, .sac or .npz" in err and "--format" in err
    assert len(err.splitlines()) == 1
