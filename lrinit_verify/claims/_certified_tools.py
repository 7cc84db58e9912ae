r"""Helpers of the certified claims (:mod:`lrinit_verify.claims.certified`).

A check whose optional extra is missing comes out ``inconclusive`` (:func:`_missing`, :func:`_skip`); the
per-matrix certification (:func:`_certify_sample`) proves each sampled matrix's side of 1 and decides by
an exact one-sided binomial test on the certified counts (:func:`_count_status`).
"""

from __future__ import annotations

import importlib.util

import numpy as np
from scipy import stats as _st

from lrinit_verify.claims import Context
from lrinit_verify.rigor.stats import HOLDS, INCONCLUSIVE, VIOLATED, Verdict
from lrinit_verify.sampling.ensembles import glorot


def _missing(*modules: str) -> str | None:
    absent = [m for m in modules if importlib.util.find_spec(m) is None]
    if not absent:
        return None
    extra = {"flint": "rigorous (python-flint)", "hypothesis": "test (hypothesis)"}
    return "skipped: needs the extra " + ", ".join(extra.get(m, m) for m in absent)


def _skip(reason: str, cases: str) -> Verdict:
    return Verdict(status=INCONCLUSIVE, cases=cases, summary=reason)


# --- per-matrix certification ---------------------------------------------------------------


def _count_status(k_target: int, undecided: int, m: int, p0: float, alpha: float) -> str:
    """Exact one-sided binomial test of P(target side) >= p0 on certified counts.

    ``violated`` when even counting every undecided matrix on the target side the count is too small
    (P(Bin(m, p0) <= k_target + undecided) <= alpha); ``holds`` when even counting them on the wrong
    side it is not; ``inconclusive`` otherwise. A true claim is reported violated w.p. <= alpha.
    """
    if _st.binom.cdf(k_target + undecided, m, p0) <= alpha:
        return VIOLATED
    return HOLDS if _st.binom.cdf(k_target, m, p0) > alpha else INCONCLUSIVE


def _certify_sample(ctx: Context, label: str, widths, count: int, factor, above: bool, p0: float) -> Verdict:
    from lrinit_verify.rigor.certify import certify_radius_above

    rows = []
    for n in widths:
        rng = np.random.default_rng(ctx.seed_for(f"{label}/{n}"))
        for i in range(count):
            W = glorot(n, rng=rng) * factor(n)
            ctx.note(f"certify n={n} #{i + 1}/{count}")
            vd = certify_radius_above(W, 1.0, eig_max_n=256)
            rows.append({"n": n, "i": i, "rho_interval": vd.interval, "rho>1": vd.status, "method": vd.cases})
    m = len(rows)
    k_above = sum(r["rho>1"] == HOLDS for r in rows)
    k_below = sum(r["rho>1"] == VIOLATED for r in rows)
    undecided = m - k_above - k_below
    k_target = k_above if above else k_below
    side = "rho > 1" if above else "rho < 1"
    per_n = ", ".join(
        f"n={n}: {sum(r['n'] == n and r['rho>1'] == (HOLDS if above else VIOLATED) for r in rows)}/{count}"
        for n in widths
    )
    return Verdict(
        status=_count_status(k_target, undecided, m, p0, ctx.alpha),
        estimate=k_target / m,
        interval=(k_target / m, (k_target + undecided) / m),
        reference=p0,
        alpha=ctx.alpha,
        cases=f"certified (Arb), n = {list(widths)}, {count} matrices each; exact binomial test vs {p0:.3g}",
        summary=f"certified {side}: {per_n}; undecided {undecided}/{m}; claim P({side}) >= {p0:.3g}",
        details=rows,
    )
