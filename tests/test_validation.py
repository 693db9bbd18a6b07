"""Every input check of ``_validation`` and its message, and that input is never mutated."""

import numbers
import pickle

import numpy as np
import pytest

from purecluster._validation import (
    Interval,
    StrOptions,
    check_array,
    check_consistent_length,
    check_is_fitted,
    check_random_state,
    check_sample_weight,
    validate_params,
)
from purecluster.exceptions import InvalidParameterError, NotFittedError

pytestmark = pytest.mark.tiny


# ---------------------------------------------------------------- random_state
def test_random_state_none_is_numpy_global_stream():
    assert check_random_state(None) is np.random.mtrand._rand


def test_random_state_int_and_instance():
    rs = check_random_state(7)
    assert isinstance(rs, np.random.RandomState)
    assert rs.randint(1000) == np.random.RandomState(7).randint(1000)
    given = np.random.RandomState(3)
    assert check_random_state(given) is given
    assert check_random_state(np.int64(7)).randint(1000) == np.random.RandomState(7).randint(1000)


def test_random_state_matches_sklearn():
    sk = pytest.importorskip("sklearn.utils")
    for seed in [0, 1, 12345, 2**32 - 1]:
        ours = check_random_state(seed).uniform(size=5)
        theirs = sk.check_random_state(seed).uniform(size=5)
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("seed", [0, 1, 10, 12345, 2**31, 2**32 - 1, np.int64(7), np.uint32(9)])
def test_random_state_from_int_is_numpys_state(seed):
    """An int seed gives NumPy's ``RandomState(seed)`` word for word (built without OS entropy)."""
    ours, theirs = check_random_state(seed).get_state(), np.random.RandomState(seed).get_state()
    assert ours[0] == theirs[0]
    np.testing.assert_array_equal(ours[1], theirs[1])
    assert ours[2:] == theirs[2:]
    # and two generators from one seed are distinct objects with the same stream
    a, b = check_random_state(seed), check_random_state(seed)
    assert a is not b
    np.testing.assert_array_equal(a.standard_normal(5), b.standard_normal(5))


@pytest.mark.parametrize("seed", [-1, 2**32, 2**70])
def test_random_state_out_of_range_int_is_numpys_error(seed):
    with pytest.raises(ValueError) as theirs:
        np.random.RandomState(seed)
    with pytest.raises(ValueError) as ours:
        check_random_state(seed)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("bad", ["seed", 1.5, [1, 2], np.random.default_rng(0)])
def test_random_state_rejects_other_values(bad):
    with pytest.raises(ValueError, match="cannot be used to seed a numpy.random.RandomState"):
        check_random_state(bad)


# ---------------------------------------------------------- parameter checks
CONSTRAINTS = {
    "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
    "tol": [Interval(numbers.Real, 0, None, closed="left")],
    "alpha": [Interval(numbers.Real, 0, 1, closed="neither")],
    "n_init": [StrOptions({"auto"}), Interval(numbers.Integral, 1, None, closed="left")],
    "init": [StrOptions({"k-means++", "random"}), callable, "array-like"],
    "random_state": ["random_state"],
    "copy_x": ["boolean"],
    "verbose": ["verbose"],
    "threshold": [Interval(numbers.Real, 0, None, closed="left"), None],
}


@pytest.mark.parametrize(
    "name, value, message",
    [
        (
            "n_clusters",
            0,
            r"The 'n_clusters' parameter of KMeans must be an int in the range \[1, inf\)\. "
            r"Got 0 instead\.",
        ),
        ("n_clusters", 2.0, r"'n_clusters' .* an int in the range \[1, inf\)\. Got 2\.0 instead"),
        ("n_clusters", True, r"'n_clusters' .* Got True instead"),
        ("tol", -1e-3, r"'tol' .* a float in the range \[0\.0, inf\)\. Got -0\.001 instead"),
        ("tol", float("nan"), r"'tol' .* Got nan instead"),
        ("alpha", 1, r"'alpha' .* a float in the range \(0\.0, 1\.0\)\. Got 1 instead"),
        (
            "n_init",
            "sometimes",
            r"'n_init' .* a str among \{'auto'\} or an int in the range \[1, inf\)\. "
            r"Got 'sometimes' instead",
        ),
        (
            "init",
            "kmeans",
            r"'init' .* a str among \{'k-means\+\+', 'random'\}, a callable or an array-like\. "
            r"Got 'kmeans' instead",
        ),
        ("random_state", -1, r"'random_state' .*RandomState' or None\. Got -1 instead"),
        ("copy_x", "yes", r"'copy_x' .* an instance of 'bool'\. Got 'yes' instead"),
        ("verbose", -2, r"'verbose' .* Got -2 instead"),
        ("threshold", "high", r"'threshold' .* a float in the range \[0\.0, inf\) or None\."),
    ],
)
def test_parameter_messages_name_parameter_allowed_and_received(name, value, message):
    with pytest.raises(InvalidParameterError, match=message):
        validate_params({name: value}, CONSTRAINTS, "KMeans")


