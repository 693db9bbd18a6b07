"""The timing protocol.

For each workload and size, in one process and on the same inputs:

1. ``setup(size)`` builds the inputs once.
2. Each implementation's package is imported (timed separately, ``import_s``).
   A package that is absent makes the row "not installed"; one that fails to
   import makes it ERROR.
3. Warm-up: one call per implementation, the reference first; its time is
   ``first_call_s`` (for purecluster: Numba compilation or cache load).  Every
   result is checked against the reference result *before* any timing is
   reported; a disagreeing implementation is FAILED (and still timed, so the row
   stays visible).
4. Timed rounds alternate the implementations (A, B, C, A, B, C, ...), with
   ``gc.collect()`` and a pause of ``SETTLE_S`` before every call and
   ``time.perf_counter`` around it.  The pause lets the previous call's thread
   pools (OpenMP, OpenBLAS) finish busy-waiting and go to sleep: otherwise
   their spinning threads can take the cores from the next implementation's
   call, which would charge one library's idle threads to the other.  An
   implementation stops early only when one call exceeds the time budget.
   A timed sample lasts at least ``MIN_SAMPLE_S``: an implementation whose
   call is shorter is called ``calls`` times back to back after the pause
   (fixed per implementation after the warm-up by the fastest of four
   calibration calls, as ``timeit`` and asv fix theirs), and the sample's
   time is the mean.  A single call of a millisecond right after a pause
   measures the machine waking up more than the call (on the 2-core CI
   machine an empty Python function took 12 against 1.4 µs right after
   ``time.sleep(0.2)``).
   Objects alive before the warm-up (imported modules, the inputs) are moved
   out of the garbage collector's reach with ``gc.freeze()`` for the case, so
   that these collections (and any the calls trigger) take milliseconds, not
   the ~0.2 s a full scan of numba's and scikit-learn's objects costs.
5. Peak memory: one more call per implementation (see :mod:`benchmarks.memory`).
6. Optionally (``--cold``) the cold-compile and warm-cache first calls of
   purecluster in fresh processes (see :mod:`benchmarks.cold`).
"""

from __future__ import annotations

import dataclasses
import gc
import importlib
import json
import math
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks import cold as cold_compile
from benchmarks import memory
from benchmarks.progress import Progress
from benchmarks.registry import REFERENCE, Impl, Workload, missing_reason

MIN_REPEATS = 5


@dataclasses.dataclass
class Options:
    """How to run: sizes, repeats, time budget per call, extras."""

    quick: bool = False
    repeat: int = 10
    budget_s: float = 20.0
    cold: bool = False
    memory: bool = True


