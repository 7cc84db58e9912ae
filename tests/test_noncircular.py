"""No check that validates a law against simulation draws its radii from that law.

A check that compares simulated radii with an exact law (Kostlan vs eigenvalues, the real
calibration vs Monte Carlo, the Hessenberg model vs dense) must simulate *matrices*: it passes an
eigenvalue route (``route="eigvals"``, ``"hessenberg"`` or ``"dense"``) to ``spectral_radii``.
Enforced twice:

* statically: every ``spectral_radii(...)`` call in the listed validation functions names an
  eigenvalue route;
* dynamically: with the exact sampler replaced by one that raises, the real law pretended
  installed and its table pretended to pay everywhere (the worst case for ``route="auto"``), the
  validation checks still run at quick budget; a positive control shows that the sabotage does
  catch an ``auto`` call.
"""

from __future__ import annotations

import ast
import inspect
import pathlib
import textwrap

import numpy as np
import pytest

from lrinit_verify.claims import Context, edge as claims_edge, rescale as claims_rescale
from lrinit_verify.montecarlo import _exact_law as X, simulate as S
from lrinit_verify.report import figures
from lrinit_verify.theory import edge

EIGENVALUE_ROUTES = {"eigvals", "hessenberg", "dense"}

#: Functions that validate a law against simulated matrices.
VALIDATION_FUNCTIONS = [
    claims_edge.check_kostlan_law,
    claims_rescale.check_calibration,
    edge.prob_radius_exceeds,  # method="monte_carlo" is the matrices' side of "exact"
    figures.figure_radius_histogram,  # "eigenvalues" histogram against Kostlan's sampler
]
SCRIPT = pathlib.Path(__file__).resolve().parents[1] / "scripts" / "calibrate_real.py"


def _radii_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "spectral_radii"
    ]


def _route(call: ast.Call):
    for kw in call.keywords:
        if kw.arg == "route":
            return kw.value.value if isinstance(kw.value, ast.Constant) else "<not a literal>"
    return "auto (default)"


@pytest.mark.parametrize(
    "source", [*VALIDATION_FUNCTIONS, SCRIPT], ids=lambda f: getattr(f, "__name__", "script")
)
def test_validation_code_names_an_eigenvalue_route(source):
    text = (
        source.read_text() if isinstance(source, pathlib.Path) else textwrap.dedent(inspect.getsource(source))
    )
    calls = _radii_calls(ast.parse(text))
    bad = [(c.lineno, _route(c)) for c in calls if _route(c) not in EIGENVALUE_ROUTES]
    assert not bad, f"spectral_radii calls without an eigenvalue route (line, route): {bad}"


def test_static_check_has_teeth():
    tree = ast.parse("spectral_radii(8, 2, seed=0)\nS.spectral_radii(8, 2, route='exact')\nspectra(8, 2)")
    assert [_route(c) for c in _radii_calls(tree)] == ["auto (default)", "exact"]


@pytest.fixture
def exact_sampler_raises(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("circular: a validation check drew radii from the exact law")

    monkeypatch.setattr(X, "exact_radii", refuse)
    monkeypatch.setattr(S, "_exact_pays", lambda *args: True)


@pytest.mark.parametrize("field", ["complex", "real"])
def test_sabotage_catches_an_auto_call(exact_sampler_raises, field):
    with pytest.raises(AssertionError, match="circular"):
        S.spectral_radii(16, 10, field=field, seed=0)


def test_validation_checks_run_without_the_exact_sampler(exact_sampler_raises):
    ctx = Context(budget="quick", seed=0)
    assert claims_edge.check_kostlan_law(ctx).status
    assert claims_rescale.check_calibration(ctx).status
    assert 0 <= edge.prob_radius_exceeds(16, method="monte_carlo", field="complex", trials=50, seed=0) <= 1


@pytest.mark.slow
def test_radius_figure_runs_without_the_exact_sampler(exact_sampler_raises, tmp_path):
    pytest.importorskip("matplotlib")
    assert figures.figure_radius_histogram(
        tmp_path / "r.png", rng=np.random.default_rng(0), quick=True
    ).exists()


def test_spectra_has_no_exact_route():
    with pytest.raises(ValueError, match="route='exact'"):
        S.spectra(8, 2, seed=0, route="exact")
