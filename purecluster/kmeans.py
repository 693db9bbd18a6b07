"""k-means clustering: scikit-learn's ``KMeans``, step by step.

What ``KMeans.fit`` does, in order:

1. validate the parameters and the data; scale ``tol`` by the mean of the
   per-feature variances of X;
2. centre the data (subtract the column means: distances computed as
   ``||c||² - 2 x·c`` lose less precision near the origin);
3. ``n_init`` times: choose initial centres (greedy k-means++, random rows,
   an array or a callable), then run Lloyd's algorithm (:func:`lloyd`) or its
   accelerated exact variant (Yinyang's or Hamerly's bounds) until the labels stop
   changing, the centres move less than ``tol``, or ``max_iter`` is reached;
4. keep the run with the lowest inertia (a run that only permutes the best
   run's labels is not taken, as in scikit-learn), add the means back.

The jitted loops live in ``_kmeans_kernels.py``. Randomness is drawn here,
in Python, from the legacy ``RandomState`` in scikit-learn's order, so the
same ``random_state`` gives the same seeds.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from . import _kmeans_kernels as K
from ._base import BaseEstimator, ClusterMixin
from ._jit import register_warmup
from ._validation import (
    Interval,
    StrOptions,
    check_array,
    check_random_state,
    check_sample_weight,
    validate_params,
)
from .exceptions import ConvergenceWarning

__all__ = ["KMeans", "k_means", "kmeans_plusplus", "lloyd"]

# Use the multi-threaded kernels from about this much work (n k d) per
# iteration; below it, starting the thread pool costs more than it saves.
# (measured on a shared 2-core machine: a parallel region costs ~0.1-10 ms
# when the cores are busy, so small problems must not start one)
_PARALLEL_WORK = 250_000
# From this many features (and this much work per iteration) the products
# x·c come from BLAS (see _lloyd_assign_blas). Measured per assignment step
# (two threads, ms), BLAS route against the fused kernel (register-blocked
# by _dot_pair): float64 100k x 64, k = 10: 12.5-15 / 9.7-10.3; 200k x 32,
# k = 20: 16 / 10-18; 50k x 128, k = 100: 35 / 37-64; 20k x 512, k = 50:
# 32-37 / 53-83; 10k x 1024, k = 200: 71 / 170-263. float32: 100k x 64:
# 6.4 / 6.4-7.8; 50k x 128: 21-22 / 21-33; 20k x 512: 19 / 34-38. The fused
# kernel's transposed tile (d x 64 values) outgrows L1 for long rows.
_BLAS_MIN_FEATURES = 128
_BLAS_MIN_WORK = 20_000_000
_BLAS_GROUP_ROWS = 4096  # rows per product: 4096 x k entries, mostly in cache
# trace_ keeps the labels of every iteration only up to this many samples.
TRACE_LABELS_MAX_SAMPLES = 10_000


# ---------------------------------------------------------------------------
# stage functions on plain arrays
# ---------------------------------------------------------------------------
def kmeans_plusplus(
    X,
    n_clusters,
    *,
    sample_weight=None,
    x_squared_norms=None,
    random_state=None,
    n_local_trials=None,
):
    """Choose ``n_clusters`` seeds from ``X`` with greedy k-means++.

    The first seed is a sample drawn with probability proportional to its
    weight. Each further seed is the best, by the resulting potential
    ``sum_i w_i min_j ||x_i - c_j||²``, of ``n_local_trials`` samples drawn with
    probability proportional to ``w_i D_i`` (``D_i``: squared distance to the
    nearest seed so far). Same draws as ``sklearn.cluster.kmeans_plusplus``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_clusters : int
    sample_weight : array-like of shape (n_samples,), default=None
    x_squared_norms : array-like of shape (n_samples,), default=None
        ``||x_i||²``, if already computed (used for float64 data only, as in
        scikit-learn).
    random_state : int, RandomState instance or None, default=None
    n_local_trials : int, default=None
        Candidates per seed; ``None`` means ``2 + int(ln(n_clusters))``.

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
    indices : ndarray of shape (n_clusters,)
        ``X[indices] == centers``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1, 2], [1, 4], [1, 0], [10, 2], [10, 4], [10, 0]])
    >>> centers, indices = kmeans_plusplus(X, n_clusters=2, random_state=0)
    >>> indices
    array([3, 2])
    """
    validate_params(
        {
            "n_clusters": n_clusters,
            "random_state": random_state,
            "n_local_trials": n_local_trials,
            "sample_weight": sample_weight,
            "x_squared_norms": x_squared_norms,
        },
        {
            "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
            "random_state": ["random_state"],
            "n_local_trials": [Interval(numbers.Integral, 1, None, closed="left"), None],
            "sample_weight": ["array-like", None],
            "x_squared_norms": ["array-like", None],
        },
        "kmeans_plusplus",
    )
    X = check_array(X)
    sample_weight = check_sample_weight(sample_weight, X, allow_all_zero=False)
    if X.shape[0] < n_clusters:
        raise ValueError(f"n_samples={X.shape[0]} should be >= n_clusters={n_clusters}.")
    if x_squared_norms is not None:
        x_squared_norms = check_array(
            x_squared_norms, dtype=X.dtype, ensure_2d=False, input_name="x_squared_norms"
        )
        if x_squared_norms.shape[0] != X.shape[0]:
            raise ValueError(
                f"The length of x_squared_norms {x_squared_norms.shape[0]} should "
                f"be equal to the length of n_samples {X.shape[0]}."
            )
        if X.dtype != np.float64:
            x_squared_norms = None  # float32 norms are recomputed in float64
    random_state = check_random_state(random_state)
    return _kmeans_plusplus(
        X, n_clusters, sample_weight, random_state, n_local_trials, x_squared_norms
    )


def _squared_norms64(X):
    """``||x_i||²`` in float64 (float32 rows are upcast first, as scikit-learn does)."""
    X64 = X if X.dtype == np.float64 else X.astype(np.float64)
    return np.einsum("ij,ij->i", X64, X64)


def _kmeans_plusplus(
    X, n_clusters, sample_weight, random_state, n_local_trials=None, x_squared_norms=None
):
    """Greedy k-means++ on validated arrays; draws in scikit-learn's order."""
    n_samples = X.shape[0]
    if n_local_trials is None:
        # Arthur and Vassilvitskii's suggestion, scikit-learn's default
        n_local_trials = 2 + int(np.log(n_clusters))
    if x_squared_norms is None:
        x_squared_norms = _squared_norms64(X)
    first = random_state.choice(n_samples, p=sample_weight / sample_weight.sum())
    # scikit-learn draws `uniform(size=n_local_trials)` once per new centre;
    # one call for all of them yields the same numbers in the same order.
    uniforms = random_state.uniform(size=(n_clusters - 1) * n_local_trials)
    uniforms = uniforms.reshape(n_clusters - 1, n_local_trials)
    centers = np.empty((n_clusters, X.shape[1]), dtype=X.dtype)
    indices = np.full(n_clusters, -1, dtype=np.int64)
    n_features = X.shape[1]
    parallel = (
        K.n_blocks_for(n_samples) > 1 and n_samples * n_local_trials * n_features >= _PARALLEL_WORK
    )
    unit_roundoff = float(np.finfo(X.dtype).eps) / 2
    K.kmeans_plusplus_kernel(
        X, x_squared_norms, sample_weight, int(first), uniforms, centers, indices, parallel,
        unit_roundoff,
    )  # fmt: skip
    return centers, indices


