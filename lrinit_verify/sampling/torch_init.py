r"""In-place torch initialisers, drop-in for ``torch.nn.init`` users.

Each ``name_(tensor, *, generator=None)`` fills ``tensor`` in place under ``torch.no_grad()`` (no
autograd history) and returns it, for float32/float64 (and complex64/complex128: complex Glorot)
tensors on any device. They mirror :mod:`lrinit_verify.sampling.init` in distribution.

**Randomness.** Like ``torch.nn.init``, ``generator=None`` draws from torch's default generator
of the tensor's device (so ``torch.manual_seed`` makes it reproducible); pass a
``torch.Generator`` living on the tensor's device for explicit, isolated randomness — this
package's own code and tests always do.

Example:
    >>> import torch
    >>> g = torch.Generator().manual_seed(0)
    >>> w = torch.nn.Parameter(torch.empty(256, 256))
    >>> rescaled_glorot_(w, generator=g) is w, w.grad_fn is None
    (True, True)
    >>> float(spectral_radius(spectral_normalise_(w, radius=0.5)))  # doctest: +ELLIPSIS
    0.5...
"""

from __future__ import annotations

import math

import torch

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.theory.edge import GUMBEL_MEAN_PLUS_STD, rescale_factor
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY, calibrated_scale

__all__ = [
    "calibrated_glorot_",
    "diagonal_glorot_",
    "glorot_",
    "halved_glorot_",
    "lru_ring_",
    "orthogonal_",
    "pytorch_rnn_default_",
    "rescaled_glorot_",
    "spectral_normalise_",
    "spectral_radius",
]


def _check_generator(generator, tensor) -> None:
    if generator is None:
        return
    if not isinstance(generator, torch.Generator):
        raise InvalidArgument(f"generator={generator!r} must be a torch.Generator or None")
    if generator.device.type != tensor.device.type:
        raise InvalidArgument(f"generator on {generator.device} cannot fill a tensor on {tensor.device}")


def _check_square(tensor, generator) -> int:
    if not isinstance(tensor, torch.Tensor):
        raise InvalidArgument(f"tensor={tensor!r} must be a torch.Tensor")
    if tensor.dim() != 2 or tensor.shape[0] != tensor.shape[1] or tensor.shape[0] == 0:
        raise InvalidArgument(
            f"tensor with shape {tuple(tensor.shape)} must be a non-empty square matrix (n, n)"
        )
    if not (tensor.is_floating_point() or tensor.is_complex()):
        raise InvalidArgument(f"tensor with dtype {tensor.dtype} must be floating point or complex")
    _check_generator(generator, tensor)
    return int(tensor.shape[0])


def _field(tensor) -> str:
    return "complex" if tensor.is_complex() else "real"


def _normal_(tensor, std: float, generator):
    """Entries with mean 0 and E|w|^2 = std^2 (complex: independent parts of variance std^2/2)."""
    with torch.no_grad():
        if tensor.is_complex():
            torch.view_as_real(tensor).normal_(0.0, std * math.sqrt(0.5), generator=generator)
        else:
            tensor.normal_(0.0, std, generator=generator)
    return tensor


def glorot_(tensor, *, generator=None):
    r"""Glorot normal on a square matrix (entries of variance :math:`1/n`; equals ``xavier_normal_``)."""
    n = _check_square(tensor, generator)
    return _normal_(tensor, 1.0 / math.sqrt(n), generator)


def rescaled_glorot_(tensor, *, x=GUMBEL_MEAN_PLUS_STD, generator=None):
    r"""The paper's rescaled Glorot :math:`c_n W` in place (``ValueError`` for :math:`n \le 163`, where :math:`c_n` is undefined)."""
    n = _check_square(tensor, generator)
    return _normal_(tensor, rescale_factor(n, x=x) / math.sqrt(n), generator)


def calibrated_glorot_(tensor, *, p=NOMINAL_PROBABILITY, generator=None):
    r"""Glorot divided by the exact :math:`p`-quantile radius: :math:`P(\rho \le 1) = p` (field from the dtype)."""
    n = _check_square(tensor, generator)
    s = calibrated_scale(n, p, field=_field(tensor))
    return _normal_(tensor, 1.0 / (s * math.sqrt(n)), generator)


def halved_glorot_(tensor, *, generator=None):
    r"""Halved Glorot: variance :math:`1/(2n)`, radius about :math:`1/\sqrt2`."""
    n = _check_square(tensor, generator)
    return _normal_(tensor, 1.0 / math.sqrt(2.0 * n), generator)


def pytorch_rnn_default_(tensor, *, generator=None):
    r"""``nn.RNN``'s default :math:`U(-1/\sqrt n, 1/\sqrt n)` (real tensors)."""
    n = _check_square(tensor, generator)
    if tensor.is_complex():
        raise InvalidArgument(
            f"tensor with dtype {tensor.dtype}: pytorch_rnn_default_ is defined for real tensors"
        )
    bound = 1.0 / math.sqrt(n)
    with torch.no_grad():
        return tensor.uniform_(-bound, bound, generator=generator)


