"""purecluster: clustering algorithms in readable Numba kernels.

Same parameters, attributes and answers as scikit-learn's estimators, with
kernels short enough to read and a trace of what each algorithm did.
"""

from . import metrics
from ._jit import warmup
from ._version import __version__
from .agglomerative import AgglomerativeClustering, cut_tree, linkage
from .dbscan import DBSCAN, dbscan
from .exceptions import ConvergenceWarning, NotFittedError
from .kmeans import KMeans, k_means, kmeans_plusplus
from .mixture import GaussianMixture

__all__ = [
    "DBSCAN",
    "AgglomerativeClustering",
    "ConvergenceWarning",
    "GaussianMixture",
    "KMeans",
    "NotFittedError",
    "__version__",
    "cut_tree",
    "dbscan",
    "k_means",
    "kmeans_plusplus",
    "linkage",
    "metrics",
    "warmup",
]
