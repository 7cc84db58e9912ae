r"""Benchmark harness: repeated timings, the machine's own matmul rate, machine details, targets.

Figures are *ratios*: the toolkit against the naive code a user would write, and against the
matmul rate this machine reaches in the same run, so that they mean something across machines.
Each figure is the median over ``repeats`` with its range (min–max); a ratio is computed per
repeat from interleaved runs of both sides, so slow drifts of the machine load cancel.

The cases themselves live in :mod:`lrinit_verify.bench.cases`; ``lrinit-verify bench`` prints
them. Example:

    >>> t = time_repeats(lambda: sum(range(1000)), 3)
    >>> t.repeats, t.low <= t.median <= t.high
    (3, True)
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import asdict, dataclass

import numpy as np

from lrinit_verify import _validate as v


@dataclass(frozen=True)
class Spread:
    """Median and range of repeated measurements (seconds, rates or ratios)."""

    median: float
    low: float
    high: float
    repeats: int

    @classmethod
    def of(cls, values) -> Spread:
        values = [float(x) for x in values]
        return cls(statistics.median(values), min(values), max(values), len(values))

    def map(self, fn) -> Spread:
        """Apply a monotone ``fn`` (e.g. seconds → rate; a decreasing one swaps the range's ends)."""
        a, b = fn(self.low), fn(self.high)
        return Spread(fn(self.median), min(a, b), max(a, b), self.repeats)

    def text(self, fmt: str = ".3g") -> str:
        return f"{self.median:{fmt}} [{self.low:{fmt}}, {self.high:{fmt}}]"

    def to_dict(self) -> dict:
        return asdict(self)


def timed(fn, *args, **kwargs) -> float:
    """Wall-clock seconds of one call."""
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


#: Pause before each side of a paired measurement: OpenBLAS threads keep spinning for a while
#: after a multithreaded call and would slow whatever runs next (measured: -15% on the engine
#: right after the naive loop, n = 256).
SETTLE_S = 0.2


def _settled(fn) -> float:
    time.sleep(SETTLE_S)
    return max(timed(fn), 1e-9)


def time_repeats(fn, repeats: int) -> Spread:
    """Seconds per call of ``fn()`` over ``repeats`` calls."""
    repeats = v.positive_int("repeats", repeats)
    return Spread.of(timed(fn) for _ in range(repeats))


def paired(toolkit, baseline, repeats: int, *, toolkit_items: float = 1, baseline_items: float = 1):
    """Interleaved timings of ``toolkit()`` and ``baseline()``, each doing some number of items.

    **Returns:** ``(toolkit items/s, baseline items/s, speed-up)`` as :class:`Spread`; the speed-up
    is the per-repeat ratio of the two rates.

    >>> fast, slow, gain = paired(lambda: None, lambda: sum(range(10**5)), 3)
    >>> gain.median > 1
    True
    """
    repeats = v.positive_int("repeats", repeats)
    rates = [(toolkit_items / _settled(toolkit), baseline_items / _settled(baseline)) for _ in range(repeats)]
    return Spread.of(a for a, _ in rates), Spread.of(b for _, b in rates), Spread.of(a / b for a, b in rates)


def matmul_gflops(n: int = 1024, repeats: int = 5, *, seed: int = 0) -> Spread:
    r"""This machine's float64 matmul rate (GFLOP/s, :math:`2n^3` flops per product, default threads).

    >>> matmul_gflops(64, 2).median > 0
    True
    """
    n = v.positive_int("n", n)
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    np.matmul(a, b)  # warm-up: thread pool start, page faults
    return time_repeats(lambda: np.matmul(a, b), repeats).map(lambda s: 2.0 * n**3 / s / 1e9)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict:
    """Machine details kept with every report: cores, CPU, BLAS libraries and threads, versions."""
    import scipy
    from threadpoolctl import threadpool_info

    info = {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "blas": [
            {k: lib.get(k) for k in ("internal_api", "version", "num_threads", "architecture", "filepath")}
            for lib in threadpool_info()
        ],
    }
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
        info["cuda"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except ImportError:
        info["torch"] = None
    return info


@dataclass(frozen=True)
class Row:
    """One benchmark figure: toolkit vs baseline, as a rate or time with a median ratio and target."""

    section: str
    case: str
    toolkit: str
    baseline: str
    ratio: Spread | None
    unit: str = "x"
    target: float | None = None
    target_kind: str = "at_least"
    detail: dict | None = None

    @property
    def meets(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        if self.target_kind == "at_most":
            return self.ratio.median <= self.target
        return self.ratio.median >= self.target

    def to_dict(self) -> dict:
        out = asdict(self)
        out["ratio"] = None if self.ratio is None else self.ratio.to_dict()
        out["meets"] = self.meets
        return out
