"""Agglomerative (hierarchical) clustering: four linkages, scipy's linkage matrix.

Every linkage starts from the points as singletons and repeatedly merges the
two nearest clusters; they differ in what "nearest" means. The algorithms are
Müllner's (2011), each the fastest exact one for its linkage:

* ``single``: Prim's minimum spanning tree on the data (distances computed on
  the fly, O(n) memory), its edges sorted by length and joined with
  union–find (:func:`purecluster._linkage_kernels.prim_mst`);
* ``ward``: the nearest-neighbour chain over cluster centroids and sizes, no
  distance matrix (:func:`purecluster._linkage_kernels.nn_chain_ward`);
* ``complete`` and ``average``: the nearest-neighbour chain on one n×n
  distance matrix with Lance–Williams updates
  (:func:`purecluster._linkage_kernels.nn_chain_matrix`).

The stages are public functions on plain arrays: :func:`linkage` returns the
dendrogram in scipy's format, :func:`cut_tree` cuts it into flat clusters,
and :class:`AgglomerativeClustering` is scikit-learn's estimator around them.
"""

from __future__ import annotations

import heapq
import numbers
from dataclasses import dataclass

import numpy as np

from . import _linkage_kernels as kernels
from ._base import BaseEstimator, ClusterMixin
from ._distances import (
    COSINE,
    EUCLIDEAN,
    METRIC_ALIASES,
    SQEUCLIDEAN,
    metric_code,
    pairwise_square_fm,
)
from ._jit import register_warmup
from ._validation import Interval, StrOptions, check_array

__all__ = ["AgglomerativeClustering", "AgglomerativeTrace", "linkage", "cut_tree"]

LINKAGES = ("ward", "complete", "average", "single")

# The metric names scikit-learn's AgglomerativeClustering accepts (its
# parameter check); we compute the ones in METRIC_ALIASES and refuse the
# others with a NotImplementedError.
_SKLEARN_METRICS = {
    "braycurtis", "canberra", "chebyshev", "cityblock", "correlation", "cosine", "dice",
    "euclidean", "hamming", "haversine", "jaccard", "l1", "l2", "mahalanobis", "manhattan",
    "matching", "minkowski", "nan_euclidean", "rogerstanimoto", "russellrao", "seuclidean",
    "sokalsneath", "sqeuclidean", "wminkowski", "yule", "precomputed",
}  # fmt: skip

# For single linkage scikit-learn runs its own minimum spanning tree for these
# metrics, and keeps each merge's pair in the order the tree found it (for
# the others it calls scipy, which puts the smaller id first).
_SKLEARN_MST_METRICS = {
    "euclidean", "l2", "l1", "manhattan", "cityblock", "chebyshev", "infinity", "minkowski",
}  # fmt: skip


@dataclass
class AgglomerativeTrace:
    """What the algorithm did, step by step, in the order it did it.

    Attributes
    ----------
    algorithm : str
        ``"prim-mst"`` (single linkage) or ``"nn-chain"`` (the others).
    left, right : ndarray of shape (n_samples - 1,), int64
        The clusters joined at each step, as ids of the linkage matrix
        (points are ``0..n-1``; row ``r`` of the linkage matrix creates
        cluster ``n + r``). For single linkage the steps are Prim's, each of
        which adds one point to the tree; ``left``/``right`` then give the
        clusters that edge joins in the dendrogram.
    height : ndarray of shape (n_samples - 1,), float64
        The linkage distance of each step.
    size : ndarray of shape (n_samples - 1,), int64
        The number of points in the cluster each step created.
    row : ndarray of shape (n_samples - 1,), int64
        The row of ``linkage_matrix_`` each step became (the matrix is sorted
        by height; the steps are in execution order).
    edges : ndarray of shape (n_samples - 1, 2) or None
        Single linkage only: Prim's tree edges in the order they were found,
        as point indices (``edges[k, 1]`` is the point added at step ``k``).
    """

    algorithm: str
    left: np.ndarray
    right: np.ndarray
    height: np.ndarray
    size: np.ndarray
    row: np.ndarray
    edges: np.ndarray | None = None


