"""DBSCAN: scikit-learn's labels to the element, on every path and metric.

Parity means ``labels_``, ``core_sample_indices_`` and ``components_`` equal
scikit-learn's exactly (no tolerance: labels are integers, components are
copies of rows). Data with ties at exactly ``eps`` is built from dyadic
numbers (exact in floating point) or from lattices whose rounding both
libraries must resolve the same way.
"""

import pickle
import sys
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purecluster import DBSCAN, dbscan
from purecluster._jit import num_threads
from purecluster.datasets import load_digits, make_blobs

sk_cluster = pytest.importorskip("sklearn.cluster")

D = sys.modules["purecluster.dbscan"]  # the module (the name `dbscan` is the function)

SEMINAR_CELLS = [(4, 0.5), (4, 0.5), (10, 0.2), (4, 0.3), (4, 0.3)]
METRICS = [
    ("euclidean", {}),
    ("l2", {}),
    ("manhattan", {}),
    ("cityblock", {}),
    ("l1", {}),
    ("chebyshev", {}),
    ("minkowski", {"p": 3}),
    ("minkowski", {"p": 1.5}),
    ("minkowski", {"metric_params": {"p": 4}}),
    ("minkowski", {"p": 2}),
    ("cosine", {}),
]


# ---------------------------------------------------------------------------
# a naive reference: all distances, then scikit-learn's depth-first walk
# ---------------------------------------------------------------------------
def reference_dbscan(X, eps, min_samples, sample_weight=None):
    """DBSCAN the slow, obvious way (euclidean, float64 differences). Read this first."""
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    diff = X[:, None, :] - X[None, :, :]
    within = (diff**2).sum(axis=2) <= eps * eps  # a point is its own neighbour
    is_core = within.astype(float) @ w >= min_samples
    labels = np.full(n, -1)
    next_label = 0
    for seed in range(n):  # clusters start at unlabelled core points, in index order
        if labels[seed] != -1 or not is_core[seed]:
            continue
        stack = [seed]
        while stack:
            i = stack.pop()
            if labels[i] != -1:
                continue
            labels[i] = next_label
            if is_core[i]:  # only core points spread the cluster
                stack.extend(np.flatnonzero(within[i] & (labels == -1)))
        next_label += 1
    return np.flatnonzero(is_core), labels


def assert_same_as_sklearn(X, sample_weight=None, **params):
    ours = DBSCAN(**params).fit(X, sample_weight=sample_weight)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = sk_cluster.DBSCAN(**params).fit(X, sample_weight=sample_weight)
    np.testing.assert_array_equal(ours.core_sample_indices_, theirs.core_sample_indices_)
    np.testing.assert_array_equal(ours.labels_, theirs.labels_)
    np.testing.assert_array_equal(ours.components_, theirs.components_)
    assert ours.components_.dtype == theirs.components_.dtype
    assert ours.labels_.dtype == theirs.labels_.dtype
    assert ours.core_sample_indices_.dtype == theirs.core_sample_indices_.dtype
    return ours


# ---------------------------------------------------------------------------
# parity: seminar, digits, weights, duplicates, exact eps
# ---------------------------------------------------------------------------
def test_seminar_cells_match_sklearn(seminar_data):
    for (name, (X, _)), (min_samples, eps) in zip(seminar_data, SEMINAR_CELLS, strict=True):
        est = assert_same_as_sklearn(X, eps=eps, min_samples=min_samples, metric="euclidean")
        assert est.labels_.max() >= 0 or name == "none"


@pytest.mark.parametrize("eps", [18.0, 22.5, 30.0])
def test_digits_64d_match_sklearn(eps, dtype):
    X = load_digits().data.astype(dtype)
    assert_same_as_sklearn(X, eps=eps, min_samples=5)


@pytest.mark.parametrize("metric", ["manhattan", "cosine", "chebyshev"])
def test_digits_other_metrics(metric):
    X = load_digits().data[:600]
    eps = {"manhattan": 120.0, "cosine": 0.08, "chebyshev": 10.0}[metric]
    assert_same_as_sklearn(X, eps=eps, min_samples=4, metric=metric)


