"""Single-table generation from a typed spec: :class:`TableSampler`.

A block of rows is made column by column in dependency order (formula inputs, ``by`` columns,
``from`` sources and model conditions first; the columns of a correlation block together, from
one Gaussian copula). Each column draws from its own stream keyed by its name, so adding or
removing a column never changes the values of the others, and every draw is prefix-stable, so
the first ``k`` rows of ``sample(n)`` are ``sample(k)``.

Missing values and outliers are an observation layer applied last: formulas, ``by`` cases,
``from`` sources and missing-rate formulas see every column's complete (clean) values.
"""

from __future__ import annotations

import graphlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from synthcraft._rng import sample_in_blocks, seed_sequence
from synthcraft._types import BlockSampler, Conditions, ProgressCallback, Sampler, SeedLike
from synthcraft.errors import SpecError, UnsupportedConditionError, UserInputError
from synthcraft.spec import _columns as col
from synthcraft.spec import _copula as cop
from synthcraft.spec import _datetimes as edge
from synthcraft.spec import _model as m

__all__ = ["TableSampler", "make_drawer"]

_VALUES, _MISSING, _OUTLIER, _OUTLIER_VALUE, _MISSING_RATE, _JITTER = 0, 1, 2, 3, 4, 5
"""Sub-stream keys of a column, after its name key: values (``by`` cases and chunks nest
below it), then the layers."""

_Type = tuple[m.Dtype, str | None]
_Step = tuple[str, int | str]
_Series = dict[str, pd.Series]
_Given = dict[str, tuple[Any, Any]]


def _timezone(gen: m.Generator) -> str | None:
    if isinstance(gen, m.DatetimeGen):
        return gen.timezone
    if isinstance(gen, m.ByGen):
        for case in [g for _, g in gen.cases] + [gen.default]:
            if case is not None and (tz := _timezone(case)):
                return tz
    return None


def make_drawer(
    gen: m.Generator, dtype: m.Dtype, *, path: str, table: str, column: m.ColumnSpec
) -> col.Drawer:
    """The drawer of one generator (a ``by`` column's cases use the column's dtype)."""
    match gen:
        case m.DistributionGen():
            return cop.DistributionDrawer(gen, dtype, path=path)
        case m.CategoricalGen():
            return cop.CategoricalDrawer(gen, dtype)
        case m.BooleanGen():
            return cop.BooleanDrawer(gen)
        case m.ConstantGen():
            return cop.ConstantDrawer(gen, dtype)
        case m.DatetimeGen():
            return edge.DatetimeDrawer(gen, path=path)
        case m.IdGen():
            return col.IdDrawer(gen, dtype, path=path)
        case m.UuidGen():
            return col.UuidDrawer(table, column.name)
        case m.PiiGen():
            return col.PiiDrawer(gen, unique=column.unique, table=table, column=column.name)
        case m.FormulaGen():
            return col.FormulaDrawer(gen, dtype, path=path, column=column.name)
        case m.ByGen():
            cases = [
                make_drawer(g, dtype, path=f"{path}.cases.{v}", table=table, column=column)
                for v, g in gen.cases
            ]
            default = None
            if gen.default is not None:
                default = make_drawer(
                    gen.default, dtype, path=f"{path}.default", table=table, column=column
                )
            return col.ByDrawer(gen, cases, default, dtype, column=column.name)
    raise SpecError([f"{path}: a from_model column cannot be a case of a by column"])


@dataclass(frozen=True)
class _ModelGroup:
    """Columns taken from one model call: same model file, same condition columns."""

    path: str
    columns: tuple[tuple[str, str], ...]  # (declared name, model column)
    conditions: tuple[str, ...]


def _reference(column: m.ColumnSpec) -> bool:
    return isinstance(column.generator, m.ConstantGen) and column.generator.value is None


def _key_type(spec: m.Spec, table: m.TableSpec, name: str, depth: int = 0) -> _Type:
    """Dtype (and zone) of a foreign-key column: that of the parent key it references."""
    for fk in table.foreign_keys:
        if name in fk.columns and fk.parent in spec.tables and depth < 32:
            parent = spec.tables[fk.parent]
            key = fk.parent_columns[fk.columns.index(name)]
            for c in parent.columns:
                if c.name == key and not _reference(c):
                    return c.dtype, _timezone(c.generator)
            return _key_type(spec, parent, key, depth + 1)
    return "integer", None


