r"""The paper's linear recurrence as a trainable model, and two routes to its output.

:math:`h_t = A h_{t-1} + B u_t`, :math:`h_{-1} = 0`, :math:`\hat y_t = C h_t` with scalar input and output, so that
:math:`\hat y_t = \sum_{j \le t} k_j u_{t-j}` with impulse response :math:`k_j = C A^j B`.

* **Fast route** (:func:`impulse_response` + :func:`causal_conv`): the Krylov block
  :math:`K = [B, AB, \dots, A^{T-1}B]` by doubling, :math:`K \leftarrow [K,\; A^{2^i} K]`, :math:`A^{2^{i+1}} = (A^{2^i})^2`:
  :math:`\lceil \log_2 T \rceil` block products and :math:`\lceil\log_2 T\rceil - 1` squarings, all differentiable;
  then :math:`k = CK` and an FFT causal convolution of length :math:`2T`.
  The highest power ever formed is :math:`A^{T-1}` (the last block product is truncated to the columns still
  needed), the same as in :math:`h_{T-1}`, so both routes overflow at the same lengths up to a factor of
  order one in the threshold.
* **Reference route** (:func:`scan`): the recurrence step by step.

Example:
    >>> import torch
    >>> g = torch.Generator().manual_seed(0)
    >>> A = 0.5 * torch.randn(4, 4, generator=g, dtype=torch.float64) / 2
    >>> B, C = torch.randn(4, generator=g, dtype=torch.float64), torch.randn(4, generator=g, dtype=torch.float64)
    >>> u = torch.randn(3, 10, generator=g, dtype=torch.float64)
    >>> fast = causal_conv(impulse_response(A, B, C, 10), u)
    >>> bool(torch.allclose(fast, scan(A, B, C, u), atol=1e-12))
    True
"""

from __future__ import annotations

import math

import torch

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument


def _check_system(A, B, C) -> int:
    if not isinstance(A, torch.Tensor) or A.dim() != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise InvalidArgument(
            f"A with shape {tuple(getattr(A, 'shape', ()))} must be a non-empty square matrix (n, n)"
        )
    n = int(A.shape[0])
    for name, x in (("B", B), ("C", C)):
        if not isinstance(x, torch.Tensor) or tuple(x.shape) != (n,):
            raise InvalidArgument(
                f"{name} with shape {tuple(getattr(x, 'shape', ()))} must be a vector of length n={n}"
            )
    return n


def impulse_response(A: torch.Tensor, B: torch.Tensor, C: torch.Tensor, length: int) -> torch.Tensor:
    r""":math:`k_j = C A^j B` for :math:`j < T` by repeated squaring (differentiable in ``A``, ``B``, ``C``).

    **Arguments:** ``A`` :math:`(n, n)`; ``B``, ``C`` vectors of length :math:`n`; ``length`` :math:`T \ge 1`.
    **Returns:** a vector of length :math:`T`.
    """
    _check_system(A, B, C)
    length = v.positive_int("length", length)
    krylov = B[:, None]
    power = A
    while krylov.shape[1] < length:
        need = min(krylov.shape[1], length - krylov.shape[1])
        krylov = torch.cat([krylov, power @ krylov[:, :need]], dim=1)
        if krylov.shape[1] < length:
            power = power @ power
    return C @ krylov


def causal_conv(k: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
    r""":math:`y_t = \sum_{j \le t} k_j u_{t-j}` along the last axis of ``u`` by FFT (zero-padded to :math:`2T`)."""
    length = u.shape[-1]
    if k.dim() != 1 or k.shape[0] != length:
        raise InvalidArgument(
            f"k with shape {tuple(k.shape)} must be a vector of the sequence length {length}"
        )
    size = 2 * length
    spectrum = torch.fft.rfft(k, n=size) * torch.fft.rfft(u, n=size)
    return torch.fft.irfft(spectrum, n=size)[..., :length]


def scan(A: torch.Tensor, B: torch.Tensor, C: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
    r"""Reference: :math:`h_t = A h_{t-1} + B u_t`, :math:`\hat y_t = C h_t` step by step; ``u`` is ``(batch, T)``."""
    n = _check_system(A, B, C)
    if u.dim() != 2:
        raise InvalidArgument(f"u with shape {tuple(u.shape)} must be (batch, length)")
    h = torch.zeros(u.shape[0], n, dtype=A.dtype)
    out = []
    for t in range(u.shape[1]):
        h = h @ A.T + u[:, t : t + 1] * B
        out.append(h @ C)
    return torch.stack(out, dim=1)


def readout_(B: torch.Tensor, C: torch.Tensor, *, generator: torch.Generator, input_dim: int = 1):
    r"""Fill ``B`` with :math:`N(0, 1/d)` and ``C`` with :math:`N(0, 1/n)` entries in place (the authors' code)."""
    input_dim = v.positive_int("input_dim", input_dim)
    n = int(C.shape[0])
    with torch.no_grad():
        B.normal_(0.0, 1.0 / math.sqrt(input_dim), generator=generator)
        C.normal_(0.0, 1.0 / math.sqrt(n), generator=generator)
    return B, C
