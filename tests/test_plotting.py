"""What the plotting functions drew: points, colours, axes, frames.

Each test inspects the matplotlib objects returned, not pixels.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

from purecluster import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


class _FixedLabels:
    """A stand-in estimator: ``fit`` stores the labels it was given."""

    def __init__(self, labels):
        self._labels = np.asarray(labels)

    def fit(self, X):
        self.labels_ = self._labels
        return self


@pytest.mark.tiny
def test_label_colors_give_each_cluster_its_colour_and_noise_grey():
    colors = plotting.label_colors([0, 1, -1, 0, 5])
    assert tuple(colors[0]) == to_rgba("blue")
    assert tuple(colors[1]) == to_rgba("red")
    assert tuple(colors[2]) == to_rgba(plotting.NOISE_COLOR)
    assert tuple(colors[3]) == tuple(colors[0])
    assert tuple(colors[4]) == to_rgba(plotting.SEMINAR_COLORS[5])


def test_dataset_grid_has_two_rows_of_all_points(seminar_data):
    fig, axes = plotting.plot_datasets(seminar_data)
    assert axes.shape == (2, 5)
    for column, (name, (X, y)) in enumerate(seminar_data):
        top = axes[0, column].collections[0]
        bottom = axes[1, column].collections[0]
        assert len(top.get_offsets()) == len(X)
        np.testing.assert_allclose(bottom.get_offsets(), X)
        assert axes[0, column].get_title() == f"{name}: initial"
        distinct = {tuple(c) for c in bottom.get_facecolors()}
        assert len(distinct) == len(np.unique(y))


def test_plot_clusters_draws_three_rows_and_counts_noise_apart(seminar_data):
    data = seminar_data[:2]
    n = len(data[0][1][0])
    noisy = np.zeros(n, dtype=int)
    noisy[:10] = -1
    noisy[10:20] = 1
    models = [_FixedLabels(noisy), _FixedLabels(np.arange(len(data[1][1][0])) % 3)]
    fig, axes, summary = plotting.plot_clusters(models, data)
    assert axes.shape == (3, 2)
    assert [s["n_clusters"] for s in summary] == [2, 3]
    predicted = axes[2, 0].collections[0].get_facecolors()
    colours = {tuple(c) for c in predicted}
    assert colours == {to_rgba("blue"), to_rgba("red"), to_rgba(plotting.NOISE_COLOR)}
    assert axes[2, 1].get_title().endswith("pred labels")
    assert all(s["fit_seconds"] >= 0 for s in summary)


def test_plot_clusters_needs_one_model_per_dataset(seminar_data):
    with pytest.raises(ValueError, match="one model per data set"):
        plotting.plot_clusters([_FixedLabels([0])], seminar_data)


def test_scatter_with_centroids():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]])
    points, centroids = plotting.scatter_with_centroids(X, [0, 0, 1], [[0.5, 0.5], [5, 5]])
    assert len(points.get_offsets()) == 3
    np.testing.assert_allclose(centroids.get_offsets(), [[0.5, 0.5], [5, 5]])


def test_confusion_matrix_counts_and_normalises():
    true = [0, 0, 1, 1, 1, 2]
    pred = [1, 1, 0, 0, 1, 2]
    image, matrix = plotting.plot_confusion_matrix(true, pred, np.arange(3))
    np.testing.assert_array_equal(matrix, [[0, 2, 0], [2, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(image.get_array(), matrix)
    texts = [t.get_text() for t in image.axes.texts]
    assert len(texts) == 9 and texts[1] == "2"
    _, fractions = plotting.plot_confusion_matrix(true, pred, normalize=True)
    np.testing.assert_allclose(fractions.sum(axis=1), 1.0)


def test_confusion_matrix_keeps_empty_classes_from_the_list():
    _, matrix = plotting.plot_confusion_matrix([0, 0, 2], [0, 0, 2], classes=np.arange(4))
    assert matrix.shape == (4, 4)


def test_confusion_matrix_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="same length"):
        plotting.plot_confusion_matrix([0, 1], [0])


def test_image_grids_and_cluster_members():
    from purecluster.datasets import load_digits

    digits = load_digits()
    fig, axes = plotting.plot_image_grid(digits.data[:10], titles=list(range(10)))
    assert len(axes) == 10 and axes[3].get_title() == "3"
    assert axes[0].images[0].get_array().shape == (8, 8)
    labels = digits.target
    _, axes, chosen = plotting.plot_cluster_members(digits.images, labels, 4, random_state=12345)
    assert len(chosen) == 10 and np.all(labels[chosen] == 4)
    # the seminar's rule: np.random.seed(s) then np.random.choice(..., replace=False)
    np.random.seed(12345)
    expected = np.random.choice(np.flatnonzero(labels == 4), 10, replace=False)
    np.testing.assert_array_equal(chosen, expected)
    with pytest.raises(ValueError, match="no members"):
        plotting.plot_cluster_members(digits.images, labels, 99)


# ------------------------------------------------------------------ internals
def _gif_frames(animation, path):
    from PIL import Image

    animation.save(path, writer="pillow")
    with Image.open(path) as image:
        return image.n_frames


@pytest.fixture(scope="module")
def blobs2d():
    from purecluster.datasets import make_blobs

    return make_blobs(n_samples=150, centers=3, random_state=2)


def test_kmeans_trace_paths_and_animation(blobs2d, tmp_path):
    from purecluster import KMeans

    X, _ = blobs2d
    model = KMeans(3, init=np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]), n_init=1, trace=True)
    model.fit(X)
    centers = np.asarray(model.trace_["centers"])
    drawn = plotting.plot_kmeans_trace(X, model.trace_)
    assert len(drawn["paths"]) == 3
    np.testing.assert_allclose(drawn["paths"][1].get_xydata(), centers[:, 1, :])
    np.testing.assert_allclose(drawn["centroids"].get_offsets(), model.cluster_centers_)
    assert len({tuple(c) for c in drawn["points"].get_facecolors()}) == 3
    frames = _gif_frames(plotting.animate_kmeans(X, model.trace_), tmp_path / "k.gif")
    assert frames == model.n_iter_ + 1


def test_dbscan_roles_and_growth(tmp_path):
    from purecluster import DBSCAN
    from purecluster.datasets import make_moons

    X, _ = make_moons(200, noise=0.12, random_state=0)
    model = DBSCAN(eps=0.2, min_samples=8, trace=True).fit(X)
    drawn = plotting.plot_dbscan_roles(X, model.trace_)
    n_core = len(model.core_sample_indices_)
    n_noise = int((model.labels_ == -1).sum())
    assert len(drawn["core"].get_offsets()) == n_core
    assert len(drawn["noise"].get_offsets()) == n_noise
    assert len(drawn["border"].get_offsets()) == len(X) - n_core - n_noise
    np.testing.assert_array_equal(plotting._dbscan_labels(model.trace_, len(X)), model.labels_)
    assert (
        _gif_frames(plotting.animate_dbscan(X, model.trace_, n_frames=12), tmp_path / "d.gif") == 12
    )


def test_dendrogram_matches_scipys_leaf_order_and_truncation():
    hierarchy = pytest.importorskip("scipy.cluster.hierarchy")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 2))
    Z = hierarchy.linkage(X, "average")
    drawn = plotting.plot_dendrogram(Z)
    np.testing.assert_array_equal(drawn["leaves"], hierarchy.leaves_list(Z))
    assert len(drawn["links"].get_segments()) == 39
    np.testing.assert_allclose(np.sort(drawn["heights"]), np.sort(Z[:, 2]))
    truncated = plotting.plot_dendrogram(Z, truncate_lastp=8)
    expected = hierarchy.dendrogram(Z, truncate_mode="lastp", p=8, no_plot=True)["leaves"]
    assert truncated["leaves"] == expected


def test_dendrogram_of_a_fitted_model_and_merge_animation(blobs2d, tmp_path):
    from purecluster import AgglomerativeClustering

    X, _ = blobs2d
    model = AgglomerativeClustering(n_clusters=3, linkage="ward", compute_full_tree=True)
    model.fit(X)
    drawn = plotting.plot_dendrogram(model, truncate_lastp=10)
    assert len(drawn["leaves"]) == 10
    labels = plotting._labels_after_merges(model.linkage_matrix_, len(X) - 3)
    from purecluster.metrics import adjusted_rand_score

    assert adjusted_rand_score(labels, model.labels_) == 1.0
    frames = _gif_frames(plotting.animate_agglomerative(X, model, n_frames=10), tmp_path / "a.gif")
    assert 2 <= frames <= 10


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_gmm_ellipses_and_lower_bound(blobs2d, covariance_type, tmp_path):
    from purecluster import GaussianMixture

    X, _ = blobs2d
    model = GaussianMixture(
        3,
        covariance_type=covariance_type,
        init_params="random_from_data",
        random_state=0,
        trace=True,
    ).fit(X)
    fig, drawn = plotting.plot_gmm_trace(X, model.trace_)
    assert len(drawn["ellipses"]) == 3 * 2  # 1 and 2 standard deviations
    centres = np.array([e.center for e in drawn["ellipses"][::2]])
    np.testing.assert_allclose(centres, model.means_)
    np.testing.assert_allclose(drawn["bound"].get_ydata(), model.trace_.lower_bound)
    assert np.all(np.diff(model.trace_.lower_bound) >= -1e-9)  # EM never goes down
    if covariance_type == "full":
        frames = _gif_frames(plotting.animate_gmm(X, model.trace_), tmp_path / "g.gif")
        assert frames == len(model.trace_.means)


def test_tied_and_diag_need_the_type_when_ambiguous():
    with pytest.raises(ValueError, match="pass covariance_type"):
        plotting._component_covariances(np.eye(2), 2, 2)
    full = plotting._component_covariances(np.ones((2, 2)), 2, 2, "diag")
    np.testing.assert_array_equal(full[0], np.eye(2))
