"""Scale labels of the sweep's grid file (the ``scale`` of an ensemble, see :mod:`~lrinit_verify.sweep.grid`):
their validation (errors name the key) and the factor each label stands for at width ``n``.
"""

from __future__ import annotations

import math

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.theory.edge import rescale_factor
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY, calibrated_scale

SCALE_NAMES = ("rescaled", "halved", "calibrated", "calibrated@P")


def scale_factor(label: str, n: int, field: str) -> float:
    r"""The factor a scale label stands for at width ``n``.

    >>> scale_factor("2.0", 8, "real"), round(scale_factor("halved", 8, "real"), 6)
    (2.0, 0.707107)
    """
    if label == "rescaled":
        return rescale_factor(n)
    if label == "halved":
        return math.sqrt(0.5)
    if label == "pytorch":
        return 1.0 / math.sqrt(3.0)
    if label == "calibrated" or label.startswith("calibrated@"):
        p = NOMINAL_PROBABILITY if label == "calibrated" else float(label.split("@", 1)[1])
        return 1.0 / calibrated_scale(n, p, field=field)
    return float(label)


def _scale_label(where: str, value) -> str:
    if isinstance(value, str):
        if value in ("rescaled", "halved", "calibrated"):
            return value
        if value.startswith("calibrated@"):
            v.probability(where, _float(where, value.split("@", 1)[1]), open_interval=True)
            return value
        raise InvalidArgument(
            f"{where}={value!r} must be a positive number or one of {', '.join(SCALE_NAMES)}"
        )
    return repr(v.positive_real(where, value))


def _float(where, text):
    try:
        return float(text)
    except ValueError:
        raise InvalidArgument(f"{where}={text!r}: the level after '@' must be a number") from None
