"""Column drawers of spec generation: values, dtypes, bounds, rounding, streams."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from scipy import stats

from synthcraft import pii
from synthcraft.errors import SpecError, UserInputError
from synthcraft.spec._columns import (
    CHUNK,
    BlockState,
    ByDrawer,
    FormulaDrawer,
    IdDrawer,
    PiiDrawer,
    UuidDrawer,
    coerce,
    format_ints,
    formula_input,
    parse_id_format,
    scatter,
)
from synthcraft.spec._copula import (
    _RVS,
    BooleanDrawer,
    CategoricalDrawer,
    ConstantDrawer,
    DistributionDrawer,
)
from synthcraft.spec._model import (
    BooleanGen,
    ByGen,
    CategoricalGen,
    ConstantGen,
    Distribution,
    DistributionGen,
    FormulaGen,
    IdGen,
    PiiGen,
)

P_MIN = 1e-6


def _state(seed: int, n: int, start: int = 0, **values: Any) -> BlockState:
    return BlockState(np.random.SeedSequence(seed), n, start, values=dict(values))


def _normal(**kw: Any) -> DistributionGen:
    return DistributionGen(Distribution("norm", {"loc": 40.0, "scale": 12.0}), **kw)


def test_distribution_matches_its_family(seed: int) -> None:
    gen = DistributionGen(Distribution("gamma", {"a": 2.0, "scale": 30.0}))
    x = DistributionDrawer(gen, "float", path="c").draw(_state(seed, 20_000), (1,), None, None)
    assert x.dtype == np.float64
    assert stats.kstest(x, stats.gamma(2, scale=30).cdf).pvalue > P_MIN


def test_truncated_integer_distribution_is_whole_and_in_bounds(seed: int) -> None:
    drawer = DistributionDrawer(_normal(low=18.5, high=90.0), "integer", path="c")
    x = drawer.draw(_state(seed, 20_000), (1,), None, None)
    assert np.all(x == np.rint(x))
    assert x.min() >= 19
    assert x.max() <= 90


def test_decimals_round_float_values(seed: int) -> None:
    x = DistributionDrawer(_normal(decimals=1), "float", path="c").draw(
        _state(seed, 1_000), (1,), None, None
    )
    np.testing.assert_allclose(x, np.round(x, 1))


def test_discrete_family_frequencies(seed: int) -> None:
    gen = DistributionGen(Distribution("poisson", {"mu": 3.0}, discrete=True))
    x = DistributionDrawer(gen, "integer", path="c").draw(_state(seed, 30_000), (1,), None, None)
    ks = np.arange(0, 9)
    expected = stats.poisson(3).pmf(ks)
    counts = np.array([(x == k).sum() for k in ks])
    rest = len(x) - counts.sum()
    observed = np.append(counts, rest)
    probs = np.append(expected, 1 - expected.sum())
    assert stats.chisquare(observed, probs * len(x)).pvalue > P_MIN


@pytest.mark.parametrize("family", sorted(_RVS))
def test_rvs_families_are_prefix_stable(family: str) -> None:
    dist = getattr(stats, family)
    shapes = {
        "beta": (2, 3), "binom": (10, 0.3), "nbinom": (5, 0.5), "geom": (0.3,), "randint": (0, 9),
        "bernoulli": (0.3,), "hypergeom": (20, 7, 12), "zipf": (2,), "logser": (0.5,),
        "poisson": (3,), "triang": (0.3,), "loguniform": (1, 10), "genextreme": (0.1,),
        "f": (3, 5), "erlang": (2,), "invgauss": (0.5,), "invgamma": (3,), "chi": (3,),
        "chi2": (3,), "gamma": (2,), "lognorm": (0.5,), "t": (4,), "weibull_min": (1.5,),
        "weibull_max": (1.5,), "pareto": (2,), "lomax": (2,),
    }.get(family, ())  # fmt: skip
    frozen = dist(*shapes)
    long = frozen.rvs(size=500, random_state=np.random.default_rng(3))
    short = frozen.rvs(size=137, random_state=np.random.default_rng(3))
    np.testing.assert_array_equal(long[:137], short)


def test_categorical_frequencies_and_types(seed: int) -> None:
    gen = CategoricalGen(("retail", "business", "public"), (0.6, 0.3, 0.1))
    values = CategoricalDrawer(gen, "categorical").draw(_state(seed, 30_000), (1,), None, None)
    assert isinstance(values, pa.Array)
    assert values.type == pa.large_string()
    counts = [values.to_pylist().count(v) for v in gen.values]
    assert stats.chisquare(counts, np.array(gen.weights) * 30_000).pvalue > P_MIN
    numbers = CategoricalDrawer(CategoricalGen((1, 5), (1.0, 1.0)), "integer")
    drawn = numbers.draw(_state(seed, 100), (1,), None, None)
    assert set(np.unique(drawn)) == {1.0, 5.0}


def test_categorical_to_uniform_maps_back(seed: int) -> None:
    drawer = CategoricalDrawer(CategoricalGen(("a", "b", "c"), (1.0, 2.0, 1.0)), "categorical")
    rng = np.random.default_rng(seed)
    values = drawer.draw(_state(seed, 500), (1,), None, None)
    again = drawer.draw(_state(seed, 500), (1,), None, drawer.to_uniform(values, rng))
    assert again.equals(values)


def test_boolean_rate(seed: int) -> None:
    values = BooleanDrawer(BooleanGen(0.1)).draw(_state(seed, 40_000), (1,), None, None)
    assert values.dtype == np.bool_
    assert values.mean() == pytest.approx(0.1, abs=0.01)


def test_constant_values() -> None:
    state = _state(0, 3)
    assert (
        ConstantDrawer(ConstantGen("DE"), "string").draw(state, (1,), None, None).to_pylist()
        == ["DE"] * 3
    )
    assert np.isnan(ConstantDrawer(ConstantGen(None), "float").draw(state, (1,), None, None)).all()
    assert ConstantDrawer(ConstantGen(True), "boolean").draw(state, (1,), None, None).all()


@pytest.mark.parametrize("fmt", ["INV-{n:06d}", "{n}", "#{n:5d}!", "{n:03}", "ü{n:d}{{x}}"])
def test_id_formats_match_python_formatting(fmt: str) -> None:
    prefix, suffix, width, zero = parse_id_format(fmt, "c")
    values = np.array([0, 7, -7, 42, 999, 1000, 123456, -123456, 10**12], dtype=np.int64)
    out = format_ints(values, prefix, suffix, width, zero).to_pylist()
    assert out == [fmt.format(n=int(v)) for v in values]


@pytest.mark.parametrize("fmt", ["INV", "{x}", "{n}{n}", "{n!r}", "{n:x}", "{n.real}", "{"])
def test_bad_id_formats_are_spec_errors(fmt: str) -> None:
    with pytest.raises(SpecError, match=r"^c\.format: "):
        parse_id_format(fmt, "c")


def test_ids_count_over_the_whole_sample() -> None:
    drawer = IdDrawer(IdGen(start=10, step=5, format="A{n:04d}"), "string", path="c")
    first = drawer.draw(_state(1, 3, start=0), (1,), None, None).to_pylist()
    later = drawer.draw(_state(2, 3, start=3), (1,), None, None).to_pylist()
    assert first + later == ["A0010", "A0015", "A0020", "A0025", "A0030", "A0035"]
    plain = IdDrawer(IdGen(), "integer", path="c").draw(_state(1, 3, start=5), (1,), None, None)
    assert plain.tolist() == [6, 7, 8]


def test_uuids_are_version_4_and_unique_across_blocks(seed: int) -> None:
    drawer = UuidDrawer("t", "token")
    root = np.random.SeedSequence(seed)
    blocks = [BlockState(child, 5_000, i * 5_000) for i, child in enumerate(root.spawn(3))]
    values = [v for b in blocks for v in drawer.draw(b, (1,), None, None).to_pylist()]
    pattern = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    assert all(pattern.match(v) for v in values)
    assert len(set(values)) == len(values)
    again = drawer.draw(BlockState(root.spawn(1)[0], 10, 0), (1,), None, None)
    assert again.to_pylist()[:10] != values[:10]  # a different block seed: different bits


def test_pii_values_are_valid_and_prefix_stable(seed: int) -> None:
    drawer = PiiDrawer(PiiGen("email"), unique=False, table="t", column="email")
    long = drawer.draw(_state(seed, CHUNK + 10), (1,), None, None)
    short = drawer.draw(_state(seed, 10), (1,), None, None)
    assert list(long[:10]) == list(short)
    assert pii.validate("email", long).all()


def test_unique_pii_is_unique_across_blocks(seed: int) -> None:
    drawer = PiiDrawer(PiiGen("email"), unique=True, table="t", column="email")
    root = np.random.SeedSequence(seed)
    parts = [
        drawer.draw(BlockState(c, 2_000, i * 2_000), (1,), None, None)
        for i, c in enumerate(root.spawn(3))
    ]
    values = np.concatenate(parts)
    assert len(set(values)) == len(values)


def test_pii_from_a_name_column(seed: int) -> None:
    names = np.array(["Ada Lovelace", "Alan Turing"] * 3, dtype=object)
    drawer = PiiDrawer(PiiGen("email", source="name"), unique=False, table="t", column="email")
    values = drawer.draw(_state(seed, 6, name=names), (1,), None, None)
    assert all(("ada" in v or "lovelace" in v) for v in values[::2])


def test_formula_values_noise_and_integer_rounding(seed: int) -> None:
    age = np.random.default_rng(seed).uniform(20, 60, 20_000)
    gen = FormulaGen("1200 + 45*age + normal(0, 300)")
    x = FormulaDrawer(gen, "float", path="c", column="income").draw(
        _state(seed, 20_000, age=age), (1,), None, None
    )
    assert np.std(x - (1200 + 45 * age)) == pytest.approx(300, rel=0.05)
    whole = FormulaDrawer(FormulaGen("age / 7"), "integer", path="c", column="w")
    y = whole.draw(_state(seed, 20_000, age=age), (1,), None, None)
    np.testing.assert_array_equal(y, np.rint(age / 7))


def test_formula_with_two_noise_terms_is_prefix_stable(seed: int) -> None:
    drawer = FormulaDrawer(
        FormulaGen("normal(0, 1) + 10 * uniform()"), "float", path="c", column="f"
    )
    long = drawer.draw(_state(seed, CHUNK + 100), (1,), None, None)
    short = drawer.draw(_state(seed, 50), (1,), None, None)
    np.testing.assert_array_equal(long[:50], short)


def test_formula_missing_input_is_an_actionable_error(seed: int) -> None:
    drawer = FormulaDrawer(FormulaGen("2 * customers.vip"), "float", path="c", column="total")
    with pytest.raises(UserInputError, match=r"'total' uses 'customers\.vip'"):
        drawer.draw(_state(seed, 5), (1,), None, None)


def test_by_draws_each_case_on_its_rows(seed: int) -> None:
    segment = np.array(["retail", "business", "other"] * 10_000, dtype=object)
    gen = ByGen(
        "segment",
        (
            ("retail", _normal()),
            ("business", DistributionGen(Distribution("norm", {"loc": 500.0, "scale": 1.0}))),
        ),
        ConstantGen(0),
    )
    cases = [DistributionDrawer(g, "float", path="c") for _, g in gen.cases]  # type: ignore[arg-type]
    drawer = ByDrawer(gen, cases, ConstantDrawer(ConstantGen(0), "float"), "float", column="spend")  # type: ignore[arg-type]
    x = drawer.draw(_state(seed, len(segment), segment=segment), (1,), None, None)
    assert x[segment == "retail"].mean() == pytest.approx(40, abs=0.8)
    assert x[segment == "business"].mean() == pytest.approx(500, abs=0.1)
    assert np.all(x[segment == "other"] == 0)


def test_working_array_helpers() -> None:
    assert coerce(np.array([True, False]), "boolean").tolist() == [1.0, 0.0]
    assert coerce(["a", None], "string").to_pylist() == ["a", None]
    assert coerce(np.array([1, 2]), "categorical").to_pylist() == ["1", "2"]
    days = formula_input(np.array(["1970-01-02", "NaT"], dtype="datetime64[us]"))
    assert days[0] == 1.0
    assert np.isnan(days[1])
    parts = [(np.array([2, 0]), pa.array(["c", "a"])), (np.array([3]), pa.array(["d"]))]
    assert scatter(parts, 4, "string").to_pylist() == ["a", None, "c", "d"]
    assert scatter([(np.array([1]), np.array([5.0]))], 2, "float")[1] == 5.0
