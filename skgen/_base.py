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
    Draw new records from one station's bank entry.
``_build_module() -> torch.nn.Module``
    A new network shaped for this generator's parameters and fitted
    attributes (``n_channels_``, ``n_times_``, ...); ``skgen.load`` fills it
    with saved weights.

Everything else (validation, atomic fit, ``add_stations``, ``sample``,
``score``, pickling) lives here once.
"""

import copy
import hashlib
import numbers
import warnings
from contextlib import contextmanager

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state, check_scalar
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ._distributed import broadcast_object, is_main_process, process_group
from .nn._training import Checkpoint

__all__ = ["BaseStationGenerator", "check_parameter", "check_records", "check_stations"]

_MAX_LISTED_STATIONS = 20


def _label_kind(label):
    """Return 'str', 'int' or 'float' for a valid station label."""
    if isinstance(label, (str, np.str_)):
        return "str"
    if isinstance(label, (bool, np.bool_)):
        return "bool"
    if isinstance(label, numbers.Integral):
        return "int"
    if isinstance(label, numbers.Real):
        return "float"
    return None


def _plain_label(label):
    """Station labels as plain Python objects (``np.str_`` -> ``str``)."""
    kind = _label_kind(label)
    if kind == "str":
        return str(label)
    if kind == "int":
        return int(label)
    if kind == "float":
        return float(label)
    return label


def check_stations(stations, n_records, name="stations"):
    """Validate station labels and return them as a 1-D object array.

    Parameters
    ----------
    stations : array-like of shape (n_records,)
        One label per record: all strings, or all integers, or all floats.
    n_records : int
        Number of records the labels belong to.
    name : str, default="stations"
        Argument name used in error messages.

    Returns
    -------
    stations : ndarray of shape (n_records,), dtype object
        Plain Python labels (``str``, ``int`` or ``float``).

    Raises
    ------
    TypeError
        Unhashable, missing, boolean or mixed-type labels.
    ValueError
        Not 1-D, or a length different from ``n_records``.
    """
    if stations is None:
        raise ValueError(
            f"{name} is required, one station label per record. Expected "
            "array-like (array or non-string sequence), got None."
        )
    if isinstance(stations, (str, bytes)) or np.ndim(stations) == 0:
        raise TypeError(
            f"{name} must be a 1-D sequence of labels, one per record; "
            f"got {type(stations).__name__}."
        )
    labels = list(stations)
    if np.ndim(np.asarray(stations, dtype=object)) != 1:
        raise ValueError(f"{name} must be 1-D (one label per record).")
    if len(labels) != n_records:
        raise ValueError(
            f"{name} has {len(labels)} labels but X has {n_records} records; "
            "give one station label per record."
        )
    kinds = set()
    for label in labels:
        kind = _label_kind(label)
        if kind is None or kind == "bool":
            raise TypeError(
                f"{name} labels must be strings or numbers; got "
                f"{type(label).__name__} ({label!r})."
            )
        if kind == "float" and not np.isfinite(label):
            raise ValueError(f"{name} contains a non-finite label ({label!r}).")
        kinds.add(kind)
    if len(kinds) > 1:
        raise TypeError(
            f"{name} mixes label types ({', '.join(sorted(kinds))}); use one "
            "type for all station labels, e.g. all strings."
        )
    out = np.empty(len(labels), dtype=object)
    out[:] = [_plain_label(label) for label in labels]
    return out


def check_records(X, *, name="X", n_channels=None, n_times=None, min_records=1):
    """Validate an array of records and return a float32 copy.

    Parameters
    ----------
    X : array-like of shape (n_records, n_channels, n_times) or (n_records, n_times)
        Records; a 2-D array is read as single-channel records.
    name : str, default="X"
        Argument name used in error messages.
    n_channels, n_times : int or None
        Required number of channels and samples, if known.
    min_records : int, default=1
        Smallest accepted number of records.

    Returns
    -------
    X : ndarray of shape (n_records, n_channels, n_times), float32
        A new array; the caller's array is never modified.

    Raises
    ------
    TypeError
        ``X`` is None, a string, or holds values that are not numbers.
    ValueError
        Wrong number of dimensions, channels or samples, fewer than
        ``min_records`` records, NaN, inf, complex or non-numeric strings;
        the message starts with ``name``.
    """
    if isinstance(X, (str, bytes)):
        raise TypeError(f"{name} must be a numeric array, got a string.")
    if X is None:
        raise TypeError(f"{name} must be a numeric array of records, got None.")
    # sklearn's checks give the standard messages for sparse, complex,
    # object and non-finite input; the record-specific checks follow.
    try:
        arr = check_array(
            X, ensure_2d=False, allow_nd=True, dtype=np.float32, copy=True,
            ensure_min_samples=min_records, input_name=name,
        )
    except (TypeError, ValueError) as exc:
        if str(exc).startswith(f"Input {name} "):
            raise
        # Messages such as "could not convert string to float" or "Found
        # array with 0 sample(s)" do not say which argument is wrong.
        raise type(exc)(f"{name} is not a valid array of records: {exc}") from exc
    if arr.ndim == 2:
        arr = arr[:, np.newaxis, :]
    if arr.ndim != 3:
        raise ValueError(
            f"{name} must have shape (n_records, n_channels, n_times) or "
            f"(n_records, n_times); got an array with {arr.ndim} dimension(s), "
            f"shape {arr.shape}."
        )
    if arr.shape[2] == 0:
        raise ValueError(f"{name} has records with 0 samples.")
    if n_channels is not None and arr.shape[1] != n_channels:
        raise ValueError(
            f"{name} has {arr.shape[1]} channel(s) per record; this model "
            f"expects {n_channels} (E, N, U order for 3-component records)."
        )
    if n_times is not None and arr.shape[2] != n_times:
        problem = "shorter" if arr.shape[2] < n_times else "longer"
        raise ValueError(
            f"{name} records have {arr.shape[2]} samples, {problem} than the "
            f"model's n_times={n_times}; crop or zero-pad them first "
            "(skgen.io.fix_length)."
        )
    return arr


def check_parameter(value, name, target_type, min_val=None, max_val=None,
                    include_boundaries="both", allow_inf=False):
    """Validate a scalar hyperparameter: :func:`sklearn.utils.check_scalar`,
    made strict where it is lenient.

    ``check_scalar`` accepts ``True`` as an integer and NaN or infinity as a
    real number; a learning rate of NaN would train silently to garbage.

    Parameters
    ----------
    value : object
    name : str
        Parameter name for the messages.
    target_type : type or tuple of types
        ``numbers.Integral`` or ``numbers.Real``.
    min_val, max_val, include_boundaries
        As in :func:`sklearn.utils.check_scalar`.
    allow_inf : bool, default=False
        Accept +inf (e.g. ``dirichlet_alpha=np.inf``: equal weights).

    Raises
    ------
    TypeError, ValueError
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number, not a bool ({value!r}).")
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        if np.isnan(value) or (np.isinf(value) and not (allow_inf and value > 0)):
            raise ValueError(f"{name} must be finite, got {value}.")
    check_scalar(value, name, target_type, min_val=min_val, max_val=max_val,
                 include_boundaries=include_boundaries)
    return value


