r"""Sampling from an exact law of the spectral radius instead of diagonalising matrices.

* :class:`InverseCdfTable` (generic): given a vectorised CDF :math:`F` on :math:`[0, \infty)` and a tolerance
  ``tol``, tabulates :math:`F` once and then samples by inversion at :math:`O(\log M)` per draw (no dependence on
  the matrix width). Construction, on :math:`[a, b]` with tail masses :math:`F(a), 1 - F(b) \le` ``tol``/4:

  1. a Chebyshev interpolant :math:`P` of :math:`F` at :math:`N + 1` Chebyshev points (second kind), :math:`N = 16, 32, \dots`,
     until the degree-:math:`N` interpolant is within ``tol``/2 of :math:`F` at the :math:`N` new points of degree :math:`2N`
     (the midpoints in angle, where its error :math:`\propto \sin\theta \sin N\theta` peaks); the
     degree-:math:`2N` interpolant through all :math:`2N + 1` values is kept (empirically far more accurate);
  2. :math:`\tilde F`: the piecewise-linear interpolant of :math:`\operatorname{cummax} P` on a uniform grid of :math:`M`
     cells, :math:`M` chosen so that :math:`h^2 \max|P''|/8 \le` ``tol``/4; :math:`\tilde F(a) = 0`, :math:`\tilde F(b) = 1`.

  Draws are :math:`\tilde F^{-1}(U)`, :math:`U` uniform, computed exactly (a monotone piecewise-linear
  inverse). Hence :math:`\sup_r |\tilde F(r) - F(r)| \le \tfrac34` ``tol``, *given* that the check of
  step 1 bounds :math:`|P - F|` everywhere (verified at the check points only; ``tests/test_exact_law.py``
  re-checks 20 001 points per table) and that :math:`P''` stands for :math:`F''`.
* :func:`exact_radii`: radii of Gaussian Glorot matrices from the exact law: complex by Kostlan's
  product (:func:`lrinit_verify.theory.edge.sample_radius_kostlan`, exact in law), real by a table
  of the exact real CDF (``edge.spectral_radius_cdf_array(r, n, field="real")``), cached per
  ``(n, tol)`` (the law: :mod:`lrinit_verify.theory.real_law`).

Example:
    >>> from lrinit_verify.theory.edge import spectral_radius_cdf_array
    >>> table = InverseCdfTable(lambda r: spectral_radius_cdf_array(r, 64), tol=1e-9)
    >>> r = table.sample(1000, np.random.default_rng(0))
    >>> r.shape, bool(0.9 < np.median(r) < 1.3), table.check_error <= 0.5e-9
    ((1000,), True, True)
"""

from __future__ import annotations

import math

import numpy as np
from numpy.polynomial import chebyshev
from scipy import fft, special

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument, LrinitVerifyError
from lrinit_verify.theory import edge

#: Default sup-distance between the tabulated and the exact CDF.
DEFAULT_TOL = 1e-9
#: Chebyshev degrees tried: 16, 32, ... up to this.
_MAX_DEGREE = 1024
#: Largest linear grid (cells) of the tabulated CDF (8 bytes per cell).
_MAX_CELLS = 2**23
#: Ensembles with an exact radius law: Glorot times this factor (halved: variance 1/(2n)).
RADIUS_FACTOR = {"glorot": 1.0, "halved_glorot": math.sqrt(0.5)}


class TableError(LrinitVerifyError):
    """The CDF could not be tabulated to the requested tolerance."""


def _score(u) -> np.ndarray:
    r"""Normal score :math:`\Phi^{-1}(u)`, finite: :math:`u` clipped to :math:`[10^{-300}, 1 - 2^{-53}]`."""
    return special.ndtri(np.clip(u, 1e-300, 1.0 - 2.0**-53))


def _cheb_points(degree: int) -> np.ndarray:
    return np.cos(np.pi * np.arange(degree + 1) / degree)


def _cheb_coefficients(values: np.ndarray) -> np.ndarray:
    """Chebyshev coefficients of the interpolant through values at :func:`_cheb_points` (DCT-I)."""
    c = fft.dct(values, type=1) / (len(values) - 1)
    c[0] /= 2
    c[-1] /= 2
    return c


