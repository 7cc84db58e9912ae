"""``lrinit-verify threshold``, ``rescale`` and ``findings``: tables of the rescaling guarantee.

* ``threshold`` — critical/explosion lengths of Glorot per width (exact, complex and real).
* ``rescale`` — the paper's factor c_n, the exact calibrated factor and the probabilities they achieve
  (``--field real|complex|both``; real from the exact Pfaffian law at every width).
* ``findings --out PATH`` — the full findings report in Markdown (see :mod:`lrinit_verify.report.findings`).
"""

from __future__ import annotations

import argparse
import math
import sys

from rich.console import Console
from rich.markup import escape

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.cli import _tables as tables
from lrinit_verify.cli._args import nonnegative_int, number, positive_int
from lrinit_verify.cli._paths import writable_file
from lrinit_verify.cli._tables import new_table
from lrinit_verify.report import explosion_sim as sim
from lrinit_verify.report.findings import BUDGETS, DEFAULT_WIDTHS, findings_markdown, findings_rows
from lrinit_verify.report.findings_tables import (
    EXPLOSION_HEADERS,
    RADIUS_HEADERS,
    explosion_table,
    radius_table,
    simulated_parts,
    table_parts,
)
from lrinit_verify.theory.edge import (
    FIRST_DEFINED_WIDTH,
    gamma_n,
    rescale_factor,
    spectral_radius_cdf,
    spectral_radius_sf,
)
from lrinit_verify.theory.rescale import (
    EXPLOSION_THRESHOLD,
    NOMINAL_PROBABILITY,
    calibrated_scale,
    energy_engine,
    explosion_length,
)


def _widths(text: str) -> list[int]:
    from lrinit_verify.theory.edge import KOSTLAN_MAX_WIDTH

    items = text.split(",")
    if any(not x.strip() for x in items):
        raise argparse.ArgumentTypeError(
            f"--widths={text!r} has an empty item: give a comma-separated list of integers >= 2"
        )
    try:
        values = [int(x) for x in items]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--widths={text!r} must be a comma-separated list of integers >= 2"
        ) from None
    if min(values) < 2:
        raise argparse.ArgumentTypeError(f"--widths={text!r} must be a comma-separated list of integers >= 2")
    if max(values) > KOSTLAN_MAX_WIDTH:
        raise argparse.ArgumentTypeError(
            f"--widths={text!r}: width {max(values)} exceeds {KOSTLAN_MAX_WIDTH}, the largest width of the "
            "exact complex law (Kostlan's product has n terms)"
        )
    return values


def add_parser(sub) -> None:
    widths = ",".join(str(n) for n in DEFAULT_WIDTHS)
    p = sub.add_parser("threshold", help="critical and explosion lengths of Glorot per width")
    p.add_argument(
        "--widths", type=_widths, default=list(DEFAULT_WIDTHS), help=f"widths n (default {widths})"
    )
    p.add_argument(
        "--threshold",
        type=number,
        default=EXPLOSION_THRESHOLD,
        help=f"energy growth that counts as explosion (default {EXPLOSION_THRESHOLD:g})",
    )
    _add_wide(p)
    _add_sim_options(p)
    p.set_defaults(func=run_threshold)
    p = sub.add_parser("rescale", help="paper's factor c_n vs the exact calibrated factor per width")
    p.add_argument(
        "--widths", type=_widths, default=list(DEFAULT_WIDTHS), help=f"widths n (default {widths})"
    )
    p.add_argument(
        "--p",
        type=number,
        default=NOMINAL_PROBABILITY,
        help=f"target P(rho <= 1) of the calibration (default {NOMINAL_PROBABILITY:.4f})",
    )
    _add_wide(p)
    p.add_argument(
        "--field",
        choices=RESCALE_FIELDS,
        default="both",
        help="real Glorot (exact Pfaffian law), complex (exact Kostlan product), or both (default)",
    )
    _add_sim_options(p)
    p.set_defaults(func=run_rescale)
    p = sub.add_parser("findings", help="write the findings report (Markdown)")
    p.add_argument("--out", metavar="PATH", required=True, help="where to write the Markdown report")
    p.add_argument(
        "--budget",
        choices=BUDGETS,
        default="default",
        help="real Monte Carlo effort: quick, default or thorough (exact numbers are the same)",
    )
    p.add_argument("--seed", type=nonnegative_int, default=0, help="seed of the real Monte Carlo (default 0)")
    p.add_argument(
        "--widths", type=_widths, default=list(DEFAULT_WIDTHS), help=f"widths n (default {widths})"
    )
    _add_wide(p)
    _add_sim_options(p, findings=True)
    p.set_defaults(func=run_findings)


