"""Samplers: how a generator draws new records from a station's bank.

A sampler is an estimator-like object with its own parameters, given to a
generator as its ``sampler`` parameter, as scikit-learn's composite
estimators take their parts: ``TimesNetGenerator(sampler=MixingSampler())``,
``set_params(sampler__dirichlet_alpha=1.0)`` and ``GridSearchCV`` over
``sampler__...`` work as for any nested estimator. A fitted generator can
also sample with another sampler without changing it:
``gen.sample(station, n, sampler=MixingSampler.paper())``.

Two samplers: :class:`EvolutionarySampler` (one station record per
generated record, with new phases in its time-frequency cells; TimesNet-Gen's
default) and :class:`MixingSampler` (Dirichlet-weighted mixtures of several
records, the paper's method; the stochastic reference's default).

The sampler owns its options, their validation, the bank entries it needs
and its defaults for model files written before samplers existed
(docs/method.rst, "Sampling" and "Records, not averages"). numpy only: it
knows the bank's arrays, not the network; a generator hands it the
waveforms it draws on.
"""

import numbers
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Options, StrOptions

from ._constraints import at_least, positive
from ._evolutionary import draw_phases, evolutionary_surrogates, window_samples
from ._mixing import (
    band_edges,
    draw_mixtures,
    envelope_width,
    match_envelope,
    mix_bank,
    restore_bands_and_envelope,
)
from ._scenario import check_bandwidth, kernel_log_weights
from ._validation import seed_from

__all__ = ["EvolutionarySampler", "MixingSampler"]

# Records generated per vectorised step of ``sample``: bounds the memory of
# the gathered components (and of the latent noise) for large requests.
_CHUNK_RECORDS = 256

# Threads of EvolutionarySampler.sample (None: one per core).
_THREADS = None

# The flat constructor parameters of generators saved before samplers
# existed, with the values their constructors defaulted to.
_FLAT_DEFAULTS = {
    "n_mix": 5,
    "dirichlet_alpha": 0.3,
    "waveform_weights": "equal",
    "sample_noise": 0.0,
    "restore_energy": True,
    "restore_peak": False,
    "restore_spectrum": True,
    "restore_envelope": True,
    "align_onsets": True,
    "scenario_bandwidth": (0.5, 0.5),
    "sigma_mixing": "geometric",
}


class _BankSampler(BaseEstimator):
    """What every sampler shares: parameter checks and bank-entry checks.

    A subclass declares ``_parameter_constraints``, a ``scenario_bandwidth``
    parameter, and ``_needs()``: the bank entries its options need.
    """

    def check(self):
        """Validate the parameters (``fit`` and ``sample`` call it once).

        Returns
        -------
        self : sampler

        Raises
        ------
        ValueError, TypeError
            A parameter out of its range or of the wrong type; the message
            names it.
        """
        self._validate_params()
        check_bandwidth(self.scenario_bandwidth)
        return self

    def _needs(self):
        """Bank entries the enabled options need, as (option, key) pairs."""
        return []

    def check_entry(self, entry, n_times):
        """Raise when an enabled option needs a bank entry that is missing.

        Parameters
        ----------
        entry : dict
            A station's bank entry.
        n_times : int
            Samples per record (``band`` must be measured in this layout's
            bands).

        Raises
        ------
        ValueError
            The entry lacks what an option needs (a model saved by an older
            skgen): the message says how to rebuild it.
        """
        n_bands = len(band_edges(n_times)) - 1
        for option, key in self._needs():
            stale = key == "band" and key in entry and entry[key].shape[-1] != n_bands
            if key not in entry or stale:
                raise ValueError(
                    f"{option} needs the bank's {key!r} entries, which this model "
                    "(saved by an older skgen) lacks; rebuild its bank from the records "
                    "with with_bank(X, stations)."
                )

    def _scenario_log_weights(self, entry, scenario):
        """Kernel log weights of the entry's records for a target scenario, or None."""
        if scenario is None:
            return None
        return kernel_log_weights(
            entry["magnitude"], entry["distance"], scenario, tuple(self.scenario_bandwidth)
        )


