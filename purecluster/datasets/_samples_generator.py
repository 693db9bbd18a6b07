"""Synthetic data generators: blobs, moons, circles and Guyon's classification problem.

Every generator here reproduces the scikit-learn function of the same name
bit for bit. That only works because both draw from NumPy's legacy
``RandomState`` with the same calls, in the same order and with the same
shapes; the comments marking each draw ("draw 1", "draw 2", ...) are there so
that nobody reorders them by accident. Floating-point expressions are also
kept in the same association order, since ``(1 - s) - 0.5`` and ``0.5 - s``
can differ in the last bit.
"""

import numbers
from collections.abc import Iterable
from numbers import Integral, Real

import numpy as np

from .._validation import Interval, check_random_state, validate_params
from ._base import Bunch

__all__ = ["make_blobs", "make_circles", "make_classification", "make_moons"]


# ---------------------------------------------------------------------------
# shared helpers
# ---------------------------------------------------------------------------
def _shuffle_rows(rng, *arrays):
    """Apply one random row permutation to every array.

    The permutation comes from ``rng.shuffle`` on ``arange(n)``, which is what
    scikit-learn's ``utils.shuffle`` does: one draw of ``n`` positions.
    """
    order = np.arange(arrays[0].shape[0])
    rng.shuffle(order)
    return tuple(array[order] for array in arrays)


def _split_in_two(n_samples):
    """Sizes of the two groups of moons/circles for an int ``n_samples``.

    The first group gets the floor of half, the second one the rest.
    """
    first = n_samples // 2
    return first, n_samples - first


# ---------------------------------------------------------------------------
# make_blobs
# ---------------------------------------------------------------------------
_BLOBS_CONSTRAINTS = {
    "n_samples": [Interval(Integral, 1, None, closed="left"), "array-like"],
    "n_features": [Interval(Integral, 1, None, closed="left")],
    "centers": [Interval(Integral, 1, None, closed="left"), "array-like", None],
    "cluster_std": [Interval(Real, 0, None, closed="left"), "array-like"],
    "center_box": [tuple],
    "shuffle": ["boolean"],
    "random_state": ["random_state"],
    "return_centers": ["boolean"],
}


def _as_centers(centers):
    """Turn user-given centers into a new 2-D numeric array.

    Like scikit-learn, the dtype is kept (integer centers stay integers, so
    ``return_centers`` gives them back as such); only object arrays become
    float64. The result is always a copy: the caller's array is never shared.
    """
    array = np.array(centers)
    if array.dtype.kind == "O":
        array = array.astype(np.float64)
    if array.dtype.kind not in "biuf":
        raise ValueError(
            f"The centers of make_blobs must be numbers; got an array of dtype {array.dtype}."
        )
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(
            "The centers of make_blobs must be a non-empty 2-D array of shape "
            f"(n_centers, n_features); got an array of shape {array.shape}."
        )
    if not np.isfinite(array).all():
        raise ValueError("The centers of make_blobs must be finite; got NaN or infinity.")
    return array


def _random_centers(rng, n_centers, n_features, center_box):
    """Draw centers uniformly in the box ``center_box`` along every feature."""
    if len(center_box) != 2:
        raise ValueError(
            "The 'center_box' parameter of make_blobs must be a (min, max) pair; "
            f"got {center_box!r}."
        )
    low, high = center_box
    return rng.uniform(low, high, size=(n_centers, n_features))


def _blob_sizes(n_samples, n_centers):
    """Samples per blob: an even split, the first blobs taking one extra each."""
    base, extra = divmod(n_samples, n_centers)
    return [int(base) + (1 if i < extra else 0) for i in range(n_centers)]


