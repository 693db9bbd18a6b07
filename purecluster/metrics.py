"""Scores for clusterings, and matching clusters to classes.

Same names, arguments, return values and special cases as
``sklearn.metrics`` (1.9), computed with NumPy and Numba alone.

Comparing two labelings (a "true" one and a predicted one). Everything starts
from the contingency table ``n[c, k]`` (samples of class c in cluster k):

* pair counting: :func:`pair_confusion_matrix`, :func:`rand_score`,
  :func:`adjusted_rand_score`, :func:`fowlkes_mallows_score`;
* information: :func:`mutual_info_score`, :func:`normalized_mutual_info_score`,
  :func:`adjusted_mutual_info_score`, :func:`homogeneity_score`,
  :func:`completeness_score`, :func:`v_measure_score`,
  :func:`homogeneity_completeness_v_measure`;
* matching clusters to classes: :func:`match_labels` (majority vote or an
  optimal one-to-one assignment via :func:`linear_sum_assignment`) and
  :func:`matched_accuracy_score`.

Judging one labeling of data X without ground truth:
:func:`silhouette_samples`, :func:`silhouette_score`,
:func:`calinski_harabasz_score`, :func:`davies_bouldin_score`.

The loops (contingency counts, expected mutual information, blocks of the
distance matrix, the assignment solver) live in ``_metrics_kernels.py``.
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from . import _metrics_kernels as kernels
from ._jit import register_warmup
from ._validation import (
    Interval,
    StrOptions,
    _is_sparse,
    check_array,
    check_random_state,
    validate_params,
)

__all__ = [
    "adjusted_mutual_info_score",
    "adjusted_rand_score",
    "calinski_harabasz_score",
    "completeness_score",
    "contingency_matrix",
    "davies_bouldin_score",
    "fowlkes_mallows_score",
    "homogeneity_completeness_v_measure",
    "homogeneity_score",
    "linear_sum_assignment",
    "match_labels",
    "matched_accuracy_score",
    "mutual_info_score",
    "normalized_mutual_info_score",
    "pair_confusion_matrix",
    "rand_score",
    "silhouette_samples",
    "silhouette_score",
    "v_measure_score",
]

_EPS = np.finfo(np.float64).eps
_AVERAGE_METHODS = StrOptions({"arithmetic", "max", "min", "geometric"})

# Blocks of rows computed by a callable metric hold at most this many MiB
# (``working_memory``); built-in metrics never store more than ``_ROW_TILE``
# distances per thread.
_DEFAULT_WORKING_MEMORY_MIB = 2
_ROW_TILE = 1024
# From this many features on, euclidean and cosine distances come from a BLAS
# Gram product (blocks of rows of at most _GRAM_BLOCK_BYTES): measured 2x
# faster than differences at 1000 features, 2x slower at 64.
_GRAM_MIN_FEATURES = 128
_GRAM_BLOCK_BYTES = 64 * 2**20
# The per-cluster sums of one block of samples hold at most this many bytes.
_SUMS_BYTES = 64 * 2**20


# ---------------------------------------------------------------------------
# label checks
# ---------------------------------------------------------------------------
def _as_labels(labels, name):
    """A 1-D array of labels (numbers or strings); NaN and infinity refused."""
    if _is_sparse(labels):
        raise TypeError(f"{name} must be a dense 1-D array-like, got a sparse matrix.")
    array = np.asarray(labels)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1D: shape is {array.shape!r}")
    if array.dtype.kind == "f":
        if not np.isfinite(array).all():
            raise ValueError(f"Input {name} contains NaN or infinity.")
        if np.any(array != np.floor(array)):
            warnings.warn(
                f"Clustering metrics expect discrete values but {name} holds "
                "non-integer (continuous) values.",
                UserWarning,
                stacklevel=3,
            )
    elif array.dtype.kind == "c":
        raise ValueError(f"Complex data not supported: {name} has dtype {array.dtype}.")
    return array


def _check_clusterings(labels_true, labels_pred):
    """Both labelings as 1-D arrays of the same length (empty allowed)."""
    labels_true = _as_labels(labels_true, "labels_true")
    labels_pred = _as_labels(labels_pred, "labels_pred")
    if labels_true.shape[0] != labels_pred.shape[0]:
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: "
            f"[{labels_true.shape[0]}, {labels_pred.shape[0]}]"
        )
    return labels_true, labels_pred


def _encode(labels):
    """The sorted distinct labels and each sample's position among them."""
    classes, codes = np.unique(labels, return_inverse=True)
    return classes, codes.reshape(-1).astype(np.int64, copy=False)


def _counts(labels_true, labels_pred):
    """Dense int64 contingency table of two checked labelings."""
    _, class_idx = _encode(labels_true)
    n_classes = int(class_idx.max()) + 1 if class_idx.size else 0
    _, cluster_idx = _encode(labels_pred)
    n_clusters = int(cluster_idx.max()) + 1 if cluster_idx.size else 0
    return kernels.contingency_counts(class_idx, cluster_idx, n_classes, n_clusters)


def _entropy_of_counts(counts):
    """Shannon entropy (nats) of the distribution given by integer counts.

    ``H = -sum_i p_i log p_i`` with ``p_i = counts_i / n``, written as
    ``-sum p_i (log counts_i - log n)`` to avoid forming tiny ratios.
    By convention an empty labeling has entropy 1 and a single class 0.
    """
    if counts.sum() == 0:
        return 1.0
    if counts.size == 1:
        return 0.0
    pi = counts.astype(np.float64)
    pi_sum = np.sum(pi)
    return float(-np.sum(pi / pi_sum * (np.log(pi) - math.log(pi_sum))))


