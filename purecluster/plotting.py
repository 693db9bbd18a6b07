"""Pictures for teaching: the only module of purecluster that imports matplotlib.

Every function draws onto axes it is given (or onto a new figure) and returns
what it drew, so a notebook can restyle, test or save the result.

Two families:

* the seminar's pictures — the data-set grid, the initial / true / predicted
  grid of :func:`plot_clusters`, a scatter with centroids, the confusion
  matrix, image grids of digits;
* the internals, drawn from an estimator's recorded ``trace_`` (never by
  refitting): k-means centroids moving, the dendrogram and merge sequence,
  DBSCAN's roles and cluster growth, GMM ellipses and the EM lower bound —
  each also as an animation.

Colours: cluster ``k`` is always drawn in ``palette[k % len(palette)]`` and
the noise label ``-1`` in its own grey, so the same cluster keeps its colour
from one picture to the next.
"""

from __future__ import annotations

import time

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap, to_rgba

__all__ = [
    "NOISE_COLOR",
    "SEMINAR_CMAP",
    "SEMINAR_COLORS",
    "label_colors",
    "plot_cluster_members",
    "plot_clusters",
    "plot_confusion_matrix",
    "plot_datasets",
    "plot_image_grid",
    "scatter",
    "scatter_with_centroids",
]

# The seminar's five colours, in its order, then more for larger k.
SEMINAR_COLORS = (
    "blue",
    "red",
    "green",
    "yellow",
    "purple",
    "orange",
    "cyan",
    "brown",
    "magenta",
    "olive",
)
SEMINAR_CMAP = ListedColormap(list(SEMINAR_COLORS[:5]))
NOISE_COLOR = "lightgray"


def label_colors(labels, palette=SEMINAR_COLORS, noise_color=NOISE_COLOR):
    """One RGBA colour per sample: cluster ``k`` → ``palette[k % len]``, noise ``-1`` → grey.

    Parameters
    ----------
    labels : array-like of int, shape (n_samples,)
    palette : sequence of matplotlib colours
    noise_color : matplotlib colour for label -1 (and any negative label)

    Returns
    -------
    ndarray of shape (n_samples, 4)
    """
    labels = np.asarray(labels).astype(np.int64)
    table = np.array([to_rgba(c) for c in palette])
    colors = table[np.mod(labels, len(table))]
    colors[labels < 0] = to_rgba(noise_color)
    return colors