class InverseCdfTable:
    r"""Tabulated inverse of a continuous CDF on :math:`[0, \infty)`, within sup-distance ``tol`` of it.

    **Arguments:** ``cdf`` a vectorised callable (array of radii -> array of probabilities),
    non-decreasing, continuous; ``tol`` in :math:`[10^{-12}, 10^{-2}]`; ``hint`` a radius in the bulk of the
    law (the search for the cut points starts there); ``max_evaluations`` caps the number of radii at
    which ``cdf`` is evaluated.

    **Attributes:** ``lower``, ``upper`` (the cut points :math:`a`, :math:`b`), ``degree`` (:math:`2N`), ``cells`` (:math:`M`),
    ``evaluations`` (radii at which ``cdf`` was evaluated), ``check_error`` (the step-1 check),
    ``tol``.

    >>> t = InverseCdfTable(lambda r: -np.expm1(-r), tol=1e-9)       # Exp(1)
    >>> bool(abs(t.quantile([0.5])[0] - math.log(2)) < 1e-8), t.evaluations < 200
    (True, True)
    """

    def __init__(self, cdf, *, tol=DEFAULT_TOL, hint=1.0, max_evaluations=2000):
        if not callable(cdf):
            raise InvalidArgument(f"cdf={cdf!r} must be a callable (array of radii -> probabilities)")
        self.tol = v.positive_real("tol", tol)
        if not 1e-12 <= self.tol <= 1e-2:
            raise InvalidArgument(f"tol={tol!r} must lie in [1e-12, 1e-2]")
        hint = v.positive_real("hint", hint)
        self._max_evaluations = v.positive_int("max_evaluations", max_evaluations)
        self._cdf = cdf
        self.evaluations = 0
        self.lower, self.upper = self._cut_points(hint)
        coef, self.check_error = self._chebyshev()
        self.degree = len(coef) - 1
        self._tabulate(coef)

    # --- evaluation -------------------------------------------------------------------------------

    def _f(self, r) -> np.ndarray:
        r = np.atleast_1d(np.asarray(r, dtype=np.float64))
        self.evaluations += r.size
        if self.evaluations > self._max_evaluations:
            raise TableError(f"max_evaluations={self._max_evaluations} reached before tol={self.tol:g}")
        u = np.asarray(self._cdf(r), dtype=np.float64).reshape(r.shape)
        if not np.all(np.isfinite(u)) or np.any(u < 0) or np.any(u > 1):
            raise TableError(f"cdf returned values outside [0, 1] at r={r.tolist()}")
        return u

    def _cut_points(self, hint: float):
        """Radii a < b with F(a) and 1 - F(b) in [tol/64, tol/4] (a = 0 if F(0) is already above tol/64)."""
        cut = self.tol / 4
        b, step = hint, hint / 8
        while 1.0 - self._f(b)[0] > cut:
            b, step = b + step, 2 * step
        a, step = hint, hint / 8
        while a > 0 and self._f(a)[0] > cut:
            a, step = max(0.0, a - step), 2 * step
        a = self._tighten(a, b, lambda u: u, cut)
        b = self._tighten(b, a, lambda u: 1.0 - u, cut)
        return a, b

    def _tighten(self, out, inside, mass, cut):
        """Move the cut point ``out`` (tail mass <= cut) towards ``inside`` until its mass is >= cut/16.

        Regula falsi on the normal score of the tail mass, alternating with bisection."""
        target = _score(cut / 4)
        u_out, u_in = self._f(out)[0], self._f(inside)[0]
        for step in range(200):
            if out == 0.0 or mass(u_out) >= cut / 16:
                return out
            z_out, z_in = _score(mass(u_out)), _score(mass(u_in))
            r = 0.5 * (out + inside)
            if step % 2 == 0 and z_in != z_out:
                t = out + (target - z_out) * (inside - out) / (z_in - z_out)
                r = t if min(out, inside) < t < max(out, inside) else r
            u = self._f(r)[0]
            if mass(u) <= cut:
                out, u_out = r, u
            else:
                inside, u_in = r, u
        raise TableError(f"could not place a cut point with tail mass in [{cut / 16:g}, {cut:g}]")

    # --- construction -------------------------------------------------------------------------------

    def _radii(self, x):
        return self.lower + (self.upper - self.lower) * (np.asarray(x) + 1.0) / 2.0

    def _chebyshev(self):
        """(coefficients of the degree-2N interpolant, error of the degree-N one at the new points)."""
        degree = 16
        values = self._f(self._radii(_cheb_points(degree)))
        while degree <= _MAX_DEGREE:
            coef = _cheb_coefficients(values)
            new_x = _cheb_points(2 * degree)[1::2]
            new = self._f(self._radii(new_x))
            error = float(np.max(np.abs(chebyshev.chebval(new_x, coef) - new)))
            both = np.empty(2 * degree + 1)
            both[0::2], both[1::2] = values, new
            if error <= self.tol / 2:
                return _cheb_coefficients(both), error
            values, degree = both, 2 * degree
        raise TableError(f"Chebyshev degree {_MAX_DEGREE} does not reach tol={self.tol:g} (cdf not smooth?)")

    def _tabulate(self, coef: np.ndarray) -> None:
        second = chebyshev.chebder(coef, 2)
        probe = np.cos(np.pi * (np.arange(16 * self.degree) + 0.5) / (16 * self.degree))
        curvature = 1.1 * float(np.max(np.abs(chebyshev.chebval(probe, second)))) + 1e-300
        # linear interpolation error h^2 max|P''| / 8 <= tol / 4, with h in x on [-1, 1]
        cells = math.ceil(2.0 / math.sqrt(2.0 * self.tol / curvature))
        if cells > _MAX_CELLS:
            raise TableError(f"the table would need {cells} cells (> {_MAX_CELLS}) for tol={self.tol:g}")
        self.cells = max(cells, 1)
        u = np.maximum.accumulate(
            np.clip(chebyshev.chebval(np.linspace(-1.0, 1.0, self.cells + 1), coef), 0, 1)
        )
        u[0], u[-1] = 0.0, 1.0
        self._u = u
        self._h = (self.upper - self.lower) / self.cells

    # --- use --------------------------------------------------------------------------------------

    def cdf(self, r) -> np.ndarray:
        r""":math:`\tilde F(r)`, the CDF of the tabulated law."""
        grid = self.lower + self._h * np.arange(self.cells + 1)
        return np.interp(np.asarray(r, dtype=np.float64), grid, self._u)

    def quantile(self, p) -> np.ndarray:
        r""":math:`\tilde F^{-1}(p) = \inf\{r : \tilde F(r) \ge p\}` for :math:`p` in :math:`[0, 1)` (exact inverse)."""
        p = np.asarray(p, dtype=np.float64)
        if p.size and not (np.all(p >= 0) and np.all(p < 1)):
            raise InvalidArgument(f"p={p.tolist()!r} must lie in [0, 1)")
        j = np.searchsorted(self._u, p, side="right") - 1  # u[j] <= p < u[j + 1]
        frac = (p - self._u[j]) / (self._u[j + 1] - self._u[j])
        return self.lower + self._h * (j + frac)

    def sample(self, size, rng: np.random.Generator) -> np.ndarray:
        """``size`` independent draws from the tabulated law (``rng`` a numpy Generator)."""
        size = v.nonnegative_int("size", size)
        return self.quantile(v.rng_from(rng=rng).random(size))

    def __repr__(self) -> str:
        return (
            f"InverseCdfTable([{self.lower:.6g}, {self.upper:.6g}], degree={self.degree}, cells={self.cells}, "
            f"evaluations={self.evaluations}, tol={self.tol:g}, check_error={self.check_error:.2g})"
        )


