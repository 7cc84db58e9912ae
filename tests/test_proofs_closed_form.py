"""The proof of the complex closed form: each step checked by enumeration for small t, against the
Stirling formula and against the independent Wick enumerator of lrinit_verify.theory.energy.

Planted-bug companions: a reduction that forgets the fixed start vector (conjugating by every
permutation instead of those fixing 0), one with the wrong boundary matching, and a wrong Zagier
formula must all disagree with the enumerations.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest

from lrinit_verify.theory import energy as E
from proofs import closed_form as C

T_MAX = 6


def _perms(t):
    return itertools.permutations(range(1, t + 1))


@pytest.mark.parametrize("t", range(1, T_MAX + 1))
def test_index_classes_are_cycles_of_sigma_s(t):
    s = C.long_cycle(t + 1)
    for pi in _perms(t):
        assert C.wick_index_classes(pi) == C.cycle_count(C.compose(C.sigma_of(pi), s)), pi


@pytest.mark.parametrize("t", range(1, T_MAX + 1))
def test_pairings_biject_onto_long_cycles(t):
    image = [C.sigma_of(pi) for pi in _perms(t)]
    assert len(set(image)) == math.factorial(t)
    assert set(image) == set(C.long_cycles(t + 1))
    assert all(C.cycle_count(sig) == 1 for sig in image)


@pytest.mark.parametrize("size", range(1, 9))
def test_zagier_count_equals_stirling_formula(size):
    hist = C.zagier_histogram(size)
    assert hist == C.stirling_prediction(size)
    assert sum(hist.values()) == math.factorial(size - 1)


@pytest.mark.parametrize("t", range(T_MAX + 1))
def test_reduction_equals_wick_enumeration_and_closed_form(t):
    reduced = C.wick_reduction_polynomial(t) if t else [1]
    assert E._same(reduced, E.energy_polynomial(t))
    assert E._same(reduced, E.energy_polynomial(t, form="vector"))
    assert E._same(reduced, E.closed_form_polynomial(t))
    # genus coefficients: Zagier's count with t + 1 - 2g cycles
    zag = C.zagier_histogram(t + 1)
    assert [zag.get(t + 1 - 2 * g, 0) for g in range(len(reduced[::2]))] == reduced[::2]


def test_small_cases_by_hand():
    assert C.wick_reduction_polynomial(1) == [1]
    assert C.wick_reduction_polynomial(2) == [1, 0, 1]  # S_{n,2} = 1 + 1/n^2
    assert sum(C.wick_reduction_polynomial(5)) == math.factorial(5)  # S_{1,t} = t!
    assert C.cycle_count(C.long_cycle(5)) == 1 and C.cycle_count(tuple(range(5))) == 5


def test_derivation_verifies():
    assert all(C.CLOSED_FORM_PROOF.verify().values())
    assert len(C.CLOSED_FORM_PROOF.assertions) >= 5


# --- planted bugs: each wrong reduction must be caught ------------------------------------


def _polynomial(classes_of, t):
    hist = Counter(t + 1 - classes_of(pi) for pi in _perms(t))
    return [hist.get(k, 0) for k in range(max(hist) + 1)]


def test_planted_forgetting_the_fixed_start_vector_is_caught():
    # without pi(0) = 0 the conjugators range over all of S_{t+1}: every long cycle is counted t + 1 times
    t = 4
    s = C.long_cycle(t + 1)
    hist = Counter()
    for p in itertools.permutations(range(t + 1)):
        sigma = C.compose(C.inverse(p), C.compose(C.inverse(s), p))
        hist[t + 1 - C.cycle_count(C.compose(sigma, s))] += 1
    wrong = [hist.get(k, 0) for k in range(max(hist) + 1)]
    assert not E._same(wrong, E.energy_polynomial(t))


def test_planted_wrong_boundary_matching_is_caught():
    # B = pi_hat s (forgetting the s^{-1}) instead of s^{-1} pi_hat s
    def wrong_classes(pi):
        p = C.extend(pi)
        return C.cycle_count(C.compose(C.inverse(p), C.compose(p, C.long_cycle(len(p)))))

    assert any(not E._same(_polynomial(wrong_classes, t), E.energy_polynomial(t)) for t in range(2, 6))


def test_planted_wrong_zagier_formula_is_caught():
    # c(N, k) in place of c(N + 1, k)
    from sympy.functions.combinatorial.numbers import stirling

    size = 5
    wrong = {
        k: 2 * int(stirling(size, k, kind=1, signed=False)) // (size * (size + 1))
        for k in range(1, size + 1)
        if (size - k) % 2 == 0
    }
    assert C.zagier_histogram(size) != {k: v for k, v in wrong.items() if v}
