r"""The figures of the documentation (``lrinit-verify docs``), drawn with matplotlib on an Agg canvas.

* the spectral-radius law of complex Glorot matrices against Kostlan's exact law and Rider's Gumbel
  approximation;
* :math:`S_{n,t}` against :math:`t/\sqrt n` collapsing onto :math:`F(c) = \sinh(c^2/2)/(c^2/2)`, with the
  :math:`1/\sqrt n` correction :math:`G(c)`;
* hidden-state trajectories of Glorot, rescaled, halved and orthogonal initialisations;
* the paper's factor :math:`c_n` and the probability it achieves.

Every figure draws from its own child of ``SeedSequence(seed)`` (:func:`render_figures`); no pyplot
state is used.

Example:
    >>> import tempfile, pathlib
    >>> path = figure_rescale_factor(pathlib.Path(tempfile.mkdtemp()) / "c.png", quick=True)
    >>> path.read_bytes()[:4] == b"\x89PNG"
    True
"""

from __future__ import annotations

import math
import pathlib

import numpy as np

from lrinit_verify.montecarlo.simulate import spectral_radii
from lrinit_verify.montecarlo.trajectories import energy_trajectories
from lrinit_verify.theory import edge
from lrinit_verify.theory.energy import critical_correction, critical_limit, log_energy


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
    mc = spectral_radii(n, 20 if quick else 100, field="complex", rng=rng, route="eigvals")  # not Kostlan
    exact_draws = edge.sample_radius_kostlan(n, 4000 if quick else 40000, rng=rng)
    r = np.linspace(0.95, 1.25, 601)
    cdf = edge.spectral_radius_cdf_array(r, n)
    loc, scale = edge.edge_location(n), edge.edge_scale(n)
    z = (r - loc) / scale
    gumbel_cdf = np.exp(-np.exp(-z))
    fig, (ax, tail) = _new_figure()
    bins = np.linspace(r[0], r[-1], 61)
    ax.hist(
        exact_draws, bins=bins, density=True, color="0.8", label=f"Kostlan sampler ({len(exact_draws)} draws)"
    )
    ax.hist(
        mc,
        bins=bins,
        density=True,
        histtype="step",
        color="C0",
        lw=1.5,
        label=f"eigenvalues, complex Glorot ({len(mc)} matrices)",
    )
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
    tail.set(
        xlabel=r"radius $r$", ylabel=r"$P(\rho(W) > r)$ (log scale)", title="Upper tail", ylim=(1e-5, 1.5)
    )
    tail.legend(fontsize=7)
    return _save(fig, path)


def figure_energy_collapse(path, *, quick=False, widths=(16, 64, 256, 1024, 4096)) -> pathlib.Path:
    r""":math:`S_{n,t}` against :math:`c = t/\sqrt n` for several :math:`n`, collapsing onto :math:`F(c)` (log scale)."""
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
    ax.semilogy(
        grid, [critical_limit(float(c)) for c in grid], "k--", lw=1.5, label=r"$F(c) = \sinh(c^2/2)/(c^2/2)$"
    )
    err.plot(
        grid[1:], [critical_correction(float(c)) for c in grid[1:]], "k--", lw=1.5, label=r"limit $G(c)$"
    )
    ax.set(
        xlabel=r"$c = t/\sqrt{n}$",
        ylabel=r"$S_{n,t} = E\|W^t x\|^2$ (log scale)",
        title="Critical scaling (complex Glorot, exact)",
    )
    ax.legend(fontsize=7)
    err.set(
        xlabel=r"$c = t/\sqrt{n}$",
        ylabel=r"$\sqrt{n}\,(S_{n,t} - F(c))$",
        title=r"Finite-width correction is $O(1/\sqrt{n})$",
    )
    err.legend(fontsize=7)
    fig.text(
        0.01, 0.005, "source: lrinit_verify.theory.energy (exact two-term form)", fontsize=6, color="0.4"
    )
    return _save(fig, path)


def figure_trajectories(path, *, rng, quick=False, n=256) -> pathlib.Path:
    r""":math:`\log\|W^t x\|^2` over :math:`t` for Glorot, rescaled (:math:`c_n`), halved and orthogonal (real, median and 10–90 %)."""
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
        logs = energy_trajectories(n, steps, trials, ensemble=ensemble, field="real", scale=scale, rng=rng)[
            :, 0
        ]
        lo, med, hi = np.quantile(logs, [0.1, 0.5, 0.9], axis=0)
        ax.plot(t_axis, med, color=f"C{i}", lw=1.5, label=label)
        ax.fill_between(t_axis, lo, hi, color=f"C{i}", alpha=0.2, lw=0)
    slope = 2.0 * math.log(edge.edge_location(n))
    ax.plot(
        t_axis,
        slope * np.arange(steps + 1),
        "k:",
        lw=1,
        label=r"$2t\log(1 + \sqrt{\gamma_n/4n})$ (edge location)",
    )
    ax.set(
        xlabel=r"$t/\sqrt{n}$",
        ylabel=r"$\log\|W^t x\|^2$ (natural log, i.e. log scale)",
        title=f"Real, n = {n}: median and 10–90 % band over {trials} matrices per init",
    )
    ax.legend(fontsize=7)
    return _save(fig, path)


def figure_rescale_factor(path, *, quick=False) -> pathlib.Path:
    r"""The paper's :math:`c_n` against :math:`n` (undefined for :math:`n \le 163`) and the exact :math:`P(\rho(c_n W) \le 1)` it achieves."""
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
            "√n (S_{n,t} − F(c)): these curves collapse too, onto the limit G(c) (dashed), so the finite-width correction is O(1/√n)."
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
    lines = [
        "# Figures",
        "",
        (
            f"Drawn by `lrinit-verify docs` with seed {seed}{' (quick mode)' if quick else ''}; "
            "every random draw comes from an explicit numpy Generator."
        ),
        "",
    ]
    for name in names:
        title, caption, _ = FIGURES[name]
        lines += [f"## {title}", "", f"![{title}](figures/{name}.png)", "", caption, ""]
    return "\n".join(lines)
