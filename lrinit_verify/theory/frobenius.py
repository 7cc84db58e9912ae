r"""Exact probe-averaged energy $\|W^t\|_F^2/n$ of one matrix for every $t \le T$, two routes.

For $x$ uniform on the unit sphere, $E_x\|W^t x\|^2 = \|W^t\|_F^2/n$. All functions return
$\log(\|W^t\|_F^2/n)$ for $t = 0, \dots, T$ (log space: $t = 10^5$ at $\rho = 3$ stays finite).

**Direct route** (:func:`frobenius_log_energy_direct`): $X \leftarrow W X$ from $X = W$, one
$n\times n$ product per step, $2Tn^3$ real flops ($8Tn^3$ complex). $W$ is first scaled by a
power of two $2^{-e}$ with $\|2^{-e}W\|_F \le 1$ (exact), so $\|X\|_F$ never grows; whenever it falls
below $2^{-128}$ it is multiplied back by an exact power of two, and the exponents are kept as
integers. Renormalising is therefore exact and happens only every
$\approx 256/\log_2(\|W\|_F^2/\rho^2)$ steps.

**Eigendecomposition route** (:func:`frobenius_log_energy_eig`): with $W = V\Lambda V^{-1}$,
$G = V^{\mathsf H}V$ and $H = G^{-1} = V^{-1}V^{-\mathsf H}$ (Cholesky of the Hermitian $G$,
never ``inv(V)``),

$$\|W^t\|_F^2 = \operatorname{tr}(\bar\Lambda^t G \Lambda^t H)
  = \sum_{a,b} M_{ab}\,(\lambda_a \bar\lambda_b)^t, \qquad M = H \circ G^{\mathsf T}.$$

$M$ is Hermitian positive semi-definite (Schur product theorem), so with
$L_{a,t} = (\lambda_a/\rho)^t$ the energy is the quadratic form
$E_t = \rho^{2t}\,\sum_a L_{a,t}(M\bar L)_{a,t} \ge \rho^{2t}$ for all $t$ at once, evaluated as
$\rho^{2t}\|C\bar L_{:,t}\|^2$ with $M = C^{\mathsf H}C$ (Cholesky; one triangular product, half a
GEMM, never negative).
The powers are built from $\approx 2\sqrt T$ multiplications per eigenvalue (a block of
$\mu^j$, $j < B$, times the powers of $\mu^B$), so their relative error is $O(\sqrt T\,\varepsilon)$.
For real $W$ the conjugate pairs are folded into a real basis: $G$, $H$ come from the real
eigenvector matrix (a real SYRK and a real Cholesky), and $E_t = r_t^{\mathsf T} K r_t$ with a
real symmetric $K = \operatorname{Re}(Q^{\mathsf H} M Q)$ and real $r_t$, which makes that product
4x cheaper. Cost $O(n^3 + T n^2)$: one ``eig`` (about $25 n^3$ flops, mostly the sequential
Hessenberg QR, so it runs far below the GEMM rate), an $n^3$ Gram, two Choleskys and an inverse,
and an $n^2 T$ real triangular product. $W = 0$ gives $[0, -\infty, \dots]$.

A-posteriori check: $W^{2^k}$ for $2^k \le T$ (and $W^T$) by repeated squaring with exact
power-of-two renormalisation ($\lfloor\log_2 T\rfloor + \operatorname{popcount}(T) - 1$ products),
compared with the eig route at those $t$; :func:`frobenius_log_energy` with ``route="auto"``
falls back to the direct route when that difference exceeds ``rtol``, when the Gram matrix is not
numerically positive definite (non-diagonalizable $W$), or when the a-priori estimate
$\varepsilon\max_a\kappa(\lambda_a)^2$ of the $t$-independent error exceeds ``rtol``.

Accuracy (measured against Arb ball products of the exact input at $\ge 128$ extra bits;
``tests/test_frobenius.py``): largest $|\Delta\log(\|W^t\|_F^2/n)|$ over $t \le$ 16 / 64 / 256,
real Glorot, seed 0, $\kappa = \max_a\kappa(\lambda_a)$ ($\kappa(\lambda_a) = \|u_a\|\|v_a\|$):

=====  ========  =====  ===========================  ===========================
n      cond(V)   κ      direct (t ≤ 16 / 64 / 256)   eig (t ≤ 16 / 64 / 256)
=====  ========  =====  ===========================  ===========================
16     13        4.5    7e-15 / 5e-14 / 2.3e-13      1.2e-14 / 5e-14 / 1.8e-13
32     61        11.7   1.1e-14 / 6e-14 / 1.5e-13    8e-15 / 2e-14 / 6e-14
64     45        11.5   6e-15 / 7e-14 / 2.1e-13      2.6e-14 / 2.7e-13 / 1.2e-12
128    265       57.6   8e-15 / 7e-14 / 2.7e-13      2.3e-14 / 3e-14 / 1.8e-13
=====  ========  =====  ===========================  ===========================

At $n = 512$, $T = 1024$ the two routes differ by at most $2.2\cdot10^{-12}$.
Error models (largest ratio measured over 2000 random Glorot matrices, $n \le 24$, $t \le 64$,
real and complex, scales 0.5–1.5, and $n \le 256$, $t \le 256$):
direct $\lesssim 7.3\,\varepsilon(t+1)$; eig
$\lesssim 8.2\,\varepsilon\,\kappa\,(\kappa + (t+1)\|W\|_2/\rho)$ — a constant term from the
perturbation of $M$ and a term linear in $t$ from the eigenvalue errors
$|\delta\lambda| \approx \varepsilon\kappa\|W\|_2$ raised to the power $t$.

Range of validity: the eig route needs a well-conditioned eigenbasis. On $W = S D S^{-1}$
($n = 16$, $t \le 64$) with cond(V) = 1, 89, 6.9e3, 9.5e5, 9.6e7 it was off by 2e-13, 3e-13,
5.5e-10, 6.6e-6, 0.12, tracking $\varepsilon\kappa^2$ = 2e-16, 1.7e-13, 5.5e-10, 7.7e-6, 0.04
(the direct route also degrades on such non-normal $W$: 3e-14 … 6e-4). A Jordan block
$J_{32}(0.9)$ is not diagonalizable (``potrf`` of $G$ fails: reported, all nan), and
$J_{32}(0.9) + 10^{-6}e_ne_1^{\mathsf T}$ ($\kappa \approx 3.5\cdot10^4$) is off by $2\cdot10^{-6}$,
while the direct route stays at $10^{-13}$; ``route="auto"`` falls back on both.
The squaring check also carries the error of the products, so on strongly non-normal $W$ it
may reject an eig result that was in fact accurate (a conservative fallback, never a wrong answer
accepted more often).

Speed (:func:`bench_frobenius`, real Glorot $n = 512$, 2 cores, OpenBLAS 2 threads, medians of
3): direct 2.69 s / 5.33 s / 10.7 s at $T$ = 1024 / 2048 / 4096 (about 100 GFLOP/s, the GEMM
rate); eig route 0.315 s / 0.330 s / 0.338 s (check included), of which ``eig`` alone is 0.265 s:
ratios 8.5x / 16x / 32x. The eig route costs about $0.305\,\mathrm{s} + 8\,\mu\mathrm{s}\cdot T$
and the direct route $2.63\,\mathrm{ms}\cdot T$, so 20x is reached at $T \approx 2500$; at
$T = 1024$ the ceiling set by ``eig`` alone is 10x. The eig route runs on one BLAS thread (a
second gains nothing for ``eig`` and costs up to 30x when another process holds a core) and the
squaring check on a second Python thread, where it costs nothing while ``eig`` runs.

Example:
    >>> import numpy as np
    >>> W = np.array([[0.5, 1.0], [0.0, -0.25]])
    >>> direct = frobenius_log_energy_direct(W, 3)
    >>> fast, info = frobenius_log_energy_eig(W, 3)
    >>> bool(np.allclose(direct, fast, rtol=0, atol=1e-13)), info["diagonalizable"]
    (True, True)
    >>> float(np.exp(direct[1]) * 2)   # ||W||_F^2 = 0.25 + 1 + 0.0625
    1.3125
"""

