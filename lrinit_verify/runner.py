r"""Run claims under a shared error budget and collect a report.

The statistical checks share a family-wise false-failure probability ``alpha_total`` split by
Bonferroni: a run in which every claim is true reports some claim ``violated`` with probability at
most ``alpha_total``. Exact checks use none of the budget.

Example:
    >>> report = run_claims([get_claim("edge.above_one.complex")], budget="quick", seed=0)
    >>> report.results[0].verdict.status
    'holds'
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from . import _validate as v
from .claims import BUDGETS, Claim, Context, all_claims, get_claim  # noqa: F401  (doctest)
from .stats import HOLDS, Verdict, bonferroni

DEFAULT_ALPHA = 1e-3


@dataclass
class Result:
    claim: Claim
    verdict: Verdict
    seconds: float

    @property
    def ok(self) -> bool:
        """False when a claim expected to hold did not."""
        return self.claim.expect is None or self.verdict.status == self.claim.expect

    def to_dict(self) -> dict:
        c = self.claim
        return {
            "id": c.id,
            "statement": c.statement,
            "latex": c.latex,
            "provenance": c.provenance,
            "regime": c.regime,
            "expect": c.expect,
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            **self.verdict.to_dict(),
        }


@dataclass
class Report:
    budget: str
    seed: int
    alpha_total: float
    results: list[Result] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def to_dict(self) -> dict:
        return {
            "budget": self.budget,
            "seed": self.seed,
            "alpha_total": self.alpha_total,
            "correction": "bonferroni",
            "ok": self.ok,
            "claims": [r.to_dict() for r in self.results],
        }

    def write_json(self, path) -> None:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, indent=2)


def allocate_alpha(claims, alpha_total: float) -> dict[str, float]:
    """Bonferroni shares of ``alpha_total`` for the statistical claims (0 for exact ones)."""
    statistical = [c for c in claims if c.statistical]
    shares = bonferroni(alpha_total, [1.0] * len(statistical)) if statistical else []
    out = {c.id: 0.0 for c in claims}
    out.update({c.id: a for c, a in zip(statistical, shares)})
    return out


def run_claims(
    claims=None,
    *,
    budget="default",
    seed=0,
    alpha_total=DEFAULT_ALPHA,
    backend="numpy",
    device=None,
    progress=None,
) -> Report:
    """Check ``claims`` (default: all registered) and return a :class:`Report`.

    ``progress(index, total, claim_id, message)`` is called as work proceeds, when given.
    """
    v.choice("budget", budget, BUDGETS)
    seed = v.nonnegative_int("seed", seed)
    alpha_total = v.probability("alpha_total", alpha_total, open_interval=True)
    claims = all_claims() if claims is None else list(claims)
    shares = allocate_alpha(claims, alpha_total)
    report = Report(budget=budget, seed=seed, alpha_total=alpha_total)
    for i, claim in enumerate(claims, start=1):

        def note(message, i=i, claim=claim):
            if progress is not None:
                progress(i, len(claims), claim.id, message)

        note("start")
        ctx = Context(budget=budget, seed=seed, alpha=shares[claim.id],
                      backend=backend, device=device, progress=note)
        start = time.perf_counter()
        verdict = claim.check(ctx)
        report.results.append(Result(claim, verdict, time.perf_counter() - start))
        note(f"{verdict.status} ({time.perf_counter() - start:.1f}s)")
    return report


__all__ = ["Report", "Result", "run_claims", "allocate_alpha", "DEFAULT_ALPHA", "HOLDS"]
