"""The ``lrinit-verify`` command line; :func:`main` (from :mod:`.app`) is the console entry point."""

from lrinit_verify.cli.app import main as main
