r"""Paired training runs over widths, lengths and initialisations, their summary, and the phase diagram.

A *pair* (one seed) shares the Glorot draw :math:`G`, the readout :math:`B, C`, the training data and the
held-out batch across every arm; the arms differ only in the scale of :math:`A` (each arm is the toolkit's
own initialiser from :mod:`lrinit_verify.sampling.torch_init` called with a generator seeded identically, so
the rescaled :math:`A` is exactly :math:`c_n` times the Glorot :math:`A`).

Example:
    >>> from lrinit_verify.training.fit import FitConfig
    >>> rows = run_grid([8], [4], {"halved": "halved"}, pairs=1, seed=0, config=FitConfig(steps=1, batch=1, eval_batch=1))
    >>> rows[0]["init"], rows[0]["T"], rows[0]["steps_run"], rows[0]["rho0"] < 1
    ('halved', 4, 1, True)
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
import torch

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.rigor.stats import clopper_pearson
from lrinit_verify.sampling import torch_init
from lrinit_verify.training.fit import OPTIMISER_NOTE, FitConfig, failure_mode, fit
from lrinit_verify.training.model import readout_
from lrinit_verify.training.predict import ARM_NAMES, predicted_failure
from lrinit_verify.training.task import Teacher

#: Initialiser of each arm by name (the toolkit's own, in place, seeded by a torch.Generator).
INITIALISERS = {
    "glorot": torch_init.glorot_,
    "rescaled": torch_init.rescaled_glorot_,
    "halved": torch_init.halved_glorot_,
    "calibrated": torch_init.calibrated_glorot_,
}


def _resolve(arms) -> dict:
    """``{arm name: initialiser}`` from names or callables (a callable stands in for the named arm)."""
    out = {}
    for name, init in dict(arms).items():
        v.choice("arm", name, ARM_NAMES)
        out[name] = (
            INITIALISERS[v.choice(f"arms[{name!r}]", init, ARM_NAMES)] if isinstance(init, str) else init
        )
    if not out:
        raise InvalidArgument("arms={} must name at least one arm")
    return out


def pair_seeds(seed: int, n: int, pair: int, length: int) -> dict[str, int]:
    """Integer seeds for one pair: init and readout (shared over lengths), data and evaluation (per length)."""
    shared = np.random.SeedSequence([seed, n, pair]).generate_state(2, dtype=np.uint32)
    per_length = np.random.SeedSequence([seed, n, pair, length]).generate_state(2, dtype=np.uint32)
    return {
        "init": int(shared[0]),
        "readout": int(shared[1]),
        "data": int(per_length[0]),
        "eval": int(per_length[1]),
    }


def run_pair(n: int, length: int, arms, *, seeds: dict[str, int], config: FitConfig) -> list[dict]:
    """Train every arm on one pair; one row per arm (ρ₀, failure, reason, final NMSE, ρ at the end, seconds)."""
    rows = []
    for name, init in _resolve(arms).items():
        start = time.perf_counter()
        A = init(
            torch.empty(n, n, dtype=config.dtype), generator=torch.Generator().manual_seed(seeds["init"])
        )
        B, C = readout_(
            torch.empty(n, dtype=config.dtype),
            torch.empty(n, dtype=config.dtype),
            generator=torch.Generator().manual_seed(seeds["readout"]),
        )
        rho0 = float(torch_init.spectral_radius(A))
        res = fit(A, B, C, Teacher(length), data_seed=seeds["data"], eval_seed=seeds["eval"], config=config)
        rows.append(
            {
                "n": n,
                "T": length,
                "T/sqrt(n)": length / math.sqrt(n),
                "init": name,
                "rho0": rho0,
                "failed": res.failed,
                "mode": failure_mode(res.failed, res.final_nmse),
                "reason": res.reason,
                "final_nmse": res.final_nmse,
                "steps_run": res.steps_run,
                "rho_final": res.rho_final,
                "seconds": time.perf_counter() - start,
            }
        )
    return rows


def run_grid(
    widths, lengths, arms, *, pairs: int, seed: int, config: FitConfig | None = None, progress=None
) -> list[dict]:
    """Rows of :func:`run_pair` for every width, length and pair index ``0..pairs-1`` (column ``pair`` added).

    ``config`` defaults to ``FitConfig()``; ``progress(message)`` is called once per (width, length).
    """
    config = FitConfig() if config is None else config
    widths = [v.positive_int("n", n) for n in widths]
    lengths = [v.positive_int("T", t, min_value=2) for t in lengths]
    pairs, seed = v.positive_int("pairs", pairs), v.nonnegative_int("seed", seed)
    arms = _resolve(arms)
    rows = []
    for n in widths:
        for length in lengths:
            if progress is not None:
                progress(f"training n={n} T={length}: {pairs} pairs x {list(arms)}")
            for i in range(pairs):
                for row in run_pair(n, length, arms, seeds=pair_seeds(seed, n, i, length), config=config):
                    rows.append({**row, "pair": i})
    return rows


def summarise(rows, *, alpha: float = 0.05, field: str = "real") -> list[dict]:
    """Per (n, T, init): failures/runs with a Clopper–Pearson interval at ``alpha``, how many of them
    diverged and how many underfit, the median final NMSE, the predicted :math:`P(\\rho_0 > 1)`, and the
    mechanism breaches (diverged runs with :math:`\\rho_0 \\le 1`)."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["n"], r["T"], r["init"]), []).append(r)
    out = []
    for (n, length, init), rs in groups.items():
        k = sum(r["failed"] for r in rs)
        out.append(
            {
                "n": n,
                "T": length,
                "T/sqrt(n)": length / math.sqrt(n),
                "init": init,
                "runs": len(rs),
                "failures": k,
                "failure_rate": k / len(rs),
                "diverged": sum(r["mode"] == "diverged" for r in rs),
                "underfit": sum(r["mode"] == "underfit" for r in rs),
                "interval": clopper_pearson(k, len(rs), alpha=alpha),
                "median_nmse": float(np.median([r["final_nmse"] for r in rs])),
                "predicted": predicted_failure(init, n, field=field),
                "mechanism_breaches": sum(r["mode"] == "diverged" and r["rho0"] <= 1.0 for r in rs),
            }
        )
    return out


