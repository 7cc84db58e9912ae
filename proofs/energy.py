r"""Derivations for the energy family (THEORY.md §3 and §1.3), with the :class:`Derivation` model.

Example:
    >>> sorted(d.slug for d in derivations())[:2]
    ['energy-closed-form', 'energy-critical-limit']
    >>> all(all(d.verify().values()) for d in derivations())
    True
"""

from __future__ import annotations

import math

import sympy as sp

from lrinit_verify.theory import energy as E

from ._derivation import Approx, Derivation, TexSymbol

n, t, m, k, c, y, u = sp.symbols("n t m k c y u", positive=True)
eps_ = sp.symbols("epsilon", positive=True)


def rising(x, j):
    return sp.rf(x, j)


def falling(x, j):
    return sp.ff(x, j)


# --- 1. closed form: the sum telescopes ---------------------------------------------------

CLOSED_FORM = Derivation(
    "energy-closed-form",
    "Complex energy: the sum form telescopes to two terms",
    "THEORY.md's sum of rising times falling factorials collapses to a difference of two factorials, "
    "the form proved on the page energy-closed-form-proof.",
    provenance="derived (the closed form itself: proved on energy-closed-form-proof)",
)
_sum_form = CLOSED_FORM.step(
    "THEORY.md's sum form of the complex energy, with $m = t + 1$; this page shows that it equals the two-term "
    "form proved (Wick pairings, long cycles, Zagier's formula) on the page *energy-closed-form-proof*.",
    sp.Eq(sp.Symbol("S_{n,t}"), sp.Sum(rising(n, k) * falling(n, m - k), (k, 0, m)) / ((m + 1) * n**m)),
    "lemma: energy-closed-form-proof (Zagier 1995; Stanley 2011)",
)
_tele = rising(n, k + 1) * falling(n, m - k) - rising(n, k) * falling(n, m + 1 - k)
CLOSED_FORM.step(
    "Consecutive differences: $(n)^\\uparrow_{k+1}(n)^\\downarrow_{m-k} - (n)^\\uparrow_k(n)^\\downarrow_{m+1-k}"
    " = (n)^\\uparrow_k(n)^\\downarrow_{m-k}\\,[(n+k) - (n-m+k)]$.",
    sp.Eq(_tele, m * rising(n, k) * falling(n, m - k)),
    "identity",
)
_two_term = CLOSED_FORM.step(
    "Summing over $k = 0..m$ telescopes: $m\\sum_k (n)^\\uparrow_k(n)^\\downarrow_{m-k} = (n)^\\uparrow_{m+1}"
    " - (n)^\\downarrow_{m+1}$; with $m = t+1$:",
    sp.Eq(sp.Symbol("S_{n,t}"), (rising(n, t + 2) - falling(n, t + 2)) / ((t + 1) * (t + 2) * n ** (t + 1))),
    "identity",
)


def _telescoping_holds(max_m=12):
    for mm in range(1, max_m + 1):
        for kk in range(mm + 1):
            lhs = sp.expand(sp.expand_func(_tele.subs({m: mm, k: kk})))
            rhs = sp.expand(sp.expand_func(mm * rising(n, kk) * falling(n, mm - kk)))
            if sp.simplify(lhs - rhs) != 0:
                return False
    return True


def _enumeration_matches(t_max=8):
    return all(row["agree"] for row in E.verify_closed_form(t_max))


CLOSED_FORM.check("telescoping step holds as a polynomial identity for m <= 12", _telescoping_holds)
CLOSED_FORM.check(
    "closed form = complex Wick enumeration (polynomials in n) for t <= 8", _enumeration_matches
)
CLOSED_FORM.check(
    "sum form = two-term form at n = 1..12, t = 0..10",
    lambda: all(E.closed_form_sum(a, b) == E.energy_exact(a, b) for a in range(1, 13) for b in range(11)),
)
CLOSED_FORM.check("S_{1,t} = t!", lambda: all(E.energy_exact(1, b) == math.factorial(b) for b in range(12)))

# --- 2. genus expansion and epsilon_1 -------------------------------------------------------

