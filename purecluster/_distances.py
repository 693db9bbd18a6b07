"""Jitted distance kernels shared by the algorithms that take ``metric=``.

Each metric is a small loop over the features of two rows, row ``i`` of ``A``
and row ``j`` of ``B`` (2-D arrays with the same number ``d`` of columns;
``A`` and ``B`` may be the same array), with its formula in the docstring,
where ``x = A[i]`` and ``y = B[j]``. The rows are passed as (array, index)
rather than as slices ``A[i]``: a slice is a new array object whose
reference count Numba updates atomically, which made a two-feature distance
seven times slower inside the scans. The
sums run over the features in order, with no reassociation, so the values are
the ones ``scipy.spatial.distance.pdist`` returns for euclidean, sqeuclidean,
cityblock and chebyshev (bit for bit on the data sets we tested; cosine agrees
to a few units in the last place).

Kernels never take a metric *function* as an argument (that defeats Numba's
on-disk cache): callers pass an integer metric code, obtained once in Python
with :func:`metric_code`, and :func:`pair_distance` branches on it. The branch
does not depend on the loop index, so the compiler moves it out of the
callers' inner loops.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from ._jit import jit

__all__ = [
    "EUCLIDEAN",
    "SQEUCLIDEAN",
    "MANHATTAN",
    "COSINE",
    "CHEBYSHEV",
    "MINKOWSKI",
    "METRIC_ALIASES",
    "metric_code",
    "euclidean",
    "sqeuclidean",
    "manhattan",
    "cosine",
    "chebyshev",
    "minkowski",
    "pair_distance",
    "relax_to_point",
    "pairwise_square",
    "distances_to_point",
    "pairwise_square_fm",
]

# Integer codes for the metrics (the kernels branch on these).
EUCLIDEAN = 0
SQEUCLIDEAN = 1
MANHATTAN = 2
COSINE = 3
CHEBYSHEV = 4
MINKOWSKI = 5

#: The metric names users may give, and the kernel each one means.
METRIC_ALIASES = {
    "euclidean": EUCLIDEAN,
    "l2": EUCLIDEAN,
    "sqeuclidean": SQEUCLIDEAN,
    "manhattan": MANHATTAN,
    "cityblock": MANHATTAN,
    "l1": MANHATTAN,
    "cosine": COSINE,
    "chebyshev": CHEBYSHEV,
    "infinity": CHEBYSHEV,
    "minkowski": MINKOWSKI,
}


def metric_code(metric):
    """The integer code of a metric name (see :data:`METRIC_ALIASES`).

    Raises
    ------
    ValueError
        For a name that is not in :data:`METRIC_ALIASES`.
    """
    try:
        return METRIC_ALIASES[metric]
    except (KeyError, TypeError):
        allowed = ", ".join(repr(m) for m in sorted(METRIC_ALIASES))
        raise ValueError(f"Unknown metric {metric!r}; supported metrics are {allowed}.") from None


@jit(inline="always")
def sqeuclidean(A, i, B, j):
    """Squared Euclidean distance: ``sum_k (x_k - y_k)**2``."""
    s = 0.0
    for k in range(A.shape[1]):
        t = A[i, k] - B[j, k]
        s += t * t
    return s


@jit(inline="always")
def euclidean(A, i, B, j):
    """Euclidean distance: ``sqrt(sum_k (x_k - y_k)**2)``."""
    return math.sqrt(sqeuclidean(A, i, B, j))


@jit(inline="always")
def manhattan(A, i, B, j):
    """Manhattan (city-block, L1) distance: ``sum_k |x_k - y_k|``."""
    s = 0.0
    for k in range(A.shape[1]):
        s += abs(A[i, k] - B[j, k])
    return s


@jit(inline="always")
def cosine(A, i, B, j):
    """Cosine distance: ``1 - <x, y> / (||x|| * ||y||)``.

    Undefined (NaN) when ``x`` or ``y`` is the zero vector; callers refuse
    such data before calling.
    """
    dot = 0.0
    xx = 0.0
    yy = 0.0
    for k in range(A.shape[1]):
        dot += A[i, k] * B[j, k]
        xx += A[i, k] * A[i, k]
        yy += B[j, k] * B[j, k]
    return 1.0 - dot / (math.sqrt(xx) * math.sqrt(yy))


@jit(inline="always")
def chebyshev(A, i, B, j):
    """Chebyshev (L-infinity) distance: ``max_k |x_k - y_k|``."""
    m = 0.0
    for k in range(A.shape[1]):
        t = abs(A[i, k] - B[j, k])
        if t > m:
            m = t
    return m


@jit(inline="always")
def minkowski(A, i, B, j, p):
    """Minkowski distance of order ``p >= 1``: ``(sum_k |x_k - y_k|**p)**(1/p)``."""
    s = 0.0
    for k in range(A.shape[1]):
        s += abs(A[i, k] - B[j, k]) ** p
    return s ** (1.0 / p)


@jit(inline="always")
def pair_distance(A, i, B, j, metric, p):
    """Distance between ``A[i]`` and ``B[j]`` for the metric with code ``metric``.

    ``p`` is only read by Minkowski.
    """
    if metric == EUCLIDEAN:
        return euclidean(A, i, B, j)
    if metric == SQEUCLIDEAN:
        return sqeuclidean(A, i, B, j)
    if metric == MANHATTAN:
        return manhattan(A, i, B, j)
    if metric == COSINE:
        return cosine(A, i, B, j)
    if metric == CHEBYSHEV:
        return chebyshev(A, i, B, j)
    return minkowski(A, i, B, j, p)


@jit
def relax_to_point(At, lo, hi, x, metric, p, acc, best):
    """``best[j] = min(best[j], dist(A[j], x))`` for ``j`` in ``lo..hi-1``.

    Parameters
    ----------
    At : ndarray of shape (d, m), IN
        The points **feature-major** (``At = A.T`` stored C-contiguous).
    lo, hi : int, IN
    x : ndarray of shape (d,), IN
    metric : int, IN
    p : float, IN
    acc : ndarray of shape (m,), OUT (scratch)
    best : ndarray of shape (m,), INOUT

    One pass per feature over ``acc[lo:hi]`` accumulates the distances of
    all points at once. Each point's terms are still added in feature order,
    so the values are those of the row kernels above, bit for bit; but the
    inner loop now runs over points, contiguous and free of branches, which
    the compiler vectorises (3-4x faster than one point at a time for d=2).
    The metric is tested once, outside the loops.
    """
    d = At.shape[0]
    if metric == COSINE:
        # point by point: three sums per point (the dot product and both
        # norms), the expression of :func:`cosine`
        xx = 0.0
        for k in range(d):
            xx += x[k] * x[k]
        for j in range(lo, hi):
            dot = 0.0
            yy = 0.0
            for k in range(d):
                dot += At[k, j] * x[k]
                yy += At[k, j] * At[k, j]
            best[j] = min(best[j], 1.0 - dot / (math.sqrt(yy) * math.sqrt(xx)))
        return
    for j in range(lo, hi):
        acc[j] = 0.0
    if metric == EUCLIDEAN or metric == SQEUCLIDEAN:
        for k in range(d):
            for j in range(lo, hi):
                t = At[k, j] - x[k]
                acc[j] += t * t
        if metric == EUCLIDEAN:
            for j in range(lo, hi):
                acc[j] = math.sqrt(acc[j])
    elif metric == MANHATTAN:
        for k in range(d):
            for j in range(lo, hi):
                acc[j] += abs(At[k, j] - x[k])
    elif metric == CHEBYSHEV:
        for k in range(d):
            for j in range(lo, hi):
                acc[j] = max(acc[j], abs(At[k, j] - x[k]))
    else:
        for k in range(d):
            for j in range(lo, hi):
                acc[j] += abs(At[k, j] - x[k]) ** p
        for j in range(lo, hi):
            acc[j] = acc[j] ** (1.0 / p)
    for j in range(lo, hi):
        best[j] = min(best[j], acc[j])


@jit(parallel=True)
def pairwise_square(X, metric, p, D):
    """Fill the square matrix of distances between the rows of ``X``.

    Parameters
    ----------
    X : ndarray of shape (n, d), IN
    metric : int, IN
        A code from :func:`metric_code`.
    p : float, IN
        Minkowski's order (ignored by the other metrics).
    D : ndarray of shape (n, n), OUT
        ``D[i, j] = D[j, i] = dist(X[i], X[j])``; the diagonal is set to 0.

    Every row is computed in full (each pair twice), so that all writes are
    contiguous: the mirrored write ``D[j, i]`` would touch a new cache line
    per element, which costs more than the second distance evaluation. Each
    metric is symmetric in floating point too (``(x-y)**2 == (y-x)**2``, and
    products commute), so ``D`` is exactly symmetric. Rows are independent:
    no races, and the result does not depend on the number of threads.
    """
    n = X.shape[0]
    for i in prange(n):
        for j in range(n):
            D[i, j] = pair_distance(X, i, X, j, metric, p)
        D[i, i] = 0.0
    return D


def pairwise_distances(X, metric="euclidean", p=2.0):
    """The ``n × n`` distance matrix of the rows of ``X`` (float64).

    Parameters
    ----------
    X : ndarray of shape (n, d)
    metric : str
        A name from :data:`METRIC_ALIASES`.
    p : float
        Minkowski's order.

    Returns
    -------
    D : ndarray of shape (n, n)

    Examples
    --------
    >>> pairwise_distances(np.array([[0.0, 0.0], [3.0, 4.0]]))
    array([[0., 5.],
           [5., 0.]])
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    n = X.shape[0]
    D = np.empty((n, n), dtype=np.float64)
    return pairwise_square(X, metric_code(metric), float(p), D)


