"""scikit-learn's estimator checks, one test per check, so that the first
failure does not hide the rest. The checks that cannot apply to a generator
are listed with their reasons in ``_testing.EXPECTED_FAILED_CHECKS``."""

from _testing import EXPECTED_FAILED_CHECKS, MINIMAL_TIMESNET
from sklearn.utils.estimator_checks import parametrize_with_checks

from skgen import (
    EvolutionarySampler,
    MixingSampler,
    SpectrogramCVAEGenerator,
    StochasticGenerator,
    TimesNetGenerator,
)

TINY = [
    TimesNetGenerator(**MINIMAL_TIMESNET, n_times=None, epochs=1, noise_epochs=1, random_state=0),
    SpectrogramCVAEGenerator(
        n_times=None,
        n_fft=16,
        hop_length=4,
        channels=(2, 2),
        latent_dim=2,
        epochs=1,
        griffin_lim_iters=1,
    ),
    StochasticGenerator(sampler=MixingSampler(n_mix=2)),
    StochasticGenerator(source="records", sampler=EvolutionarySampler()),
]


@parametrize_with_checks(TINY, expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
