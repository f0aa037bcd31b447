"""The base of every synthesizer: settings, fitting checks, block sampling, conditions, state.

A model subclasses :class:`BaseSynthesizer` directly, declares its settings as keyword-only
constructor arguments (stored unchanged), a table of setting constraints and its :class:`Tags`,
and implements four hooks: ``_fit_model``, ``_sample_model``, ``_model_state`` and
``_load_model_state``. The base does everything else: validating settings at the start of
``fit``, detecting and checking metadata, privatising what is stored, regenerating ids, keys and
PII (:mod:`synthcraft.synthesizers._identity`), cutting samples into seeded blocks, encoding
conditions, decoding to the training dtypes, and the state that :mod:`synthcraft.persistence`
saves.
"""

from __future__ import annotations

import inspect
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt
import pandas as pd

from synthcraft._rng import check_rng, draw_seed, sample_in_blocks, seed_sequence
from synthcraft._types import Conditions, ProgressCallback, SeedLike
from synthcraft.errors import (
    DataError,
    NotFittedError,
    UnsupportedConditionError,
    UserInputError,
)
from synthcraft.metadata import Column, ColumnKind, Metadata
from synthcraft.synthesizers._encoding import MODELLED_KINDS, ColumnCodec, cast_series
from synthcraft.synthesizers._identity import IdentityModel, stream
from synthcraft.synthesizers._privatise import privatise
from synthcraft.synthesizers._tags import Tags

__all__ = [
    "MIN_ROWS",
    "BaseSynthesizer",
    "Constraint",
    "EncodedConditions",
    "number",
    "seed_setting",
    "names_or_none",
    "subset_of",
    "whole",
]

MIN_ROWS = 10
"""Fewest training rows a model accepts."""

Constraint = Callable[[str, Any], "str | None"]
"""Checks one setting: returns a problem message, or None when the value is valid."""

EncodedConditions = dict[str, tuple[npt.NDArray[Any], npt.NDArray[np.bool_]]]
"""Encoded condition values and which rows are conditioned, by modelled column name."""

_MODEL = 0
_DEFAULT_K = 5
_DEFAULT_Q = 0.001


def whole(lo: int, hi: int | None = None, *, none: bool = False) -> Constraint:
    """A whole number in ``[lo, hi]`` (``None`` allowed when ``none``)."""

    def check(name: str, value: Any) -> str | None:
        if value is None and none:
            return None
        ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
        if ok and value >= lo and (hi is None or value <= hi):
            return None
        span = f">= {lo}" if hi is None else f"between {lo} and {hi}"
        return f"setting {name!r} must be a whole number {span}, got {value!r}"

    return check


def number(
    lo: float, hi: float, *, lo_open: bool = False, hi_open: bool = False, none: bool = False
) -> Constraint:
    """A number between ``lo`` and ``hi`` (either end open)."""

    def check(name: str, value: Any) -> str | None:
        if value is None and none:
            return None
        ok = isinstance(value, (int, float, np.integer, np.floating))
        ok = ok and not isinstance(value, bool) and bool(np.isfinite(value))
        if (
            ok
            and (value > lo if lo_open else value >= lo)
            and (value < hi if hi_open else value <= hi)
        ):
            return None
        left, right = "(" if lo_open else "[", ")" if hi_open else "]"
        return f"setting {name!r} must be a number in {left}{lo}, {hi}{right}, got {value!r}"

    return check


def seed_setting() -> Constraint:
    """A fit seed: None (drawn at fit) or a whole number >= 0."""
    return whole(0, 2**63 - 1, none=True)


def names_or_none(name: str, value: Any) -> str | None:
    """Check a setting that is None or a list of distinct column names."""
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        return f"setting {name!r} must be a list of column names or None, got {value!r}"
    if not all(isinstance(v, str) for v in value) or len(set(value)) != len(value):
        return f"setting {name!r} must list distinct column names, got {value!r}"
    return None


def subset_of(options: Sequence[str], *, allow_empty: bool = False) -> Constraint:
    """A list of distinct names from ``options`` (non-empty unless ``allow_empty``)."""

    def check(name: str, value: Any) -> str | None:
        allowed = ", ".join(options)
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            return f"setting {name!r} must be a list of names from: {allowed}"
        if not value and not allow_empty:
            return f"setting {name!r} must list at least one name from: {allowed}"
        bad = [v for v in value if v not in options]
        if bad:
            return f"setting {name!r} has unknown name {bad[0]!r}; use names from: {allowed}"
        if len(set(value)) != len(value):
            return f"setting {name!r} lists a name twice; give each name once"
        return None

    return check


def _modelled(metadata: Metadata) -> list[Column]:
    return [c for c in metadata if c.kind in MODELLED_KINDS]