class MixingSampler(_BankSampler):
    """Dirichlet-weighted mixtures of a station's records (TimesNet-Gen).

    Each generated record mixes ``n_mix`` records of the station's bank:
    their waveforms (for TimesNet-Gen, the normalised reconstructions
    ``head(z)``: mixing latents equals mixing them, the head being affine)
    are summed, and the mixture's amplitudes (``mu``, ``sigma``, the restore
    targets) are Dirichlet-weighted means of the records'
    (docs/method.rst, "Sampling").

    Parameters
    ----------
    n_mix : int, default=5
        Records mixed per generated record (k). Distinct records are drawn;
        with replacement only when the station has fewer than ``n_mix``.
    dirichlet_alpha : float, default=0.3
        Concentration of the mixing weights ``w ~ Dirichlet(alpha * 1_k)``,
        which set a generated record's amplitudes: its ``mu`` and ``sigma``
        and the targets of the restores. Small values give weights dominated
        by one record, so generated records vary as much as the station's
        records do; 1.0 draws uniformly over the simplex; ``np.inf`` gives
        exactly equal weights ``1 / k`` (the published code).
    waveform_weights : {"equal", "dirichlet"}, default="equal"
        Weights of the waveform sum ``m = sum_j v_j head(z_j)``: ``1 / k``
        each, so that no record dominates the phase of a generated record
        (novel waveforms), or the Dirichlet weights ``w`` themselves (the
        published method, where a mix dominated by one record stays close to
        it).
    sample_noise : float, default=0.0
        Latent noise added to each mixed latent, ``eps * s * sample_noise``
        with ``eps ~ N(0, I)`` per time step and ``s`` the generator's
        encoder scale; 0 adds none. Only for generators with a latent space.
    restore : {"spectrum", "peak", "energy"} or None, default="spectrum"
        What of the records' amplitudes the mixture gets back (averaging
        incoherent waveforms lowers it by about ``sqrt(sum w_j ** 2)``):

        - ``"spectrum"``: its Fourier amplitude, in 48 log-spaced bands per
          channel, becomes the weighted geometric mean ``exp(sum_j w_j ln
          A_j)`` of the records' band amplitudes, keeping its phase;
        - ``"peak"``: each channel is rescaled so that its peak equals the
          weighted geometric mean of the records' peaks;
        - ``"energy"``: each channel is rescaled to the root mean square
          ``sqrt(sum_j w_j rms_j ** 2)`` of the records;
        - None: nothing (the published code).

        The targets are those of the normalised *records*, not of their
        reconstructions, which an imperfect decoder makes weaker.
    restore_envelope : bool, default=True
        Multiply the mixture by a slowly varying gain so that its power
        envelope (1 s moving average of the squared signal, per channel)
        becomes the weighted geometric mean of the records' envelopes, each
        shifted as its record is (``align_onsets``): the duration and
        build-up of a typical record rather than the longer, flatter one of
        an average. With ``restore="spectrum"`` the two alternate twice,
        ending on the spectrum.
    align_onsets : bool, default=True
        Shift every mixed record in time so that its onset (the 5 % point of
        its Husid curve, summed over channels) falls on the onset of a
        record drawn uniformly from the station's bank, before mixing
        (zeros fill the shifted-in samples).
    sigma_mixing : {"geometric", "arithmetic"}, default="geometric"
        How the records' ``sigma`` are mixed: ``exp(sum w_j ln sigma_j)``
        (unbiased PGA) or ``sum w_j sigma_j`` (the published code; large
        records dominate). ``mu`` is always mixed arithmetically.
    scenario_bandwidth : tuple of (float, float), default=(0.5, 0.5)
        Widths ``(h_M, h_R)`` in magnitude and ln distance of the kernel that
        favours records near a target scenario in ``sample(...,
        magnitude=, distance=)`` (docs/scenario.rst): which records are
        drawn, hence a sampling option.

    See Also
    --------
    MixingSampler.paper : the published sampling.

    Examples
    --------
    >>> from skgen import MixingSampler
    >>> MixingSampler(dirichlet_alpha=1.0).get_params()["restore"]
    'spectrum'
    >>> MixingSampler.paper().restore is None
    True
    """

    _parameter_constraints = {
        "n_mix": [at_least(1)],
        "dirichlet_alpha": [
            positive(),
            Options(numbers.Real, {np.inf}),
        ],
        "waveform_weights": [StrOptions({"equal", "dirichlet"})],
        "sample_noise": [at_least(0, numbers.Real)],
        "restore": [StrOptions({"spectrum", "peak", "energy"}), None],
        "restore_envelope": ["boolean"],
        "align_onsets": ["boolean"],
        "sigma_mixing": [StrOptions({"geometric", "arithmetic"})],
        "scenario_bandwidth": [tuple, list, np.ndarray],
    }

    def __init__(
        self,
        n_mix=5,
        dirichlet_alpha=0.3,
        waveform_weights="equal",
        sample_noise=0.0,
        restore="spectrum",
        restore_envelope=True,
        align_onsets=True,
        sigma_mixing="geometric",
        scenario_bandwidth=(0.5, 0.5),
    ):
        self.n_mix = n_mix
        self.dirichlet_alpha = dirichlet_alpha
        self.waveform_weights = waveform_weights
        self.sample_noise = sample_noise
        self.restore = restore
        self.restore_envelope = restore_envelope
        self.align_onsets = align_onsets
        self.sigma_mixing = sigma_mixing
        self.scenario_bandwidth = scenario_bandwidth

    @classmethod
    def paper(cls):
        """The sampling of the published code.

        Equal weights (the Dirichlet limit alpha -> inf) on waveforms, no
        alignment, no restoring, the arithmetic mean of sigma:
        ``gen.sample(station, n, sampler=MixingSampler.paper())`` samples a
        fitted generator as the paper does with the same network.

        Returns
        -------
        sampler : MixingSampler

        Examples
        --------
        >>> from skgen import MixingSampler
        >>> MixingSampler.paper().sigma_mixing
        'arithmetic'
        """
        return cls(
            dirichlet_alpha=np.inf,
            waveform_weights="dirichlet",
            restore=None,
            restore_envelope=False,
            align_onsets=False,
            sigma_mixing="arithmetic",
        )

    # Flat parameters that model files written before they existed lack,
    # with the values that reproduce what those files did when saved.
    _params_of_older_files = {
        "waveform_weights": "dirichlet",
        "restore_spectrum": False,
        "restore_envelope": False,
        "align_onsets": False,
    }

    @classmethod
    def _from_flat_params(cls, params):
        """The sampler of a model file from before samplers, and its other params.

        Such files stored the sampling options as generator parameters, with
        three booleans for one restore choice (spectrum overrode peak, which
        overrode energy).

        Parameters
        ----------
        params : dict
            The generator parameters read from the file.

        Returns
        -------
        sampler : MixingSampler
        rest : dict
            ``params`` without the sampling options.
        """
        rest = dict(params)
        flat = {**_FLAT_DEFAULTS, **cls._params_of_older_files}
        flat.update({name: rest.pop(name) for name in _FLAT_DEFAULTS if name in rest})
        flags = {kind: flat.pop(f"restore_{kind}") for kind in ("spectrum", "peak", "energy")}
        restore = next((kind for kind, enabled in flags.items() if enabled), None)
        return cls(**flat, restore=restore), rest

    def _needs(self):
        """Bank entries the enabled options need, as (option, key) pairs."""
        needs = []
        if self.restore is not None:
            key = {"spectrum": "band", "peak": "peak", "energy": "rms"}[self.restore]
            needs.append((f"restore={self.restore!r}", key))
        if self.restore_envelope:
            needs.append(("restore_envelope=True", "envelope"))
        if self.align_onsets:
            needs.append(("align_onsets=True", "onset"))
        return needs

    # -- sampling --------------------------------------------------------
    def sample(
        self,
        entry,
        n_samples,
        rng,
        *,
        fs,
        n_times,
        scenario=None,
        latent_noise=None,
        components=None,
    ):
        """Draw new records from one station's bank entry.

        The draws of every chunk of up to 256 records, in order: the mixed
        records and their weights, the latent noise (``sample_noise > 0``),
        the onsets (``align_onsets``), then whatever ``components`` draws.

        Parameters
        ----------
        entry : dict
            The station's bank entry: ``recon`` (n_records, n_channels,
            n_times) normalised waveforms (unless ``components`` gives them),
            ``mu``, ``sigma`` and what the options need.
        n_samples : int
        rng : numpy.random.RandomState
        fs : float
            Sampling rate (Hz) of the records (the envelope window).
        n_times : int
            Samples per record.
        scenario : tuple of (float, float), default=None
            Target magnitude and distance: favour the records near it
            (``scenario_bandwidth``).
        latent_noise : callable, default=None
            ``latent_noise(n, seed, sample_noise) -> ndarray (n, n_channels,
            n_times)``: the decoded latent noise added to the normalised
            mixtures; needed when ``sample_noise > 0``.
        components : callable, default=None
            ``components(entry, indices, rng) -> (entry, indices)``: the
            waveforms to mix instead of the bank's ``recon``, as an entry
            whose rows ``indices`` carry them with the statistics of the
            drawn records (a training-free generator mixes fresh noise).

        Returns
        -------
        X : ndarray of shape (n_samples, n_channels, n_times), float32
        indices : ndarray of shape (n_samples, n_mix), int
            The bank records of each mixture.
        weights : ndarray of shape (n_samples, n_mix), float64
            Their Dirichlet weights, rows summing to 1.
        """
        self.check()
        self.check_entry(entry, n_times)
        if self.sample_noise > 0 and latent_noise is None:
            raise ValueError(
                "sample_noise > 0 needs a generator with a latent space; this one has "
                "none: set sample_noise=0."
            )
        n_records = len(entry["mu"])
        log_weights = self._scenario_log_weights(entry, scenario)
        chunks, all_indices, all_weights = [], [], []
        for start in range(0, n_samples, _CHUNK_RECORDS):
            size = min(_CHUNK_RECORDS, n_samples - start)
            indices, weights = draw_mixtures(
                n_records, size, self.n_mix, self.dirichlet_alpha, rng, log_weights
            )
            noise = None
            if self.sample_noise > 0:
                noise = latent_noise(size, seed_from(rng), self.sample_noise)
            onsets = None
            if self.align_onsets:
                onsets = entry["onset"][rng.randint(n_records, size=size)]
            source, rows = entry, indices
            if components is not None:
                source, rows = components(entry, indices, rng)
            chunks.append(self._mix(source, rows, weights, onsets, noise, entry, indices, fs))
            all_indices.append(indices)
            all_weights.append(weights)
        return np.concatenate(chunks), np.concatenate(all_indices), np.concatenate(all_weights)

    def _mix(self, source, rows, weights, onsets, noise, entry, indices, fs):
        """One chunk: the restored normalised mixture in the records' units."""
        mixed = mix_bank(
            source,
            rows,
            weights,
            onsets,
            fs=fs,
            waveform_weights=self.waveform_weights,
            restore_spectrum=self.restore == "spectrum",
            restore_envelope=self.restore_envelope,
            restore_peak=self.restore == "peak",
            restore_energy=self.restore == "energy",
        )
        if noise is not None:
            mixed += noise
        mu = np.einsum("sk,skc->sc", weights, entry["mu"][indices])
        if self.sigma_mixing == "geometric":
            sigma = np.exp(np.einsum("sk,skc->sc", weights, np.log(entry["sigma"][indices])))
        else:
            sigma = np.einsum("sk,skc->sc", weights, entry["sigma"][indices])
        mixed *= sigma.astype(np.float32)[..., None]
        mixed += mu.astype(np.float32)[..., None]
        return mixed