# --- the Gaussian Glorot radius laws -----------------------------------------------------------------


def has_exact_law(ensemble: str, field: str) -> bool:
    """Whether :func:`exact_radii` can sample ``ensemble`` in ``field``.

    >>> has_exact_law("glorot", "complex"), has_exact_law("orthogonal", "complex")
    (True, False)
    """
    return ensemble in RADIUS_FACTOR and field in ("complex", "real")


def _real_cdf(n: int):
    return lambda r: edge.spectral_radius_cdf_array(r, n, field="real")


#: Built real tables, by ``(n, tol)`` (a table of n = 4096 holds a few hundred nodes).
_TABLES: dict[tuple[int, float], InverseCdfTable] = {}


def real_radius_table(n: int, tol: float = DEFAULT_TOL) -> InverseCdfTable:
    """The table of the exact real-Glorot radius law at width ``n``, built once per ``(n, tol)``."""
    key = (int(n), float(tol))
    if key not in _TABLES:
        _TABLES[key] = InverseCdfTable(_real_cdf(key[0]), tol=key[1])
    return _TABLES[key]


def forget_tables() -> None:
    """Drop every built real table (the bench times builds from scratch)."""
    _TABLES.clear()


def real_table_cached(n: int, tol: float = DEFAULT_TOL) -> bool:
    """Whether :func:`real_radius_table` for ``(n, tol)`` is already built in this process."""
    return (int(n), float(tol)) in _TABLES


def exact_radii(n, trials, *, field, ensemble="glorot", scale=1.0, rng, tol=DEFAULT_TOL) -> np.ndarray:
    r"""``trials`` spectral radii of ``ensemble`` (Gaussian) in ``field``, drawn from the exact law.

    :math:`\rho(cW) = |c|\rho(W)`: the Glorot law times ``|scale|`` (and :math:`1/\sqrt2` for ``halved_glorot``).

    >>> r = exact_radii(512, 2000, field="complex", rng=np.random.default_rng(0))
    >>> r.shape, bool(1.0 < np.median(r) < 1.1)
    ((2000,), True)
    """
    if not has_exact_law(ensemble, field):
        raise InvalidArgument(f"ensemble={ensemble!r}, field={field!r}: no exact radius law available")
    factor = abs(scale) * RADIUS_FACTOR[ensemble]
    if field == "complex":
        return factor * edge.sample_radius_kostlan(n, trials, rng=rng)
    return factor * real_radius_table(n, tol).sample(trials, rng)
