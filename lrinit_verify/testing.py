"""Stable import path: this module is :mod:`lrinit_verify.rigor.testing` (moved in the subpackage layout)."""

import sys

from lrinit_verify.rigor import testing as _module

sys.modules[__name__] = _module
