"""AgglomerativeClustering and linkage against a naive reference, scipy and scikit-learn.

Tolerances: merge heights within 1e-10 relative of scipy's (they are usually
bit-identical: single, complete and average use scipy's own expressions; Ward
from centroids differs from scipy's Lance–Williams recursion in the last
bits). Cluster ids, sizes, ``children_`` and ``labels_`` must be equal.
Data are drawn from continuous distributions, hence tie-free, except in the
tests whose name says "tie".
"""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from purecluster import AgglomerativeClustering, cut_tree, linkage
from purecluster._distances import pairwise_distances
from purecluster._jit import num_threads
from purecluster.agglomerative import _tree

METHODS = ["single", "complete", "average", "ward"]
# (our metric name, scipy's name)
METRICS = [("euclidean", "euclidean"), ("l1", "cityblock"), ("cosine", "cosine"),
           ("chebyshev", "chebyshev")]  # fmt: skip
RTOL = 1e-10


# ---------------------------------------------------------------------------
# the naive O(n^3) reference: greedy merging by the linkage's definition
# ---------------------------------------------------------------------------
def naive_linkage(X, method, metric="euclidean"):
    """Merge the closest pair of clusters, n - 1 times; linkage from its definition.

    single: min over point pairs; complete: max; average: mean; ward:
    sqrt(2|A||B|/(|A|+|B|)) * ||c_A - c_B||. The greedy order is the height
    order, so the rows come out in scipy's canonical form directly.
    """
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    D = pairwise_distances(X, metric)
    clusters = {i: [i] for i in range(n)}
    rows = []

    def dist(a, b):
        block = D[np.ix_(clusters[a], clusters[b])]
        if method == "single":
            return block.min()
        if method == "complete":
            return block.max()
        if method == "average":
            return block.mean()
        na, nb = len(clusters[a]), len(clusters[b])
        ca, cb = X[clusters[a]].mean(axis=0), X[clusters[b]].mean(axis=0)
        return np.sqrt(2.0 * na * nb / (na + nb)) * np.linalg.norm(ca - cb)

    for k in range(n - 1):
        ids = sorted(clusters)
        best = None
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                h = dist(a, b)
                if best is None or h < best[0]:
                    best = (h, a, b)
        h, a, b = best
        clusters[n + k] = clusters.pop(a) + clusters.pop(b)
        rows.append([a, b, h, len(clusters[n + k])])
    return np.array(rows)


def assert_same_linkage(Z, R, rtol=RTOL):
    Z, R = np.asarray(Z), np.asarray(R)
    assert Z.shape == R.shape
    np.testing.assert_array_equal(Z[:, [0, 1, 3]], R[:, [0, 1, 3]])
    np.testing.assert_allclose(Z[:, 2], R[:, 2], rtol=rtol, atol=1e-13)


def random_data(seed, n, d):
    return np.random.default_rng(seed).standard_normal((n, d))


# ---------------------------------------------------------------------------
# linkage(): naive reference, scipy, the scipy format
# ---------------------------------------------------------------------------
@pytest.mark.tiny
@pytest.mark.parametrize("method", METHODS)
def test_linkage_equals_naive_reference(method):
    X = random_data(1, 13, 3)
    assert_same_linkage(linkage(X, method), naive_linkage(X, method))


@pytest.mark.parametrize("method", ["single", "complete", "average"])
@pytest.mark.parametrize("metric", ["l1", "cosine", "chebyshev"])
def test_linkage_equals_naive_reference_other_metrics(method, metric):
    X = random_data(2, 25, 4)
    assert_same_linkage(linkage(X, method, metric), naive_linkage(X, method, metric))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("ours,theirs", METRICS)
@pytest.mark.parametrize("n,d", [(7, 1), (150, 2), (400, 5)])
def test_linkage_matches_scipy(method, ours, theirs, n, d):
    # n=400 goes through several in-place compactions of the NN-chain arrays
    from scipy.cluster.hierarchy import linkage as scipy_linkage

    if method == "ward" and ours != "euclidean":
        pytest.skip("ward needs euclidean")
    X = random_data(n + d, n, d)
    assert_same_linkage(linkage(X, method, ours), scipy_linkage(X, method, theirs))


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(2, 60),
    d=st.integers(1, 4),
    scale=st.sampled_from([1e-3, 1.0, 1e4]),
    method=st.sampled_from(METHODS),
)
def test_linkage_matches_scipy_hypothesis(seed, n, d, scale, method):
    from scipy.cluster.hierarchy import linkage as scipy_linkage

    X = scale * random_data(seed, n, d) + 3.0 * scale
    assert_same_linkage(linkage(X, method), scipy_linkage(X, method))


