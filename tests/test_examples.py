"""Every example runs in its quick form and prints what it promises."""

import pytest

pytest.importorskip("matplotlib")

pytestmark = pytest.mark.slow

METRICS_HEADER = ["alignment", "f0_js", "f0_wasserstein", "log_hvsr", "pga_f0"]


def test_quickstart(tmp_path, run_example):
    stdout, out = run_example("quickstart.py", tmp_path)
    assert "data: X (18, 3, 2000), 3 stations" in stdout
    assert "generated for station A00: (5, 3, 2000)" in stdout
    assert "real-vs-real ceiling" in stdout
    assert sorted(p.name for p in out.iterdir()) == ["f0.png", "hvsr.png", "waveforms.png"]


def test_read_real_files(tmp_path, run_example):
    stdout, out = run_example("read_real_files.py", tmp_path)
    lines = stdout.splitlines()
    assert "X (1, 3, 6000) in m/s^2, stations ['CE.68150']" in lines[0]
    difference = float(lines[1].split("max difference ")[1].split()[0])
    assert difference < 1e-5
    # The published PGA of this record is about 3.7 m/s^2 on HNE.
    assert "PGA (m/s^2): E 3.6" in stdout
    f0_lines = [line for line in lines if line.startswith("f0 (")]
    assert len(f0_lines) == 2
    for line in f0_lines:
        assert 1.0 < float(line.split(": ")[1].split()[0]) < 20.0
    assert (out / "CE.68150.100Hz.mseed").is_file() and (out / "CE.68150.png").is_file()


def test_real_records(tmp_path, run_example):
    stdout, out = run_example("real_records.py", tmp_path)
    lines = stdout.splitlines()
    assert "X (4, 3, 4000) in m/s^2, 4 stations" in lines[0]
    rows = [line.split() for line in lines[2:6]]
    assert [row[0] for row in rows] == ["CE.68150", "UW.TBPA", "UW.TKCO", "UW.UPS"]
    for row in rows:
        onset, window, share = float(row[3]), float(row[4]), float(row[6])
        # 120 s of noise in front, the P onset 18-26 s into the record.
        assert 138.0 < onset < 146.0 and window == pytest.approx(onset - 5.0, abs=0.02)
        assert share >= 0.85
    f0_lines = [line for line in lines if ": f0 " in line]
    assert len(f0_lines) == 4
    for line in f0_lines:
        assert 1.0 < float(line.split("f0 ")[1].split()[0]) < 20.0
    assert (out / "real-records.png").is_file()


def test_cross_region_selection(tmp_path, run_example):
    stdout, out = run_example("cross_region_selection.py", tmp_path)
    header = next(line for line in stdout.splitlines() if line.startswith("model"))
    assert header.split()[2:] == METRICS_HEADER
    for model in ("TimesNet-Gen", "Spectrogram CVAE"):
        rows = [line for line in stdout.splitlines() if line.startswith(model)]
        assert len(rows) == 3  # two folds and the mean
        assert "train B -> test A" in rows[0] and "train A -> test B" in rows[1]
    assert "best: {'sampler': " in stdout
    assert len(list(out.glob("*-A-to-B-f0-confusion.png"))) == 2


def test_paper_config_gpu(tmp_path, run_example):
    stdout, out = run_example("paper_config_gpu.py", tmp_path)
    assert "d_model 8, n_times 1024, 1 + 1 epochs" in stdout
    for row in ("skgen sampling", "published sampling", "real-vs-real"):
        assert any(line.startswith(row) for line in stdout.splitlines()), row
    assert (out / "paper-config.skgen").is_file() and (out / "f0-confusion.png").is_file()
    # The checkpoint is removed once training finishes.
    assert not (out / "training.ckpt").exists()


def test_scenario(tmp_path, run_example):
    stdout, out = run_example("scenario.py", tmp_path)
    assert stdout.count("station A00 M") == 3
    line = next(line for line in stdout.splitlines() if line.startswith("held-out ln PSA"))
    errors = dict(part.rsplit(" ", 1) for part in line.split(": ", 1)[1].split(", "))
    # Generating at the record's own scenario beats ignoring the scenario.
    assert float(errors["conditioned"]) < float(errors["unconditioned"])
    assert [p.name for p in out.iterdir()] == ["scenario_psa.png"]
