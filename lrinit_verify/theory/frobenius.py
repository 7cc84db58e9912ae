r"""Exact probe-averaged energy :math:`\|W^t\|_F^2/n` of one matrix for every :math:`t \le T`, two routes.

For :math:`x` uniform on the unit sphere, :math:`E_x\|W^t x\|^2 = \|W^t\|_F^2/n`. All functions return
:math:`\log(\|W^t\|_F^2/n)` for :math:`t = 0, \dots, T` (log space: :math:`t = 10^5` at :math:`\rho = 3` stays finite).

**Direct route** (:func:`frobenius_log_energy_direct`): :math:`X \leftarrow W X` from :math:`X = W`, one
:math:`n\times n` product per step, :math:`2Tn^3` real flops (:math:`8Tn^3` complex). :math:`W` is first scaled by a
power of two :math:`2^{-e}` with :math:`\|2^{-e}W\|_F \le 1` (exact), so :math:`\|X\|_F` never grows; whenever it falls
below :math:`2^{-128}` it is multiplied back by an exact power of two, and the exponents are kept as
integers. Renormalising is therefore exact and happens only every
:math:`\approx 256/\log_2(\|W\|_F^2/\rho^2)` steps.

**Eigendecomposition route** (:func:`frobenius_log_energy_eig`): with :math:`W = V\Lambda V^{-1}`,
:math:`G = V^{\mathsf H}V` and :math:`H = G^{-1} = V^{-1}V^{-\mathsf H}` (Cholesky of the Hermitian :math:`G`,
never ``inv(V)``),

.. math::

    \|W^t\|_F^2 = \operatorname{tr}(\bar\Lambda^t G \Lambda^t H)
    = \sum_{a,b} M_{ab}\,(\lambda_a \bar\lambda_b)^t, \qquad M = H \circ G^{\mathsf T}.

:math:`M` is Hermitian positive semi-definite (Schur product theorem), so with
:math:`L_{a,t} = (\lambda_a/\rho)^t` the energy is the quadratic form
:math:`E_t = \rho^{2t}\,\sum_a L_{a,t}(M\bar L)_{a,t} \ge \rho^{2t}` for all :math:`t` at once, evaluated as
:math:`\rho^{2t}\|C\bar L_{:,t}\|^2` with :math:`M = C^{\mathsf H}C` (Cholesky; one triangular product, half a
GEMM, never negative).
The powers are built from :math:`\approx 2\sqrt T` multiplications per eigenvalue (a block of
:math:`\mu^j`, :math:`j < B`, times the powers of :math:`\mu^B`), so their relative error is :math:`O(\sqrt T\,\varepsilon)`.
For real :math:`W` the conjugate pairs are folded into a real basis: :math:`G`, :math:`H` come from the real
eigenvector matrix (a real SYRK and a real Cholesky), and :math:`E_t = r_t^{\mathsf T} K r_t` with a
real symmetric :math:`K = \operatorname{Re}(Q^{\mathsf H} M Q)` and real :math:`r_t`, which makes that product
4x cheaper. Cost :math:`O(n^3 + T n^2)`: one ``eig`` (about :math:`25 n^3` flops, mostly the sequential
Hessenberg QR, so it runs far below the GEMM rate), an :math:`n^3` Gram, two Choleskys and an inverse,
and an :math:`n^2 T` real triangular product. :math:`W = 0` gives :math:`[0, -\infty, \dots]`.

A-posteriori check: :math:`W^{2^k}` for :math:`2^k \le T` (and :math:`W^T`) by repeated squaring with exact
power-of-two renormalisation (:math:`\lfloor\log_2 T\rfloor + \operatorname{popcount}(T) - 1` products),
compared with the eig route at those :math:`t`; :func:`frobenius_log_energy` with ``route="auto"``
falls back to the direct route when that difference exceeds ``rtol``, when the Gram matrix is not
numerically positive definite (non-diagonalizable :math:`W`), or when the a-priori estimate
:math:`\varepsilon\max_a\kappa(\lambda_a)^2` of the :math:`t`-independent error exceeds ``rtol``.

Accuracy, range of validity and speed, as measured on one machine: ``docs/performance.md``
(section "Frobenius energy: accuracy and speed"); the error models are checked by
``tests/test_frobenius.py`` and the timings by ``lrinit-verify bench --only frobenius``.

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
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import ThreadpoolController

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.theory._quadform import (
    cholesky_inverse,
    diagnostics,
    gram_real,
    quadratic_form_complex,
    quadratic_form_real,
    real_pair_order,
    weights,
)

__all__ = [
    "ROUTES",
    "frobenius_log_energy",
    "frobenius_log_energy_direct",
    "frobenius_log_energy_eig",
]

ROUTES = ("auto", "eig", "direct")
_LOG2 = math.log(2.0)
#: The direct route renormalises when :math:`\|X\|_F^2` falls below this (an exact power of two).
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
    r""":math:`\|x\|_F^2` (one BLAS dot over the contiguous buffer)."""
    flat = x.reshape(-1)
    return float(np.vdot(flat, flat).real)


def _scale_pow2(x: np.ndarray, e: int) -> None:
    r""":math:`x \leftarrow 2^{e} x` in place, exactly (``ldexp`` on the real view)."""
    flat = x.reshape(-1).view(np.float64)
    np.ldexp(flat, e, out=flat)


def _normalise(x: np.ndarray) -> int:
    r"""Scale ``x`` in place by :math:`2^{-e}` so that :math:`\|x\|_F \in [1/2, 1)`; return :math:`e` (0 if x = 0)."""
    s = _sq_norm(x)
    if s == 0.0:
        return 0
    e = math.frexp(math.sqrt(s))[1]
    _scale_pow2(x, -e)
    return e


def _direct_logs(w: np.ndarray, T: int, out: np.ndarray) -> None:
    """``out[t] = log||w^t||_F^2`` for t = 1..T, for ``||w||_F <= 1`` (so :math:`X` never grows)."""
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
    r""":math:`\log(\|W^t\|_F^2/n)` for :math:`t = 0..T` by :math:`T - 1` successive products :math:`X \leftarrow WX`.

    The baseline route, cost :math:`T n^3`. :math:`W` is scaled by an exact power of two to
    :math:`\|W\|_F \le 1`, and :math:`X` is renormalised by exact powers of two only when
    :math:`\|X\|_F^2 < 2^{-256}`, so no step can overflow and renormalising adds no rounding.

    **Arguments:** ``W`` square real/complex matrix (finite); ``T`` non-negative integer.

    **Returns:** float array of shape ``(T + 1,)``; ``-inf`` where :math:`W^t = 0` exactly.

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
    r""":math:`\{t: \log(\|W^t\|_F^2/n)\}` for :math:`t = 0`, :math:`t = 2^k \le T` and :math:`t = T`, by repeated squaring."""
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
    r"""``(lam, G, H, m)``: for real input the eigenvalues reordered with the :math:`m` conjugate pairs
    first (else ``m`` is None), :math:`G = V^{\mathsf H}V` and :math:`H = G^{-1}` (None if not PD)."""
    found = real_pair_order(lam, V) if real else None
    if found is None:
        G = V.conj().T @ V
        return lam, G, cholesky_inverse(G), None
    order, m = found
    lam, V = lam[order], V[:, order]
    G, H = gram_real(V, m) or (None, None)
    return lam, G, H, m