def test_invalid_parameter_error_is_value_and_type_error():
    assert issubclass(InvalidParameterError, ValueError)
    assert issubclass(InvalidParameterError, TypeError)


@pytest.mark.parametrize(
    "name, value",
    [
        ("n_clusters", 1),
        ("n_clusters", np.int64(3)),
        ("tol", 0),
        ("tol", 0.5),
        ("n_init", "auto"),
        ("n_init", 10),
        ("init", "random"),
        ("init", np.zeros((2, 2))),
        ("init", lambda X, k, random_state: X[:k]),
        ("random_state", None),
        ("random_state", np.random.RandomState(0)),
        ("copy_x", np.bool_(True)),
        ("verbose", False),
        ("verbose", 2),
        ("threshold", None),
        ("unconstrained", object()),
    ],
)
def test_valid_parameters_pass(name, value):
    validate_params({name: value}, CONSTRAINTS, "KMeans")


# -------------------------------------------------------------------- arrays
def test_lists_become_float64_c_contiguous():
    X = check_array([[1, 2], [3, 4]])
    assert X.dtype == np.float64 and X.flags.c_contiguous


@pytest.mark.parametrize("source", [np.int32, np.int64, np.uint8, bool, np.float16])
def test_other_numbers_become_float64(source):
    assert check_array(np.ones((3, 2), dtype=source)).dtype == np.float64


def test_float32_kept_and_float64_kept():
    assert check_array(np.ones((3, 2), dtype=np.float32)).dtype == np.float32
    assert check_array(np.ones((3, 2))).dtype == np.float64


def test_fortran_and_strided_input_become_c_contiguous():
    X = np.asfortranarray(np.arange(12.0).reshape(4, 3))
    out = check_array(X)
    assert out.flags.c_contiguous
    np.testing.assert_array_equal(out, X)
    strided = np.arange(24.0).reshape(4, 6)[:, ::2]
    np.testing.assert_array_equal(check_array(strided), strided)


def test_read_only_input_is_copied_to_a_writeable_array():
    X = np.arange(6.0).reshape(3, 2)
    X.flags.writeable = False
    out = check_array(X)
    assert out.flags.writeable and out is not X


def test_copy_true_never_aliases_the_caller():
    X = np.arange(6.0).reshape(3, 2)
    out = check_array(X, copy=True)
    assert not np.shares_memory(out, X)


def test_caller_array_is_never_modified():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    before = X.copy()
    out = check_array(X, copy=True)
    out += 1
    np.testing.assert_array_equal(X, before)


def test_dataframe_accepted():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 5.0, 6.0]})
    out = check_array(frame)
    np.testing.assert_array_equal(out, [[1, 4], [2, 5], [3, 6]])
    assert out.dtype == np.float64


@pytest.mark.parametrize(
    "X, message",
    [
        (np.array([1.0, 2.0]), r"Expected a 2D array for X, got a 1D array instead"),
        (np.array(3.0), r"Expected a 2D array for X, got a scalar array"),
        (np.zeros((2, 2, 2)), r"Found array with dim 3"),
        (np.zeros((0, 3)), r"Found array with 0 sample\(s\) \(shape=\(0, 3\)\) while a minimum"),
        (np.zeros((3, 0)), r"0 feature\(s\) \(shape=\(3, 0\)\) while a minimum of 1"),
        ([[1.0, np.nan]], r"Input X contains NaN"),
        ([[1.0, np.inf]], r"Input X contains infinity"),
        ([[1.0, -np.inf]], r"Input X contains infinity"),
        (np.array([[1 + 2j, 0]]), r"Complex data not supported"),
        ([[1.0, 2.0], [3.0]], r"Could not convert X to a numeric array"),
    ],
)
def test_bad_arrays_raise_value_error(X, message):
    with pytest.raises(ValueError, match=message):
        check_array(X)


