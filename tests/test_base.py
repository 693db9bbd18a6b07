"""The estimator contract of ``_base``, exercised on a small toy clusterer.

The toy (centres = the first ``n_clusters`` rows, each point to its nearest
centre) uses the contract exactly as the real estimators do, so scikit-learn's
own ``check_estimator`` can judge the contract before any algorithm exists.
"""

import numbers
import pickle

import numpy as np
import pytest

from purecluster._base import BaseEstimator, ClusterMixin
from purecluster._validation import Interval, StrOptions, check_is_fitted
from purecluster.exceptions import InvalidParameterError, NotFittedError

pytestmark = pytest.mark.tiny


class FirstRows(ClusterMixin, BaseEstimator):
    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
        "metric": [StrOptions({"euclidean", "manhattan"})],
        "init": ["array-like", None],
    }

    def __init__(self, n_clusters=2, *, metric="euclidean", init=None):
        self.n_clusters = n_clusters
        self.metric = metric
        self.init = init

    def fit(self, X, y=None):
        self._validate_params()
        X = self._validate_data(X, ensure_min_samples=self.n_clusters)
        self.cluster_centers_ = X[: self.n_clusters].copy()
        self.labels_ = self._assign(X)
        return self

    def predict(self, X):
        check_is_fitted(self)
        return self._assign(self._validate_data(X, reset=False))

    def _assign(self, X):
        diff = X[:, None, :] - self.cluster_centers_[None, :, :]
        dist = np.abs(diff).sum(-1) if self.metric == "manhattan" else (diff**2).sum(-1)
        return dist.argmin(axis=1).astype(np.int32)


def test_get_params_lists_constructor_arguments():
    assert FirstRows(3).get_params() == {"n_clusters": 3, "metric": "euclidean", "init": None}


def test_set_params_returns_self_and_rejects_unknown():
    model = FirstRows()
    assert model.set_params(n_clusters=4) is model and model.n_clusters == 4
    with pytest.raises(ValueError, match=r"Invalid parameter 'k' for estimator"):
        model.set_params(k=2)


def test_nested_params():
    class Wrapper(BaseEstimator):
        def __init__(self, inner=None):
            self.inner = inner

    outer = Wrapper(FirstRows())
    assert outer.get_params()["inner__n_clusters"] == 2
    outer.set_params(inner__n_clusters=5)
    assert outer.inner.n_clusters == 5


def test_repr_shows_changed_parameters_only():
    assert repr(FirstRows()) == "FirstRows()"
    assert repr(FirstRows(3, metric="manhattan")) == "FirstRows(metric='manhattan', n_clusters=3)"
    assert "array(shape=(100, 2)" in repr(FirstRows(init=np.zeros((100, 2))))


def test_init_does_no_validation():
    model = FirstRows(n_clusters=-5)  # accepted until fit
    with pytest.raises(InvalidParameterError, match=r"'n_clusters' parameter of FirstRows"):
        model.fit([[0.0, 0.0]])


def test_fit_predict_and_predict_agree():
    X = np.array([[0.0, 0.0], [10.0, 10.0], [0.5, 0.0], [9.0, 10.0]])
    model = FirstRows(2)
    np.testing.assert_array_equal(model.fit_predict(X), [0, 1, 0, 1])
    np.testing.assert_array_equal(model.predict(X), model.labels_)
    assert model.n_features_in_ == 2


def test_predict_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError, match=r"not fitted yet"):
        FirstRows().predict([[0.0, 1.0]])


def test_feature_count_mismatch_at_predict():
    model = FirstRows().fit(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"X has 2 features, but FirstRows is expecting 3"):
        model.predict(np.zeros((2, 2)))


def test_feature_names_recorded_and_checked():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [0.0, 1.0, 5.0], "b": [0.0, 1.0, 5.0]})
    model = FirstRows().fit(frame)
    assert list(model.feature_names_in_) == ["a", "b"]
    with pytest.raises(ValueError, match="feature names should match"):
        model.predict(frame.rename(columns={"a": "c"}))
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        model.predict(frame.to_numpy())


def test_not_fitted_error_is_also_sklearns_when_sklearn_is_loaded():
    exceptions = pytest.importorskip("sklearn.exceptions")
    with pytest.raises(exceptions.NotFittedError):
        FirstRows().predict([[0.0, 1.0]])


def test_pickle_round_trip_keeps_fitted_state():
    model = FirstRows(2).fit([[0.0, 0.0], [5.0, 5.0], [1.0, 1.0]])
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.labels_, model.labels_)
    assert again.get_params() == model.get_params()


def test_sklearn_clone():
    base = pytest.importorskip("sklearn.base")
    model = FirstRows(3, metric="manhattan")
    copy = base.clone(model)
    assert copy is not model and copy.get_params() == model.get_params()
    assert base.is_clusterer(model)


def test_sklearn_check_estimator_on_the_contract():
    estimator_checks = pytest.importorskip("sklearn.utils.estimator_checks")
    estimator_checks.check_estimator(FirstRows())


def test_works_in_a_pipeline_and_grid_search():
    pipeline = pytest.importorskip("sklearn.pipeline")
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    X = np.array([[0.0, 0.0], [10.0, 10.0], [0.5, 0.0], [9.0, 10.0]])
    pipe = pipeline.make_pipeline(preprocessing.StandardScaler(), FirstRows(2))
    np.testing.assert_array_equal(pipe.fit_predict(X), [0, 1, 0, 1])
    pipe.set_params(firstrows__n_clusters=1)
    assert pipe.fit_predict(X).tolist() == [0, 0, 0, 0]