# ---------------------------------------------------------------------------
# stage 1: distances
# ---------------------------------------------------------------------------
def _check_precomputed(D, caller="linkage"):
    """A square, symmetric, non-negative distance matrix (float64, a new array)."""
    if D.ndim != 2 or D.shape[0] != D.shape[1]:
        raise ValueError(f"Distance matrix should be square, got matrix of shape {D.shape}")
    if (D < 0).any():
        raise ValueError(
            f"{caller}: a precomputed distance matrix must be non-negative; "
            f"its smallest entry is {D.min()!r}."
        )
    scale = float(np.abs(D).max()) if D.size else 0.0
    if not np.allclose(D, D.T, rtol=1e-10, atol=1e-12 * scale):
        raise ValueError(
            f"{caller}: a precomputed distance matrix must be symmetric; "
            f"max |D - D.T| = {float(np.abs(D - D.T).max())!r}."
        )
    D = np.array(D, dtype=np.float64, order="C")
    # like scipy (and scikit-learn, which passes scipy the upper triangle),
    # only the upper triangle is used
    kernels.mirror_upper(D)
    return D


def _distance_matrix(X, metric, p=2.0):
    """The n×n distance matrix of the rows of ``X`` (float64)."""
    n = X.shape[0]
    D = np.empty((n, n), dtype=np.float64)
    return pairwise_square_fm(X, metric_code(metric), float(p), D)


def _check_metric(X, method, metric):
    if method not in LINKAGES:
        raise ValueError(f"Unknown linkage method {method!r}; expected one of {LINKAGES}.")
    if callable(metric) or metric == "precomputed":
        if method == "ward":
            raise ValueError(
                f"{metric} was provided as metric. Ward can only work with euclidean "
                "distances (i.e. 'euclidean' and 'l2')."
            )
        return
    if metric not in METRIC_ALIASES:
        supported = sorted([*METRIC_ALIASES, "precomputed"])
        raise NotImplementedError(
            f"metric={metric!r} is not implemented in purecluster; use one of {supported} "
            "or metric='precomputed' with your own distance matrix."
        )
    if method == "ward" and metric not in ("euclidean", "l2"):
        raise ValueError(
            f"{metric} was provided as metric. Ward can only work with euclidean "
            "distances (i.e. 'euclidean' and 'l2')."
        )
    if metric_code(metric) == COSINE and not np.all(np.any(X != 0, axis=1)):
        raise ValueError("Cosine affinity cannot be used when X contains zero vectors")


# ---------------------------------------------------------------------------
# stage 2: the merges
# ---------------------------------------------------------------------------
def _merges(X, method, metric, p=2.0):
    """Run the linkage algorithm; return its merges in execution order.

    Returns ``(a, b, height, algorithm)``: step ``k`` joins the clusters
    holding points ``a[k]`` and ``b[k]`` at ``height[k]``.
    """
    if method == "single":
        if callable(metric) or metric == "precomputed":
            return (*kernels.prim_mst_precomputed(X), "prim-mst")
        code = metric_code(metric)
        if code == EUCLIDEAN:
            # The tree only compares distances: squared ones order the edges
            # the same way and save a square root per pair; one root per edge
            # at the end gives the Euclidean heights.
            src, dst, weight = kernels.prim_mst(X, SQEUCLIDEAN, float(p))
            return src, dst, np.sqrt(weight), "prim-mst"
        return (*kernels.prim_mst(X, code, float(p)), "prim-mst")
    if method == "ward":
        return (*kernels.nn_chain_ward(X), "nn-chain")
    if callable(metric) or metric == "precomputed":
        D = X  # a fresh copy made by _check_precomputed: the kernel may overwrite it
    else:
        D = _distance_matrix(X, metric, p)
    code = kernels.COMPLETE if method == "complete" else kernels.AVERAGE
    return (*kernels.nn_chain_matrix(D.reshape(-1), code), "nn-chain")


