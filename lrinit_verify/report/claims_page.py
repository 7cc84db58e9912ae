r"""The claims page of the documentation: every registered claim with its provenance and derivations.

The meaning of each provenance value is the one documented in :mod:`lrinit_verify.claims`; the table
links every claim to the derivation pages behind it (``derivations/<slug>.md``), so a reader of the
paper can see, claim by claim, what is the paper's, what is published elsewhere, what is proved or
derived here, and what is conjectured.

Example:
    >>> text = claims_markdown()
    >>> "| `energy.closed_form` | literature+derived |" in text
    True
    >>> "[energy-closed-form-proof](derivations/energy-closed-form-proof.md)" in text
    True
"""

from __future__ import annotations

import pathlib

#: What each provenance value means, in the order of :data:`lrinit_verify.claims.PROVENANCES`.
MEANING = {
    "paper": "stated in the seed paper (arXiv 2505.19827); finite-n or real-matrix readings say so",
    "literature": "a published result",
    "derived": "derived here and checked by independent routes, not published",
    "literature+derived": "proved here by reducing it to a published theorem (the derivation cites both)",
    "conjecture": "fits the evidence, unproved: a finding, not a theorem",
}


def claims_markdown(*, link_prefix: str = "derivations/") -> str:
    """The claims page as Markdown (one table row per registered claim)."""
    from lrinit_verify.claims import PROVENANCES, all_claims

    lines = [
        "# Claims and their provenance",
        "",
        (
            "Every claim that `lrinit-verify verify` checks, with where it comes from and the derivation "
            "pages behind it (`lrinit-verify verify --list` prints the same provenance column)."
        ),
        "",
    ]
    lines += [f"- **{p}**: {MEANING[p]}" for p in PROVENANCES] + [""]
    lines += ["| claim | provenance | statement | derivations |", "|---|---|---|---|"]
    for c in all_claims():
        links = ", ".join(f"[{s}]({link_prefix}{s}.md)" for s in c.derivations) or "—"
        statement = c.statement.replace("|", r"\|")
        lines.append(f"| `{c.id}` | {c.provenance} | {statement} | {links} |")
    return "\n".join(lines) + "\n"


def write_claims_page(path) -> pathlib.Path:
    """Write :func:`claims_markdown` to ``path`` (UTF-8); returns the path."""
    path = pathlib.Path(path)
    path.write_text(claims_markdown(), encoding="utf-8")
    return path