class TableSampler:
    """Samples one table of a spec; a :class:`~synthcraft._types.StatefulSampler`.

    Parameters
    ----------
    spec : Spec
        The parsed spec (:func:`synthcraft.spec.parse`).
    table : str
        Which of its tables to sample.
    models : mapping of str to Sampler, optional
        Fitted samplers for the spec's ``from_model`` paths (resolved by :mod:`synthcraft.api`).

    Notes
    -----
    ``conditions`` (a mapping of fixed values or a DataFrame with one row per output row) may
    name declared columns (their given cells are fixed and dependent columns follow them; a
    fixed cell of a correlation block conditions the block's other columns through the copula;
    missing cells are drawn as usual), the table's foreign-key columns (passed through to the
    output) and parent columns as ``parent.column`` (inputs of formulas only); with a table-level
    ``from_model``, other names go to the model. Foreign-key columns that are not declared are
    placed right after the primary-key columns, missing when not given.

    Examples
    --------
    >>> from synthcraft.spec import parse
    >>> spec = parse({"spec_version": "1.0", "tables": {"t": {"columns": {
    ...     "id": {"type": "id"}, "age": {"distribution": "normal(40, 10)", "type": "integer"}}}}})
    >>> TableSampler(spec, "t").sample(3, seed=1)["id"].tolist()
    [1, 2, 3]
    """

    def __init__(self, spec: m.Spec, table: str, *, models: Mapping[str, Sampler] | None = None):
        if table not in spec.tables:
            raise UserInputError(
                f"table {table!r} is not in the spec; its tables are: {', '.join(spec.tables)}"
            )
        self.spec, self.table, self.models = spec, table, dict(models or {})
        t = self._t = spec.tables[table]
        self._declared = {c.name: c for c in t.columns}
        self._fk = list(dict.fromkeys(c for fk in t.foreign_keys for c in fk.columns))
        self._parents = {fk.parent for fk in t.foreign_keys}
        self._types: dict[str, _Type] = {
            c.name: (c.dtype, _timezone(c.generator)) for c in t.columns
        }
        for name in self._fk:
            if name not in self._declared or _reference(self._declared[name]):
                self._types[name] = _key_type(spec, t, name)
        self._drawers: dict[str, col.Drawer] = {}
        groups: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]] = {}
        for c in t.columns:
            if isinstance(c.generator, m.ModelGen):
                group = groups.setdefault((c.generator.path, c.generator.conditions), [])
                group.append((c.name, c.generator.column or c.name))
            else:
                dtype = self._types[c.name][0]
                self._drawers[c.name] = make_drawer(
                    c.generator, dtype, path=c.path, table=table, column=c
                )
        self._groups = [_ModelGroup(p, tuple(cols), conds) for (p, conds), cols in groups.items()]
        for path in [g.path for g in self._groups] + ([t.from_model] if t.from_model else []):
            if path not in self.models:
                raise UserInputError(
                    f"table {table!r} takes columns from the model file {path!r}, which is not "
                    "loaded; sample the spec with synthcraft.api (it loads from_model files) or "
                    "pass models={path: sampler}"
                )
        self._copulas = [self._copula(c.columns, c.matrix) for c in t.correlations]
        self._missing = {c.name: self._missing_rate(c) for c in t.columns if c.missing}
        self._outliers = {c.name: self._outlier(c, c.outliers) for c in t.columns if c.outliers}
        self._order = self._plan()

    # -- compile -------------------------------------------------------------------------------

    def _copula(
        self, columns: tuple[str, ...], matrix: Any
    ) -> tuple[cop.GaussianCopula, tuple[str, ...]]:
        for name in columns:
            if not isinstance(self._drawers.get(name), col.CopulaColumn):
                raise SpecError(
                    [
                        f"{self._t.path}.correlations: column {name!r} cannot be in a correlation "
                        "block (only distribution, categories, boolean, datetime and value columns)"
                    ]
                )
        return cop.GaussianCopula(matrix), columns

    def _missing_rate(self, column: m.ColumnSpec) -> float | col.FormulaDrawer:
        rule = column.missing
        assert rule is not None
        if rule.formula is None:
            return float(rule.rate or 0.0)
        gen = m.FormulaGen(expression=rule.formula)
        return col.FormulaDrawer(gen, "float", path=f"{column.path}.missing", column=column.name)

    def _outlier(self, column: m.ColumnSpec, o: m.Outliers) -> tuple[m.Outliers, col.Drawer | None]:
        if column.dtype not in ("float", "integer"):
            raise SpecError([f"{column.path}.outliers: only number columns can have outliers"])
        if o.distribution is None:
            return o, None
        gen = m.DistributionGen(o.distribution)
        return o, cop.DistributionDrawer(gen, column.dtype, path=f"{column.path}.outliers")

    def _plan(self) -> list[_Step]:
        """Steps in dependency order: ("copula", i), ("model", i) or ("column", name)."""
        node: dict[str, _Step] = {n: ("column", n) for n in self._drawers}
        for i, (_, members) in enumerate(self._copulas):
            node.update({name: ("copula", i) for name in members})
        for i, group in enumerate(self._groups):
            node.update({name: ("model", i) for name, _ in group.columns})
        deps: dict[_Step, set[_Step]] = {step: set() for step in node.values()}
        for name, drawer in self._drawers.items():
            deps[node[name]].update(node[i] for i in drawer.inputs if i in node)
        for i, group in enumerate(self._groups):
            deps[("model", i)].update(node[c] for c in group.conditions if c in node)
        for step, needs in deps.items():
            needs.discard(step)
        try:
            return list(graphlib.TopologicalSorter(deps).static_order())
        except graphlib.CycleError as exc:
            cycle = " -> ".join(str(s[1]) for s in exc.args[1])
            raise SpecError(
                [f"{self._t.path}.columns: columns depend on each other: {cycle}"]
            ) from None

    # -- public surface ------------------------------------------------------------------------

    @property
    def columns(self) -> list[str]:
        """Output column names, in order."""
        names: list[str] = []
        for c in self._t.columns:
            names += [c.name] + ([c.outliers.marker] if c.outliers and c.outliers.marker else [])
        keys = [i for i, name in enumerate(names) if name in self._t.primary_key]
        at = keys[-1] + 1 if keys else 0
        names[at:at] = [f for f in self._fk if f not in self._declared]
        if self._t.from_model:
            model = self._model_columns()
            names = model + [n for n in names if n not in model]
        return names

    @property
    def dtypes(self) -> dict[str, str]:
        """Canonical pandas dtype of each output column (model columns: as the model gives)."""
        names = self.columns
        if not all(n in self._types for n in names if n not in self._markers):
            return {
                str(k): str(v)
                for k, v in self.sample_block(np.random.SeedSequence(0), 1).dtypes.items()
            }
        return {
            n: "boolean" if n in self._markers else edge.pandas_dtype(*self._types[n])
            for n in names
        }

    @property
    def _markers(self) -> set[str]:
        return {o.marker for o, _ in self._outliers.values() if o.marker}

    def _model_columns(self) -> list[str]:
        assert self._t.from_model is not None
        model = self.models[self._t.from_model]
        names = getattr(model, "columns", None)
        if isinstance(names, list) and all(isinstance(n, str) for n in names):
            return names
        return [str(c) for c in _call(model, np.random.SeedSequence(0), 1, 0, None).columns]

    def sample(
        self,
        n_rows: int,
        *,
        seed: SeedLike = None,
        conditions: Conditions = None,
        progress: ProgressCallback | None = None,
    ) -> pd.DataFrame:
        """``n_rows`` rows; the same seed gives the same rows (the spec's ``seed`` when None).

        Rows come in fixed blocks of 65,536 (block ``i`` from child ``i`` of the seed), so
        the first ``k`` rows of a sample of ``n`` equal a sample of ``k``.
        """
        n = _check_rows(n_rows)
        if seed is None and self.spec.seed is not None:
            seed = self.spec.seed
        self._split(conditions, n)
        if n == 0:
            return self.sample_block(seed_sequence(seed), 0, conditions=conditions)
        return sample_in_blocks(self.sample_block, n, seed, conditions, progress)

    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """``({"spec": <spec source>, "table": name}, {})``: what worker processes re-parse."""
        if self._groups or self._t.from_model:
            raise UserInputError(
                "a spec with from_model columns samples in one process; use workers=1 (--workers 1)"
            )
        if not self.spec.source:
            raise UserInputError(
                "this spec has no source mapping, so worker processes cannot rebuild it; build it "
                "with synthcraft.spec.parse or use workers=1 (--workers 1)"
            )
        return {"spec": dict(self.spec.source), "table": self.table}, {}

    @classmethod
    def from_state(cls, state: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> TableSampler:
        """Rebuild a sampler from :meth:`get_state` output (re-parses the spec)."""
        from synthcraft.spec._parse import parse

        return cls(parse(state["spec"]), str(state["table"]))

    def sample_block(
        self,
        seed: np.random.SeedSequence,
        n_rows: int,
        *,
        start: int = 0,
        conditions: Conditions = None,
    ) -> pd.DataFrame:
        """The rows of one block (rows ``start .. start + n_rows - 1`` of the sample)."""
        seed, n = seed_sequence(seed), _check_rows(n_rows)
        fixed, external, to_model = self._split(conditions, n)
        given = {
            name: (edge.from_condition(s, *self._types[name], name), s.notna().to_numpy())
            for name, s in fixed.items()
        }
        state = col.BlockState(seed, n, int(start), external=external)
        if self._t.from_model:
            frame = self._model_frame(
                self._t.from_model,
                col.name_key(f"table-model:{self._t.from_model}"),
                state,
                to_model,
            )
            state.values.update({str(c): frame[c] for c in frame.columns})
        for kind, ref in self._order:
            if kind == "copula":
                drawn = self._draw_copula(int(ref), state, given)
            elif kind == "model":
                drawn = self._draw_model(self._groups[int(ref)], state)
            elif str(ref) in given and given[str(ref)][1].all():
                state.values[str(ref)], drawn = given[str(ref)][0], ()
            else:
                drawn = (str(ref),)
                state.values[str(ref)] = self._drawers[str(ref)].draw(
                    state, (col.name_key(str(ref)), _VALUES), None, None
                )
            for name in (d for d in drawn if d in given):
                values, mask = given[name]
                state.values[name] = edge.merge(
                    state.values[name], values, mask, self._types[name][0]
                )
                state.forget(name)
        return self._output(state, given)

    def _draw_copula(self, i: int, state: col.BlockState, given: _Given) -> tuple[str, ...]:
        copula, members = self._copulas[i]
        fixed = None
        if any(name in given for name in members):
            fixed = np.full((state.n, len(members)), np.nan)
            for j, name in enumerate(members):
                if name in given:
                    values, mask = given[name]
                    drawer = self._drawers[name]
                    assert isinstance(drawer, col.CopulaColumn)
                    u = drawer.to_uniform(
                        values, col.stream(state.seed, col.name_key(name), _JITTER)
                    )
                    fixed[mask, j] = cop.normal_scores(u[mask])
        key = col.name_key("correlation:" + ",".join(members))
        u = copula.uniforms(col.stream(state.seed, key), state.n, fixed)
        for j, name in enumerate(members):
            state.values[name] = self._drawers[name].draw(
                state, (col.name_key(name), _VALUES), None, u[:, j]
            )
        return members

    def _model_frame(
        self, path: str, key: int, state: col.BlockState, conditions: dict[str, pd.Series]
    ) -> pd.DataFrame:
        if state.n == 0:
            return pd.DataFrame({c: pd.Series([], dtype=float) for c in self._model_columns()})
        child = np.random.SeedSequence(state.seed.entropy, spawn_key=(*state.seed.spawn_key, key))
        cond = pd.DataFrame(conditions) if conditions else None
        return _call(self.models[path], child, state.n, state.start, cond).reset_index(drop=True)

    def _draw_model(self, group: _ModelGroup, state: col.BlockState) -> tuple[str, ...]:
        cond = {
            c: pd.Series(edge.to_pandas(state.values[c], *self._types[c])) for c in group.conditions
        }
        key = col.name_key(f"model:{group.path}|{','.join(group.conditions)}")
        frame = self._model_frame(group.path, key, state, cond)
        for name, column in group.columns:
            if column not in frame.columns:
                raise UserInputError(
                    f"column {name!r} takes column {column!r} of the model {group.path!r}, which "
                    f"has no such column; its columns are: {', '.join(map(str, frame.columns))}"
                )
            state.values[name] = frame[column]
        return tuple(name for name, _ in group.columns)

    def _split(self, conditions: Conditions, n: int) -> tuple[_Series, _Series, _Series]:
        """Condition columns: fixed declared columns, inputs only, and the table model's."""
        fixed: _Series = {}
        external: _Series = {}
        model: _Series = {}
        for name, s in edge.condition_columns(conditions, n).items():
            if name in self._declared:
                fixed[name] = s
            elif name in self._fk or ("." in name and name.split(".", 1)[0] in self._parents):
                external[name] = s
            elif self._t.from_model:
                model[name] = s
            else:
                raise UnsupportedConditionError(
                    f"table {self.table!r} has no column {name!r} to condition on; condition on "
                    f"its columns ({', '.join(self._declared)}) or on parent columns as "
                    "'parent.column'"
                )
        return fixed, external, model

    def _output(self, state: col.BlockState, given: _Given) -> pd.DataFrame:
        """Apply outliers and missing values (never to given cells) and build the frame."""
        final, markers, n = dict(state.values), {}, state.n
        for name, (o, drawer) in self._outliers.items():
            k = col.name_key(name)
            hit = col.stream(state.seed, k, _OUTLIER).random(n) < o.rate
            hit &= ~given[name][1] if name in given else True
            values = col.coerce(final[name], "float")
            new = values * float(o.factor or 1.0)
            if drawer is not None:
                new = col.coerce(drawer.draw(state, (k, _OUTLIER_VALUE), None, None), "float")
            final[name] = np.where(hit, new, values)
            if self._types[name][0] == "integer":
                final[name] = np.rint(final[name])
            if o.marker:
                markers[o.marker] = hit
        for name, rate in self._missing.items():
            k = col.name_key(name)
            share: Any = rate
            if isinstance(rate, col.FormulaDrawer):
                share = np.nan_to_num(np.clip(rate.values(state, (k, _MISSING_RATE), None), 0, 1))
            hole = col.stream(state.seed, k, _MISSING).random(n) < share
            hole &= ~given[name][1] if name in given else True
            if hole.any():
                final[name] = edge.blank(final[name], hole, self._types[name][0])
        out: dict[str, Any] = {}
        for name in self.columns:
            if name in markers:
                out[name] = pd.arrays.BooleanArray(markers[name], np.zeros(n, dtype=bool))
            elif name not in self._types:  # a column of the table's model, as the model gave it
                out[name] = final[name].array
            else:
                dtype, tz = self._types[name]
                values = final.get(name)
                if values is None:  # a foreign key that is not declared
                    fk = state.external.get(name)
                    values = (
                        col.missing_values(dtype, n)
                        if fk is None
                        else edge.from_condition(fk, dtype, tz, name)
                    )
                if dtype == "integer" and name in self._declared:
                    _check_integers(values, self._declared[name].path)
                out[name] = edge.to_pandas(values, dtype, tz)
        return pd.DataFrame(out, index=pd.RangeIndex(n), copy=False)


def _check_integers(values: Any, path: str) -> None:
    """Refuse float values an integer column cannot hold (infinite or beyond int64)."""
    if not isinstance(values, np.ndarray) or values.dtype.kind != "f":
        return
    outside = np.abs(values) >= 2.0**63  # NaN (missing) compares False; infinities True
    if outside.any():
        raise SpecError(
            [
                f"{path}: drew {values[outside][0]:g}, beyond what an integer column holds (about "
                "9.2e18); truncate the distribution or drop type: integer"
            ]
        )


def _call(
    model: Sampler,
    seed: np.random.SeedSequence,
    n: int,
    start: int,
    conditions: pd.DataFrame | None,
) -> pd.DataFrame:
    """One block of a model's rows (``sample_block`` when it has one)."""
    if isinstance(model, BlockSampler):
        return model.sample_block(seed, n, start=start, conditions=conditions)
    return model.sample(n, seed=seed, conditions=conditions)


def _check_rows(n_rows: object) -> int:
    if isinstance(n_rows, bool) or not isinstance(n_rows, int | np.integer) or n_rows < 0:
        raise UserInputError(
            f"the number of rows must be a whole number >= 0, got {n_rows!r}; pass e.g. -n 1000"
        )
    return int(n_rows)
