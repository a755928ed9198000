"""SpectrogramCVAEGenerator: the paper's spectrogram conditional-VAE baseline."""

import numbers
import os

import numpy as np
import torch
from sklearn.utils import check_random_state

from ._base import BaseStationGenerator
from ._constraints import Number, at_least, positive
from ._distributed import all_reduce_sum
from ._early_stopping import EARLY_STOPPING_CONSTRAINTS
from ._mixing import band_amplitudes, band_edges, match_bands
from ._torch_utils import torch_seed
from ._validation import check_parameter, seed_from
from .nn._training import EarlyStopping, train_epochs
from .nn.cvae import SpectrogramCVAE, kl_divergence
from .nn.griffin_lim import griffin_lim, stft

__all__ = ["SpectrogramCVAEGenerator", "station_gaussian"]

# Records per forward pass when encoding, decoding and phase-retrieving
# outside training: bounds memory for any number of records.
_CHUNK_RECORDS = 64
# Magnitude floor inside the log, relative to the mean training magnitude, so
# that log(|S| + floor) does not depend on the records' units.
_RELATIVE_FLOOR = 1e-5


def station_gaussian(mean, logvar):
    """Gaussian matching the first two moments of a station's aggregate posterior.

    The station's records have posteriors ``N(m_i, diag(exp(logvar_i)))``;
    their equal-weight mixture has mean ``mean_i m_i`` and covariance
    ``cov(m_i) + diag(mean_i exp(logvar_i))`` (biased, 1/n, covariance of
    the means). Positive definite for any number of records.

    Parameters
    ----------
    mean, logvar : ndarray of shape (n_records, latent_dim)
        Posterior means and log-variances of the station's records.

    Returns
    -------
    centre : ndarray of shape (latent_dim,)
    covariance : ndarray of shape (latent_dim, latent_dim)

    Examples
    --------
    >>> centre, covariance = station_gaussian(np.array([[1.0, 0.0]]),
    ...                                       np.log([[0.5, 2.0]]))
    >>> centre, np.diag(covariance)
    (array([1., 0.]), array([0.5, 2. ]))
    """
    mean = np.asarray(mean, dtype=np.float64)
    centre = mean.mean(axis=0)
    covariance = np.atleast_2d(np.cov(mean, rowvar=False, bias=True))
    covariance += np.diag(np.exp(np.asarray(logvar, dtype=np.float64)).mean(axis=0))
    return centre, covariance


