"""Scenario evaluation: does a generator given an earthquake's magnitude and
distance produce that earthquake's spectrum at the station?

Each station's records are split into a pool (registered with their
magnitude and distance on a copy of the generator) and held-out records.
For every held-out record the generator samples at that record's own
scenario, and its response spectrum is compared with the record's. Two
references in the same run: the same generator without a scenario, and the
ground-motion model alone (a per-period regression of ln PSA on magnitude
and ln distance with station terms, fitted to the pool records). See
docs/scenario.rst.
"""

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.utils import check_random_state

from .._scenario import check_record_scenarios
from .._validation import check_frequencies, check_positive, seed_from
from ..ground_motion import GroundMotionModel
from ..signal import horizontal_geometric_mean, hvsr, peak_frequency, response_spectrum
from ._f0 import f0_alignment_score
from ._protocol import check_generator, check_protocol_params, check_scored_records, split_stations

__all__ = ["SCENARIO_PERIODS", "ScenarioErrors", "scenario_errors"]

#: Periods (s) of the scenario evaluation: 20 log-spaced from 0.05 to 2 s.
SCENARIO_PERIODS = np.geomspace(0.05, 2.0, 20)


@dataclass(frozen=True)
class ScenarioErrors:
    """Per held-out record ln PSA errors of one scenario evaluation.

    Attributes
    ----------
    periods : ndarray of shape (n_periods,)
    rows : ndarray of shape (n_held_out,)
        Row of each held-out record in the scored ``X``.
    stations : ndarray of shape (n_held_out,)
    conditioned, unconditioned, gmm : ndarray of shape (n_held_out,)
        Mean over periods of ``|ln PSA_pred - ln PSA_real|`` (horizontal
        geometric mean, 5 % damping): generated at the record's scenario,
        generated without one, and the ground-motion model's median. For
        generated records the prediction is the geometric mean over the
        ``n_samples`` drawn.
    outside : ndarray of shape (n_held_out,), bool
        The record's scenario lay outside its station's pool range.
    f0_alignment, f0_ceiling : float
        f0 alignment of the conditioned records with the held-out records,
        and of the pool records with them (the real-vs-real ceiling).
    """

    periods: np.ndarray
    rows: np.ndarray
    stations: np.ndarray
    conditioned: np.ndarray
    unconditioned: np.ndarray
    gmm: np.ndarray
    outside: np.ndarray
    f0_alignment: float
    f0_ceiling: float

    def summary(self):
        """Means over held-out records, as a JSON-safe dict."""
        return {
            "conditioned": float(np.mean(self.conditioned)),
            "unconditioned": float(np.mean(self.unconditioned)),
            "gmm": float(np.mean(self.gmm)),
            "ratio": float(np.mean(self.conditioned) / np.mean(self.unconditioned)),
            "f0_alignment": float(self.f0_alignment),
            "f0_ceiling": float(self.f0_ceiling),
            "n_records": int(len(self.rows)),
            "n_outside": int(np.sum(self.outside)),
        }


def _f0(records, fs):
    centers, curves = hvsr(records, fs)
    return np.asarray(peak_frequency(centers, curves)[0], dtype=float)


def scenario_errors(
    estimator,
    X,
    stations,
    magnitude,
    distance,
    *,
    periods=None,
    reference_split=0.5,
    n_samples=1,
    random_state=None,
    fs=None,
):
    """ln PSA error of scenario-conditioned generation on held-out records.

    Parameters
    ----------
    estimator : fitted generator
        Anything with ``with_bank(X, stations, magnitude=, distance=)`` and
        ``sample(station, n, magnitude=, distance=, random_state=)``; it is
        not modified.
    X : array-like of shape (n_records, 3, n_times)
    stations : array-like of shape (n_records,)
    magnitude, distance : array-like of shape (n_records,)
        Each record's moment magnitude and hypocentral distance (km).
    periods : array-like of shape (n_periods,), default=None
        Oscillator periods (s); ``None`` uses :data:`SCENARIO_PERIODS`.
    reference_split : float in (0, 1), default=0.5
        Fraction of each station's records in its pool.
    n_samples : int, default=1
        Records generated per held-out record and mode.
    random_state : int, RandomState instance or None, default=None
        Seeds the split and the generation.
    fs : float, default=None
        Sampling rate; ``None`` uses ``estimator.fs``.

    Returns
    -------
    errors : ScenarioErrors
    """
    check_generator(estimator)
    check_protocol_params(reference_split, n_samples)
    if reference_split is None:
        raise ValueError("scenario_errors needs held-out records: reference_split in (0, 1).")
    X, stations = check_scored_records(X, stations, reference_split)
    if magnitude is None or distance is None:
        raise ValueError("scenario_errors needs each record's magnitude and distance.")
    magnitude, distance = check_record_scenarios(magnitude, distance, len(X))
    periods = (
        SCENARIO_PERIODS
        if periods is None
        else check_frequencies(periods, "periods", allow_zero=False)
    )
    fs = check_positive(fs if fs is not None else estimator.fs, "fs")
    rng = check_random_state(random_state)
    split = split_stations(stations, reference_split, rng)
    pool = np.concatenate([split.pool[label] for label in split.labels])
    generator = estimator.with_bank(
        X[pool], stations[pool], magnitude=magnitude[pool], distance=distance[pool]
    )

    def ln_psa(records):
        return np.log(horizontal_geometric_mean(response_spectrum(records, fs, periods), axis=-2))

    real = ln_psa(X)
    gmm = GroundMotionModel().fit(real[pool], magnitude[pool], distance[pool], stations[pool])
    rows, labels, errors, outside, generated_f0 = [], [], {}, [], []
    for mode in ("conditioned", "unconditioned", "gmm"):
        errors[mode] = []
    for label in split.labels:
        station_f0 = []
        for row in split.held_out[label]:
            seed = seed_from(rng)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                near = generator.sample(
                    label,
                    n_samples,
                    magnitude=magnitude[row],
                    distance=distance[row],
                    random_state=seed,
                )
            plain = generator.sample(label, n_samples, random_state=seed)
            station_f0.append(_f0(near, fs))
            predicted = {
                "conditioned": ln_psa(near).mean(axis=0),
                "unconditioned": ln_psa(plain).mean(axis=0),
                "gmm": gmm.predict(magnitude[[row]], distance[[row]], [label])[0],
            }
            for mode, value in predicted.items():
                errors[mode].append(float(np.mean(np.abs(value - real[row]))))
            outside.append(any("outside the range" in str(w.message) for w in caught))
            rows.append(row)
            labels.append(label)
        generated_f0.append(np.concatenate(station_f0))
    f0_real = _f0(X, fs)
    held = [f0_real[split.held_out[label]] for label in split.labels]
    return ScenarioErrors(
        periods=np.asarray(periods, dtype=float),
        rows=np.asarray(rows),
        stations=np.asarray(labels, dtype=object),
        conditioned=np.asarray(errors["conditioned"]),
        unconditioned=np.asarray(errors["unconditioned"]),
        gmm=np.asarray(errors["gmm"]),
        outside=np.asarray(outside, dtype=bool),
        f0_alignment=f0_alignment_score(held, generated_f0),
        f0_ceiling=f0_alignment_score(held, [f0_real[split.pool[label]] for label in split.labels]),
    )
