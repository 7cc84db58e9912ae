r"""Render the derivations of ``proofs/`` and the figures to Markdown pages (``lrinit-verify docs``).

:func:`render_docs` first evaluates every derivation's assertions — a false one raises
:class:`DerivationCheckFailed` before anything is written, so the documentation build fails rather
than publish a derivation the code no longer supports — then writes, under the output directory:

* one page ``<slug>.md`` per derivation (``Derivation.to_markdown()``, LaTeX in ``$$…$$``);
* ``figures/*.png`` (matplotlib, Agg canvas, no pyplot state) and a ``figures.md`` page: the
  spectral-radius law of Glorot matrices against Kostlan's exact law and Rider's Gumbel
  approximation; $S_{n,t}$ against $t/\sqrt n$ collapsing onto $F(c) = \sinh(c^2/2)/(c^2/2)$;
  hidden-state trajectories of Glorot, rescaled, halved and orthogonal initialisations; the
  paper's factor $c_n$ and the probability it achieves;
* ``findings.md`` when :mod:`lrinit_verify.report.findings` is installed;
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

import importlib
import math
import pathlib
import re
import time
from dataclasses import dataclass, field

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify.theory import edge

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


# --- small numerics for the figures ---------------------------------------------------------


def log_energy_closed_form(n: int, t: int) -> float:
    r"""$\log S_{n,t}$ from THEORY §3 (complex): $\frac{1}{(t+2)n^{t+1}}\sum_k (n)^{\uparrow}_k (n)^{\downarrow}_{t+1-k}$.

    A log-sum-exp fallback used only when :mod:`lrinit_verify.theory.energy` is not installed.

    >>> round(math.exp(log_energy_closed_form(4, 2)), 12) == 1 + 1 / 16
    True
    """
    from scipy.special import gammaln, logsumexp

    k = np.arange(t + 2, dtype=np.float64)
    j = t + 1 - k
    ok = j <= n
    terms = gammaln(n + k[ok]) - gammaln(n) + gammaln(n + 1) - gammaln(n + 1 - j[ok])
    return float(logsumexp(terms) - math.log(t + 2) - (t + 1) * math.log(n))


def critical_limit_fallback(c: float) -> float:
    r"""$F(c) = \sinh(c^2/2)/(c^2/2)$ (with $F(0) = 1$)."""
    y = 0.5 * c * c
    return 1.0 if y == 0 else math.sinh(y) / y


def energy_functions():
    """``(log_energy, critical_limit, source)``: :mod:`lrinit_verify.theory.energy` if importable, else the fallbacks."""
    try:
        energy = importlib.import_module("lrinit_verify.theory.energy")
        return energy.log_energy, energy.critical_limit, "lrinit_verify.theory.energy"
    except (ImportError, AttributeError):
        return log_energy_closed_form, critical_limit_fallback, "closed form of THEORY §3 (fallback)"


def log_trajectories(mats: np.ndarray, steps: int, rng: np.random.Generator) -> np.ndarray:
    r"""$\log\|W^k x\|^2$ for $k = 0..$``steps``, one random unit $x$ per matrix, renormalising each step.

    >>> W = np.stack([2.0 * np.eye(3)])
    >>> bool(np.allclose(log_trajectories(W, 2, np.random.default_rng(0))[0], [0, math.log(4), 2 * math.log(4)]))
    True
    """
    trials, n, _ = mats.shape
    x = rng.standard_normal((trials, n)).astype(mats.dtype)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    out = np.zeros((trials, steps + 1))
    for s in range(1, steps + 1):
        x = np.einsum("bij,bj->bi", mats, x)
        norms = np.linalg.norm(x, axis=1)
        out[:, s] = out[:, s - 1] + 2.0 * np.log(norms)
        x /= norms[:, None]
    return out


# --- figures --------------------------------------------------------------------------------


def _new_figure(width=10.0, height=4.0, ncols=2):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots(1, ncols) if ncols > 1 else fig.subplots()


def _save(fig, path: pathlib.Path) -> pathlib.Path:
    fig.savefig(path, dpi=110, metadata={"Software": None})
    return path


def figure_radius_histogram(path, *, rng, quick=False, n=256) -> pathlib.Path:
    """Spectral radius of complex Glorot (MC eigenvalues and Kostlan's exact sampler) vs exact and Gumbel laws."""
    from lrinit_verify.montecarlo.simulate import spectral_radii

    mc = spectral_radii(n, 20 if quick else 100, field="complex", rng=rng, route="eigvals")  # not Kostlan
    exact_draws = edge.sample_radius_kostlan(n, 4000 if quick else 40000, rng=rng)
    r = np.linspace(0.95, 1.25, 601)
    cdf = edge.spectral_radius_cdf_array(r, n)
    loc, scale = edge.edge_location(n), edge.edge_scale(n)
    z = (r - loc) / scale
    gumbel_cdf = np.exp(-np.exp(-z))
    fig, (ax, tail) = _new_figure()
    bins = np.linspace(r[0], r[-1], 61)
    ax.hist(exact_draws, bins=bins, density=True, color="0.8", label=f"Kostlan sampler ({len(exact_draws)} draws)")
    ax.hist(mc, bins=bins, density=True, histtype="step", color="C0", lw=1.5,
            label=f"eigenvalues, complex Glorot ({len(mc)} matrices)")
    ax.plot(r, np.gradient(cdf, r), "k-", lw=1.5, label=r"exact: $\frac{d}{dr}\prod_k P(k, n r^2)$")
    ax.plot(r, np.exp(-z - np.exp(-z)) / scale, "C3--", lw=1.5, label="Rider's Gumbel approximation")
    ax.axvline(1.0, color="0.4", lw=0.8, ls=":")
    ax.set(xlabel=r"spectral radius $\rho(W)$", ylabel="density", title=f"Complex Glorot, n = {n}")
    ax.legend(fontsize=7)
    tail.semilogy(r, 1 - cdf, "k-", label="exact (Kostlan)")
    tail.semilogy(r, 1 - gumbel_cdf, "C3--", label="Gumbel")
    emp = 1 - np.searchsorted(np.sort(exact_draws), r, side="right") / len(exact_draws)
    tail.semilogy(r[emp > 0], emp[emp > 0], color="0.6", lw=1, label="Kostlan sampler (empirical)")
    tail.axvline(1.0, color="0.4", lw=0.8, ls=":")
    tail.set(xlabel=r"radius $r$", ylabel=r"$P(\rho(W) > r)$ (log scale)", title="Upper tail",
             ylim=(1e-5, 1.5))
    tail.legend(fontsize=7)
    return _save(fig, path)


def figure_energy_collapse(path, *, quick=False, widths=(16, 64, 256, 1024, 4096)) -> pathlib.Path:
    r"""$S_{n,t}$ against $c = t/\sqrt n$ for several $n$, collapsing onto $F(c)$ (log scale)."""
    log_energy, critical_limit, source = energy_functions()
    correction = getattr(importlib.import_module("lrinit_verify.theory.energy"), "critical_correction", None) \
        if source == "lrinit_verify.theory.energy" else None
    widths = widths[:4] if quick else widths
    c_max = 3.0
    fig, (ax, err) = _new_figure()
    grid = np.linspace(0.0, c_max, 301)
    for i, n in enumerate(widths):
        ts = np.unique(np.linspace(0, c_max * math.sqrt(n), 60).astype(int))
        c = ts / math.sqrt(n)
        S = np.exp([log_energy(n, int(t)) for t in ts])
        ax.semilogy(c, S, "o-", ms=2.5, lw=0.8, color=f"C{i}", label=f"n = {n}")
        Fc = np.array([critical_limit(float(x)) for x in c])
        err.plot(c, math.sqrt(n) * (S - Fc), color=f"C{i}", lw=1, label=f"n = {n}")
    ax.semilogy(grid, [critical_limit(float(c)) for c in grid], "k--", lw=1.5,
                label=r"$F(c) = \sinh(c^2/2)/(c^2/2)$")
    if correction is not None:
        err.plot(grid[1:], [correction(float(c)) for c in grid[1:]], "k--", lw=1.5, label=r"limit $G(c)$")
    ax.set(xlabel=r"$c = t/\sqrt{n}$", ylabel=r"$S_{n,t} = E\|W^t x\|^2$ (log scale)",
           title="Critical scaling (complex Glorot, exact)")
    ax.legend(fontsize=7)
    err.set(xlabel=r"$c = t/\sqrt{n}$", ylabel=r"$\sqrt{n}\,(S_{n,t} - F(c))$",
            title=r"Finite-width correction is $O(1/\sqrt{n})$")
    err.legend(fontsize=7)
    fig.text(0.01, 0.005, f"source: {source}", fontsize=6, color="0.4")
    return _save(fig, path)


def figure_trajectories(path, *, rng, quick=False, n=256) -> pathlib.Path:
    r"""$\log\|W^t x\|^2$ over $t$ for Glorot, rescaled ($c_n$), halved and orthogonal (real, median and 10–90 %)."""
    from lrinit_verify.sampling.ensembles import sample_batch

    trials = 6 if quick else 16
    steps = int((6 if quick else 12) * math.sqrt(n))
    c_n = edge.rescale_factor(n)
    inits = {
        "Glorot": ("glorot", 1.0),
        f"rescaled, $c_n$ = {c_n:.3f}": ("glorot", c_n),
        "halved Glorot": ("halved_glorot", 1.0),
        "orthogonal": ("orthogonal", 1.0),
    }
    fig, ax = _new_figure(7.0, 4.5, ncols=1)
    t_axis = np.arange(steps + 1) / math.sqrt(n)
    for i, (label, (ensemble, scale)) in enumerate(inits.items()):
        mats = sample_batch(ensemble, n, trials, field="real", scale=scale, rng=rng)
        logs = log_trajectories(mats, steps, rng)
        lo, med, hi = np.quantile(logs, [0.1, 0.5, 0.9], axis=0)
        ax.plot(t_axis, med, color=f"C{i}", lw=1.5, label=label)
        ax.fill_between(t_axis, lo, hi, color=f"C{i}", alpha=0.2, lw=0)
    slope = 2.0 * math.log(edge.edge_location(n))
    ax.plot(t_axis, slope * np.arange(steps + 1), "k:", lw=1,
            label=r"$2t\log(1 + \sqrt{\gamma_n/4n})$ (edge location)")
    ax.set(xlabel=r"$t/\sqrt{n}$", ylabel=r"$\log\|W^t x\|^2$ (natural log, i.e. log scale)",
           title=f"Real, n = {n}: median and 10–90 % band over {trials} matrices per init")
    ax.legend(fontsize=7)
    return _save(fig, path)


def figure_rescale_factor(path, *, quick=False) -> pathlib.Path:
    r"""The paper's $c_n$ against $n$ (undefined for $n \le 163$) and the exact $P(\rho(c_n W) \le 1)$ it achieves."""
    widths = np.unique(np.geomspace(edge.FIRST_DEFINED_WIDTH, 10**4 if quick else 10**5, 40).astype(int))
    c = np.array([edge.rescale_factor(int(m)) for m in widths])
    achieved = np.array([edge.spectral_radius_cdf(1.0 / ci, int(m)) for ci, m in zip(c, widths)])
    nominal = math.exp(-math.exp(-edge.GUMBEL_MEAN_PLUS_STD))
    fig, (left, right) = _new_figure()
    for ax in (left, right):
        ax.axvspan(2, edge.FIRST_DEFINED_WIDTH - 1, color="C3", alpha=0.12, lw=0)
        ax.set_xscale("log")
        ax.set_xlim(8, widths[-1])
        ax.set_xlabel("width $n$ (log scale)")
    left.plot(widths, c, "C0.-", label="paper's $c_n$")
    left.text(10, 0.5, r"undefined: $\gamma_n \leq 0$" + "\n" + r"($n \leq 163$)", fontsize=8, color="C3")
    left.set(ylabel="$c_n$", title="Dimension-aware rescaling factor", ylim=(0.0, 1.05))
    left.legend(fontsize=7)
    right.plot(widths, achieved, "C0.-", label=r"exact $P(\rho(c_n W) \leq 1)$, complex")
    right.axhline(nominal, color="k", ls="--", lw=1, label=f"nominal limit {nominal:.3f}")
    right.set(ylabel="probability", title="What the factor achieves (Kostlan, exact)", ylim=(0.5, 1.0))
    right.legend(fontsize=7)
    return _save(fig, path)


#: name -> (title, caption, builder(path, rng, quick))
FIGURES = {
    "radius_histogram": (
        "Spectral radius of Glorot matrices",
        (
            "Left: the spectral radius of complex Glorot matrices (n = 256) from eigenvalues (outline) and "
            "from Kostlan's exact O(n) sampler (grey), against the exact density of Kostlan's product law "
            "(black) and Rider's Gumbel approximation (red, dashed). Right: the upper tail on a log scale. "
            "The whole law sits above one, and the Gumbel approximation is visibly off at this width "
            "(its error decays like log log n / log n)."
        ),
        lambda path, rng, quick: figure_radius_histogram(path, rng=rng, quick=quick),
    ),
    "energy_collapse": (
        "Critical scaling of the energy S_{n,t}",
        (
            "Left: the exact energy S_{n,t} = E‖W^t x‖² of complex Glorot against c = t/√n for several "
            "widths, on a log scale; the curves collapse onto F(c) = sinh(c²/2)/(c²/2). Right: "
            "√n (S_{n,t} − F(c)): these curves collapse too (onto the limit G(c) where the energy module "
            "provides it), so the finite-width correction is O(1/√n)."
        ),
        lambda path, rng, quick: figure_energy_collapse(path, quick=quick),
    ),
    "trajectories": (
        "Hidden-state trajectories by initialisation",
        (
            "log‖W^t x‖² along t/√n for real Glorot, Glorot rescaled by the paper's c_n, halved Glorot and "
            "orthogonal matrices (median and 10–90 % band over matrices, power iteration with "
            "renormalisation). Glorot grows at about the rate set by the edge location (dotted); the "
            "rescaled and halved ones decay; orthogonal stays at zero."
        ),
        lambda path, rng, quick: figure_trajectories(path, rng=rng, quick=quick),
    ),
    "rescale_factor": (
        "The paper's rescaling factor c_n",
        (
            "Left: c_n against n on a log axis; it is undefined for n ≤ 163 (shaded) and shrinks strongly "
            "just above. Right: the probability P(ρ(c_n W) ≤ 1) it achieves for complex Glorot, computed "
            "exactly from Kostlan's product, against the nominal asymptotic value exp(−e^{−x*}) ≈ 0.856."
        ),
        lambda path, rng, quick: figure_rescale_factor(path, quick=quick),
    ),
}


def render_figures(fig_dir: pathlib.Path, *, seed=0, quick=False, progress=None) -> list[pathlib.Path]:
    """Draw every figure of :data:`FIGURES` into ``fig_dir`` (each from its own child seed)."""
    fig_dir.mkdir(parents=True, exist_ok=True)
    children = np.random.SeedSequence(seed).spawn(len(FIGURES))
    out = []
    for (name, (title, _, build)), child in zip(FIGURES.items(), children):
        if progress is not None:
            progress(f"figure {name}: {title}")
        out.append(build(fig_dir / f"{name}.png", np.random.default_rng(child), quick))
    return out


def figures_page(names, *, seed, quick) -> str:
    lines = ["# Figures", "",
             (f"Drawn by `lrinit-verify docs` with seed {seed}{' (quick mode)' if quick else ''}; "
              "every random draw comes from an explicit numpy Generator."), ""]
    for name in names:
        title, caption, _ = FIGURES[name]
        lines += [f"## {title}", "", f"![{title}](figures/{name}.png)", "", caption, ""]
    return "\n".join(lines)


def findings_page(*, seed=0):
    """``(markdown or None, status)``: the findings report when :mod:`lrinit_verify.report.findings` is installed."""
    try:
        findings = importlib.import_module("lrinit_verify.report.findings")
        rows_fn, md_fn = findings.findings_rows, findings.findings_markdown
    except (ImportError, AttributeError) as exc:
        return None, f"not available ({type(exc).__name__}: {exc})"
    rows = rows_fn(budget="quick", seed=seed)
    return md_fn(rows, budget="quick", seed=seed), "included (budget quick)"


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
    - ``figures`` / ``findings``: draw the figures / include the findings report if available.
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
        text, result.findings = findings_page(seed=seed)
        if text is not None:
            written.append(_write(out / "findings.md", text))
            has_findings = True
    written.append(_write(out / "index.md", index_page(groups, figure_names=figure_names, findings=has_findings,
                                                       assertions=assertions)))
    names = [p.relative_to(out).as_posix() for p in written + result.figures]
    (out / MANIFEST).write_text("\n".join(names) + "\n", encoding="utf-8")
    result.seconds = time.perf_counter() - started
    return result


def _write(path: pathlib.Path, text: str) -> pathlib.Path:
    path.write_text(text, encoding="utf-8")
    return path
