"""Declared parameter constraints (scikit-learn's ``_parameter_constraints``).

scikit-learn's :class:`~sklearn.utils._param_validation.Interval` takes
``True`` for the integer 1; skgen's estimators refuse booleans where a number
is meant (``e_layers=True`` is a mistake, not one layer).
"""

import numbers

from sklearn.utils._param_validation import Interval

__all__ = ["Number", "at_least", "positive"]


class Number(Interval):
    """An :class:`~sklearn.utils._param_validation.Interval` that refuses booleans."""

    def is_satisfied_by(self, val):
        return not isinstance(val, bool) and super().is_satisfied_by(val)


def at_least(low, kind=numbers.Integral):
    """Numbers ``>= low`` (integers by default)."""
    return Number(kind, low, None, closed="left")


def positive(kind=numbers.Real):
    """Numbers ``> 0`` (reals by default)."""
    return Number(kind, 0, None, closed="neither")
