"""``python -m lrinit_verify`` is the same as the ``lrinit-verify`` command."""

import sys

from .cli import main

sys.exit(main())
