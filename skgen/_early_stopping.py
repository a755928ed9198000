"""Early stopping's parameters and held-out records, shared by both generators.

scikit-learn's names: ``early_stopping``, ``validation_fraction``,
``n_iter_no_change`` and ``tol`` (as in ``MLPRegressor``); the stopping rule
itself is :class:`skgen.nn._training.EarlyStopping`.
"""

import numbers

import numpy as np

from ._constraints import Number, at_least

__all__ = ["EARLY_STOPPING_CONSTRAINTS", "validation_split"]

#: ``_parameter_constraints`` entries of the early-stopping parameters.
EARLY_STOPPING_CONSTRAINTS = {
    "early_stopping": ["boolean"],
    "validation_fraction": [Number(numbers.Real, 0, 1, closed="neither")],
    "n_iter_no_change": [at_least(1)],
    "tol": [at_least(0, numbers.Real)],
}


def validation_split(n_records, seed, early_stopping, validation_fraction):
    """Training and held-out record indices, seeded by ``seed``.

    Without ``early_stopping`` every record trains and none is held out.
    Otherwise ``validation_fraction`` of them (at least one) is held out,
    drawn at random; at least one record must remain for training.

    Returns
    -------
    train, validation : ndarray of int
        Sorted record indices.

    Raises
    ------
    ValueError
        Too few records to hold one out and train on another.

    Examples
    --------
    >>> validation_split(4, 0, False, 0.5)[1]
    array([], dtype=int64)
    >>> [len(rows) for rows in validation_split(10, 0, True, 0.2)]
    [8, 2]
    """
    rows = np.arange(n_records)
    if not early_stopping:
        return rows, rows[:0]
    n_validation = max(1, int(round(validation_fraction * n_records)))
    if n_validation >= n_records:
        raise ValueError(
            f"early_stopping needs at least 2 records (one to train on, one held "
            f"out), got {n_records} with validation_fraction={validation_fraction}."
        )
    order = np.random.RandomState(seed).permutation(n_records)
    return np.sort(order[n_validation:]), np.sort(order[:n_validation])
