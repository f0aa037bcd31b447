"""Draft an editable spec from a real table: fitted families, weights, formats, correlations.

:func:`draft` looks at a DataFrame (and its :class:`~synthcraft.metadata.Metadata`) and writes a
spec that generates data like it, as a mapping and as commented YAML to edit. What it writes is
privatised the way fitted models are (see ``synthesizers/_privatise.py``): bounds are clipped
quantiles rounded inwards to the column's grid, values seen in fewer than 5 rows are pooled, ids
become counters or UUIDs and personal data becomes fake-data generators: no value of an id,
PII or text column is ever written.
"""

from __future__ import annotations

import math
import re
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api import types as ptypes
from scipy import stats

from synthcraft._rng import check_rng
from synthcraft._types import ProgressCallback, SeedLike
from synthcraft.errors import DataError, UserInputError
from synthcraft.metadata import Column, ColumnKind, Metadata, detect
from synthcraft.spec._draft_yaml import render
from synthcraft.spec._fit_family import (
    CATEGORICAL,
    CONTINUOUS,
    DISCRETE,
    FAMILIES,
    MAX_DISTANCE,
    MIN_PVALUE,
    RARE_K,
    FamilyFit,
    choose,
    fit_continuous,
    fit_discrete,
    guess_locale,
    mentions_last_name,
    pattern_weights,
    pooled_weights,
    privatised_bounds,
    spearman_block,
    verdict,
)
from synthcraft.spec._histogram import HISTOGRAM, draft_histogram, histogram_distance
from synthcraft.spec._model import SPEC_VERSION, Histogram

__all__ = ["Draft", "FamilyFit", "draft"]

F64 = npt.NDArray[np.float64]

MAX_FIT_VALUES = 20_000
MAX_DISCRETE_VALUES = 50
MAX_CATEGORY_VALUES = 20
MIN_FIT_VALUES = 10

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CODE = re.compile(r"(\D*?)(\d+)")
_STEPS_US = (86_400_000_000, 3_600_000_000, 60_000_000, 1_000_000, 1_000, 1)


@dataclass(frozen=True)
class Draft:
    """A drafted spec.

    Attributes
    ----------
    mapping : dict
        The spec as a mapping (what ``synthcraft.spec.parse`` takes).
    text : str
        The same spec as commented YAML, to edit and load.
    fits : tuple of FamilyFit
        Every family fitted, per numeric or datetime column, best AIC first; ``chosen`` marks
        the one used.
    """

    mapping: dict[str, Any]
    text: str
    fits: tuple[FamilyFit, ...]

    def to_yaml(self) -> str:
        """The commented YAML text (same as :attr:`text`)."""
        return self.text


_Fit: TypeAlias = "tuple[np.random.Generator, tuple[str, ...]]"
"""A column's own random stream and the candidate families."""


@dataclass
class _Col:
    """What the draft says about one column while it is being built."""

    name: str
    entry: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    code: F64 | None = None  # values on the sampled rows for rank correlation, NaN missing
    fits: list[FamilyFit] = field(default_factory=list)


