"""What both generators share: input validation, the station bank, sampling.

A generator learns a network in ``fit`` and then keeps, per station, whatever
its sampler needs (the *station bank*). Subclasses provide three hooks:

``_train(X, stations, rng, checkpoint) -> dict``
    Train the network on validated records and return the fitted attributes
    (names ending in ``_``). Must not set attributes on ``self``. Passes
    ``checkpoint`` (a :class:`skgen.nn._training.Checkpoint` or None) on to
    ``train_epochs`` so an interrupted fit can resume.
``_encode_records(X, stations) -> dict[str, ndarray]``
    Encode records with frozen weights into bank entries; every array has the
    records along its first axis.
``_generate(entry, n_samples, rng) -> ndarray (n_samples, n_channels, n_times)``
    Draw new records from one station's bank entry; a generator with a
    sampler also receives it, as ``sampler=`` (see ``_resolve_sampler``).
``_generate_near(entry, n_samples, rng, scenario)`` (optional)
    Draw records that favour the entry's records near a target scenario and
    return them with the scenario each was drawn from (and the spectrum each
    should have, if known) (see
    :meth:`BaseStationGenerator._generate_near`); the base class then scales
    them to the target with the bank's ground-motion model.
``_resolve_sampler(sampler)`` (optional)
    The sampler of a ``sample`` call (``sample(..., sampler=...)`` or the
    generator's own), passed to the two hooks above; the default refuses a
    sampler and returns None (the hooks then get none).
``_build_module() -> torch.nn.Module``
    A new network shaped for this generator's parameters and fitted
    attributes (``n_channels_``, ``n_times_``, ...); ``skgen.load`` fills it
    with saved weights.

Everything else (input validation, atomic fit, ``add_stations``,
``sample``, ``score``, ``save``) lives here once; the bank, early
stopping, the fit's identity (checkpoint and cache), pickling and the model
file have their own modules.
"""

import copy

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ._bank import bank_ground_motion_model, merge_into_bank
from ._distributed import broadcast_object, is_main_process, process_group
from ._early_stopping import validation_split
from ._model_file import write_model
from ._network_fit import fit_checkpoint, train_network
from ._pickling import TorchPickleMixin
from ._scenario import check_record_scenarios, check_scenario, warn_outside_pool
from ._torch_utils import resolve_device
from ._validation import check_count, check_records, check_stations, plain_label
from .ground_motion import log_fourier_amplitude, model_frequencies, scale_to_scenario

__all__ = ["BaseStationGenerator"]

_MAX_LISTED_STATIONS = 20


