r"""What the spectral theory predicts for a training run: :math:`P(\rho_0 > 1)` for each initialisation.

An arm multiplies a Glorot matrix :math:`W` by a factor :math:`f` (1 for Glorot, the paper's :math:`c_n` for rescaled,
:math:`1/\sqrt2` halved, :math:`1/s_{0.856}` for the exact calibration), so
:math:`P(\rho(fW) > 1) = P(\rho(W) > 1/f)`. At :math:`T \gg \sqrt n` a run whose :math:`\rho_0 > 1` is expected to blow
up, so this is the :math:`T \to \infty` prediction of the failure rate (a heuristic at finite :math:`T`: a
radius just above one needs :math:`T \gtrsim 1/(\rho_0 - 1)` steps to explode).

* complex: exact, :func:`lrinit_verify.theory.edge.prob_radius_exceeds` (Kostlan's product);
* real: exact too, :func:`lrinit_verify.theory.edge.prob_radius_exceeds` with ``field="real"`` (Sinclair's
  Pfaffian law, :mod:`lrinit_verify.theory.real_law`).

Example:
    >>> pred = prob_exceeds(256, 1.0, field="complex")
    >>> pred.method, round(pred.value, 4)
    ('exact', 0.9995)
    >>> arm_factor("halved", 256) == 2 ** -0.5
    True
"""

from __future__ import annotations

from dataclasses import dataclass

from lrinit_verify import _validate as v
from lrinit_verify.theory import edge
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY, calibrated_scale

ARM_NAMES = ("glorot", "rescaled", "halved", "calibrated")


def arm_factor(arm: str, n: int) -> float:
    """The factor an arm applies to a Glorot matrix of width ``n`` (real field)."""
    arm = v.choice("arm", arm, ARM_NAMES)
    n = v.positive_int("n", n)
    if arm == "glorot":
        return 1.0
    if arm == "rescaled":
        return edge.rescale_factor(n)
    if arm == "halved":
        return 2.0**-0.5
    return 1.0 / calibrated_scale(n, NOMINAL_PROBABILITY, field="real")


@dataclass(frozen=True)
class Prediction:
    """:math:`P(\\rho > r)`: a point value (``None`` outside a calibrated range), bounds, and how it was obtained."""

    value: float | None
    lower: float
    upper: float
    method: str

    def __str__(self) -> str:
        if self.value is not None and self.lower == self.upper:
            return f"{self.value:.4g}"
        if self.value is not None:
            return f"{self.value:.3f} [{self.lower:.3f}, {self.upper:.3f}]"
        return f"in [{self.lower:.3f}, {self.upper:.3f}]"


def prob_exceeds(n, r, *, field="real") -> Prediction:
    r""":math:`P(\rho(W) > r)` for Glorot :math:`W` of width ``n``, exact for both fields."""
    n, r, field = v.positive_int("n", n), v.positive_real("r", r), v.field(field)
    p = edge.prob_radius_exceeds(n, r, field=field)
    return Prediction(p, p, p, "exact")


def predicted_failure(arm: str, n: int, *, field="real") -> Prediction:
    """:math:`P(\\rho_0 > 1)` for ``arm`` at width ``n``: the :math:`T \\to \\infty` failure-rate prediction."""
    return prob_exceeds(n, 1.0 / arm_factor(arm, n), field=field)
