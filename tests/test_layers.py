"""The package's layers run one way (docs/layout.rst), at any depth.

Every ``import`` statement counts, also those inside functions and methods: a
function-level import is a dependency that is only paid later. The few
upward imports the design accepts are listed in ``ALLOWED_UPWARD`` with the
reason for each.
"""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "skgen"

# Lower number = lower layer. A module may import only its own layer or lower.
# The root package loads its public names lazily through importlib (PEP 562),
# so it imports no skgen module itself; modules read ``__version__`` from it.
ROOT = "skgen"
LAYERS = {
    ROOT: 0,
    "skgen._validation": 0,
    "skgen._torch_utils": 0,
    "skgen._distributed": 0,
    "skgen._constraints": 0,
    "skgen.signal": 1,
    "skgen.io": 1,
    "skgen.datasets": 1,
    "skgen._point_source": 1,
    "skgen._wave_physics": 1,
    "skgen.nn": 1,
    "skgen.ground_motion": 1,
    "skgen._base": 2,
    "skgen._bank": 2,
    "skgen._early_stopping": 2,
    "skgen._mixing_generator": 2,
    "skgen._model_file": 2,
    "skgen._network_fit": 2,
    "skgen._pickling": 2,
    "skgen.sampling": 2,
    "skgen._mixing": 2,
    "skgen._evolutionary": 2,
    "skgen._scenario": 2,
    "skgen._timesnet": 2,
    "skgen._cvae": 2,
    "skgen._stochastic": 2,
    "skgen.scoring": 3,
    "skgen._persistence": 3,
    "skgen.plotting": 4,
    "skgen.cli": 4,
    "skgen._demo": 4,
    "skgen._html_report": 4,
    "skgen.__main__": 5,
}
TORCH_FREE = (
    "skgen._validation",
    "skgen.signal",
    "skgen.io",
    "skgen.datasets",
    "skgen._point_source",
    "skgen._wave_physics",
    "skgen.scoring",
)

# (importing module, imported layer) pairs allowed to point upward, inside a
# function only. Keep this short: each entry is a design decision.
ALLOWED_UPWARD = {
    # ``score`` reaches its default scorer inside the method, as scikit-learn's
    # ``BaseEstimator.score`` imports its metric; the scorer only calls the
    # estimator's public ``sample``.
    ("skgen._base", "skgen.scoring"),
}


def _module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(source, name, is_package=False):
    """``{module: top_level}`` for every module the code ``source`` of module
    ``name`` imports.

    ``top_level`` is True when some import of that module is a statement at
    module level (run on import), False when all are inside functions.
    """
    package = name if is_package else name.rpartition(".")[0]
    tree = ast.parse(source)
    module_level = {id(node) for node in tree.body}
    found = {}

    def add(target, node):
        found[target] = found.get(target, False) or id(node) in module_level

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            add(target, node)
            # ``from . import x`` and ``from .pkg import module`` name modules too.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                candidate_path = PACKAGE.parent / Path(*candidate.split("."))
                if candidate_path.with_suffix(".py").exists() or candidate_path.is_dir():
                    add(candidate, node)
    return found


def _layer(module):
    if module == ROOT:
        return ROOT, LAYERS[ROOT]
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if prefix != ROOT and (module == prefix or module.startswith(prefix + ".")):
            return prefix, LAYERS[prefix]
    return None, None


MODULES = {
    _module_name(path): _imports(path.read_text(), _module_name(path), path.name == "__init__.py")
    for path in sorted(PACKAGE.rglob("*.py"))
}


def _allowed(module, target):
    return (_layer(module)[0], _layer(target)[0]) in ALLOWED_UPWARD


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_one_way(module):
    own_prefix, own_layer = _layer(module)
    assert own_prefix is not None, f"{module} is not assigned a layer in LAYERS"
    for target, top_level in MODULES[module].items():
        prefix, layer = _layer(target)
        if prefix is None or prefix == own_prefix:
            continue
        if not top_level and _allowed(module, target):
            continue
        where = "at module level" if top_level else "inside a function"
        assert layer <= own_layer, (
            f"{module} (layer {own_layer}) imports {target} (layer {layer}) {where}"
        )


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith(TORCH_FREE)))
def test_numpy_layers_import_no_torch(module):
    heavy = {t for t, top in MODULES[module].items() if top and t.split(".")[0] == "torch"}
    assert not heavy, f"{module} imports {sorted(heavy)} at module level"


def _import_graph():
    """Module -> skgen modules it imports at any depth, minus the allowed edges."""
    return {
        module: {
            t
            for t, top in targets.items()
            if t in MODULES and t != module and (top or not _allowed(module, t))
        }
        for module, targets in MODULES.items()
    }


def _find_cycle(graph):
    """The first import cycle of ``graph`` as a list of modules, or None."""
    visiting, done = [], set()

    def visit(module):
        if module in done:
            return None
        if module in visiting:
            return visiting[visiting.index(module) :] + [module]
        visiting.append(module)
        for target in sorted(graph[module]):
            if cycle := visit(target):
                return cycle
        visiting.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        if cycle := visit(module):
            return cycle
    return None


def test_walk_and_cycle_finder_see_function_level_imports():
    """Imports nested in methods and branches are read, relative ones resolved,
    and a cycle made of them is reported."""
    source = (
        "import os\n"
        "from . import _base\n"
        "class A:\n"
        "    def f(self):\n"
        "        if True:\n"
        "            from ._timesnet import TimesNetGenerator\n"
    )
    found = _imports(source, "skgen._persistence")
    assert found == {"os": True, "skgen": True, "skgen._base": True, "skgen._timesnet": False}
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set(), "c": {"a"}}) is None


def test_no_import_cycle():
    cycle = _find_cycle(_import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_no_module_over_700_lines():
    long = {
        _module_name(p): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 700
    }
    assert not long, f"modules over 700 lines: {long}"


def test_every_file_of_the_package_names_its_job_in_docs_layout():
    # docs/layout.rst, "Every file's one job": one line per module, no more.
    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "layout.rst").read_text()
    section = text[text.index("Every file's one job") :]
    listed = set(re.findall(r"^- ``(skgen/[\w/]+\.py)``: \S", section, flags=re.M))
    files = {p.relative_to(root).as_posix() for p in (root / "skgen").rglob("*.py")}
    assert files - listed == set(), "add these files to docs/layout.rst"
    assert listed - files == set(), "these files are gone: remove them from docs/layout.rst"
