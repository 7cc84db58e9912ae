"""The mutation check's list (``scripts/mutation_check.py``) stays aimed: each mutant's fragment is in
the file it names exactly once, changes it, and names tests that exist. Code moves between modules;
without this, a mutant would silently become stale and the check would prove nothing about it."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _mutation_check():
    spec = importlib.util.spec_from_file_location("mutation_check", ROOT / "scripts" / "mutation_check.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


MUTANTS = _mutation_check().MUTANTS


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutant_fragment_is_in_its_file_once_and_its_tests_exist(mutant):
    text = (ROOT / mutant.file).read_text(encoding="utf-8")
    assert text.count(mutant.original) == 1, f"{mutant.name}: fragment found {text.count(mutant.original)}x"
    assert mutant.mutated != mutant.original
    for node in mutant.tests:
        file, _, name = node.partition("::")
        assert (ROOT / file).exists(), node
        assert not name or name in _test_functions(ROOT / file), node


def test_names_are_unique():
    names = [m.name for m in MUTANTS]
    assert len(names) == len(set(names))
