"""Jitted loops behind :mod:`purecluster.metrics`.

Entry points (all take and return plain arrays and scalars):

* :func:`contingency_counts`: the class × cluster count table, O(n).
* :func:`expected_mutual_information`: E[MI] of two labelings under the
  permutation model, O(#distinct row sums × #distinct column sums × max size).
* :func:`distance_row`: part of one row of a distance matrix;
  :func:`distances_from_gram`: rows of one from a BLAS Gram product.
* :func:`cluster_distance_sums` (or :func:`accumulate_cluster_sums` for a
  given matrix), :func:`silhouette_from_sums`: per-sample sums of distances
  to each cluster without storing the distance matrix, then the mean
  intra-cluster distance and the nearest other cluster.
* :func:`shortest_augmenting_path_lsap`: the linear sum assignment problem
  (Jonker–Volgenant style shortest augmenting paths, as in Crouse 2016),
  O(n² m) time for an n × m cost matrix with n <= m.

Every parallel loop writes only to slots owned by its iteration (one row of
output, one partial sum); reductions over those slots are done afterwards in a
fixed order, so results do not depend on the number of threads.
"""

import math

import numpy as np
from numba import prange

from ._jit import jit

# Metric codes understood by :func:`distance_row`.
EUCLIDEAN = 0
SQEUCLIDEAN = 1
MANHATTAN = 2
CHEBYSHEV = 3
MINKOWSKI = 4
COSINE = 5


# ---------------------------------------------------------------------------
# contingency table
# ---------------------------------------------------------------------------
@jit
def contingency_counts(class_idx, cluster_idx, n_classes, n_clusters):
    """Count the samples in each (class, cluster) pair.

    Parameters
    ----------
    class_idx : int64 array of shape (n_samples,)  IN
        Class of each sample, coded 0..n_classes-1.
    cluster_idx : int64 array of shape (n_samples,)  IN
        Cluster of each sample, coded 0..n_clusters-1.
    n_classes, n_clusters : int

    Returns
    -------
    counts : int64 array of shape (n_classes, n_clusters)
        ``counts[c, k] = #{i : class_idx[i] = c and cluster_idx[i] = k}``.
    """
    counts = np.zeros((n_classes, n_clusters), dtype=np.int64)
    for i in range(class_idx.shape[0]):
        counts[class_idx[i], cluster_idx[i]] += 1
    return counts


# ---------------------------------------------------------------------------
# expected mutual information
# ---------------------------------------------------------------------------
@jit
def log_binomial(n, k):
    """``log C(n, k)``, as ``sum_{t=1}^{k} log((n - k + t) / t)`` with k <= n - k.

    A sum of small logarithms: its rounding error grows with min(k, n - k)
    only, unlike ``lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1)``, whose terms
    are huge for large n and cancel (an error of one unit in the last place
    of ``log(20000!)`` ≈ 1.8e5 is already 3e-11).
    """
    k = min(k, n - k)
    total = 0.0
    for t in range(1, k + 1):
        total += math.log((n - k + t) / t)
    return total


