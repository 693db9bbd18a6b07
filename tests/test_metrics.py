"""Tests for purecluster.metrics against scikit-learn 1.9 and scipy.

Tolerances (stated once, used everywhere):

* scores comparing two labelings: absolute difference <= 1e-12 from
  scikit-learn (``ATOL``); in practice all but AMI are bit-identical. AMI
  differs in the last bits because scikit-learn's expected mutual information
  cancels large log-gamma values (ours is checked against 40-digit mpmath);
* mutual information (nats, unbounded) and Calinski–Harabasz (unbounded):
  relative 1e-12 (``RTOL``);
* silhouette, Davies–Bouldin on float64 data: 1e-12 (absolute for the
  silhouette, whose values lie in [-1, 1]; relative for Davies–Bouldin);
* float32 data: scikit-learn accumulates in float32 where we accumulate in
  float64, so 1e-5 there;
* assignment: equal total cost to ``scipy.optimize.linear_sum_assignment``
  within 1e-9 relative (sums of up to 10^4 terms in a different order).
"""

import math
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import purecluster.metrics as M
from purecluster._jit import num_threads
from purecluster.datasets import load_digits

sk_metrics = pytest.importorskip("sklearn.metrics")
scipy_optimize = pytest.importorskip("scipy.optimize")

ATOL = 1e-12
RTOL = 1e-12

PAIR_SCORES = [
    "rand_score",
    "adjusted_rand_score",
    "fowlkes_mallows_score",
    "normalized_mutual_info_score",
    "adjusted_mutual_info_score",
    "homogeneity_score",
    "completeness_score",
    "v_measure_score",
]
AVERAGE_METHODS = ["arithmetic", "geometric", "min", "max"]
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_same_scores(labels_true, labels_pred):
    """Every labeling-vs-labeling score equals scikit-learn's."""
    for name in PAIR_SCORES:
        ours = getattr(M, name)(labels_true, labels_pred)
        theirs = getattr(sk_metrics, name)(labels_true, labels_pred)
        assert isinstance(ours, float), name
        assert abs(ours - theirs) <= ATOL, (name, ours, theirs)
    n = len(labels_true)
    n_true, n_pred = len(np.unique(labels_true)), len(np.unique(labels_pred))
    one_side_singletons = n > 1 and (n_true == n) != (n_pred == n) and min(n_true, n_pred) > 1
    for method in AVERAGE_METHODS:
        for name in ("normalized_mutual_info_score", "adjusted_mutual_info_score"):
            ours = getattr(M, name)(labels_true, labels_pred, average_method=method)
            theirs = getattr(sk_metrics, name)(labels_true, labels_pred, average_method=method)
            if name.startswith("adjusted") and one_side_singletons:
                # MI = E[MI] exactly: we return 0.0; scikit-learn returns the
                # rounding noise of (MI - EMI) / (normalizer - EMI), which for
                # 'min' is 0/0 (any value); for the others it is ~1e-15.
                assert ours == 0.0
                if method == "min":
                    continue
            assert abs(ours - theirs) <= ATOL, (name, method, ours, theirs)
    if len(labels_true):
        ours = M.mutual_info_score(labels_true, labels_pred)
        theirs = sk_metrics.mutual_info_score(labels_true, labels_pred)
        assert ours == pytest.approx(theirs, rel=RTOL, abs=1e-15)
    for beta in (0.5, 1.0, 2.0):
        ours = M.homogeneity_completeness_v_measure(labels_true, labels_pred, beta=beta)
        theirs = sk_metrics.homogeneity_completeness_v_measure(labels_true, labels_pred, beta=beta)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=ATOL)
    np.testing.assert_array_equal(
        M.pair_confusion_matrix(labels_true, labels_pred),
        sk_metrics.pair_confusion_matrix(labels_true, labels_pred),
    )
    np.testing.assert_array_equal(
        M.contingency_matrix(labels_true, labels_pred),
        sk_metrics.cluster.contingency_matrix(labels_true, labels_pred),
    )


# ---------------------------------------------------------------------------
# fixtures: the seminar's labelings
# ---------------------------------------------------------------------------
SEMINAR_K = {"merce": 3, "blobs": 5, "moons": 2, "circles": 2, "none": 2}


