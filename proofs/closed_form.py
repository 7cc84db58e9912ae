r"""Proof of the complex closed form of $S_{n,t} = E\|W^t x\|^2$ (THEORY.md §3).

For complex Glorot $W$ (iid entries, $E|W_{ij}|^2 = 1/n$) and a unit vector $x$,

$$S_{n,t} = \frac{(n)^{\uparrow}_{t+2} - (n)^{\downarrow}_{t+2}}{(t+1)(t+2)\,n^{t+1}}.$$

The proof reduces the Wick expansion of $E\|W^t e_1\|^2$ to a count over permutations: a pairing
$\pi \in S_t$ of the $W$ factors with the $\overline W$ factors identifies indices along the
cycles of $\sigma_\pi s$, where $s = (0\,1\,\dots\,t)$ and $\sigma_\pi = \hat\pi^{-1}s^{-1}\hat\pi$
with $\hat\pi$ the extension of $\pi$ fixing $0$. Because the start vector is fixed (index $0$
on both sides is the same, non-summed index), $\pi \mapsto \sigma_\pi$ is a bijection from $S_t$
onto the $(t+1)$-cycles of $S_{t+1}$, so $S_{n,t} = n^{-(t+1)}\sum_{\sigma} n^{\#\mathrm{cyc}(\sigma s)}$
over all $(t+1)$-cycles $\sigma$ — exactly Zagier's generating function (Zagier 1995; short proof
in Stanley 2011), $\sum_{\sigma \in C_N} q^{\#\mathrm{cyc}(\gamma\sigma)} =
((q)^{\uparrow}_{N+1} - (q)^{\downarrow}_{N+1})/(N(N+1))$.

The helpers below enumerate every step for small $t$ (pure Python over $S_t$): the Wick index
classes by union–find straight from the constraints, the permutation $\sigma_\pi s$, Zagier's
histogram, and the Stirling-number prediction; the tests compare them with each other and with
the independent Wick enumerator of :mod:`lrinit_verify.theory.energy`.

Example:
    >>> wick_reduction_polynomial(3)            # S_{n,3} = 1 + 5/n^2
    [1, 0, 5]
    >>> zagier_histogram(4) == stirling_prediction(4)
    True
    >>> [d.slug for d in derivations()]
    ['energy-closed-form-proof']
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from fractions import Fraction

import sympy as sp
from sympy.functions.combinatorial.numbers import stirling

from ._derivation import Derivation, TexSymbol

#: Largest $t$ (resp. $N$) the page's assertions enumerate: $t!$ pairings, $(N-1)!$ long cycles.
CHECK_T_MAX = 6
CHECK_N_MAX = 8

Perm = tuple[int, ...]


# --- permutations on {0, ..., N-1}, composed right to left: (a * b)(i) = a(b(i)) ----------------


def compose(a: Perm, b: Perm) -> Perm:
    """$a \\circ b$."""
    return tuple(a[i] for i in b)


def inverse(a: Perm) -> Perm:
    out = [0] * len(a)
    for i, ai in enumerate(a):
        out[ai] = i
    return tuple(out)


def cycle_count(a: Perm) -> int:
    """Number of cycles of ``a`` (fixed points included).

    >>> cycle_count((1, 0, 2)), cycle_count((1, 2, 0))
    (2, 1)
    """
    seen, count = [False] * len(a), 0
    for i in range(len(a)):
        if not seen[i]:
            count += 1
            while not seen[i]:
                seen[i] = True
                i = a[i]
    return count


def long_cycle(size: int) -> Perm:
    """$s = (0\\,1\\,\\dots\\,N-1)$: $s(m) = m + 1 \\bmod N$."""
    return tuple((m + 1) % size for m in range(size))


def extend(pi: Perm) -> Perm:
    """$\\hat\\pi$ on $\\{0..t\\}$ from $\\pi$ on $\\{1..t\\}$ (given as a tuple of $\\pi(1..t)$), with $\\hat\\pi(0) = 0$."""
    return (0, *pi)


def sigma_of(pi: Perm) -> Perm:
    """$\\sigma_\\pi = \\hat\\pi^{-1} s^{-1} \\hat\\pi$, a $(t+1)$-cycle."""
    p = extend(pi)
    return compose(inverse(p), compose(inverse(long_cycle(len(p))), p))


# --- the Wick side: index classes straight from the pairing constraints ------------------------


def wick_index_classes(pi: Perm) -> int:
    r"""Classes of identified indices of $E\|W^t e_1\|^2$ under the pairing $\pi$ (union–find).

    Nodes $i_0..i_t$ (the $W$ chain $W_{i_t i_{t-1}}\cdots W_{i_1 i_0}$) and $j_0..j_t$ (the
    $\overline W$ chain); edges: $i_0 = j_0$ (the fixed start index), $i_t = j_t$ (the norm), and for
    the pair ($W$ factor $k$, $\overline W$ factor $\pi(k)$): $i_k = j_{\pi(k)}$, $i_{k-1} = j_{\pi(k)-1}$.

    >>> wick_index_classes((1, 2)), wick_index_classes((2, 1))
    (3, 1)
    """
    t = len(pi)
    parent = list(range(2 * (t + 1)))  # i_m -> m, j_m -> t + 1 + m

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(a, b):
        parent[find(a)] = find(b)

    join(0, t + 1)
    join(t, 2 * t + 1)
    for k in range(1, t + 1):
        join(k, t + 1 + pi[k - 1])
        join(k - 1, t + 1 + pi[k - 1] - 1)
    return len({find(a) for a in range(2 * (t + 1))})


def wick_reduction_polynomial(t: int) -> list[int]:
    r"""$S_{n,t} = \sum_{\pi \in S_t} n^{\#\mathrm{classes}(\pi) - 1 - t}$ as coefficients of $n^{-k}$.

    Every class but the fixed one is a free sum over $n$ values; each of the $t$ covariances is $1/n$.
    """
    hist = Counter(t + 1 - wick_index_classes(pi) for pi in itertools.permutations(range(1, t + 1)))
    return [hist.get(k, 0) for k in range(max(hist) + 1)]


# --- Zagier's count ---------------------------------------------------------------------------


def long_cycles(size: int):
    """Every $N$-cycle of $S_N$ ($(N-1)!$ of them), as tuples."""
    for rest in itertools.permutations(range(1, size)):
        order = (0, *rest)
        out = [0] * size
        for a, b in zip(order, order[1:] + order[:1]):
            out[a] = b
        yield tuple(out)


def zagier_histogram(size: int) -> dict[int, int]:
    """$\\{k: \\#\\{\\sigma \\text{ an } N\\text{-cycle}: \\sigma s \\text{ has } k \\text{ cycles}\\}\\}$ by enumeration."""
    s = long_cycle(size)
    return dict(sorted(Counter(cycle_count(compose(sigma, s)) for sigma in long_cycles(size)).items()))


def stirling_prediction(size: int) -> dict[int, int]:
    r"""Zagier's count $2c(N+1, k)/(N(N+1))$ for $N - k$ even (zero otherwise), $c$ unsigned Stirling (1st kind)."""
    out = {}
    for k in range(1, size + 1):
        if (size - k) % 2 == 0:
            value = Fraction(2 * int(stirling(size + 1, k, kind=1, signed=False)), size * (size + 1))
            if value.denominator != 1:
                raise ArithmeticError(f"N={size}, k={k}: non-integer count {value}")
            if value:
                out[k] = int(value)
    return out


# --- the derivation ---------------------------------------------------------------------------

n, q = sp.symbols("n q", positive=True)
t, N, g = sp.symbols("t N g", integer=True, nonnegative=True)
S = TexSymbol("S_{n,t}")
CYC = r"\#\mathrm{cyc}"


def _proof() -> Derivation:
    d = Derivation(
        "energy-closed-form-proof",
        "Proof of the complex closed form: Wick pairings, long cycles and Zagier's formula",
        "For complex Glorot $W$ the Wick expansion of $E\\|W^t x\\|^2$ is a sum over the $(t+1)$-cycles "
        "$\\sigma$ of $n^{\\#\\mathrm{cyc}(\\sigma s) - t - 1}$; Zagier's generating function for that count "
        "gives the closed form for every $n$ and $t$.",
        provenance="literature (Zagier 1995; Stanley 2011) + derived (the reduction to their count)",
    )
    d.step(
        "Complex Ginibre is unitarily invariant ($U^*WU$ has the law of $W$ for unitary $U$); taking $U$ "
        "with $Ue_1 = x$ replaces $x$ by the first basis vector.",
        sp.Eq(TexSymbol(r"E\|W^t x\|^2"), TexSymbol(r"E\|W^t e_1\|^2")),
        "lemma: unitary invariance of the complex Gaussian law of $W$",
    )
    d.step(
        "Expand the norm with index chains $i_0, \\dots, i_t$ for $W^t$ and $j_0, \\dots, j_t$ for its "
        "conjugate, where the start index is fixed, $i_0 = j_0 = 1$, and the norm sums $i_t = j_t$ "
        "(the remaining $2t - 1$ indices are summed over $1..n$).",
        sp.Eq(
            TexSymbol(r"\|W^t e_1\|^2"),
            TexSymbol(r"\sum \prod_{k=1}^{t} W_{i_k i_{k-1}}\,\overline{W_{j_k j_{k-1}}}"),
        ),
        "definition",
    )
    d.step(
        "Wick's theorem for the centred complex Gaussian entries ($E\\,W_{ab}W_{cd} = 0$, "
        "$E\\,W_{ab}\\overline{W_{cd}} = \\delta_{ac}\\delta_{bd}/n$): the expectation is a sum over the "
        "bijections $\\pi \\in S_t$ pairing $W$ factor $k$ with $\\overline W$ factor $\\pi(k)$; the pair "
        "forces $i_k = j_{\\pi(k)}$ and $i_{k-1} = j_{\\pi(k)-1}$.",
        sp.Eq(
            TexSymbol(r"E\prod_{k} W_{i_k i_{k-1}}\overline{W_{j_k j_{k-1}}}"),
            TexSymbol(
                r"n^{-t}\sum_{\pi \in S_t}\prod_{k=1}^{t}\delta_{i_k j_{\pi(k)}}\,"
                r"\delta_{i_{k-1} j_{\pi(k)-1}}"
            ),
        ),
        "lemma: Isserlis (1918) / Wick, complex form",
    )
    d.step(
        "Extend $\\pi$ to $\\hat\\pi$ on $\\{0, \\dots, t\\}$ with $\\hat\\pi(0) = 0$ and let $s(m) = m + 1 "
        "\\bmod (t+1)$. The constraints, with the two boundary identifications, are two perfect matchings "
        "between the positions of $i$ and of $j$: $i_m = j_{A(m)}$ and $i_m = j_{B(m)}$ with "
        "$A = \\hat\\pi$ (including $i_0 = j_0$) and $B = s^{-1}\\hat\\pi s$ (including $i_t = j_t$, since "
        "$B(t) = s^{-1}\\hat\\pi(0) = t$).",
        sp.Eq(TexSymbol("(A, B)"), TexSymbol(r"(\hat\pi,\; s^{-1}\hat\pi s)")),
        "identity",
    )
    d.step(
        "The graph with edges $A$ and $B$ on the $2(t+1)$ positions is 2-regular; its components are "
        "cycles alternating $A$- and $B$-edges, one for each cycle of $A^{-1}B$. With "
        "$\\sigma_\\pi = \\hat\\pi^{-1}s^{-1}\\hat\\pi$:",
        sp.Eq(
            TexSymbol(r"\#\mathrm{classes}(\pi)"),
            TexSymbol(CYC + r"(\hat\pi^{-1}s^{-1}\hat\pi s) = " + CYC + r"(\sigma_\pi s)"),
        ),
        "identity",
    )
    d.step(
        "Each class except the one holding the fixed index $1$ is summed freely over $n$ values, and the "
        "$t$ covariances give $n^{-t}$:",
        sp.Eq(S, TexSymbol(r"\sum_{\pi \in S_t} n^{" + CYC + r"(\sigma_\pi s) - t - 1}")),
        "substitution",
    )
    d.step(
        "Where the fixed start vector enters: $\\sigma_\\pi$ is conjugate to $s^{-1}$, so it is a "
        "$(t+1)$-cycle, and $\\pi \\mapsto \\sigma_\\pi$ is injective — $\\sigma_\\pi = \\sigma_{\\pi'}$ "
        "makes $\\hat\\pi'\\hat\\pi^{-1}$ commute with $s$, hence equal to a power $s^j$, and $s^j$ fixes "
        "$0$ only for $j = 0$: it is $\\hat\\pi(0) = 0$, i.e. the shared fixed start index, that removes "
        "the rotations. Both sets have $t!$ elements, so the sum over pairings is a sum over the set "
        "$C_{t+1}$ of all $(t+1)$-cycles.",
        sp.Eq(S, TexSymbol(r"n^{-(t+1)}\sum_{\sigma \in C_{t+1}} n^{" + CYC + r"(\sigma s)}")),
        "identity",
    )
    zagier = TexSymbol(r"\frac{(q)^{\uparrow}_{N+1} - (q)^{\downarrow}_{N+1}}{N(N+1)}")
    d.step(
        "Zagier's theorem: for the long cycle $\\gamma = (1\\,2\\,\\dots\\,N)$, summing over the $N$-cycles "
        "$\\sigma$. It applies to $s$ because every long cycle is conjugate to $\\gamma$ (conjugation "
        "permutes $C_N$) and $\\sigma s$, $s\\sigma$ are conjugate.",
        sp.Eq(TexSymbol(r"\sum_{\sigma \in C_N} q^{" + CYC + r"(\gamma\sigma)}"), zagier),
        "lemma: Zagier (1995), Nieuw Arch. Wisk. 13, 489–495; short proof: Stanley (2011), "
        "Europ. J. Combin. 32, 937–943",
    )
    closed = TexSymbol(r"\frac{(n)^{\uparrow}_{t+2} - (n)^{\downarrow}_{t+2}}{(t+1)(t+2)\,n^{t+1}}")
    d.step(
        "Take $N = t + 1$ and $q = n$ (both sides are polynomials in $q$, so every width $n$ is covered):",
        sp.Eq(S, closed),
        "substitution",
    )
    d.step(
        "Genus coefficients: $(q)^{\\uparrow}_m - (q)^{\\downarrow}_m = 2\\sum_{m-k \\text{ odd}} c(m, k)\\,q^k$ "
        "($c$: unsigned Stirling numbers of the first kind), so with $S_{n,t} = \\sum_g \\varepsilon_g(t) "
        "n^{-2g}$ the coefficient $\\varepsilon_g(t)$ is the number of $(t+1)$-cycles $\\sigma$ with "
        "$t + 1 - 2g$ cycles in $\\sigma s$:",
        sp.Eq(TexSymbol(r"\varepsilon_g(t)"), 2 * TexSymbol(r"c(t+2,\, t+1-2g)") / ((t + 1) * (t + 2))),
        "identity",
    )

    d.check(
        f"Wick index classes = cycles of σ_π s for every π ∈ S_t, t ≤ {CHECK_T_MAX} (steps 4–5)",
        lambda: all(
            wick_index_classes(pi) == cycle_count(compose(sigma_of(pi), long_cycle(len(pi) + 1)))
            for tt in range(1, CHECK_T_MAX + 1)
            for pi in itertools.permutations(range(1, tt + 1))
        ),
    )
    d.check(f"π ↦ σ_π is a bijection from S_t onto the (t+1)-cycles, t ≤ {CHECK_T_MAX} (step 7)", _bijection)
    d.check(
        f"Zagier's count by enumeration = 2c(N+1, k)/(N(N+1)), N ≤ {CHECK_N_MAX}",
        lambda: all(zagier_histogram(m) == stirling_prediction(m) for m in range(1, CHECK_N_MAX + 1)),
    )
    d.check(
        "Stirling form = ((q)↑_{N+1} − (q)↓_{N+1})/(N(N+1)) as polynomials in q, N ≤ 12", _generating_function
    )
    d.check(
        f"reduction = Wick enumeration of lrinit_verify.theory.energy (trace and vector forms) "
        f"= closed form, t ≤ {CHECK_T_MAX}",
        _matches_enumerator,
    )
    return d


def _bijection() -> bool:
    for tt in range(1, CHECK_T_MAX + 1):
        image = {sigma_of(pi) for pi in itertools.permutations(range(1, tt + 1))}
        if len(image) != math.factorial(tt) or image != set(long_cycles(tt + 1)):
            return False
    return True


def _generating_function() -> bool:
    for m in range(1, 13):
        lhs = sum(c * q**k for k, c in stirling_prediction(m).items())
        if sp.expand(sp.expand_func(zagier_closed(m)) - lhs) != 0:
            return False
    return True


def zagier_closed(size: int):
    """$((q)^{\\uparrow}_{N+1} - (q)^{\\downarrow}_{N+1})/(N(N+1))$ for a given $N$ (sympy, in ``q``)."""
    return (sp.rf(q, size + 1) - sp.ff(q, size + 1)) / (size * (size + 1))


def _matches_enumerator() -> bool:
    from lrinit_verify.theory import energy as E

    for tt in range(CHECK_T_MAX + 1):
        reduced = wick_reduction_polynomial(tt) if tt else [1]
        others = (
            E.energy_polynomial(tt),
            E.energy_polynomial(tt, form="vector"),
            E.closed_form_polynomial(tt),
        )
        if not all(E._same(reduced, o) for o in others):
            return False
    return True


CLOSED_FORM_PROOF = _proof()


def derivations() -> list[Derivation]:
    """The derivations of this module."""
    return [CLOSED_FORM_PROOF]
