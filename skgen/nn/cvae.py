"""The conditional VAE on log-magnitude spectrograms (the paper's baseline).

Encoder: strided 3 x 3 Conv2d layers with LeakyReLU, flattened, then two
linear heads for the latent mean and log-variance. Decoder: a linear layer
back to the encoder's last feature map, then transposed convolutions that
mirror the encoder. The station label enters both halves as a one-hot
vector: it is concatenated to the flattened encoder features (so it reaches
both heads) and to the latent before decoding. Concatenating after the
convolutions rather than as constant input planes keeps the cost of the
convolutions independent of the number of stations; for the linear heads
the two are the same information.

Spectrograms are zero-padded (in standardised units, i.e. to the mean) up
to a multiple of ``2 ** len(channels)`` in both axes so every stride-2 layer
halves the grid exactly; the decoder output is cropped back.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["SpectrogramCVAE", "kl_divergence"]


class SpectrogramCVAE(nn.Module):
    """Conditional VAE for ``(n_channels, n_freqs, n_frames)`` spectrograms.

    Parameters
    ----------
    n_channels : int
        Spectrogram planes per record (one per seismogram component).
    n_freqs, n_frames : int
        Spectrogram size (frequency bins, time frames).
    n_slots : int
        Size of the one-hot station condition (training stations plus the
        "unknown station" slot).
    channels : sequence of int, default=(16, 32, 64, 128)
        Output channels of the strided convolutions, first to last.
    latent_dim : int, default=32
        Dimension of the latent space.
    negative_slope : float, default=0.2
        LeakyReLU slope.

    Examples
    --------
    >>> import torch
    >>> net = SpectrogramCVAE(3, 129, 188, n_slots=9)
    >>> mean, logvar = net.encode(torch.zeros(2, 3, 129, 188), torch.tensor([0, 8]))
    >>> mean.shape, net.decode(mean, torch.tensor([0, 8])).shape
    (torch.Size([2, 32]), torch.Size([2, 3, 129, 188]))
    """

    def __init__(
        self,
        n_channels,
        n_freqs,
        n_frames,
        n_slots,
        channels=(16, 32, 64, 128),
        latent_dim=32,
        negative_slope=0.2,
    ):
        super().__init__()
        self.n_channels = n_channels
        self.n_freqs = n_freqs
        self.n_frames = n_frames
        self.n_slots = n_slots
        self.latent_dim = latent_dim
        factor = 2 ** len(channels)
        self.padded_shape = (
            math.ceil(n_freqs / factor) * factor,
            math.ceil(n_frames / factor) * factor,
        )
        self.feature_shape = (
            channels[-1],
            self.padded_shape[0] // factor,
            self.padded_shape[1] // factor,
        )
        n_features = math.prod(self.feature_shape)

        widths = [n_channels, *channels]
        encoder = []
        for c_in, c_out in zip(widths[:-1], widths[1:]):
            encoder += [
                nn.Conv2d(c_in, c_out, 3, stride=2, padding=1),
                nn.LeakyReLU(negative_slope),
            ]
        self.encoder = nn.Sequential(*encoder)
        self.mean_head = nn.Linear(n_features + n_slots, latent_dim)
        self.logvar_head = nn.Linear(n_features + n_slots, latent_dim)

        self.decoder_input = nn.Sequential(
            nn.Linear(latent_dim + n_slots, n_features), nn.LeakyReLU(negative_slope)
        )
        decoder = []
        reversed_widths = widths[::-1]
        for i, (c_in, c_out) in enumerate(zip(reversed_widths[:-1], reversed_widths[1:])):
            # output_padding=1 makes each layer exactly double the grid.
            decoder.append(
                nn.ConvTranspose2d(c_in, c_out, 3, stride=2, padding=1, output_padding=1)
            )
            if i < len(channels) - 1:
                decoder.append(nn.LeakyReLU(negative_slope))
        self.decoder = nn.Sequential(*decoder)

    def _condition(self, slot):
        return F.one_hot(slot, self.n_slots).to(self.mean_head.weight.dtype)

    def encode(self, spectrogram, slot):
        """Posterior mean and log-variance.

        Parameters
        ----------
        spectrogram : Tensor of shape (batch, n_channels, n_freqs, n_frames)
            Standardised log-magnitudes.
        slot : LongTensor of shape (batch,)
            Station slot of each record.

        Returns
        -------
        mean, logvar : Tensor of shape (batch, latent_dim)
        """
        pad_freqs = self.padded_shape[0] - self.n_freqs
        pad_frames = self.padded_shape[1] - self.n_frames
        features = self.encoder(F.pad(spectrogram, (0, pad_frames, 0, pad_freqs)))
        features = torch.cat([features.flatten(1), self._condition(slot)], dim=1)
        return self.mean_head(features), self.logvar_head(features)

    def decode(self, z, slot):
        """Standardised log-magnitude spectrograms from latents.

        Parameters
        ----------
        z : Tensor of shape (batch, latent_dim)
        slot : LongTensor of shape (batch,)

        Returns
        -------
        spectrogram : Tensor of shape (batch, n_channels, n_freqs, n_frames)
        """
        features = self.decoder_input(torch.cat([z, self._condition(slot)], dim=1))
        out = self.decoder(features.view(-1, *self.feature_shape))
        return out[:, :, : self.n_freqs, : self.n_frames]

    def forward(self, spectrogram, slot):
        """Reconstruct through a reparameterised latent sample.

        Returns
        -------
        reconstruction : Tensor of shape (batch, n_channels, n_freqs, n_frames)
        mean, logvar : Tensor of shape (batch, latent_dim)
        """
        mean, logvar = self.encode(spectrogram, slot)
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)
        return self.decode(z, slot), mean, logvar


def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)) per record, summed over the latent.

    Parameters
    ----------
    mean, logvar : Tensor of shape (batch, latent_dim)

    Returns
    -------
    kl : Tensor of shape (batch,)
    """
    return 0.5 * torch.sum(mean.pow(2) + logvar.exp() - 1.0 - logvar, dim=1)