def test_sample_weight_matches_sklearn_and_repetition():
    X, _ = make_blobs(400, 2, centers=4, cluster_std=0.8, random_state=3)
    w = np.random.RandomState(0).randint(0, 4, X.shape[0]).astype(float)
    est = assert_same_as_sklearn(X, sample_weight=w, eps=0.3, min_samples=6)
    # a positive integer weight k behaves like k copies of the point
    w = w + 1
    est = assert_same_as_sklearn(X, sample_weight=w, eps=0.3, min_samples=6)
    rep = np.repeat(np.arange(X.shape[0]), w.astype(int))
    copies = DBSCAN(eps=0.3, min_samples=6).fit(X[rep])
    first = np.searchsorted(rep, np.arange(X.shape[0]))
    core = np.zeros(len(rep), bool)
    core[copies.core_sample_indices_] = True
    np.testing.assert_array_equal(np.flatnonzero(core[first]), est.core_sample_indices_)
    np.testing.assert_array_equal(est.labels_ >= 0, copies.labels_[first] >= 0)


@pytest.mark.tiny
def test_heavy_point_is_core_by_itself():
    X = np.array([[0.0], [10.0], [20.0]])
    est = assert_same_as_sklearn(X, sample_weight=[1, 5, 1], eps=1.0, min_samples=5)
    np.testing.assert_array_equal(est.core_sample_indices_, [1])
    np.testing.assert_array_equal(est.labels_, [-1, 0, -1])


def test_fractional_dyadic_weights():
    X, _ = make_blobs(300, 2, centers=3, random_state=1)
    w = np.random.RandomState(2).choice([0.0, 0.25, 0.5, 1.5, 2.0], X.shape[0])
    assert_same_as_sklearn(X, sample_weight=w, eps=0.5, min_samples=3)


@pytest.mark.parametrize("algorithm", ["auto", "brute"])
def test_duplicates_match_sklearn(algorithm):
    rng = np.random.RandomState(5)
    base = np.round(rng.rand(60, 2) * 8) / 4
    X = base[rng.randint(0, 60, 300)]  # many exact duplicates
    for eps, ms in [(0.25, 5), (0.5, 8), (0.1, 3), (0.1, 12)]:
        assert_same_as_sklearn(X, eps=eps, min_samples=ms, algorithm=algorithm)


@pytest.mark.parametrize("spacing", [0.1, 0.2, 0.3, 0.7, 1 / 3, 2.2])
@pytest.mark.parametrize("shape", [(12, 12), (3, 3)])
def test_points_exactly_eps_apart(spacing, shape):
    """A lattice with spacing eps: each inclusion is decided by rounding alone.

    12x12 (n > 11) goes through scikit-learn's k-d tree (float64 differences),
    3x3 (n <= 11) through its brute force (BLAS); we follow each.
    """
    i, j = np.meshgrid(np.arange(shape[0]), np.arange(shape[1]), indexing="ij")
    X = np.c_[i.ravel() * spacing, j.ravel() * spacing + 0.3 * spacing * (i.ravel() % 2)]
    for min_samples in (2, 3, 4, 5):
        assert_same_as_sklearn(X, eps=spacing, min_samples=min_samples)
        assert_same_as_sklearn(X, eps=spacing, min_samples=min_samples, metric="manhattan")
        assert_same_as_sklearn(X, eps=spacing, min_samples=min_samples, metric="chebyshev")
    # 1-D: consecutive points exactly eps apart
    X1 = (np.arange(40) * spacing)[:, None]
    for min_samples in (2, 3):
        assert_same_as_sklearn(X1, eps=spacing, min_samples=min_samples)


@pytest.mark.parametrize("spacing", [0.1, 1 / 3, 0.01])
def test_float32_points_exactly_eps_apart(spacing):
    """float32 data is compared in float64 on the tree path, in float32 on brute force."""
    for n in (9, 40):
        x = (np.arange(n) * spacing).astype(np.float32)[:, None]
        for X in (x, np.c_[x, x * 0.5]):
            for eps in (spacing, float(np.float32(spacing))):
                for metric, extra in [
                    ("euclidean", {}),
                    ("manhattan", {}),
                    ("minkowski", {"p": 3}),
                ]:
                    assert_same_as_sklearn(X, eps=eps, min_samples=2, metric=metric, **extra)