def make_blobs(
    n_samples=100,
    n_features=2,
    *,
    centers=None,
    cluster_std=1.0,
    center_box=(-10.0, 10.0),
    shuffle=True,
    random_state=None,
    return_centers=False,
):
    """Draw points from isotropic Gaussian clusters ("blobs").

    Each blob is a normal distribution with a diagonal, equal-variance
    covariance ``cluster_std**2 * I`` around its center. Same parameters and
    same output, bit for bit, as ``sklearn.datasets.make_blobs``.

    Parameters
    ----------
    n_samples : int or array-like of int, default=100
        An int is the total number of points, shared as evenly as possible
        between the blobs (the first ones get one more when it does not
        divide). A sequence gives the number of points of each blob, and then
        also fixes the number of blobs.
    n_features : int, default=2
        Dimension of the points. Ignored when ``centers`` are given as an
        array, whose number of columns is used instead.
    centers : int, array-like of shape (n_centers, n_features) or None, default=None
        The number of blobs, whose centers are then drawn at random in
        ``center_box``, or the centers themselves. ``None`` means 3 random
        centers when ``n_samples`` is an int, and one random center per
        entry of ``n_samples`` when it is a sequence (then an array of
        centers must have exactly that many rows).
    cluster_std : float or array-like of float, default=1.0
        Standard deviation of every blob, or one per blob.
    center_box : tuple of float (min, max), default=(-10.0, 10.0)
        The range each coordinate of a random center is drawn uniformly from.
    shuffle : bool, default=True
        Shuffle the points; otherwise they come blob after blob.
    random_state : int, numpy.random.RandomState or None, default=None
        Seed or generator for every random draw. An int makes the output
        reproducible.
    return_centers : bool, default=False
        Also return the centers.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The points, float64.
    y : ndarray of shape (n_samples,)
        The blob index of each point, int64.
    centers : ndarray of shape (n_centers, n_features)
        The blob centers; only returned when ``return_centers=True``.

    See Also
    --------
    make_classification : Clusters on the vertices of a hypercube, with
        correlated, redundant and noise features.

    Examples
    --------
    >>> from purecluster.datasets import make_blobs
    >>> X, y = make_blobs(n_samples=7, centers=2, random_state=0)
    >>> X.shape, y.tolist()
    ((7, 2), [1, 0, 0, 1, 0, 0, 1])
    >>> X, y, centers = make_blobs(n_samples=[3, 1], random_state=0, return_centers=True)
    >>> centers.shape
    (2, 2)
    """
    validate_params(
        {
            "n_samples": n_samples,
            "n_features": n_features,
            "centers": centers,
            "cluster_std": cluster_std,
            "center_box": center_box,
            "shuffle": shuffle,
            "random_state": random_state,
            "return_centers": return_centers,
        },
        _BLOBS_CONSTRAINTS,
        "make_blobs",
    )
    rng = check_random_state(random_state)

    # Decide the centers. Draw 1 (only if they are random): one uniform
    # matrix of shape (n_centers, n_features).
    if isinstance(n_samples, numbers.Integral):
        if centers is None:
            centers = 3
        if isinstance(centers, numbers.Integral):
            centers = _random_centers(rng, centers, n_features, center_box)
        else:
            centers = _as_centers(centers)
        n_centers = centers.shape[0]
        sizes = _blob_sizes(n_samples, n_centers)
    else:
        n_centers = len(n_samples)
        if centers is None:
            centers = _random_centers(rng, n_centers, n_features, center_box)
        elif not isinstance(centers, Iterable):
            raise ValueError(
                "When 'n_samples' of make_blobs is a sequence, 'centers' must be None or "
                f"an array-like with one row per entry of n_samples; got centers={centers!r}."
            )
        elif len(centers) != n_centers:
            raise ValueError(
                "The lengths of 'n_samples' and 'centers' of make_blobs must agree; got "
                f"{n_centers} entries in n_samples={n_samples!r} and {len(centers)} centers."
            )
        centers = _as_centers(centers)
        sizes = n_samples
    n_features = centers.shape[1]

    if hasattr(cluster_std, "__len__"):
        if len(cluster_std) != n_centers:
            raise ValueError(
                "The 'cluster_std' parameter of make_blobs must have one entry per center; "
                f"got {len(cluster_std)} standard deviations for {n_centers} centers."
            )
        stds = cluster_std
    else:
        stds = np.full(n_centers, cluster_std)

    # Draw 2: the points, blob after blob, each blob one normal matrix of
    # shape (size, n_features) around its center.
    total = sum(sizes)
    X = np.empty((total, n_features), dtype=np.float64)
    y = np.empty(total, dtype=int)
    stop = 0
    for label, (size, std) in enumerate(zip(sizes, stds, strict=True)):
        start, stop = stop, stop + size
        X[start:stop] = rng.normal(loc=centers[label], scale=std, size=(size, n_features))
        y[start:stop] = label

    # Draw 3: the row permutation.
    if shuffle:
        X, y = _shuffle_rows(rng, X, y)

    if return_centers:
        return X, y, centers
    return X, y


