r"""Random recurrent-matrix ensembles (numpy).

Every sampler returns float64 (``field="real"``) or complex128 (``field="complex"``) arrays and
takes its randomness explicitly (``rng=`` a ``numpy.random.Generator`` or ``seed=`` an int).

* **Glorot (normal)**: entries iid :math:`N(0, 1/n)`; complex: :math:`E|W_{ij}|^2 = 1/n` with independent
  real and imaginary parts :math:`N(0, 1/(2n))` (real / complex Ginibre scaled by :math:`1/\sqrt n`).
* **Glorot (uniform)**: entries :math:`U(-\sqrt{3/n}, \sqrt{3/n})`, the same variance :math:`1/n`.
* **Halved Glorot**: variance :math:`1/(2n)`, spectral radius about :math:`1/\sqrt 2`.
* **Orthogonal**: Haar orthogonal (real) or unitary (complex), :math:`\|W^t x\| = \|x\|`.

Example:
    >>> import numpy as np
    >>> W = glorot(4, seed=0)
    >>> W.shape, W.dtype
    ((4, 4), dtype('float64'))
    >>> batch = sample_batch("glorot", 8, 3, field="complex", seed=1)
    >>> batch.shape, batch.dtype
    ((3, 8, 8), dtype('complex128'))
"""

from __future__ import annotations

import numpy as np

from lrinit_verify import _validate as v

ENSEMBLES = ("glorot", "glorot_uniform", "halved_glorot", "orthogonal")


def _standard(shape, field: str, rng: np.random.Generator, dist: str) -> np.ndarray:
    """Entries with mean 0 and E|z|^2 = 1, real or complex, normal or uniform."""
    if dist == "normal":
        draw = rng.standard_normal
    else:
        bound = np.sqrt(3.0)

        def draw(size):
            return rng.uniform(-bound, bound, size=size)

    if field == "real":
        return draw(shape)
    out = np.empty(shape, dtype=np.complex128)
    out.real = draw(shape)
    out.imag = draw(shape)
    out *= np.sqrt(0.5)
    return out


def _haar(shape, field: str, rng: np.random.Generator) -> np.ndarray:
    """Haar orthogonal/unitary matrices by QR of Ginibre with the sign (phase) fix of Mezzadri."""
    z = _standard(shape, field, rng, "normal")
    q, r = np.linalg.qr(z)
    d = np.diagonal(r, axis1=-2, axis2=-1)
    phase = d / np.abs(d)
    return q * phase[..., None, :]


def sample_batch(
    ensemble: str,
    n: int,
    trials: int,
    *,
    field: str = "real",
    scale: float = 1.0,
    rng: np.random.Generator = v.REQUIRED,
    seed: int = v.REQUIRED,
) -> np.ndarray:
    r"""Draw ``trials`` independent ``n``×``n`` matrices of ``ensemble`` as one array.

    **Arguments:**

    - ``ensemble``: one of ``"glorot"``, ``"glorot_uniform"``, ``"halved_glorot"``, ``"orthogonal"``.
    - ``n``: width; ``trials``: number of matrices.
    - ``field``: ``"real"`` or ``"complex"``; ``scale``: multiplies every matrix.
    - ``rng`` / ``seed``: explicit randomness (exactly one).

    **Returns:** array of shape ``(trials, n, n)``, float64 or complex128.

    >>> w = sample_batch("halved_glorot", 64, 50, seed=0)
    >>> round(float(w.var() * 64), 1)   # variance 1/(2n)
    0.5
    """
    v.choice("ensemble", ensemble, ENSEMBLES)
    n = v.positive_int("n", n)
    trials = v.positive_int("trials", trials)
    field = v.field(field)
    scale = v.finite_real("scale", scale)
    rng = v.rng_from(rng, seed)
    shape = (trials, n, n)
    if ensemble == "orthogonal":
        return scale * _haar(shape, field, rng)
    dist = "uniform" if ensemble == "glorot_uniform" else "normal"
    variance = 0.5 / n if ensemble == "halved_glorot" else 1.0 / n
    out = _standard(shape, field, rng, dist)
    out *= scale * np.sqrt(variance)
    return out


def glorot(n, *, field="real", scale=1.0, dist="normal", rng=v.REQUIRED, seed=v.REQUIRED) -> np.ndarray:
    r"""One Glorot matrix: entries of variance ``scale``\ :math:`^2/n` (``dist`` ``"normal"`` or ``"uniform"``).

    Every argument is checked before any draw; ``scale`` must be positive. Randomness is explicit:
    exactly one of ``seed=`` (int) or ``rng=`` (numpy Generator), as for every sampler here.

    >>> w = glorot(512, dist="uniform", seed=0)
    >>> bool(abs(w).max() <= (3 / 512) ** 0.5), round(float(w.var() * 512), 2)
    (True, 1.0)
    """
    v.choice("dist", dist, ("normal", "uniform"))
    scale = v.positive_real("scale", scale)
    ensemble = "glorot" if dist == "normal" else "glorot_uniform"
    return sample_batch(ensemble, n, 1, field=field, scale=scale, rng=rng, seed=seed)[0]


def halved_glorot(n, *, field="real", rng=v.REQUIRED, seed=v.REQUIRED) -> np.ndarray:
    r"""One halved-Glorot matrix: entries of variance :math:`1/(2n)`, radius about :math:`1/\sqrt2`.

    >>> round(float(abs(np.linalg.eigvals(halved_glorot(1000, seed=0))).max()), 1)
    0.7
    """
    return sample_batch("halved_glorot", n, 1, field=field, rng=rng, seed=seed)[0]


def orthogonal(n, *, field="real", rng=v.REQUIRED, seed=v.REQUIRED) -> np.ndarray:
    """One Haar orthogonal (real) or unitary (complex) matrix.

    >>> q = orthogonal(5, field="complex", seed=0)
    >>> bool(np.allclose(q.conj().T @ q, np.eye(5)))
    True
    """
    return sample_batch("orthogonal", n, 1, field=field, rng=rng, seed=seed)[0]
