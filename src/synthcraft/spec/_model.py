"""The typed spec: frozen objects that :func:`synthcraft.spec.load` parses a YAML spec into.

The core never handles raw dicts: parsing (``_parse``) turns the YAML or Python mapping into these
objects once, collecting every problem with its path; generation (``_columns``, ``_sampler``,
``_relations``) reads only these objects. ``Spec.source`` keeps the validated mapping, which is
what a compiled sampler stores as its JSON state (workers re-parse it; no pickle).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeAlias

__all__ = [
    "SPEC_VERSION",
    "BooleanGen",
    "ByGen",
    "Cardinality",
    "CategoricalGen",
    "ColumnSpec",
    "ConstantGen",
    "Correlation",
    "DatetimeGen",
    "Distribution",
    "DistributionGen",
    "Dtype",
    "ForeignKey",
    "FormulaGen",
    "Generator",
    "Histogram",
    "IdGen",
    "Missingness",
    "ModelGen",
    "Outliers",
    "PiiGen",
    "Spec",
    "TableSpec",
    "UuidGen",
]

SPEC_VERSION = "1.0"
"""Version written into new specs; specs with a newer major version are refused."""

Dtype: TypeAlias = Literal["integer", "float", "boolean", "categorical", "datetime", "string"]
"""Output type of a column, in the canonical pandas dtypes of :mod:`synthcraft.storage`:
``Int64``, ``float64``, ``boolean``, ``str``, ``datetime64[us]`` (``, tz`` if zoned), ``str``."""

Scalar: TypeAlias = "str | int | float | bool"


@dataclass(frozen=True)
class Histogram:
    """An empirical distribution: ``k`` bins between ``k + 1`` non-decreasing ``edges``.

    Bin ``i`` spans ``[edges[i], edges[i + 1]]`` with probability ``weights[i]`` (normalised to
    sum 1), uniform inside; a bin whose edges are equal is a point mass (an atom, e.g. a spike
    at 0).
    """

    edges: tuple[float, ...]
    weights: tuple[float, ...]


@dataclass(frozen=True)
class Distribution:
    """A scipy.stats family with its parameters (shape parameters by name, ``loc``, ``scale``).

    ``family`` is the scipy name after aliases are resolved (``normal`` -> ``norm``,
    ``lognormal`` -> ``lognorm``, ``exponential`` -> ``expon``, ...). ``discrete`` is True for
    ``rv_discrete`` families (poisson, binom, nbinom, geom, randint, ...). The empirical family
    ``"histogram"`` has no params and carries its bins in ``histogram``.
    """

    family: str
    params: Mapping[str, float]
    discrete: bool = False
    histogram: Histogram | None = None


@dataclass(frozen=True)
class DistributionGen:
    """Values from a distribution, optionally truncated to ``[low, high]`` and rounded."""

    distribution: Distribution
    low: float | None = None
    high: float | None = None
    decimals: int | None = None


@dataclass(frozen=True)
class CategoricalGen:
    """Values drawn from ``values`` with ``weights`` (normalised to sum 1)."""

    values: tuple[Scalar, ...]
    weights: tuple[float, ...]


@dataclass(frozen=True)
class BooleanGen:
    """True with probability ``p``."""

    p: float = 0.5


@dataclass(frozen=True)
class DatetimeGen:
    """Instants in ``[start, end]`` (naive, read in ``timezone`` when given).

    ``distribution`` (optional) draws the offset from ``start`` in days (truncated to the range);
    otherwise offsets are uniform. ``weekdays`` are 7 relative weights Monday..Sunday and
    ``hours`` 24 relative weights for the hour of day; both reshape the draw when given.
    ``unit`` is the resolution: ``"D"`` (dates at midnight), ``"s"``, ``"ms"`` or ``"us"``.
    """

    start: datetime
    end: datetime
    timezone: str | None = None
    distribution: Distribution | None = None
    weekdays: tuple[float, ...] | None = None
    hours: tuple[float, ...] | None = None
    unit: Literal["D", "s", "ms", "us"] = "s"


@dataclass(frozen=True)
class IdGen:
    """A counter ``start + step * row``, optionally formatted (``"INV-{n:06d}"``); unique."""

    start: int = 1
    step: int = 1
    format: str | None = None


@dataclass(frozen=True)
class UuidGen:
    """Random version-4 UUID strings (from the block's seed, so reproducible); unique."""


@dataclass(frozen=True)
class ConstantGen:
    """The same value in every row."""

    value: Scalar | None


@dataclass(frozen=True)
class PiiGen:
    """Fake personal data of a :mod:`synthcraft.pii` kind.

    ``source`` names a column whose values this one must match (an e-mail or username made from
    the person's name column). ``unique`` asks for values that never repeat in the table.
    """

    kind: str
    locale: str = "en_US"
    source: str | None = None


@dataclass(frozen=True)
class FormulaGen:
    """An expression of other columns plus noise (see :mod:`synthcraft.spec._formula`),
    rounded to ``decimals`` when given."""

    expression: str
    decimals: int | None = None


@dataclass(frozen=True)
class ByGen:
    """A conditional distribution: the generator for each value of ``column``.

    Rows whose ``column`` value has no case use ``default`` (an error at parse time when some
    declared value of ``column`` has no case and no default is given).
    """

    column: str
    cases: tuple[tuple[Scalar, Generator], ...]
    default: Generator | None = None


@dataclass(frozen=True)
class ModelGen:
    """A column taken from a fitted model file (``from_model``), resolved by :mod:`synthcraft.api`.

    ``column`` is the model's column (default: this column's name); ``conditions`` are declared
    columns passed to the model as per-row conditions.
    """

    path: str
    column: str | None = None
    conditions: tuple[str, ...] = ()


Generator: TypeAlias = (
    "DistributionGen | CategoricalGen | BooleanGen | DatetimeGen | IdGen | UuidGen | ConstantGen"
    " | PiiGen | FormulaGen | ByGen | ModelGen"
)


@dataclass(frozen=True)
class Missingness:
    """Values set missing at ``rate`` (a number in [0, 1]) or at a rate given by ``formula``
    (an expression of other columns, clipped to [0, 1])."""

    rate: float | None = None
    formula: str | None = None


@dataclass(frozen=True)
class Outliers:
    """A share ``rate`` of rows replaced by outliers: drawn from ``distribution`` when given,
    else the value times ``factor``. ``marker`` names a boolean column added to the table that
    is True on those rows."""

    rate: float
    distribution: Distribution | None = None
    factor: float | None = None
    marker: str | None = None


@dataclass(frozen=True)
class ColumnSpec:
    """One declared column.

    ``path`` is where it was declared (``tables.users.columns.age``), for error messages at
    generation time. ``dtype`` is resolved at parse time from the generator and ``type``.
    """

    name: str
    path: str
    dtype: Dtype
    generator: Generator
    missing: Missingness | None = None
    outliers: Outliers | None = None
    unique: bool = False


@dataclass(frozen=True)
class Correlation:
    """A Spearman rank-correlation block over ``columns`` (Gaussian copula)."""

    columns: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Cardinality:
    """How many child rows each parent row gets.

    ``distribution`` (a discrete family, e.g. poisson(3)) clipped to ``[min, max]``;
    ``one_to_one`` means exactly one child per parent; with ``min == 0``, at most one: a child
    with ``probability`` (0.5 when not given).
    """

    distribution: Distribution | None = None
    min: int = 0
    max: int | None = None
    one_to_one: bool = False
    probability: float | None = None


@dataclass(frozen=True)
class ForeignKey:
    """``columns`` of this table reference ``parent_columns`` of table ``parent``.

    The first foreign key with a ``cardinality`` drives the table's row count (children follow
    their parents); the others pick parent rows uniformly. ``nullable`` is the share of rows
    whose reference is missing.
    """

    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]
    cardinality: Cardinality | None = None
    nullable: float = 0.0
    path: str = ""


@dataclass(frozen=True)
class TableSpec:
    """One table: its columns in declared order, keys and dependence.

    ``rows`` is the default count of a root table (no driving foreign key). ``from_model``
    (table level) samples every column of the model's table first; declared columns are then
    added or derived from them.
    """

    name: str
    columns: tuple[ColumnSpec, ...]
    rows: int | None = None
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    correlations: tuple[Correlation, ...] = ()
    from_model: str | None = None
    path: str = ""


@dataclass(frozen=True)
class Spec:
    """A whole spec: tables in declared order, plus the validated source mapping."""

    tables: Mapping[str, TableSpec]
    spec_version: str = SPEC_VERSION
    locale: str = "en_US"
    seed: int | None = None
    source: Mapping[str, Any] = field(default_factory=dict)
