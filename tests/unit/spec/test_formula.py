"""Safe formulas: values against numpy, noise, missing inputs, refusals, cycles and truth."""

from __future__ import annotations

import json
import math
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from synthcraft.errors import SpecError
from synthcraft.spec._formula import Formula, formula_order, parse_formula

PATH = "tables.t.columns.c.formula"
X = np.array([-3.5, -1.0, 0.0, 0.25, 1.0, 2.0, 7.5])
Y = np.array([2.0, -0.5, 3.0, -4.0, 1.5, 0.75, -2.0])
N = len(X)


def run(formula: Formula | str, seed: int = 0, **columns: Any) -> np.ndarray:
    if isinstance(formula, str):
        formula = parse_formula(formula)
    given = columns or {"x": X, "y": Y}
    n = len(next(iter(given.values())))
    return formula.evaluate(given, np.random.default_rng(seed), n)


def sigmoid(v: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-v))


NUMERIC: list[tuple[str, Callable[[np.ndarray, np.ndarray], np.ndarray]]] = [
    ("1200 + 45*x", lambda x, y: 1200 + 45 * x),
    ("x*y - 3/y + 0.1 + 0.2", lambda x, y: x * y - 3 / y + 0.1 + 0.2),
    ("x**2 + y**3 - 2**-1*x", lambda x, y: x**2 + y**3 - 0.5 * x),
    ("x % 3 + y % -2", lambda x, y: np.mod(x, 3) + np.mod(y, -2)),
    ("x // 2 + 7 // 2 - y // 0.5", lambda x, y: np.floor_divide(x, 2) + 3 - y // 0.5),
    ("-x + +y - -1", lambda x, y: -x + y + 1),
    ("exp(x / 10) + log(abs(x) + 1) + log1p(abs(y))", lambda x, y: np.exp(x / 10)
     + np.log(np.abs(x) + 1) + np.log1p(np.abs(y))),
    ("sqrt(abs(y)) + sin(x) + cos(y) + tan(x / 10) + tanh(y)", lambda x, y: np.sqrt(np.abs(y))
     + np.sin(x) + np.cos(y) + np.tan(x / 10) + np.tanh(y)),
    ("sigmoid(0.3*x - y)", lambda x, y: sigmoid(0.3 * x - y)),
    ("floor(x) + ceil(y) + round(x) + round(y, 1)", lambda x, y: np.floor(x) + np.ceil(y)
     + np.round(x) + np.round(y, 1)),
    ("min(x, y, 1) + max(x, 0) + clip(x, -1, 1)", lambda x, y: np.minimum(np.minimum(x, y), 1)
     + np.maximum(x, 0) + np.clip(x, -1, 1)),
    ("pi*x + e*y + floor(2.7) + sqrt(16)", lambda x, y: np.pi * x + np.e * y + 2 + 4),
    ("x if y > 0 else -x", lambda x, y: np.where(y > 0, x, -x)),
    ("where(x > y, x, y) + where(x, 1, 2)", lambda x, y: np.maximum(x, y)
     + np.where(x != 0, 1, 2)),
    ("0.05 + 0.3*(x > 0) + True", lambda x, y: 1.05 + 0.3 * (x > 0)),
    ("1 if (x > 0 and y > 0) else 2", lambda x, y: np.where((x > 0) & (y > 0), 1, 2)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), NUMERIC, ids=[t for t, _ in NUMERIC])
def test_numeric_formulas_match_numpy(text: str, expected: Callable[..., np.ndarray]) -> None:
    formula = parse_formula(text, path=PATH, columns=["x", "y"])
    assert not formula.is_boolean
    got = run(formula)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected(X, Y), rtol=1e-12, atol=1e-12)


BOOLEAN: list[tuple[str, Callable[[np.ndarray, np.ndarray], np.ndarray]]] = [
    ("0 < x < 2", lambda x, y: (x > 0) & (x < 2)),
    ("x < y <= 2", lambda x, y: (x < y) & (y <= 2)),
    ("x >= 1 or not y > 0", lambda x, y: (x >= 1) | ~(y > 0)),
    ("x == 1 and y != 3", lambda x, y: (x == 1) & (y != 3)),
    ("(x > 0) == (y > 0)", lambda x, y: (x > 0) == (y > 0)),
    ("x > 0 if y > 0 else y < -1", lambda x, y: np.where(y > 0, x > 0, y < -1)),
    ("x in (1, 2, -3.5)", lambda x, y: np.isin(x, [1, 2, -3.5])),
]