def test_exact_eps_three_four_five():
    X = np.array([[0, 0], [3, 4], [6, 8], [0, 5], [5, 0], [9, 12.0], [20, 20]] * 2)
    X = X + np.repeat([[0.0, 0.0], [100.0, 0.0]], 7, axis=0)
    for ms in (1, 2, 3, 4):
        assert_same_as_sklearn(X, eps=5.0, min_samples=ms)
        assert_same_as_sklearn(X, eps=np.nextafter(5.0, 0), min_samples=ms)


# ---------------------------------------------------------------------------
# the border rule and the numbering, on adversarial data
# ---------------------------------------------------------------------------
@pytest.mark.tiny
def test_border_goes_to_first_grown_cluster_not_closest_core():
    # cluster L (indices 0-3), cluster R (4-7), border point b (index 8)
    left = [2.5, 3.0, 3.5, 4.0]
    right = [5.625, 6.125, 6.625, 7.125]
    X = np.array(left + right + [5.0])[:, None]
    est = assert_same_as_sklearn(X, eps=1.0, min_samples=4)
    # b is 0.625 from R's core 5.625 but exactly eps from L's core 4.0: L grew first
    np.testing.assert_array_equal(est.labels_, [0, 0, 0, 0, 1, 1, 1, 1, 0])
    np.testing.assert_array_equal(est.core_sample_indices_, [1, 2, 3, 4, 5, 6])
    # swap the order: now R grows first and keeps b
    X2 = np.array(right + left + [5.0])[:, None]
    est2 = assert_same_as_sklearn(X2, eps=1.0, min_samples=4)
    assert est2.labels_[8] == 0


@pytest.mark.tiny
def test_clusters_numbered_by_smallest_core_not_smallest_member():
    # index 0 is a border point of the cluster whose first core comes last
    X = np.array([[7.0], [3.0], [3.5], [4.0], [2.5], [6.0], [6.5], [5.5], [20.0]])
    est = assert_same_as_sklearn(X, eps=1.0, min_samples=4)
    assert est.labels_[1] == 0 and est.labels_[5] == 1 and est.labels_[0] == 1
    assert est.labels_[8] == -1


def test_border_rule_random_adversarial():
    """Many border points within eps of two or more clusters."""
    rng = np.random.RandomState(11)
    for _trial in range(20):
        centres = rng.rand(6, 2) * 3
        X = np.vstack([c + rng.randn(25, 2) * 0.12 for c in centres])
        X = np.vstack([X, rng.rand(80, 2) * 3])[rng.permutation(230)]
        for eps, ms in [(0.25, 8), (0.3, 12), (0.4, 15)]:
            est = assert_same_as_sklearn(X, eps=eps, min_samples=ms)
            core, labels = reference_dbscan(X, eps, ms)
            np.testing.assert_array_equal(est.labels_, labels)
            np.testing.assert_array_equal(est.core_sample_indices_, core)


# ---------------------------------------------------------------------------
# hypothesis: every metric, both searches
# ---------------------------------------------------------------------------
@st.composite
def dyadic_problems(draw):
    n = draw(st.integers(1, 50))
    d = draw(st.integers(1, 5))
    values = st.integers(-8, 8).map(lambda v: v / 4)
    X = np.array(draw(st.lists(values, min_size=n * d, max_size=n * d))).reshape(n, d)
    eps = draw(st.sampled_from([0.25, 0.5, 0.75, 1.0, 1.25, 2.0]))
    min_samples = draw(st.integers(1, 8))
    weights = None
    if draw(st.booleans()):
        weights = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), float)
        if not weights.any():
            weights[0] = 1.0
    algorithm = draw(st.sampled_from(["auto", "brute", "kd_tree"]))
    return X, eps, min_samples, weights, algorithm


@pytest.mark.parametrize("metric,extra", METRICS, ids=[f"{m}{e}" for m, e in METRICS])
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=dyadic_problems())
def test_hypothesis_matches_sklearn(metric, extra, problem):
    X, eps, min_samples, weights, algorithm = problem
    if metric == "cosine" and algorithm == "kd_tree":
        algorithm = "auto"
    assert_same_as_sklearn(
        X,
        sample_weight=weights,
        eps=eps,
        min_samples=min_samples,
        metric=metric,
        algorithm=algorithm,
        **extra,
    )