def check_positive(value, name):
    """Validate a positive, finite real number (a sampling rate, a
    bandwidth, a frequency); returns it as a ``float``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}.")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be positive and finite, got {float(value)}.")
    return float(value)


def check_count(value, name="n_samples"):
    """Validate a count that must be a positive integer (``n_samples``,
    ``n_times``); returns it as an ``int``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}.")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}.")
    return int(value)


def resolve_device(device):
    """Turn ``"auto"``/``"cpu"``/``"cuda"``/``"cuda:N"`` into a ``torch.device``."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError):
        raise ValueError(
            f"device must be 'cpu', 'cuda', 'cuda:N' or 'auto'; got {device!r}."
        ) from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} but no CUDA device is available; use "
            "device='cpu' or device='auto'."
        )
    return dev


def usable_device(device, source):
    """Where to run a generator fitted on ``device`` on this machine.

    The same device when it exists; otherwise the CPU (no CUDA) or the first
    GPU (a GPU index this machine lacks), with a ``RuntimeWarning`` naming
    ``source`` -- never an error, so models travel between machines.
    """
    device = torch.device(device)
    if device.type != "cuda":
        return device
    if not torch.cuda.is_available():
        warnings.warn(
            f"{source} was fitted on CUDA but no CUDA device is available; "
            "it will run on the CPU.",
            RuntimeWarning,
            stacklevel=3,
        )
        return torch.device("cpu")
    if device.index is not None and device.index >= torch.cuda.device_count():
        warnings.warn(
            f"{source} was fitted on {device} but this machine has "
            f"{torch.cuda.device_count()} CUDA device(s); it will run on cuda:0.",
            RuntimeWarning,
            stacklevel=3,
        )
        return torch.device("cuda", 0)
    return device


@contextmanager
def torch_seed(seed):
    """Seed torch's global generators inside the block, leaving the caller's
    random state as it was."""
    devices = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(int(seed))
        yield


def seed_from(rng):
    """Draw a 31-bit integer seed from a ``RandomState``."""
    return int(rng.randint(np.iinfo(np.int32).max))


class BaseStationGenerator(BaseEstimator):
    """Shared machinery of the station-conditioned generators.

    Not used directly: see :class:`skgen.TimesNetGenerator` and
    :class:`skgen.SpectrogramCVAEGenerator`.
    """

    # Modules listed here are moved to CPU when pickled.
    _torch_attributes = ("module_",)

    # -- fitting ---------------------------------------------------------
    def fit(self, X, stations):
        """Train the network and build the station bank.

        Parameters
        ----------
        X : array-like of shape (n_records, 3, n_times)
            Accelerograms, channels in E, N, U order. A 2-D array
            ``(n_records, n_times)`` is read as single-channel records.
        stations : array-like of shape (n_records,)
            Station label of each record.

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
        checked, stations = self._check_fit_input(X, stations)
        input_ndim = np.ndim(X)  # safe only after validation (ragged input)
        X = checked
        rng = check_random_state(self.random_state)
        checkpoint = self._fit_checkpoint(X, stations)
        previous = dict(self.__dict__)
        try:
            # An interrupted fit (exception or Ctrl-C) restores the previous
            # state: never a half-built bank or weights that disagree with it.
            # n_features_in_ is X.shape[1] as given (sklearn's meaning): the
            # channel count for 3-D input, the sample count for 2-D input.
            validate_data(
                self, X[:, 0, :] if input_ndim == 2 else X, reset=True,
                skip_check_array=True,
            )
            self.n_channels_ = X.shape[1]
            self.n_times_ = X.shape[2]
            self.device_ = resolve_device(self.device)
            with process_group(self.device_):
                # Under torchrun every rank draws rank 0's seeds: the same
                # initial weights and the same shuffling.
                rng = broadcast_object(rng)
                self.__dict__.update(self._train(X, stations, rng, checkpoint))
            self._freeze_modules()
            self.bank_ = {}
            self._extend_bank(X, stations)
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

    def _fit_checkpoint(self, X, stations):
        """The checkpoint of this fit, or None without a ``checkpoint`` path.

        Its fingerprint covers every parameter that changes the result and
        the training data, so a checkpoint never resumes a different fit.
        """
        path = getattr(self, "checkpoint", None)
        if path is None:
            return None
        params = self.get_params(deep=False)
        for name in ("checkpoint", "verbose", "device"):
            params.pop(name, None)
        digest = hashlib.sha256(type(self).__name__.encode())
        digest.update(repr(sorted(params.items())).encode())
        digest.update(repr(X.shape).encode() + X.tobytes())
        digest.update(repr(list(stations)).encode())
        return Checkpoint(path, digest.hexdigest())

    def _check_fit_input(self, X, stations):
        n_times = getattr(self, "n_times", None)
        X = check_records(X, n_times=n_times)
        stations = check_stations(stations, X.shape[0])
        return X, stations

    def add_stations(self, X, stations):
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

        Returns
        -------
        self : object
        """
        X, stations = self._check_input(X, stations)
        bank = {label: dict(entry) for label, entry in self.bank_.items()}
        self._extend_bank(X, stations, bank=bank)
        self.bank_ = bank
        return self

    def with_bank(self, X, stations):
        """Return a copy whose bank holds exactly these records for their stations.

        The weights are shared, not copied, and ``self`` is left unchanged.
        Stations not in ``stations`` keep their current bank entries. Scorers
        use this to build each station's pool from held-out records.

        Parameters
        ----------
        X : array-like of shape (n_records, 3, n_times)
        stations : array-like of shape (n_records,)

        Returns
        -------
        generator : same type as self
        """
        X, stations = self._check_input(X, stations)
        bank = dict(self.bank_)
        for label in dict.fromkeys(stations):
            bank.pop(label, None)
        self._extend_bank(X, stations, bank=bank)
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

    def _extend_bank(self, X, stations, bank=None):
        bank = self.bank_ if bank is None else bank
        encoded = self._encode_records(X, stations)
        for label in dict.fromkeys(stations):
            rows = np.flatnonzero(stations == label)
            new = {key: value[rows] for key, value in encoded.items()}
            if label in bank:
                new = {
                    key: np.concatenate([bank[label][key], value])
                    for key, value in new.items()
                }
            bank[label] = new
        return bank

    @property
    def stations_(self):
        """ndarray of shape (n_stations,): the stations of the bank, in order
        of registration."""
        return np.array(list(self.bank_), dtype=object)

    # -- generation ------------------------------------------------------
    def sample(self, station, n_samples=1, random_state=None):
        """Generate new records for one station.

        Parameters
        ----------
        station : str or int
            A station of the bank (``stations_``).
        n_samples : int, default=1
            Number of records to generate.
        random_state : int, RandomState instance or None, default=None
            Seed of the draws; the same seed gives the same records.

        Returns
        -------
        X : ndarray of shape (n_samples, 3, n_times), float32

        Raises
        ------
        ValueError
            Unknown station (the message lists the known ones) or
            ``n_samples < 1``.
        """
        check_is_fitted(self)
        label = self._check_station(station)
        n_samples = check_count(n_samples)
        rng = check_random_state(random_state)
        return self._generate(self.bank_[label], n_samples, rng)

    def _check_station(self, station):
        try:
            hash(station)
        except TypeError:
            raise TypeError(
                f"station must be a single label, got {type(station).__name__}."
            ) from None
        label = _plain_label(station)
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
        from ._persistence import save

        save(self, path)

    # -- sklearn and pickling -------------------------------------------
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.required = True
        return tags

    def __getstate__(self):
        state = super().__getstate__()
        for name in self._torch_attributes:
            module = state.get(name)
            if module is not None and any(
                p.device.type != "cpu" for p in module.parameters()
            ):
                state[name] = copy.deepcopy(module).cpu()
        if "device_" in state:
            state["device_"] = str(state["device_"])
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "device_" in state:
            device = usable_device(state["device_"], "This generator")
            self.device_ = device
            for name in self._torch_attributes:
                module = self.__dict__.get(name)
                if module is not None:
                    module.to(device)
