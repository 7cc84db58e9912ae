"""The findings report: every number exact or with an interval; Markdown writer; CLI commands."""

from __future__ import annotations

import math

import pytest

from lrinit_verify import cli
from lrinit_verify.report.findings import findings_rows, write_findings_markdown
from lrinit_verify.theory import edge
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY


def test_rows_exact_values():
    rows = findings_rows(budget="quick", seed=0, widths=(64, 256), real_max_width=0)
    small, big = rows
    assert small["paper_factor"] is None and small["achieved_complex"] is None
    assert math.isclose(big["achieved_complex"], edge.spectral_radius_cdf(1 / edge.rescale_factor(256), 256))
    assert big["achieved_complex"] > 0.999 > NOMINAL_PROBABILITY  # the finding at n = 256
    assert big["explosion"]["glorot"]["median"] < math.inf == big["explosion"]["halved"]["median"]


def test_markdown_with_monte_carlo(tmp_path):
    path = tmp_path / "findings.md"
    rows = write_findings_markdown(path, budget="quick", seed=1, widths=(64, 128, 256))
    text = path.read_text()
    assert "undefined (γ_n ≤ 0)" in text and "| 256 |" in text
    for r in rows[:2]:  # simulated widths carry Clopper–Pearson intervals
        p, (lo, hi) = r["glorot_exceeds_real"]
        assert lo <= p <= hi
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
    assert cli.main(["rescale", "--widths", "64,256"]) == 0
    assert cli.main(["threshold", "--widths", "64,1024"]) == 0
    out = capsys.readouterr().out
    assert "undefined" in out and "0.8880" in out
    path = tmp_path / "f.md"
    assert cli.main(["findings", "--out", str(path), "--budget", "quick", "--widths", "64"]) == 0
    assert path.read_text().startswith("# Findings")
