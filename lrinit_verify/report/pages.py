r"""Render the derivations of ``proofs/`` and the figures to Markdown pages (``lrinit-verify docs``).

:func:`render_docs` first evaluates every derivation's assertions — a false one raises
:class:`DerivationCheckFailed` before anything is written, so the documentation build fails rather
than publish a derivation the code no longer supports — then writes, under the output directory:

* one page ``<slug>.md`` per derivation (``Derivation.to_markdown()``, LaTeX in ``$$…$$``);
* ``figures/*.png`` and a ``figures.md`` page, drawn by :mod:`lrinit_verify.report.figures`;
* ``findings.md``, the findings report of :mod:`lrinit_verify.report.findings` at the quick budget;
* ``index.md`` listing everything (with a hidden MyST ``toctree`` for Sphinx).

Files written by a previous run (listed in ``.generated``) are removed first; nothing else in the
directory is touched. Randomness is explicit: every figure draws from ``SeedSequence(seed)``.

Example:
    >>> import tempfile, pathlib
    >>> out = render_docs(tempfile.mkdtemp(), figures=False, findings=False)
    >>> sorted(p.name for p in out.pages)[:2]
    ['edge-explosion-length.md', 'edge-gumbel-rescaling.md']
    >>> (out.out_dir / "index.md").exists()
    True
"""

from __future__ import annotations

import pathlib
import re
import time
from dataclasses import dataclass, field

from lrinit_verify import _validate as v
from lrinit_verify.report.figures import FIGURES, figures_page, render_figures
from lrinit_verify.report.findings import findings_markdown, findings_rows

#: Where ``lrinit-verify docs`` writes by default (the Sphinx site reads it from there).
DEFAULT_OUT = "docs/derivations"
#: File listing what the last run wrote (removed before the next run).
MANIFEST = ".generated"
#: Figures shown on derivation pages, by slug (missing slugs are simply skipped).
FIGURES_FOR = {
    "edge-gumbel-rescaling": ("radius_histogram", "rescale_factor"),
    "edge-explosion-length": ("trajectories",),
    "edge-spectral-variance-bound": ("trajectories",),
    "energy-critical-limit": ("energy_collapse",),
}


class DerivationCheckFailed(AssertionError):
    """A derivation's assertion is false (or raised): the documentation must not be built."""


@dataclass
class Rendered:
    """What :func:`render_docs` wrote."""

    out_dir: pathlib.Path
    pages: list[pathlib.Path] = field(default_factory=list)
    figures: list[pathlib.Path] = field(default_factory=list)
    assertions: int = 0
    findings: str = "not requested"
    seconds: float = 0.0


# --- derivations ---------------------------------------------------------------------------


def collect(derivations=None) -> dict[str, list]:
    """``{source: [Derivation]}``: every module of ``proofs/`` (default) or the given derivations."""
    if derivations is not None:
        return {"(given)": list(derivations)}
    from proofs.registry import derivations_by_module

    return derivations_by_module()


def verify_all(groups: dict[str, list]) -> int:
    """Evaluate every assertion; raise :class:`DerivationCheckFailed` naming the first failure."""
    count = 0
    for source, found in groups.items():
        for d in found:
            try:
                count += len(d.verify())
            except AssertionError as exc:
                raise DerivationCheckFailed(f"{source}: {exc}") from exc
            except Exception as exc:  # an assertion that crashes is a failed assertion
                raise DerivationCheckFailed(f"{source}: derivation {d.slug!r}: {type(exc).__name__}: {exc}") from exc
    return count


def derivation_page(d, source: str, figure_names) -> str:
    """The Markdown page of one derivation: its own rendering, its figures, and its source."""
    text = d.to_markdown().rstrip() + "\n"
    shown = [name for name in FIGURES_FOR.get(d.slug, ()) if name in figure_names]
    if shown:
        text += "\n## Figures\n\n" + "\n".join(f"![{FIGURES[name][0]}](figures/{name}.png)\n" for name in shown)
    return text + f"\n---\n*Generated from `{source}` by `lrinit-verify docs`; do not edit.*\n"