# ---------------------------------------------------------------------------
# contingency table and pair counting
# ---------------------------------------------------------------------------
def contingency_matrix(labels_true, labels_pred, *, eps=None, sparse=False, dtype=np.int64):
    """Count how many samples of each class fall in each cluster.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        Ground-truth classes (numbers or strings).
    labels_pred : array-like of shape (n_samples,)
        Cluster labels.
    eps : float or None, default=None
        Added to every cell (e.g. to avoid zeros before taking logs); the
        result is then floating point.
    sparse : bool, default=False
        scikit-learn can return a ``scipy.sparse`` matrix; purecluster does not
        depend on SciPy, so ``True`` raises a ValueError.
    dtype : numpy dtype, default=np.int64
        Type of the counts (ignored when ``eps`` is given).

    Returns
    -------
    ndarray of shape (n_classes, n_clusters)
        ``C[i, j]`` is the number of samples with the i-th smallest class and
        the j-th smallest cluster label.

    Examples
    --------
    >>> contingency_matrix([0, 0, 1, 1], [1, 1, 1, 0])
    array([[0, 2],
           [1, 1]])
    """
    validate_params(
        {"eps": eps, "sparse": sparse},
        {"eps": [Interval(numbers.Real, 0, None, closed="left"), None], "sparse": ["boolean"]},
        "contingency_matrix",
    )
    if sparse:
        raise ValueError(
            "contingency_matrix(sparse=True) would need scipy.sparse, which purecluster does "
            "not depend on. Use sparse=False (a dense array); if you need a sparse matrix, "
            "convert it yourself, e.g. scipy.sparse.csr_array(contingency_matrix(...))."
        )
    labels_true, labels_pred = _check_clusterings(labels_true, labels_pred)
    contingency = _counts(labels_true, labels_pred).astype(dtype, copy=False)
    if eps is not None:
        contingency = contingency + eps
    return contingency


def pair_confusion_matrix(labels_true, labels_pred):
    """Classify every ordered pair of distinct samples by the two labelings.

    Returns
    -------
    ndarray of shape (2, 2), int64
        ``C[0, 0]`` pairs apart in both, ``C[1, 1]`` together in both,
        ``C[0, 1]`` apart in the truth but together in the prediction,
        ``C[1, 0]`` the reverse. Ordered pairs: the total is n(n-1).

    Notes
    -----
    With ``n_ck`` the contingency table, ``a_c`` its row sums and ``b_k`` its
    column sums: together in both = ``sum n_ck² - n``, together in the
    prediction only = ``sum b_k² - sum n_ck²``, in the truth only =
    ``sum a_c² - sum n_ck²``.

    Examples
    --------
    >>> pair_confusion_matrix([0, 0, 1, 1], [0, 0, 1, 1])
    array([[8, 0],
           [0, 4]])
    """
    labels_true, labels_pred = _check_clusterings(labels_true, labels_pred)
    n_samples = np.int64(labels_true.shape[0])
    counts = _counts(labels_true, labels_pred)
    sum_squares = (counts**2).sum()
    sum_sq_rows = (counts.sum(axis=1) ** 2).sum()
    sum_sq_cols = (counts.sum(axis=0) ** 2).sum()
    C = np.empty((2, 2), dtype=np.int64)
    C[1, 1] = sum_squares - n_samples
    C[0, 1] = sum_sq_cols - sum_squares
    C[1, 0] = sum_sq_rows - sum_squares
    C[0, 0] = n_samples**2 - C[0, 1] - C[1, 0] - sum_squares
    return C


