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
    "animate_agglomerative",
    "animate_dbscan",
    "animate_gmm",
    "animate_kmeans",
    "label_colors",
    "plot_cluster_members",
    "plot_clusters",
    "plot_confusion_matrix",
    "plot_datasets",
    "plot_dbscan_roles",
    "plot_dendrogram",
    "plot_gmm_trace",
    "plot_image_grid",
    "plot_kmeans_trace",
    "plot_lower_bound",
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


def _centroid_marks(ax, centers):
    """Centroids as the seminar draws them: white discs with a thick black ring."""
    return ax.scatter(
        centers[:, 0],
        centers[:, 1],
        marker="o",
        s=80,
        color="white",
        linewidth=3,
        edgecolors="black",
        zorder=5,
    )


def scatter_with_centroids(X, labels, centers, *, ax=None, title=None):
    """The seminar's k-means picture: points by cluster, centroids as white discs.

    Returns
    -------
    points, centroids : two PathCollections
    """
    ax = _axes(ax, figsize=(6, 4))
    points = scatter(X, labels, ax=ax, title=title)
    centers = np.asarray(centers)
    centroids = _centroid_marks(ax, centers)
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


# ---------------------------------------------------------------------------
# internals, drawn from recorded traces
# ---------------------------------------------------------------------------
def _animation(fig, draw, n_frames, interval):
    """A FuncAnimation calling ``draw(frame)``; saves as GIF with Pillow, shows in Jupyter."""
    from matplotlib.animation import FuncAnimation

    return FuncAnimation(
        fig,
        draw,
        frames=n_frames,
        interval=interval,
        repeat=False,
        blit=False,
        cache_frame_data=False,
    )