# ---------------------------------------------------------------------------
# make_moons and make_circles
# ---------------------------------------------------------------------------
def _two_groups(n_samples, caller_name):
    """Sizes ``(first, second)`` of the two groups from an int or a pair."""
    if isinstance(n_samples, numbers.Integral):
        return _split_in_two(n_samples)
    if len(n_samples) != 2:
        raise ValueError(
            f"The 'n_samples' parameter of {caller_name} must be an int or a tuple of "
            f"two ints; got a tuple of {len(n_samples)} elements: {n_samples!r}."
        )
    return n_samples


def _stack_groups(first_x, first_y, second_x, second_y):
    """Points of two groups as one (n, 2) array, with labels 0 then 1."""
    X = np.column_stack((np.concatenate((first_x, second_x)), np.concatenate((first_y, second_y))))
    y = np.concatenate((np.zeros(len(first_x), dtype=np.intp), np.ones(len(second_x), np.intp)))
    return X, y


def _shuffle_and_add_noise(rng, X, y, shuffle, noise):
    """Draw the permutation first, then the Gaussian noise (scikit-learn's order)."""
    if shuffle:
        X, y = _shuffle_rows(rng, X, y)
    if noise is not None:
        X += rng.normal(scale=noise, size=X.shape)
    return X, y


_MOONS_CONSTRAINTS = {
    "n_samples": [Interval(Integral, 1, None, closed="left"), tuple],
    "shuffle": ["boolean"],
    "noise": [Interval(Real, 0, None, closed="left"), None],
    "random_state": ["random_state"],
}


def make_moons(n_samples=100, *, shuffle=True, noise=None, random_state=None):
    """Two interleaved half circles ("moons") in the plane.

    The first moon is the upper half of the unit circle centred at (0, 0);
    the second is the lower half of a unit circle centred at (1, 0.5), so
    each moon's tip reaches into the other's hollow. Neither is linearly
    separable from the other. Same output, bit for bit, as
    ``sklearn.datasets.make_moons``.

    Parameters
    ----------
    n_samples : int or tuple of two ints, default=100
        An int is the total number of points (the second moon gets the extra
        one when it is odd); a pair gives the size of each moon.
    shuffle : bool, default=True
        Shuffle the points; otherwise the first moon comes first.
    noise : float or None, default=None
        Standard deviation of Gaussian noise added to every coordinate.
    random_state : int, numpy.random.RandomState or None, default=None
        Seed or generator for the shuffle and the noise.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The points, float64.
    y : ndarray of shape (n_samples,)
        0 for the first moon, 1 for the second (int64).

    Examples
    --------
    >>> from purecluster.datasets import make_moons
    >>> X, y = make_moons(n_samples=(3, 2), shuffle=False)
    >>> X.round(2).tolist()
    [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, 0.5], [2.0, 0.5]]
    >>> y.tolist()
    [0, 0, 0, 1, 1]
    """
    validate_params(
        {"n_samples": n_samples, "shuffle": shuffle, "noise": noise, "random_state": random_state},
        _MOONS_CONSTRAINTS,
        "make_moons",
    )
    n_upper, n_lower = _two_groups(n_samples, "make_moons")
    rng = check_random_state(random_state)

    # Both moons sweep an angle from 0 to pi, end points included.
    upper_angle = np.linspace(0, np.pi, n_upper)
    lower_angle = np.linspace(0, np.pi, n_lower)
    # Upper half of the unit circle around (0, 0): (cos t, sin t).
    upper_x, upper_y = np.cos(upper_angle), np.sin(upper_angle)
    # The same half circle turned upside down and moved to (1, 0.5):
    # (1 - cos t, 1 - sin t - 0.5); the expression is kept in this form so
    # that the rounding matches scikit-learn's.
    lower_x = 1 - np.cos(lower_angle)
    lower_y = 1 - np.sin(lower_angle) - 0.5

    X, y = _stack_groups(upper_x, upper_y, lower_x, lower_y)
    return _shuffle_and_add_noise(rng, X, y, shuffle, noise)


