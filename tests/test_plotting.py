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
