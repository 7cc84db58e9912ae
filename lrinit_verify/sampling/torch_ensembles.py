r"""Torch twins of :mod:`lrinit_verify.sampling.ensembles` (torch is imported lazily by callers).

Same ensembles and variances, float64 / complex128 by default, explicit ``generator=`` and
``device=``; CPU fallback when CUDA is absent.

Example:
    >>> import torch
    >>> g = torch.Generator().manual_seed(0)
    >>> sample_batch("glorot", 8, 2, field="complex", generator=g).shape
    torch.Size([2, 8, 8])
"""

from __future__ import annotations

import math

import torch

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.sampling.ensembles import ENSEMBLES


def resolve_device(device=None) -> torch.device:
    """``device`` as a ``torch.device``; ``None`` means CUDA when available, else CPU."""
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise InvalidArgument(f"device={device!r} is not a torch device") from exc
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise InvalidArgument(f"device={device!r}: CUDA is not available on this machine")
    return dev


def _draw(shape, generator, device, dtype, dist):
    if dist == "normal":
        return torch.randn(shape, generator=generator, device=device, dtype=dtype)
    u = torch.rand(shape, generator=generator, device=device, dtype=dtype)
    return (2.0 * u - 1.0) * math.sqrt(3.0)


def _standard(shape, field, generator, device, dtype, dist):
    re = _draw(shape, generator, device, dtype, dist)
    if field == "real":
        return re
    im = _draw(shape, generator, device, dtype, dist)
    return torch.complex(re, im) * math.sqrt(0.5)


def _haar(shape, field, generator, device, dtype):
    q, r = torch.linalg.qr(_standard(shape, field, generator, device, dtype, "normal"))
    d = torch.diagonal(r, dim1=-2, dim2=-1)
    return q * (d / d.abs()).unsqueeze(-2)


def sample_batch(
    ensemble, n, trials, *, field="real", scale=1.0, generator=None, device=None, dtype=torch.float64
):
    """Torch version of :func:`lrinit_verify.sampling.ensembles.sample_batch`: shape ``(trials, n, n)``.

    ``dtype`` is the real dtype (float32 or float64); complex output uses the matching complex dtype.
    ``generator`` (required: no global RNG is used) must live on ``device``, torch's rule.
    """
    v.choice("ensemble", ensemble, ENSEMBLES)
    n = v.positive_int("n", n)
    trials = v.positive_int("trials", trials)
    field = v.field(field)
    scale = v.finite_real("scale", scale)
    if not isinstance(generator, torch.Generator):
        raise InvalidArgument(f"generator={generator!r} must be a torch.Generator (no global RNG is used)")
    device = generator.device if device is None else resolve_device(device)
    shape = (trials, n, n)
    if ensemble == "orthogonal":
        return scale * _haar(shape, field, generator, device, dtype)
    dist = "uniform" if ensemble == "glorot_uniform" else "normal"
    variance = 0.5 / n if ensemble == "halved_glorot" else 1.0 / n
    return _standard(shape, field, generator, device, dtype, dist) * (scale * math.sqrt(variance))