def rand_score(labels_true, labels_pred):
    """Rand index: the fraction of sample pairs on which the labelings agree.

    Agreement means together in both or apart in both. 1.0 for identical
    partitions (and, by convention, for empty or one-sample labelings).

    Examples
    --------
    >>> rand_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    C = pair_confusion_matrix(labels_true, labels_pred)
    numerator = C.diagonal().sum()
    denominator = C.sum()
    if numerator == denominator or denominator == 0:
        return 1.0
    return float(numerator / denominator)


def adjusted_rand_score(labels_true, labels_pred):
    """Rand index corrected for chance (Hubert & Arabie 1985).

    ``ARI = (RI - E[RI]) / (max RI - E[RI])`` under random labelings with the
    same cluster sizes: 1.0 for identical partitions, about 0 for random ones,
    possibly negative. Two labelings that both put everything in one cluster
    (or are both all singletons) score 1.0.

    Examples
    --------
    >>> adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2])
    0.5714285714285714
    """
    (tn, fp), (fn, tp) = pair_confusion_matrix(labels_true, labels_pred)
    # Python integers: the products below cannot overflow.
    tn, fp, fn, tp = int(tn), int(fp), int(fn), int(tp)
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def fowlkes_mallows_score(labels_true, labels_pred):
    """Geometric mean of pairwise precision and recall (Fowlkes & Mallows 1983).

    ``FMI = TP / sqrt((TP + FP)(TP + FN))`` over unordered pairs of samples;
    0.0 when no pair is together in both labelings (as scikit-learn, also for
    two identical all-singleton labelings).

    Examples
    --------
    >>> fowlkes_mallows_score([0, 0, 1, 1], [0, 0, 1, 1])
    1.0
    """
    labels_true, labels_pred = _check_clusterings(labels_true, labels_pred)
    n_samples = labels_true.shape[0]
    counts = _counts(labels_true, labels_pred)
    tk = (counts**2).sum() - n_samples
    pk = np.sum(counts.sum(axis=0) ** 2) - n_samples
    qk = np.sum(counts.sum(axis=1) ** 2) - n_samples
    return float(np.sqrt(tk / pk) * np.sqrt(tk / qk)) if tk != 0.0 else 0.0


# ---------------------------------------------------------------------------
# information-theoretic scores
# ---------------------------------------------------------------------------
def _mutual_info_from_counts(counts):
    """MI (nats) of a contingency table of non-negative integers.

    ``MI = sum_ck (n_ck / n) log(n n_ck / (a_c b_k))`` over non-zero cells,
    with row sums ``a_c`` and column sums ``b_k``.
    """
    nzx, nzy = np.nonzero(counts)
    nz_val = counts[nzx, nzy]
    total = counts.sum()
    pi = counts.sum(axis=1)
    pj = counts.sum(axis=0)
    if pi.size == 1 or pj.size == 1:
        return 0.0
    log_nz = np.log(nz_val)
    p_nz = nz_val / total
    outer = pi.take(nzx).astype(np.int64, copy=False) * pj.take(nzy).astype(np.int64, copy=False)
    log_outer = -np.log(outer) + math.log(pi.sum()) + math.log(pj.sum())
    mi = p_nz * (log_nz - math.log(total)) + p_nz * log_outer
    # terms that are pure rounding noise are dropped, then MI >= 0 enforced
    mi = np.where(np.abs(mi) < _EPS, 0.0, mi)
    return float(np.clip(mi.sum(), 0.0, None))


def mutual_info_score(labels_true, labels_pred, *, contingency=None):
    """Mutual information between two labelings, in nats.

    ``MI(U, V) = sum_ck (n_ck / n) log(n n_ck / (a_c b_k))``: how much knowing
    the cluster of a sample tells about its class. Not normalised; 0 for
    independent labelings.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
        Ignored when ``contingency`` is given.
    contingency : array-like of shape (n_classes, n_clusters) or None
        A precomputed contingency table (non-integer entries are truncated to
        integers, as scikit-learn does). Objects with a ``toarray`` method
        (scipy sparse matrices) are accepted and densified.

    Returns
    -------
    float

    Examples
    --------
    >>> round(mutual_info_score([0, 0, 1, 1], [0, 0, 1, 1]), 6)
    0.693147
    """
    if contingency is None:
        labels_true, labels_pred = _check_clusterings(labels_true, labels_pred)
        if labels_true.shape[0] == 0:
            raise ValueError("mutual_info_score needs at least one sample; got empty labelings.")
        counts = _counts(labels_true, labels_pred)
    else:
        if hasattr(contingency, "toarray"):
            contingency = contingency.toarray()
        counts = np.asarray(contingency)
        if counts.ndim != 2:
            raise ValueError(f"contingency must be a 2D array: shape is {counts.shape!r}")
        if counts.size == 0 or counts.sum() == 0:
            raise ValueError("contingency must contain at least one sample.")
        if counts.dtype not in (np.int32, np.int64):
            counts = check_array(counts, input_name="contingency", dtype=np.float64)
            counts = counts.astype(np.int64)
        if np.any(counts < 0):
            raise ValueError("contingency must not contain negative counts.")
    return _mutual_info_from_counts(counts)


def _generalized_average(U, V, average_method):
    """The mean of two entropies that normalises MI."""
    if average_method == "min":
        return min(U, V)
    if average_method == "geometric":
        return np.sqrt(U * V)
    if average_method == "arithmetic":
        return np.mean([U, V])
    return max(U, V)


def normalized_mutual_info_score(labels_true, labels_pred, *, average_method="arithmetic"):
    """Mutual information divided by a mean of the two entropies, in [0, 1].

    ``NMI = MI / mean(H(U), H(V))`` with the mean chosen by
    ``average_method`` ('arithmetic' gives the V-measure, 'geometric',
    'min', 'max'). Not corrected for chance: it grows with the number of
    clusters even for random labelings (use AMI then). 1.0 when both
    labelings are a single cluster, 0.0 when MI is 0.

    Examples
    --------
    >>> normalized_mutual_info_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    validate_params(
        {"average_method": average_method},
        {"average_method": [_AVERAGE_METHODS]},
        "normalized_mutual_info_score",
    )
    labels_true, labels_pred = _check_clusterings(labels_true, labels_pred)
    counts = _counts(labels_true, labels_pred)
    n_classes, n_clusters = counts.shape
    if n_classes == n_clusters == 1 or n_classes == n_clusters == 0:
        return 1.0
    mi = _mutual_info_from_counts(counts)
    if mi == 0:
        return 0.0
    h_true = _entropy_of_counts(counts.sum(axis=1))
    h_pred = _entropy_of_counts(counts.sum(axis=0))
    return float(mi / _generalized_average(h_true, h_pred, average_method))


def expected_mutual_information(contingency, n_samples):
    """E[MI] between random labelings with the row and column sums of ``contingency``.

    The permutation model of Vinh, Epps & Bailey (2010); see
    ``_metrics_kernels.expected_mutual_information`` for the formula.

    Parameters
    ----------
    contingency : ndarray of shape (n_classes, n_clusters)
    n_samples : int

    Returns
    -------
    float
    """
    a = np.asarray(contingency).sum(axis=1).astype(np.int64)
    b = np.asarray(contingency).sum(axis=0).astype(np.int64)
    if a.size == 1 or b.size == 1:
        return 0.0  # one labeling has zero entropy
    a_values, a_counts = np.unique(a, return_counts=True)
    b_values, b_counts = np.unique(b, return_counts=True)
    return kernels.expected_mutual_information(
        a_values.astype(np.int64),
        a_counts.astype(np.int64),
        b_values.astype(np.int64),
        b_counts.astype(np.int64),
        int(n_samples),
    )