def _axes(ax, figsize=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def scatter(X, labels=None, *, ax=None, title=None, s=12):
    """Scatter the first two columns of ``X``, coloured by ``labels`` when given.

    Parameters
    ----------
    X : array-like of shape (n_samples, >=2)
    labels : array-like of shape (n_samples,) or None
        Cluster labels; ``-1`` (noise) is drawn in grey.
    ax : matplotlib Axes or None
        Drawn on a new figure's axes when None.
    title : str or None
    s : float
        Marker size.

    Returns
    -------
    matplotlib.collections.PathCollection
    """
    X = np.asarray(X)
    ax = _axes(ax)
    if labels is None:
        points = ax.scatter(X[:, 0], X[:, 1], s=s)
    else:
        points = ax.scatter(X[:, 0], X[:, 1], c=label_colors(labels), s=s)
    if title is not None:
        ax.set_title(title)
    ax.set_xlabel("$X_1$")
    ax.set_ylabel("$X_2$")
    ax.grid(True)
    return points


def scatter_with_centroids(X, labels, centers, *, ax=None, title=None):
    """The seminar's k-means picture: points by cluster, centroids as white discs.

    Returns
    -------
    points, centroids : two PathCollections
    """
    ax = _axes(ax, figsize=(6, 4))
    points = scatter(X, labels, ax=ax, title=title)
    centers = np.asarray(centers)
    centroids = ax.scatter(
        centers[:, 0],
        centers[:, 1],
        marker="o",
        s=80,
        color="white",
        linewidth=3,
        edgecolors="black",
        zorder=5,
    )
    return points, centroids


def plot_datasets(datasets, *, figsize=(14, 6)):
    """The seminar's grid: each data set alone (top row) and with its true labels.

    Parameters
    ----------
    datasets : list of (name, (X, y))
        For example :func:`purecluster.datasets.seminar_datasets`.
    figsize : tuple, default=(14, 6)

    Returns
    -------
    fig : matplotlib Figure
    axes : ndarray of Axes, shape (2, len(datasets))
    """
    fig, axes = plt.subplots(2, len(datasets), figsize=figsize, squeeze=False)
    for column, (name, (X, y)) in enumerate(datasets):
        scatter(X, ax=axes[0, column], title=f"{name}: initial")
        scatter(X, y, ax=axes[1, column], title=f"{name}: true labels")
    fig.tight_layout()
    return fig, axes


def _predicted_labels(model, X):
    if hasattr(model, "labels_"):
        return model.labels_
    if hasattr(model, "predict"):
        return model.predict(X)
    raise TypeError(f"{type(model).__name__} has neither labels_ nor predict")


def plot_clusters(models, datasets, *, figsize=(14, 9)):
    """Fit one model per data set and draw the seminar's 3-row grid.

    Rows: the data alone, the true labels, the predicted labels (noise in
    grey). Each model is fitted here, once, to its data set, and the fit time
    goes into the returned summary.

    Parameters
    ----------
    models : list of estimators, one per data set
    datasets : list of (name, (X, y))
    figsize : tuple, default=(14, 9)

    Returns
    -------
    fig : matplotlib Figure
    axes : ndarray of Axes, shape (3, len(datasets))
    summary : list of dict
        Per data set: ``name``, ``model``, ``labels``, ``n_clusters``
        (clusters found, noise excluded), ``fit_seconds``.
    """
    if len(models) != len(datasets):
        raise ValueError(
            f"plot_clusters needs one model per data set: got {len(models)} models "
            f"for {len(datasets)} data sets."
        )
    fig, axes = plt.subplots(3, len(datasets), figsize=figsize, squeeze=False)
    summary = []
    for column, (model, (name, (X, y))) in enumerate(zip(models, datasets, strict=True)):
        start = time.perf_counter()
        model.fit(X)
        seconds = time.perf_counter() - start
        predicted = np.asarray(_predicted_labels(model, X))
        scatter(X, ax=axes[0, column], title=f"{name}: initial")
        scatter(X, y, ax=axes[1, column], title=f"{name}: true labels")
        scatter(X, predicted, ax=axes[2, column], title=f"{name}: pred labels")
        summary.append(
            {
                "name": name,
                "model": model,
                "labels": predicted,
                "n_clusters": int(np.unique(predicted[predicted >= 0]).size),
                "fit_seconds": seconds,
            }
        )
    fig.tight_layout()
    return fig, axes, summary


def plot_confusion_matrix(
    labels_true,
    labels_pred,
    classes=None,
    *,
    normalize=False,
    figsize=(8, 8),
    ax=None,
    cmap="Blues",
    title=None,
):
    """Draw the contingency table of two labelings as an annotated image.

    Rows are the true classes, columns the predicted labels (clusters, or
    classes after :func:`purecluster.metrics.match_labels`).

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
    classes : array-like or None
        Tick labels for both axes, as in the seminar's helper; by default the
        sorted unique labels of each axis.
    normalize : bool, default=False
        Divide each row by its total, so each true class sums to 1.
    figsize : tuple, default=(8, 8)
        Used when ``ax`` is None.
    ax : matplotlib Axes or None
    cmap : colormap name or object
    title : str or None

    Returns
    -------
    image : matplotlib AxesImage
    matrix : ndarray
        The counts (or row fractions) drawn.
    """
    labels_true = np.asarray(labels_true)
    labels_pred = np.asarray(labels_pred)
    if labels_true.shape != labels_pred.shape or labels_true.ndim != 1:
        raise ValueError(
            "labels_true and labels_pred must be 1-D and of the same length; got shapes "
            f"{labels_true.shape} and {labels_pred.shape}."
        )
    rows, row_index = np.unique(labels_true, return_inverse=True)
    cols, col_index = np.unique(labels_pred, return_inverse=True)
    if classes is not None:
        # the seminar passes one list of classes for both axes: use it for
        # whichever axis it covers, so empty classes/clusters still get a row
        classes = np.asarray(classes)
        if np.isin(rows, classes).all():
            rows, row_index = classes, np.searchsorted(classes, labels_true)
        if np.isin(cols, classes).all():
            cols, col_index = classes, np.searchsorted(classes, labels_pred)
    matrix = np.zeros((len(rows), len(cols)), dtype=np.int64)
    np.add.at(matrix, (row_index, col_index), 1)
    if normalize:
        totals = matrix.sum(axis=1, keepdims=True)
        matrix = matrix / np.where(totals == 0, 1, totals)

    ax = _axes(ax, figsize=figsize)
    image = ax.imshow(matrix, interpolation="nearest", cmap=cmap)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    ax.set_xticks(range(len(cols)), [str(c) for c in cols])
    ax.set_yticks(range(len(rows)), [str(r) for r in rows])
    ax.set_xlabel("Predicted label")
    ax.set_ylabel("True label")
    ax.set_title(title or ("Normalized confusion matrix" if normalize else "Confusion matrix"))
    threshold = matrix.max() / 2.0 if matrix.size else 0
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            value = matrix[i, j]
            text = f"{value:.2f}" if normalize else f"{value:d}"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if value > threshold else "black",
            )
    return image, matrix


