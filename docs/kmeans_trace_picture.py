"""Draw the picture used in docs/kmeans.md from ``KMeans(trace=True).trace_``.

Run from the repository root: ``python docs/kmeans_trace_picture.py``; writes
``docs/kmeans_trace.png`` (not committed: generated).
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from purecluster import KMeans  # noqa: E402
from purecluster.datasets import make_blobs  # noqa: E402
from purecluster.plotting import scatter  # noqa: E402

X, _ = make_blobs(n_samples=500, n_features=2, centers=5, cluster_std=1.5, random_state=12345)
init = np.asarray([[2, 2], [1, 1], [3, 3], [4, 4], [5, 5]], dtype=float)
km = KMeans(5, init=init, n_init=1, max_iter=9, trace=True).fit(X)
trace = km.trace_

frames = [0, 1, 2, 4, trace["n_iter"] - 1]
fig, axes = plt.subplots(1, len(frames), figsize=(4 * len(frames), 4))
for ax, t in zip(axes, frames, strict=True):
    scatter(X, trace["labels"][t], ax=ax, title=f"iteration {t}: inertia {trace['inertia'][t]:.0f}")
    path = trace["centers"][: t + 2]
    for j in range(path.shape[1]):
        ax.plot(path[:, j, 0], path[:, j, 1], "k.-", lw=1)
    ax.scatter(*trace["centers"][t + 1].T, s=80, c="white", edgecolors="black", zorder=5)
fig.tight_layout()
fig.savefig("docs/kmeans_trace.png", dpi=80)
print("wrote docs/kmeans_trace.png")
