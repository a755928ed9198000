"""Small intersphinx inventories of the objects these docs link to.

The documentation builds without network access (CI has package registries
only), so intersphinx cannot download numpy's or obspy's ``objects.inv``.
Instead, each project below lists the few objects skgen's pages and
docstrings reference, with their public URLs; :func:`write_inventories`
writes them in Sphinx's inventory format (version 2) and ``conf.py`` hands
the files to intersphinx. The links in the built pages point to the real,
online documentation. Add an object here when a page starts referencing it.
"""

import zlib
from pathlib import Path

# project -> (base URL, version, {object name: (domain:role, path under the base URL)})
INVENTORIES = {
    "numpy": (
        "https://numpy.org/doc/stable/",
        "stable",
        {
            "numpy.ndarray": ("py:class", "reference/generated/numpy.ndarray.html"),
            "numpy.random.RandomState": ("py:class", "reference/random/legacy.html"),
            "numpy.random.Generator": ("py:class", "reference/random/generator.html"),
            # numpydoc links "array_like" in parameter types to this term.
            "array_like": ("std:term", "glossary.html"),
        },
    ),
    # numpydoc links "bool", "sequence" and "generator" in parameter types.
    "python": (
        "https://docs.python.org/3/",
        "3",
        {
            "bltin-boolean-values": ("std:label", "library/stdtypes.html"),
            "generator": ("std:term", "glossary.html"),
            "sequence": ("std:term", "glossary.html"),
        },
    ),
    "scipy": (
        "https://docs.scipy.org/doc/scipy/",
        "stable",
        {
            name: ("py:function", f"reference/generated/{name}.html")
            for name in (
                "scipy.signal.resample_poly",
                "scipy.signal.lfilter",
                "scipy.stats.wilcoxon",
                "scipy.stats.wasserstein_distance",
            )
        },
    ),
    "sklearn": (
        "https://scikit-learn.org/stable/",
        "stable",
        {
            "sklearn.base.BaseEstimator": (
                "py:class",
                "modules/generated/sklearn.base.BaseEstimator.html",
            ),
            "sklearn.model_selection.GridSearchCV": (
                "py:class",
                "modules/generated/sklearn.model_selection.GridSearchCV.html",
            ),
            "sklearn.model_selection.LeaveOneGroupOut": (
                "py:class",
                "modules/generated/sklearn.model_selection.LeaveOneGroupOut.html",
            ),
            "sklearn.model_selection.cross_validate": (
                "py:function",
                "modules/generated/sklearn.model_selection.cross_validate.html",
            ),
            "sklearn.utils.check_scalar": (
                "py:function",
                "modules/generated/sklearn.utils.check_scalar.html",
            ),
            "sklearn.utils.validation": ("py:module", "api/sklearn.utils.html"),
        },
    ),
    "obspy": (
        "https://docs.obspy.org/",
        "stable",
        {
            "obspy.read": ("py:function", "packages/autogen/obspy.core.stream.read.html"),
            "obspy.core.stream.Stream": (
                "py:class",
                "packages/autogen/obspy.core.stream.Stream.html",
            ),
            "obspy.core.inventory.inventory.Inventory": (
                "py:class",
                "packages/autogen/obspy.core.inventory.inventory.Inventory.html",
            ),
            "obspy.signal.trigger.aic_simple": (
                "py:function",
                "packages/autogen/obspy.signal.trigger.aic_simple.html",
            ),
            "obspy.signal.rotate.rotate2zne": (
                "py:function",
                "packages/autogen/obspy.signal.rotate.rotate2zne.html",
            ),
        },
    ),
    "torch": (
        "https://pytorch.org/docs/stable/",
        "stable",
        {
            "torch.nn.Module": ("py:class", "generated/torch.nn.Module.html"),
            "torch.device": ("py:class", "tensor_attributes.html"),
            "torch.distributed": ("py:module", "distributed.html"),
        },
    ),
}


def _anchor(name, role):
    """The HTML anchor Sphinx gives an object of ``role``."""
    if role == "py:module":
        return f"module-{name}"
    if role == "std:term":
        return f"term-{name}"
    return name


def write_inventories(folder):
    """Write ``<project>.inv`` for every project of ``INVENTORIES`` to ``folder``.

    Returns ``intersphinx_mapping``: project -> (base URL, local inventory path).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    mapping = {}
    for project, (url, version, objects) in INVENTORIES.items():
        # Priority 1 for Python objects, -1 (not searchable) for terms and labels.
        lines = "".join(
            f"{name} {role} {-1 if role.startswith('std:') else 1} {path}#{_anchor(name, role)} -\n"
            for name, (role, path) in sorted(objects.items())
        )
        header = (
            "# Sphinx inventory version 2\n"
            f"# Project: {project}\n"
            f"# Version: {version}\n"
            "# The remainder of this file is compressed using zlib.\n"
        )
        path = folder / f"{project}.inv"
        path.write_bytes(header.encode() + zlib.compress(lines.encode()))
        mapping[project] = (url, str(path))
    return mapping
