r"""Training-level claims: does the initialisation decide whether a long-memory regression trains?

The task (:mod:`lrinit_verify.training`): a teacher–student regression on white noise with a
100-step memory, the model exactly the paper's :math:`h_t = A h_{t-1} + B u_t`, :math:`\hat y_t = C h_t`, trained by
Adam as in the authors' code. Runs are paired: within a pair every arm shares the Glorot draw,
:math:`B`, :math:`C` and the data, and only the scale of :math:`A` differs. The failure rule is fixed in advance
(non-finite loss or gradient, or final normalised MSE :math:`\ge 0.5`).

The runs are shared between the claims of one verify run (cached by seed, budget and arms). Checks
take keyword arguments that tests use to plant bugs ("forgot to rescale": both arms Glorot; a
Glorot sampler missing its :math:`1/\sqrt n`); the same check must then fail.
"""

from __future__ import annotations

import functools
import math

from lrinit_verify.claims import Claim, Context, PlantedBug, register
from lrinit_verify.claims.training_verdicts import (
    short_length,
    verdict_failure_mechanism,
    verdict_glorot_fails_long,
    verdict_glorot_ok_short,
    verdict_rescaled_trains,
)
from lrinit_verify.rigor.stats import INCONCLUSIVE, Verdict

#: Paired arms of the experiment (arm name, initialiser name); the thorough budget adds :data:`EXTRA_ARMS`.
ARMS = (("glorot", "glorot"), ("rescaled", "rescaled"))
EXTRA_ARMS = (("halved", "halved"), ("calibrated", "calibrated"))


def _plan(ctx: Context) -> dict:
    """Widths, lengths, pairs and steps for this budget (long length T = 1024 = 64 sqrt(256); short T = sqrt(n))."""
    return {
        "widths": ctx.pick((256,), (256,), (256, 512)),
        "long": 1024,
        "extra_lengths": ctx.pick((), (), (64, 256)),
        "pairs": ctx.pick(16, 24, 32),
        "steps": 150,
    }


@functools.lru_cache(maxsize=8)
def _rows_cached(seed: int, budget: str, arms: tuple) -> tuple:
    from lrinit_verify.training.fit import FitConfig
    from lrinit_verify.training.phase import run_grid

    plan = _plan(Context(budget=budget))
    rows = []
    for n in plan["widths"]:
        lengths = sorted({short_length(n), plan["long"], *plan["extra_lengths"]})
        rows += run_grid(
            [n], lengths, dict(arms), pairs=plan["pairs"], seed=seed, config=FitConfig(steps=plan["steps"])
        )
    return tuple(rows)


def experiment_rows(ctx: Context, arms=None) -> list[dict] | None:
    """The run table for this context (``None`` when torch is not installed); ``arms`` defaults by budget."""
    arms = arms if arms is not None else ctx.pick(ARMS, ARMS, ARMS + EXTRA_ARMS)
    try:
        import torch  # noqa: F401
    except ImportError:
        return None
    ctx.note(f"training runs ({_plan(ctx)['pairs']} pairs per width and length; cached across claims)")
    return list(_rows_cached(ctx.seed, ctx.budget, tuple(arms)))


def _no_torch() -> Verdict:
    return Verdict(status=INCONCLUSIVE, summary="needs torch (install the 'torch' extra)")


# --- (a) Glorot fails at T >> sqrt(n) where the rescaled init does not (paired, McNemar) -------------


def check_glorot_fails_long(ctx: Context, *, arms=None) -> Verdict:
    """Paired runs at T = 1024 >> sqrt(256): Glorot fails, rescaled does not (McNemar exact)."""
    rows = experiment_rows(ctx, arms)
    if rows is None:
        return _no_torch()
    return verdict_glorot_fails_long(rows, alpha=ctx.alpha, length=_plan(ctx)["long"])


# --- (b) the rescaled init trains: median final NMSE < 0.1 at T >> sqrt(n) -----------------------------


def check_rescaled_trains(ctx: Context, *, arms=None) -> Verdict:
    """The rescaled arm at T = 1024: median final NMSE < 0.1 (sign test)."""
    rows = experiment_rows(ctx, arms)
    if rows is None:
        return _no_torch()
    return verdict_rescaled_trains(rows, alpha=ctx.alpha, length=_plan(ctx)["long"])