def test_linkage_matrix_is_valid_for_scipy():
    from scipy.cluster.hierarchy import dendrogram, is_monotonic, is_valid_linkage

    X = random_data(3, 60, 2)
    for method in METHODS:
        Z = linkage(X, method)
        assert Z.dtype == np.float64 and Z.shape == (59, 4)
        assert is_valid_linkage(Z, throw=True)
        assert is_monotonic(Z)
        tree = dendrogram(Z, no_plot=True)
        assert sorted(tree["leaves"]) == list(range(60))


@pytest.mark.tiny
def test_linkage_precomputed_and_condensed():
    from scipy.cluster.hierarchy import linkage as scipy_linkage
    from scipy.spatial.distance import pdist, squareform

    X = random_data(4, 20, 3)
    y = pdist(X, "cityblock")
    for method in ["single", "complete", "average"]:
        expected = scipy_linkage(y, method)
        assert_same_linkage(linkage(squareform(y), method, "precomputed"), expected)
        assert_same_linkage(linkage(y, method), expected)


# ---------------------------------------------------------------------------
# ties, pinned
# ---------------------------------------------------------------------------
@pytest.mark.tiny
@pytest.mark.parametrize("method", METHODS)
def test_tie_three_collinear_equidistant_points(method):
    # d(0,1) = d(1,2) = 1: the pair with the lowest ids merges first, as in
    # scipy: (0, 1) at height 1, then (2, 3).
    from scipy.cluster.hierarchy import linkage as scipy_linkage

    X = np.array([[0.0], [1.0], [2.0]])
    Z = linkage(X, method)
    np.testing.assert_array_equal(Z[:, [0, 1, 3]], [[0, 1, 2], [2, 3, 3]])
    second = {"single": 1.0, "complete": 2.0, "average": 1.5, "ward": np.sqrt(3.0)}[method]
    np.testing.assert_allclose(Z[:, 2], [1.0, second], rtol=1e-15)
    assert_same_linkage(Z, scipy_linkage(X, method))


@pytest.mark.tiny
@pytest.mark.parametrize("method", METHODS)
def test_tie_duplicate_points(method):
    # Duplicates merge first at height 0, lowest ids first; we break ties the
    # way scipy does (lowest slot, previous chain element first), so the
    # whole matrix equals scipy's here.
    from scipy.cluster.hierarchy import linkage as scipy_linkage

    X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 0.0], [2.0, 0.0], [0.0, 0.0], [5.0, 1.0]])
    Z = linkage(X, method)
    assert_same_linkage(Z, scipy_linkage(X, method))
    np.testing.assert_array_equal(Z[:3, 2], 0.0)
    np.testing.assert_array_equal(Z[0, :2], [0, 2])


@pytest.mark.tiny
@pytest.mark.parametrize("method", ["single", "complete", "average"])
def test_tie_grid_matches_scipy_exactly(method):
    # a lattice is full of equal distances; single/complete/average use
    # scipy's tie rules and expressions, so the matrices are identical
    from scipy.cluster.hierarchy import linkage as scipy_linkage

    X = np.array([[i, j] for i in range(4) for j in range(3)], dtype=float)
    np.testing.assert_array_equal(linkage(X, method), scipy_linkage(X, method))


# ---------------------------------------------------------------------------
# the estimator against scikit-learn
# ---------------------------------------------------------------------------
SEMINAR_CELLS = [("average", 3), ("complete", 5), ("single", 2), ("single", 2), ("average", 2)]