class EvolutionarySampler(_BankSampler):
    """One station record per generated record, with new phases in its
    time-frequency cells: records, not averages.

    Each generated record starts from one record of the station's bank, its
    *parent* (for TimesNet-Gen, the parent's network reconstruction). The
    parent's short-time Fourier transform (``window`` seconds, periodic
    Hann, hop a quarter window) is its evolutionary spectrum; every cell
    gets a uniformly random phase, the same on the three components, and the
    cells are overlap-added back. What the parent's wave field has is kept,
    cell by cell: when each band's energy arrives (P before S, dispersed
    surface waves) and the cross-spectrum between components (polarised S, the vertical a quarter
    period from the radial in Rayleigh waves). What changes is the waveform
    within the cells, as between two events recorded at one station. Then
    the restores give the result the parent's band amplitudes and envelope,
    and its ``mu`` and ``sigma``. Parents cycle through the station's
    records in a random order, so that every record parents as many
    generated records (plus or minus one) and the generated records vary as
    much as the station's records do (docs/method.rst, "Records, not
    averages").

    Parameters
    ----------
    window : float, default=2.56
        Length of the STFT window in seconds (256 samples at 100 Hz; at most
        the record, rounded to a multiple of 4 samples). The time-frequency
        cells are ``window`` by ``1 / window`` Hz: a longer window keeps the
        spectrum finer and smears arrival times more.
    restore : {"spectrum"} or None, default="spectrum"
        ``"spectrum"``: set each generated record's Fourier amplitude, in the
        48 log-spaced bands of :class:`MixingSampler`, to its parent's (the
        random phases leak energy from strong cells into weak bands, raising
        the Fourier amplitude there by up to 1.35x); None: keep each
        component's energy only.
    restore_envelope : bool, default=True
        Set each record's power envelope (1 s moving average of the squared
        signal) to its parent's (the window smears it by about half a window,
        lengthening D5-95 by up to 1.12x); with ``restore="spectrum"`` the
        two restores alternate twice, ending on the spectrum.
    scenario_bandwidth : tuple of (float, float), default=(0.5, 0.5)
        Widths ``(h_M, h_R)`` in magnitude and ln distance of the kernel that
        favours parents near a target scenario in ``sample(...,
        magnitude=, distance=)`` (docs/scenario.rst).

    See Also
    --------
    MixingSampler : TimesNet-Gen's mixtures of several records (the previous default).

    Examples
    --------
    >>> import numpy as np
    >>> from skgen import EvolutionarySampler, StochasticGenerator
    >>> X = np.random.default_rng(0).standard_normal((6, 3, 1000)).astype(np.float32)
    >>> gen = StochasticGenerator(source="records", sampler=EvolutionarySampler())
    >>> gen.fit(X, ["A"] * 3 + ["B"] * 3).sample("A", n_samples=2, random_state=0).shape
    (2, 3, 1000)
    """

    _parameter_constraints = {
        "window": [positive()],
        "restore": [StrOptions({"spectrum"}), None],
        "restore_envelope": ["boolean"],
        "scenario_bandwidth": [tuple, list, np.ndarray],
    }

    def __init__(
        self, window=2.56, restore="spectrum", restore_envelope=True, scenario_bandwidth=(0.5, 0.5)
    ):
        self.window = window
        self.restore = restore
        self.restore_envelope = restore_envelope
        self.scenario_bandwidth = scenario_bandwidth

    def _needs(self):
        needs = [("EvolutionarySampler", "recon")]
        if self.restore is not None:
            needs.append((f"restore={self.restore!r}", "band"))
        if self.restore_envelope:
            needs.append(("restore_envelope=True", "envelope"))
        return needs

    def check_entry(self, entry, n_times):
        if "recon" not in entry:
            raise ValueError(_NEEDS_RECORDS)
        super().check_entry(entry, n_times)

    def sample(
        self,
        entry,
        n_samples,
        rng,
        *,
        fs,
        n_times,
        scenario=None,
        latent_noise=None,
        components=None,
    ):
        """Draw new records from one station's bank entry.

        The protocol of :meth:`MixingSampler.sample`. The draws, in order:
        the parents (a random permutation of the station's records per round
        of ``n_records`` generated records, or, for a scenario, records drawn
        by their kernel weights), then the phases, chunk by chunk.

        Parameters
        ----------
        entry : dict
            The station's bank entry: ``recon`` (n_records, n_channels,
            n_times) normalised waveforms, ``mu``, ``sigma`` and what the
            restores need.
        n_samples : int
        rng : numpy.random.RandomState
        fs : float
            Sampling rate (Hz) of the records.
        n_times : int
            Samples per record.
        scenario : tuple of (float, float), default=None
            Target magnitude and distance: favour the parents near it.
        latent_noise : callable, default=None
            Unused: new phases, not latent noise, make records new.
        components : callable, default=None
            Must be None: the parents are the station's own waveforms.

        Returns
        -------
        X : ndarray of shape (n_samples, n_channels, n_times), float32
        indices : ndarray of shape (n_samples, 1), int
            The parent of each record.
        weights : ndarray of shape (n_samples, 1), float64
            Ones (one record per mixture).
        """
        self.check()
        if components is not None:
            raise ValueError(_NEEDS_RECORDS)
        self.check_entry(entry, n_times)
        n_records = len(entry["mu"])
        log_weights = self._scenario_log_weights(entry, scenario)
        if log_weights is None:
            rounds = -(-n_samples // n_records)
            parents = np.concatenate([rng.permutation(n_records) for _ in range(rounds)])
            parents = parents[:n_samples]
        else:
            parents = draw_mixtures(n_records, n_samples, 1, np.inf, rng, log_weights)[0][:, 0]
        phases = np.random.default_rng(seed_from(rng))
        width = window_samples(self.window, fs, n_times)
        envelope_samples = envelope_width(fs, n_times)

        def chunk(job):
            rows, turns = job
            records = evolutionary_surrogates(entry["recon"][rows], width, turns, workers=1)
            envelope = entry["envelope"][rows] if self.restore_envelope else None
            if self.restore == "spectrum":
                records = restore_bands_and_envelope(
                    records, entry["band"][rows], envelope, envelope_samples, workers=1
                )
            elif envelope is not None:
                records = match_envelope(records, envelope, envelope_samples)
            records *= entry["sigma"][rows].astype(np.float32)[..., None]
            records += entry["mu"][rows].astype(np.float32)[..., None]
            return records

        # Chunks run on threads (numpy and scipy.fft release the GIL), a
        # wave of one chunk per core at a time; the phases are drawn here,
        # in order, so that the records do not depend on the threads.
        starts = range(0, n_samples, _CHUNK_RECORDS)
        n_threads = max(1, min(_THREADS or os.cpu_count() or 1, len(starts)))
        chunks = []
        with ThreadPoolExecutor(n_threads) as pool:
            for wave in range(0, len(starts), n_threads):
                jobs = []
                for start in starts[wave : wave + n_threads]:
                    rows = parents[start : start + _CHUNK_RECORDS]
                    jobs.append((rows, draw_phases(len(rows), n_times, width, phases)))
                chunks.extend(pool.map(chunk, jobs))
        return np.concatenate(chunks), parents[:, None], np.ones((n_samples, 1))


_NEEDS_RECORDS = (
    "EvolutionarySampler draws new phases for the station's own waveforms, which this "
    "generator's bank does not keep: use StochasticGenerator(source='records') (or "
    "TimesNetGenerator), not source='noise'."
)