def adjusted_mutual_info_score(labels_true, labels_pred, *, average_method="arithmetic"):
    """Mutual information corrected for chance (Vinh, Epps & Bailey 2010).

    ``AMI = (MI - E[MI]) / (mean(H(U), H(V)) - E[MI])``: 1.0 for identical
    partitions, about 0 for independent ones whatever the number of clusters,
    possibly negative. 1.0 when both labelings are one cluster, 0.0 when only
    one of them is.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
    average_method : {'arithmetic', 'max', 'min', 'geometric'}, default='arithmetic'

    Returns
    -------
    float

    Examples
    --------
    >>> adjusted_mutual_info_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    validate_params(
        {"average_method": average_method},
        {"average_method": [_AVERAGE_METHODS]},
        "adjusted_mutual_info_score",
    )
    labels_true, labels_pred = _check_clusterings(labels_true, labels_pred)
    n_samples = labels_true.shape[0]
    counts = _counts(labels_true, labels_pred)
    n_classes, n_clusters = counts.shape
    if n_classes == n_clusters == 1 or n_classes == n_clusters == 0:
        return 1.0
    if n_classes == 1 or n_clusters == 1:
        return 0.0
    if n_classes == n_clusters == n_samples:
        return 1.0  # both all singletons: identical partitions
    if n_classes == n_samples or n_clusters == n_samples:
        # One labeling puts every sample alone: every relabeling with these
        # sizes has the same MI, so MI = E[MI] exactly and nothing is gained
        # over chance. (Computed, both are equal up to rounding and the ratio
        # would be rounding noise, 0/0 with average_method='min'.)
        return 0.0
    mi = _mutual_info_from_counts(counts)
    emi = expected_mutual_information(counts, n_samples)
    h_true = _entropy_of_counts(counts.sum(axis=1))
    h_pred = _entropy_of_counts(counts.sum(axis=0))
    normalizer = _generalized_average(h_true, h_pred, average_method)
    # Keep numerator and denominator away from 0 with their signs, so that
    # equal-but-rounded MI and EMI give a tiny ratio instead of 0/0.
    denominator = normalizer - emi
    denominator = min(denominator, -_EPS) if denominator < 0 else max(denominator, _EPS)
    numerator = mi - emi
    numerator = min(numerator, -_EPS) if numerator < 0 else max(numerator, _EPS)
    return float(numerator / denominator)


def homogeneity_completeness_v_measure(labels_true, labels_pred, *, beta=1.0):
    """Homogeneity, completeness and their weighted harmonic mean, the V-measure.

    * homogeneity ``h = 1 - H(C|K) / H(C) = MI / H(C)``: each cluster holds
      members of a single class (1.0 when there is one class);
    * completeness ``c = MI / H(K)``: all members of a class are in one
      cluster (1.0 when there is one cluster);
    * ``v = (1 + beta) h c / (beta h + c)``; ``beta < 1`` favours
      homogeneity. Empty labelings give (1.0, 1.0, 1.0).

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
    beta : float, default=1.0

    Returns
    -------
    homogeneity, completeness, v_measure : float

    Examples
    --------
    >>> [round(s, 4) for s in homogeneity_completeness_v_measure([0, 0, 1, 1], [0, 0, 1, 2])]
    [1.0, 0.6667, 0.8]
    """
    validate_params(
        {"beta": beta},
        {"beta": [Interval(numbers.Real, 0, None, closed="left")]},
        "homogeneity_completeness_v_measure",
    )
    labels_true, labels_pred = _check_clusterings(labels_true, labels_pred)
    if labels_true.shape[0] == 0:
        return 1.0, 1.0, 1.0
    counts = _counts(labels_true, labels_pred)
    entropy_C = _entropy_of_counts(counts.sum(axis=1))
    entropy_K = _entropy_of_counts(counts.sum(axis=0))
    MI = _mutual_info_from_counts(counts)
    homogeneity = MI / entropy_C if entropy_C else 1.0
    completeness = MI / entropy_K if entropy_K else 1.0
    if homogeneity + completeness == 0.0:
        v_measure = 0.0
    else:
        v_measure = (1 + beta) * homogeneity * completeness / (beta * homogeneity + completeness)
    return float(homogeneity), float(completeness), float(v_measure)


def homogeneity_score(labels_true, labels_pred):
    """Homogeneity: 1.0 when every cluster contains members of one class only.

    See :func:`homogeneity_completeness_v_measure`.

    Examples
    --------
    >>> round(homogeneity_score([0, 0, 1, 1], [0, 1, 2, 3]), 12)
    1.0
    """
    return homogeneity_completeness_v_measure(labels_true, labels_pred)[0]


def completeness_score(labels_true, labels_pred):
    """Completeness: 1.0 when all members of each class share one cluster.

    See :func:`homogeneity_completeness_v_measure`.

    Examples
    --------
    >>> completeness_score([0, 0, 1, 1], [0, 0, 0, 0])
    1.0
    """
    return homogeneity_completeness_v_measure(labels_true, labels_pred)[1]


def v_measure_score(labels_true, labels_pred, *, beta=1.0):
    """V-measure: the weighted harmonic mean of homogeneity and completeness.

    Equal to NMI with the arithmetic mean when ``beta=1``. See
    :func:`homogeneity_completeness_v_measure`.

    Examples
    --------
    >>> v_measure_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    return homogeneity_completeness_v_measure(labels_true, labels_pred, beta=beta)[2]


