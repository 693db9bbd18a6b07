"""``python -m purecluster demo``: the seminar's figures, made on built-in data.

Every figure of the seminar is drawn into one folder, and the models of its
"different data sets" grids are summarised in a table: clusters found, the
adjusted Rand index against the true labels, and the fit time.
"""

from __future__ import annotations

import os
import time

import numpy as np

RANDOM_STATE = 12345


def seminar_models():
    """The seminar's four rows of models, one model per data set."""
    from . import DBSCAN, AgglomerativeClustering, GaussianMixture, KMeans

    def kmeans(k):
        return KMeans(
            n_clusters=k, max_iter=300, init="random", random_state=RANDOM_STATE, n_init=1
        )

    return {
        "KMeans": [kmeans(k) for k in (3, 5, 2, 2, 2)],
        "AgglomerativeClustering": [
            AgglomerativeClustering(n_clusters=3, metric="euclidean", linkage="average"),
            AgglomerativeClustering(n_clusters=5, metric="euclidean", linkage="complete"),
            AgglomerativeClustering(n_clusters=2, metric="euclidean", linkage="single"),
            AgglomerativeClustering(n_clusters=2, metric="euclidean", linkage="single"),
            AgglomerativeClustering(n_clusters=2, metric="euclidean", linkage="average"),
        ],
        "DBSCAN": [
            DBSCAN(min_samples=4, eps=0.5, metric="euclidean"),
            DBSCAN(min_samples=4, eps=0.5, metric="euclidean"),
            DBSCAN(min_samples=10, eps=0.2, metric="euclidean"),
            DBSCAN(min_samples=4, eps=0.3, metric="euclidean"),
            DBSCAN(min_samples=4, eps=0.3, metric="euclidean"),
        ],
        # the seminar leaves random_state unset here; the demo fixes it
        "GaussianMixture": [
            GaussianMixture(n_components=k, n_init=10, random_state=RANDOM_STATE)
            for k in (3, 5, 2, 2, 2)
        ],
    }


class _Writer:
    """Saves figures and animations into ``out_dir`` and remembers what it wrote."""

    def __init__(self, out_dir, animations):
        self.out_dir = out_dir
        self.animations = animations
        self.written = []
        os.makedirs(out_dir, exist_ok=True)

    def figure(self, fig, name):
        import matplotlib.pyplot as plt

        path = os.path.join(self.out_dir, name)
        fig.savefig(path, dpi=90)
        plt.close(fig)
        self.written.append(path)

    def animation(self, ani, name):
        import matplotlib.pyplot as plt

        if self.animations:
            path = os.path.join(self.out_dir, name)
            ani.save(path, writer="pillow")
            self.written.append(path)
        plt.close("all")


def _kmeans_figures(w, datasets):
    from . import KMeans, plotting

    X = datasets[1][1][0]
    model = KMeans(n_clusters=5, max_iter=100, init="random", n_init=10, random_state=10).fit(X)
    points, _ = plotting.scatter_with_centroids(
        X, model.labels_, model.cluster_centers_, title="Number of clusters: 5"
    )
    w.figure(points.figure, "kmeans_blobs.png")
    init = np.asarray([[2, 2], [1, 1], [3, 3], [4, 4], [5, 5]], dtype=float)
    traced = KMeans(5, init=init, n_init=1, random_state=RANDOM_STATE, trace=True).fit(X)
    drawn = plotting.plot_kmeans_trace(X, traced.trace_)
    w.figure(drawn["points"].figure, "kmeans_iterations.png")
    w.animation(plotting.animate_kmeans(X, traced.trace_), "kmeans_iterations.gif")


def _internals_figures(w, datasets):
    from . import DBSCAN, AgglomerativeClustering, GaussianMixture, plotting

    blobs, moons = datasets[1][1][0], datasets[2][1][0]
    tree = AgglomerativeClustering(n_clusters=5, linkage="complete", compute_full_tree=True)
    tree.fit(blobs)
    drawn = plotting.plot_dendrogram(tree, truncate_lastp=30)
    w.figure(drawn["links"].figure, "agglomerative_dendrogram.png")
    w.animation(plotting.animate_agglomerative(blobs, tree), "agglomerative_merges.gif")

    density = DBSCAN(min_samples=10, eps=0.2, trace=True).fit(moons)
    drawn = plotting.plot_dbscan_roles(moons, density.trace_)
    w.figure(drawn["core"].figure, "dbscan_roles.png")
    w.animation(plotting.animate_dbscan(moons, density.trace_), "dbscan_growth.gif")

    # a random start (one data point per component) leaves EM more to do than k-means' start
    mixture = GaussianMixture(
        n_components=5, init_params="random_from_data", random_state=0, trace=True
    ).fit(blobs)
    fig, _ = plotting.plot_gmm_trace(blobs, mixture.trace_)
    w.figure(fig, "gmm_em.png")
    w.animation(plotting.animate_gmm(blobs, mixture.trace_), "gmm_em.gif")


