"""Personal data: encoded as nothing, decoded as fake values of the column's PII kind."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from synthcraft import pii
from synthcraft._rng import check_rng
from synthcraft.errors import DataError, MetadataError, ModelFileError, UserInputError
from synthcraft.metadata import Column
from synthcraft.transforms._base import Encoder, restore_dtype

__all__ = ["PiiEncoder"]

_REDRAWS = 20


class PiiEncoder(Encoder, registry_name="pii"):
    """Encode a PII column as zero columns; decode to fakes from :func:`synthcraft.pii.generate`.

    Nothing about the real values is stored, only the kind, whether values are unique and the
    missing share. The fakes come from reserved or fictional ranges (example domains, drama phone
    numbers, test card numbers, documentation IP ranges, ...), so for those kinds they cannot be
    real values; kinds drawn from word lists (names, cities, streets) may match a real value by
    chance. Columns marked ``unique`` get values unique within one call (duplicates are
    redrawn); across separately decoded blocks uniqueness is only as likely as the kind's value
    space allows.
    Missing values come back at the fitted missing share.

    Parameters
    ----------
    locale : str
        Locale of the fake values, one of :data:`synthcraft.pii.LOCALES`.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from synthcraft.metadata import Column, ColumnKind
    >>> col = Column("mail", ColumnKind.PII, "str", pii_kind="email")
    >>> enc = PiiEncoder().fit(pd.Series(["a@b.org"], dtype="str", name="mail"), col)
    >>> enc.inverse_transform(np.zeros((1, 0)), rng=np.random.default_rng(0))[0].count("@")
    1
    """

    _params = ("locale",)
    _learned: ClassVar[dict[str, type | tuple[type, ...]]] = {
        "pii_kind_": str,
        "unique_": bool,
    }

    pii_kind_: str
    unique_: bool

    def __init__(self, *, locale: str = "en_US") -> None:
        self.locale = locale

    def _check_params(self) -> None:
        if self.locale not in pii.LOCALES:
            raise UserInputError(
                f"unknown locale {self.locale!r}; use one of: {', '.join(pii.LOCALES)}"
            )

    def _fit(self, series: pd.Series, column: Column, missing: np.ndarray) -> None:
        if not column.pii_kind:
            raise MetadataError(
                f"column {column.name!r} has kind 'pii' but no pii_kind; set it to one of: "
                f"{', '.join(pii.list_kinds())}"
            )
        pii.get_kind(column.pii_kind)
        self.pii_kind_ = column.pii_kind
        self.unique_ = column.unique

    def _restore(self, arrays: object) -> None:
        if self.pii_kind_ not in pii.list_kinds():
            raise ModelFileError(
                f"pii encoder: unknown PII kind {self.pii_kind_!r}; the file is corrupt or "
                "newer than this synthcraft"
            )

    def _transform(self, series: pd.Series, missing: np.ndarray) -> np.ndarray:
        return np.zeros((len(series), 0), dtype=np.float64)

    def _inverse(self, array: np.ndarray, rng: np.random.Generator | None, start: int) -> pd.Series:
        n = len(array)
        generator = check_rng(rng)
        values = np.asarray(
            pii.generate(self.pii_kind_, n, generator, locale=self.locale), dtype=object
        )
        if self.unique_:
            values = self._deduplicate(values, generator)
        if self.has_missing_:
            values[generator.random(n) < self.missing_share_] = None
        return restore_dtype(values, self.dtype_, self.column_.name)

    def _deduplicate(self, values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        for _ in range(_REDRAWS):
            repeated = pd.Series(values).duplicated().to_numpy()
            if not repeated.any():
                return values
            redrawn = pii.generate(self.pii_kind_, int(repeated.sum()), rng, locale=self.locale)
            values[repeated] = np.asarray(redrawn, dtype=object)
        raise DataError(
            f"column {self.column_.name!r}: PII kind {self.pii_kind_!r} cannot give {len(values)} "
            "unique values; sample fewer rows or do not mark the column unique"
        )

    def _output_names(self) -> list[str]:
        return []
