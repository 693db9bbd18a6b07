"""Cluster metrics: ``purecluster.metrics`` against scikit-learn and scipy.

* ``silhouette``: ``silhouette_score`` on n × 16 Gaussian blobs, 10 clusters.
  Ours never holds more than a 16 MiB block of the distance matrix.
* ``ami``: ``adjusted_mutual_info_score`` of two random labelings with about
  1,000 classes and 1,000 clusters (the expected mutual information dominates).
* ``lsa``: ``linear_sum_assignment`` on a uniform random square matrix, against
  ``scipy.optimize.linear_sum_assignment`` (the reference).
* ``ari``: ``adjusted_rand_score`` of two labelings of 10⁶ samples (contingency
  counting).

Checks: silhouette and ARI within 1e-12; AMI within 1e-10 (scikit-learn's
expected mutual information subtracts log-gamma values of size ~10⁵ and is off
by ~1e-11 relative at N = 20,000; ours is within ~1e-14 of a 40-digit
evaluation); the assignment's total cost equal within 1e-9 relative.
"""

from __future__ import annotations

import numpy as np

from benchmarks.registry import Impl, workload


def _close(tol):
    def check(expected, result):
        if not abs(float(expected) - float(result)) <= tol:
            raise AssertionError(f"{result!r} differs from {expected!r} by more than {tol:g}")

    return check


def _same_total(expected, result):
    (cost, rows, cols), (_, rows2, cols2) = expected, result
    a, b = cost[rows, cols].sum(), cost[rows2, cols2].sum()
    if not abs(a - b) <= 1e-9 * abs(a):
        raise AssertionError(f"total cost {b!r} != expected {a!r}")


# ---------------------------------------------------------------------------
@workload(
    "silhouette",
    quick=[(4_000, 16)],
    full=[(20_000, 16)],
    check=_close(1e-12),
    label=lambda size: f"{size[0]:,}×{size[1]}",
    description="silhouette_score, euclidean, 10 clusters",
)
def silhouette(size):
    n, d = size
    rng = np.random.RandomState(0)
    labels = rng.randint(0, 10, n)
    X = rng.randn(n, d) + 3.0 * rng.randn(10, d)[labels]
    return X, labels


@silhouette.implementation("purecluster")
def _(inputs):
    from purecluster.metrics import silhouette_score

    return silhouette_score(*inputs)


@silhouette.implementation("scikit-learn")
def _(inputs):
    from sklearn.metrics import silhouette_score

    return silhouette_score(*inputs)


# ---------------------------------------------------------------------------
@workload(
    "ami",
    quick=[(5_000, 200)],
    full=[(20_000, 1_000)],
    check=_close(1e-10),
    label=lambda size: f"n={size[0]:,}, {size[1]:,}×{size[1]:,} clusters",
    description="adjusted_mutual_info_score, random labelings",
)
def ami(size):
    n, k = size
    rng = np.random.RandomState(0)
    return rng.randint(0, k, n), rng.randint(0, k, n)


@ami.implementation("purecluster")
def _(inputs):
    from purecluster.metrics import adjusted_mutual_info_score

    return adjusted_mutual_info_score(*inputs)


@ami.implementation("scikit-learn")
def _(inputs):
    from sklearn.metrics import adjusted_mutual_info_score

    return adjusted_mutual_info_score(*inputs)


# ---------------------------------------------------------------------------
def _lsa_purecluster(cost):
    from purecluster.metrics import linear_sum_assignment

    return (cost, *linear_sum_assignment(cost))


def _lsa_scipy(cost):
    from scipy.optimize import linear_sum_assignment

    return (cost, *linear_sum_assignment(cost))


@workload(
    "lsa",
    quick=[300],
    full=[1_000],
    check=_same_total,
    reference="scipy",
    label=lambda n: f"{n:,}×{n:,}",
    description="linear_sum_assignment, uniform random costs",
    implementations={
        "purecluster": _lsa_purecluster,
        "scipy": Impl(_lsa_scipy, requires="scipy.optimize"),
    },
)
def lsa(n):
    return np.random.RandomState(0).rand(n, n)


# ---------------------------------------------------------------------------
@workload(
    "ari",
    quick=[100_000],
    full=[1_000_000],
    check=_close(1e-12),
    label=lambda n: f"n={n:,}, 50×50 clusters",
    description="adjusted_rand_score",
)
def ari(n):
    rng = np.random.RandomState(0)
    return rng.randint(0, 50, n), rng.randint(0, 50, n)


@ari.implementation("purecluster")
def _(inputs):
    from purecluster.metrics import adjusted_rand_score

    return adjusted_rand_score(*inputs)


@ari.implementation("scikit-learn")
def _(inputs):
    from sklearn.metrics import adjusted_rand_score

    return adjusted_rand_score(*inputs)