GENUS = Derivation(
    "energy-genus",
    "Genus expansion and $\\varepsilon_1(t) = \\binom{t+2}{4}$",
    "Wick enumeration gives $S_{n,t}$ as a polynomial in $1/n$; the (proved) closed form gives every coefficient.",
    provenance="derived (from the closed form proved on energy-closed-form-proof; enumeration as a second route)",
)
GENUS.step(
    "Wick: each pairing $\\pi \\in S_t$ of the $t$ factors $W$ with the $t$ factors $\\overline W$ contributes "
    "$n^{c(\\pi) - t - 1}$, $c(\\pi)$ the number of index classes (complex field; the real field pairs all $2t$ "
    "factors, $(2t-1)!!$ matchings).",
    sp.Eq(sp.Symbol("S_{n,t}"), TexSymbol(r"\sum_{\pi \in S_t} n^{c(\pi) - t - 1}")),
    "lemma: Isserlis (1918) / Wick",
)
GENUS.step(
    "Enumerated polynomials (coefficients of $n^{-h}$), complex, $t = 0..6$.",
    sp.Matrix([[sp.Add(*[cf / n**h for h, cf in enumerate(E.energy_polynomial(b))]) for b in range(7)]]),
    "computation",
)
GENUS.step(
    "The same for real Glorot ($\\mathbb R$): odd powers $n^{-3}, n^{-5}, \\dots$ appear, $n^{-1}$ does not.",
    sp.Matrix(
        [
            [
                sp.Add(*[cf / n**h for h, cf in enumerate(E.energy_polynomial(b, field="real"))])
                for b in range(6)
            ]
        ]
    ),
    "computation",
)
_i = sp.symbols("i", integer=True, nonnegative=True)
_p = [sp.summation(_i**j, (_i, 0, m - 1)) for j in (1, 2, 3)]
_e3 = GENUS.step(
    "The coefficient of $n^{m-3}$ in $(n)^\\uparrow_m$ is $e_3(0, 1, \\dots, m-1)$; by Newton's identities"
    " from the power sums $p_j = \\sum_{i<m} i^j$:",
    sp.factor((_p[0] ** 3 - 3 * _p[0] * _p[1] + 2 * _p[2]) / 6),
    "identity",
)
_eps1 = GENUS.step(
    "In $(n)^\\uparrow_m - (n)^\\downarrow_m$ the $n^{m-3}$ terms add ($(-1)^3 = -1$) and the $n^{m-2}$ terms"
    " cancel; with $m = t+2$ and the prefactor $1/((t+1)(t+2))$:",
    sp.Eq(TexSymbol(r"\varepsilon_1(t)"), sp.factor((2 * _e3 / (m * (m - 1))).subs(m, t + 2))),
    "substitution",
)
GENUS.check(
    "epsilon_1(t) = C(t+2, 4) symbolically",
    lambda: sp.simplify(_eps1.rhs - sp.binomial(t + 2, 4).expand(func=True)) == 0,
)
GENUS.check(
    "epsilon_1(t) = C(t+2, 4) from enumeration, t <= 9",
    lambda: all(E.energy_polynomial(b)[2:3] in ([math.comb(b + 2, 4)], []) or b < 2 for b in range(10)),
)
GENUS.check(
    "complex odd coefficients vanish, t <= 9",
    lambda: all(not any(E.energy_polynomial(b)[1::2]) for b in range(10)),
)
GENUS.check(
    "real: no 1/n term and S^R_{n,2} = 1 + 2/n^2",
    lambda: (
        E.energy_polynomial(2, field="real") == [1, 0, 2]
        and all(E.energy_polynomial(b, field="real")[1:2] in ([0], []) for b in range(8))
    ),
)

# --- 3. critical limit ------------------------------------------------------------------------

