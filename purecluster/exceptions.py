"""The exceptions and warnings purecluster raises.

They mirror scikit-learn's, so code written against scikit-learn can catch
ours with the same ``except`` clauses (``ValueError``, ``AttributeError``...)
without importing scikit-learn.
"""


class NotFittedError(ValueError, AttributeError):
    """Raised when an estimator is used before ``fit``.

    It subclasses both ``ValueError`` and ``AttributeError``, as scikit-learn's
    ``NotFittedError`` does, so ``hasattr`` checks and ``except ValueError``
    both behave as they would with scikit-learn.
    """


class InvalidParameterError(ValueError, TypeError):
    """Raised when a constructor or function parameter has a bad value or type.

    Subclasses ``ValueError`` and ``TypeError``: a wrong type and an
    out-of-range value are both caught by whichever a caller expects.
    """


class ConvergenceWarning(UserWarning):
    """Emitted when an iterative algorithm stops before it converged."""


class DataConversionWarning(UserWarning):
    """Emitted when input data had to be converted in a way the user may not expect."""
