"""TimesNet-Gen: a TimesNet autoencoder plus station-restricted resampling."""

import numbers
from functools import partial

import numpy as np
import torch

from ._base import BaseStationGenerator
from ._mixing import check_bank_entry, draw_mixtures, mix_bank, record_statistics
from ._scenario import check_bandwidth, kernel_log_weights, mix_scenario
from ._torch_utils import autocast, check_precision, resolve_precision, torch_seed
from ._validation import check_parameter, seed_from
from .nn._training import EarlyStopping, train_epochs
from .nn.losses import stft_log_magnitude_loss
from .nn.timesnet import TimesNet, normalize

__all__ = ["TimesNetGenerator"]

# Records generated per vectorised step of ``sample``: bounds the memory of
# the gathered components (and of the latent noise) for large requests.
_CHUNK_RECORDS = 256


class TimesNetGenerator(BaseStationGenerator):
    """Site-specific strong-motion generator TimesNet-Gen (arXiv 2512.04694).

    A TimesNet autoencoder is trained to reconstruct records (no station
    input). New records for a station are decoded from Dirichlet-weighted
    mixtures of the latents of that station's own records (docs/method.rst).

    Because the decoder head is affine and the weights sum to 1, mixing
    latents equals mixing the records' normalised reconstructions, so the
    station bank keeps, per record, the normalised reconstruction
    ``head(z)`` of shape (n_channels, n_times) with ``mu`` and ``sigma``
    instead of the (n_times, d_model) latent: ``d_model / n_channels``
    times smaller, same samples.

    The defaults are sized for a CPU (168 k parameters at n_times 6000, 96 k
    of them the positional table; the demo data, 160 records of 3 x 6000
    samples, trains in about 3.5 minutes on 2 cores);
    :meth:`paper_config` gives the paper's network.

    Parameters
    ----------
    n_times : int or None, default=6000
        Samples per record (60 s at 100 Hz). ``None`` takes it from the data
        given to ``fit``.
    fs : float, default=100.0
        Sampling rate in Hz; not used by the network, kept with the model
        for scoring and plotting.
    d_model : int, default=16
        Feature width of the encoder (the latent has shape (n_times, d_model)).
    d_ff : int, default=32
        Width inside each TimesBlock.
    e_layers : int, default=2
        Number of TimesBlocks.
    top_k : int, default=2
        Periods per record and block.
    num_kernels : int, default=3
        Convolutions averaged in each Inception block (kernels 1, 3, ...).
    dropout : float, default=0.0
        Dropout after the embedding during training.
    epochs : int, default=35
        Pre-training epochs (reconstruction MSE on normalised records).
    lr : float, default=4e-3
        Pre-training learning rate (AdamW, cosine schedule, clip 1.0). The
        paper's 3e-4 with batches of 32 (``paper_config``) suits its 50 GPU
        epochs; with CPU epochs on a small archive, smaller batches and a
        larger rate give the optimiser enough steps. In float32 (CPUs
        without native bfloat16), batches of 4 at 4e-3 take 100 records of
        6000 samples to a normalised reconstruction error below 0.01 with
        their peaks within 10 % by epoch 18 of 35 (2 seeds); the 35 + 4
        epochs take about 2.8 minutes on 2 idle cores (docs/method.rst,
        "Training length, loss and precision").
    spectral_loss : float, default=0.0
        Weight of a multi-resolution STFT log-magnitude term added to the
        reconstruction MSE (:func:`skgen.nn.losses.stft_log_magnitude_loss`),
        so that peaks and weak high frequencies are reconstructed rather than
        smoothed; 0 trains on the MSE alone (the paper).
    precision : {"auto", "float32", "bfloat16"}, default="auto"
        Arithmetic of the training forward passes: ``"bfloat16"`` runs them
        under bfloat16 autocast (weights, gradients and losses stay float32),
        about 2-3x faster on CPUs with AMX or AVX512-BF16; ``"auto"`` picks
        it where the hardware computes bfloat16 natively (such a CPU, or a
        CUDA device that supports it) and float32 elsewhere. Encoding, the
        bank and sampling are always float32. The resolved value is
        ``precision_``.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training records (drawn with
        ``random_state``) and stop pre-training once their loss has not
        improved by ``tol`` for ``n_iter_no_change`` epochs, keeping the best
        epoch's weights; ``epochs`` is then the maximum. The held-out records
        still enter the station bank.
    validation_fraction : float, default=0.1
        Fraction of records held out when ``early_stopping`` is True.
    n_iter_no_change : int, default=5
        Epochs without improvement before stopping.
    tol : float, default=1e-4
        Smallest decrease of the validation loss counted as improvement.
    noise_epochs : int, default=4
        Noise-injection epochs after pre-training.
    noise_lr : float, default=1e-4
        Noise-injection learning rate.
    noise_scale : float, default=0.1
        Latent noise of the noise-injection phase, ``z + eps * s *
        noise_scale`` with ``s`` the encoder feature scale
        (``encoder_scale_``).
    batch_size : int, default=4
        Records per optimisation step and per encoding batch (the paper: 32).
    weight_decay : float, default=1e-4
        AdamW weight decay.
    n_mix : int, default=5
        Records mixed per generated record (k). Distinct records are drawn;
        with replacement only when the station has fewer than ``n_mix``.
    dirichlet_alpha : float, default=0.3
        Concentration of the mixing weights ``w ~ Dirichlet(alpha * 1_k)``,
        which set a generated record's amplitudes: its ``mu`` and ``sigma``
        and the targets of the restore options below. Small values give
        weights dominated by one record, so generated records vary as much
        as the station's records do; 1.0 draws uniformly over the simplex;
        ``np.inf`` gives exactly equal weights ``1 / k`` (the published
        code).
    waveform_weights : {"equal", "dirichlet"}, default="equal"
        Weights of the waveform sum ``m = sum_j v_j head(z_j)``: ``1 / k``
        each, so that no record dominates the phase of a generated record
        (novel waveforms), or the Dirichlet weights ``w`` themselves (the
        published method, where a mix dominated by one record stays close to
        it).
    sample_noise : float, default=0.0
        Latent noise added to each mixed latent, ``eps * s * sample_noise``
        with ``eps ~ N(0, I)`` per time step; 0 adds none.
    restore_energy : bool, default=True
        Averaging incoherent waveforms lowers their amplitude by about
        ``sqrt(sum w_j ** 2)``. When True, each channel of the mixed
        normalised signal ``m = sum_j w_j head(z_j)`` is rescaled to
        ``sqrt(sum_j w_j rms_j ** 2)``, where ``rms_j`` is the root mean
        square over time of component j's normalised *record* on that
        channel (for an exact decoder, that of its reconstruction; a real
        decoder's reconstructions are weaker, and restoring only their
        energy leaves peak accelerations low); sample noise, if any, is
        added after this rescaling.
    restore_peak : bool, default=False
        When True, each channel of the mixed normalised signal is instead
        rescaled so that its peak ``max |m|`` equals the weighted geometric
        mean ``exp(sum_j w_j ln peak_j)`` of the components' normalised
        record peaks; with geometric ``sigma`` mixing the generated PGA is
        then the Dirichlet-weighted geometric mean of the mixed records' PGA.
        Replaces ``restore_energy`` when both are True.
    restore_spectrum : bool, default=True
        When True, the mixed normalised signal's Fourier amplitude is instead
        rescaled, in 48 log-spaced frequency bands per channel, to the
        weighted geometric mean ``exp(sum_j w_j ln A_j)`` of the components'
        normalised *record* band amplitudes (RMS of ``|rFFT|`` in the band),
        keeping its phase: energy restoring done band by band, so errors of
        an imperfect decoder (spurious long periods, smoothed or added high
        frequencies) do not reach the generated spectra. Replaces
        ``restore_peak`` and ``restore_energy`` when True.
    restore_envelope : bool, default=True
        When True, the mixed normalised signal is multiplied by a slowly
        varying gain so that its power envelope (1 s moving average of the
        squared signal, per channel) becomes the weighted geometric mean
        ``exp(sum_j w_j ln e_j(t))`` of the components' record envelopes,
        each shifted as its component is (``align_onsets``): the duration
        and build-up of a typical record rather than the longer, flatter one
        of an average. With ``restore_spectrum`` the two restores alternate
        twice, ending on the spectrum.
    align_onsets : bool, default=True
        When True, every mixed component is shifted in time so that its onset
        (the 5 % point of its Husid curve, summed over channels) falls on the
        onset of a record drawn uniformly from the station's bank, before
        mixing (zeros fill the shifted-in samples). Mixed records then share
        their strong phase instead of spreading it over time.
    scenario_bandwidth : tuple of (float, float), default=(0.5, 0.5)
        Widths ``(h_M, h_R)`` in magnitude and ln distance of the kernel that
        favours records near a target scenario in ``sample(...,
        magnitude=, distance=)`` (docs/scenario.rst).
    sigma_mixing : {"geometric", "arithmetic"}, default="geometric"
        How the records' ``sigma`` are mixed: ``exp(sum w_j ln sigma_j)``
        (unbiased PGA with energy restoring) or ``sum w_j sigma_j`` (the
        published code; large records dominate). ``mu`` is always mixed
        arithmetically.
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Torch device for training and encoding.
    checkpoint : str or path-like, default=None
        File for per-epoch training checkpoints. A ``fit`` that is
        interrupted resumes from it when called again with the same
        parameters and data, to the same result as an uninterrupted run; the
        file is deleted when ``fit`` finishes.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling, dropout and noise.
    verbose : int, default=0
        Show a progress bar per training phase when > 0.

    Attributes
    ----------
    module_ : TimesNet
        The trained network (eval mode).
    precision_ : {"float32", "bfloat16"}
        The training precision ``precision`` resolved to on this machine.
    encoder_scale_ : ndarray of shape (d_model,), float32
        ``s``: per latent dimension, the standard deviation across training
        records of the time-mean of their latents.
    history_ : dict
        ``{"pretrain": [...], "noise": [...], "validation": [...]}``, mean
        loss of each epoch; ``validation`` is the held-out loss of each
        pre-training epoch (empty without ``early_stopping``).
    bank_ : dict
        Per station: ``recon`` (n_records, n_channels, n_times) normalised
        reconstructions, ``mu``, ``sigma``, ``rms`` and ``peak`` (n_records,
        n_channels) of the normalised records, ``band`` (n_records,
        n_channels, n_bands) their band amplitudes (``restore_spectrum``) and
        ``onset`` (n_records,), the sample of each record's Husid 5 % point.
    stations_ : ndarray of object
        Stations of the bank, in order of appearance.
    n_channels_, n_times_, n_features_in_, device_
        Input layout and the resolved device.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen._timesnet import TimesNetGenerator
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((6, 3, 64)).astype(np.float32)
    >>> stations = ["A", "A", "A", "B", "B", "B"]
    >>> gen = TimesNetGenerator(n_times=64, d_model=4, d_ff=4, epochs=1,
    ...                         noise_epochs=1, random_state=0).fit(X, stations)
    >>> gen.sample("A", n_samples=2, random_state=0).shape
    (2, 3, 64)
    """

    #: Sampling parameters of the published code: equal weights (the
    #: Dirichlet limit alpha -> inf) on waveforms, no alignment, no restoring,
    #: the arithmetic mean of sigma. ``set_params(**PAPER_SAMPLING)`` on a
    #: fitted generator samples as the paper does with the same network.
    PAPER_SAMPLING = {
        "dirichlet_alpha": np.inf,
        "waveform_weights": "dirichlet",
        "restore_energy": False,
        "restore_peak": False,
        "restore_spectrum": False,
        "restore_envelope": False,
        "align_onsets": False,
        "sigma_mixing": "arithmetic",
    }

    # Parameters that model files written before they existed lack, with the
    # values that reproduce what those files did when saved (skgen.load).
    _params_of_older_files = {
        "waveform_weights": "dirichlet",
        "restore_spectrum": False,
        "restore_envelope": False,
        "align_onsets": False,
        "precision": "float32",
    }

    def __init__(
        self,
        n_times=6000,
        fs=100.0,
        d_model=16,
        d_ff=32,
        e_layers=2,
        top_k=2,
        num_kernels=3,
        dropout=0.0,
        epochs=35,
        lr=4e-3,
        spectral_loss=0.0,
        precision="auto",
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        tol=1e-4,
        noise_epochs=4,
        noise_lr=1e-4,
        noise_scale=0.1,
        batch_size=4,
        weight_decay=1e-4,
        n_mix=5,
        dirichlet_alpha=0.3,
        waveform_weights="equal",
        sample_noise=0.0,
        restore_energy=True,
        restore_peak=False,
        restore_spectrum=True,
        restore_envelope=True,
        align_onsets=True,
        scenario_bandwidth=(0.5, 0.5),
        sigma_mixing="geometric",
        device="cpu",
        checkpoint=None,
        random_state=None,
        verbose=0,
    ):
        self.n_times = n_times
        self.fs = fs
        self.d_model = d_model
        self.d_ff = d_ff
        self.e_layers = e_layers
        self.top_k = top_k
        self.num_kernels = num_kernels
        self.dropout = dropout
        self.epochs = epochs
        self.lr = lr
        self.spectral_loss = spectral_loss
        self.precision = precision
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.noise_epochs = noise_epochs
        self.noise_lr = noise_lr
        self.noise_scale = noise_scale
        self.batch_size = batch_size
        self.weight_decay = weight_decay
        self.n_mix = n_mix
        self.dirichlet_alpha = dirichlet_alpha
        self.waveform_weights = waveform_weights
        self.sample_noise = sample_noise
        self.restore_energy = restore_energy
        self.restore_peak = restore_peak
        self.restore_spectrum = restore_spectrum
        self.restore_envelope = restore_envelope
        self.align_onsets = align_onsets
        self.scenario_bandwidth = scenario_bandwidth
        self.sigma_mixing = sigma_mixing
        self.device = device
        self.checkpoint = checkpoint
        self.random_state = random_state
        self.verbose = verbose

    @classmethod
    def paper_config(cls, **overrides):
        """A generator with the paper's configuration.

        n_times 6000, d_model 128, d_ff 256, e_layers 2, top_k 2,
        num_kernels 6, dropout 0.1, 50 pre-training and 10 noise-injection
        epochs: about 38 M parameters and 1 TFLOP per record and forward
        pass with separate convolutions (0.4 TFLOP with skgen's merged
        kernels), a GPU configuration. Sampling follows skgen's defaults
        (docs/method.rst, "Sampling"); pass ``**TimesNetGenerator.PAPER_SAMPLING``
        to sample as the published code does.

        Parameters
        ----------
        **overrides
            Any constructor parameter, e.g. ``device="cuda"``.

        Returns
        -------
        generator : TimesNetGenerator
            Unfitted.

        Examples
        --------
        >>> from skgen._timesnet import TimesNetGenerator
        >>> TimesNetGenerator.paper_config(device="auto").d_model
        128
        """
        params = dict(
            n_times=6000,
            d_model=128,
            d_ff=256,
            e_layers=2,
            top_k=2,
            num_kernels=6,
            dropout=0.1,
            epochs=50,
            noise_epochs=10,
            lr=3e-4,
            batch_size=32,
        )
        params.update(overrides)
        return cls(**params)

    # -- validation ------------------------------------------------------
    def _check_network_params(self):
        if self.n_times is not None:
            check_parameter(self.n_times, "n_times", numbers.Integral, min_val=1)
        for name in ("d_model", "d_ff", "e_layers", "top_k", "num_kernels", "batch_size"):
            check_parameter(getattr(self, name), name, numbers.Integral, min_val=1)
        for name in ("epochs", "noise_epochs", "verbose"):
            check_parameter(getattr(self, name), name, numbers.Integral, min_val=0)
        for name in ("fs", "lr", "noise_lr"):
            check_parameter(
                getattr(self, name), name, numbers.Real, min_val=0, include_boundaries="neither"
            )
        for name in ("noise_scale", "weight_decay", "dropout", "spectral_loss"):
            check_parameter(getattr(self, name), name, numbers.Real, min_val=0)
        if self.dropout >= 1:
            raise ValueError(f"dropout must be < 1, got {self.dropout}.")
        check_precision(self.precision)
        self._check_early_stopping()

    def _check_sampling_params(self):
        check_parameter(self.n_mix, "n_mix", numbers.Integral, min_val=1)
        check_parameter(
            self.dirichlet_alpha,
            "dirichlet_alpha",
            numbers.Real,
            min_val=0,
            include_boundaries="neither",
            allow_inf=True,
        )
        check_parameter(self.sample_noise, "sample_noise", numbers.Real, min_val=0)
        if self.waveform_weights not in ("equal", "dirichlet"):
            raise ValueError(
                f"waveform_weights must be 'equal' or 'dirichlet', got {self.waveform_weights!r}."
            )
        for name in (
            "restore_energy",
            "restore_peak",
            "restore_spectrum",
            "restore_envelope",
            "align_onsets",
        ):
            value = getattr(self, name)
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False, got {value!r}.")
        check_bandwidth(self.scenario_bandwidth)
        if self.sigma_mixing not in ("geometric", "arithmetic"):
            raise ValueError(
                f"sigma_mixing must be 'geometric' or 'arithmetic', got {self.sigma_mixing!r}."
            )

    def _check_fit_input(self, X, stations):
        self._check_network_params()
        self._check_sampling_params()
        return super()._check_fit_input(X, stations)

    # -- training --------------------------------------------------------
    def _build_module(self):
        """The untrained network for this generator's fitted input layout."""
        return TimesNet(
            self.n_channels_,
            self.n_times_,
            self.d_model,
            self.d_ff,
            self.e_layers,
            self.top_k,
            self.num_kernels,
            self.dropout,
        )

    def _train(self, X, stations, rng, checkpoint=None):
        seed = seed_from(rng)
        device = self.device_
        train_rows, validation_rows = self._validation_split(len(X), seed)
        precision = resolve_precision(self.precision, device)
        with torch.no_grad():
            X_norm = normalize(torch.from_numpy(X))[0]
        X_train, X_validation = X_norm[train_rows], X_norm[validation_rows]
        with torch_seed(seed):
            module = self._build_module().to(device)

            def loss_of(x, latent_noise=None, precision=precision):
                # The loss is on normalised records, so that strong records do
                # not dominate (the published code uses raw units).
                with autocast(device, precision):
                    z = module.encode(x)
                    if latent_noise is not None:
                        z = z + torch.randn_like(z) * latent_noise
                    x_hat = module.head(z).float()
                loss = torch.mean((x_hat - x) ** 2)
                if self.spectral_loss > 0:
                    loss = loss + self.spectral_loss * stft_log_magnitude_loss(x_hat, x)
                return loss

            def batch_loss(indices, latent_noise=None):
                return loss_of(X_train[indices].to(device), latent_noise)

            def validation_loss():
                return sum(
                    # In float32: the stopping decision compares exact losses.
                    float(
                        loss_of(
                            X_validation[start : start + self.batch_size].to(device),
                            precision="float32",
                        )
                    )
                    * len(X_validation[start : start + self.batch_size])
                    for start in range(0, len(X_validation), self.batch_size)
                ) / len(X_validation)

            stopper = (
                EarlyStopping(validation_loss, self.n_iter_no_change, self.tol)
                if self.early_stopping
                else None
            )
            common = dict(
                n_records=len(X_train),
                weight_decay=self.weight_decay,
                batch_size=self.batch_size,
                verbose=self.verbose,
                checkpoint=checkpoint,
            )
            pretrain = train_epochs(
                module,
                batch_loss,
                epochs=self.epochs,
                lr=self.lr,
                seed=seed,
                desc="pre-training",
                early_stopping=stopper,
                **common,
            )
            scale = self._latent_time_means(module, X_norm).std(dim=0, unbiased=False)
            noise_losses = train_epochs(
                module,
                partial(batch_loss, latent_noise=scale * self.noise_scale),
                epochs=self.noise_epochs,
                lr=self.noise_lr,
                seed=seed + 1,
                desc="noise injection",
                **common,
            )
        return {
            "module_": module.eval(),
            "encoder_scale_": scale.cpu().numpy().astype(np.float32),
            "precision_": precision,
            "history_": {
                "pretrain": pretrain,
                "noise": noise_losses,
                "validation": stopper.losses if stopper is not None else [],
            },
        }

    def _latent_time_means(self, module, X_norm):
        """Time-mean of the latent of each record, (n_records, d_model)."""
        with torch.no_grad():
            return torch.cat(
                [
                    module.encode(X_norm[start : start + self.batch_size].to(self.device_)).mean(
                        dim=1
                    )
                    for start in range(0, len(X_norm), self.batch_size)
                ]
            )

    # -- encoding --------------------------------------------------------
    def _batches(self, X):
        """Normalised batches of records on the device, with mu and sigma."""
        for start in range(0, len(X), self.batch_size):
            x = torch.from_numpy(X[start : start + self.batch_size]).to(self.device_)
            yield normalize(x)

    def _encode_records(self, X, stations):
        recon, statistics = [], []
        with torch.no_grad():
            for x_norm, m, s in self._batches(X):
                recon.append(self.module_.head(self.module_.encode(x_norm)).cpu().numpy())
                statistics.append(
                    record_statistics(
                        x_norm.cpu().numpy(), m.cpu().numpy(), s.cpu().numpy(), self.fs
                    )
                )
        entry = {key: np.concatenate([part[key] for part in statistics]) for key in statistics[0]}
        return {"recon": np.concatenate(recon), **entry}

    def encode(self, X):
        """Latents of records, with frozen weights.

        Parameters
        ----------
        X : array-like of shape (n_records, n_channels, n_times)

        Returns
        -------
        Z : ndarray of shape (n_records, n_times, d_model), float32
            Encoder outputs of the normalised records.
        """
        X = self._check_fitted_records(X)
        with torch.no_grad():
            return torch.cat(
                [self.module_.encode(x_norm).cpu() for x_norm, _, _ in self._batches(X)]
            ).numpy()

    def reconstruct(self, X):
        """Autoencoder reconstructions in the records' units.

        Parameters
        ----------
        X : array-like of shape (n_records, n_channels, n_times)

        Returns
        -------
        X_hat : ndarray of shape (n_records, n_channels, n_times), float32
            ``head(z) * sigma + mu``.
        """
        X = self._check_fitted_records(X)
        with torch.no_grad():
            batches = (
                torch.from_numpy(X[start : start + self.batch_size]).to(self.device_)
                for start in range(0, len(X), self.batch_size)
            )
            return torch.cat([self.module_(x).cpu() for x in batches]).numpy()

    # -- sampling --------------------------------------------------------
    def _draw_mixtures(self, n_records, n_samples, rng, log_weights=None):
        """All random draws of ``n_samples`` generated records.

        ``sample`` calls this once per chunk of up to 256 records, in order,
        with its ``RandomState``; replaying the calls replays the samples.

        Parameters
        ----------
        n_records : int
            Records of the station in the bank.
        n_samples : int
        rng : RandomState
        log_weights : ndarray of shape (n_records,), default=None
            Kernel log weights around a target scenario, drawn with
            :func:`skgen._scenario.draw_near`; None draws uniformly.

        Returns
        -------
        indices : ndarray of shape (n_samples, n_mix), int
            Mixed records; distinct within a row unless the station has fewer
            than ``n_mix`` records.
        weights : ndarray of shape (n_samples, n_mix), float64
            Dirichlet weights, rows summing to 1.
        noise : ndarray of shape (n_samples, n_times, d_model), float32, or None
            ``eps * s * sample_noise``, None when ``sample_noise == 0``.
        """
        indices, weights = draw_mixtures(
            n_records, n_samples, self.n_mix, self.dirichlet_alpha, rng, log_weights
        )
        noise = None
        if self.sample_noise > 0:
            # numpy's Generator draws float32 normals several times faster
            # than RandomState; it is seeded from rng, so runs still repeat.
            eps = np.random.default_rng(seed_from(rng)).standard_normal(
                (n_samples, self.n_times_, len(self.encoder_scale_)), dtype=np.float32
            )
            noise = eps * (self.encoder_scale_ * np.float32(self.sample_noise))
        return indices, weights, noise

    def _generate(self, entry, n_samples, rng):
        return self._generate_mixes(entry, n_samples, rng)[0]

    def _generate_near(self, entry, n_samples, rng, scenario):
        log_weights = kernel_log_weights(
            entry["magnitude"], entry["distance"], scenario, tuple(self.scenario_bandwidth)
        )
        X, indices, weights = self._generate_mixes(entry, n_samples, rng, log_weights)
        return (X,) + mix_scenario(entry, indices, weights)

    def _generate_mixes(self, entry, n_samples, rng, log_weights=None):
        """Generated records with the indices and weights of their mixes."""
        self._check_sampling_params()
        check_bank_entry(entry, self.get_params(), self.n_times_)
        n_records = len(entry["recon"])
        weight = self.module_.projection.weight.detach().cpu().numpy()
        out = np.empty((n_samples, self.n_channels_, self.n_times_), dtype=np.float32)
        all_indices = np.empty((n_samples, self.n_mix), dtype=np.int64)
        all_weights = np.empty((n_samples, self.n_mix))
        for start in range(0, n_samples, _CHUNK_RECORDS):
            stop = min(start + _CHUNK_RECORDS, n_samples)
            indices, weights, noise = self._draw_mixtures(n_records, stop - start, rng, log_weights)
            onsets = None
            if self.align_onsets:
                onsets = entry["onset"][rng.randint(n_records, size=stop - start)]
            out[start:stop] = self._mix(entry, indices, weights, noise, weight, onsets)
            all_indices[start:stop], all_weights[start:stop] = indices, weights
        return out, all_indices, all_weights

    def _mix(self, entry, indices, weights, noise, projection_weight, onsets=None):
        """Decode mixtures of bank records; see :meth:`_draw_mixtures` and
        :func:`skgen._mixing.mix_bank`."""
        mixed = mix_bank(
            entry,
            indices,
            weights,
            onsets,
            fs=self.fs,
            waveform_weights=self.waveform_weights,
            restore_spectrum=self.restore_spectrum,
            restore_envelope=self.restore_envelope,
            restore_peak=self.restore_peak,
            restore_energy=self.restore_energy,
        )
        if noise is not None:
            # head(z + n) = head(z) + W n: the noise passes the linear part only.
            mixed += np.matmul(noise, projection_weight.T).transpose(0, 2, 1)
        mu = np.einsum("sk,skc->sc", weights, entry["mu"][indices])
        if self.sigma_mixing == "geometric":
            sigma = np.exp(np.einsum("sk,skc->sc", weights, np.log(entry["sigma"][indices])))
        else:
            sigma = np.einsum("sk,skc->sc", weights, entry["sigma"][indices])
        mixed *= sigma.astype(np.float32)[..., None]
        mixed += mu.astype(np.float32)[..., None]
        return mixed