@jit(parallel=True)
def expected_mutual_information(a_values, a_counts, b_values, b_counts, n_samples):
    """Expected mutual information of two random labelings with fixed cluster sizes.

    Under the permutation (hypergeometric) model of Vinh, Epps & Bailey (2010)
    the number of samples ``n_ij`` shared by a class of size ``a`` and a
    cluster of size ``b`` among ``N`` samples has probability::

        P(n_ij) = C(a, n_ij) C(N - a, b - n_ij) / C(N, b)

    and::

        EMI = sum_i sum_j sum_{n_ij = max(1, a_i+b_j-N)}^{min(a_i, b_j)}
                  n_ij/N * log(N n_ij / (a_i b_j)) * P(n_ij)

    Two savings and one accuracy measure:

    * the inner sum depends on a class and a cluster only through their
      sizes, so it is computed once per pair of *distinct* sizes and weighted
      by how many classes and clusters have those sizes (1000 clusters of
      ~20 samples have ~35 distinct sizes: ~1000× less work);
    * ``log P`` is computed once per pair, at the first n_ij, and then
      updated with the ratio of consecutive probabilities::

          P(n+1) / P(n) = (a - n)(b - n) / ((n + 1)(N - a - b + n + 1))

      (one log per term instead of several log-gamma calls);
    * the first ``log P`` is a sum of small logarithms
      (:func:`log_binomial`), not a difference of huge log-factorials, so
      it is accurate to ~1e-14 rather than ~1e-11 when N is large.

    Parameters
    ----------
    a_values, a_counts : int64 arrays of shape (n_a,)  IN
        The distinct class sizes and how many classes have each.
    b_values, b_counts : int64 arrays of shape (n_b,)  IN
        The same for the clusters.
    n_samples : int
        N, the total number of samples.

    Returns
    -------
    float
        The expected mutual information, in nats.
    """
    N = n_samples
    log_N = math.log(N)
    n_a = a_values.shape[0]
    n_b = b_values.shape[0]
    # One partial sum per distinct class size: each prange iteration owns its
    # slot and the final sum runs in a fixed order (thread-count independent).
    partial = np.zeros(n_a, dtype=np.float64)
    for ia in prange(n_a):
        a = a_values[ia]
        total_a = 0.0
        for ib in range(n_b):
            b = b_values[ib]
            log_a = math.log(a)
            log_b = math.log(b)
            first = max(1, a - N + b)
            log_p = log_binomial(a, first) + log_binomial(N - a, b - first) - log_binomial(N, b)
            inner = 0.0
            last = min(a, b)
            for nij in range(first, last + 1):
                log_ratio = (log_N + math.log(nij)) - log_a - log_b
                inner += (nij / N) * log_ratio * math.exp(log_p)
                if nij < last:  # move log P to n_ij + 1
                    up = (a - nij) * (b - nij)
                    down = (nij + 1.0) * (N - a - b + nij + 1.0)
                    log_p += math.log(up / down)
            total_a += b_counts[ib] * inner
        partial[ia] = a_counts[ia] * total_a
    emi = 0.0
    for ia in range(n_a):
        emi += partial[ia]
    return emi


# ---------------------------------------------------------------------------
# rows of the distance matrix
# ---------------------------------------------------------------------------
@jit
def distance_row(X, XT, i, col_start, metric, p, out):
    """Distances from sample i to samples ``col_start .. col_start + len(out) - 1``.

    metric codes and formulas, for x = X[i] and y = X[j]:

    * 0 euclidean ``sqrt(sum (x-y)²)``, 1 squared euclidean ``sum (x-y)²``,
    * 2 manhattan ``sum |x-y|``, 3 chebyshev ``max |x-y|``,
    * 4 minkowski ``(sum |x-y|^p)^(1/p)``,
    * 5 cosine ``1 - x·y`` for rows already scaled to unit norm (clipped to
      [0, 2]; exactly 0 from a sample to itself).

    Differences are formed directly (not through ``|x|² + |y|² - 2x·y``),
    so close points get accurate small distances and ``d(i, i) = 0``.

    Parameters
    ----------
    X : float64 array of shape (n_samples, n_features)  IN
    XT : float64 array of shape (n_features, n_samples)  IN
        X transposed and contiguous: the innermost loops then run along a
        contiguous row of XT, over the columns, and are vectorised (several
        columns per instruction), like a BLAS kernel.
    i, col_start : int
    metric : int
    p : float
        Minkowski's exponent (unused otherwise).
    out : float64 array of shape (n_cols,)  OUT
    """
    n_cols = out.shape[0]
    out[:] = 0.0
    for f in range(X.shape[1]):
        x = X[i, f]
        y = XT[f, col_start : col_start + n_cols]
        # one branch-free loop per metric, so that each vectorises
        if metric == EUCLIDEAN or metric == SQEUCLIDEAN:
            for c in range(n_cols):
                diff = x - y[c]
                out[c] += diff * diff
        elif metric == MANHATTAN:
            for c in range(n_cols):
                out[c] += abs(x - y[c])
        elif metric == CHEBYSHEV:
            for c in range(n_cols):
                out[c] = max(out[c], abs(x - y[c]))
        elif metric == MINKOWSKI:
            for c in range(n_cols):
                out[c] += abs(x - y[c]) ** p
        else:  # COSINE: dot products of unit vectors
            for c in range(n_cols):
                out[c] += x * y[c]
    if metric == EUCLIDEAN:
        for c in range(n_cols):
            out[c] = math.sqrt(out[c])
    elif metric == MINKOWSKI:
        for c in range(n_cols):
            out[c] = out[c] ** (1.0 / p)
    elif metric == COSINE:
        for c in range(n_cols):
            out[c] = min(max(1.0 - out[c], 0.0), 2.0)
        if col_start <= i < col_start + n_cols:
            out[i - col_start] = 0.0