@settings(max_examples=25, deadline=None)
@given(problem=dyadic_problems(), dim_scale=st.sampled_from([1.0, 3.0]))
def test_hypothesis_grid_equals_blocks_equals_reference(problem, dim_scale):
    X, eps, min_samples, weights, _ = problem
    X = X * dim_scale
    w = np.ones(X.shape[0]) if weights is None else weights
    core_g, labels_g, _ = D.grid_dbscan(X, eps, min_samples, w)
    test = D._PairTest(X, eps, "direct")
    core_b, labels_b = D.blocked_dbscan(test, X.shape[0], min_samples, w)
    ref_core, ref_labels = reference_dbscan(X, eps, min_samples, w)
    np.testing.assert_array_equal(np.flatnonzero(core_g), ref_core)
    np.testing.assert_array_equal(labels_g, ref_labels)
    np.testing.assert_array_equal(np.flatnonzero(core_b), ref_core)
    np.testing.assert_array_equal(labels_b, ref_labels)


@pytest.mark.parametrize("d", [1, 2, 3, 4, 5])
def test_continuous_data_every_dimension(d, dtype):
    rng = np.random.RandomState(d)
    X = (rng.randn(700, d) * [1.0, 0.5, 2.0, 1.0, 1.0, 1.0][:d]).astype(dtype)
    eps = 0.25 * np.sqrt(d)
    for ms in (3, 10):
        assert_same_as_sklearn(X, eps=eps, min_samples=ms)
        assert_same_as_sklearn(X, eps=eps, min_samples=ms, metric="manhattan")


def test_float32_blobs(dtype):
    X, _ = make_blobs(2000, 2, centers=6, random_state=0)
    est = assert_same_as_sklearn(X.astype(dtype), eps=0.3, min_samples=10)
    assert est.components_.dtype == dtype


def test_small_blocks_give_same_answer(monkeypatch):
    """Many tiny blocks (the 1M-point path) equal one big block."""
    X = load_digits().data[:500]
    expected = DBSCAN(eps=22.0, min_samples=4).fit(X)
    monkeypatch.setattr(D, "_BLOCK_ELEMENTS", 20_000)
    monkeypatch.setattr(D, "_KEEP_ELEMENTS", 0)
    got = DBSCAN(eps=22.0, min_samples=4).fit(X)
    np.testing.assert_array_equal(got.labels_, expected.labels_)
    got = DBSCAN(eps=22.0, min_samples=4, metric="cosine").fit(X)
    monkeypatch.undo()
    np.testing.assert_array_equal(
        got.labels_, DBSCAN(eps=22.0, min_samples=4, metric="cosine").fit(X).labels_
    )


def _jittered_digits(n):
    rng = np.random.RandomState(3)
    base = load_digits().data
    return np.vstack([base, base + rng.rand(*base.shape)])[:n]


@pytest.mark.parametrize("keep", [True, False])
@pytest.mark.parametrize("dtype_name", ["float64", "float32"])
def test_gemm_strips_match_sklearn(monkeypatch, keep, dtype_name):
    """The upper-triangle strips (many rows, several column chunks, ragged
    ends), kept matrix or union-find passes, equal scikit-learn."""
    X = _jittered_digits(1100).astype(dtype_name)
    monkeypatch.setattr(D, "_STRIP_ROWS", 130)
    monkeypatch.setattr(D, "_BLOCK_ELEMENTS", 130 * 300)
    if not keep:
        monkeypatch.setattr(D, "_KEEP_ELEMENTS", 0)
    for eps, ms in [(18.0, 5), (22.0, 12), (26.0, 40)]:
        assert_same_as_sklearn(X, eps=eps, min_samples=ms)
    w = np.random.RandomState(0).randint(0, 4, X.shape[0]) / 2.0
    assert_same_as_sklearn(X, sample_weight=w, eps=20.0, min_samples=6)


