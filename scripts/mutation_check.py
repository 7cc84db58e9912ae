r"""A small mutation check of the statistics, the certificates and the tests that guard them.

Each mutant is one line fragment replaced by another in one file, with the tests expected to kill it.
The repository is copied once to a temporary directory; each mutant is applied to the copy, its tests
run there (``PYTHONPATH`` = the copy, so the copy is what gets imported), and the file is restored.
A mutant is *killed* when its tests fail; *alive* when they pass (a gap in the suite); *stale* when
its original fragment is no longer found exactly once (the list needs updating).

Run from the repository root (a few minutes on 2 cores)::

    python scripts/mutation_check.py            # all mutants
    python scripts/mutation_check.py -k sequential --json /tmp/mutants.json

Exit status 0 when every mutant is killed, 1 otherwise.

Recorded results: 22/22 killed on branch ``reliability`` (the first run had 21/22: a mutant of
``quantile_interval``'s lower end turned out equivalent and was replaced); 22/22 killed again on main
after the redesign split the modules (2026-12-01, mutants re-aimed at ``decisions``, ``sequential``,
``_arb`` and the order-statistic bounds; ``tests/test_mutation_list.py`` keeps them aimed). Each
mutant takes 7-20 s on 2 cores, ~60 s under heavy load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    original: str
    mutated: str
    tests: tuple[str, ...]


S, D, SEQ, CE, CC, CR, ARB = (
    "lrinit_verify/rigor/stats.py",
    "lrinit_verify/rigor/decisions.py",
    "lrinit_verify/rigor/sequential.py",
    "lrinit_verify/claims/energy_mc.py",
    "lrinit_verify/claims/_certified_tools.py",
    "lrinit_verify/rigor/certify.py",
    "lrinit_verify/rigor/_arb.py",
)
COV, DEC = "tests/test_coverage.py", "tests/test_decisions.py"

MUTANTS = [
    Mutant(
        "cp-lower-one-sided",
        S,
        "beta.ppf(alpha / 2, k, m - k + 1)",
        "beta.ppf(alpha, k, m - k + 1)",
        (f"{COV}::test_clopper_pearson_exact_coverage_and_planted_narrowing",),
    ),
    Mutant(
        "dkw-half-width",
        S,
        "math.log(2.0 / alpha) / (2.0 * m)",
        "math.log(2.0 / alpha) / (8.0 * m)",
        (f"{COV}::test_dkw_band_coverage_and_planted_narrowing",),
    ),
    Mutant(
        "ks-one-sided",
        S,
        "np.max(f - (i - 1) / m)",
        "np.max(f - i / m)",
        (f"{COV}::test_ks_distance_equals_scipy",),
    ),
    Mutant(
        "eb-halved",
        S,
        "return mean, mean - half, mean + half",
        "return mean, mean - half / 2, mean + half / 2",
        (f"{COV}::test_empirical_bernstein_width_band_and_planted_narrowing",),
    ),
    Mutant(
        "eb-log-term",
        S,
        "log_term = math.log(4.0 / alpha)",
        "log_term = math.log(1.0 / alpha)",
        (f"{COV}::test_empirical_bernstein_width_band_and_planted_narrowing",),
    ),
    Mutant(
        "mom-halved",
        S,
        "half = 2.0 * sigma / math.sqrt(b)",
        "half = 1.0 * sigma / math.sqrt(b)",
        (f"{COV}::test_median_of_means_worst_case_and_planted_halving",),
    ),
    Mutant(
        "mom-blocks-constant",
        S,
        "_st.binom.sf((k + 1) // 2 - 1, k, 0.25)",
        "_st.binom.sf((k + 1) // 2 - 1, k, 0.2)",
        (f"{COV}::test_mom_blocks_matches_exact_fractions",),
    ),
    Mutant(
        "mean-lower-bound-halved-eps",
        CE,
        "eps = math.sqrt(math.log(1.0 / alpha) / (2.0 * m))",
        "eps = math.sqrt(math.log(1.0 / alpha) / (8.0 * m))",
        (f"{COV}::test_mean_lower_bound_coverage", f"{COV}::test_mean_lower_bound_exact_on_a_point_mass"),
    ),
    # (single-line mutants of the lower end are equivalent: ppf and the step-down loop correct each other)
    Mutant(
        "order-statistic-lower",
        S,
        "ok_lo = np.flatnonzero(below <= alpha / 2)",
        "ok_lo = np.flatnonzero(below <= alpha * 2)",
        (f"{COV}::test_order_statistic_interval_exact_coverage_and_minimality",),
    ),
    Mutant(
        "order-statistic-upper",
        S,
        "ok_hi = np.flatnonzero(above <= alpha / 2)",
        "ok_hi = np.flatnonzero(above <= alpha * 4)",
        (f"{COV}::test_order_statistic_interval_exact_coverage_and_minimality",),
    ),
    Mutant(
        "spending-doubled",
        SEQ,
        "alpha * 2.0 ** -(looks - j)",
        "alpha * 2.0 ** -(looks - j - 1)",
        (f"{COV}::test_sequential_test_size_and_planted_spending", "tests/test_testing_helpers.py"),
    ),
    Mutant(
        "sequential-accepts-early",
        SEQ,
        'if (relation == ">=" and lo > p0)',
        'if (relation == ">=" and hi > p0)',
        (f"{DEC}::test_sequential_early_stopping_exact_cases",),
    ),
    Mutant(
        "increasing-not-strict",
        D,
        "if all(nxt[0] > prev[1]",
        "if all(nxt[0] >= prev[1]",
        (f"{DEC}::test_increasing_verdict_exact_cases",),
    ),
    Mutant(
        "increasing-adjacent-only",
        D,
        "for later in intervals[i + 1 :])",
        "for later in intervals[i + 1 : i + 2])",
        (f"{DEC}::test_increasing_verdict_exact_cases",),
    ),
    Mutant(
        "holm-no-step-down",
        D,
        "        if p[i] > level:\n            break",
        "        if p[i] > level:\n            continue",
        (f"{DEC}::test_holm_never_rejects_after_an_acceptance",),
    ),
    Mutant(
        "certify-down-nearest",
        ARB,
        "    while lo < f:\n        f = math.nextafter(f, -math.inf)",
        "    while False:\n        f = math.nextafter(f, -math.inf)",
        (f"{DEC}::test_outward_rounding_where_nearest_would_be_wrong",),
    ),
    Mutant(
        "certify-verdict-closed",
        CR,
        "    if lo > r:\n        status = HOLDS if above",
        "    if lo >= r:\n        status = HOLDS if above",
        (f"{DEC}::test_radius_verdict_never_proves_across_the_threshold",),
    ),
    Mutant(
        "certified-count-ignored",
        CC,
        "    if _st.binom.cdf(k_target + undecided, m, p0) <= alpha:\n        return VIOLATED",
        "    if False:\n        return VIOLATED",
        ("tests/test_reliability_claims.py",),
    ),
    Mutant(
        "cn-sign-flipped",
        "lrinit_verify/theory/edge.py",
        "1.0 / (1.0 + math.sqrt(g / (4.0 * n)) + x",
        "1.0 / (1.0 - math.sqrt(g / (4.0 * n)) + x",
        ("tests/test_edge.py::test_rescale_factor_against_mpmath",),
    ),
    Mutant(
        "critical-correction-deleted",
        "lrinit_verify/theory/energy.py",
        "return 3.0 * math.cosh(y) / c - 6.0 * math.sinh(y) / c**3 - c * math.sinh(y) / 3.0",
        "return 0.5 * (3.0 * math.cosh(y) / c - 6.0 * math.sinh(y) / c**3 - c * math.sinh(y) / 3.0)",
        ("tests/test_energy.py::test_critical_energy_tracks_F",),
    ),
    Mutant(
        "critical-limit-large-y",
        "lrinit_verify/theory/energy.py",
        "log_f = y - math.log(2.0 * y) if",
        "log_f = y - math.log(y) if",
        ("tests/test_energy.py::test_critical_limit_every_branch_against_mpmath",),
    ),
    Mutant(
        "assert-distribution-band-doubled",
        "lrinit_verify/rigor/testing.py",
        "    if d > eps:",
        "    if d > 2 * eps:",
        (f"{COV}::test_assert_distribution_size_and_planted_narrowing", "tests/test_testing_helpers.py"),
    ),
]


def _locate(copy: Path, mut: Mutant) -> Path | None:
    """The file holding the mutant's fragment exactly once: ``mut.file`` first, else the one package
    module that does (code moves between modules; a mutant follows its fragment, never a guess)."""
    hint = copy / mut.file
    if hint.exists() and hint.read_text().count(mut.original) == 1:
        return hint
    hits = [
        p for p in sorted((copy / "lrinit_verify").rglob("*.py")) if p.read_text().count(mut.original) == 1
    ]
    return hits[0] if len(hits) == 1 else None


def _run_one(mut: Mutant, copy: Path, timeout: float) -> dict:
    target = _locate(copy, mut)
    if target is None:
        return {"name": mut.name, "result": "stale", "detail": "original fragment not found exactly once"}
    text = target.read_text()
    target.write_text(text.replace(mut.original, mut.mutated))
    env = dict(os.environ, PYTHONPATH=str(copy), OMP_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-x",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:randomly",
                *mut.tests,
            ],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        rc = proc.returncode
        tail = (proc.stdout.strip().splitlines() or [""])[-1]
    except subprocess.TimeoutExpired:
        rc, tail = -1, f"timeout after {timeout:.0f}s"
    finally:
        target.write_text(text)
    result = "alive" if rc == 0 else "killed" if rc in (1, -1) else "error"
    return {
        "name": mut.name,
        "result": result,
        "rc": rc,
        "seconds": round(time.perf_counter() - start, 1),
        "detail": tail,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", default="", help="only mutants whose name contains this")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant")
    args = ap.parse_args(argv)
    chosen = [m for m in MUTANTS if args.k in m.name]
    with tempfile.TemporaryDirectory(prefix="lrinit-mutants-") as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(
            ROOT, copy, ignore=shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", "_build")
        )
        results = []
        for mut in chosen:
            res = _run_one(mut, copy, args.timeout)
            results.append(res)
            print(
                f"{res['result']:7s} {mut.name:36s} {res.get('seconds', 0):6.1f}s  {res['detail']}",
                flush=True,
            )
    killed = sum(r["result"] == "killed" for r in results)
    print(
        f"\n{killed}/{len(results)} mutants killed; alive: "
        f"{[r['name'] for r in results if r['result'] != 'killed'] or 'none'}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0 if killed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