def _tree(X, method, metric, p=2.0, trace=False):
    """Linkage matrix (scipy's form), scikit-learn's ``children_``, and the trace."""
    n = X.shape[0]
    a, b, height, algorithm = _merges(X, method, metric, p)
    # scipy's order: by height, ties kept in the order the algorithm found them
    order = np.argsort(height, kind="stable")
    a_sorted, b_sorted, h_sorted = a[order], b[order], height[order]
    left, right, size = kernels.label_merges(a_sorted, b_sorted, n, True)
    Z = np.empty((n - 1, 4), dtype=np.float64)
    Z[:, 0] = left
    Z[:, 1] = right
    Z[:, 2] = h_sorted
    Z[:, 3] = size
    if method == "single" and isinstance(metric, str) and metric in _SKLEARN_MST_METRICS:
        # scikit-learn keeps (point added last, point added now) in that order
        first, second, _ = kernels.label_merges(a_sorted, b_sorted, n, False)
        children = np.column_stack([first, second]).astype(np.intp)
    else:
        children = Z[:, :2].astype(np.intp)
    record = None
    if trace:
        row = np.empty(n - 1, dtype=np.int64)
        row[order] = np.arange(n - 1)
        record = AgglomerativeTrace(
            algorithm=algorithm,
            left=left[row],
            right=right[row],
            height=height.copy(),
            size=size[row],
            row=row,
            edges=np.column_stack([a, b]) if algorithm == "prim-mst" else None,
        )
    return Z, children, record


def _prepare(X, method, metric, caller):
    """Validate data (or a distance matrix) for :func:`linkage` and the estimator."""
    if callable(metric):
        D = check_array(metric(X), input_name="metric(X)", estimator_name=caller)
        return _check_precomputed(D, caller)
    if metric == "precomputed":
        return _check_precomputed(X, caller)
    # distances are computed in float64 whatever the input's precision, as
    # scipy does, so that merge heights agree
    return np.ascontiguousarray(X, dtype=np.float64)


def linkage(X, method="single", metric="euclidean"):
    """Hierarchical clustering of the rows of ``X``, as scipy's linkage matrix.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features), or (n_samples, n_samples)
        The data; with ``metric="precomputed"``, a square symmetric
        non-negative distance matrix; or, as in scipy, a 1-D condensed
        distance vector of length ``n (n - 1) / 2``.
    method : {"single", "complete", "average", "ward"}, default="single"
    metric : str or callable, default="euclidean"
        A name from ``purecluster._distances.METRIC_ALIASES``, ``"precomputed"``,
        or a callable returning the distance matrix of ``X``. Ward needs
        ``"euclidean"``.

    Returns
    -------
    Z : ndarray of shape (n_samples - 1, 4), float64
        Row ``r`` merges clusters ``Z[r, 0] < Z[r, 1]`` at height ``Z[r, 2]``
        into cluster ``n_samples + r`` of ``Z[r, 3]`` points; rows are sorted
        by height (stable). This is scipy's format, accepted by
        ``scipy.cluster.hierarchy.dendrogram``.

    Examples
    --------
    >>> linkage([[0.0], [1.0], [3.0]], method="single")
    array([[0., 1., 1., 2.],
           [2., 3., 2., 3.]])
    """
    if np.ndim(X) == 1:
        X = _square_from_condensed(X)
        metric = "precomputed"
    X = check_array(X, estimator_name="linkage", ensure_min_samples=2)
    _check_metric(X, method, metric)
    X = _prepare(X, method, metric, "linkage")
    Z, _, _ = _tree(X, method, metric)
    return Z


def _square_from_condensed(y):
    y = check_array(np.asarray(y).reshape(1, -1), input_name="y").ravel()
    n = int(round((1 + np.sqrt(1 + 8 * y.shape[0])) / 2))
    if n * (n - 1) // 2 != y.shape[0]:
        raise ValueError(
            f"A condensed distance vector must have length n(n-1)/2; got {y.shape[0]}."
        )
    D = np.zeros((n, n), dtype=np.float64)
    rows, cols = np.triu_indices(n, 1)
    D[rows, cols] = y
    D[cols, rows] = y
    return D


# ---------------------------------------------------------------------------
# stage 3: cutting the tree
# ---------------------------------------------------------------------------
def _cut_nodes(children, n_clusters, n_leaves):
    """The ``n_clusters`` nodes left after undoing the last ``n_clusters - 1`` merges.

    Numbered as scikit-learn numbers them: the nodes sit in a binary heap
    keyed by decreasing id; each step replaces the newest node by its two
    children (first child pushed, second child swapped in for the top), and
    a node's label is its final position in the heap's array.
    """
    heap = [-(2 * n_leaves - 2)]  # the root, negated: heapq is a min-heap
    for _ in range(n_clusters - 1):
        first, second = children[-heap[0] - n_leaves]
        heapq.heappush(heap, -int(first))
        heapq.heapreplace(heap, -int(second))
    return np.array([-node for node in heap], dtype=np.int64)