from __future__ import annotations

import functools
import math
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy.linalg import blas, lapack
from threadpoolctl import ThreadpoolController

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument

__all__ = [
    "ROUTES",
    "bench_frobenius",
    "frobenius_log_energy",
    "frobenius_log_energy_direct",
    "frobenius_log_energy_eig",
]

ROUTES = ("auto", "eig", "direct")
EPS = float(np.finfo(np.float64).eps)
_LOG2 = math.log(2.0)
#: The direct route renormalises when $\|X\|_F^2$ falls below this (an exact power of two).
_RENORM_BELOW = 2.0**-256


def _matrix(W) -> np.ndarray:
    """Validate ``W``: a finite, non-empty, square real or complex matrix (float64/complex128)."""
    a = np.asarray(W)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise InvalidArgument(f"W with shape {a.shape!r} must be a non-empty square matrix")
    if not (np.issubdtype(a.dtype, np.number) and not np.issubdtype(a.dtype, np.timedelta64)):
        raise InvalidArgument(f"W with dtype {a.dtype!r} must be a real or complex numeric matrix")
    a = np.ascontiguousarray(a, dtype=np.complex128 if np.iscomplexobj(a) else np.float64)
    if not np.all(np.isfinite(a)):
        raise InvalidArgument("W must have finite entries (found nan or inf)")
    return a