def draft(
    frame: pd.DataFrame,
    metadata: Metadata | None = None,
    *,
    table: str = "data",
    seed: SeedLike = 0,
    families: Sequence[str] | None = None,
    progress: ProgressCallback | None = None,
) -> Draft:
    """Draft a spec that generates a table like ``frame``.

    Numeric columns get the scipy family with the best AIC (fitted on at most 20,000 sampled
    values, with a KS test in a comment), truncated to privatised bounds, or a histogram when no
    family fits; categorical and boolean
    columns get weights (values in fewer than 5 rows pooled); datetimes get a range, weekday and
    hour weights when the data is not uniform over them; ids become counters (keeping a
    ``PREFIX-000123`` format) or UUIDs; PII columns become fake-data generators with a guessed
    locale; missing shares and a Spearman correlation block are kept.

    Parameters
    ----------
    frame : DataFrame
        The real table.
    metadata : Metadata, optional
        Its description; detected with :func:`synthcraft.metadata.detect` when not given.
    table : str
        Name of the table in the spec (an identifier).
    seed : int, Generator or SeedSequence
        Seeds the sample of rows used for fitting.
    families : sequence of str, optional
        Candidate families (default all: norm, lognorm, gamma, expon, weibull_min, beta, uniform,
        t, logistic, poisson, nbinom, geom, categorical, histogram). A ``histogram`` (edges at
        privatised quantiles, spikes as point masses) replaces the best family when that fails
        the KS test (p < 0.001) and the histogram is clearly closer.
    progress : callable, optional
        Called as ``progress(done, total)`` after each column.

    Returns
    -------
    Draft

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> frame = pd.DataFrame({"x": np.random.default_rng(0).normal(5, 2, 500)})
    >>> draft(frame).mapping["tables"]["data"]["columns"]["x"]["distribution"]["family"]
    'norm'
    """
    if not isinstance(frame, pd.DataFrame):
        raise UserInputError(f"draft needs a pandas DataFrame, got {type(frame).__name__}")
    if not isinstance(table, str) or not _IDENT.fullmatch(table):
        raise UserInputError(f"table name {table!r} is not an identifier; use e.g. 'customers'")
    allowed = _check_families(families)
    md = detect(frame) if metadata is None else metadata
    if not isinstance(md, Metadata) or md.names != [str(c) for c in frame.columns]:
        raise UserInputError(
            "metadata does not describe the frame's columns in order; pass the metadata "
            "detected from this frame, or none"
        )
    rng = check_rng(seed)
    streams = rng.spawn(len(md))  # one per column: a column's sample never depends on another
    n = len(frame)
    rows = np.sort(rng.choice(n, MAX_FIT_VALUES, replace=False)) if n > MAX_FIT_VALUES else None
    names = _identifiers(md.names)
    cols: list[_Col] = []
    for i, column in enumerate(md):
        series = frame.iloc[:, i]
        col = _describe(names[i], series, column, rows, (streams[i], allowed))
        if names[i] != column.name:
            col.notes.insert(0, f"named {column.name!r} in the source")
        _missing(col, series)
        cols.append(col)
        if progress is not None:
            progress(i + 1, len(md))
    _email_sources(cols, frame, md)
    body: dict[str, Any] = {"rows": n}
    pk = md.primary_key
    if pk is not None and pk in md.names:
        entry = cols[md.names.index(pk)].entry
        if entry.get("type") in ("id", "uuid") or entry.get("unique"):
            body["primary_key"] = names[md.names.index(pk)]
    body["columns"] = {c.name: c.entry for c in cols}
    block, corr_notes = _correlations(cols)
    if block is not None:
        body["correlations"] = [block]
    mapping: dict[str, Any] = {"spec_version": SPEC_VERSION, "tables": {table: body}}
    columns = [(c.name, c.entry, c.notes) for c in cols]
    text = render(mapping, table, columns, corr_notes, n, RARE_K)
    return Draft(mapping, text, tuple(f for c in cols for f in c.fits))


def _check_families(families: Sequence[str] | None) -> tuple[str, ...]:
    if families is None:
        return (*FAMILIES, HISTOGRAM)
    if isinstance(families, str) or not all(isinstance(f, str) for f in families):
        raise UserInputError("families must be a list of family names, e.g. ['norm', 'gamma']")
    unknown = [f for f in families if f not in (*FAMILIES, HISTOGRAM)]
    if unknown or not families:
        raise UserInputError(
            f"unknown families {unknown}; choose among {', '.join(FAMILIES)}, {HISTOGRAM}"
            if unknown
            else "families is empty; name at least one, e.g. ['norm']"
        )
    return tuple(families)


