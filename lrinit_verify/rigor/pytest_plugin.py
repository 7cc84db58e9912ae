"""pytest plugin for theory checks (registered by the ``pytest11`` entry point ``lrinit_verify``).

* markers ``slow``, ``gpu``, ``rigorous``, ``power`` (re-registering an existing marker is harmless);
* ``gpu`` tests are skipped when torch with CUDA is unavailable, ``rigorous`` tests when
  python-flint (extra ``rigorous``) is missing;
* fixtures ``lrinit_seed`` (an int) and ``seeded_rng`` (a ``numpy.random.Generator`` seeded with it).
  Seeds derive from a session seed and the test id, so ``--lrinit-seed=S`` replays a whole run;
  the session seed is random unless given, shown in the header, and printed in the report of every
  failing test that used the fixture.

Without the entry point installed, load it with ``pytest -p lrinit_verify.rigor.pytest_plugin``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import zlib

import numpy as np
import pytest

MARKERS = (
    "slow: heavy tier, run with -m slow",
    "gpu: needs CUDA (skipped automatically without it)",
    "rigorous: needs python-flint, extra 'rigorous' (skipped automatically without it)",
    "power: planted-bug rejection-rate tier, run with -m power",
)
_SEED_KEY = pytest.StashKey[int]()


def pytest_addoption(parser):
    group = parser.getgroup("lrinit_verify")
    group.addoption(
        "--lrinit-seed",
        action="store",
        type=int,
        default=None,
        metavar="S",
        help="session seed for the seeded_rng fixture (default: random, printed)",
    )


def pytest_configure(config):
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    seed = config.getoption("--lrinit-seed")
    if seed is not None and seed < 0:
        raise pytest.UsageError(f"--lrinit-seed={seed!r} must be a non-negative integer")
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    config.stash[_SEED_KEY] = seed


def session_seed(config) -> int:
    """The session seed of this run (``--lrinit-seed`` or the random one drawn at start)."""
    return config.stash[_SEED_KEY]


def pytest_report_header(config):
    return f"lrinit_verify: session seed {session_seed(config)} (replay with --lrinit-seed={session_seed(config)})"


def _cuda_available() -> bool:
    if importlib.util.find_spec("torch") is None:
        return False
    if shutil.which("nvidia-smi") is None and not os.path.exists("/proc/driver/nvidia"):
        return False  # no NVIDIA driver: skip without paying for `import torch`
    import torch

    return bool(torch.cuda.is_available())


@pytest.hookimpl(trylast=True)  # after -k/-m deselection: no torch import for deselected gpu tests
def pytest_collection_modifyitems(config, items):
    gpu = [i for i in items if i.get_closest_marker("gpu")]
    if gpu and not _cuda_available():
        skip = pytest.mark.skip(reason="gpu: torch with CUDA is not available")
        for item in gpu:
            item.add_marker(skip)
    if importlib.util.find_spec("flint") is None:
        skip = pytest.mark.skip(
            reason="rigorous: python-flint is missing (pip install 'lrinit-verify[rigorous]')"
        )
        for item in items:
            if item.get_closest_marker("rigorous"):
                item.add_marker(skip)


def derive_seed(session: int, nodeid: str) -> int:
    """The seed of one test: a hash of the session seed and the test id (stable across runs)."""
    state = np.random.SeedSequence([session, zlib.crc32(nodeid.encode())]).generate_state(1)
    return int(state[0])


@pytest.fixture
def lrinit_seed(request) -> int:
    """This test's seed (printed if the test fails)."""
    seed = derive_seed(session_seed(request.config), request.node.nodeid)
    request.node.stash[_SEED_KEY] = seed
    return seed


@pytest.fixture
def seeded_rng(lrinit_seed) -> np.random.Generator:
    """A ``numpy.random.Generator`` seeded with :func:`lrinit_seed`; its seed is printed on failure."""
    return np.random.default_rng(lrinit_seed)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    seed = item.stash.get(_SEED_KEY, None)
    if seed is not None and report.failed:
        session = session_seed(item.config)
        report.sections.append(
            (
                "lrinit_verify seed",
                f"seeded_rng seed={seed} (session seed {session}; replay with --lrinit-seed={session})",
            )
        )
