"""Generation controls of ``api.sample``: text conditions, rebalanced categories, temperature."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft import api
from synthcraft.errors import UnsupportedConditionError, UserInputError
from synthcraft.metadata import Metadata
from synthcraft.synthesizers import ArgnSynthesizer, IndependentSynthesizer, Tags

FIT_SEED = 31337  # module-scoped fixtures cannot use the function-scoped ``seed`` fixture
N_BIG = 4_000


def frame(n_rows: int = 300, seed: int = FIT_SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n_rows)
    return pd.DataFrame(
        {
            "age": age,
            "score": np.round(rng.normal(0, 1, n_rows), 3),
            "k": rng.choice(["a", "b", "c:d"], n_rows, p=[0.6, 0.3, 0.1]),
            "member": rng.random(n_rows) < 0.3,
            "income": np.where(age + rng.normal(0, 10, n_rows) > 60, ">50K", "<=50K"),
            "joined": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 900, n_rows), "D"),
        }
    )


@pytest.fixture(scope="module")
def model() -> ArgnSynthesizer:
    return ArgnSynthesizer(max_epochs=2, hidden=16, seed=FIT_SEED).fit(frame())


@pytest.fixture(scope="module")
def md(model: ArgnSynthesizer) -> Metadata:
    return model.metadata_


@pytest.fixture(scope="module")
def balanced(model: ArgnSynthesizer) -> pd.DataFrame:
    out = api.sample(model, N_BIG, seed=FIT_SEED, rebalance={"income": {">50K": 0.5}})
    assert isinstance(out, pd.DataFrame)
    return out


# -- parsers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("age=40", ("age", 40)),
        ("age=4e1", ("age", 40)),
        ("score=-0.25", ("score", -0.25)),
        ("member=true", ("member", True)),
        ("member=No", ("member", False)),
        ("member=1", ("member", True)),
        ("k=c:d", ("k", "c:d")),
        ("income=<=50K", ("income", "<=50K")),
        ("income=>50K", ("income", ">50K")),
        ("joined=2021-03-04", ("joined", pd.Timestamp("2021-03-04"))),
    ],
)
def test_parse_condition_coerces_to_the_column_kind(
    md: Metadata, text: str, expected: tuple[str, object]
) -> None:
    name, value = api.parse_condition(text, md)
    assert (name, value) == expected
    assert type(value) is type(expected[1])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("age", "COL=VALUE"),
        ("=3", "COL=VALUE"),
        ("height=3", "the columns are: age, score, k"),
        ("age=4.5", "whole number"),
        ("age=old", "whole number"),
        ("score=nan", "must be a number"),
        ("member=maybe", "true or false"),
        ("joined=someday", "date or time"),
        ("k=z", "use one of: a, b, c:d"),
    ],
)
def test_parse_condition_errors(md: Metadata, text: str, match: str) -> None:
    with pytest.raises(UserInputError, match=match):
        api.parse_condition(text, md)


def test_parse_rebalance_splits_column_first_and_share_last(md: Metadata) -> None:
    assert api.parse_rebalance("income=>50K:0.5", md) == ("income", ">50K", 0.5)
    assert api.parse_rebalance("k=c:d:0.25", md) == ("k", "c:d", 0.25)
    assert api.parse_rebalance("member=yes:1", md) == ("member", True, 1.0)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("income=>50K", "no share"),
        ("income=>50K:0", r"in \(0, 1\]"),
        ("income=>50K:1.5", r"in \(0, 1\]"),
        ("income=>50K:half", r"in \(0, 1\]"),
        ("age=40:0.5", "only category and boolean"),
        ("salary=x:0.5", "unknown column 'salary'"),
        ("income=rich:0.5", "use one of"),
    ],
)
def test_parse_rebalance_errors(md: Metadata, text: str, match: str) -> None:
    with pytest.raises(UserInputError, match=match):
        api.parse_rebalance(text, md)


def test_plural_parsers_refuse_repeats(md: Metadata) -> None:
    assert api.parse_conditions(["age=40", "k=a"], md) == {"age": 40, "k": "a"}
    assert api.parse_rebalances(["k=a:0.2", "k=b:0.3"], md) == {"k": {"a": 0.2, "b": 0.3}}
    with pytest.raises(UserInputError, match="twice"):
        api.parse_conditions(["age=40", "age=41"], md)
    with pytest.raises(UserInputError, match="twice"):
        api.parse_rebalances(["k=a:0.2", "k=a:0.3"], md)


def test_merge_conditions_broadcasts_fixed_values() -> None:
    rows = pd.DataFrame({"k": ["a", None, "b"]}, index=[5, 6, 7])
    merged = api.merge_conditions({"age": 40}, rows)
    assert merged["age"].tolist() == [40, 40, 40]
    assert merged["k"].tolist()[::2] == ["a", "b"]
    assert list(merged.index) == [0, 1, 2]
    with pytest.raises(UserInputError, match="both"):
        api.merge_conditions({"k": "a"}, rows)
    with pytest.raises(UserInputError, match="one value"):
        api.merge_conditions({"age": [1, 2]}, rows)


# -- rebalance ---------------------------------------------------------------------------------


def test_rebalance_hits_the_target_share(model: ArgnSynthesizer, balanced: pd.DataFrame) -> None:
    plain = api.sample(model, N_BIG, seed=FIT_SEED)
    assert isinstance(plain, pd.DataFrame)
    assert (plain["income"] == ">50K").mean() < 0.4  # the model's own share is far lower
    share = (balanced["income"] == ">50K").mean()
    assert abs(share - 0.5) < 0.05  # sd is 0.008 at 4,000 rows
    assert balanced["income"].notna().all()
    assert list(balanced.columns) == list(plain.columns)
    assert balanced.dtypes.equals(plain.dtypes)


def test_rebalance_spreads_the_rest_in_the_model_proportions(model: ArgnSynthesizer) -> None:
    plain = api.sample(model, N_BIG, seed=FIT_SEED + 1)
    out = api.sample(model, N_BIG, seed=FIT_SEED + 1, rebalance={"k": {"c:d": 0.4}})
    assert isinstance(plain, pd.DataFrame)
    assert isinstance(out, pd.DataFrame)
    assert abs((out["k"] == "c:d").mean() - 0.4) < 0.05
    own = plain["k"].value_counts(normalize=True)
    expected_a = 0.6 * own["a"] / (own["a"] + own["b"])
    assert abs((out["k"] == "a").mean() - expected_a) < 0.06


def test_rebalance_several_columns_and_full_shares(model: ArgnSynthesizer) -> None:
    out = api.sample(
        model,
        2_000,
        seed=FIT_SEED,
        rebalance={"member": {True: 0.7, "false": 0.3}, "income": {">50K": 0.25}},
    )
    assert isinstance(out, pd.DataFrame)
    assert abs(out["member"].mean() - 0.7) < 0.06
    assert abs((out["income"] == ">50K").mean() - 0.25) < 0.06


def test_rebalance_is_prefix_stable_and_deterministic(
    model: ArgnSynthesizer, balanced: pd.DataFrame
) -> None:
    head = api.sample(model, 150, seed=FIT_SEED, rebalance={"income": {">50K": 0.5}})
    assert isinstance(head, pd.DataFrame)
    pd.testing.assert_frame_equal(head, balanced.head(150))
    again = api.sample(model, 150, seed=FIT_SEED, rebalance={"income": {">50K": 0.5}})
    pd.testing.assert_frame_equal(head, again)
    other = api.sample(model, 150, seed=FIT_SEED + 7, rebalance={"income": {">50K": 0.5}})
    assert not head.equals(other)


def test_rebalance_leaves_global_random_state_alone(model: ArgnSynthesizer) -> None:
    before = np.random.get_state()[1].copy()  # noqa: NPY002 - checks it stays untouched
    api.sample(model, 50, seed=3, rebalance={"k": {"b": 0.5}})
    assert np.array_equal(before, np.random.get_state()[1])  # noqa: NPY002


def test_rebalance_combines_with_conditions(model: ArgnSynthesizer) -> None:
    fixed = api.sample(model, 400, seed=5, conditions={"k": "a"}, rebalance={"member": {True: 0.5}})
    assert isinstance(fixed, pd.DataFrame)
    assert (fixed["k"] == "a").all()
    assert abs(fixed["member"].mean() - 0.5) < 0.12
    rows = pd.DataFrame({"age": [30, 60] * 100})
    per_row = api.sample(model, 200, seed=5, conditions=rows, rebalance={"k": {"b": 1.0}})
    assert isinstance(per_row, pd.DataFrame)
    assert per_row["age"].tolist() == rows["age"].tolist()
    assert (per_row["k"] == "b").all()


@pytest.mark.parametrize(
    ("rebalance", "match"),
    [
        ({"salary": {"x": 0.5}}, "unknown column 'salary'"),
        ({"age": {40: 0.5}}, "only category and boolean"),
        ({"k": {"z": 0.5}}, "not a category"),
        ({"k": {"a": 0.7, "b": 0.6}}, "at most 1"),
        ({"k": {"a": 0.0}}, r"in \(0, 1\]"),
        ({"k": {"a": "0.5"}}, "must be a number"),
        ({"k": {}}, "map values to shares"),
        ({"k": {"a": 0.2, "b": 0.2, "c:d": 0.2}}, "sum to 1"),
        ({"member": {True: 0.5, "true": 0.2}}, "twice"),
    ],
)
def test_rebalance_errors(model: ArgnSynthesizer, rebalance: object, match: str) -> None:
    with pytest.raises(UserInputError, match=match):
        api.sample(model, 10, seed=1, rebalance=rebalance)  # type: ignore[arg-type]


def test_rebalance_refuses_a_column_given_twice(model: ArgnSynthesizer) -> None:
    rows = pd.DataFrame({"k": ["a"] * 10})
    with pytest.raises(UserInputError, match="both conditioned and rebalanced"):
        api.sample(model, 10, seed=1, conditions=rows, rebalance={"k": {"b": 0.5}})
    with pytest.raises(UserInputError, match="both"):
        api.sample(model, 10, seed=1, conditions={"k": "a"}, rebalance={"k": {"b": 0.5}})
    with pytest.raises(UserInputError, match="rows were asked for"):
        api.sample(model, 10, seed=1, conditions=rows.head(4), rebalance={"member": {True: 1}})


def test_rebalance_needs_row_conditions(model: ArgnSynthesizer) -> None:
    fixed_only = copy.copy(model)
    fixed_only.tags = Tags(conditions=frozenset({"fixed"}))  # type: ignore[misc]
    with pytest.raises(UnsupportedConditionError, match="row-by-row"):
        api.sample(fixed_only, 10, seed=1, rebalance={"k": {"a": 0.5}})


def test_manifest_records_rebalance_and_temperature(model: ArgnSynthesizer, tmp_path: Path) -> None:
    out = tmp_path / "syn.csv"
    api.sample(model, 40, seed=2, output=out, rebalance={"member": {True: 0.5}}, temperature=0.9)
    manifest = json.loads(api.manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["rebalance"] == {"member": {"True": 0.5}}
    assert manifest["temperature"] == 0.9
    assert manifest["conditions"] is None
    api.sample(model, 40, seed=2, output=tmp_path / "plain.csv")
    plain = json.loads(api.manifest_path(tmp_path / "plain.csv").read_text(encoding="utf-8"))
    assert (plain["rebalance"], plain["temperature"]) == (None, None)


# -- temperature -------------------------------------------------------------------------------


def test_temperature_samples_a_copy(model: ArgnSynthesizer) -> None:
    plain = api.sample(model, 300, seed=11)
    same = api.sample(model, 300, seed=11, temperature=1.0)
    hot = api.sample(model, 300, seed=11, temperature=3.0)
    assert model.temperature == 1.0
    assert isinstance(plain, pd.DataFrame)
    assert isinstance(hot, pd.DataFrame)
    pd.testing.assert_frame_equal(plain, same)
    assert not plain.equals(hot)


def test_low_temperature_sharpens_the_categories(model: ArgnSynthesizer) -> None:
    plain = api.sample(model, 2_000, seed=12)
    cold = api.sample(model, 2_000, seed=12, temperature=0.2)
    assert isinstance(plain, pd.DataFrame)
    assert isinstance(cold, pd.DataFrame)
    top = plain["k"].value_counts().index[0]
    assert (cold["k"] == top).mean() > (plain["k"] == top).mean() + 0.05


@pytest.mark.parametrize("temperature", [0.0, -1.0, float("nan"), "hot", True])
def test_bad_temperatures(model: ArgnSynthesizer, temperature: object) -> None:
    with pytest.raises(UserInputError, match="temperature"):
        api.sample(model, 5, seed=1, temperature=temperature)  # type: ignore[arg-type]
    assert model.temperature == 1.0


def test_temperature_needs_a_model_that_has_one() -> None:
    independent = IndependentSynthesizer().fit(frame(60))
    with pytest.raises(UserInputError, match="models that have one: argn"):
        api.sample(independent, 5, seed=1, temperature=0.5)