_CIRCLES_CONSTRAINTS = {
    "n_samples": [Interval(Integral, 0, None, closed="left"), tuple],
    "shuffle": ["boolean"],
    "noise": [Interval(Real, 0, None, closed="left"), None],
    "random_state": ["random_state"],
    "factor": [Interval(Real, 0, 1, closed="left")],
}


def make_circles(n_samples=100, *, shuffle=True, noise=None, random_state=None, factor=0.8):
    """A circle inside a larger circle, both centred at the origin.

    The outer circle has radius 1 and the inner one radius ``factor``; the
    points of each are evenly spaced in angle (the angle 2*pi is left out so
    that no point is repeated). Same output, bit for bit, as
    ``sklearn.datasets.make_circles``.

    Parameters
    ----------
    n_samples : int or tuple of two ints, default=100
        An int is the total number of points (the inner circle gets the
        extra one when it is odd); a pair gives the sizes of the outer and
        the inner circle.
    shuffle : bool, default=True
        Shuffle the points; otherwise the outer circle comes first.
    noise : float or None, default=None
        Standard deviation of Gaussian noise added to every coordinate.
    random_state : int, numpy.random.RandomState or None, default=None
        Seed or generator for the shuffle and the noise.
    factor : float, default=0.8
        Radius of the inner circle relative to the outer one, in ``[0, 1)``.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The points, float64.
    y : ndarray of shape (n_samples,)
        0 for the outer circle, 1 for the inner one (int64).

    Examples
    --------
    >>> from purecluster.datasets import make_circles
    >>> X, y = make_circles(n_samples=(4, 1), factor=0.5, shuffle=False)
    >>> X.round(2).tolist()
    [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [-0.0, -1.0], [0.5, 0.0]]
    >>> y.tolist()
    [0, 0, 0, 0, 1]
    """
    validate_params(
        {
            "n_samples": n_samples,
            "shuffle": shuffle,
            "noise": noise,
            "random_state": random_state,
            "factor": factor,
        },
        _CIRCLES_CONSTRAINTS,
        "make_circles",
    )
    n_outer, n_inner = _two_groups(n_samples, "make_circles")
    rng = check_random_state(random_state)

    # Full turns without the end point, so angle 0 and 2*pi are not both there.
    outer_angle = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    inner_angle = np.linspace(0, 2 * np.pi, n_inner, endpoint=False)
    X, y = _stack_groups(
        np.cos(outer_angle),
        np.sin(outer_angle),
        np.cos(inner_angle) * factor,
        np.sin(inner_angle) * factor,
    )
    return _shuffle_and_add_noise(rng, X, y, shuffle, noise)


# ---------------------------------------------------------------------------
# make_classification
# ---------------------------------------------------------------------------
def _sample_without_replacement(n_population, n_samples, rng):
    """``n_samples`` distinct ints from ``range(n_population)``, as scikit-learn draws them.

    scikit-learn's ``utils.random.sample_without_replacement`` (method
    "auto") picks its algorithm from the fraction ``n_samples / n_population``;
    each algorithm consumes the generator differently, so we follow the same
    choice:

    * a moderate fraction (strictly between 1% and 99%): the first entries of
      one random permutation of the population;
    * a small fraction (at most 1%): draw one int at a time and redraw the
      ones already taken;
    * a large fraction (at least 99%): reservoir sampling, which keeps the
      first ``n_samples`` ints and lets each later int ``i`` replace a
      random slot with probability ``n_samples / (i + 1)``.
    """
    fraction = n_samples / n_population
    if 0.01 < fraction < 0.99:
        return rng.permutation(n_population)[:n_samples]

    if fraction < 0.2:
        taken = set()
        picked = np.empty(n_samples, dtype=int)
        for i in range(n_samples):
            candidate = rng.randint(n_population)
            while candidate in taken:
                candidate = rng.randint(n_population)
            taken.add(candidate)
            picked[i] = candidate
        return picked

    reservoir = np.arange(n_samples)
    for i in range(n_samples, n_population):
        slot = rng.randint(0, i + 1)
        if slot < n_samples:
            reservoir[slot] = i
    return reservoir


