r"""Recurrent-matrix initialisers (numpy): the paper's rescaled Glorot, exact calibration, baselines.

Every initialiser takes its randomness explicitly (``rng=`` a numpy ``Generator`` or ``seed=`` an
int) and returns float64 (``field="real"``) or complex128 (``field="complex"``) arrays.

* :func:`rescaled_glorot` — :math:`c_n \cdot` Glorot with the paper's factor :math:`c_n` (THEORY.md §1.4).
* :func:`calibrated_glorot` — Glorot :math:`/\, s` with :math:`P(\rho \le 1) = p` exactly (complex) or to the
  calibration's accuracy (real); see :func:`lrinit_verify.theory.rescale.calibrated_scale`.
* Baselines (THEORY.md §4): :func:`halved_glorot`, :func:`orthogonal`, :func:`pytorch_rnn_default`,
  :func:`spectral_normalised`, :func:`lru_ring`.
* Diagonal variants (paper §1.5): :func:`diagonal_glorot` returns the eigenvalues of a (rescaled)
  Glorot matrix, the diagonal of its complex Schur form; :func:`lru_parameters` maps them to the
  LRU's :math:`(\nu, \theta)` with :math:`\lambda = \exp(-e^{\nu} + i e^{\theta})`.

Example:
    >>> W = rescaled_glorot(256, seed=0)
    >>> W.shape, W.dtype
    ((256, 256), dtype('float64'))
    >>> bool(abs(spectral_radius(spectral_normalised(W, radius=0.9)) - 0.9) < 1e-12)
    True
"""

from __future__ import annotations

import math

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.sampling import ensembles
from lrinit_verify.sampling.ensembles import (  # the baselines, re-exported as initialisers
    glorot,
    halved_glorot,
    orthogonal,
)
from lrinit_verify.theory.edge import GUMBEL_MEAN_PLUS_STD, rescale_factor
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY, calibrated_scale

SCALINGS = ("glorot", "rescaled", "calibrated", "halved")


def rescaled_glorot(
    n, *, field="real", x=GUMBEL_MEAN_PLUS_STD, rng=v.REQUIRED, seed=v.REQUIRED
) -> np.ndarray:
    r"""The paper's rescaled Glorot :math:`c_n W`, :math:`c_n = 1/(1 + \sqrt{\gamma_n/4n} + x/\sqrt{4\gamma_n n})`.

    Raises ``ValueError`` for :math:`n \le 163` where :math:`c_n` is undefined (use :func:`calibrated_glorot`).

    >>> w = rescaled_glorot(1024, seed=0)
    >>> round(float(w.std() * 32), 2)   # c_1024 = 0.958
    0.96
    """
    n = v.positive_int("n", n)
    return ensembles.glorot(n, field=field, scale=rescale_factor(n, x=x), rng=rng, seed=seed)


def calibrated_glorot(
    n, *, p=NOMINAL_PROBABILITY, field="real", rng=v.REQUIRED, seed=v.REQUIRED
) -> np.ndarray:
    r"""Glorot divided by its exact :math:`p`-quantile radius :math:`s`: :math:`P(\rho(W) \le 1) = p` at this :math:`n`.

    ``p`` defaults to the paper's nominal :math:`\exp(-e^{-x^*}) \approx 0.856`; ``field="real"`` uses the
    shipped calibration (``ValueError`` outside its range).

    >>> w = calibrated_glorot(64, p=0.5, field="complex", seed=0)   # works where c_n is undefined
    >>> w.shape, w.dtype
    ((64, 64), dtype('complex128'))
    """
    n = v.positive_int("n", n)
    s = calibrated_scale(n, p, field=field)
    return ensembles.glorot(n, field=field, scale=1.0 / s, rng=rng, seed=seed)


def pytorch_rnn_default(n, *, rng=v.REQUIRED, seed=v.REQUIRED) -> np.ndarray:
    r"""PyTorch's ``nn.RNN`` default: entries :math:`U(-1/\sqrt n, 1/\sqrt n)`, variance :math:`1/(3n)`, :math:`\rho \approx 1/\sqrt3`.

    >>> W = pytorch_rnn_default(100, seed=0)
    >>> bool(np.abs(W).max() <= 0.1)
    True
    """
    n = v.positive_int("n", n)
    rng = v.rng_from(rng, seed)
    bound = 1.0 / math.sqrt(n)
    return rng.uniform(-bound, bound, size=(n, n))


def spectral_radius(matrix) -> float:
    r""":math:`\rho(W) = \max_i |\lambda_i(W)|` of a square matrix (LAPACK eigenvalues)."""
    w = _square("matrix", matrix)
    return float(np.abs(np.linalg.eigvals(w)).max())


def _square(name, matrix) -> np.ndarray:
    w = np.asarray(matrix)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] == 0:
        raise InvalidArgument(f"{name} with shape {w.shape} must be a non-empty square matrix")
    if not np.all(np.isfinite(w)):
        raise InvalidArgument(f"{name} must have finite entries")
    return w


