r"""Calibrated rescaling of Glorot and explosion lengths (THEORY.md §1.4, §2, §4).

* :func:`calibrated_scale` — the :math:`p`-quantile :math:`s` of :math:`\rho(W)` for Glorot :math:`W` of width :math:`n`, so that
  :math:`W / s` satisfies :math:`P(\rho \le 1) = p` **exactly** (complex: Kostlan's product inverted to about
  :math:`10^{-12}`; real: Sinclair's Pfaffian law, :mod:`lrinit_verify.theory.real_law`, at every width).
  The shipped Monte Carlo calibration (:func:`real_calibration`) remains as an independent witness.
* :func:`explosion_length` — the first :math:`t` at which the predicted energy of :math:`cW` crosses a
  threshold, from a radius quantile (:math:`\rho^{2t}`) or from the exact energies :math:`c^{2t} S_{n,t}`.
* :func:`critical_length` — the :math:`\sqrt n` scale of the finite-width energy correction.

The paper's asymptotic factor :math:`c_n` lives in :func:`lrinit_verify.theory.edge.rescale_factor`.

Example:
    >>> s = calibrated_scale(16, 0.5, field="complex")
    >>> abs(spectral_radius_cdf(s, 16) - 0.5) < 1e-12
    True
    >>> explosion_length(1024, factor=1.0) < explosion_length(1024, factor=1.0, threshold=1e4)
    True
"""

from __future__ import annotations

import functools
import importlib
import json
import math
from importlib import resources

import numpy as np
from scipy import optimize

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.theory.edge import (  # noqa: F401
    GUMBEL_MEAN_PLUS_STD,
    kostlan_width,
    log_spectral_radius_cdf,
    rescale_factor,
    spectral_radius_cdf,
)

#: The paper's nominal guarantee :math:`\exp(-e^{-x^*}) \approx 0.856` (asymptotic, complex Gumbel law).
NOMINAL_PROBABILITY = math.exp(-math.exp(-GUMBEL_MEAN_PLUS_STD))
#: Default energy threshold for :func:`explosion_length`: :math:`\|h_t\|^2` grown a hundredfold.
EXPLOSION_THRESHOLD = 100.0
#: Name of the shipped real-field calibration file (package data of :mod:`lrinit_verify`).
REAL_CALIBRATION_FILE = "real_calibration.json"
_METHODS = ("radius", "energy")


# --- complex: exact inversion of Kostlan's product --------------------------------------------


@functools.lru_cache(maxsize=4096)
def _complex_quantile(n: int, p: float) -> float:
    target = math.log(p)

    def f(s):
        return log_spectral_radius_cdf(s, n) - target

    # Bracket near the edge (width ~ 1/sqrt(n)) so that no Kostlan term underflows needlessly.
    d_lo = d_hi = min(0.5, 3.0 / math.sqrt(n))
    while f(1.0 - d_lo) > 0:
        d_lo = d_lo + (1.0 - d_lo) / 2.0
    while f(1.0 + d_hi) < 0:
        d_hi *= 2.0
    lo, hi = 1.0 - d_lo, 1.0 + d_hi
    return float(optimize.brentq(f, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=200))


# --- real: the shipped Monte Carlo calibration --------------------------------------------------


@functools.lru_cache(maxsize=1)
def real_calibration() -> dict:
    """The shipped real-field calibration (see ``scripts/calibrate_real.py``), as a dict.

    Keys: ``seed``, ``alpha`` (pointwise error of each quantile interval), ``levels`` (the :math:`p`
    grid), ``widths`` (one record per calibrated :math:`n` with ``trials``, ``quantile``, ``lower``,
    ``upper``), and ``valid`` (``n_min``, ``n_max``, ``p_min``, ``p_max``).

    >>> cal = real_calibration()
    >>> cal["valid"]["n_min"] <= 64 <= cal["valid"]["n_max"]
    True
    """
    text = resources.files("lrinit_verify").joinpath("data", REAL_CALIBRATION_FILE).read_text("utf-8")
    return json.loads(text)


def calibrated_scale(n, p, *, field="complex") -> float:
    r"""The :math:`p`-quantile :math:`s` of :math:`\rho(W)`, :math:`W` Glorot of width :math:`n`: :math:`P(\rho(W) \le s) = p`.

    Dividing :math:`W` by :math:`s` gives :math:`P(\rho \le 1) = p` at this :math:`n` (THEORY.md §4, exact calibration).

    * ``field="complex"``: exact, Kostlan's product :math:`\prod_k P(k, n s^2) = p` solved by Brent's
      method on its logarithm (absolute error about :math:`10^{-12}` or better).
    * ``field="real"``: exact at every width, the inverse of the Pfaffian law
      (:func:`lrinit_verify.theory.real_law.real_radius_quantile`, relative error about 1e-12;
      cached; about 10 s per evaluation of the law at :math:`n = 65536`, so ~2 min for a new quantile there).

    >>> round(calibrated_scale(1, 1 - math.exp(-1), field="complex"), 12)
    1.0
    >>> 0.9 < calibrated_scale(64, 0.856, field="real") < 1.3
    True
    """
    n = v.positive_int("n", n)
    p = v.probability("p", p, open_interval=True)
    if v.field(field) == "complex":
        return _complex_quantile(kostlan_width(n), p)
    from lrinit_verify.theory.real_law import real_radius_quantile

    return real_radius_quantile(p, n)