# ---------------------------------------------------------------------------
# matching clusters to classes
# ---------------------------------------------------------------------------
def linear_sum_assignment(cost_matrix, maximize=False):
    """Assign rows to columns, one to one, at minimum (or maximum) total cost.

    Same interface and results as ``scipy.optimize.linear_sum_assignment``:
    for an n × m matrix, min(n, m) pairs are chosen, no row or column twice.
    Solved by shortest augmenting paths (Jonker & Volgenant 1987, rectangular
    form after Crouse 2016) in O(min(n,m)² max(n,m)) time.

    Parameters
    ----------
    cost_matrix : array-like of shape (n_rows, n_cols)
        ``+inf`` marks a forbidden pair (``-inf`` when ``maximize``).
    maximize : bool, default=False

    Returns
    -------
    row_ind, col_ind : int64 arrays of shape (min(n_rows, n_cols),)
        Row indices in increasing order and their columns; the optimum is
        ``cost_matrix[row_ind, col_ind].sum()``.

    Raises
    ------
    ValueError
        Not 2-D; NaN entries, or an infinity on the wrong side; no
        assignment of finite cost ("cost matrix is infeasible").

    Examples
    --------
    >>> linear_sum_assignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]])
    (array([0, 1, 2]), array([1, 0, 2]))
    """
    cost = np.asarray(cost_matrix)
    if cost.ndim != 2:
        raise ValueError(f"expected a matrix (2-D array), got a {cost.ndim} array")
    cost = cost.astype(np.float64, copy=False)  # the caller's array is only read
    transposed = cost.shape[0] > cost.shape[1]
    if transposed:
        cost = cost.T  # the solver wants at least as many columns as rows
    if maximize:
        cost = -cost  # a new array
    if np.isnan(cost).any() or np.isneginf(cost).any():
        raise ValueError("matrix contains invalid numeric entries")
    if cost.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    col4row = kernels.shortest_augmenting_path_lsap(np.ascontiguousarray(cost))
    if col4row[0] < 0:
        raise ValueError("cost matrix is infeasible")
    rows = np.arange(cost.shape[0], dtype=np.int64)
    if transposed:
        order = np.argsort(col4row)
        return col4row[order], rows[order]
    return rows, col4row


def _cluster_to_class(counts, method):
    """For each cluster, the index of the class it is matched to (-1: none)."""
    if method == "majority":
        # argmax takes the first maximum: ties go to the smallest class,
        # as scipy.stats.mode does.
        return np.argmax(counts, axis=0).astype(np.int64)
    row_ind, col_ind = linear_sum_assignment(counts, maximize=True)
    mapping = np.full(counts.shape[1], -1, dtype=np.int64)
    mapping[col_ind] = row_ind
    return mapping


def _check_matching(labels_true, labels_pred, method, caller):
    validate_params({"method": method}, {"method": [StrOptions({"majority", "hungarian"})]}, caller)
    labels_true, labels_pred = _check_clusterings(labels_true, labels_pred)
    if labels_true.shape[0] == 0:
        raise ValueError(f"{caller} needs at least one sample; got empty labelings.")
    return labels_true, labels_pred


def match_labels(labels_true, labels_pred, *, method="majority", fill_value=-1):
    """Rename each cluster after the true class it is matched to.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        Classes (numbers or strings).
    labels_pred : array-like of shape (n_samples,)
        Cluster labels.
    method : {'majority', 'hungarian'}, default='majority'
        'majority': every cluster takes its most frequent class (ties go to
        the smallest class, like ``scipy.stats.mode``); several clusters may
        take the same class. 'hungarian': a one-to-one matching of clusters to
        classes maximising the number of samples whose class is their
        cluster's (:func:`linear_sum_assignment` on the contingency table).
    fill_value : scalar, default=-1
        With 'hungarian', the label given to samples of clusters left without
        a class (only when there are more clusters than classes).

    Returns
    -------
    ndarray of shape (n_samples,)
        The class each sample's cluster was matched to.

    Examples
    --------
    >>> match_labels([0, 0, 1, 1, 1], [5, 5, 7, 7, 5])
    array([0, 0, 1, 1, 0])
    >>> match_labels([0, 0, 1, 1], [2, 2, 0, 1], method="hungarian")
    array([ 0,  0,  1, -1])
    """
    labels_true, labels_pred = _check_matching(labels_true, labels_pred, method, "match_labels")
    classes, class_idx = _encode(labels_true)
    clusters, cluster_idx = _encode(labels_pred)
    counts = kernels.contingency_counts(class_idx, cluster_idx, classes.size, clusters.size)
    mapping = _cluster_to_class(counts, method)
    matched = mapping[cluster_idx]
    if np.all(matched >= 0):
        return classes[matched]
    try:
        dtype = np.result_type(classes.dtype, np.asarray(fill_value).dtype)
    except TypeError:
        dtype = object
    out = np.empty(matched.shape[0], dtype=dtype)
    out[:] = fill_value
    out[matched >= 0] = classes[matched[matched >= 0]]
    return out


def matched_accuracy_score(labels_true, labels_pred, *, method="majority"):
    """Fraction of samples whose class equals their cluster's matched class.

    With ``method='majority'`` this is the *purity* of the clustering (it
    reaches 1.0 with one cluster per sample); with ``'hungarian'`` it is the
    usual "clustering accuracy" of the literature (one cluster per class at
    most). See :func:`match_labels`.

    Examples
    --------
    >>> matched_accuracy_score([0, 0, 1, 1, 1], [5, 5, 7, 7, 5])
    0.8
    """
    labels_true, labels_pred = _check_matching(
        labels_true, labels_pred, method, "matched_accuracy_score"
    )
    counts = _counts(labels_true, labels_pred)
    mapping = _cluster_to_class(counts, method)
    matched = mapping >= 0
    correct = counts[mapping[matched], np.flatnonzero(matched)].sum()
    return float(correct / labels_true.shape[0])


