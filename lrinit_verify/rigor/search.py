r"""Counterexample searches driven by hypothesis: where does a stated formula fail or break down?

Each search runs hypothesis programmatically (no database, quiet, seeded; the engine is
:mod:`lrinit_verify.rigor.search_engine`) on a property that *should* hold, steers it with
:func:`hypothesis.target` where a score exists, and returns the **shrunk** counterexample (hypothesis
replays the minimal failing example last) with a confirmation by an exact or certified computation:

* :func:`smallest_defined_width` — the paper's :math:`c_n` needs :math:`\gamma_n = \log(n/(2\pi\log^2 n)) > 0`;
  the search shrinks to the smallest width where it is defined, confirmed exactly for every
  :math:`n \le` that width (Arb or 50-digit mpmath) and by monotonicity of :math:`\gamma_n` for :math:`n \ge 8`.
* :func:`critical_limit_errors` — :math:`(n, t)` in the critical regime where :math:`S_{n,t}` differs from
  :math:`F(t/\sqrt n)` by more than a relative tolerance (needs :mod:`lrinit_verify.theory.energy`).
* :func:`transient_search` — small matrices with :math:`\rho(W) \le \rho_{max} < 1` and bounded entries
  whose powers still grow, :math:`\max_k \|W^k\|_2 \ge` threshold (non-normal transient); the peak and
  :math:`\rho < 1` are certified in ball arithmetic when python-flint is available.

Example:
    >>> res = smallest_defined_width(seed=0)
    >>> res.example, res.confirmed
    (164, True)
"""

from __future__ import annotations

import importlib
import math

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.rigor.search_engine import SearchResult, run_search
from lrinit_verify.theory.edge import rescale_factor

# --- the paper's c_n: where is it defined? ---------------------------------------------------


def _defined(n: int) -> bool:
    try:
        rescale_factor(n)
    except ValueError:
        return False
    return True


def _gamma_sign_exact(n: int) -> int:
    r"""Sign of :math:`n - 2\pi\log^2 n` (= sign of :math:`\gamma_n`), decided rigorously or at 50 digits."""
    try:
        from flint import arb, ctx

        with ctx.workprec(200):
            d = arb(n) - 2 * arb.pi() * arb(n).log() ** 2
            if d > 0:
                return 1
            if d < 0:
                return -1
        raise ArithmeticError(f"n={n}: sign of gamma_n undecided at 200 bits")  # pragma: no cover
    except ImportError:
        import mpmath

        with mpmath.workdps(50):
            d = n - 2 * mpmath.pi * mpmath.log(n) ** 2
            if abs(d) < mpmath.mpf(10) ** -40:  # pragma: no cover
                raise ArithmeticError(f"n={n}: sign of gamma_n undecided at 50 digits") from None
            return 1 if d > 0 else -1


def smallest_defined_width(*, max_value: int = 10**6, seed: int = 0, max_examples: int = 100) -> SearchResult:
    r"""Smallest width :math:`n \ge 2` at which the paper's :math:`c_n` is defined (:math:`\gamma_n > 0`), found by shrinking.

    Confirmation: :math:`\gamma_m \le 0` exactly for every :math:`2 \le m <` example, :math:`\gamma > 0` at the example,
    and :math:`\gamma_n` increases for :math:`n \ge 8` (:math:`\gamma_n' = (1 - 2/\log n)/n > 0`), so the formula is
    defined exactly from the example on.
    """
    from hypothesis import strategies as st

    max_value = v.positive_int("max_value", max_value, min_value=3)
    found = run_search(st.integers(2, max_value), _defined, seed=seed, max_examples=max_examples)
    n = found["example"]
    if n is None:
        return SearchResult(
            "c_n defined",
            False,
            examples_run=found["examples_run"],
            note=f"no width up to {max_value} makes c_n defined",
        )
    below = all(_gamma_sign_exact(m) < 0 for m in range(2, n))
    confirmed = below and _gamma_sign_exact(n) > 0 and n >= 8
    return SearchResult(
        "c_n defined",
        True,
        example=n,
        value=rescale_factor(n),
        confirmed=confirmed,
        examples_run=found["examples_run"],
        note=f"c_n undefined (gamma_n <= 0) for 2 <= n <= {n - 1}, defined from n = {n} on; c_{n} = {rescale_factor(n):.4f}",
        details={"largest_undefined": n - 1, "c_n": rescale_factor(n)},
    )


