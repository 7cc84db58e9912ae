r"""Real-eigenvalue checks of the edge family (registered in :mod:`lrinit_verify.claims.edge`).

Monte Carlo counts of the real eigenvalues of real Glorot matrices against the exact Edelman–Kostlan–Shub
mean :math:`E_n` (empirical-Bernstein intervals) and Edelman's :math:`P(\text{all real}) = 2^{-n(n-1)/4}`
(Clopper–Pearson intervals).
"""

from __future__ import annotations

import numpy as np

from lrinit_verify.claims import Context
from lrinit_verify.montecarlo.simulate import count_real_eigenvalues, spectra
from lrinit_verify.rigor.stats import (
    HOLDS,
    VIOLATED,
    Verdict,
    clopper_pearson,
    empirical_bernstein,
    worst_status,
)
from lrinit_verify.theory import edge

# --- (d) real eigenvalues: Edelman–Kostlan–Shub and Edelman ----------------------------------


def check_real_eigenvalue_count(ctx: Context, *, reference=edge.expected_real_eigenvalues) -> Verdict:
    """Empirical-Bernstein intervals for the mean number of real eigenvalues contain E_n (EKS)."""
    widths = ctx.pick([2, 3, 8], [2, 3, 4, 8, 16], [2, 3, 4, 8, 16, 32])
    m = ctx.pick(20000, 40000, 100000)
    alpha_each = ctx.alpha / len(widths)
    rows = []
    for n in widths:
        counts = count_real_eigenvalues(spectra(n, m, field="real", **ctx.sim_kwargs(f"eks/{n}")))
        mean, lo, hi = empirical_bernstein(counts, bound=n, alpha=alpha_each)
        rows.append({"n": n, "trials": m, "mean": mean, "interval": (lo, hi), "E_n": reference(n)})
    status = worst_status(
        [HOLDS if r["interval"][0] <= r["E_n"] <= r["interval"][1] else VIOLATED for r in rows]
    )
    worst = max(rows, key=lambda r: abs(r["mean"] - r["E_n"]))
    return Verdict(
        status=status,
        estimate=worst["mean"],
        interval=worst["interval"],
        reference=worst["E_n"],
        alpha=ctx.alpha,
        cases=f"MC, n = {widths}, {m} matrices each",
        summary=", ".join(f"n={r['n']}: {r['mean']:.3f} (E_n {r['E_n']:.3f})" for r in rows),
        details=rows,
    )


def check_all_real_probability(ctx: Context, *, reference=edge.prob_all_real) -> Verdict:
    """Clopper–Pearson intervals for P(all eigenvalues real) contain 2^{-n(n-1)/4} (Edelman)."""
    widths = ctx.pick([2, 3, 4], [2, 3, 4, 5], [2, 3, 4, 5, 6])
    m = ctx.pick(20000, 50000, 200000)
    alpha_each = ctx.alpha / len(widths)
    rows = []
    for n in widths:
        counts = count_real_eigenvalues(spectra(n, m, field="real", **ctx.sim_kwargs(f"allreal/{n}")))
        k = int(np.count_nonzero(counts == n))
        ci = clopper_pearson(k, m, alpha=alpha_each)
        rows.append({"n": n, "trials": m, "P(all real)": k / m, "interval": ci, "exact": reference(n)})
    status = worst_status(
        [HOLDS if r["interval"][0] <= r["exact"] <= r["interval"][1] else VIOLATED for r in rows]
    )
    last = rows[-1]
    return Verdict(
        status=status,
        estimate=last["P(all real)"],
        interval=last["interval"],
        reference=last["exact"],
        alpha=ctx.alpha,
        cases=f"MC, n = {widths}, {m} matrices each",
        summary=", ".join(f"n={r['n']}: {r['P(all real)']:.4f} ({r['exact']:.4f})" for r in rows),
        details=rows,
    )