@pytest.fixture(scope="module")
def seminar_labelings():
    """(name, X, y, kmeans labels, dbscan labels with noise -1) on the seminar sets."""
    from sklearn.cluster import DBSCAN, KMeans

    from purecluster.datasets import seminar_datasets

    out = []
    for name, (X, y) in seminar_datasets():
        km = KMeans(SEMINAR_K[name], init="random", n_init=1, random_state=12345).fit(X)
        db = DBSCAN(eps=0.2, min_samples=5).fit(X)
        out.append((name, X, y, km.labels_, db.labels_))
    return out


@pytest.fixture(scope="module")
def digits_labeling():
    from sklearn.cluster import KMeans

    digits = load_digits()
    labels = KMeans(10, n_init=1, random_state=12345).fit(digits.data).labels_
    return digits.data, digits.target, labels


def test_seminar_labelings_match_sklearn(seminar_labelings):
    for _, _, y, km_labels, db_labels in seminar_labelings:
        assert_same_scores(y, km_labels)
        assert_same_scores(y, db_labels)  # noise label -1
        assert_same_scores(km_labels, db_labels)


def test_digits_labeling_matches_sklearn(digits_labeling):
    _, target, labels = digits_labeling
    assert_same_scores(target, labels)


def test_seminar_unsupervised_scores_match_sklearn(seminar_labelings):
    for name, X, _, km_labels, db_labels in seminar_labelings:
        for labels in (km_labels, db_labels):
            if len(np.unique(labels)) < 2:
                continue
            for metric in ("euclidean", "manhattan", "cosine"):
                ours = M.silhouette_score(X, labels, metric=metric)
                theirs = sk_metrics.silhouette_score(X, labels, metric=metric)
                assert abs(ours - theirs) <= ATOL, (name, metric)
            assert M.calinski_harabasz_score(X, labels) == pytest.approx(
                sk_metrics.calinski_harabasz_score(X, labels), rel=RTOL
            )
            assert M.davies_bouldin_score(X, labels) == pytest.approx(
                sk_metrics.davies_bouldin_score(X, labels), rel=RTOL
            )


def test_digits_unsupervised_scores_match_sklearn(digits_labeling):
    X, _, labels = digits_labeling
    np.testing.assert_allclose(
        M.silhouette_samples(X, labels), sk_metrics.silhouette_samples(X, labels), atol=ATOL
    )
    assert M.calinski_harabasz_score(X, labels) == pytest.approx(
        sk_metrics.calinski_harabasz_score(X, labels), rel=RTOL
    )
    assert M.davies_bouldin_score(X, labels) == pytest.approx(
        sk_metrics.davies_bouldin_score(X, labels), rel=RTOL
    )


# ---------------------------------------------------------------------------
# hypothesis: labelings of every kind
# ---------------------------------------------------------------------------
@st.composite
def labelings(draw, min_size=0, max_size=60):
    n = draw(st.integers(min_size, max_size))
    kind = draw(st.sampled_from(["ints", "negative", "strings", "one", "singletons"]))
    if kind == "one":
        return np.full(n, 7), np.asarray(draw(st.lists(st.integers(-1, 4), min_size=n, max_size=n)))
    if kind == "singletons":
        true = np.asarray(draw(st.lists(st.integers(-1, 3), min_size=n, max_size=n)), dtype=int)
        return true, np.arange(n)[::-1].copy()
    k_true = draw(st.integers(1, 8))
    k_pred = draw(st.integers(1, 8))
    true = np.asarray(draw(st.lists(st.integers(0, k_true - 1), min_size=n, max_size=n)), int)
    pred = np.asarray(draw(st.lists(st.integers(0, k_pred - 1), min_size=n, max_size=n)), int)
    if kind == "negative":
        return true - 3, pred - 1  # includes the noise label -1
    if kind == "strings":
        names = np.array(["cat", "dog", "emu", "gnu", "yak", "ant", "bee", "cow"])
        return names[true], pred
    return true, pred


@SETTINGS
@given(labelings())
def test_hypothesis_labelings_match_sklearn(pair):
    labels_true, labels_pred = pair
    assert_same_scores(labels_true, labels_pred)
    assert_same_scores(labels_pred, labels_true)


