"""Command line: ``python -m benchmarks [--quick] [--only NAME] ...``."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from benchmarks import environment, report
from benchmarks.progress import Progress
from benchmarks.registry import Registry, Workload, missing_reason
from benchmarks.runner import MIN_REPEATS, Options, Row, run

DEFAULT_OUT = Path(__file__).resolve().parent / "results"
REPEATS = {"quick": MIN_REPEATS, "full": 10}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time purecluster against scikit-learn and peers on named workloads.",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help=f"small sizes and {REPEATS['quick']} repeats; writes results-quick.*",
    )
    p.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="workload name, group or prefix (repeatable, or comma-separated)",
    )
    p.add_argument(
        "--repeat",
        type=int,
        metavar="N",
        help=f"timed repeats per implementation (default {REPEATS['full']}, "
        f"quick {REPEATS['quick']})",
    )
    p.add_argument(
        "--budget",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="stop repeating an implementation after a call longer than this",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help="output directory (default benchmarks/results/)",
    )
    p.add_argument(
        "--cold",
        action="store_true",
        help="also time purecluster's first call in fresh processes, "
        "with an empty and with a warm NUMBA_CACHE_DIR",
    )
    p.add_argument("--no-memory", action="store_true", help="skip the peak-memory call")
    p.add_argument("--no-plot", action="store_true", help="do not write the PNG plot")
    p.add_argument("--list", action="store_true", help="list the workloads and exit")
    p.add_argument("--quiet", action="store_true", help="no progress display on stderr")
    args = p.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


def list_workloads(workloads: list[Workload]) -> str:
    """The registry as markdown, with which implementations are installed."""
    lines = [
        "| workload | description | implementations | quick sizes | full sizes |",
        "|:--|:--|:--|:--|:--|",
    ]
    for w in workloads:
        impls = ", ".join(
            name + ("" if missing_reason(impl.module(name)) is None else " (not installed)")
            for name, impl in w.impls().items()
        )
        quick = "; ".join(w.label(s) for s in w.quick)
        full = "; ".join(w.label(s) for s in w.full)
        lines.append(f"| {w.full_name} | {w.description} | {impls} | {quick} | {full} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None, registry: Registry | None = None) -> int:
    """Run the benchmarks; exit status 1 if any result FAILED or raised."""
    args = parse_args(argv)
    argv = sys.argv[1:] if argv is None else list(argv)
    if registry is None:
        from benchmarks.workloads import load_all

        registry = load_all()
    try:
        workloads = registry.select(args.only)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    if args.list:
        print(list_workloads(workloads))
        return 0

    options = Options(
        quick=args.quick,
        repeat=args.repeat or REPEATS["quick" if args.quick else "full"],
        budget_s=args.budget,
        cold=args.cold,
        memory=not args.no_memory,
    )
    progress = Progress(total=0, enabled=not args.quiet)
    if options.repeat < MIN_REPEATS:
        progress.message(
            f"note: --repeat {options.repeat} is below the protocol's "
            f"minimum of {MIN_REPEATS} timed repeats"
        )
    rows = run(workloads, options, progress)
    print(report.text_report(rows))
    stem = output_stem(args.only, options.quick)
    write_outputs(rows, argv, options, args.out, stem, plot=not args.no_plot, progress=progress)
    return 1 if any(r.status in ("FAILED", "ERROR") for r in rows) else 0


def output_stem(only: list[str] | None, quick: bool) -> str:
    """``results[-<selection>][-quick]``: a run of one group publishes its own files.

    Each algorithm's table can then be refreshed on its own without erasing
    the others', and quick runs never overwrite published full results.
    """
    stem = "results"
    if only:
        names = [part for item in only for part in item.split(",") if part]
        stem += "-" + "+".join(re.sub(r"[^A-Za-z0-9_.]+", "_", n) for n in names)
    return stem + ("-quick" if quick else "")


def write_outputs(
    rows: list[Row],
    argv: list[str],
    options: Options,
    out: Path,
    stem: str,
    plot: bool,
    progress: Progress,
) -> None:
    """``<stem>.{json,md,png}`` under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    info = environment.collect(argv, sorted({r.implementation for r in rows}))
    report.write_json(out / f"{stem}.json", report.to_json(rows, info, options))
    report.write_text(out / f"{stem}.md", report.markdown(rows, info, options))
    written = [f"{stem}.json", f"{stem}.md"]
    if plot:
        from benchmarks.plot import plot as draw

        title = f"purecluster vs scikit-learn{' (quick)' if options.quick else ''}"
        if draw(rows, out / f"{stem}.png", title):
            written.append(f"{stem}.png")
    progress.message(f"wrote {', '.join(written)} to {out}")
