"""Draw docs/agglomerative_dendrogram.png with purecluster alone (no scipy).

    python docs/agglomerative_dendrogram.py

The seminar's "blobs" set (first 30 points), average linkage: the linkage
matrix from ``AgglomerativeClustering(...).linkage_matrix_`` drawn as a
dendrogram with matplotlib, leaves in the order of a depth-first walk.
"""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from purecluster import AgglomerativeClustering  # noqa: E402
from purecluster.datasets import seminar_datasets  # noqa: E402


def draw_dendrogram(Z, ax, cut=None):
    """U-shaped links: node ``n + r`` joins ``Z[r, 0]`` and ``Z[r, 1]`` at ``Z[r, 2]``."""
    n = len(Z) + 1
    x = np.zeros(2 * n - 1)
    y = np.zeros(2 * n - 1)
    order = []
    stack = [2 * n - 2]
    while stack:  # depth-first walk: the leaves' left-to-right order
        node = stack.pop()
        if node < n:
            order.append(node)
        else:
            stack.extend([int(Z[node - n, 1]), int(Z[node - n, 0])])
    x[order] = np.arange(n)
    for r, (a, b, h, _) in enumerate(Z):
        a, b = int(a), int(b)
        x[n + r] = (x[a] + x[b]) / 2
        y[n + r] = h
        color = "tab:red" if cut is not None and h >= cut else "tab:blue"
        ax.plot([x[a], x[a], x[b], x[b]], [y[a], h, h, y[b]], color=color, lw=1)
    ax.set_xticks(np.arange(n), [str(i) for i in order], fontsize=7)
    ax.set_ylabel("merge height (average linkage)")
    if cut is not None:
        ax.axhline(cut, color="gray", ls="--", lw=0.8)


def main():
    X = seminar_datasets()[1][1][0][:30]
    model = AgglomerativeClustering(n_clusters=5, linkage="average").fit(X)
    Z = model.linkage_matrix_
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    cut = (Z[-5, 2] + Z[-4, 2]) / 2  # between the 4th and 5th highest merges
    draw_dendrogram(Z, left, cut)
    left.set_title("dendrogram; merges above the dashed line are undone")
    right.scatter(X[:, 0], X[:, 1], c=model.labels_, cmap="tab10")
    for i, (a, b) in enumerate(X):
        right.annotate(str(i), (a, b), fontsize=7)
    right.set_title("AgglomerativeClustering(n_clusters=5, linkage='average')")
    fig.tight_layout()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "agglomerative_dendrogram.png")
    fig.savefig(out, dpi=90)
    print(out)


if __name__ == "__main__":
    main()
