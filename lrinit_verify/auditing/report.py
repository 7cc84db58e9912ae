r"""The audit report: per-width rows with intervals, the verdict, the table and the JSON.

**Verdict.** At length :math:`t` the init is *stable at probability* :math:`p` when, for both definitions of
:data:`~lrinit_verify.montecarlo.explosion.DEFINITIONS`, :math:`P(T \le t) \le 1 - p` (at most a share
:math:`1-p` of draws has exploded by :math:`t`). From :math:`k` of :math:`m` matrices exploded by :math:`t` a Clopper–Pearson
interval at level ``alpha_each`` decides: ``stable`` if every upper end is :math:`\le 1 - p`,
``unstable`` if some lower end is :math:`> 1 - p`, else ``inconclusive``. ``alpha_each`` is ``alpha``
split (Bonferroni) over the init's :math:`2 \times` widths :math:`\times` lengths intervals, so all of the
init's verdicts are right together with probability at least :math:`1 - \alpha`. Every other interval
(of :math:`P(\rho > 1)`, of quantiles of :math:`\rho` and of :math:`T`) is pointwise at ``alpha_each``.

Example:
    >>> from lrinit_verify.auditing.measure import measure_baseline
    >>> s = measure_baseline("glorot", 8, 50, field="real", threshold=100.0, max_length=40, seed=0)
    >>> row = summarise(s, lengths=(40,), probability=0.9, alpha_each=0.01)
    >>> sorted(row["verdicts"]), row["trials"]
    (['40'], 50)
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

from lrinit_verify.auditing.measure import LABELS
from lrinit_verify.montecarlo.explosion import DEFINITIONS, quantile_summary
from lrinit_verify.rigor.stats import clopper_pearson, order_statistic_interval

RHO_QUANTILES = (0.5, 0.99)
T_QUANTILES = (0.5, 0.01)
STABLE, UNSTABLE, INCONCLUSIVE = "stable", "unstable", "inconclusive"


def _prob(k: int, m: int, alpha: float) -> dict:
    lo, hi = clopper_pearson(k, m, alpha=alpha)
    return {"estimate": k / m, "interval": [lo, hi]}


def radius_tolerance(n: int) -> float:
    """:math:`\\rho > 1` is counted as :math:`\\rho > 1 + 100\\,n\\,\\varepsilon`: an orthogonal matrix has :math:`|\\lambda| = 1`
    only to rounding (LAPACK's eigenvalues of a normal matrix are accurate to about :math:`n \\varepsilon`).

    >>> radius_tolerance(1024) < 1e-10
    True
    """
    return 100.0 * n * float(np.finfo(np.float64).eps)


def _length_verdict(exploded: dict, limit: float) -> str:
    if any(e["interval"][0] > limit for e in exploded.values()):
        return UNSTABLE
    if all(e["interval"][1] <= limit for e in exploded.values()):
        return STABLE
    return INCONCLUSIVE


def summarise(sample, *, lengths, probability, alpha_each) -> dict:
    """One report row (a JSON-able dict) from a :class:`~lrinit_verify.auditing.measure.Sample`."""
    row = {
        "source": sample.source,
        "label": LABELS.get(sample.source, "init"),
        "n": sample.n,
        "field": sample.field,
        "trials": len(sample.radii),
        "note": sample.note,
    }
    m = len(sample.radii)
    if m == 0:
        return row
    above = sample.radii > 1.0 + radius_tolerance(sample.n)
    row["p_rho_gt_1"] = _prob(int(np.count_nonzero(above)), m, alpha_each)
    row["rho_quantiles"] = {}
    for q in RHO_QUANTILES:
        est, lo, hi = order_statistic_interval(sample.radii, q, alpha=alpha_each)
        row["rho_quantiles"][str(q)] = {"estimate": est, "interval": [lo, hi]}
    max_length = max(lengths)
    row["explosion"] = {
        d: {
            str(q): _crossing(quantile_summary(t, q, max_length=max_length, alpha=alpha_each))
            for q in T_QUANTILES
        }
        for d, t in sample.times.items()
    }
    row["exploded_by"] = {
        str(t): {d: _prob(int(np.count_nonzero(x <= t)), m, alpha_each) for d, x in sample.times.items()}
        for t in lengths
    }
    row["verdicts"] = {t: _length_verdict(e, 1.0 - probability) for t, e in row["exploded_by"].items()}
    row["band"] = sample.band
    return row


def _crossing(c) -> dict:
    return {"estimate": c.estimate, "interval": list(c.interval)}


def overall(rows) -> str:
    """``unstable`` if any (width, length) is, ``stable`` if all are, else ``inconclusive``."""
    statuses = [s for r in rows for s in r.get("verdicts", {}).values()]
    if UNSTABLE in statuses:
        return UNSTABLE
    return STABLE if statuses and all(s == STABLE for s in statuses) else INCONCLUSIVE


def _fmt(x, digits=3) -> str:
    if isinstance(x, str):
        return x
    if isinstance(x, float) and math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{digits}g}" if isinstance(x, float) else str(x)


def _cell(d, digits=3) -> str:
    return (
        f"{_fmt(d['estimate'], digits)} [{_fmt(d['interval'][0], digits)}, {_fmt(d['interval'][1], digits)}]"
    )


@dataclass
class AuditReport:
    """Everything the audit measured (see :func:`lrinit_verify.auditing.audit`)."""

    init: str
    settings: dict
    checks: dict
    rows: list = field(default_factory=list)
    training: dict | None = None

    @property
    def init_rows(self) -> list:
        return [r for r in self.rows if r["source"] == "init"]

    @property
    def verdict(self) -> str:
        return overall(self.init_rows)

    def verdict_lines(self) -> list[str]:
        """The verdict line, then one line per (width, length) of the init."""
        s = self.settings
        out = [
            (
                f"VERDICT: {self.init} is {self.verdict.upper()} at lengths {s['lengths']} "
                f"(stable = at most {1 - s['probability']:.3g} of draws reach energy >= {s['threshold']:g}, "
                f"both definitions; all verdicts hold jointly with probability >= {1 - s['alpha']:.3g})"
            )
        ]
        if not self.checks["reproducible"]:
            out.append(
                "NOT REPRODUCIBLE: two calls with the same generator seed gave different matrices "
                "(the init ignores its generator); the numbers below cannot be replayed"
            )
        if not self.checks["varies"]:
            out.append("NOTE: different seeds gave the same matrix: the init is deterministic")
        for r in self.init_rows:
            for t, status in r.get("verdicts", {}).items():
                e = r["exploded_by"][t]
                out.append(
                    f"  n={r['n']}, t={t}: {status}; P(T <= t) homogeneous {_cell(e['homogeneous'])}, "
                    f"driven {_cell(e['driven'])}"
                )
        return out

    def table_rows(self) -> tuple[list[str], list[list[str]]]:
        """Header and cells of the printed table (one row per width and source)."""
        lengths = [str(t) for t in self.settings["lengths"]]
        head = (
            [
                "n",
                "source",
                "P(rho>1)",
                "rho median",
                "rho 99%",
                "T hom median",
                "T hom 1%",
                "T drv median",
                "T drv 1%",
            ]
            + [f"P(T<={t}) hom / drv" for t in lengths]
            + ["verdict"]
        )
        body = []
        for r in self.rows:
            if "p_rho_gt_1" not in r:
                body.append(
                    [str(r["n"]), r["label"], f"unavailable: {r['note'].split('.')[0]}"]
                    + [""] * (len(head) - 3)
                )
                continue
            ex, by = r["explosion"], r["exploded_by"]
            body.append(
                [
                    str(r["n"]),
                    r["label"],
                    _cell(r["p_rho_gt_1"]),
                    _cell(r["rho_quantiles"]["0.5"], 4),
                    _cell(r["rho_quantiles"]["0.99"], 4),
                    _cell(ex["homogeneous"]["0.5"]),
                    _cell(ex["homogeneous"]["0.01"]),
                    _cell(ex["driven"]["0.5"]),
                    _cell(ex["driven"]["0.01"]),
                ]
                + [f"{_cell(by[t]['homogeneous'], 2)} / {_cell(by[t]['driven'], 2)}" for t in lengths]
                + [overall([r])]
            )
        return head, body

    def to_dict(self) -> dict:
        return _jsonable(
            {
                "init": self.init,
                "verdict": self.verdict,
                "verdict_lines": self.verdict_lines(),
                "settings": self.settings,
                "definitions": DEFINITIONS,
                "checks": self.checks,
                "rows": self.rows,
                "training": self.training,
            }
        )

    def write_json(self, path) -> None:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, indent=1)


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(x) for k, x in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(x) for x in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else str(float(obj))
    if isinstance(obj, np.integer):
        return int(obj)
    return obj