def test_gemm_strips_threads_and_paths_agree(monkeypatch):
    """1 and 2 threads, kept matrix and union-find passes: the same labels."""
    X = _jittered_digits(1500)
    expected = DBSCAN(eps=21.0, min_samples=6).fit(X)
    monkeypatch.setattr(D, "_STRIP_ROWS", 200)
    for keep in (1 << 26, 0):
        monkeypatch.setattr(D, "_KEEP_ELEMENTS", keep)
        for threads in (1, 2):
            with num_threads(threads):
                got = DBSCAN(eps=21.0, min_samples=6).fit(X)
            np.testing.assert_array_equal(got.labels_, expected.labels_)
            np.testing.assert_array_equal(got.core_sample_indices_, expected.core_sample_indices_)


def _asymmetric_eps(X):
    """An eps at which some pair is within eps in one direction only, or None.

    The test of ``(i, j)`` adds ``|x_i|^2`` first, that of ``(j, i)`` adds
    ``|x_j|^2`` first (scikit-learn's order): the two sums can differ in the
    last bit. An eps whose square falls between them makes the relation
    asymmetric.
    """
    X64 = np.asarray(X, dtype=np.float64)
    sq = np.einsum("ij,ij->i", X64, X64)
    middle = -2.0 * D._product(X64, X64)
    forward = (sq[:, None] + middle) + sq[None, :]
    backward = forward.T
    i, j = np.nonzero(np.triu(forward != backward, 1))
    for a, b in zip(i, j, strict=True):
        if a // 128 == b // 128:
            continue  # wanted: a pair across two 128-row strips (it is in one 512-row strip)
        lo, hi = sorted((forward[a, b], backward[a, b]))
        eps = np.sqrt(lo)
        for _ in range(4):
            if lo <= eps * eps < hi:
                return float(eps)
            eps = np.nextafter(eps, np.inf) if eps * eps < lo else np.nextafter(eps, 0.0)
    return None


@pytest.mark.parametrize("strip_rows", [512, 128])
def test_gemm_asymmetric_pair_takes_the_general_route(monkeypatch, strip_rows):
    """When rounding makes a pair within eps one way only, the upper-triangle
    route declines (it needs a symmetric relation) and the general route
    still gives scikit-learn's labels. With 512-row strips the pair lies in
    one row block, with 128-row strips in two (both checks are exercised)."""
    rng = np.random.RandomState(7)
    X = rng.rand(300, 20) * 3.0
    eps = _asymmetric_eps(X)
    assert eps is not None, "no asymmetric pair in this data: pick another seed"
    monkeypatch.setattr(D, "_STRIP_ROWS", strip_rows)
    X64 = np.ascontiguousarray(X)
    sq = np.einsum("ij,ij->i", X64, X64)
    for min_samples in (1, 2, 3):
        assert D._gemm_upper(X64, sq, eps * eps, min_samples, np.ones(len(X))) is None
        assert_same_as_sklearn(X, eps=eps, min_samples=min_samples)


@pytest.mark.parametrize(
    "eps, min_samples", [(16.0, 3), (20.0, 5), (25.0, 10), (30.0, 30), (40.0, 30)]
)
def test_gemm_upper_route_equals_general_route(monkeypatch, eps, min_samples):
    """Upper triangle only (symmetric relation) and the kept full matrix:
    the same core points and labels, here with several strips and a ragged end."""
    X = _jittered_digits(1300)
    monkeypatch.setattr(D, "_STRIP_ROWS", 128)
    upper = DBSCAN(eps=eps, min_samples=min_samples).fit(X)
    # uneven weights, not dyadic: the weighted sizes must be the same sums, to the bit
    weights = np.random.RandomState(1).uniform(0.1, 1.9, X.shape[0])
    upper_w = DBSCAN(eps=eps, min_samples=min_samples).fit(X, sample_weight=weights)
    monkeypatch.setattr(D, "_gemm_upper", lambda *args: None)
    general = DBSCAN(eps=eps, min_samples=min_samples).fit(X)
    np.testing.assert_array_equal(upper.core_sample_indices_, general.core_sample_indices_)
    np.testing.assert_array_equal(upper.labels_, general.labels_)
    assert upper.labels_.max() >= 0
    general_w = DBSCAN(eps=eps, min_samples=min_samples).fit(X, sample_weight=weights)
    np.testing.assert_array_equal(upper_w.core_sample_indices_, general_w.core_sample_indices_)
    np.testing.assert_array_equal(upper_w.labels_, general_w.labels_)


