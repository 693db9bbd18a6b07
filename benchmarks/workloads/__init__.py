"""Workload groups: one module per group, discovered automatically.

Every module in this package whose name does not start with ``_`` is imported by
:func:`load_all`, and registers its workloads in :data:`benchmarks.registry.REGISTRY`
at import time.  Adding a group is therefore just adding a module; see
``benchmarks/README.md``.  Group modules must import only numpy and the
benchmark helpers at the top: the packages being compared are imported inside
the implementation functions.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback

from benchmarks.registry import REGISTRY, Registry

#: ``{module name: error text}`` for group modules that failed to import.
LOAD_ERRORS: dict[str, str] = {}


def load_all() -> Registry:
    """Import every group module and return the global registry.

    A group module that fails to import is reported on stderr and recorded in
    :data:`LOAD_ERRORS`; the other groups still load.
    """
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = f"{__name__}.{info.name}"
        if module in sys.modules or module in LOAD_ERRORS:
            continue
        try:
            importlib.import_module(module)
        except Exception:  # one broken group must not hide the others
            LOAD_ERRORS[module] = traceback.format_exc(limit=3)
            print(f"warning: could not load {module}:\n{LOAD_ERRORS[module]}", file=sys.stderr)
    return REGISTRY
