"""Tests of purecluster.datasets against scikit-learn, used here as the oracle.

The generators must return bit-for-bit the arrays scikit-learn returns for
the same arguments, with the same dtypes; the digits loader the same arrays
as ``sklearn.datasets.load_digits``.
"""

import doctest
import pickle
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import purecluster.datasets as pcd
from purecluster.datasets import (
    Bunch,
    load_digits,
    make_blobs,
    make_circles,
    make_classification,
    make_moons,
    seminar_datasets,
)

skd = pytest.importorskip("sklearn.datasets")

SETTINGS = settings(max_examples=40, deadline=None)
SEEDS = st.integers(0, 2**32 - 1)


def assert_same_output(ours, theirs):
    """Same number of outputs, each with the same dtype, shape and values."""
    if isinstance(theirs, np.ndarray):
        ours, theirs = (ours,), (theirs,)
    assert len(ours) == len(theirs)
    for mine, reference in zip(ours, theirs, strict=True):
        assert isinstance(mine, np.ndarray)
        assert mine.dtype == reference.dtype
        assert mine.shape == reference.shape
        np.testing.assert_array_equal(mine, reference, strict=True)


def both(name, *args, **kwargs):
    """Call the purecluster and the scikit-learn generator with the same arguments."""
    return getattr(pcd, name)(*args, **kwargs), getattr(skd, name)(*args, **kwargs)


# ---------------------------------------------------------------------------
# the seminar's five data sets
# ---------------------------------------------------------------------------
SEMINAR_CALLS = [
    (
        "make_classification",
        dict(
            n_samples=500,
            n_features=2,
            n_redundant=0,
            n_informative=2,
            n_clusters_per_class=1,
            n_classes=3,
            class_sep=2,
            random_state=12345,
        ),
    ),
    (
        "make_blobs",
        dict(n_samples=500, n_features=2, centers=5, cluster_std=1.5, random_state=12345),
    ),
    ("make_moons", dict(n_samples=500, noise=0.1, random_state=12345)),
    ("make_circles", dict(n_samples=500, factor=0.1, noise=0.1, random_state=12345)),
]


@pytest.mark.tiny
@pytest.mark.parametrize("name, kwargs", SEMINAR_CALLS, ids=[c[0] for c in SEMINAR_CALLS])
def test_seminar_arguments_match_sklearn(name, kwargs):
    assert_same_output(*both(name, **kwargs))


@pytest.mark.tiny
def test_seminar_datasets():
    datasets = seminar_datasets()
    assert [name for name, _ in datasets] == ["merce", "blobs", "moons", "circles", "none"]
    for (_, (X, y)), (name, kwargs) in zip(datasets[:4], SEMINAR_CALLS, strict=True):
        assert_same_output((X, y), getattr(skd, name)(**kwargs))
    X, y = datasets[4][1]
    np.testing.assert_array_equal(X, np.random.RandomState(12345).rand(500, 2), strict=True)
    np.testing.assert_array_equal(y, np.zeros(500, dtype=int), strict=True)


def test_seminar_datasets_other_size_and_seed():
    datasets = seminar_datasets(n_samples=37, random_state=3)
    for (_, (X, y)), (name, kwargs) in zip(datasets[:4], SEMINAR_CALLS, strict=True):
        assert_same_output(
            (X, y), getattr(skd, name)(**{**kwargs, "n_samples": 37, "random_state": 3})
        )
    assert datasets[4][1][0].shape == (37, 2)
    # reproducible from call to call
    again = seminar_datasets(n_samples=37, random_state=3)
    for (_, first), (_, second) in zip(datasets, again, strict=True):
        assert_same_output(first, second)