def findings_page(*, seed=0) -> str:
    """The findings report (:mod:`lrinit_verify.report.findings`) at the quick budget, as Markdown."""
    return findings_markdown(findings_rows(budget="quick", seed=seed), budget="quick", seed=seed)


# --- docstrings for Sphinx autodoc ----------------------------------------------------------

_TOKENS = re.compile(
    r"(?P<bullet>^[ \t]*\*(?= ))"
    r"|(?P<literal>``.+?``)"
    r"|(?P<role>:[\w:.+-]+:`[^`]+`)"
    r"|(?P<ref>`[^`]+`_{0,2})"
    r"|(?P<display>\$\$(?:(?!\n\s*\n).)+?\$\$)"
    r"|(?P<inline>(?<![\\\w])\$(?![\s$])(?:(?!\n\s*\n)[^$])+?(?<![\s\\])\$)"
    r"|(?P<strong>\*\*[^*\n]+?\*\*)"
    r"|(?P<emph>(?<![\w*])\*[^\s*][^*\n]*?(?<!\s)\*(?![\w*]))",
    re.DOTALL | re.MULTILINE,
)
_BULLET = re.compile(r"^(\s*)[-*] ")


def _escape_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", r"\|").replace("*", r"\*").replace("`", r"\`")


def _rst_paragraph(text: str) -> str:
    out, pos = [], 0
    for m in _TOKENS.finditer(text):
        out.append(_escape_text(text[pos : m.start()]))
        kind, tok = m.lastgroup, m.group()
        if kind in ("display", "inline"):
            body = " ".join(tok.strip("$").split())
            tok = rf"\ :math:`{body}`\ "
        out.append(tok)
        pos = m.end()
    out.append(_escape_text(text[pos:]))
    return "".join(out)


def _blank_before_bullets(lines: list[str]) -> list[str]:
    out: list[str] = []
    bullet_indent = None
    for line in lines:
        indent = len(line) - len(line.lstrip())
        bullet = _BULLET.match(line)
        if not line.strip():
            bullet_indent = None
        elif bullet and bullet_indent is None and out and out[-1].strip():
            out.append("")
        elif not bullet and bullet_indent is not None and indent <= bullet_indent:
            out.append("")
            bullet_indent = None
        if bullet:
            bullet_indent = indent
        out.append(line)
    return out


def rst_docstring(lines: list[str]) -> list[str]:
    r"""Docstring lines as reStructuredText for autodoc: ``$…$`` → ``:math:``, stray ``|``/``*`` escaped.

    The package's docstrings are written for readers of the source (inline ``$…$`` math,
    ``**Arguments:**`` followed directly by ``-`` bullets, ``|x|`` for moduli); this makes them valid
    reStructuredText without changing what they say. Doctest and literal blocks are left alone.

    >>> rst_docstring([r"Radius $|\lambda|$ of |x| and x^*.", "**Arguments:**", "- ``n`` width"])
    ['Radius \\ :math:`|\\lambda|`\\  of \\|x\\| and x^\\*.', '**Arguments:**', '', '- ``n`` width']
    """
    out: list[str] = []
    block: list[str] = []
    literal_indent = None

    def flush():
        if block:
            text = _rst_paragraph("\n".join(block))
            out.extend(text.split("\n"))
            block.clear()

    for line in _blank_before_bullets(list(lines)):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if literal_indent is not None and (not stripped or indent > literal_indent):
            out.append(line)
            continue
        literal_indent = None
        if stripped.startswith(">>>") or not stripped:
            flush()
            if stripped.startswith(">>>"):
                literal_indent = indent - 1  # the doctest block runs to the next blank line
            out.append(line)
            if not stripped:
                literal_indent = None
            continue
        block.append(line)
        if stripped.endswith("::"):
            flush()
            literal_indent = indent
    flush()
    return out


# --- the index and the driver ---------------------------------------------------------------


def index_page(groups, *, figure_names, findings: bool, assertions: int) -> str:
    pages = [d.slug for found in groups.values() for d in found]
    extra = (["figures"] if figure_names else []) + (["findings"] if findings else [])
    lines = ["# Derivations", "",
             ("Generated by `lrinit-verify docs` from the sympy objects in `proofs/`: each page is the "
              "derivation the tests check, step by step, with the justification of every step. "
              f"All {assertions} assertions listed on the pages held when these pages were built "
              "(a false one stops the build)."), "",
             "```{toctree}", ":hidden:", ":maxdepth: 1", "", *pages, *extra, "```", ""]
    for source, found in groups.items():
        lines += [f"## `{source}`", ""]
        lines += [f"- [{d.title}]({d.slug}.md) — {d.summary} *({d.provenance}; {len(d.steps)} steps, "
                  f"{len(d.assertions)} checked assertions)*" for d in found]
        lines.append("")
    if extra:
        lines += ["## Figures and findings", ""]
        if figure_names:
            lines += ["- [Figures](figures.md): " + "; ".join(FIGURES[n][0] for n in figure_names)]
        if findings:
            lines += ["- [Findings](findings.md): the rescaled-Glorot guarantee at practical widths"]
        lines.append("")
    return "\n".join(lines)


def _clean_previous(out_dir: pathlib.Path) -> None:
    manifest = out_dir / MANIFEST
    if not manifest.exists():
        return
    for rel in manifest.read_text(encoding="utf-8").split():
        target = (out_dir / rel).resolve()
        if target.is_file() and out_dir.resolve() in target.parents:
            target.unlink()


def render_docs(out_dir=DEFAULT_OUT, *, derivations=None, figures=True, findings=True, seed=0, quick=False,
                progress=None) -> Rendered:
    """Verify every derivation, then write the pages, figures and index under ``out_dir``.

    **Arguments:**

    - ``out_dir``: output directory (created if needed).
    - ``derivations``: the derivations to render (default: every module of ``proofs/``).
    - ``figures`` / ``findings``: draw the figures / include the findings report.
    - ``seed``: master seed of the figures' randomness; ``quick``: smaller figures (for tests).
    - ``progress``: optional callable receiving one-line messages.

    **Returns:** a :class:`Rendered` record. Raises :class:`DerivationCheckFailed` if an assertion fails.
    """
    started = time.perf_counter()
    seed = v.nonnegative_int("seed", seed)
    out = pathlib.Path(out_dir)
    groups = collect(derivations)
    assertions = verify_all(groups)
    out.mkdir(parents=True, exist_ok=True)
    _clean_previous(out)
    result = Rendered(out_dir=out, assertions=assertions)
    figure_names = list(FIGURES) if figures else []
    if figures:
        result.figures = render_figures(out / "figures", seed=seed, quick=quick, progress=progress)
    written = []
    for source, found in groups.items():
        for d in found:
            written.append(_write(out / f"{d.slug}.md", derivation_page(d, source, figure_names)))
    result.pages = list(written)
    if figures:
        written.append(_write(out / "figures.md", figures_page(figure_names, seed=seed, quick=quick)))
    has_findings = False
    if findings:
        if progress is not None:
            progress("findings report")
        written.append(_write(out / "findings.md", findings_page(seed=seed)))
        result.findings, has_findings = "included (budget quick)", True
    written.append(_write(out / "index.md", index_page(groups, figure_names=figure_names, findings=has_findings,
                                                       assertions=assertions)))
    names = [p.relative_to(out).as_posix() for p in written + result.figures]
    (out / MANIFEST).write_text("\n".join(names) + "\n", encoding="utf-8")
    result.seconds = time.perf_counter() - started
    return result


def _write(path: pathlib.Path, text: str) -> pathlib.Path:
    path.write_text(text, encoding="utf-8")
    return path
