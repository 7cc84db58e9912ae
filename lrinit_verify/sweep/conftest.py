"""Doctests of the modules that write Parquet run only with the ``distributed`` extra (pyarrow, pandas)."""

import importlib.util


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


_HAVE_EXTRA = all(_installed(m) for m in ("pyarrow", "pandas"))
collect_ignore = [] if _HAVE_EXTRA else ["runner.py", "store.py", "bench.py"]