def _log_energies(lam: np.ndarray, M: np.ndarray, T: int, m=None) -> np.ndarray:
    r""":math:`\log(\rho^{2t}\sum_{ab}M_{ab}\mu_a^t\bar\mu_b^t/n)`, :math:`\mu = \lambda/\rho` (:math:`\rho = 1` if all :math:`\lambda = 0`)."""
    n = lam.size
    rho = float(np.max(np.abs(lam)))
    scale = rho if rho > 0 else 1.0
    mu = lam / scale
    S = quadratic_form_complex(mu, M, T) if m is None else quadratic_form_real(mu, M, m, T)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(S) - math.log(n)
    t = np.arange(T + 1)
    logs[1:] += 2 * math.log(scale) * t[1:]
    return logs


def _check(logs: np.ndarray, reference: dict[int, float]) -> float:
    r"""Largest :math:`|\Delta\log|` between ``logs`` and the reference values (inf if either is nan)."""
    worst = 0.0
    for t, ref in reference.items():
        got = float(logs[t])
        if got == ref:
            continue
        diff = abs(got - ref)
        worst = max(worst, diff if math.isfinite(diff) else math.inf)
    return worst


def frobenius_log_energy_eig(W, T, *, check=True) -> tuple[np.ndarray, dict]:
    r""":math:`\log(\|W^t\|_F^2/n)` for :math:`t = 0..T` from one eigendecomposition, cost :math:`O(n^3 + Tn^2)`.

    :math:`\|W^t\|_F^2 = \sum_{ab} M_{ab}(\lambda_a\bar\lambda_b)^t` with :math:`M = H\circ G^{\mathsf T}`,
    :math:`G = V^{\mathsf H}V`, :math:`H = G^{-1}` (see the module docstring).

    **Arguments:** ``W`` square real/complex matrix; ``T`` non-negative integer; ``check``: also
    compute :math:`W^{2^k}` (:math:`2^k \le T`) and :math:`W^T` by repeated squaring and compare.

    **Returns:** ``(logs, info)``; ``logs`` has shape ``(T + 1,)`` (all nan when :math:`W` is not
    numerically diagonalizable); ``info`` holds ``rho``, ``diagonalizable``, ``cond_V`` (an
    estimate, within :math:`\sqrt n` of the 2-norm value), ``max_eigen_condition``
    (:math:`\max_a \|u_a\|\|v_a\|`), ``error_estimate`` (:math:`\varepsilon\max_a\kappa(\lambda_a)^2`),
    ``real_pairs`` (the real fast path ran), ``check_t`` and ``check_error`` (largest
    :math:`|\Delta\log|` against the squaring values; nan without ``check``).

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
        info = diagnostics(lam, G, H, m)
        logs = np.full(T + 1, math.nan) if H is None else _log_energies(lam, weights(G, H), T, m)
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
    r""":math:`\log(\|W^t\|_F^2/n) = \log E_x\|W^tx\|^2` (:math:`x` uniform on the sphere) for :math:`t = 0..T`.

    **Arguments:**

    - ``W``: square real or complex matrix with finite entries; ``T``: non-negative integer.
    - ``route``: ``"auto"`` (eig route, falling back to the direct route when :math:`W` is not
      numerically diagonalizable, when :math:`\varepsilon\max_a\kappa(\lambda_a)^2` exceeds ``rtol``,
      or when the repeated-squaring check at :math:`t = 2^k` and :math:`t = T` differs by more than
      ``rtol`` in :math:`\log`), ``"eig"`` or ``"direct"`` (forced).
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