@pytest.mark.parametrize(("text", "expected"), BOOLEAN, ids=[t for t, _ in BOOLEAN])
def test_boolean_formulas_match_numpy(text: str, expected: Callable[..., np.ndarray]) -> None:
    formula = parse_formula(text)
    assert formula.is_boolean
    got = run(formula)
    assert got.dtype == np.bool_
    np.testing.assert_array_equal(got, expected(X, Y))


def test_constant_formulas_fill_every_row() -> None:
    np.testing.assert_array_equal(run("2 * 3 + 1"), np.full(N, 7.0))
    np.testing.assert_array_equal(run("1 < 2"), np.ones(N, dtype=bool))
    np.testing.assert_array_equal(run("10**300 + 0*x"), np.full(N, 1e300))
    assert run("x + 1", x=np.zeros(0)).shape == (0,)


def test_huge_symbolic_exponents_evaluate_like_numpy() -> None:
    got = run("x**(10**30) + 2**100 * x", x=np.array([0.5, 1.0]))
    np.testing.assert_allclose(got, [2.0**99, 1.0 + 2.0**100])


@pytest.mark.parametrize(
    "segment",
    [
        np.array(["a", "b", "c", "a", None], dtype=object),
        pd.Series(["a", "b", "c", "a", None], dtype="str"),
        pd.Series(pd.Categorical(["a", "b", "c", "a", None])),
    ],
    ids=["object", "str", "categorical"],
)
def test_categorical_comparisons(segment: Any) -> None:
    n = 5
    values = np.arange(n, dtype=np.float64)
    columns = {"seg": segment, "v": values}
    rng = np.random.default_rng(0)

    def masked(text: str) -> tuple[np.ndarray, np.ndarray]:
        return parse_formula(text, columns=["seg", "v"]).evaluate_masked(columns, rng, n)

    flags, missing = masked("seg == 'a'")
    assert flags.tolist() == [True, False, False, True, False]
    assert missing.tolist() == [False, False, False, False, True]
    assert masked("seg != 'a'")[0].tolist() == [False, True, True, False, False]
    assert masked("seg in ('a', 'b')")[0].tolist() == [True, True, False, True, False]
    assert masked("seg not in ['a']")[0].tolist() == [False, True, True, False, False]
    numbers, missing = masked("v + 10*(seg == 'b') + where(seg in ('c',), 100, 0)")
    np.testing.assert_array_equal(numbers[:4], [0.0, 11.0, 102.0, 3.0])
    assert np.isnan(numbers[4])
    assert missing[4]
    formula = parse_formula("seg == 'a' and v > 0")
    assert formula.inputs == ("seg", "v")
    assert formula.is_boolean


def test_parent_columns_are_one_symbol() -> None:
    formula = parse_formula(
        "10 + 2*customers.vip + customers.vip", columns=["customers.vip", "age"]
    )
    assert formula.inputs == ("customers.vip",)
    vip = np.array([True, False, True])
    np.testing.assert_array_equal(run(formula, **{"customers.vip": vip}), [13.0, 10.0, 13.0])


def test_missing_inputs_give_missing_rows() -> None:
    x = np.array([1.0, np.nan, 3.0])
    y = pd.Series([1, None, None], dtype="Int64")
    numeric = parse_formula("x + 0*y + 1 if x > 0 else 5")
    values, missing = numeric.evaluate_masked({"x": x, "y": y}, np.random.default_rng(0), 3)
    assert missing.tolist() == [False, True, True]
    assert values[0] == 2.0
    assert np.isnan(values[1:]).all()
    boolean = parse_formula("x > 0 or y > 0")
    values, missing = boolean.evaluate_masked({"x": x, "y": y}, np.random.default_rng(0), 3)
    assert values.tolist() == [True, False, False]
    assert missing.tolist() == [False, True, True]
    assert np.isnan(run("sqrt(x)", x=np.array([-1.0, 4.0])))[0]


def test_inputs_are_not_modified_and_scalars_broadcast() -> None:
    x = np.array([1.0, 2.0])
    out = run("x", x=x)
    out[0] = 99.0
    assert x[0] == 1.0
    formula = parse_formula("x + k")
    np.testing.assert_array_equal(
        formula.evaluate({"x": x, "k": 3}, np.random.default_rng(0), 2), [4.0, 5.0]
    )


