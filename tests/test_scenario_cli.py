"""skgen fit --scenarios and skgen sample --magnitude --distance."""

import numpy as np
import pytest

import skgen
from skgen.cli import main
from skgen.datasets import make_strong_motion
from skgen.io import to_stream

PARAMS = ["n_times=1024", "d_model=4", "d_ff=4", "epochs=1", "noise_epochs=0"]


@pytest.fixture(scope="module")
def record_files(tmp_path_factory):
    data = make_strong_motion(n_stations=2, records_per_station=4, n_times=1024, random_state=0)
    folder = tmp_path_factory.mktemp("scenario_cli")
    lines = ["file,magnitude,distance"]
    for i, (x, station) in enumerate(zip(data.X, data.stations)):
        name = f"record{i}.mseed"
        to_stream(x[None], [f"XX.{station}"], data.fs).write(str(folder / name), format="MSEED")
        lines.append(f"{name},{data.magnitude[i]},{data.distance[i]}")
    (folder / "events.csv").write_text("\n".join(lines) + "\n")
    return folder, data


def test_fit_reads_scenarios_and_sample_uses_them(record_files, tmp_path, capsys):
    folder, data = record_files
    model = tmp_path / "model.skgen"
    argv = ["fit", str(folder / "*.mseed"), "--model", str(model), "--window", "start"]
    argv += ["--scenarios", str(folder / "events.csv")]
    for param in PARAMS:
        argv += ["--param", param]
    assert main(argv) == 0
    generator = skgen.load(model)
    station = "XX." + data.stations[0]
    np.testing.assert_allclose(
        np.sort(generator.bank_[station]["magnitude"]),
        np.sort(data.magnitude[data.stations == data.stations[0]]),
    )
    m = float(np.median(generator.bank_[station]["magnitude"]))
    r = float(np.median(generator.bank_[station]["distance"]))
    out = tmp_path / "out.npz"
    argv = ["sample", "--model", str(model), "--station", station, "-n", "2", "--seed", "3"]
    assert main(argv + ["--out", str(out), "--magnitude", str(m), "--distance", str(r)]) == 0
    expected = generator.sample(
        station, 2, magnitude=m, distance=r, random_state=np.random.RandomState(3)
    )
    np.testing.assert_array_equal(np.load(out)["X"], expected)
    # Only one of the two is a one-line user error.
    capsys.readouterr()
    assert main(argv + ["--out", str(out), "--magnitude", str(m)]) == 2
    assert "only magnitude" in capsys.readouterr().err


def test_missing_scenario_row_is_a_user_error(record_files, tmp_path, capsys):
    folder, _ = record_files
    csv = tmp_path / "short.csv"
    csv.write_text("file,magnitude,distance\nrecord0.mseed,6.0,20\n")
    argv = ["fit", str(folder / "*.mseed"), "--model", str(tmp_path / "m.skgen")]
    argv += ["--window", "start", "--scenarios", str(csv)]
    for param in PARAMS:
        argv += ["--param", param]
    assert main(argv) == 2
    assert "no (further) row" in capsys.readouterr().err
