"""argparse types shared by the subcommands: one parser and one message per kind of value.

Each raises :class:`argparse.ArgumentTypeError`, which argparse prints after the option's name
(``argument --seed: '-4' must be a non-negative integer``), exit status 2, before any work.

>>> nonnegative_int("7"), positive_int("3"), number("1e2"), positive_ints("64, 256")
(7, 3, 100.0, [64, 256])
>>> positive_int("0")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: '0' must be a positive integer
"""

from __future__ import annotations

import argparse


def _int_at_least(text: str, low: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if value < low:
        raise argparse.ArgumentTypeError(f"{text!r} must be a {what} integer")
    return value


def nonnegative_int(text: str) -> int:
    """A seed or a count that may be 0."""
    return _int_at_least(text, 0, "non-negative")


def positive_int(text: str) -> int:
    """A count of trials, workers, matrices, ... (at least 1)."""
    return _int_at_least(text, 1, "positive")


def number(text: str) -> float:
    """A float; range checks belong to the function that uses it (its message names the argument)."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} must be a number") from None


def positive_ints(text: str) -> list[int]:
    """A comma-separated list of positive integers, e.g. widths ``64,256,1024``."""
    items = [x.strip() for x in text.split(",")]
    try:
        values = [int(x) for x in items]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a comma-separated list of positive integers")
    return values
