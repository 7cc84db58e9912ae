"""The findings report: every number exact or with an interval; Markdown writer; CLI commands."""

from __future__ import annotations

import math

import mpmath
import pytest
from scipy.stats import binomtest

from lrinit_verify import cli
from lrinit_verify.report.findings import findings_rows, write_findings_markdown
from lrinit_verify.theory import edge
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY


def test_rows_exact_values():
    rows = findings_rows(budget="quick", seed=0, widths=(64, 256), real_max_width=0)
    small, big = rows
    assert small["paper_factor"] is None and small["achieved_complex"] is None
    # independent route: c_n from the paper's formula and Kostlan's product, both in mpmath at 40 digits
    with mpmath.workdps(40):
        n = mpmath.mpf(256)
        g = mpmath.log(n / (2 * mpmath.pi * mpmath.log(n) ** 2))
        x = mpmath.euler + mpmath.pi / mpmath.sqrt(6)
        c = 1 / (1 + mpmath.sqrt(g / (4 * n)) + x / mpmath.sqrt(4 * g * n))
        exact = float(edge.spectral_radius_cdf_mp(1 / c, 256, dps=40))
    assert math.isclose(big["achieved_complex"], exact, rel_tol=1e-12)
    assert big["achieved_complex"] > 0.999 > NOMINAL_PROBABILITY  # the finding at n = 256
    assert big["explosion"]["glorot"]["median"] < math.inf == big["explosion"]["halved"]["median"]


def test_markdown_with_monte_carlo(tmp_path):
    path = tmp_path / "findings.md"
    rows = write_findings_markdown(path, budget="quick", seed=1, widths=(64, 128, 256))
    text = path.read_text()
    assert "undefined (γ_n ≤ 0)" in text and "| 256 |" in text
    alpha_each = 1e-3 / (3 * 2)  # the default family-wise 1e-3 over 3 intervals at each of 2 simulated widths
    for r in rows[:2]:  # simulated widths carry exact Clopper–Pearson intervals: scipy's binomtest route
        p, (lo, hi) = r["glorot_exceeds_real"]
        m = r["real_trials"]
        k = round(p * m)
        ref = binomtest(k, m).proportion_ci(confidence_level=1 - alpha_each, method="exact")
        assert (lo, hi) == (pytest.approx(ref.low, abs=1e-12), pytest.approx(ref.high, abs=1e-12))
        assert 0 < lo < p < hi < 1  # a real interval at these counts, not a point
    assert "glorot_exceeds_real" not in rows[2]


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["rescale", "--p", "1.5"], id="p"),
        pytest.param(["threshold", "--widths", "1,2"], id="widths"),
        pytest.param(["threshold", "--threshold", "0.5"], id="threshold"),
        pytest.param(["findings", "--out", "x.md", "--seed", "-1"], id="seed"),
    ],
)
def test_cli_bad_input_exits_2(argv, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("--" in err)


def test_cli_tables(capsys, tmp_path):
    assert (
        cli.main(["rescale", "--widths", "64,256", "--trials", "60"]) == 0
    )  # few trials: tests/test_explosion_cli.py
    assert cli.main(["threshold", "--widths", "64,1024", "--trials", "60"]) == 0
    out = capsys.readouterr().out
    assert "undefined" in out and "0.8880" in out
    path = tmp_path / "f.md"
    assert cli.main(["findings", "--out", str(path), "--budget", "quick", "--widths", "64"]) == 0
    assert path.read_text().startswith("# Findings")
