"""The conformance suite every synthesizer's tests run, and a small mixed test table.

:func:`check_synthesizer` checks the contracts of DESIGN.md on one model: a pure constructor,
``NotFittedError`` before ``fit``, output columns/order/dtypes/bounds/categories/missing shares,
unique regenerated keys, same seed same rows, different seeds different rows, prefix stability
across a block boundary, block sampling equal to whole sampling, save/load giving the same rows,
fitting twice equal to fitting once, conditions as the model's tags promise, and global random
state (numpy, Python, torch when importable) untouched by ``fit`` and ``sample``. It collects
every failure and raises one :class:`AssertionError` listing them.
"""

from __future__ import annotations

import importlib.util
import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from synthcraft._rng import BLOCK_ROWS, block_seeds
from synthcraft.errors import NotFittedError, UnsupportedConditionError
from synthcraft.metadata import Column, ColumnKind, Metadata
from synthcraft.synthesizers import BaseSynthesizer, Tags, get

__all__ = ["check_synthesizer", "mixed_frame"]

_SAMPLE_ROWS = 2_000
_PREFIX_ROWS = 10
_LONG_ROWS = BLOCK_ROWS + 64


def mixed_frame(n_rows: int = 300, seed: int = 0) -> tuple[pd.DataFrame, Metadata]:
    """A small table of every column kind in canonical dtypes, and its metadata.

    Columns: an integer primary key, integers with missing values, decimals, continuous floats,
    a categorical with a rare category, a boolean with missing values, a naive date, a UTC
    timestamp, a repeated text id and an email PII column.

    Examples
    --------
    >>> frame, md = mixed_frame(50, seed=1)
    >>> frame.shape, md.primary_key
    ((50, 10), 'row_id')
    """
    rng = np.random.default_rng(seed)
    n = n_rows
    base = rng.normal(size=n)
    age = np.clip(np.round(45 + 12 * base + rng.normal(0, 4, n)), 18, 90).astype(object)
    age[rng.random(n) < 0.1] = None
    member = (rng.random(n) < 0.4).astype(object)
    member[rng.random(n) < 0.05] = None
    segment = rng.choice(np.array(["basic", "plus", "pro"]), n, p=[0.5, 0.3, 0.2])
    segment[: min(2, n)] = "vip"
    days = rng.integers(0, 1_500, n)
    frame = pd.DataFrame(
        {
            "row_id": pd.array(np.arange(1, n + 1), dtype="Int64"),
            "age": pd.array(age, dtype="Int64"),
            "income": np.round(np.exp(10 + 0.4 * base + rng.normal(0, 0.3, n)), 2),
            "score": rng.normal(0, 1, n) + 0.5 * base,
            "segment": pd.Series(segment, dtype="str"),
            "member": pd.array(member, dtype="boolean"),
            "joined": pd.Series(
                (np.datetime64("2019-01-01") + days.astype("timedelta64[D]")).astype(
                    "datetime64[us]"
                )
            ),
            "last_seen": pd.Series(
                (
                    np.datetime64("2023-01-01T00:00:00")
                    + rng.integers(0, 10**7, n).astype("timedelta64[s]")
                ).astype("datetime64[us]")
            ).dt.tz_localize("UTC"),
            "account": pd.Series(
                [f"AC-{v:04d}" for v in rng.integers(0, max(n // 4, 1), n)], dtype="str"
            ),
            "email": pd.Series([f"person{i}.{seed}@acme-mail.com" for i in range(n)], dtype="str"),
        }
    )
    cats = ("basic", "plus", "pro", "vip")
    md = Metadata(
        (
            Column("row_id", ColumnKind.ID, "Int64", unique=True),
            Column("age", ColumnKind.INTEGER, "Int64"),
            Column("income", ColumnKind.FLOAT, "float64", decimals=2),
            Column("score", ColumnKind.FLOAT, "float64"),
            Column("segment", ColumnKind.CATEGORICAL, "str", categories=cats),
            Column("member", ColumnKind.BOOLEAN, "boolean", categories=(False, True)),
            Column("joined", ColumnKind.DATETIME, "datetime64[us]"),
            Column("last_seen", ColumnKind.DATETIME, "datetime64[us, UTC]", timezone="UTC"),
            Column("account", ColumnKind.ID, "str"),
            Column("email", ColumnKind.PII, "str", pii_kind="email"),
        ),
        primary_key="row_id",
    )
    return frame, md


def _global_states() -> list[Any]:
    states: list[Any] = [np.random.get_state(), random.getstate()]  # noqa: NPY002
    if importlib.util.find_spec("torch") is not None:
        import torch  # type: ignore[import-not-found]

        states.append(torch.random.get_rng_state().numpy().copy())
    return states


def _same_states(before: list[Any], after: list[Any]) -> bool:
    np_a, np_b = before[0], after[0]
    same = np_a[0] == np_b[0] and np.array_equal(np_a[1], np_b[1]) and np_a[2:] == np_b[2:]
    same = same and before[1] == after[1]
    if len(before) > 2:
        same = same and np.array_equal(before[2], after[2])
    return bool(same)


def _frames_equal(a: pd.DataFrame, b: pd.DataFrame, what: str) -> None:
    try:
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    except AssertionError as exc:
        raise AssertionError(f"{what}: {str(exc).splitlines()[0]}") from None


def _seconds(series: pd.Series) -> Any:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    micros = series.dropna().dt.as_unit("us").to_numpy(dtype="datetime64[us]")
    return micros.astype(np.int64) / 1e6


def _unique(series: pd.Series) -> bool:
    return bool(series.is_unique) and not bool(series.isna().any())


def _check_output(synth: BaseSynthesizer, data: pd.DataFrame, out: pd.DataFrame) -> list[str]:
    problems: list[str] = []
    md: Metadata = synth.metadata_
    if list(out.columns) != list(data.columns):
        return [f"columns {list(out.columns)} differ from the input's {list(data.columns)}"]
    for name in data.columns:
        if str(out[name].dtype) != str(data[name].dtype):
            problems.append(f"column {name!r} has dtype {out[name].dtype}, not {data[name].dtype}")
    n = len(out)
    for column in md:
        series = out[column.name]
        present = series.dropna()
        numeric = column.kind in (ColumnKind.INTEGER, ColumnKind.FLOAT, ColumnKind.DATETIME)
        if numeric and column.minimum is not None and column.maximum is not None and len(present):
            values = (
                _seconds(series)
                if column.kind is ColumnKind.DATETIME
                else present.to_numpy(dtype=np.float64)
            )
            tol = 1e-6 * max(1.0, abs(column.minimum), abs(column.maximum))
            if values.min() < column.minimum - tol or values.max() > column.maximum + tol:
                problems.append(
                    f"column {column.name!r} leaves its stored bounds "
                    f"[{column.minimum}, {column.maximum}]"
                )
        if column.categories is not None and column.kind not in (ColumnKind.ID, ColumnKind.PII):
            allowed = {str(c) for c in column.categories}
            extra = {str(v) for v in pd.unique(present.astype(object))} - allowed
            if extra:
                problems.append(
                    f"column {column.name!r} has values outside its categories: {extra}"
                )
        share = float(series.isna().mean())
        p = column.missing_share
        tol = 4.0 * math.sqrt(p * (1.0 - p) / n) + 0.02
        if abs(share - p) > tol:
            problems.append(
                f"column {column.name!r} has {share:.3f} missing, the metadata says {p:.3f}"
            )
    key = md.primary_key
    if key is not None and md[key].kind is ColumnKind.ID and not _unique(out[key]):
        problems.append(f"primary key {key!r} is not unique and present in every row")
    return problems


def check_synthesizer(
    make: Callable[[], BaseSynthesizer],
    data: pd.DataFrame,
    metadata: Metadata | None = None,
    *,
    tmp_path: Path,
) -> None:
    """Run the conformance suite on the synthesizer that ``make()`` builds (unfitted).

    Parameters
    ----------
    make : callable
        Returns a new, unfitted synthesizer with its test settings (e.g. few epochs).
    data : DataFrame
        A small training table (see :func:`mixed_frame`).
    metadata : Metadata, optional
        Its metadata; detected when None.
    tmp_path : Path
        A folder for the model file of the save/load check.

    Raises
    ------
    AssertionError
        Listing every check that failed.
    """
    from synthcraft import persistence

    failures: list[str] = []

    def check(label: str, test: Callable[[], None]) -> None:
        try:
            test()
        except AssertionError as exc:
            failures.append(f"{label}: {exc}")
        except Exception as exc:
            failures.append(f"{label}: raised {type(exc).__name__}: {exc}")

    synth = make()
    params = synth.get_params()
    check("constructor", lambda: _check_constructor(make, synth, params))
    check("unfitted sample", lambda: _check_unfitted(synth))
    before = _global_states()
    try:
        fitted = synth.fit(data, metadata)
        out = synth.sample(_SAMPLE_ROWS, seed=11)
    except Exception as exc:
        failures.append(f"fit and sample: raised {type(exc).__name__}: {exc}")
        raise AssertionError(_report(failures)) from exc
    check("fit returns self", lambda: _assert(fitted is synth, "fit did not return self"))
    check("settings", lambda: _assert(synth.get_params() == params, "fit changed the settings"))
    check(
        "global random state",
        lambda: _assert(
            _same_states(before, _global_states()), "fit or sample changed global random state"
        ),
    )
    check("output", lambda: _assert_none(_check_output(synth, data, out)))
    reference = synth.sample(300, seed=5)
    check("same seed", lambda: _frames_equal(synth.sample(300, seed=5), reference, "same seed"))
    check(
        "different seeds",
        lambda: _assert(not synth.sample(300, seed=6).equals(reference), "seeds 5 and 6 agree"),
    )
    check("prefix stability", lambda: _check_prefix(synth))
    check("save and load", lambda: _check_save_load(synth, reference, tmp_path, persistence))
    check("fit twice", lambda: _check_refit(make, synth, data, metadata, reference))
    check("conditions", lambda: _check_conditions(synth, type(synth).tags))
    if failures:
        raise AssertionError(_report(failures))


def _report(failures: list[str]) -> str:
    return f"check_synthesizer found {len(failures)} problem(s):\n- " + "\n- ".join(failures)


def _assert(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _assert_none(problems: list[str]) -> None:
    if problems:
        raise AssertionError("; ".join(problems))


def _check_constructor(
    make: Callable[[], BaseSynthesizer], synth: BaseSynthesizer, params: dict[str, Any]
) -> None:
    attrs = dict(vars(synth))
    _assert(
        attrs.keys() == params.keys(),
        f"the constructor stores {sorted(attrs)} but the settings are {sorted(params)}",
    )
    _assert(
        all(attrs[k] is params[k] for k in params), "get_params does not return stored settings"
    )
    learned = [k for k in attrs if k.endswith("_")]
    _assert(not learned, f"attributes {learned} exist before fit")
    _assert(repr(make().get_params()) == repr(params), "two constructions differ")
    _assert(isinstance(type(synth).tags, Tags), "tags is not a Tags")
    name = type(synth).registry_name
    _assert(bool(name) and get(name) is type(synth), "the class is not registered")


def _check_unfitted(synth: BaseSynthesizer) -> None:
    try:
        synth.sample(5, seed=0)
    except NotFittedError:
        return
    raise AssertionError("sample before fit did not raise NotFittedError")


def _check_prefix(synth: BaseSynthesizer) -> None:
    small = synth.sample(_PREFIX_ROWS, seed=9)
    long = synth.sample(_LONG_ROWS, seed=9)
    _frames_equal(small, long.head(_PREFIX_ROWS), f"first {_PREFIX_ROWS} rows")
    tail = synth.sample_block(
        block_seeds(9, 2)[1], _LONG_ROWS - BLOCK_ROWS, start=BLOCK_ROWS, conditions=None
    )
    _frames_equal(tail, long.iloc[BLOCK_ROWS:], "second block")


def _check_save_load(
    synth: BaseSynthesizer, reference: pd.DataFrame, tmp_path: Path, persistence: Any
) -> None:
    path = Path(tmp_path) / "check_synthesizer.synth"
    persistence.save(synth, path, overwrite=True)
    loaded = persistence.load(path)
    _assert(type(loaded) is type(synth), "load gave another class")
    _assert(repr(loaded.get_params()) == repr(synth.get_params()), "load changed the settings")
    _frames_equal(loaded.sample(300, seed=5), reference, "rows after save/load")


def _check_refit(
    make: Callable[[], BaseSynthesizer],
    synth: BaseSynthesizer,
    data: pd.DataFrame,
    metadata: Metadata | None,
    reference: pd.DataFrame,
) -> None:
    if not type(synth).tags.deterministic_fit:
        return
    other = make()
    if "seed" in other.get_params():
        other.set_params(seed=synth.fit_seed_)
    other.fit(data, metadata).fit(data, metadata)
    _assert(other.fit_seed_ == synth.fit_seed_, "refit used another fit seed")
    _frames_equal(other.sample(300, seed=5), reference, "fit twice vs once")


def _check_conditions(synth: BaseSynthesizer, tags: Tags) -> None:
    md: Metadata = synth.metadata_
    target = next(
        (c for c in md if c.kind is ColumnKind.CATEGORICAL and c.categories), None
    ) or next((c for c in md if c.kind is ColumnKind.BOOLEAN and c.categories), None)
    if target is None or target.categories is None:
        return
    value = target.categories[-1]
    if "fixed" not in tags.conditions:
        try:
            synth.sample(5, seed=0, conditions={target.name: value})
        except UnsupportedConditionError:
            return
        raise AssertionError("fixed conditions without the tag did not raise")
    out = synth.sample(50, seed=3, conditions={target.name: value})
    _assert(bool((out[target.name].astype(object) == value).all()), "fixed condition not kept")
    if "rows" in tags.conditions:
        values = [target.categories[i % len(target.categories)] for i in range(50)]
        frame = pd.DataFrame({target.name: pd.Series(values, dtype=object)})
        out = synth.sample(50, seed=3, conditions=frame)
        kept = [str(a) == str(b) for a, b in zip(out[target.name], values, strict=True)]
        _assert(all(kept), "row conditions not kept")
