"""Peak memory of one call.

On Linux the kernel's own watermark is used: writing ``5`` to
``/proc/self/clear_refs`` resets the peak resident set size (``VmHWM``) to the
current one, so ``VmHWM`` after the call minus ``VmRSS`` before it is the extra
memory the call touched at its peak -- whoever allocated it (numpy, Numba's
runtime, a C++ peer).  Elsewhere ``tracemalloc`` is used, which only sees
allocations made through Python's allocator hooks (numpy arrays included).
Pages that were allocated but never written (``np.zeros`` on fresh memory) are
not resident and are not counted by the first method.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import re
import tracemalloc
from collections.abc import Callable
from functools import lru_cache
from typing import Any

CLEAR_REFS = "/proc/self/clear_refs"
STATUS = "/proc/self/status"
MB = 1e6  # bytes


def _status_kib(field: str) -> int:
    """A ``kB`` field of ``/proc/self/status`` (``VmRSS``, ``VmHWM``)."""
    with open(STATUS) as f:
        match = re.search(rf"^{field}:\s+(\d+)\s+kB", f.read(), re.MULTILINE)
    if match is None:
        raise OSError(f"{field} not in {STATUS}")
    return int(match.group(1))


def _reset_watermark() -> None:
    with open(CLEAR_REFS, "w") as f:
        f.write("5")


@lru_cache(maxsize=1)
def _libc_malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def _release_free_memory() -> None:
    """Collect garbage and give freed heap pages back to the OS (glibc).

    Without the trim, memory freed by an earlier call can stay resident and be
    reused by the measured call without raising the watermark.
    """
    gc.collect()
    trim = _libc_malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def method() -> str:
    """``"clear_refs"`` when the kernel watermark can be reset, else ``"tracemalloc"``."""
    try:
        _status_kib("VmRSS")
        _reset_watermark()
        if _status_kib("VmHWM") <= _status_kib("VmRSS") + 1024:
            return "clear_refs"
    except OSError:
        pass
    return "tracemalloc"


def peak_mb(fn: Callable[[Any], Any], inputs: Any) -> float:
    """Peak extra memory (MB, 10^6 bytes) of ``fn(inputs)``, result included."""
    if method() == "clear_refs":
        return _peak_clear_refs(fn, inputs)
    return _peak_tracemalloc(fn, inputs)


def _peak_clear_refs(fn: Callable[[Any], Any], inputs: Any) -> float:
    _release_free_memory()
    _reset_watermark()
    baseline = _status_kib("VmRSS")
    result = fn(inputs)
    peak = _status_kib("VmHWM")
    del result
    return max(peak - baseline, 0) * 1024 / MB


def _peak_tracemalloc(fn: Callable[[Any], Any], inputs: Any) -> float:
    gc.collect()
    already = tracemalloc.is_tracing()
    if not already:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline, _ = tracemalloc.get_traced_memory()
        result = fn(inputs)
        _, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        if not already:
            tracemalloc.stop()
    return max(peak - baseline, 0) / MB