def test_seminar_cells_match_sklearn(seminar_data):
    from sklearn.cluster import AgglomerativeClustering as SkAgglo

    for (name, (X, _)), (method, k) in zip(seminar_data, SEMINAR_CELLS, strict=True):
        for linkage_ in (method, "ward"):
            params = dict(n_clusters=k, metric="euclidean", linkage=linkage_)
            ours = AgglomerativeClustering(**params).fit(X)
            theirs = SkAgglo(**params).fit(X)
            np.testing.assert_array_equal(ours.labels_, theirs.labels_, err_msg=name)
            np.testing.assert_array_equal(ours.children_, theirs.children_, err_msg=name)
            assert ours.labels_.dtype == theirs.labels_.dtype
            assert ours.n_clusters_ == theirs.n_clusters_


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("metric", ["euclidean", "l1", "manhattan", "l2", "cosine"])
def test_estimator_matches_sklearn(method, metric):
    from sklearn.cluster import AgglomerativeClustering as SkAgglo

    if method == "ward" and metric not in ("euclidean", "l2"):
        pytest.skip("ward needs euclidean")
    X = random_data(5, 120, 3)
    for k in (1, 2, 7, 120):
        params = dict(n_clusters=k, metric=metric, linkage=method, compute_distances=True)
        ours = AgglomerativeClustering(**params).fit(X)
        theirs = SkAgglo(**params).fit(X)
        np.testing.assert_array_equal(ours.labels_, theirs.labels_)
        np.testing.assert_array_equal(ours.children_, theirs.children_)
        np.testing.assert_allclose(ours.distances_, theirs.distances_, rtol=RTOL)
        assert ours.n_leaves_ == theirs.n_leaves_ == 120
        assert ours.n_connected_components_ == theirs.n_connected_components_ == 1


@pytest.mark.parametrize("method", METHODS)
def test_distance_threshold_matches_sklearn(method):
    from sklearn.cluster import AgglomerativeClustering as SkAgglo

    X = random_data(6, 200, 2)
    heights = linkage(X, method)[:, 2]
    for t in (0.0, heights[50], np.median(heights), heights[-1] * 1.01):
        params = dict(n_clusters=None, distance_threshold=t, linkage=method)
        ours = AgglomerativeClustering(**params).fit(X)
        theirs = SkAgglo(**params).fit(X)
        assert ours.n_clusters_ == theirs.n_clusters_
        np.testing.assert_array_equal(ours.labels_, theirs.labels_)
        np.testing.assert_allclose(ours.distances_, theirs.distances_, rtol=RTOL)


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(2, 50),
    method=st.sampled_from(METHODS),
    data=st.data(),
)
def test_estimator_matches_sklearn_hypothesis(seed, n, method, data):
    from sklearn.cluster import AgglomerativeClustering as SkAgglo

    k = data.draw(st.integers(1, n))
    X = random_data(seed, n, 2)
    ours = AgglomerativeClustering(n_clusters=k, linkage=method).fit(X)
    theirs = SkAgglo(n_clusters=k, linkage=method).fit(X)
    np.testing.assert_array_equal(ours.labels_, theirs.labels_)
    np.testing.assert_array_equal(ours.children_, theirs.children_)


def test_precomputed_and_callable_match_sklearn():
    from sklearn.cluster import AgglomerativeClustering as SkAgglo

    X = random_data(7, 80, 3)
    D = pairwise_distances(X, "l1")
    for method in ["single", "complete", "average"]:
        theirs = SkAgglo(n_clusters=4, metric="precomputed", linkage=method).fit(D)
        ours = AgglomerativeClustering(n_clusters=4, metric="precomputed", linkage=method)
        np.testing.assert_array_equal(ours.fit(D).labels_, theirs.labels_)
        np.testing.assert_array_equal(ours.children_, theirs.children_)
        ours_callable = AgglomerativeClustering(
            n_clusters=4, linkage=method, metric=lambda A: pairwise_distances(A, "l1")
        ).fit(X)
        np.testing.assert_array_equal(ours_callable.labels_, theirs.labels_)


@pytest.mark.tiny
def test_single_linkage_children_keep_tree_order_like_sklearn():
    # scikit-learn's own MST keeps (point added before, point added now);
    # the linkage matrix has the smaller id first, as scipy does.
    X = np.array([[0.0], [3.0], [1.0], [10.0]])
    model = AgglomerativeClustering(n_clusters=2, linkage="single").fit(X)
    # Prim from 0: adds 2 (d=1), then 1 (d=2, relaxed from 2), then 3
    np.testing.assert_array_equal(model.children_, [[0, 2], [4, 1], [5, 3]])
    np.testing.assert_array_equal(model.linkage_matrix_[:, :2], [[0, 2], [1, 4], [3, 5]])


def test_cut_tree_matches_scipy_fcluster():
    from scipy.cluster.hierarchy import fcluster, is_isomorphic

    X = random_data(8, 100, 2)
    for method in METHODS:
        Z = linkage(X, method)
        for k in (1, 3, 10, 100):
            assert is_isomorphic(cut_tree(Z, n_clusters=k), fcluster(Z, k, "maxclust"))
        h = Z[60, 2] * 1.000001  # between two heights: both rules agree
        assert is_isomorphic(cut_tree(Z, height=h), fcluster(Z, h, "distance"))


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------
X_SMALL = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [4.0, 1.0]])


