r"""Run claims under a shared error budget and collect a report.

The statistical checks share a family-wise false-failure probability ``alpha_total``: a run in
which every claim is true reports some claim ``violated`` with probability at most ``alpha_total``.
Exact checks use none of the budget. Two corrections (``correction=``):

* ``"bonferroni"``: each of the :math:`m` statistical checks runs at :math:`\alpha/m`;
* ``"holm"``: Holm's step-down. All run at :math:`\alpha/m`; if :math:`r` are ``violated``, the others are
  re-run at :math:`\alpha/(m-r)` with the same seeds (hence the same samples), and so on until no new
  violation. Equivalent to Holm on the implicit p-values when each check's rejection is monotone in
  its level at a fixed seed (true for the interval checks here); never less powerful than
  Bonferroni. Re-runs only happen after a violation.

``sequential=True`` asks checks that support it (``ctx.extra["sequential"]``) to stop sampling
early once their verdict is certain at their share (:func:`~lrinit_verify.rigor.sequential.sequential_probability_test`).

Example:
    >>> report = run_claims([get_claim("edge.above_one.complex")], budget="quick", seed=0)
    >>> report.results[0].verdict.status
    'holds'
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.claims import BUDGETS, Claim, Context, all_claims, get_claim  # noqa: F401  (doctest)
from lrinit_verify.montecarlo._backends import BACKENDS, check_device
from lrinit_verify.rigor.stats import HOLDS, VIOLATED, Verdict, bonferroni

DEFAULT_ALPHA = 1e-3
CORRECTIONS = ("bonferroni", "holm")


@dataclass
class Result:
    claim: Claim
    verdict: Verdict
    seconds: float
    holm_step: int = 0

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
            "holm_step": self.holm_step,
            **self.verdict.to_dict(),
        }


@dataclass
class Report:
    budget: str
    seed: int
    alpha_total: float
    results: list[Result] = field(default_factory=list)
    correction: str = "bonferroni"
    sequential: bool = False

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def to_dict(self) -> dict:
        return {
            "budget": self.budget,
            "seed": self.seed,
            "alpha_total": self.alpha_total,
            "correction": self.correction,
            "sequential": self.sequential,
            "statistical_checks": sum(1 for r in self.results if r.claim.statistical),
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


def _claims(claims) -> list:
    """``claims`` as Claim objects: each item a :class:`Claim` or a registered claim id (``str``)."""
    if isinstance(claims, (str, Claim)):
        claims = [claims]
    out = []
    for item in claims:
        if isinstance(item, str):
            item = get_claim(item)
        elif not isinstance(item, Claim):
            raise InvalidArgument(f"claims item {item!r} must be a Claim or a registered claim id (str)")
        out.append(item)
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
    correction="bonferroni",
    sequential=False,
) -> Report:
    """Check ``claims`` (default: all registered) and return a :class:`Report`.

    ``claims``: :class:`Claim` objects or registered claim ids (``"edge.gumbel_slow"``), all checked
    before any work.

    ``progress(index, total, claim_id, message)`` is called as work proceeds, when given.
    ``correction`` is ``"bonferroni"`` or ``"holm"``; ``sequential`` enables early stopping in the
    checks that support it.
    """
    v.choice("budget", budget, BUDGETS)
    seed = v.nonnegative_int("seed", seed)
    alpha_total = v.probability("alpha_total", alpha_total, open_interval=True)
    v.choice("correction", correction, CORRECTIONS)
    check_device(v.choice("backend", backend, BACKENDS), device)
    claims = all_claims() if claims is None else _claims(claims)
    shares = allocate_alpha(claims, alpha_total)
    report = Report(
        budget=budget, seed=seed, alpha_total=alpha_total, correction=correction, sequential=bool(sequential)
    )

    def run_one(i, claim, alpha, step):
        def note(message, i=i, claim=claim):
            if progress is not None:
                progress(i, len(claims), claim.id, message)

        note("start" if step == 0 else f"Holm step {step}: re-run at alpha={alpha:.2e}")
        ctx = Context(
            budget=budget,
            seed=seed,
            alpha=alpha,
            backend=backend,
            device=device,
            progress=note,
            extra={"sequential": bool(sequential)},
        )
        start = time.perf_counter()
        verdict = claim.check(ctx)
        note(f"{verdict.status} ({time.perf_counter() - start:.1f}s)")
        return Result(claim, verdict, time.perf_counter() - start, step)

    for i, claim in enumerate(claims, start=1):
        report.results.append(run_one(i, claim, shares[claim.id], 0))
    if correction == "holm":
        _holm_step_down(report, alpha_total, run_one)
    return report


def _holm_step_down(report: Report, alpha_total: float, run_one) -> None:
    r"""Re-run the unrejected statistical checks at :math:`\alpha/(m - r)` until no new rejection."""
    index = {id(r.claim): i for i, r in enumerate(report.results, start=1)}
    stat = [r for r in report.results if r.claim.statistical]
    m, step = len(stat), 0
    rejected = sum(r.verdict.status == VIOLATED for r in stat)
    while 0 < rejected < m:
        step += 1
        level = alpha_total / (m - rejected)
        for pos, r in enumerate(report.results):
            if r.claim.statistical and r.verdict.status != VIOLATED:
                again = run_one(index[id(r.claim)], r.claim, level, step)
                again.seconds += r.seconds
                report.results[pos] = again
        stat = [r for r in report.results if r.claim.statistical]
        now = sum(r.verdict.status == VIOLATED for r in stat)
        if now == rejected:
            break
        rejected = now


__all__ = ["CORRECTIONS", "DEFAULT_ALPHA", "HOLDS", "Report", "Result", "allocate_alpha", "run_claims"]
