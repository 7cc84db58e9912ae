"""The documentation shows the math correctly: sources hold no control bytes, every formula on a
rendered derivation page parses (matplotlib's mathtext, after a small documented MathJax-to-mathtext
translation), sympy symbols are printed as their names say, and factorials use the prose's arrows.

Each check has a companion that feeds it the defect it exists to catch (a BEL byte, sympy's mangled
``E^{2}_{u\\|h t\\|}``, sympy's ``n^{(k)}``, an unbalanced brace) and asserts that it is rejected.
"""

from __future__ import annotations

import pathlib
import re

import pytest
import sympy as sp
from matplotlib.mathtext import MathTextParser

from proofs._derivation import Derivation, TexSymbol, latex
from proofs.registry import all_derivations

ROOT = pathlib.Path(__file__).resolve().parent.parent
#: Text files of the project (sources, docs, configuration) that must be free of control bytes.
SOURCE_GLOBS = (
    "lrinit_verify/**/*.py",
    "proofs/**/*.py",
    "tests/**/*.py",
    "scripts/**/*.py",
    "docs/**/*.md",
    "docs/**/*.py",
    "*.md",
    "*.toml",
    ".ci/*",
)
#: Control bytes other than tab, newline and carriage return (a ``"\approx"`` in a non-raw string is BEL).
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- control bytes ----------------------------------------------------------------------------


def control_bytes(path: pathlib.Path) -> list[tuple[int, bytes]]:
    """``[(line number, line)]`` of the lines of ``path`` that hold a control byte."""
    lines = path.read_bytes().split(b"\n")
    return [(i + 1, line) for i, line in enumerate(lines) if CONTROL.search(line)]


def project_text_files() -> list[pathlib.Path]:
    files = {p for pattern in SOURCE_GLOBS for p in ROOT.glob(pattern) if p.is_file()}
    return sorted(p for p in files if "derivations" not in p.parts and "_build" not in p.parts)


def test_no_source_file_holds_control_bytes():
    files = project_text_files()
    assert len(files) > 50
    bad = {str(p.relative_to(ROOT)): control_bytes(p)[:3] for p in files if control_bytes(p)}
    assert not bad, f"control bytes (a backslash escape in a non-raw string?): {bad}"


