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
