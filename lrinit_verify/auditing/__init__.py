r"""Audit a recurrent-matrix initialiser: ``lrinit-verify audit --init MODULE:FUNCTION --widths ...``.

Per width, with intervals: :math:`P(\rho > 1)`, quantiles of :math:`\rho`, simulated explosion lengths of
:math:`\|W^t x\|^2` and of the driven hidden state (:mod:`lrinit_verify.montecarlo.explosion`), the same
for Glorot, the paper's :math:`c_n` Glorot and the exactly calibrated Glorot, and a verdict "stable at
lengths :math:`t` with probability :math:`p`". Modules: :mod:`~lrinit_verify.auditing.core` (load, call,
validate), :mod:`~lrinit_verify.auditing.measure`, :mod:`~lrinit_verify.auditing.report`,
:mod:`~lrinit_verify.auditing.figure` (PNG), :mod:`~lrinit_verify.auditing.cli`.

Needs torch (the ``torch`` extra); the names below are imported on first use, so that the command
line registers ``audit`` without importing torch.
"""

from __future__ import annotations

import importlib

_EXPORTS = {"audit": "api", "AuditReport": "report", "InitError": "core", "load_init": "core"}
__all__ = ["AuditReport", "InitError", "audit", "load_init"]


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
