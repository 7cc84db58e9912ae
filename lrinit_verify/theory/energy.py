r"""Exact finite-width energies :math:`S_{n,t} = E\|W^t x\|^2` of Glorot recurrences (THEORY.md §3).

For :math:`W` of width :math:`n` with iid entries of variance :math:`1/n` and any fixed unit vector :math:`x`,
:math:`S_{n,t} = E\|W^t x\|^2 = \tfrac1n E\,\mathrm{tr}(W^t W^{t*})`.

* **Complex closed form.** With rising :math:`(n)^{\uparrow}_k` and falling :math:`(n)^{\downarrow}_k`
  factorials, THEORY.md states :math:`S_{n,t} = \frac{1}{(t+2)n^{t+1}}\sum_{k=0}^{t+1}
  (n)^{\uparrow}_k (n)^{\downarrow}_{t+1-k}`. The sum telescopes
  (:math:`(n)^{\uparrow}_{k+1}(n)^{\downarrow}_{m-k} - (n)^{\uparrow}_{k}(n)^{\downarrow}_{m+1-k}
  = m\,(n)^{\uparrow}_{k}(n)^{\downarrow}_{m-k}`, see ``proofs/energy.py``), giving the two-term form
  :math:`S_{n,t} = \frac{(n)^{\uparrow}_{t+2} - (n)^{\downarrow}_{t+2}}{(t+1)(t+2)\,n^{t+1}},`
  which :func:`energy_exact` and :func:`log_energy` use. It is proved for every :math:`n` and :math:`t` (Wick
  pairings as long cycles, then Zagier's count: ``proofs/closed_form.py``, page
  *energy-closed-form-proof*) and re-checked against exact Wick enumeration for every :math:`t` the
  enumeration reaches (:func:`verify_closed_form`).
* **Wick/Isserlis enumeration** (kernel in :mod:`lrinit_verify.theory._wick`) gives :math:`S_{n,t}` as an
  exact polynomial in :math:`1/n` for both fields.
* **Genus expansion** :math:`S_{n,t} = \sum_g \varepsilon_g(t) n^{-2g}`, :math:`\varepsilon_0 = 1`,
  :math:`\varepsilon_1(t) = \binom{t+2}{4}`; **critical limit** :math:`S_{n, c\sqrt n} \to F(c) =
  \sinh(c^2/2)/(c^2/2)` with an explicit :math:`1/\sqrt n` correction (:func:`critical_correction`).

Example:
    >>> energy_exact(4, 2)
    Fraction(17, 16)
    >>> energy_exact(4, 2, field="real")
    Fraction(9, 8)
    >>> genus_coefficients(4)
    [1, 15, 8]
    >>> round(critical_limit(1.0), 4), round(critical_limit(2.0), 4)
    (1.0422, 1.8134)
    >>> abs(log_energy(10**8, 10**4) - math.log(critical_limit(1.0))) < 1e-3
    True
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.theory._exact import closed_form_coefficients, closed_form_exact, falling, rising
from lrinit_verify.theory._logspace import sum_form_log_energy, two_term_log_energy
from lrinit_verify.theory.enumeration import (
    energy_polynomial as energy_polynomial,
    energy_variance as energy_variance,
    evaluate_polynomial,
    second_moment_polynomial as second_moment_polynomial,
)

#: Default largest ``t_max`` of :func:`verify_closed_form`: both enumeration forms up to :math:`t = 10` take about
#: 10 s (:math:`10!` permutations); :math:`t = 11` about 2 min, :math:`t = 12` about 25 min (measured, shared 2-core machine).
VERIFY_CLOSED_FORM_MAX_T = 10
#: Largest :math:`t` of the exact closed-form coefficients (:func:`closed_form_polynomial`, genus_coefficients):
#: :math:`O(t^2)` big-integer Stirling numbers, about 3.5 s at :math:`t = 2000` (measured, shared 2-core machine).
CLOSED_FORM_MAX_T = 2000
#: Largest :math:`t` of :func:`energy_exact` (complex): the fraction's numerator and denominator have
#: :math:`O(t \log n)` digits, about 0.1 s at :math:`t = 10^4` and 13 s at :math:`t = 10^5` (measured, shared
#: 2-core machine; the cost grows like :math:`t^2`). Beyond it, :func:`log_energy` (float, any :math:`t`).
ENERGY_EXACT_MAX_T = 100_000


# --- exact rational closed form (complex; kernels in :mod:`._exact`) ------------------------


def closed_form_sum(n, t) -> Fraction:
    r"""THEORY.md's sum form :math:`\frac{1}{(t+2)n^{t+1}}\sum_{k=0}^{t+1}(n)^{\uparrow}_k(n)^{\downarrow}_{t+1-k}`.

    Kept as an independent route to the telescoped two-term form used by :func:`energy_exact`.

    >>> closed_form_sum(5, 3) == energy_exact(5, 3)
    True
    """
    n = v.positive_int("n", n)
    t = v.nonnegative_int("t", t)
    total = sum(rising(n, k) * falling(n, t + 1 - k) for k in range(t + 2))
    return Fraction(total, (t + 2) * n ** (t + 1))


def energy_exact(n, t, *, field="complex") -> Fraction:
    r""":math:`S_{n,t} = E\|W^t x\|^2` exactly, as a ``Fraction``.

    **Arguments:**

    - ``n`` width (positive integer), ``t`` length (non-negative integer).
    - ``field``: ``"complex"`` (closed form, any size) or ``"real"`` (the real genus polynomial
      from exact Wick enumeration, available for :math:`t \le` :data:`~.enumeration.REAL_ENUMERATION_MAX_T`).

    **Returns:** ``fractions.Fraction``.

    >>> energy_exact(1, 5), energy_exact(7, 1), energy_exact(3, 2, field="real")
    (Fraction(120, 1), Fraction(1, 1), Fraction(11, 9))
    """
    n = v.positive_int("n", n)
    t = v.nonnegative_int("t", t)
    if v.field(field) == "complex":
        if t > ENERGY_EXACT_MAX_T:
            raise InvalidArgument(
                f"t={t!r} exceeds ENERGY_EXACT_MAX_T={ENERGY_EXACT_MAX_T}: the exact fraction has O(t log n) "
                "digits (about 13 s at the limit, growing like t^2); use log_energy(n, t) for any t"
            )
        return closed_form_exact(n, t)
    return evaluate_polynomial(energy_polynomial(t, field="real"), n)


def closed_form_polynomial(t) -> list[int]:
    r"""Coefficients :math:`[c_0, c_1, \dots]` of :math:`n^{-k}` in the complex closed form (exact integers).

    >>> closed_form_polynomial(2)
    [1, 0, 1]
    """
    return list(closed_form_coefficients(_closed_form_t(t)))


def _closed_form_t(t) -> int:
    t = v.nonnegative_int("t", t)
    if t > CLOSED_FORM_MAX_T:
        raise InvalidArgument(
            f"t={t!r} exceeds CLOSED_FORM_MAX_T={CLOSED_FORM_MAX_T}: the exact coefficients are O(t^2) "
            "big-integer Stirling numbers (about 3.5 s at the limit); for one width use energy_exact(n, t) "
            "or log_energy(n, t)"
        )
    return t


# --- genus coefficients; the closed form against Wick enumeration (:mod:`.enumeration`) ---


def genus_coefficients(t, *, field="complex") -> list[int]:
    r"""Genus coefficients of :math:`S_{n,t}`.

    Complex: :math:`[\varepsilon_0(t), \varepsilon_1(t), \dots]` with :math:`S_{n,t} = \sum_g \varepsilon_g(t)
    n^{-2g}` (odd powers vanish), from the closed form: :math:`\varepsilon_g(t) = \frac{2\,c(t+2,\,t+1-2g)}
    {(t+1)(t+2)}` with :math:`c` the unsigned Stirling numbers of the first kind; :math:`\varepsilon_1 =
    \binom{t+2}{4}`. Real: the coefficients :math:`[c_0, c_1, c_2, \dots]` of :math:`n^{-h}`, :math:`h = 0, 1, 2,
    \dots` (non-orientable surfaces contribute odd :math:`h`), from exact enumeration.

    >>> genus_coefficients(6)[1] == math.comb(8, 4)
    True
    >>> genus_coefficients(3, field="real")
    [1, 0, 10, 4]
    """
    t = v.nonnegative_int("t", t)
    if v.field(field) == "real":
        return energy_polynomial(t, field="real")
    poly = closed_form_coefficients(_closed_form_t(t))
    return [poly[k] for k in range(0, len(poly), 2)]


def verify_closed_form(t_max, *, field="complex", max_t=VERIFY_CLOSED_FORM_MAX_T) -> list[dict]:
    r"""Compare the closed form with exact enumeration, polynomial identity in :math:`n`, for :math:`t \le` ``t_max``.

    **Returns:** rows ``{"t", "pairings", "agree", "seconds"}``; ``agree`` compares all
    coefficients, i.e. equality for every width :math:`n`, by both enumeration forms. The cost grows
    as :math:`t!`: ``t_max`` above ``max_t`` (default :data:`VERIFY_CLOSED_FORM_MAX_T`) is refused.

    >>> all(r["agree"] for r in verify_closed_form(4))
    True
    """
    t_max = v.nonnegative_int("t_max", t_max)
    if v.field(field) != "complex":
        raise InvalidArgument("field='real' has no closed form to verify; use energy_polynomial")
    if t_max > v.nonnegative_int("max_t", max_t):
        raise InvalidArgument(
            f"t_max={t_max!r} exceeds max_t={max_t!r}: the enumeration costs t! permutations (about 10 s for "
            "t <= 10, 2 min for 11, 25 min for 12); pass max_t= to run it anyway"
        )
    rows = []
    for t in range(t_max + 1):
        start = time.perf_counter()
        trace = energy_polynomial(t, max_t=t_max)
        vector = energy_polynomial(t, form="vector", max_t=t_max)
        closed = closed_form_polynomial(t)
        agree = _same(trace, closed) and _same(vector, closed)
        rows.append(
            {"t": t, "pairings": math.factorial(t), "agree": agree, "seconds": time.perf_counter() - start}
        )
    return rows


def _same(a, b) -> bool:
    size = max(len(a), len(b))
    return list(a) + [0] * (size - len(a)) == list(b) + [0] * (size - len(b))


# --- log space (kernels in :mod:`._logspace`) ---------------------------------------


def log_energy(n, t) -> float:
    r""":math:`\log S_{n,t}` for complex Glorot in float64, with no overflow for :math:`n, t` up to :math:`10^8` and beyond.

    Uses :math:`S_{n,t} = \frac{n}{(t+1)(t+2)} \frac{(n)^{\uparrow}_{m}}{n^{m}}\big(1 - e^{-D}\big)`, :math:`m = t+2`,
    :math:`D = \log\frac{(n)^{\uparrow}_m}{(n)^{\downarrow}_m}`, with both log-ratios computed by exact
    summation for :math:`m \le 4096` and by a Stirling difference without cancellation beyond;
    :math:`\log(1 - e^{-D})` by ``log(-expm1(-D))``. Accuracy: :math:`|\Delta \log S| \lesssim 10^{-12}
    \max(1, |\log S|)` (checked against mpmath at 50 digits).

    >>> round(log_energy(16, 3), 12) == round(math.log(energy_exact(16, 3)), 12)
    True
    >>> log_energy(10**8, 10**8) > 3e7
    True
    """
    n = v.positive_int("n", n)
    t = v.nonnegative_int("t", t)
    return two_term_log_energy(n, t)


def log_energy_sum(n, t) -> float:
    r""":math:`\log S_{n,t}` by log-sum-exp over the :math:`t+2` terms of the sum form (log-gamma), an independent route.

    Cost :math:`O(t)`; float64 log-gamma differences limit its absolute accuracy to about
    :math:`10^{-16}\log\Gamma(n+t)` (about :math:`10^{-7}` at :math:`n \sim 10^8`).

    >>> abs(log_energy_sum(64, 40) - log_energy(64, 40)) < 1e-10
    True
    """
    n = v.positive_int("n", n)
    t = v.nonnegative_int("t", t)
    return sum_form_log_energy(n, t)


def log_energy_mp(n, t, *, dps=50):
    r""":math:`\log S_{n,t}` as an mpmath number at ``dps`` digits (reference for :func:`log_energy`).

    >>> abs(float(log_energy_mp(16, 4)) - log_energy(16, 4)) < 1e-15
    True
    """
    import mpmath

    n = v.positive_int("n", n)
    t = v.nonnegative_int("t", t)
    with mpmath.workdps(v.positive_int("dps", dps)):
        m = t + 2
        num = mpmath.rf(n, m) - (mpmath.ff(n, m) if m <= n else 0)
        return +(mpmath.log(num) - mpmath.log((t + 1) * (t + 2)) - (t + 1) * mpmath.log(n))


# --- critical limit ----------------------------------------------------------------------

_LOG_FLOAT_MAX = math.log(1.7976931348623157e308)


def critical_limit(c) -> float:
    r""":math:`F(c) = \sinh(c^2/2)/(c^2/2) = \lim_{n\to\infty} S_{n, c\sqrt n}` (complex; [conj] for real).

    Beyond float64 (:math:`|c| \gtrsim 37.9`, :math:`F > 1.8\cdot 10^{308}`) it returns ``inf``, as float
    arithmetic does; :math:`\log F(c) = y - \log 2y + \log(1 - e^{-2y})`, :math:`y = c^2/2`, stays finite.

    >>> critical_limit(0.0), critical_limit(40.0)
    (1.0, inf)
    """
    c = v.finite_real("c", c)
    y = 0.5 * c * c
    if y < 1e-4:
        return 1.0 + y * y / 6.0 + y**4 / 120.0
    if y > 700:
        log_f = y - math.log(2.0 * y) if math.isfinite(y) else math.inf
        return math.inf if log_f > _LOG_FLOAT_MAX else math.exp(log_f)
    return math.sinh(y) / y


def critical_correction(c) -> float:
    r""":math:`G(c) = \lim_{n\to\infty} \sqrt n\,(S_{n, c\sqrt n} - F(c))`, the :math:`1/\sqrt n` correction (complex).

    From the two-term closed form with :math:`m = t + 2 = c\sqrt n + 2` and :math:`y = c^2/2`
    (derivation ``energy-critical-limit`` in ``proofs/energy.py``):
    :math:`G(c) = \frac{3\cosh y}{c} - \frac{6\sinh y}{c^3} - \frac{c\sinh y}{3}
    = \frac{c^3}{12} - \frac{c^7}{1440} - \dots`
    so :math:`S_{n,c\sqrt n} = F(c) + G(c)/\sqrt n + O(1/n)`.

    >>> round(critical_correction(0.1) / (0.1**3 / 12), 6)
    1.0
    >>> round(critical_correction(1.0), 6)
    0.082608
    """
    c = v.finite_real("c", c)
    if abs(c) < 0.05:
        return c**3 / 12.0 - c**7 / 1440.0 - c**11 / 32256.0
    y = 0.5 * c * c
    if y > 700:  # cosh y = sinh y = e^y/2 to double precision; G = (e^y/2)(3/c - 6/c^3 - c/3), -inf side
        g = 3.0 / c - 6.0 / c / c / c - c / 3.0
        log_g = y - math.log(2.0) + math.log(abs(g)) if math.isfinite(y) else math.inf
        return math.copysign(math.inf if log_g > _LOG_FLOAT_MAX else math.exp(log_g), g)
    return 3.0 * math.cosh(y) / c - 6.0 * math.sinh(y) / c**3 - c * math.sinh(y) / 3.0


# --- cumulative and hidden-state energies ----------------------------------------------


def cumulative_energy(n, t, *, field="complex") -> Fraction:
    r""":math:`\sum_{k<t} S_{n,k}`: :math:`E\|h_t\|^2` for inputs of unit energy independent across time.

    >>> cumulative_energy(4, 3)
    Fraction(49, 16)
    """
    n = v.positive_int("n", n)
    t = v.nonnegative_int("t", t)
    return sum((energy_exact(n, k, field=field) for k in range(t)), Fraction(0))


def hidden_state_energy(n, input_energies, *, field="complex") -> Fraction:
    r""":math:`E\|h_t\|^2 = \sum_{k<t} S_{n,k}\,\|u_{t-k}\|^2` for :math:`h_s = W h_{s-1} + u_s`, :math:`h_0 = 0`.

    ``input_energies`` :math:`= [\|u_1\|^2, \dots, \|u_t\|^2]` (non-negative rationals or floats). Exact for
    complex :math:`W` and deterministic inputs (phase invariance kills cross terms); for real :math:`W` it
    holds for inputs independent across time, zero mean, isotropic covariance — not for
    deterministic inputs.

    >>> hidden_state_energy(4, [1, 1, 1]) == cumulative_energy(4, 3)
    True
    """
    n = v.positive_int("n", n)
    energies = [
        Fraction(v.nonnegative_real("input_energies", e))
        if not isinstance(e, (int, Fraction))
        else Fraction(e)
        for e in input_energies
    ]
    if any(e < 0 for e in energies):
        raise InvalidArgument(f"input_energies={list(input_energies)!r} must be non-negative")
    t = len(energies)
    return sum((energy_exact(n, k, field=field) * energies[t - 1 - k] for k in range(t)), Fraction(0))


def feedforward_energy(n, t) -> Fraction:
    r""":math:`E\|W_t\cdots W_1 x\|^2 = 1` for independent Glorot layers (every field, every :math:`n`, :math:`t`).

    Contrast with the recurrence, where :math:`S_{n,t} = 1 + \binom{t+2}{4}/n^2 + \dots`.

    >>> feedforward_energy(3, 50)
    Fraction(1, 1)
    """
    v.positive_int("n", n)
    v.nonnegative_int("t", t)
    return Fraction(1)
