"""Documentation: derivation pages and figures render, a false derivation stops the build, the
site's examples run. The full Sphinx build is in the ``slow`` tier (CI builds the docs separately)."""

from __future__ import annotations

import doctest
import math
import pathlib
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy as sp

from lrinit_verify.cli.app import main
from lrinit_verify.report import pages as dr
from proofs._derivation import Derivation
from proofs.registry import all_derivations

ROOT = pathlib.Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n"


def _good(slug="good"):
    d = Derivation(slug, f"Title {slug}", "Summary.")
    x = sp.Symbol("x")
    d.step("Square.", sp.Eq(sp.Function("f")(x), x**2), "definition")
    d.check("f(2) = 4", lambda: (x**2).subs(x, 2) == 4)
    return d


def _bad():
    d = _good("bad")
    d.check("planted: 1 = 2", lambda: sp.Integer(1) == 2)
    return d


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return dr.render_docs(tmp_path_factory.mktemp("derivations"), quick=True, findings=False, seed=0)


def test_one_page_per_derivation_with_display_math(rendered):
    slugs = [d.slug for d in all_derivations()]
    assert sorted(p.stem for p in rendered.pages) == sorted(slugs)
    for page in rendered.pages:
        text = page.read_text(encoding="utf-8")
        assert text.startswith("# ") and "$$" in text and "**Checked assertions**" in text, page.name


def test_index_links_every_page_and_figure(rendered):
    index = (rendered.out_dir / "index.md").read_text(encoding="utf-8")
    for page in rendered.pages:
        assert f"]({page.name})" in index and f"\n{page.stem}\n" in index
    assert "figures.md" in index and "{toctree}" in index


def test_figures_are_non_empty_pngs(rendered):
    assert sorted(p.stem for p in rendered.figures) == sorted(dr.FIGURES)
    figures_md = (rendered.out_dir / "figures.md").read_text(encoding="utf-8")
    for fig in rendered.figures:
        data = fig.read_bytes()
        assert data.startswith(PNG) and len(data) > 10_000, fig.name
        assert f"figures/{fig.name}" in figures_md


def test_planted_false_assertion_fails_before_anything_is_written(tmp_path):
    out = tmp_path / "site"
    with pytest.raises(dr.DerivationCheckFailed, match="planted: 1 = 2"):
        dr.render_docs(out, derivations=[_good(), _bad()], figures=False, findings=False)
    assert not out.exists()


def test_crashing_assertion_counts_as_failure(tmp_path):
    d = _good()
    d.check("crashes", lambda: 1 / 0)
    with pytest.raises(dr.DerivationCheckFailed, match="ZeroDivisionError"):
        dr.render_docs(tmp_path, derivations=[d], figures=False, findings=False)


def test_rerender_removes_only_its_own_stale_files(tmp_path):
    (tmp_path / "notes.md").write_text("mine", encoding="utf-8")
    dr.render_docs(tmp_path, derivations=[_good("first")], figures=False, findings=False)
    dr.render_docs(tmp_path, derivations=[_good("second")], figures=False, findings=False)
    assert not (tmp_path / "first.md").exists() and (tmp_path / "second.md").exists()
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "mine"


def test_cli_writes_pages(tmp_path, capsys):
    assert main(["docs", "--out", str(tmp_path), "--no-figures", "--no-findings"]) == 0
    assert "derivation pages" in capsys.readouterr().out
    assert (tmp_path / "index.md").exists() and (tmp_path / "edge-gumbel-rescaling.md").exists()


def test_cli_exits_1_on_a_false_derivation(tmp_path, monkeypatch, capsys):
    import proofs.registry

    monkeypatch.setattr(proofs.registry, "derivations_by_module", lambda: {"proofs.planted": [_bad()]})
    assert main(["docs", "--out", str(tmp_path / "out"), "--no-figures", "--no-findings"]) == 1
    assert "planted: 1 = 2" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv", [["docs", "--seed", "-1"], ["docs", "--bogus"]])
