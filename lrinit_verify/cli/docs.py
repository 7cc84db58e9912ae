"""``lrinit-verify docs``: verify every derivation of ``proofs/`` and render it, with figures, to Markdown.

Exit status 0 when written, 1 when a derivation's assertion fails (nothing is written then),
2 on bad arguments.
"""

from __future__ import annotations

import sys

from lrinit_verify.cli._args import nonnegative_int
from lrinit_verify.cli._paths import writable_dir
from lrinit_verify.report.pages import DEFAULT_OUT, DerivationCheckFailed, render_docs


def add_parser(sub) -> None:
    p = sub.add_parser("docs", help="render the derivations of proofs/ and the figures to Markdown pages")
    p.add_argument(
        "--out", metavar="DIR", default=DEFAULT_OUT, help=f"output directory (default {DEFAULT_OUT})"
    )
    p.add_argument("--seed", type=nonnegative_int, default=0, help="master seed of the figures (default 0)")
    p.add_argument("--no-figures", dest="figures", action="store_false", help="skip the figures")
    p.add_argument("--no-findings", dest="findings", action="store_false", help="skip the findings report")
    p.add_argument("--quick", action="store_true", help="smaller Monte Carlo for the figures")
    p.set_defaults(func=run)


def run(args) -> int:
    def progress(message):
        print(f"docs: {message}", file=sys.stderr, flush=True)

    writable_dir("--out", args.out)
    try:
        out = render_docs(
            args.out,
            figures=args.figures,
            findings=args.findings,
            seed=args.seed,
            quick=args.quick,
            progress=progress,
        )
    except DerivationCheckFailed as exc:
        print(f"lrinit-verify: derivation check failed, nothing written: {exc}", file=sys.stderr)
        return 1
    print(
        f"{len(out.pages)} derivation pages ({out.assertions} assertions hold), "
        f"{len(out.figures)} figures, findings: {out.findings}; written to {out.out_dir} in {out.seconds:.1f}s"
    )
    for path in out.pages + out.figures:
        print(f"  {path}")
    return 0
