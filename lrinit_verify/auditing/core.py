r"""Loading, calling and validating a user's initialiser; sampling its matrices reproducibly.

An initialiser is called the way ``torch.nn.init`` functions are: ``init(tensor, generator=g)``
with ``tensor`` a square ``(n, n)`` torch tensor (prefilled with NaN, so that an init that neither
fills it nor returns a matrix is caught) and ``g`` a seeded ``torch.Generator``. It either fills
``tensor`` in place (returning it or ``None``) or returns a new square matrix (a torch tensor or a
numpy array, real or complex: an LRU ring init returns ``diag(λ)``).

Matrix :math:`j` of width :math:`n` is drawn with ``torch.Generator().manual_seed(s_j)``, the seeds :math:`s_j` from
``SeedSequence([seed, n])``: two runs with the same seed audit the same matrices, *if* the init
uses its generator. :func:`reproducibility` checks that (two calls with one seed must agree) and
whether different seeds give different matrices. All calls run inside
``torch.random.fork_rng``, so an init that draws from torch's global generator leaves the
caller's global state as it was (and is reported as not reproducible).

Example:
    >>> import torch
    >>> init = load_init("torch.nn.init:xavier_uniform_")
    >>> w = call_init(init, 4, seed=0)
    >>> w.shape, w.dtype, bool(np.array_equal(w, call_init(init, 4, seed=0)))
    ((4, 4), dtype('float64'), True)
"""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import torch

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument

DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}


class InitError(InvalidArgument):
    """The initialiser cannot be audited: bad spec, signature, output or reproducibility."""


