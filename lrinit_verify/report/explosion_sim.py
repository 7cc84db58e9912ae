r"""Simulated explosion-length columns for ``lrinit-verify threshold``, ``rescale`` and ``findings``.

The printed quantity is the **simulated** explosion length (:data:`DEFINITION`): for one matrix
:math:`W` of the init and one start :math:`x` uniform on the unit sphere,
:math:`T = \min\{t \ge 1 : \|W^t x\|^2 \ge K\}`, :math:`K` = ``threshold`` (100). Its median and worst 1 %
(the :math:`0.01`-quantile: 1 % of (matrix, start) pairs have exploded by then; worst 0.1 % where the
trials give it a finite lower end) come from
:func:`lrinit_verify.montecarlo.explosion.explosion_length_quantiles` with order-statistic intervals
(pointwise error ``alpha``). Runs are censored at ``max_length`` (default :func:`default_max_length`):
a quantile beyond it prints as ``"> L"``. The radius formula :math:`\rho_p^{2t} \ge K`
(:func:`lrinit_verify.theory.rescale.explosion_length`) is only a *radius heuristic*: it ignores the
overlap of :math:`x` with the top eigenvector and transient growth (measured at :math:`n = 256`: heuristic
56 / 27, simulated median about 105, worst 1 % about 45).

Orthogonal :math:`W` is not simulated: :math:`\|W^t x\| = 1` for all :math:`t`, so :math:`T = \infty` exactly.

Example:
    >>> res = simulated_lengths(16, field="real", init="glorot", trials=300, seed=0)
    >>> res.by_quantile[0.01].estimate <= res.by_quantile[0.5].estimate
    True
    >>> cell(simulated_lengths(16, field="real", init="orthogonal", trials=5, seed=0), 0.5)
    'never (exact)'
"""

from __future__ import annotations

import math
import time

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify.montecarlo.explosion import explosion_length_quantiles
from lrinit_verify.theory.edge import FIRST_DEFINED_WIDTH
from lrinit_verify.theory.rescale import EXPLOSION_THRESHOLD

DEFINITION = (
    "first t with ||W^t x||^2 >= {K:g}, random unit x (simulated; order-statistic {level:g}% interval)"
)
#: Init names of the report -> names of :data:`lrinit_verify.montecarlo.explosion.INITS`.
SIM_INITS = {
    "glorot": "glorot",
    "rescaled": "rescaled_glorot",
    "calibrated": "calibrated_glorot",
    "halved": "halved_glorot",
    "orthogonal": "orthogonal",
}
FIELDS = ("real", "complex")
QUANTILES = (0.5, 0.01, 0.001)
QUANTILE_NAMES = {0.5: "median", 0.01: "worst 1%", 0.001: "worst 0.1%"}
#: Per budget: (largest simulated width, trials per (width, field, init)).
SIM_BUDGETS = {"quick": (128, 200), "default": (256, 600), "thorough": (1024, 1000)}
DISPLAY_ALPHA = 0.01


def default_max_length(n: int) -> int:
    r"""Censoring length :math:`\max(200, \lceil 10\sqrt n\rceil)`.

    About twice the simulated Glorot median (about 105 at :math:`n = 256`, 200 at 1024).

    >>> default_max_length(256), default_max_length(1024), default_max_length(4096)
    (200, 320, 640)
    """
    return max(200, math.ceil(10 * math.sqrt(v.positive_int("n", n))))


def undefined_reason(n: int, init: str, field: str) -> str | None:
    """Why ``init`` has no factor at width ``n`` (``None`` when it has one).

    >>> undefined_reason(64, "rescaled", "real"), undefined_reason(1024, "calibrated", "real")
    ('undefined (γ_n ≤ 0)', None)
    """
    if init == "rescaled" and n < FIRST_DEFINED_WIDTH:
        return "undefined (γ_n ≤ 0)"
    return None  # the exact calibration (both fields) is defined at every width


