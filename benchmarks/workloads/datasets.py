"""Data-set generators: ``purecluster.datasets`` against ``sklearn.datasets``.

The generators must reproduce scikit-learn's output bit for bit for the same
``random_state``, so the check is exact equality of ``X`` and ``y`` (shape,
dtype and values).
"""

from __future__ import annotations

import importlib
from typing import Any

from benchmarks.checks import assert_same_arrays
from benchmarks.registry import Impl, Workload, register

GROUP = "datasets"

# Which package module provides the generators, per implementation.
PROVIDERS = {"purecluster": "purecluster.datasets", "scikit-learn": "sklearn.datasets"}


def _caller(module: str, function: str, **fixed: Any):
    """Implementation calling ``module.function(**inputs, **fixed)``.

    The module is imported on first use, so that importing this file does not
    import purecluster or scikit-learn.
    """

    def call(inputs: dict[str, Any]) -> Any:
        return getattr(importlib.import_module(module), function)(**inputs, **fixed)

    call.__qualname__ = f"{module}.{function}"
    return call


def _implementations(function: str, **fixed: Any) -> dict[str, Impl]:
    return {
        name: Impl(_caller(module, function, **fixed), requires=module)
        for name, module in PROVIDERS.items()
    }


def _setup(size: dict[str, Any] | None) -> dict[str, Any]:
    """Keyword arguments of the generator: the size plus a fixed seed."""
    return {} if size is None else {**size, "random_state": 0}


def _label(size: dict[str, Any]) -> str:
    """``1,000,000×2, centers=5`` style labels."""
    shape = f"{size['n_samples']:,}"
    if "n_features" in size:
        shape += f"×{size['n_features']}"
    extra = [f"{k}={v}" for k, v in size.items() if k not in ("n_samples", "n_features")]
    return ", ".join([shape, *extra])


def _check(reference: tuple, result: tuple) -> None:
    assert_same_arrays(reference, result, names=("X", "y"))


def _generator(name: str, description: str, quick: list, full: list) -> Workload:
    return register(
        Workload(
            name=name,
            group=GROUP,
            description=description,
            setup=_setup,
            implementations=_implementations(name),
            check=_check,
            quick=quick,
            full=full,
            label=_label,
        )
    )


_generator(
    "make_blobs",
    "isotropic Gaussian blobs, 5 centers",
    quick=[
        {"n_samples": 100_000, "n_features": 2, "centers": 5},
        {"n_samples": 20_000, "n_features": 16, "centers": 5},
    ],
    full=[
        {"n_samples": 1_000_000, "n_features": 2, "centers": 5},
        {"n_samples": 200_000, "n_features": 16, "centers": 5},
    ],
)
_generator(
    "make_classification",
    "n-class classification problem, default parameters",
    quick=[{"n_samples": 20_000, "n_features": 20}],
    full=[{"n_samples": 100_000, "n_features": 20}],
)
_generator(
    "make_moons",
    "two interleaving half circles, noise=0.1",
    quick=[{"n_samples": 100_000, "noise": 0.1}],
    full=[{"n_samples": 1_000_000, "noise": 0.1}],
)
_generator(
    "make_circles",
    "a large circle containing a smaller one, noise=0.1",
    quick=[{"n_samples": 100_000, "noise": 0.1}],
    full=[{"n_samples": 1_000_000, "noise": 0.1}],
)

register(
    Workload(
        name="load_digits",
        group=GROUP,
        description="load the bundled 8×8 digits data set (return_X_y=True)",
        setup=_setup,
        implementations=_implementations("load_digits", return_X_y=True),
        check=_check,
        quick=[None],
        full=[None],
        label=lambda size: "1,797×64",
    )
)
