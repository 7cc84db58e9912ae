r"""Gaussian Glorot matrices sampled directly in upper Hessenberg form (same spectrum law).

**Fact** (Householder reduction of a Ginibre matrix; the non-Hermitian analogue of the
Dumitriu–Edelman tridiagonal model): let :math:`W` have iid entries :math:`N(0, \sigma^2)` (real) or complex
:math:`N_{\mathbb C}(0, \sigma^2)`. Reducing :math:`W` to Hessenberg form :math:`H = Q^\top W Q` by Householder
reflectors gives, in law, an upper Hessenberg matrix with *independent* entries:

* on and above the diagonal: iid copies of :math:`W_{ij}`;
* subdiagonal :math:`H_{k+1,k} = \sigma\,\chi_{n-1-k}` (real) or :math:`\sigma\sqrt{\Gamma(n-1-k, 1)}`
  (complex), :math:`k = 0, \dots, n-2`.

*Proof sketch.* The first reflector :math:`P_1` depends only on :math:`W_{2:n,1}` and maps it to
:math:`(\|W_{2:n,1}\|, 0, \dots, 0)`, a :math:`\sigma\chi_{n-1}` (real) or the root of a
:math:`\sigma^2\Gamma(n-1,1)` (complex, LAPACK's reflector makes it real). By orthogonal (unitary)
invariance of iid Gaussian arrays, :math:`W_{1,2:n}P_1` and :math:`P_1 W_{2:n,2:n} P_1` are again iid
Gaussian and independent of :math:`W_{2:n,1}`; induct on the trailing block. :math:`\square`

:math:`H` and :math:`W` are similar, so the eigenvalues (and the spectral radius, and :math:`\|W^t\|_F`, which is
invariant under orthogonal similarity) have exactly the same joint law; sampling :math:`H` saves the
:math:`\tfrac{10}{3}n^3`-flop reduction that ``numpy.linalg.eigvals`` performs before the QR algorithm.
Checked against the dense route by a two-sample test, against Kostlan's exact radius law
(complex) and against the exact mean number of real eigenvalues (real), each with a planted-bug
companion (``tests/test_hessenberg.py``).

Only the Gaussian ensembles (``glorot``, ``halved_glorot``) have this structure; the uniform and
orthogonal ensembles do not.

Example:
    >>> h = sample_hessenberg("glorot", 5, 2, seed=0)
    >>> h.shape, bool(np.all(np.tril(h, -2) == 0)), bool(np.all(np.diagonal(h, -1, 1, 2) > 0))
    ((2, 5, 5), True, True)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.montecarlo import _lapack as lapack

#: Ensembles with iid Gaussian entries, which admit the Hessenberg model.
GAUSSIAN_ENSEMBLES = ("glorot", "halved_glorot")
#: ``route=`` values of the engines that can use the model.
ROUTES = ("auto", "hessenberg", "dense")


def choose_route(route: str, ensemble: str, backend: str, *, worthwhile: bool) -> str:
    """``"hessenberg"`` or ``"dense"`` for an engine's ``route`` argument.

    The model applies to the Gaussian ensembles on the numpy backend (with SciPy's LAPACK/BLAS
    capsules found); ``"auto"`` takes it where it applies and ``worthwhile`` (the engine's own
    size rule) holds; an explicit ``"hessenberg"`` where it does not apply is an error.

    >>> choose_route("auto", "glorot", "numpy", worthwhile=True)
    'hessenberg'
    >>> choose_route("auto", "orthogonal", "numpy", worthwhile=True)
    'dense'
    """
    v.choice("route", route, ROUTES)
    possible = ensemble in GAUSSIAN_ENSEMBLES and backend == "numpy" and lapack.available()
    if route == "hessenberg" and not possible:
        raise InvalidArgument(
            f"route='hessenberg' needs a Gaussian ensemble {GAUSSIAN_ENSEMBLES} and backend='numpy' "
            f"(got ensemble={ensemble!r}, backend={backend!r})"
        )
    if route == "auto":
        return "hessenberg" if possible and worthwhile else "dense"
    return route


def _variance(ensemble: str, n: int) -> float:
    return 0.5 / n if ensemble == "halved_glorot" else 1.0 / n


def subdiagonal(n: int, trials: int, field: str, rng: np.random.Generator) -> np.ndarray:
    r"""Unit-variance subdiagonals, shape ``(trials, n-1)``: :math:`\chi_{n-1-k}` or :math:`\sqrt{\Gamma(n-1-k,1)}`.

    >>> s = subdiagonal(4, 20000, "real", np.random.default_rng(0))
    >>> np.round((s**2).mean(axis=0)).tolist()     # E chi_m^2 = m
    [3.0, 2.0, 1.0]
    """
    dof = np.arange(n - 1, 0, -1, dtype=float)
    if field == "real":
        return np.sqrt(rng.chisquare(dof, size=(trials, n - 1)))
    return np.sqrt(rng.gamma(dof, 1.0, size=(trials, n - 1)))


def sample_hessenberg(
    ensemble, n, trials, *, field="real", scale=1.0, rng=v.REQUIRED, seed=v.REQUIRED
) -> np.ndarray:
    r"""``trials`` upper Hessenberg matrices whose spectra have the law of ``ensemble``'s.

    **Arguments:** as :func:`lrinit_verify.sampling.ensembles.sample_batch`; ``ensemble`` must be one of
    :data:`GAUSSIAN_ENSEMBLES`.

    **Returns:** array of shape ``(trials, n, n)`` (float64 or complex128) whose matrices are
    Fortran-contiguous, ready for :func:`lrinit_verify.montecarlo._lapack.hessenberg_eigvals`.

    >>> h = sample_hessenberg("halved_glorot", 400, 1, seed=0)[0]
    >>> round(float(h[np.triu_indices(400)].var() * 400 * 2), 1)    # entries of variance 1/(2n)
    1.0
    """
    v.choice("ensemble", ensemble, GAUSSIAN_ENSEMBLES)
    n = v.positive_int("n", n)
    trials = v.positive_int("trials", trials)
    field = v.field(field)
    scale = v.finite_real("scale", scale)
    rng = v.rng_from(rng, seed)
    sigma = scale * np.sqrt(_variance(ensemble, n))
    # Build the transpose (lower Hessenberg) in C order: its .T views are Fortran-contiguous.
    low = rng.standard_normal((trials, n, n))
    if field == "complex":
        low = low + 1j * rng.standard_normal((trials, n, n))
        low *= np.sqrt(0.5)
    low *= _lower_hessenberg_mask(n) * sigma
    k = np.arange(n - 1)
    low[:, k, k + 1] = sigma * subdiagonal(n, trials, field, rng)
    return low.transpose(0, 2, 1)


@lru_cache(maxsize=8)
def _lower_hessenberg_mask(n: int) -> np.ndarray:
    """1 on and below the first superdiagonal, 0 above it (read-only, shared)."""
    mask = np.tril(np.ones((n, n)), 1)
    mask.flags.writeable = False
    return mask
