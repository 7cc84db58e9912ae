"""The toolkit's exceptions.

:class:`InvalidArgument` is what every public function raises for bad input: a :class:`ValueError`
(so ``except ValueError`` keeps working) whose message names the argument and the value it received.
The command line reports it in one line with exit status 2; any other exception is a bug and keeps
its traceback.
"""


class LrinitVerifyError(Exception):
    """Base class of the toolkit's own exceptions."""


class InvalidArgument(LrinitVerifyError, ValueError):
    """An argument outside its domain, e.g. ``n=-3 must be a positive integer``."""