def _identifiers(names: Sequence[str]) -> list[str]:
    """Column names made into identifiers unique even ignoring case (as databases need)."""
    out: list[str] = []
    taken: set[str] = set()
    source = {n.casefold() for n in names}
    for name in names:
        ident = re.sub(r"\W", "_", name, flags=re.ASCII) or "column"
        ident = ident if _IDENT.fullmatch(ident) else f"c_{ident}"
        base, i = ident, 2
        while ident.casefold() in taken or (ident != name and ident.casefold() in source):
            ident, i = f"{base}_{i}", i + 1
        out.append(ident)
        taken.add(ident.casefold())
    return out


def _describe(
    name: str, series: pd.Series, column: Column, rows: npt.NDArray[np.intp] | None, fit: _Fit
) -> _Col:
    if int(series.notna().sum()) == 0:
        return _Col(name, {"value": None}, ["no values in the source"])
    kind = column.kind
    if kind is ColumnKind.BOOLEAN:
        flags = series.astype("boolean")
        p = float(flags.dropna().mean())
        return _Col(name, {"type": "boolean", "p": round(p, 4)}, code=_at(_floats(flags), rows))
    if kind.is_numeric:
        return _numeric(name, series, column, rows, fit)
    if kind is ColumnKind.CATEGORICAL:
        return _categorical(name, series, rows)
    if kind is ColumnKind.DATETIME:
        return _datetime(name, series, column, rows, fit)
    if kind is ColumnKind.ID:
        return _identifier(name, series)
    if kind is ColumnKind.PII:
        return _pii(name, series, str(column.pii_kind))
    col = _pii(name, series, "sentence")  # free text
    col.entry.pop("unique", None)
    return col


