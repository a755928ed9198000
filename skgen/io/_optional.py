"""Optional dependencies of some containers, with an error naming their extra."""

import importlib

# module -> the pip extra of skgen that installs it
EXTRAS = {"pyasdf": "asdf", "h5py": "seisbench"}


def require(module):
    """Import ``module`` or raise an ImportError naming the skgen extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = EXTRAS[module]
        raise ImportError(
            f"this format needs {module}; install it with pip install 'skgen[{extra}]'."
        ) from exc
