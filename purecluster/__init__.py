"""purecluster: clustering algorithms in readable Numba kernels.

Same parameters, attributes and answers as scikit-learn's estimators, with
kernels short enough to read and a trace of what each algorithm did.
"""

from . import metrics
from ._jit import warmup
from ._version import __version__
from .exceptions import ConvergenceWarning, NotFittedError
from .kmeans import KMeans, k_means, kmeans_plusplus

__all__ = [
    "ConvergenceWarning",
    "KMeans",
    "NotFittedError",
    "__version__",
    "k_means",
    "kmeans_plusplus",
    "metrics",
    "warmup",
]
