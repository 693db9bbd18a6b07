"""Input and parameter checks shared by every estimator and function.

Everything a user can get wrong is checked here, in Python, before any Numba
kernel sees the data. Kernels may therefore assume: a C-contiguous, writeable,
finite float32 or float64 array with at least one row and one column.

The messages follow scikit-learn's wording so that code (and tests) written
against scikit-learn see the same errors.
"""

from __future__ import annotations

import functools
import math
import numbers
import sys
import warnings

import numpy as np

from .exceptions import InvalidParameterError, NotFittedError

__all__ = [
    "Interval",
    "StrOptions",
    "check_array",
    "check_consistent_length",
    "check_is_fitted",
    "check_random_state",
    "check_sample_weight",
    "validate_params",
]

# The dtypes kernels are compiled for. Anything else numeric becomes float64.
FLOAT_DTYPES = (np.float64, np.float32)


# ---------------------------------------------------------------------------
# random_state
# ---------------------------------------------------------------------------
class _NoEntropy(np.random.bit_generator.ISeedSequence):
    """A seed sequence that asks the OS for nothing: its state is replaced at once."""

    def generate_state(self, n_words, dtype=np.uint32):
        return np.ones(n_words, dtype=dtype)


_NO_ENTROPY = _NoEntropy()


def _seeded_random_state(seed):
    """``np.random.RandomState(seed)`` for an int seed: the same state, 45 us instead of 255.

    ``RandomState(seed)`` first builds an ``MT19937`` from fresh OS entropy
    (a ``SeedSequence`` hashed into 624 words, about 200 us) and only then
    overwrites that state with the legacy seeding of ``seed``. Building the
    generator from a seed sequence that hashes nothing and then calling the
    public ``RandomState.seed(seed)`` (the same legacy seeding, the same range
    check and message) gives an identical generator, checked word for word in
    the tests. On the seminar's k-means cell the saving was a fifth of a fit.
    """
    random_state = np.random.RandomState(np.random.MT19937(_NO_ENTROPY))
    random_state.seed(seed)
    return random_state


def check_random_state(seed):
    """Turn ``seed`` into a legacy ``np.random.RandomState``, as scikit-learn does.

    Parameters
    ----------
    seed : None, int or numpy.random.RandomState
        ``None`` returns NumPy's global ``RandomState`` (the one behind
        ``np.random.rand``), an int returns a new ``RandomState(seed)``, an
        instance is returned unchanged (so draws continue its stream).

    Returns
    -------
    numpy.random.RandomState

    Examples
    --------
    >>> check_random_state(0).randint(10)
    5
    """
    if seed is None or seed is np.random:
        return np.random.mtrand._rand
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return _seeded_random_state(seed)
    if isinstance(seed, np.random.RandomState):
        return seed
    raise ValueError(f"{seed!r} cannot be used to seed a numpy.random.RandomState instance")


# ---------------------------------------------------------------------------
# declarative parameter constraints
# ---------------------------------------------------------------------------
class Interval:
    """A typed interval a numeric parameter must lie in.

    Parameters
    ----------
    type_ : numbers.Integral or numbers.Real
        ``Integral`` accepts ints only; ``Real`` accepts ints and floats.
    left, right : number or None
        The bounds; ``None`` means unbounded on that side.
    closed : {"left", "right", "both", "neither"}
        Which bounds belong to the interval.
    """

    def __init__(self, type_, left, right, *, closed):
        if type_ not in (numbers.Integral, numbers.Real):
            raise TypeError("type_ must be numbers.Integral or numbers.Real")
        if closed not in ("left", "right", "both", "neither"):
            raise ValueError("closed must be 'left', 'right', 'both' or 'neither'")
        self.type = type_
        self.left = left
        self.right = right
        self.closed = closed

    def is_satisfied_by(self, value):
        if isinstance(value, bool) or not isinstance(value, self.type):
            return False
        if not isinstance(value, numbers.Integral) and math.isnan(value):
            return False
        if self.left is not None:
            if value < self.left or (value == self.left and self.closed in ("right", "neither")):
                return False
        if self.right is not None:
            if value > self.right or (value == self.right and self.closed in ("left", "neither")):
                return False
        return True

    def __str__(self):
        is_int = self.type is numbers.Integral
        left = "-inf" if self.left is None else (self.left if is_int else float(self.left))
        right = "inf" if self.right is None else (self.right if is_int else float(self.right))
        opening = "[" if self.closed in ("left", "both") else "("
        closing = "]" if self.closed in ("right", "both") else ")"
        kind = "an int" if is_int else "a float"
        return f"{kind} in the range {opening}{left}, {right}{closing}"


