"""The engine of the counterexample searches in :mod:`lrinit_verify.rigor.search`: hypothesis run
programmatically (no database, quiet, seeded) on a property, the shrunk counterexample and the best
:func:`hypothesis.target` score it saw, and the :class:`SearchResult` the searches return."""

from __future__ import annotations

from dataclasses import dataclass, field

from lrinit_verify import _validate as v


@dataclass
class SearchResult:
    """A search outcome: the shrunk counterexample (or ``None``), its value, the best score seen."""

    name: str
    found: bool
    example: object = None
    value: float | None = None
    confirmed: bool | None = None
    best_example: object = None
    best_value: float | None = None
    examples_run: int = 0
    note: str = ""
    details: dict = field(default_factory=dict)


class _Found(Exception):
    """Raised inside the hypothesis test to mark a counterexample."""


def _settings(max_examples: int):
    from hypothesis import HealthCheck, Verbosity, settings

    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
        derandomize=False,
        print_blob=False,
    )


def _contains_found(exc: BaseException) -> bool:
    if isinstance(exc, _Found):
        return True
    return any(_contains_found(e) for e in getattr(exc, "exceptions", ()))


def run_search(strategy, is_counterexample, *, score=None, seed=0, max_examples=200) -> dict:
    r"""Search ``strategy`` for ``x`` with ``is_counterexample(x)``; maximise ``score(x)`` meanwhile.

    **Returns:** ``{"example": shrunk counterexample or None, "best": (score, x) or None,
    "examples_run": int}``. Deterministic for a given ``seed``.

    >>> from hypothesis import strategies as st
    >>> run_search(st.integers(0, 10**6), lambda x: x * x > 1000, seed=1)["example"]
    32
    """
    from hypothesis import given, seed as hseed, target

    seed = v.nonnegative_int("seed", seed)
    max_examples = v.positive_int("max_examples", max_examples)
    failing, best, count = [], [None], [0]

    @hseed(seed)
    @_settings(max_examples)
    @given(strategy)
    def probe(x):
        count[0] += 1
        if score is not None:
            s = float(score(x))
            target(s)
            if best[0] is None or s > best[0][0]:
                best[0] = (s, x)
        if is_counterexample(x):
            failing.append(x)
            raise _Found

    try:
        probe()
    except Exception as exc:  # hypothesis re-raises the failure of the shrunk example
        if not _contains_found(exc):
            raise
    return {"example": failing[-1] if failing else None, "best": best[0], "examples_run": count[0]}


__all__ = ["SearchResult", "run_search"]
