"""The safe formula grammar: Python ``ast`` nodes, whitelisted, built straight into SymPy objects.

User text is only ever given to :func:`ast.parse`; nothing is run. Each node type has a builder
below, and any other node is refused naming its token. Numbers are folded in float64 (the same
arithmetic the compiled formula does at run time), so SymPy never sees constant expressions it
could spend unbounded time on (``floor(exp(exp(100)))``, ``10**10**10``); exponents that could
blow up exact SymPy arithmetic are refused. :mod:`synthcraft.spec._formula` wraps the result.
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, NamedTuple, NoReturn

import numpy as np
import sympy
from sympy.logic.boolalg import BooleanAtom

from synthcraft.errors import SpecError
from synthcraft.spec._formula import (
    CONSTANTS,
    FUNCTIONS,
    NOISE,
    RULE_TEXT,
    UNARY,
    Indicator,
    NoiseTerm,
    Scalar,
    check_rule,
)

__all__ = ["MAX_DEPTH", "Built", "FloorDiv", "Maximum", "Minimum", "RoundHalfEven", "build"]

MAX_DEPTH = 50
"""Deepest nesting accepted (a flat chain like ``a + b + c + ...`` counts as one level)."""

_MAX_FLOAT = float(np.finfo(np.float64).max)
_MAX_POW_BITS = 100_000  # exact SymPy powers may grow numbers to about this many bits
_ALLOWED = "formulas may use columns, numbers, operators and the functions listed in the spec docs"


class _Call(sympy.Function):  # type: ignore[misc]
    """Base of the formulas' own functions, shown as ``name(args)``; see ``_Printer`` for numpy."""

    shown = ""

    def _sympystr(self, printer: Any) -> str:
        return f"{self.shown}({', '.join(printer._print(arg) for arg in self.args)})"

    def _latex(self, printer: Any) -> str:
        inner = ", ".join(printer._print(arg) for arg in self.args)
        return rf"\operatorname{{{self.shown}}}\left({inner}\right)"


class FloorDiv(_Call):
    """``a // b`` as numpy's ``floor_divide`` (Python semantics); derivative 0."""

    nargs, shown = 2, "floordiv"

    def fdiff(self, argindex: int = 1) -> Any:
        return sympy.S.Zero


class RoundHalfEven(_Call):
    """``round(x)`` / ``round(x, digits)`` as numpy's ``round`` (halves to even); derivative 0."""

    nargs, shown = (1, 2), "round"

    def fdiff(self, argindex: int = 1) -> Any:
        return sympy.S.Zero


class Minimum(_Call):
    """``min(a, b)`` as numpy's ``minimum``; kept binary so that long ``min`` calls stay cheap."""

    nargs, shown = 2, "min"

    def fdiff(self, argindex: int = 1) -> Any:
        a, b = self.args
        return sympy.Heaviside(b - a if argindex == 1 else a - b, evaluate=False)


class Maximum(_Call):
    """``max(a, b)`` as numpy's ``maximum``; kept binary like :class:`Minimum`."""

    nargs, shown = 2, "max"

    def fdiff(self, argindex: int = 1) -> Any:
        a, b = self.args
        return sympy.Heaviside(a - b if argindex == 1 else b - a, evaluate=False)


_BINARY: dict[type[ast.operator], tuple[Callable[[Any, Any], Any], Any, Any]] = {
    # (exact for two integers, float64 for other numbers, SymPy for expressions)
    ast.Add: (operator.add, np.add, operator.add),
    ast.Sub: (operator.sub, np.subtract, operator.sub),
    ast.Mult: (operator.mul, np.multiply, operator.mul),
    ast.Div: (operator.truediv, np.divide, operator.truediv),
    ast.Pow: (operator.pow, np.power, sympy.Pow),
    ast.Mod: (operator.mod, np.mod, sympy.Mod),
    ast.FloorDiv: (operator.floordiv, np.floor_divide, FloorDiv),
}
_COMPARE: dict[type[ast.cmpop], Any] = {
    ast.Lt: sympy.StrictLessThan,
    ast.LtE: sympy.LessThan,
    ast.Gt: sympy.StrictGreaterThan,
    ast.GtE: sympy.GreaterThan,
    ast.Eq: sympy.Eq,
    ast.NotEq: sympy.Ne,
}


