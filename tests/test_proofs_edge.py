"""The spectral-edge derivations of proofs/edge.py: their assertions hold, and they have power."""

from __future__ import annotations

import math

import pytest
import sympy as sp
from hypothesis import given, strategies as st

from lrinit_verify.rigor.strategies import widths
from lrinit_verify.theory import edge
from proofs import edge as pe
from proofs.registry import all_derivations

C_N = sp.lambdify((pe.n, pe.x), (1 / pe.EDGE_EXPANSION).subs(pe.g, pe.GAMMA_N), "math")


@pytest.mark.parametrize("derivation", pe.derivations(), ids=lambda d: d.slug)
def test_every_assertion_holds(derivation):
    results = derivation.verify()
    assert results and all(results.values())


def test_registered_with_distinct_slugs():
    slugs = [d.slug for d in all_derivations()]
    assert {"edge-gumbel-rescaling", "edge-explosion-length", "edge-spectral-variance-bound"} <= set(slugs)
    assert len(slugs) == len(set(slugs))


def test_solved_factor_is_the_reciprocal_of_the_edge_expansion():
    d = pe.gumbel_rescaling()
    (step,) = [s for s in d.steps if "c_n \\rho_x = 1" in s.text]
    assert sp.simplify(step.expr.rhs - 1 / pe.EDGE_EXPANSION) == 0


@given(widths(min_value=164, max_value=10**6), st.floats(-3.0, 6.0))
def test_lambdified_factor_equals_calculator(n, x):
    assert math.isclose(C_N(n, x), edge.rescale_factor(n, x=x), rel_tol=1e-12)


def test_exact_sign_of_gamma_matches_float_calculator():
    for n in range(2, 400):
        assert pe.gamma_exact_sign(n) == (1 if edge.gamma_n(n) > 0 else -1), n


def test_gamma_changes_sign_between_163_and_164():
    assert pe.gamma_exact_sign(163) == -1 and pe.gamma_exact_sign(164) == 1
    assert edge.gamma_n(163) < 0 < edge.gamma_n(164)


# --- planted bugs: the assertions must catch a wrong calculator --------------------------------


def _missing_four(n, *, x=edge.GUMBEL_MEAN_PLUS_STD):
    g = edge.gamma_n(n)
    return 1.0 / (1.0 + math.sqrt(g / (4.0 * n)) + x / math.sqrt(g * n))  # planted: 4 dropped


@pytest.mark.parametrize(
    ("attribute", "replacement", "slug"),
    [
        pytest.param("rescale_factor", _missing_four, "edge-gumbel-rescaling", id="c_n-missing-4"),
        pytest.param("FIRST_DEFINED_WIDTH", 163, "edge-gumbel-rescaling", id="domain-off-by-one"),
        pytest.param(
            "edge_location",
            lambda n: 1.0 + math.sqrt(edge.gamma_n(n) / n),
            "edge-explosion-length",
            id="edge-location-missing-4",
        ),
    ],
)
def test_planted_bug_fails_the_derivation(monkeypatch, attribute, replacement, slug):
    monkeypatch.setattr(edge, attribute, replacement)
    (derivation,) = [d for d in pe.derivations() if d.slug == slug]
    with pytest.raises(AssertionError, match=slug):
        derivation.verify()


def test_explosion_length_leading_term_is_order_sqrt_n_over_gamma():
    # t_K = log K / log(edge_location(n)) against 2 sqrt(n/γ_n) log K (+ log K / 2)
    for n in (256, 4096, 10**6):
        exact = math.log(10.0) / math.log(edge.edge_location(n))
        lead = 2.0 * math.sqrt(n / edge.gamma_n(n)) * math.log(10.0) + math.log(10.0) / 2
        assert abs(exact / lead - 1) < 1e-3