def plot_image_grid(images, *, titles=None, ncols=None, figsize=(14, 4), shape=(8, 8), cmap=None):
    """Show flattened or 2-D images side by side (cluster centres, digits...).

    Parameters
    ----------
    images : array-like of shape (n, h, w) or (n, h*w)
        Rows of length ``h*w`` are reshaped to ``shape``.
    titles : list of str or None
    ncols : int or None
        Images per row; all on one row by default.
    figsize : tuple
    shape : tuple, default=(8, 8)
    cmap : colormap or None

    Returns
    -------
    fig : Figure
    axes : ndarray of Axes, shape (n,)
    """
    images = np.asarray(images)
    if images.ndim == 2:
        images = images.reshape(len(images), *shape)
    n = len(images)
    ncols = n if ncols is None else ncols
    nrows = int(np.ceil(n / ncols)) if n else 1
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False)
    axes = axes.ravel()
    for i, ax in enumerate(axes):
        ax.axis("off")
        if i < n:
            ax.imshow(images[i], cmap=cmap)
            if titles is not None:
                ax.set_title(str(titles[i]))
    return fig, axes[:n]


def plot_cluster_members(
    images, labels, cluster, *, n_images=10, random_state=None, figsize=(14, 4)
):
    """Show ``n_images`` members of one cluster, chosen at random without replacement.

    The choice uses ``RandomState(random_state).choice(members, n_images,
    replace=False)``, as the seminar does after ``np.random.seed``, so the
    same seed shows the same images.

    Returns
    -------
    fig : Figure
    axes : ndarray of Axes
    chosen : ndarray of int
        The indices of the images shown.
    """
    labels = np.asarray(labels)
    members = np.flatnonzero(labels == cluster)
    if members.size == 0:
        raise ValueError(f"Cluster {cluster!r} has no members.")
    rng = np.random.RandomState(random_state)
    chosen = rng.choice(members, min(n_images, members.size), replace=False)
    fig, axes = plot_image_grid(
        np.asarray(images)[chosen], titles=[str(i) for i in chosen], figsize=figsize
    )
    return fig, axes, chosen