# ---------------------------------------------------------------------------
# precomputed distances
# ---------------------------------------------------------------------------
def test_precomputed_matches_sklearn(dtype):
    X, _ = make_blobs(300, 2, centers=3, random_state=4)
    Dm = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1)).astype(dtype)
    for eps in (0.3, 0.5, np.float64(0.5), 1):
        est = assert_same_as_sklearn(Dm, eps=eps, min_samples=5, metric="precomputed")
        assert est.n_features_in_ == 300


@pytest.mark.tiny
def test_precomputed_float32_eps_rounding():
    # 0.3 in float32 is above 0.3 in float64: scikit-learn compares in float32
    Dm = np.array([[0, 0.3], [0.3, 0]], dtype=np.float32)
    assert_same_as_sklearn(Dm, eps=0.3, min_samples=2, metric="precomputed")
    assert_same_as_sklearn(Dm, eps=np.float64(0.3), min_samples=2, metric="precomputed")


@pytest.mark.tiny
def test_cosine_zero_vectors():
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 0.1], [0.0, 1.0]])
    for eps in (0.5, 1.0):
        assert_same_as_sklearn(X, eps=eps, min_samples=1, metric="cosine")
        assert_same_as_sklearn(X, eps=eps, min_samples=2, metric="cosine")


def test_functional_dbscan_matches_sklearn():
    X, _ = make_blobs(300, 3, centers=3, random_state=8)
    core, labels = dbscan(X, eps=0.8, min_samples=4)
    sk_core, sk_labels = sk_cluster.dbscan(X, eps=0.8, min_samples=4)
    np.testing.assert_array_equal(core, sk_core)
    np.testing.assert_array_equal(labels, sk_labels)
    core, labels = dbscan(X, 0.8, min_samples=4, metric="minkowski", p=1)
    sk_core, sk_labels = sk_cluster.dbscan(X, 0.8, min_samples=4, metric="minkowski", p=1)
    np.testing.assert_array_equal(labels, sk_labels)


@pytest.mark.tiny
def test_no_core_points_and_single_point():
    est = assert_same_as_sklearn(np.array([[0.0, 0.0], [5.0, 5.0]]), eps=1.0, min_samples=3)
    assert est.components_.shape == (0, 2) and est.components_.dtype == np.float64
    assert_same_as_sklearn(np.array([[1.0, 2.0]]), eps=1.0, min_samples=1)


# ---------------------------------------------------------------------------
# the automatic choice of search
# ---------------------------------------------------------------------------
@pytest.mark.tiny
def test_path_choice():
    rng = np.random.RandomState(0)
    X2 = rng.rand(30, 2)
    assert DBSCAN(eps=0.2, trace=True).fit(X2).trace_.path == "grid"
    assert DBSCAN(eps=0.2, trace=True, algorithm="brute").fit(X2).trace_.path == "blocks"
    assert DBSCAN(eps=0.2, trace=True).fit(X2[:10]).trace_.path == "blocks"  # as sklearn: brute
    X = rng.rand(30, D.GRID_MAX_FEATURES + 1)
    assert DBSCAN(eps=0.2, trace=True).fit(X).trace_.path == "blocks"
    # a grid too fine for 64-bit cell keys falls back to blocks
    Xw = np.array([[0.0] * 3, [1e7] * 3] * 15) + rng.rand(30, 3) * 1e-3
    est = DBSCAN(eps=1e-6, min_samples=1, trace=True).fit(Xw)
    assert est.trace_.path == "blocks"
    assert est.labels_.max() == 29


