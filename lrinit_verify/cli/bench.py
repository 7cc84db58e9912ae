"""``lrinit-verify bench``: the engine against naive code and against the machine's matmul rate."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lrinit_verify._errors import InvalidArgument
from lrinit_verify.bench.cases import SECTIONS, run_bench
from lrinit_verify.cli import _tables as tables
from lrinit_verify.cli._paths import writable_file
from lrinit_verify.cli._tables import new_table, pick


def _sections(text: str) -> tuple[str, ...]:
    names = tuple(x.strip() for x in text.split(",") if x.strip())
    bad = [x for x in names if x not in SECTIONS]
    if bad or not names:
        raise InvalidArgument(f"--only={text!r} must be a comma-separated subset of {', '.join(SECTIONS)}")
    return names


def add_parser(sub) -> None:
    p = sub.add_parser(
        "bench", help="benchmark the Monte Carlo engine against naive code and the matmul rate"
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and 3 repeats (about 3 minutes on 2 cores, 2 without the distributed extra)",
    )
    p.add_argument("--json", metavar="PATH", help="also write the report (with machine details) as JSON")
    p.add_argument("--only", metavar="SECTIONS", help=f"comma-separated subset of: {', '.join(SECTIONS)}")
    p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    p.add_argument(
        "--wide",
        action="store_true",
        help="also show the toolkit and baseline figures (a table of about 220 columns)",
    )
    p.set_defaults(func=run)


#: Table columns: (name, shown without ``--wide``); the toolkit and baseline figures need ``--wide``.
COLUMNS = (
    ("", True),
    ("case", True),
    ("toolkit", False),
    ("baseline", False),
    ("ratio", True),
    ("target", True),
    ("met", True),
)


def _table(report: dict, *, wide: bool = False) -> Table:
    m = report["machine"]
    title = escape(
        f"lrinit-verify bench ({report['profile']}): {m['cores']} cores, {m['cpu']}; "
        "ratio = median [min, max] over repeats"
    )
    columns = pick(COLUMNS, wide)
    table = new_table(title, columns, key="case")
    for r in report["rows"]:
        cells = {
            "": r["section"],
            "case": r["case"],
            "toolkit": r["toolkit"],
            "baseline": r["baseline"],
            "ratio": _ratio(r),
            "target": _target(r),
            "met": {True: "yes", False: "NO", None: ""}[r["meets"]],
        }
        table.add_row(*(escape(cells[name]) for name, _ in columns))
    return table


def _ratio(r: dict) -> str:
    ratio = r["ratio"]
    return (
        "-"
        if ratio is None
        else f"{ratio['median']:.3g} [{ratio['low']:.3g}, {ratio['high']:.3g}] {r['unit']}"
    )


def _target(r: dict) -> str:
    return (
        ""
        if r["target"] is None
        else ("<= " if r["target_kind"] == "at_most" else ">= ") + f"{r['target']:g}"
    )


def run(args) -> int:
    sections = SECTIONS if args.only is None else _sections(args.only)
    writable_file("--json", args.json)
    err = Console(stderr=True)

    def progress(name, seconds, rows):
        if seconds is None:
            err.print(f"[dim]bench: {name} ...[/dim]")
            return
        for r in rows:
            err.print(f"[dim]bench: {escape(r['case'])}: {escape(_ratio(r))}[/dim]")
        err.print(f"[dim]bench: {name} done in {seconds:.1f} s[/dim]")

    report = run_bench(
        "quick" if args.quick else "full", sections=sections, seed=args.seed, progress=progress
    )
    tables.console(wide=args.wide, wide_width=220).print(_table(report, wide=args.wide))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
        err.print(f"bench: report written to {args.json}")
    missed = [r["case"] for r in report["rows"] if r["meets"] is False]
    if missed:
        print(f"targets missed: {'; '.join(missed)}", file=sys.stderr)
    return 0