@pytest.mark.tiny
@pytest.mark.parametrize(
    "params, X, error, match",
    [
        (dict(n_clusters=None), X_SMALL, ValueError, "Exactly one of n_clusters"),
        (dict(n_clusters=2, distance_threshold=1.0), X_SMALL, ValueError, "Exactly one"),
        (dict(linkage="ward", metric="l1"), X_SMALL, ValueError, "Ward can only work"),
        (dict(linkage="ward", metric="cosine"), X_SMALL, ValueError, "Ward can only work"),
        (dict(linkage="ward", metric="precomputed"), np.eye(4), ValueError, "Ward can only"),
        (dict(n_clusters=5), X_SMALL, ValueError, "Cannot extract more clusters than samples"),
        (dict(n_clusters=0), X_SMALL, ValueError, "'n_clusters' parameter"),
        (dict(linkage="median"), X_SMALL, ValueError, "'linkage' parameter"),
        (dict(metric="nope"), X_SMALL, ValueError, "'metric' parameter"),
        (dict(metric="braycurtis", linkage="average"), X_SMALL, NotImplementedError, "metric"),
        (dict(), X_SMALL[:1], ValueError, "minimum of 2 is required"),
        (dict(), [[0.0, np.nan], [1.0, 2.0]], ValueError, "NaN"),
        (dict(), [[0.0, np.inf], [1.0, 2.0]], ValueError, "infinity"),
        (dict(), [1.0, 2.0, 3.0], ValueError, "Expected a 2D array"),
        (dict(memory="/tmp/cache"), X_SMALL, NotImplementedError, "memory"),
        (dict(connectivity=np.eye(4)), X_SMALL, NotImplementedError, "connectivity"),
        (dict(n_clusters=None, distance_threshold=1.0, compute_full_tree=False), X_SMALL,
         ValueError, "compute_full_tree must be True"),
        (dict(metric="cosine", linkage="average"), [[0.0, 0.0], [1.0, 2.0]], ValueError,
         "zero vectors"),
        (dict(metric="precomputed", linkage="average"), X_SMALL[:3], ValueError,
         "should be square"),
        (dict(metric="precomputed", linkage="single"), [[0.0, 1.0], [2.0, 0.0]], ValueError,
         "symmetric"),
        (dict(metric="precomputed", linkage="single"), [[0.0, -1.0], [-1.0, 0.0]], ValueError,
         "non-negative"),
    ],
)  # fmt: skip
def test_bad_input(params, X, error, match):
    with pytest.raises(error, match=match):
        AgglomerativeClustering(**{"linkage": "average", **params}).fit(X)


@pytest.mark.tiny
def test_bad_input_functions():
    Z = linkage(X_SMALL, "single")
    with pytest.raises(ValueError, match="exactly one"):
        cut_tree(Z)
    with pytest.raises(ValueError, match="Cannot extract more clusters"):
        cut_tree(Z, n_clusters=5)
    with pytest.raises(ValueError, match="Unknown linkage method"):
        linkage(X_SMALL, "median")
    with pytest.raises(ValueError, match="condensed distance vector"):
        linkage(np.ones(4))
    with pytest.raises(ValueError, match="minimum of 2"):
        linkage(X_SMALL[:1])


# ---------------------------------------------------------------------------
# invariants, trace, the scikit-learn contract
# ---------------------------------------------------------------------------
@pytest.mark.tiny
@pytest.mark.parametrize("method", METHODS)
def test_input_not_mutated_and_float32(method, dtype):
    X = random_data(9, 30, 2).astype(dtype)
    X_before = X.copy()
    model = AgglomerativeClustering(n_clusters=3, linkage=method, compute_distances=True)
    model.fit(X)
    np.testing.assert_array_equal(X, X_before)
    # distances are computed in float64 from the float32 values, as scipy does
    params = dict(n_clusters=3, linkage=method, compute_distances=True)
    reference = AgglomerativeClustering(**params).fit(X.astype(np.float64))
    np.testing.assert_array_equal(model.labels_, reference.labels_)
    assert model.distances_.dtype == np.float64
    np.testing.assert_array_equal(model.distances_, reference.distances_)


