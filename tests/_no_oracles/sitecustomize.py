"""Loaded at start-up by any Python whose PYTHONPATH begins with this folder.

It makes scikit-learn and scipy unimportable, as on a machine without them,
so a subprocess (or a notebook kernel) can prove purecluster does not need them.
"""

import sys

BLOCKED = ("sklearn", "scipy")


class _BlockOracles:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked in this test")
        return None


sys.meta_path.insert(0, _BlockOracles())
