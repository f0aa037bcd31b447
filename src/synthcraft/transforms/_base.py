"""The encoder contract: fit on one column, encode to floats, decode back to the column's dtype.

An encoder turns one column into a 2-D float64 array of shape ``(n, k)`` that a model can learn,
and turns such an array back into a column with the original name and dtype. The constructor
stores keyword settings only; what :meth:`Encoder.fit` learns ends in ``_``. State is a JSON-able
dict plus numpy arrays (no pickle); the ``"encoder"`` name in it picks the class from a fixed
table of known encoders, never from an import path.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from synthcraft.errors import DataError, MetadataError, ModelFileError, NotFittedError
from synthcraft.metadata import Column

__all__ = ["Encoder", "encoder_class", "registered_encoders"]

_REGISTRY: dict[str, type[Encoder]] = {}

JsonDict = dict[str, Any]


def registered_encoders() -> dict[str, type[Encoder]]:
    """The known encoder classes by their registry name (a copy)."""
    return dict(_REGISTRY)


def encoder_class(name: str) -> type[Encoder]:
    """The encoder class registered as ``name``; raises ModelFileError for unknown names."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(_REGISTRY))
        raise ModelFileError(
            f"unknown encoder {name!r} in saved state (known: {known}); the file is corrupt or "
            "was written by a newer synthcraft, so upgrade synthcraft"
        ) from None