NOISE_MOMENTS = [
    ("normal(5, 2)", 5.0, 4.0),
    ("normal()", 0.0, 1.0),
    ("normal(sigma=2, mu=5)", 5.0, 4.0),
    ("uniform(2, 6)", 4.0, 16 / 12),
    ("uniform()", 0.5, 1 / 12),
    ("lognormal(0, 0.5)", math.exp(0.125), (math.exp(0.25) - 1) * math.exp(0.25)),
    ("exponential(3)", 3.0, 9.0),
    ("poisson(4)", 4.0, 4.0),
    ("bernoulli(0.3)", 0.3, 0.21),
    ("gamma(2, 3)", 6.0, 18.0),
    ("beta(2, 5)", 2 / 7, 10 / (49 * 8)),
    ("binomial(10, 0.4)", 4.0, 2.4),
    ("student_t(10)", 0.0, 10 / 8),
    ("laplace(1, 2)", 1.0, 8.0),
]


@pytest.mark.parametrize(
    ("text", "mean", "var"), NOISE_MOMENTS, ids=[t for t, _, _ in NOISE_MOMENTS]
)
def test_noise_has_the_declared_moments(text: str, mean: float, var: float, seed: int) -> None:
    n = 200_000
    draws = parse_formula(text).evaluate({}, np.random.default_rng(seed), n)
    # Mean within 6 standard errors, variance within 5% (> 6 standard errors for these
    # families at this n): failures are negligible for any seed.
    assert abs(draws.mean() - mean) < 6 * math.sqrt(var / n)
    assert abs(draws.var() - var) < 0.05 * var


def test_noise_draws_in_a_fixed_order(seed: int) -> None:
    n = 1000
    formula = parse_formula("x + normal(0, 1) + 0*uniform()")
    got = formula.evaluate({"x": np.zeros(n)}, np.random.default_rng(seed), n)
    np.testing.assert_array_equal(got, np.random.default_rng(seed).normal(0, 1, n))
    again = formula.evaluate({"x": np.zeros(n)}, np.random.default_rng(seed), n)
    other = formula.evaluate({"x": np.zeros(n)}, np.random.default_rng(seed + 1), n)
    np.testing.assert_array_equal(got, again)
    assert not np.array_equal(got, other)


def test_noise_arguments_may_use_columns(seed: int) -> None:
    x = np.array([1.0, 50.0, np.nan, 200.0])
    values, missing = parse_formula("normal(x, 0) + poisson(lam=x) * 0").evaluate_masked(
        {"x": x}, np.random.default_rng(seed), 4
    )
    assert values[[0, 1, 3]].tolist() == [1.0, 50.0, 200.0]
    assert missing.tolist() == [False, False, True, False]
    p = np.array([0.0, 1.0, 0.0, 1.0])
    assert run("bernoulli(p)", p=p).tolist() == [0.0, 1.0, 0.0, 1.0]
    with pytest.raises(SpecError, match="uniform cannot draw with these arguments"):
        run("uniform(-1e308, 1e308)")
    with pytest.raises(SpecError, match=r"^tables\.t\.columns\.c\.formula: normal sigma"):
        parse_formula("normal(0, x)", path=PATH).evaluate(
            {"x": np.array([1.0, -2.0])}, np.random.default_rng(seed), 2
        )


