"""The skgen command end to end on tiny data."""

import subprocess
import sys

import numpy as np
import pytest

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
