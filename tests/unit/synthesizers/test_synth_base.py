"""The base synthesizer: settings, registry, tags and bad input for fitting and sampling."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

from synthcraft._types import BlockSampler, ProgressCallback, Sampler
from synthcraft.errors import (
    DataError,
    NotFittedError,
    UnsupportedConditionError,
    UserInputError,
    ValidationError,
)
from synthcraft.metadata import Column, ColumnKind, Metadata
from synthcraft.synthesizers import (
    BaseSynthesizer,
    GaussianCopulaSynthesizer,
    IndependentSynthesizer,
    Tags,
    describe,
    get,
    list_synthesizers,
    register,
)
from synthcraft.synthesizers._encoding import ColumnCodec
from synthcraft.testing import mixed_frame

MODELS = [IndependentSynthesizer, GaussianCopulaSynthesizer]


class _NoConditions(BaseSynthesizer):
    """A model with no condition support: every column at its first table value."""

    tags = Tags(conditions=frozenset())

    def __init__(self, *, seed: int | None = None) -> None:
        self.seed = seed

    def _fit_model(
        self,
        codecs: Sequence[ColumnCodec],
        data: Mapping[str, npt.NDArray[Any]],
        rng: np.random.Generator,
        progress: ProgressCallback | None,
    ) -> None:
        self.first_ = {c.name: data[c.name][0] for c in codecs}

    def _sample_model(self, seed: Any, n_rows: int, conditions: Any) -> dict[str, Any]:
        return {k: np.repeat(v, n_rows) for k, v in self.first_.items()}

    def _model_state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        return {}, {}

    def _load_model_state(self, state: Any, arrays: Any) -> None:
        self.first_ = {}


def _numbers(n: int = 200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"a": rng.normal(size=n), "b": rng.gamma(2.0, 1.0, n)})


@pytest.fixture(scope="module")
def fitted() -> GaussianCopulaSynthesizer:
    return GaussianCopulaSynthesizer(seed=0).fit(_numbers())


def test_constructor_stores_settings_unchanged() -> None:
    families = ("norm", "beta")
    synth = GaussianCopulaSynthesizer(families=families, max_fit_rows=500, seed=3)
    assert synth.families is families
    assert synth.get_params() == {
        "families": families,
        "max_fit_rows": 500,
        "seed": 3,
        "rare_category_k": 5,
        "bounds_quantile": 0.001,
    }
    assert (
        repr(synth)
        == "GaussianCopulaSynthesizer(families=('norm', 'beta'), max_fit_rows=500, seed=3)"
    )


def test_constructor_does_not_validate_but_fit_lists_every_problem() -> None:
    synth = GaussianCopulaSynthesizer(rare_category_k=0, bounds_quantile=0.7, families=("x",))
    with pytest.raises(UserInputError) as info:
        synth.fit(_numbers())
    message = str(info.value)
    assert "rare_category_k" in message
    assert "bounds_quantile" in message
    assert "'x'" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("settings", "needle"),
    [
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"seed": True}, "seed"),
        ({"max_fit_rows": 5}, "max_fit_rows"),
        ({"families": "norm"}, "families"),
        ({"families": ("norm", "norm")}, "twice"),
        ({"bounds_quantile": 0.0}, "bounds_quantile"),
    ],
)
def test_invalid_settings_raise(settings: dict[str, Any], needle: str) -> None:
    with pytest.raises(UserInputError, match=needle):
        GaussianCopulaSynthesizer(**settings).fit(_numbers())


def test_empty_families_means_empirical_marginals() -> None:
    synth = GaussianCopulaSynthesizer(families=(), seed=0).fit(_numbers())
    assert {c["family"] for c in synth.columns_} == {"empirical"}


def test_set_params_changes_settings_and_rejects_unknown() -> None:
    synth = IndependentSynthesizer().set_params(seed=4)
    assert synth.seed == 4
    with pytest.raises(UserInputError, match="no setting 'epochs'"):
        synth.set_params(epochs=3)


def test_registry_get_list_describe() -> None:
    assert get("copula") is GaussianCopulaSynthesizer
    assert get(" Independent ") is IndependentSynthesizer
    assert list_synthesizers() == sorted(list_synthesizers())
    assert describe("copula").startswith("Gaussian copula")
    assert "\n" not in describe("independent")
    with pytest.raises(UserInputError, match="copula, independent"):
        get("gan")


def test_register_refuses_a_taken_name_and_bad_names() -> None:
    with pytest.raises(UserInputError, match="already registered"):
        register("copula")(_NoConditions)
    with pytest.raises(UserInputError, match="lower case"):
        register("My Model")


def test_tags_are_frozen_and_checked() -> None:
    tags = GaussianCopulaSynthesizer.tags
    assert tags.conditions == frozenset({"fixed", "rows"})
    assert not tags.needs_torch
    with pytest.raises(UserInputError, match="condition kind"):
        Tags(conditions=frozenset({"exact"}))


def test_models_follow_the_sampler_protocols(fitted: GaussianCopulaSynthesizer) -> None:
    assert isinstance(fitted, Sampler)
    assert isinstance(fitted, BlockSampler)


def test_learned_state_and_summary(fitted: GaussianCopulaSynthesizer) -> None:
    assert fitted.fit_seed_ == 0
    assert fitted.n_training_rows_ == 200
    assert set(fitted.training_summary_) == {"seconds", "rows", "columns"}
    assert all(c.provenance.value == "learned" for c in fitted.metadata_)


def test_seed_none_draws_and_records_a_fit_seed() -> None:
    synth = IndependentSynthesizer().fit(_numbers())
    assert isinstance(synth.fit_seed_, int)
    assert synth.seed is None


@pytest.mark.parametrize("model", MODELS)
def test_sample_before_fit_says_to_call_fit(model: type[BaseSynthesizer]) -> None:
    with pytest.raises(NotFittedError, match="call fit"):
        model().sample(3)
    with pytest.raises(NotFittedError):
        model().get_state()


@pytest.mark.parametrize("n_rows", [0, -5, 2.5, "10", True, None])
def test_bad_n_rows(fitted: GaussianCopulaSynthesizer, n_rows: Any) -> None:
    with pytest.raises(UserInputError, match="n_rows"):
        fitted.sample(n_rows)


def test_a_primary_key_that_is_not_an_id_is_refused() -> None:
    frame = pd.DataFrame(
        {"mail": [f"user{i}@example.com" for i in range(20)], "x": np.linspace(0, 1, 20)}
    )
    md = Metadata(
        (
            Column("mail", ColumnKind.PII, "str", pii_kind="email", unique=True),
            Column("x", ColumnKind.FLOAT, "float64"),
        ),
        primary_key="mail",
    )
    with pytest.raises(UserInputError, match=r"primary key 'mail' has kind pii; .*kind id"):
        IndependentSynthesizer().fit(frame, md)


def test_one_row_table_is_refused() -> None:
    with pytest.raises(DataError, match="1 row; fitting a model needs at least"):
        GaussianCopulaSynthesizer().fit(_numbers().head(1))


def test_zero_rows_and_zero_columns_are_refused() -> None:
    with pytest.raises(DataError, match="0 rows"):
        IndependentSynthesizer().fit(_numbers().head(0))
    with pytest.raises(DataError, match="0 columns"):
        IndependentSynthesizer().fit(pd.DataFrame(index=range(20)))


def test_non_dataframe_and_bad_metadata_type() -> None:
    with pytest.raises(UserInputError, match="DataFrame"):
        IndependentSynthesizer().fit([[1, 2]])  # type: ignore[arg-type]
    with pytest.raises(UserInputError, match="Metadata"):
        IndependentSynthesizer().fit(_numbers(), {"columns": []})  # type: ignore[arg-type]


def test_only_ids_and_pii_is_refused() -> None:
    frame, md = mixed_frame(60, seed=1)
    keep = ["row_id", "account", "email"]
    with pytest.raises(DataError, match="no column to model"):
        GaussianCopulaSynthesizer().fit(frame[keep], md.select(keep))


def test_data_breaking_metadata_lists_every_problem() -> None:
    md = Metadata(
        (
            Column("a", ColumnKind.FLOAT, "float64", maximum=0.5),
            Column("b", ColumnKind.CATEGORICAL, "str", categories=("x",)),
        )
    )
    frame = pd.DataFrame({"a": np.linspace(0, 1, 20), "b": pd.Series(["x", "y"] * 10, dtype="str")})
    with pytest.raises(ValidationError) as info:
        IndependentSynthesizer().fit(frame, md)
    assert len(info.value.problems) == 2


@pytest.mark.parametrize("model", MODELS)
def test_one_column_table(model: type[BaseSynthesizer]) -> None:
    frame = _numbers()[["a"]]
    out = model(seed=0).fit(frame).sample(50, seed=1)
    assert list(out.columns) == ["a"]
    assert out["a"].notna().all()


@pytest.mark.parametrize("model", MODELS)
def test_all_columns_constant(model: type[BaseSynthesizer]) -> None:
    n = 40
    frame = pd.DataFrame(
        {
            "x": np.full(n, 2.5),
            "k": pd.array(np.full(n, 7), dtype="Int64"),
            "c": pd.Series(["same"] * n, dtype="str"),
            "t": pd.Series(np.full(n, np.datetime64("2024-05-01", "us"))),
        }
    )
    md = Metadata(
        (
            Column("x", ColumnKind.FLOAT, "float64"),
            Column("k", ColumnKind.INTEGER, "Int64"),
            Column("c", ColumnKind.CATEGORICAL, "str", categories=("same",)),
            Column("t", ColumnKind.DATETIME, "datetime64[us]"),
        )
    )
    out = model(seed=0).fit(frame, md).sample(30, seed=2)
    pd.testing.assert_frame_equal(out, frame.head(30))


def test_unsupported_condition_kind_raises() -> None:
    synth = _NoConditions().fit(_numbers())
    assert synth.sample(3, seed=0).shape == (3, 2)
    with pytest.raises(UnsupportedConditionError, match="fixed values"):
        synth.sample(3, seed=0, conditions={"a": 0.1})
    with pytest.raises(UnsupportedConditionError, match="row-by-row"):
        synth.sample(3, seed=0, conditions=pd.DataFrame({"a": [0.1, 0.2, 0.3]}))


@pytest.mark.parametrize(
    ("conditions", "error", "needle"),
    [
        ({"nope": 1.0}, UserInputError, "unknown column 'nope'"),
        ({"a": 1e9}, UserInputError, "outside the model's range"),
        ({"a": "text"}, UserInputError, "must be a number"),
        ({"a": [1.0, 2.0]}, UserInputError, "one value"),
        ([("a", 1.0)], UserInputError, "mapping"),
        (pd.DataFrame({"a": [0.0, 0.1]}), UserInputError, "2 rows but 5"),
    ],
)
def test_bad_conditions(
    fitted: GaussianCopulaSynthesizer, conditions: Any, error: type[Exception], needle: str
) -> None:
    with pytest.raises(error, match=needle):
        fitted.sample(5, seed=0, conditions=conditions)


def test_progress_is_reported_per_block(fitted: GaussianCopulaSynthesizer) -> None:
    calls: list[tuple[int, int]] = []
    fitted.sample(70_000, seed=0, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(65_536, 70_000), (70_000, 70_000)]


def test_fit_progress_reaches_the_end() -> None:
    calls: list[tuple[int, int]] = []
    GaussianCopulaSynthesizer(seed=0).fit(_numbers(), progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (2, 2)


def test_seed_may_be_a_generator_or_seed_sequence(fitted: GaussianCopulaSynthesizer) -> None:
    a = fitted.sample(20, seed=np.random.SeedSequence(5))
    b = fitted.sample(20, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert fitted.sample(20, seed=np.random.default_rng(1)).shape == (20, 2)


@pytest.mark.parametrize("model", MODELS)
def test_entirely_missing_columns_stay_missing(model: type[BaseSynthesizer]) -> None:
    frame = _numbers(60)
    frame["empty_number"] = np.nan
    frame["empty_text"] = pd.Series([None] * 60, dtype="str")
    out = model(seed=0).fit(frame).sample(40, seed=1)
    assert out["empty_number"].isna().all()
    assert out["empty_text"].isna().all()
    assert str(out["empty_text"].dtype) == "str"
    assert out["a"].notna().all()


def test_free_text_without_frequent_values_is_a_clear_error() -> None:
    words = ["the quick brown fox", "jumps over the lazy dog", "lorem ipsum dolor sit"]
    frame = _numbers(90)
    frame["note"] = pd.Series([f"{words[i % 3]} {i}" for i in range(90)], dtype="str")
    md = Metadata(
        (
            Column("a", ColumnKind.FLOAT, "float64"),
            Column("b", ColumnKind.FLOAT, "float64"),
            Column("note", ColumnKind.TEXT, "str"),
        )
    )
    with pytest.raises(DataError, match=r"'note'.*declare it id or pii"):
        GaussianCopulaSynthesizer().fit(frame, md)
