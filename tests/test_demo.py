"""`skgen demo --quick`: the README's main job, end to end."""

import json

import pytest

from skgen.cli import main
from skgen.scoring import METRICS

pytest.importorskip("matplotlib")


def test_quick_demo_writes_report_metrics_and_figures(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--quick", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "TimesNet-Gen" in printed and "Spectrogram CVAE" in printed
    assert "real-vs-real" in printed

    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics) == {"TimesNet-Gen", "Spectrogram CVAE"}
    for result in metrics.values():
        assert set(result["metrics"]) == set(METRICS) == set(result["ceiling"])
        # 4 stations of region A (trained) and 4 of region B (add_stations).
        assert [s[0] for s in result["stations"]] == ["A"] * 4 + ["B"] * 4
        assert len(result["table"]["f0_median_generated"]) == 8
        assert result["fit_seconds"] > 0

    html = (out / "report.html").read_text()
    figures = sorted(p.name for p in out.glob("*.png"))
    assert len(figures) == 18  # per model: confusion + 4 figures x 2 regions
    assert html.count("data:image/png;base64,") == len(figures)
    assert "<table>" in html and "alignment ceiling" in html
