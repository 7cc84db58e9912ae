"""Command line: ``lrinit-verify verify`` and friends.

Bad input exits with status 2 and one line naming the argument; no traceback. Sub-commands live
in small modules listed in :data:`COMMAND_MODULES`, each exposing ``add_parser(subparsers)`` that
registers a parser whose ``func(args) -> int`` runs the command.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from lrinit_verify._errors import InvalidArgument

#: Modules contributing sub-commands (each defines ``add_parser(subparsers)``).
COMMAND_MODULES = (
    "lrinit_verify.cli.verify",
    "lrinit_verify.cli.bench",
    "lrinit_verify.cli.rescale",
    "lrinit_verify.cli.docs",
    "lrinit_verify.sweep.cli",
    "lrinit_verify.auditing.cli",
)


class UsageError(Exception):
    """Bad command-line input: reported in one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lrinit-verify",
        description="Verify the theory of Glorot initialisation in long-range linear recurrences.",
    )
    from lrinit_verify import __version__

    parser.add_argument(
        "--version",
        action="version",
        version=f"lrinit-verify {__version__}",
        help="print the version and exit",
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(sub)
    return parser


def main(argv=None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except (UsageError, InvalidArgument) as exc:
        print(f"lrinit-verify: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lrinit-verify: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