def cut_tree(Z, n_clusters=None, height=None):
    """Flat clusters from a dendrogram, by number of clusters or by height.

    Parameters
    ----------
    Z : array-like of shape (n_samples - 1, 2 or more)
        A linkage matrix (from :func:`linkage`) or a fitted model's
        ``children_``: only the first two columns (the children of node
        ``n_samples + r``) are read, plus the heights (column 2) when cutting
        by ``height``.
    n_clusters : int, optional
        Undo the last ``n_clusters - 1`` merges.
    height : float, optional
        Undo every merge at a height ``>= height`` (scikit-learn's
        ``distance_threshold`` rule; scipy's ``fcluster(criterion="distance")``
        keeps merges at exactly ``height``).

    Returns
    -------
    labels : ndarray of shape (n_samples,), intp
        Cluster of each point, numbered as scikit-learn's
        ``AgglomerativeClustering`` numbers them.

    Examples
    --------
    >>> Z = linkage([[0.0], [1.0], [5.0]], method="single")
    >>> cut_tree(Z, n_clusters=2)
    array([1, 1, 0])
    """
    Z = np.asarray(Z)
    if Z.ndim != 2 or Z.shape[1] < 2:
        raise ValueError(f"Z must be a 2-D linkage matrix or children_ array; got {Z.shape}.")
    n_leaves = Z.shape[0] + 1
    if (n_clusters is None) == (height is None):
        raise ValueError("Give exactly one of n_clusters and height.")
    if height is not None:
        if Z.shape[1] < 3:
            raise ValueError("Cutting by height needs the heights: pass the linkage matrix.")
        n_clusters = int(np.count_nonzero(Z[:, 2] >= height)) + 1
    if not isinstance(n_clusters, numbers.Integral) or n_clusters < 1:
        raise ValueError(f"n_clusters must be a positive int; got {n_clusters!r}.")
    if n_clusters > n_leaves:
        raise ValueError(
            "Cannot extract more clusters than samples: "
            f"{n_clusters} clusters were given for a tree with {n_leaves} leaves."
        )
    children = np.ascontiguousarray(Z[:, :2], dtype=np.int64)
    roots = _cut_nodes(children, n_clusters, n_leaves)
    return kernels.assign_cut(children, n_leaves, roots).astype(np.intp)


