"""Stable import path: this module is :mod:`lrinit_verify.rigor.strategies` (moved in the subpackage layout)."""

import sys

from lrinit_verify.rigor import strategies as _module

sys.modules[__name__] = _module