class _V(NamedTuple):
    """A built value: a SymPy object and whether it is true/false (else a number)."""

    expr: Any
    boolean: bool


@dataclass
class Built:
    """What :func:`build` returns: the expression and the parts evaluation needs."""

    expr: Any
    is_boolean: bool
    inputs: list[str]
    numeric: dict[str, Any]
    indicators: list[Indicator]
    noise: list[NoiseTerm]


def _is_number(expr: Any) -> bool:
    return bool(getattr(expr, "is_Number", False))


class _Builder:
    """Walks one parsed formula; see :func:`build`."""

    def __init__(self, text: str, path: str, columns: Collection[str] | None) -> None:
        self.text = text
        self.path = path
        self.columns = None if columns is None else frozenset(columns)
        self.inputs: list[str] = []
        self.numeric: dict[str, Any] = {}
        self.indicators: dict[tuple[str, tuple[Scalar, ...]], Indicator] = {}
        self.noise: list[NoiseTerm] = []

    # -- messages --------------------------------------------------------------------------
    def fail(self, message: str) -> NoReturn:
        raise SpecError([f"{self.path}: {message}"])

    def token(self, node: ast.AST) -> str:
        segment = ast.get_source_segment(self.text, node) or type(node).__name__
        segment = " ".join(segment.split())
        return segment if len(segment) <= 40 else segment[:37] + "..."

    def refuse(self, node: ast.AST, what: str | None = None) -> NoReturn:
        self.fail(f"'{what or self.token(node)}' is not allowed; {_ALLOWED}")

    # -- numbers ---------------------------------------------------------------------------
    def wrap(self, value: Any, node: ast.AST) -> Any:
        """A folded Python/numpy result as a SymPy number, refusing what float64 cannot hold."""
        if isinstance(value, bool | np.bool_):
            return sympy.true if value else sympy.false
        if isinstance(value, int) and abs(value) <= _MAX_FLOAT:
            return sympy.Integer(value)
        if isinstance(value, float | np.floating) and math.isfinite(value):
            return sympy.Float(float(value))
        if isinstance(value, complex):
            self.fail(f"'{self.token(node)}' is not a real number; check the numbers")
        self.fail(f"'{self.token(node)}' is too large for a number (over 1.8e308)")

    def fold(self, node: ast.AST, ints: Callable[[], Any] | None, floats: Callable[[], Any]) -> Any:
        """Compute a constant: exactly with ``ints`` when given, else in float64 (``floats``)."""
        try:
            with np.errstate(all="raise", under="ignore"):
                return self.wrap(ints() if ints is not None else floats(), node)
        except ZeroDivisionError:
            self.fail(f"'{self.token(node)}' divides by zero")
        except (FloatingPointError, OverflowError, ValueError) as exc:
            if "divide" in str(exc):
                self.fail(f"'{self.token(node)}' divides by zero or is infinite")
            if "invalid" in str(exc) or "domain" in str(exc):
                self.fail(f"'{self.token(node)}' is not a real number; check the numbers")
            self.fail(f"'{self.token(node)}' is too large for a number (over 1.8e308)")

    def num(self, value: _V) -> Any:
        """The value as a number: true/false become 1/0."""
        if not value.boolean:
            return value.expr
        if isinstance(value.expr, BooleanAtom):
            return sympy.Integer(1 if value.expr == sympy.true else 0)
        return sympy.Piecewise((1, value.expr), (0, True))

    def cond(self, value: _V) -> Any:
        """The value as true/false: numbers are true when not 0 (as in Python)."""
        if value.boolean:
            return value.expr
        if _is_number(value.expr):
            return sympy.true if value.expr != 0 else sympy.false
        return sympy.Ne(value.expr, 0)

    # -- walking ---------------------------------------------------------------------------
    def visit(self, node: ast.AST, depth: int) -> _V:
        if depth > MAX_DEPTH:
            self.fail(f"formula is nested more than {MAX_DEPTH} levels deep; split it into columns")
        handler = _HANDLERS.get(type(node))
        if handler is None:
            self.refuse(node)
        result: _V = handler(self, node, depth)
        return result

    def constant(self, node: ast.Constant, depth: int) -> _V:
        value = node.value
        if isinstance(value, bool):
            return _V(sympy.true if value else sympy.false, True)
        if isinstance(value, int | float):
            return _V(self.wrap(value, node), False)
        if isinstance(value, str):
            self.fail(
                f"text {self.token(node)} is only allowed after ==, != or in following a column, "
                f"e.g. segment == {self.token(node)}"
            )
        self.refuse(node)

    def column_name(self, node: ast.AST) -> str | None:
        """The column a Name or ``table.column`` Attribute refers to (None for pi/e)."""
        if isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id.startswith("__") or node.attr.startswith("__"):
                self.refuse(node)
            name = f"{node.value.id}.{node.attr}"
        else:
            self.refuse(node)
        if name.startswith("__"):
            self.refuse(node)
        if self.columns is not None and name in self.columns:
            return name
        if name in CONSTANTS:
            return None
        if name in FUNCTIONS or name in NOISE:
            self.fail(f"'{name}' is a function; call it like {name}(...)")
        if self.columns is not None:
            close = difflib.get_close_matches(name, sorted(self.columns), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "declare it or fix the name"
            self.fail(f"unknown column '{name}'; {hint}")
        return name

    def register(self, name: str) -> None:
        if name not in self.inputs:
            self.inputs.append(name)

    def name(self, node: ast.Name | ast.Attribute, depth: int) -> _V:
        name = self.column_name(node)
        if name is None:
            assert isinstance(node, ast.Name)
            return _V(sympy.Float(CONSTANTS[node.id]), False)
        self.register(name)
        if name not in self.numeric:
            table, dot, column = name.partition(".")
            label = f"p{len(table)}_{table}_{column}" if dot else f"c_{name}"
            self.numeric[name] = sympy.Symbol(label, real=True)
        return _V(self.numeric[name], False)

    def unary(self, node: ast.UnaryOp, depth: int) -> _V:
        operand = self.visit(node.operand, depth + 1)
        if isinstance(node.op, ast.Not):
            return _V(sympy.Not(self.cond(operand)), True)
        if isinstance(node.op, ast.Invert):
            self.refuse(node)
        value = self.num(operand)
        return _V(value if isinstance(node.op, ast.UAdd) else -value, False)

    def binop(self, node: ast.BinOp, depth: int) -> _V:
        # Walk the left spine iteratively so that flat chains (a + b + c + ...) stay shallow.
        spine: list[ast.BinOp] = []
        left: ast.expr = node
        while isinstance(left, ast.BinOp):
            spine.append(left)
            left = left.left
        acc = self.num(self.visit(left, depth + 1))
        run: list[Any] = []  # pending terms of a run of + and -
        for step in reversed(spine):
            if type(step.op) not in _BINARY:
                self.refuse(step)
            right = self.num(self.visit(step.right, depth + 1))
            if isinstance(step.op, ast.Add | ast.Sub) and not (
                _is_number(acc) and _is_number(right)
            ):
                run = run or [acc]
                run.append(right if isinstance(step.op, ast.Add) else -right)
                acc = None
                continue
            if run:
                acc, run = sympy.Add(*run), []
            acc = self.arith(step, acc, right)
        if run:
            acc = sympy.Add(*run)
        return _V(acc, False)

    def arith(self, node: ast.BinOp, a: Any, b: Any) -> Any:
        exact, fp, symbolic = _BINARY[type(node.op)]
        if _is_number(a) and _is_number(b):
            ints = None
            if a.is_Integer and b.is_Integer and not isinstance(node.op, ast.Div):
                ia, ib = int(a), int(b)
                if isinstance(node.op, ast.Pow) and ib < 0:
                    ints = None
                elif (
                    isinstance(node.op, ast.Pow) and abs(ia) > 1 and ib * math.log2(abs(ia)) > 1030
                ):
                    self.fail(f"'{self.token(node)}' is too large for a number (over 1.8e308)")
                else:
                    ints = lambda: exact(ia, ib)  # noqa: E731
            return self.fold(node, ints, lambda: fp(np.float64(a), np.float64(b)))
        if isinstance(node.op, ast.Div | ast.Mod | ast.FloorDiv) and _is_number(b) and b == 0:
            self.fail(f"'{self.token(node)}' divides by zero")
        if isinstance(node.op, ast.Pow):
            self.check_power(node, a, b)
        return symbolic(a, b)

    def check_power(self, node: ast.AST, base: Any, exponent: Any) -> None:
        """Refuse powers whose exact SymPy expansion could make enormous numbers."""
        if not _is_number(exponent):
            return
        scale = abs(float(exponent))
        for atom in base.atoms(sympy.Rational):
            size = max(abs(int(atom.p)), abs(int(atom.q))).bit_length()
            if size > 1 and size * scale > _MAX_POW_BITS:
                self.fail(f"'{self.token(node)}' has too large an exponent; simplify the formula")

    def boolop(self, node: ast.BoolOp, depth: int) -> _V:
        parts = [self.cond(self.visit(value, depth + 1)) for value in node.values]
        combine = sympy.And if isinstance(node.op, ast.And) else sympy.Or
        return _V(combine(*parts), True)

    def compare(self, node: ast.Compare, depth: int) -> _V:
        operands = [node.left, *node.comparators]
        cache: dict[int, Any] = {}

        def value(i: int) -> Any:
            if i not in cache:
                cache[i] = self.num(self.visit(operands[i], depth + 1))
            return cache[i]

        parts = []
        for i, op in enumerate(node.ops):
            left, right = operands[i], operands[i + 1]
            if isinstance(op, ast.In | ast.NotIn):
                parts.append(self.membership(left, right, node, isinstance(op, ast.NotIn)))
            elif isinstance(left, ast.Constant) and isinstance(left.value, str):
                self.fail(f"put the column first: write column == {self.token(left)}")
            elif isinstance(right, ast.Constant) and isinstance(right.value, str):
                if not isinstance(op, ast.Eq | ast.NotEq):
                    self.fail(f"'{self.token(node)}': text can only be compared with == or !=")
                parts.append(self.indicator(left, (right.value,), isinstance(op, ast.NotEq)))
            elif type(op) not in _COMPARE:
                self.fail(f"'{self.token(node)}' is not allowed; use ==, !=, <, <=, > or >=")
            else:
                parts.append(_COMPARE[type(op)](value(i), value(i + 1)))
        return _V(sympy.And(*parts), True)

    def membership(self, left: ast.AST, right: ast.AST, node: ast.AST, negate: bool) -> Any:
        if not isinstance(right, ast.Tuple | ast.List) or not right.elts:
            self.fail(f"'{self.token(node)}': after 'in' give a list of values like ('a', 'b')")
        values: list[Scalar] = []
        for elt in right.elts:
            item = elt
            sign = 1
            if isinstance(elt, ast.UnaryOp) and isinstance(elt.op, ast.USub):
                item, sign = elt.operand, -1
            if not isinstance(item, ast.Constant) or not isinstance(item.value, str | int | float):
                self.fail(f"'{self.token(elt)}' in '{self.token(node)}' must be a number or text")
            constant: Scalar = item.value
            if sign < 0:
                if isinstance(constant, str | bool):
                    self.refuse(elt)
                constant = -constant
            values.append(constant)
        return self.indicator(left, tuple(values), negate)

    def indicator(self, left: ast.AST, values: tuple[Scalar, ...], negate: bool) -> Any:
        if not isinstance(left, ast.Name | ast.Attribute):
            self.fail(f"'{self.token(left)}' must be a column to compare it with text or a list")
        name = self.column_name(left)
        if name is None:
            self.fail(f"'{self.token(left)}' is a constant, not a column")
        self.register(name)
        key = (name, values)
        if key not in self.indicators:
            symbol = sympy.Symbol(f"_ind_{len(self.indicators)}")
            self.indicators[key] = Indicator(symbol, name, values)
        symbol = self.indicators[key].symbol
        return sympy.Not(symbol) if negate else symbol

    def ifexp(self, node: ast.IfExp, depth: int) -> _V:
        body = self.visit(node.body, depth + 1)
        test = self.cond(self.visit(node.test, depth + 1))
        orelse = self.visit(node.orelse, depth + 1)
        return self.choose(test, body, orelse)

    def choose(self, test: Any, body: _V, orelse: _V) -> _V:
        if isinstance(test, BooleanAtom):
            return body if test == sympy.true else orelse
        if body.boolean and orelse.boolean:
            expr = sympy.Or(sympy.And(test, body.expr), sympy.And(sympy.Not(test), orelse.expr))
            return _V(expr, True)
        return _V(sympy.Piecewise((self.num(body), test), (self.num(orelse), True)), False)

    def call(self, node: ast.Call, depth: int) -> _V:
        if not isinstance(node.func, ast.Name):
            self.refuse(node.func, self.token(node.func) + "(...)")
        name = node.func.id
        if name.startswith("__"):
            self.refuse(node.func)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                self.refuse(arg)
        if name in NOISE:
            return self.noise_call(node, name, depth)
        if name not in FUNCTIONS:
            close = difflib.get_close_matches(name, [*FUNCTIONS, *NOISE], n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            self.fail(f"'{name}' is not a known function; {hint}{_ALLOWED}")
        if node.keywords:
            self.fail(f"'{self.token(node)}': {name} takes no keyword arguments")
        low, high = FUNCTIONS[name]
        count = len(node.args)
        if count < low or (high is not None and count > high):
            more = "" if high == low else " or more" if high is None else f" or {high}"
            want, plural = f"{low}{more}", "" if low == high == 1 else "s"
            self.fail(f"'{self.token(node)}': {name} takes {want} argument{plural}, got {count}")
        if name == "round":
            return self.round_call(node, depth)
        args = [self.visit(arg, depth + 1) for arg in node.args]
        if name == "where":
            return self.choose(self.cond(args[0]), args[1], args[2])
        values = [self.num(arg) for arg in args]
        if name in UNARY:
            fp, sym = UNARY[name]
            if _is_number(values[0]):
                result = self.fold(node, None, lambda: fp(np.float64(values[0])))
                if name in ("floor", "ceil") and abs(float(result)) < 2**62:
                    result = sympy.Integer(int(result))
                return _V(result, False)
            return _V(sym(values[0]), False)
        if name == "clip":
            values = [self.extreme(max, [values[0], values[1]]), values[2]]
            return _V(self.extreme(min, values), False)
        return _V(self.extreme(min if name == "min" else max, values), False)

    def extreme(self, pick: Callable[..., Any], values: list[Any]) -> Any:
        """min/max as a balanced tree of binary calls (numbers fold in Python)."""
        if len(values) == 1 or all(_is_number(v) for v in values):
            return pick(values, key=float) if len(values) > 1 else values[0]
        if len(values) > 2:
            half = len(values) // 2
            values = [self.extreme(pick, values[:half]), self.extreme(pick, values[half:])]
        return (Minimum if pick is min else Maximum)(*values)

    def round_call(self, node: ast.Call, depth: int) -> _V:
        value = self.num(self.visit(node.args[0], depth + 1))
        digits = 0
        if len(node.args) == 2:
            folded = self.visit(node.args[1], depth + 1).expr
            if not (getattr(folded, "is_Integer", False) and abs(int(folded)) <= 300):
                self.fail(f"'{self.token(node)}': round's digits must be a whole number like 2")
            digits = int(folded)
        if _is_number(value):
            result = self.fold(node, None, lambda: np.round(np.float64(value), digits))
            if digits <= 0 and abs(float(result)) < 2**62:
                result = sympy.Integer(int(result))
            return _V(result, False)
        if digits == 0:
            return _V(RoundHalfEven(value), False)
        return _V(RoundHalfEven(value, sympy.Integer(digits)), False)

    def noise_call(self, node: ast.Call, name: str, depth: int) -> _V:
        family = NOISE[name]
        params = family.params
        signature = f"{name}({', '.join(params)})"
        if len(node.args) > len(params):
            self.fail(f"'{self.token(node)}': {signature} takes at most {len(params)} arguments")
        given: dict[str, ast.expr] = dict(zip(params, node.args, strict=False))
        for keyword in node.keywords:
            if keyword.arg is None or keyword.arg not in params:
                what = "**" if keyword.arg is None else f"{keyword.arg}="
                self.fail(f"'{what}' is not a parameter of {signature}")
            if keyword.arg in given:
                self.fail(f"'{self.token(node)}': {name} got {keyword.arg} twice")
            given[keyword.arg] = keyword.value
        before = len(self.noise)
        args = []
        for param, default, rule in zip(params, family.defaults, family.rules, strict=True):
            if param not in given:
                if default is None:
                    self.fail(f"'{self.token(node)}': {signature} needs {param}")
                args.append(sympy.Integer(default))
                continue
            value = self.num(self.visit(given[param], depth + 1))
            if len(self.noise) > before:
                self.fail(f"'{self.token(node)}': noise arguments cannot contain other noise")
            if _is_number(value) and not check_rule(rule, float(value)).all():
                self.fail(f"'{self.token(node)}': {name} {param} {RULE_TEXT[rule]}, got {value}")
            args.append(value)
        symbol = sympy.Symbol(f"_noise_{len(self.noise)}", real=True)
        self.noise.append(NoiseTerm(symbol, name, tuple(args)))
        return _V(symbol, False)


_HANDLERS: dict[type[ast.AST], Callable[[_Builder, Any, int], _V]] = {
    ast.Constant: _Builder.constant,
    ast.Name: _Builder.name,
    ast.Attribute: _Builder.name,
    ast.UnaryOp: _Builder.unary,
    ast.BinOp: _Builder.binop,
    ast.BoolOp: _Builder.boolop,
    ast.Compare: _Builder.compare,
    ast.IfExp: _Builder.ifexp,
    ast.Call: _Builder.call,
}


def build(
    tree: ast.Expression, source: str, *, path: str, columns: Collection[str] | None
) -> Built:
    """Build the SymPy expression of a formula parsed by :func:`ast.parse` from ``source``.

    Raises
    ------
    SpecError
        For a refused token, an unknown column or function, a wrong argument count, noise
        arguments that are not noise-free, or constants out of range.
    """
    builder = _Builder(source, path, columns)
    try:
        value = builder.visit(tree.body, 1)
    except SpecError:
        raise
    except (TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        builder.fail(f"formula cannot be built ({type(exc).__name__}: {exc}); simplify it")
    return Built(
        expr=value.expr,
        is_boolean=value.boolean,
        inputs=builder.inputs,
        numeric=builder.numeric,
        indicators=list(builder.indicators.values()),
        noise=builder.noise,
    )