@jit(parallel=True)
def distances_from_gram(G, sq_norms, row_start, metric):
    """Turn a block of the Gram matrix into distances, in place.

    For many features a BLAS product ``G = X[rows] @ X.T`` (made by NumPy
    between kernels) is far faster than forming differences, and then::

        euclidean   d = sqrt(max(||x||² + ||y||² - 2 x·y, 0))
        sqeuclidean d = max(||x||² + ||y||² - 2 x·y, 0)
        cosine      d = min(max(1 - x·y, 0), 2)   (rows of unit norm)

    with ``d(i, i)`` set to exactly 0.

    Parameters
    ----------
    G : float64 array of shape (n_rows, n_samples)  INOUT
        ``G[r, j] = x_{row_start + r} · x_j`` on entry, distances on return.
    sq_norms : float64 array of shape (n_samples,)  IN
        ``||x_j||²`` (unused for cosine).
    row_start : int
    metric : int
        EUCLIDEAN, SQEUCLIDEAN or COSINE.
    """
    n_rows, n_samples = G.shape
    for r in prange(n_rows):
        i = row_start + r
        if metric == COSINE:
            for j in range(n_samples):
                G[r, j] = min(max(1.0 - G[r, j], 0.0), 2.0)
        else:
            xx = sq_norms[i]
            for j in range(n_samples):
                d2 = max(-2.0 * G[r, j] + xx + sq_norms[j], 0.0)
                G[r, j] = math.sqrt(d2) if metric == EUCLIDEAN else d2
        G[r, i] = 0.0


# ---------------------------------------------------------------------------
# silhouette
# ---------------------------------------------------------------------------
# Rows are split into this many ranges for the threads (a fixed number: each
# row's result is computed the same way whatever the thread count).
N_ROW_CHUNKS = 64


@jit(parallel=True)
def cluster_distance_sums(X, XT, metric, p, labels, tile, row_start, sums):
    """Sum of the distances from samples to the members of every cluster.

    ``sums[r, k] = sum_{j : l_j = k} d(row_start + r, j)``, with j running in
    increasing order. Row i of the distance matrix is produced ``tile``
    columns at a time into a small scratch buffer (:func:`distance_row`) and
    added up at once, so the matrix is never stored: memory O(threads × tile).

    Parameters
    ----------
    X : float64 array of shape (n_samples, n_features)  IN
    XT : float64 array of shape (n_features, n_samples)  IN
    metric : int
        See :func:`distance_row`.
    p : float
    labels : int64 array of shape (n_samples,)  IN
        Cluster of each sample, coded 0..n_labels-1.
    tile : int
        Columns per scratch buffer.
    row_start : int
        First sample of this block of rows.
    sums : float64 array of shape (n_rows, n_labels)  OUT
        Zero on entry.
    """
    n_samples = X.shape[0]
    n_rows = sums.shape[0]
    rows_per_chunk = (n_rows + N_ROW_CHUNKS - 1) // N_ROW_CHUNKS
    # One parallel region for the whole block: each chunk owns its rows of
    # ``sums`` and its scratch buffer.
    for chunk in prange(N_ROW_CHUNKS):
        scratch = np.empty(tile, dtype=np.float64)
        for r in range(chunk * rows_per_chunk, min((chunk + 1) * rows_per_chunk, n_rows)):
            for col_start in range(0, n_samples, tile):
                d = scratch[: min(tile, n_samples - col_start)]
                distance_row(X, XT, row_start + r, col_start, metric, p, d)
                for c in range(d.shape[0]):
                    sums[r, labels[col_start + c]] += d[c]


@jit(parallel=True)
def accumulate_cluster_sums(D, labels, sums):
    """Add rows of a distance matrix to per-cluster sums.

    ``sums[r, l_j] += D[r, j]`` for every j, in increasing order.

    Parameters
    ----------
    D : float64 array of shape (n_rows, n_samples)  IN
    labels : int64 array of shape (n_samples,)  IN
    sums : float64 array of shape (n_rows, n_labels)  INOUT
    """
    n_rows, n_samples = D.shape
    for r in prange(n_rows):
        for j in range(n_samples):
            sums[r, labels[j]] += D[r, j]


@jit
def silhouette_from_sums(sums, row_start, labels, label_freqs, intra, inter):
    """Mean distances to the own cluster and to the nearest other cluster.

    For sample i = row_start + r with label ``l_i`` and
    ``S_i(k) = sums[r, k] = sum_{l_j = k} d(i, j)``::

        intra[i] = S_i(l_i)                      (divided by |l_i| - 1 later)
        inter[i] = min_{k != l_i} S_i(k) / |k|

    Parameters
    ----------
    sums : float64 array of shape (n_rows, n_labels)  IN
    row_start : int
    labels : int64 array of shape (n_samples,)  IN
    label_freqs : int64 array of shape (n_labels,)  IN
        Cluster sizes.
    intra, inter : float64 arrays of shape (n_samples,)  OUT
        Entries ``row_start .. row_start + n_rows - 1`` are written.
    """
    n_rows, n_labels = sums.shape
    for r in range(n_rows):
        i = row_start + r
        own = labels[i]
        nearest = np.inf
        for k in range(n_labels):
            if k != own:
                nearest = min(nearest, sums[r, k] / label_freqs[k])
        intra[i] = sums[r, own]
        inter[i] = nearest


