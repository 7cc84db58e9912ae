"""Discover every derivation in ``proofs/``.

Any module of this package (names not starting with ``_``) that defines ``derivations()`` returning
:class:`~proofs._derivation.Derivation` objects is picked up with :mod:`pkgutil`, so a new family
module needs no registration. Slugs (page names) must be unique across modules.

Example:
    >>> slugs = [d.slug for d in all_derivations()]
    >>> "edge-gumbel-rescaling" in slugs and len(slugs) == len(set(slugs))
    True
"""

from __future__ import annotations

import importlib
import pkgutil

from ._derivation import Derivation

#: Modules of ``proofs/`` that are infrastructure, not derivation families.
_SKIP = frozenset({"registry"})


def derivation_modules() -> list[str]:
    """Fully qualified names of the ``proofs`` modules that define ``derivations()``, sorted."""
    package = importlib.import_module(__package__)
    names = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_") or info.name in _SKIP or info.ispkg:
            continue
        name = f"{__package__}.{info.name}"
        if callable(getattr(importlib.import_module(name), "derivations", None)):
            names.append(name)
    return sorted(names)


def module_derivations(name: str) -> list[Derivation]:
    """The derivations of one module, type-checked (a module must return ``Derivation`` objects)."""
    found = list(importlib.import_module(name).derivations())
    for d in found:
        if not isinstance(d, Derivation):
            raise TypeError(f"{name}.derivations() returned {type(d).__name__!r}, expected Derivation")
    return found


def derivations_by_module() -> dict[str, list[Derivation]]:
    """``{module name: [derivations]}`` in the order of :func:`derivation_modules`; slugs unique."""
    seen: dict[str, str] = {}
    out: dict[str, list[Derivation]] = {}
    for name in derivation_modules():
        out[name] = module_derivations(name)
        for d in out[name]:
            if d.slug in seen:
                raise ValueError(f"slug={d.slug!r} of {name} is already used by {seen[d.slug]}")
            seen[d.slug] = name
    return out


def all_derivations() -> list[Derivation]:
    """Every derivation of every module, grouped by module (sorted by name), in each module's order."""
    return [d for found in derivations_by_module().values() for d in found]