@jit
def distances_to_point(At, x, metric, p, out):
    """``out[j] = dist(A[j], x)`` for every point ``j``, one feature at a time.

    Parameters
    ----------
    At : ndarray of shape (d, m), IN
        The points **feature-major** (``At = A.T`` stored C-contiguous).
    x : ndarray of shape (d,), IN
    metric : int, IN
    p : float, IN
    out : ndarray of shape (m,), OUT

    The arithmetic of the row kernels above, operation for operation (each
    point's terms are added in feature order, ``(x-y)**2 == (y-x)**2``,
    products commute), so the values are theirs bit for bit; but the inner
    loops run over points, contiguous and branch-free, which the compiler
    vectorises. The first feature's pass initialises ``out`` (one pass fewer).
    """
    d, m = At.shape
    if metric == COSINE:
        xx = 0.0
        for k in range(d):
            xx += x[k] * x[k]
        for j in range(m):
            dot = 0.0
            yy = 0.0
            for k in range(d):
                dot += At[k, j] * x[k]
                yy += At[k, j] * At[k, j]
            out[j] = 1.0 - dot / (math.sqrt(yy) * math.sqrt(xx))
        return
    if metric == EUCLIDEAN or metric == SQEUCLIDEAN:
        c = x[0]
        for j in range(m):
            t = At[0, j] - c
            out[j] = t * t
        for k in range(1, d):
            c = x[k]
            for j in range(m):
                t = At[k, j] - c
                out[j] += t * t
        if metric == EUCLIDEAN:
            for j in range(m):
                out[j] = math.sqrt(out[j])
    elif metric == MANHATTAN:
        c = x[0]
        for j in range(m):
            out[j] = abs(At[0, j] - c)
        for k in range(1, d):
            c = x[k]
            for j in range(m):
                out[j] += abs(At[k, j] - c)
    elif metric == CHEBYSHEV:
        for j in range(m):
            out[j] = 0.0
        for k in range(d):
            c = x[k]
            for j in range(m):
                out[j] = max(out[j], abs(At[k, j] - c))
    else:
        for j in range(m):
            out[j] = 0.0
        for k in range(d):
            c = x[k]
            for j in range(m):
                out[j] += abs(At[k, j] - c) ** p
        for j in range(m):
            out[j] = out[j] ** (1.0 / p)


@jit(parallel=True)
def pairwise_square_fm(X, metric, p, D):
    """:func:`pairwise_square` (same values, bit for bit), row by row from a feature-major copy.

    Parameters
    ----------
    X : ndarray of shape (n, d), IN
    metric : int, IN
    p : float, IN
    D : ndarray of shape (n, n), OUT
        ``D[i, j] = dist(X[i], X[j])``; the diagonal is set to 0.

    Each row is :func:`distances_to_point` from ``X[i]`` to all points of
    ``X.T`` (copied once, C-contiguous): d vectorised passes over the row
    instead of n short loops over d features with a metric test per pair
    (9x faster for d = 2). Rows are independent, so the result does not
    depend on the number of threads.
    """
    n, d = X.shape
    Xt = np.empty((d, n), dtype=X.dtype)
    for i in range(n):
        for k in range(d):
            Xt[k, i] = X[i, k]
    for i in prange(n):
        distances_to_point(Xt, X[i], metric, p, D[i])
        D[i, i] = 0.0
    return D