class SpectrogramCVAEGenerator(BaseStationGenerator):
    """Station-conditioned VAE on STFT log-magnitudes, with Griffin-Lim output.

    The baseline of the TimesNet-Gen paper (docs/method.rst). Each record's
    per-channel log-magnitude spectrogram ``log(|STFT| + floor)``,
    standardised with one mean and standard deviation learned in ``fit``, is
    encoded by strided convolutions into a Gaussian posterior; the decoder
    mirrors the encoder. The station enters the encoder (after the
    convolutions, concatenated to the flattened features) and the decoder
    (concatenated to the latent) as a one-hot vector with one slot per
    training station plus an *unknown station* slot. Records are assigned
    to the unknown slot at random during training (``unknown_station_rate``)
    so that the slot is trained; stations registered later with
    :meth:`add_stations` use it.

    Station latent model: the records of a station have Gaussian posteriors
    ``N(m_i, diag(v_i))``. Sampling draws from the Gaussian that matches the
    first two moments of their mixture (the station's aggregate posterior):
    mean ``mean_i m_i`` and covariance ``cov(m_i) + diag(mean_i v_i)`` with
    the biased (1/n) covariance. It is a Gaussian fitted to the posterior
    means plus the average posterior variance; the added diagonal keeps the
    covariance positive definite for any number of records, one included
    (fitted to the means alone it is singular whenever a station has no
    more records than ``latent_dim``). The decoded magnitudes are turned
    into waveforms by fast Griffin-Lim (:func:`skgen.nn.griffin_lim.griffin_lim`).
    With ``restore_spectrum`` the Fourier amplitude of each generated record
    is then set to that of one of the station's records (docs/method.rst,
    "Why the baseline trails").

    Parameters
    ----------
    n_times : int or None, default=6000
        Samples per record; ``None`` takes it from the data in ``fit``.
    fs : float, default=100.0
        Sampling rate in Hz. The network does not use it; scoring does.
    n_fft : int, default=256
        STFT window length in samples (periodic Hann window).
    hop_length : int, default=32
        Samples between STFT frames; at most ``n_fft // 2``.
    channels : tuple of int, default=(16, 32, 64, 128)
        Widths of the strided 3 x 3 convolutions (the decoder mirrors them).
    latent_dim : int, default=32
        Dimension of the latent space.
    beta : float, default=1e-4
        Weight of the KL term. The reconstruction term is the mean squared
        error per spectrogram bin and the KL term is summed over the latent
        dimensions, both averaged over the batch, so the weight equivalent
        to the plain ELBO is tiny (about ``2 * mse / n_bins``, 1e-6 at the
        default size); larger values shrink the latent towards the prior and
        leave the station slot alone to carry the station (on the
        8-station ``make_strong_motion`` demo, the samples' median HVSR f0
        matched their station's for 3 of 8 stations at 1e-2 and 6 of 8 at
        1e-4).
    epochs : int, default=60
        Passes over the training records (the maximum with
        ``early_stopping``).
    lr : float, default=3e-3
        AdamW learning rate (cosine-annealed to 0).
    batch_size : int, default=8
        Records per optimisation step.
    weight_decay : float, default=1e-4
        AdamW weight decay.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training records (drawn with
        ``random_state``) and stop once their loss (reconstruction of the
        posterior mean plus ``beta`` * KL, own station slot) has not
        improved by ``tol`` for ``n_iter_no_change`` epochs, keeping the best
        epoch's weights. The held-out records still enter the station bank.
    validation_fraction : float, default=0.1
        Fraction of records held out when ``early_stopping`` is True.
    n_iter_no_change : int, default=10
        Epochs without improvement before stopping.
    tol : float, default=1e-4
        Smallest decrease of the validation loss counted as improvement.
    unknown_station_rate : float, default=0.1
        Probability that a training record is presented with the unknown
        station slot instead of its own.
    griffin_lim_iters : int, default=32
        Griffin-Lim iterations per generated record; dominates sampling cost.
    restore_spectrum : bool, default=False
        After Griffin-Lim, set each generated record's Fourier amplitude, in
        the log-spaced bands of TimesNet-Gen's spectrum restore (about a
        third of an octave; docs/method.rst, "Sampling"), to that of a
        record of the station's bank drawn at random; the phase and the
        amplitude within each band stay the network's. The decoder does not
        reproduce the site resonance of stations it was not trained on, and
        this puts it back from the station's records. Off: the paper's
        baseline.
    device : str, default="cpu"
        ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"auto"``.
    checkpoint : str or path-like, default=None
        File for per-epoch training checkpoints. A ``fit`` that is
        interrupted resumes from it when called again with the same
        parameters and data, to the same result as an uninterrupted run; the
        file is deleted when ``fit`` finishes.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling and the latent samples drawn
        during training.
    verbose : int, default=0
        Show a training progress bar when > 0.

    Attributes
    ----------
    module_ : SpectrogramCVAE
        The trained network (in eval mode).
    station_index_ : dict
        Station label -> one-hot slot for the training stations; slot
        ``len(station_index_)`` is the unknown station.
    spectrogram_mean_, spectrogram_std_ : float
        Standardisation of the log-magnitudes.
    magnitude_floor_ : float
        Added to magnitudes before the log: 1e-5 times the mean training
        magnitude, so the transform does not depend on the records' units.
    history_ : dict of list of float
        Per-epoch training ``"loss"``, ``"reconstruction"`` and ``"kl"``
        (the last two are NaN for epochs restored from a checkpoint), and
        the held-out ``"validation"`` loss (empty without ``early_stopping``).
    bank_ : dict
        Per station: posterior ``"mean"`` and ``"logvar"`` of shape
        (n_records, latent_dim), the decoder ``"slot"`` (n_records,) and the
        records' Fourier ``"band"`` amplitudes (n_records, n_channels,
        n_bands) that ``restore_spectrum`` sets.
    stations_ : ndarray of shape (n_stations,)
        Stations that can be sampled.
    n_times_, n_channels_, n_features_in_, device_
        Record length, channels, sklearn's feature count, torch device.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((8, 3, 400)).astype(np.float32)
    >>> stations = ["A"] * 4 + ["B"] * 4
    >>> gen = SpectrogramCVAEGenerator(n_times=400, n_fft=64, hop_length=16,
    ...     channels=(4, 8), latent_dim=4, epochs=2, random_state=0).fit(X, stations)
    >>> gen.sample("A", n_samples=2, random_state=0).shape
    (2, 3, 400)
    """

    def __init__(
        self,
        n_times=6000,
        fs=100.0,
        n_fft=256,
        hop_length=32,
        channels=(16, 32, 64, 128),
        latent_dim=32,
        beta=1e-4,
        epochs=60,
        lr=3e-3,
        batch_size=8,
        weight_decay=1e-4,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        unknown_station_rate=0.1,
        griffin_lim_iters=32,
        restore_spectrum=False,
        device="cpu",
        checkpoint=None,
        random_state=None,
        verbose=0,
    ):
        self.n_times = n_times
        self.fs = fs
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.channels = channels
        self.latent_dim = latent_dim
        self.beta = beta
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.unknown_station_rate = unknown_station_rate
        self.griffin_lim_iters = griffin_lim_iters
        self.restore_spectrum = restore_spectrum
        self.device = device
        self.checkpoint = checkpoint
        self.random_state = random_state
        self.verbose = verbose

    _parameter_constraints = {
        "n_times": [at_least(1), None],
        "fs": [positive()],
        "n_fft": [at_least(2)],
        "hop_length": [at_least(1)],
        "channels": [tuple, list],
        "latent_dim": [at_least(1)],
        "beta": [at_least(0, numbers.Real)],
        "epochs": [at_least(0)],
        "lr": [positive()],
        "batch_size": [at_least(1)],
        "weight_decay": [at_least(0, numbers.Real)],
        **EARLY_STOPPING_CONSTRAINTS,
        "unknown_station_rate": [Number(numbers.Real, 0, 1, closed="left")],
        "griffin_lim_iters": [at_least(0)],
        "restore_spectrum": ["boolean"],
        "device": [str, torch.device],
        "checkpoint": [None, str, os.PathLike],
        "random_state": ["random_state"],
        "verbose": [at_least(0)],
    }

    # -- validation ------------------------------------------------------
    def _check_params(self):
        """What the declared constraints cannot say: bounds between parameters."""
        check_parameter(
            self.hop_length, "hop_length", numbers.Integral, min_val=1, max_val=self.n_fft // 2
        )
        if len(self.channels) == 0:
            raise TypeError(
                f"channels must be a non-empty tuple of convolution widths, got {self.channels!r}."
            )
        for width in self.channels:
            check_parameter(width, "channels[i]", numbers.Integral, min_val=1)

    def _check_fit_input(self, X, stations):
        # Hyperparameters first: a typo should not wait for the data checks.
        self._check_params()
        return super()._check_fit_input(X, stations)

    # -- spectrograms ----------------------------------------------------
    def _standardised(self, X, normalisation=None):
        """Standardised log-magnitudes of a float32 batch of records.

        ``normalisation`` is ``(floor, mean, std)``; ``None`` uses the fitted one.
        """
        floor, mean, std = normalisation or (
            self.magnitude_floor_,
            self.spectrogram_mean_,
            self.spectrogram_std_,
        )
        magnitude = stft(X, self.n_fft, self.hop_length).abs()
        return (torch.log(magnitude + floor) - mean) / std

    def _magnitude(self, spectrogram):
        """Magnitudes from standardised log-magnitudes (inverse transform)."""
        log_magnitude = spectrogram * self.spectrogram_std_ + self.spectrogram_mean_
        return torch.clamp(torch.exp(log_magnitude) - self.magnitude_floor_, min=0.0)

    def _spectrogram_stats(self, X):
        """Floor, mean and std of the training log-magnitudes, in chunks."""
        n_bins = 0
        total_magnitude = 0.0
        for start in range(0, len(X), _CHUNK_RECORDS):
            magnitude = (
                stft(
                    torch.from_numpy(X[start : start + _CHUNK_RECORDS]), self.n_fft, self.hop_length
                )
                .abs()
                .double()
            )
            total_magnitude += float(magnitude.sum())
            n_bins += magnitude.numel()
        mean_magnitude = total_magnitude / n_bins
        # All-zero data has no scale: any positive floor gives constant logs.
        floor = _RELATIVE_FLOOR * mean_magnitude if mean_magnitude > 0 else 1.0
        total, total_sq = 0.0, 0.0
        for start in range(0, len(X), _CHUNK_RECORDS):
            log_magnitude = torch.log(
                stft(
                    torch.from_numpy(X[start : start + _CHUNK_RECORDS]), self.n_fft, self.hop_length
                )
                .abs()
                .double()
                + floor
            )
            total += float(log_magnitude.sum())
            total_sq += float(log_magnitude.pow(2).sum())
        mean = total / n_bins
        std = float(np.sqrt(max(total_sq / n_bins - mean**2, 0.0)))
        # Constant spectrograms (e.g. all-zero records) have no spread.
        return floor, mean, std if std > 1e-6 else 1.0

    # -- hooks of BaseStationGenerator ----------------------------------
    def _train(self, X, stations, rng, checkpoint=None):
        floor, mean, std = self._spectrogram_stats(X)
        labels = list(dict.fromkeys(stations))
        station_index = {label: slot for slot, label in enumerate(labels)}
        unknown_slot = len(labels)
        fitted = {
            "station_index_": station_index,
            "magnitude_floor_": floor,
            "spectrogram_mean_": mean,
            "spectrogram_std_": std,
        }

        n_freqs = self.n_fft // 2 + 1
        n_frames = 1 + self.n_times_ // self.hop_length
        all_slots = torch.tensor([station_index[s] for s in stations], dtype=torch.long)
        # The split draws its own seed only with early stopping, so that the
        # default fit repeats earlier versions' results.
        split_seed = seed_from(rng) if self.early_stopping else 0
        train_rows, validation_rows = self._validation_split(len(X), split_seed)
        records, slots = torch.from_numpy(X[train_rows]), all_slots[train_rows]
        held_out, held_out_slots = torch.from_numpy(X[validation_rows]), all_slots[validation_rows]
        device = self.device_
        components = []

        def validation_loss():
            total = 0.0
            for start in range(0, len(held_out), self.batch_size):
                stop = start + self.batch_size
                batch = self._standardised(held_out[start:stop], (floor, mean, std)).to(device)
                slot = held_out_slots[start:stop].to(device)
                mean_z, logvar = module.encode(batch, slot)
                mse = torch.mean((module.decode(mean_z, slot) - batch) ** 2)
                kl = kl_divergence(mean_z, logvar).mean()
                total += float(mse + self.beta * kl) * len(batch)
            return total / len(held_out)

        def batch_loss(indices):
            batch = self._standardised(records[indices], (floor, mean, std)).to(device)
            slot = slots[indices].clone()
            slot[torch.rand(len(slot)) < self.unknown_station_rate] = unknown_slot
            reconstruction, mean_z, logvar = module(batch, slot.to(device))
            mse = torch.mean((reconstruction - batch) ** 2)
            kl = kl_divergence(mean_z, logvar).mean()
            components.append((len(indices), float(mse.detach()), float(kl.detach())))
            return mse + self.beta * kl

        with torch_seed(seed_from(rng)):
            module = SpectrogramCVAE(
                self.n_channels_,
                n_freqs,
                n_frames,
                n_slots=len(labels) + 1,
                channels=tuple(int(c) for c in self.channels),
                latent_dim=int(self.latent_dim),
            ).to(device)
            stopper = (
                EarlyStopping(validation_loss, self.n_iter_no_change, self.tol)
                if self.early_stopping
                else None
            )
            losses = train_epochs(
                module,
                batch_loss,
                len(records),
                epochs=self.epochs,
                lr=self.lr,
                weight_decay=self.weight_decay,
                batch_size=self.batch_size,
                seed=seed_from(rng),
                desc="SpectrogramCVAE",
                verbose=self.verbose,
                checkpoint=checkpoint,
                early_stopping=stopper,
            )
        steps = int(np.ceil(len(records) / self.batch_size))
        # Epochs restored from a checkpoint only kept their total loss.
        resumed = len(losses) - len(components) // steps
        history = {"loss": losses, "reconstruction": [np.nan] * resumed, "kl": [np.nan] * resumed}
        sizes, mse, kl = np.array(components).reshape(len(losses) - resumed, steps, 3).T
        # Per epoch: records, summed MSE and KL, over the records of every
        # process under torchrun.
        totals = all_reduce_sum(
            np.stack([sizes.sum(0), (sizes * mse).sum(0), (sizes * kl).sum(0)], axis=1)
        ).numpy()
        history["reconstruction"] += (totals[:, 1] / totals[:, 0]).tolist()
        history["kl"] += (totals[:, 2] / totals[:, 0]).tolist()
        history["validation"] = stopper.losses if stopper is not None else []
        fitted.update(module_=module, history_=history)
        return fitted

    def _build_module(self):
        """The untrained network for the fitted layout and training stations
        (``skgen.load`` fills it with saved weights)."""
        return SpectrogramCVAE(
            self.n_channels_,
            self.n_fft // 2 + 1,
            1 + self.n_times_ // self.hop_length,
            n_slots=len(self.station_index_) + 1,
            channels=tuple(int(c) for c in self.channels),
            latent_dim=int(self.latent_dim),
        )

    def _slots(self, stations):
        unknown = len(self.station_index_)
        return np.array([self.station_index_.get(s, unknown) for s in stations], dtype=np.int64)

    def _encode(self, X, slots):
        """Posterior means and log-variances, shape (n_records, latent_dim)."""
        means, logvars = [], []
        with torch.no_grad():
            for start in range(0, len(X), _CHUNK_RECORDS):
                batch = self._standardised(torch.from_numpy(X[start : start + _CHUNK_RECORDS]))
                slot = torch.from_numpy(slots[start : start + _CHUNK_RECORDS])
                mean, logvar = self.module_.encode(batch.to(self.device_), slot.to(self.device_))
                means.append(mean.cpu().numpy())
                logvars.append(logvar.cpu().numpy())
        return np.concatenate(means), np.concatenate(logvars)

    def _encode_records(self, X, stations):
        slots = self._slots(stations)
        mean, logvar = self._encode(X, slots)
        return {"mean": mean, "logvar": logvar, "slot": slots, "band": band_amplitudes(X)}

    def _decode_waveforms(self, z, slots, seed):
        """Waveforms from latents: decode, un-standardise, Griffin-Lim."""
        generator = torch.Generator().manual_seed(int(seed))
        out = np.empty((len(z), self.n_channels_, self.n_times_), dtype=np.float32)
        with torch.no_grad():
            for start in range(0, len(z), _CHUNK_RECORDS):
                stop = start + _CHUNK_RECORDS
                spectrogram = self.module_.decode(
                    torch.as_tensor(z[start:stop], dtype=torch.float32, device=self.device_),
                    torch.as_tensor(slots[start:stop], device=self.device_),
                )
                waveform = griffin_lim(
                    self._magnitude(spectrogram),
                    self.n_fft,
                    self.hop_length,
                    n_iter=int(self.griffin_lim_iters),
                    length=self.n_times_,
                    generator=generator,
                )
                out[start:stop] = waveform.cpu().numpy()
        return out

    def _generate(self, entry, n_samples, rng):
        if self.restore_spectrum:
            band = entry.get("band")
            n_bands = len(band_edges(self.n_times_)) - 1
            # Models saved before the bank kept bands have none, or NaN for
            # the records they held when stations were added since.
            if band is None or band.shape[-1] != n_bands or not np.isfinite(band).all():
                raise ValueError(
                    "restore_spectrum needs the bank's 'band' entries, which this model "
                    "(saved by an older skgen) lacks; rebuild its bank from the records "
                    "with with_bank(X, stations)."
                )
        centre, covariance = station_gaussian(entry["mean"], entry["logvar"])
        z = rng.multivariate_normal(centre, covariance, size=n_samples)
        slots = np.full(n_samples, entry["slot"][0], dtype=np.int64)
        X = self._decode_waveforms(z, slots, seed_from(rng))
        if not self.restore_spectrum:
            return X
        # Drawn after everything else, so the records without the restore
        # are the same for a given seed.
        rows = rng.randint(len(entry["band"]), size=n_samples)
        return match_bands(X, entry["band"][rows])

    # -- public extras ---------------------------------------------------
    def reconstruct(self, X, stations=None, random_state=None):
        """Encode records, decode their posterior means, retrieve the phase.

        Shows what the network keeps of a record: the magnitudes go through
        the autoencoder, the phase is re-estimated by Griffin-Lim.

        Parameters
        ----------
        X : array-like of shape (n_records, 3, n_times)
            Records of the model's ``n_times`` and channel count.
        stations : array-like of shape (n_records,) or None, default=None
            Station of each record, used as the condition (stations unknown
            to the network use the unknown slot); ``None`` uses the unknown
            slot for every record.
        random_state : int, RandomState instance or None, default=None
            Seeds the initial Griffin-Lim phase.

        Returns
        -------
        X_hat : ndarray of shape (n_records, 3, n_times), float32

        Raises
        ------
        ValueError, TypeError
            Not fitted, or records / labels that do not fit the model.
        """
        if stations is None:
            X = self._check_fitted_records(X)
            slots = np.full(len(X), len(self.station_index_), dtype=np.int64)
        else:
            X, stations = self._check_input(X, stations)
            slots = self._slots(stations)
        rng = check_random_state(random_state)
        z, _ = self._encode(X, slots)
        return self._decode_waveforms(z, slots, seed_from(rng))
