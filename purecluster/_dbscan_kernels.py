"""Jitted loops of DBSCAN: distances, the grid of cells, core points, union–find, borders.

Two ways to find eps-neighbours, both exact and both O(n) in memory beyond the
input (no point's neighbour list is ever stored):

* the **grid** (low-dimensional Minkowski metrics): points are sorted by the
  cell of side ``eps / d**(1/p)`` they fall in; a point's neighbours can only
  lie in the few cells around its own, and two points of one cell are always
  neighbours. Entry points: :func:`cell_coordinates`, :func:`counting_sort`,
  :func:`grid_core_flags`, :func:`grid_union_cells`, :func:`grid_border_labels`,
  :func:`grid_neighbours`.
* **blocks** (any metric, any dimension): a block of rows against all columns
  gives a boolean "within eps" matrix (:func:`within_block`, or NumPy for the
  BLAS-based metrics), consumed by :func:`block_weighted_counts` (core
  points), then :func:`grow_clusters` (small n, matrix kept) or
  :func:`block_union` and :func:`block_border_labels`.
* **strips** (euclidean by BLAS): strips of the upper triangle of ``X X^T``,
  each dot product serving both ``(i, j)`` and ``(j, i)``:
  :func:`strip_upper`, :func:`strip_weighted_counts` and :func:`upper_labels`
  (symmetric relation, n up to 23,170: the upper triangle kept as bits),
  :func:`strip_within` (whole matrix kept), or :func:`strip_counts`,
  :func:`strip_union` and :func:`rows_border_labels`.

Reduced distances ("rdist") are compared with a reduced radius, as scikit-learn
does, so that no square root or power is taken per pair:

=====  ==========  =============================  ===================
code   metric      rdist(x, y)                    threshold
=====  ==========  =============================  ===================
0      euclidean   sum_k (x_k - y_k)^2            eps^2
1      manhattan   sum_k |x_k - y_k|              eps
2      chebyshev   max_k |x_k - y_k|              eps
3      minkowski   sum_k |x_k - y_k|^p            eps^p
=====  ==========  =============================  ===================
"""

import numpy as np
from numba import prange

from ._jit import jit

EUCLIDEAN = 0
MANHATTAN = 1
CHEBYSHEV = 2
MINKOWSKI = 3


# ---------------------------------------------------------------------------
# distances
# ---------------------------------------------------------------------------
@jit(inline="always")  # per pair in hot loops: a call would cost more than the body
def coordinate_difference(X, i, Y, j, k, single):
    """``X[i, k] - Y[j, k]`` as float64: taken in float64, or in X's dtype if ``single``.

    (``np.float64`` and not ``float``: under Numba, ``float()`` of a float32
    stays float32.)
    """
    if single:
        return np.float64(X[i, k] - Y[j, k])
    return np.float64(X[i, k]) - np.float64(Y[j, k])


@jit(inline="always")  # per pair in hot loops: a call would cost more than the body
def reduced_distance(X, i, Y, j, metric, p, single):
    """Reduced distance between rows ``X[i]`` and ``Y[j]`` (see the module table).

    Parameters
    ----------
    X, Y : ndarray of shape (_, n_features), float32 or float64 (IN)
    i, j : int
    metric : int
        0 euclidean, 1 manhattan, 2 chebyshev, 3 minkowski.
    p : float
        The Minkowski power (used by code 3 only).
    single : bool
        Reproduce scikit-learn's float32 brute-force arithmetic: differences
        rounded to float32 and the total rounded to float32. Otherwise every
        difference is taken in float64 (scikit-learn's trees upcast to float64).

    Returns
    -------
    float
    """
    # one loop per metric (the test is not repeated per coordinate)
    acc = 0.0
    d = X.shape[1]
    if metric == 0:
        for k in range(d):
            t = coordinate_difference(X, i, Y, j, k, single)
            acc += t * t
    elif metric == 1:
        for k in range(d):
            t = coordinate_difference(X, i, Y, j, k, single)
            acc += abs(t)
    elif metric == 2:
        for k in range(d):
            t = coordinate_difference(X, i, Y, j, k, single)
            acc = max(acc, abs(t))
    else:
        for k in range(d):
            t = coordinate_difference(X, i, Y, j, k, single)
            acc += abs(t) ** p
    if single:
        acc = np.float64(np.float32(acc))
    return acc


@jit(parallel=True)
def within_block(X, rows, Y, metric, p, single, threshold, out):
    """Which pairs (row of ``X[rows]``, row of ``Y``) are eps-neighbours.

    Parameters
    ----------
    X : ndarray of shape (n, d) (IN)
    rows : ndarray of shape (m,), int64 (IN)
        The rows of ``X`` making up the block.
    Y : ndarray of shape (n_cols, d) (IN)
    metric, p, single : see :func:`reduced_distance`
    threshold : float
        The reduced radius.
    out : ndarray of shape (m, n_cols), bool (OUT)
        ``out[a, b] = rdist(X[rows[a]], Y[b]) <= threshold``.
    """
    for a in prange(rows.shape[0]):
        i = rows[a]
        for b in range(Y.shape[0]):
            out[a, b] = reduced_distance(X, i, Y, b, metric, p, single) <= threshold