def _add_wide(p) -> None:
    p.add_argument(
        "--wide",
        action="store_true",
        help="one wide table (at least 160 columns) instead of tables that fit the terminal",
    )


def _print(console: Console, title: str, headers, body) -> None:
    table = new_table(title, [(h, True) for h in headers], key=headers[0], justify="right")
    for cells in body:
        table.add_row(*(escape(x) for x in cells))
    console.print(table)


def _fmt_len(t) -> str:
    return "—" if t is None else "∞" if math.isinf(t) else str(int(t))


def _real_median_length(n, threshold):
    try:
        return explosion_length(n, threshold=threshold, field="real")
    except ValueError:
        return None


def run_threshold(args) -> int:
    threshold = v.positive_real("--threshold", args.threshold)
    if threshold <= 1:
        raise InvalidArgument(f"--threshold={threshold!r} must exceed 1")
    has_energy = energy_engine() is not None
    headers = (
        "n",
        "sqrt(n)",
        "paper sqrt(n/gamma_n)",
        "median, complex (radius heuristic)",
        "median, real (radius heuristic, exact law)",
        "worst 1%, complex (radius heuristic)",
        "mean energy E||W^t x||^2, complex (exact)",
    )
    body = []
    for n in args.widths:
        paper = math.sqrt(n / gamma_n(n)) if n >= FIRST_DEFINED_WIDTH else None
        mean = explosion_length(n, threshold=threshold, method="energy") if has_energy else None
        body.append(
            [
                str(n),
                f"{math.sqrt(n):.1f}",
                "undefined" if paper is None else f"{paper:.1f}",
                _fmt_len(explosion_length(n, threshold=threshold)),
                _fmt_len(_real_median_length(n, threshold)),
                _fmt_len(explosion_length(n, threshold=threshold, p=0.99)),
                _fmt_len(mean),
            ]
        )
    console = tables.console(wide=args.wide)
    _print(
        console,
        f"Glorot critical lengths, radius heuristic (rho_p^(2t) >= {threshold:g}) and exact mean "
        f"energy >= {threshold:g}",
        headers,
        body,
    )
    _print_simulated(console, args, ("glorot",), threshold)
    return 0


#: ``--field`` of ``rescale``: which Glorot fields get columns.
RESCALE_FIELDS = ("real", "complex", "both")


def _exceeds(p: float) -> str:
    return f"{p:.6f}" if 1 - p > 1e-4 else f"1 - {1 - p:.2e}"


def _add_sim_options(p, findings=False) -> None:
    """Options of the simulated explosion lengths; ``findings``: defaults come from ``--budget``."""
    by_budget = ", ".join(f"{b}: {w}" for b, (w, _) in sim.SIM_BUDGETS.items())
    trials = ", ".join(f"{b}: {m}" for b, (_, m) in sim.SIM_BUDGETS.items())
    p.add_argument(
        "--trials",
        type=positive_int,
        default=None if findings else 600,
        help="matrices per cell of the simulated explosion lengths (default "
        f"{trials if findings else 600}; a finite worst-0.1%% lower end needs about 5300)",
    )
    p.add_argument(
        "--sim-max-width",
        type=positive_int,
        default=None if findings else 256,
        help="simulate explosion lengths up to this width (default "
        f"{by_budget if findings else 256}; cost ~ trials n^2.5)",
    )
    if findings:
        return
    p.add_argument(
        "--max-length",
        type=positive_int,
        default=None,
        help="censoring length of the simulation (default max(200, ceil(10 sqrt(n))))",
    )
    p.add_argument("--seed", type=nonnegative_int, default=0, help="seed of the simulation (default 0)")


