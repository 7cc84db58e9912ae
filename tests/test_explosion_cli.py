"""Simulated explosion lengths in ``threshold`` / ``rescale`` / ``findings`` and the claim behind them.

* the commands print the simulated columns (median, worst 1 %) with intervals and name the definition;
  the radius formula only appears labelled "radius heuristic";
* the printed numbers are those of :func:`lrinit_verify.report.explosion_sim.simulated_lengths`, whose
  intervals agree with a from-scratch simulation written here (plain numpy, own seed): two one-sided
  binomial tests of "the q-quantile lies in [lo, hi]", false failure <= TEST_ALPHA per assertion
  (interval at TEST_ALPHA/2, tests at TEST_ALPHA/2); planted companion: the radius heuristic is rejected;
* the claim ``explosion.simulated_quantiles`` holds at the quick budget and rejects its planted bug.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from _budget import TEST_ALPHA
from scipy import stats

from lrinit_verify import cli
from lrinit_verify.claims import Context, get_claim
from lrinit_verify.report import explosion_sim as sim
from lrinit_verify.report.findings import findings_markdown, findings_rows
from lrinit_verify.theory.rescale import explosion_length

DEFINITION = "first t with ||W^t x||^2 >= 100, random unit x"
INTERVAL = re.compile(r"\b\d+ \[\d+, \d+\]")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_threshold_prints_simulated_quantiles_with_intervals(capsys):
    argv = ["threshold", "--widths", "16,32,64", "--trials", "300", "--sim-max-width", "32", "--wide"]
    assert cli.main(argv) == 0
    captured = capsys.readouterr()
    out = _flat(captured.out)
    assert DEFINITION in out and "radius heuristic" in out and "mean energy" in out
    assert "glorot real median" in out and "glorot complex worst 1%" in out
    assert len(INTERVAL.findall(out)) >= 6 and "not simulated" in out  # n = 64 above --sim-max-width
    assert "simulated explosion lengths n=32 complex glorot x300" in captured.err  # progress on stderr
    # the printed cells are simulated_lengths' cells (same seed stream: --seed 0)
    for n in (16, 32):
        for field in ("real", "complex"):
            res = sim.simulated_lengths(n, field=field, init="glorot", trials=300, seed=0)
            assert sim.cell(res, 0.5) in out and sim.cell(res, 0.01) in out


def test_rescale_prints_simulated_rescaled_and_calibrated(capsys):
    assert cli.main(["rescale", "--widths", "64", "--trials", "100", "--wide"]) == 0
    out = _flat(capsys.readouterr().out)
    assert DEFINITION in out and "rescaled real" in out and "calibrated" in out  # headers may wrap
    assert out.count("undefined (γ_n ≤") >= 4  # the paper's c_n at n = 64, both fields, both quantiles
    for field in ("real", "complex"):  # calibrated: simulated (median censored at 200: P(rho <= 1) = 0.86)
        res = sim.simulated_lengths(64, field=field, init="calibrated", trials=100, seed=0)
        assert sim.cell(res, 0.5) == "> 200 [201, inf]" and sim.cell(res, 0.01) in out


@pytest.mark.parametrize("argv", [["threshold", "--trials", "0"], ["rescale", "--sim-max-width", "x"]])
def test_bad_simulation_options_exit_2(argv, capsys):
    assert cli.main(argv) == 2
    assert "--" in capsys.readouterr().err


def test_findings_has_simulated_section_and_labels_the_heuristic():
    rows = findings_rows(budget="quick", seed=0, widths=(64, 256), real_max_width=0)
    text = findings_markdown(rows, budget="quick", seed=0)
    assert "## 3. Simulated explosion lengths (real and complex)" in text and DEFINITION in text
    assert "median (radius heuristic)" in text and "never (exact)" in text and "not simulated" in text
    assert set(rows[0]["explosion_sim"]) == {(f, i) for f in sim.FIELDS for i in sim.SIM_INITS}
    assert rows[1]["explosion_sim"] == {}  # 256 > the quick budget's largest simulated width (128)
    glorot = rows[0]["explosion_sim"]["real", "glorot"]
    assert glorot.trials == sim.SIM_BUDGETS["quick"][1] and f"| {sim.cell(glorot, 0.5)} |" in text


# --- the printed numbers against a from-scratch simulation -----------------------------------------


def _scratch(n, m, field, length, rng):
    """Plain numpy: Glorot W, unit x, T = first t <= length with ||W^t x||^2 >= 100 (length + 1 if none)."""

    def gauss(shape):
        z = rng.standard_normal(shape)
        return z if field == "real" else (z + 1j * rng.standard_normal(shape)) / math.sqrt(2)

    w = gauss((m, n, n)) / math.sqrt(n)
    x = gauss((m, n))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    first = np.full(m, length + 1.0)
    for t in range(1, length + 1):
        x = np.einsum("bij,bj->bi", w, x)
        new = (np.sum(np.abs(x) ** 2, axis=1) >= 100.0) & (first > length)
        first[new] = t
        x[first <= length] = 0  # stop crossed runs
    return first


def _rejects(sample, lo, hi, q, beta) -> bool:
    """Reject "the q-quantile xi lies in [lo, hi]": xi >= lo gives #{T <= lo-1} <=st Bin(m, q), xi <= hi gives
    #{T <= hi} >=st Bin(m, q); each one-sided test at beta/2."""
    m = len(sample)
    p_lo = stats.binom.sf(np.count_nonzero(sample <= lo - 1) - 1, m, q)
    p_hi = 1.0 if math.isinf(hi) else stats.binom.cdf(np.count_nonzero(sample <= hi), m, q)
    return min(p_lo, p_hi) <= beta / 2


@pytest.mark.parametrize("field", ["real", "complex"])
def test_printed_intervals_agree_with_from_scratch_simulation(field):
    n, length = 24, 200
    res = sim.simulated_lengths(
        n, field=field, init="glorot", trials=800, alpha=TEST_ALPHA / 4, seed=5, max_length=length
    )
    sample = _scratch(n, 1500, field, length, np.random.default_rng(77))
    for q in (
        0.5,
        0.01,
    ):  # two assertions, each: interval misses (TEST_ALPHA/4) or test rejects (TEST_ALPHA/4)
        lo, hi = res.by_quantile[q].interval
        assert not _rejects(sample, lo, hi, q, TEST_ALPHA / 4)
    # planted bug: the radius heuristic printed as the median must be rejected by the same test
    t = explosion_length(n, field=field)
    assert _rejects(sample, t, t, 0.5, TEST_ALPHA / 4)


# --- the claim -------------------------------------------------------------------------------------


def test_claim_holds_at_quick_and_rejects_the_radius_heuristic():
    claim = get_claim("explosion.simulated_quantiles")
    ctx = Context(budget="quick", seed=0, alpha=TEST_ALPHA)
    verdict = claim.check(ctx)
    assert verdict.status == "holds", verdict.summary
    assert len(verdict.details) == 4 and all(r["n"] == 64 for r in verdict.details)
    assert claim.planted.run(claim, ctx).status == "violated"
