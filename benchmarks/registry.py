"""Registry of named benchmark workloads.

A *workload* is one thing to time (for example ``datasets.make_blobs``) at one or
more sizes, with several *implementations* of it (purecluster, scikit-learn,
peers) that take the same inputs and must agree on the result.  Group modules in
:mod:`benchmarks.workloads` create workloads with :func:`register` or the
:func:`workload` decorator; the runner only ever sees :class:`Registry` objects.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import importlib.util
import inspect
from collections.abc import Callable, Iterable, Iterator
from typing import Any

# Implementation name -> module whose presence means "installed".
KNOWN_MODULES = {
    "purecluster": "purecluster",
    "scikit-learn": "sklearn",
    "scipy": "scipy",
    "numpy": "numpy",
    "fastcluster": "fastcluster",
    "dbscan": "dbscan",
    "faiss": "faiss",
    "hdbscan": "hdbscan",
}

# Implementation name -> distribution names to ask importlib.metadata for a version.
KNOWN_DISTRIBUTIONS = {"faiss": ("faiss-cpu", "faiss-gpu", "faiss")}

REFERENCE = "scikit-learn"


@dataclasses.dataclass(frozen=True)
class Impl:
    """One implementation of a workload.

    ``fn(inputs) -> result`` is the call that is timed.  ``requires`` names the
    module that must be importable for the implementation to run; it defaults to
    the module of a known implementation name (``"scikit-learn"`` -> ``sklearn``)
    or to the name itself.  Import the package *inside* ``fn`` (or in a helper it
    calls), never at the top of a workload module: the runner imports
    ``requires`` first and times that separately, and the runner itself must work
    without any peer installed.
    """

    fn: Callable[[Any], Any]
    requires: str | None = None

    def module(self, name: str) -> str:
        """The module that has to be importable for implementation ``name``."""
        if self.requires:
            return self.requires
        return KNOWN_MODULES.get(name, name.replace("-", "_"))


def missing_reason(module: str) -> str | None:
    """Return why ``module``'s package is not installed, or None when it is.

    Only the top-level package is looked up (without importing it): a package
    that is present but fails to import is *not* "not installed", it is an
    error the runner reports as such.
    """
    top = module.split(".")[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError) as exc:  # pragma: no cover - odd sys.path entries
        return f"cannot look up {top!r}: {exc}"
    if spec is None:
        return f"no module named {top!r}"
    if spec.origin is None and spec.submodule_search_locations is not None:
        return f"{top!r} is only an empty namespace package"
    return None


def default_label(size: Any) -> str:
    """Human-readable label for a size: ``100,000``, ``1,000×2`` or ``k=v, ...``."""
    if size is None:
        return "-"
    if isinstance(size, int):
        return f"{size:,}"
    if isinstance(size, tuple):
        return "×".join(default_label(s) for s in size)
    if isinstance(size, dict):
        return ", ".join(f"{k}={default_label(v)}" for k, v in size.items())
    return str(size)


@dataclasses.dataclass
class Workload:
    """A named benchmark: inputs built once per size, several implementations.

    Attributes
    ----------
    name, group:
        ``full_name`` is ``"{group}.{name}"``; ``--only`` matches either part.
    description:
        One line for ``--list`` and the JSON.
    setup:
        ``setup(size) -> inputs``; called once per size, outside any timing.
    implementations:
        ``{"purecluster": fn, "scikit-learn": fn, ...}`` where ``fn(inputs)``
        returns a result; a value may also be an :class:`Impl`.
    check:
        ``check(reference_result, result)`` raises (e.g. ``AssertionError``) when
        the results disagree.  None means results are not compared.
    quick, full:
        Lists of sizes (anything ``setup`` understands) for ``--quick`` and for
        full runs.
    label:
        ``label(size) -> str`` for the table; default :func:`default_label`.
    flops:
        Optional ``flops(size) -> float``: floating-point operations of one call
        (or of one ``per`` unit), to report GFLOP/s.
    per, count:
        Optional unit such as ``"iteration"`` and ``count(result) -> number``; the
        reported times are then per unit: each call's time divided by the count
        of the result that call returned.
    reference:
        Implementation whose result the others are checked against (falls back
        to the first implementation that runs).
    """

    name: str
    group: str
    setup: Callable[[Any], Any]
    implementations: dict[str, Callable[[Any], Any] | Impl] = dataclasses.field(
        default_factory=dict
    )
    description: str = ""
    check: Callable[[Any, Any], None] | None = None
    quick: list[Any] = dataclasses.field(default_factory=lambda: [None])
    full: list[Any] = dataclasses.field(default_factory=lambda: [None])
    label: Callable[[Any], str] = default_label
    flops: Callable[[Any], float] | None = None
    per: str | None = None
    count: Callable[[Any], float] | None = None
    reference: str = REFERENCE
    source: str | None = None

    def __post_init__(self) -> None:
        if (self.per is None) != (self.count is None):
            raise ValueError(f"{self.full_name}: give both `per` and `count`, or neither")
        self.quick = _as_list(self.quick)
        self.full = _as_list(self.full)
        if self.source is None:
            self.source = _source_file(self.setup)

    @property
    def full_name(self) -> str:
        """``group.name``, the key used in the registry and the table."""
        return f"{self.group}.{self.name}"

    def sizes(self, quick: bool) -> list[Any]:
        """The sizes to run for a quick or a full run."""
        return self.quick if quick else self.full

    def impls(self) -> dict[str, Impl]:
        """Implementations normalised to :class:`Impl`, in declaration order."""
        return {
            name: fn if isinstance(fn, Impl) else Impl(fn)
            for name, fn in self.implementations.items()
        }

    def implementation(self, name: str, requires: str | None = None):
        """Decorator adding ``fn`` as implementation ``name``; returns ``fn``."""

        def decorate(fn):
            self.implementations[name] = Impl(fn, requires)
            return fn

        return decorate

    def matches(self, token: str) -> bool:
        """Whether an ``--only`` token selects this workload."""
        return (
            token in (self.group, self.name, self.full_name)
            or self.full_name.startswith(token)
            or fnmatch.fnmatchcase(self.full_name, token)
        )


def _as_list(sizes: Any) -> list[Any]:
    return list(sizes) if isinstance(sizes, list) else [sizes]


def _source_file(fn: Callable) -> str | None:
    try:
        return inspect.getsourcefile(fn)
    except TypeError:
        return None


class Registry:
    """An ordered collection of workloads, keyed by full name."""

    def __init__(self) -> None:
        self._workloads: dict[str, Workload] = {}

    def register(self, w: Workload, replace: bool = False) -> Workload:
        """Add ``w``; a second workload with the same full name is an error."""
        if w.full_name in self._workloads and not replace:
            raise ValueError(f"workload {w.full_name!r} is already registered")
        self._workloads[w.full_name] = w
        return w

    def unregister(self, full_name: str) -> None:
        """Remove a workload (used by tests)."""
        self._workloads.pop(full_name, None)

    def __iter__(self) -> Iterator[Workload]:
        return iter(self._workloads.values())

    def __len__(self) -> int:
        return len(self._workloads)

    def __contains__(self, full_name: object) -> bool:
        return full_name in self._workloads

    def get(self, full_name: str) -> Workload:
        """The workload called ``full_name``."""
        return self._workloads[full_name]

    def select(self, tokens: Iterable[str] | None) -> list[Workload]:
        """Workloads matching any token (name, group, prefix or glob), in order.

        Tokens may be comma-separated.  A token that matches nothing raises
        ``KeyError`` so that a typo does not silently run nothing.
        """
        flat = [t.strip() for tok in (tokens or []) for t in tok.split(",") if t.strip()]
        if not flat:
            return list(self)
        for token in flat:
            if not any(w.matches(token) for w in self):
                names = ", ".join(self._workloads) or "(none)"
                raise KeyError(f"no workload matches {token!r}; known: {names}")
        return [w for w in self if any(w.matches(t) for t in flat)]


REGISTRY = Registry()


def register(w: Workload, registry: Registry | None = None) -> Workload:
    """Add a workload to the global registry (or to ``registry``)."""
    return (registry if registry is not None else REGISTRY).register(w)


def workload(name: str, *, group: str | None = None, registry: Registry | None = None, **fields):
    """Decorator form of :func:`register`, applied to the ``setup`` function.

    The group defaults to the last component of the defining module's name (a
    function in ``benchmarks/workloads/kmeans.py`` is in group ``kmeans``) and
    the description to the first line of the docstring.  The decorated name is
    bound to the :class:`Workload`, whose ``.implementation(name)`` decorator
    adds implementations::

        @workload("lloyd", quick=[10_000], full=[1_000_000], check=same_labels)
        def lloyd(n):
            "KMeans(Lloyd) fit, 8 clusters."
            return make_inputs(n)

        @lloyd.implementation("purecluster")
        def _(X):
            from purecluster.cluster import KMeans
            return KMeans(8, random_state=0).fit(X).labels_
    """

    def decorate(setup: Callable[[Any], Any]) -> Workload:
        doc = (setup.__doc__ or "").strip().splitlines()
        fields.setdefault("description", doc[0] if doc else "")
        grp = group or setup.__module__.rsplit(".", 1)[-1]
        return register(Workload(name=name, group=grp, setup=setup, **fields), registry)

    return decorate