def format_summary(summary) -> str:
    """A plain-text table of :func:`summarise` rows."""
    header = (
        f"{'n':>5} {'T':>5} {'T/sqrt n':>8} {'init':>10} {'failed':>8} {'div/under':>9} {'median NMSE':>12} "
        f"{'pred. P(rho0>1)':>22} {'breaches':>8}"
    )
    lines = [header]
    for s in sorted(summary, key=lambda s: (s["n"], s["init"], s["T"])):
        lines.append(
            f"{s['n']:5d} {s['T']:5d} {s['T/sqrt(n)']:8.2f} {s['init']:>10} "
            f"{s['failures']:3d}/{s['runs']:<4d} {s['diverged']:4d}/{s['underfit']:<4d} {s['median_nmse']:12.3g} {s['predicted']!s:>22} "
            f"{s['mechanism_breaches']:8d}"
        )
    return "\n".join(lines)


def plot_phase_diagram(summary, path, *, title: str | None = None) -> str:
    """Write the phase diagram (failure rate against :math:`T/\\sqrt n` per init, theory overlaid) to a PNG.

    Observed failure rates carry their Clopper–Pearson bars (the ``alpha`` of :func:`summarise`);
    divergence rates (the failure mode the radius predicts) are drawn as open markers where they differ;
    the theory is a dashed line and band at the predicted :math:`P(\\rho_0 > 1)`, the :math:`T \\to \\infty`
    limit. Returns ``path``.
    """
    from matplotlib.figure import Figure  # Agg canvas by default; no pyplot state

    fig = Figure(figsize=(6.4, 4.2))
    ax = fig.subplots()
    keys = sorted({(s["n"], s["init"]) for s in summary})
    for i, (n, init) in enumerate(keys):
        pts = sorted((s for s in summary if (s["n"], s["init"]) == (n, init)), key=lambda s: s["T"])
        x = np.array([s["T/sqrt(n)"] for s in pts])
        y = np.array([s["failure_rate"] for s in pts])
        err = np.array(
            [
                [s["failure_rate"] - s["interval"][0] for s in pts],
                [s["interval"][1] - s["failure_rate"] for s in pts],
            ]
        )
        colour = f"C{i}"
        ax.errorbar(x, y, yerr=err, marker="o", color=colour, capsize=3, label=f"{init}, n={n} (failed)")
        div = np.array([s["diverged"] / s["runs"] for s in pts])
        if np.any(div != y):
            ax.plot(x, div, ls=":", marker="o", mfc="none", color=colour, label=f"{init}, n={n} (diverged)")
        pred = pts[0]["predicted"]
        ax.axhspan(pred.lower, pred.upper, color=colour, alpha=0.12, lw=0)
        level = pred.value if pred.value is not None else 0.5 * (pred.lower + pred.upper)
        ax.axhline(level, color=colour, ls="--", lw=1)
    ax.plot([], [], "k--", lw=1, label=r"theory: $P(\rho_0 > 1)$ ($T \to \infty$)")
    ax.set(
        xscale="log",
        xlabel=r"$T/\sqrt{n}$",
        ylabel="failure rate",
        ylim=(-0.03, 1.03),
        title=title or "Training failure by sequence length and initialisation",
    )
    ax.legend(fontsize=7, loc="center right")
    fig.tight_layout()
    fig.savefig(path, dpi=120, metadata={"Software": None})
    return str(path)


def save_table(rows, path) -> str:
    """Write run rows as JSON (non-finite NMSE as strings), with the optimiser note; returns ``path``."""

    def clean(x):
        return x if not isinstance(x, float) or math.isfinite(x) else str(x)

    payload = {"optimiser": OPTIMISER_NOTE, "rows": [{k: clean(x) for k, x in r.items()} for r in rows]}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=1)
    return str(path)


def load_table(path) -> list[dict]:
    """Rows written by :func:`save_table` (``"inf"``/``"nan"`` back to floats)."""
    with open(path, encoding="utf-8") as fh:
        rows = json.load(fh)["rows"]
    return [{k: float(x) if x in ("inf", "nan") else x for k, x in r.items()} for r in rows]
