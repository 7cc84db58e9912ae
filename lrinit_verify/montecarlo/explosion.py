r"""Simulated explosion lengths: quantiles of the first time the energy crosses a threshold.

:func:`lrinit_verify.theory.rescale.explosion_length` *predicts* a length from a radius quantile
(:math:`\rho_p^{2t} \ge K`); it ignores the overlap of the start vector with the top eigenvector (about
:math:`1/n`) and transient growth. This module *measures* it. Two definitions (:data:`DEFINITIONS`):

* ``"homogeneous"``: :math:`T = \min\{t \ge 1 : \|W^t x\|^2 \ge K\}` with :math:`x` uniform on the unit
  sphere (real or complex, as :math:`W`), one :math:`x` per matrix;
* ``"driven"``: :math:`T = \min\{t \ge 1 : \|h_t\|^2 \ge K\,t\}` for :math:`h_t = W h_{t-1} + u_t`, :math:`h_0 = 0`,
  :math:`u_t` iid :math:`N(0, I/n)` (complex: :math:`N_{\mathbb C}(0, I/n)`), so that :math:`E\|u_t\|^2 = 1` and
  :math:`K t = K\,E\|h_t\|^2` under an orthogonal :math:`W` (the stable baseline :math:`\sigma^2 t`, :math:`\sigma^2 = 1`).

:math:`T` is drawn once per matrix, so the sample is iid and the :math:`q`-quantile of :math:`T` gets the
distribution-free order-statistic interval of :func:`lrinit_verify.theory.rescale.order_statistic_interval`
(conservative for this integer-valued :math:`T`). "Worst 1 %" is the :math:`0.01`-quantile: the length by which
1 % of (matrix, start) pairs have exploded. A run is **censored** at ``max_length``: :math:`T >`
``max_length`` is recorded as ``inf``, a quantile that falls there is reported as ``"> max_length"``
(never as a number) and an interval end there is ``inf`` (no bound).

The trajectories come from :mod:`lrinit_verify.montecarlo.trajectories` (its blocked, renormalised products),
on its dense route: with one start vector per matrix the Hessenberg route's per-matrix ``?trmm``
calls are slower (measured 3.5x at :math:`n = 256`, 200 matrices, 400 steps).

Example:
    >>> res = explosion_length_quantiles(16, quantiles=(0.5, 0.01), trials=200, max_length=200, seed=0)
    >>> res.definition, res.by_quantile[0.01].estimate <= res.by_quantile[0.5].estimate
    ('homogeneous', True)
    >>> scaled = crossing_times(lambda rng: 2.0 * np.eye(4), 4, trials=3, max_length=10, seed=0)
    >>> scaled.tolist()                           # ||(2I)^t x||^2 = 4^t >= 100 first at t = 4
    [4.0, 4.0, 4.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.montecarlo import trajectories as T
from lrinit_verify.montecarlo.crossings import (
    _as_batch,
    _check_run,
    _sequence,
    crossings_from_logs,
    first_crossings,
)
from lrinit_verify.rigor.stats import order_statistic_interval
from lrinit_verify.theory.edge import rescale_factor
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY, calibrated_scale

DEFINITIONS = {
    "homogeneous": "first t >= 1 with ||W^t x||^2 >= K, x uniform on the unit sphere, one x per matrix",
    "driven": "first t >= 1 with ||h_t||^2 >= K*t, h_t = W h_(t-1) + u_t, h_0 = 0, u_t iid N(0, I/n) "
    "(K*t = K times E||h_t||^2 under an orthogonal W)",
}
#: Named inits: each is (ensemble, scale(n, field)) of :mod:`lrinit_verify.sampling.ensembles`, the laws of
#: :data:`lrinit_verify.sampling.init.MATRIX_INITIALISERS`.
INITS = ("glorot", "rescaled_glorot", "calibrated_glorot", "halved_glorot", "orthogonal")
DEFAULT_QUANTILES = (0.5, 0.01, 0.001)


def _named(init: str, n: int, field: str) -> tuple[str, float]:
    """(ensemble, scale) for a named init; ``ValueError`` where its factor is undefined at ``n``."""
    if init == "rescaled_glorot":
        return "glorot", rescale_factor(n)
    if init == "calibrated_glorot":
        return "glorot", 1.0 / calibrated_scale(n, NOMINAL_PROBABILITY, field=field)
    return init, 1.0


def _sampled_chunk(sampler, n, size, child) -> np.ndarray:
    rng = np.random.default_rng(child)
    parts, got = [], 0
    while got < size:
        batch = _as_batch(sampler(rng), n)
        parts.append(batch)
        got += len(batch)
    return np.concatenate(parts)[:size]


def _sampler_times(sampler, n, trials, field, threshold, max_length, driven, seq):
    size = T._chunk(n, trials, 1, max_length + 1, "complex", T.DEFAULT_MEM_CAP, True)
    out = np.empty(trials)
    for s, child in zip(range(0, trials, size), seq.spawn(-(-trials // size))):
        mats, starts = child.spawn(2)
        w = _sampled_chunk(sampler, n, min(size, trials - s), mats)
        if (w.dtype.kind == "c") != (field == "complex"):
            raise InvalidArgument(
                f"sampler returned {w.dtype} matrices but field={field!r}; pass the matching field"
            )
        out[s : s + len(w)] = first_crossings(
            w, threshold=threshold, max_length=max_length, driven=driven, seed=starts
        )
    return out


def crossing_times(
    sampler,
    n,
    *,
    trials=1000,
    field="real",
    threshold=100.0,
    max_length=1024,
    driven=False,
    seed=None,
    rng=None,
) -> np.ndarray:
    r"""An iid sample of first-crossing times :math:`T` for ``trials`` matrices from ``sampler``.

    **Arguments:**

    - ``sampler``: a name in :data:`INITS` (with ``field``), or a callable ``sampler(rng)`` returning
      one ``(n, n)`` matrix or a batch ``(B, n, n)`` drawn from the numpy Generator ``rng`` (its
      dtype sets the field; ``field`` is then unused). It is called until ``trials`` matrices exist.
    - ``n`` width; ``threshold`` :math:`K`; ``max_length``; ``driven`` (see :data:`DEFINITIONS`).
    - ``seed`` / ``rng``: explicit randomness (exactly one).

    **Returns:** float array ``(trials,)``, ``inf`` where :math:`T >` ``max_length`` (censored).

    >>> t = crossing_times("orthogonal", 8, trials=5, max_length=20, seed=0)
    >>> bool(np.isinf(t).all())                 # ||W^t x|| = 1 never reaches 100
    True
    """
    n = v.positive_int("n", n)
    trials = v.positive_int("trials", trials)
    field = v.field(field)
    threshold, max_length, driven = _check_run(threshold, max_length, driven)
    if not (callable(sampler) or isinstance(sampler, str)):
        raise InvalidArgument(f"sampler={sampler!r} must be one of {INITS} or a callable sampler(rng)")  # noqa: TRY004
    seq = _sequence(seed, rng)
    if callable(sampler):
        return _sampler_times(sampler, n, trials, field, threshold, max_length, driven, seq)
    ensemble, scale = _named(v.choice("sampler", sampler, INITS), n, field)
    kw = {"ensemble": ensemble, "field": field, "scale": scale, "seed": int(seq.generate_state(1)[0])}
    if driven:
        logs = T.hidden_state_trajectories(n, max_length, trials, **kw)
    else:  # one probe per matrix: batched dense products beat the Hessenberg route's per-matrix ?trmm
        logs = T.energy_trajectories(n, max_length, trials, route="dense", **kw)
    return crossings_from_logs(logs[:, 0, :], threshold, driven=driven)


@dataclass(frozen=True)
class CrossingQuantile:
    """The ``q``-quantile of :math:`T`: ``estimate`` (an int, or ``"> L"`` when censored at ``L``) and a
    ``1 - alpha`` order-statistic ``interval`` ``(lo, hi)`` (``lo >= 1`` always, since :math:`T \\ge 1`;
    ``hi = inf``: no upper bound, the interval reaches the censored or unobserved region)."""

    q: float
    estimate: int | str
    interval: tuple[int, float]
    alpha: float

    @property
    def censored(self) -> bool:
        return isinstance(self.estimate, str)

    def text(self) -> str:
        hi = "inf" if math.isinf(self.interval[1]) else str(int(self.interval[1]))
        return f"{self.estimate} [{self.interval[0]}, {hi}]"


def quantile_summary(times, q, *, max_length, alpha=1e-3) -> CrossingQuantile:
    r"""Order-statistic estimate :math:`T_{(\lceil mq \rceil)}` and interval of the ``q``-quantile of a sample.

    >>> quantile_summary([3, 5, np.inf, np.inf], 0.5, max_length=9, alpha=0.5).text()
    '5 [3, inf]'
    >>> quantile_summary([3, np.inf, np.inf], 0.9, max_length=9, alpha=0.5).estimate
    '> 9'
    """
    x = np.asarray(times, dtype=np.float64)
    max_length = v.positive_int("max_length", max_length)
    est, lo, hi = order_statistic_interval(x, v.probability("q", q, open_interval=True), alpha=alpha)
    lo = 1 if math.isinf(lo) and lo < 0 else min(lo, max_length + 1)
    estimate = f"> {max_length}" if math.isinf(est) else int(est)
    return CrossingQuantile(float(q), estimate, (int(lo), hi if math.isinf(hi) else int(hi)), float(alpha))


@dataclass(frozen=True)
class ExplosionLengths:
    """Simulated explosion-length quantiles of one init at one width (see :func:`explosion_length_quantiles`)."""

    n: int
    init: str
    field: str
    definition: str
    threshold: float
    trials: int
    max_length: int
    censored: int
    by_quantile: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        rows = {
            str(q): {
                "estimate": c.estimate,
                "interval": [c.interval[0], _json_end(c.interval[1])],
                "alpha": c.alpha,
            }
            for q, c in self.by_quantile.items()
        }
        return {
            "n": self.n,
            "init": self.init,
            "field": self.field,
            "definition": self.definition,
            "meaning": DEFINITIONS[self.definition],
            "threshold": self.threshold,
            "trials": self.trials,
            "max_length": self.max_length,
            "censored": self.censored,
            "quantiles": rows,
        }


def _json_end(x):
    return "inf" if math.isinf(x) else x


def explosion_length_quantiles(
    n,
    *,
    field="real",
    init="glorot",
    threshold=100.0,
    quantiles=DEFAULT_QUANTILES,
    trials=1000,
    max_length=1024,
    driven=False,
    alpha=1e-3,
    seed=None,
    rng=None,
) -> ExplosionLengths:
    r"""Simulated quantiles of the explosion length :math:`T` (:data:`DEFINITIONS`) with order-statistic intervals.

    **Arguments:** ``init`` a name in :data:`INITS` or a sampler (see :func:`crossing_times`);
    ``quantiles`` levels :math:`q` of :math:`T` (``0.01`` = "worst 1 %"); ``alpha`` the pointwise error of each
    interval; the rest as in :func:`crossing_times`. An interval for :math:`q` has a finite lower end
    only when :math:`(1-q)^{\text{trials}} < \alpha/2` (about 7600 trials for :math:`q = 0.001`, :math:`\alpha = 10^{-3}`).

    **Returns:** :class:`ExplosionLengths` with ``by_quantile[q]`` a :class:`CrossingQuantile`.
    Cost: ``trials * max_length`` matrix–vector products of width :math:`n`.

    >>> res = explosion_length_quantiles(8, init="orthogonal", quantiles=(0.5,), trials=50, max_length=30, seed=0)
    >>> res.by_quantile[0.5].estimate, res.censored
    ('> 30', 50)
    """
    alpha = v.probability("alpha", alpha, open_interval=True)
    qs = tuple(v.probability("quantile", q, open_interval=True) for q in quantiles)
    if not qs:
        raise InvalidArgument("quantiles=() must name at least one level")
    times = crossing_times(
        init,
        n,
        trials=trials,
        field=field,
        threshold=threshold,
        max_length=max_length,
        driven=driven,
        seed=seed,
        rng=rng,
    )
    name = init if isinstance(init, str) else getattr(init, "__name__", "sampler")
    by_q = {q: quantile_summary(times, q, max_length=max_length, alpha=alpha) for q in qs}
    return ExplosionLengths(
        int(n),
        name,
        field,
        "driven" if driven else "homogeneous",
        float(threshold),
        int(trials),
        int(max_length),
        int(np.isinf(times).sum()),
        by_q,
    )
