"""Command line: ``python -m purecluster demo`` and ``python -m purecluster warmup``."""

from __future__ import annotations

import argparse
import os
import sys
import time


def _demo(out_dir):
    """Draw the seminar's figures into ``out_dir`` and say what was written."""
    import matplotlib

    matplotlib.use("Agg")

    from .datasets import seminar_datasets
    from .plotting import plot_datasets

    os.makedirs(out_dir, exist_ok=True)
    start = time.perf_counter()
    datasets = seminar_datasets()
    fig, _ = plot_datasets(datasets)
    path = os.path.join(out_dir, "datasets.png")
    fig.savefig(path, dpi=100)
    written = [path]

    print(f"purecluster demo: the seminar's data sets ({time.perf_counter() - start:.2f} s)")
    print()
    print("| data set | samples | features | classes |")
    print("|---|---|---|---|")
    for name, (X, y) in datasets:
        print(f"| {name} | {X.shape[0]} | {X.shape[1]} | {len(set(y.tolist()))} |")
    print()
    print(f"Wrote {len(written)} figure(s) to {os.path.abspath(out_dir)}:")
    for path in written:
        print(f"  {path}")
    return 0


def _warmup():
    from ._jit import warmup

    timings = warmup(verbose=True)
    if not timings:
        print("nothing to compile yet")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m purecluster", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="draw the seminar's figures on built-in data")
    demo.add_argument(
        "--out", default="purecluster_demo", help="folder for the figures (default: %(default)s)"
    )
    commands.add_parser("warmup", help="compile the common kernels ahead of time")
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo(args.out)
    return _warmup()


if __name__ == "__main__":
    sys.exit(main())
