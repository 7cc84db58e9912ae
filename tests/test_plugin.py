"""The pytest plugin, run as a user would: ``python -m pytest`` in a fresh directory.

The user example (docs/examples/test_user_example.py) is written only with the exported
strategies, the ``seeded_rng`` fixture and the assertion helpers; it must pass. A deliberately
failing test shows that the seed is printed and that ``--lrinit-seed`` replays it.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "test_user_example.py"

FAILING = """
import pytest

def test_fails_with_its_seed(seeded_rng, lrinit_seed):
    x = seeded_rng.integers(10**9)
    print("drew", x, "seed", lrinit_seed)
    assert False

@pytest.mark.gpu
def test_needs_cuda():
    import torch
    assert torch.cuda.is_available()

@pytest.mark.rigorous
def test_needs_flint():
    import flint  # noqa: F401

@pytest.mark.power
def test_power_marker_is_registered():
    pass
"""


def _plugin_args() -> list[str]:
    """Load the plugin by entry point when installed, else explicitly with ``-p``."""
    eps = importlib.metadata.entry_points(group="pytest11")
    if any(ep.value == "lrinit_verify.rigor.pytest_plugin" for ep in eps):
        return []
    return ["-p", "lrinit_verify.rigor.pytest_plugin"]


def _pytest(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "HYPOTHESIS_"))}
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "--strict-markers",
        "-W",
        "error",
        *_plugin_args(),
        *args,
    ]
    return subprocess.run(
        cmd, check=False, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )


def test_user_example_runs_under_pytest(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "test_user_example.py")
    out = _pytest(tmp_path, "-q")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "4 passed" in out.stdout


def test_failure_prints_the_seed_and_the_seed_replays(tmp_path):
    (tmp_path / "test_failing.py").write_text(FAILING)
    first = _pytest(tmp_path, "--lrinit-seed=12345", "-rs")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "lrinit_verify: session seed 12345" in first.stdout
    assert "lrinit_verify seed" in first.stdout and "replay with --lrinit-seed=12345" in first.stdout
    drawn = re.search(r"drew (\d+) seed (\d+)", first.stdout).groups()
    assert f"seeded_rng seed={drawn[1]}" in first.stdout
    again = _pytest(tmp_path, "--lrinit-seed=12345", "-k", "fails_with")
    assert re.search(r"drew (\d+) seed (\d+)", again.stdout).groups() == drawn
    from lrinit_verify.rigor.pytest_plugin import derive_seed

    nodeid = "test_failing.py::test_fails_with_its_seed"
    assert derive_seed(12345, nodeid) == int(drawn[1]) != derive_seed(54321, nodeid)
    # markers are registered (--strict-markers) and the auto-skips apply
    cuda = importlib.util.find_spec("torch") is not None and __import__("torch").cuda.is_available()
    assert ("gpu: torch with CUDA is not available" in first.stdout) == (not cuda)
    assert ("rigorous: python-flint is missing" in first.stdout) == (
        importlib.util.find_spec("flint") is None
    )


def test_bad_seed_is_a_usage_error(tmp_path):
    (tmp_path / "test_x.py").write_text("def test_x():\n    pass\n")
    out = _pytest(tmp_path, "--lrinit-seed=-3")
    assert out.returncode == 4 and "--lrinit-seed=-3" in out.stderr


@pytest.mark.parametrize("name", ["seeded_rng", "lrinit_seed"])
def test_fixtures_are_exported_by_the_plugin(name):
    from lrinit_verify.rigor import pytest_plugin

    assert callable(getattr(pytest_plugin, name))
