"""The energy derivations verify, render, and agree with the calculators."""

from __future__ import annotations

import pytest

import proofs.energy as P
from lrinit_verify.theory import energy as E


@pytest.mark.parametrize("derivation", P.derivations(), ids=lambda d: d.slug)
def test_derivation_verifies_and_renders(derivation):
    assert all(derivation.verify().values())
    page = derivation.to_markdown()
    assert page.count("$$") >= 2 and derivation.title in page


def test_symbolic_F_and_G_match_calculators():
    for c in (0.5, 1.0, 2.0):
        assert abs(float(P.F_SYMBOLIC.rhs.subs(P.c, c)) - E.critical_limit(c)) < 1e-12
        assert abs(float(P.G_SYMBOLIC.rhs.subs(P.c, c)) - E.critical_correction(c)) < 1e-10
