"""``lrinit-verify verify``: run every registered claim and print the verdict table.

The table fits the terminal (``--wide`` shows every column). Claims registered with
``expect=None`` are *findings*: their verdict is marked ``*`` and explained in a legend line,
since a ``violated`` finding (a gap in the paper's guarantee) is expected and exits 0.
"""

from __future__ import annotations

import argparse
import sys
import time

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lrinit_verify._errors import InvalidArgument
from lrinit_verify.claims import BUDGETS, all_claims, get_claim
from lrinit_verify.claims.runner import CORRECTIONS, DEFAULT_ALPHA, run_claims
from lrinit_verify.cli import _tables as tables
from lrinit_verify.cli._args import nonnegative_int
from lrinit_verify.cli._paths import writable_file
from lrinit_verify.cli._tables import new_table, pick


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
    p.add_argument(
        "--budget",
        choices=BUDGETS,
        default="default",
        help="quick (~15 s), default (~1 min on 2 cores) or thorough",
    )
    p.add_argument("--seed", type=nonnegative_int, default=0, help="master seed (default 0)")
    p.add_argument(
        "--alpha",
        type=_alpha,
        default=DEFAULT_ALPHA,
        help=f"family-wise false-failure probability (default {DEFAULT_ALPHA})",
    )
    p.add_argument(
        "--backend",
        choices=("numpy", "torch"),
        default="numpy",
        help="array backend of the Monte Carlo checks (default numpy)",
    )
    p.add_argument("--device", default=None, help="torch device, e.g. cpu or cuda")
    p.add_argument("--json", metavar="PATH", default=None, help="write the full report as JSON")
    p.add_argument(
        "--report",
        metavar="PATH",
        default=None,
        help="also compute the findings table (paper factor vs exact calibration) as Markdown",
    )
    p.add_argument(
        "--only", metavar="ID", action="append", default=None, help="check only this claim id (repeatable)"
    )
    p.add_argument(
        "--correction",
        choices=CORRECTIONS,
        default="bonferroni",
        help="multiple-testing correction of the family-wise alpha (default bonferroni)",
    )
    p.add_argument(
        "--sequential",
        action="store_true",
        help="let checks that support it stop sampling once their verdict is certain",
    )
    p.add_argument("--list", action="store_true", help="list the claims (and which are findings) and exit")
    p.add_argument(
        "--wide",
        action="store_true",
        help="show every column (provenance, regime, cases, interval, alpha); default: the short ones",
    )
    p.set_defaults(func=run)


#: Verdict-table columns: (name, shown without ``--wide``).
VERDICT_COLUMNS = (
    ("claim", True),
    ("provenance", False),
    ("regime", False),
    ("cases", False),
    ("estimate", True),
    ("interval", True),
    ("reference", True),
    ("alpha", False),
    ("verdict", True),
    ("s", True),
)
#: Markers of the verdict column and the legend line printed for each one present.
LEGEND = {
    "*": "* finding: reported, not asserted (an open conjecture, or a gap in the paper's guarantee); "
    "any verdict is expected, none fails the run",
    "!": "! not as expected: this claim fails the run (exit status 1)",
}
_COLOUR = {"holds": "green", "violated": "red", "inconclusive": "yellow"}


def _fmt(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def _interval(iv) -> str:
    return "-" if iv is None else f"[{iv[0]:.4g}, {iv[1]:.4g}]"


def _kind(claim) -> str:
    return "finding" if claim.expect is None else "claim"


def list_claims(console: Console, *, wide: bool = False) -> int:
    columns = pick(
        (("id", True), ("kind", True), ("provenance", True), ("regime", wide), ("statement", True)), wide
    )
    table = new_table("Registered claims", columns, key="id")
    for c in all_claims():
        cells = {
            "id": c.id,
            "kind": _kind(c),
            "provenance": c.provenance,
            "regime": c.regime,
            "statement": c.statement,
        }
        table.add_row(*(escape(cells[name]) for name, _ in columns))
    console.print(table)
    console.print(LEGEND["*"].replace("* finding", "finding"))
    return 0


def _marker(result) -> str:
    if result.claim.expect is None:
        return "*"
    return "" if result.ok else "!"


def verdict_table(report, *, wide: bool = False) -> Table:
    """The verdict table: short columns by default, all of :data:`VERDICT_COLUMNS` with ``wide``."""
    columns = pick(VERDICT_COLUMNS, wide)
    table = new_table(
        f"lrinit-verify: budget={report.budget} seed={report.seed} "
        f"family-wise alpha={report.alpha_total:g} ({report.correction}"
        f"{', sequential' if report.sequential else ''})",
        columns,
        key="claim",
    )
    for r in report.results:
        vd, c = r.verdict, r.claim
        mark = _marker(r)
        expected = f" (expected {c.expect})" if mark == "!" else ""
        cells = {
            "claim": c.id,
            "provenance": c.provenance,
            "regime": c.regime,
            "cases": vd.cases,
            "estimate": _fmt(vd.estimate),
            "interval": _interval(vd.interval),
            "reference": _fmt(vd.reference),
            "alpha": f"{vd.alpha:.1e}",
            "verdict": f"[{_COLOUR[vd.status]}]{vd.status}{mark}[/]{expected}",
            "s": f"{r.seconds:.1f}",
        }
        table.add_row(*(cells[name] if name == "verdict" else escape(cells[name]) for name, _ in columns))
    return table


def legend(report) -> list[str]:
    """One line per marker that appears in the verdict column."""
    marks = {_marker(r) for r in report.results}
    return [LEGEND[m] for m in LEGEND if m in marks]


def run(args) -> int:
    console = tables.console(wide=args.wide)
    claims = None if not args.only else [get_claim(i) for i in args.only]  # unknown ids fail even with --list
    if args.list:
        return list_claims(console, wide=args.wide)
    if args.device is not None and args.backend != "torch":
        raise InvalidArgument(
            f"--device={args.device!r} needs --backend torch (the numpy backend runs on the CPU)"
        )
    writable_file("--json", args.json)
    writable_file("--report", args.report)
    started = time.perf_counter()

    def progress(i, total, claim_id, message):
        print(f"[{i}/{total}] {claim_id}: {message}", file=sys.stderr, flush=True)

    report = run_claims(
        claims,
        budget=args.budget,
        seed=args.seed,
        alpha_total=args.alpha,
        backend=args.backend,
        device=args.device,
        progress=progress,
        correction=args.correction,
        sequential=args.sequential,
    )
    console.print(verdict_table(report, wide=args.wide))
    for line in legend(report):
        console.print(line, highlight=False)
    for r in report.results:
        console.print(f"  {r.claim.id}: {escape(r.verdict.summary)}", highlight=False)
    if args.json:
        report.write_json(args.json)
        console.print(f"report written to {args.json}")
    if args.report:
        from lrinit_verify.report.findings import write_findings_markdown

        write_findings_markdown(
            args.report,
            budget=args.budget,
            seed=args.seed,
            progress=lambda msg: print(f"[findings] {msg}", file=sys.stderr, flush=True),
        )
        console.print(f"findings written to {args.report}")
    failed = [r.claim.id for r in report.results if not r.ok]
    console.print(
        f"{len(report.results) - len(failed)}/{len(report.results)} claims as expected "
        f"in {time.perf_counter() - started:.1f}s" + (f"; not as expected: {failed}" if failed else "")
    )
    return 0 if not failed else 1
