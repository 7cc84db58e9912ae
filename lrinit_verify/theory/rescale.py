r"""Calibrated rescaling of Glorot and explosion lengths (THEORY.md §1.4, §2, §4).

* :func:`calibrated_scale` — the $p$-quantile $s$ of $\rho(W)$ for Glorot $W$ of width $n$, so that
  $W / s$ satisfies $P(\rho \le 1) = p$ **exactly** (complex: Kostlan's product inverted to about
  $10^{-12}$; real: a shipped Monte Carlo calibration, interpolated in $n$, with a stated interval).
* :func:`explosion_length` — the first $t$ at which the predicted energy of $cW$ crosses a
  threshold, from a radius quantile ($\rho^{2t}$) or from the exact energies $c^{2t} S_{n,t}$.
* :func:`critical_length` — the $\sqrt n$ scale of the finite-width energy correction.

The paper's asymptotic factor $c_n$ lives in :func:`lrinit_verify.theory.edge.rescale_factor`.

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
from scipy import stats as _st

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.theory.edge import (  # noqa: F401
    GUMBEL_MEAN_PLUS_STD,
    log_spectral_radius_cdf,
    rescale_factor,
    spectral_radius_cdf,
)

#: The paper's nominal guarantee $\exp(-e^{-x^*}) \approx 0.856$ (asymptotic, complex Gumbel law).
NOMINAL_PROBABILITY = math.exp(-math.exp(-GUMBEL_MEAN_PLUS_STD))
#: Default energy threshold for :func:`explosion_length`: $\|h_t\|^2$ grown a hundredfold.
EXPLOSION_THRESHOLD = 100.0
#: Name of the shipped real-field calibration file (package data of :mod:`lrinit_verify`).
REAL_CALIBRATION_FILE = "real_calibration.json"
_METHODS = ("radius", "energy")


# --- order statistics -------------------------------------------------------------------------


def order_statistic_interval(sample, p, *, alpha) -> tuple[float, float, float]:
    r"""Empirical $p$-quantile of ``sample`` and a distribution-free two-sided $1-\alpha$ interval.

    The interval is $[X_{(l)}, X_{(u)}]$ with $l$ the largest and $u$ the smallest index such that
    $P(\mathrm{Bin}(m, p) \le l-1) \le \alpha/2$ and $P(\mathrm{Bin}(m, p) \ge u) \le \alpha/2$
    (exact for continuous laws, the dual of Clopper–Pearson). An end that no order statistic reaches
    is $\mp\infty$.

    >>> q, lo, hi = order_statistic_interval(np.arange(1.0, 1001.0), 0.5, alpha=0.01)
    >>> q, lo <= 500 <= hi
    (500.0, True)
    """
    x = np.asarray(sample, dtype=np.float64)
    if np.isnan(x).any():
        raise InvalidArgument(f"sample has {int(np.isnan(x).sum())} NaN value(s); an order statistic of NaN is meaningless")
    x = np.sort(x)
    m = v.positive_int("len(sample)", len(x))
    p = v.probability("p", p, open_interval=True)
    alpha = v.probability("alpha", alpha, open_interval=True)
    k = np.arange(0, m + 2)
    below = _st.binom.cdf(k - 1, m, p)  # P(Bin <= k-1): P(X_(k) > quantile)
    above = _st.binom.sf(k - 1, m, p)  # P(Bin >= k):   P(X_(k) < quantile)
    ok_lo = np.flatnonzero((below <= alpha / 2) & (k >= 1) & (k <= m))
    ok_hi = np.flatnonzero((above <= alpha / 2) & (k >= 1) & (k <= m))
    lo = float(x[k[ok_lo[-1]] - 1]) if ok_lo.size else -math.inf
    hi = float(x[k[ok_hi[0]] - 1]) if ok_hi.size else math.inf
    q = float(x[max(0, math.ceil(m * p) - 1)])
    return q, lo, hi


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

    Keys: ``seed``, ``alpha`` (pointwise error of each quantile interval), ``levels`` (the $p$
    grid), ``widths`` (one record per calibrated $n$ with ``trials``, ``quantile``, ``lower``,
    ``upper``), and ``valid`` (``n_min``, ``n_max``, ``p_min``, ``p_max``).

    >>> cal = real_calibration()
    >>> cal["valid"]["n_min"] <= 64 <= cal["valid"]["n_max"]
    True
    """
    text = resources.files("lrinit_verify").joinpath("data", REAL_CALIBRATION_FILE).read_text("utf-8")
    return json.loads(text)


def _real_valid(n: int, p: float) -> None:
    valid = real_calibration()["valid"]
    if not valid["n_min"] <= n <= valid["n_max"]:
        raise InvalidArgument(
            f"n={n!r} is outside the real calibration range {valid['n_min']}..{valid['n_max']} "
            "(scripts/calibrate_real.py); use field='complex' (exact) or estimate by Monte Carlo"
        )
    if not valid["p_min"] <= p <= valid["p_max"]:
        raise InvalidArgument(
            f"p={p!r} is outside the real calibration range [{valid['p_min']}, {valid['p_max']}]"
        )


def _interp_weights(grid, value):
    """Index i and weight w with value = (1-w) grid[i] + w grid[i+1] (grid increasing)."""
    grid = np.asarray(grid, dtype=np.float64)
    i = int(np.clip(np.searchsorted(grid, value, side="right") - 1, 0, len(grid) - 2))
    w = (value - grid[i]) / (grid[i + 1] - grid[i])
    return i, float(w)