def _floats(series: pd.Series) -> F64:
    if ptypes.is_bool_dtype(series.dtype):
        series = series.astype("Float64")
    numbers = pd.to_numeric(series, errors="coerce")
    return np.asarray(numbers.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def _at(values: F64, rows: npt.NDArray[np.intp] | None) -> F64:
    return values if rows is None else values[rows]


def _sample(values: F64, rng: np.random.Generator) -> F64:
    """At most :data:`MAX_FIT_VALUES` of ``values``, drawn without replacement."""
    if values.size <= MAX_FIT_VALUES:
        return values
    return np.asarray(rng.choice(values, MAX_FIT_VALUES, replace=False), dtype=np.float64)


def _missing(col: _Col, series: pd.Series) -> None:
    share = float(series.isna().mean())
    if 0 < share < 1:
        col.entry["missing"] = max(round(share, 4), 0.0001)


def _numeric(
    name: str, series: pd.Series, column: Column, rows: npt.NDArray[np.intp] | None, fit: _Fit
) -> _Col:
    rng, allowed = fit
    values = _floats(series)
    finite = values[np.isfinite(values)]
    integer = column.kind is ColumnKind.INTEGER
    decimals = column.decimals if column.kind is ColumnKind.FLOAT else None
    step = 1.0 if integer else (10.0**-decimals if decimals is not None else 0.0)
    if finite.size < MIN_FIT_VALUES:
        return _Col(name, {"value": None}, [f"fewer than {MIN_FIT_VALUES} values: fill it in"])
    low, high = privatised_bounds(finite, step)
    number: Callable[[float], float] = int if integer else float  # type: ignore[assignment]
    if low == high:
        return _Col(name, {"value": number(low)}, ["(almost) constant in the source"])
    sample = _sample(finite, rng)
    distinct, counts = np.unique(finite, return_counts=True)
    fits: list[FamilyFit] = []
    if integer and finite.min() >= 0 and distinct.size <= MAX_DISCRETE_VALUES:
        weights = None
        if distinct.size <= MAX_CATEGORY_VALUES:
            weights = pooled_weights(
                {int(v): int(c) for v, c in zip(distinct, counts, strict=True)}
            )
        wanted = [f for f in allowed if f in DISCRETE or f == CATEGORICAL]
        fits = fit_discrete(name, sample, low, high, families=wanted, categories=weights)
    if not fits:
        wanted = [f for f in allowed if f in CONTINUOUS]
        fits = fit_continuous(name, sample, low, high, step=step, families=wanted)
    if not fits:  # the families asked for cannot describe these values
        fits = fit_continuous(name, sample, low, high, step=step, families=("norm", "uniform"))
    best = choose(fits)
    empirical = best.family != CATEGORICAL and HISTOGRAM in allowed
    hist = _histogram(name, sample, low, high, step, best) if empirical else None
    if hist is not None:
        histogram, hist_fit = hist
        note = (
            f"histogram of {len(histogram.weights)} bins chosen: no family fits (best "
            f"{best.family}, KS D={best.ks_statistic:.3f} p={best.ks_pvalue:.2g}); the "
            f"histogram has KS D={hist_fit.ks_statistic:.3f} on {hist_fit.n:,} values"
        )
        col = _Col(name, {}, [note], code=_at(values, rows), fits=[*fits, hist_fit])
        col.entry["distribution"] = {
            "family": HISTOGRAM,
            "edges": [
                number(e) if integer and float(e).is_integer() else e for e in histogram.edges
            ],
            "weights": list(histogram.weights),
        }
        if integer:
            col.entry["type"] = "integer"
        elif decimals is not None:
            col.entry["decimals"] = decimals
        return col
    best = _chosen(best)
    fits = [best if f.family == best.family else f for f in fits]
    col = _Col(name, {}, [verdict(fits, best)], code=_at(values, rows), fits=fits)
    if best.family == CATEGORICAL:
        col.entry["categories"] = [[int(k), w] for k, w in best.params.items()]
        return col
    col.entry["distribution"] = {"family": best.family, **best.params}
    col.entry["truncate"] = [number(low), number(high)]
    if integer:
        col.entry["type"] = "integer"
    elif decimals is not None:
        col.entry["decimals"] = decimals
    return col


def _histogram(
    name: str, sample: F64, low: float, high: float, step: float, best: FamilyFit
) -> tuple[Histogram, FamilyFit] | None:
    """A histogram and its fit record when the best family fails KS and the histogram is
    clearly closer (half the distance, or closer and the family's is above MAX_DISTANCE)."""
    if best.ks_pvalue >= MIN_PVALUE:
        return None
    histogram = draft_histogram(sample, low, high, step)
    d = histogram_distance(histogram, sample, step)
    if not (
        d <= best.ks_statistic / 2 or (best.ks_statistic > MAX_DISTANCE and d < best.ks_statistic)
    ):
        return None
    pvalue = float(stats.kstwo.sf(d, sample.size))
    params = {"bins": float(len(histogram.weights))}
    fit = FamilyFit(name, HISTOGRAM, params, math.nan, d, pvalue, sample.size, True)
    return histogram, fit


def _chosen(fit: FamilyFit) -> FamilyFit:
    return FamilyFit(
        fit.column, fit.family, fit.params, fit.aic, fit.ks_statistic, fit.ks_pvalue, fit.n, True
    )


def _categorical(name: str, series: pd.Series, rows: npt.NDArray[np.intp] | None) -> _Col:
    present = series.dropna()
    tally: dict[Any, int] = {}
    for value, count in present.value_counts(sort=False).items():
        key = _scalar(value)
        tally[key] = tally.get(key, 0) + int(count)
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in tally)
    if numeric or all(isinstance(v, bool) for v in tally):
        order = sorted(tally)  # numbers (and False < True) in their own order: ranks stay ordinal
        weights = pooled_weights({v: tally[v] for v in order})
        if not weights:
            return _Col(name, {"value": None}, [f"every value is seen in fewer than {RARE_K} rows"])
        entry: dict[str, Any] = {"categories": [[v, w] for v, w in weights.items()]}
        pooled_to: Any = None
    else:
        order = sorted(tally, key=lambda v: (-tally[v], str(v)))
        kept = {str(v): tally[v] for v in order if tally[v] >= RARE_K}
        rare = sum(tally.values()) - sum(kept.values())
        if rare:
            kept["other"] = kept.get("other", 0) + rare
        total = sum(kept.values())
        weights = {v: max(round(c / total, 4), 0.0001) for v, c in kept.items()}
        entry = {"categories": weights}
        pooled_to = "other" if rare else None
    col = _Col(name, entry)
    n_rare = sum(1 for v in tally if tally[v] < RARE_K)
    if n_rare:
        where = "pooled as 'other'" if pooled_to else "left out"
        values = "value" if n_rare == 1 else "values"
        col.notes.append(f"{n_rare} {values} seen in fewer than {RARE_K} rows {where}")
    index = {v: float(i) for i, v in enumerate(weights)}
    keys = [None if pd.isna(v) else _scalar(v) for v in _rows(series, rows)]
    codes = [index.get(k if numeric or k is None else str(k), np.nan) for k in keys]
    if pooled_to is not None:
        codes = [
            index[pooled_to] if c != c and k is not None else c
            for c, k in zip(codes, keys, strict=True)
        ]
    col.code = np.asarray(codes, dtype=np.float64)
    return col