# --- (c) the control: Glorot trains at T = sqrt(n) ----------------------------------------------------


def check_glorot_ok_short(ctx: Context, *, arms=None) -> Verdict:
    """The control: Glorot at T = sqrt(n) mostly trains."""
    rows = experiment_rows(ctx, arms)
    if rows is None:
        return _no_torch()
    return verdict_glorot_ok_short(rows, alpha=ctx.alpha)


# --- (d) the mechanism: every run that diverged started from rho0 > 1 --------------------------------


def check_failure_mechanism(ctx: Context, *, arms=None) -> Verdict:
    """Every training run that diverged started from rho0 > 1."""
    rows = experiment_rows(ctx, arms)
    if rows is None:
        return _no_torch()
    return verdict_failure_mechanism(rows)


# --- planted bugs (the power tier, tests/test_power.py, runs each at the default budget) ---------------

#: "Forgot to rescale": the rescaled arm is Glorot too.
FORGOT_TO_RESCALE = (("glorot", "glorot"), ("rescaled", "glorot"))


def _unnormalised_glorot_(tensor, *, generator=None):
    """Planted bug: Glorot without its 1/sqrt(n) (entries of variance 1, radius about sqrt(n))."""
    import torch

    from lrinit_verify.sampling.torch_init import glorot_

    glorot_(tensor, generator=generator)
    with torch.no_grad():
        return tensor.mul_(math.sqrt(tensor.shape[0]))


#: Glorot sampler missing its 1/sqrt(n); the control reads only the Glorot arm, so it runs alone.
MISSING_SQRT_N = (("glorot", _unnormalised_glorot_),)


_CALCULATORS = (
    "torch_init.glorot_",
    "torch_init.rescaled_glorot_",
    "training.model.impulse_response",
    "training.fit.fit",
    "training.paired.mcnemar_exact",
    "prob_radius_exceeds",
)

register(
    Claim(
        id="training.glorot_fails_long",
        statement="At T >> sqrt(n) (n=256, T=1024) training fails from Glorot where it succeeds from the rescaled "
        "init more often than the reverse (paired seeds, McNemar exact); violated if that happens in under half the pairs",
        latex=r"P(\text{Glorot fails},\ \text{rescaled trains}) > P(\text{rescaled fails},\ \text{Glorot trains})"
        r"\quad (T = 64\sqrt n)",
        provenance="paper",
        regime="supercritical",
        check=check_glorot_fails_long,
        planted=PlantedBug({"arms": FORGOT_TO_RESCALE}),
        calculators=_CALCULATORS,
    )
)
register(
    Claim(
        id="training.rescaled_trains",
        statement="From the rescaled init the long-memory regression trains: median final NMSE < 0.1 at T = 1024",
        latex=r"\operatorname{median}\,\mathrm{NMSE}_{\text{final}}(c_n W) < 0.1 \quad (n = 256,\ T = 1024)",
        provenance="derived",
        regime="supercritical",
        check=check_rescaled_trains,
        planted=PlantedBug({"arms": FORGOT_TO_RESCALE}),
        calculators=_CALCULATORS,
    )
)
register(
    Claim(
        id="training.glorot_ok_short",
        statement="Control: at T = sqrt(n) training from Glorot fails in fewer than half of the runs",
        latex=r"P(\text{Glorot fails}) < \tfrac12 \quad (T = \sqrt n)",
        provenance="derived",
        regime="critical",
        check=check_glorot_ok_short,
        planted=PlantedBug({"arms": MISSING_SQRT_N}),
        calculators=_CALCULATORS,
    )
)
register(
    Claim(
        id="training.failure_mechanism",
        statement="Every training run that diverged (non-finite, or ended worse than predicting zero) started "
        "from rho0 > 1; failures by underfitting are reported, not judged",
        latex=r"\text{run diverges} \Rightarrow \rho(A_0) > 1",
        provenance="derived",
        regime="supercritical",
        check=check_failure_mechanism,
        statistical=False,
        calculators=("torch_init.spectral_radius", "training.fit.fit"),
    )
)
