"""Compile time: first call in a fresh process, with and without a Numba cache.

``measure`` runs the purecluster implementation of one workload twice, each
time in a new Python process: first with an empty temporary ``NUMBA_CACHE_DIR``
(cold: everything is compiled), then reusing that directory (warm cache: the
functions declared with ``cache=True`` are loaded instead).  The package import
is timed separately from the first call.

This module is also the child process: ``python -m benchmarks.cold --workload
NAME --size-index I [--quick] [--module-file FILE]`` prints one JSON line.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.registry import Workload

ROOT = Path(__file__).resolve().parent.parent
IMPLEMENTATION = "purecluster"


def measure(w: Workload, size_index: int, quick: bool, timeout_s: float = 900.0) -> dict[str, Any]:
    """Cold-compile and warm-cache first-call times of ``w``'s purecluster implementation."""
    with tempfile.TemporaryDirectory(prefix="purecluster-bench-numba-cache-") as cache:
        cold = _run_child(w, size_index, quick, cache, timeout_s)
        files = sum(len(names) for _, _, names in os.walk(cache))
        warm = _run_child(w, size_index, quick, cache, timeout_s)
    out = {
        "cold_import_s": cold.get("import_s"),
        "cold_first_call_s": cold.get("first_call_s"),
        "warm_cache_import_s": warm.get("import_s"),
        "warm_cache_first_call_s": warm.get("first_call_s"),
        "cache_files": files,
    }
    errors = [r["error"] for r in (cold, warm) if "error" in r]
    if errors:
        out["error"] = errors[0]
    return out


def _run_child(
    w: Workload, size_index: int, quick: bool, cache: str, timeout_s: float
) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.cold", "--workload", w.full_name]
    cmd += ["--size-index", str(size_index)] + (["--quick"] if quick else [])
    if w.source:
        cmd += ["--module-file", w.source]
    # purecluster's kernels cache only if PURECLUSTER_NUMBA_CACHE allows it.
    env = dict(os.environ, NUMBA_CACHE_DIR=cache, PURECLUSTER_NUMBA_CACHE="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    try:
        proc = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout_s
        )
    except subprocess.TimeoutExpired:
        return {"error": f"fresh process took more than {timeout_s:.0f} s"}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"fresh process failed (exit {proc.returncode}): {tail}"}
    return json.loads(lines[-1])


def _load_file(path: str) -> None:
    """Execute a workload module given by path (workloads registered outside the package)."""
    spec = importlib.util.spec_from_file_location("_benchmarks_extra_workloads", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)


def child(argv: list[str] | None = None) -> dict[str, Any]:
    """Set up one workload size, then time the import and the first call."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cold")
    parser.add_argument("--workload", required=True)
    parser.add_argument("--size-index", type=int, default=0)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--module-file")
    parser.add_argument("--implementation", default=IMPLEMENTATION)
    args = parser.parse_args(argv)

    from benchmarks.workloads import load_all

    registry = load_all()
    if args.workload not in registry and args.module_file:
        _load_file(args.module_file)
    w = registry.get(args.workload)
    inputs = w.setup(w.sizes(args.quick)[args.size_index])
    impl = w.impls()[args.implementation]

    start = time.perf_counter()
    importlib.import_module(impl.module(args.implementation))
    import_s = time.perf_counter() - start
    start = time.perf_counter()
    impl.fn(inputs)
    return {"import_s": import_s, "first_call_s": time.perf_counter() - start}


if __name__ == "__main__":
    try:
        print(json.dumps(child()))
    except Exception as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