def _real_ratio(n: int, p: float, key: str) -> float:
    """Bilinear interpolation (log n, p) of calibrated real quantile / exact complex quantile."""
    cal = real_calibration()
    levels = cal["levels"]
    records = cal["widths"]
    widths = [r["n"] for r in records]
    j, wp = _interp_weights(levels, p)
    i, wn = _interp_weights(np.log(widths), math.log(n))
    out = 0.0
    for ii, a in ((i, 1 - wn), (i + 1, wn)):
        for jj, b in ((j, 1 - wp), (j + 1, wp)):
            if a * b == 0.0:
                continue
            rec = records[ii]
            value = rec[key][jj]
            value = (math.inf if key == "upper" else -math.inf) if value is None else value
            ratio = value / _complex_quantile(rec["n"], levels[jj])
            out += a * b * ratio
    return out


def calibrated_scale(n, p, *, field="complex") -> float:
    r"""The $p$-quantile $s$ of $\rho(W)$, $W$ Glorot of width $n$: $P(\rho(W) \le s) = p$.

    Dividing $W$ by $s$ gives $P(\rho \le 1) = p$ at this $n$ (THEORY.md §4, exact calibration).

    * ``field="complex"``: exact, Kostlan's product $\prod_k P(k, n s^2) = p$ solved by Brent's
      method on its logarithm (absolute error about $10^{-12}$ or better).
    * ``field="real"``: from the shipped Monte Carlo calibration (:func:`real_calibration`): the
      ratio of the real to the exact complex quantile is interpolated linearly in
      $(\log n, p)$. Valid for the calibrated widths and levels only (``ValueError`` outside);
      :func:`calibration_interval` gives its stated interval.

    >>> round(calibrated_scale(1, 1 - math.exp(-1), field="complex"), 12)
    1.0
    >>> 0.9 < calibrated_scale(64, 0.856, field="real") < 1.3
    True
    """
    n = v.positive_int("n", n)
    p = v.probability("p", p, open_interval=True)
    if v.field(field) == "complex":
        return _complex_quantile(n, p)
    _real_valid(n, p)
    return _real_ratio(n, p, "quantile") * _complex_quantile(n, p)


def calibration_interval(n, p, *, field="real") -> tuple[float, float]:
    r"""Interval for :func:`calibrated_scale`: exact (a point) for complex; for real the
    order-statistic $1-\alpha$ interval of the Monte Carlo quantile (``alpha`` in the data file),
    interpolated like the estimate. At calibrated widths and levels it is a genuine confidence
    interval; in between it also relies on the smoothness of the interpolation.

    >>> lo, hi = calibration_interval(128, 0.856)
    >>> lo < calibrated_scale(128, 0.856, field="real") < hi
    True
    """
    n = v.positive_int("n", n)
    p = v.probability("p", p, open_interval=True)
    if v.field(field) == "complex":
        s = _complex_quantile(n, p)
        return s, s
    _real_valid(n, p)
    s = _complex_quantile(n, p)
    return _real_ratio(n, p, "lower") * s, _real_ratio(n, p, "upper") * s


def calibrated_factor(n, p, *, field="complex") -> float:
    r"""The factor $1/s$ that makes $P(\rho(W/s) \le 1) = p$ (compare with the paper's $c_n$).

    >>> round(calibrated_factor(1024, 0.856) / rescale_factor(1024), 3) > 1
    True
    """
    return 1.0 / calibrated_scale(n, p, field=field)



# --- explosion lengths ------------------------------------------------------------------------


def critical_length(n, *, c=1.0) -> float:
    r"""$t = c\sqrt n$: the length where the first finite-width energy correction $t^4/(24n^2)$ is
    of order one and $S_{n,t} \to F(c) = \sinh(c^2/2)/(c^2/2)$ (THEORY.md §3).

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


def explosion_length(n, *, factor=1.0, threshold=EXPLOSION_THRESHOLD, method="radius", p=0.5,
                     field="complex", max_length=10**7) -> float:
    r"""First length $t$ at which the predicted energy of $W' = \text{factor}\cdot W$ exceeds ``threshold``.

    $W$ is Glorot of width $n$; ``factor`` is e.g. the paper's $c_n$ or a calibrated factor.

    * ``method="radius"``: $\rho_p^{2t} \ge$ threshold with $\rho_p$ the $p$-quantile of
      $\rho(W')$ (exact for complex, calibrated for real): at this $t$ a fraction $1-p$ of
      matrices has grown by the threshold asymptotically. ``inf`` when $\rho_p \le 1$.
    * ``method="energy"`` (complex): the mean energy $c^{2t} S_{n,t}$ (exact, from
      :func:`lrinit_verify.theory.energy.log_energy`), first crossing located by doubling and bisection
      (assumes one crossing); ``inf`` if not crossed by ``max_length``. For finite $n$ the mean
      energy eventually crosses any threshold for every factor $c > 0$, because it is dominated
      by rare matrices with a large radius.

    With ``factor=1`` this is the critical length of Glorot at width $n$.

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
        raise InvalidArgument("field='real': exact energies (method='energy') are implemented for complex only")
    return _energy_length(n, factor, threshold, max_length)
