r"""LAPACK ``?hseqr`` and BLAS ``?trmm`` for Hessenberg matrices, called without copies or the GIL.

``numpy.linalg.eigvals`` runs ``?geev``: balance, reduce to Hessenberg form (:math:`\tfrac{10}{3}n^3`
flops), then the QR algorithm ``?hseqr``. When the matrix is *sampled* in Hessenberg form (see
:mod:`lrinit_verify.sampling._hessenberg`), only the last step is needed. SciPy exposes every LAPACK
routine to Cython through :mod:`scipy.linalg.cython_lapack`; its capsules hold the function
pointers, which :mod:`ctypes` calls directly. A ctypes call releases the GIL, so worker threads
run in parallel.

Layout: LAPACK is column-major, so each matrix must be Fortran-contiguous (``a.T`` of a
C-contiguous array is); other layouts are copied. The input is overwritten (LAPACK works in
place) only when ``overwrite=True``.

Example:
    >>> import numpy as np
    >>> h = np.triu(np.arange(1.0, 10.0).reshape(3, 3), -1)
    >>> np.allclose(np.sort_complex(hessenberg_eigvals(h)), np.sort_complex(np.linalg.eigvals(h)))
    True
"""

from __future__ import annotations

import ctypes
from functools import cache

import numpy as np

from lrinit_verify._errors import InvalidArgument

_P = ctypes.c_void_p
#: (job, compz, n, ilo, ihi, h, ldh, wr, wi, z, ldz, work, lwork, info) for dhseqr;
#: zhseqr has one eigenvalue array w instead of wr, wi;
#: (side, uplo, transa, diag, m, n, alpha, a, lda, b, ldb) for ?trmm.
_NARGS = {"dhseqr": 14, "zhseqr": 13, "dtrmm": 11, "ztrmm": 11}


@cache
def _routine(name: str):
    """The LAPACK/BLAS routine ``name`` from SciPy's Cython capsules, as a ctypes function (or None)."""
    try:
        from scipy.linalg import cython_blas, cython_lapack

        module = cython_blas if name.endswith("trmm") else cython_lapack
        capsule = module.__pyx_capi__[name]
    except (ImportError, AttributeError, KeyError):
        return None
    api = ctypes.pythonapi
    api.PyCapsule_GetName.restype = ctypes.c_char_p
    api.PyCapsule_GetName.argtypes = [ctypes.py_object]
    api.PyCapsule_GetPointer.restype = ctypes.c_void_p
    api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    address = api.PyCapsule_GetPointer(capsule, api.PyCapsule_GetName(capsule))
    return ctypes.CFUNCTYPE(None, *([_P] * _NARGS[name]))(address)


def available() -> bool:
    """Whether ``?hseqr`` and ``?trmm`` could be loaded (else callers fall back to numpy)."""
    return all(_routine(name) is not None for name in _NARGS)


def _int(x: int):
    return ctypes.byref(ctypes.c_int(x))


_JOB_E, _COMPZ_N = ctypes.c_char_p(b"E"), ctypes.c_char_p(b"N")


def _call(h: np.ndarray, out: np.ndarray) -> None:
    """Run ``?hseqr`` (eigenvalues only) on the Fortran-contiguous ``h`` in place; fill ``out``."""
    n = h.shape[0]
    info = ctypes.c_int(0)
    z = np.zeros(1, dtype=h.dtype)
    work = np.empty(max(1, 11 * n), dtype=h.dtype)
    if h.dtype == np.float64:
        wr, wi = np.empty(n), np.empty(n)
        _routine("dhseqr")(
            _JOB_E,
            _COMPZ_N,
            _int(n),
            _int(1),
            _int(n),
            h.ctypes.data,
            _int(n),
            wr.ctypes.data,
            wi.ctypes.data,
            z.ctypes.data,
            _int(1),
            work.ctypes.data,
            _int(len(work)),
            ctypes.byref(info),
        )
        out.real, out.imag = wr, wi
    else:
        w = np.empty(n, dtype=np.complex128)
        _routine("zhseqr")(
            _JOB_E,
            _COMPZ_N,
            _int(n),
            _int(1),
            _int(n),
            h.ctypes.data,
            _int(n),
            w.ctypes.data,
            z.ctypes.data,
            _int(1),
            work.ctypes.data,
            _int(len(work)),
            ctypes.byref(info),
        )
        out[:] = w
    if info.value != 0:
        raise np.linalg.LinAlgError(f"?hseqr did not converge (info={info.value}) for an n={n} matrix")


