"""What identifies a network fit, to resume it or to reuse it.

A fit's network depends on the generator's network parameters (every
constructor parameter but the sampler, the cache, the checkpoint path, the
device and the verbosity), the training data and the random state. That
identity keys the per-epoch checkpoint (``checkpoint``: an interrupted fit
resumes) and the cache of fitted networks (``memory``: a refit with other
sampling options, as in ``GridSearchCV`` over ``sampler__...``, reuses the
network, as ``Pipeline(memory=...)`` reuses fitted transformers);
docs/method.rst, "Tuning the sampling".
"""

import hashlib

from sklearn.utils.validation import check_memory

from .nn._training import Checkpoint

__all__ = ["fit_checkpoint", "network_params", "train_network"]

# Parameters that change how a fit runs or samples, never its network.
_NOT_NETWORK = ("checkpoint", "verbose", "device", "sampler", "memory")


def network_params(generator):
    """The generator's parameters that shape its network, as a dict."""
    params = generator.get_params(deep=False)
    for name in _NOT_NETWORK:
        params.pop(name, None)
    return params


def fit_checkpoint(generator, X, stations):
    """The checkpoint of this fit, or None without a ``checkpoint`` path.

    Its fingerprint covers the network parameters and the training data, so
    a checkpoint never resumes a different fit, and toggling a sampling
    option keeps it.
    """
    path = getattr(generator, "checkpoint", None)
    if path is None:
        return None
    digest = hashlib.sha256(type(generator).__name__.encode())
    digest.update(repr(sorted(network_params(generator).items())).encode())
    digest.update(repr(X.shape).encode() + X.tobytes())
    digest.update(repr(list(stations)).encode())
    return Checkpoint(path, digest.hexdigest())


def _train(generator, identity, X, stations, rng, checkpoint):
    """``generator._train``, with the fit's identity as the cache key."""
    return generator._train(X, stations, rng, checkpoint)


def train_network(generator, X, stations, rng, checkpoint):
    """The fitted attributes of ``generator._train``, from ``memory`` when cached.

    Parameters
    ----------
    generator : BaseStationGenerator
        With its input layout and device already resolved.
    X, stations : ndarray
        Validated training records and labels.
    rng : numpy.random.RandomState
        The fit's random state; its state is part of the key.
    checkpoint : Checkpoint or None

    Returns
    -------
    fitted : dict
    """
    memory = check_memory(getattr(generator, "memory", None))
    identity = (type(generator).__name__, network_params(generator), str(generator.device_))
    cached = memory.cache(_train, ignore=["generator", "checkpoint"])
    return cached(generator, identity, X, stations, rng, checkpoint)
