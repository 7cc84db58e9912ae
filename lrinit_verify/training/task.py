r"""The teacher: a long-memory linear filter of white noise.

Inputs :math:`u_t \sim N(0, 1)` iid; the target is the causal convolution :math:`y_t = \sum_{j \le t} g_j u_{t-j}`
with a fixed impulse response

:math:`g_j = \frac{\lambda^j \cos(\omega j)}{\big(\sum_{i<T} \lambda^{2i}\cos^2(\omega i)\big)^{1/2}}, \qquad 0 \le j < T,`

unit norm over the sequence length :math:`T`. Its memory :math:`1/(1-\lambda)` (100 steps at :math:`\lambda = 0.99`) is
well beyond :math:`\sqrt n` for the widths used. The loss is the mean squared error over the second half
of the sequence, divided by the exact target power there,
:math:`\sigma^2 = \frac{1}{|S|}\sum_{t \in S} \sum_{j \le t} g_j^2` with :math:`S = \{\lfloor T/2\rfloor, \dots, T-1\}`,
so the trivial predictor :math:`\hat y = 0` scores 1 in expectation.

Example:
    >>> import torch
    >>> teacher = Teacher(length=64)
    >>> float(torch.linalg.vector_norm(teacher.impulse()))  # doctest: +ELLIPSIS
    1.0...
    >>> u = draw_inputs(2, 64, generator=torch.Generator().manual_seed(0))
    >>> teacher.target(u).shape
    torch.Size([2, 64])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.training.model import causal_conv

#: Teacher decay and frequency used throughout (memory ~ 100 steps, period ~ 63 steps).
TEACHER_DECAY = 0.99
TEACHER_FREQUENCY = 0.1


@dataclass(frozen=True)
class Teacher:
    r"""Fixed teacher :math:`g_j \propto \lambda^j \cos(\omega j)`, :math:`j < T`, normalised to :math:`\|g\| = 1`."""

    length: int
    decay: float = TEACHER_DECAY
    frequency: float = TEACHER_FREQUENCY

    def __post_init__(self):
        v.positive_int("length", self.length, min_value=2)
        decay = v.positive_real("decay", self.decay)
        if decay >= 1.0:
            raise InvalidArgument(f"decay={self.decay!r} must lie in (0, 1)")
        v.finite_real("frequency", self.frequency)

    def impulse(self, dtype=torch.float64) -> torch.Tensor:
        """The unit-norm impulse response :math:`g_0, \\dots, g_{T-1}`."""
        j = torch.arange(self.length, dtype=torch.float64)
        g = self.decay**j * torch.cos(self.frequency * j)
        return (g / torch.linalg.vector_norm(g)).to(dtype)

    def target(self, u: torch.Tensor) -> torch.Tensor:
        """:math:`y = g * u` (causal, along the last axis), in ``u``'s dtype."""
        return causal_conv(self.impulse(u.dtype), u)

    def target_power(self) -> float:
        r""":math:`\sigma^2`: the exact mean of :math:`E[y_t^2] = \sum_{j \le t} g_j^2` over the scored window."""
        cumulative = torch.cumsum(self.impulse() ** 2, 0)
        return float(cumulative[scored_window(self.length)].mean())


def scored_window(length: int) -> slice:
    """The second half of a sequence of ``length`` steps: the positions the loss is taken over."""
    return slice(length // 2, length)


def draw_inputs(batch: int, length: int, *, generator: torch.Generator, dtype=torch.float32) -> torch.Tensor:
    """iid :math:`N(0, 1)` inputs of shape ``(batch, length)`` from an explicit ``generator``."""
    batch = v.positive_int("batch", batch)
    length = v.positive_int("length", length)
    if not isinstance(generator, torch.Generator):
        raise InvalidArgument(f"generator={generator!r} must be a torch.Generator")  # noqa: TRY004 (project: ValueError)
    return torch.randn(batch, length, generator=generator, dtype=torch.float64).to(dtype)


def normalised_mse(prediction: torch.Tensor, target: torch.Tensor, power: float) -> torch.Tensor:
    r""":math:`\frac{1}{\sigma^2}\,\mathrm{mean}_{b,\, t \in S} (\hat y_{b,t} - y_{b,t})^2` (``power`` is :math:`\sigma^2`)."""
    window = scored_window(target.shape[-1])
    return ((prediction[..., window] - target[..., window]) ** 2).mean() / power


def empirical_nmse(prediction: torch.Tensor, target: torch.Tensor) -> float:
    r""":math:`\sum_{b,\,t\in S} (\hat y - y)^2 / \sum_{b,\,t \in S} y^2` in float64 (``inf``/``nan`` kept)."""
    window = scored_window(target.shape[-1])
    err = (prediction[..., window].double() - target[..., window].double()) ** 2
    value = float(err.sum() / (target[..., window].double() ** 2).sum())
    return value if not math.isnan(value) else math.inf
