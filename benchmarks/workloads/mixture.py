"""GaussianMixture: purecluster against scikit-learn.

* ``em_<covariance_type>``: fixed work, the same explicit start for both
  (``weights_init``, ``means_init``, ``precisions_init``: nothing random),
  ``tol=0`` and 20 EM iterations; times are per iteration. For 'full' the
  flop count is the structured one, ``2 n k d (d + 1)`` per iteration: the
  E-step's triangular product ``(x - mu) U`` and the M-step's symmetric
  scatter each need ``n k d (d + 1) / 2`` multiply-adds.
* ``seminar_digits``: the seminar's cell ``GaussianMixture(20, n_init=10,
  random_state=12345)`` on the 1797 digits (k-means start: needs
  ``purecluster.kmeans``, an ERROR row without it).
* ``digits_random``: the same model with ``init_params='random'`` and two
  runs, which needs nothing else.
* ``seminar_2d``: the seminar's five 2-D cells ``GaussianMixture(k, n_init=10)``
  fitted one after the other (k-means start).

Results are checked before timing: same ``n_iter_``, lower bound within
1e-8 (relative), means within 1e-6 of their scale.
"""

from __future__ import annotations

import warnings

import numpy as np

from benchmarks.registry import Impl, Workload, register

GROUP = "mixture"
N_ITER = 20


