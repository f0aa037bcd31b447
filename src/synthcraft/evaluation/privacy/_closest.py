"""Distance of each row to its closest training row, in the privacy metrics' feature space."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from synthcraft.errors import UserInputError
from synthcraft.evaluation._features import fit_feature_space
from synthcraft.evaluation.privacy._neighbors import nearest
from synthcraft.metadata import Metadata

__all__ = ["closest_record_distance"]


def closest_record_distance(
    train: pd.DataFrame, metadata: Metadata
) -> Callable[[pd.DataFrame], np.ndarray]:
    """A function giving each row's distance to its closest row of ``train``.

    Distances are those of ``dcr_share``: Euclidean in ``fit_feature_space(train, metadata)``
    (id, PII and free-text columns left out), exact, with every training row searched. The
    returned function holds the encoded training rows; drop it when done.

    Raises
    ------
    UserInputError
        ``train`` is empty, or no column can be placed in the feature space.

    Examples
    --------
    >>> from synthcraft.metadata import Column, ColumnKind
    >>> md = Metadata((Column("x", ColumnKind.FLOAT, "float64"),))
    >>> distance = closest_record_distance(pd.DataFrame({"x": [0.0, 1.0]}), md)
    >>> distance(pd.DataFrame({"x": [0.0, 0.25]})).tolist()
    [0.0, 0.25]
    """
    if len(train) == 0:
        raise UserInputError("the training table is empty; distances need at least one row")
    space = fit_feature_space(train, metadata)
    if space.n_features == 0:
        raise UserInputError(
            "no column can be compared by distance (only ids, PII or free text); "
            "add a number, category, boolean or datetime column"
        )
    reference = space.transform(train)

    def distance(rows: pd.DataFrame) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0)
        found, _ = nearest(reference, space.transform(rows), 1)
        return found[:, 0]

    return distance