def _print_simulated(console, args, inits, threshold, fields=sim.FIELDS) -> None:
    """The simulated explosion-length table for ``inits`` and ``fields``: median, worst 1 %, worst 0.1 %
    where trials allow."""
    grid = sim.simulated_grid(
        args.widths,
        inits=inits,
        fields=fields,
        trials=args.trials,
        max_width=args.sim_max_width,
        max_length=args.max_length,
        threshold=threshold,
        seed=args.seed,
        progress=lambda m: print(m, file=sys.stderr, flush=True),
    )
    qs = (0.5, 0.01, 0.001) if sim.has_finite_worst_tenth(grid) else (0.5, 0.01)
    _print(
        console,
        "Simulated explosion length: "
        + sim.definition_line(threshold, trials=args.trials, max_length=args.max_length),
        sim.table_headers(inits, fields, quantiles=qs),
        sim.table_body(grid, args.widths, inits, fields, quantiles=qs),
    )


def run_rescale(args) -> int:
    """Per width: the paper's c_n and, for each field, exact P(rho > 1), P(rho(c_n W) <= 1) and 1/s_p."""
    p = v.probability("--p", args.p, open_interval=True)
    fields = (
        ("real", "complex") if args.field == "both" else (v.choice("--field", args.field, RESCALE_FIELDS),)
    )
    headers = ["n", "gamma_n", "paper c_n"]
    for f in fields:
        headers += [f"P(rho>1) {f}", f"c_n achieves {f}", f"1/s {f}"]
    body = []
    for n in args.widths:
        c = rescale_factor(n) if n >= FIRST_DEFINED_WIDTH else None
        cells = [str(n), f"{gamma_n(n):.4f}", "undefined" if c is None else f"{c:.4f}"]
        for f in fields:
            cells += [
                _exceeds(spectral_radius_sf(1.0, n, field=f)),
                "—" if c is None else f"{spectral_radius_cdf(1 / c, n, field=f):.6f}",
                f"{1 / calibrated_scale(n, p, field=f):.6f}",
            ]
        body.append(cells)
    _print(
        tables.console(wide=args.wide),
        f"Rescaling factors (all exact): paper's c_n (nominal P(rho<=1) = "
        f"{NOMINAL_PROBABILITY:.4f}, asymptotic, complex; real heuristic limit sqrt = "
        f"{math.sqrt(NOMINAL_PROBABILITY):.4f}) vs exact calibration to P(rho<=1) = {p:.4f}. Columns per field: "
        "Glorot P(rho>1); P(rho(c_n W)<=1); calibrated factor 1/s",
        tuple(headers),
        body,
    )
    _print_simulated(
        tables.console(wide=args.wide), args, ("rescaled", "calibrated"), EXPLOSION_THRESHOLD, fields
    )
    return 0


def run_findings(args) -> int:
    writable_file("--out", args.out)
    rows = findings_rows(
        budget=args.budget,
        seed=args.seed,
        widths=args.widths,
        sim_max_width=args.sim_max_width,
        sim_trials=args.trials,
        progress=lambda m: print(f"findings: {m}", file=sys.stderr, flush=True),
    )
    text = findings_markdown(rows, budget=args.budget, seed=args.seed)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(text)
    console = tables.console(wide=args.wide)
    if args.wide:
        parts = [
            ("Radius guarantee", RADIUS_HEADERS, radius_table(rows)),
            (
                "Explosion lengths (complex): radius heuristic, exact mean energy",
                EXPLOSION_HEADERS,
                explosion_table(rows),
            ),
        ]
    else:
        parts = table_parts(rows)
    for title, headers, body in parts + simulated_parts(rows):
        _print(console, title, headers, body)
    console.print(f"findings written to {args.out}")
    return 0
