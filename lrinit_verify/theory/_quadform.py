r"""Kernels of the eigendecomposition route of :mod:`lrinit_verify.theory.frobenius`.

With :math:`W = V\Lambda V^{-1}`, :math:`G = V^{\mathsf H}V`, :math:`H = G^{-1}` and :math:`M = H \circ G^{\mathsf T}`,
:math:`\|W^t\|_F^2 = \sum_{ab} M_{ab}(\lambda_a\bar\lambda_b)^t`, evaluated for all :math:`t` at once as a
quadratic form in the powers of the eigenvalues. For real :math:`W` the conjugate pairs are folded into a
real basis (real SYRK, real Cholesky, real triangular product).

>>> import numpy as np
>>> powers(np.array([2.0, 0.5]), 3).tolist()
[[1.0, 2.0, 4.0, 8.0], [1.0, 0.5, 0.25, 0.125]]
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import blas, lapack

EPS = float(np.finfo(np.float64).eps)


def powers(mu: np.ndarray, T: int) -> np.ndarray:
    r"""``L[a, t] = mu[a]**t`` for t = 0..T: a block of :math:`B \approx \sqrt{T}` powers times powers of :math:`\mu^B`."""
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


def cholesky_inverse(G: np.ndarray):
    """:math:`G^{-1}` for Hermitian positive definite :math:`G` (LAPACK potrf/potri), or None if not PD."""
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
    """Rows :math:`2k, 2k+1` (:math:`k < m`) of ``X`` replaced in place by ``B @ [X[2k]; X[2k+1]]`` (B 2x2).

    Strided slices, not index arrays: ``_mix_pairs(X.T, ...)`` mixes columns at the same speed.
    """
    x0, x1 = X[0 : 2 * m : 2], X[1 : 2 * m : 2]
    new0 = B[0][0] * x0 + B[0][1] * x1
    x1[...] = B[1][0] * x0 + B[1][1] * x1
    x0[...] = new0


#: On each conjugate pair (slots 2k, 2k+1) :math:`V = V_r P`: :math:`v = x + iy`, :math:`\\bar v = x - iy` with
#: :math:`x, y` the real and imaginary parts that LAPACK returns for real input.
_P = np.array([[1, 1], [1j, -1j]])
_P_INV = np.array([[1, -1j], [1, 1j]]) / 2


def real_pair_order(lam: np.ndarray, V: np.ndarray):
    r"""``(order, m)``: the permutation that puts the :math:`m` conjugate pairs first, as
    :math:`(\lambda, \bar\lambda)`, then the real eigenvalues; None unless every eigenvalue with
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


def gram_real(V: np.ndarray, m: int):
    r""":math:`(G, H)` of the complex :math:`V` (pairs first) from its real form :math:`V_r` (real SYRK and
    Cholesky): :math:`G = P^{\mathsf H}G_rP`, :math:`H = P^{-1}H_rP^{-\mathsf H}`; None if :math:`G_r` is not PD."""
    Vr = np.ascontiguousarray(V.real)
    Vr[:, 1 : 2 * m : 2] = V[:, 0 : 2 * m : 2].imag
    Gr = Vr.T @ Vr
    Hr = cholesky_inverse(Gr)
    if Hr is None:
        return None
    G = Gr.astype(np.complex128)
    _mix_pairs(G.T, m, _P.T)  # G_r P
    _mix_pairs(G, m, _P.conj().T)  # P^H G_r P
    H = Hr.astype(np.complex128)
    _mix_pairs(H, m, _P_INV)  # P^-1 H_r
    _mix_pairs(H.T, m, _P_INV.conj())  # P^-1 H_r P^-H
    return G, H


def weights(G: np.ndarray, H: np.ndarray) -> np.ndarray:
    r""":math:`M = H \circ G^{\mathsf T}`: :math:`\|W^t\|_F^2 = \sum_{ab} M_{ab}(\lambda_a\bar\lambda_b)^t`."""
    return H * G.T


def _quadratic_columns(K: np.ndarray, Z: np.ndarray) -> np.ndarray:
    r""":math:`z_t^{\mathsf H} K z_t` for every column :math:`z_t` of ``Z``, for Hermitian PSD ``K``.

    As :math:`\|C z_t\|^2` with :math:`K = C^{\mathsf H}C` (Cholesky): a triangular product, half the flops
    of a GEMM, and never negative; the plain form :math:`\mathrm{Re}\,\bar z_t^{\mathsf T}(Kz_t)` if :math:`K`
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


def quadratic_form_complex(mu: np.ndarray, M: np.ndarray, T: int) -> np.ndarray:
    r""":math:`\sum_{ab} M_{ab}\,\mu_a^t\bar\mu_b^t` for t = 0..T: :math:`z_t^{\mathsf H}Mz_t`, :math:`z_t = \bar\mu^t`."""
    return _quadratic_columns(M, powers(mu.astype(np.complex128), T).conj())


def quadratic_form_real(mu: np.ndarray, M: np.ndarray, m: int, T: int) -> np.ndarray:
    r"""Same sum for real :math:`W` (the :math:`m` pairs first): :math:`r_t^{\mathsf T} K r_t` with real
    :math:`K = \mathrm{Re}(Q^{\mathsf H}MQ)`, where :math:`z = Qr` writes :math:`z_{2k} = u + iv`,
    :math:`z_{2k+1} = u - iv` on each pair; :math:`u = \mathrm{Re}\,\mu^t`, :math:`v = -\mathrm{Im}\,\mu^t`."""
    n = mu.size
    K = M.copy()
    _mix_pairs(K.T, m, _P)  # M Q  (Q = P^T on each pair)
    _mix_pairs(K, m, _P.conj())  # Q^H M Q
    K = np.ascontiguousarray(K.real)
    L = powers(mu[np.r_[0 : 2 * m : 2, 2 * m : n]], T)  # one representative per pair
    R = np.empty((n, T + 1))
    R[0 : 2 * m : 2] = L[:m].real
    R[1 : 2 * m : 2] = -L[:m].imag
    R[2 * m :] = L[m:].real
    return _quadratic_columns(K, R)


def _norm1(A: np.ndarray) -> float:
    r""":math:`\|A\|_1` (largest column sum of moduli) of a Hermitian matrix, by rows."""
    return float(np.max(np.abs(A).sum(axis=1)))


def diagnostics(lam, G, H, m) -> dict:
    """cond(V) estimate and eigenvalue condition numbers from :math:`G` and :math:`H = G^{-1}`."""
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