# --- the critical limit F(c) ------------------------------------------------------------------


def _energy():
    """:mod:`lrinit_verify.theory.energy` or ``None`` when that module does not exist yet."""
    try:
        return importlib.import_module("lrinit_verify.theory.energy")
    except ImportError:
        return None


def critical_error(n: int, t: int, energy=None) -> float:
    r"""Relative error :math:`|S_{n,t}/F(t/\sqrt n) - 1|` of the critical-limit approximation (float)."""
    energy = energy or _energy()
    c = t / math.sqrt(n)
    return abs(math.expm1(energy.log_energy(n, t) - math.log(energy.critical_limit(c))))


def _critical_error_exact(n: int, t: int, energy) -> float:
    import mpmath

    with mpmath.workdps(50):
        s = energy.energy_exact(n, t)
        y = mpmath.mpf(t) ** 2 / (2 * n)
        f = mpmath.sinh(y) / y
        return float(abs(mpmath.mpf(s.numerator) / s.denominator / f - 1))


def critical_limit_errors(
    *,
    tol: float = 0.01,
    min_width: int = 64,
    max_width: int = 4096,
    c_min: float = 0.5,
    c_max: float = 2.0,
    seed: int = 0,
    max_examples: int = 150,
) -> SearchResult:
    r""":math:`(n, t)` with :math:`c_{min} \le t/\sqrt n \le c_{max}` where :math:`|S_{n,t}/F(c) - 1| >` ``tol``.

    Steered by ``target(error)``; returns the shrunk (small :math:`n`, small :math:`t`) counterexample confirmed
    with the exact energy (``energy_exact``) at 50 digits, and the largest error seen. Returns a
    result with ``found=False`` and a note when :mod:`lrinit_verify.theory.energy` is absent.
    """
    from hypothesis import strategies as st

    from lrinit_verify.rigor.strategies import widths

    tol = v.positive_real("tol", tol)
    energy = _energy()
    if energy is None:
        return SearchResult(
            "F(c) error",
            False,
            confirmed=None,
            note="skipped: lrinit_verify.theory.energy (log_energy, critical_limit) is not available",
        )

    def pairs(n):
        lo, hi = max(1, math.ceil(c_min * math.sqrt(n))), max(1, math.floor(c_max * math.sqrt(n)))
        return st.tuples(st.just(n), st.integers(lo, max(lo, hi)))

    strategy = widths(min_value=min_width, max_value=max_width).flatmap(pairs)
    found = run_search(
        strategy,
        lambda nt: critical_error(*nt, energy) > tol,
        score=lambda nt: critical_error(*nt, energy),
        seed=seed,
        max_examples=max_examples,
    )
    best = found["best"]
    out = SearchResult(
        "F(c) error",
        found["example"] is not None,
        best_example=best and best[1],
        best_value=best and best[0],
        examples_run=found["examples_run"],
    )
    if out.found:
        n, t = out.example = found["example"]
        out.value = critical_error(n, t, energy)
        out.confirmed = _critical_error_exact(n, t, energy) > tol if n * t <= 10**6 else None
        out.note = (
            f"|S/F - 1| = {out.value:.3g} > {tol:g} at n={n}, t={t} (c={t / math.sqrt(n):.3f}); "
            f"largest seen {out.best_value:.3g} at {out.best_example}"
        )
    else:
        out.note = f"no (n, t) with error > {tol:g} in {out.examples_run} examples"
    return out


# --- non-normal transients under rho < 1 ----------------------------------------------------