# ---------------------------------------------------------------------------
# linear sum assignment
# ---------------------------------------------------------------------------
@jit
def _augmenting_path(cost, u, v, path, row4col, shortest, row, visited_row, visited_col, todo):
    """Dijkstra-like search for the cheapest augmenting path from a free row.

    Reduced costs ``cost[i, j] - u[i] - v[j]`` are non-negative for the current
    duals, so the search grows a tree of rows and columns in order of
    path length, stopping at the first column that is still unassigned.

    Returns
    -------
    sink : int
        The free column reached, or -1 when every remaining column is at
        infinite cost (the problem is infeasible).
    min_val : float
        The length of the path to the sink.
    """
    n_cols = cost.shape[1]
    # columns not in the tree yet; kept in reverse order so that, among equal
    # lengths, the search settles on low column indices first.
    n_todo = n_cols
    for k in range(n_cols):
        todo[k] = n_cols - 1 - k
    visited_row[:] = False
    visited_col[:] = False
    shortest[:] = np.inf
    min_val = 0.0
    i = row
    sink = -1
    while sink == -1:
        visited_row[i] = True
        best_k = -1
        lowest = np.inf
        for k in range(n_todo):
            j = todo[k]
            length = min_val + cost[i, j] - u[i] - v[j]
            if length < shortest[j]:
                path[j] = i
                shortest[j] = length
            # Prefer a free column on ties: the path can end there at once.
            if shortest[j] < lowest or (shortest[j] == lowest and row4col[j] == -1):
                lowest = shortest[j]
                best_k = k
        min_val = lowest
        if min_val == np.inf:
            return -1, min_val
        j = todo[best_k]
        visited_col[j] = True
        if row4col[j] == -1:
            sink = j
        else:
            i = row4col[j]
        n_todo -= 1
        todo[best_k] = todo[n_todo]
    return sink, min_val


@jit
def shortest_augmenting_path_lsap(cost):
    """Minimum-cost assignment of every row to a distinct column.

    Rows are added one at a time; for each, the cheapest augmenting path in
    the reduced costs is found (:func:`_augmenting_path`), the dual variables
    ``u`` (rows) and ``v`` (columns) are updated so that reduced costs stay
    non-negative, and the assignment is flipped along the path. This is the
    shortest augmenting path method of Jonker & Volgenant (1987) in the
    rectangular form described by Crouse (2016).

    Parameters
    ----------
    cost : float64 array of shape (n_rows, n_cols), n_rows <= n_cols  IN
        Finite entries or +inf (a forbidden pair); no NaN and no -inf.

    Returns
    -------
    col4row : int64 array of shape (n_rows,)
        The column assigned to each row; all -1 when no finite assignment
        exists.
    """
    n_rows, n_cols = cost.shape
    u = np.zeros(n_rows, dtype=np.float64)
    v = np.zeros(n_cols, dtype=np.float64)
    shortest = np.empty(n_cols, dtype=np.float64)
    path = np.full(n_cols, -1, dtype=np.int64)
    col4row = np.full(n_rows, -1, dtype=np.int64)
    row4col = np.full(n_cols, -1, dtype=np.int64)
    visited_row = np.zeros(n_rows, dtype=np.bool_)
    visited_col = np.zeros(n_cols, dtype=np.bool_)
    todo = np.empty(n_cols, dtype=np.int64)

    for row in range(n_rows):
        sink, min_val = _augmenting_path(
            cost, u, v, path, row4col, shortest, row, visited_row, visited_col, todo
        )
        if sink < 0:
            col4row[:] = -1
            return col4row
        # dual update: keeps every reduced cost >= 0 and the tree edges tight
        u[row] += min_val
        for i in range(n_rows):
            if visited_row[i] and i != row:
                u[i] += min_val - shortest[col4row[i]]
        for j in range(n_cols):
            if visited_col[j]:
                v[j] -= min_val - shortest[j]
        # flip the assignment along the path, from the sink back to the row
        j = sink
        while True:
            i = path[j]
            row4col[j] = i
            previous = col4row[i]
            col4row[i] = j
            j = previous
            if i == row:
                break
    return col4row