# ---------------------------------------------------------------------------
# make_blobs
# ---------------------------------------------------------------------------
@st.composite
def blobs_arguments(draw):
    kwargs = {"random_state": draw(SEEDS), "shuffle": draw(st.booleans())}
    n_features = draw(st.integers(1, 4))
    kwargs["n_features"] = n_features
    per_blob = draw(st.booleans())
    if per_blob:
        kwargs["n_samples"] = draw(st.lists(st.integers(0, 8), min_size=1, max_size=4))
        n_centers = len(kwargs["n_samples"])
        centers_kind = draw(st.sampled_from(["none", "array"]))
    else:
        kwargs["n_samples"] = draw(st.integers(1, 30))
        centers_kind = draw(st.sampled_from(["default", "none", "int", "array"]))
        n_centers = draw(st.integers(1, 5)) if centers_kind in ("int", "array") else 3
    if centers_kind == "int":
        kwargs["centers"] = n_centers
    elif centers_kind == "none":
        kwargs["centers"] = None
    elif centers_kind == "array":
        coordinate = st.floats(-50, 50, allow_nan=False)
        kwargs["centers"] = np.array(
            draw(
                st.lists(
                    st.lists(coordinate, min_size=n_features, max_size=n_features),
                    min_size=n_centers,
                    max_size=n_centers,
                )
            )
        )
    std = st.floats(0, 5, allow_nan=False)
    if draw(st.booleans()):
        kwargs["cluster_std"] = draw(std)
    else:
        kwargs["cluster_std"] = draw(st.lists(std, min_size=n_centers, max_size=n_centers))
    if draw(st.booleans()):
        low = draw(st.floats(-20, 20))
        kwargs["center_box"] = (low, low + draw(st.floats(0, 20)))
    kwargs["return_centers"] = draw(st.booleans())
    return kwargs


@SETTINGS
@given(blobs_arguments())
def test_make_blobs_matches_sklearn(kwargs):
    assert_same_output(*both("make_blobs", **kwargs))


@pytest.mark.tiny
def test_make_blobs_defaults_and_positional():
    assert_same_output(*both("make_blobs", 11, 3, random_state=0))
    assert_same_output(*both("make_blobs", random_state=0))


def test_make_blobs_integer_centers_keep_their_dtype():
    centers = [[1, 2], [3, 4], [5, 6]]
    assert_same_output(
        *both("make_blobs", 10, centers=centers, return_centers=True, random_state=1)
    )
    assert_same_output(
        *both(
            "make_blobs", [1, 2, 3], centers=np.array(centers), return_centers=True, random_state=1
        )
    )


def test_make_blobs_array_n_samples():
    assert_same_output(*both("make_blobs", np.array([4, 0, 2]), random_state=5))
    assert_same_output(
        *both("make_blobs", (2, 3), cluster_std=np.array([0.5, 2.0]), random_state=5)
    )


# ---------------------------------------------------------------------------
# make_moons and make_circles
# ---------------------------------------------------------------------------
def two_group_sizes(smallest_total):
    pair = st.tuples(st.integers(0, 20), st.integers(0, 20))
    return st.one_of(st.integers(smallest_total, 41), pair)


NOISE = st.one_of(st.none(), st.floats(0, 2, allow_nan=False))


@SETTINGS
@given(two_group_sizes(1), NOISE, st.booleans(), SEEDS)
def test_make_moons_matches_sklearn(n_samples, noise, shuffle, seed):
    kwargs = dict(n_samples=n_samples, noise=noise, shuffle=shuffle, random_state=seed)
    assert_same_output(*both("make_moons", **kwargs))


@SETTINGS
@given(
    two_group_sizes(0),
    NOISE,
    st.booleans(),
    SEEDS,
    st.floats(0, 1, exclude_max=True, allow_nan=False),
)
def test_make_circles_matches_sklearn(n_samples, noise, shuffle, seed, factor):
    kwargs = dict(
        n_samples=n_samples, noise=noise, shuffle=shuffle, random_state=seed, factor=factor
    )
    assert_same_output(*both("make_circles", **kwargs))