# ---------------------------------------------------------------------------
# unsupervised scores: data and labels
# ---------------------------------------------------------------------------
def _check_X_labels(X, labels, dtype=(np.float64, np.float32)):
    """Validated data (2-D, finite, at least one sample) and 1-D labels of the same length."""
    X = check_array(X, dtype=dtype)
    if _is_sparse(labels):
        raise TypeError("labels must be a dense 1-D array-like, got a sparse matrix.")
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.ravel()
    if labels.ndim != 1:
        raise ValueError(f"y should be a 1d array, got an array of shape {labels.shape} instead.")
    if labels.shape[0] != X.shape[0]:
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: "
            f"[{X.shape[0]}, {labels.shape[0]}]"
        )
    if labels.dtype.kind == "f" and not np.isfinite(labels).all():
        raise ValueError("Input labels contains NaN or infinity.")
    return X, labels


def _check_number_of_labels(n_labels, n_samples):
    if not 1 < n_labels < n_samples:
        raise ValueError(
            f"Number of labels is {n_labels}. Valid values are 2 to n_samples - 1 (inclusive)"
        )


def _encode_for_X(labels, n_samples):
    classes, codes = _encode(labels)
    _check_number_of_labels(classes.shape[0], n_samples)
    return codes, np.bincount(codes, minlength=classes.shape[0]).astype(np.int64)


# The metrics silhouette_samples computes itself; aliases share a code.
_METRICS = {
    "euclidean": "euclidean",
    "l2": "euclidean",
    "cosine": "cosine",
    "manhattan": "manhattan",
    "cityblock": "manhattan",
    "l1": "manhattan",
    "sqeuclidean": "sqeuclidean",
    "chebyshev": "chebyshev",
    "minkowski": "minkowski",
    "precomputed": "precomputed",
}
_TILE_CODES = {
    "euclidean": kernels.EUCLIDEAN,
    "sqeuclidean": kernels.SQEUCLIDEAN,
    "manhattan": kernels.MANHATTAN,
    "chebyshev": kernels.CHEBYSHEV,
    "minkowski": kernels.MINKOWSKI,
    "cosine": kernels.COSINE,
}


def _resolve_metric(metric, kwds):
    """The canonical metric name (or the callable) and its keyword arguments."""
    if callable(metric):
        return metric, kwds
    if not isinstance(metric, str) or metric not in _METRICS:
        supported = ", ".join(repr(m) for m in sorted(_METRICS))
        raise ValueError(
            f"The 'metric' parameter must be one of {supported} or a callable. "
            f"Got {metric!r} instead."
        )
    name = _METRICS[metric]
    extra = dict(kwds)
    if name == "minkowski":
        p = extra.pop("p", 2)
        if not isinstance(p, numbers.Real) or isinstance(p, bool) or not p > 0:
            raise ValueError(f"The Minkowski exponent p must be a positive number. Got {p!r}.")
        extra = {"p": float(p), **extra}
        unknown = set(extra) - {"p"}
    else:
        unknown = set(extra)
    if unknown:
        raise TypeError(f"Unexpected keyword argument(s) for metric {metric!r}: {sorted(unknown)}")
    return name, extra


