"""Hierarchical clustering: purecluster against scikit-learn, scipy and fastcluster.

One workload per linkage on 2-D blobs (``make_blobs``, 5 centres), at the
issue's size n = 20,000 (quick: 2,000). Every implementation returns its merge
heights sorted; they must agree within 1e-10 relative (scipy's heights are the
reference definition; Ward from centroids differs in the last bits).

* purecluster and scikit-learn: ``AgglomerativeClustering(linkage=...,
  compute_distances=True).fit(X)`` (the tree and the cut into 2 clusters);
* scipy's ``linkage`` is not timed separately: scikit-learn's fit is that call
  plus the cut (the quick sizes show both take the same time);
* fastcluster: ``linkage_vector`` for ward and single (O(n·d) memory), its
  ``linkage`` (condensed matrix) for complete and average.

The ``large_*`` workloads time ward and single at n = 100,000 (d = 2 and 16),
where only the O(n·d)-memory implementations can run (scipy and scikit-learn
would need a 40 GB matrix); the runner's peak-memory column is the point.
"""

from __future__ import annotations

import numpy as np

from benchmarks.registry import Workload, register

GROUP = "agglomerative"
RTOL = 1e-10


def _blobs(size):
    n, d = size if isinstance(size, tuple) else (size, 2)
    from purecluster.datasets import make_blobs

    X, _ = make_blobs(n_samples=n, n_features=d, centers=5, random_state=0)
    return X


def _same_heights(expected, result):
    expected = np.asarray(expected)
    result = np.asarray(result)
    assert expected.shape == result.shape, f"shape {result.shape} != {expected.shape}"
    np.testing.assert_allclose(result, expected, rtol=RTOL, atol=1e-12)


def _purecluster(method):
    def run(X):
        from purecluster import AgglomerativeClustering

        model = AgglomerativeClustering(linkage=method, compute_distances=True).fit(X)
        return np.sort(model.distances_)

    return run


def _sklearn(method):
    def run(X):
        from sklearn.cluster import AgglomerativeClustering

        model = AgglomerativeClustering(linkage=method, compute_distances=True).fit(X)
        return np.sort(model.distances_)

    return run


def _fastcluster(method):
    def run(X):
        import fastcluster

        if method in ("ward", "single"):
            Z = fastcluster.linkage_vector(X, method)
        else:
            Z = fastcluster.linkage(X, method)
        return np.sort(Z[:, 2])

    return run


def _label(size):
    n, d = size if isinstance(size, tuple) else (size, 2)
    return f"{n:,}×{d}"


for _method in ("ward", "single", "complete", "average"):
    register(
        Workload(
            name=_method,
            group=GROUP,
            description=f"{_method} linkage, full tree + cut, 2-D blobs",
            setup=_blobs,
            implementations={
                "purecluster": _purecluster(_method),
                "scikit-learn": _sklearn(_method),
                "fastcluster": _fastcluster(_method),
            },
            check=_same_heights,
            quick=[2_000],
            full=[20_000],
            label=_label,
        )
    )

    if _method in ("ward", "single"):
        register(
            Workload(
                name=f"large_{_method}",
                group=GROUP,
                description=f"{_method} linkage without a distance matrix, n = 100,000",
                setup=_blobs,
                implementations={
                    "purecluster": _purecluster(_method),
                    "fastcluster": _fastcluster(_method),
                },
                reference="fastcluster",
                check=_same_heights,
                quick=[(20_000, 2)],
                full=[(100_000, 2), (100_000, 16)],
                label=_label,
            )
        )


# ---------------------------------------------------------------------------
# time and peak memory against n (one fresh process per cell)
# ---------------------------------------------------------------------------
_MEMORY_CHILD = """
import resource, sys, time
import numpy as np
from purecluster import AgglomerativeClustering
from purecluster.datasets import make_blobs
method, n, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
AgglomerativeClustering(linkage=method).fit(np.random.RandomState(0).rand(50, d))  # compile
X, _ = make_blobs(n_samples=n, n_features=d, centers=5, random_state=0)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
AgglomerativeClustering(linkage=method).fit(X)
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(seconds, (after - before) / 1024, after / 1024)
"""


def memory_table(cells):
    """Fit each ``(method, n, d)`` in a fresh process; return markdown rows.

    Peak memory is the growth of the process's maximum resident set during
    the fit (``ru_maxrss`` after minus before; the data, the imports and the
    compiled code are already resident before). Reported in MiB.
    """
    import subprocess
    import sys

    rows = [
        "| linkage | n × d | fit time | peak memory of the fit | process peak |",
        "|:--|:--|--:|--:|--:|",
    ]
    for method, n, d in cells:
        out = subprocess.run(
            [sys.executable, "-c", _MEMORY_CHILD, method, str(n), str(d)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        seconds, grown, peak = map(float, out)
        cell = f"| {method} | {n:,}×{d} | {seconds:.2f} s"
        rows.append(f"{cell} | {grown:.1f} MiB | {peak:.0f} MiB |")
        print(rows[-1], flush=True)
    return rows


if __name__ == "__main__":
    # python -m benchmarks.workloads.agglomerative  (time and memory against n)
    cells = [(m, n, 2) for m in ("single", "ward", "complete", "average") for n in (2_000, 10_000)]
    cells += [(m, 20_000, 2) for m in ("single", "ward", "complete")]
    cells += [(m, 100_000, d) for m in ("single", "ward") for d in (2, 16)]
    print("\n".join(memory_table(cells)))