def _hypercube_vertices(n_vertices, dimension, rng):
    """``n_vertices`` random vertices of the unit hypercube ``{0, 1}**dimension``.

    A vertex is the binary expansion of an int in ``[0, 2**dimension)``, most
    significant bit first; distinct ints give distinct vertices. Beyond 30
    dimensions the leading ``dimension - 30`` coordinates are plain coin
    flips (drawn first) and only the last 30 come from distinct ints, as in
    scikit-learn.
    """
    if dimension > 30:
        leading = rng.randint(2, size=(n_vertices, dimension - 30))
        return np.hstack([leading, _hypercube_vertices(n_vertices, 30, rng)])
    codes = _sample_without_replacement(2**dimension, n_vertices, rng)
    powers = np.arange(dimension - 1, -1, -1)
    return (codes[:, np.newaxis] >> powers) & 1


def _class_proportions(weights, n_classes):
    """The fraction of samples of each class, as a new list or array.

    With ``n_classes - 1`` weights the last class gets ``1 - sum(weights)``.
    The builtin ``sum`` and the container types (list stays list, arrays
    stay arrays) follow scikit-learn so that the cluster sizes computed from
    these numbers are the same.
    """
    if weights is None:
        return [1.0 / n_classes] * n_classes
    if len(weights) not in (n_classes, n_classes - 1):
        raise ValueError(
            "The 'weights' parameter of make_classification must have n_classes or "
            f"n_classes - 1 entries; got {len(weights)} weights for n_classes={n_classes}."
        )
    if len(weights) == n_classes:
        return list(weights) if isinstance(weights, (list, tuple)) else np.array(weights)
    if isinstance(weights, list):
        return weights + [1.0 - sum(weights)]
    completed = np.resize(weights, n_classes)
    completed[-1] = 1.0 - sum(completed[:-1])
    return completed


def _cluster_sizes(n_samples, proportions, n_classes, n_clusters_per_class):
    """Samples per cluster; cluster ``k`` belongs to class ``k % n_classes``.

    Each cluster gets the floor of its share, then the samples left over go
    one each to the first clusters, round robin.
    """
    n_clusters = n_classes * n_clusters_per_class
    sizes = [
        int(n_samples * proportions[k % n_classes] / n_clusters_per_class)
        for k in range(n_clusters)
    ]
    for i in range(n_samples - sum(sizes)):
        sizes[i % n_clusters] += 1
    return sizes


def _describe_features(order, n_informative, n_redundant, n_repeated):
    """The kind of each output column, given where each one came from."""
    kinds = []
    for source in order:
        if source < n_informative:
            kinds.append("informative")
        elif source < n_informative + n_redundant:
            kinds.append("redundant")
        elif source < n_informative + n_redundant + n_repeated:
            kinds.append("repeated")
        else:
            kinds.append("random")
    return kinds


_CLASSIFICATION_CONSTRAINTS = {
    "n_samples": [Interval(Integral, 1, None, closed="left")],
    "n_features": [Interval(Integral, 1, None, closed="left")],
    "n_informative": [Interval(Integral, 1, None, closed="left")],
    "n_redundant": [Interval(Integral, 0, None, closed="left")],
    "n_repeated": [Interval(Integral, 0, None, closed="left")],
    "n_classes": [Interval(Integral, 1, None, closed="left")],
    "n_clusters_per_class": [Interval(Integral, 1, None, closed="left")],
    "weights": ["array-like", None],
    "flip_y": [Interval(Real, 0, 1, closed="both")],
    "class_sep": [Interval(Real, 0, None, closed="neither")],
    "hypercube": ["boolean"],
    "shift": [Interval(Real, None, None, closed="neither"), "array-like", None],
    "scale": [Interval(Real, 0, None, closed="neither"), "array-like", None],
    "shuffle": ["boolean"],
    "random_state": ["random_state"],
    "return_X_y": ["boolean"],
}


