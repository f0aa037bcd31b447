"""Safe formulas for spec columns: parse once, compile once, evaluate whole blocks at a time.

A formula is a Python expression over the table's columns (``table.column`` for a column of a
parent table), parsed with :mod:`ast` against a whitelist and built as a SymPy expression; user
text is never run (no ``eval``, ``sympify`` or ``parse_expr``). Allowed:

- numbers, ``True``/``False``, constants ``pi`` and ``e``, columns;
- ``+ - * / ** % //``, unary ``-``, comparisons (chained too), ``and or not``, ``a if c else b``;
- text only after ``==``/``!=`` following a column (``segment == "retail"``), and lists after
  ``in``/``not in`` (``segment in ("retail", "public")``);
- functions ``exp log log1p sqrt abs sin cos tan tanh sigmoid floor ceil min max clip(x, lo, hi)
  where(cond, a, b) round(x[, digits])``;
- noise, one draw per row: ``normal(mu=0, sigma=1) uniform(low=0, high=1) lognormal(mu, sigma)
  exponential(scale) poisson(lam) bernoulli(p) gamma(shape, scale) beta(a, b) binomial(n, p)
  student_t(df) laplace(mu, b)``; arguments are numbers or noise-free expressions of columns,
  by position or by these names.

A formula whose top level is a comparison or ``and/or/not`` gives a boolean column (``and``/``or``
always give true/false, unlike Python's). True/false used in arithmetic count as 1/0.
Text is at most 2,000 characters, nested at most 50 levels.

Missing values: a row where any input is missing (NaN, None, pd.NA) is missing in the result,
whatever the formula would give (see :meth:`Formula.evaluate_masked`).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NoReturn

import numpy as np
import pandas as pd
import sympy
from sympy.codegen.cfunctions import log1p as sympy_log1p
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.str import StrPrinter

from synthcraft._rng import check_rng
from synthcraft.errors import SpecError

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_LENGTH",
    "NOISE",
    "UNARY",
    "Formula",
    "Indicator",
    "NoiseFamily",
    "NoiseTerm",
    "formula_order",
    "parse_formula",
]

_SAFE = {"any": 0.0, "nonneg": 1.0, "pos": 1.0, "prob": 0.5, "count": 1.0, "rate": 1.0}
_NUMERIC_KINDS = {"integer", "floating", "mixed-integer-float", "boolean", "decimal", "empty"}
MAX_LENGTH = 2000
"""Longest formula text accepted, in characters."""

Scalar = str | int | float | bool


@dataclass(frozen=True)
class Indicator:
    """A boolean symbol for ``column in values`` (``seg == "a"``, ``seg in ("a", "b")``)."""

    symbol: Any
    column: str
    values: tuple[Scalar, ...]


@dataclass(frozen=True)
class NoiseTerm:
    """One noise call: ``symbol`` takes one draw per row from ``family`` with ``args``."""

    symbol: Any
    family: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class NoiseFamily:
    """A noise function: parameter names, defaults (None: required), domain rules, mean, draw."""

    params: tuple[str, ...]
    defaults: tuple[int | None, ...]
    rules: tuple[str, ...]
    mean: Callable[..., Any]
    draw: Callable[[np.random.Generator, list[Any], int], Any]


_N = NoiseFamily
NOISE: dict[str, NoiseFamily] = {
    "normal": _N(("mu", "sigma"), (0, 1), ("any", "nonneg"), lambda m, s: m,
                 lambda rng, a, n: rng.normal(a[0], a[1], n)),
    "uniform": _N(("low", "high"), (0, 1), ("any", "any"), lambda a, b: (a + b) / 2,
                  lambda rng, a, n: rng.uniform(a[0], a[1], n)),
    "lognormal": _N(("mu", "sigma"), (None, None), ("any", "nonneg"),
                    lambda m, s: sympy.exp(m + s**2 / 2),
                    lambda rng, a, n: rng.lognormal(a[0], a[1], n)),
    "exponential": _N(("scale",), (None,), ("nonneg",), lambda s: s,
                      lambda rng, a, n: rng.exponential(a[0], n)),
    "poisson": _N(("lam",), (None,), ("rate",), lambda lam: lam,
                  lambda rng, a, n: rng.poisson(a[0], n)),
    "bernoulli": _N(("p",), (None,), ("prob",), lambda p: p,
                    lambda rng, a, n: rng.random(n) < a[0]),
    "gamma": _N(("shape", "scale"), (None, None), ("pos", "nonneg"), lambda k, s: k * s,
                lambda rng, a, n: rng.gamma(a[0], a[1], n)),
    "beta": _N(("a", "b"), (None, None), ("pos", "pos"), lambda a, b: a / (a + b),
               lambda rng, a, n: rng.beta(a[0], a[1], n)),
    "binomial": _N(("n", "p"), (None, None), ("count", "prob"), lambda n, p: n * p,
                   lambda rng, a, n: rng.binomial(np.asarray(a[0]).astype(np.int64), a[1], n)),
    "student_t": _N(("df",), (None,), ("pos",), lambda df: sympy.S.Zero,
                    lambda rng, a, n: rng.standard_t(a[0], n)),
    "laplace": _N(("mu", "b"), (None, None), ("any", "nonneg"), lambda m, b: m,
                  lambda rng, a, n: rng.laplace(a[0], a[1], n)),
}  # fmt: skip
"""Noise functions by name (they draw one value per row; see :mod:`synthcraft.spec._formula`)."""


RULE_TEXT = {
    "any": "can be any number",
    "nonneg": "must be >= 0",
    "pos": "must be > 0",
    "prob": "must be in [0, 1]",
    "count": "must be a whole number >= 0",
    "rate": "must be in [0, 1e15]",
}
"""How each domain rule of a noise parameter reads in a message."""


def check_rule(rule: str, values: Any) -> Any:
    """Boolean array: which ``values`` meet the domain ``rule`` of a noise parameter."""
    values = np.asarray(values, dtype=np.float64)
    if rule == "nonneg":
        return values >= 0
    if rule == "pos":
        return values > 0
    if rule == "prob":
        return (values >= 0) & (values <= 1)
    if rule == "count":
        return (values >= 0) & (values <= 2.0**62) & (np.floor(values) == values)
    if rule == "rate":
        return (values >= 0) & (values <= 1e15)
    return np.isfinite(values)


UNARY: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "exp": (np.exp, sympy.exp),
    "log": (np.log, sympy.log),
    "log1p": (np.log1p, sympy_log1p),
    "sqrt": (np.sqrt, sympy.sqrt),
    "abs": (np.abs, sympy.Abs),
    "sin": (np.sin, sympy.sin),
    "cos": (np.cos, sympy.cos),
    "tan": (np.tan, sympy.tan),
    "tanh": (np.tanh, sympy.tanh),
    "sigmoid": (lambda v: np.exp(-np.logaddexp(0, -v)), lambda x: 1 / (1 + sympy.exp(-x))),
    "floor": (np.floor, sympy.floor),
    "ceil": (np.ceil, sympy.ceiling),
}
"""Functions of one number by name: (numpy for constants, SymPy for expressions)."""
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    **{name: (1, 1) for name in UNARY},
    "min": (2, None),
    "max": (2, None),
    "clip": (3, 3),
    "where": (3, 3),
    "round": (1, 2),
}
"""Plain functions by name with their (fewest, most) argument counts (None: no upper limit)."""
CONSTANTS = {"pi": math.pi, "e": math.e}
"""Named constants (a column of the same name wins over them)."""


_NUMPY_NAMES = {
    "FloorDiv": "numpy.floor_divide",
    "Minimum": "numpy.minimum",
    "Maximum": "numpy.maximum",
    "RoundHalfEven": "numpy.round",
}


class _Printer(NumPyPrinter):  # type: ignore[misc]
    """numpy code printer: floats with every digit, integer division and rounding as numpy's."""

    def _print_Float(self, expr: Any) -> str:
        return repr(float(expr))

    def _print_Integer(self, expr: Any) -> str:
        return str(int(expr)) if abs(expr) < 2**53 else repr(float(expr))

    def _print_call(self, expr: Any) -> str:
        name = self._module_format(_NUMPY_NAMES[type(expr).__name__])
        return f"{name}({', '.join(self._print(arg) for arg in expr.args)})"

    _print_FloorDiv = _print_Minimum = _print_Maximum = _print_RoundHalfEven = _print_call


