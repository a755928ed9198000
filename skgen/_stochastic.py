"""StochasticGenerator: the training-free reference generator (no network)."""

import numbers

import numpy as np
from sklearn.utils._param_validation import HasMethods, StrOptions

from ._constraints import at_least, positive
from ._mixing import record_statistics
from ._mixing_generator import MixingGenerator
from ._validation import seed_from
from .sampling import EvolutionarySampler

__all__ = ["StochasticGenerator"]

# Added to the variance before the square root, as TimesNet-Gen normalises.
_NORM_EPS = 1e-5


class StochasticGenerator(MixingGenerator):
    """Noise shaped like a station's records: the reference every generator is
    compared with, as scikit-learn's ``DummyClassifier`` is.

    Nothing is trained. The bank keeps, per record, the statistics
    TimesNet-Gen's bank keeps (mean and standard deviation per channel,
    Fourier amplitudes in log-spaced bands, the power envelope, the onset);
    each generated record mixes fresh, seeded white noise in place of
    network reconstructions, through the same ``sampler``
    (:class:`skgen.MixingSampler`): ``n_mix`` records of the station are
    drawn with Dirichlet weights, and the noise gets their weighted
    geometric mean band amplitudes and envelope, and their weighted ``mu``
    and ``sigma``. A generator that does not beat it on a score has learned
    nothing that score sees (docs/method.rst).

    With ``source="records"`` the sampler mixes the station's own normalised
    records instead of noise: TimesNet-Gen's sampling with every network
    reconstruction replaced by the record it reconstructs (the "no-network
    stack" of docs/method.rst, "Does the network earn its place?").

    Parameters
    ----------
    n_times : int or None, default=None
        Samples per record; ``None`` takes it from the data given to ``fit``.
    fs : float, default=100.0
        Sampling rate in Hz (the envelope window, scoring and scenarios).
    sampler : MixingSampler, EvolutionarySampler or None, default=None
        How records are drawn, mixed and restored; None means
        ``MixingSampler()`` (spectrum and envelope restoring, which shape
        the noise). Its ``sample_noise`` must be 0: there is no latent
        space. ``EvolutionarySampler()`` with ``source="records"`` gives
        each station record new phases in its time-frequency cells, skgen's
        best generator on its presets (docs/method.rst, "Does the network
        earn its place?").
    source : {"noise", "records"}, default="noise"
        The waveforms the sampler mixes: fresh white noise for every mixed
        record (the stochastic method), or the station's normalised records
        as they are (a stack of aligned records, then the same restores).
    random_state : int, RandomState instance or None, default=None
        Unused by ``fit`` (nothing is random there); kept for the estimator
        API. ``sample`` takes its own ``random_state``.

    Attributes
    ----------
    bank_ : dict
        Per station: ``mu``, ``sigma``, ``rms`` and ``peak`` (n_records,
        n_channels) of the records, ``band`` (n_records, n_channels,
        n_bands), ``envelope`` and ``onset``, as in TimesNet-Gen's bank
        (``recon``, the normalised records, only with ``source="records"``);
        with each record's scenario (``magnitude``,
        ``distance``, ``log_fas``).
    stations_ : ndarray of object
    n_channels_, n_times_, n_features_in_, device_
        Input layout (``device_`` is always CPU).

    Examples
    --------
    >>> import numpy as np
    >>> from skgen import StochasticGenerator
    >>> X = np.random.default_rng(0).standard_normal((6, 3, 256)).astype(np.float32)
    >>> gen = StochasticGenerator().fit(X, ["A", "A", "A", "B", "B", "B"])
    >>> gen.sample("A", n_samples=2, random_state=0).shape
    (2, 3, 256)
    """

    _torch_attributes = ()  # no network

    _parameter_constraints = {
        "n_times": [at_least(1), None],
        "fs": [positive()],
        "sampler": [HasMethods(["check", "check_entry", "sample"]), None],
        "source": [StrOptions({"noise", "records"})],
        "random_state": ["random_state"],
    }

    def __init__(self, n_times=None, fs=100.0, sampler=None, source="noise", random_state=None):
        self.n_times = n_times
        self.fs = fs
        self.sampler = sampler
        self.source = source
        self.random_state = random_state

    def _check_fit_input(self, X, stations):
        sampler = self._sampler()
        noise = getattr(sampler, "sample_noise", 0)
        if isinstance(noise, numbers.Real) and noise > 0:
            raise ValueError(
                f"StochasticGenerator has no latent space: the sampler's sample_noise "
                f"must be 0, got {noise}."
            )
        if self.source == "noise" and isinstance(sampler, EvolutionarySampler):
            raise ValueError(
                "EvolutionarySampler draws new phases for the station's records, which "
                "source='noise' does not keep: use StochasticGenerator(source='records')."
            )
        return super()._check_fit_input(X, stations)

    def _train(self, X, stations, rng, checkpoint=None):
        return {}

    def _encode_records(self, X, stations):
        X = X.astype(np.float64)
        mu = X.mean(axis=2)
        sigma = np.sqrt(X.var(axis=2) + _NORM_EPS)
        x_norm = ((X - mu[..., None]) / sigma[..., None]).astype(np.float32)
        entry = record_statistics(x_norm, mu.astype(np.float32), sigma.astype(np.float32), self.fs)
        if self.source == "records":
            entry["recon"] = x_norm
        return entry

    @property
    def _components(self):
        # None mixes the bank's ``recon`` (the records themselves).
        return self._noise_components if self.source == "noise" else None

    def _noise_components(self, entry, indices, rng):
        """Fresh white noise for every mixed record, with the record's statistics.

        Returns an entry whose row ``i * n_mix + j`` is the noise of mixture
        ``i``, component ``j``, with the statistics of bank record
        ``indices[i, j]``.
        """
        rows = indices.ravel()
        n_channels = entry["band"].shape[1]
        noise = np.random.default_rng(seed_from(rng)).standard_normal(
            (len(rows), n_channels, self.n_times_), dtype=np.float32
        )
        source = {
            key: value[rows] for key, value in entry.items() if len(value) == len(entry["mu"])
        }
        source["recon"] = noise
        return source, np.arange(len(rows)).reshape(indices.shape)