# ---------------------------------------------------------------------------
# the trace
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["auto", "brute"])
def test_trace_records_roles_and_growth(algorithm):
    X, _ = make_blobs(200, 2, centers=3, cluster_std=0.6, random_state=2)
    X = np.vstack([X, np.random.RandomState(0).rand(30, 2) * 20 - 10])
    est = DBSCAN(eps=0.4, min_samples=5, trace=True, algorithm=algorithm).fit(X)
    tr = est.trace_
    core = np.zeros(len(X), bool)
    core[est.core_sample_indices_] = True
    np.testing.assert_array_equal(tr.role == 2, core)
    np.testing.assert_array_equal(tr.role == 0, est.labels_ == -1)
    np.testing.assert_array_equal(tr.role == 1, (est.labels_ >= 0) & ~core)
    k = est.labels_.max() + 1
    assert tr.seeds.shape == (k,) and tr.cluster_ptr.shape == (k + 1,)
    for c in range(k):
        members = tr.order[tr.cluster_ptr[c] : tr.cluster_ptr[c + 1]]
        np.testing.assert_array_equal(np.sort(members), np.flatnonzero(est.labels_ == c))
        assert members[0] == tr.seeds[c] == np.flatnonzero(core & (est.labels_ == c))[0]
        for i in members[1:]:  # reached from a core point within eps, one hop further
            j = tr.parent[i]
            assert core[j] and np.linalg.norm(X[i] - X[j]) <= 0.4
            assert tr.depth[i] == tr.depth[j] + 1
    assert np.all(tr.depth[est.labels_ == -1] == -1)
    assert not hasattr(DBSCAN(eps=0.4).fit(X), "trace_")


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------
BAD_PARAMS = [
    ({"eps": 0.0}, "The 'eps' parameter of DBSCAN must be a float in the range \\(0.0, inf\\)"),
    ({"eps": -1.0}, "'eps' parameter"),
    ({"min_samples": 0}, "The 'min_samples' parameter of DBSCAN must be an int in the range"),
    ({"min_samples": 2.5}, "'min_samples' parameter"),
    ({"metric": "unknown"}, "The 'metric' parameter of DBSCAN must be a str among"),
    ({"metric": "braycurtis"}, "'metric' parameter"),
    ({"algorithm": "octree"}, "'algorithm' parameter"),
    ({"leaf_size": 0}, "'leaf_size' parameter"),
    ({"p": -1}, "'p' parameter"),
    ({"n_jobs": 1.5}, "'n_jobs' parameter"),
    ({"metric_params": [1]}, "'metric_params' parameter"),
]


@pytest.mark.tiny
@pytest.mark.parametrize("params,match", BAD_PARAMS)
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        DBSCAN(**params).fit(np.zeros((5, 2)))


@pytest.mark.tiny
def test_bad_data_and_weights():
    X = np.random.RandomState(0).rand(12, 2)
    with pytest.raises(ValueError, match="Precomputed matrix must be square"):
        DBSCAN(metric="precomputed").fit(X)
    with pytest.raises(ValueError, match="Negative values in data passed to"):
        DBSCAN(metric="precomputed").fit(-np.ones((4, 4)))
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(3,\), expected \(12,\)"):
        DBSCAN().fit(X, sample_weight=[1, 2, 3])
    with pytest.raises(ValueError, match="Negative values in data passed to sample_weight"):
        DBSCAN().fit(X, sample_weight=-np.ones(12))
    with pytest.raises(ValueError, match="at least one non-zero"):
        DBSCAN().fit(X, sample_weight=np.zeros(12))
    with pytest.raises(ValueError, match="NaN"):
        DBSCAN().fit(np.array([[0.0, np.nan], [1.0, 1.0]]))
    with pytest.raises(ValueError, match="infinity"):
        DBSCAN().fit(np.array([[0.0, np.inf], [1.0, 1.0]]))
    with pytest.raises(ValueError, match="NaN"):
        DBSCAN().fit(X, sample_weight=np.r_[np.nan, np.ones(11)])
    with pytest.raises(ValueError, match="2D array"):
        DBSCAN().fit(np.ones(5))
    with pytest.raises(TypeError, match="needs a power"):
        DBSCAN(metric="minkowski").fit(X)
    with pytest.raises(ValueError, match="not supported"):
        DBSCAN(metric="minkowski", p=2, metric_params={"w": [1, 2]}).fit(X)
    with pytest.raises(ValueError, match="not valid for algorithm='kd_tree'"):
        DBSCAN(metric="cosine", algorithm="kd_tree").fit(X)
    with pytest.raises(ValueError, match="does not support 0 < p < 1"):
        DBSCAN(metric="minkowski", p=0.5, algorithm="ball_tree").fit(X)
    with pytest.warns(UserWarning, match="0 < p < 1"):
        DBSCAN(metric="minkowski", p=0.5).fit(X)
    with pytest.warns(SyntaxWarning, match="p is found in metric_params"):
        DBSCAN(metric="minkowski", p=2, metric_params={"p": 1}).fit(X)


