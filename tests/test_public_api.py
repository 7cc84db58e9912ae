"""The public surface is explicit: ``__all__`` lists documented, importable names."""

import inspect

import pytest

import lrinit_verify as lv


def test_all_names_exist_and_are_documented():
    assert len(lv.__all__) == len(set(lv.__all__))
    for name in lv.__all__:
        obj = getattr(lv, name)
        if callable(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"


def test_design_contract_names_are_exported():
    contract = {
        "gamma_n",
        "rescale_factor",
        "spectral_radius_cdf",
        "prob_radius_exceeds",
        "expected_real_eigenvalues",
        "spectral_radii",
        "glorot",
        "halved_glorot",
        "orthogonal",
    }
    assert contract <= set(lv.__all__)


def test_all_is_exactly_the_public_names():
    # as hypothesis does: every public attribute of the package is in __all__ and nothing else is
    public = {
        name for name, obj in vars(lv).items() if not name.startswith("_") and not inspect.ismodule(obj)
    }
    assert public == set(lv.__all__)


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    assert lv.__version__ == version("lrinit-verify")


def test_torch_init_all_lists_its_initialisers():
    torch_init = pytest.importorskip("lrinit_verify.sampling.torch_init")
    public = {
        name
        for name, obj in vars(torch_init).items()
        if inspect.isfunction(obj) and obj.__module__ == torch_init.__name__ and not name.startswith("_")
    }
    assert public == set(torch_init.__all__)


def _layout_block() -> dict[str, str]:
    """README's Layout section: ``{subpackage: its lines}``."""
    import pathlib
    import re

    text = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    lines, current = {}, None
    for line in block.splitlines():
        head = re.match(r"\s{2}(\w+)/\s", line)
        if head:
            current = head.group(1)
        elif not line.startswith(" " * 15):
            current = None
        if current:
            lines[current] = lines.get(current, "") + line
    return lines


def test_readme_layout_names_every_module_of_every_subpackage():
    import pathlib
    import re

    package = pathlib.Path(lv.__file__).parent
    layout = _layout_block()
    subpackages = sorted(p.parent.name for p in package.glob("*/__init__.py"))
    assert sorted(layout) == subpackages
    for sub in subpackages:
        for module in sorted((package / sub).glob("*.py")):
            name = module.stem
            if name in ("__init__", "conftest") or name.startswith("_real_"):
                continue  # the package itself; the sweep doctest fixture; the real-law internals (one entry)
            assert re.search(rf"\b{name}\b", layout[sub]), f"README Layout misses {sub}/{name}"