CRITICAL = Derivation(
    "energy-critical-limit",
    "Critical limit $S_{n,c\\sqrt n} \\to \\sinh(c^2/2)/(c^2/2)$ and its $1/\\sqrt n$ correction",
    "From the two-term closed form (proved on energy-closed-form-proof) with $m = t + 2 = c\\sqrt n + 2$ and "
    "$\\varepsilon = 1/\\sqrt n$; the expansions are asymptotic in $\\varepsilon$ at fixed $c$.",
    provenance="derived (asymptotics of the proved closed form)",
)
_logA = sp.Sum(sp.log(1 + _i / n), (_i, 0, m - 1))
CRITICAL.step(
    "$\\log\\frac{(n)^\\uparrow_m}{n^m} = \\sum_{i<m}\\log(1 + i/n)$; expand $\\log(1+x) = x - x^2/2 + O(x^3)$ "
    "(the dropped terms sum to $O(m^4/n^3)$, i.e. $O(\\varepsilon^2)$ when $m = O(\\sqrt n)$):",
    Approx(_logA, m * (m - 1) / (2 * n) - (m - 1) * m * (2 * m - 1) / (12 * n**2)),
    "asymptotic",
)
_mm = c / eps_ + 2
_nn = 1 / eps_**2
_logA_e = sp.series(
    (_mm * (_mm - 1) / (2 * _nn) - (_mm - 1) * _mm * (2 * _mm - 1) / (12 * _nn**2)), eps_, 0, 2
).removeO()
_logB_e = sp.series(
    (-_mm * (_mm - 1) / (2 * _nn) - (_mm - 1) * _mm * (2 * _mm - 1) / (12 * _nn**2)), eps_, 0, 2
).removeO()
CRITICAL.step(
    "With $m = c/\\varepsilon + 2$, $n = \\varepsilon^{-2}$ (terms $O(\\varepsilon^2)$ dropped):",
    Approx(sp.Symbol("\\log A"), sp.expand(_logA_e)),
    "asymptotic",
)
CRITICAL.step(
    "Likewise $\\log\\frac{(n)^\\downarrow_m}{n^m} = \\sum_{i<m}\\log(1 - i/n)$:",
    Approx(sp.Symbol("\\log B"), sp.expand(_logB_e)),
    "asymptotic",
)
_S_eps = (_nn / ((_mm - 1) * _mm)) * (sp.exp(_logA_e) - sp.exp(_logB_e))
_series = sp.series(_S_eps, eps_, 0, 2).removeO()
_F = sp.simplify(_series.coeff(eps_, 0).rewrite(sp.exp))
_G = sp.simplify(_series.coeff(eps_, 1).rewrite(sp.exp))
F_SYMBOLIC = CRITICAL.step(
    "Order $\\varepsilon^0$: the critical limit.", sp.Eq(sp.Symbol("F(c)"), _F), "limit"
)
G_SYMBOLIC = CRITICAL.step(
    "Order $\\varepsilon^1$: the $1/\\sqrt n$ correction $G(c)$.", sp.Eq(sp.Symbol("G(c)"), _G), "limit"
)


def _matches(expr, target):
    return all(
        abs(complex(expr.subs(c, cv).evalf(30)) - target(cv)) < 1e-12 * max(1, abs(target(cv)))
        for cv in (0.3, 1.0, 2.0, 3.5)
    )


CRITICAL.check(
    "F(c) = sinh(c^2/2)/(c^2/2)",
    lambda: sp.simplify((_F - sp.sinh(c**2 / 2) / (c**2 / 2)).rewrite(sp.exp)) == 0,
)
CRITICAL.check(
    "G(c) = 3cosh(y)/c - 6sinh(y)/c^3 - c sinh(y)/3 (the calculator)",
    lambda: _matches(_G, E.critical_correction),
)
CRITICAL.check("G(c) ~ c^3/12 for small c", lambda: sp.limit(_G / c**3, c, 0) == sp.Rational(1, 12))
CRITICAL.check(
    "exact S at n = 2^20, t = 1024 within 1e-4 of F(1) + G(1)/1024",
    lambda: (
        abs(math.exp(E.log_energy(2**20, 2**10)) - E.critical_limit(1) - E.critical_correction(1) / 2**10)
        < 1e-4
    ),
)

# --- 4. fixed-n asymptotics -------------------------------------------------------------------

