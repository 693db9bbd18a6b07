"""Jitted loops of hierarchical clustering, after Müllner (2011).

Entry points (all take and return plain arrays):

* :func:`prim_mst` — single linkage: Prim's minimum spanning tree on the data,
  distances computed on the fly. O(n²·d) time, O(n·d) memory.
* :func:`nn_chain_ward` — Ward linkage: nearest-neighbour chain over cluster
  centroids and sizes, no distance matrix. O(n²·d) time, O(n·d) memory.
* :func:`nn_chain_matrix` — complete and average linkage: nearest-neighbour
  chain on one square distance matrix with Lance–Williams updates. O(n²)
  time, the n×n matrix as memory.
* :func:`label_merges` — union–find turning merges of *elements* (sorted by
  height) into merges of *cluster ids* n, n+1, ... as scipy numbers them.
* :func:`assign_cut` — labels of the leaves below a set of cut nodes.

Conventions shared with scipy's implementation (so that ties are broken the
same way): a cluster is represented by a *slot*, the index of one of its
points; when clusters in slots ``x < y`` merge, the new cluster lives in slot
``y`` and slot ``x`` dies. A nearest-neighbour search returns the lowest slot
among equally near ones, except that the previous chain element wins a tie
(which is what guarantees that the chain ends in a reciprocal pair).

Dead slots are not removed one by one. A search cannot select them (a dead
Ward centroid is +inf; a dead matrix slot gets +inf from a penalty vector),
so the scans need no "is it alive?" branch; the arrays are compacted in
place now and then (Ward: when an eighth of the rows are dead; the matrix:
when half are), keeping the slot order, hence the tie-breaking, unchanged.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from ._distances import SQEUCLIDEAN, relax_to_point
from ._jit import jit

__all__ = [
    "COMPLETE",
    "AVERAGE",
    "prim_mst",
    "nn_chain_ward",
    "nn_chain_matrix",
    "label_merges",
    "assign_cut",
]

COMPLETE = 0
AVERAGE = 1

# The scans run on one thread. We measured chunked parallel scans (fixed
# chunks, reduced in chunk order, so deterministic): on this project's shared
# 2-core machines a parallel region started per scan (tens of thousands of
# them) cost 5-20x more than the serial scan it split; at n = 20,000, a
# scan of a full row on two threads took 14.4 against 16.5 us (the memory
# bus, not the core, is the limit). Only the one-off distance matrix
# (:func:`purecluster._distances.pairwise_square`) and the batched column
# writes of the matrix chain (:func:`_flush_columns`) are parallel.


# ---------------------------------------------------------------------------
# single linkage: Prim's minimum spanning tree
# ---------------------------------------------------------------------------
@jit(inline="always")
def _min_value(v, lo, hi):
    """Smallest value of ``v[lo:hi]`` (+inf when empty; ``v`` holds no NaN).

    Four running minima over interleaved elements, combined at the end: the
    compiler will not vectorise a float minimum (NaN rules), and one running
    minimum waits for the previous comparison at every element; four
    independent ones measured 1.5x faster. A minimum is exact, so the
    order of the comparisons does not change the result.
    """
    b0 = np.inf
    b1 = np.inf
    b2 = np.inf
    b3 = np.inf
    j = lo
    while j + 4 <= hi:
        x0 = v[j]
        x1 = v[j + 1]
        x2 = v[j + 2]
        x3 = v[j + 3]
        b0 = x0 if x0 < b0 else b0
        b1 = x1 if x1 < b1 else b1
        b2 = x2 if x2 < b2 else b2
        b3 = x3 if x3 < b3 else b3
        j += 4
    while j < hi:
        x0 = v[j]
        b0 = x0 if x0 < b0 else b0
        j += 1
    return _min4(b0, b1, b2, b3)


@jit(inline="always")
def _min4(b0, b1, b2, b3):
    """The smallest of four running minima."""
    b0 = b1 if b1 < b0 else b0
    b2 = b3 if b3 < b2 else b2
    return b2 if b2 < b0 else b0


@jit
def _first_min_range(v, lo, hi):
    """Smallest value of ``v[lo:hi]`` and the first index holding it.

    Two simple loops (the minimum, then the first match) instead of one with
    a compare-and-branch per element: the first loop has no index to carry
    (four running minima, :func:`_min_value`), the second stops at the match.
    """
    bv = _min_value(v, lo, hi)
    for j in range(lo, hi):
        if v[j] == bv:
            return j, bv
    return -1, bv


@jit
def _feature_major(X):
    """A new (d, n) C-contiguous copy of the (n, d) array ``X`` (its transpose)."""
    n, d = X.shape
    Xt = np.empty((d, n))
    for i in range(n):
        for k in range(d):
            Xt[k, i] = X[i, k]
    return Xt


@jit
def _prim_scan_range(Xt, order, best, lo, hi, xcur, metric, p, acc):
    """Relax ``best[lo:hi]`` with the distances to ``xcur``; return the nearest slot.

    Ties go to the lowest *original* index (``order``), as in scipy's scan.

    Squared Euclidean (the metric of Euclidean single linkage) has its own
    loops: one contiguous pass per feature, vectorised, the last one fused
    with the relaxation, then the minimum and one pass for the slot holding
    it (d + 2 passes instead of d + 4). The arithmetic is that of
    :func:`purecluster._distances.relax_to_point` (``0 + t*t == t*t``), so
    the bits are the same; the other metrics call it.
    """
    d = Xt.shape[0]
    if metric == SQEUCLIDEAN:
        c = xcur[0]
        if d == 1:
            for j in range(lo, hi):
                t = Xt[0, j] - c
                best[j] = min(best[j], t * t)
        elif d == 2:
            # the common plane case in one pass, no partial sums stored,
            # with the minimum taken on the way (four running minima, as
            # _min_value): one pass over the slots instead of two
            c1 = xcur[1]
            b0 = np.inf
            b1 = np.inf
            b2 = np.inf
            b3 = np.inf
            x0 = Xt[0]
            x1 = Xt[1]
            j = lo
            while j + 4 <= hi:
                t0 = x0[j] - c
                u0 = x1[j] - c1
                t1 = x0[j + 1] - c
                u1 = x1[j + 1] - c1
                t2 = x0[j + 2] - c
                u2 = x1[j + 2] - c1
                t3 = x0[j + 3] - c
                u3 = x1[j + 3] - c1
                v0 = min(best[j], t0 * t0 + u0 * u0)
                v1 = min(best[j + 1], t1 * t1 + u1 * u1)
                v2 = min(best[j + 2], t2 * t2 + u2 * u2)
                v3 = min(best[j + 3], t3 * t3 + u3 * u3)
                best[j] = v0
                best[j + 1] = v1
                best[j + 2] = v2
                best[j + 3] = v3
                b0 = v0 if v0 < b0 else b0
                b1 = v1 if v1 < b1 else b1
                b2 = v2 if v2 < b2 else b2
                b3 = v3 if v3 < b3 else b3
                j += 4
            while j < hi:
                t0 = x0[j] - c
                u0 = x1[j] - c1
                v0 = min(best[j], t0 * t0 + u0 * u0)
                best[j] = v0
                b0 = v0 if v0 < b0 else b0
                j += 1
            return _lowest_order_at(best, order, lo, hi, _min4(b0, b1, b2, b3))
        else:
            for j in range(lo, hi):
                t = Xt[0, j] - c
                acc[j] = t * t
            for k in range(1, d - 1):
                c = xcur[k]
                for j in range(lo, hi):
                    t = Xt[k, j] - c
                    acc[j] += t * t
            c = xcur[d - 1]
            for j in range(lo, hi):
                t = Xt[d - 1, j] - c
                best[j] = min(best[j], acc[j] + t * t)
    else:
        relax_to_point(Xt, lo, hi, xcur, metric, p, acc, best)
    return _lowest_order_at(best, order, lo, hi, _min_value(best, lo, hi))


@jit(inline="always")
def _lowest_order_at(best, order, lo, hi, bv):
    """The slot in ``lo:hi`` holding ``bv`` with the lowest original index (``order``).

    A tie is rare: a branch-free pass counts the slots holding ``bv``; with
    one, a second pass stops at it (half the slots on average), and only
    with several does a pass compare their original indices.
    """
    count = 0
    for j in range(lo, hi):
        count += 1 if best[j] == bv else 0
    bj = -1
    for j in range(lo, hi):
        if best[j] == bv and (bj < 0 or order[j] < order[bj]):
            bj = j
            if count == 1:
                break
    return bj


@jit
def prim_mst(X, metric, p):
    """Prim's minimum spanning tree of the complete graph on the rows of ``X``.

    Müllner's MST-LINKAGE-CORE: grow a tree from point 0; keep for every point
    outside it the distance to the nearest tree point (``best``), relax it with
    the point just added, and add the outside point with the smallest value.

    Parameters
    ----------
    X : ndarray of shape (n, d), IN
    metric : int, IN
        A code from :func:`purecluster._distances.metric_code`.
    p : float, IN
        Minkowski's order.

    Returns
    -------
    src, dst : ndarray of shape (n - 1,), int64
        Step ``k`` added point ``dst[k]``; ``src[k]`` is the point added just
        before it (the one whose distances were relaxed last), as in scipy and
        scikit-learn. Sorting these edges by weight and joining them with
        :func:`label_merges` gives the single-linkage dendrogram.
    weight : ndarray of shape (n - 1,), float64
        ``weight[k]`` is the distance from ``dst[k]`` to the tree.

    Notes
    -----
    The points outside the tree are kept packed at the front of ``Xt``, a
    feature-major copy of ``X``: the point added is swapped with the last
    one, so each scan reads contiguous memory (that is what makes it fast),
    and ``order`` remembers original indices so ties still go to the lowest
    index, as in scipy.
    """
    n, d = X.shape
    Xt = _feature_major(X)
    order = np.arange(n)
    best = np.full(n, np.inf)
    acc = np.empty(n)
    xcur = np.empty(d)
    src = np.empty(n - 1, dtype=np.int64)
    dst = np.empty(n - 1, dtype=np.int64)
    weight = np.empty(n - 1)

    # take point 0 out of the packed set (swap it with the last)
    m = n - 1
    Xt[:, 0] = Xt[:, m]
    order[0] = order[m]
    cur = 0
    for k in range(n - 1):
        xcur[:] = X[cur, :]
        j = _prim_scan_range(Xt, order, best, 0, m, xcur, metric, p, acc)
        src[k] = cur
        dst[k] = order[j]
        weight[k] = best[j]
        cur = order[j]
        # remove slot j: move the last packed point into it
        m -= 1
        Xt[:, j] = Xt[:, m]
        order[j] = order[m]
        best[j] = best[m]
    return src, dst, weight


# ---------------------------------------------------------------------------
# Ward linkage: nearest-neighbour chain on centroids
# ---------------------------------------------------------------------------
@jit
def _ward_cost(Ct, size, a, b):
    """Half the squared Ward distance: ``|A||B| / (|A|+|B|) * ||c_A - c_B||**2``.

    Ward's merge cost, the increase of the within-cluster sum of squares when
    ``A`` and ``B`` merge. It orders pairs as the Ward distance
    ``sqrt(2 * cost)`` does, without the square root. A dead slot has an
    infinite centroid, hence an infinite cost. ``Ct`` holds the centroids
    feature-major, shape (d, m).
    """
    s = 0.0
    for k in range(Ct.shape[0]):
        t = Ct[k, a] - Ct[k, b]
        s += t * t
    return size[a] * size[b] / (size[a] + size[b]) * s


@jit
def _ward_scan_range(Ct, size, x, lo, hi, buf):
    """Nearest slot to ``x`` among ``lo..hi-1`` (first on ties); ``buf`` is scratch.

    The arithmetic of :func:`_ward_cost` (the same operations in the same
    order, so the same bits), one feature at a time over all slots:
    contiguous loops the compiler vectorises. The first feature's pass
    initialises ``buf`` and the last one applies the size factor, so the
    slots are swept d + 2 times in all (d passes, the minimum, the match).
    """
    d = Ct.shape[0]
    sx = size[x]
    c = Ct[0, x]
    if d == 1:
        for j in range(lo, hi):
            t = c - Ct[0, j]
            buf[j] = sx * size[j] / (sx + size[j]) * (t * t)
    elif d == 2:
        # the plane in one pass (same operations as below, no partial sums stored)
        c1 = Ct[1, x]
        for j in range(lo, hi):
            t = c - Ct[0, j]
            u = c1 - Ct[1, j]
            buf[j] = sx * size[j] / (sx + size[j]) * (t * t + u * u)
    else:
        for j in range(lo, hi):
            t = c - Ct[0, j]
            buf[j] = t * t
        for k in range(1, d - 1):
            c = Ct[k, x]
            for j in range(lo, hi):
                t = c - Ct[k, j]
                buf[j] += t * t
        c = Ct[d - 1, x]
        for j in range(lo, hi):
            t = c - Ct[d - 1, j]
            buf[j] = sx * size[j] / (sx + size[j]) * (buf[j] + t * t)
    if lo <= x < hi:
        buf[x] = np.inf
    return _first_min_range(buf, lo, hi)


@jit
def _ward_nearest(Ct, size, x, m, buf):
    """Slot of the cluster nearest to slot ``x`` (lowest slot on ties), and its cost."""
    return _ward_scan_range(Ct, size, x, 0, m, buf)


@jit
def _compact_rows(A, alive, m):
    """Move the rows of ``A`` flagged in ``alive[:m]`` to the front, keeping order."""
    w = 0
    for i in range(m):
        if alive[i]:
            if w != i:
                A[w] = A[i]
            w += 1
    return w


@jit
def _compact_columns(At, alive, m):
    """Move the columns of ``At`` flagged in ``alive[:m]`` to the front, keeping order."""
    for k in range(At.shape[0]):
        w = 0
        for i in range(m):
            if alive[i]:
                At[k, w] = At[k, i]
                w += 1


@jit
def _remap_chain(chain, length, alive, m):
    """Rewrite chain slots after a compaction of the first ``m`` slots."""
    new_slot = np.empty(m, dtype=np.int64)
    w = 0
    for i in range(m):
        new_slot[i] = w
        if alive[i]:
            w += 1
    for t in range(length):
        chain[t] = new_slot[chain[t]]


@jit
def nn_chain_ward(X):
    """Ward linkage by the nearest-neighbour chain, from the data.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64, IN

    Returns
    -------
    x, y : ndarray of shape (n - 1,), int64
        The slots (point indices, ``x < y``) of the clusters merged at each
        step, in the order the chain found them (not sorted by height).
    height : ndarray of shape (n - 1,), float64
        The Ward distance of each merge,
        ``d(A, B) = sqrt(2 |A||B| / (|A|+|B|)) * ||c_A - c_B||``,
        which equals the Lance–Williams recursion scipy uses on Euclidean
        distances.

    Notes
    -----
    The chain grows from a cluster to its nearest neighbour until the last two
    are each other's nearest neighbours; they merge, and the chain continues
    from what is left. Ward's distance is *reducible* (a merged cluster is
    never nearer to a third one than the nearer of its parts), so the rest of
    the chain stays valid, and each merge is a step of the greedy algorithm.
    The merged centroid is the size-weighted mean
    ``c = (|A| c_A + |B| c_B) / (|A| + |B|)``.
    """
    n = X.shape[0]
    Ct = _feature_major(X)  # centroids
    size = np.ones(n)
    slot = np.arange(n)  # the point index (scipy's slot id) of each row
    alive = np.ones(n, dtype=np.bool_)
    chain = np.empty(n, dtype=np.int64)
    buf = np.empty(n)
    out_x = np.empty(n - 1, dtype=np.int64)
    out_y = np.empty(n - 1, dtype=np.int64)
    height = np.empty(n - 1)

    m = n  # rows in use (alive and dead)
    n_alive = n
    length = 0
    for k in range(n - 1):
        if length == 0:
            # start a chain at the lowest alive slot, as scipy does
            i = 0
            while not alive[i]:
                i += 1
            chain[0] = i
            length = 1
        while True:
            a = chain[length - 1]
            b, cost = _ward_nearest(Ct, size, a, m, buf)
            if length > 1:
                prev = chain[length - 2]
                prev_cost = _ward_cost(Ct, size, a, prev)
                if prev_cost <= cost:
                    b = prev
                    cost = prev_cost
                    break
            chain[length] = b
            length += 1
        length -= 2
        # a and b are reciprocal nearest neighbours: merge them into the
        # higher slot, like scipy
        lo, hi = (a, b) if slot[a] < slot[b] else (b, a)
        out_x[k] = slot[lo]
        out_y[k] = slot[hi]
        height[k] = math.sqrt(2.0 * cost)
        s = size[lo] + size[hi]
        for t in range(Ct.shape[0]):
            Ct[t, hi] = (size[lo] * Ct[t, lo] + size[hi] * Ct[t, hi]) / s
            Ct[t, lo] = np.inf
        size[hi] = s
        alive[lo] = False
        n_alive -= 1
        # compacting costs O(m·d), about one scan, so do it as soon as an
        # eighth of the rows are dead: scans then waste at most 1/8 of their work
        if n_alive <= m - m // 8 and m > 64:
            _remap_chain(chain, length, alive, m)
            _compact_columns(Ct, alive, m)
            _compact_rows(size, alive, m)
            _compact_rows(slot, alive, m)
            _compact_rows(alive, alive, m)
            m = n_alive
    return out_x, out_y, height


# ---------------------------------------------------------------------------
# complete and average linkage: nearest-neighbour chain on a distance matrix
# ---------------------------------------------------------------------------
@jit(inline="always")
def _row_nearest(D, a, m, penalty):
    """Nearest alive slot to ``a`` in the ``m × m`` matrix stored flat in ``D``.

    ``penalty[j]`` is 0 for an alive slot and +inf for a dead one, and the
    diagonal holds +inf, so the scan is the argmin (lowest slot on ties) of
    ``D[a, :] + penalty``: two contiguous reads, no branch. (Writing +inf
    into a dead slot's column instead would cost a cache miss per row.)
    The minimum is taken in a first pass with no index to carry (it
    vectorises), the first slot holding it in a second pass that stops there
    (half a row on average); nothing is written.
    """
    # a view of the row, indexed from 0: with ``D[a * m + j]`` Numba keeps a
    # negative-index check in the loop and it does not vectorise (30% slower)
    row = D[a * m : a * m + m]
    bv = np.inf
    for j in range(m):
        x = row[j] + penalty[j]
        bv = x if x < bv else bv
    for j in range(m):
        if row[j] + penalty[j] == bv:
            return j, bv
    return -1, bv


@jit(inline="always")
def _catch_up_row(D, m, r, written, pending, n_pending, born):
    """Bring row ``r`` up to date with the pending columns (see :func:`nn_chain_matrix`).

    A pending slot ``c`` born after row ``r`` was last written holds a stale
    value in ``D[r, c]``; the exact one is ``D[c, r]`` (row ``c`` was exact
    when ``c`` was born, and ``r`` has not changed since). At most
    ``n_pending`` gathers; ``written[r]`` then becomes the current time.
    """
    w = written[r]
    for t in range(n_pending):
        c = pending[t]
        if born[t] > w:
            D[r * m + c] = D[c * m + r]


@jit(parallel=True)
def _flush_columns(D, m, alive, written, pending, n_pending, born, now):
    """Write the pending columns into every alive row, row after row.

    The deferred half of the Lance–Williams update: ``D[i, c] = D[c, i]`` for
    each pending slot ``c`` and each alive row ``i`` that has not seen it
    yet. Grouping the writes by row (``n_pending`` of them in one row, then
    the next row) instead of by column measured twice as fast: each write
    still touches its own cache line, but consecutive ones share a page and
    the reads ``D[c, i]`` run along ``n_pending`` contiguous rows.

    The rows go to the threads (a flush is tens of milliseconds of scattered
    writes, worth a parallel region). No race: a thread writes only its own
    rows, and the one entry it reads that another thread may write,
    ``D[c, i]`` with both ``c`` and ``i`` pending, is written only when
    ``c`` was born after ``i``, and then the other thread, in row ``c``,
    leaves ``D[c, i]`` alone (``i`` was born before ``c`` was last written).
    """
    for i in prange(m):
        if alive[i]:
            w = written[i]
            for t in range(n_pending):
                if born[t] > w:
                    c = pending[t]
                    D[i * m + c] = D[c * m + i]
            written[i] = now


@jit(inline="always")
def _lance_williams(D, m, lo, hi, n_lo, n_hi, method):
    """Row ``hi`` becomes the distances from the union of slots ``lo`` and ``hi``.

    complete: ``d(A∪B, C) = max(d(A, C), d(B, C))``;
    average:  ``d(A∪B, C) = (|A| d(A, C) + |B| d(B, C)) / (|A| + |B|)``
    (the same expressions as scipy's, so the heights agree bit for bit).

    Only the row is written (contiguous); the column, one strided write per
    row and the costly part of the update, is deferred to
    :func:`_flush_columns`. Slot ``lo`` dies: its row and column are left as
    they are, the scans' penalty hides it.
    """
    # row views indexed from 0 (see _row_nearest); one loop per method: a
    # test inside the loop kept it from vectorising
    row_lo = D[lo * m : lo * m + m]
    row_hi = D[hi * m : hi * m + m]
    if method == COMPLETE:
        for i in range(m):
            d_lo = row_lo[i]
            d_hi = row_hi[i]
            row_hi[i] = d_lo if d_lo > d_hi else d_hi
    else:
        for i in range(m):
            row_hi[i] = (n_lo * row_lo[i] + n_hi * row_hi[i]) / (n_lo + n_hi)
    row_hi[hi] = np.inf


@jit
def _compact_matrix(D, alive, m):
    """Keep the rows and columns of the alive slots, packed as an ``m' × m'`` matrix.

    In place on the flat buffer: destination ``r*m' + c`` never lies after
    its source ``a_r*m + a_c`` (``r <= a_r``, ``c <= a_c``, ``m' <= m``), and
    destinations are written in increasing order, so no unread source is
    overwritten.
    """
    keep = np.empty(m, dtype=np.int64)
    w = 0
    for i in range(m):
        if alive[i]:
            keep[w] = i
            w += 1
    for r in range(w):
        src = keep[r] * m
        dst = r * w
        for c in range(w):
            D[dst + c] = D[src + keep[c]]
    return w


# Column writes deferred per batch (see nn_chain_matrix). A flush costs about
# one cache miss per row and batch, whatever the batch size, so big batches
# pay; but each scan gathers up to one value per pending slot. Measured at
# n = 16,000: flushes took 2.5 s with 32, 1.4 s with 512, 1.0-1.2 s with 1024.
MAX_PENDING = 512


@jit
def nn_chain_matrix(D, method):
    """Complete or average linkage by the nearest-neighbour chain.

    Parameters
    ----------
    D : ndarray of shape (n * n,), float64, INOUT
        The square distance matrix, flattened row by row. It is overwritten
        (the kernel's workspace) and holds garbage on return.
    method : int, IN
        :data:`COMPLETE` or :data:`AVERAGE`.

    Returns
    -------
    x, y : ndarray of shape (n - 1,), int64
        The slots (``x < y``) merged at each step, in the order found.
    height : ndarray of shape (n - 1,), float64
        The linkage distance of each merge.

    Notes
    -----
    A square matrix rather than scipy's condensed one: the nearest-neighbour
    search, which runs ~2–3 times per merge, reads one contiguous row instead
    of half a row plus a column spread over the condensed vector. The price
    is twice the memory (8·n² bytes) and the column of each new cluster,
    one write per row into its own cache line: that is most of the time.

    Those column writes are deferred: the slots of up to
    :data:`MAX_PENDING` new clusters wait in ``pending`` (with the time each
    was born), then :func:`_flush_columns` writes them row by row. Until
    then a row ``r`` may hold stale values in the pending columns; every row
    read for a decision (the chain's last two elements) is first caught up
    (:func:`_catch_up_row`, one gather per pending slot born after the row was
    last written, ``written[r]``). The values, hence the merges, are exactly
    those of the eager update.
    """
    n2 = D.shape[0]
    n = int(round(math.sqrt(n2)))
    for i in range(n):
        D[i * n + i] = np.inf
    size = np.ones(n)
    slot = np.arange(n)
    alive = np.ones(n, dtype=np.bool_)
    penalty = np.zeros(n)
    chain = np.empty(n, dtype=np.int64)
    written = np.zeros(n, dtype=np.int64)  # time each row was last exact
    pending = np.empty(MAX_PENDING, dtype=np.int64)
    born = np.empty(MAX_PENDING, dtype=np.int64)
    n_pending = 0
    out_x = np.empty(n - 1, dtype=np.int64)
    out_y = np.empty(n - 1, dtype=np.int64)
    height = np.empty(n - 1)

    m = n
    n_alive = n
    length = 0
    for k in range(n - 1):
        now = k + 1  # merge k happens at time k + 1; the start is time 0
        if length == 0:
            i = 0
            while not alive[i]:
                i += 1
            chain[0] = i
            length = 1
        while True:
            a = chain[length - 1]
            _catch_up_row(D, m, a, written, pending, n_pending, born)
            written[a] = now - 1
            b, dist = _row_nearest(D, a, m, penalty)
            if length > 1:
                prev = chain[length - 2]
                prev_dist = D[a * m + prev]
                if prev_dist <= dist:
                    b = prev
                    dist = prev_dist
                    break
            chain[length] = b
            length += 1
        length -= 2
        _catch_up_row(D, m, b, written, pending, n_pending, born)
        lo, hi = (a, b) if slot[a] < slot[b] else (b, a)
        out_x[k] = slot[lo]
        out_y[k] = slot[hi]
        height[k] = dist
        alive[lo] = False
        penalty[lo] = np.inf
        _lance_williams(D, m, lo, hi, size[lo], size[hi], method)
        size[hi] += size[lo]
        n_alive -= 1
        written[hi] = now
        # queue column hi (dropping an older entry for the same slot, and
        # the entry of lo, whose column is dead)
        w = 0
        for t in range(n_pending):
            if pending[t] != hi and pending[t] != lo:
                pending[w] = pending[t]
                born[w] = born[t]
                w += 1
        pending[w] = hi
        born[w] = now
        n_pending = w + 1
        # a small matrix sits in cache, where eager column writes are cheap
        if n_pending >= min(MAX_PENDING, 1 + m // 16):
            _flush_columns(D, m, alive, written, pending, n_pending, born, now)
            n_pending = 0
        if n_alive <= m // 2 and m > 64:
            if n_pending > 0:
                _flush_columns(D, m, alive, written, pending, n_pending, born, now)
                n_pending = 0
            _remap_chain(chain, length, alive, m)
            _compact_matrix(D, alive, m)
            _compact_rows(size, alive, m)
            _compact_rows(slot, alive, m)
            _compact_rows(written, alive, m)
            _compact_rows(alive, alive, m)
            m = n_alive
            penalty[:m] = 0.0
    return out_x, out_y, height


# ---------------------------------------------------------------------------
# from merges of points to scipy's linkage matrix; cutting the tree
# ---------------------------------------------------------------------------
@jit
def _find(parent, i):
    root = i
    while parent[root] != root:
        root = parent[root]
    # path compression: point every node on the way straight at the root
    while parent[i] != root:
        nxt = parent[i]
        parent[i] = root
        i = nxt
    return root


@jit
def label_merges(a, b, n, smaller_first):
    """Cluster ids and sizes of merges given as pairs of points.

    Parameters
    ----------
    a, b : ndarray of shape (n - 1,), int64, IN
        Merge ``k`` joins the cluster holding point ``a[k]`` with the one
        holding point ``b[k]``; merges are in height order.
    n : int, IN
        Number of points.
    smaller_first : bool, IN
        Put the smaller cluster id first in each row (scipy's convention);
        otherwise keep the order of ``a`` and ``b`` (scikit-learn's single
        linkage).

    Returns
    -------
    left, right : ndarray of shape (n - 1,), int64
        Cluster ids: points are ``0..n-1`` and merge ``k`` creates ``n + k``.
    size : ndarray of shape (n - 1,), int64
        Number of points in the new cluster.
    """
    parent = np.arange(2 * n - 1)
    count = np.ones(2 * n - 1, dtype=np.int64)
    left = np.empty(n - 1, dtype=np.int64)
    right = np.empty(n - 1, dtype=np.int64)
    size = np.empty(n - 1, dtype=np.int64)
    for k in range(n - 1):
        ra = _find(parent, a[k])
        rb = _find(parent, b[k])
        if smaller_first and rb < ra:
            ra, rb = rb, ra
        left[k] = ra
        right[k] = rb
        new = n + k
        parent[ra] = new
        parent[rb] = new
        count[new] = count[ra] + count[rb]
        size[k] = count[new]
    return left, right, size


@jit
def assign_cut(children, n, roots):
    """Label each point with the index of the cut node above it.

    Parameters
    ----------
    children : ndarray of shape (n - 1, 2), int64, IN
        Node ``n + k`` has children ``children[k]``.
    n : int, IN
    roots : ndarray of shape (n_clusters,), int64, IN
        The nodes of the cut; every point lies below exactly one.

    Returns
    -------
    labels : ndarray of shape (n,), int64
        ``labels[i] = c`` when point ``i`` descends from ``roots[c]``.
    """
    lab = np.full(2 * n - 1, -1, dtype=np.int64)
    for c in range(roots.shape[0]):
        lab[roots[c]] = c
    # children have lower ids than their parent: one sweep downwards
    for node in range(2 * n - 2, n - 1, -1):
        if lab[node] >= 0:
            lab[children[node - n, 0]] = lab[node]
            lab[children[node - n, 1]] = lab[node]
    return lab[:n].copy()


@jit
def prim_mst_precomputed(D):
    """Prim's minimum spanning tree from a square distance matrix.

    The same algorithm and outputs as :func:`prim_mst`, reading the distances
    from row ``cur`` of ``D`` (IN, shape (n, n)) instead of computing them.
    """
    n = D.shape[0]
    in_tree = np.zeros(n, dtype=np.bool_)
    best = np.full(n, np.inf)
    src = np.empty(n - 1, dtype=np.int64)
    dst = np.empty(n - 1, dtype=np.int64)
    weight = np.empty(n - 1)
    cur = 0
    for k in range(n - 1):
        in_tree[cur] = True
        bj = -1
        bv = np.inf
        for j in range(n):
            if in_tree[j]:
                continue
            v = D[cur, j]
            if v < best[j]:
                best[j] = v
            if bj < 0 or best[j] < bv:
                bv = best[j]
                bj = j
        src[k] = cur
        dst[k] = bj
        weight[k] = bv
        cur = bj
    return src, dst, weight


@jit
def mirror_upper(D):
    """Copy the upper triangle of the square matrix ``D`` (INOUT) onto the lower one."""
    n = D.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            D[j, i] = D[i, j]
