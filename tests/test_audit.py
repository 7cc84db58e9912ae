"""``lrinit_verify.auditing`` and ``lrinit-verify audit``: a user's init against Glorot and its rescalings.

Statistical assertions (P(rho > 1) against Kostlan's exact law; verdicts of planted inits) run at
false-failure probability TEST_ALPHA (tests/_budget.py), each with a companion that must fail.
The test inits live in tests/_audit_inits.py (importable as ``_audit_inits:NAME``).
"""

from __future__ import annotations

import doctest
import importlib
import json
import math
import pathlib

import numpy as np
import pytest
import torch
from _budget import TEST_ALPHA

from lrinit_verify.auditing import InitError, audit, core, load_init
from lrinit_verify.cli.app import main
from lrinit_verify.sampling.torch_init import glorot_
from lrinit_verify.theory.edge import spectral_radius_cdf

ROOT = pathlib.Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n"
FAST = {"widths": (8,), "lengths": (20,), "trials": 30, "baselines": False, "seed": 0}


# --- the planted pair: Glorot x 1.1 must be unstable where Glorot x 0.9 is stable ----------------------


@pytest.mark.parametrize("name, want", [("glorot_times_1_1_", "unstable"), ("glorot_times_0_9_", "stable")])
def test_scaled_glorot_verdicts(name, want):
    # n = 128, t = 200, stable = at most 30 % explode. Glorot x 1.1 explodes by t = 200 almost surely
    # (rho ~ 1.1); Glorot x 0.9 in about 1.5 % of draws (measured 15 and 12 of 1000 for the two definitions), far below 30 %: a wrong
    # verdict has probability < TEST_ALPHA (binomial tails), and the two verdicts must differ.
    rep = audit(
        f"_audit_inits:{name}",
        widths=(128,),
        lengths=(200,),
        trials=150,
        probability=0.7,
        alpha=TEST_ALPHA,
        baselines=False,
        seed=3,
    )
    assert rep.verdict == want, rep.verdict_lines()


# --- P(rho > 1) against the exact complex law ------------------------------------------------------------


def test_probability_radius_exceeds_one_matches_kostlan():
    n, trials = 6, 3000
    rep = audit(
        glorot_,
        widths=(n,),
        lengths=(5,),
        trials=trials,
        dtype="complex128",
        alpha=2 * TEST_ALPHA,
        baselines=False,
        seed=7,
    )
    row = rep.rows[0]
    assert row["field"] == "complex" and rep.settings["alpha_each"] == pytest.approx(TEST_ALPHA)
    lo, hi = row["p_rho_gt_1"]["interval"]
    assert lo <= 1 - spectral_radius_cdf(1.0, n) <= hi  # Clopper-Pearson at TEST_ALPHA
    # planted bug: the exact value for Glorot x 1.1 (a 10 % variance error) lies outside
    assert not lo <= 1 - spectral_radius_cdf(1 / 1.1, n) <= hi


# --- report contents, JSON, reproducibility ---------------------------------------------------------------


def test_report_rows_baselines_and_json(tmp_path):
    rep = audit(torch.nn.init.xavier_uniform_, widths=(8, 16), lengths=(10, 40), trials=40, seed=1)
    sources = [(r["n"], r["source"]) for r in rep.rows]
    assert sources == [
        (n, s) for n in (8, 16) for s in ("init", "glorot", "rescaled_glorot", "calibrated_glorot")
    ]
    paper = [r for r in rep.rows if r["source"] == "rescaled_glorot"]
    assert all("p_rho_gt_1" not in r and "n <= 163" in r["note"] for r in paper)  # c_n undefined there
    init = rep.rows[0]
    assert set(init["explosion"]) == {"homogeneous", "driven"} and set(init["exploded_by"]) == {"10", "40"}
    for r in rep.rows:
        if "exploded_by" in r:  # exploding by t = 10 implies exploding by t = 40
            for d in ("homogeneous", "driven"):
                assert r["exploded_by"]["10"][d]["estimate"] <= r["exploded_by"]["40"][d]["estimate"]
    path = tmp_path / "r.json"
    rep.write_json(path)
    data = json.loads(path.read_text())
    assert (
        data["verdict"] == rep.verdict and "driven" in data["definitions"] and data["checks"]["reproducible"]
    )
    assert "NaN" not in path.read_text() and data["settings"]["alpha_each"] == pytest.approx(0.01 / 8)


def test_same_seed_same_report_and_global_rng_untouched():
    state = torch.get_rng_state()
    a = audit(torch.nn.init.orthogonal_, **FAST).to_dict()
    b = audit(torch.nn.init.orthogonal_, **FAST).to_dict()
    assert a == b and torch.equal(state, torch.get_rng_state())


