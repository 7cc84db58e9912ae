r"""Exact Wick/Isserlis enumeration of the energy moments of Glorot recurrences (kernel in :mod:`._wick`).

For :math:`W` of width :math:`n` with iid entries of variance :math:`1/n`, :math:`S_{n,t} = E\|W^t x\|^2` and
:math:`E\|W^t x\|^4` are exact polynomials in :math:`1/n`: :func:`energy_polynomial` and
:func:`second_moment_polynomial` give their integer coefficients, for complex and real :math:`W`;
:func:`energy_variance` combines them. The closed forms they check are in :mod:`lrinit_verify.theory.energy`.

Example:
    >>> energy_polynomial(3)
    [1, 0, 5]
    >>> evaluate_polynomial(energy_polynomial(2, field="real"), 4)
    Fraction(9, 8)
"""

from __future__ import annotations

from fractions import Fraction

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.theory._wick import enumerated

#: Largest :math:`t` for which :func:`energy_polynomial` enumerates real pairings by default
#: (:math:`(2t-1)!!` matchings: 2 027 025 at :math:`t = 8`, 34 459 425 at :math:`t = 9`).
REAL_ENUMERATION_MAX_T = 9
#: Largest :math:`t` for which the complex enumeration runs by default (:math:`t!` permutations).
COMPLEX_ENUMERATION_MAX_T = 11


def evaluate_polynomial(coefficients, n) -> Fraction:
    r""":math:`\sum_k c_k n^{-k}` exactly for integer coefficients :math:`c_k` of :math:`n^{-k}`."""
    n = v.positive_int("n", n)
    return sum((Fraction(c, n**k) for k, c in enumerate(coefficients)), Fraction(0))


def _check_enumerable(t, field, max_t):
    limit = (
        (REAL_ENUMERATION_MAX_T if field == "real" else COMPLEX_ENUMERATION_MAX_T) if max_t is None else max_t
    )
    if t > limit:
        raise InvalidArgument(
            f"t={t!r} exceeds the exact {field} enumeration limit {limit} "
            f"(pass max_t= to run the larger enumeration anyway)"
        )


def energy_polynomial(t, *, field="complex", form="trace", max_t=None) -> list[int]:
    r""":math:`S_{n,t} = \sum_k c_k n^{-k}` by exact Wick enumeration: the integer list :math:`[c_0, c_1, \dots]`.

    **Arguments:**

    - ``t`` length; ``field`` ``"complex"`` (:math:`t!` pairings) or ``"real"`` (:math:`(2t-1)!!` pairings).
    - ``form``: ``"trace"`` uses :math:`\tfrac1n E\,\mathrm{tr}(W^tW^{t*})`; ``"vector"`` uses
      :math:`E\|W^t e_1\|^2` directly (an independent route: they agree by rotation invariance).
    - ``max_t``: raise the default size limit.

    Results are cached per ``(t, field, form)``.

    >>> energy_polynomial(2, field="real")
    [1, 0, 2]
    >>> energy_polynomial(3, field="complex", form="vector")
    [1, 0, 5]
    """
    t = v.nonnegative_int("t", t)
    field = v.field(field)
    v.choice("form", form, ("trace", "vector"))
    _check_enumerable(t, field, max_t)
    return list(enumerated(t, field, form))


def second_moment_polynomial(t, *, field="complex", max_t=None) -> list[int]:
    r""":math:`E\|W^t x\|^4 = \sum_k c_k n^{-k}` by exact Wick enumeration (:math:`(2t)!` or :math:`(4t-1)!!` pairings).

    Default limits: :math:`t \le 5` (complex), :math:`t \le 4` (real).

    >>> energy_polynomial(1), second_moment_polynomial(1)   # ||Wx||^2 ~ Gamma(n, 1/n)
    ([1], [1, 1])
    """
    t = v.nonnegative_int("t", t)
    field = v.field(field)
    _check_enumerable(t, field, (5 if field == "complex" else 4) if max_t is None else max_t)
    return list(enumerated(t, field, "moment4"))


def energy_variance(n, t, *, field="complex") -> Fraction:
    r""":math:`\mathrm{Var}\,\|W^t x\|^2 = E\|W^t x\|^4 - S_{n,t}^2` exactly (enumeration).

    For :math:`n = t = 1`, :math:`|w|^2 \sim` Exp(1) has variance 1:

    >>> energy_variance(1, 1), energy_variance(4, 2)
    (Fraction(1, 1), Fraction(215, 256))
    """
    n = v.positive_int("n", n)
    second = evaluate_polynomial(second_moment_polynomial(t, field=field), n)
    return second - evaluate_polynomial(energy_polynomial(t, field=field), n) ** 2
