"""scikit-learn's training notes that say nothing a researcher could act on, kept out of the
terminal and the log: a code absent from an inner training fold (it is then simply never
predicted there, which the out-of-fold scores count against it) and liblinear stopping at its
iteration limit (the weights are near their optimum; their quality is measured out of fold)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_training() -> Iterator[None]:
    """Hide those two notes (and nothing else) while fitting. Before Python 3.14 the filters
    are process-wide, not per thread: another thread's warning of one of these two kinds is
    hidden meanwhile too, and nothing else is."""
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        warnings.filterwarnings(
            "ignore", message=r"Label .* is present in all training examples", category=UserWarning
        )
        yield