class _Shown(StrPrinter):  # type: ignore[misc]
    """SymPy's text printer with column names for symbols and floats without trailing zeros."""

    def __init__(self, names: Mapping[Any, str]) -> None:
        super().__init__({"full_prec": False})
        self.names = names

    def _print_Symbol(self, expr: Any) -> str:
        return self.names.get(expr, expr.name)


def _lambdify(symbols: list[Any], expr: Any) -> Callable[..., Any]:
    """Compile SymPy objects (never text) into one numpy function."""
    printer = _Printer({"fully_qualified_modules": False, "inline": True, "user_functions": {}})
    compiled: Callable[..., Any] = sympy.lambdify(
        symbols, expr, modules="numpy", printer=printer, docstring_limit=0
    )
    return compiled


_LATEX_ESCAPES = str.maketrans(
    {"\\": r"\textbackslash{}", "~": r"\~{}", "^": r"\^{}", **{c: "\\" + c for c in "_{}#$%&"}}
)


def _diff(expr: Any, symbol: Any) -> Any:
    """``d expr / d symbol``, with the sum and product rules by hand (SymPy's product rule is
    cubic in the number of factors)."""
    if symbol not in expr.free_symbols:
        return sympy.S.Zero
    if expr.is_Add:
        return sympy.Add(*(_diff(arg, symbol) for arg in expr.args))
    if expr.is_Mul:
        args = expr.args
        return sympy.Add(
            *(
                sympy.Mul(*args[:i], _diff(arg, symbol), *args[i + 1 :])
                for i, arg in enumerate(args)
                if symbol in arg.free_symbols
            )
        )
    if expr.is_Pow and symbol not in expr.exp.free_symbols:
        return expr.exp * expr.base ** (expr.exp - 1) * _diff(expr.base, symbol)
    return sympy.diff(expr, symbol)


