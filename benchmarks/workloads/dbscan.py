"""DBSCAN: purecluster against scikit-learn and the ``dbscan`` package (Wang, Gu, Shun).

Every result is ``{"labels", "core", "exact"}``. purecluster must equal
scikit-learn exactly (labels and core samples). The ``dbscan`` package gives
each border point to its *closest* core point and numbers clusters its own
way, so for it the check is: the same core points, the same noise, and the
same partition of the core points up to renumbering.
"""

from __future__ import annotations

import numpy as np

from benchmarks.registry import Impl, Workload, register

GROUP = "dbscan"


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------
def _blobs(size):
    """2-D blobs: 10 centres in [-10, 10]^2, unit standard deviation."""
    n, eps = size
    from purecluster.datasets import make_blobs

    X, _ = make_blobs(n_samples=n, n_features=2, centers=10, random_state=0)
    return {"X": X, "eps": eps, "min_samples": 10}


def _one_cluster(size):
    """Uniform points in the unit square, eps large enough that all are one cluster."""
    n, eps = size
    X = np.random.RandomState(0).rand(n, 2)
    return {"X": X, "eps": eps, "min_samples": 10}


def _digits_like(size):
    """The 64-D digits, repeated with small jitter (``copies`` times)."""
    copies, eps = size
    from purecluster.datasets import load_digits

    base = load_digits().data
    rng = np.random.RandomState(0)
    X = np.vstack([base] + [base + rng.rand(*base.shape) for _ in range(copies - 1)])
    return {"X": X, "eps": eps, "min_samples": 5}


# ---------------------------------------------------------------------------
# implementations
# ---------------------------------------------------------------------------
def _purecluster(inputs):
    from purecluster import DBSCAN

    est = DBSCAN(eps=inputs["eps"], min_samples=inputs["min_samples"]).fit(inputs["X"])
    return {"labels": est.labels_, "core": est.core_sample_indices_, "exact": True}


def _sklearn(inputs):
    from sklearn.cluster import DBSCAN

    est = DBSCAN(eps=inputs["eps"], min_samples=inputs["min_samples"]).fit(inputs["X"])
    return {"labels": est.labels_, "core": est.core_sample_indices_, "exact": True}


def _wang_gu_shun(inputs):
    import dbscan

    labels, core_mask = dbscan.DBSCAN(
        inputs["X"], eps=inputs["eps"], min_samples=inputs["min_samples"]
    )
    return {"labels": np.asarray(labels), "core": np.flatnonzero(core_mask), "exact": False}


def _check(reference, result):
    ref_labels, labels = reference["labels"], result["labels"]
    if labels.shape != ref_labels.shape:
        raise AssertionError(f"labels: shape {labels.shape} != {ref_labels.shape}")
    if not np.array_equal(reference["core"], result["core"]):
        raise AssertionError("core samples differ")
    if result["exact"] and reference["exact"]:
        if not np.array_equal(ref_labels, labels):
            raise AssertionError(f"{int((ref_labels != labels).sum())} labels differ")
        return
    if not np.array_equal(ref_labels == -1, labels == -1):
        raise AssertionError("noise points differ")
    core = reference["core"]
    pairs = np.unique(np.c_[ref_labels[core], labels[core]], axis=0)
    if len(pairs) != len(np.unique(pairs[:, 0])) or len(pairs) != len(np.unique(pairs[:, 1])):
        raise AssertionError("the core points are partitioned differently")


def _label(size):
    n, eps = size
    return f"{n:,}×2, eps={eps}"


_IMPLEMENTATIONS = {
    "purecluster": _purecluster,
    "scikit-learn": _sklearn,
    "dbscan": Impl(_wang_gu_shun, requires="dbscan"),
}

register(
    Workload(
        name="blobs_2d",
        group=GROUP,
        description="2-D blobs (10 centres), min_samples=10",
        setup=_blobs,
        implementations=_IMPLEMENTATIONS,
        check=_check,
        quick=[(20_000, 0.3)],
        full=[(100_000, 0.3), (1_000_000, 0.1)],
        label=_label,
    )
)

register(
    Workload(
        name="one_cluster_2d",
        group=GROUP,
        description="uniform unit square, one cluster, min_samples=10 (no scikit-learn: "
        "its neighbour lists would need gigabytes)",
        setup=_one_cluster,
        implementations={k: v for k, v in _IMPLEMENTATIONS.items() if k != "scikit-learn"},
        check=_check,
        quick=[(20_000, 0.05)],
        full=[(100_000, 0.03), (1_000_000, 0.01)],
        label=_label,
        reference="purecluster",
    )
)

register(
    Workload(
        name="digits_64d",
        group=GROUP,
        description="64-D digits (and jittered copies), eps=20, min_samples=5",
        setup=_digits_like,
        # the dbscan package refuses more than 20 dimensions
        implementations={k: v for k, v in _IMPLEMENTATIONS.items() if k != "dbscan"},
        check=_check,
        quick=[(1, 20.0)],
        full=[(1, 20.0), (4, 20.0)],
        label=lambda size: f"{1797 * size[0]:,}×64, eps={size[1]}",
    )
)