def test_cli_bad_arguments_exit_2(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_docstrings_are_restructured_text_without_dollar_math():
    # one docstring format end to end: math is written :math:`...` in the source, nothing is translated
    # when the docs are built (a $...$ left in prose would render as literal dollars)
    import ast
    import re

    inline = re.compile(r"(?<![\\\w`])\$(?![\s$])[^$`]+?(?<![\s\\])\$")
    offenders = []
    for path in sorted((ROOT / "lrinit_verify").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            doc = (
                ast.get_docstring(node, clean=False)
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                else None
            )
            prose = "\n".join(
                line for line in (doc or "").splitlines() if not line.strip().startswith((">>>", "..."))
            )
            prose = re.sub(r"``.+?``", "", prose)
            if inline.search(prose):
                offenders.append(f"{path.relative_to(ROOT)}:{getattr(node, 'name', '<module>')}")
    assert not offenders, offenders


#: What a TeX command leaves when a non-raw string eats its backslash and first letter as an escape
#: (``\\rceil`` -> CR + "ceil", ``\\frac`` -> form feed + "rac", ``\\nu`` -> newline + "u", ...).
EATEN_TEX = ("ceil", "ho", "angle", "ight", "imes", "au", "heta", "ext", "rac", "eta", "inom", "abla")


def _math_roles(text: str):
    import re

    return re.findall(r":math:`([^`]*)`", text)


def test_math_roles_lost_no_backslash_escape():
    """A ``:math:`` role whose TeX lost ``\\r``/``\\t``/``\\f``/``\\b``/``\\n`` to a string escape."""
    import re

    eaten = re.compile(r"[\x07\x08\x0b\x0c\t\r]|\n\s*(?:" + "|".join(EATEN_TEX) + r")\b")
    offenders = []
    for path in sorted([*(ROOT / "lrinit_verify").rglob("*.py"), *(ROOT / "proofs").rglob("*.py")]):
        for role in _math_roles(path.read_text(encoding="utf-8")):
            if eaten.search(role):
                offenders.append(f"{path.relative_to(ROOT)}: {role[:50]!r}")
    assert not offenders, offenders
    planted = ":math:`X_{(\\lceil mp\n    ceil)}` and :math:`\x0crac{1}{2}`"  # the bug this guards
    assert all(eaten.search(role) for role in _math_roles(planted))


def test_figure_energies_match_theory_sanity_values():
    # the energy figure plots lrinit_verify.theory.energy (no private copy): S_{1,t} = t!, S_{n,2} = 1 + 1/n^2
    from lrinit_verify.theory.energy import log_energy, log_energy_sum

    for route in (log_energy, log_energy_sum):
        assert math.isclose(math.exp(route(1, 5)), math.factorial(5), rel_tol=1e-12)
        for n in (2, 7, 64):
            assert math.isclose(math.exp(route(n, 2)), float(1 + Fraction(1, n * n)), rel_tol=1e-12)
            assert math.isclose(math.exp(route(n, 1)), 1.0, rel_tol=1e-12)


@pytest.mark.parametrize("page", ["getting-started.md", "writing-checks.md"])
def test_site_examples_run(page):
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testfile(str(ROOT / "docs" / page), module_relative=False, optionflags=flags)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.slow
def test_sphinx_build_with_warnings_as_errors(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            str(ROOT / "docs"),
            str(tmp_path),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    for d in all_derivations():
        assert (tmp_path / "derivations" / f"{d.slug}.html").exists()
    assert (tmp_path / "api.html").exists() and (tmp_path / "getting-started.html").exists()
    # math renders offline: MathJax ships with the site, no page loads it from a CDN
    assert (tmp_path / "_static" / "mathjax" / "tex-chtml.js").exists()
    page = (tmp_path / "derivations" / "energy-closed-form-proof.html").read_text(encoding="utf-8")
    assert "_static/mathjax/tex-chtml.js" in page
    assert not [p.name for p in tmp_path.rglob("*.html") if "cdn.jsdelivr" in p.read_text(encoding="utf-8")]


@pytest.mark.slow
def test_sphinx_build_fails_on_a_false_derivation(tmp_path, monkeypatch, capsys):
    from sphinx.cmd.build import build_main

    import proofs.registry

    monkeypatch.setattr(proofs.registry, "derivations_by_module", lambda: {"proofs.planted": [_bad()]})
    monkeypatch.setenv("LRINIT_DOCS_QUICK", "1")
    assert build_main(["-W", "-q", "-b", "html", str(ROOT / "docs"), str(tmp_path)]) != 0
    captured = capsys.readouterr()
    assert "planted: 1 = 2" in captured.out + captured.err


def _documented_homes():
    """``{name: [module, ...]}`` over the API page's automodule blocks and their member lists."""
    import importlib

    from lrinit_verify.report.api_page import api_modules, members

    homes: dict[str, list] = {}
    documented, _ = api_modules()
    for name in documented:
        if name == "lrinit_verify":  # the package only re-exports (api_markdown gives it no members)
            continue
        module = importlib.import_module(name)
        for member in members(module):
            homes.setdefault(member, []).append(module)
    return homes


def _not_documented_once():
    """Names of ``lrinit_verify.__all__`` not documented exactly once, at the object's home."""
    import lrinit_verify as lv
    from lrinit_verify.auditing.api import audit

    homes, wrong = _documented_homes(), []
    for name in lv.__all__:
        obj = audit if name == "audit" else getattr(lv, name)  # the package's lazy wrapper calls it
        if len([m for m in homes.get(name, []) if getattr(m, name) is obj]) != 1:
            wrong.append(name)
    return wrong


def test_api_page_documents_every_exported_name_once_where_it_is_defined():
    assert _not_documented_once() == []


def test_api_page_without_the_defined_here_rule_documents_names_twice(monkeypatch):
    """Planted: members = a module's whole ``__all__`` (re-exports included), as plain autodoc does."""
    from lrinit_verify.report import api_page

    defined = api_page.defined_names
    monkeypatch.setattr(
        api_page, "members", lambda module: list(getattr(module, "__all__", None) or defined(module))
    )
    wrong = _not_documented_once()
    assert wrong and all(len(_documented_homes()[n]) > 1 for n in wrong)


def _python_blocks(path: pathlib.Path) -> list[str]:
    import re

    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def _unresolved_imports(block: str) -> list[str]:
    """The ``import`` / ``from ... import`` statements of a code block that fail."""
    import ast
    import importlib

    bad = []
    for node in ast.parse(block).body:
        if isinstance(node, ast.ImportFrom):
            module = importlib.import_module(node.module)
            bad += [f"{a.name} from {node.module}" for a in node.names if not hasattr(module, a.name)]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                try:
                    importlib.import_module(alias.name)
                except ImportError:
                    bad.append(alias.name)
    return bad


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "docs").glob("*.md")) + ["../README.md"])
def test_every_import_in_a_documented_python_block_resolves(page):
    """Blocks that need a sweep's output or minutes of compute are not run, but their imports are (a
    name that moved between modules would break a reader's first line). ``>>>`` blocks run as doctests."""
    blocks = [b for b in _python_blocks(ROOT / "docs" / page) if not b.lstrip().startswith(">>>")]
    for block in blocks:
        assert _unresolved_imports(block) == [], page


def test_import_check_catches_a_moved_name():
    """Planted: the import docs/sweep.md had after order_statistic_interval moved to rigor.stats."""
    block = "from lrinit_verify.theory.rescale import calibrated_scale, order_statistic_interval\n"
    assert _unresolved_imports(block) == ["order_statistic_interval from lrinit_verify.theory.rescale"]