@pytest.mark.tiny
def test_moons_and_circles_geometry():
    X, y = make_moons(n_samples=(3, 3), shuffle=False)
    # upper moon: unit half circle around the origin; lower moon around (1, 0.5)
    np.testing.assert_allclose(np.hypot(X[:3, 0], X[:3, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(X[3:, 0] - 1, X[3:, 1] - 0.5), 1.0)
    assert (X[:3, 1] >= 0).all() and (X[3:, 1] <= 0.5).all()
    X, y = make_circles(n_samples=(5, 4), factor=0.25, shuffle=False)
    np.testing.assert_allclose(np.hypot(*X.T), [1.0] * 5 + [0.25] * 4)
    np.testing.assert_array_equal(y, [0] * 5 + [1] * 4)


# ---------------------------------------------------------------------------
# make_classification
# ---------------------------------------------------------------------------
@st.composite
def classification_arguments(draw):
    n_informative = draw(st.integers(1, 6))
    n_classes = draw(st.integers(1, 4))
    n_clusters_per_class = draw(st.integers(1, 3))
    while n_classes * n_clusters_per_class > 2**n_informative:
        n_informative += 1
    n_redundant = draw(st.integers(0, 3))
    n_repeated = draw(st.integers(0, 3))
    n_features = n_informative + n_redundant + n_repeated + draw(st.integers(0, 3))
    kwargs = dict(
        n_samples=draw(st.integers(1, 60)),
        n_features=n_features,
        n_informative=n_informative,
        n_redundant=n_redundant,
        n_repeated=n_repeated,
        n_classes=n_classes,
        n_clusters_per_class=n_clusters_per_class,
        flip_y=draw(st.floats(0, 1, allow_nan=False)),
        class_sep=draw(st.floats(0.01, 5, allow_nan=False)),
        hypercube=draw(st.booleans()),
        shuffle=draw(st.booleans()),
        random_state=draw(SEEDS),
    )
    fraction = st.floats(0, 1, allow_nan=False)
    n_weights = draw(st.sampled_from([None, n_classes, n_classes - 1]))
    if n_weights is not None:
        weights = draw(st.lists(fraction, min_size=n_weights, max_size=n_weights))
        kwargs["weights"] = np.array(weights) if draw(st.booleans()) else weights
    for name, values in (("shift", st.floats(-5, 5)), ("scale", st.floats(0.01, 5))):
        kind = draw(st.sampled_from(["default", "none", "number", "array"]))
        if kind == "none":
            kwargs[name] = None
        elif kind == "number":
            kwargs[name] = draw(values)
        elif kind == "array":
            kwargs[name] = np.array(
                draw(st.lists(values, min_size=n_features, max_size=n_features))
            )
    return kwargs


@SETTINGS
@given(classification_arguments())
def test_make_classification_matches_sklearn(kwargs):
    assert_same_output(*both("make_classification", **kwargs))


@pytest.mark.parametrize(
    "kwargs",
    [
        # the three ways of drawing distinct hypercube vertices, by the
        # fraction n_clusters / 2**n_informative: >= 99%, in between, <= 1%
        dict(n_informative=1, n_redundant=0, n_classes=2, n_clusters_per_class=1),
        dict(n_informative=2, n_redundant=0, n_classes=4, n_clusters_per_class=1),
        dict(n_informative=3, n_classes=2, n_clusters_per_class=3),
        dict(n_informative=10, n_classes=5, n_clusters_per_class=2),
        dict(n_informative=12, n_classes=3, n_clusters_per_class=4),
        # more than 30 informative features: leading coordinates are coin flips
        dict(n_features=40, n_informative=33, n_redundant=0, n_classes=3),
        # defaults, and every random option on
        dict(),
        dict(
            n_features=9,
            n_repeated=3,
            hypercube=False,
            shift=None,
            scale=None,
            weights=[0.7],
            flip_y=0.3,
        ),
        dict(weights=np.array([0.2]), n_clusters_per_class=1),
        dict(weights=[0.6, 0.5], n_clusters_per_class=1),  # weights sum past 1
        dict(flip_y=0.0, shuffle=False),
    ],
)
def test_make_classification_special_cases(kwargs):
    assert_same_output(*both("make_classification", n_samples=50, random_state=7, **kwargs))


@pytest.mark.tiny
def test_make_classification_bunch():
    kwargs = dict(
        n_samples=30,
        n_features=8,
        n_repeated=2,
        shift=None,
        scale=None,
        random_state=2,
        return_X_y=False,
    )
    ours, theirs = both("make_classification", **kwargs)
    assert isinstance(ours, Bunch)
    assert set(ours) == set(theirs)
    assert_same_output((ours.X, ours.y), (theirs.X, theirs.y))
    assert ours.feature_info == theirs.feature_info
    assert set(ours.parameters) == set(theirs.parameters)
    for key, value in theirs.parameters.items():
        np.testing.assert_array_equal(ours.parameters[key], value)
    assert "Guyon" in ours.DESCR


# ---------------------------------------------------------------------------
# random_state
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["make_blobs", "make_moons", "make_circles", "make_classification"]
)
def test_random_state_instances_and_global_state(name):
    kwargs = {"n_samples": 20} if name != "make_moons" else {"n_samples": 20, "noise": 0.1}
    if name == "make_circles":
        kwargs["noise"] = 0.1
    ours_rng, their_rng = np.random.RandomState(4), np.random.RandomState(4)
    ours = getattr(pcd, name)(random_state=ours_rng, **kwargs)
    theirs = getattr(skd, name)(random_state=their_rng, **kwargs)
    assert_same_output(ours, theirs)
    # the generators consumed the same number of draws
    assert ours_rng.randint(2**31) == their_rng.randint(2**31)

    # random_state=None draws from NumPy's global RandomState
    state = np.random.get_state()  # noqa: NPY002
    try:
        np.random.seed(9)  # noqa: NPY002
        ours = getattr(pcd, name)(**kwargs)
        np.random.seed(9)  # noqa: NPY002
        theirs = getattr(skd, name)(**kwargs)
    finally:
        np.random.set_state(state)  # noqa: NPY002
    assert_same_output(ours, theirs)


# ---------------------------------------------------------------------------
# the caller's arguments are left alone
# ---------------------------------------------------------------------------
@pytest.mark.tiny
def test_array_arguments_are_not_modified():
    centers = np.array([[0.0, 1.0], [2.0, 3.0]])
    stds = np.array([0.5, 1.5])
    sizes = [3, 4]
    X, y, returned = make_blobs(
        sizes, centers=centers, cluster_std=stds, return_centers=True, random_state=0
    )
    returned += 100  # the centers handed back are a copy
    np.testing.assert_array_equal(centers, [[0.0, 1.0], [2.0, 3.0]])
    np.testing.assert_array_equal(stds, [0.5, 1.5])
    assert sizes == [3, 4]

    for weights in ([0.3], [0.3, 0.7], np.array([0.3]), np.array([0.3, 0.7])):
        before = np.array(weights, copy=True)
        shift, scale = np.arange(5.0), np.ones(5)
        make_classification(20, 5, weights=weights, shift=shift, scale=scale, random_state=0)
        np.testing.assert_array_equal(weights, before)
        assert len(weights) == len(before)
        np.testing.assert_array_equal(shift, np.arange(5.0))
        np.testing.assert_array_equal(scale, np.ones(5))


# ---------------------------------------------------------------------------
# bad parameters
# ---------------------------------------------------------------------------
BAD_PARAMETERS = [
    (
        make_blobs,
        dict(n_samples=-3),
        "The 'n_samples' parameter of make_blobs must be an int in the range [1, inf) or an "
        "array-like. Got -3 instead.",
    ),
    (make_blobs, dict(n_features=0), "'n_features' parameter of make_blobs"),
    (make_blobs, dict(centers=0), "'centers' parameter of make_blobs"),
    (make_blobs, dict(cluster_std=-1.0), "'cluster_std' parameter of make_blobs"),
    (make_blobs, dict(center_box=[0, 1]), "'center_box' parameter of make_blobs"),
    (make_blobs, dict(shuffle="yes"), "'shuffle' parameter of make_blobs"),
    (make_blobs, dict(random_state="seed"), "'random_state' parameter of make_blobs"),
    (make_blobs, dict(return_centers=1), "'return_centers' parameter of make_blobs"),
    (
        make_moons,
        dict(n_samples=0),
        "The 'n_samples' parameter of make_moons must be an int in the range [1, inf) or an "
        "instance of 'tuple'. Got 0 instead.",
    ),
    (make_moons, dict(n_samples=[2, 3]), "'n_samples' parameter of make_moons"),
    (make_moons, dict(noise=-0.1), "'noise' parameter of make_moons"),
    (make_circles, dict(n_samples=-1), "'n_samples' parameter of make_circles"),
    (
        make_circles,
        dict(factor=1.0),
        "The 'factor' parameter of make_circles must be a float in the range [0.0, 1.0). "
        "Got 1.0 instead.",
    ),
    (make_circles, dict(noise="a"), "'noise' parameter of make_circles"),
    (make_classification, dict(n_informative=0), "'n_informative' parameter"),
    (make_classification, dict(n_redundant=-1), "'n_redundant' parameter"),
    (make_classification, dict(n_repeated=-1), "'n_repeated' parameter"),
    (make_classification, dict(n_classes=0), "'n_classes' parameter"),
    (make_classification, dict(n_clusters_per_class=0), "'n_clusters_per_class' parameter"),
    (make_classification, dict(weights=0.5), "'weights' parameter"),
    (make_classification, dict(flip_y=1.5), "'flip_y' parameter"),
    (make_classification, dict(class_sep=0), "'class_sep' parameter"),
    (make_classification, dict(hypercube=None), "'hypercube' parameter"),
    (make_classification, dict(scale=0.0), "'scale' parameter"),
    (make_classification, dict(shift="x"), "'shift' parameter"),
    (make_classification, dict(return_X_y="no"), "'return_X_y' parameter"),
    (
        load_digits,
        dict(n_class=11),
        "The 'n_class' parameter of load_digits must be an int in the range [1, 10]. "
        "Got 11 instead.",
    ),
    (load_digits, dict(as_frame=None), "'as_frame' parameter of load_digits"),
    (seminar_datasets, dict(n_samples=0), "'n_samples' parameter of seminar_datasets"),
]


@pytest.mark.tiny
@pytest.mark.parametrize("function, kwargs, message", BAD_PARAMETERS)
def test_bad_parameters(function, kwargs, message):
    with pytest.raises((ValueError, TypeError), match=re.escape(message)) as info:
        function(**kwargs)
    # both ValueError and TypeError, as scikit-learn's InvalidParameterError
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)


