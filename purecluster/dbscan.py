"""DBSCAN: density-based clustering with scikit-learn's exact labels, in O(n) memory.

The algorithm, as this module runs it:

1. **Neighbourhoods.** Point ``j`` is a neighbour of ``i`` when
   ``dist(i, j) <= eps``; every point is its own neighbour.
2. **Core points.** ``i`` is core when the (weighted) size of its
   neighbourhood is at least ``min_samples``.
3. **Clusters.** Two core points that are neighbours belong to the same
   cluster: clusters are the connected components of the core points (found
   with union–find). scikit-learn numbers them in the order of their smallest
   core index, and so do we.
4. **Border points.** A non-core point within ``eps`` of core points joins a
   cluster: the one with the smallest number among them (scikit-learn grows
   clusters one after another, and the first to reach a point keeps it). A
   point near no core point is noise, labelled -1.

Neighbourhoods are never stored. In low dimensions a grid of cells of side
``eps / d**(1/p)`` makes each question local (:func:`grid_dbscan`); otherwise
blocks of rows are compared with all points (:func:`blocked_dbscan`), or, for
euclidean by BLAS, strips of the upper triangle (:func:`gemm_dbscan`). See
``docs/dbscan.md`` for the details, the costs and why both are exact.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass

import numba
import numpy as np

from . import _dbscan_kernels as K
from ._base import BaseEstimator, ClusterMixin
from ._jit import num_threads, register_warmup
from ._validation import Interval, StrOptions, check_sample_weight

__all__ = ["DBSCAN", "DBSCANTrace", "dbscan", "grid_dbscan", "blocked_dbscan", "gemm_dbscan"]

# metric name -> kernel code (see _dbscan_kernels); aliases as in scikit-learn
_MINKOWSKI_FAMILY = {
    "euclidean": K.EUCLIDEAN,
    "l2": K.EUCLIDEAN,
    "manhattan": K.MANHATTAN,
    "cityblock": K.MANHATTAN,
    "l1": K.MANHATTAN,
    "chebyshev": K.CHEBYSHEV,
    "minkowski": K.MINKOWSKI,
}
_METRICS = set(_MINKOWSKI_FAMILY) | {"cosine", "precomputed"}

# The grid is used up to this many features (measured crossover, docs/dbscan.md):
# beyond it the 3**d - 1 (or more) neighbouring cells cost more than blocks.
GRID_MAX_FEATURES = 4
# Cells are shrunk by this relative margin, so that two points of one cell are
# within eps even after floating-point rounding (see docs/dbscan.md).
_GRID_MARGIN = 1e-6
# Elements of one "within eps" block (bool; float64 while a BLAS metric builds it).
_BLOCK_ELEMENTS = 1 << 22
# Largest "within eps" matrix kept whole (bool entries): exact growth, no recomputation.
_KEEP_ELEMENTS = 1 << 26
# Fewest rows handed to BLAS at once (see _rows_times).
_MIN_GEMM_ROWS = 128
# Rows of one strip of the upper triangle (gemm_dbscan): tall enough that BLAS
# runs at full speed, short enough that a strip against all points stays small.
_STRIP_ROWS = 512


# ---------------------------------------------------------------------------
# the trace
# ---------------------------------------------------------------------------
@dataclass
class DBSCANTrace:
    """What DBSCAN did, for teaching and plotting (``DBSCAN(trace=True).trace_``).

    Attributes
    ----------
    role : ndarray of shape (n_samples,), int8
        0 noise, 1 border, 2 core (names in ``ROLE_NAMES``).
    seeds : ndarray of shape (n_clusters,), int64
        The point each cluster grew from: its smallest core index.
    order : ndarray of shape (n_clustered,), int64
        The clustered points in the order they were reached: cluster 0's
        first, grown breadth-first from its seed (neighbours in index
        order), then cluster 1's, ...
    cluster_ptr : ndarray of shape (n_clusters + 1,), int64
        Cluster ``k``'s points are ``order[cluster_ptr[k]:cluster_ptr[k + 1]]``.
    parent : ndarray of shape (n_samples,), int64
        The core point that reached each point (-1 for seeds and noise).
    depth : ndarray of shape (n_samples,), int64
        Number of hops from the seed (0 for seeds, -1 for noise).
    path : str
        "grid" or "blocks": how neighbours were found.
    cell_side : float or None
        The grid's cell side (None for blocks).
    """

    role: np.ndarray
    seeds: np.ndarray
    order: np.ndarray
    cluster_ptr: np.ndarray
    parent: np.ndarray
    depth: np.ndarray
    path: str
    cell_side: float | None

    ROLE_NAMES = ("noise", "border", "core")


# ---------------------------------------------------------------------------
# how two points are compared: one "pair test" per metric family
# ---------------------------------------------------------------------------
class _PairTest:
    """Decides "within eps" for blocks of pairs, with one arithmetic for the whole fit.

    ``block(rows, cols)`` returns the boolean matrix for ``rows`` (indices)
    against ``cols`` (sorted indices); ``neighbours(i)`` the sorted indices
    within eps of point ``i``.
    """

    def __init__(self, X, eps, kind, code=K.EUCLIDEAN, p=2.0, single=False):
        self.X = X
        self.eps = eps
        self.kind = kind
        self.code = code
        self.p = float(p)
        self.single = single
        self._cols_key = None
        if kind == "direct":
            self.threshold = _reduced_radius(eps, code, p, single)
        elif kind == "gemm":
            # scikit-learn's brute-force euclidean: |x|^2 - 2 x.y + |y|^2 in
            # float64, compared with eps^2 (rounded to float32 for float32 data)
            self.X64 = np.asarray(X, dtype=np.float64)
            self.sq_norms = _blas_squared_norms(self.X64)
            self.threshold = _reduced_radius(eps, K.EUCLIDEAN, 2.0, single)
        elif kind == "cosine":
            # scikit-learn's cosine distances: 1 - <x/|x|, y/|y|>, clipped to
            # [0, 2], in X's dtype; zero rows stay zero
            norms = np.sqrt(np.einsum("ij,ij->i", X, X))
            norms[norms < 10 * np.finfo(norms.dtype).eps] = 1.0
            self.Xn = X / norms[:, None]

    def _columns(self, cols):
        if self._cols_key is not cols:
            self._cols_key = cols
            if self.kind == "direct":
                self._Y = _rows(self.X, cols)
            elif self.kind == "gemm":
                self._Y = _rows(self.X64, cols)
                self._Y_sq = self.sq_norms[cols]
            elif self.kind == "cosine":
                self._Y = _rows(self.Xn, cols)
        return cols

    def block(self, rows, cols):
        self._columns(cols)
        if self.kind == "precomputed":
            return self.X[np.ix_(rows, cols)] <= self.eps
        if self.kind == "direct":
            out = np.empty((rows.shape[0], cols.shape[0]), dtype=np.bool_)
            K.within_block(
                self.X, rows, self._Y, self.code, self.p, self.single, self.threshold, out
            )
            return out
        if self.kind == "gemm":
            out = np.empty((rows.shape[0], cols.shape[0]), dtype=np.bool_)
            dots = _rows_times(self.X64, rows, self._Y)
            K.gemm_within(dots, self.sq_norms[rows], self._Y_sq, self.threshold, out)
            return out
        # cosine
        S = _rows_times(self.Xn, rows, self._Y)
        S *= -1
        S += 1
        np.clip(S, 0.0, 2.0, out=S)
        # a point is at distance 0 from itself (scikit-learn sets the diagonal)
        pos = np.minimum(np.searchsorted(cols, rows), cols.shape[0] - 1)
        hit = cols[pos] == rows
        S[np.flatnonzero(hit), pos[hit]] = 0.0
        return S <= self.eps

    def neighbours(self, i):
        cols = np.arange(self.X.shape[0])
        return np.flatnonzero(self.block(np.array([i], dtype=np.int64), cols)[0])


def _blas_squared_norms(X64):
    """``|x_i|^2`` by BLAS's dot product, row by row, as scikit-learn's brute force has them.

    Its pairwise-distance code takes each row's squared norm from BLAS
    ``ddot``, whose rounding depends on the CPU's kernel: on AVX-512 it
    accumulates with fused multiply-adds, ``fma(x_1, x_1, x_0 x_0)``, where
    ``einsum`` rounds each product. A pair exactly eps apart can fall on
    either side of eps by that last bit, so the norms come from the same
    routine (NumPy's ``dot`` of two float64 vectors calls ``ddot``). One
    Python call per row costs about 0.5 µs, nothing against the O(n² d)
    products of this path.
    """
    out = np.empty(X64.shape[0])
    for i in range(X64.shape[0]):
        row = X64[i]
        out[i] = np.dot(row, row)
    return out


def _rows(A, rows):
    """``A[rows]`` for a 2-D array: ``np.take`` is several times faster than
    fancy indexing on few columns (0.06 s against 0.45 s for 1M x 2)."""
    return np.take(A, rows, axis=0)


def _rows_times(A, rows, Y):
    """``A[rows] @ Y.T``, with the same rounding whatever rows are asked for.

    BLAS rounds a matrix-vector product (one row) differently from a
    matrix-matrix product, so a pair could be "within eps" in one pass and
    not in the next. Padding short blocks with zero rows keeps every call on
    the same matrix-matrix path, whose entries match the full product's.
    """
    m = rows.shape[0]
    if m >= _MIN_GEMM_ROWS:
        return _rows(A, rows) @ Y.T
    padded = np.zeros((_MIN_GEMM_ROWS, A.shape[1]), dtype=A.dtype)
    padded[:m] = _rows(A, rows)
    return (padded @ Y.T)[:m]


def _product(A, B, buffer=None):
    """``A @ B.T`` on BLAS's matrix-matrix path, whatever the shapes.

    Operands shorter than ``_MIN_GEMM_ROWS`` rows are padded with zero rows (see
    :func:`_rows_times`); the result is C-contiguous. With ``buffer`` (flat,
    at least ``len(A) * len(B)`` floats) the product is written there: a new
    array of this size per strip would cost its page faults every time
    (about as long as the product itself for 64 features).
    """
    m, w = A.shape[0], B.shape[0]
    if buffer is not None and m >= _MIN_GEMM_ROWS and w >= _MIN_GEMM_ROWS:
        return np.matmul(A, B.T, out=buffer[: m * w].reshape(m, w))
    if m < _MIN_GEMM_ROWS:
        A = np.concatenate([A, np.zeros((_MIN_GEMM_ROWS - m, A.shape[1]), A.dtype)])
    if w < _MIN_GEMM_ROWS:
        B = np.concatenate([B, np.zeros((_MIN_GEMM_ROWS - w, B.shape[1]), B.dtype)])
    out = A @ B.T
    if out.shape != (m, w):
        out = np.ascontiguousarray(out[:m, :w])
    return out


def _strip_shape(align=1):
    """Most rows and columns of one strip (multiples of ``align``)."""
    rows = max(align, _STRIP_ROWS // align * align)
    width = max(_MIN_GEMM_ROWS, _BLOCK_ELEMENTS // rows) // align * align
    return rows, width


def _upper_strips(n, first=0, align=1):
    """Strips ``(i0, i1, c0, c1)`` covering the upper triangle (diagonal included).

    Rows ``i0:i1`` (``_STRIP_ROWS`` at most) against columns ``c0:c1`` with
    ``c0 >= i0``; a strip has at most about ``_BLOCK_ELEMENTS`` entries. With
    ``align``, strips' heights and widths are multiples of it (so every
    ``c0`` is too).
    """
    rows, width = _strip_shape(align)
    for i0 in range(first, n, rows):
        i1 = min(n, i0 + rows)
        for c0 in range(i0, n, width):
            yield i0, i1, c0, min(n, c0 + width)


def _gemm_upper(X64, sq_norms, threshold, min_samples, weights):
    """:func:`gemm_dbscan` from the upper triangle alone, kept as bits.

    One pass over the strips keeps the forward answers of the upper triangle
    (packed 8 pairs a byte: n²/16 bytes touched, 13 MB at n = 14,376) and
    counts every neighbourhood; the backward answers, computed from the same
    dot products, are only counted and compared with the forward ones. When
    they all agree, the relation is symmetric and the labels follow from the
    upper triangle (:func:`~purecluster._dbscan_kernels.upper_labels`): no
    transposed writes, no second product. Returns None when some pair is
    within eps in one direction only (BLAS rounding at exactly eps): the
    caller then takes the exact general route.

    With uneven weights, the weighted sizes are added from the same answers
    (:func:`~purecluster._dbscan_kernels.strip_weighted_counts`), in index
    order like the other routes.
    """
    n = X64.shape[0]
    unit = bool(np.all(weights == 1))
    weighted = np.zeros(n)
    row_bytes = 8 * ((n + 63) // 64)  # whole 64-bit words per row
    bits = np.zeros((n, row_bytes), dtype=np.uint8)  # pages below the diagonal stay untouched
    counts = np.zeros(n, dtype=np.int64)
    rows, width = _strip_shape(align=8)
    width = min(width, n)  # no wider than the data (small n: small buffers)
    buffer = np.empty(rows * max(width, _MIN_GEMM_ROWS))
    forward = np.empty((rows, width), dtype=np.uint8)
    for i0, i1, c0, c1 in _upper_strips(n, align=8):  # c0 on a byte of `bits`
        dots = _product(X64[i0:i1], X64[c0:c1], buffer)
        if K.strip_upper(dots, i0, i1, c0, sq_norms, threshold, counts, forward):
            return None
        if c0 == i0 and K.block_asymmetry(forward, 0, i1 - i0):
            return None
        if not unit:
            K.strip_weighted_counts(forward, i0, i1, c0, c1 - c0, weights, weighted)
        packed = np.packbits(forward[: i1 - i0, : c1 - c0], axis=1, bitorder="little")
        bits[i0:i1, c0 // 8 : c0 // 8 + packed.shape[1]] = packed
    is_core = (counts if unit else weighted) >= min_samples
    labels = np.empty(n, dtype=np.int64)
    K.upper_labels(bits, bits.view(np.uint64), is_core, labels)
    return is_core, labels


def gemm_dbscan(X64, sq_norms, threshold, min_samples, weights):
    """Euclidean DBSCAN by BLAS products over the upper triangle only. Memory O(n).

    The same test as the "gemm" pair test, ``max(0, (|x_i|^2 - 2 x_i.x_j) +
    |x_j|^2) <= eps^2`` with the query ``i``'s norm first, but each dot
    product is computed once and serves both ``(i, j)`` and ``(j, i)``: half
    of the flops of scikit-learn's brute force. Three routes, the first that
    applies:

    * ``n² <= 8 * _KEEP_ELEMENTS`` and a symmetric relation:
      :func:`_gemm_upper`, one pass, the upper triangle kept as bits;
    * ``n² <= _KEEP_ELEMENTS``: the whole "within eps" matrix kept (bytes),
      then clusters grown exactly as scikit-learn grows them;
    * otherwise pass 1 finds the core points, pass 2 joins core points (core
      x core strips, upper triangle) and pass 3 applies the border rule
      (non-core x core strips).

    Parameters
    ----------
    X64 : ndarray of shape (n, d), float64
    sq_norms : ndarray of shape (n,), float64
        ``|x_i|^2``.
    threshold : float
        eps^2 (rounded to float32 for float32 data, as scikit-learn).
    min_samples : int
    weights : ndarray of shape (n,)

    Returns
    -------
    is_core : ndarray of shape (n,), bool
    labels : ndarray of shape (n,), int64
    """
    n = X64.shape[0]
    if n * n <= 8 * _KEEP_ELEMENTS:  # the same 64 MB as the kept matrix, as bits
        found = _gemm_upper(X64, sq_norms, threshold, min_samples, weights)
        if found is not None:
            return found
    labels = np.empty(n, dtype=np.int64)
    strip_rows, width = _strip_shape()
    # one buffer for every product of every pass
    buffer = np.empty(strip_rows * max(min(width, n), _MIN_GEMM_ROWS))
    if n * n <= _KEEP_ELEMENTS:
        bytes_ = np.empty((n, n), dtype=np.uint8)  # 0/1 once the strips are done
        for i0, i1, c0, c1 in _upper_strips(n):
            dots = _product(X64[i0:i1], X64[c0:c1], buffer)
            K.strip_within(dots, i0, i1, c0, sq_norms, threshold, bytes_)
        within = bytes_.view(np.bool_)
        counts = np.empty(n, dtype=np.float64)
        if np.all(weights == 1):
            K.row_counts(within, counts)
        else:
            K.block_weighted_counts(within, weights, counts)
        is_core = counts >= min_samples
        K.grow_clusters(within, is_core, labels)
        return is_core, labels

    if np.all(weights == 1):
        # integer counts by the vectorised serial kernel (its answers go to a scratch)
        counts = np.zeros(n, dtype=np.int64)
        forward = np.empty((strip_rows, width), dtype=np.uint8)  # unused here
        for i0, i1, c0, c1 in _upper_strips(n):
            dots = _product(X64[i0:i1], X64[c0:c1], buffer)
            K.strip_upper(dots, i0, i1, c0, sq_norms, threshold, counts, forward)
    else:
        counts = np.zeros(n, dtype=np.float64)
        for i0, i1, c0, c1 in _upper_strips(n):
            dots = _product(X64[i0:i1], X64[c0:c1], buffer)
            K.strip_counts(dots, i0, i1, c0, sq_norms, threshold, weights, counts)
    is_core = counts >= min_samples
    core = np.flatnonzero(is_core)
    c = core.shape[0]
    C = _rows(X64, core)
    core_sq = sq_norms[core]
    parent = np.arange(c, dtype=np.int64)
    for i0, i1, c0, c1 in _upper_strips(c):
        dots = _product(C[i0:i1], C[c0:c1], buffer)
        K.strip_union(dots, i0, i1, c0, core_sq, threshold, parent)
    K.flatten_forest(parent)
    # roots are the smallest position in their component, and core is sorted:
    # numbering roots in position order is numbering by smallest core index
    core_labels = np.cumsum(parent == np.arange(c)) - 1
    labels[:] = -1
    labels[core] = core_labels[parent]
    others = np.flatnonzero(~is_core)
    for a0 in range(0, others.shape[0], strip_rows):
        rows = others[a0 : a0 + strip_rows]
        R = _rows(X64, rows)
        best = np.full(rows.shape[0], -1, dtype=np.int64)
        for c0 in range(0, c, width):
            dots = _product(R, C[c0 : c0 + width], buffer)
            K.rows_border_labels(
                dots,
                sq_norms[rows],
                core_sq[c0 : c0 + width],
                labels[core[c0 : c0 + width]],
                threshold,
                best,
            )
            del dots
        labels[rows] = best
    return is_core, labels


def _reduced_radius(eps, code, p, single):
    """The threshold rdist is compared with (scikit-learn's ``_dist_to_rdist``)."""
    if single:
        e = np.float32(eps)
        if code == K.EUCLIDEAN:
            return float(e * e)
        if code == K.MINKOWSKI:
            return float(np.float32(float(e) ** p))
        return float(e)
    e = float(eps)
    if code == K.EUCLIDEAN:
        return e * e
    if code == K.MINKOWSKI:
        return e**p
    return e


# ---------------------------------------------------------------------------
# stage functions on plain arrays
# ---------------------------------------------------------------------------
def number_clusters(smallest_core):
    """Cluster numbers of union–find roots, in scikit-learn's order.

    Parameters
    ----------
    smallest_core : ndarray of shape (n_roots,), int64
        The smallest core index of each root's component.

    Returns
    -------
    ndarray of shape (n_roots,), int64
        0 for the component with the smallest core index, 1 for the next, ...
    """
    ranks = np.empty(smallest_core.shape[0], dtype=np.int64)
    ranks[np.argsort(smallest_core, kind="stable")] = np.arange(smallest_core.shape[0])
    return ranks


def grid_layout(X, eps, code=K.EUCLIDEAN, p=2.0):
    """Sort the points into cells of side ``eps / d**(1/p)`` (slightly shrunk).

    Returns None when the grid would not fit in 64-bit cell keys or its cells
    are too small for the coordinates' precision (the caller then uses blocks).

    Returns
    -------
    dict
        ``order`` (sorted position -> original index), ``cell_start``,
        ``cell_keys``, ``cell_coords``, ``cell_of``, ``extents``,
        ``strides``, ``offsets``, ``half_offsets``, ``side``.
    """
    n, d = X.shape
    root = {K.EUCLIDEAN: 2.0, K.MANHATTAN: 1.0, K.CHEBYSHEV: math.inf}.get(code, p)
    side = float(eps) / (d ** (1.0 / root)) * (1.0 - _GRID_MARGIN)
    lo, hi = K.bounding_box(X)
    # cell indices must be accurate to far better than the margin
    if max(np.abs(lo).max(), np.abs(hi).max()) * 2.0**-52 > side * 1e-8:
        return None
    extents = [int((h - l) / side) + 2 for l, h in zip(lo, hi, strict=True)]
    if max(extents) > 2**30 or math.prod(extents) > 2**62:
        return None
    extents = np.array(extents, dtype=np.int64)
    strides = np.ones(d, dtype=np.int64)
    for k in range(d - 2, -1, -1):
        strides[k] = strides[k + 1] * extents[k + 1]
    coords = np.empty((n, d), dtype=np.int64)
    keys = np.empty(n, dtype=np.int64)
    K.cell_coordinates(X, lo, side, strides, coords, keys)
    n_keys = int(np.prod(extents))
    # a counting sort when there are few possible keys: O(n), no comparisons
    if n_keys <= 4 * n + 1024:
        order = K.counting_sort(keys, n_keys)
    else:
        order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    cell_start = K.cell_starts(sorted_keys)
    first = cell_start[:-1]
    offsets = _neighbour_offsets(d, side, eps, code, p)
    positive = np.array([o[o != 0][0] > 0 for o in offsets], dtype=bool)
    # nearest cells first: they link most often, and later ones are then skipped
    nearest_first = np.argsort(np.abs(offsets).sum(axis=1), kind="stable")
    offsets = offsets[nearest_first]
    positive = positive[nearest_first]
    return {
        "order": order,
        "cell_start": cell_start,
        "cell_keys": np.ascontiguousarray(sorted_keys[first]),
        "cell_coords": _rows(coords, order[first]),
        "cell_of": np.repeat(np.arange(first.shape[0], dtype=np.int64), np.diff(cell_start)),
        "extents": extents,
        "strides": strides,
        "offsets": offsets,
        "half_offsets": np.ascontiguousarray(offsets[positive]),
        "side": side,
        "origin": lo,
    }


def _neighbour_offsets(d, side, eps, code, p):
    """Offsets of the cells that can hold a point within eps of a point of cell 0."""
    reach = int(float(eps) / side) + 1
    axis = np.arange(-reach, reach + 1)
    grid = np.stack(np.meshgrid(*([axis] * d), indexing="ij"), axis=-1).reshape(-1, d)
    grid = grid[np.any(grid != 0, axis=1)]
    # smallest possible gap along each axis, shrunk so rounding cannot drop a cell
    gap = np.maximum(np.abs(grid) - 1, 0) * side * (1.0 - _GRID_MARGIN)
    if code == K.EUCLIDEAN:
        keep = (gap**2).sum(axis=1) <= float(eps) ** 2
    elif code == K.MANHATTAN:
        keep = gap.sum(axis=1) <= float(eps)
    elif code == K.CHEBYSHEV:
        keep = gap.max(axis=1) <= float(eps)
    else:
        keep = (gap**p).sum(axis=1) <= float(eps) ** p
    return np.ascontiguousarray(grid[keep].astype(np.int64))


def grid_dbscan(X, eps, min_samples, weights, code=K.EUCLIDEAN, p=2.0, layout=None):
    """DBSCAN on a grid of cells (Minkowski metrics, low dimension). Memory O(n).

    Parameters
    ----------
    X : ndarray of shape (n, d), float32 or float64
    eps : float
    min_samples : int
    weights : ndarray of shape (n,), non-negative
    code, p : the metric (see ``_dbscan_kernels``)
    layout : dict, optional
        From :func:`grid_layout` (computed when not given).

    Returns
    -------
    is_core : ndarray of shape (n,), bool
    labels : ndarray of shape (n,), int64
    layout : dict
        The grid, plus ``Xs`` (the sorted points) and ``threshold``.
    """
    g = grid_layout(X, eps, code, p) if layout is None else layout
    n = X.shape[0]
    order = g["order"]
    Xs = _rows(X, order)
    ws = weights[order]
    threshold = _reduced_radius(eps, code, p, False)
    common = (g["cell_coords"], g["cell_keys"], g["extents"], g["strides"])
    start = g["cell_start"]
    n_cells = start.shape[0] - 1

    # 1. core points
    is_core_s = np.empty(n, dtype=np.bool_)
    K.grid_core_flags(
        Xs,
        ws,
        start,
        *common,
        g["offsets"],
        g["origin"],
        g["side"],
        code,
        float(p),
        threshold,
        min_samples,
        is_core_s,
    )
    # 2. clusters: union–find over cells linked by a pair of core points
    cell_has_core = np.maximum.reduceat(is_core_s, start[:-1]) if n_cells else is_core_s[:0]
    parent = np.arange(n_cells, dtype=np.int64)
    K.grid_union_cells(
        Xs,
        is_core_s,
        start,
        cell_has_core,
        *common,
        g["half_offsets"],
        g["origin"],
        g["side"],
        code,
        float(p),
        threshold,
        parent,
    )
    K.flatten_forest(parent)
    # 3. numbering in scikit-learn's order: by smallest core index
    smallest = np.full(n_cells, n, dtype=np.int64)
    K.smallest_core_index(is_core_s, order, g["cell_of"], parent, smallest)
    roots = np.flatnonzero((parent == np.arange(n_cells)) & (smallest < n))
    root_label = np.full(n_cells, -1, dtype=np.int64)
    root_label[roots] = number_clusters(smallest[roots])
    cell_label = root_label[parent]
    # 4. labels, with the border rule
    labels_s = np.empty(n, dtype=np.int64)
    K.grid_border_labels(
        Xs,
        is_core_s,
        start,
        cell_label,
        *common,
        g["offsets"],
        g["origin"],
        g["side"],
        code,
        float(p),
        threshold,
        labels_s,
    )
    is_core = np.empty(n, dtype=np.bool_)
    is_core[order] = is_core_s
    labels = np.empty(n, dtype=np.int64)
    labels[order] = labels_s
    g = dict(g, Xs=Xs, threshold=threshold, code=code, p=float(p))
    return is_core, labels, g


def blocked_dbscan(pair_test, n, min_samples, weights):
    """DBSCAN by blocks of rows against all points (any metric).

    Pass 1 computes every point's weighted neighbourhood (core points). When
    the whole boolean "within eps" matrix is small (at most
    ``_KEEP_ELEMENTS`` entries, 64 MB) it is kept and clusters are grown
    exactly as scikit-learn grows them (:func:`grow_clusters`). Otherwise
    nothing is kept: pass 2 joins core points with union–find from blocks of
    core rows, pass 3 applies the border rule from the same rows; memory is
    O(n) plus one block.

    Parameters
    ----------
    pair_test : _PairTest
        Gives the boolean "within eps" block for any rows (columns: all points).
    n : int
    min_samples : int
    weights : ndarray of shape (n,)

    Returns
    -------
    is_core : ndarray of shape (n,), bool
    labels : ndarray of shape (n,), int64
    """
    everyone = np.arange(n, dtype=np.int64)
    keep = n * n <= _KEEP_ELEMENTS
    within = np.empty((n, n), dtype=np.bool_) if keep else None
    counts = np.empty(n, dtype=np.float64)
    rows_per_block = max(1, _BLOCK_ELEMENTS // n)
    for a in range(0, n, rows_per_block):
        rows = everyone[a : a + rows_per_block]
        block = pair_test.block(rows, everyone)
        if keep:
            within[a : a + rows.shape[0]] = block
        out = counts[a : a + rows.shape[0]]  # a view: the kernel fills counts
        K.block_weighted_counts(block, weights, out)
    is_core = counts >= min_samples
    labels = np.empty(n, dtype=np.int64)
    if keep:
        K.grow_clusters(within, is_core, labels)
        return is_core, labels

    core = np.flatnonzero(is_core)
    c = core.shape[0]
    core_id = np.full(n, -1, dtype=np.int64)
    core_id[core] = np.arange(c)
    parent = np.arange(c, dtype=np.int64)
    for a in range(0, c, rows_per_block):
        rows = core[a : a + rows_per_block]
        K.block_union(pair_test.block(rows, everyone), core_id[rows], core_id, parent)
    K.flatten_forest(parent)
    # roots are the smallest position in their component, and core is sorted:
    # numbering roots in position order is numbering by smallest core index
    root_label = np.cumsum(parent == np.arange(c)) - 1
    labels[:] = -1
    labels[core] = root_label[parent]
    for a in range(0, c, rows_per_block):
        rows = core[a : a + rows_per_block]
        K.block_border_labels(pair_test.block(rows, everyone), labels[rows], is_core, labels)
    return is_core, labels


def _grid_trace_neighbours(g):
    """``neighbours(i)`` on the grid, in original indices, sorted."""
    order = g["order"]
    where = np.empty_like(order)
    where[order] = np.arange(order.shape[0])
    buffer = np.empty(order.shape[0], dtype=np.int64)

    def neighbours(i):
        m = K.grid_neighbours(
            g["Xs"],
            where[i],
            g["cell_of"],
            g["cell_start"],
            g["cell_coords"],
            g["cell_keys"],
            g["extents"],
            g["strides"],
            g["offsets"],
            g["code"],
            g["p"],
            g["threshold"],
            buffer,
        )
        return np.sort(order[buffer[:m]])

    return neighbours


def grow_order(is_core, labels, neighbours):
    """Breadth-first growth of each cluster from its seed, for the trace.

    Parameters
    ----------
    is_core : ndarray of shape (n,), bool
    labels : ndarray of shape (n,), int64
    neighbours : callable
        ``neighbours(i)`` -> sorted indices within eps of ``i``.

    Returns
    -------
    seeds, order, cluster_ptr, parent, depth : ndarrays (see :class:`DBSCANTrace`)
    """
    n = labels.shape[0]
    n_clusters = int(labels.max()) + 1 if n else 0
    parent = np.full(n, -1, dtype=np.int64)
    depth = np.full(n, -1, dtype=np.int64)
    seeds = np.empty(n_clusters, dtype=np.int64)
    order = []
    ptr = [0]
    core_idx = np.flatnonzero(is_core)
    seen = np.zeros(n, dtype=bool)
    for k in range(n_clusters):
        seed = int(core_idx[np.argmax(labels[core_idx] == k)])
        seeds[k] = seed
        queue = [seed]
        seen[seed] = True
        depth[seed] = 0
        head = 0
        while head < len(queue):
            i = queue[head]
            head += 1
            if not is_core[i]:
                continue
            for j in neighbours(i):
                if not seen[j] and labels[j] == k:
                    seen[j] = True
                    parent[j] = i
                    depth[j] = depth[i] + 1
                    queue.append(int(j))
        order.extend(queue)
        ptr.append(len(order))
    return seeds, np.array(order, dtype=np.int64), np.array(ptr, dtype=np.int64), parent, depth


# ---------------------------------------------------------------------------
# the estimator
# ---------------------------------------------------------------------------
class DBSCAN(ClusterMixin, BaseEstimator):
    """Density-Based Spatial Clustering of Applications with Noise.

    Same parameters, attributes and labels as ``sklearn.cluster.DBSCAN``,
    computed without storing any neighbourhood: an exact grid for
    low-dimensional Minkowski metrics, blocks of rows otherwise.

    Parameters
    ----------
    eps : float, default=0.5
        Two points are neighbours when their distance is at most ``eps``.
    min_samples : int, default=5
        A point is core when its neighbourhood (itself included) holds at
        least this many points, or this much weight with ``sample_weight``.
    metric : str, default='euclidean'
        'euclidean' ('l2'), 'manhattan' ('cityblock', 'l1'), 'chebyshev',
        'minkowski' (with ``p``), 'cosine' or 'precomputed' (``X`` is a square
        matrix of distances).
    metric_params : dict, default=None
        Extra metric arguments; only ``{'p': ...}`` for 'minkowski'.
    algorithm : {'auto', 'ball_tree', 'kd_tree', 'brute'}, default='auto'
        Accepted for compatibility. 'brute' forces the blocked search (and
        scikit-learn's brute-force arithmetic); the others choose
        automatically (grid or blocks). 'kd_tree'/'ball_tree' refuse the
        metrics scikit-learn's trees refuse.
    leaf_size : int, default=30
        Accepted and validated; there is no tree here, so it has no effect.
    p : float, default=None
        Power of the Minkowski metric (None means 2 for 'minkowski').
    n_jobs : int, default=None
        Number of Numba threads (None: Numba's current setting; -1: all).
        Results never depend on it.
    trace : bool, default=False
        Also record ``trace_`` (see :class:`DBSCANTrace`).

    Attributes
    ----------
    core_sample_indices_ : ndarray of shape (n_core_samples,)
    components_ : ndarray of shape (n_core_samples, n_features)
    labels_ : ndarray of shape (n_samples,)
        Cluster of each point; -1 for noise.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Only when ``X`` has string column names.
    trace_ : DBSCANTrace
        Only with ``trace=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from purecluster import DBSCAN
    >>> X = np.array([[1, 2], [2, 2], [2, 3], [8, 7], [8, 8], [25, 80]])
    >>> DBSCAN(eps=3, min_samples=2).fit(X).labels_
    array([ 0,  0,  0,  1,  1, -1])
    """

    _parameter_constraints: dict = {
        "eps": [Interval(numbers.Real, 0.0, None, closed="neither")],
        "min_samples": [Interval(numbers.Integral, 1, None, closed="left")],
        "metric": [StrOptions(_METRICS)],
        "metric_params": [dict, None],
        "algorithm": [StrOptions({"auto", "ball_tree", "kd_tree", "brute"})],
        "leaf_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "p": [Interval(numbers.Real, 0.0, None, closed="left"), None],
        "n_jobs": [numbers.Integral, None],
        "trace": ["boolean"],
    }

    def __init__(
        self,
        eps=0.5,
        *,
        min_samples=5,
        metric="euclidean",
        metric_params=None,
        algorithm="auto",
        leaf_size=30,
        p=None,
        n_jobs=None,
        trace=False,
    ):
        self.eps = eps
        self.min_samples = min_samples
        self.metric = metric
        self.metric_params = metric_params
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.n_jobs = n_jobs
        self.trace = trace

    def fit(self, X, y=None, sample_weight=None):
        """Cluster ``X`` (features, or distances with ``metric='precomputed'``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_samples)
        y : ignored
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each point in its neighbours' counts.

        Returns
        -------
        self
        """
        self._validate_params()
        X = self._validate_data(X)
        n, d = X.shape
        code, p = _effective_metric(self.metric, self.p, self.metric_params)
        _check_algorithm(self.algorithm, self.metric, code, p)
        if self.metric == "precomputed":
            if n != d:
                raise ValueError(f"Precomputed matrix must be square. Input is a {n}x{d} matrix.")
            if np.any(X < 0):
                raise ValueError("Negative values in data passed to precomputed distance matrix X.")
        weights = check_sample_weight(sample_weight, X, allow_all_zero=False)

        with _threads(self.n_jobs):
            is_core, labels, path, g, pair_test = _fit_dbscan(
                X, self.eps, self.min_samples, weights, self.metric, code, p, self.algorithm
            )
            self.core_sample_indices_ = np.flatnonzero(is_core)
            self.labels_ = labels
            if self.core_sample_indices_.shape[0]:
                self.components_ = _rows(X, self.core_sample_indices_)
            else:
                self.components_ = np.empty((0, d))
            if self.trace:
                self.trace_ = _make_trace(is_core, labels, path, g, pair_test)
        return self

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fit and return ``labels_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self.fit(X, sample_weight=sample_weight).labels_


def dbscan(
    X,
    eps=0.5,
    *,
    min_samples=5,
    metric="minkowski",
    metric_params=None,
    algorithm="auto",
    leaf_size=30,
    p=2,
    sample_weight=None,
    n_jobs=None,
):
    """DBSCAN as a function, like ``sklearn.cluster.dbscan`` (note its defaults).

    Returns
    -------
    core_samples : ndarray of shape (n_core_samples,)
    labels : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from purecluster import dbscan
    >>> core, labels = dbscan([[1, 2], [2, 2], [2, 3], [8, 7], [8, 8], [25, 80]],
    ...                       eps=3, min_samples=2)
    >>> core
    array([0, 1, 2, 3, 4])
    >>> labels
    array([ 0,  0,  0,  1,  1, -1])
    """
    est = DBSCAN(
        eps=eps,
        min_samples=min_samples,
        metric=metric,
        metric_params=metric_params,
        algorithm=algorithm,
        leaf_size=leaf_size,
        p=p,
        n_jobs=n_jobs,
    ).fit(X, sample_weight=sample_weight)
    return est.core_sample_indices_, est.labels_


# ---------------------------------------------------------------------------
# helpers of fit
# ---------------------------------------------------------------------------
def _effective_metric(metric, p, metric_params):
    """(kernel code, power) of the metric, resolving 'minkowski' as scikit-learn does."""
    params = dict(metric_params or {})
    if "p" in params and p is not None:
        warnings.warn(
            "Parameter p is found in metric_params. The corresponding parameter from "
            "__init__ is ignored.",
            SyntaxWarning,
            stacklevel=3,
        )
    if metric == "minkowski":
        power = params.pop("p", p)
        if power is None:
            raise TypeError(
                "metric='minkowski' needs a power: pass p (e.g. p=2) or metric_params={'p': ...}."
            )
        if not isinstance(power, numbers.Real) or isinstance(power, bool) or not power > 0:
            raise ValueError(f"The Minkowski power p must be a positive number. Got {power!r}.")
    else:
        params.pop("p", None)
        power = 2.0
    if params:
        raise ValueError(
            f"metric_params {sorted(params)!r} are not supported by purecluster's DBSCAN "
            f"with metric={metric!r} (only 'p' for metric='minkowski')."
        )
    if metric in ("cosine", "precomputed"):
        return None, 2.0
    code = _MINKOWSKI_FAMILY[metric]
    if code == K.MINKOWSKI:
        if power == 1:
            code = K.MANHATTAN
        elif power == 2:
            code = K.EUCLIDEAN
        elif power == math.inf:
            code = K.CHEBYSHEV
    return code, float(power)


def _check_algorithm(algorithm, metric, code, p):
    """scikit-learn's trees refuse some metrics and powers below 1; so do we."""
    if algorithm in ("kd_tree", "ball_tree") and code is None:
        raise ValueError(
            f"Metric {metric!r} not valid for algorithm={algorithm!r}: use algorithm='auto' "
            "or 'brute'."
        )
    if code == K.MINKOWSKI and p < 1:
        if algorithm in ("kd_tree", "ball_tree"):
            raise ValueError(
                f'algorithm="{algorithm}" does not support 0 < p < 1 for the Minkowski '
                'metric. To resolve this problem either set p >= 1 or algorithm="brute".'
            )
        warnings.warn(
            "Mind that for 0 < p < 1, Minkowski metrics are not distance metrics. "
            "Continuing the execution with `algorithm='brute'`.",
            UserWarning,
            stacklevel=3,
        )


def _sklearn_would_use_brute(algorithm, metric, code, p, n, d):
    """Whether scikit-learn's NearestNeighbors would search by brute force.

    Our arithmetic follows its choice: the trees take float64 differences,
    brute force uses BLAS for euclidean and float32 arithmetic for float32 data.
    """
    if algorithm == "brute" or metric in ("cosine", "precomputed"):
        return True
    if code == K.MINKOWSKI and p < 1:
        return True
    if algorithm == "auto":
        return d > 15 or 5 >= n // 2
    return False


def _fit_dbscan(X, eps, min_samples, weights, metric, code, p, algorithm):
    """Pick the search (grid or blocks) and run it. Returns is_core, labels, path, grid, test."""
    n, d = X.shape
    if metric == "precomputed":
        test = _PairTest(X, eps, "precomputed")
    elif metric == "cosine":
        test = _PairTest(X, eps, "cosine")
    elif _sklearn_would_use_brute(algorithm, metric, code, p, n, d):
        if code == K.EUCLIDEAN:
            test = _PairTest(X, eps, "gemm", single=X.dtype == np.float32)
        else:
            test = _PairTest(X, eps, "direct", code, p, single=X.dtype == np.float32)
    else:
        if d <= GRID_MAX_FEATURES:
            layout = grid_layout(X, eps, code, p)
            if layout is not None:
                is_core, labels, g = grid_dbscan(X, eps, min_samples, weights, code, p, layout)
                return is_core, labels, "grid", g, None
        test = _PairTest(X, eps, "direct", code, p)
    if test.kind == "gemm":
        is_core, labels = gemm_dbscan(test.X64, test.sq_norms, test.threshold, min_samples, weights)
    else:
        is_core, labels = blocked_dbscan(test, n, min_samples, weights)
    return is_core, labels, "blocks", None, test


def _make_trace(is_core, labels, path, g, pair_test):
    role = np.where(is_core, 2, np.where(labels >= 0, 1, 0)).astype(np.int8)
    neighbours = _grid_trace_neighbours(g) if path == "grid" else pair_test.neighbours
    seeds, order, ptr, parent, depth = grow_order(is_core, labels, neighbours)
    return DBSCANTrace(
        role=role,
        seeds=seeds,
        order=order,
        cluster_ptr=ptr,
        parent=parent,
        depth=depth,
        path=path,
        cell_side=g["side"] if path == "grid" else None,
    )


class _threads:
    """Run with ``n_jobs`` Numba threads (None leaves the setting alone)."""

    def __init__(self, n_jobs):
        self.n_jobs = n_jobs
        self._ctx = None

    def __enter__(self):
        if self.n_jobs is None:
            return self
        available = numba.config.NUMBA_NUM_THREADS
        if self.n_jobs < 0:
            count = max(1, available + 1 + self.n_jobs)
        else:
            count = max(1, min(self.n_jobs, available))
        self._ctx = num_threads(count)
        self._ctx.__enter__()
        return self

    def __exit__(self, *exc):
        if self._ctx is not None:
            return self._ctx.__exit__(*exc)
        return False


@register_warmup("dbscan")
def _warmup(dtype):
    """Compile the grid and block kernels on tiny data."""
    rng = np.random.RandomState(0)
    X = rng.rand(40, 2).astype(dtype)
    DBSCAN(eps=0.2, min_samples=3).fit(X)
    DBSCAN(eps=0.2, min_samples=3).fit(X, sample_weight=np.ones(40))
    DBSCAN(eps=0.2, min_samples=3, metric="manhattan", algorithm="brute").fit(X)
    DBSCAN(eps=0.2, min_samples=3, algorithm="brute").fit(X)
    # uneven weights: the weighted counts of the bits route
    DBSCAN(eps=0.2, min_samples=3, algorithm="brute").fit(X, sample_weight=np.full(40, 0.5))
