"""``lrinit-verify verify``: run every registered claim and print the verdict table."""

from __future__ import annotations

import argparse
import sys
import time

from rich.console import Console
from rich.table import Table

from lrinit_verify._errors import InvalidArgument
from lrinit_verify.claims import BUDGETS, all_claims, get_claim
from lrinit_verify.claims.runner import CORRECTIONS, DEFAULT_ALPHA, run_claims
from lrinit_verify.cli._paths import writable_file


def _nonneg_int(text: str) -> int:
    """argparse type: argparse prefixes the message with ``argument --seed:``."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a non-negative integer")
    return value


def _alpha(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a probability in (0, 1)")
    return value


def add_parser(sub) -> None:
    p = sub.add_parser("verify", help="check every encoded claim and print a verdict table")
    p.add_argument("--budget", choices=BUDGETS, default="default",
                   help="quick (~15 s), default (~1 min on 2 cores) or thorough")
    p.add_argument("--seed", type=_nonneg_int, default=0, help="master seed (default 0)")
    p.add_argument("--alpha", type=_alpha, default=DEFAULT_ALPHA,
                   help=f"family-wise false-failure probability (default {DEFAULT_ALPHA})")
    p.add_argument("--backend", choices=("numpy", "torch"), default="numpy")
    p.add_argument("--device", default=None, help="torch device, e.g. cpu or cuda")
    p.add_argument("--json", metavar="PATH", default=None, help="write the full report as JSON")
    p.add_argument("--report", metavar="PATH", default=None,
                   help="also compute the findings table (paper factor vs exact calibration) as Markdown")
    p.add_argument("--only", metavar="ID", action="append", default=None,
                   help="check only this claim id (repeatable)")
    p.add_argument("--correction", choices=CORRECTIONS, default="bonferroni",
                   help="multiple-testing correction of the family-wise alpha (default bonferroni)")
    p.add_argument("--sequential", action="store_true",
                   help="let checks that support it stop sampling once their verdict is certain")
    p.add_argument("--list", action="store_true", help="list the claims and exit")
    p.set_defaults(func=run)


def _fmt(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def _interval(iv) -> str:
    return "-" if iv is None else f"[{iv[0]:.4g}, {iv[1]:.4g}]"


def list_claims(console: Console) -> int:
    table = Table(title="Registered claims")
    for col in ("id", "provenance", "regime", "statement"):
        table.add_column(col)
    for c in all_claims():
        table.add_row(c.id, c.provenance, c.regime, c.statement)
    console.print(table)
    return 0


def verdict_table(report) -> Table:
    table = Table(title=f"lrinit-verify: budget={report.budget} seed={report.seed} "
                  f"family-wise alpha={report.alpha_total:g} ({report.correction}"
                  f"{', sequential' if report.sequential else ''})")
    for col in ("claim", "provenance", "regime", "cases", "estimate", "interval", "reference",
                "alpha", "verdict", "s"):
        table.add_column(col, overflow="fold")
    colour = {"holds": "green", "violated": "red", "inconclusive": "yellow"}
    for r in report.results:
        vd = r.verdict
        if r.claim.expect is None:
            mark = f"{vd.status} (finding)"
        else:
            mark = vd.status if r.ok else f"{vd.status} (expected {r.claim.expect})"
        table.add_row(r.claim.id, r.claim.provenance, r.claim.regime, vd.cases, _fmt(vd.estimate),
                      _interval(vd.interval), _fmt(vd.reference), f"{vd.alpha:.1e}",
                      f"[{colour[vd.status]}]{mark}[/]", f"{r.seconds:.1f}")
    return table


def run(args) -> int:
    console = Console(width=max(160, Console().width))
    if args.list:
        return list_claims(console)
    if args.device is not None and args.backend != "torch":
        raise InvalidArgument(f"--device={args.device!r} needs --backend torch (the numpy backend runs on the CPU)")
    claims = None if not args.only else [get_claim(i) for i in args.only]
    writable_file("--json", args.json)
    writable_file("--report", args.report)
    started = time.perf_counter()

    def progress(i, total, claim_id, message):
        print(f"[{i}/{total}] {claim_id}: {message}", file=sys.stderr, flush=True)

    report = run_claims(claims, budget=args.budget, seed=args.seed, alpha_total=args.alpha,
                        backend=args.backend, device=args.device, progress=progress,
                        correction=args.correction, sequential=args.sequential)
    console.print(verdict_table(report))
    for r in report.results:
        console.print(f"  {r.claim.id}: {r.verdict.summary}")
    if args.json:
        report.write_json(args.json)
        console.print(f"report written to {args.json}")
    if args.report:
        from lrinit_verify.report.findings import write_findings_markdown

        write_findings_markdown(args.report, budget=args.budget, seed=args.seed,
                                progress=lambda msg: print(f"[findings] {msg}", file=sys.stderr, flush=True))
        console.print(f"findings written to {args.report}")
    failed = [r.claim.id for r in report.results if not r.ok]
    console.print(f"{len(report.results) - len(failed)}/{len(report.results)} claims as expected "
                  f"in {time.perf_counter() - started:.1f}s" + (f"; not as expected: {failed}" if failed else ""))
    return 0 if not failed else 1
