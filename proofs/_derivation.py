r"""The derivation model every module in ``proofs/`` uses.

A :class:`Derivation` is a titled sequence of :class:`Step` s, each with prose, a sympy
expression (or equation) and a justification — ``identity``, ``substitution``, ``limit``,
``lemma: <reference>``, ``definition``, ``computation`` — followed by named assertions
(callables returning ``True``) that the tests reuse. ``to_markdown()`` renders it with LaTeX in
``$$…$$`` blocks, readable on its own.

Example:
    >>> import sympy as sp
    >>> x = sp.symbols("x")
    >>> d = Derivation("demo", "A demo", "Squares.")
    >>> _ = d.step("Define $f$.", sp.Eq(sp.Function("f")(x), x**2), "definition")
    >>> d.check("f(2) = 4", lambda: (x**2).subs(x, 2) == 4)
    >>> d.verify()
    {'f(2) = 4': True}
    >>> "$$" in d.to_markdown()
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

JUSTIFICATIONS = ("definition", "identity", "substitution", "limit", "lemma", "computation", "assumption")


class TexSymbol(sp.Symbol):
    r"""A symbol printed verbatim in LaTeX (sympy would read ``_`` and ``^`` in its name as indices).

    >>> sp.latex(TexSymbol(r"\|h_t\|^2"))
    '\\|h_t\\|^2'
    """

    def _latex(self, printer):
        return self.name


@dataclass
class Step:
    """One step: prose, a sympy object, and why it follows."""

    text: str
    expr: object = None
    justification: str = "identity"

    def __post_init__(self):
        kind = self.justification.split(":", 1)[0].strip()
        if kind not in JUSTIFICATIONS:
            raise ValueError(f"justification={self.justification!r} must start with one of {JUSTIFICATIONS}")

    def latex(self) -> str:
        return "" if self.expr is None else sp.latex(self.expr)


@dataclass
class Derivation:
    """A named derivation: ``slug`` (page name), ``title``, ``summary``, steps and assertions."""

    slug: str
    title: str
    summary: str
    provenance: str = "derived"
    steps: list[Step] = field(default_factory=list)
    assertions: dict[str, Callable[[], bool]] = field(default_factory=dict)

    def step(self, text: str, expr=None, justification: str = "identity"):
        """Append a step and return its expression (so derivations read top to bottom)."""
        self.steps.append(Step(text, expr, justification))
        return expr

    def check(self, name: str, predicate: Callable[[], bool]) -> None:
        """Register a named assertion, evaluated by :meth:`verify`."""
        if name in self.assertions:
            raise ValueError(f"name={name!r} is already an assertion of {self.slug!r}")
        self.assertions[name] = predicate

    def verify(self) -> dict[str, bool]:
        """Evaluate every assertion; raise ``AssertionError`` naming the first that fails."""
        results = {}
        for name, predicate in self.assertions.items():
            ok = bool(predicate())
            if not ok:
                raise AssertionError(f"derivation {self.slug!r}: assertion {name!r} failed")
            results[name] = ok
        return results

    def to_markdown(self) -> str:
        """Markdown with ``$$…$$`` display math, one numbered step per paragraph."""
        lines = [f"# {self.title}", "", f"*Provenance: {self.provenance}.* {self.summary}", ""]
        for i, s in enumerate(self.steps, start=1):
            lines += [f"**Step {i}** ({s.justification}). {s.text}", ""]
            if s.expr is not None:
                lines += ["$$", s.latex(), "$$", ""]
        if self.assertions:
            lines += ["**Checked assertions** (evaluated when this page is built):", ""]
            lines += [f"- {name}" for name in self.assertions] + [""]
        return "\n".join(lines)
