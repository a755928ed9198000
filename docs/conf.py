"""Sphinx configuration for skgen's documentation.

Build: ``sphinx-build -W --keep-going -b html docs docs/_build/html``.
"""

import os
import sys

# Document the source tree next to this folder, installed or not.
sys.path.insert(0, os.path.abspath(".."))

import skgen

project = "skgen"
author = "skgen developers"
release = skgen.__version__
extensions = ["sphinx.ext.autodoc", "sphinx.ext.autosummary", "numpydoc", "sphinx.ext.mathjax"]
autosummary_generate = False
numpydoc_show_class_members = False
autodoc_typehints = "none"
html_theme = "alabaster"
exclude_patterns = ["_build"]
