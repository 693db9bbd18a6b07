"""The jitted loops of the Gaussian mixture's EM algorithm.

Entry points, each one step of EM on plain arrays (the estimator in
``mixture.py`` calls them; a notebook can too):

Cholesky factors (one d x d matrix per component, O(k d^3))
    ``precisions_cholesky_full``   covariance Sigma -> upper U with U U^T = Sigma^-1
    ``cholesky_of_precisions``     precision P      -> upper U with U U^T = P

E-step (log-densities, O(n k d) or O(n k d^2))
    ``weighted_log_prob_full``       full covariances, directly from X (small d)
    ``weighted_log_prob_projected``  tied (many features), from Y = X U computed by BLAS
    ``weighted_log_prob_parts``      full (many features), from the column bands of X U_k
    ``weighted_log_prob_tiled``      diagonal, spherical, or tied with few features
    ``normalize_log_prob``           log-sum-exp: responsibilities and log p(x)
    ``e_step_tiled``                 the last two in one pass

M-step
    ``weighted_sums``             resp^T @ design: every weighted sum in one pass
    ``scaled_deviations``         sqrt(r_ik) (x_i - mu_k), to feed a BLAS X^T X

Every E-step kernel writes the *weighted* log-probability

    log w_k + log N(x_i | mu_k, Sigma_k)
        = log_const[k] - 0.5 * || (x_i - mu_k) U_k ||^2,

    log_const[k] = log w_k - 0.5 d log(2 pi) + sum_j log U_k[j, j],

where U_k is the upper-triangular Cholesky factor of the precision
(U_k U_k^T = Sigma_k^-1): the Mahalanobis distance is a squared norm and the
log-determinant a sum of logs of a diagonal.

Row loops run in parallel with ``prange``. The one kernel that adds over
rows (``weighted_sums``) uses a number of chunks that depends only on ``n``
(never on the thread count), each chunk owning its partial sums, reduced
serially in chunk order: the result is the same, bit for bit, for any number
of threads.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from ._jit import jit
from ._kmeans_kernels import _transpose_tile

__all__ = [
    "cholesky_lower",
    "cholesky_of_precisions",
    "exp_nonpositive",
    "normalize_log_prob",
    "precisions_cholesky_full",
    "scaled_deviations",
    "weighted_sums",
    "row_argmax",
    "e_step_tiled",
    "e_step_moments",
    "moment_sums",
    "weighted_log_prob_full",
    "weighted_log_prob_projected",
    "weighted_log_prob_parts",
    "weighted_log_prob_tiled",
]


# weighted_sums splits the rows into at most this many chunks, each at least
# _CHUNK_ROWS long; the split depends on n only, so sums do not depend on the
# number of threads.
_MAX_CHUNKS = 64
_CHUNK_ROWS = 2048


# ---------------------------------------------------------------------------
# Cholesky factors
# ---------------------------------------------------------------------------
@jit
def cholesky_lower(A, L):
    """Cholesky factor of a symmetric positive-definite matrix: A = L L^T.

    Parameters
    ----------
    A : ndarray of shape (d, d)            IN, only the lower triangle is read
    L : ndarray of shape (d, d)            OUT, lower triangular (upper part set to 0)

    Returns
    -------
    ok : bool
        False when a pivot ``A[j, j] - sum_m L[j, m]^2`` is not positive (or is
        NaN): A is not numerically positive definite, and L is incomplete.

    Notes
    -----
    ``L[j, j] = sqrt(A[j, j] - sum_{m<j} L[j, m]^2)`` and, below the diagonal,
    ``L[i, j] = (A[i, j] - sum_{m<j} L[i, m] L[j, m]) / L[j, j]``. About
    d^3 / 3 flops. Computed right-looking: once column j is known, its
    products are subtracted from the rest of the lower triangle (held in L
    itself), row by row along contiguous memory. Each entry still receives
    its products in the order m = 0, 1, ... (the same bits as the sums
    above), but the inner loop now runs over independent entries and
    vectorises: 3-4x faster at d = 64 than summing each entry's products
    in turn.
    """
    d = A.shape[0]
    for i in range(d):  # the lower triangle of A, to be reduced in place
        for m in range(i + 1):
            L[i, m] = A[i, m]
        for m in range(i + 1, d):
            L[i, m] = 0.0
    column = np.empty(d, dtype=L.dtype)
    for j in range(d):
        pivot = L[j, j]
        if not pivot > 0.0:  # also catches NaN
            return False
        l_jj = math.sqrt(pivot)
        L[j, j] = l_jj
        for i in range(j + 1, d):
            L[i, j] = L[i, j] / l_jj
            column[i] = L[i, j]
        # L[i, m] -= L[i, j] L[m, j] for j < m <= i
        for i in range(j + 1, d):
            l_ij = column[i]
            row = L[i, j + 1 : i + 1]
            col = column[j + 1 : i + 1]
            for m in range(i - j):
                row[m] -= l_ij * col[m]
    return True


@jit
def _inverse_lower_transposed(L, U):
    """U = (L^-1)^T for lower-triangular L; U is upper triangular.

    Parameters
    ----------
    L : ndarray of shape (d, d)    IN, lower triangular with a positive diagonal
    U : ndarray of shape (d, d)    OUT, upper triangular

    Notes
    -----
    Row c of U is column c of Z = L^-1, found by forward substitution of
    L z = e_c: ``z_c = 1 / L[c, c]`` and, for i > c,
    ``z_i = -(sum_{c<=m<i} L[i, m] z_m) / L[i, i]``. Zeros above the pivot are
    skipped, so the inversion costs about d^3 / 6 multiply-adds. The sums are
    formed column-oriented: once ``z_m`` is known it is added, times column m
    of L (a row of ``L^T``, contiguous), into the running sums of every
    ``i > m``. Each sum still adds its terms in the order m = c, c+1, ...
    (the same bits), in a loop that vectorises.
    """
    d = L.shape[0]
    LT = np.ascontiguousarray(L.T)
    s = np.empty(d, dtype=U.dtype)
    for c in range(d):
        u = U[c]
        for i in range(c):
            u[i] = 0.0
        for i in range(c, d):
            s[i] = 0.0
        for m in range(c, d):
            z = 1.0 / L[c, c] if m == c else -s[m] / L[m, m]
            u[m] = z
            column = LT[m, m + 1 :]
            tail = s[m + 1 :]
            for i in range(d - m - 1):
                tail[i] += column[i] * z


@jit
def precisions_cholesky_full(covariances, precisions_chol):
    """Upper Cholesky factors of the precisions from the covariances.

    For each component, ``Sigma = L L^T`` (L lower), then ``U = L^-T`` so that
    ``U U^T = L^-T L^-1 = Sigma^-1``. U is what the E-step needs: the
    Mahalanobis distance is ``|| (x - mu) U ||^2`` and
    ``log det Sigma^-1 = 2 sum_j log U[j, j]``.

    Parameters
    ----------
    covariances : ndarray of shape (k, d, d)        IN
    precisions_chol : ndarray of shape (k, d, d)    OUT, upper triangular

    Returns
    -------
    failed : int
        -1 when every factorisation succeeded, else the first component whose
        covariance is not numerically positive definite.
    """
    k, d, _ = covariances.shape
    L = np.empty((d, d), dtype=covariances.dtype)
    for c in range(k):
        if not cholesky_lower(covariances[c], L):
            return c
        _inverse_lower_transposed(L, precisions_chol[c])
    return -1


@jit
def cholesky_of_precisions(precisions, precisions_chol):
    """Upper-triangular U with ``U U^T = P`` for each precision matrix P.

    The usual Cholesky factor is lower triangular (P = L L^T); the E-step wants
    the upper one, the factorisation run from the last row and column up:
    ``U[j, j] = sqrt(P[j, j] - sum_{m>j} U[j, m]^2)`` and, above the diagonal,
    ``U[i, j] = (P[i, j] - sum_{m>j} U[i, m] U[j, m]) / U[j, j]``. (It is the
    lower factor of P with rows and columns reversed, reversed back.)

    Parameters
    ----------
    precisions : ndarray of shape (k, d, d)         IN, only the upper triangle is read
    precisions_chol : ndarray of shape (k, d, d)    OUT, upper triangular

    Returns
    -------
    failed : int
        -1 on success, else the first component that is not positive definite.
    """
    k, d, _ = precisions.shape
    for c in range(k):
        P = precisions[c]
        U = precisions_chol[c]
        for j in range(d - 1, -1, -1):
            pivot = P[j, j]
            for m in range(j + 1, d):
                pivot -= U[j, m] * U[j, m]
            if not pivot > 0.0:
                return c
            u_jj = math.sqrt(pivot)
            U[j, j] = u_jj
            for i in range(j):
                s = P[i, j]
                for m in range(j + 1, d):
                    s -= U[i, m] * U[j, m]
                U[i, j] = s / u_jj
            for i in range(j + 1, d):
                U[i, j] = 0.0
    return -1


# ---------------------------------------------------------------------------
# E-step: weighted log-probabilities, then log-sum-exp
# ---------------------------------------------------------------------------
@jit(parallel=True)
def weighted_log_prob_full(X, means, precisions_chol, log_const, out):
    """Weighted log-densities of full-covariance components, straight from X.

    ``out[i, k] = log_const[k] - 0.5 * sum_j y_j^2`` with
    ``y_j = sum_{m<=j} (X[i, m] - means[k, m]) U_k[m, j]``: U_k is upper
    triangular, so column j of the product only needs the first j+1
    deviations (half the multiply-adds of a dense product). O(n k d^2 / 2);
    for large d, ``weighted_log_prob_projected`` with a BLAS product is faster.

    Parameters
    ----------
    X : ndarray of shape (n, d)                     IN
    means : ndarray of shape (k, d)                 IN
    precisions_chol : ndarray of shape (k, d, d)    IN, upper triangular U_k
    log_const : ndarray of shape (k,)               IN
    out : ndarray of shape (n, k)                   OUT
    """
    n, d = X.shape
    k = means.shape[0]
    for i in prange(n):
        for c in range(k):
            maha = 0.0
            for j in range(d):
                y = 0.0
                for m in range(j + 1):
                    y += (X[i, m] - means[c, m]) * precisions_chol[c, m, j]
                maha += y * y
            out[i, c] = log_const[c] - 0.5 * maha


@jit(inline="always")
def _squared_distance(y, b):
    """``sum_j (y_j - b_j)^2`` with four running sums (lanes j mod 4), added pairwise.

    The four independent additions fill one SIMD register: about 2x faster
    than one running sum, which the compiler must keep in order.
    """
    d = y.shape[0]
    s0 = s1 = s2 = s3 = 0.0
    j = 0
    while j + 4 <= d:
        t0 = y[j] - b[j]
        t1 = y[j + 1] - b[j + 1]
        t2 = y[j + 2] - b[j + 2]
        t3 = y[j + 3] - b[j + 3]
        s0 += t0 * t0
        s1 += t1 * t1
        s2 += t2 * t2
        s3 += t3 * t3
        j += 4
    while j < d:
        t0 = y[j] - b[j]
        s0 += t0 * t0
        j += 1
    return (s0 + s1) + (s2 + s3)


# Serial on purpose: called between BLAS products, where a parallel region's
# spinning worker threads would fight BLAS's own threads for the cores.
@jit
def weighted_log_prob_projected(Y, B, log_const, out):
    """Tied covariance: weighted log-densities from data already multiplied by the factor.

    With ``Y = X @ U`` (BLAS) and ``B[k] = means[k] @ U``:
    ``out[i, k] = log_const[k] - 0.5 * sum_j (Y[i, j] - B[k, j])^2``, since
    ``(x - mu) U = x U - mu U``. The d^2 work per row sits in the BLAS
    product; this kernel is O(n k d).

    Parameters
    ----------
    Y : ndarray of shape (n, d)            IN
    B : ndarray of shape (k, d)            IN
    log_const : ndarray of shape (k,)      IN
    out : ndarray of shape (n, k)          OUT
    """
    n = Y.shape[0]
    k = B.shape[0]
    for i in range(n):
        y = Y[i]
        for c in range(k):
            out[i, c] = log_const[c] - 0.5 * _squared_distance(y, B[c])


@jit  # serial, like weighted_log_prob_projected
def weighted_log_prob_parts(Y, bounds, B, log_const, out):
    """Full covariances: weighted log-densities from ``X @ [U_1 | ... | U_k]`` by column bands.

    ``out[i, c] = log_const[c] - 0.5 ||y - B[c]||^2`` with ``y = x U_c`` and
    ``B[c] = mu_c U_c``, as :func:`weighted_log_prob_projected`. U is upper
    triangular, so its columns ``e_{s-1} .. e_s - 1`` (band s) only use the
    first ``e_s`` features: ``y[e_{s-1}:e_s] = x[:e_s] U[:e_s, e_{s-1}:e_s]``.
    The caller multiplies ``X[:, :e_s]`` by the k bands ``U_c[:e_s,
    e_{s-1}:e_s]`` side by side, one BLAS product per band, skipping the
    zero blocks below the diagonal: with S equal bands, (S + 1) / 2S of a
    dense product's flops (5/8 for S = 4).

    Parameters
    ----------
    Y : ndarray of shape (rows * k * d,)     IN
        The S products one after the other, each ``(rows, k * w_s)``
        row-major (``w_s = e_s - e_{s-1}``; component c's columns at
        ``c * w_s``).
    bounds : ndarray of shape (S + 1,), int64    IN, ``0 = e_0 < ... < e_S = d``
    B : ndarray of shape (k, d)              IN
    log_const : ndarray of shape (k,)        IN
    out : ndarray of shape (rows, k)         OUT

    The squared norm is added band by band, in band order.
    """
    rows = out.shape[0]
    k, d = B.shape
    n_bands = bounds.shape[0] - 1
    for i in range(rows):
        for c in range(k):
            out[i, c] = 0.0
    for s in range(n_bands):
        lo = bounds[s]
        w = bounds[s + 1] - lo
        band = Y[rows * k * lo : rows * k * (lo + w)]
        for i in range(rows):
            y = band[i * k * w : (i + 1) * k * w]
            for c in range(k):
                out[i, c] += _squared_distance(y[c * w : c * w + w], B[c, lo : lo + w])
    for i in range(rows):
        for c in range(k):
            out[i, c] = log_const[c] - 0.5 * out[i, c]


# kinds of the tiled E-step kernels below
DIAG, SPHERICAL, TIED = 0, 1, 2

_TILE_ROWS = 256


@jit(inline="always")
def _transposed_rows(X, start, stop):
    """``xt[j, r] = X[start + r, j]``: a tile of rows, feature-major (a new float64 array)."""
    xt = np.empty((X.shape[1], stop - start))
    _transpose_tile(X, start, stop - start, xt)  # k-means' tiles are made the same way
    return xt


@jit(fastmath={"contract"})
def _log_prob_tile(kind, xt, means, precisions, log_const):
    """Weighted log-densities of a tile of rows given feature-major, component-major: ``a[c, r]``.

    ``kind`` and its arrays (``means`` (k, d) in every case):

    * ``DIAG``: ``precisions`` (k, d) the inverse variances;
      ``a[c, r] = log_const[c] - 0.5 sum_j (x_j - mu_cj)^2 p_cj``;
    * ``SPHERICAL``: ``precisions`` (k, 1);
      ``a[c, r] = log_const[c] - 0.5 p_c sum_j (x_j - mu_cj)^2``;
    * ``TIED``: ``precisions`` the (d, d) upper factor U and ``means`` the
      projected means ``mu_c U``; ``a[c, r] = log_const[c] - 0.5 sum_j (y_j -
      (mu_c U)_j)^2`` with ``y = x U`` (as scikit-learn forms it).

    The caller transposes the tile (``xt[j, r] = X[start + r, j]``), so every
    step is a loop over the tile's rows that vectorises, where row by row it
    was a loop of d = 2 terms per entry; the features are added in order.
    ``fastmath={"contract"}`` lets the compiler fuse each ``t * t * p + s``
    into a multiply-add (one rounding fewer; 4% of a diagonal E-step at
    100k x 16, k = 10).
    """
    d, m = xt.shape
    k = means.shape[0]
    if kind == TIED:  # y = x U, U upper triangular: y_j = sum_{i <= j} x_i U_ij
        yt = np.zeros((d, m))
        for j in range(d):
            yj = yt[j]
            for i in range(j + 1):
                u = precisions[i, j]
                xi = xt[i]
                for r in range(m):
                    yj[r] += xi[r] * u
        xt = yt
    a = np.empty((k, m))
    for c in range(k):
        ac = a[c]  # the running sum over features, then the log-density
        xj = xt[0]
        mu = means[c, 0]
        p = precisions[c, 0] if kind == DIAG else 1.0
        for r in range(m):
            t = xj[r] - mu
            ac[r] = t * t * p if kind == DIAG else t * t
        j = 1
        while j + 4 <= d:
            # four features per pass over the tile, still added one after
            # the other (the same bits): a quarter of the loads and stores
            # of the running sum (1.6x faster for d = 16)
            x0, x1, x2, x3 = xt[j], xt[j + 1], xt[j + 2], xt[j + 3]
            m0, m1, m2, m3 = means[c, j], means[c, j + 1], means[c, j + 2], means[c, j + 3]
            if kind == DIAG:
                p0, p1 = precisions[c, j], precisions[c, j + 1]
                p2, p3 = precisions[c, j + 2], precisions[c, j + 3]
                for r in range(m):
                    t0 = x0[r] - m0
                    t1 = x1[r] - m1
                    t2 = x2[r] - m2
                    t3 = x3[r] - m3
                    ac[r] = (((ac[r] + t0 * t0 * p0) + t1 * t1 * p1) + t2 * t2 * p2) + t3 * t3 * p3
            else:
                for r in range(m):
                    t0 = x0[r] - m0
                    t1 = x1[r] - m1
                    t2 = x2[r] - m2
                    t3 = x3[r] - m3
                    ac[r] = (((ac[r] + t0 * t0) + t1 * t1) + t2 * t2) + t3 * t3
            j += 4
        while j < d:
            xj = xt[j]
            mu = means[c, j]
            p = precisions[c, j] if kind == DIAG else 1.0
            for r in range(m):
                t = xj[r] - mu
                ac[r] += t * t * p if kind == DIAG else t * t
            j += 1
        const = log_const[c]
        if kind == SPHERICAL:
            p = precisions[c, 0]
            for r in range(m):
                ac[r] = const - 0.5 * p * ac[r]
        else:
            for r in range(m):
                ac[r] = const - 0.5 * ac[r]
    return a


@jit(parallel=True)
def weighted_log_prob_tiled(kind, X, means, precisions, log_const, out):
    """Weighted log-densities for diagonal, spherical or tied (few features) covariances.

    ``out[i, c]`` for every row, tile by tile (:func:`_log_prob_tile`, which
    gives ``kind`` and the formulas).

    Parameters
    ----------
    kind : int                          IN, DIAG, SPHERICAL or TIED
    X : ndarray of shape (n, d)         IN
    means : ndarray of shape (k, d)     IN
    precisions : ndarray (k, d), (k, 1) or (d, d)    IN
    log_const : ndarray of shape (k,)   IN
    out : ndarray of shape (n, k)       OUT
    """
    n = X.shape[0]
    k = means.shape[0]
    n_tiles = (n + _TILE_ROWS - 1) // _TILE_ROWS
    for tile in prange(n_tiles):
        start = tile * _TILE_ROWS
        stop = min(n, start + _TILE_ROWS)
        xt = _transposed_rows(X, start, stop)
        a = _log_prob_tile(kind, xt, means, precisions, log_const)
        for r in range(stop - start):
            row = out[start + r]
            for c in range(k):
                row[c] = a[c, r]


@jit(parallel=True)
def e_step_tiled(kind, X, means, precisions, log_const, resp, log_prob_norm):
    """The E-step in one pass: :func:`weighted_log_prob_tiled` then :func:`normalize_log_prob`.

    Each tile's log-densities go to the log-sum-exp while still in cache and
    component-major, which the normalisation wants: the n x k log-densities
    are never written and read back (a third of the E-step at 100k x 2,
    k = 5). The same values, bit for bit, as the two kernels in turn.

    Parameters
    ----------
    kind, X, means, precisions, log_const : as :func:`weighted_log_prob_tiled`
    resp : ndarray of shape (n, k)      OUT
    log_prob_norm : ndarray of shape (n,)   OUT
    """
    n = X.shape[0]
    n_tiles = (n + _TILE_ROWS - 1) // _TILE_ROWS
    n_chunks = min(n_tiles, _MAX_CHUNKS)  # see normalize_log_prob
    for chunk in prange(n_chunks):
        for tile in range(chunk * n_tiles // n_chunks, (chunk + 1) * n_tiles // n_chunks):
            start = tile * _TILE_ROWS
            stop = min(n, start + _TILE_ROWS)
            xt = _transposed_rows(X, start, stop)
            a = _log_prob_tile(kind, xt, means, precisions, log_const)
            _normalize_columns(a, resp, log_prob_norm, start)


@jit(parallel=True)
def e_step_moments(kind, X, center, squares, means, precisions, log_const, log_prob_norm, out):
    """The E-step and the M-step's weighted sums in one pass; the responsibilities are never stored.

    For each tile of rows: the log-densities (:func:`_log_prob_tile`), the
    responsibilities ``r_ik`` by log-sum-exp (:func:`_tile_responsibilities`,
    the same values as :func:`e_step_tiled`), then their sums with the
    centred data ``z_i = x_i - c`` (:func:`_tile_moments`), while the tile is
    in cache:

        ``out[k] = [sum_i r_ik, sum_i r_ik z_i, sum_i r_ik z_i**2]``

    (the squares, elementwise, only when ``squares``: diagonal and
    spherical covariances; tied ones need the first two). An EM iteration
    then never writes the n x k responsibilities nor reads them back with a
    design matrix: at 100k x 2, k = 5, an E-step and the M-step's sums took
    2.2 ms against 3.5 ms; at 100k x 16, k = 10, 7.9 against 9.7 ms.

    Each chunk of tiles owns its partial sums, added in chunk order: the
    chunks depend on n only, so the result does not depend on the number
    of threads.

    Parameters
    ----------
    kind, X, means, precisions, log_const : as :func:`weighted_log_prob_tiled`
    center : ndarray of shape (d,)          IN, c (the data mean)
    squares : bool                          IN
    log_prob_norm : ndarray of shape (n,)   OUT, log p(x_i)
    out : ndarray of shape (k, 1 + d) or (k, 1 + 2d)   OUT
    """
    n = X.shape[0]
    k = means.shape[0]
    n_tiles = (n + _TILE_ROWS - 1) // _TILE_ROWS
    n_chunks = min(n_tiles, _MAX_CHUNKS)  # see normalize_log_prob
    partial = np.zeros((n_chunks, k, out.shape[1]))
    for chunk in prange(n_chunks):
        for tile in range(chunk * n_tiles // n_chunks, (chunk + 1) * n_tiles // n_chunks):
            start = tile * _TILE_ROWS
            stop = min(n, start + _TILE_ROWS)
            xt = _transposed_rows(X, start, stop)
            a = _log_prob_tile(kind, xt, means, precisions, log_const)
            _tile_responsibilities(a, log_prob_norm, start)
            _tile_moments(xt, center, a, squares, partial[chunk])
    _add_partials(partial, out)


@jit(parallel=True)
def moment_sums(X, center, squares, resp, out):
    """The weighted sums of :func:`e_step_moments` for given responsibilities.

    ``out[k] = [sum_i r_ik, sum_i r_ik z_i, (sum_i r_ik z_i**2)]`` with
    ``z_i = x_i - c``, tile by tile (the same additions as
    :func:`e_step_moments`). Used where the responsibilities come from
    elsewhere: a run's first M-step.

    Parameters
    ----------
    X : ndarray of shape (n, d)             IN
    center : ndarray of shape (d,)          IN
    squares : bool                          IN
    resp : ndarray of shape (n, k)          IN
    out : ndarray of shape (k, 1 + d) or (k, 1 + 2d)   OUT
    """
    n = X.shape[0]
    k = resp.shape[1]
    n_tiles = (n + _TILE_ROWS - 1) // _TILE_ROWS
    n_chunks = min(n_tiles, _MAX_CHUNKS)
    partial = np.zeros((n_chunks, k, out.shape[1]))
    for chunk in prange(n_chunks):
        for tile in range(chunk * n_tiles // n_chunks, (chunk + 1) * n_tiles // n_chunks):
            start = tile * _TILE_ROWS
            stop = min(n, start + _TILE_ROWS)
            _tile_moments(
                _transposed_rows(X, start, stop),
                center,
                _transposed_rows(resp, start, stop),
                squares,
                partial[chunk],
            )
    _add_partials(partial, out)


# reassoc: the sums over a tile's rows may be split into vector lanes and
# added pairwise at the end (a loop-carried sum cannot use SIMD otherwise;
# 3x faster at 100k x 2, k = 5). The order is fixed by the compiled code, so
# it is the same on every call and for any number of threads.
@jit(fastmath={"reassoc", "contract"})
def _tile_moments(xt, center, resp_t, squares, acc):
    """Add one tile's ``[sum_r r_kr, sum_r r_kr z_r, sum_r r_kr z_r**2]`` to ``acc[k]``.

    ``xt`` (d, m) the tile's rows feature-major, ``resp_t`` (k, m) their
    responsibilities component-major, ``z = x - center``.
    """
    d, m = xt.shape
    k = resp_t.shape[0]
    zt = np.empty((d, m))
    for j in range(d):
        cj = center[j]
        xj = xt[j]
        zj = zt[j]
        for r in range(m):
            zj[r] = xj[r] - cj
    for c in range(k):
        rc = resp_t[c]
        s0 = 0.0
        for r in range(m):
            s0 += rc[r]
        acc[c, 0] += s0
        for j in range(d):
            zj = zt[j]
            s1 = 0.0
            s2 = 0.0
            for r in range(m):
                t = rc[r] * zj[r]
                s1 += t
                s2 += t * zj[r]
            acc[c, 1 + j] += s1
            if squares:
                acc[c, 1 + d + j] += s2


@jit
def _add_partials(partial, out):
    """``out = sum_chunk partial[chunk]``, added in chunk order."""
    n_chunks, k, m = partial.shape
    for c in range(k):
        for j in range(m):
            s = 0.0
            for chunk in range(n_chunks):
                s += partial[chunk, c, j]
            out[c, j] = s


@jit
def row_argmax(a, out):
    """``out[i] = argmax_c a[i, c]``, as NumPy's ``a.argmax(axis=1)`` (first maximum, first NaN).

    NumPy's argmax along short rows (k = 5 components) pays a call per row:
    2.6 ms for 100,000 x 5, against 0.3 ms here.
    """
    n, k = a.shape
    for i in range(n):
        row = a[i]
        best = 0
        value = row[0]
        if not math.isnan(value):
            for c in range(1, k):
                v = row[c]
                if math.isnan(v):
                    best = c
                    break
                if v > value:
                    best = c
                    value = v
        out[i] = best


# exp for t <= 0 in a form the compiler turns into SIMD code (libm's exp is
# one scalar call per value and dominates the E-step for small d):
# exp(t) = 2^m exp(r), m = round(t / ln 2), |r| <= ln(2) / 2, with exp(r) by
# its Taylor polynomial to degree 13 (truncation error below 1e-17) and 2^m
# written straight into a float's exponent bits.
_LOG2E = 1.4426950408889634
_LN2_HI = 0.6931471803691238  # ln 2 split in two, so m * _LN2_HI is exact
_LN2_LO = 1.9082149292705877e-10
_SHIFTER = 6755399441055744.0  # 1.5 * 2^52: x + _SHIFTER rounds x to an integer ...
_SHIFTER_BITS = 0x4338000000000000  # ... that sits in the low bits of this pattern
_EXP_MIN = -708.0  # below it exp(t) < 2^-1022 (subnormal): we return 0
_C = [1.0 / math.factorial(j) for j in range(14)]
(_C2, _C3, _C4, _C5, _C6, _C7, _C8, _C9, _C10, _C11, _C12, _C13) = _C[2:]


@jit(fastmath={"contract"})  # multiply-adds in the polynomial: 10% faster
def exp_nonpositive(t, out, work):
    """``out[i] = exp(t[i])`` for ``t[i] <= 0``, to about 1 ulp, 0 below -708.

    Parameters
    ----------
    t : ndarray of shape (m,)       IN
    out : ndarray of shape (m,)     OUT
    work : ndarray of shape (m,)    scratch (float64)
    """
    m = t.size
    for i in range(m):
        x = t[i]
        keep = 1.0 if x >= _EXP_MIN else 0.0
        x = max(x, _EXP_MIN)
        shifted = x * _LOG2E + _SHIFTER
        n = shifted - _SHIFTER  # round(x / ln 2)
        r = (x - n * _LN2_HI) - n * _LN2_LO
        # the Taylor polynomial sum_{j<=13} r^j / j! = 1 + r + r² q(r), with
        # q by Estrin's scheme (pairs of terms, then pairs of pairs, with r²,
        # r⁴, r⁸): its longest chain is 5 multiply-adds instead of Horner's
        # 13, so the vector loop no longer waits on each step's latency.
        r2 = r * r
        r4 = r2 * r2
        r8 = r4 * r4
        q0 = (_C2 + _C3 * r) + (_C4 + _C5 * r) * r2
        q1 = (_C6 + _C7 * r) + (_C8 + _C9 * r) * r2
        q2 = (_C10 + _C11 * r) + (_C12 + _C13 * r) * r2
        q = (q0 + q1 * r4) + q2 * r8
        # the two largest terms last, so that the rounding of the rest is small
        p = 1.0 + (r + r2 * q)
        out[i] = p * keep
        work[i] = shifted
    bits = work.view(np.int64)
    for i in range(m):  # the float 2^n: biased exponent n + 1023, zero mantissa
        bits[i] = (bits[i] - _SHIFTER_BITS + 1023) << 52
    for i in range(m):
        out[i] *= work[i]


@jit
def _tile_responsibilities(a, log_prob_norm, start):
    """Log-sum-exp of one tile given component-major: ``a[c, r]`` becomes ``r_{start+r, c}``.

    Rows ``start .. start + a.shape[1] - 1`` of ``log_prob_norm`` are
    written. On the component-major tile every step is a loop over rows that
    vectorises: the maxima, the shifts, the exponentials (one call for the
    whole tile), the sums over components (added in component order, as row
    by row), the inverses. Row by row, with k = 5, these loops were too
    short to vectorise. A row to which no component gives any weight gets
    NaN responsibilities and ``log p = -inf``.
    """
    k, rows = a.shape
    maxima = a[0].copy()
    for c in range(1, k):
        ac = a[c]
        for r in range(rows):
            maxima[r] = max(maxima[r], ac[r])
    for r in range(rows):
        if not math.isfinite(maxima[r]):  # every term -inf (or inf / NaN): no shift
            maxima[r] = 0.0
    for c in range(k):
        ac = a[c]
        for r in range(rows):
            ac[r] -= maxima[r]
    shifted = a.reshape(k * rows)
    exps = np.empty(k * rows)
    exp_nonpositive(shifted, exps, np.empty(k * rows))
    e = exps.reshape((k, rows))
    total = e[0].copy()
    for c in range(1, k):
        ec = e[c]
        for r in range(rows):
            total[r] += ec[r]
    inverse = np.empty(rows)
    for r in range(rows):
        t = total[r]
        inverse[r] = 1.0 / t if t > 0.0 else math.nan  # one division per row instead of k
    for r in range(rows):
        t = total[r]
        # t >= 1 (the largest term is exp(0)) unless no component gives the
        # point any weight
        log_prob_norm[start + r] = maxima[r] + math.log(t) if t > 0.0 else -math.inf
    for c in range(k):
        ac = a[c]
        ec = e[c]
        for r in range(rows):
            ac[r] = ec[r] * inverse[r]


@jit
def _normalize_columns(a, resp, log_prob_norm, start):
    """:func:`normalize_log_prob` for one tile given component-major, ``a[c, r]``.

    :func:`_tile_responsibilities`, then rows ``start .. start +
    a.shape[1] - 1`` of ``resp`` are written; ``a`` is overwritten.
    """
    _tile_responsibilities(a, log_prob_norm, start)
    k, rows = a.shape
    for r in range(rows):
        out = resp[start + r]
        for c in range(k):
            out[c] = a[c, r]


@jit(parallel=True)
def normalize_log_prob(weighted_log_prob, resp, log_prob_norm):
    """Responsibilities and per-sample log-likelihood by log-sum-exp.

    With ``a_k = weighted_log_prob[i, k]`` and ``m = max_k a_k``:
    ``log p(x_i) = m + log sum_k exp(a_k - m)`` (no overflow, and at least one
    term equals 1, so no underflow to log 0), and the responsibilities
    ``r_ik = exp(a_k - log p(x_i)) = exp(a_k - m) / sum_k exp(a_k - m)`` reuse
    the same exponentials: one ``exp`` per entry in all, computed for a tile
    of rows at a time by the vectorised :func:`exp_nonpositive`
    (:func:`_normalize_columns`).

    Parameters
    ----------
    weighted_log_prob : ndarray of shape (n, k), float64   IN
    resp : ndarray of shape (n, k), float64                OUT, may be the same array as the input
    log_prob_norm : ndarray of shape (n,)                  OUT, log p(x_i)
    """
    n = weighted_log_prob.shape[0]
    n_tiles = (n + _TILE_ROWS - 1) // _TILE_ROWS
    # chunks of consecutive tiles (a prange iteration per tile cost 40% more,
    # on one thread as on two); their number depends on n only (asking Numba
    # for the thread count here would keep the kernel out of the cache)
    n_chunks = min(n_tiles, _MAX_CHUNKS)
    for chunk in prange(n_chunks):
        for tile in range(chunk * n_tiles // n_chunks, (chunk + 1) * n_tiles // n_chunks):
            start = tile * _TILE_ROWS
            stop = min(n, start + _TILE_ROWS)
            a = _transposed_rows(weighted_log_prob, start, stop)
            _normalize_columns(a, resp, log_prob_norm, start)


# ---------------------------------------------------------------------------
# M-step: second moments around each component's mean
# ---------------------------------------------------------------------------
@jit  # serial, like weighted_log_prob_projected: it alternates with BLAS calls
def scaled_deviations(X, resp, means, component, out):
    """``out[i] = sqrt(r_ik) * (X[i] - means[k])`` for one component k.

    Then ``out.T @ out = sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T``: one BLAS
    call that NumPy runs as a symmetric rank-n update (half the flops of a
    general product).

    Parameters
    ----------
    X : ndarray of shape (n, d)        IN
    resp : ndarray of shape (n, k)     IN
    means : ndarray of shape (k, d)    IN
    component : int                    IN
    out : ndarray of shape (n, d)      OUT
    """
    n, d = X.shape
    for i in range(n):
        s = math.sqrt(resp[i, component])
        for j in range(d):
            out[i, j] = s * (X[i, j] - means[component, j])


@jit
def covariances_from_moments(total, first, second, shift, nk, reg_covar, out):
    """Full covariances from the weighted moments around the data mean c.

    With ``S0 = sum_i r_ik``, ``S1 = sum_i r_ik z_i``, ``S2[ab] = sum_i r_ik
    z_ia z_ib`` (``z = x - c``, ``a <= b`` in ``np.triu_indices`` order) and
    ``m = mu_k - c``, the scatter around the mean is

        ``sum_i r_ik (z_ia - m_a)(z_ib - m_b) = S2[ab] - m_a S1_b - S1_a m_b + S0 m_a m_b``,

    divided by ``n_k``; both triangles are written, and ``reg_covar`` is
    added to the diagonal. The same operations, in the same order, as the
    NumPy expression it replaces (whose gathers and scatters through index
    arrays took 2 ms of an 11 ms M-step at 1797 x 64, k = 20).

    Parameters
    ----------
    total : ndarray of shape (k,)                 IN   S0
    first : ndarray of shape (k, d)               IN   S1
    second : ndarray of shape (k, d (d + 1) / 2)  IN   S2
    shift : ndarray of shape (k, d)               IN   m = mu - c
    nk : ndarray of shape (k,)                    IN
    reg_covar : float                             IN
    out : ndarray of shape (k, d, d)              OUT
    """
    k, d = first.shape
    for c in range(k):
        m, s1, s2 = shift[c], first[c], second[c]
        q = 0
        for a in range(d):
            for b in range(a, d):
                value = (s2[q] - m[a] * s1[b] - s1[a] * m[b] + total[c] * m[a] * m[b]) / nk[c]
                out[c, a, b] = value
                out[c, b, a] = value
                q += 1
        for a in range(d):
            out[c, a, a] += reg_covar


@jit
def design_rows(X, center, first, second, out, start, stop):
    """``out[i] = [1, x_i - c, (x_i - c)[first] * (x_i - c)[second]]`` for rows ``start..stop-1``.

    The M-step's columns: ``resp.T @ out`` holds every weighted sum the
    M-step needs (see ``_Moments`` in ``mixture.py``). Serial; see
    :func:`design_matrix` for all rows on threads.
    """
    d = X.shape[1]
    p = first.shape[0]
    for i in range(start, stop):
        row = out[i]
        row[0] = 1.0
        for j in range(d):
            row[1 + j] = X[i, j] - center[j]
        for q in range(p):
            # in X's dtype, as NumPy's product of the centred columns
            a, b = first[q], second[q]
            row[1 + d + q] = (X[i, a] - center[a]) * (X[i, b] - center[b])


@jit
def upper_design_rows(X, center, out):
    """:func:`design_rows` with every product ``a <= b`` (the upper triangle, row by row).

    ``out[i] = [1, z, z_0 z_0..z_{d-1}, z_1 z_1..z_{d-1}, ..., z_{d-1}^2]``
    with ``z = x_i - c``: the order of ``np.triu_indices(d)``. Each run of
    products is ``z_a`` times the contiguous ``z[a:]``, a loop that
    vectorises, where the gathers through index arrays did not (4x faster
    for d = 64). Serial: the full many-feature M-step builds its design with
    it, once per fit or one block at a time between BLAS products.
    """
    n, d = X.shape
    z = np.empty(d)
    for i in range(n):
        row = out[i]
        row[0] = 1.0
        for j in range(d):
            z[j] = X[i, j] - center[j]
            row[1 + j] = z[j]
        q = 1 + d
        for a in range(d):
            za = z[a]
            products = row[q : q + d - a]
            tail = z[a:]
            for b in range(d - a):
                products[b] = za * tail[b]
            q += d - a


@jit(parallel=True)
def design_matrix(X, center, first, second, out):
    """:func:`design_rows` for every row of X, in one threaded pass.

    The same values, bit for bit, as NumPy's ``X - c`` and products stacked
    with ``np.hstack`` (NumPy's broadcasts with d = 2 and the stacking took
    about 12 ms per fit at 100k x 2).
    """
    n = X.shape[0]
    n_chunks = max(1, min(_MAX_CHUNKS, n // _CHUNK_ROWS))
    for chunk in prange(n_chunks):
        design_rows(
            X, center, first, second, out, chunk * n // n_chunks, (chunk + 1) * n // n_chunks
        )


@jit(parallel=True)
def weighted_sums(resp, design, out):
    """``out = resp.T @ design``: every weighted sum of the M-step in one pass.

    ``out[k, m] = sum_i r_ik design[i, m]``. A BLAS product would do, but for
    this shape (k and m small, n large) OpenBLAS runs at a few GFLOP/s and its
    threads fight Numba's; here each row's k x m multiply-adds run along the
    contiguous row of ``design`` (SIMD), into chunk-owned partial sums reduced
    in chunk order (bit-identical for any number of threads).

    Parameters
    ----------
    resp : ndarray of shape (n, k)      IN
    design : ndarray of shape (n, m)    IN
    out : ndarray of shape (k, m)       OUT
    """
    n, k = resp.shape
    m = design.shape[1]
    n_chunks = max(1, min(_MAX_CHUNKS, n // _CHUNK_ROWS))
    partial = np.zeros((n_chunks, k, m), dtype=np.float64)
    for chunk in prange(n_chunks):
        start = chunk * n // n_chunks
        stop = (chunk + 1) * n // n_chunks
        acc = partial[chunk]
        i = start
        while i + 4 <= stop:
            # four rows per pass over acc, still added one after the other
            # (the same bits): a quarter of the loads and stores of acc
            d0, d1, d2, d3 = design[i], design[i + 1], design[i + 2], design[i + 3]
            for c in range(k):
                r0, r1, r2, r3 = resp[i, c], resp[i + 1, c], resp[i + 2, c], resp[i + 3, c]
                ac = acc[c]
                for j in range(m):  # contiguous in design and acc: vectorised
                    ac[j] = (((ac[j] + r0 * d0[j]) + r1 * d1[j]) + r2 * d2[j]) + r3 * d3[j]
            i += 4
        while i < stop:
            for c in range(k):
                r = resp[i, c]
                for j in range(m):
                    acc[c, j] += r * design[i, j]
            i += 1
    _add_partials(partial, out)
