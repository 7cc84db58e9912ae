"""Output paths checked before any work: a command that runs for minutes must not die at the end.

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> writable_file("--json", os.path.join(d, "r.json"))   # fine: nothing raised, nothing written
>>> writable_file("--json", d)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
lrinit_verify._errors.InvalidArgument: --json=... is a directory; give a file path
"""

from __future__ import annotations

import os

from lrinit_verify._errors import InvalidArgument


def writable_file(option: str, path) -> None:
    """Raise :class:`InvalidArgument` unless ``path`` can be written as a file (nothing is created)."""
    if path is None:
        return
    path = os.fspath(path)
    if os.path.isdir(path):
        raise InvalidArgument(f"{option}={path!r} is a directory; give a file path")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise InvalidArgument(f"{option}={path!r}: the directory {parent!r} does not exist")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise InvalidArgument(f"{option}={path!r} is not writable")
    if not os.path.exists(path) and not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidArgument(f"{option}={path!r}: the directory {parent!r} is not writable")


def writable_dir(option: str, path) -> None:
    """Raise :class:`InvalidArgument` unless ``path`` is (or can be created as) a writable directory."""
    path = os.path.abspath(os.fspath(path))
    if os.path.exists(path) and not os.path.isdir(path):
        raise InvalidArgument(f"{option}={path!r} is a file; give a directory")
    probe = path
    while not os.path.exists(probe):
        probe = os.path.dirname(probe)
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InvalidArgument(f"{option}={path!r} is not writable")