def spectral_normalised(matrix, *, radius=1.0) -> np.ndarray:
    r"""Echo-state normalisation :math:`W \cdot r / \rho(W)`: a copy with spectral radius exactly ``radius``.

    Returns a new array (hence the past participle); the torch version
    :func:`lrinit_verify.sampling.torch_init.spectral_normalise_` works in place, as ``torch.nn.init`` does.

    >>> W = np.array([[0.0, 2.0], [0.5, 0.0]])
    >>> spectral_normalised(W, radius=0.5).tolist()
    [[0.0, 1.0], [0.25, 0.0]]
    """
    w = _square("matrix", matrix)
    radius = v.positive_real("radius", radius)
    rho = spectral_radius(w)
    if rho == 0.0:
        raise InvalidArgument("matrix has spectral radius 0 (nilpotent): it cannot be normalised")
    return w * (radius / rho)


def lru_ring(
    n, *, r_min=0.0, r_max=1.0, max_phase=2 * math.pi, rng=v.REQUIRED, seed=v.REQUIRED
) -> np.ndarray:
    r"""LRU ring initialisation (Orvieto et al. 2023): ``n`` complex diagonal eigenvalues :math:`\lambda`.

    :math:`|\lambda|^2` uniform on :math:`[r_{min}^2, r_{max}^2]`, phase uniform on :math:`[0, \text{max\_phase}]`; the
    recurrence is ``np.diag(lam)``, and the LRU's input normalisation is :math:`\sqrt{1 - |\lambda|^2}`.

    >>> lam = lru_ring(1000, r_min=0.9, r_max=0.99, max_phase=math.pi, seed=0)
    >>> bool(0.9 <= np.abs(lam).min() and np.abs(lam).max() <= 0.99 and np.angle(lam).min() >= 0)
    True
    """
    n = v.positive_int("n", n)
    r_min = v.nonnegative_real("r_min", r_min)
    r_max = v.positive_real("r_max", r_max)
    if not r_min < r_max <= 1.0:
        raise InvalidArgument(f"r_min={r_min!r}, r_max={r_max!r} must satisfy 0 <= r_min < r_max <= 1")
    max_phase = v.positive_real("max_phase", max_phase)
    if max_phase > 2 * math.pi:
        raise InvalidArgument(f"max_phase={max_phase!r} must be at most 2*pi")
    rng = v.rng_from(rng, seed)
    modulus = np.sqrt(rng.uniform(r_min**2, r_max**2, size=n))
    phase = rng.uniform(0.0, max_phase, size=n)
    return modulus * np.exp(1j * phase)


def lru_parameters(eigenvalues) -> tuple[np.ndarray, np.ndarray]:
    r"""LRU parameters :math:`(\nu, \theta)` with :math:`\lambda = \exp(-e^{\nu} + i e^{\theta})`, phases taken in :math:`(0, 2\pi)`.

    Needs :math:`0 < |\lambda| < 1` and :math:`\lambda` off the positive real axis (where :math:`\theta = -\infty`).

    >>> nu, theta = lru_parameters(np.array([0.5j]))
    >>> bool(np.allclose(np.exp(-np.exp(nu) + 1j * np.exp(theta)), 0.5j))
    True
    """
    lam = np.asarray(eigenvalues, dtype=np.complex128)
    modulus = np.abs(lam)
    if lam.size == 0 or not np.all((modulus > 0) & (modulus < 1)):
        raise InvalidArgument(
            f"eigenvalues with moduli in [{modulus.min(initial=0):.4g}, "
            f"{modulus.max(initial=0):.4g}] must all lie strictly inside the unit disk and off 0"
        )
    phase = np.mod(np.angle(lam), 2 * math.pi)
    if np.any(phase == 0):
        raise InvalidArgument("eigenvalues on the positive real axis have no LRU phase parameter theta")
    return np.log(-np.log(modulus)), np.log(phase)


def _scale_for(n: int, scaling: str, p: float, field: str) -> float:
    if scaling == "glorot":
        return 1.0
    if scaling == "rescaled":
        return rescale_factor(n)
    if scaling == "halved":
        return math.sqrt(0.5)
    return 1.0 / calibrated_scale(n, p, field=field)


def diagonal_glorot(
    n, *, scaling="rescaled", p=NOMINAL_PROBABILITY, field="real", rng=v.REQUIRED, seed=v.REQUIRED
) -> np.ndarray:
    r"""Diagonal variant (paper §1.5): the ``n`` eigenvalues of a (rescaled) Glorot matrix, complex128.

    ``scaling`` is ``"glorot"``, ``"rescaled"`` (paper's :math:`c_n`), ``"calibrated"`` (exact level ``p``)
    or ``"halved"``. The diagonal recurrence ``np.diag(lam)`` has the same spectrum as the matrix.

    >>> lam = diagonal_glorot(256, seed=0)
    >>> lam.shape, lam.dtype
    ((256,), dtype('complex128'))
    """
    n = v.positive_int("n", n)
    scaling = v.choice("scaling", scaling, SCALINGS)
    field = v.field(field)
    w = ensembles.glorot(n, field=field, scale=_scale_for(n, scaling, p, field), rng=rng, seed=seed)
    return np.linalg.eigvals(w).astype(np.complex128)


#: Square-matrix initialisers by name, each ``f(n, *, field, rng)`` (used by findings and the CLI).
MATRIX_INITIALISERS = {
    "glorot": glorot,
    "rescaled_glorot": rescaled_glorot,
    "calibrated_glorot": calibrated_glorot,
    "halved_glorot": halved_glorot,
    "orthogonal": orthogonal,
}
