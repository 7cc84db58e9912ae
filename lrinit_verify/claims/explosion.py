r"""Explosion-length claim: the printed (simulated) quantiles agree with an independent direct simulation.

``lrinit-verify threshold``, ``rescale`` and ``findings`` print, for Glorot, the median and worst-1 %
explosion length :math:`T = \min\{t \ge 1: \|W^t x\|^2 \ge 100\}` (:math:`x` a random unit vector) with an
order-statistic interval, from :func:`lrinit_verify.report.explosion_sim.simulated_lengths`. The check
draws fresh Glorot matrices and starts from an **independent** seed and runs plain numpy matrix–vector
products (:func:`direct_crossing_times`, no shared code with the trajectory engine), then tests each printed
interval :math:`[l, u]` for the :math:`q`-quantile :math:`\xi_q = \min\{t: F(t) \ge q\}` by two one-sided
binomial tests on the independent sample :math:`y_1..y_m` (censored at the same length :math:`L \ge u`):

* :math:`\xi_q \ge l \Rightarrow F(l-1) < q`, so :math:`\#\{y \le l-1\}` is stochastically below
  :math:`\mathrm{Bin}(m, q)`: reject when :math:`P(\mathrm{Bin}(m, q) \ge k) \le \beta/2`;
* :math:`\xi_q \le u \Rightarrow F(u) \ge q`: reject when
  :math:`P(\mathrm{Bin}(m, q) \le \#\{y \le u\}) \le \beta/2`
  (skipped when :math:`u = \infty`: the printed interval makes no upper claim).

Error accounting: with :math:`c` cases (width × field × quantile), each printed interval is computed at
pointwise error :math:`\alpha/(2c)` and each case's tests at :math:`\beta = \alpha/(2c)`, so a correct
calculator is reported violated with probability :math:`\le \alpha` (union bound: an interval misses
:math:`\xi_q`, or a test rejects a true statement). Planted bug: the radius heuristic
(:func:`lrinit_verify.theory.rescale.explosion_length`, :math:`\rho_{1-q}^{2t} \ge 100`) printed as the value.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from lrinit_verify.claims import Claim, Context, PlantedBug, register
from lrinit_verify.report import explosion_sim as sim
from lrinit_verify.rigor.stats import HOLDS, VIOLATED, Verdict
from lrinit_verify.theory.rescale import EXPLOSION_THRESHOLD, explosion_length

QUANTILES = (0.5, 0.01)


def direct_crossing_times(n, m, *, field, threshold, max_length, rng, chunk=8) -> np.ndarray:
    r"""Plain numpy: ``m`` fresh Glorot :math:`W` (entries :math:`N(0, 1/n)`, complex
    :math:`N_{\mathbb C}(0, 1/n)`), unit :math:`x`; first :math:`t \le` ``max_length`` with
    :math:`\|W^t x\|^2 \ge` ``threshold`` (``inf`` if none).

    Crossed runs leave the active set (no overflow). For :math:`W = 2I`: :math:`4^t \ge 100` first at 4.

    >>> rng = np.random.default_rng(0)
    >>> t = direct_crossing_times(4, 50, field="real", threshold=100.0, max_length=300, rng=rng)
    >>> t.shape, bool(np.all(t >= 1))
    ((50,), True)
    """
    out = np.empty(m)
    for s in range(0, m, chunk):
        b = min(chunk, m - s)
        w = _gauss(rng, (b, n, n), field) / math.sqrt(n)
        x = _gauss(rng, (b, n), field)
        out[s : s + b] = _first_crossings(
            w, x / np.linalg.norm(x, axis=1, keepdims=True), threshold, max_length
        )
    return out


def _gauss(rng, shape, field):
    z = rng.standard_normal(shape)
    return z if field == "real" else (z + 1j * rng.standard_normal(shape)) / math.sqrt(2)


def _first_crossings(w, x, threshold, max_length) -> np.ndarray:
    first = np.full(len(w), math.inf)
    active = np.arange(len(w))
    for t in range(1, max_length + 1):
        x = np.matmul(w, x[..., None])[..., 0]
        hit = np.sum(np.abs(x) ** 2, axis=1) >= threshold
        if hit.any():  # crossed runs leave (copying w only when the active set changes)
            first[active[hit]] = t
            active, x, w = active[~hit], x[~hit], w[~hit]
            if not len(active):
                break
    return first


def _binomial_tests(y, lo, hi, q, beta) -> tuple[bool, float]:
    """``(rejected, smallest one-sided p-value)`` of the two tests above at total error ``beta``."""
    m = len(y)
    p_lo = float(stats.binom.sf(np.count_nonzero(y <= lo - 1) - 1, m, q))
    p_hi = 1.0 if math.isinf(hi) else float(stats.binom.cdf(np.count_nonzero(y <= hi), m, q))
    return min(p_lo, p_hi) <= beta / 2, min(p_lo, p_hi)


def radius_heuristic(n, field, q):
    r"""Planted bug: the radius heuristic printed as ``(t, t)``, :math:`\rho_{1-q}^{2t} \ge 100`."""
    t = explosion_length(n, field=field, p=1 - q)
    return t, t


def check_explosion_quantiles(ctx: Context, *, printed=None) -> Verdict:
    r"""Printed median / worst-1 % explosion lengths of Glorot vs an independent plain-numpy simulation.

    ``printed(n, field, q) -> (lo, hi)`` replaces the calculator's interval (planted bugs only).
    """
    widths = ctx.pick([64], [256], [256, 1024])
    trials = ctx.pick({64: 300}, {256: 400}, {256: 1000, 1024: 400})
    direct = ctx.pick({64: 300}, {256: 300}, {256: 1000, 1024: 300})
    fields = ("real", "complex")
    cases = len(widths) * len(fields) * len(QUANTILES)
    alpha_case = ctx.alpha / (2 * cases)
    rows, rejected = [], []
    for n in widths:
        length = sim.default_max_length(n)
        for field in fields:
            ctx.note(f"explosion lengths n={n} {field}: calculator x{trials[n]}, direct x{direct[n]}")
            res = sim.simulated_lengths(
                n,
                field=field,
                init="glorot",
                trials=trials[n],
                alpha=alpha_case,
                seed=ctx.seed,
                max_length=length,
            )
            rng = np.random.default_rng(ctx.seed_for(f"explosion/direct/{n}/{field}"))
            y = direct_crossing_times(
                n, direct[n], field=field, threshold=EXPLOSION_THRESHOLD, max_length=length, rng=rng
            )
            for q in QUANTILES:
                lo, hi = res.by_quantile[q].interval if printed is None else printed(n, field, q)
                bad, pval = _binomial_tests(y, lo, hi, q, alpha_case)
                emp = float(np.sort(y)[math.ceil(len(y) * q) - 1])
                rows.append(
                    {
                        "n": n,
                        "field": field,
                        "q": q,
                        "printed": res.by_quantile[q].text()
                        if printed is None
                        else f"{lo:g} [{lo:g}, {hi:g}]",
                        "interval": (lo, hi),
                        "direct_quantile": emp,
                        "p_value": pval,
                        "rejected": bad,
                    }
                )
                rejected += [rows[-1]] if bad else []
    worst = min(rows, key=lambda r: r["p_value"])
    return Verdict(
        status=VIOLATED if rejected else HOLDS,
        estimate=worst["direct_quantile"],
        interval=worst["interval"],
        reference=None,
        alpha=ctx.alpha,
        cases=f"MC, Glorot n = {widths}, real and complex, q = {QUANTILES}, direct x{list(direct.values())}",
        summary="; ".join(
            f"n={r['n']} {r['field']} q={r['q']}: printed {r['printed']}, direct {r['direct_quantile']:g}"
            for r in rows
        ),
        details=rows,
    )


register(
    Claim(
        id="explosion.simulated_quantiles",
        statement="The printed median and worst-1% explosion lengths of Glorot "
        "(first t with ||W^t x||^2 >= 100, "
        "random unit x) agree with an independent direct simulation",
        latex=r"\xi_q(T) \in [l_q, u_q],\ T = \min\{t \ge 1 : \|W^t x\|^2 \ge 100\},\ q \in \{0.5, 0.01\}",
        provenance="derived",
        regime="finite n",
        check=check_explosion_quantiles,
        planted=PlantedBug({"printed": radius_heuristic}),
        calculators=(
            "montecarlo.explosion.explosion_length_quantiles",
            "report.explosion_sim.simulated_lengths",
        ),
    )
)
