"""The one place where purecluster's Numba settings live.

Every kernel is decorated with :func:`jit` from this module, never with
``numba.njit`` directly, so the policy below holds everywhere:

* ``cache=True``: compiled machine code is written next to the sources (or
  under ``NUMBA_CACHE_DIR``) and reused by later processes. Set the
  environment variable ``PURECLUSTER_NUMBA_CACHE=0`` to turn it off (e.g. on a
  read-only install, or to measure cold compile times).
* ``nogil=True``: kernels release the GIL, so user threads can run fits side
  by side.
* no ``fastmath``: it assumes there is no NaN or infinity and reorders sums,
  which breaks both our error checks and bit-for-bit parity with scikit-learn.
  A kernel that wants a specific flag passes it explicitly, with a comment
  saying what it buys.
* lazy compilation: no signatures are given, so nothing compiles at import
  time; each kernel compiles on first use for the (few) argument types it
  meets — float32 and float64 C-contiguous arrays, as validation guarantees.
  :func:`warmup` triggers those compilations ahead of time.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import time

import numba

__all__ = ["jit", "register_warmup", "warmup", "num_threads"]


def _env_flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in ("0", "false", "no", "off", "")


CACHE = _env_flag("PURECLUSTER_NUMBA_CACHE", True)

DEFAULTS = {"cache": CACHE, "nogil": True}


def jit(func=None, **options):
    """``numba.njit`` with purecluster's defaults; options given here override them.

    Usable bare (``@jit``) or with options (``@jit(parallel=True)``).
    """
    settings = {**DEFAULTS, **options}
    if func is None:
        return lambda f: numba.njit(**settings)(f)
    return numba.njit(**settings)(func)


# Modules whose kernels :func:`warmup` compiles. Each registers one function
# that runs its estimator on tiny data for the given dtype.
_WARMUP_MODULES: tuple[str, ...] = ("kmeans", "agglomerative", "dbscan", "metrics", "mixture")
_WARMUPS: dict[str, object] = {}


def register_warmup(name):
    """Register ``func(dtype)`` to be run by :func:`warmup` under ``name``."""

    def decorator(func):
        _WARMUPS[name] = func
        return func

    return decorator


def warmup(dtypes=("float64", "float32"), verbose=False, only=None):
    """Compile (or load from the cache) the common kernel specialisations.

    Runs each algorithm once on tiny data per dtype, so that the first real
    fit does not pay for compilation.

    Parameters
    ----------
    dtypes : tuple of str, default=("float64", "float32")
    verbose : bool, default=False
        Print the time each step took.
    only : iterable of str or None
        Warm up only these algorithms (e.g. ``["kmeans"]``); all by default.

    Returns
    -------
    dict
        ``{(name, dtype): seconds}`` for every step that ran.
    """
    for module in _WARMUP_MODULES:
        importlib.import_module(f"purecluster.{module}")
    timings = {}
    for name, func in _WARMUPS.items():
        if only is not None and name not in only:
            continue
        for dtype in dtypes:
            start = time.perf_counter()
            func(dtype)
            timings[(name, dtype)] = time.perf_counter() - start
            if verbose:
                print(f"warmup {name} [{dtype}]: {timings[(name, dtype)]:.2f} s")
    return timings


@contextlib.contextmanager
def num_threads(n):
    """Run the block with Numba's thread count set to ``n``, then restore it."""
    previous = numba.get_num_threads()
    numba.set_num_threads(n)
    try:
        yield
    finally:
        numba.set_num_threads(previous)
