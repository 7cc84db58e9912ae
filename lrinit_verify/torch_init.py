"""Stable import path: this module is :mod:`lrinit_verify.sampling.torch_init` (moved in the subpackage layout)."""

import sys

from lrinit_verify.sampling import torch_init as _module

sys.modules[__name__] = _module