def cluster_distance_sums(
    X, labels, n_labels, metric="euclidean", *, rows=None, working_memory=None, **kwds
):
    """Sum of distances from samples to the members of every cluster.

    ``S[r, k] = sum_{j : labels[j] = k} d(x_i, x_j)`` for the samples
    ``i = rows.start + r``: the one quantity the silhouette needs, computed
    without storing the n × n distance matrix.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), or (n_samples, n_samples)
        when ``metric='precomputed'``. Validated float64 data.
    labels : int64 ndarray of shape (n_samples,)
        Clusters coded 0..n_labels-1.
    n_labels : int
    metric : str or callable
        'euclidean' (and 'l2'), 'sqeuclidean', 'manhattan' ('cityblock',
        'l1'), 'chebyshev', 'minkowski' (keyword ``p``), 'cosine',
        'precomputed', or ``callable(x, y, **kwds) -> float``.
    rows : slice or None
        The samples whose sums are wanted (default: all).
    working_memory : float or None
        For a callable metric, MiB per block of rows computed in Python
        (default 2).

    Returns
    -------
    ndarray of shape (n_rows, n_labels)
    """
    name, extra = _resolve_metric(metric, kwds)
    n_samples = X.shape[0]
    rows = slice(0, n_samples) if rows is None else rows
    sums = np.zeros((rows.stop - rows.start, n_labels), dtype=np.float64)
    if name == "precomputed":
        kernels.accumulate_cluster_sums(np.ascontiguousarray(X[rows]), labels, sums)
        return sums
    if callable(name):
        mib = _DEFAULT_WORKING_MEMORY_MIB if working_memory is None else working_memory
        block = max(1, int(mib * 2**20) // (8 * n_samples))
        for start in range(rows.start, rows.stop, block):
            part = X[start : min(start + block, rows.stop)]
            D = np.array([[name(x, y, **extra) for y in X] for x in part], dtype=np.float64)
            D = D.reshape(len(part), n_samples)
            offset = start - rows.start
            kernels.accumulate_cluster_sums(D, labels, sums[offset : offset + len(part)])
        return sums
    if name == "cosine":
        norms = np.sqrt(np.einsum("ij,ij->i", X, X))
        norms[norms == 0.0] = 1.0  # a zero vector stays zero
        X = X / norms[:, None]
    code, p = _TILE_CODES[name], extra.get("p", 2.0)
    if name in ("euclidean", "sqeuclidean", "cosine") and X.shape[1] >= _GRAM_MIN_FEATURES:
        # Many features: one BLAS product per block of rows beats differences.
        sq_norms = np.einsum("ij,ij->i", X, X)
        block = max(1, _GRAM_BLOCK_BYTES // (8 * n_samples))
        for start in range(rows.start, rows.stop, block):
            stop = min(start + block, rows.stop)
            # all rows at once: NumPy computes X @ X.T by a symmetric rank-k
            # update (syrk), half the work of a general product
            G = X @ X.T if stop - start == n_samples else X[start:stop] @ X.T
            kernels.distances_from_gram(G, sq_norms, start, code)
            offset = start - rows.start
            kernels.accumulate_cluster_sums(G, labels, sums[offset : offset + stop - start])
        return sums
    XT = np.ascontiguousarray(X.T)
    kernels.cluster_distance_sums(X, XT, code, p, labels, _ROW_TILE, rows.start, sums)
    return sums


def silhouette_samples(X, labels, *, metric="euclidean", **kwds):
    """Silhouette coefficient of every sample (Rousseeuw 1987).

    For sample i in cluster A: ``a(i)`` is its mean distance to the other
    members of A, ``b(i)`` the smallest mean distance to the members of
    another cluster, and ``s(i) = (b(i) - a(i)) / max(a(i), b(i))`` in
    [-1, 1]: near 1 well inside its cluster, near 0 on a border, negative
    when closer to another cluster. Samples alone in their cluster get 0.

    The distance matrix is never stored: each row is produced a tile of
    1024 columns at a time and added to per-cluster sums at once
    (:func:`cluster_distance_sums`); from 128 features on, euclidean and
    cosine distances come from one BLAS product per block of rows instead.
    Time O(n² d), memory O(n d + n k) for k clusters, with the n × k sums
    made in blocks of at most 64 MiB.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or (n_samples, n_samples)
        Data, or a distance matrix when ``metric='precomputed'`` (zero
        diagonal, no negative entries).
    labels : array-like of shape (n_samples,)
        Cluster labels; between 2 and n_samples - 1 distinct values.
    metric : str or callable, default='euclidean'
        See :func:`cluster_distance_sums`.
    **kwds
        ``working_memory`` (MiB per block of rows, for a callable metric),
        and ``p`` for 'minkowski' or the callable's keyword arguments.
        ``n_jobs`` is accepted and ignored (the kernels use Numba's threads;
        see ``numba.set_num_threads``).

    Returns
    -------
    ndarray of shape (n_samples,)
        float32 for float32 data, float64 otherwise.

    Examples
    --------
    >>> X = [[0.0], [1.0], [10.0], [11.0]]
    >>> silhouette_samples(X, [0, 0, 1, 1])
    array([0.9047619 , 0.89473684, 0.89473684, 0.9047619 ])
    """
    kwds = dict(kwds)
    working_memory = kwds.pop("working_memory", None)
    kwds.pop("n_jobs", None)  # scikit-learn's; Numba's threads are used instead
    name, extra = _resolve_metric(metric, kwds)
    X, labels = _check_X_labels(X, labels)
    out_dtype = X.dtype
    X = X.astype(np.float64, copy=False)
    if name == "precomputed":
        _check_precomputed(X, out_dtype)
    codes, label_freqs = _encode_for_X(labels, X.shape[0])

    n_samples, n_labels = X.shape[0], label_freqs.shape[0]
    intra = np.empty(n_samples, dtype=np.float64)
    inter = np.empty(n_samples, dtype=np.float64)
    # Usually one block; with very many clusters the n × k sums are made
    # block by block, so memory stays O(block × k) rather than O(n²).
    block = max(1, _SUMS_BYTES // (8 * n_labels))
    for start in range(0, n_samples, block):
        rows = slice(start, min(start + block, n_samples))
        sums = cluster_distance_sums(
            X, codes, n_labels, name, rows=rows, working_memory=working_memory, **extra
        )
        kernels.silhouette_from_sums(sums, start, codes, label_freqs, intra, inter)

    # a(i) is a mean over the *other* members of the cluster: n_A - 1 of them
    with np.errstate(divide="ignore", invalid="ignore"):
        intra /= (label_freqs - 1)[codes]
        sil = inter - intra
        sil /= np.maximum(intra, inter)
    # 0/0 for singleton clusters becomes 0
    return np.nan_to_num(sil).astype(out_dtype, copy=False)


def _check_precomputed(D, original_dtype):
    if D.shape[0] != D.shape[1]:
        raise ValueError(f"A precomputed distance matrix must be square: got shape {D.shape}.")
    atol = np.finfo(original_dtype).eps * 100
    if np.any(np.abs(np.diagonal(D)) > atol):
        raise ValueError(
            "The precomputed distance matrix contains non-zero elements on the diagonal. "
            "Use np.fill_diagonal(X, 0)."
        )
    if np.any(D < 0):
        raise ValueError(
            "Negative values in data passed to silhouette_samples: a precomputed "
            "distance matrix needs non-negative values."
        )


def silhouette_score(X, labels, *, metric="euclidean", sample_size=None, random_state=None, **kwds):
    """Mean silhouette coefficient over all samples (or a random subsample).

    Parameters
    ----------
    X, labels, metric, **kwds
        As in :func:`silhouette_samples`.
    sample_size : int or None, default=None
        Score a random subset of this many samples (all when larger than
        n_samples), drawn as scikit-learn does:
        ``check_random_state(random_state).permutation(n_samples)[:sample_size]``.
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    float
        In [-1, 1]; higher means denser, better separated clusters.

    Examples
    --------
    >>> round(silhouette_score([[0.0], [1.0], [10.0], [11.0]], [0, 0, 1, 1]), 6)
    0.899749
    """
    validate_params(
        {"sample_size": sample_size, "random_state": random_state},
        {
            "sample_size": [Interval(numbers.Integral, 1, None, closed="left"), None],
            "random_state": ["random_state"],
        },
        "silhouette_score",
    )
    if sample_size is not None:
        X, labels = _check_X_labels(X, labels)
        indices = check_random_state(random_state).permutation(X.shape[0])[:sample_size]
        if metric == "precomputed":
            X = X[np.ix_(indices, indices)]
        else:
            X = X[indices]
        labels = labels[indices]
    return float(np.mean(silhouette_samples(X, labels, metric=metric, **kwds)))


def _grouped(X, codes, n_labels):
    """X's rows sorted by cluster (stable: original order inside a cluster) and the cut points."""
    order = np.argsort(codes, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(codes, minlength=n_labels))))
    return X[order], bounds


def calinski_harabasz_score(X, labels):
    """Variance ratio criterion (Calinski & Harabasz 1974).

    ``CH = [B / (k - 1)] / [W / (n - k)]`` with the between-cluster
    dispersion ``B = sum_k n_k ||mu_k - mu||²`` and the within-cluster
    dispersion ``W = sum_i ||x_i - mu_{l_i}||²``. Higher is better; 1.0 when
    W is 0. Computed in float64.

    Examples
    --------
    >>> calinski_harabasz_score([[0.0], [1.0], [10.0], [11.0]], [0, 0, 1, 1])
    200.0
    """
    X, labels = _check_X_labels(X, labels)
    X = X.astype(np.float64, copy=False)
    n_samples = X.shape[0]
    codes, freqs = _encode_for_X(labels, n_samples)
    n_labels = freqs.shape[0]
    grouped, bounds = _grouped(X, codes, n_labels)
    mean = np.mean(X, axis=0)
    extra_disp, intra_disp = 0.0, 0.0
    for k in range(n_labels):
        cluster_k = grouped[bounds[k] : bounds[k + 1]]
        mean_k = np.mean(cluster_k, axis=0)
        extra_disp += cluster_k.shape[0] * np.sum((mean_k - mean) ** 2)
        intra_disp += np.sum((cluster_k - mean_k) ** 2)
    if intra_disp == 0.0:
        return 1.0
    return float(extra_disp * (n_samples - n_labels) / (intra_disp * (n_labels - 1.0)))


def _euclidean_to_rows(A, B, same):
    """Euclidean distances between the rows of A and of B, as scikit-learn computes them.

    ``sqrt(max(||a||² + ||b||² - 2 a·b, 0))`` with the product from BLAS;
    zero diagonal when ``same`` (A is B).
    """
    AA = np.einsum("ij,ij->i", A, A)[:, None]
    BB = AA.T if same else np.einsum("ij,ij->i", B, B)[None, :]
    D = -2 * (A @ B.T)
    D += AA
    D += BB
    np.maximum(D, 0, out=D)
    if same:
        np.fill_diagonal(D, 0)
    return np.sqrt(D, out=D)


def davies_bouldin_score(X, labels):
    """Davies–Bouldin index (1979): the mean similarity of each cluster to its closest one.

    With ``s_k`` the mean distance of cluster k's members to its centroid
    and ``d_kl`` the distance between centroids::

        DB = (1/K) sum_k max_{l != k} (s_k + s_l) / d_kl

    Lower is better; 0 is the minimum. Computed in float64.

    Examples
    --------
    >>> davies_bouldin_score([[0.0], [1.0], [10.0], [11.0]], [0, 0, 1, 1])
    0.1
    """
    X, labels = _check_X_labels(X, labels)
    X = X.astype(np.float64, copy=False)
    codes, freqs = _encode_for_X(labels, X.shape[0])
    n_labels = freqs.shape[0]
    grouped, bounds = _grouped(X, codes, n_labels)
    intra_dists = np.zeros(n_labels, dtype=np.float64)
    centroids = np.zeros((n_labels, X.shape[1]), dtype=np.float64)
    for k in range(n_labels):
        cluster_k = grouped[bounds[k] : bounds[k + 1]]
        centroid = np.mean(cluster_k, axis=0)
        centroids[k] = centroid
        intra_dists[k] = np.mean(_euclidean_to_rows(cluster_k, centroid[None, :], same=False))
    centroid_distances = _euclidean_to_rows(centroids, centroids, same=True)
    if np.allclose(intra_dists, 0.0, rtol=1e-5, atol=1e-8) or np.allclose(
        centroid_distances, 0.0, rtol=1e-5, atol=1e-8
    ):
        return 0.0
    centroid_distances[centroid_distances == 0] = np.inf
    combined_intra_dists = intra_dists[:, None] + intra_dists
    scores = np.max(combined_intra_dists / centroid_distances, axis=1)
    return float(np.mean(scores))


# ---------------------------------------------------------------------------
# warm-up: compile every kernel on tiny data
# ---------------------------------------------------------------------------
@register_warmup("metrics")
def _warmup(dtype):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0], [9.0, 0.0]], dtype=dtype)
    labels = np.array([0, 0, 1, 1, 2])
    for metric in ("euclidean", "cosine", "manhattan"):
        silhouette_samples(X, labels, metric=metric)
    if np.dtype(dtype) == np.float64:
        # many features: the BLAS Gram path and its kernels
        silhouette_samples(np.tile(X, (1, _GRAM_MIN_FEATURES // 2)), labels)
        adjusted_mutual_info_score(labels, [0, 1, 1, 1, 2])
        match_labels(labels, [0, 1, 1, 1, 2], method="hungarian")