def calibration_interval(n, p, *, field="real") -> tuple[float, float]:
    r"""Interval for :func:`calibrated_scale`: both fields are now exact, so it is the point :math:`(s, s)`.

    (The Monte Carlo order-statistic intervals of the real calibration file are available through
    :func:`real_calibration`; they serve as an independent witness of the exact real law.)

    >>> lo, hi = calibration_interval(128, 0.856)
    >>> lo == calibrated_scale(128, 0.856, field="real") == hi
    True
    """
    n = v.positive_int("n", n)
    p = v.probability("p", p, open_interval=True)
    s = calibrated_scale(n, p, field=field)
    return s, s


def calibrated_factor(n, p, *, field="complex") -> float:
    r"""The factor :math:`1/s` that makes :math:`P(\rho(W/s) \le 1) = p` (compare with the paper's :math:`c_n`).

    >>> round(calibrated_factor(1024, 0.856) / rescale_factor(1024), 3) > 1
    True
    """
    return 1.0 / calibrated_scale(n, p, field=field)


# --- explosion lengths ------------------------------------------------------------------------


def critical_length(n, *, c=1.0) -> float:
    r""":math:`t = c\sqrt n`: the length where the first finite-width energy correction :math:`t^4/(24n^2)` is
    of order one and :math:`S_{n,t} \to F(c) = \sinh(c^2/2)/(c^2/2)` (THEORY.md §3).

    >>> critical_length(1024)
    32.0
    """
    n = v.positive_int("n", n)
    c = v.positive_real("c", c)
    return c * math.sqrt(n)


def energy_engine():
    """The exact-energy module :mod:`lrinit_verify.theory.energy` if installed, else ``None``."""
    try:
        module = importlib.import_module("lrinit_verify.theory.energy")
    except ImportError:
        return None
    return module if hasattr(module, "log_energy") else None


def _radius_length(n, factor, threshold, p, field) -> float:
    rho = factor * calibrated_scale(n, p, field=field)
    if rho <= 1.0:
        return math.inf
    return float(math.ceil(math.log(threshold) / (2.0 * math.log(rho))))


def _energy_length(n, factor, threshold, max_length) -> float:
    engine = energy_engine()
    if engine is None:
        raise InvalidArgument(
            "method='energy' needs lrinit_verify.theory.energy.log_energy (the exact energy engine), "
            "which is not available in this installation; use method='radius'"
        )
    log_c2, log_th = 2.0 * math.log(factor), math.log(threshold)

    def crossed(t: int) -> bool:
        return engine.log_energy(n, t) + t * log_c2 >= log_th

    hi = 1
    while not crossed(hi):
        if hi >= max_length:
            return math.inf
        hi = min(2 * hi, max_length)
    lo = hi // 2  # not crossed (or 0, where the energy is 1 < threshold)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if crossed(mid) else (mid, hi)
    return float(hi)


def explosion_length(
    n, *, factor=1.0, threshold=EXPLOSION_THRESHOLD, method="radius", p=0.5, field="complex", max_length=10**7
) -> float:
    r"""First length :math:`t` at which the predicted energy of :math:`W' = \text{factor}\cdot W` exceeds ``threshold``.

    :math:`W` is Glorot of width :math:`n`; ``factor`` is e.g. the paper's :math:`c_n` or a calibrated factor.

    * ``method="radius"``: :math:`\rho_p^{2t} \ge` threshold with :math:`\rho_p` the :math:`p`-quantile of
      :math:`\rho(W')` (exact for complex, calibrated for real): at this :math:`t` a fraction :math:`1-p` of
      matrices has grown by the threshold asymptotically. ``inf`` when :math:`\rho_p \le 1`.
    * ``method="energy"`` (complex): the mean energy :math:`c^{2t} S_{n,t}` (exact, from
      :func:`lrinit_verify.theory.energy.log_energy`), first crossing located by doubling and bisection
      (assumes one crossing); ``inf`` if not crossed by ``max_length``. For finite :math:`n` the mean
      energy eventually crosses any threshold for every factor :math:`c > 0`, because it is dominated
      by rare matrices with a large radius.

    With ``factor=1`` this is the critical length of Glorot at width :math:`n`.

    >>> explosion_length(1024)
    91.0
    >>> explosion_length(1024, factor=rescale_factor(1024))
    inf
    """
    n = v.positive_int("n", n)
    factor = v.positive_real("factor", factor)
    threshold = v.positive_real("threshold", threshold)
    if threshold <= 1.0:
        raise InvalidArgument(f"threshold={threshold!r} must exceed 1 (the energy at t = 0)")
    method = v.choice("method", method, _METHODS)
    max_length = v.positive_int("max_length", max_length)
    if method == "radius":
        return _radius_length(n, factor, threshold, v.probability("p", p, open_interval=True), v.field(field))
    if v.field(field) != "complex":
        raise InvalidArgument(
            "field='real': exact energies (method='energy') are implemented for complex only"
        )
    return _energy_length(n, factor, threshold, max_length)
