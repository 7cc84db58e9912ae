"""The command line reads well in an ordinary terminal: tables fit 100 columns, claim ids are never
split, findings are marked and explained, every option has help, ``--version`` works; samplers say in
their signature that randomness is required and check every argument first."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import lrinit_verify as lv
from lrinit_verify.claims import PlantedBug, all_claims
from lrinit_verify.claims.runner import Report, Result
from lrinit_verify.cli._tables import render
from lrinit_verify.cli.app import build_parser, main
from lrinit_verify.cli.verify import LEGEND, legend, verdict_table
from lrinit_verify.rigor.stats import Verdict
from lrinit_verify.rigor.testing import assert_probability


def _fake_report() -> Report:
    # every registered claim, findings reported "violated" and one claim not as expected
    results = []
    for i, claim in enumerate(all_claims()):
        status = "violated" if claim.expect is None else ("inconclusive" if i == 1 else "holds")
        verdict = Verdict(
            status,
            estimate=1.0234567,
            interval=(0.99123, 1.0512345),
            reference=1.0,
            alpha=4.2e-5,
            cases="n in 64..4096, 2000 matrices each, real and complex",
        )
        results.append(Result(claim, verdict, 12.3))
    return Report("default", 0, 1e-3, results)


@pytest.mark.parametrize("width", [80, 100, 120])
def test_verdict_table_fits_and_never_splits_an_id(width):
    text = render(verdict_table(_fake_report()), width=width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    for claim in all_claims():
        assert any(claim.id in line for line in lines), f"{claim.id} split or cut at width {width}"


def test_findings_are_marked_and_explained():
    report = _fake_report()
    text = render(verdict_table(report), width=100)
    findings = [c.id for c in all_claims() if c.expect is None]
    assert findings, "the registry has findings"
    for line in text.splitlines():
        if any(f in line for f in findings):
            assert "violated*" in line
    assert legend(report) == [LEGEND["*"], LEGEND["!"]]


def test_wide_table_has_every_column():
    narrow = render(verdict_table(_fake_report()), width=100)
    wide = render(verdict_table(_fake_report(), wide=True), width=220)
    assert "provenance" in wide and "alpha" in wide and "provenance" not in narrow


def test_verify_list_fits_100_columns_and_names_findings(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["verify", "--list"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100
    for claim in all_claims():
        line = next(line for line in out.splitlines() if claim.id in line)
        assert ("finding" in line) == (claim.expect is None)
    assert "finding: reported, not asserted" in out


def test_rescale_table_fits_100_columns(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["rescale", "--widths", "64,256", "--trials", "60"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100 and "undefined" in out


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"lrinit-verify {lv.__version__}"


def _options(parser):
    for action in parser._actions:
        if hasattr(action, "choices") and isinstance(action.choices, dict):  # the sub-commands
            for name, sub in action.choices.items():
                yield from ((f"{name} {o}", a) for o, a in _options(sub))
        elif action.option_strings:
            yield action.option_strings[-1], action


def test_every_option_has_help():
    missing = [name for name, action in _options(build_parser()) if not action.help]
    assert not missing, f"options without help text: {missing}"


SAMPLERS = [
    lv.glorot,
    lv.halved_glorot,
    lv.orthogonal,
    lv.sample_batch,
    lv.rescaled_glorot,
    lv.calibrated_glorot,
    lv.pytorch_rnn_default,
    lv.lru_ring,
    lv.diagonal_glorot,
    lv.sample_hessenberg,
    lv.sample_radius_kostlan,
]


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda f: f.__name__)
def test_sampler_signature_says_randomness_is_required(sampler):
    params = inspect.signature(sampler).parameters
    for name in ("rng", "seed"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert "required" in repr(params[name].default)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        pytest.param(lambda: lv.glorot(16), "seed=None and rng=None", id="no-randomness"),
        pytest.param(lambda: lv.glorot(16, scale=-1), "scale=-1", id="scale-before-seed"),
        pytest.param(lambda: lv.glorot(16, field="quaternion"), "field='quaternion'", id="field-before-seed"),
        pytest.param(lambda: lv.lru_ring(8, r_min=0.5, r_max=0.2), "r_min=0.5", id="lru-before-seed"),
    ],
)
def test_samplers_check_every_argument_before_the_randomness(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_assert_probability_accepts_zero_one_integers_and_hides_its_frame():
    assert_probability(np.array([1, 1, 0, 1] * 50), at_least=0.5, alpha=1e-3)
    with pytest.raises(AssertionError, match="P\\(event\\)"):
        assert_probability(np.array([0, 0, 0, 1] * 50), at_least=0.9, alpha=1e-3)
    with pytest.raises(ValueError, match="dtype int"):
        assert_probability(np.array([0, 2, 1]), at_least=0.5, alpha=1e-3)
    assert "__tracebackhide__" in assert_probability.__code__.co_varnames


def test_exact_verdicts_use_no_error_budget():
    v = Verdict.exact("holds", estimate=2.0, reference=1.0)
    assert v.alpha == 0.0 and v.interval == (2.0, 2.0)
    assert Verdict.exact("violated", estimate=1.0, interval=(0.5, 1.5)).interval == (0.5, 1.5)


def test_every_statistical_claim_carries_its_planted_bug():
    missing = [c.id for c in all_claims() if c.statistical and not isinstance(c.planted, PlantedBug)]
    assert not missing
    with pytest.raises(ValueError, match="expect='sometimes'"):
        PlantedBug({}, expect="sometimes")


def test_tables_in_a_file_or_pipe_are_100_columns_unless_columns_says(monkeypatch):
    from lrinit_verify.cli import _tables

    monkeypatch.delenv("COLUMNS", raising=False)
    assert _tables.terminal_width() == _tables.FILE_WIDTH == 100  # pytest captures: not a terminal
    monkeypatch.setenv("COLUMNS", "87")
    assert _tables.terminal_width() == 87
    assert _tables.console(wide=True).width == _tables.WIDE_WIDTH