INCONSISTENT_PARAMETERS = [
    (make_blobs, dict(n_samples=[2, 3], centers=2), "'centers'"),
    (make_blobs, dict(n_samples=[2, 3], centers=[[0, 0]]), "'n_samples' and 'centers'"),
    (make_blobs, dict(centers=[0.0, 1.0]), "2-D array"),
    (make_blobs, dict(centers=[["a", "b"]]), "numbers"),
    (make_blobs, dict(centers=[[0.0, np.nan]]), "finite"),
    (make_blobs, dict(centers=3, cluster_std=[1.0, 2.0]), "'cluster_std'"),
    (make_blobs, dict(center_box=(1.0,)), "'center_box'"),
    (make_moons, dict(n_samples=(1, 2, 3)), "'n_samples'"),
    (make_circles, dict(n_samples=(1,)), "'n_samples'"),
    (make_classification, dict(n_features=3), "n_informative + n_redundant + n_repeated"),
    (
        make_classification,
        dict(n_classes=3, n_clusters_per_class=2),
        "n_classes * n_clusters_per_class must be at most 2**n_informative",
    ),
    (make_classification, dict(n_classes=3, n_clusters_per_class=1, weights=[0.5]), "'weights'"),
]


@pytest.mark.parametrize("function, kwargs, message", INCONSISTENT_PARAMETERS)
def test_inconsistent_parameters(function, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        function(**kwargs)
    if function is not make_blobs or "center_box" not in kwargs:
        # scikit-learn refuses them too (it accepts a center_box of any length >= 2)
        with pytest.raises(ValueError):
            getattr(skd, function.__name__)(**kwargs)


# ---------------------------------------------------------------------------
# load_digits
# ---------------------------------------------------------------------------
@pytest.mark.tiny
def test_load_digits_matches_sklearn():
    ours, theirs = load_digits(), skd.load_digits()
    assert isinstance(ours, Bunch)
    assert set(ours) == set(theirs)
    for key in ("data", "images", "target", "target_names"):
        assert_same_output(ours[key], theirs[key])
    assert ours.data.shape == (1797, 64) and ours.images.shape == (1797, 8, 8)
    assert ours.feature_names == theirs.feature_names
    assert ours.frame is None
    assert "Alpaydin" in ours.DESCR and "CC BY 4.0" in ours.DESCR
    # data and images are separate arrays, as in scikit-learn
    assert not np.shares_memory(ours.data, ours.images)


@pytest.mark.parametrize("n_class", [1, 2, 5, 9, 10])
@pytest.mark.parametrize("return_X_y", [False, True])
def test_load_digits_n_class_and_return_X_y(n_class, return_X_y):
    ours = load_digits(n_class=n_class, return_X_y=return_X_y)
    theirs = skd.load_digits(n_class=n_class, return_X_y=return_X_y)
    if return_X_y:
        assert isinstance(ours, tuple)
        assert_same_output(ours, theirs)
    else:
        for key in ("data", "images", "target", "target_names"):
            assert_same_output(ours[key], theirs[key])


def test_load_digits_as_frame():
    pd = pytest.importorskip("pandas")
    ours, theirs = load_digits(as_frame=True), skd.load_digits(as_frame=True)
    pd.testing.assert_frame_equal(ours.frame, theirs.frame)
    pd.testing.assert_frame_equal(ours.data, theirs.data)
    pd.testing.assert_series_equal(ours.target, theirs.target)
    assert_same_output(ours.images, theirs.images)
    X, y = load_digits(n_class=3, as_frame=True, return_X_y=True)
    X_ref, y_ref = skd.load_digits(n_class=3, as_frame=True, return_X_y=True)
    pd.testing.assert_frame_equal(X, X_ref)
    pd.testing.assert_series_equal(y, y_ref)


def test_load_digits_as_frame_without_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes "import pandas" fail
    with pytest.raises(ImportError, match="requires pandas"):
        load_digits(as_frame=True)
    assert load_digits(return_X_y=True)[0].shape == (1797, 64)


# ---------------------------------------------------------------------------
# Bunch, docstrings, imports
# ---------------------------------------------------------------------------
@pytest.mark.tiny
def test_bunch():
    b = Bunch(a=1)
    b.b = 2
    assert b["b"] == 2 and b.a == 1 and isinstance(b, dict)
    with pytest.raises(AttributeError):
        b.missing  # noqa: B018
    restored = pickle.loads(pickle.dumps(b))
    assert restored == b and restored.b == 2
    restored.c = 3
    assert restored["c"] == 3
    del b.a
    assert "a" not in b


@pytest.mark.parametrize(
    "module_name",
    ["_base", "_digits", "_samples_generator", "_seminar"],
)
def test_docstring_examples(module_name):
    module = sys.modules[f"purecluster.datasets.{module_name}"]
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_no_sklearn_or_scipy_at_runtime():
    # Make both unimportable (a None entry in sys.modules makes "import"
    # raise ImportError), then use every function of the subpackage. Numba
    # treats scipy as optional, so only our own code could fail here.
    code = (
        "import sys\n"
        "sys.modules['sklearn'] = sys.modules['scipy'] = None\n"
        "import purecluster.datasets as d\n"
        "d.load_digits(); d.seminar_datasets(n_samples=20)\n"
        "d.make_classification(n_samples=10, return_X_y=False)\n"
        "d.make_blobs(n_samples=[2, 3], centers=[[0, 0], [1, 1]])\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