@jit(parallel=True)
def gemm_within(dots, row_sq_norms, col_sq_norms, threshold, out):
    """Euclidean "within eps" from BLAS dot products, as scikit-learn's brute force.

    ``out[a, b] = max(0, (|x_a|^2 - 2 x_a.y_b) + |y_b|^2) <= threshold``, with
    the additions in scikit-learn's order (so ties round the same way), in
    one pass over the block instead of five NumPy ones.

    Parameters
    ----------
    dots : ndarray of shape (m, n), float64 (IN)
        ``x_a . y_b`` from BLAS.
    row_sq_norms : ndarray of shape (m,), float64 (IN)
    col_sq_norms : ndarray of shape (n,), float64 (IN)
    threshold : float
        eps^2.
    out : ndarray of shape (m, n), bool (OUT)
    """
    for a in prange(dots.shape[0]):
        for b in range(dots.shape[1]):
            d2 = (row_sq_norms[a] + -2.0 * dots[a, b]) + col_sq_norms[b]
            out[a, b] = max(d2, 0.0) <= threshold


# ---------------------------------------------------------------------------
# blocked brute force: consumers of a boolean "within eps" block
# ---------------------------------------------------------------------------
@jit(parallel=True)
def block_weighted_counts(within, weights, out):
    """Weighted neighbourhood size of each row of a block.

    ``out[a] = sum_b within[a, b] * weights[b]``, summed in column order in
    float64. Rows are independent (one thread each), so the result does not
    depend on the thread count; the product instead of a test keeps the loop
    branch-free (it vectorises), and adding ``w * 0 = 0`` changes nothing.

    Parameters
    ----------
    within : ndarray of shape (m, n), bool (IN)
    weights : ndarray of shape (n,) (IN)
    out : ndarray of shape (m,), float64 (OUT)
    """
    for a in prange(within.shape[0]):
        acc = 0.0
        for b in range(within.shape[1]):
            acc += np.float64(weights[b]) * within[a, b]
        out[a] = acc


@jit(parallel=True)
def row_counts(within, out):
    """Neighbourhood size of each row (unit weights): ``out[a] = sum_b within[a, b]``.

    Integer counting vectorises (a float sum is one long chain of dependent
    additions); with unit weights it equals :func:`block_weighted_counts`
    exactly.

    Parameters
    ----------
    within : ndarray of shape (m, n), bool (IN)
    out : ndarray of shape (m,), float64 (OUT)
    """
    for a in prange(within.shape[0]):
        acc = 0
        for b in range(within.shape[1]):
            acc += np.int64(within[a, b])
        out[a] = acc