def _nearest(points, centers):
    """Index of the nearest centre for each point (for display only, not fitting)."""
    d2 = ((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    return d2.argmin(axis=1)


def _voronoi_image(ax, centers, xlim, ylim, resolution=200):
    """Shade the plane by nearest centre: the Voronoi regions of ``centers``."""
    xs = np.linspace(xlim[0], xlim[1], resolution)
    ys = np.linspace(ylim[0], ylim[1], resolution)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    region = _nearest(grid, np.asarray(centers)[:, :2]).reshape(resolution, resolution)
    colors = label_colors(region.ravel()).reshape(resolution, resolution, 4)
    colors[..., 3] = 0.15
    return ax.imshow(
        colors,
        extent=(xlim[0], xlim[1], ylim[0], ylim[1]),
        origin="lower",
        aspect="auto",
        zorder=0,
    )


def _limits(X, pad=0.05):
    low, high = X[:, :2].min(axis=0), X[:, :2].max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    return (low[0] - pad * span[0], high[0] + pad * span[0]), (
        low[1] - pad * span[1],
        high[1] + pad * span[1],
    )


def _kmeans_labels_at(X, trace, t):
    """Labels of iteration ``t`` (assignments to ``centers[t]``), from the trace when recorded."""
    n_iter = len(trace["inertia"])
    if t >= n_iter:
        return np.asarray(trace["final_labels"])
    if trace.get("labels") is not None:
        return np.asarray(trace["labels"][t])
    return _nearest(np.asarray(X)[:, :2], np.asarray(trace["centers"][t])[:, :2])


def plot_kmeans_trace(X, trace, *, ax=None, voronoi=True, figsize=(7, 5)):
    """Where k-means' centroids went: their paths over the iterations, on the final clusters.

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
    trace : dict
        ``KMeans(trace=True).fit(X).trace_``.
    ax : Axes or None
    voronoi : bool, default=True
        Shade the Voronoi regions of the final centres.

    Returns
    -------
    dict of artists: ``points``, ``paths`` (one Line2D per centroid),
    ``centroids``, and ``regions`` (or None).
    """
    X = np.asarray(X)
    ax = _axes(ax, figsize=figsize)
    centers = np.asarray(trace["centers"])
    xlim, ylim = _limits(np.vstack([X[:, :2], centers.reshape(-1, centers.shape[-1])[:, :2]]))
    regions = _voronoi_image(ax, centers[-1], xlim, ylim) if voronoi else None
    points = scatter(X, trace["final_labels"], ax=ax, s=10)
    paths = []
    for k in range(centers.shape[1]):
        (line,) = ax.plot(
            centers[:, k, 0], centers[:, k, 1], "-o", color="black", markersize=3, lw=1, zorder=4
        )
        paths.append(line)
    centroids = _centroid_marks(ax, centers[-1])
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_title(
        f"k-means: {len(trace['inertia'])} iterations, inertia {trace['final_inertia']:.4g}"
    )
    return {"points": points, "paths": paths, "centroids": centroids, "regions": regions}


def animate_kmeans(X, trace, *, interval=600, voronoi=True, figsize=(7, 5)):
    """One frame per k-means iteration, drawn from ``trace_`` (no refitting).

    Frame ``t`` shows the centres after ``t`` updates, the points coloured by
    the cluster they are assigned to at that moment, the Voronoi regions of
    those centres and the centroids' paths so far. The last frame shows the
    final labels.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``ani.save("kmeans.gif", writer="pillow")``, or ``ani.to_jshtml()`` in Jupyter.
    """
    X = np.asarray(X)
    centers = np.asarray(trace["centers"])
    n_frames = centers.shape[0]
    fig, ax = plt.subplots(figsize=figsize)
    xlim, ylim = _limits(np.vstack([X[:, :2], centers.reshape(-1, centers.shape[-1])[:, :2]]))
    points = scatter(X, _kmeans_labels_at(X, trace, 0), ax=ax, s=10)
    paths = [
        ax.plot([], [], "-o", color="black", markersize=3, lw=1, zorder=4)[0]
        for _ in range(centers.shape[1])
    ]
    centroids = _centroid_marks(ax, centers[0])
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    state = {"regions": None}

    def draw(t):
        if voronoi:
            if state["regions"] is not None:
                state["regions"].remove()
            state["regions"] = _voronoi_image(ax, centers[t], xlim, ylim, resolution=120)
        points.set_facecolors(label_colors(_kmeans_labels_at(X, trace, t)))
        centroids.set_offsets(centers[t, :, :2])
        for k, line in enumerate(paths):
            line.set_data(centers[: t + 1, k, 0], centers[: t + 1, k, 1])
        label = "initial centres" if t == 0 else f"iteration {t}"
        ax.set_title(f"k-means: {label}")
        return [points, centroids, *paths]

    draw(0)
    return _animation(fig, draw, n_frames, interval)


def _dbscan_labels(trace, n_samples):
    """Cluster of each point from the trace's growth order (noise -1)."""
    labels = np.full(n_samples, -1, dtype=np.int64)
    ptr = np.asarray(trace.cluster_ptr)
    for k in range(len(ptr) - 1):
        labels[np.asarray(trace.order)[ptr[k] : ptr[k + 1]]] = k
    return labels


def plot_dbscan_roles(X, trace, *, ax=None, figsize=(7, 5)):
    """DBSCAN's verdict on each point: core (large), border (small, ringed), noise (grey x).

    Points are coloured by cluster; the links drawn are "core point p reached
    q", the edges along which clusters grew.

    Returns
    -------
    dict of artists: ``core``, ``border``, ``noise``, ``links``.
    """
    X = np.asarray(X)
    ax = _axes(ax, figsize=figsize)
    role = np.asarray(trace.role)
    labels = _dbscan_labels(trace, len(X))
    colors = label_colors(labels)
    core, border, noise = role == 2, role == 1, role == 0
    parent = np.asarray(trace.parent)
    reached = np.flatnonzero(parent >= 0)
    from matplotlib.collections import LineCollection

    segments = np.stack([X[parent[reached], :2], X[reached, :2]], axis=1)
    links = LineCollection(segments, colors="black", linewidths=0.4, alpha=0.3, zorder=1)
    ax.add_collection(links)
    artists = {
        "core": ax.scatter(X[core, 0], X[core, 1], c=colors[core], s=30, zorder=3),
        "border": ax.scatter(
            X[border, 0], X[border, 1], c=colors[border], s=12, edgecolors="black", zorder=3
        ),
        "noise": ax.scatter(X[noise, 0], X[noise, 1], c=NOISE_COLOR, marker="x", s=15, zorder=2),
        "links": links,
    }
    ax.set_title(
        f"DBSCAN: {core.sum()} core, {border.sum()} border, {noise.sum()} noise, "
        f"{len(trace.seeds)} clusters"
    )
    ax.grid(True)
    return artists


def animate_dbscan(X, trace, *, n_frames=30, interval=200, figsize=(7, 5)):
    """Clusters growing: points appear in the order DBSCAN reached them.

    Frame ``f`` shows the first ``f/n_frames`` of the clustered points, in the
    recorded growth order (cluster 0 from its seed outwards, then cluster 1,
    ...); noise appears, in grey, in the last frame.

    Returns
    -------
    matplotlib.animation.FuncAnimation
    """
    X = np.asarray(X)
    order = np.asarray(trace.order)
    labels = _dbscan_labels(trace, len(X))
    n_frames = max(2, int(n_frames))
    fig, ax = plt.subplots(figsize=figsize)
    xlim, ylim = _limits(X)
    ax.scatter(X[:, 0], X[:, 1], c="none", edgecolors="lightgray", s=10)
    grown = ax.scatter([], [], s=14)
    noise_points = X[labels < 0]
    noise = ax.scatter([], [], c=NOISE_COLOR, marker="x", s=15)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.grid(True)
    counts = np.linspace(0, len(order), n_frames).round().astype(int)

    def draw(f):
        shown = order[: counts[f]]
        grown.set_offsets(X[shown, :2] if len(shown) else np.empty((0, 2)))
        grown.set_facecolors(label_colors(labels[shown]) if len(shown) else np.empty((0, 4)))
        last = f == n_frames - 1
        noise.set_offsets(noise_points[:, :2] if last and len(noise_points) else np.empty((0, 2)))
        current = labels[shown[-1]] if len(shown) else -1
        ax.set_title(f"DBSCAN growing cluster {current}: {len(shown)} of {len(order)} points")
        return [grown, noise]

    draw(0)
    return _animation(fig, draw, n_frames, interval)


# ---------------------------------------------------------------------------
# agglomerative clustering: the dendrogram and the merges
# ---------------------------------------------------------------------------
def _linkage_of(model_or_linkage):
    """The scipy-format linkage matrix of a fitted model, or the matrix itself."""
    Z = getattr(model_or_linkage, "linkage_matrix_", model_or_linkage)
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2 or Z.shape[1] != 4:
        raise ValueError(
            "Expected a fitted AgglomerativeClustering (with its full tree) or a linkage "
            f"matrix of shape (n_samples - 1, 4); got shape {Z.shape}."
        )
    return Z


def _dendrogram_layout(Z, n_leaves_shown):
    """Position every node of the tree: x from an in-order walk, y = merge height.

    The top ``n_leaves_shown - 1`` merges are drawn; the clusters below them
    become leaves. Returns ``(x, y, size, shown)`` indexed by node id
    (points ``0..n-1``, merge ``r`` creates ``n + r``) and the leaves in
    left-to-right order.
    """
    n = Z.shape[0] + 1
    first_shown = max(0, n - n_leaves_shown)  # merges before this row are collapsed
    x = np.full(2 * n - 1, np.nan)
    y = np.zeros(2 * n - 1)
    size = np.ones(2 * n - 1, dtype=np.int64)
    size[n:] = Z[:, 3].astype(np.int64)
    y[n:] = Z[:, 2]
    leaves = []
    # iterative post-order walk from the root, left child first
    stack = [(2 * n - 2, False)]
    while stack:
        node, expanded = stack.pop()
        is_leaf = node < n or node - n < first_shown
        if is_leaf:
            x[node] = len(leaves)
            y[node] = 0.0
            leaves.append(node)
            continue
        left, right = int(Z[node - n, 0]), int(Z[node - n, 1])
        if expanded:
            x[node] = (x[left] + x[right]) / 2
        else:
            stack.append((node, True))
            stack.append((right, False))
            stack.append((left, False))
    return x, y, size, leaves


def plot_dendrogram(model_or_linkage, *, truncate_lastp=None, ax=None, figsize=(10, 4), color="C0"):
    """Draw the merge tree: each merge is a ⊓ joining its two clusters at its height.

    Parameters
    ----------
    model_or_linkage : fitted AgglomerativeClustering or ndarray of shape (n - 1, 4)
        A linkage matrix in scipy's format (the two merged ids, height, size).
    truncate_lastp : int or None
        Show only the last ``truncate_lastp`` clusters as leaves, labelled by
        their size in brackets (as scipy's ``truncate_mode="lastp"``).
    ax : Axes or None
    color : matplotlib colour of the links

    Returns
    -------
    dict: ``links`` (LineCollection of all ⊓ shapes), ``leaves`` (node ids
    in drawing order), ``heights`` (the merge heights drawn).
    """
    from matplotlib.collections import LineCollection

    Z = _linkage_of(model_or_linkage)
    n = Z.shape[0] + 1
    shown = n if truncate_lastp is None else max(2, min(n, int(truncate_lastp)))
    x, y, size, leaves = _dendrogram_layout(Z, shown)
    ax = _axes(ax, figsize=figsize)
    segments = []
    heights = []
    for r in range(n - shown, n - 1):
        node = n + r
        left, right = int(Z[r, 0]), int(Z[r, 1])
        segments.append(
            [(x[left], y[left]), (x[left], y[node]), (x[right], y[node]), (x[right], y[right])]
        )
        heights.append(y[node])
    links = LineCollection(segments, colors=color, linewidths=1)
    ax.add_collection(links)
    ax.set_xlim(-0.5, len(leaves) - 0.5)
    ax.set_ylim(0, (max(heights) if heights else 1.0) * 1.05)
    labels = [str(leaf) if leaf < n else f"({size[leaf]})" for leaf in leaves]
    if len(leaves) <= 60:
        ax.set_xticks(range(len(leaves)), labels, rotation=90, fontsize=8)
    else:
        ax.set_xticks([])
    ax.set_ylabel("merge height")
    ax.set_title(f"Dendrogram ({n} points)")
    return {"links": links, "leaves": leaves, "heights": np.asarray(heights)}


def _labels_after_merges(Z, n_merges):
    """Flat labels after the first ``n_merges`` rows of the linkage matrix (0..clusters-1)."""
    n = Z.shape[0] + 1
    parent = np.arange(2 * n - 1)
    for r in range(n_merges):
        parent[int(Z[r, 0])] = n + r
        parent[int(Z[r, 1])] = n + r
    # follow each point up to the highest node created so far
    root = np.arange(n)
    for _ in range(n):
        up = parent[root]
        if np.array_equal(up, root):
            break
        root = up
    _, labels = np.unique(root, return_inverse=True)
    return labels


def animate_agglomerative(X, model_or_linkage, *, n_frames=30, interval=300, figsize=(7, 5)):
    """Merges one after another: each frame colours the clusters that exist at that moment.

    Frames are spaced so the number of clusters falls geometrically from
    ``n`` to 1 (the interesting last merges get most frames).

    Returns
    -------
    matplotlib.animation.FuncAnimation
    """
    X = np.asarray(X)
    Z = _linkage_of(model_or_linkage)
    n = Z.shape[0] + 1
    counts = np.unique(np.round(np.geomspace(n, 1, max(2, n_frames))).astype(int))[::-1]
    fig, ax = plt.subplots(figsize=figsize)
    points = scatter(X, np.zeros(n, dtype=int), ax=ax, s=12)

    def draw(f):
        clusters = counts[f]
        labels = _labels_after_merges(Z, n - clusters)
        points.set_facecolors(label_colors(labels))
        height = Z[n - clusters - 1, 2] if clusters < n else 0.0
        ax.set_title(f"{clusters} clusters (last merge at height {height:.3g})")
        return [points]

    draw(0)
    return _animation(fig, draw, len(counts), interval)


# ---------------------------------------------------------------------------
# Gaussian mixtures: ellipses and the lower bound
# ---------------------------------------------------------------------------
def _component_covariances(covariances, n_components, n_features, covariance_type=None):
    """Full (k, d, d) covariance matrices from any of the four covariance types.

    The type is read from the array's shape; only when a (d, d) "tied" array
    and a (k, d) "diag" array cannot be told apart (k == d) must
    ``covariance_type`` be given.
    """
    cov = np.asarray(covariances, dtype=np.float64)
    if covariance_type is None:
        if cov.ndim == 3:
            covariance_type = "full"
        elif cov.ndim == 1:
            covariance_type = "spherical"
        elif n_components == n_features:
            raise ValueError(
                "Cannot tell 'tied' from 'diag' covariances when n_components == "
                "n_features: pass covariance_type."
            )
        else:
            covariance_type = "tied" if cov.shape == (n_features, n_features) else "diag"
    if covariance_type == "full":
        return cov
    if covariance_type == "tied":
        return np.broadcast_to(cov, (n_components, n_features, n_features))
    if covariance_type == "diag":
        return np.stack([np.diag(c) for c in cov])
    return np.stack([np.eye(n_features) * c for c in cov])


def _ellipse_params(cov2, n_std):
    """Width, height and angle (degrees) of the ``n_std`` contour of a 2x2 covariance."""
    values, vectors = np.linalg.eigh(cov2)
    values = np.clip(values, 0.0, None)
    angle = np.degrees(np.arctan2(vectors[1, 1], vectors[0, 1]))
    width, height = 2 * n_std * np.sqrt(values[::-1])
    return width, height, angle


def _draw_ellipses(ax, means, covariances, weights, n_std=(1.0, 2.0)):
    from matplotlib.patches import Ellipse

    patches = []
    for k in range(means.shape[0]):
        for s in n_std:
            width, height, angle = _ellipse_params(covariances[k][:2, :2], s)
            patch = Ellipse(
                means[k, :2],
                width,
                height,
                angle=angle,
                facecolor=label_colors([k])[0],
                alpha=0.15 + 0.5 * float(weights[k]) / s,
                edgecolor="black",
                lw=0.8,
                zorder=4,
            )
            ax.add_patch(patch)
            patches.append(patch)
    return patches


def _gmm_state(trace, t, n_features, covariance_type=None):
    means = np.asarray(trace.means[t])
    covariances = _component_covariances(
        trace.covariances[t], means.shape[0], n_features, covariance_type
    )
    return means, covariances, np.asarray(trace.weights[t])


def plot_lower_bound(trace, *, ax=None, upto=None, figsize=(5, 3)):
    """The EM lower bound (average log-likelihood) after each iteration; it never decreases."""
    ax = _axes(ax, figsize=figsize)
    bound = np.asarray(trace.lower_bound)
    upto = len(bound) if upto is None else upto
    (line,) = ax.plot(np.arange(1, upto + 1), bound[:upto], "-o", markersize=3)
    ax.set_xlim(0.5, max(1, len(bound)) + 0.5)
    if len(bound):
        shown = bound
        # a very poor start (e.g. one point per component) would flatten the
        # whole curve: scale to the later iterations and let it leave the axes
        if len(bound) > 2 and bound[1] - bound[0] > 10 * (bound[-1] - bound[1] + 1e-12):
            shown = bound[1:]
        pad = 0.05 * (shown.max() - shown.min() or 1.0)
        ax.set_ylim(shown.min() - pad, shown.max() + pad)
    ax.set_xlabel("EM iteration")
    ax.set_ylabel("lower bound")
    ax.grid(True)
    return line


def plot_gmm_trace(X, trace, *, iteration=-1, covariance_type=None, figsize=(12, 5)):
    """Components as 1σ and 2σ ellipses over the data, next to the lower bound per iteration.

    Parameters
    ----------
    X : array-like of shape (n_samples, >=2)
        Only the first two features are drawn.
    trace : MixtureTrace
        ``GaussianMixture(trace=True).fit(X).trace_``.
    iteration : int, default=-1
        Which recorded parameters to draw (0 = the initial ones).
    covariance_type : str or None
        Needed only for 'tied' or 'diag' mixtures with n_components == n_features.

    Returns
    -------
    fig : Figure
    artists : dict with ``points``, ``ellipses`` (list of patches), ``bound`` (Line2D)
    """
    X = np.asarray(X)
    fig, (ax, ax_bound) = plt.subplots(1, 2, figsize=figsize, width_ratios=[3, 2])
    n_params = len(trace.means)
    t = iteration % n_params
    means, covariances, weights = _gmm_state(trace, t, X.shape[1], covariance_type)
    points = scatter(X, None, ax=ax, s=8)
    points.set_color("gray")
    ellipses = _draw_ellipses(ax, means, covariances, weights)
    ax.set_title(f"Gaussian mixture after {t} EM iteration(s)")
    bound = plot_lower_bound(trace, ax=ax_bound, upto=min(t, len(trace.lower_bound)) or None)
    fig.tight_layout()
    return fig, {"points": points, "ellipses": ellipses, "bound": bound}


def animate_gmm(X, trace, *, interval=500, covariance_type=None, figsize=(12, 5)):
    """One frame per EM iteration: the ellipses move, the lower bound grows.

    Returns
    -------
    matplotlib.animation.FuncAnimation
    """
    X = np.asarray(X)
    fig, (ax, ax_bound) = plt.subplots(1, 2, figsize=figsize, width_ratios=[3, 2])
    points = scatter(X, None, ax=ax, s=8)
    points.set_color("gray")
    xlim, ylim = _limits(X)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    bound = plot_lower_bound(trace, ax=ax_bound, upto=0)
    lower = np.asarray(trace.lower_bound)
    state = {"patches": []}

    def draw(t):
        for patch in state["patches"]:
            patch.remove()
        means, covariances, weights = _gmm_state(trace, t, X.shape[1], covariance_type)
        state["patches"] = _draw_ellipses(ax, means, covariances, weights)
        upto = min(t, len(lower))
        bound.set_data(np.arange(1, upto + 1), lower[:upto])
        ax.set_title("initial parameters" if t == 0 else f"EM iteration {t}")
        return [bound, *state["patches"]]

    draw(0)
    fig.tight_layout()
    return _animation(fig, draw, len(trace.means), interval)
