r"""Run the training phase diagram: failure rate by $T/\sqrt n$ and initialisation, theory overlaid.

Paired runs (:func:`lrinit_verify.training.phase.run_grid`) of the teacher–student long-memory
regression for each width, length and arm; writes the run table (JSON) and the figure (PNG), and
prints the summary table. Reproduce the documentation's figure (about 10 CPU-minutes per 16 pairs
at n = 256 with the four lengths and two arms; n = 512 costs about 8x per run)::

    python scripts/training_phase.py --out-dir build/training
    python scripts/training_phase.py --widths 256 --lengths 16 64 256 1024 --arms glorot rescaled halved calibrated

The output depends only on the seed, the grid and the torch build.
"""

from __future__ import annotations

import argparse
import pathlib
import time

from lrinit_verify.training.fit import OPTIMISER_NOTE, FitConfig
from lrinit_verify.training.phase import format_summary, plot_phase_diagram, run_grid, save_table, summarise
from lrinit_verify.training.predict import ARM_NAMES


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[256])
    parser.add_argument("--lengths", type=int, nargs="+", default=[16, 64, 256, 1024])
    parser.add_argument("--arms", nargs="+", choices=ARM_NAMES, default=["glorot", "rescaled"])
    parser.add_argument("--pairs", type=int, default=16)
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out-dir", type=pathlib.Path, default=pathlib.Path("."))
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    rows = run_grid(
        args.widths,
        args.lengths,
        {a: a for a in args.arms},
        pairs=args.pairs,
        seed=args.seed,
        config=FitConfig(steps=args.steps),
        progress=print,
    )
    save_table(rows, args.out_dir / "training_phase.json")
    summary = summarise(rows)
    plot_phase_diagram(summary, args.out_dir / "training_phase.png")
    print(format_summary(summary))
    print(f"{len(rows)} runs in {time.perf_counter() - start:.0f} s; {OPTIMISER_NOTE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