def _sq_norm(x: np.ndarray) -> float:
    """$\\|x\\|_F^2$ (one BLAS dot over the contiguous buffer)."""
    flat = x.reshape(-1)
    return float(np.vdot(flat, flat).real)


def _scale_pow2(x: np.ndarray, e: int) -> None:
    """$x \\leftarrow 2^{e} x$ in place, exactly (``ldexp`` on the real view)."""
    flat = x.reshape(-1).view(np.float64)
    np.ldexp(flat, e, out=flat)


def _normalise(x: np.ndarray) -> int:
    """Scale ``x`` in place by $2^{-e}$ so that $\\|x\\|_F \\in [1/2, 1)$; return $e$ (0 if x = 0)."""
    s = _sq_norm(x)
    if s == 0.0:
        return 0
    e = math.frexp(math.sqrt(s))[1]
    _scale_pow2(x, -e)
    return e


def _direct_logs(w: np.ndarray, T: int, out: np.ndarray) -> None:
    """``out[t] = log||w^t||_F^2`` for t = 1..T, for ``||w||_F <= 1`` (so $X$ never grows)."""
    x, y = w.copy(), np.empty_like(w)
    k = 0  # x == w^t * 2^k exactly
    for t in range(1, T + 1):
        if t > 1:
            np.matmul(w, x, out=y)
            x, y = y, x
        s = _sq_norm(x)
        if s == 0.0:
            out[t:] = -math.inf
            return
        out[t] = math.log(s) - 2 * k * _LOG2
        if s < _RENORM_BELOW:
            e = math.frexp(math.sqrt(s))[1]
            _scale_pow2(x, -e)
            k -= e


def frobenius_log_energy_direct(W, T) -> np.ndarray:
    r"""$\log(\|W^t\|_F^2/n)$ for $t = 0..T$ by $T - 1$ successive products $X \leftarrow WX$.

    The baseline route, cost $T n^3$. $W$ is scaled by an exact power of two to
    $\|W\|_F \le 1$, and $X$ is renormalised by exact powers of two only when
    $\|X\|_F^2 < 2^{-256}$, so no step can overflow and renormalising adds no rounding.

    **Arguments:** ``W`` square real/complex matrix (finite); ``T`` non-negative integer.

    **Returns:** float array of shape ``(T + 1,)``; ``-inf`` where $W^t = 0$ exactly.

    >>> import numpy as np
    >>> frobenius_log_energy_direct(3 * np.eye(2), 2) / np.log(3)
    array([0., 2., 4.])
    >>> big = frobenius_log_energy_direct(np.diag([3.0, 0.5]), 10**5)
    >>> bool(np.isfinite(big).all()), round(float(big[-1] / (2 * 10**5 * np.log(3))), 6)
    (True, 1.0)
    """
    a = _matrix(W)
    T = v.nonnegative_int("T", T)
    n = a.shape[0]
    out = np.zeros(T + 1)
    if T == 0:
        return out
    w = a.copy()
    e = _normalise(w)
    if e == 0 and _sq_norm(w) == 0.0:
        out[1:] = -math.inf
        return out
    _direct_logs(w, T, out)
    with np.errstate(invalid="ignore"):  # -inf + finite stays -inf
        out[1:] += 2 * e * _LOG2 * np.arange(1, T + 1) - math.log(n)
    return out


