"""The Sphinx documentation builds without a single warning."""

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("numpydoc")

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


def test_docs_build_without_warnings(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "-d",
            str(tmp_path / "doctrees"),
            str(REPO / "docs"),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    api = (tmp_path / "html" / "api.html").read_text()
    for name in (
        "skgen.TimesNetGenerator.paper_config",
        "skgen.SpectrogramCVAEGenerator",
        "skgen.HVSRAlignmentScorer.report",
        "skgen.signal.hvsr",
        "skgen.io.read_records",
        "skgen.plotting.plot_hvsr",
    ):
        assert f'id="{name}"' in api, name