def orthogonal_(tensor, *, generator=None):
    """Haar orthogonal (real) / unitary (complex) by QR of a Gaussian matrix with the sign fix."""
    n = _check_square(tensor, generator)
    wide = torch.complex128 if tensor.is_complex() else torch.float64
    z = _normal_(torch.empty(n, n, dtype=tensor.dtype, device=tensor.device), 1.0, generator).to(wide)
    q, r = torch.linalg.qr(z)
    d = torch.diagonal(r)
    with torch.no_grad():
        return tensor.copy_(q * (d / d.abs()).unsqueeze(0))


def spectral_radius(tensor) -> torch.Tensor:
    r""":math:`\rho(W)` of a square tensor, computed in double precision (a 0-dim float64 tensor)."""
    _check_square(tensor, None)
    if not bool(torch.isfinite(tensor.detach()).all()):
        raise InvalidArgument("tensor must have finite entries")
    wide = torch.complex128 if tensor.is_complex() else torch.float64
    return torch.linalg.eigvals(tensor.detach().to(wide)).abs().max()


def spectral_normalise_(tensor, *, radius=1.0):
    r"""Echo-state normalisation in place: :math:`W \leftarrow W \cdot r / \rho(W)`; returns ``tensor``.

    The name follows ``torch.nn.init`` (a trailing underscore: the tensor is modified in place).
    The numpy counterpart :func:`lrinit_verify.sampling.init.spectral_normalised` returns a new
    array instead (numpy arrays are usually treated as values), hence the past participle.
    """
    radius = v.positive_real("radius", radius)
    rho = float(spectral_radius(tensor))  # raises for non-finite entries, as the numpy twin does
    if rho == 0.0:
        raise InvalidArgument("tensor has spectral radius 0 (nilpotent): it cannot be normalised")
    with torch.no_grad():
        return tensor.mul_(radius / rho)


def lru_ring_(nu_log, theta_log, *, r_min=0.0, r_max=1.0, max_phase=2 * math.pi, generator=None):
    r"""LRU ring in place on its parameters: :math:`\lambda = \exp(-e^{\nu} + i e^{\theta})` with
    :math:`|\lambda|^2 \sim U[r_{min}^2, r_{max}^2]` and phase :math:`\sim U(0, \text{max\_phase}]`.

    Returns ``(nu_log, theta_log)``; both real tensors of one shape.
    """
    for name, t in (("nu_log", nu_log), ("theta_log", theta_log)):
        if not isinstance(t, torch.Tensor) or not t.is_floating_point():
            raise InvalidArgument(f"{name}={type(t).__name__} must be a real floating-point torch.Tensor")
    if nu_log.shape != theta_log.shape:
        raise InvalidArgument(
            f"nu_log shape {tuple(nu_log.shape)} and theta_log shape {tuple(theta_log.shape)} must match"
        )
    r_min, r_max = v.nonnegative_real("r_min", r_min), v.positive_real("r_max", r_max)
    if not r_min < r_max <= 1.0:
        raise InvalidArgument(f"r_min={r_min!r}, r_max={r_max!r} must satisfy 0 <= r_min < r_max <= 1")
    max_phase = v.positive_real("max_phase", max_phase)
    if max_phase > 2 * math.pi:
        raise InvalidArgument(f"max_phase={max_phase!r} must be at most 2*pi")
    _check_generator(generator, nu_log)
    with torch.no_grad():
        u = nu_log.uniform_(0.0, 1.0, generator=generator)
        nu_log.copy_(torch.log(-0.5 * torch.log(u * (r_max**2 - r_min**2) + r_min**2)))
        w = theta_log.uniform_(0.0, 1.0, generator=generator)
        theta_log.copy_(torch.log(max_phase * (1.0 - w)))
    return nu_log, theta_log


def diagonal_glorot_(tensor, *, scaling="rescaled", p=NOMINAL_PROBABILITY, field="real", generator=None):
    r"""Diagonal variant (paper §1.5): fill a complex 1-D tensor of length :math:`n` with the eigenvalues of
    a (rescaled) Glorot matrix of width :math:`n` (``scaling`` as in :func:`lrinit_verify.sampling.init.diagonal_glorot`)."""
    from lrinit_verify.sampling.init import SCALINGS, _scale_for

    if (
        not isinstance(tensor, torch.Tensor)
        or tensor.dim() != 1
        or not tensor.is_complex()
        or tensor.numel() == 0
    ):
        raise InvalidArgument(
            f"tensor={getattr(tensor, 'shape', tensor)!r} must be a non-empty complex 1-D torch.Tensor"
        )
    _check_generator(generator, tensor)
    scaling = v.choice("scaling", scaling, SCALINGS)
    field = v.field(field)
    n = int(tensor.numel())
    dtype = torch.complex128 if field == "complex" else torch.float64
    w = glorot_(torch.empty(n, n, dtype=dtype, device=tensor.device), generator=generator)
    lam = torch.linalg.eigvals(w * _scale_for(n, scaling, p, field))
    with torch.no_grad():
        return tensor.copy_(lam)
