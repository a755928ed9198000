"""skgen: site-specific earthquake strong-motion generation with a scikit-learn API."""

__version__ = "0.1.0"

__all__ = ["__version__"]