@jit(inline="always")  # per pair in hot loops: a call would cost more than the body
def find_root(parent, x):
    """Root of ``x`` in the union–find forest ``parent`` (INOUT), halving paths."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@jit(inline="always")  # per pair in hot loops: a call would cost more than the body
def union(parent, a, b):
    """Join the sets of ``a`` and ``b``; the smaller root becomes the root (deterministic)."""
    ra = find_root(parent, a)
    rb = find_root(parent, b)
    if ra < rb:
        parent[rb] = ra
    elif rb < ra:
        parent[ra] = rb


@jit
def grow_clusters(within, is_core, labels):
    """scikit-learn's cluster growth on a stored "within eps" matrix (small n only).

    Seeds are the core points in index order; each labels every point its
    core points can reach through their neighbourhoods (row ``i`` of
    ``within`` is the neighbourhood of ``i``, exactly as scikit-learn reads
    it, so this is exact even when the relation is not symmetric: a user's
    precomputed matrix, or BLAS rounding at exactly ``eps``). A point is
    labelled when first reached, so the queue never holds it twice.

    Parameters
    ----------
    within : ndarray of shape (n, n), bool (IN)
    is_core : ndarray of shape (n,), bool (IN)
    labels : ndarray of shape (n,), int64 (OUT)
    """
    n = within.shape[0]
    labels[:] = -1
    queue = np.empty(n, dtype=np.int64)
    label = 0
    for seed in range(n):
        if labels[seed] != -1 or not is_core[seed]:
            continue
        labels[seed] = label
        queue[0] = seed
        head = 0
        tail = 1
        while head < tail:
            i = queue[head]
            head += 1
            if not is_core[i]:
                continue
            for j in range(n):
                if within[i, j] and labels[j] == -1:
                    labels[j] = label
                    queue[tail] = j
                    tail += 1
        label += 1


@jit
def block_union(within, row_ids, col_ids, parent):
    """Union every core pair marked in a block of core rows (INOUT ``parent``).

    Parameters
    ----------
    within : ndarray of shape (m, n), bool (IN)
    row_ids : ndarray of shape (m,), int64 (IN)
        Union–find id of each row (all rows are core points).
    col_ids : ndarray of shape (n,), int64 (IN)
        Union–find id of each column, -1 for non-core columns.
    parent : ndarray of shape (n_core,), int64 (INOUT)
    """
    for a in range(within.shape[0]):
        for b in range(within.shape[1]):
            if within[a, b] and col_ids[b] >= 0:
                union(parent, row_ids[a], col_ids[b])


@jit
def block_border_labels(within, row_labels, is_core, labels):
    """scikit-learn's border rule from a block of core rows (INOUT ``labels``).

    A non-core point takes the smallest cluster label among the core points
    whose neighbourhood holds it (-1, noise, if none): clusters are numbered
    in the order scikit-learn grows them, and the first to grow claims it.

    Parameters
    ----------
    within : ndarray of shape (m, n), bool (IN)
    row_labels : ndarray of shape (m,), int64 (IN)
        Cluster of each (core) row.
    is_core : ndarray of shape (n,), bool (IN)
    labels : ndarray of shape (n,), int64 (INOUT)
        Non-core entries hold the best label so far (-1 for none).
    """
    for b in range(within.shape[1]):
        if is_core[b]:
            continue
        best = labels[b]
        for a in range(within.shape[0]):
            if within[a, b] and (best < 0 or row_labels[a] < best):
                best = row_labels[a]
        labels[b] = best


# ---------------------------------------------------------------------------
# euclidean by BLAS, on the upper triangle: strips X[i0:i1] . X[c0:c0+w]
# ---------------------------------------------------------------------------
# Columns handled by one thread at a time in the strip kernels: the transposed
# writes of a chunk touch COLUMN_CHUNK rows, few enough to stay in cache.
COLUMN_CHUNK = 256


@jit(inline="always")  # per pair in hot loops: a call would cost more than the body
def gemm_rdist(query_sq_norm, middle, other_sq_norm):
    """scikit-learn's squared euclidean ``max(0, (|q|^2 + middle) + |o|^2)``, ``middle = -2 q.o``.

    The additions are in scikit-learn's order: the query (the point whose
    neighbourhood is asked for) first.
    """
    return max((query_sq_norm + middle) + other_sq_norm, 0.0)


@jit(parallel=True)
def strip_within(dots, i0, i1, c0, sq_norms, threshold, within):
    """Fill the kept "within eps" matrix from one strip of the upper triangle.

    The strip is rows ``i0:i1`` against columns ``c0:c0 + w`` with ``c0 >= i0``.
    A pair ``(i, j)`` with ``j`` inside the row block is written from its own
    entry (the strip holds both orders); a pair with ``j >= i1`` also gives the
    transposed entry ``within[j, i]`` from the same dot product, with the
    additions in ``j``'s order: half of the BLAS work of a full product.

    The transposed answers are first kept as bit 1 of ``within[i, j]`` (a
    contiguous, vectorised write), then moved to ``within[j, i]`` by 32 x 32
    tiles that stay in cache: a third less time than writing them one row
    apart directly.

    Parameters
    ----------
    dots : ndarray of shape (i1 - i0, w), float64 (IN)
        ``X[i0 + a] . X[c0 + b]``.
    i0, i1, c0 : int
    sq_norms : ndarray of shape (n,), float64 (IN)
    threshold : float
        eps^2.
    within : ndarray of shape (n, n), uint8 (INOUT)
        Receives 1 (within eps) or 0 for the strip's pairs and their transposes.
    """
    m, w = dots.shape
    n_chunks = (w + COLUMN_CHUNK - 1) // COLUMN_CHUNK
    # each chunk of columns belongs to one thread: disjoint writes
    for ch in prange(n_chunks):
        b0 = np.int64(ch) * COLUMN_CHUNK
        b1 = min(w, b0 + COLUMN_CHUNK)
        split = min(max(i1 - c0, b0), b1)  # columns [b0, split) lie in the row block
        for a in range(m):
            i = i0 + a
            ni = sq_norms[i]
            for b in range(b0, split):
                j = c0 + b
                within[i, j] = gemm_rdist(ni, -2.0 * dots[a, b], sq_norms[j]) <= threshold
            for b in range(split, b1):
                j = c0 + b
                middle = -2.0 * dots[a, b]
                forward = np.uint8(gemm_rdist(ni, middle, sq_norms[j]) <= threshold)
                backward = np.uint8(gemm_rdist(sq_norms[j], middle, ni) <= threshold)
                within[i, j] = forward | (backward << 1)
        for bb in range(split, b1, 32):
            be = min(b1, bb + 32)
            for aa in range(0, m, 32):
                ae = min(m, aa + 32)
                for b in range(bb, be):
                    for a in range(aa, ae):
                        within[c0 + b, i0 + a] = within[i0 + a, c0 + b] >> 1
                for a in range(aa, ae):
                    for b in range(bb, be):
                        within[i0 + a, c0 + b] &= 1


@jit(parallel=True)
def strip_counts(dots, i0, i1, c0, sq_norms, threshold, weights, counts):
    """Add one strip of the upper triangle to the weighted neighbourhood sizes.

    Row ``i`` gains the weights of its columns in this strip; a column
    ``j >= i1`` (outside the row block) gains the weights of the rows whose
    transposed pair ``(j, i)`` is within eps. Strips are visited in order, so
    every point's sum runs over its neighbours in index order, as
    :func:`block_weighted_counts` sums them.

    Parameters
    ----------
    dots, i0, i1, c0, sq_norms, threshold : see :func:`strip_within`
    weights : ndarray of shape (n,) (IN)
    counts : ndarray of shape (n,), float64 (INOUT)
    """
    m, w = dots.shape
    for a in prange(m):
        i = i0 + a
        ni = sq_norms[i]
        acc = counts[i]
        for b in range(w):
            j = c0 + b
            inside = gemm_rdist(ni, -2.0 * dots[a, b], sq_norms[j]) <= threshold
            acc += np.float64(weights[j]) * inside  # branch-free: adding 0 changes nothing
        counts[i] = acc
    first = min(max(i1 - c0, 0), w)
    n_chunks = (w - first + COLUMN_CHUNK - 1) // COLUMN_CHUNK
    for ch in prange(n_chunks):
        b0 = first + np.int64(ch) * COLUMN_CHUNK
        b1 = min(w, b0 + COLUMN_CHUNK)
        for a in range(m):
            i = i0 + a
            ni = sq_norms[i]
            wi = np.float64(weights[i])
            for b in range(b0, b1):
                j = c0 + b
                inside = gemm_rdist(sq_norms[j], -2.0 * dots[a, b], ni) <= threshold
                counts[j] += wi * inside


@jit
def strip_upper(dots, i0, i1, c0, sq_norms, threshold, counts, forward):
    """One strip of the upper triangle: the forward answers, the counts, a symmetry check.

    For each pair of the strip, ``(i, j)`` is the forward test (``i``'s
    neighbourhood, ``i``'s norm added first) and, when ``j`` lies beyond the
    row block, ``(j, i)`` is the backward test from the same dot product
    (``j``'s norm first). The forward answers are written to ``forward``
    (contiguous writes, packed into bits by the caller); the backward ones
    are only counted: ``j`` gains a neighbour. Pairs inside the row block are
    answered from their own entry.

    Serial on purpose: the strips alternate with BLAS products, and threads
    handed back and forth between OpenBLAS and Numba cost more than this
    loop (7,188 x 64 digits: 158 ms serial against 319 ms threaded, BLAS
    included).

    Parameters
    ----------
    dots : ndarray of shape (m, w), float64 (IN)
        ``X[i0 + a] . X[c0 + b]``, with ``m = i1 - i0`` and ``c0 >= i0``.
    i0, i1, c0 : int
    sq_norms : ndarray of shape (n,), float64 (IN)
    threshold : float
        eps^2 (> 0).
    counts : ndarray of shape (n,), int64 (INOUT)
        Neighbourhood sizes (unit weights) so far.
    forward : ndarray of shape (>= m, >= w), uint8 (OUT)
        ``forward[a, b]``: 1 when ``X[c0 + b]`` is within eps of ``X[i0 + a]``.

    Returns
    -------
    int
        The number of pairs of the strip whose two answers differ (beyond
        the row block; the caller checks the row block's own pairs with
        :func:`block_asymmetry`). Zero means this strip's relation is symmetric.

    Notes
    -----
    ``max(0, v) <= threshold`` equals ``v <= threshold`` for a positive
    threshold, so the tests skip the clamp of :func:`gemm_rdist`.
    """
    m, w = dots.shape
    split = min(max(i1 - c0, 0), w)  # columns [0, split) lie in the row block
    # Every loop runs from 0 over views cut beforehand: with a loop from a
    # variable start, Numba's negative-index check stays in the loop and it
    # does not vectorise (4.6 against 1.1 ns per pair).
    norms_in = sq_norms[c0 : c0 + split]
    norms_out = sq_norms[c0 + split : c0 + w]
    counts_out = counts[c0 + split : c0 + w]
    n_differ = 0
    for a in range(m):
        ni = sq_norms[i0 + a]
        dots_in = dots[a, :split]
        dots_out = dots[a, split:]
        forward_in = forward[a, :split]
        forward_out = forward[a, split:w]
        own = 0
        for b in range(dots_in.shape[0]):
            inside = (ni - 2.0 * dots_in[b]) + norms_in[b] <= threshold
            forward_in[b] = inside
            own += inside
        for b in range(dots_out.shape[0]):
            middle = -2.0 * dots_out[b]
            ahead = (ni + middle) + norms_out[b] <= threshold
            behind = (norms_out[b] + middle) + ni <= threshold
            forward_out[b] = ahead
            own += ahead
            counts_out[b] += behind
            n_differ += ahead != behind
        counts[i0 + a] += own
    return n_differ


@jit
def strip_weighted_counts(forward, i0, i1, c0, w, weights, counts):
    """Weighted neighbourhood sizes from one strip's forward answers (symmetric relation).

    Row ``i`` gains ``weights[j]`` for each ``j`` of the strip within eps;
    a column ``j`` beyond the row block gains ``weights[i]`` for each row
    ``i`` within eps (the relation is symmetric, which the caller has
    checked with :func:`strip_upper`). Strips come in order and rows in
    order, so each point's sum runs over its neighbours in index order, the
    order of :func:`block_weighted_counts`: the same sums, to the bit.

    Parameters
    ----------
    forward : ndarray of shape (>= i1 - i0, >= w), uint8 (IN)
        The strip's forward answers (see :func:`strip_upper`).
    i0, i1, c0 : int
    w : int
        Columns in the strip.
    weights : ndarray of shape (n,) (IN)
    counts : ndarray of shape (n,), float64 (INOUT)
    """
    m = i1 - i0
    split = min(max(i1 - c0, 0), w)
    col_weights = weights[c0 : c0 + w]
    counts_out = counts[c0 + split : c0 + w]
    for a in range(m):
        row = forward[a, :w]
        acc = counts[i0 + a]
        for b in range(w):
            acc += np.float64(col_weights[b]) * row[b]  # in index order: one chain
        counts[i0 + a] = acc
        wi = np.float64(weights[i0 + a])
        row_out = forward[a, split:w]
        for b in range(row_out.shape[0]):
            counts_out[b] += wi * row_out[b]


@jit
def block_asymmetry(upper, i0, i1):
    """Pairs ``i < j`` of rows ``i0:i1`` with ``upper[i, j] != upper[j, i]``."""
    n_differ = 0
    for i in range(i0, i1):
        for j in range(i + 1, i1):
            n_differ += upper[i, j] != upper[j, i]
    return n_differ


@jit
def upper_labels(bits, words, is_core, labels):
    """scikit-learn's labels from the upper triangle of a symmetric "within eps" relation.

    With a symmetric relation, scikit-learn's growth gives each connected
    component of core points (two core points are linked when within eps)
    one label, numbered by the component's smallest core index, and each
    border point the smallest label among the core points within eps of it
    (clusters grow one after the other, in label order, and a point keeps
    the first label it gets).

    Parameters
    ----------
    bits : ndarray of shape (n, s), uint8 (IN)
        The relation, 8 pairs a byte: bit ``t`` of ``bits[i, b]`` is the pair
        ``(i, 8 b + t)``. Only pairs ``j > i`` are read.
    words : ndarray of shape (n, s // 8), uint64 (IN)
        The same memory, 64 pairs a word: a zero word skips 64 pairs at once.
    is_core : ndarray of shape (n,), bool (IN)
    labels : ndarray of shape (n,), int64 (OUT)
    """
    n = is_core.shape[0]
    neighbours = np.empty(n, dtype=np.int64)
    parent = np.arange(n)
    for i in range(n):
        if is_core[i]:
            for t in range(_later_neighbours(bits, words, i, n, neighbours)):
                if is_core[neighbours[t]]:
                    union(parent, i, neighbours[t])
    # the root of a component is its smallest index (see union), met first
    labels[:] = -1
    n_labels = 0
    for i in range(n):
        if is_core[i]:
            root = find_root(parent, i)
            if root == i:
                labels[i] = n_labels
                n_labels += 1
            else:
                labels[i] = labels[root]
    # border points: the smallest label among their core neighbours
    for i in range(n):
        for t in range(_later_neighbours(bits, words, i, n, neighbours)):
            j = neighbours[t]
            if is_core[i] and not is_core[j] and (labels[j] == -1 or labels[i] < labels[j]):
                labels[j] = labels[i]
            elif is_core[j] and not is_core[i] and (labels[i] == -1 or labels[j] < labels[i]):
                labels[i] = labels[j]


@jit(inline="always")
def _later_neighbours(bits, words, i, n, out):
    """The points ``j > i`` within eps of ``i``, in order, into ``out``; returns how many.

    Zero words (64 pairs) and zero bytes (8 pairs) are skipped whole: most
    pairs are beyond eps.
    """
    count = 0
    q0 = (i + 1) // 64
    row_words = words[i, q0 : (n + 63) // 64]
    row_bits = bits[i]
    for t in range(row_words.shape[0]):
        if row_words[t] == 0:
            continue
        for b in range(8 * (q0 + t), 8 * (q0 + t) + 8):
            byte = row_bits[b]
            if byte == 0:
                continue
            for bit in range(8):
                j = 8 * b + bit
                if (byte >> bit) & 1 and i < j < n:
                    out[count] = j
                    count += 1
    return count


@jit
def strip_union(dots, i0, i1, c0, sq_norms, threshold, parent):
    """Union the core points of one strip of the core points' upper triangle (INOUT ``parent``).

    Indices are positions among the core points. Two core points join when
    either is within eps of the other (scikit-learn grows a cluster through
    every core point it reaches, whichever direction reached it).

    Parameters
    ----------
    dots, i0, i1, c0, threshold : see :func:`strip_within` (core points only)
    sq_norms : ndarray of shape (n_core,), float64 (IN)
    parent : ndarray of shape (n_core,), int64 (INOUT)
    """
    m, w = dots.shape
    for a in range(m):
        i = i0 + a
        ni = sq_norms[i]
        for b in range(w):
            j = c0 + b
            middle = -2.0 * dots[a, b]
            linked = gemm_rdist(ni, middle, sq_norms[j]) <= threshold
            if not linked and j >= i1:
                linked = gemm_rdist(sq_norms[j], middle, ni) <= threshold
            if linked:
                union(parent, i, j)


@jit(parallel=True)
def rows_border_labels(dots, row_sq_norms, col_sq_norms, col_labels, threshold, labels):
    """Border rule for non-core rows against core columns (INOUT ``labels``).

    The test is core point -> non-core point (the core point's
    neighbourhood), so the core point's norm is added first.

    Parameters
    ----------
    dots : ndarray of shape (m, w), float64 (IN)
        Non-core rows . core columns.
    row_sq_norms : ndarray of shape (m,), float64 (IN)
    col_sq_norms : ndarray of shape (w,), float64 (IN)
    col_labels : ndarray of shape (w,), int64 (IN)
        Cluster of each core column.
    threshold : float
    labels : ndarray of shape (m,), int64 (INOUT)
        Smallest label so far among the core points reaching each row (-1: none).
    """
    for a in prange(dots.shape[0]):
        best = labels[a]
        na = row_sq_norms[a]
        for b in range(dots.shape[1]):
            if gemm_rdist(col_sq_norms[b], -2.0 * dots[a, b], na) <= threshold and (
                best < 0 or col_labels[b] < best
            ):
                best = col_labels[b]
        labels[a] = best


# ---------------------------------------------------------------------------
# the grid
# ---------------------------------------------------------------------------
@jit
def bounding_box(X):
    """Smallest and largest coordinate along each axis, as float64.

    One pass over the rows (NumPy's ``X.min(axis=0)`` on few columns is ten
    times slower).

    Returns
    -------
    lo, hi : ndarray of shape (d,), float64
    """
    d = X.shape[1]
    lo = np.empty(d, dtype=np.float64)
    hi = np.empty(d, dtype=np.float64)
    for k in range(d):
        lo[k] = X[0, k]
        hi[k] = X[0, k]
    for i in range(1, X.shape[0]):
        for k in range(d):
            v = np.float64(X[i, k])
            if v < lo[k]:
                lo[k] = v
            elif v > hi[k]:
                hi[k] = v
    return lo, hi


@jit
def cell_coordinates(X, origin, side, strides, coords, keys):
    """Cell of each point: ``coords[i, k] = floor((X[i, k] - origin[k]) / side)``.

    Parameters
    ----------
    X : ndarray of shape (n, d) (IN)
    origin : ndarray of shape (d,), float64 (IN)
    side : float
    strides : ndarray of shape (d,), int64 (IN)
        ``keys[i] = sum_k coords[i, k] * strides[k]`` numbers the cells.
    coords : ndarray of shape (n, d), int64 (OUT)
    keys : ndarray of shape (n,), int64 (OUT)
    """
    for i in range(X.shape[0]):
        key = 0
        for k in range(X.shape[1]):
            q = np.int64(np.floor((np.float64(X[i, k]) - origin[k]) / side))
            coords[i, k] = q
            key += q * strides[k]
        keys[i] = key


@jit
def cell_starts(sorted_keys):
    """Where each run of equal keys begins, plus ``n`` at the end.

    Returns
    -------
    ndarray of shape (n_cells + 1,), int64
    """
    n = sorted_keys.shape[0]
    starts = np.empty(n + 1, dtype=np.int64)
    m = 0
    for i in range(n):
        if i == 0 or sorted_keys[i] != sorted_keys[i - 1]:
            starts[m] = i
            m += 1
    starts[m] = n
    return starts[: m + 1].copy()


@jit
def counting_sort(keys, n_keys):
    """Stable counting sort of small non-negative integer keys, O(n + n_keys).

    Parameters
    ----------
    keys : ndarray of shape (n,), int64 (IN)
    n_keys : int
        Every key is in ``[0, n_keys)``.

    Returns
    -------
    order : ndarray of shape (n,), int64
        ``keys[order]`` is sorted; equal keys keep their index order.
    """
    counts = np.zeros(n_keys + 1, dtype=np.int64)
    for i in range(keys.shape[0]):
        counts[keys[i] + 1] += 1
    for k in range(n_keys):
        counts[k + 1] += counts[k]
    order = np.empty(keys.shape[0], dtype=np.int64)
    for i in range(keys.shape[0]):
        order[counts[keys[i]]] = i
        counts[keys[i]] += 1
    return order


@jit(inline="always")  # per pair in hot loops: a call would cost more than the body
def neighbour_cell(c, offset, cell_coords, cell_keys, extents, strides):
    """Index of the cell at ``cell_coords[c] + offset``, or -1 if it holds no point.

    Cells are found by binary search in the sorted ``cell_keys``, which works
    the same with and without the JIT (no hash map needed).
    """
    key = cell_keys[c]
    for k in range(offset.shape[0]):
        q = cell_coords[c, k] + offset[k]
        if q < 0 or q >= extents[k]:
            return -1
        key += offset[k] * strides[k]
    pos = np.searchsorted(cell_keys, key)
    if pos < cell_keys.shape[0] and cell_keys[pos] == key:
        return pos
    return -1


@jit(inline="always")  # per pair in hot loops: a call would cost more than the body
def gap_to_cell(Xs, i, cell_coords, cc, origin, side, metric, p):
    """Reduced distance from point ``Xs[i]`` to the box of cell ``cc`` (a lower bound).

    Each per-axis gap is shrunk by a millionth of a cell so that rounding in
    the cell assignment can never make the bound exceed a true distance.
    """
    acc = 0.0
    for k in range(Xs.shape[1]):
        lo = origin[k] + cell_coords[cc, k] * side
        x = np.float64(Xs[i, k])
        t = max(lo - x, x - (lo + side), 0.0) - 1e-6 * side
        if t <= 0.0:
            continue
        if metric == 0:
            acc += t * t
        elif metric == 1:
            acc += t
        elif metric == 2:
            if t > acc:
                acc = t
        else:
            acc += t**p
    return acc


@jit(parallel=True)
def grid_core_flags(
    Xs,
    ws,
    cell_start,
    cell_coords,
    cell_keys,
    extents,
    strides,
    offsets,
    origin,
    side,
    metric,
    p,
    threshold,
    min_samples,
    is_core,
):
    """Core flags of points sorted by cell: weighted eps-neighbourhood >= min_samples.

    A cell's points are all within eps of each other (its diagonal is shorter
    than eps), so each starts with the cell's own weight and only the cells
    around it are scanned; a cell whose weight alone reaches ``min_samples``
    is core without any distance computed. The scan stops as soon as the
    count reaches ``min_samples`` (weights are non-negative, so the count
    only grows). Each cell writes only its own points: the parallel loop is
    race-free and its result independent of the thread count.

    Parameters
    ----------
    Xs : ndarray of shape (n, d) (IN)
        The points, sorted by cell.
    ws : ndarray of shape (n,) (IN)
        Their weights (non-negative).
    cell_start : ndarray of shape (n_cells + 1,), int64 (IN)
        Cell ``c`` holds points ``cell_start[c]:cell_start[c + 1]``.
    cell_coords : ndarray of shape (n_cells, d), int64 (IN)
    cell_keys : ndarray of shape (n_cells,), int64 (IN), sorted
    extents, strides : ndarray of shape (d,), int64 (IN)
        Number of cells along each axis and the key strides.
    offsets : ndarray of shape (n_offsets, d), int64 (IN)
        Relative positions of the cells that may hold neighbours (own cell excluded).
    origin : ndarray of shape (d,), float64 (IN)
        Corner of cell (0, ..., 0).
    side : float
        Cell side; a cell whose box is farther than eps from a point is skipped.
    metric, p, threshold : see :func:`within_block`
    min_samples : int
    is_core : ndarray of shape (n,), bool (OUT)
    """
    n_cells = cell_start.shape[0] - 1
    for c in prange(n_cells):
        a = cell_start[c]
        b = cell_start[c + 1]
        own = 0.0
        for i in range(a, b):
            own += np.float64(ws[i])
        if own >= min_samples:
            for i in range(a, b):
                is_core[i] = True
            continue
        around = np.empty(offsets.shape[0], dtype=np.int64)
        m = 0
        for t in range(offsets.shape[0]):
            cc = neighbour_cell(c, offsets[t], cell_coords, cell_keys, extents, strides)
            if cc >= 0:
                around[m] = cc
                m += 1
        for i in range(a, b):
            acc = own
            for t in range(m):
                if acc >= min_samples:
                    break
                cc = around[t]
                if gap_to_cell(Xs, i, cell_coords, cc, origin, side, metric, p) > threshold:
                    continue
                for j in range(cell_start[cc], cell_start[cc + 1]):
                    if reduced_distance(Xs, i, Xs, j, metric, p, False) <= threshold:
                        acc += np.float64(ws[j])
                        if acc >= min_samples:
                            break
            is_core[i] = acc >= min_samples


@jit
def cells_linked(Xs, is_core, c, cc, cell_start, cell_coords, origin, side, metric, p, threshold):
    """Whether some core point of cell ``c`` is within eps of a core point of cell ``cc``.

    Points farther than eps from the other cell's box are skipped before any
    pairwise distance: for cells that only touch at a corner, that leaves a
    handful of candidates instead of every pair.
    """
    for i in range(cell_start[c], cell_start[c + 1]):
        if not is_core[i]:
            continue
        if gap_to_cell(Xs, i, cell_coords, cc, origin, side, metric, p) > threshold:
            continue
        for j in range(cell_start[cc], cell_start[cc + 1]):
            if is_core[j] and reduced_distance(Xs, i, Xs, j, metric, p, False) <= threshold:
                return True
    return False


@jit
def grid_union_cells(
    Xs,
    is_core,
    cell_start,
    cell_has_core,
    cell_coords,
    cell_keys,
    extents,
    strides,
    half_offsets,
    origin,
    side,
    metric,
    p,
    threshold,
    parent,
):
    """Union–find over core cells joined by a pair of core points (INOUT ``parent``).

    All core points of one cell are within eps of each other, so clusters are
    unions of cells, and one linking pair per pair of cells is enough. Only
    half of the offsets are tried (the other half is the same pairs seen from
    the other cell), nearest first; a pair of cells already in one set is
    skipped without any distance computed, which in dense regions skips
    nearly all of them.

    Parameters
    ----------
    half_offsets : ndarray of shape (n_half, d), int64 (IN), nearest first
    cell_has_core : ndarray of shape (n_cells,), bool (IN)
    origin : ndarray of shape (d,), float64 (IN)
        Corner of cell (0, ..., 0).
    side : float
    parent : ndarray of shape (n_cells,), int64 (INOUT)
    Other parameters as in :func:`grid_core_flags`.
    """
    n_cells = cell_start.shape[0] - 1
    for c in range(n_cells):
        if not cell_has_core[c]:
            continue
        for t in range(half_offsets.shape[0]):
            cc = neighbour_cell(c, half_offsets[t], cell_coords, cell_keys, extents, strides)
            if cc < 0 or not cell_has_core[cc]:
                continue
            if find_root(parent, c) == find_root(parent, cc):
                continue
            if cells_linked(
                Xs, is_core, c, cc, cell_start, cell_coords, origin, side, metric, p, threshold
            ):
                union(parent, c, cc)


@jit
def smallest_core_index(is_core, order, cell_of, parent, out):
    """For each union–find root, the smallest original index of a core point below it.

    scikit-learn starts a new cluster at each core point not yet labelled, in
    index order: clusters are therefore numbered by their smallest core index.

    Parameters
    ----------
    is_core : ndarray of shape (n,), bool (IN), in sorted order
    order : ndarray of shape (n,), int64 (IN)
        Original index of each sorted point.
    cell_of : ndarray of shape (n,), int64 (IN)
        Cell of each sorted point.
    parent : ndarray of shape (n_cells,), int64 (INOUT, paths halved)
    out : ndarray of shape (n_cells,), int64 (INOUT)
        Initialised to n; receives the minimum at each root.
    """
    for s in range(is_core.shape[0]):
        if is_core[s]:
            r = find_root(parent, cell_of[s])
            if order[s] < out[r]:
                out[r] = order[s]


@jit(parallel=True)
def grid_border_labels(
    Xs,
    is_core,
    cell_start,
    cell_label,
    cell_coords,
    cell_keys,
    extents,
    strides,
    offsets,
    origin,
    side,
    metric,
    p,
    threshold,
    labels,
):
    """Labels of the points sorted by cell: core points their cell's, others by the border rule.

    A non-core point takes the smallest label among the core cells holding a
    core point within eps of it (noise, -1, if none). The candidate cells are
    visited in increasing label order, so the first hit is the answer.

    Parameters
    ----------
    cell_label : ndarray of shape (n_cells,), int64 (IN)
        Cluster of each cell's core points, -1 for cells without any.
    labels : ndarray of shape (n,), int64 (OUT)
    Other parameters as in :func:`grid_core_flags`.
    """
    n_cells = cell_start.shape[0] - 1
    for c in prange(n_cells):
        a = cell_start[c]
        b = cell_start[c + 1]
        all_core = True
        for i in range(a, b):
            if is_core[i]:
                labels[i] = cell_label[c]
            else:
                all_core = False
        if all_core:
            continue
        # candidate core cells (own included), sorted by label (insertion sort: few)
        cand = np.empty(offsets.shape[0] + 1, dtype=np.int64)
        m = 0
        for t in range(offsets.shape[0] + 1):
            if t == offsets.shape[0]:
                cc = np.int64(c)  # (a prange index is unsigned: keep cc one type)
            else:
                cc = neighbour_cell(c, offsets[t], cell_coords, cell_keys, extents, strides)
            if cc < 0 or cell_label[cc] < 0:
                continue
            u = m
            while u > 0 and cell_label[cand[u - 1]] > cell_label[cc]:
                cand[u] = cand[u - 1]
                u -= 1
            cand[u] = cc
            m += 1
        for i in range(a, b):
            if is_core[i]:
                continue
            best = -1
            for t in range(m):
                cc = cand[t]
                if gap_to_cell(Xs, i, cell_coords, cc, origin, side, metric, p) > threshold:
                    continue
                for j in range(cell_start[cc], cell_start[cc + 1]):
                    if is_core[j] and reduced_distance(Xs, i, Xs, j, metric, p, False) <= threshold:
                        best = cell_label[cc]
                        break
                if best >= 0:
                    break
            labels[i] = best


@jit
def grid_neighbours(
    Xs,
    s,
    cell_of,
    cell_start,
    cell_coords,
    cell_keys,
    extents,
    strides,
    offsets,
    metric,
    p,
    threshold,
    out,
):
    """Sorted positions of the eps-neighbours of sorted point ``s`` (for the trace).

    Parameters
    ----------
    out : ndarray of shape (n,), int64 (OUT)
        Receives the positions in its first entries.

    Returns
    -------
    int
        The number of neighbours written.
    """
    c = cell_of[s]
    m = 0
    for t in range(offsets.shape[0] + 1):
        if t == offsets.shape[0]:
            cc = c
        else:
            cc = neighbour_cell(c, offsets[t], cell_coords, cell_keys, extents, strides)
        if cc < 0:
            continue
        for j in range(cell_start[cc], cell_start[cc + 1]):
            if reduced_distance(Xs, s, Xs, j, metric, p, False) <= threshold:
                out[m] = j
                m += 1
    return m


@jit
def flatten_forest(parent):
    """Point every node of the union–find forest straight at its root (INOUT ``parent``).

    Roots are the smallest index of their set and ``parent[x] <= x`` always
    holds, so one pass in index order finishes each node after its parent.
    """
    for x in range(parent.shape[0]):
        parent[x] = parent[parent[x]]