def test_precomputed_input_not_mutated():
    D = pairwise_distances(random_data(10, 30, 2))
    D_before = D.copy()
    AgglomerativeClustering(metric="precomputed", linkage="complete").fit(D)
    np.testing.assert_array_equal(D, D_before)


@pytest.mark.parametrize(
    "metric", ["euclidean", "sqeuclidean", "l1", "cosine", "chebyshev", "minkowski"]
)
def test_feature_major_distance_matrix_is_bitwise_the_pairwise_one(metric):
    # the linkage's matrix comes from the vectorised feature-major kernel; its
    # values must be those of the pair-by-pair kernel, bit for bit
    from purecluster._distances import metric_code, pairwise_square, pairwise_square_fm

    X = random_data(12, 97, 5) + 0.1
    code, p = metric_code(metric), 3.0
    expected = pairwise_square(X, code, p, np.empty((97, 97)))
    result = pairwise_square_fm(X, code, p, np.empty((97, 97)))
    np.testing.assert_array_equal(result.view(np.int64), expected.view(np.int64))


def test_one_and_two_threads_identical():
    # only the distance matrix is computed in parallel (rows are independent)
    X = random_data(11, 300, 3)
    with num_threads(1):
        one = linkage(X, "average")
    with num_threads(2):
        two = linkage(X, "average")
    np.testing.assert_array_equal(one, two)


@pytest.mark.tiny
def test_pickle_fitted_model():
    model = AgglomerativeClustering(n_clusters=2, linkage="complete").fit(X_SMALL)
    clone = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(clone.labels_, model.labels_)
    np.testing.assert_array_equal(clone.linkage_matrix_, model.linkage_matrix_)


@pytest.mark.tiny
@pytest.mark.parametrize("method", METHODS)
def test_trace_records_merges(method):
    X = random_data(12, 15, 2)
    model = AgglomerativeClustering(n_clusters=2, linkage=method, trace=True).fit(X)
    tr = model.trace_
    Z = model.linkage_matrix_
    assert tr.algorithm == ("prim-mst" if method == "single" else "nn-chain")
    # each step is one row of the linkage matrix, in execution order
    np.testing.assert_array_equal(np.sort(tr.row), np.arange(14))
    np.testing.assert_array_equal(Z[tr.row, 2], tr.height)
    np.testing.assert_array_equal(Z[tr.row, 3], tr.size)
    np.testing.assert_array_equal(np.minimum(tr.left, tr.right), Z[tr.row, 0])
    if method == "single":
        assert tr.edges.shape == (14, 2)
        np.testing.assert_array_equal(np.sort(tr.edges[:, 1]), np.arange(1, 15))
    assert not hasattr(AgglomerativeClustering().fit(X), "trace_")


@pytest.mark.tiny
def test_internal_tree_single_sklearn_order_only_for_mst_metrics():
    X = random_data(13, 10, 2)
    _, children_cos, _ = _tree(X, "single", "cosine")
    assert np.all(children_cos[:, 0] < children_cos[:, 1])


def test_sklearn_check_estimator():
    from sklearn.utils.estimator_checks import check_estimator

    expected_failed = {}
    check_estimator(AgglomerativeClustering(), expected_failed_checks=expected_failed)


def test_fits_without_oracles(run_without_oracles):
    result = run_without_oracles(
        """
        import numpy as np
        from purecluster import AgglomerativeClustering, linkage, cut_tree
        X = np.random.RandomState(0).rand(40, 2)
        for method in ["ward", "complete", "average", "single"]:
            m = AgglomerativeClustering(n_clusters=3, linkage=method).fit(X)
            assert m.labels_.shape == (40,)
            Z = linkage(X, method, "cosine" if method != "ward" else "euclidean")
            assert cut_tree(Z, n_clusters=4).max() == 3
        print("ok")
        """
    )
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


@pytest.mark.tiny
@pytest.mark.parametrize("method", METHODS)
def test_single_feature_input_not_mutated(method):
    # (n, 1) arrays are C- and F-contiguous at once: a transpose is a view,
    # so the kernels must copy explicitly
    X = random_data(14, 20, 1)
    X_before = X.copy()
    linkage(X, method)
    AgglomerativeClustering(linkage=method).fit(X)
    np.testing.assert_array_equal(X, X_before)


def test_warmup_registered():
    import purecluster

    timings = purecluster.warmup(dtypes=("float64",), only=["agglomerative"])
    assert ("agglomerative", "float64") in timings