def make_classification(
    n_samples=100,
    n_features=20,
    *,
    n_informative=2,
    n_redundant=2,
    n_repeated=0,
    n_classes=2,
    n_clusters_per_class=2,
    weights=None,
    flip_y=0.01,
    class_sep=1.0,
    hypercube=True,
    shift=0.0,
    scale=1.0,
    shuffle=True,
    random_state=None,
    return_X_y=True,
):
    """A random classification problem made of Gaussian clusters (Guyon's design).

    Each class is made of ``n_clusters_per_class`` clusters. A cluster is a
    standard normal cloud in the ``n_informative`` informative dimensions,
    deformed by a random linear map (so its features are correlated) and
    moved to a distinct vertex of the hypercube ``[-class_sep, class_sep]**
    n_informative``. Then come ``n_redundant`` random linear combinations of
    the informative features, ``n_repeated`` copies of randomly chosen
    informative or redundant features and, for the remaining columns, pure
    standard normal noise. A fraction ``flip_y`` of the labels is redrawn at
    random, and every feature can be shifted and scaled. Same output, bit for
    bit, as ``sklearn.datasets.make_classification``; the design comes from
    I. Guyon, "Design of experiments for the NIPS 2003 variable selection
    benchmark" (the "Madelon" data set).

    Parameters
    ----------
    n_samples : int, default=100
        Number of samples.
    n_features : int, default=20
        Total number of features; at least
        ``n_informative + n_redundant + n_repeated``.
    n_informative : int, default=2
        Number of informative features, the dimension of the hypercube. It
        must offer a vertex per cluster:
        ``n_classes * n_clusters_per_class <= 2**n_informative``.
    n_redundant : int, default=2
        Number of features that are random linear combinations of the
        informative ones.
    n_repeated : int, default=0
        Number of features copied from randomly chosen informative or
        redundant features.
    n_classes : int, default=2
        Number of classes.
    n_clusters_per_class : int, default=2
        Number of Gaussian clusters making up each class.
    weights : array-like of shape (n_classes,) or (n_classes - 1,), default=None
        Fraction of the samples in each class; with ``n_classes - 1`` values
        the last class gets the rest. ``None`` means balanced classes. The
        label noise of ``flip_y`` changes the final proportions a little.
    flip_y : float in [0, 1], default=0.01
        Fraction of samples whose label is replaced by a uniformly random
        class (which may be the same one); a few classes can then be missing
        from ``y`` on tiny problems.
    class_sep : float > 0, default=1.0
        Half the side of the hypercube: larger values move the clusters
        apart and make the problem easier.
    hypercube : bool, default=True
        Put the clusters on the vertices of the hypercube; if False, each
        vertex is further multiplied by random factors, which gives the
        vertices of a random polytope instead.
    shift : float, array-like of shape (n_features,) or None, default=0.0
        Added to every feature; ``None`` draws one shift per feature
        uniformly in ``[-class_sep, class_sep]``.
    scale : float, array-like of shape (n_features,) or None, default=1.0
        Multiplies every feature after the shift; ``None`` draws one factor
        per feature uniformly in ``[1, 101]``.
    shuffle : bool, default=True
        Shuffle the samples and the order of the features. Without it, the
        columns come as informative, redundant, repeated, then noise.
    random_state : int, numpy.random.RandomState or None, default=None
        Seed or generator for every random draw.
    return_X_y : bool, default=True
        Return ``(X, y)``; if False, return a :class:`Bunch` instead.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The samples, float64 (when ``return_X_y=True``).
    y : ndarray of shape (n_samples,)
        The integer class of each sample, int64 (when ``return_X_y=True``).
    bunch : Bunch
        When ``return_X_y=False``: keys ``X``, ``y``, ``feature_info`` (the
        kind of each column: "informative", "redundant", "repeated" or
        "random"), ``parameters`` (the arguments, with the drawn ``shift``
        and ``scale`` when they were None) and ``DESCR`` (this docstring).

    See Also
    --------
    make_blobs : Plain isotropic Gaussian clusters.

    Examples
    --------
    >>> from purecluster.datasets import make_classification
    >>> X, y = make_classification(n_samples=50, n_features=4, random_state=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((50, 4), [0, 1])
    >>> make_classification(n_features=4, random_state=0, return_X_y=False).feature_info
    ['informative', 'redundant', 'informative', 'redundant']
    """
    parameters = {
        "n_samples": n_samples,
        "n_features": n_features,
        "n_informative": n_informative,
        "n_redundant": n_redundant,
        "n_repeated": n_repeated,
        "n_classes": n_classes,
        "n_clusters_per_class": n_clusters_per_class,
        "weights": weights,
        "flip_y": flip_y,
        "class_sep": class_sep,
        "hypercube": hypercube,
        "shift": shift,
        "scale": scale,
        "shuffle": shuffle,
        "random_state": random_state,
        "return_X_y": return_X_y,
    }
    validate_params(parameters, _CLASSIFICATION_CONSTRAINTS, "make_classification")
    rng = check_random_state(random_state)

    n_useful = n_informative + n_redundant + n_repeated
    if n_useful > n_features:
        raise ValueError(
            "make_classification needs n_informative + n_redundant + n_repeated <= "
            f"n_features; got {n_informative} + {n_redundant} + {n_repeated} = {n_useful} "
            f"for n_features={n_features}."
        )
    n_clusters = n_classes * n_clusters_per_class
    # n_clusters <= 2**n_informative, tested on bit lengths to avoid building 2**n.
    if int(n_clusters - 1).bit_length() > n_informative:
        raise ValueError(
            "make_classification needs one hypercube vertex per cluster: n_classes * "
            "n_clusters_per_class must be at most 2**n_informative; got "
            f"n_classes={n_classes} * n_clusters_per_class={n_clusters_per_class} = "
            f"{n_clusters} clusters for n_informative={n_informative}."
        )
    proportions = _class_proportions(weights, n_classes)
    sizes = _cluster_sizes(n_samples, proportions, n_classes, n_clusters_per_class)

    X = np.zeros((n_samples, n_features))
    y = np.zeros(n_samples, dtype=int)

    # Draw 1: the cluster centers. Vertices of {0, 1}**n_informative are
    # mapped onto {-class_sep, +class_sep}**n_informative by x -> 2*s*x - s.
    centroids = _hypercube_vertices(n_clusters, n_informative, rng).astype(float)
    centroids *= 2 * class_sep
    centroids -= class_sep
    if not hypercube:
        # Draws 1b: a random factor per cluster, then one per dimension.
        centroids *= rng.uniform(size=(n_clusters, 1))
        centroids *= rng.uniform(size=(1, n_informative))

    # Draw 2: standard normal informative features for all samples at once.
    X[:, :n_informative] = rng.standard_normal(size=(n_samples, n_informative))

    # Draws 3: per cluster, a random linear map with entries uniform in
    # [-1, 1) (it correlates the features), then the move to its vertex.
    stop = 0
    for k, centroid in enumerate(centroids):
        start, stop = stop, stop + sizes[k]
        y[start:stop] = k % n_classes
        cluster = X[start:stop, :n_informative]
        mixing = 2 * rng.uniform(size=(n_informative, n_informative)) - 1
        cluster[...] = np.dot(cluster, mixing)
        cluster += centroid

    # Draw 4: redundant features, random combinations of the informative ones.
    if n_redundant > 0:
        combination = 2 * rng.uniform(size=(n_informative, n_redundant)) - 1
        X[:, n_informative : n_informative + n_redundant] = np.dot(
            X[:, :n_informative], combination
        )

    # Draw 5: which informative/redundant columns to repeat (rounded uniform).
    n_kept = n_informative + n_redundant
    if n_repeated > 0:
        sources = ((n_kept - 1) * rng.uniform(size=n_repeated) + 0.5).astype(np.intp)
        X[:, n_kept:n_useful] = X[:, sources]

    # Draw 6: the noise features fill the last columns.
    n_random = n_features - n_useful
    if n_random > 0:
        X[:, -n_random:] = rng.standard_normal(size=(n_samples, n_random))

    # Draw 7: which labels to flip, then their new values. scikit-learn draws
    # the mask even for flip_y == 0, so we do too to keep the stream aligned.
    flipped = rng.uniform(size=n_samples) < flip_y
    y[flipped] = rng.randint(n_classes, size=flipped.sum())

    # Draws 8 and 9: random shift and scale per feature, when asked for.
    if shift is None:
        shift = (2 * rng.uniform(size=n_features) - 1) * class_sep
    X += shift
    if scale is None:
        scale = 1 + 100 * rng.uniform(size=n_features)
    X *= scale

    # Draws 10 and 11: permute the samples, then the features.
    feature_order = np.arange(n_features)
    if shuffle:
        X, y = _shuffle_rows(rng, X, y)
        rng.shuffle(feature_order)
        X[:, :] = X[:, feature_order]

    if return_X_y:
        return X, y
    parameters.update(shift=shift, scale=scale)
    return Bunch(
        DESCR=make_classification.__doc__,
        parameters=parameters,
        feature_info=_describe_features(feature_order, n_informative, n_redundant, n_repeated),
        X=X,
        y=y,
    )
