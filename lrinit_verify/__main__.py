"""``python -m lrinit_verify`` is the same as the ``lrinit-verify`` command."""

import sys

from lrinit_verify.cli.app import main

sys.exit(main())
