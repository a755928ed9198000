"""The station bank: per station, what a generator's sampler draws from.

A bank maps each station label to a dict of arrays with the station's
records along their first axis (the encoded records and, for scenario
sampling, each record's magnitude, distance and smoothed log Fourier
amplitude). numpy only.
"""

import numpy as np

from .ground_motion import GroundMotionModel

__all__ = ["bank_ground_motion_model", "merge_into_bank"]


def merge_into_bank(bank, encoded, stations):
    """Add encoded records to ``bank`` (in place), station by station.

    New stations appear in order of first appearance; known stations gain
    the records after their own.

    Parameters
    ----------
    bank : dict
        Station label -> entry; modified in place (pass a copy to keep the
        original).
    encoded : dict of str to ndarray
        Entries of every record, records along the first axis.
    stations : ndarray of shape (n_records,)
        Station of each record.

    Returns
    -------
    bank : dict

    Examples
    --------
    >>> import numpy as np
    >>> bank = merge_into_bank({}, {"x": np.array([1, 2, 3])}, np.array(["A", "B", "A"]))
    >>> merge_into_bank(bank, {"x": np.array([4])}, np.array(["A"]))["A"]["x"]
    array([1, 3, 4])
    """
    for label in dict.fromkeys(stations):
        rows = np.flatnonzero(stations == label)
        new = {key: value[rows] for key, value in encoded.items()}
        if label in bank:
            old = dict(bank[label])
            n_old = len(next(iter(old.values())))
            for key in new.keys() - old.keys():
                # Entries of model files from before scenarios lack
                # their keys: those records have no known event (NaN).
                old[key] = np.full((n_old,) + new[key].shape[1:], np.nan, new[key].dtype)
            new = {key: np.concatenate([old[key], value]) for key, value in new.items()}
        bank[label] = new
    return bank


def bank_ground_motion_model(bank):
    """The ground-motion model of a bank's records with a known scenario.

    Fitted to the ``log_fas`` of every record registered with its
    magnitude and distance, with a term per station.

    Returns
    -------
    model : skgen.ground_motion.GroundMotionModel

    Raises
    ------
    ValueError
        No record of the bank has a magnitude and distance.
    """
    parts = []
    for label, entry in bank.items():
        known = np.isfinite(entry.get("magnitude", np.array([np.nan])))
        if known.any():
            parts.append((label, entry, known))
    if not parts:
        raise ValueError(
            "No record of the bank has a magnitude and distance; pass them to fit, "
            "add_stations or with_bank to use scenarios."
        )
    return GroundMotionModel().fit(
        np.concatenate([entry["log_fas"][known] for _, entry, known in parts]),
        np.concatenate([entry["magnitude"][known] for _, entry, known in parts]),
        np.concatenate([entry["distance"][known] for _, entry, known in parts]),
        np.concatenate([np.full(known.sum(), label, dtype=object) for label, _, known in parts]),
    )