class StrOptions:
    """A finite set of strings a parameter may take."""

    def __init__(self, options):
        self.options = set(options)

    def is_satisfied_by(self, value):
        return isinstance(value, str) and value in self.options

    def __str__(self):
        # sorted so that messages are stable from run to run
        listed = ", ".join(repr(o) for o in sorted(self.options))
        return f"a str among {{{listed}}}"


class _Named:
    """A constraint given by a short name in the constraint lists ("boolean", ...)."""

    def __init__(self, description, predicate):
        self.description = description
        self.predicate = predicate

    def is_satisfied_by(self, value):
        return self.predicate(value)

    def __str__(self):
        return self.description


def _is_array_like(value):
    if isinstance(value, (str, bytes)):
        return False
    return hasattr(value, "__len__") or hasattr(value, "shape") or hasattr(value, "__array__")


_NAMED_CONSTRAINTS = {
    "array-like": _Named("an array-like", _is_array_like),
    "boolean": _Named("an instance of 'bool'", lambda v: isinstance(v, (bool, np.bool_))),
    "verbose": _Named(
        "an int in the range [0, inf) or an instance of 'bool'",
        lambda v: isinstance(v, (bool, np.bool_)) or (isinstance(v, numbers.Integral) and v >= 0),
    ),
    "random_state": _Named(
        "an int in the range [0, 4294967295], an instance of "
        "'numpy.random.mtrand.RandomState' or None",
        lambda v: (
            v is None
            or isinstance(v, np.random.RandomState)
            or (
                isinstance(v, numbers.Integral) and not isinstance(v, bool) and 0 <= v <= 4294967295
            )
        ),
    ),
}


def _make_constraint(constraint):
    if constraint is None:
        return _Named("None", lambda v: v is None)
    if constraint is callable:
        return _Named("a callable", callable)
    if isinstance(constraint, str):
        return _NAMED_CONSTRAINTS[constraint]
    if isinstance(constraint, type):
        return _Named(
            f"an instance of {constraint.__name__!r}", lambda v: isinstance(v, constraint)
        )
    return constraint


def validate_params(params, constraints, caller_name):
    """Check each parameter against the list of constraints it must satisfy one of.

    Parameters
    ----------
    params : dict
        Parameter name → value.
    constraints : dict
        Parameter name → list of constraints. A constraint is an
        :class:`Interval`, a :class:`StrOptions`, ``None``, ``callable``, a
        type, or one of the names ``"array-like"``, ``"boolean"``,
        ``"verbose"``, ``"random_state"``. Parameters without an entry are not
        checked.
    caller_name : str
        The estimator or function name shown in the message.

    Raises
    ------
    InvalidParameterError
        Naming the parameter, what is allowed and the value received, e.g.
        "The 'n_clusters' parameter of KMeans must be an int in the range
        [1, inf). Got 0 instead."
    """
    for name, value in params.items():
        if name not in constraints:
            continue
        options = [_make_constraint(c) for c in constraints[name]]
        if any(option.is_satisfied_by(value) for option in options):
            continue
        described = [str(option) for option in options]
        if len(described) == 1:
            allowed = described[0]
        else:
            allowed = ", ".join(described[:-1]) + " or " + described[-1]
        raise InvalidParameterError(
            f"The {name!r} parameter of {caller_name} must be {allowed}. Got {value!r} instead."
        )


# ---------------------------------------------------------------------------
# arrays
# ---------------------------------------------------------------------------
def _is_sparse(X):
    # scipy.sparse matrices and arrays, and pydata/sparse, all carry these;
    # checking attributes keeps scipy out of our imports.
    return hasattr(X, "tocsr") or (hasattr(X, "nnz") and hasattr(X, "todense"))


def _frame_feature_names(X):
    """Column names of a DataFrame-like when they are all strings, else None."""
    columns = getattr(X, "columns", None)
    if columns is None or not hasattr(X, "shape"):
        return None
    names = list(columns)
    if names and all(isinstance(n, str) for n in names):
        return np.asarray(names, dtype=object)
    return None


def _to_numeric_ndarray(X, input_name):
    """``np.asarray`` that refuses strings, objects that are not numbers, and complex."""
    try:
        array = np.asarray(X)
    except (ValueError, TypeError) as exc:
        # ragged nested lists end up here
        raise ValueError(f"Could not convert {input_name} to a numeric array: {exc}") from None
    if array.dtype.kind == "O":
        try:
            array = array.astype(np.float64)
        except (ValueError, TypeError) as exc:
            raise TypeError(
                f"{input_name} must contain only numbers; it holds objects that are "
                f"not ({exc}). Encode categorical data as numbers first."
            ) from None
    if array.dtype.kind in "USV":
        raise TypeError(
            f"{input_name} must contain only numbers; got an array of dtype "
            f"{array.dtype}. Encode categorical data as numbers first."
        )
    if array.dtype.kind == "c":
        raise ValueError(f"Complex data not supported: {input_name} has dtype {array.dtype}.")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{input_name} must contain only numbers; got dtype {array.dtype}.")
    return array


