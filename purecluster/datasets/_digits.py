"""The 8x8 handwritten digits images, shipped with the package."""

from importlib import resources
from numbers import Integral

import numpy as np

from .._validation import Interval, validate_params
from ._base import Bunch

__all__ = ["load_digits"]

# Pixels (uint8, 1797 x 8 x 8) and labels (uint8), converted once from the
# scikit-learn copy of the UCI test set; see DESCR below for the source.
_DATA_FILE = "digits.npz"

DESCR = """\
.. _digits_dataset:

Handwritten digits (UCI "Optical Recognition of Handwritten Digits")
--------------------------------------------------------------------

**Summary**

:Samples: 1797, about 180 for each of the 10 digits 0-9
:Features: 64, the pixels of an 8x8 image, read row by row
:Feature values: integers from 0 to 16
:Missing values: none

**What the numbers are**

Forms filled in by hand were scanned into 32x32 black-and-white bitmaps of
single digits, normalised with NIST's preprocessing programs. Each bitmap was
then cut into 64 non-overlapping 4x4 blocks, and every pixel here counts the
black pixels of one block (hence 0 to 16). The coarse grid makes the images
small and tolerant to slight deformations. Forty-three writers took part;
these 1797 images are the original test set, written by 13 people who did
not contribute to the training set.

**Source and licence**

E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits",
UCI Machine Learning Repository, 1998. https://doi.org/10.24432/C50P49
(https://archive.ics.uci.edu/dataset/80). The data set is licensed under the
Creative Commons Attribution 4.0 International licence (CC BY 4.0); the
images shipped with purecluster are the same values as the copy distributed
with scikit-learn, stored as 8-bit integers.

**References**

- C. Kaynak, "Methods of Combining Multiple Classifiers and Their
  Applications to Handwritten Digit Recognition", MSc thesis, Bogazici
  University, 1995.
- E. Alpaydin and C. Kaynak, "Cascading Classifiers", Kybernetika 34(4),
  1998.
- M. D. Garris et al., "NIST Form-Based Handprint Recognition System",
  NISTIR 5469, 1994 (the preprocessing).
"""


def _read_digits():
    """Pixels as a (1797, 8, 8) uint8 array and labels as a (1797,) uint8 array."""
    source = resources.files(__package__).joinpath("data", _DATA_FILE)
    with source.open("rb") as handle, np.load(handle) as archive:
        return archive["images"], archive["target"]


def _as_frame(data, target, feature_names):
    """The pandas objects scikit-learn returns with ``as_frame=True``."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            "load_digits with as_frame=True requires pandas; install it (pip install "
            "pandas) or call load_digits with as_frame=False to get NumPy arrays."
        ) from exc
    frame = pd.concat(
        [
            pd.DataFrame(data, columns=feature_names, copy=False),
            pd.DataFrame(target, columns=["target"]),
        ],
        axis=1,
    )
    return frame, frame[feature_names], frame["target"]


def load_digits(*, n_class=10, return_X_y=False, as_frame=False):
    """Load the 8x8 handwritten digits (1797 images, 10 classes).

    The same arrays as ``sklearn.datasets.load_digits``, read from a file
    shipped inside purecluster. See ``DESCR`` of the result for the origin of
    the data (UCI, Alpaydin & Kaynak, CC BY 4.0).

    Parameters
    ----------
    n_class : int in [1, 10], default=10
        Keep only the digits ``0`` to ``n_class - 1``.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a :class:`Bunch`.
    as_frame : bool, default=False
        Return ``data`` as a pandas DataFrame and ``target`` as a Series
        (also filling ``frame``, the two side by side). Needs pandas.

    Returns
    -------
    bunch : Bunch
        With keys

        data : ndarray of shape (n, 64), float64, or DataFrame
            One image per row, pixels read row by row.
        target : ndarray of shape (n,), int64, or Series
            The digit drawn in each image.
        frame : DataFrame of shape (n, 65) or None
            ``data`` and ``target`` together when ``as_frame=True``.
        feature_names : list of str
            ``"pixel_<row>_<column>"`` for the 64 columns.
        target_names : ndarray of shape (10,)
            The digits 0 to 9 (all ten, whatever ``n_class``).
        images : ndarray of shape (n, 8, 8), float64
            The same pixels as ``data``, as images.
        DESCR : str
            Description of the data set and its source.
    (data, target) : tuple
        When ``return_X_y=True``.

    Examples
    --------
    >>> from purecluster.datasets import load_digits
    >>> digits = load_digits()
    >>> digits.data.shape, digits.images.shape
    ((1797, 64), (1797, 8, 8))
    >>> X, y = load_digits(n_class=2, return_X_y=True)
    >>> X.shape, sorted(set(y.tolist()))
    ((360, 64), [0, 1])
    """
    validate_params(
        {"n_class": n_class, "return_X_y": return_X_y, "as_frame": as_frame},
        {
            "n_class": [Interval(Integral, 1, 10, closed="both")],
            "return_X_y": ["boolean"],
            "as_frame": ["boolean"],
        },
        "load_digits",
    )
    pixels, labels = _read_digits()
    if n_class < 10:
        keep = labels < n_class
        pixels, labels = pixels[keep], labels[keep]
    images = pixels.astype(np.float64)
    # A separate copy, so that writing into data does not change images.
    data = images.reshape(len(images), 64).copy()
    target = labels.astype(int)
    feature_names = [f"pixel_{row}_{col}" for row in range(8) for col in range(8)]

    frame = None
    if as_frame:
        frame, data, target = _as_frame(data, target, feature_names)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        frame=frame,
        feature_names=feature_names,
        target_names=np.arange(10),
        images=images,
        DESCR=DESCR,
    )