@SETTINGS
@given(labelings(min_size=3, max_size=40), st.integers(1, 4), st.integers(0, 2**31 - 1))
def test_hypothesis_unsupervised_scores_match_sklearn(pair, n_features, seed):
    _, labels = pair
    n = labels.shape[0]
    if not 1 < len(np.unique(labels)) < n:
        with pytest.raises(ValueError, match="Number of labels is"):
            M.silhouette_score(np.zeros((n, n_features)), labels)
        return
    X = np.random.RandomState(seed).randn(n, n_features) * 3 + 1
    for metric in ("euclidean", "manhattan", "cosine", "chebyshev", "sqeuclidean"):
        np.testing.assert_allclose(
            M.silhouette_samples(X, labels, metric=metric),
            sk_metrics.silhouette_samples(X, labels, metric=metric),
            rtol=0,
            atol=ATOL,
            err_msg=metric,
        )
    assert M.calinski_harabasz_score(X, labels) == pytest.approx(
        sk_metrics.calinski_harabasz_score(X, labels), rel=RTOL
    )
    assert M.davies_bouldin_score(X, labels) == pytest.approx(
        sk_metrics.davies_bouldin_score(X, labels), rel=RTOL, abs=1e-15
    )


# ---------------------------------------------------------------------------
# special cases, exactly as scikit-learn
# ---------------------------------------------------------------------------
@pytest.mark.tiny
@pytest.mark.parametrize(
    "labels_true, labels_pred",
    [
        ([], []),
        ([0], [0]),
        ([3, 3, 3], [1, 1, 1]),  # one cluster in both
        ([0, 1, 2], [0, 1, 2]),  # all singletons in both
        ([0, 0, 0], [0, 1, 2]),  # one class, singletons
        ([0, 1, 2], [5, 5, 5]),
        (["a", "b", "b"], ["x", "x", "y"]),
        ([-1, -1, 0, 1], [-1, 0, 0, 1]),
    ],
)
def test_special_cases_like_sklearn(labels_true, labels_pred):
    assert_same_scores(labels_true, labels_pred)


@pytest.mark.tiny
def test_documented_conventions():
    assert M.adjusted_rand_score([0, 0, 0], [1, 1, 1]) == 1.0
    assert M.adjusted_mutual_info_score([0, 0, 0], [1, 1, 1]) == 1.0
    assert M.adjusted_mutual_info_score([0, 0, 0], [0, 1, 1]) == 0.0
    assert M.normalized_mutual_info_score([0, 0, 0], [0, 1, 1]) == 0.0
    assert M.homogeneity_completeness_v_measure([0, 0, 0], [0, 1, 2]) == (1.0, 0.0, 0.0)
    assert M.fowlkes_mallows_score([0, 1, 2], [0, 1, 2]) == 0.0
    assert M.homogeneity_completeness_v_measure([], []) == (1.0, 1.0, 1.0)


# ---------------------------------------------------------------------------
# contingency matrix and mutual information from a table
# ---------------------------------------------------------------------------
@pytest.mark.tiny
def test_contingency_matrix_options():
    a, b = ["x", "y", "y", "z"], [2, 2, -1, 0]
    ref = sk_metrics.cluster.contingency_matrix
    np.testing.assert_array_equal(M.contingency_matrix(a, b), ref(a, b))
    assert M.contingency_matrix(a, b).dtype == np.int64
    got = M.contingency_matrix(a, b, eps=0.5)
    np.testing.assert_array_equal(got, ref(a, b, eps=0.5))
    assert got.dtype == np.float64
    got = M.contingency_matrix(a, b, dtype=np.float32)
    np.testing.assert_array_equal(got, ref(a, b, dtype=np.float32))
    assert got.dtype == np.float32
    assert M.contingency_matrix([], []).shape == (0, 0)


@pytest.mark.tiny
def test_contingency_matrix_sparse_is_refused():
    with pytest.raises(ValueError, match="scipy.sparse, which purecluster does not depend on"):
        M.contingency_matrix([0, 1], [0, 1], sparse=True)
    with pytest.raises(ValueError, match="'eps' parameter of contingency_matrix"):
        M.contingency_matrix([0, 1], [0, 1], eps=-1.0)


def test_mutual_info_with_contingency():
    import scipy.sparse

    rng = np.random.RandomState(0)
    a, b = rng.randint(0, 4, 200), rng.randint(0, 6, 200)
    C = sk_metrics.cluster.contingency_matrix(a, b)
    expected = sk_metrics.mutual_info_score(a, b)
    assert M.mutual_info_score(None, None, contingency=C) == expected
    assert M.mutual_info_score(None, None, contingency=C.astype(float)) == expected
    assert M.mutual_info_score(None, None, contingency=scipy.sparse.csr_array(C)) == expected
    assert M.mutual_info_score(None, None, contingency=C.tolist()) == expected
    with pytest.raises(ValueError, match="contingency must be a 2D array"):
        M.mutual_info_score(None, None, contingency=[1, 2])