def transient_peak(W, *, k_max: int = 64) -> tuple[float, int]:
    r""":math:`(\max_{1\le k\le k_{max}} \|W^k\|_2,\ \arg\max)` in float64.

    >>> transient_peak(np.array([[0.5, 1.0], [0.0, 0.5]]))   # ||W^k|| ~ k 2^{1-k}
    (1.2071067811865475, 1)
    """
    W = np.asarray(W, dtype=np.float64)
    powers = np.empty((k_max, *W.shape))
    powers[0] = W
    for k in range(1, k_max):
        powers[k] = powers[k - 1] @ W
    norms = np.linalg.norm(powers, 2, axis=(1, 2))
    k = int(np.argmax(norms))
    return float(norms[k]), k + 1


def _scaled_to_radius(entries, n: int, rho_max: float) -> np.ndarray:
    W = np.asarray(entries, dtype=np.float64).reshape(n, n)
    rho = float(np.max(np.abs(np.linalg.eigvals(W))))
    return W if rho <= rho_max else W * (rho_max / rho)


def _certify_transient(W: np.ndarray, k: int, rho_max: float) -> bool | None:
    r"""Certify :math:`\rho(W) < 1` and :math:`\|W^k\|_2 \ge \max_j \|W^k e_j\|_2 > 1` in Arb; None without flint."""
    from lrinit_verify.rigor import certify

    if not certify.available():
        return None
    from flint import arb_mat, ctx

    with ctx.workprec(106):
        P = arb_mat(W.tolist()) ** k
        columns = [sum(P[i, j] ** 2 for i in range(P.nrows())) for j in range(P.ncols())]
        peak_sq = max(c.lower() for c in columns)
    return certify.certify_radius_below(W, 1.0).status == "holds" and bool(peak_sq > 1)


def transient_search(
    *,
    n_max: int = 4,
    rho_max: float = 0.9,
    threshold: float = 10.0,
    k_max: int = 64,
    seed: int = 0,
    max_examples: int = 300,
) -> SearchResult:
    r"""Matrices with entries in :math:`[-1, 1]` and :math:`\rho(W) \le` ``rho_max`` maximising :math:`\max_k\|W^k\|_2`.

    The strategy draws :math:`2 \le n \le` ``n_max`` and entries, rescaling :math:`W` to radius ``rho_max`` if
    larger. ``target(peak)`` steers towards large transients; the shrunk example is the simplest
    matrix found whose peak reaches ``threshold``. For a normal matrix the peak would be at most
    :math:`\rho < 1`.
    """
    from hypothesis import strategies as st

    n_max = v.positive_int("n_max", n_max, min_value=2)
    rho_max = v.positive_real("rho_max", rho_max)
    if rho_max >= 1:
        raise InvalidArgument(f"rho_max={rho_max!r} must be below 1")
    threshold = v.positive_real("threshold", threshold)
    k_max = v.positive_int("k_max", k_max)
    entry = st.floats(-1.0, 1.0, allow_nan=False, allow_subnormal=False)
    strategy = st.integers(2, n_max).flatmap(
        lambda n: st.lists(entry, min_size=n * n, max_size=n * n).map(
            lambda e, n=n: _scaled_to_radius(e, n, rho_max)
        )
    )

    def peak(W):
        return transient_peak(W, k_max=k_max)[0]

    found = run_search(
        strategy, lambda W: peak(W) >= threshold, score=peak, seed=seed, max_examples=max_examples
    )
    best = found["best"]
    out = SearchResult(
        "transient",
        found["example"] is not None,
        best_example=best and best[1],
        best_value=best and best[0],
        examples_run=found["examples_run"],
    )
    if out.found:
        W = out.example = found["example"]
        out.value, k = transient_peak(W, k_max=k_max)
        out.confirmed = _certify_transient(W, k, rho_max)
        out.note = (
            f"n={W.shape[0]}, rho={np.max(np.abs(np.linalg.eigvals(W))):.3f} < 1 yet "
            f"||W^{k}|| = {out.value:.3g} >= {threshold:g}; best peak seen {out.best_value:.3g}"
        )
    else:
        out.note = (
            f"no peak >= {threshold:g} in {out.examples_run} examples; best {best[0] if best else 0:.3g}"
        )
    return out


__all__ = [
    "critical_error",
    "critical_limit_errors",
    "smallest_defined_width",
    "transient_peak",
    "transient_search",
]