def _rows(series: pd.Series, rows: npt.NDArray[np.intp] | None) -> list[Any]:
    return series.tolist() if rows is None else series.iloc[rows].tolist()


def _scalar(value: Any) -> Any:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(value) if float(value).is_integer() else float(value)
    return str(value)


def _datetime(
    name: str, series: pd.Series, column: Column, rows: npt.NDArray[np.intp] | None, fit: _Fit
) -> _Col:
    rng, allowed = fit
    notes: list[str] = []
    values = series.dropna()
    try:
        if not ptypes.is_datetime64_any_dtype(values.dtype):
            values = pd.to_datetime(values, utc=column.timezone is not None)
    except (TypeError, ValueError) as exc:
        raise DataError(f"column {name!r} has values that are not datetimes ({exc})") from None
    zone = None
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        zone = column.timezone or str(values.dt.tz)
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            notes.append(f"time zone {zone!r} is not an IANA name; written in UTC")
            zone = "UTC"
        values = values.dt.tz_convert(zone).dt.tz_localize(None)
    micros = values.dt.as_unit("us").astype("int64").to_numpy()
    step = next(s for s in _STEPS_US if not np.any(micros % s))
    unit = {_STEPS_US[0]: "D", 1_000: "ms", 1: "us"}.get(step, "s")
    lo, hi = (int(v) for v in privatised_bounds(micros.astype(np.float64), float(step)))
    single = hi <= lo
    if single:  # one instant: a spec needs end after start
        hi = lo + step
    entry: dict[str, Any] = {"type": "datetime", "start": _iso(lo, unit), "end": _iso(hi, unit)}
    if zone is not None:
        entry["timezone"] = zone
    col = _Col(name, entry, notes)
    if single:
        entry["unit"] = unit
        return col
    inside = pd.Series(micros[(micros >= lo) & (micros <= hi)]).astype("datetime64[us]")
    days = pd.date_range(pd.Timestamp(lo, unit="us").normalize(), pd.Timestamp(hi, unit="us"))
    expected = np.bincount(days.day_of_week, minlength=7).astype(np.float64)
    patterns = [("weekdays", np.bincount(inside.dt.day_of_week, minlength=7), expected)]
    if unit != "D":
        patterns.append(("hours", np.bincount(inside.dt.hour, minlength=24), np.ones(24)))
    for key, observed, uniform_counts in patterns:
        found = pattern_weights(observed.astype(np.float64), uniform_counts)
        if found is not None:
            entry[key] = found[0]
            col.notes.append(f"{key} differ from uniform (chi-square p={found[1]:.2g})")
    offsets = (_sample(micros.astype(np.float64), rng) - lo) / 86_400e6
    span = (hi - lo) / 86_400e6
    if np.unique(offsets).size >= MIN_FIT_VALUES:
        wanted = [f for f in allowed if f in CONTINUOUS]
        fits = fit_continuous(name, offsets, 0.0, span, step=step / 86_400e6, families=wanted)
        uniform = next((f for f in fits if f.family == "uniform"), None)
        if fits and (uniform is None or uniform.ks_statistic > MAX_DISTANCE):
            best = _chosen(choose(fits))
            if uniform is None or best.ks_statistic < uniform.ks_statistic:
                col.fits = [best if f.family == best.family else f for f in fits]
                entry["distribution"] = {"family": best.family, **best.params}
                col.notes.append("days after start: " + verdict(fits, best))
        if not col.fits:
            col.fits = fits
    entry["unit"] = unit
    return col


