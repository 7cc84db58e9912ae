r"""Monte Carlo checks of the real family (registered in :mod:`lrinit_verify.claims.real`).

Spectral radii of sampled real matrices against the exact real law by DKW bands on the KS distance: dense
Gaussian eigenvalues validate the law (``real.law_monte_carlo``), uniform-entry matrices test its
universality (``real.uniform_universality``, a finding).
"""

from __future__ import annotations

from lrinit_verify.claims import Context
from lrinit_verify.claims._real_tools import band_rows
from lrinit_verify.montecarlo.simulate import spectral_radii
from lrinit_verify.rigor.stats import Verdict, worst_status

# --- (1) the exact law against Monte Carlo eigenvalues ---------------------------------------------


def check_law_monte_carlo(ctx: Context, *, law_scale: float = 1.0) -> Verdict:
    r"""DKW band: radii of dense real Gaussian matrices (``numpy.linalg.eigvals``) vs the exact real law.

    Validates the law, so the radii come from an eigenvalue route (``route="dense"``), never from the
    law. Grid bounds on the KS distance (:func:`grid_ks_bounds`): ``holds`` if the upper bound is in the
    band at every width, ``violated`` if some lower bound leaves it. ``law_scale`` plants the law of
    ``law_scale * W`` (a mis-scaled reference).
    """
    widths = ctx.pick([4, 24], [3, 12, 48], [2, 3, 8, 32, 96])
    m = ctx.pick(1000, 2000, 8000)
    radii = {}
    for n in widths:
        ctx.note(f"real Gaussian eigenvalues (dense) n={n} x{m}")
        radii[n] = spectral_radii(n, m, field="real", route="dense", **ctx.sim_kwargs(f"real_law/{n}"))
    rows = band_rows(radii, ctx.alpha / len(widths), ctx.pick(100, 200, 400), law_scale)
    worst = max(rows, key=lambda r: r["ks_upper"] - r["band"])
    return Verdict(
        status=worst_status([r["status"] for r in rows]),
        estimate=worst["ks_upper"],
        interval=(worst["ks_lower"], worst["ks_upper"]),
        reference=0.0,
        alpha=ctx.alpha,
        cases=f"MC (dense eigvals), n = {widths}, {m} matrices each",
        summary=", ".join(f"n={r['n']}: KS in [{r['ks_lower']:.4f}, {r['ks_upper']:.4f}]" for r in rows)
        + f" vs DKW band {rows[0]['band']:.4f}",
        details=rows,
    )


# --- (6) universality: uniform entries against the Gaussian law ------------------------------------


def check_uniform_universality(ctx: Context, *, scale: float = 1.0) -> Verdict:
    r"""Finding: radii of uniform-entry real Glorot (MC) vs the exact Gaussian real law (DKW bands).

    ``holds``: no difference detectable at this sample size (every KS upper bound inside its band);
    ``violated``: a difference is detected (some KS lower bound outside). Power: a true KS distance
    above twice the band (``detectable``) is detected with probability at least :math:`1 - \alpha`.
    ``scale`` plants a mis-scaled uniform sampler.
    """
    trials = ctx.pick(
        {64: 800, 128: 200}, {64: 1500, 128: 500, 256: 150}, {64: 8000, 128: 4000, 256: 1500, 512: 500}
    )
    radii = {}
    for n, m in trials.items():
        ctx.note(f"uniform-entry real Glorot eigenvalues n={n} x{m}")
        radii[n] = spectral_radii(
            n, m, ensemble="glorot_uniform", field="real", scale=scale, **ctx.sim_kwargs(f"uniform/{n}")
        )
    rows = band_rows(radii, ctx.alpha / len(trials), ctx.pick(100, 200, 400), 1.0)
    worst = max(rows, key=lambda r: r["ks_lower"] - r["band"])
    return Verdict(
        status=worst_status([r["status"] for r in rows]),
        estimate=worst["ks_upper"],
        interval=(worst["ks_lower"], worst["ks_upper"]),
        reference=0.0,
        alpha=ctx.alpha,
        cases="MC glorot_uniform, " + ", ".join(f"n={n} x{m}" for n, m in trials.items()),
        summary=", ".join(
            f"n={r['n']}: KS in [{r['ks_lower']:.3f}, {r['ks_upper']:.3f}], band {r['band']:.3f} "
            f"(detects KS > {r['detectable']:.3f} w.p. >= 1 - alpha)"
            for r in rows
        ),
        details=rows,
    )
