"""Stable import path: this module is :mod:`lrinit_verify.rigor.pytest_plugin` (moved in the subpackage layout)."""

import sys

from lrinit_verify.rigor import pytest_plugin as _module

sys.modules[__name__] = _module