def test_expected_mutual_information_naive_reference():
    """The grouped-by-size kernel equals a direct triple loop."""
    from math import exp, lgamma, log

    rng = np.random.RandomState(1)
    a, b = rng.randint(0, 5, 80), rng.randint(0, 7, 80)
    C = M.contingency_matrix(a, b)
    N = C.sum()
    naive = 0.0
    for ai in C.sum(axis=1):
        for bj in C.sum(axis=0):
            for nij in range(max(1, ai + bj - N), min(ai, bj) + 1):
                log_p = (
                    lgamma(ai + 1) + lgamma(bj + 1) + lgamma(N - ai + 1) + lgamma(N - bj + 1)
                    - lgamma(N + 1) - lgamma(nij + 1) - lgamma(ai - nij + 1)
                    - lgamma(bj - nij + 1) - lgamma(N - ai - bj + nij + 1)
                )  # fmt: skip
                naive += nij / N * log(N * nij / (ai * bj)) * exp(log_p)
    assert M.expected_mutual_information(C, N) == pytest.approx(naive, rel=1e-12)


# ---------------------------------------------------------------------------
# silhouette details
# ---------------------------------------------------------------------------
def _blobs(n=120, seed=0):
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 4, n)
    X = rng.randn(n, 3) + 4 * labels[:, None]
    return X, labels


def test_silhouette_precomputed_and_other_metrics():
    from sklearn.metrics import pairwise_distances

    X, labels = _blobs()
    D = pairwise_distances(X)
    np.testing.assert_allclose(
        M.silhouette_samples(D, labels, metric="precomputed"),
        sk_metrics.silhouette_samples(D, labels, metric="precomputed"),
        atol=ATOL,
    )
    cases = [("l1", {}), ("cityblock", {}), ("l2", {"n_jobs": 1}), ("minkowski", {"p": 3})]
    for metric, kwds in cases:
        np.testing.assert_allclose(
            M.silhouette_samples(X, labels, metric=metric, **kwds),
            sk_metrics.silhouette_samples(X, labels, metric=metric, **kwds),
            atol=ATOL,
        )

    def my_metric(x, y):
        return float(np.abs(x - y).max())

    assert M.silhouette_score(X, labels, metric=my_metric) == pytest.approx(
        sk_metrics.silhouette_score(X, labels, metric=my_metric), abs=ATOL
    )


def test_silhouette_sample_size_draws_sklearns_subsample():
    X, labels = _blobs(200)
    for random_state in (0, 42, np.random.RandomState(3)):
        rs_ours = pickle.loads(pickle.dumps(random_state))
        ours = M.silhouette_score(X, labels, sample_size=50, random_state=rs_ours)
        theirs = sk_metrics.silhouette_score(X, labels, sample_size=50, random_state=random_state)
        assert abs(ours - theirs) <= ATOL
    from sklearn.metrics import pairwise_distances

    D = pairwise_distances(X)
    ours = M.silhouette_score(D, labels, metric="precomputed", sample_size=60, random_state=1)
    theirs = sk_metrics.silhouette_score(
        D, labels, metric="precomputed", sample_size=60, random_state=1
    )
    assert abs(ours - theirs) <= ATOL


def test_silhouette_blocks_threads_dtype_and_no_mutation():
    X, labels = _blobs(150)
    X_before, labels_before = X.copy(), labels.copy()
    one_block = M.silhouette_samples(X, labels)
    for metric in ("euclidean", "cosine", "manhattan"):
        with num_threads(1):
            single = M.silhouette_samples(X, labels, metric=metric)
        with num_threads(2):
            double = M.silhouette_samples(X, labels, metric=metric)
        np.testing.assert_array_equal(single, double)

    # a callable metric is evaluated in blocks of rows; working_memory=0
    # forces one row per block: same sums, same order
    def l1(x, y):
        return float(np.abs(x - y).sum())

    np.testing.assert_array_equal(
        M.silhouette_samples(X[:40], labels[:40], metric=l1, working_memory=0),
        M.silhouette_samples(X[:40], labels[:40], metric=l1),
    )
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(labels, labels_before)

    X32 = X.astype(np.float32)
    got = M.silhouette_samples(X32, labels)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, sk_metrics.silhouette_samples(X32, labels), atol=1e-5)
    np.testing.assert_allclose(got, one_block, atol=1e-5)
    assert M.davies_bouldin_score(X32, labels) == pytest.approx(
        sk_metrics.davies_bouldin_score(X32, labels), rel=1e-5
    )
    assert M.calinski_harabasz_score(X32, labels) == pytest.approx(
        sk_metrics.calinski_harabasz_score(X32, labels), rel=RTOL
    )