def _digits_figures(w):
    import matplotlib.pyplot as plt

    from . import GaussianMixture, KMeans, plotting
    from .datasets import load_digits
    from .metrics import match_labels

    digits = load_digits()
    X = digits.images.reshape(len(digits.images), -1)
    truth = digits.target
    model = KMeans(n_clusters=10, n_init=10, random_state=RANDOM_STATE).fit(X)
    predicted = model.labels_
    fig, _ = plotting.plot_image_grid(model.cluster_centers_, titles=list(range(10)))
    w.figure(fig, "digits_kmeans_centers.png")

    fig, axes = plt.subplots(10, 10, figsize=(10, 11))
    for label in range(10):
        members = np.flatnonzero(predicted == label)
        rng = np.random.RandomState(RANDOM_STATE)
        chosen = rng.choice(members, min(10, members.size), replace=False)
        for i, ax in enumerate(axes[label]):
            ax.axis("off")
            if i < len(chosen):
                ax.imshow(digits.images[chosen[i]])
                ax.set_title(str(chosen[i]), fontsize=7)
    fig.suptitle("Ten members of each k-means cluster (one row per cluster)")
    w.figure(fig, "digits_kmeans_members.png")

    mismatched = np.flatnonzero((truth == 4) != (predicted == 8))
    rng = np.random.RandomState(RANDOM_STATE)
    chosen = rng.choice(mismatched, 10, replace=False)
    titles = [f"{i}\nTrue: {truth[i]}\nPred: {predicted[i]}" for i in chosen]
    fig, _ = plotting.plot_image_grid(digits.images[chosen], titles=titles)
    w.figure(fig, "digits_mistakes.png")

    for name, labels in (("", predicted), ("_matched", match_labels(truth, predicted))):
        image, _ = plotting.plot_confusion_matrix(truth, labels, np.arange(10), figsize=(8, 8))
        w.figure(image.figure, f"digits_kmeans_confusion{name}.png")

    mixture = GaussianMixture(n_components=20, n_init=10, random_state=RANDOM_STATE).fit(X)
    fig, _ = plotting.plot_image_grid(mixture.means_, titles=list(range(20)), figsize=(14, 3))
    w.figure(fig, "digits_gmm_means.png")
    labels = mixture.predict(X)
    image, _ = plotting.plot_confusion_matrix(truth, labels, np.arange(20), figsize=(8, 8))
    w.figure(image.figure, "digits_gmm_confusion.png")
    image, _ = plotting.plot_confusion_matrix(
        truth, match_labels(truth, labels), np.arange(10), figsize=(8, 8)
    )
    w.figure(image.figure, "digits_gmm_confusion_matched.png")
    features, _ = mixture.sample(n_samples=10)
    features = np.clip(features.astype("int8"), 0, 16)
    fig, _ = plotting.plot_image_grid(features)
    w.figure(fig, "digits_gmm_samples.png")


def run_demo(out_dir, *, animations=True):
    """Draw every seminar figure into ``out_dir``; print the summary; return the paths."""
    import matplotlib

    matplotlib.use("Agg")

    from . import plotting
    from .datasets import seminar_datasets
    from .metrics import adjusted_rand_score

    start = time.perf_counter()
    w = _Writer(out_dir, animations)
    datasets = seminar_datasets()
    fig, _ = plotting.plot_datasets(datasets)
    w.figure(fig, "datasets.png")
    _kmeans_figures(w, datasets)

    rows = []
    for family, models in seminar_models().items():
        fig, _, summary = plotting.plot_clusters(models, datasets)
        w.figure(fig, f"grid_{family}.png")
        for entry, (_, (_, y)) in zip(summary, datasets, strict=True):
            ari = round(adjusted_rand_score(y, entry["labels"]), 3) + 0.0  # no "-0.000"
            rows.append((family, entry["name"], entry["n_clusters"], ari, entry["fit_seconds"]))

    _internals_figures(w, datasets)
    _digits_figures(w)

    print(f"purecluster demo: the seminar on built-in data ({time.perf_counter() - start:.1f} s)")
    print()
    print("| model | data set | clusters found | ARI vs true labels | fit time |")
    print("|---|---|--:|--:|--:|")
    for family, name, found, ari, seconds in rows:
        print(f"| {family} | {name} | {found} | {ari:.3f} | {seconds * 1e3:.1f} ms |")
    print()
    print("(fit times include Numba compilation the first time a kernel runs in a fresh")
    print(" environment; `python -m purecluster warmup` compiles them ahead of time)")
    print()
    print(f"Wrote {len(w.written)} files to {os.path.abspath(out_dir)}:")
    for path in w.written:
        print(f"  {path}")
    return w.written
