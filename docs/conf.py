"""Sphinx configuration: MyST Markdown, MathJax, autodoc, and derivation pages generated at build time.

Math renders offline: MathJax 3 is copied into the site (``_static/mathjax``) by the Sphinx extension
of the pip package ``sphinx-mathjax-offline`` (extra ``docs``), so no page loads it from a CDN.

The theory pages in ``docs/derivations/`` are not stored: every build regenerates them through
:func:`lrinit_verify.report.pages.render_docs`, which first re-runs every derivation's assertions —
if one is false the build stops here, so the documentation cannot drift from the code.
Set ``LRINIT_DOCS_QUICK=1`` for smaller Monte Carlo figures while editing.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from lrinit_verify.report.api_page import api_markdown
from lrinit_verify.report.claims_page import write_claims_page
from lrinit_verify.report.pages import render_docs

render_docs(HERE / "derivations", seed=0, quick=os.environ.get("LRINIT_DOCS_QUICK") == "1")
write_claims_page(HERE / "claims.md")  # generated, like derivations/: not stored

project = "lrinit_verify"
author = "lrinit_verify contributors"
copyright = "2025, lrinit_verify contributors"
release = importlib.import_module("lrinit_verify").__version__

#: Ships MathJax with the site (sets ``mathjax_path`` to the local copy); module name as published.
MATHJAX_OFFLINE = "sphinx-mathjax-offline"
if importlib.util.find_spec(MATHJAX_OFFLINE) is None:
    raise RuntimeError(
        f"the documentation needs the package {MATHJAX_OFFLINE!r} (pip install -e '.[docs]'): "
        "without it MathJax would load from a CDN and readers offline would see raw TeX"
    )
extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.mathjax", MATHJAX_OFFLINE]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "examples", "Thumbs.db", ".DS_Store"]
html_theme = "alabaster"
html_title = "lrinit_verify"
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # signatures stay readable; types are described in the docstrings

# --- API reference: one automodule block per module, each public name once (report/api_page.py) ---


def add_api_sections(app, docname, source):
    if docname == "api":
        source[0] = source[0].rstrip() + "\n\n" + api_markdown()


def setup(app):
    app.connect("source-read", add_api_sections)
