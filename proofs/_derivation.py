r"""The derivation model every module in ``proofs/`` uses.

A :class:`Derivation` is a titled sequence of :class:`Step` s, each with prose, a sympy
expression (or equation) and a justification, followed by named assertions (callables returning
``True``) that the tests reuse. ``to_markdown()`` renders it with LaTeX in ``$$…$$`` blocks,
readable on its own.

Justification kinds (:data:`JUSTIFICATIONS`; a ``: <detail>`` may follow the kind):

* exact — ``definition`` (introduces notation, asserts nothing), ``identity`` (holds exactly),
  ``substitution``, ``computation`` (evaluated, e.g. enumerated or numerically certified),
  ``lemma: <reference>`` (a cited published result), ``assumption`` (a hypothesis of the page);
* not exact — ``limit`` (an exact limit), ``asymptotic`` (a truncated expansion: the displayed
  equation holds up to the stated error term, shown with ``\approx`` or an explicit $O(\cdot)$),
  ``in distribution`` (a limit in law, shown with :class:`ConvergesInLaw`), ``heuristic`` (a
  plausibility argument: what the step displays is not claimed to hold).

Rising and falling factorials print as $(n)^{\uparrow}_k$ and $(n)^{\downarrow}_k$ (the prose's
notation; sympy's default $n^{(k)}$ / $(n)_{k}$ reads the other way round to many readers).

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

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp
from sympy.printing.latex import LatexPrinter

JUSTIFICATIONS = (
    "definition",
    "identity",
    "substitution",
    "limit",
    "lemma",
    "computation",
    "assumption",
    "asymptotic",
    "in distribution",
    "heuristic",
)
#: Kinds whose displayed relation is not an exact equality at finite size.
INEXACT = ("limit", "asymptotic", "in distribution", "heuristic")


class _Printer(LatexPrinter):
    """sympy's LaTeX printer with the prose's factorial notation."""

    def _print_RisingFactorial(self, expr):
        x, k = expr.args
        return rf"({self._print(x)})^{{\uparrow}}_{{{self._print(k)}}}"

    def _print_FallingFactorial(self, expr):
        x, k = expr.args
        return rf"({self._print(x)})^{{\downarrow}}_{{{self._print(k)}}}"


def latex(expr) -> str:
    r"""LaTeX of a sympy object as the derivation pages print it.

    >>> n, k = sp.symbols("n k")
    >>> latex(sp.rf(n, k)), latex(sp.ff(n, k + 1))
    ('(n)^{\\uparrow}_{k}', '(n)^{\\downarrow}_{k + 1}')
    """
    return _Printer().doprint(expr)


class TexSymbol(sp.Symbol):
    r"""A symbol printed verbatim in LaTeX (sympy would read ``_`` and ``^`` in its name as indices).

    >>> sp.latex(TexSymbol(r"\|h_t\|^2"))
    '\\|h_t\\|^2'
    """

    def _latex(self, printer):
        return self.name


class _Relation(sp.Basic):
    _op = "="

    def __new__(cls, lhs, rhs):
        return super().__new__(cls, sp.sympify(lhs), sp.sympify(rhs))

    @property
    def lhs(self):
        return self.args[0]

    @property
    def rhs(self):
        return self.args[1]

    def _latex(self, printer):
        return f"{printer._print(self.lhs)} {self._op} {printer._print(self.rhs)}"


class ConvergesInLaw(_Relation):
    r"""``lhs`` converges in distribution to ``rhs``, printed $\overset{d}{\to}$ (not an equation).

    >>> latex(ConvergesInLaw(sp.Symbol("X_n"), sp.Symbol("X")))
    'X_{n} \\overset{d}{\\to} X'
    """

    _op = r"\overset{d}{\to}"


class Approx(_Relation):
    r"""``lhs`` $\approx$ ``rhs``: an asymptotic or heuristic relation, printed with ``\approx``.

    >>> latex(Approx(sp.Symbol("a"), 1))
    'a \\approx 1'
    """

    _op = r"\approx"


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
        exact_eq = isinstance(self.expr, sp.Equality) and not self.expr.has(sp.Order)
        if kind in ("in distribution", "heuristic", "asymptotic") and exact_eq:
            raise ValueError(
                f"justification={self.justification!r}: an exact sp.Eq would read as an equation; "
                "use ConvergesInLaw / Approx, or keep the O(...) term"
            )

    def latex(self) -> str:
        return "" if self.expr is None else latex(self.expr)


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
