r"""Exact Wick/Isserlis enumeration behind :func:`lrinit_verify.theory.energy.energy_polynomial`.

:math:`E\prod` of Gaussian entries is a sum over pairings of the factors; each pairing contributes
:math:`n^{\#\text{index cycles} - \#\text{pairings}}`. :class:`_Pairings` counts index cycles (connected
components of the identified indices) for all pairings at once, vectorised over pairings, and splits
the enumeration depth-first when more than :data:`STATES_CAP` states would be held in memory.

>>> enumerated(2, "real", "trace")
(1, 0, 2)
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

#: Pairings expanded in memory at once; larger enumerations are split depth-first.
STATES_CAP = 1 << 21


def _merge(labels: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """Union of nodes ``a[r]`` and ``b[r]`` in every row ``r`` (labels are component minima)."""
    rows = np.arange(labels.shape[0])
    la, lb = labels[rows, a], labels[rows, b]
    lo, hi = np.minimum(la, lb), np.maximum(la, lb)
    np.copyto(labels, lo[:, None], where=labels == hi[:, None])


class _Pairings:
    r"""Vectorised enumeration of Wick pairings of matrix-entry factors.

    ``factors``: list of (row node, column node) per factor. ``complex``: the first half are
    entries of :math:`W`, the second half of :math:`\bar W`, and only :math:`W`\ –\ :math:`\bar W` pairs contribute; otherwise
    (real) every perfect matching of the factors contributes. Node 0 is *fixed* when ``fixed``
    (its component carries no free index sum).
    """

    def __init__(self, factors, n_nodes, *, complex_field, fixed):
        self.u = np.array([f[0] for f in factors], dtype=np.int64)
        self.w = np.array([f[1] for f in factors], dtype=np.int64)
        self.n_nodes, self.complex, self.fixed = n_nodes, complex_field, fixed
        self.f = len(factors)
        self.histogram = np.zeros(n_nodes + 1, dtype=np.int64)

    def _leaves_below(self, level):
        if self.complex:
            return math.factorial(self.f // 2 - level)
        return math.prod(range(self.f - 2 * level - 1, 0, -2))

    def run(self):
        labels = np.arange(self.n_nodes, dtype=np.int16)[None, :].copy()
        used = np.zeros((1, self.f), dtype=bool)
        self._expand(labels, used, 0)
        return self.histogram

    def _expand(self, labels, used, level):
        if 2 * level == self.f:
            self._count(labels)
            return
        if len(labels) * self._leaves_below(level) > STATES_CAP and len(labels) > 1:
            step = max(1, STATES_CAP // self._leaves_below(level))
            for s in range(0, len(labels), step):
                self._expand(labels[s : s + step], used[s : s + step], level)
            return
        labels, used = self._children(labels, used, level)
        self._expand(labels, used, level + 1)

    def _children(self, labels, used, level):
        if self.complex:
            first = np.full(len(labels), level)
            candidates = range(self.f // 2, self.f)
        else:
            first = np.argmin(used, axis=1)
            candidates = range(1, self.f)
        out_l, out_u = [], []
        for g in candidates:
            keep = ~used[:, g] & (first < g)
            if not keep.any():
                continue
            lab, use, fst = labels[keep].copy(), used[keep].copy(), first[keep]
            _merge(lab, self.u[fst], np.full(len(fst), self.u[g]))
            _merge(lab, self.w[fst], np.full(len(fst), self.w[g]))
            use[np.arange(len(fst)), fst] = True
            use[:, g] = True
            out_l.append(lab)
            out_u.append(use)
        return np.concatenate(out_l), np.concatenate(out_u)

    def _count(self, labels):
        roots = labels == np.arange(self.n_nodes, dtype=np.int16)[None, :]
        if self.fixed:
            roots = roots[:, 1:]
        self.histogram += np.bincount(roots.sum(axis=1), minlength=self.n_nodes + 1)


def _trace_factors(t):
    r"""Factors of :math:`\mathrm{tr}(W^t W^{t*})`: :math:`W_{i_0 i_1}\cdots W_{i_{t-1} i_t}` and the conjugate chain."""
    j = [0] + list(range(t + 1, 2 * t)) + [t]
    first = [(k, k + 1) for k in range(t)]
    second = [(j[k], j[k + 1]) for k in range(t)]
    return first + second, 2 * t


def _vector_factors(t, copies):
    r"""Factors of :math:`\|W^t e_1\|^{2\cdot copies}`; node 0 is the fixed index 1."""
    chains, nxt = [], 1
    ends = []
    for _ in range(copies):
        ends.append(nxt)
        nxt += 1
    for c in range(copies):
        for _side in range(2):
            nodes = [0] + list(range(nxt, nxt + t - 1)) + [ends[c]]
            nxt += t - 1
            chains.append([(nodes[k + 1], nodes[k]) for k in range(t)])
    plain = [f for c in range(copies) for f in chains[2 * c]]
    conj = [f for c in range(copies) for f in chains[2 * c + 1]]
    return plain + conj, nxt


def _polynomial_from_histogram(histogram, offset) -> tuple[int, ...]:
    """Coefficients of :math:`n^{-k}` from counts of :math:`n^{c}` with total power $c - $``offset``."""
    degree = {offset - c: int(h) for c, h in enumerate(histogram) if h}
    if min(degree) < 0:
        raise ArithmeticError(f"positive power of n in an energy: {degree}")
    return tuple(degree.get(k, 0) for k in range(max(degree) + 1))


@cache
def enumerated(t: int, field: str, form: str) -> tuple[int, ...]:
    if t == 0:
        return (1,)
    if form == "trace":
        factors, nodes = _trace_factors(t)
        hist = _Pairings(factors, nodes, complex_field=field == "complex", fixed=False).run()
        return _polynomial_from_histogram(hist, t + 1)
    copies = 1 if form == "vector" else 2
    factors, nodes = _vector_factors(t, copies)
    hist = _Pairings(factors, nodes, complex_field=field == "complex", fixed=True).run()
    return _polynomial_from_histogram(hist, copies * t)
