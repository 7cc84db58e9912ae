"""Initialisers used by tests/test_audit.py (importable as ``_audit_inits:NAME`` from the tests folder)."""

from __future__ import annotations

import math

import torch


def glorot_times_1_1_(tensor, generator=None):
    """Glorot normal scaled by 1.1: spectral radius about 1.1 (planted unstable)."""
    return tensor.normal_(0.0, 1.1 / math.sqrt(tensor.shape[0]), generator=generator)


def glorot_times_0_9_(tensor, generator=None):
    """Glorot normal scaled by 0.9: spectral radius about 0.9."""
    return tensor.normal_(0.0, 0.9 / math.sqrt(tensor.shape[0]), generator=generator)


def ignores_generator_(tensor, generator=None):
    """Draws from torch's global generator: not reproducible from the generator's seed."""
    return tensor.normal_(0.0, 1.0 / math.sqrt(tensor.shape[0]))


def half_identity_(tensor, generator=None):
    """A fixed matrix 0.5 I (deterministic)."""
    with torch.no_grad():
        return tensor.copy_(0.5 * torch.eye(tensor.shape[0], dtype=tensor.dtype))


def lru_ring_(tensor, generator=None, r_min=0.4, r_max=0.99):
    """LRU ring init: returns diag(lambda), |lambda|^2 uniform on [r_min^2, r_max^2], phase uniform."""
    n = tensor.shape[0]
    u = torch.rand(2, n, generator=generator, dtype=torch.float64)
    modulus = torch.sqrt(r_min**2 + u[0] * (r_max**2 - r_min**2))
    return torch.diag(torch.polar(modulus, 2 * math.pi * u[1]))


def non_square_(tensor, generator=None):
    return torch.zeros(tensor.shape[0], tensor.shape[0] + 1)


def integer_matrix_(tensor, generator=None):
    return torch.zeros(tensor.shape, dtype=torch.int64)


def leaves_nan_(tensor, generator=None):
    return None


def returns_list_(tensor, generator=None):
    return [[0.0]]


def infinite_(tensor, generator=None):
    return tensor.fill_(math.inf)


def no_generator(tensor):
    return tensor.normal_()


def field_changes_(tensor, generator=None):
    n = tensor.shape[0]
    return torch.eye(n, dtype=torch.complex128 if n > 8 else torch.float64)


NOT_A_FUNCTION = 3
