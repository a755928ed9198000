"""The package's layers run one way (docs/layout.rst).

Module-level imports only: an estimator may import its scorer inside
``score`` (as scikit-learn's ``BaseEstimator.score`` does), which is not a
top-level dependency.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "skgen"

# Lower number = lower layer. A module may import only its own layer or lower.
LAYERS = {
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


def _module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _top_level_imports(path):
    """Names of the modules imported by statements at module level."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            # ``from . import x`` and ``from .pkg import module`` name modules too.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                if (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py").exists():
                    found.add(candidate)
    return found


def _layer(module):
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return prefix, LAYERS[prefix]
    return None, None


MODULES = {
    _module_name(path): _top_level_imports(path)
    for path in sorted(PACKAGE.rglob("*.py"))
    if _module_name(path) != "skgen"
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_one_way(module):
    own_prefix, own_layer = _layer(module)
    assert own_prefix is not None, f"{module} is not assigned a layer in LAYERS"
    for target in MODULES[module]:
        prefix, layer = _layer(target)
        if prefix is None or prefix == own_prefix:
            continue
        assert layer <= own_layer, f"{module} (layer {own_layer}) imports {target} (layer {layer})"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith(TORCH_FREE)))
def test_numpy_layers_import_no_torch(module):
    heavy = {t for t in MODULES[module] if t.split(".")[0] == "torch"}
    assert not heavy, f"{module} imports {sorted(heavy)} at module level"


def test_no_import_cycle():
    graph = {m: {t for t in targets if t in MODULES and t != m} for m, targets in MODULES.items()}
    visiting, done = set(), set()

    def visit(module, trail):
        if module in done:
            return
        assert module not in visiting, "import cycle: " + " -> ".join(trail + [module])
        visiting.add(module)
        for target in sorted(graph[module]):
            visit(target, trail + [module])
        visiting.discard(module)
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_no_module_over_700_lines():
    long = {
        _module_name(p): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 700
    }
    assert not long, f"modules over 700 lines: {long}"
