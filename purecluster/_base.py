"""The estimator contract every purecluster model follows.

It is scikit-learn's contract, written without scikit-learn:

* ``__init__`` stores its arguments unchanged, under the same names and
  defaults as scikit-learn; nothing is checked or computed there.
* ``get_params`` / ``set_params`` read and write those arguments, so
  ``sklearn.base.clone``, ``Pipeline`` and ``GridSearchCV`` work.
* ``fit`` validates parameters and data, learns, and returns ``self``;
  learned attributes end with an underscore.
* ``__repr__`` shows the parameters that differ from their defaults.
"""

from __future__ import annotations

import inspect
import sys
import weakref

import numpy as np

from ._validation import (
    check_array,
    check_feature_names,
    check_is_fitted,
    check_n_features,
    validate_params,
)

__all__ = ["BaseEstimator", "ClusterMixin"]


# class -> its constructor's parameter names (see BaseEstimator._get_param_names)
_PARAM_NAMES = weakref.WeakKeyDictionary()


class BaseEstimator:
    """Parameters, representation and data checks shared by all estimators.

    Subclasses declare ``_parameter_constraints`` (parameter name → list of
    allowed constraints, see :func:`purecluster._validation.validate_params`)
    and call ``self._validate_params()`` and ``self._validate_data(X)`` at the
    top of ``fit``.
    """

    _parameter_constraints: dict = {}

    # -- parameters --------------------------------------------------------
    @classmethod
    def _get_param_names(cls):
        """The constructor's keyword names, sorted (read once per class, then cached).

        ``inspect.signature`` costs about 30 us, and ``fit`` reads the names
        to check the parameters: on a small fit that was a visible share.
        The cache is keyed by the class itself, so a subclass with its own
        ``__init__`` gets its own entry.
        """
        names = _PARAM_NAMES.get(cls)
        if names is None:
            names = _PARAM_NAMES[cls] = tuple(cls._read_param_names())
        return list(names)

    @classmethod
    def _read_param_names(cls):
        init = cls.__init__
        if init is object.__init__:
            return []
        names = []
        for p in inspect.signature(init).parameters.values():
            if p.name == "self" or p.kind == p.VAR_KEYWORD:
                continue
            if p.kind == p.VAR_POSITIONAL:
                raise RuntimeError(
                    f"{cls.__name__}.__init__ takes *args; estimators must name every "
                    "parameter so get_params and set_params can see them."
                )
            names.append(p.name)
        return sorted(names)

    def get_params(self, deep=True):
        """Return the estimator's parameters as a dict.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of nested estimators, as
            ``"<name>__<parameter>"``.
        """
        params = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                for sub_name, sub_value in value.get_params(deep=True).items():
                    params[f"{name}__{sub_name}"] = sub_value
            params[name] = value
        return params

    def set_params(self, **params):
        """Set parameters, including nested ones written ``"<name>__<parameter>"``.

        Returns
        -------
        self
        """
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested = {}
        for key, value in params.items():
            name, _, sub_name = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {self}. Valid parameters "
                    f"are: {self._get_param_names()!r}."
                )
            if sub_name:
                nested.setdefault(name, {})[sub_name] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self):
        defaults = {
            name: p.default
            for name, p in inspect.signature(type(self).__init__).parameters.items()
            if p.default is not p.empty
        }
        shown = []
        for name in self._get_param_names():
            value = getattr(self, name)
            if name in defaults and _same_value(value, defaults[name]):
                continue
            shown.append(f"{name}={_short_repr(value)}")
        return f"{type(self).__name__}({', '.join(shown)})"

    # -- validation helpers used by fit / predict ---------------------------
    def _validate_params(self):
        """Check every constructor argument against ``_parameter_constraints``."""
        validate_params(
            self.get_params(deep=False), self._parameter_constraints, type(self).__name__
        )

    def _validate_data(self, X, *, reset=True, **check_kwargs):
        """Validate ``X``; at fit (``reset=True``) record its shape, later check it.

        Returns the C-contiguous float32/float64 array the kernels use.
        """
        if not reset:
            check_is_fitted(self)
        check_feature_names(self, X, reset=reset)
        array = check_array(X, estimator_name=type(self).__name__, **check_kwargs)
        check_n_features(self, array, reset=reset)
        return array

    def _check_is_fitted(self, attributes=None):
        check_is_fitted(self, attributes)

    # -- interoperability with scikit-learn ----------------------------------
    def __sklearn_tags__(self):
        """Describe the estimator to scikit-learn's tooling (clone, checks, ...).

        Only scikit-learn calls this method, so its tag classes are already
        loaded: we take them from ``sys.modules`` instead of importing
        scikit-learn, which stays an optional, test-time companion.
        """
        tags_module = sys.modules["sklearn.utils._tags"]
        tags = tags_module.Tags(
            estimator_type=getattr(self, "_estimator_type", None),
            target_tags=tags_module.TargetTags(required=False),
            transformer_tags=(
                tags_module.TransformerTags() if hasattr(self, "transform") else None
            ),
            input_tags=tags_module.InputTags(allow_nan=False, sparse=False),
        )
        tags.non_deterministic = bool(getattr(self, "_non_deterministic", False))
        return tags


class ClusterMixin:
    """``fit_predict`` for estimators that store ``labels_`` after ``fit``."""

    _estimator_type = "clusterer"

    def fit_predict(self, X, y=None, **kwargs):
        """Fit the model to ``X`` and return the cluster label of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        **kwargs
            Passed to ``fit`` (e.g. ``sample_weight``).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self.fit(X, **kwargs).labels_


def _same_value(a, b):
    """Equality for the repr: arrays compare element-wise, NaN equals NaN."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return False
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return False
    try:
        equal = a == b
        if isinstance(equal, bool):
            return equal or (a != a and b != b)
    except Exception:
        pass
    return False


def _short_repr(value):
    text = repr(value)
    if isinstance(value, np.ndarray) and len(text) > 60:
        text = f"array(shape={value.shape}, dtype={value.dtype})"
    return " ".join(text.split())