REFUSED = [
    ("__import__('os')", "'__import__' is not allowed"),
    ("os.system('ls')", "'os.system(...)' is not allowed"),
    ("().__class__", "'().__class__' is not allowed"),
    ("x.__class__", "'x.__class__' is not allowed"),
    ("open('x')", "'open' is not a known function"),
    ("eval('1')", "'eval' is not a known function"),
    ("[x for x in y]", "'[x for x in y]' is not allowed"),
    ("lambda: 1", "'lambda: 1' is not allowed"),
    ('f"{x}"', "'f\"{x}\"' is not allowed"),
    ("(x := 1)", "'x := 1' is not allowed"),
    ("x[0]", "'x[0]' is not allowed"),
    ("~x", "'~x' is not allowed"),
    ("x @ y", "'x @ y' is not allowed"),
    ("x is None", "'x is None' is not allowed"),
    ("None", "'None' is not allowed"),
    ("1j", "'1j' is not allowed"),
    ("a.b.c", "'a.b.c' is not allowed"),
    ("exp", "'exp' is a function"),
    ("'a'", "text 'a' is only allowed after"),
    ("'a' == seg", "put the column first"),
    ("seg < 'a'", "text can only be compared with == or !="),
    ("x in y", "after 'in' give a list of values"),
    ("(x + 1) == 'a'", "must be a column"),
    ("exp(1, 2)", "exp takes 1 argument, got 2"),
    ("min(x)", "min takes 2 or more arguments, got 1"),
    ("clip(x, 1)", "clip takes 3 arguments, got 2"),
    ("exp(x=1)", "exp takes no keyword arguments"),
    ("max(*x)", "'*x' is not allowed"),
    ("normal(0, 1, 2)", "takes at most 2 arguments"),
    ("normal(sd=1)", "'sd=' is not a parameter of normal(mu, sigma)"),
    ("normal(0, mu=1)", "normal got mu twice"),
    ("lognormal(1)", "lognormal(mu, sigma) needs sigma"),
    ("normal(uniform(), 1)", "noise arguments cannot contain other noise"),
    ("normal(0, -1)", "normal sigma must be >= 0, got -1"),
    ("bernoulli(1.5)", "bernoulli p must be in [0, 1]"),
    ("binomial(2.5, 0.5)", "binomial n must be a whole number"),
    ("round(x, y)", "round's digits must be a whole number"),
    ("10**400", "'10**400' is too large"),
    ("2**2**2**2**2", "too large"),
    ("1e999", "too large"),
    ("(2*x)**100000", "too large an exponent"),
    ("((2*x)**1000)**1000", "too large an exponent"),
    ("1/0", "'1/0' divides by zero"),
    ("x % 0", "divides by zero"),
    ("x / (x - x)", "divides by zero"),
    ("log(0)", "'log(0)' divides by zero"),
    ("sqrt(-1)", "'sqrt(-1)' is not a real number"),
    ("(-8)**0.5", "is not a real number"),
    ("1 +", "syntax error"),
    ("1 + * 2", "syntax error at character 5"),
    ("", "formula is empty"),
    ("-" * 60 + "x", "nested more than 50 levels"),
    ("x" + "+x" * 1100, "the limit is 2,000"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=[t[:40] for t, _ in REFUSED])
def test_refused_formulas_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_formula(text, path=PATH)
    assert len(info.value.problems) == 1
    problem = info.value.problems[0]
    assert problem.startswith(PATH + ": ")
    assert message in problem


def test_unknown_columns_suggest_a_name() -> None:
    columns = ["age", "income", "customers.vip"]
    with pytest.raises(SpecError, match="unknown column 'agee'; did you mean 'age'"):
        parse_formula("agee * 2", path=PATH, columns=columns)
    with pytest.raises(SpecError, match=r"unknown column 'customers\.vp'; did you mean"):
        parse_formula("customers.vp + 1", path=PATH, columns=columns)
    with pytest.raises(SpecError, match=r"unknown column 'os\.path'"):
        parse_formula("os.path", path=PATH, columns=columns)
    with pytest.raises(SpecError, match="'nrmal' is not a known function; did you mean 'normal'"):
        parse_formula("nrmal(0, 1)", path=PATH, columns=columns)


def test_columns_named_like_constants_win_when_listed() -> None:
    assert parse_formula("e + pi").inputs == ()
    listed = parse_formula("e + pi", columns=["e"])
    assert listed.inputs == ("e",)
    np.testing.assert_allclose(run(listed, e=np.array([1.0])), [1.0 + math.pi])


def test_text_wrapped_over_lines_and_long_flat_sums_parse() -> None:
    formula = parse_formula("1200\n  + 45*age\n")
    assert formula.inputs == ("age",)
    flat = parse_formula("+".join(["x"] * 300) + " - 100")
    np.testing.assert_allclose(run(flat, x=np.array([2.0])), [500.0])


def test_evaluation_errors_are_spec_errors() -> None:
    formula = parse_formula("x + 1", path=PATH)
    rng = np.random.default_rng(0)
    with pytest.raises(SpecError, match="column 'x' is needed by the formula"):
        formula.evaluate({}, rng, 2)
    with pytest.raises(SpecError, match=r"column 'x' holds text \(e\.g\. 'a'\)"):
        formula.evaluate({"x": np.array(["a", "b"], dtype=object)}, rng, 2)
    with pytest.raises(SpecError, match="expected \\(3,\\)"):
        formula.evaluate({"x": np.zeros(2)}, rng, 3)
    with pytest.raises(SpecError, match="number of rows"):
        formula.evaluate({"x": np.zeros(2)}, rng, -1)
    values = formula.evaluate({"x": np.array([1, None, 2.5], dtype=object)}, rng, 3)
    assert values[0] == 2.0
    assert np.isnan(values[1])
    assert values[2] == 3.5


def test_formula_order_and_cycles() -> None:
    assert formula_order({"a": ["b"], "b": [], "c": ["a", "x"]}, path="t") == ["b", "a", "c"]
    assert formula_order({"z": [], "y": ["z"]}, path="t") == ["z", "y"]
    with pytest.raises(SpecError) as info:
        formula_order({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["d"], "e": ["a"]}, path="t")
    assert info.value.problems == [
        "t: formula cycle a -> b -> c -> a; a column cannot depend on itself through formulas, "
        "so remove one of these references",
        "t: formula cycle d -> d; a column cannot depend on itself through formulas, "
        "so remove one of these references",
    ]


def test_truth_gives_derivatives_and_noise() -> None:
    truth = parse_formula("1200 + 45*age + normal(0, 300)").truth()
    assert truth["derivatives"] == {"age": "45"}
    assert truth["noise"] == {"_noise_0": "normal(0, 300)"}
    assert truth["inputs"] == ["age"]
    assert truth["boolean"] is False
    assert "age" in truth["expression"]
    assert "age" in truth["latex"]
    json.dumps(truth)
    scaled = parse_formula("x * lognormal(0, 0.5) + uniform(x, 3*x)").truth()["derivatives"]
    assert float(scaled["x"]) == pytest.approx(math.exp(0.125) + 2.0)


def test_truth_of_piecewise_functions() -> None:
    truth = parse_formula("max(x, 0) + min(x, 3) + x // 2 + my_col").truth()
    assert truth["derivatives"] == {
        "x": "Heaviside(x) + Heaviside(3 - x)",
        "my_col": "1",
    }
    assert r"\mathrm{my\_col}" in truth["latex"]
    cases = parse_formula("where(seg == 'a', 2*x, 3*x)").truth()
    assert cases["derivatives"] == {"x": "Piecewise((2, [seg == 'a']), (3, True))"}


def test_truth_of_a_boolean_formula_uses_its_score() -> None:
    truth = parse_formula("sigmoid(0.3*x1 - x2) > uniform()").truth()
    assert truth["boolean"] is True
    assert truth["score"] == "1/(exp(-0.3*x1 + x2) + 1)"
    assert truth["derivatives"] == {
        "x1": "0.3*exp(-0.3*x1 + x2)/(exp(-0.3*x1 + x2) + 1)**2",
        "x2": "-exp(-0.3*x1 + x2)/(exp(-0.3*x1 + x2) + 1)**2",
    }
    assert parse_formula("seg == 'a' and x > 1").truth()["score"] is None


def test_formulas_pickle_and_compare() -> None:
    formula = parse_formula("x + normal()")
    before = run(formula)
    copy = pickle.loads(pickle.dumps(formula))
    assert copy == formula
    np.testing.assert_array_equal(run(copy), before)


# -- property: random arithmetic agrees with Python floats -------------------------------------

Tree = Any
_leaves = st.one_of(
    st.sampled_from(["x", "y"]),
    st.integers(-20, 20),
    st.floats(-10, 10, allow_nan=False).map(lambda v: round(v, 3)),
)
_trees = st.recursive(
    _leaves,
    lambda kids: st.tuples(st.sampled_from(["+", "-", "*", "/"]), kids, kids),
    max_leaves=10,
)


def _text(tree: Tree) -> str:
    if isinstance(tree, tuple):
        return f"({_text(tree[1])} {tree[0]} {_text(tree[2])})"
    return str(tree)


def _python(tree: Tree, x: float, y: float) -> tuple[float, float]:
    """Python's value and a bound on the size of its rounding errors' sources."""
    if not isinstance(tree, tuple):
        value = {"x": x, "y": y}.get(tree, tree) if isinstance(tree, str) else tree
        return float(value), abs(float(value))
    op, (a, sa), (b, sb) = tree[0], _python(tree[1], x, y), _python(tree[2], x, y)
    if op == "+":
        return a + b, sa + sb
    if op == "-":
        return a - b, sa + sb
    if op == "*":
        return a * b, sa * sb
    assume(abs(b) > 1e-3 * sb and abs(b) > 1e-9)
    return a / b, sa / abs(b) + abs(a) * sb / b**2


@settings(max_examples=150, deadline=None)
@given(
    tree=_trees,
    x=st.floats(-100, 100, allow_nan=False),
    y=st.floats(-100, 100, allow_nan=False),
)
def test_random_arithmetic_matches_python(tree: Tree, x: float, y: float) -> None:
    want, scale = _python(tree, x, y)
    assume(math.isfinite(want) and scale < 1e200)
    got = run(_text(tree), x=np.array([x]), y=np.array([y]))
    # Evaluation order may differ (SymPy collects terms): allow rounding relative to the size
    # of the intermediate values, far above float64's 1e-16.
    assert abs(got[0] - want) <= 1e-9 * scale + 1e-12
