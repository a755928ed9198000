"""The skgen command end to end: fit -> add-stations -> sample -> score.

Tiny synthetic records of two regions are written to miniSEED in a temp
folder; every step goes through the command (``skgen.cli.main`` in-process,
once ``python -m skgen`` in a subprocess) and its outputs are read back with
obspy, numpy and json.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import obspy
import pytest

import skgen
from skgen.cli import main
from skgen.datasets import make_strong_motion
from skgen.io import read_records, to_stream
from skgen.scoring import METRICS, HVSRAlignmentScorer

REPO = Path(__file__).resolve().parents[1]
N_TIMES = 512
FS = 100.0

# Tiny networks: one epoch on 8 records of 512 samples takes about a second.
PARAMS = {
    "timesnet": [
        "n_times=512",
        "d_model=4",
        "d_ff=8",
        "epochs=1",
        "noise_epochs=0",
        "batch_size=8",
        "random_state=0",
        "verbose=0",
    ],
    "cvae": [
        "n_times=512",
        "n_fft=64",
        "hop_length=16",
        "channels=(4, 8)",
        "latent_dim=4",
        "epochs=1",
        "batch_size=8",
        "griffin_lim_iters=2",
        "random_state=0",
        "verbose=0",
    ],
}


def run(argv, capsys):
    """Run the command in-process: (exit status, stdout, stderr)."""
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A.mseed and B.mseed: two regions, 2 stations x 4 records each."""
    path = tmp_path_factory.mktemp("skgen-cli")
    for region, seed in (("A", 0), ("B", 1)):
        data = make_strong_motion(
            n_stations=2,
            records_per_station=4,
            region=region,
            n_times=N_TIMES,
            fs=FS,
            random_state=seed,
        )
        # SEED station codes hold at most 5 characters: "XX.A00".
        labels = [f"XX.{s}" for s in data.stations]
        to_stream(data.X, labels, FS).write(str(path / f"{region}.mseed"), format="MSEED")
    return path


@pytest.fixture(scope="module")
def fitted_models(folder):
    """Per generator: a model fitted on region A and one with region B added."""
    models = {}
    for name, params in PARAMS.items():
        fitted = folder / f"{name}-A.skgen"
        both = folder / f"{name}-AB.skgen"
        argv = ["fit", folder / "A.mseed", "--model", fitted, "--generator", name]
        for pair in params:
            argv += ["--param", pair]
        assert main([str(a) for a in argv]) == 0
        assert (
            main(
                [
                    "add-stations",
                    str(folder / "B.mseed"),
                    "--model",
                    str(fitted),
                    "--out",
                    str(both),
                ]
            )
            == 0
        )
        models[name] = (name, fitted, both)
    return models


@pytest.fixture(params=sorted(PARAMS))
def models(request, fitted_models):
    return fitted_models[request.param]


def test_fit_saves_a_model_with_the_given_parameters(models):
    name, fitted, _ = models
    generator = skgen.load(fitted)
    expected = {"timesnet": skgen.TimesNetGenerator, "cvae": skgen.SpectrogramCVAEGenerator}[name]
    assert type(generator) is expected
    assert list(generator.stations_) == ["XX.A00", "XX.A01"]
    assert generator.n_times_ == N_TIMES
    assert generator.fs == FS
    params = generator.get_params()
    if name == "timesnet":
        assert (params["d_model"], params["d_ff"], params["noise_epochs"]) == (4, 8, 0)
    else:
        assert params["channels"] == (4, 8) and params["latent_dim"] == 4


def test_add_stations_registers_the_other_region(models):
    _, fitted, both = models
    generator = skgen.load(both)
    assert list(generator.stations_) == ["XX.A00", "XX.A01", "XX.B00", "XX.B01"]
    # --out leaves the original model file as it was.
    assert list(skgen.load(fitted).stations_) == ["XX.A00", "XX.A01"]


