"""The ``n_init`` runs of an estimator, side by side on threads.

GaussianMixture (like KMeans) restarts from ``n_init`` starting points and
keeps the best run. On small data each run is too small for two threads to
share it well: the seminar's digits (1797 x 64, 20 components) take about
20 ms per EM iteration, spread over a dozen BLAS products and Numba kernels,
and at every one of them the threads of OpenBLAS and of Numba wake up, split
the work and wait for each other. Two runs at a time, each on one thread,
have no such waits: the seminar's digits cell measured 1.75x faster (3.45
against 1.97 s, 10 runs).

The answers do not change:

* every run's start is drawn from the one random stream **in run order**:
  a worker takes the next run number and draws its start while holding a
  lock, so run i's draws all come before run i+1's, as in a plain loop;
* a run draws nothing after its start, and its kernels give the same bits
  on one thread as on several (purecluster's kernels split rows by n only;
  OpenBLAS splits a product's output, not its sums);
* the results are handed back in run order, and if runs fail, the error of
  the first failing run is raised, which is the one a loop would raise.

Threads are used only where they are safe and cheap: Numba's threading
layer must be one that allows kernels to be launched from several threads
at once (``omp`` or ``tbb``; ``workqueue`` aborts), and the BLAS that NumPy
uses must be one whose thread count can be set (OpenBLAS, which NumPy's
wheels ship). While the runs are going, OpenBLAS is set to one thread for
the whole process (as scikit-learn's ``threadpoolctl`` limits do), and its
setting is restored afterwards.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
import threading

import numba
import numpy as np

from ._jit import jit, num_threads

__all__ = ["parallel_workers", "run_in_order", "single_threaded_blas"]


# ---------------------------------------------------------------------------
# OpenBLAS's thread count, through ctypes
# ---------------------------------------------------------------------------
# Exported names of the setter and getter: plain OpenBLAS, and the
# scipy-openblas build in NumPy's wheels (prefix scipy_, suffix 64_ for its
# 64-bit integer interface).
_SETTERS = (
    "openblas_set_num_threads",
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
)
_GETTERS = (
    "openblas_get_num_threads",
    "scipy_openblas_get_num_threads64_",
    "scipy_openblas_get_num_threads",
    "openblas_get_num_threads64_",
)


class _OpenBLAS:
    """The thread-count setter and getter of one loaded OpenBLAS library."""

    def __init__(self, library):
        self._set = self._get = None
        for name in _SETTERS:
            if hasattr(library, name):
                self._set = getattr(library, name)
                self._set.argtypes = [ctypes.c_int]
                self._set.restype = None
                break
        for name in _GETTERS:
            if hasattr(library, name):
                self._get = getattr(library, name)
                self._get.argtypes = []
                self._get.restype = ctypes.c_int
                break

    @property
    def usable(self):
        return self._set is not None and self._get is not None

    def get(self):
        return int(self._get())

    def set(self, n):
        self._set(int(n))


def _loaded_openblas_paths():
    """Paths of the OpenBLAS libraries loaded in this process (or shipped with NumPy)."""
    paths = set()
    try:  # Linux: every mapped file
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if line.strip() else ""
                if "openblas" in os.path.basename(path).lower():
                    paths.add(path)
    except OSError:
        pass
    if not paths:  # Windows and macOS wheels: next to the numpy package
        root = os.path.dirname(os.path.dirname(np.__file__))
        for pattern in ("numpy.libs/*openblas*", "numpy/.dylibs/*openblas*"):
            paths.update(glob.glob(os.path.join(root, pattern)))
    return sorted(paths)


_BLAS = None  # list of _OpenBLAS, found on first use


def _openblas_libraries():
    global _BLAS
    if _BLAS is None:
        found = []
        for path in _loaded_openblas_paths():
            try:
                blas = _OpenBLAS(ctypes.CDLL(path))
            except OSError:
                continue
            if blas.usable:
                found.append(blas)
        _BLAS = found
    return _BLAS


def _numpy_uses_openblas():
    """Whether NumPy's BLAS is OpenBLAS (its build configuration says so)."""
    try:
        config = np.show_config(mode="dicts")
        name = config["Build Dependencies"]["blas"]["name"]
    except Exception:  # older NumPy, or another layout: do not guess
        return False
    return "openblas" in str(name).lower()