def load_init(spec: str):
    """The callable named by ``"MODULE:FUNCTION"`` (``FUNCTION`` may be dotted: ``"pkg.mod:Class.method"``).

    >>> load_init("torch.nn.init:orthogonal_").__name__
    'orthogonal_'
    """
    if not isinstance(spec, str) or spec.count(":") != 1 or not all(spec.split(":")):
        raise InitError(f"--init={spec!r} must look like MODULE:FUNCTION, e.g. torch.nn.init:xavier_uniform_")
    module_name, attr = spec.split(":")
    try:
        obj = importlib.import_module(module_name)
    except ImportError as exc:
        raise InitError(f"--init={spec!r}: cannot import module {module_name!r} ({exc})") from None
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise InitError(f"--init={spec!r}: module {module_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    if not callable(obj):
        raise InitError(f"--init={spec!r}: {attr!r} is a {type(obj).__name__}, not a function")
    return obj


def init_name(init) -> str:
    """A readable name: ``module.qualname`` of a function, else its ``repr``."""
    mod, qual = getattr(init, "__module__", None), getattr(init, "__qualname__", None)
    return f"{mod}.{qual}" if mod and qual else repr(init)


def check_signature(init) -> None:
    """The init must accept ``(tensor, generator=...)`` like ``torch.nn.init`` functions."""
    if not callable(init):
        raise InitError(f"init={init!r} must be a callable init(tensor, generator=...)")
    try:
        inspect.signature(init).bind(torch.empty(1, 1), generator=torch.Generator())
    except TypeError as exc:
        raise InitError(
            f"init {init_name(init)} has the wrong signature: it must accept "
            f"(tensor, generator=...) like torch.nn.init functions ({exc})"
        ) from None
    except ValueError:  # no introspectable signature (some builtins): the first call will tell
        return


def _as_numpy(out, tensor, n: int, name: str) -> np.ndarray:
    matrix = tensor if out is None else out
    if isinstance(matrix, torch.Tensor):
        if not (matrix.is_floating_point() or matrix.is_complex()):
            raise InitError(f"init {name} returned dtype {matrix.dtype}; need a floating or complex matrix")
        matrix = matrix.detach().cpu().resolve_conj().numpy()
    elif isinstance(matrix, np.ndarray):
        if matrix.dtype.kind not in "fc":
            raise InitError(f"init {name} returned dtype {matrix.dtype}; need a floating or complex matrix")
    else:
        raise InitError(f"init {name} returned {type(out).__name__}; need None, the tensor, or a matrix")
    if matrix.shape != (n, n):
        raise InitError(
            f"init {name} returned shape {tuple(matrix.shape)} at n={n}; need a square ({n}, {n})"
        )
    matrix = matrix.astype(np.complex128 if matrix.dtype.kind == "c" else np.float64)
    if not np.all(np.isfinite(matrix)):
        raise InitError(
            f"init {name} left non-finite entries at n={n} (did it fill the tensor or return a matrix?)"
        )
    return matrix


def call_init(init, n: int, *, seed: int, dtype: str = "float64") -> np.ndarray:
    """One matrix: ``init(torch.full((n, n), nan), generator=torch.Generator().manual_seed(seed))``.

    **Returns:** float64 or complex128 numpy ``(n, n)``; raises :class:`InitError` on bad output.
    """
    n = v.positive_int("n", n)
    v.choice("dtype", dtype, tuple(DTYPES))
    tensor = torch.full((n, n), float("nan"), dtype=DTYPES[dtype])
    generator = torch.Generator().manual_seed(int(seed))
    name = init_name(init)
    try:
        out = init(tensor, generator=generator)
    except TypeError as exc:
        raise InitError(f"init {name} failed when called as init(tensor, generator=g): {exc}") from None
    return _as_numpy(out if out is not tensor else None, tensor, n, name)


def matrix_seeds(seed: int, n: int, count: int) -> list[int]:
    """Seeds of the ``count`` matrices of width ``n``: 63-bit ints from ``SeedSequence([seed, n])``."""
    state = np.random.SeedSequence([v.nonnegative_int("seed", seed), n]).generate_state(2 * count, np.uint32)
    pairs = state.reshape(count, 2).astype(np.uint64)
    return [int(((hi << np.uint64(32)) | lo) >> np.uint64(1)) for lo, hi in pairs]


def sample_matrices(init, n: int, seeds, *, dtype: str = "float64") -> np.ndarray:
    """The matrices for ``seeds`` as one array ``(len(seeds), n, n)`` (global torch RNG state preserved)."""
    with torch.random.fork_rng(devices=[]):
        return np.stack([call_init(init, n, seed=s, dtype=dtype) for s in seeds])


def reproducibility(init, n: int, *, seed: int, dtype: str = "float64") -> dict:
    """Two calls with one seed must agree (``reproducible``); two seeds should differ (``varies``).

    An init that ignores its generator and draws from torch's global generator fails the first;
    one that returns a fixed matrix fails the second (its audit then describes a single matrix).

    >>> reproducibility(load_init("torch.nn.init:orthogonal_"), 8, seed=0)
    {'reproducible': True, 'varies': True}
    """
    with torch.random.fork_rng(devices=[]):
        a, b = (call_init(init, n, seed=seed, dtype=dtype) for _ in range(2))
        c = call_init(init, n, seed=seed + 1, dtype=dtype)
    return {"reproducible": bool(np.array_equal(a, b)), "varies": not bool(np.array_equal(a, c))}


def validate_init(init, widths, *, seed: int, dtype: str = "float64") -> dict:
    """Check the init at every width before any work: signature, output, reproducibility.

    **Returns:** ``{"field": "real"|"complex", "reproducible": bool, "varies": bool}`` (checked at
    the smallest width); raises :class:`InitError` on a bad signature or output, or if the field
    changes with the width.
    """
    check_signature(init)
    fields = set()
    with torch.random.fork_rng(devices=[]):
        for n in widths:
            fields.add("complex" if np.iscomplexobj(call_init(init, n, seed=seed, dtype=dtype)) else "real")
    if len(fields) > 1:
        raise InitError(f"init {init_name(init)} returns real matrices at some widths and complex at others")
    return {"field": fields.pop(), **reproducibility(init, min(widths), seed=seed, dtype=dtype)}
