r"""PNG of the audit: energy growth :math:`\log_{10}\|W^t x\|^2` of the init against the baselines.

One panel per width: the median over matrices (line) and the 10 %–90 % band (shaded) of each
source, the explosion threshold :math:`K` (dashed) and the audited lengths (dotted). Drawn with
matplotlib's Agg backend (no display needed).

Example:
    >>> import tempfile, os, torch
    >>> from lrinit_verify.auditing import audit
    >>> rep = audit(torch.nn.init.orthogonal_, widths=(8,), lengths=(20,), trials=10, baselines=False, seed=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "audit.png")
    >>> with open(energy_figure(rep, path), "rb") as fh:
    ...     fh.read(4) == b"\x89PNG"
    True
"""

from __future__ import annotations

import math

COLORS = {
    "init": "black",
    "glorot": "tab:red",
    "rescaled_glorot": "tab:blue",
    "calibrated_glorot": "tab:green",
}


def energy_figure(report, path) -> str:
    """Write the figure of ``report`` (an :class:`~lrinit_verify.auditing.report.AuditReport`) to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    widths = report.settings["widths"]
    fig = Figure(figsize=(4.5 * len(widths), 3.6), constrained_layout=True)
    axes = fig.subplots(1, len(widths), squeeze=False)[0]
    for ax, n in zip(axes, widths):
        for row in (r for r in report.rows if r["n"] == n and "band" in r):
            _draw(ax, row)
        ax.axhline(math.log10(report.settings["threshold"]), color="grey", ls="--", lw=1, label="threshold K")
        for t in report.settings["lengths"]:
            ax.axvline(t, color="grey", ls=":", lw=1)
        ax.set(title=f"n = {n}", xlabel="t", ylabel="log10 ||W^t x||^2")
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle(f"{report.init}: energy growth (median, 10-90% band over matrices)", fontsize=9)
    fig.savefig(path, dpi=110)
    return str(path)


def _draw(ax, row) -> None:
    band, color = row["band"], COLORS.get(row["source"], "black")
    label = "init" if row["source"] == "init" else row["label"]
    ax.plot(band["t"], band["median"], color=color, lw=1.6 if row["source"] == "init" else 1.0, label=label)
    ax.fill_between(band["t"], band["q10"], band["q90"], color=color, alpha=0.15, lw=0)