@pytest.mark.tiny
def test_minkowski_below_one_matches_sklearn():
    X = np.round(np.random.RandomState(1).rand(30, 2) * 8) / 8
    with pytest.warns(UserWarning):
        assert_same_as_sklearn(X, eps=0.3, min_samples=3, metric="minkowski", p=0.5)


# ---------------------------------------------------------------------------
# invariants and the estimator contract
# ---------------------------------------------------------------------------
def test_inputs_not_mutated(dtype):
    X = np.random.RandomState(0).rand(300, 2).astype(dtype)
    w = np.random.RandomState(1).rand(300).astype(dtype)
    X0, w0 = X.copy(), w.copy()
    for metric in ("euclidean", "cosine", "manhattan"):
        DBSCAN(eps=0.1, min_samples=3, metric=metric).fit(X, sample_weight=w)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(w, w0)


def test_one_and_two_threads_identical():
    X, _ = make_blobs(5000, 2, centers=8, random_state=0)
    Xh = load_digits().data[:800]
    results = []
    for threads in (1, 2):
        with num_threads(threads):
            a = DBSCAN(eps=0.3, min_samples=10).fit(X)
            b = DBSCAN(eps=22.0, min_samples=4, metric="manhattan", algorithm="brute").fit(Xh)
            results.append((a.labels_, a.core_sample_indices_, b.labels_))
    for x, y in zip(*results, strict=True):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(
        DBSCAN(eps=0.3, min_samples=10, n_jobs=1).fit(X).labels_, results[0][0]
    )
    np.testing.assert_array_equal(
        DBSCAN(eps=0.3, min_samples=10, n_jobs=-1).fit(X).labels_, results[0][0]
    )


def test_pickle_and_params():
    X, _ = make_blobs(200, 2, random_state=0)
    est = DBSCAN(eps=0.7, min_samples=4, trace=True).fit(X)
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.labels_, est.labels_)
    np.testing.assert_array_equal(again.trace_.order, est.trace_.order)
    assert repr(DBSCAN(eps=0.7)) == "DBSCAN(eps=0.7)"
    assert DBSCAN().get_params() == {
        "algorithm": "auto",
        "eps": 0.5,
        "leaf_size": 30,
        "metric": "euclidean",
        "metric_params": None,
        "min_samples": 5,
        "n_jobs": None,
        "p": None,
        "trace": False,
    }
    assert np.array_equal(DBSCAN(eps=0.7, min_samples=4).fit_predict(X), est.labels_)


def test_dataframe_feature_names():
    pd = pytest.importorskip("pandas")
    X, _ = make_blobs(100, 2, random_state=0)
    est = DBSCAN().fit(pd.DataFrame(X, columns=["a", "b"]))
    assert list(est.feature_names_in_) == ["a", "b"]


def test_check_estimator():
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(DBSCAN(), expected_failed_checks={})


def test_fits_without_sklearn_and_scipy(run_without_oracles):
    result = run_without_oracles(
        """
        import numpy as np
        from purecluster import DBSCAN, dbscan
        rng = np.random.RandomState(0)
        X = np.vstack([rng.randn(200, 2) * 0.2, rng.randn(200, 2) * 0.2 + 3])
        for kw in ({}, {"algorithm": "brute"}, {"metric": "cosine"}, {"metric": "manhattan"}):
            est = DBSCAN(eps=0.3, min_samples=5, trace=True, **kw).fit(X)
            print(est.labels_.max() + 1, est.trace_.path)
        X64 = rng.rand(300, 20)
        print(DBSCAN(eps=1.2, min_samples=3).fit(X64).labels_.max() + 1)
        D = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
        print(dbscan(D, eps=0.3, min_samples=5, metric="precomputed")[1].max() + 1)
        import sys
        assert "sklearn" not in sys.modules and "scipy" not in sys.modules
        """
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split()
    assert lines[:2] == ["2", "grid"] and lines[3] == "blocks"