FIXED_N = Derivation(
    "energy-fixed-n",
    "Fixed width, long sequences: factorial growth",
    "For $t \\ge n - 1$ the falling factorial vanishes and $S_{n,t}$ is one ratio of Gamma functions.",
    provenance="derived (from the closed form proved on energy-closed-form-proof)",
)
FIXED_N.step(
    "$(n)^\\downarrow_{t+2} = 0$ for $t + 2 > n$, so",
    sp.Eq(sp.Symbol("S_{n,t}"), sp.gamma(n + t + 2) / (sp.gamma(n) * (t + 1) * (t + 2) * n ** (t + 1))),
    "substitution",
)
_ratio = (n + t + 1) / (t + 1)
FIXED_N.step(
    "$\\Gamma(n+t+2) = (n+t+1)\\Gamma(n+t+1)$ and $(n+t+1)/(t+1) \\to 1$ as $t \\to \\infty$ at fixed $n$, so "
    "$S_{n,t} \\sim \\Gamma(n+t+1)/(\\Gamma(n)(t+2)n^{t+1})$:",
    sp.Eq(sp.Limit(_ratio, t, sp.oo), sp.limit(_ratio, t, sp.oo)),
    "limit",
)
_growth = (n + t + 2) * (t + 1) / (n * (t + 3))
FIXED_N.step(
    "Successive ratio $S_{n,t+1}/S_{n,t}$ (for $t \\ge n-1$), growing like $t/n$:",
    sp.Eq(sp.Symbol("S_{n,t+1}/S_{n,t}"), _growth),
    "identity",
)
FIXED_N.check(
    "exact ratio S_{n,t+1}/S_{n,t} matches for n = 3, 5, t = n..n+8",
    lambda: all(
        E.energy_exact(a, b + 1) / E.energy_exact(a, b) == _growth.subs({n: a, t: b})
        for a in (3, 5)
        for b in range(a, a + 9)
    ),
)
FIXED_N.check(
    "THEORY's asymptotic Gamma(n+t+1)/(Gamma(n)(t+2)n^{t+1}) within 1% at n = 4, t = 400",
    lambda: (
        abs(E.log_energy(4, 400) - (math.lgamma(405) - math.lgamma(4) - math.log(402) - 401 * math.log(4)))
        < 0.01
    ),
)

# --- 5. variance lower bound ------------------------------------------------------------------

VARIANCE = Derivation(
    "variance-lower-bound",
    "Variance-based lower bound on $E_u\\|h_t\\|^2$",
    "For inputs independent across time, zero mean, covariance $\\sigma^2 I$: a bound that holds for every $W$.",
)
sigma, rho = sp.symbols("sigma rho", positive=True)
_kk = sp.symbols("k", integer=True, nonnegative=True)
VARIANCE.step(
    "$h_t = \\sum_{k<t} W^k u_{t-k}$; cross terms have zero mean, $E\\|W^k u\\|^2 = \\sigma^2\\mathrm{tr}(W^kW^{k*})$:",
    sp.Eq(TexSymbol(r"E_u\|h_t\|^2"), sigma**2 * sp.Sum(TexSymbol(r"\|W^k\|_F^2"), (_kk, 0, t - 1))),
    "identity",
)
VARIANCE.step(
    "Schur $W = QTQ^*$: $\\|W^k\\|_F = \\|T^k\\|_F \\ge (\\sum_i |T_{ii}|^{2k})^{1/2}$ since $(T^k)_{ii} = T_{ii}^k$:",
    TexSymbol(r"\|W^k\|_F^2") >= TexSymbol(r"\sum_i|\lambda_i|^{2k}"),
    "lemma: Schur decomposition",
)
_geo = sp.summation(rho ** (2 * _kk), (_kk, 0, t - 1))
VARIANCE.step(
    "Keep only the largest modulus $\\rho$ and sum the geometric series:",
    sp.Eq(sp.Sum(rho ** (2 * _kk), (_kk, 0, t - 1)), sp.simplify(_geo)),
    "identity",
)
_a, _b, _d, _e, _f, _g = sp.symbols("a b d e f g")
_T = sp.Matrix([[_a, _b, _d], [0, _e, _f], [0, 0, _g]])
VARIANCE.check(
    "(T^k)_ii = T_ii^k for a symbolic 3x3 upper-triangular T, k <= 5",
    lambda: all(sp.expand((_T**p)[i, i] - _T[i, i] ** p) == 0 for p in range(1, 6) for i in range(3)),
)
VARIANCE.check(
    "geometric sum = (rho^{2t} - 1)/(rho^2 - 1)",
    lambda: all(
        sp.simplify(sp.summation(rho ** (2 * _kk), (_kk, 0, q - 1)) - (rho ** (2 * q) - 1) / (rho**2 - 1))
        == 0
        for q in range(1, 8)
    ),
)


def derivations() -> list[Derivation]:
    """Every derivation of the energy family, in page order."""
    return [CLOSED_FORM, GENUS, CRITICAL, FIXED_N, VARIANCE]


ALL = derivations()