def _squaring_logs(a: np.ndarray, T: int) -> dict[int, float]:
    """$\\{t: \\log(\\|W^t\\|_F^2/n)\\}$ for $t = 0$, $t = 2^k \\le T$ and $t = T$, by repeated squaring."""
    n = a.shape[0]
    x = a.copy()
    k = _normalise(x)  # W^(2^j) == x * 2^k
    acc, acc_k = None, 0  # product of the squares for the bits of T seen so far
    logs, j = {0: 0.0}, 0
    if T == 0:
        return logs
    while (1 << j) <= T:
        s = _sq_norm(x)
        logs[1 << j] = (math.log(s) + 2 * k * _LOG2 - math.log(n)) if s > 0 else -math.inf
        if T >> j & 1:
            acc = x.copy() if acc is None else acc @ x
            acc_k += k + _normalise(acc)
        j += 1
        if (1 << j) <= T:
            x = x @ x
            k = 2 * k + _normalise(x)
    s = _sq_norm(acc)
    logs[T] = (math.log(s) + 2 * acc_k * _LOG2 - math.log(n)) if s > 0 else -math.inf
    return logs


def _powers(mu: np.ndarray, T: int) -> np.ndarray:
    """``L[a, t] = mu[a]**t`` for t = 0..T: a block of $B \\approx \\sqrt{T}$ powers times powers of $\\mu^B$."""
    n = mu.shape[0]
    B = max(1, math.isqrt(T + 1))
    K = -(-(T + 1) // B)
    small = np.empty((n, B), dtype=mu.dtype)
    small[:, 0] = 1
    small[:, 1:] = mu[:, None]
    np.cumprod(small, axis=1, out=small)
    big = np.empty((n, K), dtype=mu.dtype)
    big[:, 0] = 1
    big[:, 1:] = (small[:, -1] * mu)[:, None]
    np.cumprod(big, axis=1, out=big)
    return (big[:, :, None] * small[:, None, :]).reshape(n, K * B)[:, : T + 1]


def _cholesky_inverse(G: np.ndarray):
    """$G^{-1}$ for Hermitian positive definite $G$ (LAPACK potrf/potri), or None if not PD."""
    potrf, potri = (lapack.zpotrf, lapack.zpotri) if np.iscomplexobj(G) else (lapack.dpotrf, lapack.dpotri)
    c, info = potrf(G, lower=False)
    if info != 0:
        return None
    inv, info = potri(c, lower=False)  # upper triangle; the lower one is zero (potrf clean=1)
    if info != 0:
        return None
    inv += np.triu(inv, 1).conj().T
    return inv


def _mix_pairs(X: np.ndarray, m: int, B) -> None:
    """Rows $2k, 2k+1$ ($k < m$) of ``X`` replaced in place by ``B @ [X[2k]; X[2k+1]]`` (B 2x2).

    Strided slices, not index arrays: ``_mix_pairs(X.T, ...)`` mixes columns at the same speed.
    """
    x0, x1 = X[0 : 2 * m : 2], X[1 : 2 * m : 2]
    new0 = B[0][0] * x0 + B[0][1] * x1
    x1[...] = B[1][0] * x0 + B[1][1] * x1
    x0[...] = new0


#: On each conjugate pair (slots 2k, 2k+1) $V = V_r P$: $v = x + iy$, $\\bar v = x - iy$ with
#: $x, y$ the real and imaginary parts that LAPACK returns for real input.
_P = np.array([[1, 1], [1j, -1j]])
_P_INV = np.array([[1, -1j], [1, 1j]]) / 2


def _real_pair_order(lam: np.ndarray, V: np.ndarray):
    """``(order, m)``: the permutation that puts the $m$ conjugate pairs first, as
    $(\\lambda, \\bar\\lambda)$, then the real eigenvalues; None unless every eigenvalue with
    positive imaginary part is followed by its exact conjugate, eigenvector included (LAPACK's
    layout for real input)."""
    p = np.flatnonzero(lam.imag > 0)
    q = p + 1
    if q.size and q[-1] >= lam.size:
        return None
    if np.count_nonzero(lam.imag) != 2 * p.size or not np.array_equal(lam[q], lam[p].conj()):
        return None
    if not np.array_equal(V[:, q], V[:, p].conj()):
        return None
    return np.concatenate([np.column_stack([p, q]).ravel(), np.flatnonzero(lam.imag == 0)]), p.size


def _gram_real(V: np.ndarray, m: int):
    """$(G, H)$ of the complex $V$ (pairs first) from its real form $V_r$ (real SYRK and
    Cholesky): $G = P^{\\mathsf H}G_rP$, $H = P^{-1}H_rP^{-\\mathsf H}$; None if $G_r$ is not PD."""
    Vr = np.ascontiguousarray(V.real)
    Vr[:, 1 : 2 * m : 2] = V[:, 0 : 2 * m : 2].imag
    Gr = Vr.T @ Vr
    Hr = _cholesky_inverse(Gr)
    if Hr is None:
        return None
    G = Gr.astype(np.complex128)
    _mix_pairs(G.T, m, _P.T)  # G_r P
    _mix_pairs(G, m, _P.conj().T)  # P^H G_r P
    H = Hr.astype(np.complex128)
    _mix_pairs(H, m, _P_INV)  # P^-1 H_r
    _mix_pairs(H.T, m, _P_INV.conj())  # P^-1 H_r P^-H
    return G, H


def _weights(G: np.ndarray, H: np.ndarray) -> np.ndarray:
    """$M = H \\circ G^{\\mathsf T}$: $\\|W^t\\|_F^2 = \\sum_{ab} M_{ab}(\\lambda_a\\bar\\lambda_b)^t$."""
    return H * G.T


def _quadratic_columns(K: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """$z_t^{\\mathsf H} K z_t$ for every column $z_t$ of ``Z``, for Hermitian PSD ``K``.

    As $\\|C z_t\\|^2$ with $K = C^{\\mathsf H}C$ (Cholesky): a triangular product, half the flops
    of a GEMM, and never negative; the plain form $\\mathrm{Re}\\,\\bar z_t^{\\mathsf T}(Kz_t)$ if $K$
    is not numerically positive definite.
    """
    potrf, trmm = (lapack.zpotrf, blas.ztrmm) if np.iscomplexobj(K) else (lapack.dpotrf, blas.dtrmm)
    C, info = potrf(K, lower=False)
    if info != 0:
        return np.einsum("at,at->t", Z.conj(), K @ Z).real
    Y = trmm(1.0, C, Z.T, side=1, trans_a=1)  # Z^T C^T = (C Z)^T; Z.T is Fortran order: no copy
    if np.iscomplexobj(Y):
        return np.einsum("ta,ta->t", Y.real, Y.real) + np.einsum("ta,ta->t", Y.imag, Y.imag)
    return np.einsum("ta,ta->t", Y, Y)


def _quadratic_form_complex(mu: np.ndarray, M: np.ndarray, T: int) -> np.ndarray:
    """$\\sum_{ab} M_{ab}\\,\\mu_a^t\\bar\\mu_b^t$ for t = 0..T: $z_t^{\\mathsf H}Mz_t$, $z_t = \\bar\\mu^t$."""
    return _quadratic_columns(M, _powers(mu.astype(np.complex128), T).conj())


def _quadratic_form_real(mu: np.ndarray, M: np.ndarray, m: int, T: int) -> np.ndarray:
    """Same sum for real $W$ (the $m$ pairs first): $r_t^{\\mathsf T} K r_t$ with real
    $K = \\mathrm{Re}(Q^{\\mathsf H}MQ)$, where $z = Qr$ writes $z_{2k} = u + iv$,
    $z_{2k+1} = u - iv$ on each pair; $u = \\mathrm{Re}\\,\\mu^t$, $v = -\\mathrm{Im}\\,\\mu^t$."""
    n = mu.size
    K = M.copy()
    _mix_pairs(K.T, m, _P)  # M Q  (Q = P^T on each pair)
    _mix_pairs(K, m, _P.conj())  # Q^H M Q
    K = np.ascontiguousarray(K.real)
    L = _powers(mu[np.r_[0 : 2 * m : 2, 2 * m : n]], T)  # one representative per pair
    R = np.empty((n, T + 1))
    R[0 : 2 * m : 2] = L[:m].real
    R[1 : 2 * m : 2] = -L[:m].imag
    R[2 * m :] = L[m:].real
    return _quadratic_columns(K, R)


@functools.lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def _eig_and_squaring(a: np.ndarray, T: int, check: bool):
    """``numpy.linalg.eig(a)`` and (if ``check``) :func:`_squaring_logs` side by side on two
    Python threads (numpy releases the GIL), so the squaring products run on the core that the
    sequential Hessenberg QR inside ``eig`` leaves idle. Call with one BLAS thread."""
    if not check:
        return np.linalg.eig(a), {}
    with ThreadPoolExecutor(max_workers=1) as pool:
        reference = pool.submit(_squaring_logs, a, T)
        return np.linalg.eig(a), reference.result()


def _spectral(lam: np.ndarray, V: np.ndarray, real: bool):
    """``(lam, G, H, m)``: for real input the eigenvalues reordered with the $m$ conjugate pairs
    first (else ``m`` is None), $G = V^{\\mathsf H}V$ and $H = G^{-1}$ (None if not PD)."""
    found = _real_pair_order(lam, V) if real else None
    if found is None:
        G = V.conj().T @ V
        return lam, G, _cholesky_inverse(G), None
    order, m = found
    lam, V = lam[order], V[:, order]
    G, H = _gram_real(V, m) or (None, None)
    return lam, G, H, m


def _log_energies(lam: np.ndarray, M: np.ndarray, T: int, m=None) -> np.ndarray:
    r"""$\log(\rho^{2t}\sum_{ab}M_{ab}\mu_a^t\bar\mu_b^t/n)$, $\mu = \lambda/\rho$ ($\rho = 1$ if all $\lambda = 0$)."""
    n = lam.size
    rho = float(np.max(np.abs(lam)))
    scale = rho if rho > 0 else 1.0
    mu = lam / scale
    S = _quadratic_form_complex(mu, M, T) if m is None else _quadratic_form_real(mu, M, m, T)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(S) - math.log(n)
    t = np.arange(T + 1)
    logs[1:] += 2 * math.log(scale) * t[1:]
    return logs


def _check(logs: np.ndarray, reference: dict[int, float]) -> float:
    """Largest $|\\Delta\\log|$ between ``logs`` and the reference values (inf if either is nan)."""
    worst = 0.0
    for t, ref in reference.items():
        got = float(logs[t])
        if got == ref:
            continue
        diff = abs(got - ref)
        worst = max(worst, diff if math.isfinite(diff) else math.inf)
    return worst


def _norm1(A: np.ndarray) -> float:
    """$\\|A\\|_1$ (largest column sum of moduli) of a Hermitian matrix, by rows."""
    return float(np.max(np.abs(A).sum(axis=1)))


def _diagnostics(lam, G, H, m) -> dict:
    """cond(V) estimate and eigenvalue condition numbers from $G$ and $H = G^{-1}$."""
    info = {"rho": float(np.max(np.abs(lam))), "real_pairs": m is not None, "diagonalizable": H is not None}
    if H is None:
        info.update(cond_V=math.inf, max_eigen_condition=math.inf, error_estimate=math.inf)
        return info
    # kappa_1(G) = ||G||_1 ||H||_1 is within a factor n of kappa_2(G) = kappa_2(V)^2
    cond_G = float(_norm1(G) * _norm1(H))
    info["cond_V"] = math.sqrt(cond_G)
    info["max_eigen_condition"] = float(np.sqrt(np.max(np.abs(np.diag(H) * np.diag(G)))))
    info["error_estimate"] = EPS * info["max_eigen_condition"] ** 2
    return info


def frobenius_log_energy_eig(W, T, *, check=True) -> tuple[np.ndarray, dict]:
    r"""$\log(\|W^t\|_F^2/n)$ for $t = 0..T$ from one eigendecomposition, cost $O(n^3 + Tn^2)$.

    $\|W^t\|_F^2 = \sum_{ab} M_{ab}(\lambda_a\bar\lambda_b)^t$ with $M = H\circ G^{\mathsf T}$,
    $G = V^{\mathsf H}V$, $H = G^{-1}$ (see the module docstring).

    **Arguments:** ``W`` square real/complex matrix; ``T`` non-negative integer; ``check``: also
    compute $W^{2^k}$ ($2^k \le T$) and $W^T$ by repeated squaring and compare.

    **Returns:** ``(logs, info)``; ``logs`` has shape ``(T + 1,)`` (all nan when $W$ is not
    numerically diagonalizable); ``info`` holds ``rho``, ``diagonalizable``, ``cond_V`` (an
    estimate, within $\sqrt n$ of the 2-norm value), ``max_eigen_condition``
    ($\max_a \|u_a\|\|v_a\|$), ``error_estimate`` ($\varepsilon\max_a\kappa(\lambda_a)^2$),
    ``real_pairs`` (the real fast path ran), ``check_t`` and ``check_error`` (largest
    $|\Delta\log|$ against the squaring values; nan without ``check``).

    >>> import numpy as np
    >>> logs, info = frobenius_log_energy_eig(np.diag([2.0, 0.0]), 3)
    >>> np.exp(logs) * 2   # ||W^t||_F^2 = 4^t for t >= 1, and n = 2 at t = 0
    array([ 2.,  4., 16., 64.])
    >>> info["check_error"] < 1e-14
    True
    """
    a = _matrix(W)
    T = v.nonnegative_int("T", T)
    # One BLAS thread: eig gains nothing from a second one (0.27 s vs 0.26 s at n = 512 on 2
    # cores) and is up to 30x slower when another process holds a core; the rest of the route
    # is ~15% of the time, and re-raising the thread count mid-route cost ~0.1 s stalls.
    with _controller().limit(limits=1, user_api="blas"):
        (lam, V), reference = _eig_and_squaring(a, T, check)
        lam, G, H, m = _spectral(lam, V, real=not np.iscomplexobj(a))
        info = _diagnostics(lam, G, H, m)
        logs = np.full(T + 1, math.nan) if H is None else _log_energies(lam, _weights(G, H), T, m)
    info["route"] = "eig"
    info["check_t"] = tuple(sorted(reference))
    info["check_error"] = _check(logs, reference) if reference else math.nan
    return logs, info


def _eig_acceptable(info: dict, rtol: float) -> str | None:
    """None if the eig result passes, else the reason to fall back."""
    if not info["diagonalizable"]:
        return "Gram matrix V^H V is not numerically positive definite (W not diagonalizable)"
    if info["error_estimate"] > rtol:
        return f"a-priori error estimate {info['error_estimate']:.3g} > rtol={rtol!r}"
    if not info["check_error"] <= rtol:
        return f"repeated-squaring check differs by {info['check_error']:.3g} > rtol={rtol!r}"
    return None


def frobenius_log_energy(W, T, *, route="auto", rtol=1e-8, return_info=False):
    r"""$\log(\|W^t\|_F^2/n) = \log E_x\|W^tx\|^2$ ($x$ uniform on the sphere) for $t = 0..T$.

    **Arguments:**
    - ``W``: square real or complex matrix with finite entries; ``T``: non-negative integer.
    - ``route``: ``"auto"`` (eig route, falling back to the direct route when $W$ is not
      numerically diagonalizable, when $\varepsilon\max_a\kappa(\lambda_a)^2$ exceeds ``rtol``,
      or when the repeated-squaring check at $t = 2^k$ and $t = T$ differs by more than
      ``rtol`` in $\log$), ``"eig"`` or ``"direct"`` (forced).
    - ``rtol``: accepted error of the log energies (about the relative error of the energies).
    - ``return_info``: also return the diagnostics dict (``route`` says which route ran;
      ``fallback`` the reason, if any).

    **Returns:** float array of shape ``(T + 1,)``, or ``(array, info)``.

    >>> import numpy as np
    >>> logs, info = frobenius_log_energy(np.array([[0.0, 1.0], [-1.0, 0.0]]), 4, return_info=True)
    >>> bool(np.abs(logs).max() < 1e-15), info["route"]   # orthogonal: energy 1 for all t
    (True, 'eig')
    >>> J = np.diag(np.full(7, 1.0), 1) + 0.9 * np.eye(8)   # a Jordan block is not diagonalizable
    >>> frobenius_log_energy(J, 16, return_info=True)[1]["route"]
    'direct'
    """
    a = _matrix(W)
    T = v.nonnegative_int("T", T)
    route = v.choice("route", route, ROUTES)
    rtol = v.positive_real("rtol", rtol)
    if route == "direct":
        logs, info = frobenius_log_energy_direct(a, T), {"route": "direct"}
    else:
        logs, info = frobenius_log_energy_eig(a, T, check=(route == "auto"))
        reason = _eig_acceptable(info, rtol) if route == "auto" else None
        if reason is not None:
            logs = frobenius_log_energy_direct(a, T)
            info.update(route="direct", fallback=reason)
    return (logs, info) if return_info else logs


def _timings(fn, repeats: int) -> tuple[dict, object]:
    """Wall time of ``fn()`` over ``repeats`` calls as :class:`~lrinit_verify.bench.harness.Spread` fields
    (``median``, ``low``, ``high``, ``repeats``), and its last result."""
    from lrinit_verify.bench.harness import Spread

    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return Spread.of(times).to_dict(), result


def _blas_threads() -> list[dict]:
    from threadpoolctl import threadpool_info

    return [{"api": d.get("internal_api"), "threads": d.get("num_threads")} for d in threadpool_info()
            if d.get("user_api") == "blas"]


def bench_frobenius(n=512, T=1024, *, repeats=3, seed=0, threads=None) -> dict:
    r"""Time the direct and eig routes on one real Glorot matrix (entries of variance $1/n$).

    **Arguments:** width ``n``, length ``T``, ``repeats`` timed runs of each route, ``seed``;
    ``threads``: BLAS threads for the whole benchmark (default: as configured; the eig route
    always runs ``eig`` on one thread).

    **Returns:** dict with ``direct_s``, ``eig_s`` (the eig route as ``route="auto"`` runs it,
    squaring check included), ``eig_unchecked_s``, ``eigendecomposition_s`` (``numpy.linalg.eig``
    alone: the floor of the eig route), each ``{"median", "low", "high", "repeats"}`` in seconds; ``ratio``
    (median direct / median eig), ``ratio_unchecked``, ``max_abs_log_diff`` (eig vs direct over all
    $t$), ``cond_V``, ``check_error`` and ``blas`` (the BLAS libraries and their thread counts).

    >>> out = bench_frobenius(32, 64, repeats=1)
    >>> out["max_abs_log_diff"] < 1e-10, out["ratio"] > 0
    (True, True)
    """
    from lrinit_verify.sampling.ensembles import sample_batch

    n = v.positive_int("n", n)
    T = v.nonnegative_int("T", T)
    repeats = v.positive_int("repeats", repeats)
    W = sample_batch("glorot", n, 1, seed=v.nonnegative_int("seed", seed))[0]
    if threads is None:
        return _bench(W, T, repeats, seed)
    with _controller().limit(limits=v.positive_int("threads", threads), user_api="blas"):
        return _bench(W, T, repeats, seed)


def _bench(W: np.ndarray, T: int, repeats: int, seed: int) -> dict:
    """The measurements of :func:`bench_frobenius` on one matrix."""
    n = W.shape[0]
    direct_s, direct = _timings(lambda: frobenius_log_energy_direct(W, T), repeats)
    eig_s, (fast, info) = _timings(lambda: frobenius_log_energy_eig(W, T), repeats)
    unchecked_s, _ = _timings(lambda: frobenius_log_energy_eig(W, T, check=False), repeats)
    with _controller().limit(limits=1, user_api="blas"):  # as the eig route runs it
        decomposition_s, _ = _timings(lambda: np.linalg.eig(W), repeats)
    return {
        "n": n, "T": T, "repeats": repeats, "seed": seed,
        "direct_s": direct_s, "eig_s": eig_s, "eig_unchecked_s": unchecked_s,
        "eigendecomposition_s": decomposition_s,
        "ratio": direct_s["median"] / eig_s["median"],
        "ratio_unchecked": direct_s["median"] / unchecked_s["median"],
        "max_abs_log_diff": float(np.max(np.abs(direct - fast))),
        "cond_V": info["cond_V"], "check_error": info["check_error"],
        "blas": _blas_threads(),
    }
