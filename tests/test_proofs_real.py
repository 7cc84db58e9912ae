"""The real-Glorot derivations of proofs/real.py: assertions hold, pages render, and an assertion has power."""

from __future__ import annotations

import pytest

from proofs import real as pr
from proofs.registry import all_derivations


@pytest.mark.parametrize("derivation", pr.derivations(), ids=lambda d: d.slug)
def test_every_assertion_holds_and_renders(derivation):
    results = derivation.verify()
    assert results and all(results.values())
    text = derivation.to_markdown()
    assert text.startswith("# ") and "$$" in text and "Checked assertions" in text


def test_registered():
    slugs = [d.slug for d in all_derivations()]
    assert {"real-pfaffian-law", "real-rescaled-limit"} <= set(slugs) and len(slugs) == len(set(slugs))


def test_limit_assertion_rejects_the_complex_values(monkeypatch):
    """Planted: with the complex law's values in place of the real ones, the limit assertion must fail."""
    from lrinit_verify.claims import _real_tools

    exact = _real_tools.log_cdf.__wrapped__
    monkeypatch.setattr(_real_tools, "log_cdf", lambda r, n, field: exact(r, n, "complex"))
    with pytest.raises(AssertionError, match="log P_R / log P_C"):
        pr.rescaled_limit().verify()