class Encoder(ABC):
    """Reversible encoder of one column (abstract).

    Subclasses declare ``registry_name`` through the class statement
    (``class NumericEncoder(Encoder, registry_name="numeric")``), their settings in ``_params``
    and their JSON-able learned attributes in ``_learned`` (attribute name -> accepted types).
    Every encoder learns ``column_`` (the :class:`~synthcraft.metadata.Column`), ``dtype_`` (the
    fitted pandas dtype as text) and ``missing_share_``.
    """

    registry_name: ClassVar[str]
    _params: ClassVar[tuple[str, ...]] = ()
    _learned: ClassVar[dict[str, type | tuple[type, ...]]] = {}

    column_: Column
    dtype_: str
    missing_share_: float

    def __init_subclass__(cls, *, registry_name: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if registry_name in _REGISTRY:
            raise TypeError(f"encoder name {registry_name!r} is registered twice")
        cls.registry_name = registry_name
        _REGISTRY[registry_name] = cls

    # -- settings ---------------------------------------------------------------------------
    def get_params(self) -> dict[str, Any]:
        """The constructor settings, as given."""
        return {name: getattr(self, name) for name in self._params}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def _check_params(self) -> None:
        """Validate the settings at the start of fit (no-op unless overridden)."""
        return None

    # -- public contract --------------------------------------------------------------------
    def fit(self, series: pd.Series, column: Column) -> Self:
        """Learn how to encode ``series``, described by ``column``; returns self."""
        if not isinstance(column, Column):
            raise MetadataError(f"column must be a synthcraft Column, got {type(column).__name__}")
        _check_series(series, column.name)
        if len(series) == 0:
            raise DataError(
                f"column {column.name!r} has no rows; fit the encoder on at least one row"
            )
        self._check_params()
        missing = series.isna().to_numpy(dtype=bool)
        self._fit(series, column, missing)
        self.dtype_ = str(series.dtype)
        self.missing_share_ = float(missing.mean())
        self.column_ = column
        return self

    def transform(self, series: pd.Series) -> np.ndarray:
        """Encode ``series`` as a float64 array of shape ``(len(series), len(output_names))``."""
        self._check_fitted()
        _check_series(series, self.column_.name)
        missing = series.isna().to_numpy(dtype=bool)
        if missing.any() and self.missing_share_ == 0.0:
            raise DataError(
                f"column {self.column_.name!r} has {int(missing.sum())} missing values but had "
                "none when the encoder was fitted; refit on data that includes missing values"
            )
        out = np.asarray(self._transform(series, missing), dtype=np.float64)
        return out.reshape(len(series), len(self._output_names()))

    def inverse_transform(
        self, array: np.ndarray, *, rng: np.random.Generator | None = None, start: int = 0
    ) -> pd.Series:
        """Decode ``array`` (shape ``(n, len(output_names))``) into a column of the fitted dtype.

        Parameters
        ----------
        array : numpy.ndarray
            Encoded values, e.g. sampled by a model.
        rng : numpy.random.Generator, optional
            Randomness for encoders that generate values (ids, PII); fresh entropy when None.
        start : int
            Row number of the first row in the whole sample, so regenerated unique ids stay
            unique across blocks that are decoded separately.
        """
        self._check_fitted()
        width = len(self._output_names())
        arr = check_array(array, width, self.column_.name)
        if isinstance(start, bool) or not isinstance(start, (int, np.integer)) or start < 0:
            raise DataError(f"start must be a whole number >= 0, got {start!r}")
        out = self._inverse(arr, rng, int(start))
        out.name = self.column_.name
        return out

    @property
    def output_names(self) -> list[str]:
        """Names of the encoded columns, in order."""
        self._check_fitted()
        return self._output_names()

    def get_state(self) -> tuple[JsonDict, dict[str, np.ndarray]]:
        """JSON-able settings and learned values, plus numpy arrays (none for most encoders)."""
        self._check_fitted()
        learned = {attr.rstrip("_"): _copy(getattr(self, attr)) for attr in self._learned}
        state: JsonDict = {
            "encoder": self.registry_name,
            "params": self.get_params(),
            "column": self.column_.to_dict(),
            "dtype": self.dtype_,
            "missing_share": self.missing_share_,
            "learned": learned,
        }
        return state, {}

    @classmethod
    def from_state(cls, state: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Self:
        """Rebuild a fitted encoder from :meth:`get_state` output.

        Called on :class:`Encoder` it picks the class named in ``state``; called on a subclass
        it refuses state of another class.
        """
        if not isinstance(state, Mapping):
            raise ModelFileError("encoder state must be a JSON object; the model file is corrupt")
        klass = encoder_class(state.get("encoder"))  # type: ignore[arg-type]
        if cls is not Encoder and klass is not cls:
            raise ModelFileError(
                f"state is for encoder {klass.registry_name!r}, not {cls.registry_name!r}; "
                "load it with Encoder.from_state"
            )
        where = f"encoder {klass.registry_name!r}"
        try:
            params = dict(state["params"])
            encoder = klass(**params)
            column = Column.from_dict(state["column"], where=f"{where} column")
            dtype, share = state["dtype"], state["missing_share"]
            learned = state["learned"]
        except (KeyError, TypeError, ValueError, MetadataError) as exc:
            raise ModelFileError(
                f"{where}: saved state is incomplete or malformed ({exc})"
            ) from None
        if not isinstance(dtype, str) or not isinstance(share, (int, float)):
            raise ModelFileError(f"{where}: saved dtype or missing share is malformed")
        if dtype != "category":
            try:
                pd.api.types.pandas_dtype(dtype)
            except (TypeError, ValueError, KeyError):
                raise ModelFileError(f"{where}: saved dtype {dtype!r} is not a dtype") from None
        for attr, types in klass._learned.items():
            key = attr.rstrip("_")
            if not isinstance(learned, Mapping) or key not in learned:
                raise ModelFileError(f"{where}: saved state lacks {key!r}; the file is corrupt")
            value = learned[key]
            if value is not None and not isinstance(value, types):
                raise ModelFileError(f"{where}: saved {key!r} has the wrong type")
            setattr(encoder, attr, _copy(value))
        encoder.dtype_ = dtype
        encoder.missing_share_ = float(share)
        encoder.column_ = column
        encoder._restore(arrays)
        return encoder  # type: ignore[return-value]

    # -- hooks for subclasses ---------------------------------------------------------------
    @abstractmethod
    def _fit(self, series: pd.Series, column: Column, missing: np.ndarray) -> None:
        """Set the learned attributes (all but ``column_``, ``dtype_``, ``missing_share_``)."""

    @abstractmethod
    def _transform(self, series: pd.Series, missing: np.ndarray) -> np.ndarray:
        """Encode; the result is reshaped to ``(n, k)``."""

    @abstractmethod
    def _inverse(self, array: np.ndarray, rng: np.random.Generator | None, start: int) -> pd.Series:
        """Decode a checked array of shape ``(n, k)``."""

    @abstractmethod
    def _output_names(self) -> list[str]:
        """Names of the encoded columns."""

    def _restore(self, arrays: Mapping[str, np.ndarray]) -> None:
        """Finish :meth:`from_state` (check learned values, read arrays); no-op by default."""
        return None

    # -- helpers ----------------------------------------------------------------------------
    @property
    def has_missing_(self) -> bool:
        """True when the fit data had missing values."""
        return self.missing_share_ > 0.0

    def _check_fitted(self) -> None:
        if not hasattr(self, "column_"):
            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet; call fit(series, column) first"
            )


def _copy(value: Any) -> Any:
    """A copy of a learned list (so state and encoder never share one); other values as is."""
    return list(value) if isinstance(value, list) else value


def _check_series(series: object, name: str) -> None:
    if not isinstance(series, pd.Series):
        raise DataError(
            f"column {name!r}: expected a pandas Series, got {type(series).__name__}; "
            "pass one column of a DataFrame"
        )


def check_array(array: object, width: int, name: str) -> np.ndarray:
    """``array`` as a 2-D float64 array with ``width`` columns, or a DataError."""
    try:
        arr = np.asarray(array, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataError(f"column {name!r}: encoded values must be numbers") from None
    if arr.ndim == 1 and width == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2 or arr.shape[1] != width:
        raise DataError(
            f"column {name!r}: expected encoded values of shape (n, {width}), got {arr.shape}; "
            "pass the columns given by output_names"
        )
    return arr


def missing_from(array: np.ndarray, has_missing: bool) -> tuple[np.ndarray, np.ndarray]:
    """Split ``(value, [indicator])`` columns into values and a missing mask (indicator >= 0.5)."""
    if has_missing:
        return array[:, 0], array[:, 1] >= 0.5
    return array[:, 0], np.zeros(len(array), dtype=bool)


def check_finite(values: np.ndarray, missing: np.ndarray, name: str) -> None:
    """Raise a DataError when a value that is not missing is NaN or infinite."""
    bad = ~np.isfinite(values) & ~missing
    if bad.any():
        raise DataError(
            f"column {name!r}: {int(bad.sum())} encoded values are NaN or infinite; "
            "the model produced invalid numbers, so check its training"
        )


def power_of_two_exponent(scale: float) -> int:
    """Exponent ``e`` with ``2**e`` nearest to ``scale`` (0 for 0, NaN or infinity)."""
    if not np.isfinite(scale) or scale <= 0:
        return 0
    mantissa, exponent = np.frexp(scale)
    return int(exponent) if mantissa >= np.sqrt(0.5) else int(exponent) - 1


def restore_dtype(values: Any, dtype: str, name: str) -> pd.Series:
    """A Series of ``values`` cast to the fitted ``dtype``; a DataError when it does not fit."""
    try:
        return pd.Series(values).astype(pd.api.types.pandas_dtype(dtype))
    except (TypeError, ValueError, OverflowError) as exc:
        raise DataError(
            f"column {name!r}: decoded values do not fit dtype {dtype} ({exc}); "
            "check the model output"
        ) from None