def _choice_without_replacement(random_state, p, size):
    """``random_state.choice(len(p), size, replace=False, p=p)``, draw for draw.

    scikit-learn's "random" init makes that call. NumPy's legacy method takes
    ``p`` in float64, draws ``size - found`` uniforms, maps them through the
    normalised cumulative distribution, keeps the indices not seen yet (in the
    order drawn) and repeats with the found indices' probabilities set to
    zero, until it has ``size`` indices (:func:`K.choice_draws`, one round).
    The same steps here skip the checks of ``p`` (ours is always valid),
    which cost about ten times the draws: on the seminar's 500 points that
    was most of a fit.
    """
    return _choice_rounds(random_state, _checked_p64(p, size), size)


def _checked_p64(p, size):
    """``p`` in float64 (as NumPy's ``choice`` takes it), after NumPy's check for ``size`` draws."""
    if np.count_nonzero(p > 0) < size:
        raise ValueError("Fewer non-zero entries in p than size")
    return p.astype(np.float64, copy=False)


def _choice_rounds(random_state, p64, size):
    """:func:`_choice_without_replacement`'s rounds, for a float64 ``p`` already checked."""
    found = np.empty(size, dtype=np.int64)
    n_found = 0
    while n_found < size:
        n_found = K.choice_draws(p64, random_state.random_sample(size - n_found), found, n_found)
    return found


def _relocate_empty_clusters(X, sample_weight, centers_old, sums, weights, labels):
    """Give each empty cluster one of the points farthest from their centre.

    Exactly scikit-learn's rule (the same NumPy calls, so the same points are
    chosen even among ties): the ``n_empty`` largest ``||x_i - c_{a_i}||²``,
    via ``argpartition``, each point moving its weighted coordinates from its
    old cluster's sums to the empty cluster's. Labels are not changed; the
    next assignment step sees the new centres. Runs in Python: it is rare.
    """
    empty = np.flatnonzero(np.equal(weights, 0))
    n_empty = empty.shape[0]
    distances = ((X - centers_old[labels]) ** 2).sum(axis=1)
    farthest = np.argpartition(distances, -n_empty)[: -n_empty - 1 : -1]
    if np.max(distances) == 0:
        return  # every point sits on its centre: nothing to move
    for new_id, far in zip(empty, farthest, strict=True):
        weight = sample_weight[far]
        old_id = labels[far]
        sums[old_id] -= X[far] * weight
        sums[new_id] = X[far] * weight
        weights[new_id] = weight
        weights[old_id] -= weight


def lloyd(
    X,
    centers,
    sample_weight=None,
    max_iter=300,
    tol=1e-4,
    *,
    algorithm="lloyd",
    verbose=False,
    trace=False,
):
    """Run one k-means from the given centres: Lloyd's algorithm on plain arrays.

    Each iteration assigns every point to its nearest centre and moves each
    centre to the weighted mean of its points. It stops when no label
    changes (then the centres cannot change either), when
    ``sum_j ||c_j_new - c_j_old||² <= tol``, or after ``max_iter`` iterations;
    in the last two cases the points are assigned once more, so the labels
    always belong to the returned centres. ``KMeans.fit`` calls this on
    centred data with ``tol`` already scaled.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float32 or float64
    centers : ndarray of shape (n_clusters, n_features)
        The initial centres (not modified).
    sample_weight : ndarray of shape (n_samples,), default=None
    max_iter : int, default=300
    tol : float, default=1e-4
        Absolute threshold on the total squared centre shift.
    algorithm : {"lloyd", "elkan"}, default="lloyd"
        "elkan" skips the distances that triangle-inequality bounds prove
        useless (Yinyang's grouped bounds from 20 centres, Hamerly's below);
        the answer is the same.
    verbose : bool, default=False
    trace : bool, default=False
        Also return a dict with every iteration's centres and inertia.

    Returns
    -------
    labels : ndarray of shape (n_samples,), int32
    inertia : float
        ``sum_i w_i ||x_i - c_{label_i}||²``.
    centers : ndarray of shape (n_clusters, n_features)
    n_iter : int
    trace : dict
        Only when ``trace=True``; see ``KMeans.trace_``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0]])
    >>> labels, inertia, centers, n_iter = lloyd(X, X[[0, 2]])
    >>> labels, inertia, n_iter
    (array([0, 0, 1, 1], dtype=int32), 1.0, 2)
    """
    X = check_array(X)
    centers = check_array(centers, dtype=X.dtype, input_name="centers")
    if centers.shape[1] != X.shape[1]:
        raise ValueError(
            f"The shape of the initial centers {centers.shape} does not match the "
            f"number of features of the data {X.shape[1]}."
        )
    sample_weight = check_sample_weight(sample_weight, X)
    result = _single_run(
        X, sample_weight, centers, int(max_iter), tol, algorithm == "elkan", verbose, trace
    )
    return result if trace else result[:4]


