"""`skgen demo --quick`: the README's main job, end to end."""

import json

import pytest

from skgen import TimesNetGenerator
from skgen.cli import main
from skgen.scoring import IM_METRICS, METRICS

pytest.importorskip("matplotlib")


@pytest.mark.slow
def test_quick_demo_writes_report_metrics_and_figures(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--quick", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "TimesNet-Gen" in printed and "Spectrogram CVAE" in printed
    assert "Stochastic (reference)" in printed and "Evolutionary (no network)" in printed
    assert "real-vs-real" in printed

    metrics = json.loads((out / "metrics.json").read_text())
    names = (
        "TimesNet-Gen",
        "Spectrogram CVAE",
        "Stochastic (reference)",
        "Evolutionary (no network)",
    )
    assert set(metrics) == {*names, "comparison"}
    for name in names:
        result = metrics[name]
        assert set(result["metrics"]) == set(METRICS) == set(result["ceiling"])
        # 4 stations of region A (trained) and 4 of region B (add_stations).
        assert [s[0] for s in result["stations"]] == ["A"] * 4 + ["B"] * 4
        assert len(result["table"]["f0_median_generated"]) == 8
        assert result["fit_seconds"] > 0
        assert set(result["intensity"]["metrics"]) == set(IM_METRICS)
        assert set(result["intensity"]["distortion"]["psa"]) == {"A", "B", "all"}
        # The yardsticks on the first station of each region.
        assert result["gof"]["stations"] == ["A00", "B00"]
        assert 0 <= result["gof_summary"]["gof"] <= 10
        assert result["gmm"]["gmm"] == "BSSA14" and result["gmm"]["n_records"] == 2 * 5
        assert 0 <= result["gmm"]["gmm_acceptance"] <= 1
    comparison = metrics["comparison"]
    assert set(comparison["models"]) == set(names)
    assert "TimesNet-Gen vs Stochastic (reference)" in comparison["p_values"]
    for by_metric in comparison["models"].values():
        assert set(by_metric) == {"alignment", "psa", "duration", "novelty", "c2st", "spread"}

    html = (out / "report.html").read_text()
    figures = sorted(p.name for p in out.glob("*.png"))
    # per model: f0 confusion, response spectra, durations, novelty, the
    # GOF heat map, PSA against the GMM, the residual correlation, and 4
    # figures for one station of each of the 2 regions; the quick run draws
    # TimesNet-Gen's only (the full run the two networks')
    assert len(figures) == 7 + 4 * 2
    assert all(name.startswith("TimesNet-Gen-") for name in figures)
    assert "TimesNet-Gen-gof-bands.png" in figures and "TimesNet-Gen-gmm-psa.png" in figures
    assert html.count("data:image/png;base64,") == len(figures)
    assert "<table>" in html and "alignment ceiling" in html
    assert "Intensity measures" in html and "psa ceiling" in html and "c2st ceiling" in html
    assert "TimesNet-Gen vs Spectrogram CVAE" in html and "95 % interval" in html
    assert "Anderson (2004) goodness of fit" in html and "acceptance ceiling" in html


@pytest.mark.parametrize(
    ("overrides", "epochs"),
    [
        ({}, TimesNetGenerator().epochs),
        ({"TimesNet-Gen": {"precision": "float32"}}, TimesNetGenerator().epochs),
        ({"TimesNet-Gen": {"epochs": 2}}, 2),
    ],
)
def test_full_demo_trains_the_default_epochs_in_either_precision(overrides, epochs):
    import skgen._demo as demo

    assert demo._models(0, overrides)["TimesNet-Gen"].epochs == epochs


def test_demo_precision_option_reaches_timesnet(monkeypatch):
    import skgen._demo as demo
    from skgen.cli import main

    assert demo._models(0, {})["TimesNet-Gen"].precision == "auto"
    assert demo._models(0, {}, "float32")["TimesNet-Gen"].precision == "float32"
    seen = {}
    monkeypatch.setattr(demo, "run_demo", lambda **kwargs: seen.update(kwargs))
    assert main(["demo", "--precision", "float32", "--out", "x"]) == 0
    assert seen == dict(out="x", quick=False, random_state=0, precision="float32")


@pytest.mark.slow
def test_quick_demo_runs_without_pygmm(tmp_path, capsys, monkeypatch):
    # The README's first command installs skgen[plot] only: the demo must run
    # without the gmm extra and say what it left out.
    import skgen._demo as demo

    def missing():
        raise ImportError("Ground-motion models need pygmm: pip install 'skgen[gmm]'")

    monkeypatch.setattr(demo, "import_pygmm", missing)
    out = tmp_path / "demo"
    assert main(["demo", "--quick", "--out", str(out)]) == 0
    assert "ground-motion-model residuals left out" in capsys.readouterr().out
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["TimesNet-Gen"]["gmm"] is None
    assert metrics["TimesNet-Gen"]["gof_summary"]["gof"] >= 0
    assert not list(out.glob("*gmm-psa.png"))
