"""``lrinit-verify audit``: check an initialiser (registered by ``add_parser(subparsers)``).

Exit status: 0 when the verdict is ``stable``, 1 when ``unstable`` or ``inconclusive``, 2 on bad
input (an unimportable spec, a wrong signature, a non-square / non-finite / wrong-dtype matrix).
"""

from __future__ import annotations

import sys

from rich.markup import escape

from lrinit_verify._errors import InvalidArgument
from lrinit_verify.cli import _tables as tables
from lrinit_verify.cli._args import nonnegative_int, number, positive_int, positive_ints

#: Tensor dtypes handed to the init (the keys of :data:`lrinit_verify.auditing.core.DTYPES`; no torch import here).
DTYPE_NAMES = ("float32", "float64", "complex64", "complex128")


def add_parser(sub) -> None:
    p = sub.add_parser("audit", help="check an initialiser: P(rho>1), explosion lengths, verdict vs Glorot")
    p.add_argument(
        "--init",
        required=True,
        metavar="MODULE:FUNCTION",
        help="e.g. torch.nn.init:xavier_uniform_; called as init(tensor, generator=g)",
    )
    p.add_argument("--widths", type=positive_ints, required=True, help="e.g. 64,256,1024")
    p.add_argument("--lengths", type=positive_ints, default=[100, 1000], help="default 100,1000")
    p.add_argument(
        "--trials", type=positive_int, default=400, help="matrices per width and source (default 400)"
    )
    p.add_argument("--threshold", type=number, default=100.0, help="energy that counts as explosion (100)")
    p.add_argument(
        "--probability", type=number, default=0.9, help="stable = at most 1-p of draws explode (0.9)"
    )
    p.add_argument("--alpha", type=number, default=0.01, help="joint error of the verdicts (0.01)")
    p.add_argument("--dtype", choices=DTYPE_NAMES, default="float64", help="dtype of the tensor handed over")
    p.add_argument(
        "--seed", type=nonnegative_int, default=0, help="root seed (the same seed gives the same report)"
    )
    p.add_argument("--no-baselines", action="store_true", help="skip Glorot / paper / calibrated rows")
    p.add_argument("--json", metavar="PATH", help="write the full report as JSON")
    p.add_argument("--plot", metavar="PATH", help="write the energy-growth figure (PNG)")
    p.add_argument(
        "--wide",
        action="store_true",
        help="show every column (rho quantiles, worst-1%% lengths, P(T<=t)); default: the short ones",
    )
    p.set_defaults(func=run_audit)


#: Columns of the audit table shown without ``--wide`` (the others: rho quantiles, worst-1 % lengths,
#: P(T <= t) per length).
SHORT_COLUMNS = ("n", "source", "P(rho>1)", "T hom median", "T drv median", "verdict")


def audit_table(report, *, wide: bool = False):
    """The printed table: one row per width and source; the short columns unless ``wide``."""
    head, body = report.table_rows()
    keep = [i for i, h in enumerate(head) if wide or h in SHORT_COLUMNS]
    s = report.settings
    table = tables.new_table(
        f"audit of {report.init} ({report.checks['field']}; {s['trials']} matrices per row; "
        f"intervals at {s['alpha_each']:.2g} each)",
        [(head[i], True) for i in keep],
        key="n",
    )
    for cells in body:
        table.add_row(*(escape(cells[i]) for i in keep))
    return table


def run_audit(args) -> int:
    try:
        from lrinit_verify.auditing.api import audit
    except ImportError as exc:
        raise InvalidArgument(
            f"lrinit-verify audit needs torch (pip install 'lrinit-verify[torch]'): {exc}"
        ) from None
    report = audit(
        args.init,
        args.widths,
        lengths=args.lengths,
        trials=args.trials,
        threshold=args.threshold,
        probability=args.probability,
        alpha=args.alpha,
        seed=args.seed,
        dtype=args.dtype,
        baselines=not args.no_baselines,
        progress=lambda m: print(f"audit: {m}", file=sys.stderr, flush=True),
    )
    console = tables.console(wide=args.wide, wide_width=220)
    console.print(audit_table(report, wide=args.wide))
    for line in report.verdict_lines():
        console.print(line, markup=False, highlight=False)
    if args.json:
        report.write_json(args.json)
        console.print(f"report written to {args.json}", markup=False)
    if args.plot:
        from lrinit_verify.auditing.figure import energy_figure

        try:
            written = energy_figure(report, args.plot)
        except ImportError as exc:  # pragma: no cover - matplotlib is in the docs extra
            raise InvalidArgument(f"--plot needs matplotlib: {exc}") from None
        console.print(f"figure written to {written}", markup=False)
    return 0 if report.verdict == "stable" else 1