def simulated_lengths(
    n,
    *,
    field="real",
    init="glorot",
    trials=600,
    max_length=None,
    threshold=EXPLOSION_THRESHOLD,
    alpha=DISPLAY_ALPHA,
    seed=0,
):
    r"""Simulated quantiles (:data:`QUANTILES`) of :math:`T` at one width, field and init (:data:`SIM_INITS`).

    **Returns:** an :class:`~lrinit_verify.montecarlo.explosion.ExplosionLengths`, the string ``"never"`` for
    orthogonal (exact, not simulated), or the reason (:func:`undefined_reason`) where the init is undefined.
    The seed stream is ``SeedSequence([seed, n, field, init])``: cells are independent of each other.
    """
    n = v.positive_int("n", n)
    field = v.field(field)
    init = v.choice("init", init, tuple(SIM_INITS))
    reason = undefined_reason(n, init, field)
    if reason is not None:
        return reason
    if init == "orthogonal":
        return "never"
    length = default_max_length(n) if max_length is None else v.positive_int("max_length", max_length)
    seq = np.random.SeedSequence(
        [v.nonnegative_int("seed", seed), n, FIELDS.index(field), list(SIM_INITS).index(init)]
    )
    return explosion_length_quantiles(
        n,
        field=field,
        init=SIM_INITS[init],
        threshold=threshold,
        quantiles=QUANTILES,
        trials=v.positive_int("trials", trials),
        max_length=length,
        alpha=alpha,
        seed=seed_int(seq),
    )


def seed_int(seq: np.random.SeedSequence) -> int:
    """A 63-bit integer seed drawn from ``seq``."""
    return int(seq.generate_state(2, np.uint64)[0] >> np.uint64(1))


def cell(res, q: float) -> str:
    """One table cell: ``"estimate [lo, hi]"`` (``lo = 1``: too few trials to bound the quantile from below;
    ``hi = inf``: no upper bound below the censoring length), or the reason string."""
    if res == "never":
        return "never (exact)"
    return res if isinstance(res, str) else res.by_quantile[q].text()


def simulated_grid(
    widths,
    *,
    inits=tuple(SIM_INITS),
    fields=FIELDS,
    trials=600,
    max_width=256,
    max_length=None,
    threshold=EXPLOSION_THRESHOLD,
    alpha=DISPLAY_ALPHA,
    seed=0,
    progress=None,
) -> dict:
    """``{(n, field, init): result of simulated_lengths}`` for widths ``<= max_width`` (others absent).

    ``progress`` gets one line per simulated cell with its time.
    """
    out = {}
    for n in widths:
        if n > max_width:
            continue
        for field in fields:
            for init in inits:
                start = time.perf_counter()
                out[n, field, init] = simulated_lengths(
                    n,
                    field=field,
                    init=init,
                    trials=trials,
                    max_length=max_length,
                    threshold=threshold,
                    alpha=alpha,
                    seed=seed,
                )
                if progress is not None and not isinstance(out[n, field, init], str):
                    progress(
                        f"simulated explosion lengths n={n} {field} {init} x{trials}: "
                        f"{time.perf_counter() - start:.1f} s"
                    )
    return out


def table_headers(inits, fields=FIELDS, quantiles=(0.5, 0.01)) -> list[str]:
    """``["n", "<init> <field> <quantile>", ...]`` in the order of :func:`table_body`."""
    return ["n", *(f"{i} {f} {QUANTILE_NAMES[q]}" for i in inits for f in fields for q in quantiles)]


def table_body(grid, widths, inits, fields=FIELDS, quantiles=(0.5, 0.01)) -> list[list[str]]:
    """Rows of :func:`cell` strings; widths not in ``grid`` print ``"not simulated"``."""
    rows = []
    for n in widths:
        cells = [str(n)]
        for i in inits:
            for f in fields:
                res = grid.get((n, f, i))
                cells += [("not simulated" if res is None else cell(res, q)) for q in quantiles]
        rows.append(cells)
    return rows


def has_finite_worst_tenth(grid) -> bool:
    """Whether any simulated cell bounds the worst 0.1 % from below (trials large enough)."""
    return any(not isinstance(r, str) and r.by_quantile[0.001].interval[0] > 1 for r in grid.values())


def definition_line(threshold=EXPLOSION_THRESHOLD, alpha=DISPLAY_ALPHA, trials=None, max_length=None) -> str:
    """The printed definition of the simulated columns.

    >>> print(definition_line(trials=600, max_length=300))  # doctest: +NORMALIZE_WHITESPACE
    first t with ||W^t x||^2 >= 100, random unit x (simulated; order-statistic 99% interval),
    600 matrices per cell, censored at 300
    """
    text = DEFINITION.format(K=threshold, level=100 * (1 - alpha))
    if trials is not None:
        text += f", {trials} matrices per cell"
    text += f", censored at {max_length if max_length is not None else 'max(200, ceil(10 sqrt(n)))'}"
    return text
