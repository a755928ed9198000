"""TimesNet-Gen: a TimesNet autoencoder plus station-restricted resampling."""

import numbers
import os
from functools import partial

import numpy as np
import torch
from sklearn.utils._param_validation import HasMethods, StrOptions

from ._constraints import Number, at_least, positive
from ._early_stopping import EARLY_STOPPING_CONSTRAINTS
from ._mixing import record_statistics
from ._mixing_generator import MixingGenerator
from ._torch_utils import autocast, resolve_precision, torch_seed
from ._validation import seed_from
from .nn._training import EarlyStopping, train_epochs
from .nn.losses import stft_log_magnitude_loss
from .nn.timesnet import TimesNet, normalize
from .sampling import EvolutionarySampler, MixingSampler

__all__ = ["TimesNetGenerator"]


class TimesNetGenerator(MixingGenerator):
    """Site-specific strong-motion generator TimesNet-Gen (arXiv 2512.04694).

    A TimesNet autoencoder is trained to reconstruct records (no station
    input); the station bank keeps the reconstructions of each station's
    records, and the ``sampler`` draws new records from them. The paper
    decodes Dirichlet-weighted mixtures of the latents of a station's
    records (:class:`skgen.MixingSampler`, and
    :meth:`MixingSampler.paper() <skgen.MixingSampler.paper>` for the
    published code's sampling). The default,
    :class:`skgen.EvolutionarySampler`, gives one reconstruction per
    generated record new phases in its time-frequency cells: records, not
    averages, which a time-frequency classifier tells from real ones far
    less often and which vary as much as the station's records do. The
    network adds nothing measurable to either sampler: the training-free
    ``StochasticGenerator(source="records", sampler=EvolutionarySampler())``
    does as well (docs/method.rst, "Does the network earn its place?").

    Because the decoder head is affine and the weights sum to 1, mixing
    latents equals mixing the records' normalised reconstructions, so the
    station bank keeps, per record, the normalised reconstruction
    ``head(z)`` of shape (n_channels, n_times) with ``mu`` and ``sigma``
    instead of the (n_times, d_model) latent: ``d_model / n_channels``
    times smaller, same samples.

    The defaults are sized for a CPU (168 k parameters at n_times 6000, 96 k
    of them the positional table; ``skgen demo``, which trains it on 80
    records of 3 x 6000 samples, takes 2.5 minutes in bfloat16 and 4 in
    float32 on a 2-core Intel Xeon);
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
    epochs : int, default=28
        Pre-training epochs (reconstruction MSE on normalised records).
    lr : float, default=4e-3
        Pre-training learning rate (AdamW, cosine schedule, clip 1.0). The
        paper's 3e-4 with batches of 32 (``paper_config``) suits its 50 GPU
        epochs; with CPU epochs on a small archive, smaller batches and a
        larger rate give the optimiser enough steps. In float32 (CPUs
        without native bfloat16), batches of 4 at 4e-3 take 100 records of
        6000 samples to a normalised reconstruction error below 0.01 with
        their peaks within 10 % by epoch 17-20 of 28 (2 seeds, 82-97 s);
        the 28 + 4 epochs take about 2.5 minutes on 2 idle cores of an AMD
        EPYC (docs/method.rst, "Training length, loss and precision").
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
    sampler : EvolutionarySampler, MixingSampler or None, default=None
        How new records are drawn from the bank (for a mixing sampler, the
        number of records mixed, their weights; the restores; the scenario
        kernel); None means ``EvolutionarySampler()``. Used only by
        ``sample``: changing it (``set_params(sampler__window=5.12)``, or
        ``sampler=MixingSampler()``) needs no refit.
        ``MixingSampler.paper()`` is the published sampling.
    memory : str, joblib.Memory or None, default=None
        Cache of fitted networks (as ``Pipeline(memory=...)``): a folder or
        a ``joblib.Memory``. A ``fit`` with the same network parameters,
        data and random state as a cached one takes its network from the
        cache instead of training, so ``GridSearchCV`` over
        ``sampler__...`` trains one network per fold (docs/method.rst,
        "Tuning the sampling"). With ``random_state=None`` every fit
        differs. Not stored in model files.
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Torch device for training and encoding.
    checkpoint : str or path-like, default=None
        File for per-epoch training checkpoints. A ``fit`` that is
        interrupted resumes from it when called again with the same
        parameters and data, to the same result as an uninterrupted run; the
        file is deleted when ``fit`` finishes. Its fingerprint covers the
        network parameters and the data, not the sampler.
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
        n_channels, n_bands) their band amplitudes (``restore="spectrum"``),
        ``envelope`` their log power envelopes and
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

    _parameter_constraints = {
        "n_times": [at_least(1), None],
        "fs": [positive()],
        **{
            name: [at_least(1)]
            for name in ("d_model", "d_ff", "e_layers", "top_k", "num_kernels", "batch_size")
        },
        **{name: [at_least(0)] for name in ("epochs", "noise_epochs", "verbose")},
        "lr": [positive()],
        "noise_lr": [positive()],
        "dropout": [Number(numbers.Real, 0, 1, closed="left")],
        **{
            name: [at_least(0, numbers.Real)]
            for name in ("noise_scale", "weight_decay", "spectral_loss")
        },
        "precision": [StrOptions({"auto", "float32", "bfloat16"})],
        **EARLY_STOPPING_CONSTRAINTS,
        "sampler": [HasMethods(["check", "check_entry", "sample"]), None],
        "memory": [None, str, os.PathLike, HasMethods(["cache"])],
        "device": [str, torch.device],
        "checkpoint": [None, str, os.PathLike],
        "random_state": ["random_state"],
    }

    _default_sampler = EvolutionarySampler

    # Model files written before ``precision`` existed trained in float32;
    # their flat sampling parameters become a MixingSampler (skgen.load).
    _params_of_older_files = {"precision": "float32"}

    @classmethod
    def _params_from_file(cls, params):
        params = super()._params_from_file(params)
        if "sampler" not in params:
            sampler, params = MixingSampler._from_flat_params(params)
            params["sampler"] = sampler
        return params

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
        epochs=28,
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
        sampler=None,
        memory=None,
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
        self.sampler = sampler
        self.memory = memory
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
        (docs/method.rst, "Records, not averages"); pass
        ``sampler=MixingSampler.paper()`` to sample as the published code
        does.

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
    def _latent_noise(self, n_samples, seed, sample_noise):
        """Decoded latent noise ``W (eps * s * sample_noise)``, (n, n_channels, n_times).

        ``head(z + n) = head(z) + W n``: the noise passes the linear part of
        the head only.
        """
        # numpy's Generator draws float32 normals several times faster than
        # RandomState; it is seeded from the sampler's draws, so runs repeat.
        eps = np.random.default_rng(seed).standard_normal(
            (n_samples, self.n_times_, len(self.encoder_scale_)), dtype=np.float32
        )
        noise = eps * (self.encoder_scale_ * np.float32(sample_noise))
        weight = self.module_.projection.weight.detach().cpu().numpy()
        return np.matmul(noise, weight.T).transpose(0, 2, 1)
