"""Markdown table and JSON file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from benchmarks.runner import MIN_SAMPLE_S, SETTLE_S, Options, Row

SCHEMA_VERSION = 1
DASH = "—"


def format_time(seconds: float | None) -> str:
    """``1.23 s``, ``45.6 ms`` or ``789 µs``."""
    if seconds is None:
        return DASH
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _number(value: float | None, fmt: str) -> str:
    return DASH if value is None else format(value, fmt)


def _ratio(row: Row) -> str:
    return DASH if row.ratio_vs_sklearn is None else f"{row.ratio_vs_sklearn:.2f}×"


def _columns(rows: list[Row]) -> list[tuple[str, str, Any]]:
    """``(header, alignment, cell(row))`` for the table; optional columns if used."""
    columns = [
        ("workload", ":--", lambda r: r.workload),
        ("size", ":--", lambda r: r.size_label),
        ("implementation", ":--", lambda r: r.implementation),
        ("median", "--:", lambda r: _time_per(r.median_s, r)),
        ("min", "--:", lambda r: _time_per(r.min_s, r)),
        ("runs", "--:", _runs),
        ("first call", "--:", lambda r: format_time(r.first_call_s)),
        ("peak MB", "--:", lambda r: _number(r.peak_mb, ".1f")),
        ("vs scikit-learn", "--:", _ratio),
    ]
    if any(r.gflops is not None for r in rows):
        columns.append(("GFLOP/s", "--:", lambda r: _number(r.gflops, ".2f")))
    if any(r.cold for r in rows):
        columns += [
            ("cold compile", "--:", lambda r: _cold(r, "cold_first_call_s")),
            ("warm cache", "--:", lambda r: _cold(r, "warm_cache_first_call_s")),
        ]
    columns.append(("check", ":--", lambda r: r.status))
    return columns


def _runs(row: Row) -> str:
    """Timed samples, ``5`` or ``5×40`` when each sample was 40 calls back to back."""
    if not row.times_s:
        return DASH
    return f"{len(row.times_s)}×{row.calls}" if row.calls > 1 else str(len(row.times_s))


def _time_per(seconds: float | None, row: Row) -> str:
    text = format_time(seconds)
    return f"{text}/{row.per}" if row.per and seconds is not None else text


def _cold(row: Row, key: str) -> str:
    return format_time(row.cold.get(key)) if row.cold else DASH


def table(rows: list[Row]) -> str:
    """The results as a GitHub-flavoured markdown table."""
    columns = _columns(rows)
    lines = [
        "| " + " | ".join(h for h, _, _ in columns) + " |",
        "|" + "|".join(a for _, a, _ in columns) + "|",
    ]
    for row in rows:
        cells = (str(cell(row)).replace("|", "\\|") for _, _, cell in columns)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def notes(rows: list[Row]) -> list[str]:
    """One line per row that needs explaining (failures, errors, short runs)."""
    out = []
    for r in rows:
        where = f"{r.workload} {r.size_label} {r.implementation}"
        if r.detail:
            out.append(f"{where}: {r.status}: {r.detail}")
        if r.repeats_note:
            out.append(f"{where}: {r.repeats_note}")
        if r.cold and r.cold.get("error"):
            out.append(f"{where}: --cold: {r.cold['error']}")
        elif r.cold and not r.cold.get("cache_files"):
            out.append(f"{where}: --cold: nothing was written to NUMBA_CACHE_DIR")
    return out


def text_report(rows: list[Row]) -> str:
    """Table plus notes, as printed on stdout."""
    lines = [table(rows)]
    extra = notes(rows)
    if extra:
        lines += ["", "Notes:", *(f"- {n}" for n in extra)]
    return "\n".join(lines)


def header(info: dict[str, Any], options: Options) -> str:
    """Markdown description of the machine, software, threads and protocol."""
    m, sw, th = info["machine"], info["software"], info["threads"]
    pools = th.get("threadpools")
    blas = (
        ", ".join(dict.fromkeys(f"{p['internal_api']} {p['num_threads']}" for p in pools))
        if pools is not None
        else "unknown (threadpoolctl not installed)"
    )
    env = ", ".join(f"{k}={v}" for k, v in info["env"].items() if v is not None) or "none set"
    peers = ", ".join(f"{k} {v}" for k, v in sw.items() if k != "python" and v) or DASH
    return "\n".join(
        [
            f"- date: {info['date']}",
            f"- command: `{info['command']}`",
            f"- git: {info['git'] or DASH}",
            f"- CPU: {m['cpu_model']}, {m['logical_cpus']} logical CPUs "
            f"({m['usable_cpus']} usable, {m['physical_cores'] or '?'} physical cores), "
            f"{m['memory_gib']} GiB memory, {m['os']}",
            f"- Python {sw['python']}; {peers}",
            f"- threads: numba {th.get('numba')}; thread pools: {blas}",
            f"- thread variables: {env}",
            f"- protocol: warm-up call, then {options.repeat} alternating timed repeats "
            f"per implementation (budget {options.budget_s:g} s per call), "
            f"gc.collect() and a {SETTLE_S:g} s pause before each; a call under "
            f"{MIN_SAMPLE_S * 1e3:g} ms is repeated back to back within a repeat until it "
            f"lasts {MIN_SAMPLE_S * 1e3:g} ms, and timed as the mean (runs: repeats×calls); "
            f"peak memory via {_memory_method()}",
        ]
    )


def _memory_method() -> str:
    from benchmarks import memory

    return memory.method()


def markdown(rows: list[Row], info: dict[str, Any], options: Options) -> str:
    """The whole ``results.md``."""
    title = "# purecluster benchmarks" + (" (quick)" if options.quick else "")
    return "\n\n".join([title, header(info, options), text_report(rows)]) + "\n"


def to_json(rows: list[Row], info: dict[str, Any], options: Options, **extra: Any) -> dict:
    """The whole ``results.json`` document."""
    from benchmarks import memory

    settings = dict(vars(options), memory_method=memory.method())
    return {
        "schema_version": SCHEMA_VERSION,
        **info,
        "settings": settings,
        **extra,
        "results": [r.to_json() for r in rows],
    }


def write_text(path: Path, text: str) -> None:
    """Write through a temporary file so a crash never leaves half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_json(path: Path, document: dict) -> None:
    """``json.dump`` with indentation, via :func:`write_text`."""
    write_text(path, json.dumps(document, indent=2, default=str) + "\n")
