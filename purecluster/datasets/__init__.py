"""Toy data sets: synthetic generators and the bundled digits images.

The generators reproduce scikit-learn's ``make_*`` functions exactly: for the
same arguments and ``random_state`` they return bit-for-bit the same arrays,
drawing from NumPy's legacy ``RandomState`` in the same order. None of this
needs scikit-learn installed.
"""

from ._base import Bunch
from ._digits import load_digits
from ._samples_generator import make_blobs, make_circles, make_classification, make_moons
from ._seminar import seminar_datasets

__all__ = [
    "Bunch",
    "load_digits",
    "make_blobs",
    "make_circles",
    "make_classification",
    "make_moons",
    "seminar_datasets",
]