def _jsonable(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


class BaseSynthesizer(ABC):
    """Base class of synthesizers: fit a table, sample synthetic rows (see module docstring)."""

    registry_name: ClassVar[str] = ""
    tags: ClassVar[Tags] = Tags()
    constraints: ClassVar[Mapping[str, Constraint]] = {}
    """Setting name -> check; ``seed``, ``rare_category_k`` and ``bounds_quantile`` are
    checked by the base when a model declares them."""

    _BASE_CONSTRAINTS: ClassVar[Mapping[str, Constraint]] = {
        "seed": seed_setting(),
        "rare_category_k": whole(1),
        "bounds_quantile": number(0.0, 0.1, lo_open=True),
    }

    # -- settings ------------------------------------------------------------------------------

    @classmethod
    def _setting_names(cls) -> list[str]:
        params = inspect.signature(cls.__init__).parameters.values()
        return [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY]

    def get_params(self) -> dict[str, Any]:
        """The settings given to the constructor, by name."""
        return {name: getattr(self, name) for name in self._setting_names()}

    def set_params(self, **params: Any) -> Self:
        """Change settings (checked at the next ``fit``); returns ``self``."""
        names = self._setting_names()
        for key, value in params.items():
            if key not in names:
                raise UserInputError(
                    f"{type(self).__name__} has no setting {key!r}; its settings are: "
                    f"{', '.join(sorted(names))}"
                )
            setattr(self, key, value)
        return self

    def _validate_settings(self) -> None:
        table = {**self._BASE_CONSTRAINTS, **self.constraints}
        problems = [
            problem
            for name, value in self.get_params().items()
            if name in table and (problem := table[name](name, value)) is not None
        ]
        if problems:
            raise UserInputError("; ".join(problems))

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
        }
        shown = [f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults.get(k)]
        return f"{type(self).__name__}({', '.join(shown)})"

    # -- fitting -------------------------------------------------------------------------------

    def fit(
        self,
        data: pd.DataFrame,
        metadata: Metadata | None = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> Self:
        """Learn the table ``data``; ``metadata`` is detected when None.

        Raises
        ------
        UserInputError
            A setting is invalid (every problem listed).
        ValidationError
            ``data`` breaks ``metadata`` (every problem listed).
        DataError
            The table has too few rows or no column a model can learn.
        """
        from synthcraft import metadata as md_api

        started = time.perf_counter()
        self._validate_settings()
        if not isinstance(data, pd.DataFrame):
            raise UserInputError(f"fit needs a pandas DataFrame, got {type(data).__name__}")
        if data.shape[0] == 0 or data.shape[1] == 0:
            raise DataError(
                f"the table has {data.shape[0]} rows and {data.shape[1]} columns; "
                "fitting needs a table with rows and columns"
            )
        if metadata is not None and not isinstance(metadata, Metadata):
            raise UserInputError(f"metadata must be a Metadata, got {type(metadata).__name__}")
        md = md_api.detect(data) if metadata is None else metadata
        if md.primary_key is not None and md[md.primary_key].kind is not ColumnKind.ID:
            kind = md[md.primary_key].kind.value
            raise UserInputError(
                f"primary key {md.primary_key!r} has kind {kind}; only id columns are regenerated "
                "unique, so declare it kind id or set primary_key to null in the metadata"
            )
        md_api.check(data, md)
        md = md.select([str(c) for c in data.columns])
        md = Metadata(
            tuple(c.replace(dtype=str(data[c.name].dtype)) for c in md),
            primary_key=md.primary_key,
        )
        if not _modelled(md):
            raise DataError(
                "the table has no column to model (only ids and PII); add a number, category, "
                "boolean or datetime column"
            )
        if len(data) < MIN_ROWS:
            raise DataError(
                f"the table has {len(data)} row{'s' if len(data) != 1 else ''}; fitting a "
                f"model needs at least {MIN_ROWS}"
            )
        for name in [n for n in vars(self) if n.endswith("_")]:
            delattr(self, name)
        k = int(getattr(self, "rare_category_k", _DEFAULT_K))
        seed = getattr(self, "seed", None)
        fit_seed = int(seed) if seed is not None else draw_seed()
        private, steps = self._privatise(data, md, fit_seed)
        codecs = [ColumnCodec(c, steps.get(c.name)) for c in _modelled(private)]
        encoded = {c.name: c.encode(data[c.name]) for c in codecs}
        identity = self._fit_identity(data, private, k)
        self.codecs_ = codecs
        self._fit_model(codecs, encoded, check_rng(fit_seed), progress)
        self.identity_ = identity
        self.fit_seed_ = fit_seed
        self.n_training_rows_ = len(data)
        self.training_summary_ = {
            "seconds": round(time.perf_counter() - started, 3),
            "rows": len(data),
            "columns": data.shape[1],
        }
        self.metadata_ = private
        return self

    def _privatise(
        self, data: pd.DataFrame, metadata: Metadata, fit_seed: int
    ) -> tuple[Metadata, dict[str, int]]:
        """The metadata the model stores and datetime resolutions (see :func:`privatise`).

        Models trained under differential privacy override this to pay for what they learn.
        """
        return privatise(
            data,
            metadata,
            rare_category_k=int(getattr(self, "rare_category_k", _DEFAULT_K)),
            bounds_quantile=float(getattr(self, "bounds_quantile", _DEFAULT_Q)),
        )

    def _fit_identity(self, data: pd.DataFrame, private: Metadata, k: int) -> IdentityModel:
        """The model of id, key and PII columns (see :class:`IdentityModel`)."""
        return IdentityModel.fit(data, private, k=k)

    @abstractmethod
    def _fit_model(
        self,
        codecs: Sequence[ColumnCodec],
        data: Mapping[str, npt.NDArray[Any]],
        rng: np.random.Generator,
        progress: ProgressCallback | None,
    ) -> None:
        """Learn the modelled columns: float64 values (numbers) or int64 codes (categories)."""

    # -- sampling ------------------------------------------------------------------------------

    def _check_fitted(self) -> None:
        if "metadata_" not in vars(self):
            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet; call fit(data) before sampling"
            )

    def sample(
        self,
        n_rows: int,
        *,
        seed: SeedLike = None,
        conditions: Conditions = None,
        progress: ProgressCallback | None = None,
    ) -> pd.DataFrame:
        """Sample ``n_rows`` synthetic rows; the same seed gives the same rows.

        Rows are made in fixed blocks of 65,536 (block ``i`` from child ``i`` of the seed), so
        the first ``k`` rows of a sample of ``n`` equal a sample of ``k``.

        Parameters
        ----------
        n_rows : int
            Rows to sample, at least 1.
        seed : int, Generator, SeedSequence or None
            Seed of this sample (fresh entropy when None).
        conditions : mapping or DataFrame, optional
            Fixed values for every row, or one row of values per output row (missing cells are
            not conditioned); which kinds a model supports is in its ``tags``.
        progress : callable, optional
            Called as ``progress(rows_done, n_rows)`` after each block.
        """
        self._check_fitted()
        n_rows = _check_n_rows(n_rows)
        self._encode_conditions(conditions, n_rows, check_only=True)
        return sample_in_blocks(self.sample_block, n_rows, seed, conditions, progress)

    def sample_block(
        self,
        seed: np.random.SeedSequence,
        n_rows: int,
        *,
        start: int = 0,
        conditions: Conditions = None,
    ) -> pd.DataFrame:
        """One block of rows from its own seed (see :class:`synthcraft._types.BlockSampler`).

        A DataFrame of conditions must have exactly ``n_rows`` rows (this block's).
        """
        self._check_fitted()
        n_rows = _check_n_rows(n_rows)
        seed = seed_sequence(seed)
        encoded, given = self._encode_conditions(conditions, n_rows)
        values = self._sample_model(seed, n_rows, encoded or None)
        for name, (cond, mask) in encoded.items():
            values[name] = np.where(mask, cond, values[name])
        identity = self.identity_.sample_block(seed, n_rows, int(start))
        codecs = {c.name: c for c in self.codecs_}
        columns: dict[str, pd.Series] = {}
        for column in self.metadata_:
            name = column.name
            if name in identity:
                series = identity[name]
            elif name in codecs:
                series = codecs[name].decode(values[name])
            else:
                series = cast_series(pd.Series(np.full(n_rows, np.nan)), column.dtype)
            if name in given:
                fixed = cast_series(given[name], column.dtype)
                series = series.where(fixed.isna(), fixed)
            columns[name] = series.reset_index(drop=True)
        return pd.DataFrame(columns, copy=False)

    def _stream(self, seed: np.random.SeedSequence, *path: int) -> np.random.Generator:
        """A Generator for the model's sub-stream ``path`` of a block seed."""
        return stream(seed, _MODEL, *path)

    @abstractmethod
    def _sample_model(
        self,
        seed: np.random.SeedSequence,
        n_rows: int,
        conditions: EncodedConditions | None,
    ) -> dict[str, npt.NDArray[Any]]:
        """Encoded values of every modelled column for one block (prefix-stable in n_rows)."""

    def _encode_conditions(
        self, conditions: Conditions, n_rows: int, *, check_only: bool = False
    ) -> tuple[EncodedConditions, dict[str, pd.Series]]:
        if conditions is None:
            return {}, {}
        if isinstance(conditions, pd.DataFrame):
            kind, names = "rows", [str(c) for c in conditions.columns]
            if len(conditions) != n_rows:
                raise UserInputError(
                    f"conditions have {len(conditions)} rows but {n_rows} rows were asked for; "
                    "give one row of conditions per output row, or a mapping of fixed values"
                )
        elif isinstance(conditions, Mapping):
            kind, names = "fixed", [str(c) for c in conditions]
        else:
            raise UserInputError(
                f"conditions must be a mapping of fixed values or a DataFrame, "
                f"got {type(conditions).__name__}"
            )
        if kind not in self.tags.conditions:
            what = "fixed values" if kind == "fixed" else "row-by-row conditions"
            raise UnsupportedConditionError(
                f"{type(self).__name__} cannot sample with {what}; sample without conditions "
                "or use a model that supports them (synthcraft list models)"
            )
        unknown = [n for n in names if n not in self.metadata_]
        if unknown:
            raise UserInputError(
                f"condition on unknown column {unknown[0]!r}; the columns are: "
                f"{', '.join(self.metadata_.names)}"
            )
        if check_only:
            return {}, {}
        codecs = {c.name: c for c in self.codecs_}
        encoded: EncodedConditions = {}
        given: dict[str, pd.Series] = {}
        for name in names:
            raw = conditions[name]
            if kind == "fixed":
                if pd.api.types.is_list_like(raw) or pd.isna(raw):
                    raise UserInputError(
                        f"condition for {name!r} must be one value, got {raw!r}; "
                        "use a DataFrame for different values per row"
                    )
                column = pd.Series([raw] * n_rows, dtype=object)
            else:
                column = pd.Series(raw).reset_index(drop=True)
            if name in codecs:
                encoded[name] = codecs[name].encode_condition(column)
            else:
                given[name] = column
        return encoded, given

    # -- state ---------------------------------------------------------------------------------

    def get_state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        """JSON-ready state and named arrays of a fitted model (what persistence saves)."""
        self._check_fitted()
        identity_state, identity_arrays = self.identity_.get_state()
        model_state, model_arrays = self._model_state()
        state = {
            "settings": {k: _jsonable(v) for k, v in self.get_params().items()},
            "metadata": self.metadata_.to_dict(),
            "fit_seed": self.fit_seed_,
            "n_training_rows": self.n_training_rows_,
            "training_summary": dict(self.training_summary_),
            "steps": {c.name: c.step_us for c in self.codecs_ if c.step_us is not None},
            "identity": identity_state,
            "model": model_state,
        }
        arrays = {f"identity.{k}": v for k, v in identity_arrays.items()}
        arrays.update({f"model.{k}": v for k, v in model_arrays.items()})
        return state, arrays

    @classmethod
    def from_state(cls, state: Mapping[str, Any], arrays: Mapping[str, npt.NDArray[Any]]) -> Self:
        """Rebuild a fitted model from :meth:`get_state` output (no code is run from it)."""
        defaults = {p.name: p.default for p in inspect.signature(cls.__init__).parameters.values()}
        settings = {
            k: tuple(v) if isinstance(defaults.get(k), tuple) and isinstance(v, list) else v
            for k, v in dict(state["settings"]).items()
        }
        obj = cls(**settings)
        metadata = Metadata.from_dict(state["metadata"])
        steps = {str(k): int(v) for k, v in dict(state.get("steps") or {}).items()}
        obj.codecs_ = [ColumnCodec(c, steps.get(c.name)) for c in _modelled(metadata)]
        obj.identity_ = IdentityModel.from_state(
            list(state["identity"]),
            {k[len("identity.") :]: v for k, v in arrays.items() if k.startswith("identity.")},
        )
        obj.fit_seed_ = int(state["fit_seed"])
        obj.n_training_rows_ = int(state["n_training_rows"])
        obj.training_summary_ = dict(state["training_summary"])
        obj._load_model_state(
            dict(state["model"]),
            {k[len("model.") :]: v for k, v in arrays.items() if k.startswith("model.")},
        )
        obj.metadata_ = metadata
        return obj

    @abstractmethod
    def _model_state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        """The model's own JSON-ready state and arrays."""

    @abstractmethod
    def _load_model_state(
        self, state: Mapping[str, Any], arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        """Restore what :meth:`_model_state` returned."""


def _check_n_rows(n_rows: object) -> int:
    if isinstance(n_rows, bool) or not isinstance(n_rows, (int, np.integer)):
        raise UserInputError(f"n_rows must be a whole number, got {n_rows!r}; e.g. n_rows=1000")
    if n_rows < 1:
        raise UserInputError(f"n_rows must be at least 1, got {n_rows}; e.g. n_rows=1000")
    return int(n_rows)