def _use_parallel(n_samples, n_clusters, n_features):
    return K.n_blocks_for(n_samples) > 1 and n_samples * n_clusters * n_features >= _PARALLEL_WORK


def _use_blas(n_samples, n_clusters, n_features):
    """Whether the products ``x·c`` should come from NumPy's BLAS (:func:`_lloyd_assign_blas`).

    Long dot products (many features) are where BLAS's blocked product beats
    the fused kernel's; below :data:`_BLAS_MIN_WORK` multiply-adds per
    iteration BLAS's start-up dominates.
    """
    return (
        n_features >= _BLAS_MIN_FEATURES and n_samples * n_clusters * n_features >= _BLAS_MIN_WORK
    )


def _lloyd_assign_blas(X, w, C, labels, sums, weights, n_blocks, with_sums):
    """:func:`K.lloyd_assign` with the products ``x·c`` computed by NumPy's BLAS.

    Consecutive blocks are grouped into products of about
    :data:`_BLAS_GROUP_ROWS` rows: ``X_group @ C.T`` (BLAS, on its threads),
    then the serial :func:`K.assign_from_products` takes the argmin and adds
    each block to its own sums. The same blocks and the same order of the
    additions as the fused kernels, so the result does not depend on the
    number of threads.

    An earlier version ran a *threaded* kernel after each product of about
    2 MB, and lost to the fused kernel everywhere (100k x 64, k = 10: 55 ms
    against 29 ms per iteration): after every product the two pools of
    threads, OpenBLAS's and Numba's, wait for each other's spinning
    threads. With a serial kernel the same iteration takes about 16 ms
    (scikit-learn's: about 19 ms).
    """
    n = X.shape[0]
    c_sq_norms = K._squared_norms(C)
    CT = np.ascontiguousarray(C.T)
    block_sums = np.zeros((n_blocks,) + C.shape, dtype=X.dtype)
    block_weights = np.zeros((n_blocks, C.shape[0]), dtype=X.dtype)
    rows_per_block = -(-n // n_blocks)
    group = max(1, _BLAS_GROUP_ROWS // rows_per_block)
    products = np.empty((min(n, (group + 1) * rows_per_block), C.shape[0]), dtype=X.dtype)
    n_changed = 0
    for g0 in range(0, n_blocks, group):
        g1 = min(n_blocks, g0 + group)
        r0, r1 = (g0 * n) // n_blocks, (g1 * n) // n_blocks
        P = np.matmul(X[r0:r1], CT, out=products[: r1 - r0])
        n_changed += K.assign_from_products(
            X, w, P, r0, c_sq_norms, labels, g0, g1, n_blocks, block_sums, block_weights, with_sums
        )
    K.reduce_blocks(block_sums, block_weights, sums, weights)
    return n_changed


def _lloyd_step(n_samples, n_clusters, n_features):
    """The assignment driver for this shape: BLAS products, or a threaded or serial fused kernel."""
    if _use_blas(n_samples, n_clusters, n_features):
        return _lloyd_assign_blas
    if _use_parallel(n_samples, n_clusters, n_features):
        return K.lloyd_assign_parallel
    return K.lloyd_assign


def _assign(X, sample_weight, centers, labels, n_blocks, parallel):
    """Labels only (the final E-step, predict)."""
    k, d = centers.shape
    sums = np.empty((k, d), dtype=X.dtype)
    weights = np.empty(k, dtype=X.dtype)
    step = _lloyd_step(X.shape[0], k, d)
    step(X, sample_weight, centers, labels, sums, weights, n_blocks, False)


# Yinyang's groups replace Hamerly's single bound from this many centres (with
# fewer, t = k / 10 would be one group, and Hamerly's extra test on the gap
# between centres prunes more). Its n x t bounds are capped at this many.
_YINYANG_MIN_CLUSTERS = 20
_YINYANG_MAX_BOUNDS = 32_000_000  # 128 MB of float32
_YINYANG_GROUP_SIZE = 10  # centres per group, on average


class _Bounds:
    """What Hamerly's and Yinyang's bounds share, for one run.

    ``assign`` (an assignment step, Lloyd's signature) and ``moved`` (after
    the update step, with each centre's move) are the subclasses'.
    """

    def __init__(self, X):
        self.eps = float(np.finfo(X.dtype).eps)  # the kernels widen the bounds by its ulps
        self.first = True  # no bounds yet: the first step compares every centre
        self._widen = 1.0 + (X.shape[1] + 4) * self.eps  # the kernels' ``rel`` (_margins)

    def _first_step(self):
        first, self.first = self.first, False
        return first

    def _widened(self, center_shift):
        """The moves in float64, widened by their rounding (summed in the data's
        dtype): a bound moved by a few ulps too little would be wrong."""
        return center_shift.astype(np.float64) * self._widen


class _Hamerly(_Bounds):
    """Hamerly's bounds for one run: one upper and one lower bound per point (O(n))."""

    def __init__(self, X, parallel):
        super().__init__(X)
        self.upper = np.empty(X.shape[0])
        self.lower = np.empty(X.shape[0])
        self.kernel = K.hamerly_assign_parallel if parallel else K.hamerly_assign

    def assign(self, X, w, centers, labels, sums, weights, n_blocks, with_sums):
        return self.kernel(
            X, w, centers, labels, self.upper, self.lower, sums, weights, n_blocks,
            with_sums, self._first_step(), self.eps,
        )  # fmt: skip

    def moved(self, labels, center_shift):
        K.hamerly_move_bounds(labels, self.upper, self.lower, self._widened(center_shift))


def _group_centers(centers, n_groups, n_iter=5):
    """Split the centres into ``n_groups`` groups of nearby centres (group of each centre).

    Yinyang's grouping: a few Lloyd iterations on the centres themselves,
    started from evenly spaced ones (deterministic; only the speed depends
    on the groups, never the answer). Groups that end empty are dropped.
    """
    C = np.asarray(centers, dtype=np.float64)
    G = C[np.linspace(0, C.shape[0] - 1, n_groups).astype(np.int64)]
    for _ in range(n_iter):
        # ||c - g||² up to ||c||², by products (k x t, not k x t x d)
        groups = np.argmin(np.einsum("ij,ij->i", G, G)[None, :] - 2.0 * (C @ G.T), axis=1)
        counts = np.bincount(groups, minlength=n_groups)
        sums = np.zeros_like(G)
        np.add.at(sums, groups, C)
        filled = counts > 0
        G[filled] = sums[filled] / counts[filled, None]
    return np.unique(groups, return_inverse=True)[1].reshape(-1)


class _Yinyang(_Bounds):
    """Yinyang's groups and bounds for one run (:func:`K.yinyang_assign_parallel`).

    t = k / 10 groups (Ding et al.'s choice), fewer when n t bounds would
    pass :data:`_YINYANG_MAX_BOUNDS`; memory O(n t). Always the ``prange``
    driver: a serial one would be another 10 s of compilation per dtype, and
    small data is one block anyway.
    """

    def __init__(self, X, centers):
        super().__init__(X)
        n, k = X.shape[0], centers.shape[0]
        n_groups = max(1, min(k // _YINYANG_GROUP_SIZE, _YINYANG_MAX_BOUNDS // max(n, 1)))
        groups = _group_centers(centers, n_groups)
        self.perm = np.argsort(groups, kind="stable").astype(np.int64)
        self.inv = np.empty(k, dtype=np.int64)
        self.inv[self.perm] = np.arange(k)
        self.gid = groups[self.perm].astype(np.int64)
        counts = np.bincount(groups)
        self.gstart = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        t = counts.shape[0]
        self.upper = np.empty(n)
        self.lower = np.empty((n, t), dtype=np.float32)
        self.shift = np.zeros(k)
        self.drift = np.zeros(t)  # each group's total drift, added to its stored bounds
        # past this total drift the bounds are rebased (their float32 precision
        # is relative to lb + D): a thousand times the data's spread
        self.rebase_at = 1e3 * float(np.sqrt(np.var(X, axis=0, dtype=np.float64).sum()))

    def assign(self, X, w, centers, labels, sums, weights, n_blocks, with_sums):
        first = self._first_step()
        grouped = centers[self.perm]
        c_sq = K._squared_norms(grouped)
        c_sq_max = np.maximum.reduceat(np.abs(c_sq).astype(np.float64), self.gstart[:-1])
        return K.yinyang_assign_parallel(
            X, w, centers, grouped, c_sq, c_sq_max,
            self.perm, self.inv, self.gid, self.gstart, self.shift, self.drift,
            labels, self.upper, self.lower, sums, weights, n_blocks, with_sums, first, self.eps,
        )  # fmt: skip

    def moved(self, labels, center_shift):
        # The upper bounds move inside the next assignment; the group bounds
        # by the groups' total drifts (the largest move in each group, summed
        # and rounded up: (D + delta)(1 + 2 ulps) is at least the exact sum).
        self.shift = self._widened(center_shift)
        gdrift = np.maximum.reduceat(self.shift[self.perm], self.gstart[:-1])
        self.drift = (self.drift + gdrift) * (1.0 + 4.5e-16)
        if self.drift.max() > self.rebase_at:
            K.yinyang_rebase(self.lower, self.drift)
            self.drift[:] = 0.0


def _accelerator(X, centers, parallel):
    """The bounds for an accelerated run: Yinyang's groups for many centres, else Hamerly's."""
    if centers.shape[0] >= _YINYANG_MIN_CLUSTERS:
        return _Yinyang(X, centers)
    return _Hamerly(X, parallel)


def _single_run(
    X, sample_weight, centers_init, max_iter, tol, accelerated, verbose=False, record=False
):
    """One k-means run from ``centers_init``; returns labels, inertia, centers, n_iter[, trace]."""
    n_samples, n_features = X.shape
    n_clusters = centers_init.shape[0]
    n_blocks = K.n_blocks_for(n_samples)
    parallel = _use_parallel(n_samples, n_clusters, n_features)
    inertia_of = K.inertia_parallel if parallel else K.inertia

    if not (parallel or accelerated or verbose or record):
        return _fused_run(X, sample_weight, centers_init, max_iter, tol)

    centers = centers_init.copy()
    centers_new = np.empty_like(centers)
    labels = np.full(n_samples, -1, dtype=np.int32)
    sums = np.empty_like(centers)
    weights = np.empty(n_clusters, dtype=X.dtype)
    center_shift = np.empty(n_clusters, dtype=X.dtype)
    if accelerated:
        bounds = _accelerator(X, centers, parallel)
        step = bounds.assign
    else:
        step = _lloyd_step(n_samples, n_clusters, n_features)
    if record:
        history = {
            "centers": [centers.copy()],
            "inertia": [],
            "center_shift": [],
            "labels": [] if n_samples <= TRACE_LABELS_MAX_SAMPLES else None,
        }

    strict_convergence = False
    for i in range(max_iter):
        n_changed = step(X, sample_weight, centers, labels, sums, weights, n_blocks, True)
        if not weights.all():
            _relocate_empty_clusters(X, sample_weight, centers, sums, weights, labels)
        shift_total = K.update_centers(sums, weights, centers, centers_new, center_shift)
        if accelerated:
            bounds.moved(labels, center_shift)
        if verbose or record:
            current = float(inertia_of(X, sample_weight, centers, labels, n_blocks))
            if verbose:
                print(f"Iteration {i}, inertia {current}.")
            if record:
                history["centers"].append(centers_new.copy())
                history["inertia"].append(current)
                history["center_shift"].append(float(shift_total))
                if history["labels"] is not None:
                    history["labels"].append(labels.copy())
        centers, centers_new = centers_new, centers
        if n_changed == 0:
            if verbose:
                print(f"Converged at iteration {i}: strict convergence.")
            strict_convergence = True
            break
        if shift_total <= tol:
            if verbose:
                print(
                    f"Converged at iteration {i}: center shift {shift_total} within "
                    f"tolerance {tol}."
                )
            break

    if not strict_convergence:
        # one more assignment, so that the labels belong to the final centres
        step(X, sample_weight, centers, labels, sums, weights, n_blocks, False)
    inertia = float(inertia_of(X, sample_weight, centers, labels, n_blocks))
    if not record:
        return labels, inertia, centers, i + 1
    history["centers"] = np.asarray(history["centers"])
    history["inertia"] = np.asarray(history["inertia"])
    history["center_shift"] = np.asarray(history["center_shift"])
    if history["labels"] is not None:
        history["labels"] = np.asarray(history["labels"])
    history["final_labels"] = labels.copy()
    history["final_inertia"] = inertia
    history["n_iter"] = i + 1
    return labels, inertia, centers, i + 1, history


def _fused_run(X, sample_weight, centers_init, max_iter, tol):
    """:func:`_single_run` for plain serial Lloyd: one run, its iterations in one kernel."""
    inits = np.asarray(centers_init, dtype=X.dtype)[None]
    return _plain_runs(X, sample_weight, inits, max_iter, tol)


def _plain_lloyd(X, n_clusters, accelerated, verbose, record):
    """Whether the runs are serial Lloyd with nothing to report between steps
    (:func:`_single_run` would make each with :func:`_fused_run`)."""
    n_samples, n_features = X.shape
    return not (
        accelerated or verbose or record or _use_parallel(n_samples, n_clusters, n_features)
    )


def _is_better(labels, inertia, best_labels, best_inertia, n_clusters):
    """scikit-learn's rule between runs: a lower inertia wins, unless the labels
    are the best ones relabelled (then the difference is rounding, the first stays)."""
    return best_inertia is None or (
        inertia < best_inertia and not K.same_clustering(labels, best_labels, n_clusters)
    )


def _plain_runs(X, sample_weight, inits, max_iter, tol):
    """Every run of a serial Lloyd fit from ``inits`` (n_init, k, d); returns the best
    run's labels, inertia, centres and number of iterations.

    :func:`K.lloyd_runs` makes the runs in one call. When a cluster goes
    empty it returns; scikit-learn's relocation is made here, in NumPy, then
    the update, and the kernel either ends the run and goes on, or resumes
    it at its next iteration.
    """
    n_runs, n_clusters, n_features = inits.shape
    n_blocks = K.n_blocks_for(X.shape[0])
    centers = np.empty((n_clusters, n_features), dtype=X.dtype)
    centers_new, sums = np.empty_like(centers), np.empty_like(centers)
    weights = np.empty(n_clusters, dtype=X.dtype)
    center_shift = np.empty_like(weights)
    labels = np.empty(X.shape[0], dtype=np.int32)
    best_labels = np.empty(X.shape[0], dtype=np.int32)
    best_centers = np.empty_like(centers)
    best = np.array([np.inf, 0.0, -1.0])  # inertia, n_iter, run
    tol = X.dtype.type(tol)  # the threshold in the data's precision, as the shift
    run, it, finish = 0, 0, -1
    while True:
        run, it, n_changed = K.lloyd_runs(
            X, sample_weight, inits, run, it, finish, max_iter, tol, n_blocks,
            centers, centers_new, labels, sums, weights, center_shift,
            best_labels, best_centers, best,
        )  # fmt: skip
        if run == n_runs:
            break
        # iteration `it` of run `run` left a cluster empty (rare)
        _relocate_empty_clusters(X, sample_weight, centers, sums, weights, labels)
        shift_total = K.lloyd_update(sums, weights, centers, centers_new, center_shift)
        if n_changed == 0:
            finish = K.STRICT
        elif shift_total <= tol:
            finish = K.TOL
        elif it + 1 == max_iter:
            finish = K.MAX_ITER
        else:
            finish = -1
            it += 1  # resume this run at its next iteration
    return best_labels, float(best[0]), best_centers, int(best[1])


def _column_means(X):
    """``X.mean(axis=0)``, the same values, without NumPy's slow strided reduction."""
    if X.shape[1] < 2:
        return X.mean(axis=0)  # one column: NumPy sums it pairwise
    return K.column_sums(X) / X.shape[0]


def _tolerance(X, tol):
    """``tol`` times the mean of the per-feature variances of X (0 stays 0)."""
    if tol == 0:
        return 0
    if X.shape[1] < 2:
        variances = np.var(X, axis=0)  # one column: NumPy sums it pairwise
    else:
        # np.var(X, axis=0), the same bits, without its temporaries: on the
        # seminar's 500 x 2, 17-26 against 44-54 us, in a fit of about 550.
        # Divided by an np.intp, as NumPy divides (in float64, then rounded).
        n = np.intp(X.shape[0])
        mean = (K.column_sums(X) / n).astype(X.dtype, copy=False)
        variances = (K.column_squared_deviations(X, mean) / n).astype(X.dtype, copy=False)
    return np.mean(variances) * tol


def _is_arraylike_not_scalar(value):
    return (
        hasattr(value, "__len__") or hasattr(value, "shape") or hasattr(value, "__array__")
    ) and not np.isscalar(value)


# ---------------------------------------------------------------------------
# the estimator
# ---------------------------------------------------------------------------
class KMeans(ClusterMixin, BaseEstimator):
    """k-means clustering, with scikit-learn's parameters, attributes and answers.

    Parameters
    ----------
    n_clusters : int, default=8
    init : {"k-means++", "random"}, callable or array-like of shape \
(n_clusters, n_features), default="k-means++"
        "k-means++": greedy k-means++ seeding (``2 + int(ln k)`` candidates per
        centre). "random": ``n_clusters`` distinct rows drawn with probability
        proportional to their weight. An array: the initial centres. A
        callable ``init(X, n_clusters, random_state=...)`` returning them.
    n_init : "auto" or int, default="auto"
        Runs from different seeds; the one with the lowest inertia is kept.
        "auto" is 1 for "k-means++" and arrays, 10 for "random" and callables.
    max_iter : int, default=300
    tol : float, default=1e-4
        The run stops when ``sum_j ||c_j_new - c_j_old||²`` is at most ``tol``
        times the mean variance of the features.
    verbose : int, default=0
    random_state : int, RandomState instance or None, default=None
    copy_x : bool, default=True
        Accepted for compatibility. purecluster never modifies X: it centres a
        copy, whatever the value.
    algorithm : {"lloyd", "elkan"}, default="lloyd"
        "lloyd": every distance, every iteration. "elkan": the same answer,
        skipping the distances that triangle-inequality bounds rule out, with
        less memory than Elkan's n k bounds: Yinyang's (one bound per point
        and group of about 10 centres, float32) from 20 centres, Hamerly's
        (one lower bound per point) below.
    trace : bool, default=False
        Record every iteration of the winning run in ``trace_``.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
    labels_ : ndarray of shape (n_samples,), int32
    inertia_ : float
        ``sum_i w_i ||x_i - c_{label_i}||²``.
    n_iter_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X had string column names.
    trace_ : dict
        Only with ``trace=True``: ``centers`` (n_iter + 1, k, d), the initial
        centres then the centres after each iteration; ``inertia`` (n_iter,),
        the objective of iteration t's labels against the centres they were
        assigned to; ``center_shift`` (n_iter,); ``labels`` (n_iter, n) when
        n_samples <= 10000, else None; ``final_labels``, ``final_inertia``,
        ``n_iter``, ``run`` (which of the n_init runs won). Coordinates are in
        the units of X.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1, 2], [1, 4], [1, 0], [10, 2], [10, 4], [10, 0]])
    >>> km = KMeans(n_clusters=2, random_state=0, n_init="auto").fit(X)
    >>> km.labels_
    array([1, 1, 1, 0, 0, 0], dtype=int32)
    >>> km.cluster_centers_
    array([[10.,  2.],
           [ 1.,  2.]])
    """

    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
        "init": [StrOptions({"k-means++", "random"}), callable, "array-like"],
        "n_init": [StrOptions({"auto"}), Interval(numbers.Integral, 1, None, closed="left")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        "copy_x": ["boolean"],
        "algorithm": [StrOptions({"lloyd", "elkan"})],
        "trace": ["boolean"],
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        init="k-means++",
        n_init="auto",
        max_iter=300,
        tol=1e-4,
        verbose=0,
        random_state=None,
        copy_x=True,
        algorithm="lloyd",
        trace=False,
    ):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm
        self.trace = trace

    # -- checks that need the data --------------------------------------------
    def _resolve_n_init(self):
        if self.n_init != "auto":
            n_init = self.n_init
        elif isinstance(self.init, str) and self.init == "k-means++":
            n_init = 1
        elif isinstance(self.init, str) or callable(self.init):
            n_init = 10  # "random" or a callable
        else:
            n_init = 1  # an array
        if _is_arraylike_not_scalar(self.init) and n_init != 1:
            warnings.warn(
                "Explicit initial center position passed: performing only one init in "
                f"{type(self).__name__} instead of n_init={n_init}.",
                RuntimeWarning,
                stacklevel=3,
            )
            n_init = 1
        return n_init

    def _resolve_algorithm(self):
        if self.algorithm == "elkan" and self.n_clusters == 1:
            warnings.warn(
                "algorithm='elkan' doesn't make sense for a single cluster. Using 'lloyd' instead.",
                RuntimeWarning,
                stacklevel=3,
            )
            return "lloyd"
        return self.algorithm

    def _check_centers(self, X, centers):
        if centers.shape[0] != self.n_clusters:
            raise ValueError(
                f"The shape of the initial centers {centers.shape} does not match the "
                f"number of clusters {self.n_clusters}."
            )
        if centers.shape[1] != X.shape[1]:
            raise ValueError(
                f"The shape of the initial centers {centers.shape} does not match the "
                f"number of features of the data {X.shape[1]}."
            )

    def _init_centroids(self, X, init, random_state, sample_weight, x_squared_norms):
        """Initial centres for one run, on the centred data."""
        if isinstance(init, str) and init == "k-means++":
            centers, _ = _kmeans_plusplus(
                X, self.n_clusters, sample_weight, random_state, x_squared_norms=x_squared_norms
            )
        elif isinstance(init, str) and init == "random":
            seeds = _choice_without_replacement(
                random_state, sample_weight / sample_weight.sum(), self.n_clusters
            )
            centers = X[seeds]
        elif callable(init):
            centers = init(X, self.n_clusters, random_state=random_state)
            centers = check_array(centers, dtype=X.dtype, input_name="init")
            self._check_centers(X, centers)
        else:
            centers = init
        return centers

    def _all_inits(self, X, init, random_state, sample_weight, x_squared_norms, n_init):
        """The initial centres of all ``n_init`` runs, (n_init, k, d), drawn in order.

        For "random", the probabilities (and their check) are the same for
        every run: computed once, each run then costs one draw and one
        kernel call (:func:`_choice_rounds`).
        """
        inits = np.empty((n_init, self.n_clusters, X.shape[1]), dtype=X.dtype)
        if isinstance(init, str) and init == "random":
            p64 = _checked_p64(sample_weight / sample_weight.sum(), self.n_clusters)
            for run in range(n_init):
                inits[run] = X[_choice_rounds(random_state, p64, self.n_clusters)]
            return inits
        for run in range(n_init):
            inits[run] = self._init_centroids(X, init, random_state, sample_weight, x_squared_norms)
        return inits

    # -- fit -------------------------------------------------------------------
    def fit(self, X, y=None, sample_weight=None):
        """Compute k-means clustering.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples (also used by "k-means++" and "random"
            seeding, not by an array or callable ``init``).

        Returns
        -------
        self
        """
        self._validate_params()
        X = self._validate_data(X)
        n_samples = X.shape[0]
        if n_samples < self.n_clusters:
            raise ValueError(f"n_samples={n_samples} should be >= n_clusters={self.n_clusters}.")
        tol = _tolerance(X, self.tol)
        n_init = self._resolve_n_init()
        accelerated = self._resolve_algorithm() == "elkan"
        random_state = check_random_state(self.random_state)
        sample_weight = check_sample_weight(sample_weight, X, allow_all_zero=False)

        init = self.init
        if _is_arraylike_not_scalar(init):
            init = check_array(init, dtype=X.dtype, copy=True, input_name="init")
            self._check_centers(X, init)

        # Centre the data: distances then lose less precision. A new array,
        # so the caller's X is never touched (whatever copy_x says).
        X_mean = _column_means(X)
        n_blocks = K.n_blocks_for(n_samples)
        X = X - X_mean if n_blocks == 1 else K.subtract_row(X, X_mean, n_blocks)
        if not isinstance(init, str) and not callable(init):
            init -= X_mean
        x_squared_norms = None
        if isinstance(init, str) and init == "k-means++":
            x_squared_norms = _squared_norms64(X)

        if _plain_lloyd(X, self.n_clusters, accelerated, self.verbose, self.trace):
            # Every run's seeding first: the runs draw nothing, so the stream
            # is consumed in scikit-learn's order. Then all runs in one kernel.
            inits = self._all_inits(X, init, random_state, sample_weight, x_squared_norms, n_init)
            best_labels, best_inertia, best_centers, best_n_iter = _plain_runs(
                X, sample_weight, inits, self.max_iter, tol
            )
        else:
            best_inertia = best_labels = None
            for run in range(n_init):
                centers_init = self._init_centroids(
                    X, init, random_state, sample_weight, x_squared_norms
                )
                if self.verbose:
                    print("Initialization complete")
                result = _single_run(
                    X,
                    sample_weight,
                    centers_init,
                    self.max_iter,
                    tol,
                    accelerated,
                    self.verbose,
                    self.trace,
                )
                labels, inertia, centers, n_iter = result[:4]
                if _is_better(labels, inertia, best_labels, best_inertia, self.n_clusters):
                    best_labels, best_inertia = labels, inertia
                    best_centers, best_n_iter = centers, n_iter
                    if self.trace:
                        best_trace = result[4]
                        best_trace["run"] = run

        best_centers += X_mean
        distinct = K.n_distinct(best_labels, self.n_clusters)
        if distinct < self.n_clusters:
            warnings.warn(
                f"Number of distinct clusters ({distinct}) found smaller than n_clusters "
                f"({self.n_clusters}). Possibly due to duplicate points in X.",
                ConvergenceWarning,
                stacklevel=2,
            )
        self.cluster_centers_ = best_centers
        self.labels_ = best_labels
        self.inertia_ = best_inertia
        self.n_iter_ = best_n_iter
        self._n_features_out = best_centers.shape[0]
        if self.trace:
            best_trace["centers"] += X_mean
            self.trace_ = best_trace
        elif hasattr(self, "trace_"):
            del self.trace_
        return self

    # -- using a fitted model ----------------------------------------------------
    def _check_test_data(self, X):
        X = self._validate_data(X, reset=False)
        # the kernels need one dtype: compute in the centres' precision
        return X.astype(self.cluster_centers_.dtype, copy=False)

    def predict(self, X):
        """Index of the nearest centre for each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,), int32
        """
        X = self._check_test_data(X)
        labels = np.zeros(X.shape[0], dtype=np.int32)
        n_samples, n_features = X.shape
        _assign(
            X,
            np.ones(n_samples, dtype=X.dtype),
            self.cluster_centers_,
            labels,
            K.n_blocks_for(n_samples),
            _use_parallel(n_samples, self.n_clusters, n_features),
        )
        return labels

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fit, then return ``labels_``."""
        return self.fit(X, sample_weight=sample_weight).labels_

    def transform(self, X):
        """Euclidean distance from each sample to each centre.

        Returns
        -------
        distances : ndarray of shape (n_samples, n_clusters)
        """
        self._check_is_fitted("cluster_centers_")
        dtype = np.result_type(getattr(X, "dtype", np.float64), self.cluster_centers_.dtype)
        X = self._validate_data(X, reset=False)
        return self._transform(X).astype(
            np.float32 if dtype == np.float32 else np.float64, copy=False
        )

    def _transform(self, X):
        # exact differences, in float64 (no cancellation)
        X64 = X.astype(np.float64, copy=False)
        C64 = self.cluster_centers_.astype(np.float64)
        out = np.empty((X.shape[0], C64.shape[0]))
        for j in range(C64.shape[0]):
            diff = X64 - C64[j]
            out[:, j] = np.sqrt(np.einsum("ij,ij->i", diff, diff))
        return out

    def fit_transform(self, X, y=None, sample_weight=None):
        """Fit, then return the distances from each sample to each centre."""
        self.fit(X, sample_weight=sample_weight)
        X = self._validate_data(X, reset=False)
        out = self._transform(X)
        return out.astype(self.cluster_centers_.dtype, copy=False)

    def score(self, X, y=None, sample_weight=None):
        """Minus the inertia of X against the fitted centres.

        Returns
        -------
        score : float
        """
        X = self._check_test_data(X)
        sample_weight = check_sample_weight(sample_weight, X)
        n_samples, n_features = X.shape
        labels = np.zeros(n_samples, dtype=np.int32)
        n_blocks = K.n_blocks_for(n_samples)
        parallel = _use_parallel(n_samples, self.n_clusters, n_features)
        _assign(X, sample_weight, self.cluster_centers_, labels, n_blocks, parallel)
        inertia_of = K.inertia_parallel if parallel else K.inertia
        return -float(inertia_of(X, sample_weight, self.cluster_centers_, labels, n_blocks))

    def get_feature_names_out(self, input_features=None):
        """``kmeans0``, ``kmeans1``, ...: the names of ``transform``'s columns."""
        self._check_is_fitted()
        return np.asarray([f"kmeans{i}" for i in range(self._n_features_out)], dtype=object)


def k_means(
    X,
    n_clusters,
    *,
    sample_weight=None,
    init="k-means++",
    n_init="auto",
    max_iter=300,
    verbose=False,
    tol=1e-4,
    random_state=None,
    copy_x=True,
    algorithm="lloyd",
    return_n_iter=False,
):
    """Functional form of :class:`KMeans`.

    Returns
    -------
    centroid : ndarray of shape (n_clusters, n_features)
    label : ndarray of shape (n_samples,)
    inertia : float
    best_n_iter : int
        Only with ``return_n_iter=True``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1, 2], [1, 4], [1, 0], [10, 2], [10, 4], [10, 0]])
    >>> centroid, label, inertia = k_means(X, n_clusters=2, random_state=0)
    >>> inertia
    16.0
    """
    validate_params({"return_n_iter": return_n_iter}, {"return_n_iter": [bool]}, "k_means")
    est = KMeans(
        n_clusters=n_clusters,
        init=init,
        n_init=n_init,
        max_iter=max_iter,
        verbose=verbose,
        tol=tol,
        random_state=random_state,
        copy_x=copy_x,
        algorithm=algorithm,
    ).fit(X, sample_weight=sample_weight)
    if return_n_iter:
        return est.cluster_centers_, est.labels_, est.inertia_, est.n_iter_
    return est.cluster_centers_, est.labels_, est.inertia_


@register_warmup("kmeans")
def _warmup(dtype):
    """Compile the kernels for ``dtype`` on tiny data (serial and parallel drivers)."""
    rng = np.random.RandomState(0)
    X = rng.rand(40, 2).astype(dtype)
    for algorithm in ("lloyd", "elkan"):
        KMeans(3, n_init=1, random_state=0, algorithm=algorithm).fit(X).predict(X)
    # Yinyang's kernels (20 centres or more)
    KMeans(_YINYANG_MIN_CLUSTERS, n_init=1, random_state=0, algorithm="elkan").fit(X)
    KMeans(3, init="random", n_init=1, random_state=0).fit(X)
    w = np.ones(X.shape[0], dtype=X.dtype)
    labels = np.zeros(X.shape[0], dtype=np.int32)
    C = X[:3].copy()
    sums = np.empty_like(C)
    weights = np.empty(3, dtype=X.dtype)
    K.lloyd_assign_parallel(X, w, C, labels, sums, weights, 2, True)
    _lloyd_assign_blas(X, w, C, labels, sums, weights, 2, True)
    K.inertia_parallel(X, w, C, labels, 2)
    K.same_clustering(labels, labels, 3)
    centers, indices = np.empty_like(C), np.empty(3, dtype=np.int64)
    eps = float(np.finfo(X.dtype).eps)
    K.kmeans_plusplus_kernel(
        X, np.ones(40), w, 0, np.zeros((2, 2)), centers, indices, True, eps / 2
    )
    up, lo = np.zeros(40), np.zeros(40)
    K.hamerly_assign_parallel(X, w, C, labels, up, lo, sums, weights, 2, True, True, eps)
