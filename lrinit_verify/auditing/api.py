r"""``audit(init_fn, widths=...)``: where an initialiser stands against Glorot and its rescalings.

Example:
    >>> import torch
    >>> rep = audit(torch.nn.init.orthogonal_, widths=(8,), lengths=(30,), trials=100, seed=0)
    >>> rep.verdict, rep.checks["reproducible"]
    ('stable', True)
"""

from __future__ import annotations

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.auditing import core, measure
from lrinit_verify.auditing.report import AuditReport, summarise


def _positive_ints(name, values, min_value=1) -> tuple[int, ...]:
    values = tuple(values) if isinstance(values, (list, tuple)) else (values,)
    if not values:
        raise InvalidArgument(f"{name}=() must list at least one value")
    return tuple(v.positive_int(name, x, min_value=min_value) for x in values)


def _settings(widths, lengths, trials, threshold, probability, alpha, seed, dtype, baselines) -> dict:
    widths = _positive_ints("widths", widths, min_value=2)
    lengths = tuple(sorted(set(_positive_ints("lengths", lengths))))
    threshold = v.positive_real("threshold", threshold)
    if threshold <= 1.0:
        raise InvalidArgument(f"threshold={threshold!r} must exceed 1 (the energy at t = 0 is 1)")
    alpha = v.probability("alpha", alpha, open_interval=True)
    return {
        "widths": list(widths),
        "lengths": list(lengths),
        "trials": v.positive_int("trials", trials, min_value=2),
        "threshold": threshold,
        "probability": v.probability("probability", probability, open_interval=True),
        "alpha": alpha,
        "alpha_each": alpha / (2 * len(widths) * len(lengths)),
        "seed": v.nonnegative_int("seed", seed),
        "dtype": v.choice("dtype", dtype, tuple(core.DTYPES)),
        "baselines": list(measure.BASELINES) if baselines else [],
    }


def audit(
    init_fn,
    widths,
    *,
    lengths=(100, 1000),
    trials=400,
    threshold=100.0,
    probability=0.9,
    alpha=0.01,
    seed=0,
    dtype="float64",
    baselines=True,
    training_check=None,
    progress=None,
) -> AuditReport:
    r"""Audit a recurrent-matrix initialiser at the given widths.

    **Arguments:**

    - ``init_fn``: called as ``init_fn(tensor, generator=g)`` like ``torch.nn.init`` functions
      (fills the square ``tensor`` in place, or returns a square matrix); or a ``"MODULE:FUNCTION"``
      string. See :mod:`lrinit_verify.auditing.core`.
    - ``widths``: widths :math:`n \ge 2`; ``lengths``: sequence lengths :math:`t` of the verdict.
    - ``trials`` matrices per width and source; ``threshold`` :math:`K` of the explosion definitions.
    - ``probability`` :math:`p`: "stable" means at most :math:`1-p` of draws explode by :math:`t` (see
      :mod:`lrinit_verify.auditing.report`); ``alpha`` the joint error of the init's verdicts.
    - ``seed``; ``dtype`` of the tensor handed to the init; ``baselines``: also measure Glorot,
      the paper's :math:`c_n` Glorot and the exactly calibrated Glorot (same field, same ``trials``).
    - ``training_check``: optional hook ``training_check(init_fn, n, seed) -> dict`` (e.g. from
      ``lrinit_verify.training``) run per width; its JSON-able result lands in ``report.training``.
    - ``progress``: optional callable receiving progress messages.

    **Returns:** :class:`~lrinit_verify.auditing.report.AuditReport`. The init is validated at every
    width (signature, shape, dtype, finiteness) before any measurement; bad input raises
    :class:`~lrinit_verify.auditing.core.InitError` (a ``ValueError``). Cost per width and source:
    ``trials`` eigendecompositions and 2 · ``trials`` · max(``lengths``) matrix–vector products.
    """
    s = _settings(widths, lengths, trials, threshold, probability, alpha, seed, dtype, baselines)
    if isinstance(init_fn, str):
        init_fn = core.load_init(init_fn)
    if training_check is not None and not callable(training_check):
        raise InvalidArgument(f"training_check={training_check!r} must be callable(init_fn, n, seed) or None")
    checks = core.validate_init(init_fn, s["widths"], seed=s["seed"], dtype=s["dtype"])
    kw = {
        "threshold": s["threshold"],
        "max_length": max(s["lengths"]),
        "seed": s["seed"],
        "progress": progress,
    }
    rows = []
    for n in s["widths"]:
        sample = measure.measure_init(init_fn, n, s["trials"], dtype=s["dtype"], field=checks["field"], **kw)
        samples = [sample] + [
            measure.measure_baseline(b, n, s["trials"], field=checks["field"], **kw) for b in s["baselines"]
        ]
        rows += [
            summarise(x, lengths=s["lengths"], probability=s["probability"], alpha_each=s["alpha_each"])
            for x in samples
        ]
    training = None
    if training_check is not None:
        training = {str(n): training_check(init_fn, n, s["seed"]) for n in s["widths"]}
    return AuditReport(core.init_name(init_fn), s, checks, rows, training)