@pytest.mark.tiny
def test_unsupervised_scores_tiny_and_int_data():
    X = [[0, 0], [0, 1], [4, 4], [4, 5], [9, 0]]
    labels = ["a", "a", "b", "b", "c"]
    np.testing.assert_allclose(
        M.silhouette_samples(X, labels), sk_metrics.silhouette_samples(X, labels), atol=ATOL
    )
    for metric in ("cosine", "manhattan", "chebyshev"):
        assert M.silhouette_score(X, labels, metric=metric) == pytest.approx(
            sk_metrics.silhouette_score(X, labels, metric=metric), abs=ATOL
        )
    assert M.calinski_harabasz_score(X, labels) == sk_metrics.calinski_harabasz_score(X, labels)
    assert M.davies_bouldin_score(X, labels) == sk_metrics.davies_bouldin_score(X, labels)
    # identical points: CH = 1, DB = 0 conventions
    Z = [[1.0, 1.0]] * 4
    assert M.calinski_harabasz_score(Z, [0, 0, 1, 1]) == 1.0
    assert M.davies_bouldin_score(Z, [0, 0, 1, 1]) == 0.0


# ---------------------------------------------------------------------------
# linear sum assignment
# ---------------------------------------------------------------------------
def _check_lsa(cost, maximize=False):
    ref = scipy_optimize.linear_sum_assignment(cost, maximize=maximize)
    got = M.linear_sum_assignment(cost, maximize=maximize)
    assert got[0].dtype == np.int64 and got[1].dtype == np.int64
    assert got[0].shape == ref[0].shape
    np.testing.assert_array_equal(got[0], np.sort(got[0]))
    assert len(set(got[1].tolist())) == got[1].shape[0]  # one-to-one
    total, ref_total = cost[got].sum(), cost[ref].sum()
    assert total == pytest.approx(ref_total, rel=1e-9, abs=1e-9)
    return got, ref


@SETTINGS
@given(
    st.integers(1, 9),
    st.integers(1, 9),
    st.integers(0, 2**31 - 1),
    st.sampled_from(["uniform", "ties", "inf"]),
    st.booleans(),
)
def test_lsa_equals_scipy_on_random_matrices(n_rows, n_cols, seed, kind, maximize):
    rng = np.random.RandomState(seed)
    if kind == "uniform":
        cost = rng.rand(n_rows, n_cols) * 100
    else:
        cost = rng.randint(0, 3, (n_rows, n_cols)).astype(float)  # many ties
    if kind == "inf":
        mask = rng.rand(n_rows, n_cols) < 0.3
        cost[mask] = -np.inf if maximize else np.inf
    try:
        ref = scipy_optimize.linear_sum_assignment(cost, maximize=maximize)
    except ValueError as exc:
        with pytest.raises(ValueError, match=str(exc)):
            M.linear_sum_assignment(cost, maximize=maximize)
        return
    got, ref = _check_lsa(cost, maximize)
    if kind != "inf":
        # same algorithm, same tie-breaking: the very same assignment
        np.testing.assert_array_equal(got[1], ref[1])


def test_lsa_larger_matrices():
    rng = np.random.RandomState(0)
    for shape in [(60, 60), (40, 90), (90, 40)]:
        _check_lsa(rng.rand(*shape))
        _check_lsa(rng.randint(0, 5, shape), maximize=True)


