"""Sphinx configuration for skgen's documentation.

Build: ``sphinx-build -W --keep-going -b html docs docs/_build/html``.

The example gallery (sphinx-gallery) runs every example at build time in its
quick form: ``SKGEN_EXAMPLES_QUICK=1`` unless the environment sets it
(``SKGEN_EXAMPLES_QUICK=0`` builds the full-size runs, which take hours on a
CPU), on one torch thread unless ``OMP_NUM_THREADS`` says otherwise.
"""

import os
import sys
import tempfile
from pathlib import Path

# Document the source tree next to this folder, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _intersphinx import write_inventories

import skgen

HERE = Path(__file__).resolve().parent
os.environ.setdefault("SKGEN_EXAMPLES_QUICK", "1")
# One torch thread (read when torch loads, in the first example): the quick
# networks gain nothing from more, and contending threads on a busy machine
# make their fits many times slower.
os.environ.setdefault("OMP_NUM_THREADS", "1")

project = "skgen"
author = "skgen developers"
release = skgen.__version__
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
templates_path = ["_templates"]
exclude_patterns = ["_build"]

# API reference: one page per public object, generated from the lists in api.rst.
autosummary_generate = True
autodoc_typehints = "none"
numpydoc_show_class_members = False
# Link the types of numpydoc's parameter lists for these names only.
numpydoc_xref_param_type = True
numpydoc_xref_ignore = "all"
numpydoc_xref_aliases = {
    "ndarray": "numpy.ndarray",
    "RandomState": "numpy.random.RandomState",
    "Generator": "numpy.random.Generator",
    "Stream": "obspy.core.stream.Stream",
    "Inventory": "obspy.core.inventory.inventory.Inventory",
}

# No network here or in CI: intersphinx reads small local inventories of the
# objects these docs reference (docs/_intersphinx.py), written at each build,
# while the links still point to each project's online documentation.
intersphinx_mapping = write_inventories(Path(tempfile.mkdtemp(prefix="skgen-intersphinx-")))
intersphinx_timeout = 1

sphinx_gallery_conf = {
    "examples_dirs": str(HERE.parent / "examples"),
    "gallery_dirs": "auto_examples",
    # Run the examples that finish in seconds in their quick form; the GPU
    # example is shown, not run.
    "filename_pattern": r"/(quickstart|read_real_files|real_records|cross_region_selection"
    r"|scenario|tune_cvae|plot_\w+)\.py$",
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "reset_modules": ("matplotlib",),
    "backreferences_dir": None,
    "show_memory": False,
    "image_scrapers": ("matplotlib",),
}

html_theme = "alabaster"


def skip_metadata_routing(app, what, name, obj, skip, options):
    """Leave scikit-learn's metadata-routing methods (``get_metadata_routing``,
    ``set_fit_request``, ...) to scikit-learn's documentation."""
    if name == "get_metadata_routing" or (name.startswith("set_") and name.endswith("_request")):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", skip_metadata_routing)
