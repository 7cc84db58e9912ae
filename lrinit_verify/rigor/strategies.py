r"""Hypothesis strategies for widths, lengths, ensembles and seeds (plural names, validated).

The three regimes of a length :math:`t` at width :math:`n` (THEORY.md §3):
``"subcritical"`` :math:`t \ll \sqrt n`, ``"critical"`` :math:`t \approx c\sqrt n`, ``"supercritical"``
:math:`t \gg \sqrt n`.

Example:
    >>> from hypothesis import given
    >>> @given(widths(max_value=64))
    ... def test_width(n):
    ...     assert 1 <= n <= 64
    >>> test_width()
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.sampling.ensembles import ENSEMBLES

REGIMES = ("subcritical", "critical", "supercritical")


def widths(*, min_value: int = 1, max_value: int = 4096) -> st.SearchStrategy[int]:
    """Widths :math:`n` in ``[min_value, max_value]``: a uniform octave, then a uniform width in it."""
    lo = v.positive_int("min_value", min_value)
    hi = v.positive_int("max_value", max_value)
    if hi < lo:
        raise InvalidArgument(f"max_value={max_value!r} must be >= min_value={min_value!r}")
    exponents = st.integers(math.ceil(math.log2(lo)), math.ceil(math.log2(hi)))
    return exponents.flatmap(lambda e: st.integers(max(lo, 2 ** (e - 1) + 1 if e else 1), min(hi, 2**e)))


def _length_bounds(n: int, regime: str, c_min: float, c_max: float) -> tuple[int, int]:
    root = math.sqrt(n)
    if regime == "subcritical":
        return 0, max(0, math.floor(root**0.5))
    if regime == "critical":
        return max(1, math.ceil(c_min * root)), max(1, math.floor(c_max * root))
    return math.ceil(4 * root), max(math.ceil(4 * root), math.floor(root**1.5))


def lengths(
    n: int, *, regime: str = "critical", c_min: float = 0.5, c_max: float = 2.0
) -> st.SearchStrategy[int]:
    r"""Lengths :math:`t` for width :math:`n` in a regime.

    ``subcritical``: :math:`0 \le t \le n^{1/4}`; ``critical``: :math:`c_{min}\sqrt n \le t \le c_{max}\sqrt n`;
    ``supercritical``: :math:`4\sqrt n \le t \le n^{3/4}`.
    Raises ``ValueError`` if the regime holds no integer length at this width.
    """
    n = v.positive_int("n", n)
    regime = v.choice("regime", regime, REGIMES)
    c_min = v.positive_real("c_min", c_min)
    c_max = v.positive_real("c_max", c_max)
    lo, hi = _length_bounds(n, regime, c_min, c_max)
    if hi < lo:
        raise InvalidArgument(f"regime={regime!r} holds no integer length at n={n!r} (bounds {lo}..{hi})")
    return st.integers(lo, hi)


def widths_and_lengths(*, regime: str = "critical", min_width: int = 16, max_width: int = 4096):
    """Pairs ``(n, t)`` with ``t`` in ``regime`` at width ``n``."""
    regime = v.choice("regime", regime, REGIMES)
    return widths(min_value=min_width, max_value=max_width).flatmap(
        lambda n: st.tuples(st.just(n), lengths(n, regime=regime))
    )


def ensembles(*, names=ENSEMBLES) -> st.SearchStrategy[str]:
    """Names of matrix ensembles (see :data:`lrinit_verify.sampling.ensembles.ENSEMBLES`)."""
    names = tuple(names)
    for name in names:
        v.choice("names", name, ENSEMBLES)
    if not names:
        raise InvalidArgument("names=() must name at least one ensemble")
    return st.sampled_from(names)


def fields() -> st.SearchStrategy[str]:
    """``"real"`` or ``"complex"``."""
    return st.sampled_from(("real", "complex"))


def seeds() -> st.SearchStrategy[int]:
    """Seeds for explicit numpy/torch generators (replay is exact from the failing example)."""
    return st.integers(0, 2**32 - 1)
