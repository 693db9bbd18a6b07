"""MkDocs hook: make every picture of the site from the package before the build.

No picture in ``docs/`` is drawn by hand or stored in git: the seminar's
figures, the internals and the animations come from ``purecluster``'s own
demo (``purecluster._demo.run_demo``) into ``docs/img/``, and the benchmark
plots are copied from ``benchmarks/results/``.
"""

from __future__ import annotations

import glob
import os
import shutil
import sys

_DONE = False


def on_pre_build(config, **kwargs):
    global _DONE
    if _DONE:  # `mkdocs serve` rebuilds on every change: draw once per process
        return
    docs_dir = config["docs_dir"]
    img = os.path.join(docs_dir, "img")
    os.makedirs(img, exist_ok=True)

    root = os.path.dirname(os.path.abspath(docs_dir))
    if root not in sys.path:  # the checkout being documented, installed or not
        sys.path.insert(0, root)
    # ...and for the kernel that executes the seminar notebook
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH", "")) if p
    )
    from purecluster._demo import run_demo

    run_demo(img, animations=True)
    for png in glob.glob(os.path.join(root, "benchmarks", "results", "results-*.png")):
        if not png.endswith("-quick.png"):
            shutil.copy(png, os.path.join(img, "bench-" + os.path.basename(png)))
    _DONE = True