def test_sample_writes_mseed_sac_and_npz(models, tmp_path, capsys):
    _, _, both = models
    common = ["sample", "--model", both, "--station", "XX.B01", "-n", 2, "--seed", 3]
    for ext in ("npz", "mseed", "sac"):
        status, out, err = run(common + ["--out", tmp_path / f"gen.{ext}"], capsys)
        assert status == 0, err
        assert "wrote 2 record(s) for station XX.B01" in out
    expected = skgen.load(both).sample("XX.B01", 2, random_state=3)

    npz = np.load(tmp_path / "gen.npz")
    assert npz["X"].shape == (2, 3, N_TIMES)
    np.testing.assert_array_equal(npz["X"], expected)
    assert list(npz["stations"]) == ["XX.B01", "XX.B01"]
    assert float(npz["fs"]) == FS

    mseed = obspy.read(str(tmp_path / "gen.mseed"))
    sac_files = sorted(tmp_path.glob("gen.*.sac"))
    assert [p.name for p in sac_files] == [
        f"gen.{i}.{c}.sac" for i in (1, 2) for c in ("HNE", "HNN", "HNZ")
    ]
    sac = obspy.Stream()
    for path in sac_files:
        sac += obspy.read(str(path), format="SAC")
    for stream in (mseed, sac):
        assert len(stream) == 6
        # Records are written one after the other in time.
        stream.sort(keys=["starttime", "channel"])
        assert [tr.stats.channel for tr in stream] == ["HNE", "HNN", "HNZ"] * 2
        for trace in stream:
            assert (trace.stats.network, trace.stats.station) == ("XX", "B01")
            assert trace.stats.sampling_rate == FS
            assert trace.stats.npts == N_TIMES
        data = np.stack([tr.data for tr in stream]).reshape(2, 3, N_TIMES)
        np.testing.assert_allclose(data, expected, rtol=1e-6)
    # The written miniSEED reads back through skgen's own reader unchanged
    # (as stored: no processing, the window at the first sample).
    X, stations = read_records(
        tmp_path / "gen.mseed",
        fs=FS,
        n_times=N_TIMES,
        window="start",
        demean=False,
        detrend=False,
        taper=None,
    )
    np.testing.assert_allclose(X, expected, rtol=1e-6)
    assert list(stations) == ["XX.B01", "XX.B01"]


@pytest.mark.slow
def test_score_report_writes_metrics_json(models, folder, tmp_path, capsys):
    _, _, both = models
    data = [folder / "A.mseed", folder / "B.mseed"]
    status, out, err = run(
        ["score", *data, "--model", both, "--report", tmp_path / "report"], capsys
    )
    assert status == 0, err
    assert "report written to" in out and "alignment" in out
    html = (tmp_path / "report" / "report.html").read_text()
    figures = list((tmp_path / "report").glob("*.png"))
    assert figures and html.count("data:image/png;base64,") == len(figures)
    assert "Intensity measures" in html and "Anderson (2004) goodness of fit" in html
    assert any(path.name == "score-gof-bands.png" for path in figures)
    content = json.loads((tmp_path / "report" / "metrics.json").read_text())
    assert "psa" in content["intensity"]["metrics"]
    assert set(content["metrics"]) == set(METRICS)
    assert set(content["ceiling"]) == set(METRICS)
    assert content["stations"] == ["XX.A00", "XX.A01", "XX.B00", "XX.B01"]
    assert content["table"]["n_real"] == [2, 2, 2, 2]
    # Same numbers as the scorer called from Python with the CLI's seed (0).
    X, stations = read_records(data, fs=FS, n_times=N_TIMES)
    expected = HVSRAlignmentScorer(random_state=0).report(skgen.load(both), X, stations)
    for metric in METRICS:
        assert content["metrics"][metric] == pytest.approx(expected.metrics[metric], nan_ok=True)

    status, out, _ = run(["score", *data, "--model", both, "--metric", "f0_js"], capsys)
    assert status == 0
    assert float(out.split(":")[1]) == pytest.approx(expected.metrics["f0_js"], abs=1e-4)


# -- user mistakes: one line on stderr, exit status 2, no traceback ------------
@pytest.fixture(scope="module")
def timesnet_model(fitted_models):
    return fitted_models["timesnet"][2]


def mistakes(folder, model):
    garbage = folder / "garbage.mseed"
    garbage.write_bytes(np.random.default_rng(0).bytes(3000))
    text = folder / "notes.txt"
    text.write_text("not a seismogram\n")
    fit = ["fit", folder / "A.mseed", "--model", folder / "never.skgen"]
    sample = ["sample", "--model", model, "-n", 1]
    return [
        (sample + ["--station", "XX.Z99", "--out", folder / "x.npz"], "XX.Z99"),
        (sample + ["--station", "XX.A00", "--out", folder / "x.wav"], "x.wav"),
        (sample + ["--station", "XX.A00", "--out", folder / "x.npz", "-n", 0], "n_samples"),
        (
            ["sample", "--model", text, "--station", "XX.A00", "--out", folder / "x.npz"],
            "notes.txt",
        ),
        (["score", garbage, "--model", model], "garbage.mseed"),
        (["add-stations", text, "--model", model], "notes.txt"),
        (["hvsr", folder / "missing.mseed"], "missing.mseed"),
        (fit[:1] + [folder / "missing.mseed"] + fit[2:], "missing.mseed"),
        (fit + ["--param", "epochs"], "key=value"),
        (fit + ["--param", "n_layers=3"], "n_layers"),
        (fit + ["--param", "epochs=-1"], "epochs"),
        (fit + ["--generator", "cvae", "--param", "hop_length=0"], "hop_length"),
    ]


