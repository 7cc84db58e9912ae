"""The API page of the documentation: one ``automodule`` block per public module, each public name once.

A name is documented in the module that *defines* it (a top-level ``def``, ``class`` or assignment in
that module's source), never where it is only re-exported: the package ``lrinit_verify``, a subpackage
``__init__`` that gathers its modules' names, or a module that re-imports a moved helper for old
import paths. The members of a module are its ``__all__`` (its public top-level names when it has
none) restricted to the names it defines.

Example:
    >>> import lrinit_verify.theory.edge as edge
    >>> "spectral_radius_cdf" in members(edge)
    True
    >>> "prob_all_real" in members(edge)  # defined in theory.real_eigenvalues, re-imported by edge
    False
    >>> ".. automodule:: lrinit_verify.theory.edge" in api_markdown()
    True
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

#: Optional dependencies (package extras): a module needing one that is absent is listed, not documented.
OPTIONAL = {"torch", "flint"}
#: Modules with nothing to document (``python -m`` entry point).
SKIP_MODULES = {"lrinit_verify.__main__"}


def api_modules(package: str = "lrinit_verify") -> tuple[list[str], list[tuple[str, str]]]:
    """``(documented, skipped)``: every public module of ``package`` (recursively), importable or not.

    A stable-path alias (``lrinit_verify.strategies`` is ``lrinit_verify.rigor.strategies``) is
    documented at home only; a private module is documented when the package exports a name it
    defines (``sample_hessenberg`` lives in ``sampling._hessenberg``); ``skipped`` pairs a module with
    the optional dependency it lacks.
    """
    pkg = importlib.import_module(package)
    names = [package] + sorted(
        m.name
        for m in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}.")
        if not m.name.rsplit(".", 1)[-1].startswith("_") and m.name not in SKIP_MODULES
    )
    documented, skipped = [], []
    for name in names:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] not in OPTIONAL:
                raise
            skipped.append((name, exc.name))
            continue
        if module.__name__ == name:
            documented.append(name)
    homes = {getattr(getattr(pkg, n), "__module__", None) for n in getattr(pkg, "__all__", ())}
    documented += sorted(h for h in homes if h and h.startswith(f"{package}.") and h not in documented)
    return documented, skipped


def defined_names(module) -> set[str]:
    """Names bound at the top level of ``module``'s own source (``def``, ``class``, assignment)."""
    names: set[str] = set()
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def members(module) -> list[str]:
    """The public names documented with ``module``: its ``__all__`` (else its public top-level names)
    that it defines itself, in the order given."""
    public = getattr(module, "__all__", None)
    if public is None:
        public = [n for n in vars(module) if not n.startswith("_")]
    defined = defined_names(module)
    return [n for n in public if n in defined]


def api_markdown(package: str = "lrinit_verify") -> str:
    """The body of ``docs/api.md``'s generated part: MyST blocks of ``automodule`` directives."""
    documented, skipped = api_modules(package)
    parts = []
    for name in documented:
        # the package itself only re-exports (its lazy ``audit`` points to auditing.api.audit)
        names = members(importlib.import_module(name)) if name != package else []
        option = f"   :members: {', '.join(names)}\n" if names else ""
        parts.append(f"## `{name}`\n\n```{{eval-rst}}\n.. automodule:: {name}\n{option}```\n")
    if skipped:
        parts.append(
            "## Not documented in this build\n\n"
            + "\n".join(f"- `{name}`: needs the optional dependency `{dep}`" for name, dep in skipped)
            + "\n"
        )
    return "\n".join(parts)