@dataclasses.dataclass
class Row:
    """The measurements of one implementation on one workload size.

    ``status`` is one of ``reference``, ``ok``, ``FAILED`` (result disagrees
    with the reference), ``unchecked`` (no check or no reference result),
    ``ERROR`` (raised) or ``not installed``; ``detail`` says why.
    Times in ``times_s`` are per ``per`` unit when the workload declares one.
    """

    workload: str
    group: str
    size: Any
    size_label: str
    implementation: str
    status: str = "ok"
    detail: str = ""
    per: str | None = None
    import_s: float | None = None
    first_call_s: float | None = None
    times_s: list[float] = dataclasses.field(default_factory=list)
    repeats_planned: int = 0
    calls: int = 1
    repeats_note: str = ""
    peak_mb: float | None = None
    memory_method: str | None = None
    gflops: float | None = None
    ratio_vs_sklearn: float | None = None
    ratio_vs: dict[str, float] = dataclasses.field(default_factory=dict)
    cold: dict[str, Any] | None = None

    @property
    def median_s(self) -> float | None:
        return statistics.median(self.times_s) if self.times_s else None

    @property
    def min_s(self) -> float | None:
        return min(self.times_s) if self.times_s else None

    @property
    def timed(self) -> bool:
        return bool(self.times_s)

    def fail(self, status: str, detail: str) -> None:
        """Mark the row; an ERROR overrides a FAILED check."""
        self.status, self.detail = status, detail

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict, with median/min/repeats spelled out."""
        out = dataclasses.asdict(self)
        out["size"] = _jsonable(self.size)
        out.update(median_s=self.median_s, min_s=self.min_s, repeats=len(self.times_s))
        return out


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except TypeError:
        return repr(value)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


# Pause before each timed call, longer than OpenBLAS's (~0.1 s) and libgomp's
# busy-wait after a parallel region (see the module docstring, step 4).
SETTLE_S = 0.2

# A timed sample lasts at least this long (calls back to back, see the module
# docstring, step 4), with at most MAX_CALLS calls.
MIN_SAMPLE_S = 0.05
MAX_CALLS = 1000
# Calls straight after the calibration's first one (see Case.calibrate),
# unless that one took longer than CALIBRATION_LIMIT_S.
CALIBRATION_CALLS = 3
CALIBRATION_LIMIT_S = 1.0


def timed_call(fn: Callable[[Any], Any], inputs: Any, calls: int = 1) -> tuple[float, Any]:
    """Collect garbage, let idle thread pools sleep, then time ``calls`` calls back to back.

    Returns ``(seconds per call, the last call's result)``.
    """
    gc.collect()
    time.sleep(SETTLE_S)
    start = time.perf_counter()
    for _ in range(calls):
        result = fn(inputs)
    return (time.perf_counter() - start) / calls, result


def calls_per_sample(seconds: float) -> int:
    """How many calls of ``seconds`` each make a sample of at least :data:`MIN_SAMPLE_S`."""
    if not seconds > 0:
        return MAX_CALLS
    return max(1, min(MAX_CALLS, math.ceil(MIN_SAMPLE_S / seconds)))


def run(workloads: list[Workload], options: Options, progress: Progress) -> list[Row]:
    """Run every size of every workload; Ctrl-C stops and keeps what is done."""
    cases = [(w, i, s) for w in workloads for i, s in enumerate(w.sizes(options.quick))]
    progress.total = len(cases)
    rows: list[Row] = []
    for w, index, size in cases:
        try:
            rows.extend(Case(w, index, size, options, progress).run())
        except KeyboardInterrupt:
            progress.message("interrupted: reporting the cases that finished")
            break
    progress.done()
    return rows


class Case:
    """One workload at one size: all implementations, the whole protocol."""

    def __init__(
        self, w: Workload, index: int, size: Any, options: Options, progress: Progress
    ) -> None:
        self.w, self.index, self.size = w, index, size
        self.options, self.progress = options, progress
        label = w.label(size)
        self.rows = {
            name: Row(w.full_name, w.group, size, label, name, per=w.per)
            for name in w.implementations
        }
        self.active: dict[str, Impl] = {}
        progress.next_case(w.full_name, label)

    def run(self) -> list[Row]:
        """Setup, import, warm-up and check, timed rounds, memory, cold compile."""
        try:
            inputs = self.w.setup(self.size)
        except Exception as exc:
            for row in self.rows.values():
                row.fail("ERROR", f"setup failed: {_describe(exc)}")
            return list(self.rows.values())
        self.import_all()
        gc.collect()
        gc.freeze()  # long-lived objects (modules, inputs) leave the collector's scans
        try:
            self.warm_up_and_check(inputs)
            self.calibrate(inputs)
            self.timed_rounds(inputs)
            if self.options.memory:
                self.peak_memory(inputs)
        finally:
            gc.unfreeze()
        del inputs
        if self.options.cold and "purecluster" in self.active:
            self.cold_compile()
        self.derive()
        return list(self.rows.values())

    def import_all(self) -> None:
        """Find and import each implementation's package; order the reference first."""
        for name, impl in self.w.impls().items():
            row, module = self.rows[name], impl.module(name)
            reason = missing_reason(module)
            if reason:
                row.fail("not installed", reason)
                continue
            self.progress.update(name, f"import {module}")
            try:
                start = time.perf_counter()
                importlib.import_module(module)
                row.import_s = time.perf_counter() - start
            except Exception as exc:
                row.fail("ERROR", f"import {module} failed: {_describe(exc)}")
                continue
            self.active[name] = impl
        reference = self.reference()
        if reference:
            self.active = {reference: self.active[reference], **self.active}

    def reference(self) -> str | None:
        """The implementation results are checked against."""
        if self.w.reference in self.active:
            return self.w.reference
        return next(iter(self.active), None)

    def warm_up_and_check(self, inputs: Any) -> None:
        """First call of each implementation, then its check against the reference."""
        reference, expected = self.reference(), None
        for name, impl in list(self.active.items()):
            row = self.rows[name]
            self.progress.update(name, "warm-up (first call)")
            try:
                row.first_call_s, result = timed_call(impl.fn, inputs)
                self.units(result)
            except Exception as exc:
                self.drop(name, f"first call raised {_describe(exc)}")
                if name == reference:
                    reference = None
                continue
            if name == reference:
                expected, row.status = result, "reference"
            else:
                self.check(row, expected, result, reference)
            del result
        del expected

    def check(self, row: Row, expected: Any, result: Any, reference: str | None) -> None:
        """Run the workload's check; mark FAILED with the check's message."""
        if self.w.check is None:
            row.fail("unchecked", "the workload defines no check")
        elif reference is None:
            row.fail("unchecked", "no reference result to check against")
        else:
            self.progress.update(row.implementation, f"check against {reference}")
            try:
                self.w.check(expected, result)
            except Exception as exc:
                row.fail("FAILED", f"differs from {reference}: {_describe(exc)}")

    def units(self, result: Any) -> float:
        """How many ``per`` units the call that produced ``result`` did (1 without ``per``)."""
        if self.w.count is None:
            return 1.0
        count = float(self.w.count(result))
        if not count > 0:
            raise ValueError(f"count of {self.w.per}s is {count}, must be positive")
        return count

    def drop(self, name: str, detail: str) -> None:
        """Stop running an implementation that raised."""
        self.rows[name].fail("ERROR", detail)
        self.active.pop(name, None)

    def calibrate(self, inputs: Any) -> None:
        """Calls per timed sample, from the fastest of a call after the pause and three more.

        The first calls after a pause can be several times slower than the
        next (scikit-learn's 500-point fit: 10-25 ms, then 4-5 ms): the
        fastest is the call's own time.
        """
        for name, impl in list(self.active.items()):
            self.progress.update(name, "calibration")
            try:
                seconds, result = timed_call(impl.fn, inputs)
                del result
                # the extra calls also when the first is slow: after a pause,
                # scikit-learn's 5 ms fit took 52 ms
                for _ in range(CALIBRATION_CALLS if seconds < CALIBRATION_LIMIT_S else 0):
                    start = time.perf_counter()
                    impl.fn(inputs)
                    seconds = min(seconds, time.perf_counter() - start)
            except Exception as exc:
                self.drop(name, f"calibration call raised {_describe(exc)}")
                continue
            self.rows[name].calls = calls_per_sample(seconds)

    def timed_rounds(self, inputs: Any) -> None:
        """Alternate implementations for ``repeat`` rounds, within the time budget."""
        n, budget = self.options.repeat, self.options.budget_s
        running = list(self.active)
        for name in running:
            self.rows[name].repeats_planned = n
        for i in range(n):
            for name in list(running):
                row = self.rows[name]
                self.progress.update(name, f"repeat {i + 1}/{n}")
                try:
                    seconds, result = timed_call(self.active[name].fn, inputs, row.calls)
                    row.times_s.append(seconds / self.units(result))
                    del result
                except Exception as exc:
                    self.drop(name, f"timed call {i + 1} raised {_describe(exc)}")
                    running.remove(name)
                    continue
                if seconds > budget and i + 1 < n:
                    row.repeats_note = (
                        f"{i + 1} of {n} repeats: one call took {seconds:.1f} s "
                        f"> budget {budget:g} s"
                    )
                    running.remove(name)

    def peak_memory(self, inputs: Any) -> None:
        """One separate call per implementation, measuring peak memory."""
        for name, impl in self.active.items():
            row = self.rows[name]
            self.progress.update(name, "peak memory")
            row.memory_method = memory.method()
            try:
                row.peak_mb = memory.peak_mb(impl.fn, inputs)
            except Exception as exc:
                self.drop(name, f"memory call raised {_describe(exc)}")

    def cold_compile(self) -> None:
        """First call of purecluster in fresh processes, cold and with a warm cache."""
        self.progress.update("purecluster", "fresh processes (--cold)")
        self.rows["purecluster"].cold = cold_compile.measure(self.w, self.index, self.options.quick)

    def derive(self) -> None:
        """GFLOP/s and ratios between medians."""
        timed = {name: row for name, row in self.rows.items() if row.timed}
        for name, row in timed.items():
            if self.w.flops is not None and row.median_s:
                row.gflops = self.w.flops(self.size) / row.median_s / 1e9
            row.ratio_vs = {
                peer: row.median_s / other.median_s
                for peer, other in timed.items()
                if peer != name and other.median_s
            }
            if name == REFERENCE:
                row.ratio_vs_sklearn = 1.0
            else:
                row.ratio_vs_sklearn = row.ratio_vs.get(REFERENCE)