def test_user_mistakes_are_one_line(folder, timesnet_model, capsys, monkeypatch):
    monkeypatch.delenv("SKGEN_DEBUG", raising=False)
    for argv, message in mistakes(folder, timesnet_model):
        status, out, err = run(argv, capsys)
        assert status == 2, argv
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("skgen: error:") and message in lines[0], (argv, err)
    assert not (folder / "never.skgen").exists()


def test_debug_variable_shows_the_traceback(folder, timesnet_model, monkeypatch):
    monkeypatch.setenv("SKGEN_DEBUG", "1")
    with pytest.raises(ValueError, match="Unknown station 'XX.Z99'"):
        main(
            [
                "sample",
                "--model",
                str(timesnet_model),
                "--station",
                "XX.Z99",
                "--out",
                str(folder / "x.npz"),
            ]
        )


@pytest.mark.slow
def test_python_dash_m_skgen(folder, timesnet_model, tmp_path):
    """The module entry point, in a fresh interpreter, outside the repository."""
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS="1")
    env.pop("SKGEN_DEBUG", None)
    command = [
        sys.executable,
        "-m",
        "skgen",
        "sample",
        "--model",
        str(timesnet_model),
        "-n",
        "1",
        "--seed",
        "0",
    ]
    ok = subprocess.run(
        command + ["--station", "XX.A01", "--out", "one.mseed"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    stream = obspy.read(str(tmp_path / "one.mseed"))
    assert [tr.id for tr in stream] == ["XX.A01..HNE", "XX.A01..HNN", "XX.A01..HNZ"]

    bad = subprocess.run(
        command + ["--station", "XX.Q00", "--out", "two.mseed"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [bad.stderr.strip()]
    assert "XX.Q00" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "two.mseed").exists()


def test_stochastic_generator_with_the_evolutionary_sampler(folder, tmp_path, capsys):
    # Training-free: --sampler evolutionary keeps the records (source=records);
    # n_times defaults to 6000 for a generator that takes it from the data,
    # here given.
    model = tmp_path / "stochastic.skgen"
    argv = ["fit", folder / "A.mseed", "--model", model, "--generator", "stochastic"]
    argv += ["--sampler", "evolutionary", "--param", "n_times=512"]
    argv += ["--param", "sampler__window=1.28"]
    status, out, _ = run(argv, capsys)
    assert status == 0 and "fitted StochasticGenerator on 8 records" in out
    generator = skgen.load(model)
    assert generator.source == "records"
    assert isinstance(generator.sampler, skgen.EvolutionarySampler)
    assert generator.sampler.window == 1.28
    out_file = tmp_path / "evolved.npz"
    argv = ["sample", "--model", model, "--station", "XX.A00", "-n", 3, "--seed", 1]
    assert run(argv + ["--out", out_file], capsys)[0] == 0
    written = np.load(out_file)["X"]
    np.testing.assert_array_equal(written, generator.sample("XX.A00", 3, random_state=1))


def test_sample_with_another_sampler(fitted_models, tmp_path, capsys):
    _, _, both = fitted_models["timesnet"]
    out_file = tmp_path / "paper.npz"
    argv = ["sample", "--model", both, "--station", "XX.B00", "-n", 2, "--seed", 0]
    assert run(argv + ["--sampler", "paper", "--out", out_file], capsys)[0] == 0
    expected = skgen.load(both).sample(
        "XX.B00", 2, random_state=0, sampler=skgen.MixingSampler.paper()
    )
    np.testing.assert_array_equal(np.load(out_file)["X"], expected)


def test_sampler_option_is_refused_for_the_cvae(folder, fitted_models, tmp_path, capsys):
    _, _, both = fitted_models["cvae"]
    argv = ["sample", "--model", both, "--station", "XX.B00", "--out", tmp_path / "x.npz"]
    status, _, err = run(argv + ["--sampler", "evolutionary"], capsys)
    assert status == 2 and "--sampler applies to timesnet and stochastic" in err
    argv = ["fit", folder / "A.mseed", "--model", tmp_path / "m.skgen", "--generator", "cvae"]
    status, _, err = run(argv + ["--sampler", "mixing"], capsys)
    assert status == 2 and "--sampler applies to timesnet and stochastic" in err
