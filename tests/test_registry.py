"""The claim registry checks itself: calculators are public, derivations resolve to pages, every page
is named by a claim, provenance values are the documented ones and agree with the pages.

Each check is a function of the registry so that a companion test can feed it a planted defect
(an unknown calculator, a dangling slug, an orphan page) and assert that it is reported.
"""

from __future__ import annotations

import importlib
from dataclasses import replace

import pytest

import lrinit_verify as lv
from lrinit_verify.claims import PROVENANCES, Claim, all_claims
from proofs._derivation import Derivation
from proofs.registry import all_derivations


def _resolves(name: str) -> bool:
    """A calculator is a name in ``lrinit_verify.__all__`` or ``module.attr`` under ``lrinit_verify``
    (for optional-dependency modules such as the torch ones, which the top level cannot import)."""
    if "." not in name:
        return name in set(lv.__all__)
    module, attr = name.rsplit(".", 1)
    try:
        return hasattr(importlib.import_module(f"lrinit_verify.{module}"), attr)
    except ImportError:
        return False


def missing_calculators(claims) -> dict[str, list[str]]:
    """``{claim id: [calculators that are neither public names nor lrinit_verify.module.attr]}``."""
    out = {c.id: [name for name in c.calculators if not _resolves(name)] for c in claims}
    return {cid: names for cid, names in out.items() if names}


def dangling_derivations(claims, slugs) -> dict[str, list[str]]:
    """``{claim id: [derivation names that are not page slugs]}``."""
    out = {c.id: [s for s in c.derivations if s not in slugs] for c in claims}
    return {cid: names for cid, names in out.items() if names}


def orphan_pages(claims, slugs) -> list[str]:
    """Page slugs that no claim names."""
    named = {s for c in claims for s in c.derivations}
    return sorted(set(slugs) - named)


@pytest.fixture(scope="module")
def pages() -> dict[str, Derivation]:
    return {d.slug: d for d in all_derivations()}


def _planted_claim(**fields) -> Claim:
    base = all_claims()[0]
    return replace(base, id="planted.claim", **fields)


def test_every_calculator_is_public():
    assert not missing_calculators(all_claims())


def test_missing_calculator_is_reported():
    planted = _planted_claim(calculators=("spectral_radii", "no_such_function"))
    assert missing_calculators([planted]) == {"planted.claim": ["no_such_function"]}
    dotted = _planted_claim(calculators=("training.fit.fit", "training.fit.no_such_function"))
    assert missing_calculators([dotted]) == {"planted.claim": ["training.fit.no_such_function"]}


def test_every_derivation_resolves_to_a_page(pages):
    assert not dangling_derivations(all_claims(), list(pages))
    assert any(c.derivations for c in all_claims())


def test_dangling_or_old_style_derivation_name_is_reported(pages):
    slugs = list(pages)
    planted = _planted_claim(derivation=("energy-genus", "proofs.energy:GENUS"))
    assert dangling_derivations([planted], slugs) == {"planted.claim": ["proofs.energy:GENUS"]}


def test_every_derivation_page_is_named_by_a_claim(pages):
    assert orphan_pages(all_claims(), list(pages)) == []


def test_orphan_page_is_reported(pages):
    slugs = [*pages, "planted-orphan"]
    assert orphan_pages(all_claims(), slugs) == ["planted-orphan"]


def test_derivation_field_accepts_one_slug_or_several():
    assert _planted_claim(derivation="energy-genus").derivations == ("energy-genus",)
    assert _planted_claim(derivation=None).derivations == ()
    assert _planted_claim(derivation=("a", "b")).derivations == ("a", "b")


def test_provenance_values_are_the_documented_ones():
    import lrinit_verify.claims as claims_module

    for value in PROVENANCES:
        assert f"``{value}``" in claims_module.__doc__, value
    assert {c.provenance for c in all_claims()} <= set(PROVENANCES)


def test_provenance_of_claims_and_pages_agree(pages):
    """A claim marked literature+derived rests on a page citing literature; none rests on a conditional page."""
    for claim in all_claims():
        texts = [pages[s].provenance + " " + pages[s].summary for s in claim.derivations]
        if claim.provenance == "literature+derived":
            assert any("literature" in t for t in texts), claim.id
        assert not any("conditional" in t.lower() for t in texts), claim.id
    proof = pages["energy-closed-form-proof"]
    assert "Zagier" in proof.provenance and "Stanley" in proof.provenance
    assert isinstance(proof, Derivation)


def test_closed_form_is_proved_and_paper_only_claims_are_labelled():
    by_id = {c.id: c for c in all_claims()}
    assert by_id["energy.closed_form"].provenance == "literature+derived"
    assert "energy-closed-form-proof" in by_id["energy.closed_form"].derivations
    # derived here, not stated in the paper
    assert by_id["rescale.gap_order"].provenance == "derived"
    assert by_id["certified.cn_domain"].provenance == "derived"
    # the paper's guarantee is asymptotic and complex: a finite-n real statement is not the paper's
    nominal = by_id["certified.rescaled_nominal"]
    assert nominal.provenance != "paper" and "asymptotic" in nominal.statement


def test_claims_page_lists_every_claim_with_provenance_and_links(pages):
    from lrinit_verify.report.claims_page import MEANING, claims_markdown

    text = claims_markdown()
    assert set(MEANING) == set(PROVENANCES)
    for claim in all_claims():
        assert f"| `{claim.id}` | {claim.provenance} |" in text
        for slug in claim.derivations:
            assert f"(derivations/{slug}.md)" in text and slug in pages
