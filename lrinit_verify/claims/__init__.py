r"""The claim registry: one entry per theorem, lemma, conjecture or numeric fact.

A :class:`Claim` carries its id, a one-line statement, the statement in LaTeX, its provenance
(one of :data:`PROVENANCES`), the regime it speaks about, and a check ``check(ctx) -> Verdict``.
Claim families live in sibling modules listed in :data:`FAMILIES`; importing :func:`all_claims`
registers them all.

Provenance values:

* ``paper`` — stated in the seed paper (arXiv 2505.19827); a finite-:math:`n` or real-matrix reading of an
  asymptotic statement says so in the claim's statement;
* ``literature`` — a published result (reference on the derivation page or in the docstring);
* ``derived`` — derived here and checked by independent routes, not published;
* ``literature+derived`` — proved here by a derivation that reduces the claim to a published
  theorem (the page names both);
* ``conjecture`` — fits the evidence, unproved; a finding, not a theorem.

``derivation`` names the derivation pages behind a claim by their slugs (``proofs/``, rendered as
``docs/derivations/<slug>.md``): one slug or a tuple of them (:attr:`Claim.derivations`).

Example:
    >>> ids = [c.id for c in all_claims()]
    >>> "edge.kostlan_law" in ids
    True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.montecarlo.simulate import DEFAULT_MEM_CAP
from lrinit_verify.rigor.stats import STATUSES, Verdict

PROVENANCES = ("paper", "literature", "derived", "literature+derived", "conjecture")
BUDGETS = ("quick", "default", "thorough")
#: Claim-family modules, imported in this order by :func:`all_claims`.
FAMILIES = ("edge", "energy", "certified", "rescale", "real", "training", "explosion")


@dataclass(frozen=True)
class PlantedBug:
    """A mutation that a statistical check must catch: ``claim.check(ctx, **kwargs)`` (a mutated
    sampler or a wrong constant) must come out ``expect`` (usually ``"violated"``; a finding may be
    reversed to ``"holds"`` by a mutation that repairs it). The power tier runs every one of them.

    >>> bug = PlantedBug({"scale": 1.05})
    >>> bug.expect, dict(bug.kwargs)
    ('violated', {'scale': 1.05})
    """

    kwargs: Mapping[str, object]
    expect: str = "violated"

    def __post_init__(self):
        v.choice("expect", self.expect, STATUSES)

    def run(self, claim: Claim, ctx: Context) -> Verdict:
        """The verdict of ``claim``'s check with this bug planted."""
        return claim.check(ctx, **self.kwargs)


@dataclass(frozen=True)
class Claim:
    """One registered claim; ``expect`` is ``"holds"`` or ``None`` (any verdict is a finding);
    ``planted`` is the mutation its check must catch (required of statistical checks by the power tier)."""

    id: str
    statement: str
    latex: str
    provenance: str
    regime: str
    check: Callable[[Context], Verdict]
    statistical: bool = True
    expect: str | None = "holds"
    derivation: str | tuple[str, ...] | None = None
    calculators: tuple[str, ...] = ()
    planted: PlantedBug | None = None

    def __post_init__(self):
        v.choice("provenance", self.provenance, PROVENANCES)

    @property
    def derivations(self) -> tuple[str, ...]:
        """Slugs of the derivation pages behind this claim (empty when none)."""
        if self.derivation is None:
            return ()
        return (self.derivation,) if isinstance(self.derivation, str) else tuple(self.derivation)


@dataclass
class Context:
    """What a check may use: its budget, its own seed, its share ``alpha`` of the error budget."""

    budget: str = "default"
    seed: int = 0
    alpha: float = 1e-3
    backend: str = "numpy"
    device: str | None = None
    mem_cap: int = DEFAULT_MEM_CAP
    progress: Callable[[str], None] | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        v.choice("budget", self.budget, BUDGETS)

    def pick(self, quick, default, thorough):
        """The value for this context's budget."""
        return {"quick": quick, "default": default, "thorough": thorough}[self.budget]

    def seed_for(self, label: str) -> np.random.SeedSequence:
        """An independent seed stream for one case of a check, stable under reordering."""
        return np.random.SeedSequence([self.seed, *label.encode()])

    def sim_kwargs(self, label: str) -> dict:
        """Keyword arguments for :func:`lrinit_verify.montecarlo.simulate.spectra` for one case."""
        rng = np.random.default_rng(self.seed_for(label))
        return {"rng": rng, "backend": self.backend, "device": self.device, "mem_cap": self.mem_cap}

    def note(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)


REGISTRY: dict[str, Claim] = {}


def register(claim: Claim) -> Claim:
    """Add ``claim`` to the registry (ids are unique)."""
    if claim.id in REGISTRY and REGISTRY[claim.id] is not claim:
        raise InvalidArgument(f"claim id={claim.id!r} is already registered")
    REGISTRY[claim.id] = claim
    return claim


def all_claims() -> list[Claim]:
    """Every registered claim, families imported on first use, in registration order."""
    for name in FAMILIES:
        importlib.import_module(f"{__name__}.{name}")
    return list(REGISTRY.values())


def get_claim(claim_id: str) -> Claim:
    """The claim with id ``claim_id``."""
    claims = {c.id: c for c in all_claims()}
    if claim_id not in claims:
        raise InvalidArgument(f"claim_id={claim_id!r} is not registered; see `lrinit-verify verify --list`")
    return claims[claim_id]