def _quiet_fit(cls, X, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: tol=0 never converges
        return cls(**params).fit(X)


def _check(expected, result):
    expected, result = np.atleast_1d(expected), np.atleast_1d(result)
    assert len(expected) == len(result), "different number of models"
    for e, r in zip(expected, result, strict=True):
        assert r.n_iter_ == e.n_iter_, f"n_iter_ {r.n_iter_} != {e.n_iter_}"
        bound = 1e-8 * max(1.0, abs(e.lower_bound_))
        assert abs(r.lower_bound_ - e.lower_bound_) <= bound, (
            f"lower_bound_ {r.lower_bound_} != {e.lower_bound_}"
        )
        scale = np.abs(e.means_).max()
        error = np.abs(np.asarray(r.means_) - e.means_).max()
        assert error <= 1e-6 * scale, f"means_ differ by {error:.3g}"


# ---------------------------------------------------------------------------
# Fixed-work EM per covariance type
# ---------------------------------------------------------------------------
def _blobs(n, d, k, seed=0):
    """k Gaussian clusters with random centres and scales (no package needed)."""
    rng = np.random.RandomState(seed)
    centers = rng.uniform(-10, 10, (k, d))
    labels = rng.randint(k, size=n)
    scales = rng.uniform(0.5, 2.0, (k, d))
    return centers[labels] + rng.standard_normal((n, d)) * scales[labels]


def _digits_times_ten():
    """17,970 x 64: the digits ten times, each copy jittered so no row repeats."""
    from purecluster.datasets import load_digits

    digits = load_digits().data
    rng = np.random.RandomState(0)
    return np.vstack([digits + rng.uniform(-0.25, 0.25, digits.shape) for _ in range(10)])


def _em_setup(covariance_type):
    def setup(size):
        n, d, k = size
        X = _digits_times_ten() if (n, d) == (17_970, 64) else _blobs(n, d, k)
        rng = np.random.RandomState(1)
        means = X[rng.choice(n, k, replace=False)]
        variances = X.var(axis=0) + 1e-3
        precisions = {
            "full": np.repeat(np.diag(1.0 / variances)[np.newaxis], k, axis=0),
            "tied": np.diag(1.0 / variances),
            "diag": np.repeat((1.0 / variances)[np.newaxis], k, axis=0),
            "spherical": np.full(k, 1.0 / variances.mean()),
        }[covariance_type]
        params = dict(
            n_components=k,
            covariance_type=covariance_type,
            tol=0.0,
            max_iter=N_ITER,
            weights_init=np.full(k, 1.0 / k),
            means_init=means,
            precisions_init=precisions,
        )
        return X, params

    return setup


def _em_impl(module):
    def run(inputs):
        import importlib

        X, params = inputs
        cls = importlib.import_module(module).GaussianMixture
        return _quiet_fit(cls, X, **params)

    return run


def _em_flops(covariance_type):
    def flops(size):
        n, d, k = size
        if covariance_type == "full":
            return 2.0 * n * k * d * (d + 1)
        if covariance_type == "tied":
            return 2.0 * n * d * (d + 1) + 2.0 * n * k * d
        return 6.0 * n * k * d  # diag / spherical: deviations, squares, sums

    return flops


_EM_SIZES = {
    "full": (
        [(20_000, 2, 5), (5_000, 64, 20)],
        [(100_000, 2, 5), (17_970, 64, 20), (100_000, 32, 16)],
    ),
    "tied": ([(20_000, 2, 5)], [(100_000, 2, 5)]),
    "diag": ([(20_000, 2, 5), (20_000, 16, 10)], [(100_000, 2, 5), (100_000, 16, 10)]),
    "spherical": ([(20_000, 2, 5)], [(100_000, 2, 5)]),
}

for _covariance_type, (_quick, _full) in _EM_SIZES.items():
    register(
        Workload(
            name=f"em_{_covariance_type}",
            group=GROUP,
            description=f"{N_ITER} EM iterations, covariance_type={_covariance_type!r}, "
            "same explicit start",
            setup=_em_setup(_covariance_type),
            implementations={
                "purecluster": _em_impl("purecluster"),
                "scikit-learn": Impl(_em_impl("sklearn.mixture"), requires="sklearn"),
            },
            check=_check,
            quick=_quick,
            full=_full,
            label=lambda s: f"{s[0]:,}×{s[1]}, k={s[2]}",
            flops=_em_flops(_covariance_type),
            per="iteration",
            count=lambda model: model.n_iter_,
        )
    )


# ---------------------------------------------------------------------------
# The seminar's cells
# ---------------------------------------------------------------------------
def _digits_setup(size):
    from purecluster.datasets import load_digits

    return load_digits().data


def _seminar_digits(module, **extra):
    def run(X):
        import importlib

        cls = importlib.import_module(module).GaussianMixture
        return _quiet_fit(cls, X, n_components=20, n_init=10, random_state=12345, **extra)

    return run


register(
    Workload(
        name="seminar_digits",
        group=GROUP,
        description="GaussianMixture(20, n_init=10, random_state=12345) on digits (k-means start)",
        setup=_digits_setup,
        implementations={
            "purecluster": _seminar_digits("purecluster"),
            "scikit-learn": Impl(_seminar_digits("sklearn.mixture"), requires="sklearn"),
        },
        check=_check,
        quick=[None],
        full=[None],
        label=lambda s: "1,797×64, k=20, n_init=10",
    )
)


def _digits_random(module):
    def run(X):
        import importlib

        cls = importlib.import_module(module).GaussianMixture
        return _quiet_fit(
            cls, X, n_components=20, n_init=2, init_params="random", random_state=12345
        )

    return run


register(
    Workload(
        name="digits_random",
        group=GROUP,
        description="GaussianMixture(20, n_init=2, init_params='random') on digits",
        setup=_digits_setup,
        implementations={
            "purecluster": _digits_random("purecluster"),
            "scikit-learn": Impl(_digits_random("sklearn.mixture"), requires="sklearn"),
        },
        check=_check,
        quick=[None],
        full=[None],
        label=lambda s: "1,797×64, k=20, n_init=2",
    )
)


_SEMINAR_COMPONENTS = (3, 5, 2, 2, 2)


def _seminar_2d_setup(size):
    from purecluster.datasets import seminar_datasets

    return [X for _, (X, _) in seminar_datasets()]


def _seminar_2d(module):
    def run(datasets):
        import importlib

        cls = importlib.import_module(module).GaussianMixture
        return [
            _quiet_fit(cls, X, n_components=k, n_init=10, random_state=12345)
            for X, k in zip(datasets, _SEMINAR_COMPONENTS, strict=True)
        ]

    return run


register(
    Workload(
        name="seminar_2d",
        group=GROUP,
        description="the seminar's five 2-D cells GaussianMixture(k, n_init=10) (k-means start)",
        setup=_seminar_2d_setup,
        implementations={
            "purecluster": _seminar_2d("purecluster"),
            "scikit-learn": Impl(_seminar_2d("sklearn.mixture"), requires="sklearn"),
        },
        check=_check,
        quick=[None],
        full=[None],
        label=lambda s: "5 × 500×2, n_init=10",
    )
)