def test_generator_ignoring_init_is_reported_not_reproducible():
    state = torch.get_rng_state()
    rep = audit("_audit_inits:ignores_generator_", **FAST)
    assert rep.checks == {"field": "real", "reproducible": False, "varies": True}
    assert any(line.startswith("NOT REPRODUCIBLE") for line in rep.verdict_lines())
    assert torch.equal(state, torch.get_rng_state())  # its global draws were undone
    good = audit(torch.nn.init.xavier_normal_, **FAST)  # companion: a generator-honouring init passes
    assert good.checks["reproducible"] and not any("NOT REPRODUCIBLE" in x for x in good.verdict_lines())


def test_orthogonal_radius_one_is_not_counted_above_one():
    # |lambda| = 1 up to rounding: without a tolerance about half the radii exceed 1 by ~1e-15
    rep = audit(torch.nn.init.orthogonal_, **{**FAST, "widths": (64,)})
    assert rep.rows[0]["p_rho_gt_1"]["estimate"] == 0.0


def test_deterministic_and_returning_inits():
    fixed = audit("_audit_inits:half_identity_", **{**FAST, "trials": 100})
    assert fixed.checks["varies"] is False and fixed.verdict == "stable"
    assert fixed.rows[0]["rho_quantiles"]["0.5"]["estimate"] == pytest.approx(0.5)
    ring = audit("_audit_inits:lru_ring_", **FAST)  # returns diag(lambda), complex
    assert ring.checks["field"] == "complex" and ring.rows[0]["p_rho_gt_1"]["estimate"] == 0.0


def test_training_hook_result_is_reported():
    calls = []

    def check(init_fn, n, seed):
        calls.append((n, seed))
        return {"final_loss": 0.5}

    rep = audit(torch.nn.init.orthogonal_, training_check=check, **FAST)
    assert calls == [(8, 0)] and rep.training == {"8": {"final_loss": 0.5}}
    assert rep.to_dict()["training"] == {"8": {"final_loss": 0.5}}


def test_figure_is_a_png(tmp_path):
    from lrinit_verify.auditing.figure import energy_figure

    rep = audit(torch.nn.init.xavier_uniform_, widths=(8, 16), lengths=(15,), trials=10, seed=0)
    assert pathlib.Path(energy_figure(rep, tmp_path / "a.png")).read_bytes()[:8] == PNG


# --- bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "init, kwargs, match",
    [
        pytest.param(
            "nonexistent_module_xyz:f", {}, "cannot import module 'nonexistent_module_xyz'", id="import"
        ),
        pytest.param("torch.nn.init:nope_", {}, "has no attribute 'nope_'", id="attribute"),
        pytest.param("torch.nn.init", {}, "must look like MODULE:FUNCTION", id="no-colon"),
        pytest.param("_audit_inits:NOT_A_FUNCTION", {}, "not a function", id="not-callable"),
        pytest.param("_audit_inits:no_generator", {}, "wrong signature", id="signature"),
        pytest.param(
            "_audit_inits:non_square_", {}, r"shape \(8, 9\) at n=8; need a square", id="non-square"
        ),
        pytest.param("_audit_inits:integer_matrix_", {}, "dtype torch.int64", id="int-dtype"),
        pytest.param("_audit_inits:leaves_nan_", {}, "non-finite entries", id="unfilled"),
        pytest.param("_audit_inits:infinite_", {}, "non-finite entries", id="infinite"),
        pytest.param("_audit_inits:returns_list_", {}, "returned list", id="list"),
        pytest.param(
            "_audit_inits:field_changes_", {"widths": (8, 16)}, "real matrices at some widths", id="field"
        ),
        pytest.param(42, {}, "init=42 must be a callable", id="not-init"),
        pytest.param("torch.nn.init:orthogonal_", {"widths": ()}, "widths=()", id="no-widths"),
        pytest.param("torch.nn.init:orthogonal_", {"widths": (1,)}, "widths=1", id="width-1"),
        pytest.param("torch.nn.init:orthogonal_", {"lengths": (0,)}, "lengths=0", id="length-0"),
        pytest.param("torch.nn.init:orthogonal_", {"trials": 1}, "trials=1", id="trials"),
        pytest.param("torch.nn.init:orthogonal_", {"threshold": 0.5}, "threshold=0.5", id="threshold"),
        pytest.param("torch.nn.init:orthogonal_", {"probability": 1.0}, "probability=1.0", id="probability"),
        pytest.param("torch.nn.init:orthogonal_", {"alpha": 0}, "alpha=0", id="alpha"),
        pytest.param("torch.nn.init:orthogonal_", {"dtype": "int8"}, "dtype='int8'", id="dtype"),
        pytest.param("torch.nn.init:orthogonal_", {"seed": -1}, "seed=-1", id="seed"),
        pytest.param("torch.nn.init:orthogonal_", {"training_check": 5}, "training_check=5", id="hook"),
    ],
)
def test_bad_input_is_rejected_before_any_work(init, kwargs, match, monkeypatch):
    def no_work(*a, **k):
        raise AssertionError("measurement started before validation")

    monkeypatch.setattr(importlib.import_module("lrinit_verify.auditing.measure"), "measure_init", no_work)
    with pytest.raises(ValueError, match=match):
        audit(init, **{**FAST, **kwargs})