def _check_finite(array, input_name):
    # The sum is one cheap pass that is finite whenever every element is
    # (overflow aside); only when it is not do we pay for the element-wise test.
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(array.sum()):
            return
    if np.isnan(array).any():
        raise ValueError(f"Input {input_name} contains NaN.")
    if not np.isfinite(array).all():
        raise ValueError(
            f"Input {input_name} contains infinity or a value too large for {array.dtype!r}."
        )


def check_array(
    X,
    *,
    input_name="X",
    estimator_name=None,
    dtype=FLOAT_DTYPES,
    ensure_2d=True,
    ensure_min_samples=1,
    ensure_min_features=1,
    allow_nd=False,
    copy=False,
):
    """Validate an array-like and return a C-contiguous float array kernels can use.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Lists, NumPy arrays and DataFrames of numbers are accepted.
    input_name : str
        The name shown in messages ("X", "sample_weight", ...).
    estimator_name : str or None
        Shown in messages about too few samples or features.
    dtype : tuple of dtypes or a dtype
        With a tuple, an input already of one of those dtypes keeps it and
        anything else becomes the first (float32 stays float32, ints and bools
        become float64). A single dtype forces that dtype.
    ensure_2d : bool
        Refuse anything that is not 2-D.
    ensure_min_samples, ensure_min_features : int
        The least number of rows and columns accepted.
    copy : bool
        Always return a new array, even when no conversion was needed.

    Returns
    -------
    ndarray
        C-contiguous, writeable, finite. It is the caller's array only when
        that array already had all of these properties and ``copy`` is False;
        purecluster never writes into it.

    Raises
    ------
    TypeError
        Sparse matrices, strings or other non-numeric data.
    ValueError
        Wrong number of dimensions, empty input, NaN or infinity.
    """
    if _is_sparse(X):
        raise TypeError(
            f"Sparse data was passed as {input_name}, but purecluster needs dense data. "
            f"Use {input_name}.toarray() to convert it to a dense NumPy array."
        )
    array = _to_numeric_ndarray(X, input_name)
    where = f" by {estimator_name}" if estimator_name else ""

    if ensure_2d:
        if array.ndim == 0:
            raise ValueError(
                f"Expected a 2D array for {input_name}, got a scalar array instead: "
                f"{input_name}={X!r}. Reshape your data with array.reshape(-1, 1) for a "
                "single feature or array.reshape(1, -1) for a single sample."
            )
        if array.ndim == 1:
            raise ValueError(
                f"Expected a 2D array for {input_name}, got a 1D array instead "
                f"(shape={array.shape}). Reshape your data with array.reshape(-1, 1) "
                "if it has a single feature or array.reshape(1, -1) if it is a single sample."
            )
    if array.ndim >= 3 and not allow_nd:
        raise ValueError(
            f"Found array with dim {array.ndim}. {estimator_name or 'This'} expected <= 2."
        )

    if isinstance(dtype, tuple):
        target = array.dtype if array.dtype in dtype else np.dtype(dtype[0])
    else:
        target = np.dtype(dtype)

    if ensure_min_samples > 0 and array.ndim >= 1:
        n_samples = array.shape[0]
        if n_samples < ensure_min_samples:
            raise ValueError(
                f"Found array with {n_samples} sample(s) (shape={array.shape}) while a "
                f"minimum of {ensure_min_samples} is required{where}."
            )
    if ensure_min_features > 0 and array.ndim == 2:
        n_features = array.shape[1]
        if n_features < ensure_min_features:
            raise ValueError(
                f"Found array with {n_features} feature(s) (shape={array.shape}) while a "
                f"minimum of {ensure_min_features} is required{where}."
            )

    # One conversion at most: to the target dtype, C order and aligned.
    # A copy is added when asked for, when the result could still alias the
    # caller's memory, or when it is read-only (e.g. a memory map): kernels
    # then always see one array type and Numba compiles each once per dtype.
    converted = np.require(array, dtype=target, requirements=["C", "A"])
    fresh = converted.flags.owndata and converted is not X
    if not converted.flags.writeable or (copy and not fresh):
        converted = converted.copy(order="C")
    array = converted
    _check_finite(array, input_name)
    return array


def check_n_features(estimator, X, *, reset):
    """Record ``n_features_in_`` at fit (``reset=True``) or check it matches later."""
    n_features = X.shape[1]
    if reset:
        estimator.n_features_in_ = n_features
        return
    expected = getattr(estimator, "n_features_in_", None)
    if expected is not None and n_features != expected:
        raise ValueError(
            f"X has {n_features} features, but {type(estimator).__name__} is expecting "
            f"{expected} features as input."
        )