def hessenberg_eigvals(h: np.ndarray, *, overwrite: bool = False) -> np.ndarray:
    r"""Eigenvalues of upper Hessenberg matrices ``h`` (shape ``(n, n)`` or ``(..., n, n)``).

    Entries below the first subdiagonal are ignored (never read), as in LAPACK. Real input gives
    conjugate pairs, as ``numpy.linalg.eigvals`` does. Non-finite entries in the Hessenberg part are an error.

    >>> hessenberg_eigvals(np.array([[0.0, -1.0], [1.0, 0.0]])).tolist()
    [1j, -1j]
    """
    h = np.asarray(h)
    if h.ndim < 2 or h.shape[-1] != h.shape[-2]:
        raise InvalidArgument(f"h.shape={h.shape!r} must end in two equal dimensions (n, n)")
    if h.dtype not in (np.float64, np.complex128):
        h = h.astype(np.complex128 if np.iscomplexobj(h) else np.float64)
        overwrite = True
    flat = h.reshape(-1, *h.shape[-2:])
    for i, m in enumerate(flat):  # O(n^2) per matrix, before the O(n^3) QR algorithm
        if not np.isfinite(np.triu(m, -1)).all():
            raise InvalidArgument(
                f"h[{i}] (flattened batch index) has non-finite entries in its "
                "Hessenberg part: the QR algorithm needs finite input"
            )
    if not available():  # pragma: no cover - SciPy always ships cython_lapack
        return np.linalg.eigvals(np.triu(h, -1))
    out = np.empty(flat.shape[:-1], dtype=np.complex128)
    for i, m in enumerate(flat):
        in_place = overwrite and m.flags.f_contiguous and m.flags.writeable
        work = m if in_place else np.array(m, order="F", copy=True)
        _call(work, out[i])
    return out.reshape(h.shape[:-1])


_LEFT, _UPPER, _NOTRANS, _NONUNIT = (ctypes.c_char_p(c) for c in (b"L", b"U", b"N", b"N"))


def upper_triangular_multiply(a: np.ndarray, b: np.ndarray) -> None:
    r""":math:`B \leftarrow UB` in place, :math:`U` the upper triangle of ``a`` (BLAS ``?trmm``, :math:`n^2p` flops).

    ``a`` (:math:`n \times n`) and ``b`` (:math:`n \times p`) must be Fortran-contiguous, of one dtype
    (float64 or complex128); entries of ``a`` below the diagonal are never read. Unlike SciPy's
    ``blas.dtrmm`` wrapper, this call releases the GIL, so worker threads multiply in parallel.

    >>> a = np.asfortranarray([[2.0, 1.0], [5.0, 3.0]])
    >>> b = np.asfortranarray([[1.0], [1.0]])
    >>> upper_triangular_multiply(a, b); b.ravel().tolist()
    [3.0, 3.0]
    """
    n, p = b.shape
    if a.shape != (n, n) or a.dtype != b.dtype or not (a.flags.f_contiguous and b.flags.f_contiguous):
        raise InvalidArgument(
            f"a.shape={a.shape!r}, b.shape={b.shape!r}: need Fortran-contiguous (n, n) and (n, p) "
            f"arrays of one dtype (got {a.dtype}, {b.dtype})"
        )
    if not b.flags.writeable:
        raise InvalidArgument("b must be writeable: it is overwritten in place")
    complex_ = a.dtype == np.complex128
    one = np.ones(1, dtype=a.dtype)
    _routine("ztrmm" if complex_ else "dtrmm")(
        _LEFT,
        _UPPER,
        _NOTRANS,
        _NONUNIT,
        _int(n),
        _int(p),
        one.ctypes.data,
        a.ctypes.data,
        _int(n),
        b.ctypes.data,
        _int(n),
    )
