r"""Notation shared by the spectral-edge derivations of ``proofs/edge.py``.

The sympy symbols, Rider's centring constant and edge expansion, the paper's Gumbel level, the widths
at which the derivations are compared with the package's calculators, the float comparison they use,
and the sign of :math:`\gamma_n` decided in high precision (where the expansion is defined).
"""

from __future__ import annotations

import math

import mpmath
import sympy as sp

# Symbols shared by the derivations (positive where the derivation needs it).
n = sp.Symbol("n", positive=True)
t = sp.Symbol("t", positive=True)
K = sp.Symbol("K", positive=True)
rho = sp.Symbol("rho", positive=True)
sigma = sp.Symbol("sigma", positive=True)
delta = sp.Symbol("delta", positive=True)
x = sp.Symbol("x", real=True)
p = sp.Symbol("p", positive=True)
X = sp.Symbol("X", real=True)
R = sp.Symbol("R_n", positive=True)
g = sp.Symbol("gamma_n", positive=True)
k = sp.Symbol("k", integer=True, nonnegative=True)

#: $\gamma_n$ as a sympy expression in $n$.
GAMMA_N = sp.log(n / (2 * sp.pi * sp.log(n) ** 2))
#: $x^* = \gamma_E + \pi/\sqrt 6$ (Gumbel mean plus one standard deviation).
X_STAR = sp.EulerGamma + sp.pi / sp.sqrt(6)
#: Rider's edge expansion $\rho(W) \approx 1 + \sqrt{\gamma_n/(4n)} + x/\sqrt{4\gamma_n n}$ in terms of $\gamma_n$.
EDGE_EXPANSION = 1 + sp.sqrt(g / (4 * n)) + x / sp.sqrt(4 * g * n)

#: Where the known values $c_{256}, c_{512}, c_{1024}$ come from: the authors' public code.
AUTHORS_CODE = (
    "``fixed_glorot`` / ``fixed_init_A`` in ``lru/model.py`` of github.com/NogaBar/Rescaled_Glorot_for_RNN "
    "(commit e5ec867)"
)

#: Widths at which the lambdified formulas are compared with the package's calculators.
CHECK_WIDTHS = (164, 170, 200, 256, 512, 1024, 4096, 10**6)


def _close(a: float, b: float, *, rel: float = 1e-12) -> bool:
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= rel * max(abs(a), abs(b))


def gamma_exact_sign(width: int, *, dps: int = 50) -> int:
    r"""Sign of $\gamma_n = \log(n / (2\pi (\log n)^2))$ decided at ``dps`` digits (mpmath).

    The sign of $\gamma_n$ is the sign of $n - 2\pi(\log n)^2$; near the root $n^* \approx 163.04$
    the margin is about $0.04$, far above the working precision.

    >>> gamma_exact_sign(163), gamma_exact_sign(164)
    (-1, 1)
    """
    with mpmath.workdps(dps):
        margin = width - 2 * mpmath.pi * mpmath.log(width) ** 2
        if abs(margin) < mpmath.mpf(10) ** (10 - dps):
            raise ValueError(f"width={width!r}: sign of gamma_n undecided at dps={dps!r}")
        return 1 if margin > 0 else -1
