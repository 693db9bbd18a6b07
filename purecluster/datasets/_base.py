"""The ``Bunch`` container returned by the dataset loaders."""

__all__ = ["Bunch"]


class Bunch(dict):
    """A dictionary whose keys can also be read and written as attributes.

    Loaders return one so that ``digits["data"]`` and ``digits.data`` are the
    same object, as with scikit-learn's ``Bunch``.

    Parameters
    ----------
    **kwargs
        The initial keys and values.

    Examples
    --------
    >>> b = Bunch(data=[1, 2], name="toy")
    >>> b.data is b["data"]
    True
    >>> b.size = 2
    >>> sorted(b)
    ['data', 'name', 'size']
    """

    def __init__(self, **kwargs):
        super().__init__(kwargs)

    def __getattr__(self, key):
        # Only called when normal attribute lookup failed: fall back on the keys.
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        self[key] = value

    def __delattr__(self, key):
        try:
            del self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __dir__(self):
        return list(self.keys())

    def __setstate__(self, state):
        # Everything lives in the dict itself; ignore any instance __dict__ a
        # pickle may carry so that attribute and key access cannot disagree.
        pass
