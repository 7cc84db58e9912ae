r"""The spectral lower bound on the hidden-state variance (page ``edge-spectral-variance-bound``).

From the Schur form, the expected hidden-state energy is bounded below through the spectral radius
alone; :func:`spectral_variance_bound` is listed by ``proofs/edge.py`` with the other edge derivations.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from ._derivation import Approx, Derivation, TexSymbol
from ._edge_common import K, _close, k, n, rho, sigma, t


def spectral_variance_bound() -> Derivation:
    r"""$E\|h_t\|^2 \ge \sigma^2(\rho^{2t}-1)/(\rho^2-1)$ for i.i.d. isotropic inputs (Schur form)."""
    d = Derivation(
        "edge-spectral-variance-bound",
        "A spectral lower bound on the hidden-state variance",
        "A finite-n, finite-t lower bound on the expected hidden-state energy that depends on W only "
        "through its spectral radius (the spectral route to the paper's variance-based bound).",
        provenance="derived",
    )
    d.step(
        r"Unroll $h_t = W h_{t-1} + B u_t$, $h_0 = 0$, writing $v_s = B u_s$; assume the $v_s$ "
        r"independent across time with $E v_s = 0$ and $\mathrm{Cov}(v_s) = \sigma^2 I$.",
        sp.Eq(sp.Symbol("h_t"), sp.Sum(sp.Symbol("W") ** k * TexSymbol("v_{t-k}"), (k, 0, t - 1))),
        "definition",
    )
    d.step(
        r"Cross terms vanish by independence and zero mean, and "
        r"$E\|W^k v\|^2 = \sigma^2\,\mathrm{tr}(W^k W^{k*}) = \sigma^2\|W^k\|_F^2$.",
        sp.Eq(TexSymbol(r"E\|h_t\|^2"), sigma**2 * sp.Sum(TexSymbol(r"\|W^k\|_F^2"), (k, 0, t - 1))),
        "identity",
    )
    d.step(
        r"Schur form $W = Q T Q^*$ with $Q$ unitary and $T$ upper triangular, $T_{ii} = \lambda_i$. "
        r"The Frobenius norm is unitarily invariant and $T^k$ is upper triangular with diagonal "
        r"$\lambda_i^k$, so dropping the off-diagonal entries gives",
        sp.GreaterThan(
            TexSymbol(r"\|W^k\|_F^2"), sp.Sum(TexSymbol(r"|\lambda_i|") ** (2 * k), (sp.Symbol("i"), 1, n))
        ),
        "lemma: Schur decomposition (Horn & Johnson, Thm 2.3.1)",
    )
    d.step(
        r"Keep only the eigenvalue of largest modulus, $|\lambda_{\max}| = \rho$.",
        sp.GreaterThan(TexSymbol(r"\|W^k\|_F^2"), rho ** (2 * k)),
        "identity",
    )
    total = sp.summation(rho ** (2 * k), (k, 0, t - 1))
    closed = (rho ** (2 * t) - 1) / (rho**2 - 1)
    d.step(
        r"Sum the geometric series ($\rho \ne 1$; at $\rho = 1$ the sum is $t$, the limit of the closed form).",
        sp.Eq(sp.Sum(rho ** (2 * k), (k, 0, t - 1)), closed),
        "identity",
    )
    d.step(
        r"Therefore, for every fixed $W$ and every $t$:",
        sp.GreaterThan(TexSymbol(r"E\|h_t\|^2"), sigma**2 * closed),
        "substitution",
    )
    d.step(
        r"What the bound shows at the heuristic length $t_K$ ($\rho^{t_K} = K$, $\rho = 1 + \delta$): there it is "
        r"$\sigma^2(K^2 - 1)/(\rho^2 - 1) \approx \sigma^2K^2/(2\delta)$, while a norm-preserving (orthogonal) $W$ "
        r"gives exactly $E\|h_t\|^2 = \sigma^2 n t$, i.e. $\approx \sigma^2 n\log K/\delta$ at $t_K$. The ratio is "
        r"below one unless $K^2 \gtrsim 2n\log K$: at that length this lower bound does not show explosion "
        r"(it is a lower bound, not an estimate), although it grows like $\rho^{2t}$ beyond.",
        Approx(
            TexSymbol(r"\frac{\sigma^2(\rho^{2t_K} - 1)/(\rho^2 - 1)}{\sigma^2 n t_K}"),
            K**2 / (2 * n * sp.log(K)),
        ),
        "asymptotic",
    )
    d.step(
        r"With $\rho < 1$ the bound stays below $\sigma^2/(1-\rho^2)$ — a lower bound only, not a guarantee "
        r"of stability.",
        sp.Eq(sp.Limit(sigma**2 * closed, t, sp.oo), sigma**2 / (1 - rho**2)),
        "limit",
    )

    def bound_below_baseline() -> bool:
        from lrinit_verify.theory import edge

        for m in (256, 1024, 4096):
            r = edge.edge_location(m)
            for big_k in (10.0, 100.0):
                t_k = math.log(big_k) / math.log(r)
                bound = (big_k**2 - 1) / (r**2 - 1)
                ratio, predicted = bound / (m * t_k), big_k**2 / (2 * m * math.log(big_k))
                if (ratio < 1) != (predicted < 1) or abs(ratio / predicted - 1) > 0.05:
                    return False
        return True

    def geometric_sum() -> bool:
        branch = total.args[-1][0] if isinstance(total, sp.Piecewise) else total
        general = sp.simplify(branch - closed) == 0
        small = all(
            sp.simplify(sum(rho ** (2 * j) for j in range(m)) - closed.subs(t, m)) == 0 for m in range(1, 7)
        )
        return general and small

    def schur_diagonal_powers() -> bool:
        a = sp.symbols("a0:6")
        T = sp.Matrix([[a[0], a[1], a[2]], [0, a[3], a[4]], [0, 0, a[5]]])
        T4 = T**4
        return all(sp.expand(T4[i, i] - T[i, i] ** 4) == 0 for i in range(3)) and T4[2, 0] == 0 == T4[1, 0]

    def numeric_chain() -> bool:
        import scipy.linalg

        rng = np.random.default_rng(20250519)
        steps = 30
        for field in ("real", "complex"):
            for size in (4, 16):
                z = rng.standard_normal((size, size))
                if field == "complex":
                    z = (z + 1j * rng.standard_normal((size, size))) / math.sqrt(2)
                W = z / math.sqrt(size)
                T, _ = scipy.linalg.schur(W.astype(complex), output="complex")
                lam = np.abs(np.diag(T))
                r = lam.max()
                P, fro, diag = np.eye(size, dtype=complex), 0.0, 0.0
                for j in range(steps):
                    fro += np.linalg.norm(P) ** 2
                    diag += float(np.sum(lam ** (2 * j)))
                    P = W @ P
                bound = (r ** (2 * steps) - 1) / (r**2 - 1)
                if not fro >= diag * (1 - 1e-9) >= bound * (1 - 1e-9) * (1 - 1e-9):
                    return False
        return True

    def variance_identity_mc() -> bool:
        # E||sum_k W^k v_k||^2 with v_k ~ N(0, I): exact covariance route equals sigma^2 sum ||W^k||_F^2
        rng = np.random.default_rng(7)
        W = rng.standard_normal((5, 5)) / math.sqrt(5)
        steps = 6
        powers = [np.linalg.matrix_power(W, j) for j in range(steps)]
        cov = sum(Pk @ Pk.T for Pk in powers)
        return _close(float(np.trace(cov)), float(sum(np.linalg.norm(Pk) ** 2 for Pk in powers)), rel=1e-12)

    d.check("Σ_{k<t} ρ^{2k} = (ρ^{2t}-1)/(ρ²-1) (symbolic, and for t = 1..6)", geometric_sum)
    d.check("closed form → t as ρ → 1", lambda: sp.limit(closed, rho, 1) == t)
    d.check(
        "closed form → 1/(1-ρ²) as t → ∞ at ρ = 1/2",
        lambda: sp.limit(closed.subs(rho, sp.Rational(1, 2)), t, sp.oo) == sp.Rational(4, 3),
    )
    d.check("(T^4)_{ii} = T_{ii}^4 for upper-triangular T (symbolic 3×3)", schur_diagonal_powers)
    d.check(
        "Σ‖W^k‖_F² ≥ ΣΣ|λ_i|^{2k} ≥ (ρ^{2t}-1)/(ρ²-1) on seeded real and complex Glorot matrices",
        numeric_chain,
    )
    d.check("tr Σ_k W^k W^kᵀ = Σ_k ‖W^k‖_F² (the variance identity)", variance_identity_mc)
    d.check(
        "at t_K (edge location, K = 10, 100; n = 256, 1024, 4096) bound / σ²nt = K²/(2n log K) within 5%, "
        "below one exactly when K²/(2n log K) is (e.g. K = 10: below one at all three n)",
        bound_below_baseline,
    )
    return d