def check_feature_names(estimator, X, *, reset):
    """Record DataFrame column names at fit, or compare them later, as scikit-learn does."""
    names = _frame_feature_names(X)
    if reset:
        if names is not None:
            estimator.feature_names_in_ = names
        elif hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
        return
    fitted = getattr(estimator, "feature_names_in_", None)
    name = type(estimator).__name__
    if fitted is None and names is None:
        return
    if fitted is not None and names is None:
        warnings.warn(
            f"X does not have valid feature names, but {name} was fitted with feature names",
            UserWarning,
            stacklevel=3,
        )
        return
    if fitted is None:
        warnings.warn(
            f"X has feature names, but {name} was fitted without feature names",
            UserWarning,
            stacklevel=3,
        )
        return
    if len(fitted) != len(names) or np.any(fitted != names):
        unexpected = sorted(set(names) - set(fitted))
        missing = sorted(set(fitted) - set(names))
        details = []
        if unexpected:
            details.append(f"Feature names unseen at fit time: {unexpected}")
        if missing:
            details.append(f"Feature names seen at fit time, yet now missing: {missing}")
        if not details:
            details.append("Feature names must be in the same order as they were in fit.")
        raise ValueError(
            "The feature names should match those that were passed during fit.\n"
            + "\n".join(details)
        )


def check_consistent_length(*arrays):
    """Raise ValueError unless every non-None argument has the same first dimension."""
    lengths = [len(a) for a in arrays if a is not None]
    if len(set(lengths)) > 1:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {lengths}")


def check_sample_weight(sample_weight, X, *, dtype=None, allow_negative=False, allow_all_zero=True):
    """Validate ``sample_weight`` against ``X`` and return a 1-D array of ``X``'s dtype.

    Parameters
    ----------
    sample_weight : None, float or array-like of shape (n_samples,)
        ``None`` means unit weights; a number gives every sample that weight.
    X : ndarray of shape (n_samples, n_features)
        The validated data.
    dtype : dtype or None
        Defaults to ``X.dtype``.
    allow_negative : bool
        Negative weights are refused unless this is True.
    allow_all_zero : bool
        With False, weights that are all zero are refused (the estimators
        that divide by the total weight: KMeans, DBSCAN).

    Returns
    -------
    ndarray of shape (n_samples,)
        A new array: the caller's weights are never modified.
    """
    n_samples = X.shape[0]
    dtype = X.dtype if dtype is None else np.dtype(dtype)
    if sample_weight is None:
        return np.ones(n_samples, dtype=dtype)
    if isinstance(sample_weight, numbers.Number) and not isinstance(sample_weight, bool):
        weights = np.full(n_samples, sample_weight, dtype=dtype)
    else:
        if _is_sparse(sample_weight):
            raise TypeError("sample_weight must be a dense 1-D array-like, got a sparse matrix.")
        weights = _to_numeric_ndarray(sample_weight, "sample_weight")
        if weights.ndim != 1:
            raise ValueError(
                f"sample_weight must be 1D array or scalar, got an array of shape {weights.shape}."
            )
        if weights.shape[0] != n_samples:
            raise ValueError(
                f"sample_weight.shape == ({weights.shape[0]},), expected ({n_samples},)!"
            )
        weights = np.array(weights, dtype=dtype, order="C", copy=True)
    _check_finite(weights, "sample_weight")
    if not allow_negative and np.any(weights < 0):
        raise ValueError("Negative values in data passed to sample_weight.")
    if not allow_all_zero and not weights.any():
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return weights


# ---------------------------------------------------------------------------
# fitted state
# ---------------------------------------------------------------------------
def check_is_fitted(estimator, attributes=None):
    """Raise :class:`NotFittedError` unless ``estimator`` has been fitted.

    An estimator counts as fitted when it has the given attributes, or, when
    none are given, any attribute whose name ends with one underscore (the
    convention for learned attributes).
    """
    if attributes is None:
        fitted = any(name.endswith("_") and not name.startswith("__") for name in vars(estimator))
    else:
        if isinstance(attributes, str):
            attributes = [attributes]
        fitted = all(hasattr(estimator, a) for a in attributes)
    if not fitted:
        raise _not_fitted_error_class()(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator."
        )


def _not_fitted_error_class():
    """Our :class:`NotFittedError`, also a scikit-learn one when scikit-learn is loaded.

    Drop-in users keep their ``except sklearn.exceptions.NotFittedError``
    clauses, and scikit-learn's own checks recognise the error. We look in
    ``sys.modules`` rather than importing, so scikit-learn is never loaded by us.
    """
    sklearn_exceptions = sys.modules.get("sklearn.exceptions")
    if sklearn_exceptions is None:
        return NotFittedError
    return _combined_not_fitted_error(sklearn_exceptions.NotFittedError)


@functools.cache
def _combined_not_fitted_error(sklearn_class):
    return type("NotFittedError", (NotFittedError, sklearn_class), {"__module__": __name__})