def test_control_byte_check_catches_a_bel_byte(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_bytes(b'"""$x \x07pprox 1$"""\n')  # what "\approx" becomes in a non-raw docstring
    assert control_bytes(planted) == [(1, b'"""$x \x07pprox 1$"""')]


def test_no_raw_newline_where_a_backslash_r_was_meant():
    # "\rho" in a non-raw string is a carriage return; on disk it became a line break after "P(" or "$".
    pattern = re.compile(r"P\($\n\s*ho\b|\$\n\s*ho \\le", re.MULTILINE)
    hits = [
        str(p.relative_to(ROOT))
        for p in project_text_files()
        if p.suffix == ".py" and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert not hits


# --- math on the rendered pages ---------------------------------------------------------------

_MATRIX = re.compile(r"(?:\\left\[)?\\begin\{(matrix|cases)\}(.*?)\\end\{\1\}(?:\\right\])?", re.DOTALL)
#: MathJax constructs mathtext lacks, mapped to what mathtext parses (spacing/size only, no meaning).
_TRANSLATE = [
    (re.compile(r"\\[td]frac"), r"\\frac"),
    (re.compile(r"\\(displaystyle|limits|nolimits)(?![A-Za-z])"), ""),
    (re.compile(r"\\[Bb]igg?[lr]?(?![A-Za-z])"), ""),
    (re.compile(r"\\(mathbb|mathrm|mathcal)\s+(\w)"), r"\\\1{\2}"),
    (re.compile(r"\\(sqrt|overline|hat|bar|tilde|vec)\s*(\\[A-Za-z]+|[A-Za-z0-9])"), r"\\\1{\2}"),
    (re.compile(r"\\gtrsim"), r"\\geq"),
    (re.compile(r"\\lesssim"), r"\\leq"),
    (re.compile(r"\\ge(?![a-zA-Z])"), r"\\geq"),
    (re.compile(r"\\le(?![a-zA-Z])"), r"\\leq"),
    (re.compile(r"\\iff(?![A-Za-z])"), r"\\Leftrightarrow"),
    (re.compile(r"\\bmod(?![A-Za-z])"), r"\\mathrm{mod}"),
    (re.compile(r"\\[:>]"), r"\\,"),
]
_PARSER = MathTextParser("path")


def math_chunks(markdown: str) -> list[str]:
    """Every ``$$…$$`` block and inline ``$…$`` of a page (code spans removed first).

    >>> math_chunks("a $x^2$ b $$y$$ `$not$`")
    ['y', 'x^2']
    """
    text = re.sub(r"`[^`]*`", "", markdown)
    blocks = re.findall(r"\$\$(.+?)\$\$", text, re.DOTALL)
    rest = re.sub(r"\$\$.+?\$\$", "", text, flags=re.DOTALL)
    return [b.strip() for b in blocks] + re.findall(r"(?<![\\$])\$([^$\n]+?)\$", rest)


def mathtext_pieces(tex: str) -> list[str]:
    """``tex`` translated for mathtext; a matrix becomes one piece per cell."""
    pieces = []

    def cells(match):
        for row in match.group(2).split(r"\\"):
            pieces.extend(cell for cell in row.split("&") if cell.strip())
        return "M"

    main = _MATRIX.sub(cells, tex)
    out = []
    for piece in [main, *pieces]:
        for pattern, repl in _TRANSLATE:
            piece = pattern.sub(repl, piece)
        out.append(" ".join(piece.split()))
    return out


def parse_error(tex: str) -> str | None:
    """``None`` when every piece of ``tex`` parses, else the first error message."""
    for piece in mathtext_pieces(tex):
        try:
            _PARSER.parse(f"${piece}$")
        except ValueError as exc:
            return f"{piece!r}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
    return None


@pytest.fixture(scope="module")
def pages():
    return {d.slug: d.to_markdown() for d in all_derivations()}


def test_every_formula_on_every_derivation_page_parses(pages):
    # mathtext parses slowly (tens of ms a formula): each distinct formula with TeX markup once
    where = {}
    for slug, text in pages.items():
        for chunk in math_chunks(text):
            where.setdefault(chunk, slug)
    marked = [c for c in where if re.search(r"[\\^_{}]", c)]
    assert len(marked) > 150
    failures = {}
    for chunk in marked:
        if (err := parse_error(chunk)) is not None:
            failures.setdefault(where[chunk], []).append(err)
    assert not failures, failures


@pytest.mark.parametrize("broken", [r"\frac{a}{b", r"x^{2", r"\notacommand x", r"a \over"])
def test_math_check_rejects_broken_tex(broken):
    assert parse_error(broken) is not None


def test_math_check_accepts_the_translated_mathjax_forms():
    assert parse_error(r"\left[\begin{matrix}1 & \frac{1}{n}\\2 & 3\end{matrix}\right]") is None
    assert parse_error(r"\tfrac{1}{2} \mathbb R \Big| \displaystyle\sum\limits_{k} x") is None


# --- symbols as their names say, factorials with arrows --------------------------------------

_SIMPLE = re.compile(r"^\\?[A-Za-z]+(_\\?[A-Za-z0-9]+)?$")
_SYMPY_FACTORIAL = re.compile(r"\}\^\{\\left\(|\}_\{\\left\(")


def unfaithful_symbols(expr) -> list[tuple[str, str]]:
    """Plain sympy symbols whose printed LaTeX is not what their name says: ``[(name, latex)]``.

    A name is safe if it is a simple identifier with at most a one-token subscript (``gamma_n``,
    ``\\rho_x``), or if sympy prints it verbatim (``S_{n,t}``); anything else (``\\|W^k\\|_F^2``,
    ``\\varepsilon_1(t)``) must be a :class:`TexSymbol`.
    """
    if not isinstance(expr, sp.Basic):
        return []
    out = []
    for sym in expr.atoms(sp.Symbol):
        if isinstance(sym, TexSymbol) or sym.name in ("+", "-", "+-"):  # Limit directions
            continue
        printed = sp.latex(sym)
        if not (_SIMPLE.match(sym.name) or printed == sym.name):
            out.append((sym.name, printed))
    return out


def test_every_symbol_prints_as_named():
    bad = {
        d.slug: unfaithful_symbols(s.expr)
        for d in all_derivations()
        for s in d.steps
        if unfaithful_symbols(s.expr)
    }
    assert not bad, bad


@pytest.mark.parametrize("name", [r"E_u\|h_t\|^2", r"\|W^k\|_F^2", r"\varepsilon_1(t)"])
def test_symbol_check_catches_the_mangled_names(name):
    assert unfaithful_symbols(sp.Eq(sp.Symbol(name), 1)) != []
    assert unfaithful_symbols(sp.Eq(TexSymbol(name), 1)) == []


def test_factorials_print_with_arrows_on_every_page(pages):
    for slug, text in pages.items():
        assert not _SYMPY_FACTORIAL.search(text), slug
    assert r"(n)^{\uparrow}_{t + 2}" in pages["energy-closed-form"]
    n, k = sp.symbols("n k")
    assert _SYMPY_FACTORIAL.search(sp.latex(sp.rf(n, k)) + sp.latex(sp.ff(n, k)))  # what the check exists for
    assert not _SYMPY_FACTORIAL.search(latex(sp.rf(n, k)) + latex(sp.ff(n, k)))


def test_in_distribution_steps_cannot_display_an_equation():
    d = Derivation("demo", "Demo", "Demo.")
    x = sp.Symbol("x")
    with pytest.raises(ValueError, match="ConvergesInLaw"):
        d.step("A limit in law.", sp.Eq(x, 1), "in distribution: Rider (2003)")
    with pytest.raises(ValueError, match="must start with one of"):
        d.step("Unknown kind.", x, "folklore")