@pytest.mark.tiny
def test_lsa_special_inputs():
    assert [a.tolist() for a in M.linear_sum_assignment(np.zeros((0, 3)))] == [[], []]
    assert [a.tolist() for a in M.linear_sum_assignment(np.zeros((3, 0)))] == [[], []]
    got = M.linear_sum_assignment([[True, False], [False, True]])
    np.testing.assert_array_equal(got[1], [1, 0])
    with pytest.raises(ValueError, match="cost matrix is infeasible"):
        M.linear_sum_assignment([[1.0, np.inf], [np.inf, np.inf]])
    with pytest.raises(ValueError, match="matrix contains invalid numeric entries"):
        M.linear_sum_assignment([[np.nan, 1.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match="matrix contains invalid numeric entries"):
        M.linear_sum_assignment([[-np.inf, 1.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match="matrix contains invalid numeric entries"):
        M.linear_sum_assignment([[np.inf, 1.0], [1.0, 2.0]], maximize=True)
    with pytest.raises(ValueError, match=r"expected a matrix \(2-D array\), got a 1 array"):
        M.linear_sum_assignment([1.0, 2.0])


# ---------------------------------------------------------------------------
# matching clusters to classes
# ---------------------------------------------------------------------------
def seminar_match_labels(labels_true, labels_pred, num_clusters):
    """The seminar's own function, with scipy.stats.mode."""
    from scipy.stats import mode

    labels_ = np.zeros_like(labels_pred)
    for i in range(num_clusters):
        mask = labels_pred == i
        labels_[mask] = mode(labels_true[mask])[0]
    return labels_


def test_majority_matches_the_seminar(digits_labeling, seminar_labelings):
    _, target, labels = digits_labeling
    np.testing.assert_array_equal(
        M.match_labels(target, labels), seminar_match_labels(target, labels, 10)
    )
    for _, _, y, km_labels, _ in seminar_labelings:
        k = km_labels.max() + 1
        np.testing.assert_array_equal(
            M.match_labels(y, km_labels), seminar_match_labels(y, km_labels, k)
        )


@SETTINGS
@given(labelings(min_size=1, max_size=50))
def test_matching_on_hypothesis_labelings(pair):
    labels_true, labels_pred = pair
    if labels_true.dtype.kind in "iu":
        codes = np.unique(labels_pred, return_inverse=True)[1].reshape(-1)
        np.testing.assert_array_equal(
            M.match_labels(labels_true, labels_pred),
            seminar_match_labels(labels_true, codes, codes.max() + 1),
        )
    C = sk_metrics.cluster.contingency_matrix(labels_true, labels_pred)
    rows, cols = scipy_optimize.linear_sum_assignment(C, maximize=True)
    best = C[rows, cols].sum()
    matched = M.match_labels(labels_true, labels_pred, method="hungarian", fill_value="none")
    assert np.sum(matched.astype(str) == labels_true.astype(str)) == best
    # one-to-one: each class is given to at most one cluster
    for cls in np.unique(labels_true):
        assert len(np.unique(labels_pred[matched.astype(str) == str(cls)])) <= 1
    acc = M.matched_accuracy_score(labels_true, labels_pred, method="hungarian")
    assert acc == pytest.approx(best / len(labels_true), rel=1e-15)
    purity = M.matched_accuracy_score(labels_true, labels_pred)
    assert purity == pytest.approx(C.max(axis=0).sum() / len(labels_true), rel=1e-15)


@pytest.mark.tiny
def test_match_labels_examples():
    np.testing.assert_array_equal(M.match_labels([0, 0, 1, 1, 1], [5, 5, 7, 7, 5]), [0, 0, 1, 1, 0])
    # tie inside cluster 9: two of class 2 and two of class 1 -> the smaller, 1
    np.testing.assert_array_equal(M.match_labels([2, 2, 1, 1], [9, 9, 9, 9]), [1, 1, 1, 1])
    got = M.match_labels([0, 0, 1, 1], [2, 2, 0, 1], method="hungarian")
    np.testing.assert_array_equal(got, [0, 0, 1, -1])
    got = M.match_labels(["a", "a", "b"], [1, 1, 2], method="hungarian")
    np.testing.assert_array_equal(got, ["a", "a", "b"])
    assert M.matched_accuracy_score([0, 0, 1, 1], [2, 2, 0, 1], method="hungarian") == 0.75
    assert M.matched_accuracy_score([0, 0, 1, 1], [2, 2, 0, 1]) == 1.0


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------
@pytest.mark.tiny
@pytest.mark.parametrize(
    "func",
    PAIR_SCORES
    + ["mutual_info_score", "pair_confusion_matrix", "contingency_matrix"]
    + ["homogeneity_completeness_v_measure", "match_labels", "matched_accuracy_score"],
)
def test_bad_labelings(func):
    f = getattr(M, func)
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[3, 2\]"):
        f([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match=r"labels_true must be 1D: shape is \(1, 2\)"):
        f([[0, 1]], [0, 1])
    with pytest.raises(ValueError, match=r"labels_pred must be 1D: shape is \(2, 1\)"):
        f([0, 1], [[0], [1]])
    with pytest.raises(ValueError, match="contains NaN"):
        f([0.0, np.nan], [0, 1])


@pytest.mark.tiny
@pytest.mark.parametrize("func", ["mutual_info_score", "match_labels", "matched_accuracy_score"])
def test_empty_labelings_refused_where_undefined(func):
    with pytest.raises(ValueError, match="needs at least one sample; got empty labelings"):
        getattr(M, func)([], [])


@pytest.mark.tiny
def test_bad_parameters():
    with pytest.raises(ValueError, match="'average_method' parameter of adjusted_mutual_info"):
        M.adjusted_mutual_info_score([0, 1], [0, 1], average_method="median")
    with pytest.raises(ValueError, match="'beta' parameter of homogeneity_completeness"):
        M.v_measure_score([0, 1], [0, 1], beta=-1)
    with pytest.raises(ValueError, match="'method' parameter of match_labels"):
        M.match_labels([0, 1], [0, 1], method="mode")
    with pytest.raises(ValueError, match="'sample_size' parameter of silhouette_score"):
        M.silhouette_score([[0.0], [1.0], [2.0]], [0, 0, 1], sample_size=0)


@pytest.mark.tiny
@pytest.mark.parametrize(
    "func", ["silhouette_samples", "silhouette_score", "calinski_harabasz_score",
             "davies_bouldin_score"]
)  # fmt: skip
def test_bad_input_unsupervised(func):
    f = getattr(M, func)
    X = np.arange(8.0).reshape(4, 2)
    msg = r"Number of labels is {}\. Valid values are 2 to n_samples - 1 \(inclusive\)"
    with pytest.raises(ValueError, match=msg.format(1)):
        f(X, [0, 0, 0, 0])
    with pytest.raises(ValueError, match=msg.format(4)):
        f(X, [0, 1, 2, 3])
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[4, 3\]"):
        f(X, [0, 0, 1])
    with pytest.raises(ValueError, match=r"y should be a 1d array, got an array of shape"):
        f(X, [[0, 0, 1, 1]])
    with pytest.raises(ValueError, match="Expected a 2D array"):
        f(np.arange(4.0), [0, 0, 1, 1])
    with pytest.raises(ValueError, match=r"Found array with 0 sample\(s\)"):
        f(np.zeros((0, 2)), [])
    with pytest.raises(ValueError, match="contains NaN"):
        f([[0.0], [np.nan], [1.0], [2.0]], [0, 0, 1, 1])


@pytest.mark.tiny
def test_bad_input_silhouette_metric():
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match="The 'metric' parameter must be one of"):
        M.silhouette_score(X, [0, 0, 1, 1], metric="braycurtis")
    with pytest.raises(TypeError, match="Unexpected keyword argument"):
        M.silhouette_score(X, [0, 0, 1, 1], metric="euclidean", q=3)
    D = np.ones((4, 4))
    with pytest.raises(ValueError, match="non-zero elements on the diagonal"):
        M.silhouette_score(D, [0, 0, 1, 1], metric="precomputed")
    np.fill_diagonal(D, 0)
    D[0, 1] = -1
    with pytest.raises(ValueError, match="needs non-negative values"):
        M.silhouette_score(D, [0, 0, 1, 1], metric="precomputed")
    with pytest.raises(ValueError, match="must be square"):
        M.silhouette_score(np.zeros((4, 3)), [0, 0, 1, 1], metric="precomputed")


# ---------------------------------------------------------------------------
# without the oracles
# ---------------------------------------------------------------------------
def test_works_without_sklearn_and_scipy(run_without_oracles):
    result = run_without_oracles(
        """
        import numpy as np
        import purecluster.metrics as M
        X = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0], [9.0, 0.0], [9.0, 1.0]])
        y = np.array([0, 0, 1, 1, 2, 2])
        p = np.array([1, 1, 0, 0, 0, 2])
        print(M.contingency_matrix(y, p).tolist())
        print(M.adjusted_rand_score(y, p), M.adjusted_mutual_info_score(y, p))
        print(M.v_measure_score(y, p), M.fowlkes_mallows_score(y, p))
        print(M.silhouette_score(X, p), M.silhouette_score(X, p, metric="cosine"))
        print(M.calinski_harabasz_score(X, p), M.davies_bouldin_score(X, p))
        print(M.match_labels(y, p).tolist(), M.match_labels(y, p, method="hungarian").tolist())
        print(M.linear_sum_assignment([[3, 1], [1, 3]])[1].tolist())
        import sys
        assert not any(m.split(".")[0] in ("sklearn", "scipy") for m in sys.modules)
        print("OK")
        """
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "[[0, 2, 0], [2, 0, 0], [1, 0, 1]]"
    assert lines[-3] == "[0, 0, 1, 1, 1, 2] [0, 0, 1, 1, 1, 2]"
    assert lines[-2] == "[1, 0]"
    assert lines[-1] == "OK"


def test_package_exports_metrics():
    import purecluster

    assert purecluster.metrics is M
    assert set(M.__all__) <= set(dir(M))


@pytest.mark.tiny
def test_docstring_examples():
    import doctest

    result = doctest.testmod(M, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 15 and result.failed == 0


def test_silhouette_sums_in_row_blocks(monkeypatch):
    """With many clusters the n × k sums are made in blocks of rows: same answer."""
    from sklearn.metrics import pairwise_distances

    X, _ = _blobs(90)
    labels = np.arange(90) % 40  # 40 clusters of 2 or 3
    expected = sk_metrics.silhouette_samples(X, labels)
    monkeypatch.setattr(M, "_SUMS_BYTES", 8 * 40 * 7)  # 7 rows per block
    np.testing.assert_allclose(M.silhouette_samples(X, labels), expected, atol=ATOL)
    D = pairwise_distances(X)
    np.testing.assert_allclose(
        M.silhouette_samples(D, labels, metric="precomputed"), expected, atol=ATOL
    )

    def l2(x, y):
        return float(np.sqrt(((x - y) ** 2).sum()))

    got = M.silhouette_samples(X, labels, metric=l2, working_memory=0.001)
    np.testing.assert_allclose(got, expected, atol=ATOL)


def test_warmup_compiles_the_metrics_kernels():
    import purecluster

    timings = purecluster.warmup(dtypes=("float64",), only=["metrics"])
    assert ("metrics", "float64") in timings
    cost = np.array([[3.0, 1.0], [1.0, 3.0]])
    before = cost.copy()
    M.linear_sum_assignment(cost)
    M.linear_sum_assignment(cost, maximize=True)
    np.testing.assert_array_equal(cost, before)


def test_expected_mutual_information_against_40_digits():
    """E[MI] to ~1e-14 relative (scikit-learn's differences of log-gamma: ~1e-12 here)."""
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 40
    rng = np.random.RandomState(0)
    n = 2000
    C = M.contingency_matrix(rng.randint(0, 100, n), rng.randint(0, 80, n))
    a_values, a_counts = np.unique(C.sum(axis=1), return_counts=True)
    b_values, b_counts = np.unique(C.sum(axis=0), return_counts=True)
    N = mp.mpf(n)
    exact = mp.mpf(0)
    for a, ca in zip(a_values.tolist(), a_counts.tolist(), strict=True):
        for b, cb in zip(b_values.tolist(), b_counts.tolist(), strict=True):
            for nij in range(max(1, a + b - n), min(a, b) + 1):
                # exact integers, one rounding at the division
                p = mp.mpf(math.comb(a, nij) * math.comb(n - a, b - nij)) / math.comb(n, b)
                exact += ca * cb * nij / N * mp.log(N * nij / (a * b)) * p
    assert M.expected_mutual_information(C, n) == pytest.approx(float(exact), rel=1e-13)


def test_silhouette_many_features_uses_blas_blocks(monkeypatch):
    """From 128 features on, distances come from BLAS Gram blocks: same answers."""
    rng = np.random.RandomState(5)
    labels = rng.randint(0, 5, 150)
    X = rng.randn(150, 130) + labels[:, None]
    for metric in ("euclidean", "sqeuclidean", "cosine"):
        expected = sk_metrics.silhouette_samples(X, labels, metric=metric)
        got = M.silhouette_samples(X, labels, metric=metric)
        np.testing.assert_allclose(got, expected, atol=ATOL)
        monkeypatch.setattr(M, "_GRAM_BLOCK_BYTES", 8 * 150 * 16)  # 16 rows per block
        with num_threads(1):
            single = M.silhouette_samples(X, labels, metric=metric)
        with num_threads(2):
            double = M.silhouette_samples(X, labels, metric=metric)
        monkeypatch.undo()
        np.testing.assert_array_equal(single, double)
        np.testing.assert_allclose(single, expected, atol=ATOL)
