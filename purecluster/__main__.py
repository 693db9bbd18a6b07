"""Command line: ``python -m purecluster demo`` and ``python -m purecluster warmup``."""

from __future__ import annotations

import argparse
import sys


def _demo(out_dir, animations):
    from ._demo import run_demo

    run_demo(out_dir, animations=animations)
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
    demo.add_argument(
        "--no-animations", action="store_true", help="skip the GIF animations (faster)"
    )
    commands.add_parser("warmup", help="compile the common kernels ahead of time")
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo(args.out, animations=not args.no_animations)
    return _warmup()


if __name__ == "__main__":
    sys.exit(main())