def test_init_errors_are_value_errors_and_loader_returns_callables():
    assert issubclass(InitError, ValueError) and load_init("torch.nn.init:xavier_uniform_") is (
        torch.nn.init.xavier_uniform_
    )
    w = core.call_init(lambda t, generator=None: torch.nn.init.eye_(t), 3, seed=0)
    assert np.array_equal(w, np.eye(3))


# --- command line ------------------------------------------------------------------------------------------


def test_cli_stable_init_writes_json_and_png(tmp_path, capsys):
    js, png = tmp_path / "a.json", tmp_path / "a.png"
    code = main(
        [
            "audit",
            "--init",
            "torch.nn.init:orthogonal_",
            "--widths",
            "8",
            "--lengths",
            "20",
            "--trials",
            "100",
            "--json",
            str(js),
            "--plot",
            str(png),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "VERDICT: torch.nn.init.orthogonal_ is STABLE" in out
    assert json.loads(js.read_text())["verdict"] == "stable" and png.read_bytes()[:8] == PNG


def test_cli_unstable_init_exits_one(capsys):
    code = main(
        [
            "audit",
            "--init",
            "_audit_inits:glorot_times_1_1_",
            "--widths",
            "16",
            "--lengths",
            "300",
            "--trials",
            "60",
            "--no-baselines",
        ]
    )
    assert code == 1 and "is UNSTABLE" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, match",
    [
        (["--init", "nonexistent_module_xyz:f", "--widths", "8"], "cannot import module"),
        (["--init", "torch.nn.init:orthogonal_", "--widths", "a,b"], "argument --widths: 'a,b'"),
        (
            ["--init", "torch.nn.init:orthogonal_", "--widths", "8", "--lengths", "0"],
            "argument --lengths: '0'",
        ),
        (["--widths", "8"], "--init"),
    ],
)
def test_cli_bad_input_exits_two(argv, match, capsys):
    assert main(["audit", *argv]) == 2
    err = capsys.readouterr().err
    assert match in err and "Traceback" not in err


# --- the documentation example runs ------------------------------------------------------------------------


def test_docs_audit_page_examples_run():
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testfile(str(ROOT / "docs" / "audit.md"), module_relative=False, optionflags=flags)
    assert result.attempted > 0 and result.failed == 0


def test_math_is_finite_everywhere_in_json():
    rep = audit("_audit_inits:half_identity_", **FAST).to_dict()
    text = json.dumps(rep)
    assert (
        "Infinity" not in text
        and "NaN" not in text
        and not math.isnan(rep["rows"][0]["p_rho_gt_1"]["estimate"])
    )


def test_cli_registers_audit_without_importing_torch():
    import subprocess
    import sys

    code = (
        "import sys; import lrinit_verify.cli.app as c; c.build_parser(); "
        "print('torch' in sys.modules, 'lrinit_verify.auditing.core' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split()[-1] == "False"  # the audit's torch-using modules are not imported
    from lrinit_verify.auditing import cli

    assert cli.DTYPE_NAMES == tuple(core.DTYPES)


@pytest.mark.parametrize("width", [80, 100])
def test_cli_table_fits_the_terminal_and_wide_has_every_column(width):
    from lrinit_verify.auditing.cli import SHORT_COLUMNS, audit_table
    from lrinit_verify.cli._tables import render

    rep = audit(torch.nn.init.xavier_uniform_, widths=(8, 16), lengths=(10, 40), trials=20, seed=0)
    short = render(audit_table(rep), width=width)
    assert max(len(line) for line in short.splitlines()) <= width
    head, body = rep.table_rows()
    for cells in body:  # the width of every row is printed whole, and its verdict too from 100 columns
        whole = cells[-1] if width >= 100 else ""
        assert any(f"│ {cells[0]} " in line and whole in line for line in short.splitlines())
    wide = render(audit_table(rep, wide=True), width=400)
    assert all(h in wide for h in head) and "T hom 1%" not in short  # planted: wide shows more
    assert all(h in short for h in SHORT_COLUMNS)
