"""What the numbers were measured on: machine, software versions, threads, env vars."""

from __future__ import annotations

import datetime
import importlib
import importlib.metadata
import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from benchmarks.registry import KNOWN_DISTRIBUTIONS

ROOT = Path(__file__).resolve().parent.parent
BASE_PACKAGES = ("numpy", "numba", "scikit-learn", "scipy", "matplotlib", "threadpoolctl")
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "NUMBA_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
)
VAR_PREFIXES = ("OMP_", "NUMBA_", "OPENBLAS_", "MKL_", "BLIS_", "GOTO", "VECLIB_", "PURECLUSTER_")


def collect(argv: list[str], implementations: Iterable[str] = ()) -> dict[str, Any]:
    """Everything the report header needs.

    Call it at the end of a run: thread-pool libraries (OpenMP, BLAS) are only
    listed once the packages that load them have been imported.
    """
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": command_line(argv),
        "machine": machine(),
        "software": versions(implementations),
        "threads": threads(),
        "env": env_vars(),
        "git": git_revision(),
    }


def command_line(argv: list[str]) -> str:
    """The command as it would be typed."""
    return shlex.join([Path(sys.executable).name, "-m", "benchmarks", *argv])


def machine() -> dict[str, Any]:
    """CPU model, core counts, memory and OS."""
    cpuinfo = _read("/proc/cpuinfo")
    model = _first_field(cpuinfo, "model name") or platform.processor() or platform.machine()
    cores = {
        (block.get("physical id"), block.get("core id"))
        for block in _cpu_blocks(cpuinfo)
        if "core id" in block
    }
    return {
        "cpu_model": model,
        "logical_cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "physical_cores": len(cores) or None,
        "memory_gib": _memory_gib(),
        "os": platform.platform(),
    }


def versions(implementations: Iterable[str] = ()) -> dict[str, str | None]:
    """Versions of Python, the base packages, purecluster and each peer."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for name in (*BASE_PACKAGES, *implementations):
        if name not in found:
            found[name] = _version(name)
    found["purecluster"] = _purecluster_version()
    return found


def threads() -> dict[str, Any]:
    """Numba's thread count and the BLAS/OpenMP pools loaded in this process."""
    info: dict[str, Any] = {"numba": None, "threadpools": None}
    try:
        import numba

        info["numba"] = numba.get_num_threads()
    except Exception:  # not installed, or a broken threading layer
        pass
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return info
    keep = ("user_api", "internal_api", "num_threads", "version", "prefix")
    info["threadpools"] = [{k: pool.get(k) for k in keep} for pool in threadpool_info()]
    return info


def env_vars() -> dict[str, str | None]:
    """Thread-related variables: the main ones always (None if unset), others if set."""
    found: dict[str, str | None] = {name: os.environ.get(name) for name in THREAD_VARS}
    for name in sorted(os.environ):
        if name.startswith(VAR_PREFIXES):
            found[name] = os.environ[name]
    return found


def git_revision() -> str | None:
    """Short commit of the repository, with ``+dirty`` for uncommitted changes."""
    try:
        rev = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return rev + ("+dirty" if dirty else "") if rev else None


def _git(*args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True
    )
    return proc.stdout.strip()


def _version(name: str) -> str | None:
    for dist in KNOWN_DISTRIBUTIONS.get(name, (name,)):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def _purecluster_version() -> str | None:
    version = _version("purecluster")
    if version:
        return version
    try:  # a source checkout that is not pip-installed
        return importlib.import_module("purecluster._version").__version__
    except Exception:
        return None


def _read(path: str) -> str:
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def _cpu_blocks(cpuinfo: str) -> list[dict[str, str]]:
    blocks = []
    for chunk in cpuinfo.strip().split("\n\n"):
        pairs = (line.split(":", 1) for line in chunk.splitlines() if ":" in line)
        blocks.append({k.strip(): v.strip() for k, v in pairs})
    return blocks


def _first_field(cpuinfo: str, field: str) -> str | None:
    for block in _cpu_blocks(cpuinfo):
        if field in block:
            return block[field]
    return None


def _memory_gib() -> float | None:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 2**20, 1)
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        return None
