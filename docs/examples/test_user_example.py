"""A theory check a user can copy: written only with lrinit_verify's strategies, fixture and helpers.

Run with ``pytest docs/examples/test_user_example.py`` once lrinit-verify is installed (the plugin
``lrinit_verify`` is picked up automatically; without the entry point add
``-p lrinit_verify.rigor.pytest_plugin``). A failing statistical test prints the seed that replays it.

False-failure probability of this file: each statistical assertion runs at ``ALPHA``; with
hypothesis drawing at most ``MAX_EXAMPLES`` seeds plus two single tests, the file fails spuriously
with probability at most ``(MAX_EXAMPLES + 2) * ALPHA`` = 1.1e-4 (Bonferroni).
"""

import numpy as np
from hypothesis import given, settings

from lrinit_verify import glorot, rescale_factor, spectral_radii
from lrinit_verify.strategies import seeds, widths
from lrinit_verify.testing import assert_distribution, assert_probability

ALPHA = 1e-5
MAX_EXAMPLES = 9


@given(widths(min_value=164, max_value=100_000))
def test_paper_factor_shrinks_glorot(n):
    """Deterministic: the paper's c_n is defined from n = 164 on and always shrinks (0 < c_n < 1)."""
    assert 0.0 < rescale_factor(n) < 1.0


def test_edge_above_one_is_likely_at_width_128(seeded_rng):
    """The paper: the spectral edge of real Glorot sits above one — here P(rho > 1) >= 0.8 at n = 128."""
    radii = spectral_radii(128, 400, field="real", rng=seeded_rng)
    assert_probability(radii > 1.0, at_least=0.8, alpha=ALPHA, name="rho(W) > 1, n=128")


def test_glorot_entries_have_variance_one_over_n(seeded_rng):
    """Entries of one 64 x 64 Glorot matrix, times sqrt(64), follow N(0, 1) (DKW band)."""
    from scipy.stats import norm

    entries = glorot(64, rng=seeded_rng).ravel() * 8.0
    assert_distribution(entries, norm.cdf, alpha=ALPHA, name="sqrt(n) W_ij")


@settings(max_examples=MAX_EXAMPLES, deadline=None)
@given(seeds())
def test_halving_glorot_keeps_rho_below_one(seed):
    """Half-variance Glorot (radius ≈ 1/sqrt 2) at n = 32: P(rho < 1) >= 0.95; hypothesis draws the seed."""
    rng = np.random.default_rng(seed)
    radii = spectral_radii(32, 200, ensemble="halved_glorot", rng=rng)
    assert_probability(radii < 1.0, at_least=0.95, alpha=ALPHA, name="rho(W/sqrt 2) < 1, n=32")
