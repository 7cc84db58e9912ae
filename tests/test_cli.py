"""The command line: verify, --list, --json, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lrinit_verify.cli.app import main


def test_list_shows_every_claim(capsys):
    from lrinit_verify.claims import all_claims

    assert main(["verify", "--list"]) == 0
    out = capsys.readouterr().out
    for claim in all_claims():
        assert claim.id in out


def test_verify_one_claim_writes_json(tmp_path, capsys):
    path = tmp_path / "report.json"
    rc = main(["verify", "--budget", "quick", "--only", "edge.all_real_probability", "--json", str(path)])
    assert rc == 0
    report = json.loads(path.read_text())
    assert report["ok"] is True
    assert [c["id"] for c in report["claims"]] == ["edge.all_real_probability"]
    assert report["claims"][0]["status"] == "holds"
    assert "[1/1] edge.all_real_probability" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["verify", "--budget", "huge"], "--budget"),
        (["verify", "--seed", "-4"], "argument --seed: '-4' must be a non-negative integer"),
        (["verify", "--seed", "abc"], "argument --seed: 'abc'"),
        (["verify", "--alpha", "2"], "argument --alpha: '2' must be a probability"),
        (["verify", "--only", "no.such.claim"], "claim_id='no.such.claim'"),
        (["verify", "--device", "cuda"], "--device='cuda' needs --backend torch"),
        (["frobnicate"], "frobnicate"),
        ([], "required"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv, needle):
    proc = subprocess.run([sys.executable, "-m", "lrinit_verify", *argv], capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert needle in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["docs", "--seed", "-1"], "argument --seed: '-1' must be a non-negative integer"),
        (["threshold", "--threshold", "x"], "argument --threshold: 'x' must be a number"),
        (["findings", "--trials", "0"], "argument --trials: '0' must be a positive integer"),
        (["rescale", "--seed", "1.5"], "argument --seed: '1.5' must be a non-negative integer"),
        (
            ["sweep", "g.toml", "--out", "d", "--workers", "0"],
            "argument --workers: '0' must be a positive integer",
        ),
        (["audit", "--init", "m:f", "--widths", "8,x"], "argument --widths: '8,x' must be a comma-separated"),
        (
            ["audit", "--init", "m:f", "--widths", "8", "--trials", "-3"],
            "argument --trials: '-3' must be a pos",
        ),
        (
            ["audit", "--init", "m:f", "--widths", "8", "--seed", "-1"],
            "argument --seed: '-1' must be a non-neg",
        ),
    ],
)
def test_every_subcommand_parses_numbers_alike(argv, needle, capsys):
    """One parser per kind of value (cli/_args.py): the same message from every subcommand."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1


def test_failing_claim_gives_nonzero_exit(monkeypatch, capsys):
    from lrinit_verify.claims import edge as ce

    monkeypatch.setattr(ce, "GUMBEL_ERROR_FLOOR", 0.9)  # planted: an impossible floor
    assert main(["verify", "--budget", "quick", "--only", "edge.gumbel_slow"]) == 1


def test_verify_report_writes_findings(tmp_path):
    path = tmp_path / "findings.md"
    rc = main(["verify", "--budget", "quick", "--only", "edge.gumbel_slow", "--report", str(path)])
    assert rc == 0
    text = path.read_text()
    assert "undefined" in text  # the paper's c_n for n <= 163
    assert "| 256 |" in text  # a table row for n = 256