def test_huge_finite_values_are_not_reported_as_infinite():
    # the fast path sums the array: it overflows, and the exact test must run
    X = np.full((4, 2), np.finfo(np.float64).max)
    assert check_array(X) is X


def test_min_samples_message_names_estimator():
    with pytest.raises(ValueError, match=r"minimum of 2 is required by KMeans"):
        check_array([[1.0, 2.0]], ensure_min_samples=2, estimator_name="KMeans")


@pytest.mark.parametrize(
    "X", [[["a", "b"], ["c", "d"]], np.array([["1", "x"]], dtype=object), [[object(), 1.0]]]
)
def test_non_numeric_data_raises_type_error(X):
    with pytest.raises(TypeError, match=r"X must contain only numbers"):
        check_array(X)


def test_sparse_matrix_raises_type_error():
    sparse = pytest.importorskip("scipy.sparse")
    with pytest.raises(TypeError, match=r"Sparse data was passed as X.*toarray\(\)"):
        check_array(sparse.csr_matrix(np.eye(3)))


# ------------------------------------------------------------- sample_weight
def test_sample_weight_defaults_and_scalars():
    X = np.zeros((4, 2), dtype=np.float32)
    np.testing.assert_array_equal(check_sample_weight(None, X), np.ones(4))
    assert check_sample_weight(None, X).dtype == np.float32
    np.testing.assert_array_equal(check_sample_weight(2.5, X), np.full(4, 2.5))


def test_sample_weight_is_a_copy():
    X = np.zeros((3, 2))
    w = np.array([1.0, 2.0, 3.0])
    out = check_sample_weight(w, X)
    out[0] = 99
    assert w[0] == 1.0


@pytest.mark.parametrize(
    "weights, error, message",
    [
        ([1.0, 2.0], ValueError, r"sample_weight.shape == \(2,\), expected \(3,\)"),
        ([[1.0, 2.0, 3.0]], ValueError, r"sample_weight must be 1D array or scalar"),
        ([1.0, -1.0, 1.0], ValueError, r"Negative values in data passed to sample_weight"),
        ([1.0, np.nan, 1.0], ValueError, r"Input sample_weight contains NaN"),
        ([1.0, np.inf, 1.0], ValueError, r"Input sample_weight contains infinity"),
        (["a", "b", "c"], TypeError, r"sample_weight must contain only numbers"),
    ],
)
def test_bad_sample_weight(weights, error, message):
    with pytest.raises(error, match=message):
        check_sample_weight(weights, np.zeros((3, 2)))


def test_all_zero_sample_weight_refused_on_request():
    X = np.zeros((3, 2))
    np.testing.assert_array_equal(check_sample_weight([0.0, 0.0, 0.0], X), np.zeros(3))
    with pytest.raises(ValueError, match="at least one non-zero number"):
        check_sample_weight([0.0, 0.0, 0.0], X, allow_all_zero=False)
    with pytest.raises(ValueError, match="at least one non-zero number"):
        check_sample_weight(0.0, X, allow_all_zero=False)
    check_sample_weight([0.0, 1.0, 0.0], X, allow_all_zero=False)


def test_consistent_length():
    check_consistent_length([1, 2], None, np.zeros(2))
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[2, 3\]"):
        check_consistent_length([1, 2], [1, 2, 3])


# --------------------------------------------------------------- fitted state
class _Model:
    pass


def test_not_fitted_error():
    model = _Model()
    with pytest.raises(NotFittedError, match=r"This _Model instance is not fitted yet"):
        check_is_fitted(model)
    model.labels_ = np.zeros(2)
    check_is_fitted(model)
    with pytest.raises(NotFittedError):
        check_is_fitted(model, "cluster_centers_")


def test_not_fitted_error_is_value_and_attribute_error_and_pickles():
    assert issubclass(NotFittedError, ValueError)
    assert issubclass(NotFittedError, AttributeError)
    err = pickle.loads(pickle.dumps(NotFittedError("x")))
    assert str(err) == "x"