def _iso(micros: int, unit: str) -> str:
    stamp = pd.Timestamp(micros, unit="us")
    return stamp.date().isoformat() if unit == "D" else stamp.isoformat()


def _identifier(name: str, series: pd.Series) -> _Col:
    present = series.dropna()
    notes = ["source ids are not copied: a new counter"]
    entry: dict[str, Any] = {"type": "id"}
    if not (ptypes.is_numeric_dtype(present.dtype) or ptypes.is_bool_dtype(present.dtype)):
        text = present.astype(str)
        parts = text.str.fullmatch(_CODE.pattern)
        prefixes = text.str.extract(_CODE.pattern)
        if bool(parts.all()) and prefixes[0].nunique() == 1:
            prefix = str(prefixes[0].iloc[0]).replace("{", "{{").replace("}", "}}")
            widths = prefixes[1].str.len()
            if widths.nunique() == 1 and bool(prefixes[1].str.startswith("0").any()):
                entry["format"] = f"{prefix}{{n:0{int(widths.iloc[0])}d}}"
            else:
                entry["format"] = f"{prefix}{{n}}"
                if widths.nunique() == 1:
                    entry["start"] = 10 ** (int(widths.iloc[0]) - 1)
        else:
            entry = {"type": "uuid"}
            notes = ["source ids are not copied: random UUIDs"]
    if present.duplicated().any():
        notes.append("values repeat in the source: a foreign key? declare it under foreign_keys")
    return _Col(name, entry, notes)


def _pii(name: str, series: pd.Series, kind: str) -> _Col:
    text = series.dropna().astype(str)
    entry: dict[str, Any] = {"pii": kind, "locale": guess_locale(kind, text)}
    if len(text) >= 2 and not text.duplicated().any():
        entry["unique"] = True
    what = "free text" if kind == "sentence" else f"personal data ({kind})"
    return _Col(name, entry, [f"{what}: fake values, none copied"])


def _email_sources(cols: list[_Col], frame: pd.DataFrame, md: Metadata) -> None:
    """``from: <name column>`` for e-mail columns whose addresses hold the row's last name."""
    names = [i for i, c in enumerate(md) if c.kind is ColumnKind.PII and c.pii_kind == "full_name"]
    if not names:
        return
    for i, column in enumerate(md):
        if column.kind is not ColumnKind.PII or column.pii_kind != "email":
            continue
        both = frame.iloc[:, [names[0], i]].dropna().head(2000)
        if both.empty:
            continue
        hits = [
            mentions_last_name(str(person), str(mail))
            for person, mail in both.itertuples(index=False)
        ]
        if float(np.mean(hits)) >= 0.5:
            cols[i].entry["from"] = cols[names[0]].name


def _correlations(cols: list[_Col]) -> tuple[dict[str, Any] | None, list[str]]:
    """The Spearman block of the coded columns, with a comment on its strongest pairs."""
    found = spearman_block({c.name: c.code for c in cols if c.code is not None})
    if found is None:
        return None, []
    names, matrix, adjusted = found
    pairs = sorted(
        ((names[a], names[b], matrix[a][b]) for a in range(len(names)) for b in range(a)),
        key=lambda p: -abs(p[2]),
    )
    notes = ["strongest pairs: " + ", ".join(f"{a}~{b} {r:+.3f}" for a, b, r in pairs[:3])]
    if adjusted:
        notes.append("adjusted slightly so the matrix stays positive definite")
    return {"columns": names, "matrix": matrix}, notes
