"""Generators whose new records a sampler draws from the station bank.

:class:`MixingGenerator` connects a generator to its ``sampler`` parameter
(``None`` meaning the class's ``_default_sampler``): the sampler draws,
mixes and restores; the generator supplies the waveforms it draws on (the
bank's ``recon``, or fresh ones through ``_components``) and, with a latent
space, the decoded latent noise (``_latent_noise``). A new sampler needs no
change here or in the generators.
"""

from ._base import BaseStationGenerator
from ._scenario import mix_scenario
from .sampling import MixingSampler

__all__ = ["MixingGenerator"]

# What ``sample(..., sampler=...)`` needs of a sampler object.
_SAMPLER_METHODS = ("check", "check_entry", "sample")


class MixingGenerator(BaseStationGenerator):
    """A station generator that samples with a ``sampler`` parameter.

    Not used directly: see :class:`skgen.TimesNetGenerator`.
    """

    # The sampler ``sampler=None`` stands for.
    _default_sampler = MixingSampler
    # ``_latent_noise(n, seed, sample_noise)`` of a generator with a latent
    # space (see MixingSampler.sample); None without one.
    _latent_noise = None
    # ``_components(entry, indices, rng)`` of a generator that mixes other
    # waveforms than the bank's ``recon`` (see MixingSampler.sample).
    _components = None

    def set_params(self, **params):
        """Set parameters; ``sampler__...`` on the default sampler (None) sets
        them on a new default sampler (the class's, e.g. ``EvolutionarySampler()``
        for :class:`skgen.TimesNetGenerator`).

        Returns
        -------
        self : estimator instance
        """
        nested = any(key.startswith("sampler__") for key in params)
        if nested and "sampler" not in params and self.sampler is None:
            params = {"sampler": self._default_sampler(), **params}
        return super().set_params(**params)

    def _sampler(self):
        """The ``sampler`` parameter, None meaning the class's default sampler."""
        return self._default_sampler() if self.sampler is None else self.sampler

    def _check_fit_input(self, X, stations):
        # A sampling typo should not wait for the training to end.
        self._sampler().check()
        return super()._check_fit_input(X, stations)

    def _resolve_sampler(self, sampler):
        if sampler is None:
            return self._sampler()
        if not all(callable(getattr(sampler, name, None)) for name in _SAMPLER_METHODS):
            raise TypeError(
                "sampler must be a sampler such as skgen.EvolutionarySampler or "
                "skgen.MixingSampler (with methods "
                f"{', '.join(_SAMPLER_METHODS)}), got {type(sampler).__name__}."
            )
        return sampler

    def _generate(self, entry, n_samples, rng, sampler=None):
        return self._draw(entry, n_samples, rng, sampler)[0]

    def _generate_near(self, entry, n_samples, rng, scenario, sampler=None):
        X, indices, weights = self._draw(entry, n_samples, rng, sampler, scenario)
        return (X,) + mix_scenario(entry, indices, weights)

    def _draw(self, entry, n_samples, rng, sampler=None, scenario=None):
        """Records with the bank indices and weights of their mixtures."""
        sampler = self._sampler() if sampler is None else sampler
        return sampler.sample(
            entry,
            n_samples,
            rng,
            fs=self.fs,
            n_times=self.n_times_,
            scenario=scenario,
            latent_noise=self._latent_noise,
            components=self._components,
        )