class BaseStationGenerator(TorchPickleMixin, BaseEstimator):
    """Shared machinery of the station-conditioned generators.

    Not used directly: see :class:`skgen.TimesNetGenerator` and
    :class:`skgen.SpectrogramCVAEGenerator`.
    """

    # Declared constraints of the constructor parameters, checked by
    # ``_validate_params`` at the start of ``fit`` (scikit-learn's mechanism).
    _parameter_constraints = {}

    # Parameters that model files written before they existed lack, with the
    # values that reproduce what those files did when saved (skgen.load).
    _params_of_older_files = {}

    @classmethod
    def _params_from_file(cls, params):
        """Constructor parameters for a model file's stored ``params``."""
        return {**cls._params_of_older_files, **params}

    # -- fitting ---------------------------------------------------------
    def fit(self, X, stations, *, magnitude=None, distance=None):
        """Train the network and build the station bank.

        Parameters
        ----------
        X : array-like of shape (n_records, 3, n_times)
            Accelerograms, channels in E, N, U order. A 2-D array
            ``(n_records, n_times)`` is read as single-channel records.
        stations : array-like of shape (n_records,)
            Station label of each record.
        magnitude, distance : array-like of shape (n_records,), default=None
            Moment magnitude and hypocentral distance (km) of each record's
            event, kept in the bank for scenario sampling (docs/scenario.rst);
            both or neither. They do not change the training.

        Returns
        -------
        self : object
            The fitted generator.

        Raises
        ------
        ValueError, TypeError
            Invalid records or labels, raised before any training.

        Notes
        -----
        Under ``torchrun`` (``RANK``, ``WORLD_SIZE`` and ``LOCAL_RANK`` set)
        the network trains data-parallel, one process per CPU or GPU, and
        every process ends with the same fitted generator; ``batch_size``
        stays the global batch. See the "Scaling out" documentation page.
        """
        self._validate_params()
        checked, stations = self._check_fit_input(X, stations)
        scenarios = check_record_scenarios(magnitude, distance, len(checked))
        input_ndim = np.ndim(X)  # safe only after validation (ragged input)
        X = checked
        rng = check_random_state(self.random_state)
        checkpoint = fit_checkpoint(self, X, stations)
        previous = dict(self.__dict__)
        try:
            # An interrupted fit (exception or Ctrl-C) restores the previous
            # state: never a half-built bank or weights that disagree with it.
            # n_features_in_ is X.shape[1] as given (sklearn's meaning): the
            # channel count for 3-D input, the sample count for 2-D input.
            validate_data(
                self,
                X[:, 0, :] if input_ndim == 2 else X,
                reset=True,
                skip_check_array=True,
            )
            self.n_channels_ = X.shape[1]
            self.n_times_ = X.shape[2]
            self.device_ = resolve_device(getattr(self, "device", "cpu"))
            with process_group(self.device_):
                # Under torchrun every rank draws rank 0's seeds: the same
                # initial weights and the same shuffling.
                rng = broadcast_object(rng)
                self.__dict__.update(train_network(self, X, stations, rng, checkpoint))
            self._freeze_modules()
            self.bank_ = {}
            self._extend_bank(X, stations, scenarios=scenarios)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(previous)
            raise
        if checkpoint is not None and is_main_process():
            checkpoint.remove()
        return self

    def _freeze_modules(self):
        """Fitted networks are used for inference only: no gradients."""
        for name in self._torch_attributes:
            getattr(self, name).eval().requires_grad_(False)

    def _validation_split(self, n_records, seed):
        """Training and held-out record indices (:func:`validation_split`)."""
        return validation_split(n_records, seed, self.early_stopping, self.validation_fraction)

    def _check_fit_input(self, X, stations):
        n_times = getattr(self, "n_times", None)
        X = check_records(X, n_times=n_times)
        stations = check_stations(stations, X.shape[0])
        return X, stations

    def add_stations(self, X, stations, *, magnitude=None, distance=None):
        """Register records in the station bank with frozen weights.

        New stations appear; known stations gain records. No gradient step is
        taken, so a model trained on one region generates for stations of
        another (the paper's AFAD -> NGA-West2 protocol).

        Parameters
        ----------
        X : array-like of shape (n_records, 3, n_times)
            Records to encode.
        stations : array-like of shape (n_records,)
            Station label of each record.
        magnitude, distance : array-like of shape (n_records,), default=None
            Scenario of each record (as in :meth:`fit`).

        Returns
        -------
        self : object
        """
        X, stations = self._check_input(X, stations)
        scenarios = check_record_scenarios(magnitude, distance, len(X))
        bank = {label: dict(entry) for label, entry in self.bank_.items()}
        self._extend_bank(X, stations, bank=bank, scenarios=scenarios)
        self.bank_ = bank
        return self

    def with_bank(self, X, stations, *, magnitude=None, distance=None):
        """Return a copy whose bank holds exactly these records for their stations.

        The weights are shared, not copied, and ``self`` is left unchanged.
        Stations not in ``stations`` keep their current bank entries. Scorers
        use this to build each station's pool from held-out records.

        Parameters
        ----------
        X : array-like of shape (n_records, 3, n_times)
        stations : array-like of shape (n_records,)
        magnitude, distance : array-like of shape (n_records,), default=None
            Scenario of each record (as in :meth:`fit`).

        Returns
        -------
        generator : same type as self
        """
        X, stations = self._check_input(X, stations)
        scenarios = check_record_scenarios(magnitude, distance, len(X))
        bank = dict(self.bank_)
        for label in dict.fromkeys(stations):
            bank.pop(label, None)
        self._extend_bank(X, stations, bank=bank, scenarios=scenarios)
        other = copy.copy(self)
        other.bank_ = bank
        return other

    def _check_fitted_records(self, X):
        """Records validated against the fitted layout (channels, samples)."""
        check_is_fitted(self)
        return check_records(X, n_channels=self.n_channels_, n_times=self.n_times_)

    def _check_input(self, X, stations):
        X = self._check_fitted_records(X)
        return X, check_stations(stations, X.shape[0])

    def _extend_bank(self, X, stations, bank=None, scenarios=None):
        bank = self.bank_ if bank is None else bank
        encoded = self._encode_records(X, stations)
        # What scenario sampling needs of every record: its event (NaN when
        # unknown) and its smoothed log Fourier amplitude for the
        # ground-motion model (docs/scenario.rst).
        if scenarios is None:
            scenarios = check_record_scenarios(None, None, len(X))
        encoded["magnitude"], encoded["distance"] = scenarios
        encoded["log_fas"] = log_fourier_amplitude(
            X, self.fs, model_frequencies(self.fs, self.n_times_)
        )
        return merge_into_bank(bank, encoded, stations)

    @property
    def stations_(self):
        """ndarray of shape (n_stations,): the stations of the bank, in order
        of registration."""
        return np.array(list(self.bank_), dtype=object)

    # -- generation ------------------------------------------------------
    def sample(
        self,
        station,
        n_samples=1,
        random_state=None,
        *,
        sampler=None,
        magnitude=None,
        distance=None,
    ):
        """Generate new records for one station, optionally for a scenario.

        Parameters
        ----------
        station : str or int
            A station of the bank (``stations_``).
        n_samples : int, default=1
            Number of records to generate.
        random_state : int, RandomState instance or None, default=None
            Seed of the draws; the same seed gives the same records.
        sampler : sampler object, default=None
            Draw with this sampler (e.g. :meth:`skgen.MixingSampler.paper`)
            instead of the generator's ``sampler`` parameter, leaving the
            generator unchanged; generators with a sampler only.
        magnitude, distance : float, default=None
            Target scenario: moment magnitude and hypocentral distance (km),
            both or neither. The station's records near the scenario are
            favoured and the result is scaled to it by the bank's
            ground-motion model (docs/scenario.rst); needs the station's
            records registered with their magnitude and distance. Without a
            scenario the station's records are drawn as before.

        Returns
        -------
        X : ndarray of shape (n_samples, 3, n_times), float32

        Raises
        ------
        ValueError
            Unknown station (the message lists the known ones),
            ``n_samples < 1``, an invalid sampler or scenario, or a scenario
            for a station whose records have none.
        TypeError
            A sampler given to a generator that has none.

        Warns
        -----
        UserWarning
            A scenario outside the range of the station's records (the
            message says how far).
        """
        check_is_fitted(self)
        label = self._check_station(station)
        n_samples = check_count(n_samples)
        scenario = check_scenario(magnitude, distance)
        sampler = self._resolve_sampler(sampler)
        options = {} if sampler is None else {"sampler": sampler}
        rng = check_random_state(random_state)
        entry = self.bank_[label]
        if scenario is None:
            return self._generate(entry, n_samples, rng, **options)
        if getattr(self, "fs", None) is None:
            raise ValueError("Scenario sampling needs the sampling rate: set fs.")
        if "magnitude" not in entry or np.isnan(entry["magnitude"]).any():
            raise ValueError(
                f"Station {label!r} has records without magnitude and distance; register "
                "them with fit/add_stations(..., magnitude=..., distance=...) to sample "
                "a scenario."
            )
        warn_outside_pool(label, entry["magnitude"], entry["distance"], scenario)
        model = self.ground_motion_model()
        X, source_magnitude, source_distance, intended = self._generate_near(
            entry, n_samples, rng, scenario, **options
        )
        return scale_to_scenario(
            X, self.fs, model, (source_magnitude, source_distance), scenario, intended
        )

    def _resolve_sampler(self, sampler):
        """The sampler of a ``sample`` call: none for a generator without one."""
        if sampler is not None:
            raise TypeError(
                f"{type(self).__name__} draws from its own latent distribution and takes "
                "no sampler."
            )
        return None

    def _generate_near(self, entry, n_samples, rng, scenario, **options):
        """Records for ``scenario`` before scaling, with their own scenarios.

        The default draws as without a scenario and takes the station's
        average event (mean magnitude, geometric-mean distance) as the
        source of every record; a generator that can favour the records near
        the scenario overrides it.

        Returns
        -------
        X : ndarray of shape (n_samples, n_channels, n_times)
        magnitude, distance : ndarray of shape (n_samples,)
            The scenario each record stands for.
        intended : ndarray of shape (n_samples, n_channels, n_frequencies) or None
            The log Fourier amplitude each record should have at its own
            scenario (``log_fourier_amplitude`` on the model's frequencies),
            when the generator knows it: the gain then also corrects the
            record towards it (:func:`skgen.ground_motion.spectral_correction`).
            None here.
        """
        X = self._generate(entry, n_samples, rng, **options)
        magnitude = np.full(n_samples, np.mean(entry["magnitude"]))
        distance = np.full(n_samples, np.exp(np.mean(np.log(entry["distance"]))))
        return X, magnitude, distance, None

    def ground_motion_model(self):
        """The ground-motion model of the bank's records with a scenario.

        ``ln FAS(f) = a_s(f) + b(f) M + c(f) ln R`` per channel and frequency
        (:func:`skgen.ground_motion.model_frequencies`), with a term per
        station, fitted to every record of the bank registered with its
        magnitude and distance; ``sample`` scales to a scenario with it.

        Returns
        -------
        model : skgen.ground_motion.GroundMotionModel
            ``coef_`` of shape (2, n_channels, n_frequencies).

        Raises
        ------
        ValueError
            No record of the bank has a magnitude and distance.
        """
        check_is_fitted(self)
        return bank_ground_motion_model(self.bank_)

    def _check_station(self, station):
        try:
            hash(station)
        except TypeError:
            raise TypeError(
                f"station must be a single label, got {type(station).__name__}."
            ) from None
        label = plain_label(station)
        if label not in self.bank_:
            known = [repr(s) for s in self.stations_[:_MAX_LISTED_STATIONS]]
            more = len(self.stations_) - len(known)
            listing = ", ".join(known) + (f" and {more} more" if more > 0 else "")
            raise ValueError(
                f"Unknown station {station!r}; known stations: {listing}. "
                "Register new stations with add_stations()."
            )
        return label

    def score(self, X, stations):
        """HVSR alignment of generated and real records (greater is better).

        Uses :class:`skgen.HVSRAlignmentScorer` with its defaults, so
        ``GridSearchCV`` needs no ``scoring`` argument.

        Parameters
        ----------
        X : array-like of shape (n_records, 3, n_times)
        stations : array-like of shape (n_records,)

        Returns
        -------
        score : float
        """
        from .scoring import HVSRAlignmentScorer

        return HVSRAlignmentScorer()(self, X, stations)

    # -- persistence -----------------------------------------------------
    def save(self, path):
        """Write the fitted generator to a safe model file.

        Weights, parameters and the station bank are stored as plain data;
        :func:`skgen.load` reads them back without executing code. The write
        is atomic: a failure leaves any previous file at ``path`` intact.

        Parameters
        ----------
        path : str or path-like
            Destination file, conventionally ending in ``.skgen``.
        """
        write_model(self, path)

    # -- sklearn and pickling -------------------------------------------
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.required = True
        return tags
