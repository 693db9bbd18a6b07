"""Result comparisons for workloads' ``check`` functions.

Each helper raises ``AssertionError`` with a short, specific message when the
results disagree; the runner shows that message next to the FAILED row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def assert_same_array(expected: Any, actual: Any, what: str = "array") -> None:
    """Exact equality of two arrays: same shape, same dtype, same values (NaN == NaN)."""
    expected, actual = np.asarray(expected), np.asarray(actual)
    if expected.shape != actual.shape:
        raise AssertionError(f"{what}: shape {actual.shape} != expected {expected.shape}")
    if expected.dtype != actual.dtype:
        raise AssertionError(f"{what}: dtype {actual.dtype} != expected {expected.dtype}")
    equal_nan = expected.dtype.kind in "fc"
    if np.array_equal(expected, actual, equal_nan=equal_nan):
        return
    differ = expected != actual
    if equal_nan:
        differ &= ~(np.isnan(expected) & np.isnan(actual))
    message = f"{what}: {int(differ.sum())} of {expected.size} elements differ"
    if expected.dtype.kind in "iufc":
        diff = np.abs(expected.astype(complex) - actual.astype(complex))
        message += f" (max abs difference {float(np.nanmax(diff)):.3g})"
    raise AssertionError(message)


def assert_same_arrays(
    expected: Sequence[Any], actual: Sequence[Any], names: Sequence[str] = ("X", "y")
) -> None:
    """:func:`assert_same_array` on each element of two tuples such as ``(X, y)``."""
    if len(expected) != len(actual):
        raise AssertionError(f"returned {len(actual)} values, expected {len(expected)}")
    for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
        name = names[i] if i < len(names) else f"output[{i}]"
        assert_same_array(e, a, name)
