"""The jitted loops of k-means: assignment, centre update, seeding, Hamerly's and Yinyang's bounds.

Read this file next to ``docs/kmeans.md``. Every kernel takes and returns
plain arrays and scalars; ``purecluster/kmeans.py`` strings them together.

Notation (as in the literature): ``X`` (n, d) the data, ``w`` (n,) the sample
weights, ``C`` (k, d) the centres, ``a`` (n,) the label (assignment) of each
point, ``u`` (n,) and ``l`` (n,) Hamerly's upper and lower bounds.

Determinism. Rows are split into a number of *blocks* that depends on ``n``
only (:func:`n_blocks_for`), never on the thread count. Each block owns its
partial sums, filled in row order; the blocks are then added in block order.
The serial and the ``prange`` drivers therefore do the same arithmetic in the
same order, and the results are bit-identical for any number of threads.

Dtypes. Kernels are compiled for float32 and float64 C-contiguous arrays. A
value that must keep the data's precision is stored in an array of
``X.dtype`` (a Python float literal would silently promote float32 to float64).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from llvmlite import ir
from numba import prange, types
from numba.extending import intrinsic, overload

from ._jit import jit

# Blocks hold at least this many rows, so tiny data is one block and runs
# serially without paying for the thread pool.
MIN_BLOCK_ROWS = 1024
# ...and there are at most this many blocks: enough to balance 16 threads,
# few enough that the k x d partial sums per block stay small.
MAX_BLOCKS = 64
# Tiles of rows hold at most this many (Lloyd's: fewer for long rows, see
# tile_rows_for; k-means++'s: this many).
TILE_ROWS = 256
# k-means++'s running sum goes by segments of a quarter tile (:func:`_search_segments`)
SEGMENT_ROWS = TILE_ROWS // 4


@jit
def n_blocks_for_rows(n_samples):
    """The number of row blocks for ``n_samples`` rows (a function of n only)."""
    return max(1, min(MAX_BLOCKS, -(-n_samples // MIN_BLOCK_ROWS)))


def n_blocks_for(n_samples):
    """:func:`n_blocks_for_rows`, from Python without a kernel call."""
    return max(1, min(MAX_BLOCKS, -(-n_samples // MIN_BLOCK_ROWS)))


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------
def fma(a, b, c):
    """``a b + c`` rounded once (a fused multiply-add), in the dtype of ``a``.

    Every product ``x·c`` of the assignment is a chain of these, in feature
    order, so that the vector loops over rows (Lloyd) and the scalar loops
    over centres (Hamerly, Yinyang) give the same bits: a plain ``a * b + c``
    may or may not be fused by LLVM, loop by loop. One instruction instead of
    two: Lloyd's step on 200k x 16, k = 100, float64, 153-157 against
    180-184 ms (a 10-iteration fit, alternating fresh processes).

    This Python version (exact rational arithmetic) runs when the JIT is off;
    compiled code calls LLVM's ``llvm.fma`` (:func:`_llvm_fma`).
    """
    exact = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    if not isinstance(a, np.float32):
        return float(exact)
    return _round_to_float32(exact)


def _round_to_float32(exact):
    """``exact`` rounded once to float32 (through float64 would round twice)."""
    r64 = float(exact)
    r32 = np.float32(r64)
    if float(r32) == r64 or Fraction(r64) == exact:
        return r32
    # r64 may sit on a float32 tie that exact does not: decide by exact
    other = np.nextafter(r32, np.float32(np.inf) if float(r32) < r64 else np.float32(-np.inf))
    mid = (Fraction(float(r32)) + Fraction(float(other))) / 2
    if Fraction(r64) != mid:
        return r32
    above = exact > mid
    return max(r32, other) if above else min(r32, other)


@intrinsic
def _llvm_fma(typingctx, a, b, c):
    """LLVM's ``llvm.fma`` for three floats of one type (a vector FMA in vector loops)."""
    if not (isinstance(a, types.Float) and a == b and b == c):
        return None

    def codegen(context, builder, signature, args):
        ty = args[0].type
        fn = builder.module.declare_intrinsic("llvm.fma", [ty], ir.FunctionType(ty, [ty, ty, ty]))
        return builder.call(fn, args)

    return a(a, b, c), codegen


@overload(fma)
def _fma_overload(a, b, c):
    if isinstance(a, types.Float) and a == b and b == c:
        return lambda a, b, c: _llvm_fma(a, b, c)
    return None


@jit(inline="always")
def squared_distance(X, i, C, j):
    """``||X[i] - C[j]||²``, summed four terms at a time.

    The grouping ``s += (t0 + t1 + t2 + t3)`` is scikit-learn's, so the value
    (used for the inertia and by Hamerly's algorithm) agrees with its to the
    last bit. Accumulates in the data's precision.
    """
    d = X.shape[1]
    acc = X[i, 0] - X[i, 0]  # a zero of X's dtype
    f = 0
    while f + 4 <= d:
        t0 = X[i, f] - C[j, f]
        t1 = X[i, f + 1] - C[j, f + 1]
        t2 = X[i, f + 2] - C[j, f + 2]
        t3 = X[i, f + 3] - C[j, f + 3]
        acc += t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3
        f += 4
    while f < d:
        t = X[i, f] - C[j, f]
        acc += t * t
        f += 1
    return acc


@jit(inline="always")
def _margins(d, eps):
    """The rounding margins of the accelerated algorithms' bounds, for d features.

    ``slack``: ulps of ``||x||² + ||c||²`` that Lloyd's value ``||c||² - 2 x·c``
    may be off by (the products and the sums); ``rel``: the relative rounding
    of a distance summed directly. ``eps`` is the data type's machine epsilon.
    """
    return (2 * d + 8) * eps, (d + 4) * eps


@jit(inline="always")
def _lower_sq(e, x_sq, c_sq, slack):
    """A lower bound on ``||x - c||²`` from Lloyd's rounded ``e = ||c||² - 2 x·c``.

    ``e + ||x||² - slack (||x||² + ||c||²)``: the rounding error of ``e`` is at
    most a few ulps of ``||x||² + ||c||²`` (``slack`` is that many ulps).
    Squared, so that a group's bound takes one square root, not one per centre.
    """
    return np.float64(e) + x_sq - slack * (x_sq + abs(np.float64(c_sq)))


@jit(inline="always")
def _root(v):
    return math.sqrt(v) if v > 0.0 else 0.0


@jit(inline="always")
def _float32_below(v):
    """A float32 that is at most ``v`` (>= 0), for a lower bound stored in float32.

    Shrunk by 2^-22 first, the nearest float32 cannot round above ``v``.
    Storing Yinyang's n x t bounds in float32 halves the memory they take
    and the traffic of the pass that moves them every iteration.
    """
    return np.float32(v * (1.0 - 2.0**-22)) if v > 1e-30 else np.float32(0.0)


@jit(inline="always")
def _row_sq_norm(X, i):
    """``||x_i||²`` in float64."""
    acc = 0.0
    for f in range(X.shape[1]):
        acc += np.float64(X[i, f]) * np.float64(X[i, f])
    return acc


@jit(inline="always")
def _upper_to(X, i, C, j, rel):
    """An upper bound on ``||x_i - c_j||``: the distance, widened by its rounding."""
    return math.sqrt(np.float64(squared_distance(X, i, C, j))) * (1.0 + rel)


@jit(inline="always")
def _copy_row(src, i, dst, j):
    """``dst[j] = src[i]`` by a loop over the features.

    Array slices assigned with ``[:] =`` compile NumPy's broadcasting rules
    and their error messages (seconds per kernel); these loops compile to a
    copy and nothing else.
    """
    for f in range(src.shape[1]):
        dst[j, f] = src[i, f]


@jit(inline="always")
def _copy_rows(src, dst):
    """``dst[:] = src`` for two (k, d) arrays, by loops (see :func:`_copy_row`)."""
    for j in range(src.shape[0]):
        _copy_row(src, j, dst, j)


@jit(inline="always")
def _copy_flat(src, dst):
    """``dst[:] = src`` for two 1-D arrays, by a loop (see :func:`_copy_row`)."""
    for i in range(src.shape[0]):
        dst[i] = src[i]


@jit(inline="always")
def _block_range(b, n_blocks, n):
    """Rows ``[start, stop)`` of block ``b`` out of ``n_blocks`` over ``n`` rows."""
    return (b * n) // n_blocks, ((b + 1) * n) // n_blocks


# ---------------------------------------------------------------------------
# Lloyd: assignment step + the sums of the update step, one block of rows
# ---------------------------------------------------------------------------
@jit(inline="always")
def _relabel(X, w, i, best, labels, sums, weights, with_sums):
    """Give point ``i`` the label ``best``; with sums, add ``w_i x_i`` to that cluster's.

    ``labels``, ``sums`` (k, d) and ``weights`` (k,) are INOUT. Returns 1 when
    the label changed, else 0 (Lloyd's convergence test counts them).
    """
    changed = 1 if labels[i] != best else 0
    labels[i] = best  # stored unconditionally: a branch here measured slower
    if with_sums:
        wi = w[i]
        weights[best] += wi
        for f in range(X.shape[1]):
            sums[best, f] += X[i, f] * wi
    return changed


@jit(inline="always")
def _relabel_tile(X, w, t0, t1, nearest, labels, sums, weights, with_sums):
    """:func:`_relabel` for rows ``t0:t1`` whose nearest centres are ``nearest[:t1 - t0]``.

    The test of ``with_sums`` is taken out of the row loop by hand: Numba
    left it inside, and the loop ran 2x slower.
    """
    n_changed = 0
    if with_sums:
        for i in range(t0, t1):
            n_changed += _relabel(X, w, i, nearest[i - t0], labels, sums, weights, True)
    else:
        for i in range(t0, t1):
            n_changed += _relabel(X, w, i, nearest[i - t0], labels, sums, weights, False)
    return n_changed


@jit(inline="always")
def _argmin_expanded(dots, c_sq_norms):
    """``argmin_j ||c_j||² - 2 x·c_j`` given ``dots[j] = x·c_j`` (first index on ties).

    ``dots[j] + dots[j]`` is ``2 x·c`` in X's dtype, so the value compared is
    rounded to X's dtype, as scikit-learn's is.
    """
    best = 0
    best_dist = c_sq_norms[0] - (dots[0] + dots[0])
    for j in range(1, c_sq_norms.shape[0]):
        dist = c_sq_norms[j] - (dots[j] + dots[j])
        if dist < best_dist:
            best_dist = dist
            best = j
    return best


@jit(inline="always")
def _transpose_tile(X, i0, m, xt):
    """``xt[f, r] = x_{i0+r, f}`` for the ``m`` rows of a tile, in ``xt``'s dtype.

    Feature-major, a tile's coordinates are contiguous runs that the loops
    over its rows (Lloyd's and Yinyang's searches, GaussianMixture's tiles)
    read with vector loads.
    """
    rows = X[i0 : i0 + m]
    if X.shape[1] == 2:
        # plane data: both features in one loop (interleaved loads, no loop
        # over two features per row)
        x0, x1 = xt[0], xt[1]
        for r in range(m):
            x0[r] = rows[r, 0]
            x1[r] = rows[r, 1]
        return
    for f in range(X.shape[1]):
        xf = xt[f]
        for r in range(m):
            xf[r] = rows[r, f]


