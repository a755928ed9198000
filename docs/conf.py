"""Sphinx configuration for skgen's documentation."""

import skgen

project = "skgen"
author = "skgen developers"
release = skgen.__version__
extensions = ["sphinx.ext.autodoc", "sphinx.ext.autosummary", "numpydoc", "sphinx.ext.mathjax"]
autosummary_generate = True
numpydoc_show_class_members = False
autodoc_typehints = "none"
html_theme = "alabaster"
exclude_patterns = ["_build"]