# ---------------------------------------------------------------------------
# the estimator
# ---------------------------------------------------------------------------
class AgglomerativeClustering(ClusterMixin, BaseEstimator):
    """Agglomerative clustering with scikit-learn's interface.

    Parameters
    ----------
    n_clusters : int or None, default=2
        The number of clusters; ``None`` when ``distance_threshold`` is given.
    metric : str or callable, default="euclidean"
        "euclidean", "l2", "l1", "manhattan", "cityblock", "cosine",
        "chebyshev", "minkowski" (p=2), "sqeuclidean", "precomputed" (fit
        then takes a distance matrix), or a callable returning the distance
        matrix of ``X``. Ward needs "euclidean" or "l2".
    memory : None
        Not implemented (caching the tree); anything else raises.
    connectivity : None
        Not implemented (structured clustering); anything else raises.
    compute_full_tree : "auto" or bool, default="auto"
        Accepted for compatibility: without connectivity the full tree is
        always built (as in scikit-learn). ``False`` with
        ``distance_threshold`` is an error, as in scikit-learn.
    linkage : {"ward", "complete", "average", "single"}, default="ward"
    distance_threshold : float or None, default=None
        Merges at a height ``>= distance_threshold`` are undone.
    compute_distances : bool, default=False
        Store ``distances_`` even without ``distance_threshold``.
    trace : bool, default=False
        Store ``trace_`` (:class:`AgglomerativeTrace`), the merges in the
        order the algorithm made them.

    Attributes
    ----------
    n_clusters_ : int
    labels_ : ndarray of shape (n_samples,), intp
    n_leaves_ : int
    n_connected_components_ : int
        Always 1 (no connectivity constraints).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` has string column names.
    children_ : ndarray of shape (n_samples - 1, 2), intp
        Node ``n_samples + i`` has children ``children_[i]`` (scikit-learn's
        pair order: scipy's for ward/complete/average, the tree's order for
        single linkage with a metric scikit-learn's MST handles).
    distances_ : ndarray of shape (n_samples - 1,), float64
        Merge heights; only with ``distance_threshold`` or ``compute_distances``.
    linkage_matrix_ : ndarray of shape (n_samples - 1, 4), float64
        The dendrogram in scipy's format (extra to scikit-learn).
    trace_ : AgglomerativeTrace
        Only with ``trace=True``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1, 2], [1, 4], [1, 0], [4, 2], [4, 4], [4, 0]])
    >>> AgglomerativeClustering().fit(X).labels_
    array([1, 1, 1, 0, 0, 0])
    """

    _parameter_constraints: dict = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "metric": [StrOptions(_SKLEARN_METRICS | set(METRIC_ALIASES)), callable],
        "memory": [str, None, object],
        "connectivity": ["array-like", callable, None],
        "compute_full_tree": [StrOptions({"auto"}), "boolean"],
        "linkage": [StrOptions(set(LINKAGES))],
        "distance_threshold": [Interval(numbers.Real, 0, None, closed="left"), None],
        "compute_distances": ["boolean"],
        "trace": ["boolean"],
    }

    def __init__(
        self,
        n_clusters=2,
        *,
        metric="euclidean",
        memory=None,
        connectivity=None,
        compute_full_tree="auto",
        linkage="ward",
        distance_threshold=None,
        compute_distances=False,
        trace=False,
    ):
        self.n_clusters = n_clusters
        self.metric = metric
        self.memory = memory
        self.connectivity = connectivity
        self.compute_full_tree = compute_full_tree
        self.linkage = linkage
        self.distance_threshold = distance_threshold
        self.compute_distances = compute_distances
        self.trace = trace

    def fit(self, X, y=None):
        """Build the dendrogram of ``X`` and cut it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_samples)
            The data, or a distance matrix with ``metric="precomputed"``.
        y : ignored

        Returns
        -------
        self
        """
        self._validate_params()
        if self.memory is not None:
            raise NotImplementedError(
                "memory (caching the tree with joblib) is not implemented in purecluster; "
                "use memory=None."
            )
        if self.connectivity is not None:
            raise NotImplementedError(
                "connectivity (structured clustering) is not implemented in purecluster; "
                "use connectivity=None."
            )
        X = self._validate_data(X, ensure_min_samples=2)
        if (self.n_clusters is None) == (self.distance_threshold is None):
            raise ValueError(
                "Exactly one of n_clusters and distance_threshold has to be set, and the "
                "other needs to be None."
            )
        if self.distance_threshold is not None and not self.compute_full_tree:
            raise ValueError("compute_full_tree must be True if distance_threshold is set.")
        _check_metric(X, self.linkage, self.metric)
        n_samples = X.shape[0]
        if self.n_clusters is not None and self.n_clusters > n_samples:
            raise ValueError(
                "Cannot extract more clusters than samples: "
                f"{self.n_clusters} clusters were given for a tree with {n_samples} leaves."
            )

        data = _prepare(X, self.linkage, self.metric, type(self).__name__)
        Z, children, record = _tree(data, self.linkage, self.metric, trace=self.trace)
        self.linkage_matrix_ = Z
        self.children_ = children
        self.n_leaves_ = n_samples
        self.n_connected_components_ = 1
        if self.distance_threshold is not None or self.compute_distances:
            self.distances_ = Z[:, 2].copy()
        if self.distance_threshold is not None:
            self.n_clusters_ = int(np.count_nonzero(Z[:, 2] >= self.distance_threshold)) + 1
        else:
            self.n_clusters_ = self.n_clusters
        roots = _cut_nodes(children, self.n_clusters_, n_samples)
        labels = kernels.assign_cut(children.astype(np.int64), n_samples, roots)
        self.labels_ = labels.astype(np.intp)
        if self.trace:
            self.trace_ = record
        return self


@register_warmup("agglomerative")
def _warmup(dtype):
    X = np.random.RandomState(0).standard_normal((40, 3)).astype(dtype)
    for method in LINKAGES:
        AgglomerativeClustering(n_clusters=3, linkage=method).fit(X)
    AgglomerativeClustering(linkage="single", metric="manhattan").fit(X)
    AgglomerativeClustering(linkage="average", metric="cosine").fit(X)
