"""Gaussian mixture models fitted by expectation–maximisation (EM).

A mixture of k Gaussians gives each point x the density
``p(x) = sum_k w_k N(x | mu_k, Sigma_k)``. EM alternates two steps until the
average log-likelihood stops improving:

* **E-step**: the responsibility ``r_ik = w_k N(x_i | mu_k, Sigma_k) / p(x_i)``
  of each component for each point (computed from logs, by log-sum-exp);
* **M-step**: weighted maximum-likelihood estimates,
  ``n_k = sum_i r_ik``, ``w_k = n_k / n``, ``mu_k = sum_i r_ik x_i / n_k``,
  ``Sigma_k = sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T / n_k + reg_covar I``
  (shared by all components for ``'tied'``, only its diagonal for
  ``'diag'``, the diagonal's mean for ``'spherical'``).

Each of ``n_init`` runs starts from responsibilities given by k-means, by
k-means++ seeds, at random, or from random data points (followed by one
M-step), and the run with the highest final log-likelihood is kept.

The public functions below are the stages on plain arrays
(:func:`initial_responsibilities`, :func:`estimate_gaussian_parameters`,
:func:`compute_precision_cholesky`, :func:`e_step`, :func:`m_step`), so a
notebook can run and plot EM one step at a time; the jitted loops live in
``_mixture_kernels.py``. The estimator reproduces scikit-learn 1.9's
``GaussianMixture``: parameters, random stream, stopping rule and answers.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import warnings
from dataclasses import dataclass
from time import time

import numpy as np

from . import _mixture_kernels as kernels
from ._base import BaseEstimator
from ._jit import num_threads, register_warmup
from ._runs import parallel_workers, run_in_order
from ._validation import Interval, StrOptions, check_array, check_random_state
from .exceptions import ConvergenceWarning

__all__ = [
    "GaussianMixture",
    "MixtureTrace",
    "compute_precision_cholesky",
    "e_step",
    "estimate_gaussian_parameters",
    "estimate_weighted_log_prob",
    "initial_responsibilities",
    "m_step",
    "precision_cholesky_from_precisions",
]

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
_LOG_2PI = math.log(2.0 * math.pi)

# From this many features on, full-covariance E- and M-steps hand their
# d x d products to NumPy's BLAS (which runs them at tens of GFLOP/s); below
# it, the jitted loops that touch each row once are faster than the calls.
_BLAS_MIN_FEATURES = 8

# Rows per BLAS block in the full-covariance E-step: the block's product
# X_block @ [U_1 | ... | U_k] (rows x k*d doubles) stays near 4 MB, in cache
# for the kernel that reads it right after.
_BLOCK_ELEMENTS = 1 << 19
# The full-covariance M-step's design [1 | z | z_a z_b] (d >= 8) is kept for
# the whole fit up to this size, instead of being rebuilt block by block in
# every M-step (0.2 s of the seminar's 2.5 s digits cell).
_KEEP_DESIGN_BYTES = 64 << 20

# n_k = sum_i r_ik + _NK_GUARD: scikit-learn's guard against empty components,
# 10 machine epsilons. We compute in float64 for float32 data too and use
# float64's epsilon: float32's (1.2e-6) would bias the variances of data far
# from the origin (see _Moments.parameters).
_NK_GUARD = 10 * np.finfo(np.float64).eps
# Full covariances, many features: the M-step's moments come from the
# nonzero responsibilities alone (_Moments._sparse_moments) while at most
# this fraction of them is nonzero (the dense product costs n k d^2 flops,
# the sparse one 2 n_nonzero d^2 plus the gathers).
_SPARSE_RESP_FRACTION = 0.4
# Up to this many (sample, component) entries the log-sum-exp runs on one
# thread (well under a millisecond of work; see _normalize).
_SERIAL_NORMALIZE_ENTRIES = 1 << 16
# Up to this much work (n k d) the k-means of the initialisation runs on one thread.
_SERIAL_INIT_WORK = 1 << 23

# n_init runs go side by side on threads (see _runs) from this much work per
# E-step (_run_work) on. Below it a run is mostly Python between small
# kernels, and the threads would only queue for the GIL: 500 x 2, k = 3,
# ten runs, took 44 ms on two threads against 33 ms in a loop; from 2000 x 2,
# k = 5 (40,000) on, the threads gain or tie.
_PARALLEL_RUNS_WORK = 1 << 15


def _run_work(n_samples, n_features, n_components, covariance_type):
    """Multiply-adds of one E-step, roughly: ``n k d^2`` (full, tied) or ``n k d``."""
    per_component = n_features**2 if covariance_type in ("full", "tied") else n_features
    return n_samples * n_components * per_component


_ILL_DEFINED = (
    "Fitting the Gaussian mixture failed: the covariance of component {component} is not "
    "positive definite (an ill-defined empirical covariance, for instance caused by "
    "singleton or collapsed samples). Try fewer components (n_components), a larger "
    "reg_covar, or scaling the input data."
)


def _as_float64(a):
    return np.ascontiguousarray(a, dtype=np.float64)


# ---------------------------------------------------------------------------
# Stage 1: initialisation
# ---------------------------------------------------------------------------
def initial_responsibilities(X, n_components, init_params, random_state):
    """Starting responsibilities, drawn as scikit-learn draws them.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_components : int
    init_params : {'kmeans', 'k-means++', 'random', 'random_from_data'}
        ``'kmeans'``: one k-means run (``KMeans(n_components, n_init=1)``),
        each point fully given to its cluster. ``'k-means++'``: the k-means++
        seeds, each seed point fully given to its own component (all other
        rows zero). ``'random'``: uniform draws, each row normalised to sum
        to 1. ``'random_from_data'``: k distinct random points, as for
        k-means++.
    random_state : numpy.random.RandomState
        Consumed in place, in scikit-learn's order.

    Returns
    -------
    resp : ndarray of shape (n_samples, n_components), float64
    """
    n_samples = X.shape[0]
    columns = np.arange(n_components)
    # A small k-means runs on one thread: it follows the previous EM run's
    # BLAS products, whose spinning threads would share the cores with
    # Numba's (measured on the seminar's digits, 1797 x 64, k = 20: 57 ms
    # per k-means++ seeding inside n_init = 10 fits, 6 ms on its own).
    small = n_samples * n_components * X.shape[1] <= _SERIAL_INIT_WORK
    if init_params == "kmeans":
        from .kmeans import KMeans  # written beside this module; imported only when used

        with num_threads(1) if small else contextlib.nullcontext():
            km = KMeans(n_clusters=n_components, n_init=1, random_state=random_state).fit(X)
        resp = np.zeros((n_samples, n_components))
        resp[np.arange(n_samples), km.labels_] = 1.0
    elif init_params == "k-means++":
        from .kmeans import kmeans_plusplus

        with num_threads(1) if small else contextlib.nullcontext():
            _, indices = kmeans_plusplus(X, n_components, random_state=random_state)
        resp = np.zeros((n_samples, n_components))
        resp[indices, columns] = 1.0
    elif init_params == "random":
        resp = random_state.uniform(size=(n_samples, n_components))
        resp /= resp.sum(axis=1)[:, np.newaxis]
    elif init_params == "random_from_data":
        indices = random_state.choice(n_samples, size=n_components, replace=False)
        resp = np.zeros((n_samples, n_components))
        resp[indices, columns] = 1.0
    else:
        raise ValueError(f"Unknown init_params {init_params!r}.")
    return resp


# ---------------------------------------------------------------------------
# Stage 2: M-step (weighted maximum likelihood)
# ---------------------------------------------------------------------------
class _Moments:
    """What the M-step needs from X, computed once per fit: X never changes during EM.

    Every weighted sum the M-step needs is a column of one product
    ``resp.T @ design`` (:func:`kernels.weighted_sums`), one pass per
    iteration instead of one per statistic, with ``design = [1 | X - c | second-order terms]``
    around the data mean ``c``:

    * ``'full'`` with few features: the products ``(x_a - c_a)(x_b - c_b)``,
      ``a <= b`` (``d (d + 1) / 2`` columns, the upper triangle);
    * ``'diag'``, ``'spherical'``: the squares ``(x_j - c_j)^2``;
    * ``'tied'``: none, its scatter ``(X - c)^T (X - c)`` is computed here once;
    * ``'full'`` with many features: the same columns, multiplied by BLAS.
      The design (``n x d^2 / 2``) is kept when it fits in
      ``_KEEP_DESIGN_BYTES``, else each M-step builds it block by block
      (:func:`_full_moments_blas`). Counts and means are BLAS products as in
      scikit-learn, and a run's last M-step forms the scatter directly
      (:func:`_covariances_full_blas`; see :meth:`parameters`).

    The second moments are then turned into scatter around each component's
    mean, ``sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T = S2 - m S1^T - S1 m^T +
    R m m^T`` (``m = mu_k - c``). Centring at ``c`` keeps this cancellation
    small: the digits lost are about ``log10(|mu_k - c|^2 / sigma_k^2)``
    (scikit-learn's ``'diag'``, ``'spherical'`` and ``'tied'`` formulas work
    around the origin instead).
    """

    def __init__(self, X, covariance_type):
        n_samples, n_features = X.shape
        self.X = X
        self.covariance_type = covariance_type
        from .kmeans import _column_means  # X.mean(axis=0), the same bits, faster

        self.center = _column_means(X)
        self.scatter = None
        self.design = None
        self.upper_design = None  # full, many features, small n (see below)
        self.centered = None  # X - c, made when sparse responsibilities first need it
        # diag, spherical, tied with few features: the sums come from the
        # tiles of X (kernels.moment_sums, kernels.e_step_moments), no design
        self.tiled = _uses_tiles(covariance_type, n_features)
        self.squares = covariance_type in ("diag", "spherical")
        if covariance_type == "tied":
            centered = X - self.center  # contiguous, in X's dtype, as before
            self.scatter = centered.T @ centered
        if self.tiled:
            # float64 tiles (one kernel specialisation whatever X's dtype)
            self.X = _as_float64(X)
            self.center = _as_float64(self.center)
            return
        # [1, x - c, products of x - c]: the upper triangle's products (full),
        # the squares (diag, spherical), none (tied)
        if covariance_type == "full":
            first, second = np.triu_indices(n_features)
            if n_features >= _BLAS_MIN_FEATURES:
                # n x d^2/2: kept when small (the seminar's digits: 31 MB),
                # else built again by blocks in each M-step
                width = 1 + n_features + first.shape[0]
                if n_samples * width * 8 <= _KEEP_DESIGN_BYTES:
                    self.upper_design = np.empty((n_samples, width))
                    kernels.upper_design_rows(X, self.center, self.upper_design)
                return
        elif covariance_type == "tied":
            first = second = np.empty(0, dtype=np.int64)
        else:
            first = second = np.arange(n_features)
        self.design = np.empty((n_samples, 1 + n_features + first.shape[0]))
        kernels.design_matrix(X, self.center, first, second, self.design)

    def width(self):
        """Columns of the sums: ``[1 | z | z**2]`` (diag, spherical) or ``[1 | z]`` (tied)."""
        return 1 + self.X.shape[1] * (2 if self.squares else 1)

    def parameters(self, resp, reg_covar, final=True, sums=None):
        """(nk, means, covariances) from responsibilities (:func:`estimate_gaussian_parameters`).

        ``final``: whether these parameters are returned to the user (the last
        M-step of a run) or only feed the next E-step; see below. ``sums``:
        the weighted sums already made by :func:`kernels.e_step_moments`
        (then ``resp`` is None).
        """
        X, center = self.X, self.center
        n_samples, n_features = X.shape
        if sums is not None:
            moments = sums
        elif self.tiled:
            moments = np.empty((resp.shape[1], self.width()))
            small = resp.size <= _SERIAL_NORMALIZE_ENTRIES
            with num_threads(1) if small else contextlib.nullcontext():
                kernels.moment_sums(X, center, self.squares, _as_float64(resp), moments)
        elif self.covariance_type == "full" and self.design is None:
            # Many features: counts and means as scikit-learn sums them (1^T R
            # and R^T X by BLAS), which keeps the digits' fits on scikit-learn's
            # rounding.
            nk = np.ones(n_samples) @ resp + _NK_GUARD
            means = (resp.T @ X) / nk[:, np.newaxis]
            if final:
                # The scatter as scikit-learn forms it, around each mean: every
                # entry then has its small relative error, where the moments'
                # error is eps * |x - c|^2 whatever the entry. A near-zero entry
                # (two pixels almost constant in a component) may then change
                # sign, and the SVD that ``sample`` factors the covariance with
                # flips a singular vector: other draws (seen on the digits).
                return nk, means, _covariances_full_blas(X, resp, nk, means, reg_covar)
            nonzero = resp != 0.0
            if np.count_nonzero(nonzero) <= _SPARSE_RESP_FRACTION * resp.size:
                moments = self._sparse_moments(resp, nonzero)
            elif self.upper_design is not None:
                # R^T D, not (D^T R)^T: 7.4 against 14 ms on one thread, 5.8
                # against 7.2 on two (the seminar's digits, k = 20)
                moments = resp.T @ self.upper_design
            else:
                moments = _full_moments_blas(X, center, resp)
        else:
            moments = np.empty((resp.shape[1], self.design.shape[1]))
            # every weighted sum at once; on one thread between BLAS products
            # (tied, many features), as _normalize explains: ten EM iterations
            # of tied 5000 x 16, k = 8, took 100 ms threaded against 32 ms
            # (100k x 16: 419 against 334 ms)
            serial = _uses_blas(self.covariance_type, n_features)
            with num_threads(1) if serial else contextlib.nullcontext():
                kernels.weighted_sums(resp, self.design, moments)
        total = moments[:, 0]  # sum_i r_ik
        first = moments[:, 1 : 1 + n_features]  # sum_i r_ik (x_i - c)
        second = moments[:, 1 + n_features :]
        guard = _NK_GUARD
        if self.design is not None or self.tiled:
            nk = total + guard
            # sum_i r_ik x_i / nk, exactly (the guard is not in the weights)
            means = (first + total[:, np.newaxis] * center) / nk[:, np.newaxis]
        shift = means - center  # m_k = mu_k - c
        ctype = self.covariance_type
        if ctype in ("diag", "spherical"):
            # sum_i r_ik (x_ij - mu_kj)^2 = S2 - 2 m S1 + R m^2, then scikit-learn's
            # guard term (what its E[x^2] - mu^2 adds; see estimate_gaussian_parameters).
            scatter = second - 2.0 * shift * first + total[:, np.newaxis] * shift * shift
            covariances = (scatter + means * means * guard) / nk[:, np.newaxis] + reg_covar
            if ctype == "spherical":
                covariances = covariances.mean(axis=1)
            return nk, means, covariances
        if ctype == "tied":
            return nk, means, self._tied(nk, means, reg_covar)
        covariances = np.empty((means.shape[0], n_features, n_features))
        kernels.covariances_from_moments(
            np.ascontiguousarray(total),
            np.ascontiguousarray(first),
            np.ascontiguousarray(second),
            shift,
            nk,
            float(reg_covar),
            covariances,
        )
        return nk, means, covariances

    def _sparse_moments(self, resp, nonzero):
        """Full covariances: the moments ``[S0 | S1 | S2]`` from the nonzero responsibilities.

        Well-separated components give most points a responsibility of
        exactly 0 for most components (the exponential underflows): 75% of
        the entries on the seminar's digits. A zero adds nothing to a sum,
        so each component's moments need only its own rows: with ``Z`` the
        gathered rows of ``X - c`` and ``W = r Z``, ``S2 = W^T Z`` (one BLAS
        product per component), ``S1 = sum W``, ``S0 = sum r``. That is 2
        n_nonzero d^2 flops against the dense product's n k d^2; used while
        at most :data:`_SPARSE_RESP_FRACTION` of the entries are nonzero.
        """
        if self.centered is None:
            self.centered = self.X - self.center
        n_components = resp.shape[1]
        n_features = self.X.shape[1]
        first, second = np.triu_indices(n_features)
        moments = np.empty((n_components, 1 + n_features + first.shape[0]))
        for c in range(n_components):
            rows = np.flatnonzero(nonzero[:, c])
            Z = self.centered[rows]
            r = resp[rows, c]
            W = Z * r[:, np.newaxis]
            moments[c, 0] = r.sum()
            moments[c, 1 : 1 + n_features] = W.sum(axis=0)
            moments[c, 1 + n_features :] = (W.T @ Z)[first, second]
        return moments

    def _tied(self, nk, means, reg_covar):
        """scikit-learn's ``(X^T X - sum_k n_k mu_k mu_k^T) / sum_k n_k``, around the data mean.

        Written around the mean c of X, the same matrix is

            (X-c)^T (X-c) - sum_k n_k (mu_k-c)(mu_k-c)^T
                + c s^T + s c^T - (n - N) c c^T,    s = n c - sum_k n_k mu_k,

        with N = sum_k n_k; when every row of ``resp`` sums to 1 the last three
        terms vanish, and no large squares cancel. (They do not vanish after a
        ``'random_from_data'`` or ``'k-means++'`` start, whose rows are mostly
        zero: the formula keeps scikit-learn's value there too.)
        """
        n_samples, n_features = self.X.shape
        center = self.center
        deviations = means - center
        scatter = self.scatter - (nk[:, np.newaxis] * deviations).T @ deviations
        total = nk.sum()
        s = n_samples * center - nk @ means
        scatter += np.outer(center, s) + np.outer(s, center)
        scatter -= (n_samples - total) * np.outer(center, center)
        covariance = scatter / total
        covariance.flat[:: n_features + 1] += reg_covar
        return covariance


def _covariances_full_blas(X, resp, nk, means, reg_covar):
    """Weighted scatter per component, ``W^T W`` with ``W = sqrt(r_k) (X - mu_k)``.

    NumPy computes ``W.T @ W`` as a symmetric rank-n update (syrk, half a
    gemm). Used for the parameters a fit returns (see ``_Moments.parameters``).
    """
    n_features = X.shape[1]
    n_components = means.shape[0]
    covariances = np.empty((n_components, n_features, n_features))
    W = np.empty_like(X)
    for k in range(n_components):
        kernels.scaled_deviations(X, resp, means, k, W)
        np.matmul(W.T, W, out=covariances[k])
        covariances[k] /= nk[k]
        covariances[k].flat[:: n_features + 1] += reg_covar
    return covariances


def _full_moments_blas(X, center, resp):
    """``resp.T @ [1 | X - c | products (x_a - c_a)(x_b - c_b), a <= b]``, block by block.

    The full-covariance M-step's weighted sums for many features, without
    the ``n x (1 + d + d(d+1)/2)`` design in memory: each block of rows gets
    its design (:func:`kernels.upper_design_rows`, ~4 MB, in cache) and one BLAS
    product ``design_block^T @ R_block``. It replaces one ``syrk`` of
    ``sqrt(r_k) (X - mu_k)`` per component, with the same flops: on the
    17,970 x 64 digits with k = 20, 170 ms per M-step became about 60 ms
    (the tall, thin syrks ran at half the rate, and the scaled copies cost
    2 ms each).
    """
    n_samples, n_features = X.shape
    width = 1 + n_features + n_features * (n_features + 1) // 2
    rows = max(64, _BLOCK_ELEMENTS // width)
    block = np.empty((min(rows, n_samples), width))
    product = np.empty((width, resp.shape[1]))
    moments = np.zeros((width, resp.shape[1]))
    for start in range(0, n_samples, rows):
        stop = min(start + rows, n_samples)
        design = block[: stop - start]
        kernels.upper_design_rows(X[start:stop], center, design)
        # design^T @ R, not R^T @ design: the same sums, but OpenBLAS runs
        # this shape (many rows, k columns) 1.5-2x faster
        np.matmul(design.T, resp[start:stop], out=product)
        moments += product
    return moments.T


def estimate_gaussian_parameters(X, resp, reg_covar, covariance_type):
    """Weighted counts, means and covariances from responsibilities.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float64
    resp : ndarray of shape (n_samples, n_components), float64
    reg_covar : float
        Added to every variance (the covariance diagonal).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    Returns
    -------
    nk : ndarray of shape (n_components,)
        ``sum_i r_ik + 10 eps`` (float64's eps): the small guard keeps an
        empty component from dividing by zero, as in scikit-learn.
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray
        (k, d, d) for 'full', (d, d) for 'tied', (k, d) for 'diag', (k,) for
        'spherical'.

    Notes
    -----
    The 'diag' and 'spherical' variances include scikit-learn's
    ``mu^2 guard / nk`` (what its ``E[x^2] - mu^2`` adds when ``nk`` carries
    the guard): negligible, except for a component about to vanish, where it
    keeps the two on the same path.
    """
    return _Moments(X, covariance_type).parameters(resp, reg_covar)


def compute_precision_cholesky(covariances, covariance_type):
    """Upper-triangular U with ``U U^T = Sigma^-1``, per component.

    Parameters
    ----------
    covariances : ndarray
        As returned by :func:`estimate_gaussian_parameters`.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    precisions_cholesky : ndarray, same shape as ``covariances``
        For 'diag' and 'spherical', ``1 / sqrt(variance)``.

    Raises
    ------
    ValueError
        When a covariance is not numerically positive definite, with advice.
    """
    covariances = _as_float64(covariances)
    if covariance_type in ("full", "tied"):
        stacked = covariances if covariance_type == "full" else covariances[np.newaxis]
        factors = np.empty_like(stacked)
        failed = kernels.precisions_cholesky_full(stacked, factors)
        if failed >= 0:
            raise ValueError(_ILL_DEFINED.format(component=failed))
        return factors if covariance_type == "full" else factors[0]
    if np.any(covariances <= 0.0):
        failed = int(np.argmax(np.reshape(covariances <= 0.0, (covariances.shape[0], -1)).any(1)))
        raise ValueError(_ILL_DEFINED.format(component=failed))
    return 1.0 / np.sqrt(covariances)


def precision_cholesky_from_precisions(precisions, covariance_type):
    """Upper-triangular U with ``U U^T = P`` from user-given precisions P.

    Raises ValueError when a precision is not positive definite.
    """
    precisions = _as_float64(precisions)
    if covariance_type in ("full", "tied"):
        stacked = precisions if covariance_type == "full" else precisions[np.newaxis]
        factors = np.empty_like(stacked)
        if kernels.cholesky_of_precisions(stacked, factors) >= 0:
            raise ValueError(
                f"'{covariance_type} precision' should be symmetric, positive-definite"
            )
        return factors if covariance_type == "full" else factors[0]
    return np.sqrt(precisions)


def m_step(X, resp, reg_covar, covariance_type, moments=None, final=True, sums=None):
    """New (weights, means, covariances, precisions_cholesky) from responsibilities.

    ``w_k = n_k / sum_j n_j``; see :func:`estimate_gaussian_parameters`.
    ``moments``: the ``_Moments`` of X, when the caller keeps it between
    iterations (the fit does). ``final=False`` when the parameters only feed
    the next E-step (see ``_Moments.parameters``). ``sums``: the weighted
    sums from :func:`e_step_moments`, in place of ``resp``.
    """
    if moments is None:
        moments = _Moments(X, covariance_type)
    nk, means, covariances = moments.parameters(resp, reg_covar, final, sums)
    weights = nk / nk.sum()
    precisions_chol = compute_precision_cholesky(covariances, covariance_type)
    return weights, means, covariances, precisions_chol


# ---------------------------------------------------------------------------
# Stage 3: E-step (log-densities and responsibilities)
# ---------------------------------------------------------------------------
def _log_det_cholesky(precisions_chol, covariance_type, n_features):
    """``sum_j log U[j, j]`` = half the log-determinant of the precision."""
    if covariance_type == "full":
        return np.log(np.diagonal(precisions_chol, axis1=1, axis2=2)).sum(axis=1)
    if covariance_type == "tied":
        return np.log(np.diagonal(precisions_chol)).sum()
    if covariance_type == "diag":
        return np.log(precisions_chol).sum(axis=1)
    return n_features * np.log(precisions_chol)


def estimate_weighted_log_prob(X, weights, means, precisions_chol, covariance_type):
    """``log w_k + log N(x_i | mu_k, Sigma_k)`` for every point and component.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float64, C-contiguous
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    precisions_chol : ndarray
        Upper Cholesky factors of the precisions (see
        :func:`compute_precision_cholesky`).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    ndarray of shape (n_samples, n_components)
    """
    n_samples, n_features = X.shape
    n_components = means.shape[0]
    weights, means, precisions_chol = map(_as_float64, (weights, means, precisions_chol))
    log_const = _log_const(weights, precisions_chol, covariance_type, n_features)
    out = np.empty((n_samples, n_components))
    if covariance_type == "full" and n_features < _BLAS_MIN_FEATURES:
        kernels.weighted_log_prob_full(X, means, precisions_chol, log_const, out)
    elif covariance_type == "full":
        # y = (x - mu_k) U_k = x U_k - B[k], B[k] = mu_k U_k, with x U_k for
        # all k in BLAS products by blocks of rows. U_k is upper triangular:
        # its columns in band s, e_{s-1} <= j < e_s, only involve the first
        # e_s features, so band s is
        #   Y_s = X[:, :e_s] @ [U_1[:e_s, e_{s-1}:e_s] | ... | U_k[:e_s, e_{s-1}:e_s]]
        # skipping the zero blocks (see kernels.weighted_log_prob_parts).
        bounds = _bands(n_features)
        factors = [
            np.ascontiguousarray(precisions_chol[:, :hi, lo:hi].transpose(1, 0, 2)).reshape(
                hi, n_components * (hi - lo)
            )
            for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
        ]
        projected_means = np.matmul(means[:, np.newaxis, :], precisions_chol)[:, 0, :]
        rows = max(64, _BLOCK_ELEMENTS // (n_components * n_features))
        buffer = np.empty(min(rows, n_samples) * n_components * n_features)
        for start in range(0, n_samples, rows):
            stop = min(start + rows, n_samples)
            m = stop - start
            Y = buffer[: m * n_components * n_features]
            for lo, hi, factor in zip(bounds[:-1], bounds[1:], factors, strict=True):
                band = Y[m * n_components * lo : m * n_components * hi]
                np.matmul(X[start:stop, :hi], factor, out=band.reshape(m, -1))
            kernels.weighted_log_prob_parts(Y, bounds, projected_means, log_const, out[start:stop])
    elif not _uses_tiles(covariance_type, n_features):  # tied, many features
        Y = X @ precisions_chol
        projected_means = means @ precisions_chol
        kernels.weighted_log_prob_projected(Y, projected_means, log_const, out)
    else:
        kind, means, precisions = _tiled_arguments(means, precisions_chol, covariance_type)
        kernels.weighted_log_prob_tiled(kind, X, means, precisions, log_const, out)
    return out


def _bands(n_features):
    """Column bands of the full E-step's products (:func:`estimate_weighted_log_prob`).

    Four equal bands from 32 features on (5/8 of a dense product's flops),
    two below (3/4): narrower bands save little more and make more, smaller
    BLAS calls. At 1797 x 64, k = 20, the products took 3.1 ms with four
    bands against 3.6 ms with two (and 3.0 ms with eight).
    """
    n_bands = 4 if n_features >= 32 else 2
    return np.array([round(n_features * s / n_bands) for s in range(n_bands + 1)], dtype=np.int64)


def _labels(weighted_log_prob):
    """``weighted_log_prob.argmax(axis=1)``, by a kernel (NumPy's is slow for few components)."""
    labels = np.empty(weighted_log_prob.shape[0], dtype=np.int64)
    kernels.row_argmax(weighted_log_prob, labels)
    return labels


def _uses_tiles(covariance_type, n_features):
    """Whether the E-step runs on the tiled kernels (diag, spherical, tied with few features)."""
    if covariance_type == "full":
        return False
    return covariance_type != "tied" or n_features < _BLAS_MIN_FEATURES


def _tiled_arguments(means, precisions_chol, covariance_type):
    """``(kind, means, precisions)`` as :func:`kernels.weighted_log_prob_tiled` takes them."""
    if covariance_type == "diag":
        return kernels.DIAG, means, precisions_chol**2
    if covariance_type == "spherical":
        return kernels.SPHERICAL, means, (precisions_chol**2)[:, np.newaxis]
    # tied: y = x U against the projected means mu_k U (scikit-learn's form)
    return kernels.TIED, means @ precisions_chol, precisions_chol


def _tiled_inputs(weights, means, precisions_chol, covariance_type, n_features):
    """``(kind, means, precisions, log_const)`` for the tiled E-step kernels, in float64."""
    weights, means, precisions_chol = map(_as_float64, (weights, means, precisions_chol))
    log_const = _log_const(weights, precisions_chol, covariance_type, n_features)
    return (*_tiled_arguments(means, precisions_chol, covariance_type), log_const)


def _log_const(weights, precisions_chol, covariance_type, n_features):
    """``log w_k - d/2 log(2 pi) + log det U_k`` per component."""
    with np.errstate(divide="ignore"):  # a zero weight gives log 0 = -inf, as it should
        log_const = (
            np.log(weights)
            - 0.5 * n_features * _LOG_2PI
            + _log_det_cholesky(precisions_chol, covariance_type, n_features)
        )
    return np.ascontiguousarray(np.broadcast_to(log_const, (weights.shape[0],)))


def _uses_blas(covariance_type, n_features):
    """Whether EM's steps for this model call BLAS on threads (full or tied, many features).

    (Tied with few features multiplies by a d x d factor: a product too small
    for OpenBLAS to start its threads.)
    """
    return covariance_type in ("full", "tied") and n_features >= _BLAS_MIN_FEATURES


def _normalize(weighted_log_prob, next_to_blas=False):
    """(log p(x_i) per row, responsibilities) by log-sum-exp, in place.

    Runs on one thread for small problems, and whenever BLAS products come
    before and after (``next_to_blas``): a threaded region leaves Numba's
    OpenMP workers spinning for a while, and OpenBLAS's threads then share
    the two cores with them (and the other way round). Measured per EM
    iteration, full covariances: 17,970 x 64, k = 20, 257 ms threaded
    against 210 ms serial; 100k x 32, k = 16, 507 against 413 ms; the whole
    seminar digits cell (1797 x 20 entries) about 2x faster. Without BLAS
    (100k x 2, k = 5) threads pay: 8.2 against 9.7 ms.
    """
    log_prob_norm = np.empty(weighted_log_prob.shape[0])
    if next_to_blas or weighted_log_prob.size <= _SERIAL_NORMALIZE_ENTRIES:
        with num_threads(1):
            kernels.normalize_log_prob(weighted_log_prob, weighted_log_prob, log_prob_norm)
    else:
        kernels.normalize_log_prob(weighted_log_prob, weighted_log_prob, log_prob_norm)
    return log_prob_norm, weighted_log_prob


def e_step(X, weights, means, precisions_chol, covariance_type):
    """Responsibilities and the average log-likelihood of the current parameters.

    Returns
    -------
    lower_bound : float
        ``mean_i log p(x_i)`` (for EM on a mixture it is the log-likelihood
        itself, the quantity each iteration cannot decrease).
    resp : ndarray of shape (n_samples, n_components)
    """
    n_samples, n_features = X.shape
    if not _uses_tiles(covariance_type, n_features):
        weighted = estimate_weighted_log_prob(X, weights, means, precisions_chol, covariance_type)
        log_prob_norm, resp = _normalize(weighted, _uses_blas(covariance_type, n_features))
        return float(np.mean(log_prob_norm)), resp
    # one pass: each tile's log-densities are normalised while in cache
    kind, means, precisions, log_const = _tiled_inputs(
        weights, means, precisions_chol, covariance_type, n_features
    )
    resp = np.empty((n_samples, means.shape[0]))
    log_prob_norm = np.empty(n_samples)
    small = resp.size <= _SERIAL_NORMALIZE_ENTRIES
    with num_threads(1) if small else contextlib.nullcontext():
        kernels.e_step_tiled(kind, X, means, precisions, log_const, resp, log_prob_norm)
    return float(np.mean(log_prob_norm)), resp


def e_step_moments(X, weights, means, precisions_chol, covariance_type, moments):
    """:func:`e_step` fused with the next M-step's sums (diag, spherical, few-feature tied).

    Returns ``(lower_bound, sums)``, ``sums`` for ``moments.parameters(None,
    reg_covar, sums=sums)``: the responsibilities are used tile by tile and
    never stored (:func:`kernels.e_step_moments`).
    """
    n_samples, n_features = X.shape
    kind, means, precisions, log_const = _tiled_inputs(
        weights, means, precisions_chol, covariance_type, n_features
    )
    log_prob_norm = np.empty(n_samples)
    sums = np.empty((means.shape[0], moments.width()))
    small = n_samples * means.shape[0] <= _SERIAL_NORMALIZE_ENTRIES
    with num_threads(1) if small else contextlib.nullcontext():
        kernels.e_step_moments(
            kind,
            X,
            moments.center,
            moments.squares,
            means,
            precisions,
            log_const,
            log_prob_norm,
            sums,
        )
    return float(np.mean(log_prob_norm)), sums


# ---------------------------------------------------------------------------
# The trace kept for teaching
# ---------------------------------------------------------------------------
@dataclass
class MixtureTrace:
    """What EM did in the winning run (``GaussianMixture(trace=True).trace_``).

    Index 0 of the parameter arrays holds the starting parameters, index t
    the parameters after EM iteration t; ``lower_bound[t]`` is the average
    log-likelihood of the parameters at index t (so ``lower_bound`` has one
    entry fewer: the last parameters are not scored again). This is
    scikit-learn's ``lower_bounds_``, which equals ``lower_bound[:n_iter_]``.

    Attributes
    ----------
    init : int
        Which of the ``n_init`` runs won.
    lower_bound : ndarray of shape (n_iter,)
    weights : ndarray of shape (n_iter + 1, n_components)
    means : ndarray of shape (n_iter + 1, n_components, n_features)
    covariances : ndarray of shape (n_iter + 1, ...)
        The covariance shape of ``covariance_type`` per entry.
    converged : bool
    """

    init: int
    lower_bound: np.ndarray
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    converged: bool


# ---------------------------------------------------------------------------
# The estimator
# ---------------------------------------------------------------------------
class GaussianMixture(BaseEstimator):
    """Gaussian mixture model fitted by EM, scikit-learn's ``GaussianMixture``.

    Parameters
    ----------
    n_components : int, default=1
        Number of Gaussian components.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default='full'
        Each component's own full covariance; one full covariance shared by
        all; each component's own diagonal covariance; each its own single
        variance.
    tol : float, default=1e-3
        A run stops when the average log-likelihood changes by less than
        ``tol`` between iterations.
    reg_covar : float, default=1e-6
        Added to the diagonal of every covariance, keeping it positive definite.
    max_iter : int, default=100
        EM iterations per run.
    n_init : int, default=1
        Number of runs; the one with the highest final lower bound is kept.
    init_params : {'kmeans', 'k-means++', 'random', 'random_from_data'}, default='kmeans'
        How each run's starting responsibilities are drawn (see
        :func:`initial_responsibilities`).
    weights_init : array-like of shape (n_components,), default=None
        Starting weights (non-negative, summing to 1) instead of the drawn ones.
    means_init : array-like of shape (n_components, n_features), default=None
        Starting means.
    precisions_init : array-like, default=None
        Starting precisions (inverse covariances), of shape (k, d, d) for
        'full', (d, d) for 'tied', (k, d) for 'diag', (k,) for 'spherical'.
        When all three are given, nothing is drawn.
    random_state : int, RandomState instance or None, default=None
        Drives the initialisation and :meth:`sample`.
    warm_start : bool, default=False
        Refits start from the previous fit's parameters (one run, ``n_init``
        ignored).
    verbose : int, default=0
        1 prints each run and every ``verbose_interval``-th iteration; 2 adds
        timings and the change of the lower bound.
    verbose_interval : int, default=10
    trace : bool, default=False
        Keep the lower bound and the parameters after every iteration of the
        winning run in ``trace_`` (a :class:`MixtureTrace`). Not in
        scikit-learn.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
    means_ : ndarray of shape (n_components, n_features)
    covariances_ : ndarray
    precisions_ : ndarray
        Inverses of the covariances.
    precisions_cholesky_ : ndarray
        Upper-triangular U with ``U U^T = precisions_`` (square roots for
        'diag' and 'spherical').
    converged_ : bool
        Whether the winning run met ``tol`` within ``max_iter`` iterations.
    n_iter_ : int
        Iterations of the winning run.
    lower_bound_ : float
        Final average log-likelihood of the winning run.
    lower_bounds_ : list of float
        Its average log-likelihood at each iteration.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X had string column names.
    trace_ : MixtureTrace
        Only with ``trace=True``.

    Notes
    -----
    float32 data: EM runs in float64 (a float64 copy of X is made), and the
    learned arrays are returned as float32, as scikit-learn returns them.
    scikit-learn computes in float32 and, with ``E[x^2] - mu^2`` for the
    'diag', 'spherical' and 'tied' covariances, can lose every digit (even
    produce negative variances) when data lie far from the origin; here
    second moments are taken around the data mean. See ``docs/mixture.md``.

    Examples
    --------
    >>> import numpy as np
    >>> from purecluster import GaussianMixture
    >>> X = np.array([[1, 2], [1, 4], [1, 0], [10, 2], [10, 4], [10, 0]])
    >>> gm = GaussianMixture(n_components=2, init_params="random_from_data",
    ...                      random_state=0).fit(X)
    >>> gm.predict([[0, 0], [12, 3]]).tolist() == [gm.predict([[1, 2]])[0],
    ...                                            gm.predict([[10, 2]])[0]]
    True
    """

    _estimator_type = "density_estimator"

    _parameter_constraints: dict = {
        "n_components": [Interval(numbers.Integral, 1, None, closed="left")],
        "covariance_type": [StrOptions(set(COVARIANCE_TYPES))],
        "tol": [Interval(numbers.Real, 0.0, None, closed="left")],
        "reg_covar": [Interval(numbers.Real, 0.0, None, closed="left")],
        "max_iter": [Interval(numbers.Integral, 0, None, closed="left")],
        "n_init": [Interval(numbers.Integral, 1, None, closed="left")],
        "init_params": [StrOptions({"kmeans", "k-means++", "random", "random_from_data"})],
        "weights_init": ["array-like", None],
        "means_init": ["array-like", None],
        "precisions_init": ["array-like", None],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "verbose_interval": [Interval(numbers.Integral, 1, None, closed="left")],
        "trace": ["boolean"],
    }

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
        weights_init=None,
        means_init=None,
        precisions_init=None,
        random_state=None,
        warm_start=False,
        verbose=0,
        verbose_interval=10,
        trace=False,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval
        self.trace = trace

    # -- fit -------------------------------------------------------------------
    def fit(self, X, y=None):
        """Fit the mixture by EM (``n_init`` runs, the best kept).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        self._fit(X)
        return self

    def fit_predict(self, X, y=None):
        """Fit the mixture and return each sample's most probable component.

        The labels come from a last E-step with the kept parameters, so they
        equal ``fit(X).predict(X)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        X64, best_params = self._fit(X)
        # A last E-step with the kept parameters, so that the labels returned
        # here are those predict(X) gives. (fit skips it: it returns no labels.)
        weighted = estimate_weighted_log_prob(
            X64, best_params[0], best_params[1], best_params[3], self.covariance_type
        )
        return _labels(weighted)

    def _fit(self, X):
        """Everything ``fit`` does; returns the float64 data and the kept parameters (float64)."""
        self._validate_params()
        X = self._validate_data(X, ensure_min_samples=2)
        n_samples, n_features = X.shape
        if n_samples < self.n_components:
            raise ValueError(
                "Expected n_samples >= n_components but got "
                f"n_components = {self.n_components}, n_samples = {n_samples}"
            )
        user_init = self._check_initial_parameters(n_features)
        X64 = _as_float64(X)

        do_init = not (
            self.warm_start
            and hasattr(self, "converged_")
            and hasattr(self, "precisions_cholesky_")
        )
        n_init = self.n_init if do_init else 1
        previous = None if do_init else self._fitted_parameters()
        previous_lower_bound = None if do_init else self.lower_bound_

        random_state = check_random_state(self.random_state)
        moments = _Moments(X64, self.covariance_type)
        max_lower_bound = -np.inf
        best_params, best_n_iter, best_lower_bounds, best_trace = None, 0, [], None
        self.converged_ = False

        def draw(init):
            self._print_verbose_msg_init_beg(init)
            if do_init:
                return self._initial_parameters(X64, X, random_state, user_init, moments), -np.inf
            return previous, previous_lower_bound

        def run(start):
            params, lower_bound = start
            result = self._run_em(X64, params, lower_bound, moments)
            _, _, final_bound, _, converged, _ = result
            if self.max_iter > 0:
                self._print_verbose_msg_init_end(final_bound, converged)
            return result

        # Runs side by side on threads only when nothing is printed or recorded
        # along the way (their order would interleave) and there is no
        # max_iter = 0 shortcut; see _runs for why the answers do not change.
        quiet = not self.verbose and not self.trace and self.max_iter > 0
        worth_it = _run_work(n_samples, n_features, self.n_components, self.covariance_type)
        workers = parallel_workers(n_init) if quiet and worth_it >= _PARALLEL_RUNS_WORK else 1
        for init, result in enumerate(run_in_order(n_init, draw, run, workers)):
            params, n_iter, lower_bound, lower_bounds, converged, history = result
            if lower_bound > max_lower_bound or max_lower_bound == -np.inf:
                max_lower_bound = lower_bound
                best_params, best_n_iter, best_lower_bounds = params, n_iter, lower_bounds
                best_trace = self._make_trace(init, history, lower_bounds, converged)
                self.converged_ = converged

        if not self.converged_ and self.max_iter > 0:
            warnings.warn(
                "Best performing initialization did not converge. Try different init "
                "parameters, or increase max_iter, tol, or check for degenerate data.",
                ConvergenceWarning,
                stacklevel=2,
            )

        self._set_parameters(best_params, X.dtype)
        self.n_iter_ = best_n_iter
        self.lower_bound_ = max_lower_bound
        self.lower_bounds_ = best_lower_bounds
        if self.trace:
            self.trace_ = best_trace
        elif hasattr(self, "trace_"):
            del self.trace_

        return X64, best_params

    def _run_em(self, X64, params, lower_bound, moments):
        """One EM run from ``params``, until the bound moves less than ``tol`` or ``max_iter``.

        Returns ``(params, n_iter, lower_bound, lower_bounds, converged,
        history)``; ``history`` (the parameters after each iteration, for
        the trace) is None unless ``trace=True``. With ``max_iter = 0`` the
        start is returned unscored, as scikit-learn does.
        """
        history = [params] if self.trace else None
        lower_bounds = []
        if self.max_iter == 0:
            return params, 0, lower_bound, lower_bounds, False, history
        converged = False
        ctype = self.covariance_type
        for n_iter in range(1, self.max_iter + 1):
            previous_bound = lower_bound
            if moments.tiled:  # the responsibilities are never stored
                lower_bound, sums = e_step_moments(
                    X64, params[0], params[1], params[3], ctype, moments
                )
                resp = None
            else:
                lower_bound, resp = e_step(X64, params[0], params[1], params[3], ctype)
                sums = None
            # the bound comes from the E-step: whether this M-step is the
            # run's last is known before it runs
            last = abs(lower_bound - previous_bound) < self.tol or n_iter == self.max_iter
            params = m_step(X64, resp, self.reg_covar, ctype, moments, final=last, sums=sums)
            lower_bounds.append(lower_bound)
            if history is not None:
                history.append(params)
            change = lower_bound - previous_bound
            self._print_verbose_msg_iter_end(n_iter, change)
            if abs(change) < self.tol:
                converged = True
                break
        return params, n_iter, lower_bound, lower_bounds, converged, history

    def _check_initial_parameters(self, n_features):
        """Validated float64 copies of weights_init, means_init, precisions_init."""
        k, d = self.n_components, n_features
        weights = means = precisions = None
        if self.weights_init is not None:
            weights = check_array(
                self.weights_init,
                input_name="weights_init",
                ensure_2d=False,
                ensure_min_samples=0,
            )
            _check_shape(weights, (k,), "weights")
            if np.any(weights < 0.0) or np.any(weights > 1.0):
                raise ValueError(
                    "The parameter 'weights' should be in the range [0, 1], but got max "
                    f"value {weights.max():.5f}, min value {weights.min():.5f}"
                )
            atol = 1e-6 if weights.dtype == np.float32 else 1e-8
            if not abs(1.0 - float(weights.sum())) <= atol:
                raise ValueError(
                    "The parameter 'weights' should be normalized, but got sum(weights) = "
                    f"{float(weights.sum()):.5f}"
                )
            weights = _as_float64(weights)
        if self.means_init is not None:
            means = check_array(
                self.means_init,
                input_name="means_init",
                ensure_2d=False,
                ensure_min_samples=0,
            )
            _check_shape(means, (k, d), "means")
            means = _as_float64(means)
        if self.precisions_init is not None:
            ctype = self.covariance_type
            precisions = check_array(
                self.precisions_init,
                input_name="precisions_init",
                ensure_2d=False,
                allow_nd=ctype == "full",
                ensure_min_samples=0,
            )
            shapes = {"full": (k, d, d), "tied": (d, d), "diag": (k, d), "spherical": (k,)}
            _check_shape(precisions, shapes[ctype], f"{ctype} precision")
            precisions = _as_float64(precisions)
            if ctype in ("full", "tied"):
                for matrix in precisions.reshape(-1, d, d):
                    symmetric = np.allclose(matrix, matrix.T, rtol=1e-5, atol=1e-8)
                    if not (symmetric and np.all(np.linalg.eigvalsh(matrix) > 0.0)):
                        raise ValueError(
                            f"'{ctype} precision' should be symmetric, positive-definite"
                        )
            elif np.any(precisions <= 0.0):
                raise ValueError(f"'{ctype} precision' should be positive")
        return weights, means, precisions

    def _initial_parameters(self, X64, X, random_state, user_init, moments):
        """One run's start: drawn responsibilities and one M-step, or the user's values."""
        weights_init, means_init, precisions_init = user_init
        weights = means = covariances = None
        if weights_init is None or means_init is None or precisions_init is None:
            resp = initial_responsibilities(X, self.n_components, self.init_params, random_state)
            # returned as they are only when no EM iteration follows
            final = self.max_iter == 0
            nk, means, covariances = moments.parameters(resp, self.reg_covar, final)
            weights = nk / X64.shape[0]
        if weights_init is not None:
            weights = weights_init
        if means_init is not None:
            means = means_init
        if precisions_init is None:
            precisions_chol = compute_precision_cholesky(covariances, self.covariance_type)
        else:
            precisions_chol = precision_cholesky_from_precisions(
                precisions_init, self.covariance_type
            )
            # The covariances follow from the precisions (scikit-learn leaves
            # them unset until the first M-step).
            covariances = _covariances_from_precisions_chol(precisions_chol, self.covariance_type)
        return weights, means, covariances, precisions_chol

    def _fitted_parameters(self):
        """The current fitted parameters in float64, where warm_start continues."""
        return tuple(
            _as_float64(a)
            for a in (self.weights_, self.means_, self.covariances_, self.precisions_cholesky_)
        )

    def _set_parameters(self, params, dtype):
        weights, means, covariances, precisions_chol = params
        if self.covariance_type in ("full", "tied"):
            precisions = precisions_chol @ np.swapaxes(precisions_chol, -1, -2)
        else:
            precisions = precisions_chol**2
        self.weights_ = weights.astype(dtype)
        self.means_ = means.astype(dtype)
        self.covariances_ = covariances.astype(dtype)
        self.precisions_cholesky_ = precisions_chol.astype(dtype)
        self.precisions_ = precisions.astype(dtype)

    def _make_trace(self, init, history, lower_bounds, converged):
        if history is None:
            return None
        return MixtureTrace(
            init=init,
            lower_bound=np.array(lower_bounds, dtype=np.float64),
            weights=np.array([p[0] for p in history]),
            means=np.array([p[1] for p in history]),
            covariances=np.array([p[2] for p in history]),
            converged=converged,
        )

    # -- verbose messages, as scikit-learn prints them ------------------------
    def _print_verbose_msg_init_beg(self, init):
        if self.verbose >= 1:
            print(f"Initialization {init}")
            if self.verbose >= 2:
                self._init_prev_time = time()
                self._iter_prev_time = self._init_prev_time

    def _print_verbose_msg_iter_end(self, n_iter, change):
        if n_iter % self.verbose_interval != 0:
            return
        if self.verbose == 1:
            print(f"  Iteration {n_iter}")
        elif self.verbose >= 2:
            now = time()
            print(
                f"  Iteration {n_iter}\t time lapse {now - self._iter_prev_time:.5f}s\t "
                f"ll change {change:.5f}"
            )
            self._iter_prev_time = now

    def _print_verbose_msg_init_end(self, lower_bound, converged):
        message = "converged" if converged else "did not converge"
        if self.verbose == 1:
            print(f"Initialization {message}.")
        elif self.verbose >= 2:
            elapsed = time() - self._init_prev_time
            print(
                f"Initialization {message}. time lapse {elapsed:.5f}s\t lower bound "
                f"{lower_bound:.5f}."
            )

    # -- using the fitted model ---------------------------------------------------
    def _weighted_log_prob(self, X):
        self._check_is_fitted(["means_", "precisions_cholesky_"])
        X = self._validate_data(X, reset=False)
        weighted = estimate_weighted_log_prob(
            _as_float64(X),
            self.weights_,
            self.means_,
            self.precisions_cholesky_,
            self.covariance_type,
        )
        return weighted, np.result_type(X.dtype, self.means_.dtype)

    def predict(self, X):
        """The most probable component of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        weighted, _ = self._weighted_log_prob(X)
        return _labels(weighted)

    def predict_proba(self, X):
        """Posterior probability of each component for each sample.

        Returns
        -------
        resp : ndarray of shape (n_samples, n_components)
        """
        weighted, dtype = self._weighted_log_prob(X)
        _, resp = _normalize(weighted)
        return resp.astype(dtype, copy=False)

    def score_samples(self, X):
        """Log-density ``log p(x)`` of each sample under the mixture.

        Returns
        -------
        log_prob : ndarray of shape (n_samples,)
        """
        weighted, dtype = self._weighted_log_prob(X)
        log_prob_norm, _ = _normalize(weighted)
        return log_prob_norm.astype(dtype, copy=False)

    def score(self, X, y=None):
        """Average log-density of the samples.

        Returns
        -------
        float
        """
        return float(np.mean(self.score_samples(X)))

    def sample(self, n_samples=1):
        """Draw samples from the fitted mixture, with scikit-learn's random stream.

        The counts per component come from one multinomial draw with the
        weights; then, component by component, ``multivariate_normal`` draws
        ('full', 'tied') or scaled standard normals ('diag', 'spherical').
        The generator is ``check_random_state(random_state)``: an int seed
        starts its stream afresh at every call.

        Parameters
        ----------
        n_samples : int, default=1

        Returns
        -------
        X : ndarray of shape (n_samples, n_features), float64
        y : ndarray of shape (n_samples,), int64
            The component of each sample (sorted: all of component 0 first).
        """
        self._check_is_fitted(["means_", "covariances_"])
        if n_samples < 1:
            raise ValueError(
                f"Invalid value for 'n_samples': {n_samples}. The sampling requires at "
                "least one sample."
            )
        n_features = self.means_.shape[1]
        rng = check_random_state(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_)
        triples = zip(self.means_, self.covariances_, counts, strict=False)
        if self.covariance_type == "full":
            parts = [
                rng.multivariate_normal(mean, covariance, int(count))
                for mean, covariance, count in triples
            ]
        elif self.covariance_type == "tied":
            parts = [
                rng.multivariate_normal(mean, self.covariances_, int(count))
                for mean, count in zip(self.means_, counts, strict=True)
            ]
        else:
            parts = [
                mean + rng.standard_normal(size=(count, n_features)) * np.sqrt(covariance)
                for mean, covariance, count in triples
            ]
        X = np.vstack(parts).astype(np.float64, copy=False)
        y = np.concatenate(
            [np.full(int(count), k, dtype=np.int64) for k, count in enumerate(counts)]
        )
        return X, y

    # -- model selection -----------------------------------------------------------
    def _n_parameters(self):
        """Free parameters: means, covariances, and k - 1 weights."""
        k, d = self.means_.shape
        covariance_params = {
            "full": k * d * (d + 1) / 2.0,
            "tied": d * (d + 1) / 2.0,
            "diag": k * d,
            "spherical": k,
        }[self.covariance_type]
        return int(covariance_params + k * d + k - 1)

    def bic(self, X):
        """Bayesian information criterion ``-2 log L + p log n`` (lower is better)."""
        n_samples = _n_rows(X)
        return -2 * self.score(X) * n_samples + self._n_parameters() * math.log(n_samples)

    def aic(self, X):
        """Akaike information criterion ``-2 log L + 2 p`` (lower is better)."""
        return -2 * self.score(X) * _n_rows(X) + 2 * self._n_parameters()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "density_estimator"
        return tags


def _n_rows(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _check_shape(array, shape, name):
    if array.shape != shape:
        raise ValueError(
            f"The parameter '{name}' should have the shape of {shape}, but got {array.shape}"
        )


def _covariances_from_precisions_chol(precisions_chol, covariance_type):
    """Sigma = (U U^T)^-1 = U^-T U^-1 (inverse variances for diag/spherical)."""
    if covariance_type in ("full", "tied"):
        inverse = np.linalg.inv(precisions_chol)  # NumPy's LAPACK, from Python
        return np.swapaxes(inverse, -1, -2) @ inverse
    return 1.0 / precisions_chol**2


@register_warmup("mixture")
def _warmup(dtype):
    """Compile every EM kernel on a few dozen points (both full-covariance paths)."""
    rng = np.random.RandomState(0)
    for n_features in (2, _BLAS_MIN_FEATURES):
        X = rng.standard_normal((40, n_features)).astype(dtype)
        for covariance_type in COVARIANCE_TYPES:
            model = GaussianMixture(
                2,
                covariance_type=covariance_type,
                init_params="random",
                max_iter=2,
                random_state=0,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(X)
            model.predict_proba(X)
