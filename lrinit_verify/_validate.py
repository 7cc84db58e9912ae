"""Argument validation shared by every public function.

Each helper returns the normalised value or raises :class:`~lrinit_verify._errors.InvalidArgument` (a ``ValueError``) whose message names
the argument and the value it received, e.g. ``n=-3 must be a positive integer``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from lrinit_verify._errors import InvalidArgument

FIELDS = ("real", "complex")


def _is_integral(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, numbers.Integral):
        return True
    return False


def positive_int(name: str, value, *, min_value: int = 1) -> int:
    """Return ``value`` as ``int`` if it is an integer ``>= min_value``."""
    if not _is_integral(value) or int(value) < min_value:
        what = "a positive integer" if min_value == 1 else f"an integer >= {min_value}"
        raise InvalidArgument(f"{name}={value!r} must be {what}")
    return int(value)


def nonnegative_int(name: str, value) -> int:
    """Return ``value`` as ``int`` if it is an integer ``>= 0``."""
    if not _is_integral(value) or int(value) < 0:
        raise InvalidArgument(f"{name}={value!r} must be a non-negative integer")
    return int(value)


def finite_real(name: str, value) -> float:
    """Return ``value`` as ``float`` if it is a finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidArgument(f"{name}={value!r} must be a finite real number")
    value = float(value)
    if not math.isfinite(value):
        raise InvalidArgument(f"{name}={value!r} must be a finite real number")
    return value


def nonnegative_real(name: str, value) -> float:
    """Return ``value`` as ``float`` if it is a finite real ``>= 0``."""
    out = finite_real(name, value)
    if out < 0:
        raise InvalidArgument(f"{name}={value!r} must be a non-negative real number")
    return out


def positive_real(name: str, value) -> float:
    """Return ``value`` as ``float`` if it is a finite real ``> 0``."""
    out = finite_real(name, value)
    if out <= 0:
        raise InvalidArgument(f"{name}={value!r} must be a positive real number")
    return out


def probability(name: str, value, *, open_interval: bool = False) -> float:
    """Return ``value`` as ``float`` if it lies in [0, 1] (or (0, 1) when ``open_interval``)."""
    out = finite_real(name, value)
    if open_interval and not 0.0 < out < 1.0:
        raise InvalidArgument(f"{name}={value!r} must be a probability strictly between 0 and 1")
    if not 0.0 <= out <= 1.0:
        raise InvalidArgument(f"{name}={value!r} must be a probability in [0, 1]")
    return out


def choice(name: str, value, options) -> str:
    """Return ``value`` if it is one of ``options``."""
    if value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise InvalidArgument(f"{name}={value!r} must be one of {listed}")
    return value


def field(value) -> str:
    """Validate the ``field`` argument: ``"real"`` or ``"complex"``."""
    return choice("field", value, FIELDS)


class _Required:
    """Default of the ``rng=`` / ``seed=`` pair of a sampler: exactly one of them must be given.

    Python cannot mark "one of two keywords" as required, so the signature shows this marker
    instead of a ``None`` that the function would reject.
    """

    def __repr__(self) -> str:
        return "<required: seed= or rng=>"


#: Default of ``rng=`` and ``seed=`` in every sampler (one of the two is required).
REQUIRED = _Required()


def randomness(rng, seed) -> tuple:
    """``(rng, seed)`` with the :data:`REQUIRED` marker read as ``None``."""
    return (None if rng is REQUIRED else rng), (None if seed is REQUIRED else seed)


def rng_from(rng=None, seed=None) -> np.random.Generator:
    """Return a numpy ``Generator`` from exactly one explicit source of randomness.

    Either ``rng`` (a ``numpy.random.Generator``) or ``seed`` (an int or ``SeedSequence``)
    must be given; there is no hidden global state.
    """
    rng, seed = randomness(rng, seed)
    if rng is not None and seed is not None:
        raise InvalidArgument(f"rng={rng!r} and seed={seed!r}: give only one source of randomness")
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise InvalidArgument(f"rng={rng!r} must be a numpy.random.Generator")
        return rng
    if seed is None:
        raise InvalidArgument("seed=None and rng=None: pass seed= (int) or rng= (numpy Generator) explicitly")
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    return np.random.default_rng(nonnegative_int("seed", seed))


def finite_array(name: str, values, *, nonnegative: bool = False, dtype=np.float64) -> np.ndarray:
    """``values`` as an array of ``dtype`` if every entry is finite (and ``>= 0`` when ``nonnegative``).

    The message names the argument, how many entries are bad and the first of them.

    >>> finite_array("r", [0.5, 1.0], nonnegative=True).tolist()
    [0.5, 1.0]
    """
    try:
        x = np.asarray(values, dtype=dtype)
    except (TypeError, ValueError):
        raise InvalidArgument(f"{name}={values!r} must be an array of numbers") from None
    bad = ~np.isfinite(x)
    if bad.any():
        raise InvalidArgument(
            f"{name} has {int(bad.sum())} non-finite entries "
            f"(first {x[bad].ravel()[0].item()!r}): it must be finite"
        )
    if nonnegative and x.size and np.min(x) < 0:
        raise InvalidArgument(
            f"{name} has {int((x < 0).sum())} negative entries "
            f"(first {float(x[x < 0].ravel()[0])!r}): it must be non-negative"
        )
    return x
