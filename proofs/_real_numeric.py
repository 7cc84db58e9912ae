r"""Numerical evaluations behind the real-Pfaffian derivation of ``proofs/real.py``.

The pair matrix :math:`J`, the normalised Gram matrix at :math:`R = \infty`, the probability read off
its Pfaffian (bordered for odd :math:`n`), and the measured error of the trailing-block evaluation.
"""

from __future__ import annotations

import math

import numpy as np

#: Widths and radii at which the trailing block is compared with the dense Pfaffian.
TRAILING_CASES = tuple((n, r) for n in (128, 129) for r in (0.97, 1.0, 1.08))


def _pair_matrix(n: int) -> np.ndarray:
    J = np.zeros((n, n))
    for i in range(0, n - 1, 2):
        J[i, i + 1], J[i + 1, i] = 1.0, -1.0
    return J


def _infinity_gram(n: int, parts: str = "both") -> np.ndarray:
    from lrinit_verify.theory import _real_gram as gram

    return gram.gram(gram.make_plan(math.sqrt(n) + 40.0, n, 1e-14, "dense"), parts=parts)


def _pf_probability(U: np.ndarray, n: int) -> float:
    from lrinit_verify.theory import _real_gram as gram
    from lrinit_verify.theory._real_pfaffian import pfaffian_parlett_reid

    sign, log_pf = pfaffian_parlett_reid(U)
    return sign * math.exp(log_pf) / (gram.border_normaliser(n) if n % 2 else 1.0)


def trailing_block_error() -> float:
    r"""Largest $|\log P_{\text{trailing}} - \log P_{\text{dense}}|$ over :data:`TRAILING_CASES` (measured)."""
    from lrinit_verify.theory.real_law import real_log_radius_cdf

    return max(
        abs(real_log_radius_cdf(r, n) - real_log_radius_cdf(r, n, route="dense")) for n, r in TRAILING_CASES
    )