@jit
def tile_rows_for(n_features):
    """Rows per transposed tile: the tile (``d x rows`` values) fits in L1 (4096 values).

    Between 64 and 256 rows, a multiple of 8. Measured on 100k x 64, k = 10
    (one thread): 64 rows 14 ms, 256 rows 20 ms (the tile then lives in L2);
    on 200k x 16, k = 100, 128 or 256 rows 31 ms, 64 rows 38 ms.
    """
    return max(64, min(TILE_ROWS, (4096 // max(n_features, 1)) // 8 * 8))


@jit
def _dot_one(xt, C, j, m, dot):
    """``dot[r] = x_r·c_j`` for the rows of a transposed tile, summed over features in order."""
    d = xt.shape[0]
    a = C[j, 0]
    x = xt[0]
    for r in range(m):
        dot[r] = x[r] * a
    for f in range(1, d):
        a = C[j, f]
        x = xt[f]
        for r in range(m):
            dot[r] = fma(x[r], a, dot[r])


@jit
def _dot_pair(xt, C, j, m, dot0, dot1):
    """``dot0[r] = x_r·c_j`` and ``dot1[r] = x_r·c_{j+1}`` for the rows of a transposed tile.

    Register blocking by hand, in the one direction LLVM vectorises (the
    loop over rows): each pass over the rows takes four features for two
    centres, so every value of the tile loaded and every partial sum
    stored serves eight multiply-adds instead of one. Each sum is still
    ``fma(x_3, c_3, fma(x_2, c_2, fma(x_1, c_1, x_0 c_0)))`` and so on in
    feature order (:func:`fma`): the roundings of a plain loop of fused
    multiply-adds over the features, the same in every kernel of this file. Measured (one
    thread, the whole nearest-centre search): 200k x 16, k = 100, 31 against
    45 ms for four rows times every centre per pass (the loop over centres
    vectorised, every partial sum loaded and stored per feature); 100k x 64,
    k = 10, 14 against 26 ms.
    """
    d = xt.shape[0]
    f = 0
    if d >= 4:
        a0, a1, a2, a3 = C[j, 0], C[j, 1], C[j, 2], C[j, 3]
        b0, b1, b2, b3 = C[j + 1, 0], C[j + 1, 1], C[j + 1, 2], C[j + 1, 3]
        x0, x1, x2, x3 = xt[0], xt[1], xt[2], xt[3]
        for r in range(m):
            dot0[r] = fma(x3[r], a3, fma(x2[r], a2, fma(x1[r], a1, x0[r] * a0)))
            dot1[r] = fma(x3[r], b3, fma(x2[r], b2, fma(x1[r], b1, x0[r] * b0)))
        f = 4
    else:
        a0, b0, x0 = C[j, 0], C[j + 1, 0], xt[0]
        for r in range(m):
            dot0[r] = x0[r] * a0
            dot1[r] = x0[r] * b0
        f = 1
    while f + 4 <= d:
        a0, a1, a2, a3 = C[j, f], C[j, f + 1], C[j, f + 2], C[j, f + 3]
        b0, b1, b2, b3 = C[j + 1, f], C[j + 1, f + 1], C[j + 1, f + 2], C[j + 1, f + 3]
        x0, x1, x2, x3 = xt[f], xt[f + 1], xt[f + 2], xt[f + 3]
        for r in range(m):
            dot0[r] = fma(x3[r], a3, fma(x2[r], a2, fma(x1[r], a1, fma(x0[r], a0, dot0[r]))))
            dot1[r] = fma(x3[r], b3, fma(x2[r], b2, fma(x1[r], b1, fma(x0[r], b0, dot1[r]))))
        f += 4
    while f < d:
        a0, b0, x0 = C[j, f], C[j + 1, f], xt[f]
        for r in range(m):
            dot0[r] = fma(x0[r], a0, dot0[r])
            dot1[r] = fma(x0[r], b0, dot1[r])
        f += 1


@jit(inline="always")
def _nearest_tile(X, t0, m, C, c_sq_norms, index, xt, dot0, dot1, dist0, j0, dist1, j1):
    """Nearest centre (:func:`_argmin_expanded`) of the ``m`` rows of a tile.

    The tile is transposed (``xt[f, r] = x_{t0+r, f}``, X's dtype), so each
    step is a loop over the rows that LLVM vectorises: the products with two
    centres at a time (:func:`_dot_pair`; summed over the features in order),
    then, centre by centre, a running minimum of ``||c_j||² - 2 x·c_j``
    kept with selects (the first centre wins a tie). Returns ``j0`` or
    ``j1``, whichever holds the answer.

    Two tricks make the minimum loop a plain vector loop (2.5x faster):
    the index of the minimum is kept as a float of X's dtype (``index[j]``
    is ``j`` in X's dtype; a float64 ``j`` made float32's loop convert every
    lane, 7 of its 26 ms on 200k x 16, k = 100), so that the comparison's
    mask selects it directly; and the running minimum is read
    from one pair of buffers (``dist0, j0`` or ``dist1, j1``) and written to
    the other (they swap roles for each centre). Updated in place, LLVM
    turned the select into a masked store, which is slow on this machine.
    """
    k, d = C.shape
    _transpose_tile(X, t0, m, xt)
    for r in range(m):
        dist0[r] = np.inf
        j0[r] = 0.0
    if d == 2:
        # Plane data (the seminar's, every picture's): the product, the value
        # compared and the running minimum in one loop per centre, without
        # storing the products (1M x 2, k = 5, one thread: 4.3 against 5.5 ms).
        for j in range(k):
            if j % 2 == 0:
                _closer_step_2d(xt, C, j, c_sq_norms, index, dist0, j0, dist1, j1, m)
            else:
                _closer_step_2d(xt, C, j, c_sq_norms, index, dist1, j1, dist0, j0, m)
        return j1 if k % 2 == 1 else j0
    for j in range(0, k - 1, 2):
        _dot_pair(xt, C, j, m, dot0, dot1)
        _closer_step(dot0, c_sq_norms[j], index[j], dist0, j0, dist1, j1, m)
        _closer_step(dot1, c_sq_norms[j + 1], index[j + 1], dist1, j1, dist0, j0, m)
    if k % 2 == 0:
        return j0
    _dot_one(xt, C, k - 1, m, dot0)
    _closer_step(dot0, c_sq_norms[k - 1], index[k - 1], dist0, j0, dist1, j1, m)
    return j1


@jit
def _closer_step(dot, c_sq, fj, dist_in, j_in, dist_out, j_out, m):
    """One centre of :func:`_nearest_tile`'s running minimum, from ``*_in`` to ``*_out``.

    A function of its own, not inlined into Numba's IR: inlined, the loop
    ran 3x slower (LLVM compiles it well on its own).
    """
    for r in range(m):
        dist = c_sq - (dot[r] + dot[r])
        b = dist_in[r]
        closer = dist < b
        dist_out[r] = dist if closer else b
        j_out[r] = fj if closer else j_in[r]


@jit
def _closer_step_2d(xt, C, j, c_sq_norms, index, dist_in, j_in, dist_out, j_out, m):
    """:func:`_closer_step` for two features, the products ``x·c_j`` computed on the way.

    ``x_0 c_0 + x_1 c_1`` is :func:`_dot_pair`'s sum, to the bit.
    """
    x0, x1 = xt[0], xt[1]
    a0, a1 = C[j, 0], C[j, 1]
    c_sq = c_sq_norms[j]
    fj = index[j]
    for r in range(m):
        dot = fma(x1[r], a1, x0[r] * a0)
        dist = c_sq - (dot + dot)
        b = dist_in[r]
        closer = dist < b
        dist_out[r] = dist if closer else b
        j_out[r] = fj if closer else j_in[r]


@jit
def _scatter_sums(X, w, labels, sums, weights):
    """``sums[a_i] += w_i x_i`` and ``weights[a_i] += w_i`` for the rows of X, in order.

    The same additions, in the same order, as :func:`_relabel`. Kept out of
    Numba's inlining, like :func:`_closer_step`: LLVM then compiles the
    loop on its own (the tile's whole assignment measured 0.72 ms per 100k
    rows this way, against 1.5 ms with the loops inlined together).
    """
    d = X.shape[1]
    if d == 2:
        # plane data, the loop over features unrolled: 1M rows, k = 5, one
        # thread, 2.2 against 3.3 ms (the same additions in the same order)
        for i in range(X.shape[0]):
            a = labels[i]
            wi = w[i]
            weights[a] += wi
            sums[a, 0] += X[i, 0] * wi
            sums[a, 1] += X[i, 1] * wi
        return
    for i in range(X.shape[0]):
        a = labels[i]
        wi = w[i]
        weights[a] += wi
        for f in range(d):
            sums[a, f] += X[i, f] * wi


@jit
def _assign_block(X, w, C, c_sq_norms, labels, start, stop, sums, weights, with_sums):
    """Label rows ``start:stop`` with their nearest centre; add them to the sums.

    The nearest centre minimises ``||c||² - 2 x·c`` (``||x||²`` is the same
    for every centre, so it is left out). This is the quantity scikit-learn
    minimises with BLAS, so ties break the same way (first centre wins).
    ``acc + acc`` is ``2 x·c`` in X's dtype, so the value compared is rounded
    to X's dtype as scikit-learn's is.

    Parameters
    ----------
    X : (n, d) IN
    w : (n,) IN
    C : (k, d) IN
    c_sq_norms : (k,) IN
    labels : (n,) int32 INOUT
    sums : (k, d) OUT, added to
        ``sum_{i: a_i = j} w_i x_i``
    weights : (k,) OUT, added to
        ``sum_{i: a_i = j} w_i``

    Returns
    -------
    n_changed : int
        How many labels differ from the ones ``labels`` held before.
    """
    k, d = C.shape
    rows = tile_rows_for(d)
    xt = np.empty((d, rows), dtype=X.dtype)
    dot0 = np.empty(rows, dtype=X.dtype)
    dot1 = np.empty(rows, dtype=X.dtype)
    dist0 = np.empty(rows, dtype=X.dtype)
    dist1 = np.empty(rows, dtype=X.dtype)
    j0 = np.empty(rows, dtype=X.dtype)
    j1 = np.empty(rows, dtype=X.dtype)
    index = np.arange(k).astype(X.dtype)
    n_changed = 0
    # Two passes per tile of rows: the nearest centres first, then the labels
    # and sums. Keeping the scatter into the sums out of the distance loop
    # measured 2x faster (the distance loop then has no stores to wait on).
    for t0 in range(start, stop, rows):
        m = min(rows, stop - t0)
        nearest = _nearest_tile(
            X, t0, m, C, c_sq_norms, index, xt, dot0, dot1, dist0, j0, dist1, j1
        )
        labels_tile = labels[t0 : t0 + m]
        for r in range(m):
            a = np.int32(nearest[r])
            n_changed += 1 if labels_tile[r] != a else 0
            labels_tile[r] = a
        if with_sums:
            _scatter_sums(X[t0 : t0 + m], w[t0 : t0 + m], labels_tile, sums, weights)
    return n_changed


@jit
def column_sums(X):
    """``sum_i X[i, f]`` for each feature: row after row, in X's dtype.

    This is the order in which NumPy reduces a C-contiguous 2-D array over
    axis 0 (one running sum per column, the rows added in turn), so
    ``column_sums(X) / n`` is ``X.mean(axis=0)`` to the bit when d >= 2
    (checked in the tests), 5x faster at 1,000,000 x 2: NumPy's strided
    reduction spends about 20 ms there.
    """
    n, d = X.shape
    acc = np.zeros(d, dtype=X.dtype)
    if d == 2:
        # plane data: the two running sums in registers (1M x 2: 0.66 against
        # 2.4 ms; through acc[f], each add waited on a store and a load)
        s0, s1 = acc[0], acc[1]
        for i in range(n):
            s0 += X[i, 0]
            s1 += X[i, 1]
        acc[0], acc[1] = s0, s1
        return acc
    for i in range(n):
        row = X[i]
        for f in range(d):
            acc[f] += row[f]
    return acc


@jit
def column_squared_deviations(X, mean):
    """``sum_i (X[i, f] - mean_f)²`` for each feature, row after row, in X's dtype.

    Divided by n it is ``np.var(X, axis=0)`` to the bit when d >= 2 (NumPy
    subtracts the mean, squares, and reduces over axis 0 in the same order as
    :func:`column_sums`; checked in the tests), without its temporaries.
    """
    n, d = X.shape
    acc = np.zeros(d, dtype=X.dtype)
    if d == 2:
        # plane data: the running sums in registers, as in column_sums
        m0, m1 = mean[0], mean[1]
        s0, s1 = acc[0], acc[1]
        for i in range(n):
            t0 = X[i, 0] - m0
            t1 = X[i, 1] - m1
            s0 += t0 * t0
            s1 += t1 * t1
        acc[0], acc[1] = s0, s1
        return acc
    for i in range(n):
        row = X[i]
        for f in range(d):
            t = row[f] - mean[f]
            acc[f] += t * t
    return acc


@jit(inline="always")
def _first_above(cdf, v):
    """The first index ``i`` with ``cdf[i] > v`` (``searchsorted(cdf, v, side="right")``)."""
    lo, hi = 0, cdf.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if cdf[mid] > v:
            hi = mid
        else:
            lo = mid + 1
    return lo


@jit
def choice_draws(p, u, found, n_found):
    """One round of NumPy's legacy ``choice(n, size, replace=False, p=p)``.

    The indices already ``found`` count as probability 0; the cumulative sum
    of ``p`` (float64, added in order as ``np.cumsum`` does: adding a zero
    changes nothing) is divided by its last value; each uniform ``u_t`` picks
    the first index whose cumulative value exceeds it
    (``searchsorted(side="right")``); each new index is kept once, in the
    order drawn. Returns the new number found; ``p`` is not changed.
    """
    n = p.shape[0]
    excluded = np.zeros(n, dtype=np.bool_)
    for t in range(n_found):
        excluded[found[t]] = True
    cdf = np.empty(n, dtype=np.float64)
    acc = 0.0
    for i in range(n):
        if not excluded[i]:
            acc += p[i]
        cdf[i] = acc
    for i in range(n):
        cdf[i] /= acc
    n_before = n_found
    for t in range(u.shape[0]):
        index = _first_above(cdf, u[t])
        seen = False
        for s in range(n_before, n_found):
            if found[s] == index:
                seen = True
                break
        if not seen:
            found[n_found] = index
            n_found += 1
    return n_found


@jit(parallel=True)
def subtract_row(X, v, n_blocks):
    """``X - v`` (v of shape (d,)) in a new array: the same values as NumPy's.

    NumPy broadcasts ``v`` with an inner loop of d elements per row, about
    11 ms at 1,000,000 x 2; here 2-3 ms, with threads (the new array's pages
    are first touched by two cores).
    """
    n, d = X.shape
    out = np.empty_like(X)
    for b in prange(n_blocks):
        start, stop = _block_range(b, n_blocks, n)
        for i in range(start, stop):
            for f in range(d):
                out[i, f] = X[i, f] - v[f]
    return out


@jit
def _squared_norms(C):
    """``||C[j]||²`` for each row, in C's dtype, in the order of NumPy's ``einsum``.

    scikit-learn takes the centres' squared norms from
    ``np.einsum("ij,ij->i", C, C)``. NumPy sums each row in the lanes of a
    16-byte vector (2 for float64, 4 for float32): feature ``f`` goes to lane
    ``f % lanes``; four vectors at a time, the last one first; the tail padded
    with zeros; then ``(l0 + l1) + (l2 + l3)``. Each product is rounded before
    its addition. A sum in plain feature order differs in the last bit often
    enough to move a near-tie: on 100k x 64 float32, one point of the first
    assignment, then 1.15% of the labels after ten iterations of uniform
    data. The tests check this order against ``np.einsum`` bit for bit.
    """
    k, d = C.shape
    lanes = 16 // C.itemsize
    out = np.zeros(k, dtype=C.dtype)
    acc = np.zeros(lanes, dtype=C.dtype)
    for j in range(k):
        for q in range(lanes):
            acc[q] = 0
        f = 0
        while d - f >= 4 * lanes:
            for v in range(3, -1, -1):
                for q in range(lanes):
                    x = C[j, f + v * lanes + q]
                    acc[q] = x * x + acc[q]
            f += 4 * lanes
        while f < d:
            for q in range(min(lanes, d - f)):
                x = C[j, f + q]
                acc[q] = x * x + acc[q]
            f += lanes
        width = lanes
        while width > 1:
            width //= 2
            for q in range(width):
                acc[q] = acc[2 * q] + acc[2 * q + 1]
        out[j] = acc[0]
    return out


@jit
def reduce_blocks(block_sums, block_weights, sums, weights):
    """``sums = sum_b block_sums[b]`` in block order (fixed, so deterministic)."""
    sums[:] = 0
    weights[:] = 0
    for b in range(block_sums.shape[0]):
        for j in range(sums.shape[0]):
            weights[j] += block_weights[b, j]
            for f in range(sums.shape[1]):
                sums[j, f] += block_sums[b, j, f]


@jit
def lloyd_assign(X, w, C, labels, sums, weights, n_blocks, with_sums):
    """One assignment step of Lloyd's algorithm (serial driver).

    ``labels[i] = argmin_j ||x_i - c_j||²`` and, if ``with_sums``, the
    weighted sums ``sums[j] = sum_{a_i=j} w_i x_i``, ``weights[j] =
    sum_{a_i=j} w_i`` that the update step divides.

    Parameters
    ----------
    X : (n, d) IN
    w : (n,) IN
    C : (k, d) IN
    labels : (n,) int32 INOUT
    sums : (k, d) OUT
    weights : (k,) OUT
    n_blocks : int
        From :func:`n_blocks_for`; the same for the serial and parallel drivers.
    with_sums : bool

    Returns
    -------
    n_changed : int
        Number of labels that changed (0 means Lloyd has converged strictly).

    Cost: O(n k d) time, O(n_blocks k d) extra memory.
    """
    k, d = C.shape
    c_sq_norms = _squared_norms(C)
    block_sums = np.zeros((n_blocks, k, d), dtype=X.dtype)
    block_weights = np.zeros((n_blocks, k), dtype=X.dtype)
    n_changed = 0
    for b in range(n_blocks):
        start, stop = _block_range(b, n_blocks, X.shape[0])
        n_changed += _assign_block(
            X,
            w,
            C,
            c_sq_norms,
            labels,
            start,
            stop,
            block_sums[b],
            block_weights[b],
            with_sums,
        )
    reduce_blocks(block_sums, block_weights, sums, weights)
    return n_changed


@jit
def assign_from_products(
    X, w, P, r0, c_sq_norms, labels, g0, g1, n_blocks, block_sums, block_weights, with_sums
):
    """:func:`_assign_block` for blocks ``g0:g1``, with the products ``x·c`` given.

    ``P[a, j] = X[r0 + a] · C[j]`` (from BLAS, computed by the caller) covers
    the rows of blocks ``g0:g1``. The nearest centres are their
    :func:`_argmin_expanded`; each block's rows are then added to its own
    sums, in row order, exactly as the fused kernels add them.

    Serial on purpose: it runs between BLAS products, and handing the cores
    back and forth between OpenBLAS's threads and Numba's costs more than
    this loop (measured with DBSCAN's strips: 2x slower threaded).

    Parameters
    ----------
    X : (n, d) IN
    w : (n,) IN
    P : (m, k) IN
    r0 : int
        First row of ``P`` (the first row of block ``g0``).
    c_sq_norms : (k,) IN
    labels : (n,) int32 INOUT
    g0, g1, n_blocks : int
    block_sums : (n_blocks, k, d) INOUT, added to
    block_weights : (n_blocks, k) INOUT, added to
    with_sums : bool

    Returns
    -------
    int
        How many labels changed.
    """
    n = X.shape[0]
    nearest = np.empty(P.shape[0], dtype=np.int32)
    for a in range(P.shape[0]):
        nearest[a] = _argmin_expanded(P[a], c_sq_norms)
    n_changed = 0
    for b in range(g0, g1):
        start, stop = _block_range(b, n_blocks, n)
        n_changed += _relabel_tile(
            X,
            w,
            start,
            stop,
            nearest[start - r0 :],
            labels,
            block_sums[b],
            block_weights[b],
            with_sums,
        )
    return n_changed


@jit(parallel=True)
def lloyd_assign_parallel(X, w, C, labels, sums, weights, n_blocks, with_sums):
    """:func:`lloyd_assign` with the blocks spread over threads (same result)."""
    k, d = C.shape
    c_sq_norms = _squared_norms(C)
    block_sums = np.zeros((n_blocks, k, d), dtype=X.dtype)
    block_weights = np.zeros((n_blocks, k), dtype=X.dtype)
    block_changed = np.zeros(n_blocks, dtype=np.int64)
    for b in prange(n_blocks):
        start, stop = _block_range(b, n_blocks, X.shape[0])
        block_changed[b] = _assign_block(
            X,
            w,
            C,
            c_sq_norms,
            labels,
            start,
            stop,
            block_sums[b],
            block_weights[b],
            with_sums,
        )
    reduce_blocks(block_sums, block_weights, sums, weights)
    return block_changed.sum()


# ---------------------------------------------------------------------------
# Lloyd: the rest of the update step
# ---------------------------------------------------------------------------
@jit
def n_distinct(labels, n_clusters):
    """How many of the labels ``0..n_clusters-1`` occur in ``labels``.

    Marks, not counts: a count per label is a chain of dependent additions
    through memory whenever a label repeats (``np.bincount`` took 1.7 ms on
    1M labels, this 0.3 ms).
    """
    seen = np.zeros(n_clusters, dtype=np.bool_)
    for i in range(labels.shape[0]):
        seen[labels[i]] = True
    return np.count_nonzero(seen)


@jit
def same_clustering(labels1, labels2, n_clusters):
    """Whether ``labels1`` maps onto ``labels2`` by a relabelling (scikit-learn's test).

    Cluster ``a`` of the first labelling must always meet the same cluster
    of the second. (A Python loop over the labels took 145 us on the
    seminar's 500 points, and a fit with ``n_init=10`` makes it up to nine
    times.)
    """
    mapping = np.full(n_clusters, -1, dtype=np.int64)
    for i in range(labels1.shape[0]):
        a, b = labels1[i], labels2[i]
        if mapping[a] == -1:
            mapping[a] = b
        elif mapping[a] != b:
            return False
    return True


@jit
def update_centers(sums, weights, centers_old, centers_new, center_shift):
    """Divide the sums by the weights; measure how far each centre moved.

    ``c_j = sums_j * (1 / W_j)`` (a multiplication by the reciprocal, as
    scikit-learn does). A centre with no weight at all (still empty after
    relocation, which happens only when every point sits on its centre) is
    put on the heaviest cluster's.

    Parameters
    ----------
    sums : (k, d) IN
    weights : (k,) IN
    centers_old : (k, d) IN
    centers_new : (k, d) OUT
    center_shift : (k,) OUT
        ``||c_new_j - c_old_j||``.

    Returns
    -------
    shift_total : float
        ``sum_j center_shift_j²``, compared with the tolerance.
    """
    k, d = sums.shape
    heaviest = np.argmax(weights)
    alpha = np.empty(1, dtype=sums.dtype)  # keeps 1/W in the data's precision
    for j in range(k):
        if weights[j] > 0:
            alpha[0] = 1.0 / weights[j]
            for f in range(d):
                centers_new[j, f] = sums[j, f] * alpha[0]
        elif heaviest < j:
            _copy_row(centers_new, heaviest, centers_new, j)
        else:
            # scikit-learn averages in place, in order: a cluster before the
            # heaviest one copies the heaviest one's sum, not yet divided
            _copy_row(sums, heaviest, centers_new, j)
    total = np.zeros(1, dtype=sums.dtype)
    for j in range(k):
        center_shift[j] = math.sqrt(squared_distance(centers_new, j, centers_old, j))
        total[0] += center_shift[j] * center_shift[j]
    return total[0]


@jit
def _inertia_block(X, w, C, labels, start, stop):
    acc = X[0, 0] - X[0, 0]
    for i in range(start, stop):
        acc += squared_distance(X, i, C, labels[i]) * w[i]
    return acc


@jit
def inertia(X, w, C, labels, n_blocks):
    """``sum_i w_i ||x_i - c_{a_i}||²``: the k-means objective.

    Accumulated per block in the data's precision, blocks added in order.
    """
    total = np.zeros(1, dtype=X.dtype)
    for b in range(n_blocks):
        start, stop = _block_range(b, n_blocks, X.shape[0])
        total[0] += _inertia_block(X, w, C, labels, start, stop)
    return total[0]


@jit(parallel=True)
def inertia_parallel(X, w, C, labels, n_blocks):
    """:func:`inertia` with the blocks spread over threads (same result)."""
    parts = np.zeros(n_blocks, dtype=X.dtype)
    for b in prange(n_blocks):
        start, stop = _block_range(b, n_blocks, X.shape[0])
        parts[b] = _inertia_block(X, w, C, labels, start, stop)
    total = np.zeros(1, dtype=X.dtype)
    for b in range(n_blocks):
        total[0] += parts[b]
    return total[0]


# ---------------------------------------------------------------------------
# Lloyd: whole runs in one call
# ---------------------------------------------------------------------------
# How a run ended.
STRICT = 0  # no label changed: converged exactly
TOL = 1  # total squared centre shift <= tol
MAX_ITER = 2  # max_iter iterations done


@jit
def lloyd_update(sums, weights, centers, centers_new, center_shift):
    """The update step: ``centers`` becomes the means; returns ``sum_j shift_j²``.

    :func:`update_centers` into ``centers_new``, then copied back, so that
    ``centers`` always holds the current centres (k x d, a negligible copy).
    """
    shift_total = update_centers(sums, weights, centers, centers_new, center_shift)
    _copy_rows(centers_new, centers)
    return shift_total


@jit
def lloyd_runs(
    X, w, inits, first_run, first_iter, finish_status, max_iter, tol, n_blocks,
    centers, centers_new, labels, sums, weights, center_shift,
    best_labels, best_centers, best,
):  # fmt: skip
    """Lloyd's runs ``first_run, first_run + 1, ...`` of a fit, in one call, keeping the best.

    Run r starts from ``inits[r]``; each iteration is an assignment step
    (:func:`lloyd_assign`) and an update step (:func:`lloyd_update`). A run
    stops when no label changed (``STRICT``), when the total squared shift
    is at most ``tol`` (``TOL``), or after iteration ``max_iter - 1``
    (``MAX_ITER``); then :func:`finish_run` makes its labels final and
    keeps it if it is the best so far.

    When an assignment leaves a cluster without weight, the call returns
    before that iteration's update: the caller relocates as scikit-learn
    does (in NumPy), updates, and calls again, either to resume the run
    (``first_run = r, first_iter = it + 1``, ``finish_status = -1``; the
    run's state is in ``centers``, ``labels``...) or to end it first
    (``first_iter = it``, ``finish_status`` how it ended) and go on with
    the next runs. A call with ``first_iter = 0`` starts run ``first_run``
    afresh. (Ending a run here, not from Python, keeps the kernels that a
    first fit compiles to this one and its callees: every jitted caller
    optimises its callees again, seconds each.)

    The seminar's cell (500 points, ``n_init=10``) spent more time calling
    kernels from Python, run after run, than in them: one call for all runs
    took a fit from about 1.2 to 0.55 ms. It is the serial driver only: large
    data runs the step-by-step loop with the threaded kernels, where a
    call's overhead does not count, and a small fit does not compile the
    threaded kernels at all.

    Parameters
    ----------
    X, w : (n, d), (n,) IN
    inits : (n_runs, k, d) IN
        The initial centres of every run, drawn beforehand in scikit-learn's order.
    first_run, first_iter, finish_status, max_iter : int
    tol : float
    n_blocks : int
    centers, centers_new, sums, weights, center_shift : (k, d), (k, d), (k, d), (k,), (k,)
        The current run's state (INOUT) and scratch.
    labels : (n,) int32 INOUT
    best_labels, best_centers : (n,) int32, (k, d) INOUT
    best : (3,) float64 INOUT
        The best run's inertia, number of iterations and index (-1: none yet).

    Returns
    -------
    run, it, n_changed : int
        ``run == n_runs`` when every run is done; else run ``run`` found an
        empty cluster in iteration ``it``, after ``n_changed`` label changes
        (``sums`` and ``weights`` hold that iteration's sums).
    """
    n_runs, k = inits.shape[0], inits.shape[1]
    # True, but computed: Numba types a literal ``True`` argument as
    # Literal[bool], and a call with it compiles a second copy of lloyd_assign
    # next to the one Python calls (measured: +10 s on a cold first fit)
    with_sums = n_blocks > 0
    if finish_status >= 0:
        _finish_run(
            X, w, centers, labels, sums, weights, n_blocks, finish_status, first_iter, first_run,
            best_labels, best_centers, best,
        )  # fmt: skip
        first_run, first_iter = first_run + 1, 0
    for run in range(first_run, n_runs):
        it = first_iter if run == first_run else 0
        if it == 0:
            _copy_rows(inits[run], centers)
            labels.fill(-1)
        status = MAX_ITER
        while it < max_iter:
            n_changed = lloyd_assign(X, w, centers, labels, sums, weights, n_blocks, with_sums)
            for j in range(k):
                if weights[j] == 0:
                    return run, it, n_changed
            shift_total = lloyd_update(sums, weights, centers, centers_new, center_shift)
            if n_changed == 0:
                status = STRICT
                break
            if shift_total <= tol:
                status = TOL
                break
            it += 1
        _finish_run(
            X, w, centers, labels, sums, weights, n_blocks, status, min(it, max_iter - 1), run,
            best_labels, best_centers, best,
        )  # fmt: skip
    return n_runs, 0, 0


@jit(inline="always")
def _finish_run(
    X, w, centers, labels, sums, weights, n_blocks, status, it, run,
    best_labels, best_centers, best,
):  # fmt: skip
    """End of run ``run`` (last iteration ``it``): final labels, inertia, and the best so far.

    Unless the run converged strictly, one more assignment makes the labels
    those of the final centres. The run replaces the best so far when its
    inertia is lower and its labels are not the best ones relabelled
    (:func:`same_clustering`): scikit-learn's rule, in its order.
    """
    if status != STRICT:
        without_sums = n_blocks < 0  # False, computed (see lloyd_runs)
        lloyd_assign(X, w, centers, labels, sums, weights, n_blocks, without_sums)
    value = inertia(X, w, centers, labels, n_blocks)
    k = centers.shape[0]
    if best[2] < 0 or (value < best[0] and not same_clustering(labels, best_labels, k)):
        _copy_flat(labels, best_labels)
        _copy_rows(centers, best_centers)
        best[0] = value
        best[1] = it + 1
        best[2] = run


# ---------------------------------------------------------------------------
# Hamerly's algorithm: Lloyd's answer, skipping distances the bounds rule out
# ---------------------------------------------------------------------------
@jit(inline="always")
def _scan_all(X, i, C, CT, c_sq_norms, dots, slack, rel):
    """Nearest centre of x_i by a full scan: (label, upper bound, lower bound).

    The scan is Lloyd's (:func:`_assign_block`: ``||c||² - 2 x·c``, all
    dot products advancing together over the features), so a rescanned point
    gets exactly the label Lloyd gives it. The upper bound is the distance to
    that centre, widened by its rounding (``rel``); the lower bound comes from
    the second smallest value, less its rounding (:func:`_lower_sq`).
    """
    k, d = C.shape
    for j in range(k):
        dots[j] = X[i, 0] * CT[0, j]
    for f in range(1, d):
        xf = X[i, f]
        for j in range(k):
            dots[j] = fma(xf, CT[f, j], dots[j])
    best = 0
    best_dist = np.inf
    second = np.inf
    second_j = 0
    for j in range(k):
        dist = c_sq_norms[j] - (dots[j] + dots[j])
        if dist < best_dist:
            second, second_j = best_dist, best
            best_dist = dist
            best = j
        elif dist < second:
            second, second_j = dist, j
    upper = _upper_to(X, i, C, best, rel)
    lower = _root(_lower_sq(second, _row_sq_norm(X, i), c_sq_norms[second_j], slack))
    return best, upper, lower


@jit
def _hamerly_block(
    X,
    w,
    C,
    CT,
    c_sq_norms,
    half_gap,
    labels,
    upper,
    lower,
    start,
    stop,
    sums,
    weights,
    with_sums,
    first,
    eps,
):
    """Hamerly's assignment for rows ``start:stop``, plus the update sums.

    Point i keeps its centre a without computing any distance when
    ``u_i < max(s_a, l_i)``: its upper bound on ``||x_i - c_a||`` is below
    both the lower bound on its second-nearest distance and half the distance
    from c_a to its nearest other centre (``s_a = half_gap[a]``). Otherwise the
    bound is tightened to the exact distance and, if that is not enough, all
    k distances are computed. The test is strict, so an exact tie is always
    rescanned and resolved as Lloyd would (lowest index).
    """
    d = X.shape[1]
    slack, rel = _margins(d, eps)
    dots = np.empty(C.shape[0], dtype=X.dtype)
    n_changed = 0
    for i in range(start, stop):
        a = labels[i]
        if first:
            a_new, u, l = _scan_all(X, i, C, CT, c_sq_norms, dots, slack, rel)
        else:
            u = upper[i]
            l = lower[i]
            m = max(half_gap[a], l)
            a_new = a
            if not u < m:
                u = _upper_to(X, i, C, a, rel)
                if not u < m:
                    a_new, u, l = _scan_all(X, i, C, CT, c_sq_norms, dots, slack, rel)
        upper[i] = u
        lower[i] = l
        if a_new != a:
            n_changed += 1
            labels[i] = a_new
    if with_sums:
        # a second pass over the block (still in cache): a test of with_sums
        # inside the loop above keeps Numba from optimising either path
        for i in range(start, stop):
            a = labels[i]
            wi = w[i]
            weights[a] += wi
            for f in range(d):
                sums[a, f] += X[i, f] * wi
    return n_changed


@jit
def half_gaps(C, rel):
    """``s_j = min_{j' != j} ||c_j - c_j'|| / 2`` for each centre (k,), less its rounding."""
    k = C.shape[0]
    s = np.full(k, np.inf)
    for j in range(k):
        for jj in range(j + 1, k):
            g = math.sqrt(np.float64(squared_distance(C, j, C, jj))) / 2 * (1.0 - rel)
            if g < s[j]:
                s[j] = g
            if g < s[jj]:
                s[jj] = g
    return s


@jit
def hamerly_assign(
    X, w, C, labels, upper, lower, sums, weights, n_blocks, with_sums, first, eps
):  # fmt: skip
    """Hamerly's assignment step (serial driver); same labels as :func:`lloyd_assign`.

    Parameters
    ----------
    X : (n, d) IN
    w : (n,) IN
    C : (k, d) IN
    labels : (n,) int32 INOUT
    upper : (n,) float64 INOUT
        ``u_i >= ||x_i - c_{a_i}||``.
    lower : (n,) float64 INOUT
        ``l_i <= min_{j != a_i} ||x_i - c_j||``.
    sums : (k, d) OUT
    weights : (k,) OUT
    n_blocks : int
    with_sums : bool
    first : bool
        No bounds yet: scan every point fully.
    eps : float
        The data type's machine epsilon: the bounds are widened by a few
        ulps, so that rounding never makes them wrong.

    Returns
    -------
    n_changed : int

    Cost: O(n) when the bounds hold, O(k d) per point that fails them;
    O(n) memory for the bounds (Elkan's algorithm needs O(n k)).
    """
    k, d = C.shape
    s = half_gaps(C, _margins(d, eps)[1])
    CT = C.T.copy()
    c_sq_norms = _squared_norms(C)
    block_sums = np.zeros((n_blocks, k, d), dtype=X.dtype)
    block_weights = np.zeros((n_blocks, k), dtype=X.dtype)
    n_changed = 0
    for b in range(n_blocks):
        start, stop = _block_range(b, n_blocks, X.shape[0])
        n_changed += _hamerly_block(
            X,
            w,
            C,
            CT,
            c_sq_norms,
            s,
            labels,
            upper,
            lower,
            start,
            stop,
            block_sums[b],
            block_weights[b],
            with_sums,
            first,
            eps,
        )
    reduce_blocks(block_sums, block_weights, sums, weights)
    return n_changed


@jit(parallel=True)
def hamerly_assign_parallel(
    X, w, C, labels, upper, lower, sums, weights, n_blocks, with_sums, first, eps
):
    """:func:`hamerly_assign` with the blocks spread over threads (same result)."""
    k, d = C.shape
    s = half_gaps(C, _margins(d, eps)[1])
    CT = C.T.copy()
    c_sq_norms = _squared_norms(C)
    block_sums = np.zeros((n_blocks, k, d), dtype=X.dtype)
    block_weights = np.zeros((n_blocks, k), dtype=X.dtype)
    block_changed = np.zeros(n_blocks, dtype=np.int64)
    for b in prange(n_blocks):
        start, stop = _block_range(b, n_blocks, X.shape[0])
        block_changed[b] = _hamerly_block(
            X,
            w,
            C,
            CT,
            c_sq_norms,
            s,
            labels,
            upper,
            lower,
            start,
            stop,
            block_sums[b],
            block_weights[b],
            with_sums,
            first,
            eps,
        )
    reduce_blocks(block_sums, block_weights, sums, weights)
    return block_changed.sum()


@jit
def hamerly_move_bounds(labels, upper, lower, center_shift):
    """After the centres moved by ``p_j``: ``u_i += p_{a_i}``, ``l_i -= max_{j != a_i} p_j``.

    Both stay valid bounds by the triangle inequality.
    """
    k = center_shift.shape[0]
    # the largest and second largest shift, so that each point can subtract the
    # largest shift among the *other* centres in O(1)
    first = 0
    for j in range(1, k):
        if center_shift[j] > center_shift[first]:
            first = j
    second = 0.0
    for j in range(k):
        if j != first and center_shift[j] > second:
            second = center_shift[j]
    for i in range(labels.shape[0]):
        a = labels[i]
        upper[i] += center_shift[a]
        lower[i] -= second if a == first else center_shift[first]


# ---------------------------------------------------------------------------
# Yinyang k-means (Ding et al. 2015): Lloyd's answer, skipping groups of centres
# ---------------------------------------------------------------------------
# The centres are split once into t groups of nearby centres and stored group
# by group ("positions" p, centre perm[p]; group g holds positions
# gstart[g]:gstart[g+1]). Each point keeps an upper bound u_i on the distance
# to its centre and, per group, a lower bound lb_ig on the distance to every
# centre of the group other than its own. When centre j moves by delta_j:
#     u_i += delta_{a_i},    lb_ig -= max_{j in g} delta_j      (triangle inequality)
# (lb_ig is stored as lb_ig + D_g, D_g the group's total drift, so that the
# bounds move without being rewritten: see _yinyang_block.)
# A point whose u_i is below every lb_ig keeps its centre without computing a
# distance (the "global filter"); otherwise only the groups with lb_ig <= u_i
# are scanned (the "group filter"): every centre of such a group, so that the
# group's bound becomes exact again. With t ~ k / 10 groups this costs t
# bounds per point against Hamerly's one, and prunes far more when k is large.
#
# Measured and dropped: the paper's "local filter" (inside a scanned group,
# skip c_j when the group's old bound minus delta_j clears u_i). The bounds of
# the skipped centres stay loose and more groups fail the filter later: a
# full fit on 100k x 8, k = 1000 took 12.3 s with it (products one centre at
# a time, as the filter needs) against 6.0 s without it (each scanned group's
# products in one loop over its centres).
#
# The nearest centre is chosen by Lloyd's rounded value ||c||² - 2 x·c
# (lowest centre index on ties), so the labels are Lloyd's. The bounds are
# widened by a few ulps (``eps`` is the data type's machine epsilon) so that
# rounding never makes them wrong.
@jit(inline="always")
def _scan_group(X, i, Cg, c_sq_g, p0, p1, dots):
    """The smallest of Lloyd's values ``e_p = ||c_p||² - 2 x_i·c_p`` over positions ``p0:p1``.

    ``dots[p] = x_i·c_p`` is summed over features in order (the roundings
    of :func:`_dot_pair`) and kept for the tie pass. The centres are rows of
    ``Cg`` and the point's coordinates stay in registers: against products
    over a transposed group (a pass over its ~10 centres per feature), a
    step on 100k x 8, k = 1000, took 53 against 75 ms (one thread). Four
    centres go together (:func:`_dots4_rows`): one sum per centre waits on
    the previous add at every feature, four independent sums keep the adder
    busy (an early step, one thread, alternating in one process: 75-80 against
    83-85 ms; the same values).
    """
    e_min = np.inf
    p = p0
    while p + 4 <= p1:
        s0, s1, s2, s3 = _dots4_rows(X, i, Cg, p)
        dots[p], dots[p + 1], dots[p + 2], dots[p + 3] = s0, s1, s2, s3
        e_min = min(e_min, c_sq_g[p] - (s0 + s0), c_sq_g[p + 1] - (s1 + s1))
        e_min = min(e_min, c_sq_g[p + 2] - (s2 + s2), c_sq_g[p + 3] - (s3 + s3))
        p += 4
    d = Cg.shape[1]
    while p < p1:
        dot = X[i, 0] * Cg[p, 0]
        for f in range(1, d):
            dot = fma(X[i, f], Cg[p, f], dot)
        dots[p] = dot
        e_min = min(e_min, c_sq_g[p] - (dot + dot))
        p += 1
    return e_min


@jit(inline="always")
def _dots4_rows(X, i, Cg, p):
    """``x_i·c_q`` for the rows ``q = p..p+3`` of ``Cg``, each summed over features in order."""
    x = X[i, 0]
    s0, s1, s2, s3 = x * Cg[p, 0], x * Cg[p + 1, 0], x * Cg[p + 2, 0], x * Cg[p + 3, 0]
    for f in range(1, Cg.shape[1]):
        x = X[i, f]
        s0 = fma(x, Cg[p, f], s0)
        s1 = fma(x, Cg[p + 1, f], s1)
        s2 = fma(x, Cg[p + 2, f], s2)
        s3 = fma(x, Cg[p + 3, f], s3)
    return s0, s1, s2, s3


@jit(inline="always")
def _value_without(c_sq_g, dots, p0, p1, skip):
    """The smallest Lloyd value ``||c_p||² - 2 x·c_p`` over positions ``p0:p1`` but ``skip``.

    The nearest centre's own group: its bound leaves that centre out.
    ``dots`` holds the group's products (:func:`_scan_group`).
    """
    v = np.inf
    for p in range(p0, p1):
        if p != skip:
            v = min(v, c_sq_g[p] - (dots[p] + dots[p]))
    return v


@jit(inline="always")
def _group_bound(e_min, x_sq, c_sq_max, slack, drift_g):
    """A lower bound on the distance to every centre of a group, stored as float32 plus ``D_g``.

    ``e_min`` is the group's smallest Lloyd value and ``c_sq_max`` its
    largest ``||c||²``: :func:`_lower_sq` decreases in ``||c||²`` and grows
    with ``e``, so ``_lower_sq(e_min, x_sq, c_sq_max)`` is below each
    centre's own bound (looser by ``slack (c_sq_max - ||c||²)``, a few
    ulps), and one bound per group costs nothing per centre. The bound is
    stored with the group's total drift so far added (``drift_g``, see
    :func:`_yinyang_block`).
    """
    return _float32_below(_root(_lower_sq(e_min, x_sq, c_sq_max, slack)) + drift_g)


@jit
def _yinyang_first_block(
    X, C, Cg, c_sq_g, c_sq_max, perm, inv, gid, gstart, labels, upper, lower, start, stop, eps
):  # fmt: skip
    """Rows ``start:stop`` against every centre: labels and all bounds from scratch.

    By transposed tiles of rows, as Lloyd's :func:`_nearest_tile`. Group by
    group: the products with two centres at a time (:func:`_dot_pair`, the
    same roundings), the group's running minimum of Lloyd's values
    (:func:`_closer_step`; within a group the positions follow the centres'
    indices, so its first minimum is its lowest index); then, per row, the
    group's bound (:func:`_group_bound`) and the nearest centre so far (a
    tie goes to the lower index). The nearest centre's own group is then
    computed again per row, without that centre. All but that last step
    are vector loops over the rows: 100k x 8, k = 1000, one thread, 156
    against 245 ms row by row (four rows at a time over every centre).
    Returns how many labels changed.
    """
    k, d = C.shape
    t = gstart.shape[0] - 1
    slack, rel = _margins(d, eps)
    rows = tile_rows_for(d)
    xt = np.empty((d, rows), dtype=X.dtype)
    dot0 = np.empty(rows, dtype=X.dtype)
    dot1 = np.empty(rows, dtype=X.dtype)
    e_run = np.empty((2, rows), dtype=X.dtype)  # a group's running minimum...
    a_run = np.empty((2, rows), dtype=X.dtype)  # ...and its centre (ping-pong buffers)
    e_min = np.empty(rows, dtype=X.dtype)  # over the groups so far
    e_arg = np.empty(rows, dtype=X.dtype)
    x_sq = np.empty(rows)
    index = perm.astype(X.dtype)  # the centre at each position, as a float
    dots = np.empty(k, dtype=X.dtype)
    n_changed = 0
    for t0 in range(start, stop, rows):
        m = min(rows, stop - t0)
        _transpose_tile(X, t0, m, xt)
        for r in range(m):
            x_sq[r] = _row_sq_norm(X, t0 + r)
            e_min[r] = np.inf
            e_arg[r] = k
        for g in range(t):
            e_run[0, :m] = np.inf
            a_run[0, :m] = k
            s = 0  # e_run[s], a_run[s] hold the running minimum
            for p in range(gstart[g], gstart[g + 1], 2):
                pair = p + 1 < gstart[g + 1]
                if pair:
                    _dot_pair(xt, Cg, p, m, dot0, dot1)
                else:
                    _dot_one(xt, Cg, p, m, dot0)
                _closer_step(
                    dot0, c_sq_g[p], index[p], e_run[s], a_run[s], e_run[1 - s], a_run[1 - s], m
                )
                s = 1 - s
                if pair:
                    _closer_step(
                        dot1, c_sq_g[p + 1], index[p + 1],
                        e_run[s], a_run[s], e_run[1 - s], a_run[1 - s], m,
                    )  # fmt: skip
                    s = 1 - s
            _merge_group(
                e_run[s], a_run[s], x_sq, c_sq_max[g], slack, e_min, e_arg, lower, t0, g, m
            )
        for r in range(m):
            i = t0 + r
            # (no value below infinity, after an overflow: centre 0, as Lloyd's scan)
            best = np.int64(e_arg[r]) if e_arg[r] < k else 0
            # the nearest centre's group again, without that centre
            best_p = inv[best]
            g_best = gid[best_p]
            p0, p1 = gstart[g_best], gstart[g_best + 1]
            _scan_group(X, i, Cg, c_sq_g, p0, p1, dots)
            v = _value_without(c_sq_g, dots, p0, p1, best_p)
            lower[i, g_best] = _group_bound(v, x_sq[r], c_sq_max[g_best], slack, 0.0)
            if labels[i] != best:
                n_changed += 1
                labels[i] = best
            upper[i] = _upper_to(X, i, C, best, rel)
    return n_changed


@jit
def _merge_group(e_g, a_g, x_sq, c_sq_max, slack, e_min, e_arg, lower, t0, g, m):
    """Per row of a tile: group ``g``'s bound, and its nearest centre against the best so far.

    A tie between groups goes to the lower centre index, as Lloyd's scan.
    """
    for r in range(m):
        lower[t0 + r, g] = _group_bound(e_g[r], x_sq[r], c_sq_max, slack, 0.0)
        e, b = e_g[r], e_min[r]
        better = (e < b) | ((e == b) & (a_g[r] < e_arg[r]))  # no branch: vectorises
        e_min[r] = e if better else b
        e_arg[r] = a_g[r] if better else e_arg[r]


@jit(inline="always")
def _global_lower(lb, drift):
    """``min_g (lb_g - D_g)``: the point's lower bound on every centre but its own.

    Four running minima, merged at the end: a minimum is exact in any
    order, so the value is that of one running minimum, but one chain waits
    on the previous comparison at every group and four keep the comparator
    busy. A fit to convergence on 100k x 8, k = 1000 (106 steps, two
    threads, old and new alternating in fresh processes): 1.58-1.68 s
    against 2.07-2.15 s with one running minimum; the same labels.
    """
    t = drift.shape[0]
    m0 = m1 = m2 = m3 = np.inf
    g = 0
    while g + 4 <= t:
        v0 = np.float64(lb[g]) - drift[g]
        v1 = np.float64(lb[g + 1]) - drift[g + 1]
        v2 = np.float64(lb[g + 2]) - drift[g + 2]
        v3 = np.float64(lb[g + 3]) - drift[g + 3]
        m0 = v0 if v0 < m0 else m0
        m1 = v1 if v1 < m1 else m1
        m2 = v2 if v2 < m2 else m2
        m3 = v3 if v3 < m3 else m3
        g += 4
    while g < t:
        v0 = np.float64(lb[g]) - drift[g]
        m0 = v0 if v0 < m0 else m0
        g += 1
    m0 = m1 if m1 < m0 else m0
    m2 = m3 if m3 < m2 else m2
    return m2 if m2 < m0 else m0


@jit
def _yinyang_block(
    X, C, Cg, c_sq_g, c_sq_max, perm, inv, gid, gstart, shift, drift, labels, upper, lower,
    start, stop, eps,
):  # fmt: skip
    """Yinyang's assignment for rows ``start:stop`` after the centres moved.

    ``shift`` (k,) is how far each centre moved since the last step, and
    ``drift`` (t,) each group's total drift ``D_g`` since the first step
    (the sum of its largest moves, rounded up). A group bound is stored as
    ``lb_ig + D_g`` at the time it was set, so the bound now is
    ``lower[i, g] - D_g``: the bounds move with the centres without being
    written, and the pass over them only reads (n t float32, 40 MB at
    100k points and 100 groups; moved in place, that pass wrote them all
    back every step). Returns how many labels changed.
    """
    k, d = C.shape
    t = gstart.shape[0] - 1
    slack, rel = _margins(d, eps)
    scanned = np.empty(t, dtype=np.bool_)
    todo = np.empty(t, dtype=np.int64)
    dots = np.empty(k, dtype=X.dtype)
    n_changed = 0
    for i in range(start, stop):
        a = labels[i]
        lb = lower[i]
        # the upper bound moves with its centre; the global filter
        u = upper[i] + shift[a]
        glb = _global_lower(lb, drift)
        if u < glb:
            upper[i] = u
            continue
        d_a = math.sqrt(np.float64(squared_distance(X, i, C, a)))
        u = d_a * (1.0 + rel)
        if u < glb:
            upper[i] = u
            continue
        # the group filter: start from the current centre, with Lloyd's value
        x_sq = _row_sq_norm(X, i)
        pa = inv[a]
        best, best_p = a, pa
        e_best = _scan_group(X, i, Cg, c_sq_g, pa, pa + 1, dots)
        # the groups to scan, listed without a branch per group (a point
        # scans a few of ~100 groups: a branch on each mispredicted often)
        n_todo = 0
        for g in range(t):
            hit = not u < np.float64(lb[g]) - drift[g]
            scanned[g] = hit
            todo[n_todo] = g
            n_todo += 1 if hit else 0
        for s in range(n_todo):
            g = todo[s]
            # every centre of the group: its bound becomes exact again
            p0, p1 = gstart[g], gstart[g + 1]
            e_g = _scan_group(X, i, Cg, c_sq_g, p0, p1, dots)
            lb[g] = _group_bound(e_g, x_sq, c_sq_max[g], slack, drift[g])
            if e_g <= e_best:  # a nearer centre, or a tie: the lowest index wins
                for p in range(p0, p1):
                    e = c_sq_g[p] - (dots[p] + dots[p])
                    if e == e_g and (e < e_best or perm[p] < best):
                        best, best_p, e_best = perm[p], p, e
        g_best = gid[best_p]
        if scanned[g_best]:
            # the nearest centre's own group: its bound leaves that centre out
            v = _value_without(c_sq_g, dots, gstart[g_best], gstart[g_best + 1], best_p)
            lb[g_best] = _group_bound(v, x_sq, c_sq_max[g_best], slack, drift[g_best])
        if best != a:
            ga = gid[pa]
            if not scanned[ga]:
                # the old centre joins the bound of its group
                lb[ga] = min(lb[ga], _float32_below(d_a * (1.0 - rel) + drift[ga]))
            u = _upper_to(X, i, C, best, rel)
            labels[i] = best
            n_changed += 1
        upper[i] = u
    return n_changed


@jit(parallel=True)
def yinyang_assign_parallel(
    X, w, C, Cg, c_sq_g, c_sq_max, perm, inv, gid, gstart, shift, drift, labels, upper,
    lower, sums, weights, n_blocks, with_sums, first, eps,
):  # fmt: skip
    """Yinyang's assignment step, the row blocks spread over threads; Lloyd's labels.

    Parameters
    ----------
    X, w : (n, d), (n,) IN
    C : (k, d) IN
        The centres, in index order.
    Cg, c_sq_g : (k, d), (k,) IN
        The centres stored group by group, and their squared norms.
    c_sq_max : (t,) float64 IN
        Each group's largest ``|c_sq_g|``.
    perm, inv, gid : (k,) int64 IN
        Centre at each position, position of each centre, group of each position.
    gstart : (t + 1,) int64 IN
    shift, drift : (k,), (t,) float64 IN
        How far each centre moved since the last step (by index); each
        group's total drift since the first step (rounded up).
    labels : (n,) int32 INOUT
    upper, lower : (n,) float64, (n, t) float32 INOUT
        ``u_i >= ||x_i - c_{a_i}||``; ``lower[i, g] - drift[g] <= min_{j in g, j != a_i}
        ||x_i - c_j||``.
    sums, weights : (k, d), (k,) OUT
    n_blocks : int
    with_sums, first : bool
        ``first``: no bounds yet, every distance is computed.
    eps : float

    Cost: O(n t) per step for the bounds, O(d) per centre not filtered out;
    memory O(n t).
    """
    k, d = C.shape
    block_sums = np.zeros((n_blocks, k, d), dtype=X.dtype)
    block_weights = np.zeros((n_blocks, k), dtype=X.dtype)
    block_changed = np.zeros(n_blocks, dtype=np.int64)
    for b in prange(n_blocks):
        start, stop = _block_range(b, n_blocks, X.shape[0])
        if first:
            block_changed[b] = _yinyang_first_block(
                X, C, Cg, c_sq_g, c_sq_max, perm, inv, gid, gstart, labels, upper, lower,
                start, stop, eps,
            )  # fmt: skip
        else:
            block_changed[b] = _yinyang_block(
                X, C, Cg, c_sq_g, c_sq_max, perm, inv, gid, gstart, shift, drift, labels,
                upper, lower, start, stop, eps,
            )  # fmt: skip
        if with_sums:
            rows = slice(start, stop)
            _scatter_sums(X[rows], w[rows], labels[rows], block_sums[b], block_weights[b])
    reduce_blocks(block_sums, block_weights, sums, weights)
    return block_changed.sum()


@jit
def yinyang_rebase(lower, drift):
    """``lower[i, g] -= drift[g]`` (rounded down): the stored bounds start again from D = 0.

    A bound stored as ``lb + D_g`` keeps float32's relative precision of
    the sum; when the drifts grow far beyond the bounds, the caller moves
    every bound once and resets the drifts (one pass, like the moves of the
    textbook algorithm at every step). Serial: it is rare, and a threaded
    kernel would cost seconds of compilation the first time it runs.
    """
    n, t = lower.shape
    for i in range(n):
        for g in range(t):
            lower[i, g] = _float32_below(np.float64(lower[i, g]) - drift[g])


# ---------------------------------------------------------------------------
# greedy k-means++ seeding
# ---------------------------------------------------------------------------
@jit
def _weighted_potential(dist, w):
    """``sum_i w_i dist_i`` accumulated in float64."""
    acc = 0.0
    for i in range(dist.shape[0]):
        acc += np.float64(dist[i]) * np.float64(w[i])
    return acc


@jit
def _tile_dots4(XT, i0, m, X, p0, p1, p2, p3, h, dots):
    """``dots[c, r]``: the first ``h`` features of ``x_{p_c}·x_{i0+r}`` (h a multiple of 4).

    Each product is ``x_0 a_0`` and then one fused multiply-add per feature,
    in feature order (:func:`fma`), as in :func:`_tile_dots1`: a candidate's
    products are the same bits whichever function computes them. Four
    candidates and four features per pass over the tile: each value of the
    tile loaded and each partial product stored serves four and four
    multiply-adds. :func:`_tile_terms4` adds the last features.
    """
    d0, d1, d2, d3 = dots[0], dots[1], dots[2], dots[3]
    for f in range(0, h, 4):
        x0, x1 = XT[f, i0 : i0 + m], XT[f + 1, i0 : i0 + m]
        x2, x3 = XT[f + 2, i0 : i0 + m], XT[f + 3, i0 : i0 + m]
        a0, b0, c0, e0 = _float64s4(X, p0, p1, p2, p3, f)
        a1, b1, c1, e1 = _float64s4(X, p0, p1, p2, p3, f + 1)
        a2, b2, c2, e2 = _float64s4(X, p0, p1, p2, p3, f + 2)
        a3, b3, c3, e3 = _float64s4(X, p0, p1, p2, p3, f + 3)
        # each row's four values loaded once (named): the stores to ``dots``
        # would otherwise make the compiler load them again for each candidate
        if f == 0:
            for r in range(m):
                u0, u1, u2, u3 = x0[r], x1[r], x2[r], x3[r]
                d0[r] = fma(u3, a3, fma(u2, a2, fma(u1, a1, u0 * a0)))
                d1[r] = fma(u3, b3, fma(u2, b2, fma(u1, b1, u0 * b0)))
                d2[r] = fma(u3, c3, fma(u2, c2, fma(u1, c1, u0 * c0)))
                d3[r] = fma(u3, e3, fma(u2, e2, fma(u1, e1, u0 * e0)))
        else:
            for r in range(m):
                u0, u1, u2, u3 = x0[r], x1[r], x2[r], x3[r]
                d0[r] = fma(u3, a3, fma(u2, a2, fma(u1, a1, fma(u0, a0, d0[r]))))
                d1[r] = fma(u3, b3, fma(u2, b2, fma(u1, b1, fma(u0, b0, d1[r]))))
                d2[r] = fma(u3, c3, fma(u2, c2, fma(u1, c1, fma(u0, c0, d2[r]))))
                d3[r] = fma(u3, e3, fma(u2, e2, fma(u1, e1, fma(u0, e0, d3[r]))))


# Inlined into the caller, where the scratch arrays are its own: compiled
# alone, the seeding took 0.50-0.53 s instead of 0.47-0.50 (100k x 8, k = 1000).
@jit(inline="always")
def _tile_terms4(XT, i0, m, X, p0, p1, p2, p3, h, dots, x_sq_norms, closest, w, acc, flags):
    """Finish four candidates' products over the tile and add their terms.

    The features ``h..d-1`` (one to four; past the last, the coefficient is
    0, which leaves a sum unchanged) continue the chains of
    :func:`_tile_dots4` (from ``dots``; from 0 when ``h == 0``), and each
    product goes straight into its term
    ``w_r min(closest_r, ||x_r - x_{p_c}||²)`` (:func:`_distance`), added to
    ``acc[c, r]``. Nothing is stored between the last multiply-add and the
    sum: 0.32 against 0.39 ms a step on 100k x 8.

    ``flags[r]`` gets bit c set when candidate c comes closer to row r than
    its centre: the rows the chosen candidate will change
    (:func:`_take_flagged`).
    """
    d = XT.shape[0]
    last = d - 1
    x0, x1 = XT[h, i0 : i0 + m], XT[min(h + 1, last), i0 : i0 + m]
    x2, x3 = XT[min(h + 2, last), i0 : i0 + m], XT[min(h + 3, last), i0 : i0 + m]
    a0, b0, c0, e0 = _float64s4(X, p0, p1, p2, p3, h)
    a1, b1, c1, e1 = _coefficients4(X, p0, p1, p2, p3, h + 1)
    a2, b2, c2, e2 = _coefficients4(X, p0, p1, p2, p3, h + 2)
    a3, b3, c3, e3 = _coefficients4(X, p0, p1, p2, p3, h + 3)
    q0, q1, q2, q3 = x_sq_norms[p0], x_sq_norms[p1], x_sq_norms[p2], x_sq_norms[p3]
    d0, d1, d2, d3 = dots[0], dots[1], dots[2], dots[3]
    g0, g1, g2, g3 = acc[0], acc[1], acc[2], acc[3]
    sq_tile, closest_tile, w_tile = x_sq_norms[i0 : i0 + m], closest[i0 : i0 + m], w[i0 : i0 + m]
    if h == 0:
        # the chains start from 0: fma(u0, a0, 0) is u0 a0 up to the sign of
        # a zero product, which no distance below can see
        dots[:, :m] = 0.0
    for r in range(m):
        u0, u1, u2, u3 = x0[r], x1[r], x2[r], x3[r]
        v0 = fma(u3, a3, fma(u2, a2, fma(u1, a1, fma(u0, a0, d0[r]))))
        v1 = fma(u3, b3, fma(u2, b2, fma(u1, b1, fma(u0, b0, d1[r]))))
        v2 = fma(u3, c3, fma(u2, c2, fma(u1, c1, fma(u0, c0, d2[r]))))
        v3 = fma(u3, e3, fma(u2, e2, fma(u1, e1, fma(u0, e0, d3[r]))))
        sq, c, wr = sq_tile[r], np.float64(closest_tile[r]), np.float64(w_tile[r])
        s0, s1 = _distance(closest, v0, q0, sq), _distance(closest, v1, q1, sq)
        s2, s3 = _distance(closest, v2, q2, sq), _distance(closest, v3, q3, sq)
        g0[r] += (s0 if s0 < c else c) * wr
        g1[r] += (s1 if s1 < c else c) * wr
        g2[r] += (s2 if s2 < c else c) * wr
        g3[r] += (s3 if s3 < c else c) * wr
        flags[r] = (s0 < c) + 2 * (s1 < c) + 4 * (s2 < c) + 8 * (s3 < c)


@jit
def _distance(like, dot, p_sq, sq):
    """``max(0, (-2 x_p·x_r + ||x_p||²) + ||x_r||²)`` from ``dot = x_p·x_r``.

    scikit-learn's expanded form and order of additions, in float64 (float32
    data upcast, as scikit-learn does), rounded to the dtype of ``like``
    (X's) as scikit-learn's distance arrays hold it; returned in float64.
    ``-2 x_p·x_r`` is exact, so ``fma(-2, dot, p)`` is the sum rounded once,
    as the separate product and addition give, in one instruction.
    """
    dist = fma(-2.0, dot, p_sq) + sq
    return _round_like(like, dist if dist > 0 else 0.0)


def _round_like(like, x):
    """``x`` rounded to the dtype of the array ``like``, as a float64."""
    return np.float64(like.dtype.type(x))


@overload(_round_like, inline="always")
def _round_like_overload(like, x):
    if like.dtype == types.float32:
        return lambda like, x: np.float64(np.float32(x))
    return lambda like, x: np.float64(x)


@jit(inline="always")
def _float64s4(X, p0, p1, p2, p3, f):
    """Feature ``f`` of rows ``p0..p3`` of X, in float64."""
    return np.float64(X[p0, f]), np.float64(X[p1, f]), np.float64(X[p2, f]), np.float64(X[p3, f])


@jit(inline="always")
def _coefficients4(X, p0, p1, p2, p3, f):
    """:func:`_float64s4`, or four zeros past the last feature."""
    if f < X.shape[1]:
        return _float64s4(X, p0, p1, p2, p3, f)
    return 0.0, 0.0, 0.0, 0.0


@jit
def _tile_dots1(XT, i0, m, X, p, dot):
    """``dot[r] = x_p·x_{i0+r}``: :func:`_tile_dots4`'s arithmetic for one candidate."""
    d = XT.shape[0]
    x = XT[0, i0 : i0 + m]
    a = np.float64(X[p, 0])
    for r in range(m):
        dot[r] = x[r] * a
    for f in range(1, d):
        x = XT[f, i0 : i0 + m]
        a = np.float64(X[p, f])
        for r in range(m):
            dot[r] = fma(x[r], a, dot[r])


@jit(inline="always")
def _sum8(v, m):
    """``sum(v[:m])`` with eight running sums (fixed order; 8x the add throughput).

    A single running sum waits on the previous add at every term; eight
    independent ones keep the adder busy. The grouping depends on ``m`` only.
    """
    s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0.0
    r = 0
    while r + 8 <= m:
        s0 += v[r]
        s1 += v[r + 1]
        s2 += v[r + 2]
        s3 += v[r + 3]
        s4 += v[r + 4]
        s5 += v[r + 5]
        s6 += v[r + 6]
        s7 += v[r + 7]
        r += 8
    while r < m:
        s0 += v[r]
        r += 1
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))


@jit
def _try_candidates_block(X, XT, x_sq_norms, w, closest, candidates, start, stop, partial, flags):
    """Rows ``start:stop``: the potential each candidate would leave, ``partial[t]``.

    ``partial[t] = sum_i w_i min(closest_i, ||x_i - x_{cand_t}||²)`` over the
    block, the distance by :func:`_distance`. The rows go by tiles of
    :data:`TILE_ROWS` (``XT``, the data transposed), four candidates per
    pass over a tile (:func:`_tile_dots4` for all features but the last one
    to four, :func:`_tile_terms4` for those and the terms); nothing of size
    L x n is written, so the pass stays in cache.
    """
    n_trials = candidates.shape[0]
    d = X.shape[1]
    h = 4 * ((d - 1) // 4)  # the features before the last one to four
    # Rows padded past the tile (2 KiB): rows 4 KiB apart made each store to
    # one stall the loads from the other ("4K aliasing"), 0.6 against 0.35 ms
    # a pass, depending on where the heap happened to put them.
    dots = np.empty((4, TILE_ROWS + 24))
    # per candidate and row of a tile, the sum of its terms over the tiles
    # (vector adds; one sum over the rows at the end of the block); four rows
    # per group of four candidates, the unused ones for stand-ins
    acc = np.zeros((4 * ((n_trials + 3) // 4), TILE_ROWS + 40))
    last = n_trials - 1
    for i0 in range(start, stop, TILE_ROWS):
        m = min(TILE_ROWS, stop - i0)
        for t0 in range(0, n_trials, 4):
            # four candidates a pass; past the last one, it stands in (unused)
            p0, p1 = candidates[t0], candidates[min(t0 + 1, last)]
            p2, p3 = candidates[min(t0 + 2, last)], candidates[min(t0 + 3, last)]
            _tile_dots4(XT, i0, m, X, p0, p1, p2, p3, h, dots)
            _tile_terms4(
                XT, i0, m, X, p0, p1, p2, p3, h, dots, x_sq_norms, closest, w,
                acc[t0 : t0 + 4], flags[t0 // 4, i0 : i0 + m],
            )  # fmt: skip
    for t in range(n_trials):
        partial[t] = _sum8(acc[t], TILE_ROWS)


@jit(parallel=True)
def _try_candidates(X, XT, x_sq_norms, w, closest, candidates, n_blocks, pots, flags):
    """:func:`_try_candidates_block` over fixed blocks (threads), summed in block order."""
    n_trials = candidates.shape[0]
    partial = np.zeros((n_blocks, n_trials))
    for b in prange(n_blocks):
        start, stop = _block_range(b, n_blocks, X.shape[0])
        _try_candidates_block(
            X, XT, x_sq_norms, w, closest, candidates, start, stop, partial[b], flags
        )
    for t in range(n_trials):
        acc = 0.0
        for b in range(n_blocks):
            acc += partial[b, t]
        pots[t] = acc


@jit
def _try_candidates_serial(X, XT, x_sq_norms, w, closest, candidates, n_blocks, pots, flags):
    """:func:`_try_candidates` on one thread (same blocks, same sums)."""
    n_trials = candidates.shape[0]
    partial = np.zeros((n_blocks, n_trials))
    for b in range(n_blocks):
        start, stop = _block_range(b, n_blocks, X.shape[0])
        _try_candidates_block(
            X, XT, x_sq_norms, w, closest, candidates, start, stop, partial[b], flags
        )
    for t in range(n_trials):
        acc = 0.0
        for b in range(n_blocks):
            acc += partial[b, t]
        pots[t] = acc


@jit
def _take_candidate_tiles(X, XT, x_sq_norms, w, closest, p, tile0, tile1, totals, with_totals):
    """``closest_i = min(closest_i, ||x_i - x_p||²)`` for the rows of tiles ``tile0:tile1``.

    With ``with_totals``, also each segment's ``totals[g]`` while the tile is
    in cache (:func:`_segment_total`).
    """
    n = X.shape[0]
    dot = np.empty(TILE_ROWS)
    p_sq = x_sq_norms[p]
    for tile in range(tile0, tile1):
        i0 = tile * TILE_ROWS
        m = min(TILE_ROWS, n - i0)
        _tile_dots1(XT, i0, m, X, p, dot)
        sq_tile = x_sq_norms[i0 : i0 + m]
        closest_tile = closest[i0 : i0 + m]
        for r in range(m):
            v = _distance(closest, dot[r], p_sq, sq_tile[r])
            c = np.float64(closest_tile[r])
            closest_tile[r] = v if v < c else c
        if with_totals:
            for g in range(i0 // SEGMENT_ROWS, -(-(i0 + m) // SEGMENT_ROWS)):
                totals[g] = _segment_total(w, closest, g)


@jit(parallel=True)
def _take_candidate(X, XT, x_sq_norms, w, closest, p, n_blocks, totals, with_totals):
    """The chosen candidate joins: :func:`_take_candidate_tiles` over blocks of tiles."""
    n_tiles = -(-X.shape[0] // TILE_ROWS)
    for b in prange(n_blocks):
        tile0, tile1 = _block_range(b, n_blocks, n_tiles)
        _take_candidate_tiles(X, XT, x_sq_norms, w, closest, p, tile0, tile1, totals, with_totals)


@jit(inline="always")
def _join(X, XT, x_sq_norms, w, closest, p, parallel, n_blocks, totals, with_totals):
    """Point ``p`` becomes a centre: ``closest`` takes its distances by the full pass (and,
    with ``with_totals``, ``totals`` the segments' sums)."""
    if parallel:
        _take_candidate(X, XT, x_sq_norms, w, closest, p, n_blocks, totals, with_totals)
    else:
        n_tiles = -(-X.shape[0] // TILE_ROWS)
        _take_candidate_tiles(X, XT, x_sq_norms, w, closest, p, 0, n_tiles, totals, with_totals)


@jit
def _take_flagged(X, x_sq_norms, w, closest, p, flags, bit, totals, with_totals, limit):
    """The chosen candidate joins through the rows it comes closer to: those with
    ``bit`` set in ``flags`` (:func:`_tile_terms4`). False, part done, past
    ``limit`` rows (the caller then joins by the full pass, which gives the
    same values).

    Late in a seeding a new centre takes a few hundred of 100k rows; this
    reads a byte a row (8 at a time) instead of the whole data: 0.2 ms a
    step less on 100k x 8. Each distance has the same bits as in the full
    pass (:func:`_row_dot`, :func:`_distance`); each segment that changed
    gets its total again.
    """
    n = X.shape[0]
    words = flags.view(np.uint64)
    every_byte = np.uint64(0x0101010101010101) << np.uint64(bit)
    p_sq = x_sq_norms[p]
    count = 0
    dirty = -1  # the segment whose total is not yet made again
    for j in range(words.shape[0]):
        if words[j] & every_byte == 0:
            continue
        for i in range(8 * j, min(8 * j + 8, n)):
            if (flags[i] >> bit) & 1 == 0:
                continue
            count += 1
            if count > limit:
                return False
            v = _distance(closest, _row_dot(X, i, p), p_sq, x_sq_norms[i])
            c = np.float64(closest[i])
            closest[i] = v if v < c else c
            segment = i // SEGMENT_ROWS
            if with_totals and segment != dirty:
                if dirty >= 0:
                    totals[dirty] = _segment_total(w, closest, dirty)
                dirty = segment
    if with_totals and dirty >= 0:
        totals[dirty] = _segment_total(w, closest, dirty)
    return True


@jit
def _row_dot(X, i, p):
    """``x_i·x_p`` in float64, :func:`_tile_dots1`'s chain for one row."""
    dot = np.float64(X[i, 0]) * np.float64(X[p, 0])
    for f in range(1, X.shape[1]):
        dot = fma(np.float64(X[i, f]), np.float64(X[p, f]), dot)
    return dot


@jit(inline="always")
def _cumsum_term(w, values, i):
    """Row i's term of scikit-learn's ``np.cumsum(w * D)``: the product rounded to X's
    dtype, as NumPy's array holds it, in float64."""
    return np.float64(w[i] * values[i])


@jit
def _segment_total(w, values, g):
    """The sum of :func:`_cumsum_term` over segment ``g`` (rows ``64 g .. 64 g + 63``),
    in float64 by four running sums (any order will do: see
    :func:`_search_segments`)."""
    i0, i1 = g * SEGMENT_ROWS, min((g + 1) * SEGMENT_ROWS, values.shape[0])
    s0 = s1 = s2 = s3 = 0.0
    i = i0
    while i + 4 <= i1:
        s0 += _cumsum_term(w, values, i)
        s1 += _cumsum_term(w, values, i + 1)
        s2 += _cumsum_term(w, values, i + 2)
        s3 += _cumsum_term(w, values, i + 3)
        i += 4
    while i < i1:
        s0 += _cumsum_term(w, values, i)
        i += 1
    return (s0 + s1) + (s2 + s3)


@jit(inline="always")
def _searchsorted_clipped(running, targets, found):
    """``found[t] = min(searchsorted(running, targets[t]), n - 1)``, as scikit-learn clips."""
    n = running.shape[0]
    for t in range(targets.shape[0]):
        found[t] = min(np.searchsorted(running, targets[t]), n - 1)


@jit(inline="always")
def _running_sum(w, values, running):
    """``running[i] = running[i-1] + w_i values_i``: one addition after another in X's
    dtype, as NumPy's ``cumsum`` adds (scikit-learn samples from ``np.cumsum(w * D)``)."""
    running[0] = w[0] * values[0]
    for i in range(1, running.shape[0]):
        running[i] = running[i - 1] + w[i] * values[i]


@jit
def _segmented_value(w, values, offsets, i):
    """Row ``i``'s running sum by segments: the sum before its segment, then its
    segment's terms up to row i, added in row order (float64)."""
    g = i // SEGMENT_ROWS
    s = offsets[g]
    for j in range(g * SEGMENT_ROWS, i + 1):
        s += _cumsum_term(w, values, j)
    return s


@jit
def _search_segments(w, values, totals, offsets, targets, unit_roundoff, found):
    """``found[t] = min(searchsorted(cumsum(w values), targets[t]), n - 1)`` from the
    segments' totals, when it is provably the same index; False when a target
    is too close to call.

    ``offsets`` (n_segments + 1, OUT) gets the sums before each segment
    (``totals`` added in turn). Row i's running sum is taken as the sum
    before its segment plus its segment's terms up to i
    (:func:`_segmented_value`): the same terms as NumPy's single running sum
    adds, in another order. Any order of adding ``i`` non-negative terms is
    within ``gamma_i S_i`` of their exact sum ``S_i`` (``gamma_i = i u / (1 -
    i u)``, u the unit roundoff), so the two running sums differ by at most
    ``delta = 2.02 n u S``. The index r found is kept only when the value at
    r is at least ``delta`` above the target and the one at r - 1 at least
    ``delta`` below: NumPy's running sum, increasing, then crosses the
    target at r too, however r was found. A target fails that test with
    probability about ``4 n² u`` (``2 delta`` against terms of typical size
    ``S / n``): about 1e-5 on 100k rows in float64.
    """
    n = values.shape[0]
    n_segments = totals.shape[0]
    offsets[0] = 0.0
    for g in range(n_segments):
        offsets[g + 1] = offsets[g] + totals[g]
    delta = 2.02 * n * unit_roundoff * offsets[n_segments]
    for t in range(targets.shape[0]):
        target = targets[t]
        # the first segment whose end reaches the target, then the first row in it
        g = np.searchsorted(offsets[1:], target)
        idx = n
        if g < n_segments:
            idx = min((g + 1) * SEGMENT_ROWS, n)
            s = offsets[g]
            for i in range(g * SEGMENT_ROWS, idx):
                s += _cumsum_term(w, values, i)
                if s >= target:
                    idx = i
                    break
        r = min(idx, n - 1)
        if r >= 1 and not _segmented_value(w, values, offsets, r - 1) + delta < target:
            return False
        if r < n - 1 and not _segmented_value(w, values, offsets, r) - delta >= target:
            return False
        found[t] = r
    return True


@jit
def kmeans_plusplus_kernel(
    X, x_sq_norms, w, first, uniforms, centers, indices, parallel, unit_roundoff
):
    """Greedy k-means++: each new centre is the best of L sampled candidates.

    With ``D_i`` the squared distance from x_i to its nearest chosen centre
    and ``phi = sum_i w_i D_i`` the potential, each step draws L candidates
    with probability ``w_i D_i / phi`` (inverse CDF: ``searchsorted`` of
    ``u * phi`` in the running sum of ``w_i D_i``) and keeps the candidate
    whose addition lowers phi the most. A step:

    1. the draws: each target's row in the running sum
       (:func:`_search_segments`, else :func:`_running_sum`);
    2. the candidates' potentials, in one pass over the data
       (:func:`_try_candidates`), which also flags the rows each candidate
       comes closer to;
    3. the best candidate joins: ``D_i`` takes its distances, through its
       flagged rows (:func:`_take_flagged`) or, when they are many, a full
       pass (:func:`_join`).

    Parameters
    ----------
    X : (n, d) IN
    x_sq_norms : (n,) float64 IN
        ``||x_i||²``.
    w : (n,) IN
    first : int
        The first centre's index (drawn in Python with ``choice``).
    uniforms : (k - 1, L) float64 IN
        The uniform draws in [0, 1), drawn in Python in scikit-learn's order.
    centers : (k, d) OUT
    indices : (k,) int64 OUT
    parallel : bool
        Spread each pass over threads (same result; pays from ~1e6 L n d).
    unit_roundoff : float
        Half the machine epsilon of X's dtype.

    Cost: O(k L n d) time (the L candidates of a step share one pass over
    the data, spread over threads by blocks), O(n d) memory (a float64 copy
    of the data, feature-major; besides, ``ceil(L / 4)`` flag bytes and two
    distances per row, and a float64 total per 64 rows).
    """
    n, d = X.shape
    k = centers.shape[0]
    n_trials = uniforms.shape[1]
    n_blocks = n_blocks_for_rows(n)
    # The segments' totals, kept up to date as centres join, save the
    # sequential pass of NumPy's running sum (0.08 ms a step on 100k rows)
    # when the index each draw finds is proven to be the same
    # (:func:`_search_segments`). The proof fails for about 4 n² u of the
    # draws, so it is tried where that is small: float64 up to millions of rows.
    segmented = 4.0 * n * n * unit_roundoff < 0.01
    closest = np.empty(n, dtype=X.dtype)
    running = np.empty(n, dtype=X.dtype)  # NumPy's running sum, when it is needed
    totals = np.empty(-(-n // SEGMENT_ROWS))
    offsets = np.empty(totals.shape[0] + 1)
    targets = np.empty(n_trials)
    candidates = np.empty(n_trials, dtype=np.int64)
    pots64 = np.empty(n_trials)
    pots = np.empty(n_trials, dtype=X.dtype)  # potentials kept in X's precision
    # per group of four candidates, a byte per row: the candidates closer to it
    # than its centre (bytes to a multiple of 8, read 8 at a time)
    flags = np.zeros(((n_trials + 3) // 4, 8 * -(-n // 8)), dtype=np.uint8)
    # the data feature-major, in float64, once: each pass then reads contiguous
    # rows with no transposition (the pass that adds the chosen centre was
    # mostly transposing: 0.27 ms per step on 100k x 8)
    XT = np.empty((d, n))
    for i in range(n):
        for f in range(d):
            XT[f, i] = X[i, f]

    indices[0] = first
    centers[0] = X[first]
    # the first centre's distances: a candidate joining with nothing chosen yet
    for i in range(n):
        closest[i] = np.inf
    _join(X, XT, x_sq_norms, w, closest, first, parallel, n_blocks, totals, segmented)
    pots[0] = _weighted_potential(closest, w)
    potential = pots[0]
    for c in range(1, k):
        for t in range(n_trials):
            targets[t] = uniforms[c - 1, t] * potential
        if not (
            segmented
            and _search_segments(w, closest, totals, offsets, targets, unit_roundoff, candidates)
        ):
            _running_sum(w, closest, running)
            _searchsorted_clipped(running, targets, candidates)
        if parallel:
            _try_candidates(X, XT, x_sq_norms, w, closest, candidates, n_blocks, pots64, flags)
        else:
            _try_candidates_serial(
                X, XT, x_sq_norms, w, closest, candidates, n_blocks, pots64, flags
            )
        for t in range(n_trials):
            pots[t] = pots64[t]
        best = np.argmin(pots)
        potential = pots[best]
        p = candidates[best]
        if not _take_flagged(
            X, x_sq_norms, w, closest, p, flags[best // 4], best % 4, totals, segmented, n // 16
        ):
            _join(X, XT, x_sq_norms, w, closest, p, parallel, n_blocks, totals, segmented)
        indices[c] = p
        centers[c] = X[p]