@dataclass(frozen=True)
class Formula:
    """A parsed formula; build it with :func:`parse_formula`.

    ``expr`` is the SymPy expression: columns are real symbols (``c_age`` for ``age``,
    ``p9_customers_vip`` for ``customers.vip``), ``_ind_k`` symbols stand for text comparisons
    and ``_noise_k`` for noise draws. ``inputs`` lists the columns used, in order of first
    appearance; ``is_boolean`` is True when the result is true/false.
    """

    text: str
    expr: Any
    inputs: tuple[str, ...]
    is_boolean: bool
    path: str = "formula"
    numeric_inputs: tuple[tuple[str, Any], ...] = field(default=(), repr=False)
    indicators: tuple[Indicator, ...] = field(default=(), repr=False)
    noise: tuple[NoiseTerm, ...] = field(default=(), repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_compiled", "_params")}

    @cached_property
    def _compiled(self) -> Callable[..., Any]:
        symbols = [s for _, s in self.numeric_inputs] + [i.symbol for i in self.indicators]
        symbols += [term.symbol for term in self.noise]
        return _lambdify(symbols, self.expr)

    @cached_property
    def _params(self) -> Callable[..., Any] | None:
        exprs = [a for term in self.noise for a in term.args if not a.is_Number]
        if not exprs:
            return None
        symbols = [s for _, s in self.numeric_inputs] + [i.symbol for i in self.indicators]
        return _lambdify(symbols, exprs)

    def _fail(self, message: str) -> SpecError:
        return SpecError([f"{self.path}: {message}"])

    def _column(self, columns: Mapping[str, Any], name: str) -> Any:
        if name not in columns:
            raise self._fail(f"column '{name}' is needed by the formula but was not given")
        return columns[name]

    def evaluate(self, columns: Mapping[str, Any], rng: np.random.Generator, n: int) -> np.ndarray:
        """Evaluate on ``n`` rows: float64 values, or bool values for a boolean formula.

        Rows with a missing input are NaN (False for a boolean formula; use
        :meth:`evaluate_masked` to tell them apart). See :meth:`evaluate_masked`.

        Examples
        --------
        >>> f = parse_formula("1200 + 45*age")
        >>> f.evaluate({"age": np.array([20.0, 40.0])}, np.random.default_rng(0), 2)
        array([2100., 3000.])
        """
        return self.evaluate_masked(columns, rng, n)[0]

    def evaluate_masked(
        self, columns: Mapping[str, Any], rng: np.random.Generator, n: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Evaluate on ``n`` rows and say which rows are missing.

        Parameters
        ----------
        columns
            Every column in :attr:`inputs` by name (``"customers.vip"`` for parent columns):
            numpy arrays or pandas Series/arrays of length ``n`` (or scalars). Numeric, bool and
            nullable columns are used as float64; text/categorical columns only in ``==``,
            ``!=`` and ``in`` comparisons.
        rng
            Source of the noise: each noise term draws ``n`` values, in the order the terms
            appear in the text, whatever the inputs hold (rows stay aligned across calls).
        n
            Number of rows.

        Returns
        -------
        values, missing
            ``values`` is float64 (NaN where missing) or bool (False where missing) for a
            boolean formula; ``missing`` is True where an input is missing. Values that are
            undefined for present inputs (``sqrt(-1)``) are NaN without being marked missing.
        """
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
            raise self._fail(f"the number of rows must be a whole number >= 0, got {n!r}")
        n = int(n)
        rng = check_rng(rng)
        missing = np.zeros(n, dtype=bool)
        args: list[Any] = []
        for name, _ in self.numeric_inputs:
            values = self._numeric(name, self._column(columns, name), n)
            missing |= np.isnan(values)
            args.append(values)
        for indicator in self.indicators:
            flags, absent = self._indicator(indicator, self._column(columns, indicator.column), n)
            missing |= absent
            args.append(flags)
        args.extend(self._draw_noise(args, missing, rng, n))
        with np.errstate(all="ignore"):
            out = self._compiled(*args)
        dtype = np.bool_ if self.is_boolean else np.float64
        result: np.ndarray = np.array(np.broadcast_to(np.asarray(out, dtype=dtype), (n,)))
        if missing.any():
            result[missing] = False if self.is_boolean else np.nan
        return result, missing

    def _shape(self, name: str, values: np.ndarray, n: int) -> np.ndarray:
        if values.ndim == 0:
            return np.full(n, values[()], dtype=values.dtype)
        if values.shape != (n,):
            raise self._fail(f"column '{name}' has shape {values.shape}, expected ({n},)")
        return values

    def _numeric(self, name: str, values: Any, n: int) -> np.ndarray:
        if isinstance(values, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
            dtype = values.dtype
            if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
                values = values.to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                values = values.to_numpy(dtype=object)
        array = self._shape(name, np.asarray(values), n)
        if array.dtype.kind in "biuf":
            return array.astype(np.float64, copy=False)
        if array.dtype.kind == "O" and pd.api.types.infer_dtype(array) in _NUMERIC_KINDS:
            absent = pd.isna(array)
            out = np.full(n, np.nan)
            out[~absent] = array[~absent].astype(np.float64)
            return out
        present = array[~pd.isna(array)] if array.dtype.kind == "O" else array
        example = repr(present[0]) if len(present) else "..."
        if array.dtype.kind in "mM":
            raise self._fail(f"column '{name}' holds dates/times, which formulas cannot use")
        raise self._fail(
            f"column '{name}' holds text (e.g. {example}); use it only in ==, != or in "
            f"comparisons, like {name} == {example}"
        )

    def _indicator(self, indicator: Indicator, values: Any, n: int) -> tuple[Any, Any]:
        if not isinstance(values, pd.Series):
            values = pd.Series(self._shape(indicator.column, np.asarray(values), n), copy=False)
        elif len(values) != n:
            raise self._fail(f"column '{indicator.column}' has {len(values)} rows, expected {n}")
        absent = np.array(values.isna(), dtype=bool)
        flags = np.array(values.isin(list(indicator.values)), dtype=bool)
        flags[absent] = False
        return flags, absent

    def _draw_noise(
        self, base: list[Any], missing: np.ndarray, rng: np.random.Generator, n: int
    ) -> list[np.ndarray]:
        with np.errstate(all="ignore"):
            params = iter(self._params(*base) if self._params is not None else [])
        draws = []
        for term in self.noise:
            family = NOISE[term.family]
            values: list[Any] = []
            undefined = np.zeros(n, dtype=bool)
            for param, rule, arg in zip(family.params, family.rules, term.args, strict=True):
                if arg.is_Number:
                    values.append(float(arg))
                    continue
                array = np.array(np.broadcast_to(np.asarray(next(params), np.float64), (n,)))
                bad = ~np.isfinite(array)
                array[bad | missing] = _SAFE[rule]
                ok = check_rule(rule, array)
                if not ok.all():
                    got = float(array[~ok][0])
                    raise self._fail(
                        f"{term.family} {param} {RULE_TEXT[rule]}, got {got:g} in some rows; "
                        "fix the expression that gives it"
                    )
                undefined |= bad
                values.append(array)
            try:
                draw = np.asarray(family.draw(rng, values, n), dtype=np.float64)
            except (ValueError, OverflowError) as exc:
                raise self._fail(f"{term.family} cannot draw with these arguments ({exc})") from exc
            draw[undefined] = np.nan
            draws.append(draw)
        return draws

    def truth(self) -> dict[str, Any]:
        """The formula as ground truth, ready for JSON.

        ``derivatives`` are taken with each noise term replaced by its mean (for additive noise
        that is the noise-free part). For a boolean formula they are of the ``score``: the side
        of the top comparison that holds the columns (``sigmoid(0.3*x1 - x2)`` in
        ``sigmoid(0.3*x1 - x2) > uniform()``), else greater side minus lesser side; ``score``
        is None (and ``derivatives`` empty) for ``==``, ``!=`` and ``and/or/not`` at the top.

        Examples
        --------
        >>> parse_formula("1200 + 45*age + normal(0, 300)").truth()["derivatives"]
        {'age': '45'}
        """
        shown: dict[Any, str] = {}
        latex: dict[Any, str] = {}
        for name, symbol in self.numeric_inputs:
            shown[symbol], latex[symbol] = name, rf"\mathrm{{{name.translate(_LATEX_ESCAPES)}}}"
        for ind in self.indicators:
            values = ", ".join(repr(v) for v in ind.values)
            many = len(ind.values) > 1
            label = f"{ind.column} in ({values})" if many else f"{ind.column} == {values}"
            shown[ind.symbol] = f"[{label}]"
            latex[ind.symbol] = rf"\left[\text{{{label.translate(_LATEX_ESCAPES)}}}\right]"
        for k, term in enumerate(self.noise):
            latex[term.symbol] = rf"\varepsilon_{{{k}}}"
        printer = _Shown(shown)
        show = printer.doprint

        score = self._score() if self.is_boolean else self.expr
        derivatives: dict[str, str] = {}
        if score is not None:
            means = {t.symbol: NOISE[t.family].mean(*t.args) for t in self.noise}
            centred = score.xreplace(means)
            for name, symbol in self.numeric_inputs:
                derivatives[name] = show(_diff(centred, symbol))
        truth: dict[str, Any] = {
            "expression": show(self.expr),
            "latex": sympy.latex(self.expr, symbol_names=latex),
            "inputs": list(self.inputs),
            "boolean": self.is_boolean,
            "noise": {
                str(t.symbol): f"{t.family}({', '.join(show(a) for a in t.args)})"
                for t in self.noise
            },
            "derivatives": derivatives,
        }
        if self.is_boolean:
            truth["score"] = None if score is None else show(score)
        return truth

    def _score(self) -> Any:
        expr = self.expr
        if not isinstance(expr, sympy.core.relational.Relational) or isinstance(
            expr, sympy.Eq | sympy.Ne
        ):
            return None
        noise = {term.symbol for term in self.noise}
        greater, lesser = expr.gts, expr.lts
        if lesser.free_symbols <= noise:
            return greater
        if greater.free_symbols <= noise:
            return -lesser
        return greater - lesser


def _check_result(expr: Any, fail: Callable[[str], NoReturn]) -> None:
    """Refuse what SymPy's own simplification turned undefined, complex or out of range."""
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        fail("the formula is undefined (it divides by zero somewhere); check it")
    if expr.has(sympy.I):
        fail("the formula has no real value (e.g. sqrt of a negative number); check it")
    for atom in expr.atoms(sympy.Number):
        try:
            finite = math.isfinite(float(atom))
        except OverflowError:
            finite = False
        if not finite:
            fail("a number in the formula is too large (over 1.8e308); check it")


def parse_formula(
    text: str, *, path: str = "formula", columns: Collection[str] | None = None
) -> Formula:
    """Parse a formula (see the module docs for the grammar); the text is never run.

    Parameters
    ----------
    text
        The formula, e.g. ``"1200 + 45*age + normal(0, 300)"``.
    path
        Where the formula sits in the spec; it starts every error message.
    columns
        The names the formula may use (``"parent.col"`` for parent columns). When given, other
        names are errors with a did-you-mean; when None, any identifier is a column (except
        ``pi`` and ``e``, which are then constants; listed columns win over them).

    Raises
    ------
    SpecError
        One problem ``"path: message"``: syntax errors (with the position), refused tokens,
        unknown columns or functions, wrong argument counts, noisy or out-of-domain noise
        arguments, numbers out of float64 range, text longer than 2,000 characters or nesting
        deeper than 50 levels.

    Examples
    --------
    >>> f = parse_formula("sigmoid(0.03*age - 2) > uniform()", columns=["age"])
    >>> f.inputs, f.is_boolean
    (('age',), True)
    """
    from synthcraft.spec._formula_ast import build  # the builder imports this module's names

    def fail(message: str) -> NoReturn:
        raise SpecError([f"{path}: {message}"])

    if not isinstance(text, str):
        fail(f"a formula must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        fail(f"formula is {len(text):,} characters long; the limit is {MAX_LENGTH:,}, so split it")
    source = text.replace("\r", " ").replace("\n", " ").replace("\t", " ").strip()
    if not source:
        fail("formula is empty; write an expression like '1 + 2*age'")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        where = f" at character {exc.offset}" if exc.offset else ""
        fail(f"syntax error{where} ({exc.msg}) in '{source[:60]}'; write a Python expression")
    except (ValueError, RecursionError, MemoryError):
        fail("formula cannot be read; write a Python expression like '1 + 2*age'")
    built = build(tree, source, path=path, columns=columns)
    _check_result(built.expr, fail)
    return Formula(
        text=text,
        expr=built.expr,
        inputs=tuple(built.inputs),
        is_boolean=built.is_boolean,
        path=path,
        numeric_inputs=tuple(built.numeric.items()),
        indicators=tuple(built.indicators),
        noise=tuple(built.noise),
    )


def formula_order(formulas: Mapping[str, Collection[str]], *, path: str) -> list[str]:
    """Order columns so that each comes after the columns its formula uses.

    ``formulas`` maps each column to the names it uses; only names that are keys count (others
    are given columns). The order is as close to the mapping's as the dependencies allow.

    Raises
    ------
    SpecError
        One problem per cycle, e.g. ``"path: formula cycle a -> b -> a; ..."``.

    Examples
    --------
    >>> formula_order({"a": ["b"], "b": [], "c": ["a", "x"]}, path="tables.t")
    ['b', 'a', 'c']
    """
    order: list[str] = []
    done: set[str] = set()
    cycles: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for root in formulas:
        if root in done:
            continue
        stack = [(root, iter([d for d in formulas[root] if d in formulas]))]
        on_stack = {root}
        while stack:
            node, deps = stack[-1]
            dep = next(deps, None)
            if dep is None:
                stack.pop()
                on_stack.discard(node)
                done.add(node)
                order.append(node)
            elif dep in on_stack:
                trail = [name for name, _ in stack]
                cycle = trail[trail.index(dep) :]
                start = cycle.index(min(cycle))
                key = tuple(cycle[start:] + cycle[:start])
                if key not in seen:
                    seen.add(key)
                    cycles.append([*cycle, dep])
            elif dep not in done:
                stack.append((dep, iter([d for d in formulas[dep] if d in formulas])))
                on_stack.add(dep)
    if cycles:
        raise SpecError(
            [
                f"{path}: formula cycle {' -> '.join(cycle)}; a column cannot depend on itself "
                "through formulas, so remove one of these references"
                for cycle in cycles
            ]
        )
    return order
