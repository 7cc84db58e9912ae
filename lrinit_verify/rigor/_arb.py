r"""Ball-arithmetic helpers of :mod:`lrinit_verify.rigor.certify` (python-flint's Arb).

Conversions between numpy and Arb balls, and floats rounded outward from a ball: :func:`down` is
:math:`\le` every point of the ball and :func:`up` is :math:`\ge` every point, so bounds derived from
them are rigorous.
"""

from __future__ import annotations

import math

import numpy as np


def import_flint():
    """Import python-flint, or explain how to get it."""
    try:
        import flint
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "lrinit_verify.rigor.certify needs python-flint (Arb ball arithmetic); install the extra: "
            "pip install 'lrinit-verify[rigorous]'"
        ) from exc
    return flint


def ball_matrix(a: np.ndarray):
    """The exact matrix ``a`` as an ``arb_mat`` (real) or ``acb_mat`` (complex)."""
    flint = import_flint()
    if np.iscomplexobj(a):
        return flint.acb_mat(a.tolist())
    return flint.arb_mat(a.tolist())


def down(x) -> float:
    """A float ``<=`` every point of the arb ball ``x``."""
    lo = x.lower()
    f = float(lo)
    while lo < f:
        f = math.nextafter(f, -math.inf)
    return f


def up(x) -> float:
    """A float ``>=`` every point of the arb ball ``x``."""
    hi = x.upper()
    f = float(hi)
    while hi > f:
        f = math.nextafter(f, math.inf)
    return f


def frobenius_sq(M):
    r""":math:`\|M\|_F^2` as an arb ball."""
    flint = import_flint()
    total = flint.arb(0)
    for x in M.entries():
        total += x.real**2 + x.imag**2 if isinstance(x, flint.acb) else x * x
    return total


def root_down(x, k: int) -> float:
    r"""A float :math:`\le y^{1/k}` for every :math:`y \ge 0` in the ball ``x`` (0 if the ball reaches 0)."""
    flint = import_flint()
    lo = x.lower()
    if not lo > 0:
        return 0.0
    return down(flint.arb(lo).root(k))


def root_up(x, k: int) -> float:
    r"""A float :math:`\ge y^{1/k}` for every :math:`y \ge 0` in the ball ``x`` (0 for the exact ball 0).

    Arb's root of an exact zero is not a finite ball, so zero is handled here: a nilpotent :math:`W`
    has :math:`W^k = 0` exactly and hence the certified bound :math:`\rho(W) \le 0`.
    """
    flint = import_flint()
    upper = x.upper()
    if not upper > 0:
        return 0.0
    return up(flint.arb(upper).root(k))
