"""The five toy data sets of the clustering seminar, in one call."""

from numbers import Integral

import numpy as np

from .._validation import Interval, check_random_state, validate_params
from ._samples_generator import make_blobs, make_circles, make_classification, make_moons

__all__ = ["seminar_datasets"]


def seminar_datasets(n_samples=500, random_state=12345):
    """The seminar's five 2-D data sets, as ``(name, (X, y))`` pairs.

    In order:

    ``"merce"``
        ``make_classification`` with 3 classes, one cluster each, 2
        informative features and no redundant ones, ``class_sep=2``.
    ``"blobs"``
        ``make_blobs`` with 5 centers and ``cluster_std=1.5``.
    ``"moons"``
        ``make_moons`` with ``noise=0.1``.
    ``"circles"``
        ``make_circles`` with ``factor=0.1`` and ``noise=0.1``.
    ``"none"``
        Uniform noise on the unit square (no structure at all), every label 0.

    Each generator gets ``n_samples`` and ``random_state`` as given, so the
    first four are exactly what scikit-learn's generators return for the same
    arguments. The original seminar drew the ``"none"`` set with the global
    ``np.random.rand``, which changes from run to run; here it is drawn as
    ``check_random_state(random_state).rand(n_samples, 2)`` (for an int seed,
    ``np.random.RandomState(random_state).rand(n_samples, 2)``), so it is
    reproducible too.

    Parameters
    ----------
    n_samples : int, default=500
        Number of points of every data set.
    random_state : int, numpy.random.RandomState or None, default=12345
        Passed to every generator. With a ``RandomState`` instance the five
        data sets are drawn one after the other from its stream.

    Returns
    -------
    list of (str, (ndarray, ndarray))
        For each data set its name and ``(X, y)``: ``X`` of shape
        ``(n_samples, 2)`` (float64) and ``y`` of shape ``(n_samples,)``
        (int64; all zeros for ``"none"``).

    Examples
    --------
    >>> from purecluster.datasets import seminar_datasets
    >>> [(name, X.shape) for name, (X, y) in seminar_datasets(n_samples=100)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('merce', (100, 2)), ('blobs', (100, 2)), ('moons', (100, 2)),
     ('circles', (100, 2)), ('none', (100, 2))]
    """
    validate_params(
        {"n_samples": n_samples, "random_state": random_state},
        {
            "n_samples": [Interval(Integral, 1, None, closed="left")],
            "random_state": ["random_state"],
        },
        "seminar_datasets",
    )
    merce = make_classification(
        n_samples=n_samples,
        n_features=2,
        n_redundant=0,
        n_informative=2,
        n_clusters_per_class=1,
        n_classes=3,
        class_sep=2,
        random_state=random_state,
    )
    blobs = make_blobs(
        n_samples=n_samples, n_features=2, centers=5, cluster_std=1.5, random_state=random_state
    )
    moons = make_moons(n_samples=n_samples, noise=0.1, random_state=random_state)
    circles = make_circles(n_samples=n_samples, factor=0.1, noise=0.1, random_state=random_state)
    uniform = check_random_state(random_state).rand(n_samples, 2)
    no_structure = (uniform, np.zeros(n_samples, dtype=int))
    return [
        ("merce", merce),
        ("blobs", blobs),
        ("moons", moons),
        ("circles", circles),
        ("none", no_structure),
    ]
