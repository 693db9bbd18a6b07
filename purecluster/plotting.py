"""Pictures for teaching: the only module of purecluster that imports matplotlib.

Each function draws onto axes it is given (or a new figure) and returns what
it drew, so notebooks can restyle or save the result.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

__all__ = ["SEMINAR_CMAP", "plot_datasets", "scatter"]

# The seminar's five colours, in its order; labels beyond five wrap around.
SEMINAR_CMAP = ListedColormap(["blue", "red", "green", "yellow", "purple"])


def scatter(X, labels=None, *, ax=None, title=None, cmap=SEMINAR_CMAP):
    """Scatter the first two columns of ``X``, coloured by ``labels`` if given.

    Parameters
    ----------
    X : array-like of shape (n_samples, >=2)
    labels : array-like of shape (n_samples,) or None
    ax : matplotlib Axes or None
        Drawn on a new figure's axes when None.
    title : str or None
    cmap : matplotlib colormap

    Returns
    -------
    matplotlib.collections.PathCollection
    """
    X = np.asarray(X)
    if ax is None:
        _, ax = plt.subplots()
    if labels is None:
        points = ax.scatter(X[:, 0], X[:, 1], s=12)
    else:
        points = ax.scatter(X[:, 0], X[:, 1], c=np.asarray(labels), cmap=cmap, s=12)
    if title is not None:
        ax.set_title(title)
    ax.set_xlabel("$X_1$")
    ax.set_ylabel("$X_2$")
    ax.grid(True)
    return points


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
    n = len(datasets)
    fig, axes = plt.subplots(2, n, figsize=figsize, squeeze=False)
    for column, (name, (X, y)) in enumerate(datasets):
        scatter(X, ax=axes[0, column], title=f"{name}: initial")
        scatter(X, y, ax=axes[1, column], title=f"{name}: true labels")
    fig.tight_layout()
    return fig, axes
