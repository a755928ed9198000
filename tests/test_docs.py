"""The Sphinx documentation: the API reference lists every public name, and
the whole site (API pages, gallery with its figures) builds without a single
warning."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
GALLERY = ["quickstart", "read_real_files", "real_records", "cross_region_selection"]
GALLERY += ["scenario", "tune_cvae"]


def _autosummary_entries():
    """``{module: names}`` listed under ``.. autosummary::`` in docs/api.rst."""
    entries, module, in_list = {}, None, False
    for line in (DOCS / "api.rst").read_text().splitlines():
        if match := re.match(r"\.\. currentmodule:: (\S+)", line):
            module = match.group(1)
        elif line.startswith(".. autosummary::"):
            in_list = True
        elif in_list and re.match(r"   [A-Za-z_]\w*$", line):
            entries.setdefault(module, set()).add(line.strip())
        elif in_list and line and not line.startswith("   "):
            in_list = False
    return entries


def _documented_data():
    """Names given a ``.. data::`` or ``.. autodata::`` entry in docs/api.rst."""
    return set(re.findall(r"^\.\. (?:auto)?data:: (\w+)", (DOCS / "api.rst").read_text(), re.M))


@pytest.mark.parametrize(
    "module", ["skgen", "skgen.scoring", "skgen.signal", "skgen.io", "skgen.plotting"]
)
def test_api_reference_lists_every_public_name(module):
    entries = _autosummary_entries()
    public = {name for name in importlib.import_module(module).__all__ if name != "__version__"}
    listed = entries.get(module, set()) | _documented_data()
    if module == "skgen.scoring":  # the scorers are listed once, under skgen
        listed |= entries["skgen"]
    missing = public - listed
    assert not missing, f"docs/api.rst does not list {sorted(missing)} of {module}"
    unknown = entries.get(module, set()) - public
    assert not unknown, f"docs/api.rst lists {sorted(unknown)}, not in {module}.__all__"


def test_autosummary_reader_sees_the_lists():
    """The reader above finds entries of several sections (it is not vacuous)."""
    entries = _autosummary_entries()
    assert "TimesNetGenerator" in entries["skgen"]
    assert "hvsr" in entries["skgen.signal"] and "read_records" in entries["skgen.io"]
    assert "F0_BINS" in _documented_data() and "REGIONS" in _documented_data()


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("numpydoc")
    pytest.importorskip("sphinx_gallery")
    pytest.importorskip("matplotlib")
    # One torch thread: the gallery's quick networks gain nothing from more.
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS="1", SKGEN_EXAMPLES_QUICK="1")
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
            str(DOCS),
            str(tmp_path / "html"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    html = tmp_path / "html"
    # One generated page per public object, with its members.
    page = (html / "generated" / "skgen.TimesNetGenerator.html").read_text()
    for member in ("paper_config", "fit", "sample", "add_stations", "save"):
        assert f'id="skgen.TimesNetGenerator.{member}"' in page, member
    assert (
        'id="skgen.HVSRAlignmentScorer.__call__"'
        in (html / "generated" / "skgen.HVSRAlignmentScorer.html").read_text()
    )
    for name in ("skgen.signal.hvsr", "skgen.io.read_records", "skgen.plotting.plot_hvsr"):
        assert f'id="{name}"' in (html / "generated" / f"{name}.html").read_text(), name
    # Intersphinx links go to the projects' online docs.
    assert (
        "https://scikit-learn.org/stable/modules/generated/sklearn.base.BaseEstimator.html"
        in (html / "api.html").read_text()
    )
    # Every gallery example ran and left at least one figure.
    for name in GALLERY:
        page = (html / "auto_examples" / f"{name}.html").read_text()
        assert re.search(rf'src="../_images/sphx_glr_{name}_\d+\.png"', page), name
    assert (html / "changelog.html").is_file() and (html / "user_guide.html").is_file()