_lock = threading.Lock()
_users = 0
_saved: list[tuple[_OpenBLAS, int]] = []


@contextlib.contextmanager
def single_threaded_blas():
    """Set OpenBLAS to one thread for the block (nested and concurrent uses share it)."""
    global _users, _saved
    with _lock:
        if _users == 0:
            _saved = [(blas, blas.get()) for blas in _openblas_libraries()]
            for blas, _ in _saved:
                blas.set(1)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                for blas, previous in _saved:
                    blas.set(previous)
                _saved = []


# ---------------------------------------------------------------------------
# Numba's threading layer
# ---------------------------------------------------------------------------
@jit(parallel=True)
def _touch_threads(out):
    """A trivial parallel loop: it makes Numba load its threading layer."""
    for i in numba.prange(out.shape[0]):
        out[i] = i


def _threading_layer():
    """Numba's threading layer ('omp', 'tbb', 'workqueue'), or None without one (no JIT)."""
    try:
        return numba.threading_layer()
    except ValueError:  # no parallel kernel has run yet in this process
        pass
    _touch_threads(np.empty(2))
    try:
        return numba.threading_layer()
    except ValueError:  # NUMBA_DISABLE_JIT: kernels are Python and hold the GIL
        return None


_CAN_RUN_SIDE_BY_SIDE = None


def parallel_workers(n_runs):
    """How many runs to execute at once: 1 (a plain loop) unless threads are safe and pay.

    As many as Numba's thread count (``numba.set_num_threads`` is honoured),
    at most ``n_runs``, and 1 where the threading layer or the BLAS is not
    one this module can drive.
    """
    global _CAN_RUN_SIDE_BY_SIDE
    workers = min(int(n_runs), numba.get_num_threads())
    if workers < 2 or numba.config.DISABLE_JIT:  # plain-Python kernels hold the GIL
        return 1
    if _CAN_RUN_SIDE_BY_SIDE is None:
        _CAN_RUN_SIDE_BY_SIDE = (
            _threading_layer() in ("omp", "tbb")
            and _numpy_uses_openblas()
            and bool(_openblas_libraries())
        )
    return workers if _CAN_RUN_SIDE_BY_SIDE else 1


# ---------------------------------------------------------------------------
# The runs
# ---------------------------------------------------------------------------
def run_in_order(n_runs, draw, run, n_workers):
    """``run(draw(i))`` for i in ``range(n_runs)``, computed by ``n_workers`` threads.

    A generator: with one worker, each result is yielded as soon as it is
    computed (a plain loop, so messages a run prints stay in order); with
    several, all runs finish before the first result is yielded.

    ``draw(i)`` (which may consume a shared random stream) is always called
    for i = 0, 1, 2, ... in order, one at a time; ``run`` must be
    deterministic and must not touch shared state. Each worker runs Numba
    kernels on one thread and OpenBLAS on one thread. If some runs raise, the
    exception of the lowest-numbered failing run is raised (later runs are
    not started once a run has failed).
    """
    if n_workers <= 1:
        for i in range(n_runs):  # a plain loop: each run ends before the next is drawn
            yield run(draw(i))
        return

    results = [None] * n_runs
    errors = {}
    state = {"next": 0}
    draw_lock = threading.Lock()

    def work():
        with num_threads(1):
            for blas in _openblas_libraries():  # OpenMP builds: this thread's setting
                blas.set(1)
            while True:
                with draw_lock:
                    i = state["next"]
                    if i >= n_runs or errors:
                        return
                    state["next"] = i + 1
                    try:
                        start = draw(i)
                    except BaseException as error:  # noqa: BLE001 - re-raised below
                        errors[i] = error
                        return
                try:
                    results[i] = run(start)
                except BaseException as error:  # noqa: BLE001 - re-raised below
                    with draw_lock:
                        errors[i] = error
                    return

    with single_threaded_blas():
        threads = [threading.Thread(target=work, daemon=True) for _ in range(n_workers)]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                thread.join()
        except BaseException:  # e.g. KeyboardInterrupt: no new runs, wait for the others
            with draw_lock:
                state["next"] = n_runs
            for thread in threads:
                thread.join()
            raise
    if errors:
        raise errors[min(errors)]
    yield from results
