"""The entry point: order of results, contrasts, determinism, edge cases and bad inputs."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import UserInputError
from synthcraft.evaluation import MetricResult
from synthcraft.evaluation.privacy import privacy_metrics
from synthcraft.metadata import Column, ColumnKind, Metadata

MakeFrame = Callable[[int, int], pd.DataFrame]
NAMES = [
    "exact_copies",
    "exact_copies_holdout",
    "dcr_share",
    "dcr_median_ratio",
    "nndr",
    "nndr_holdout",
    "singling_out",
    "linkability",
    "inference",
    "membership_auc",
]


def _by_name(results: list[MetricResult]) -> dict[str, MetricResult]:
    assert [r.name for r in results] == NAMES
    return {r.name: r for r in results}


def test_copy_versus_independent_sample(
    make_frame: MakeFrame, mixed_metadata: Metadata, seed: int
) -> None:
    train, holdout = make_frame(600, seed), make_frame(600, seed + 2)
    copied = _by_name(
        privacy_metrics(train, train, holdout, mixed_metadata, seed=np.random.default_rng(seed))
    )
    fresh = _by_name(
        privacy_metrics(
            train,
            make_frame(600, seed + 1),
            holdout,
            mixed_metadata,
            seed=np.random.default_rng(seed),
        )
    )
    assert copied["exact_copies"].score == 1.0
    assert copied["exact_copies"].details["count"] == 600
    assert fresh["exact_copies"].score == 0.0
    assert copied["exact_copies_holdout"].score == fresh["exact_copies_holdout"].score == 0.0
    assert copied["dcr_share"].score > 0.95
    assert 0.4 < fresh["dcr_share"].score < 0.6
    assert copied["nndr"].score < 0.2 < fresh["nndr"].score
    assert copied["membership_auc"].score > 0.9
    assert 0.4 < fresh["membership_auc"].score < 0.6
    for name in ("singling_out", "linkability", "inference"):
        assert copied[name].score > 0.5, name
        assert fresh[name].score < 0.25, name
    assert copied["inference"].details["secret"] == "plan"  # the last categorical column


def test_results_are_json_ready_and_bounded(
    make_frame: MakeFrame, mixed_metadata: Metadata, seed: int
) -> None:
    train, synthetic, holdout = (make_frame(200, seed + i) for i in range(3))
    for r in privacy_metrics(
        train, synthetic, holdout, mixed_metadata, seed=np.random.default_rng(seed)
    ):
        assert r.ok, (r.name, r.details)
        assert r.bounds[0] <= r.score <= r.bounds[1]
        if r.interval is not None:
            assert r.interval[0] <= r.score <= r.interval[1]
        json.dumps(r.to_dict())


def _same(a: list[MetricResult], b: list[MetricResult]) -> bool:
    return [r.to_dict() for r in a] == [r.to_dict() for r in b]


def test_deterministic_for_a_seed_and_global_state_untouched(
    make_frame: MakeFrame, mixed_metadata: Metadata, seed: int
) -> None:
    train, synthetic, holdout = (make_frame(300, seed + i) for i in range(3))
    state = np.random.get_state()[1].copy()  # type: ignore[index]  # noqa: NPY002
    runs = [
        privacy_metrics(train, synthetic, holdout, mixed_metadata, seed=np.random.default_rng(s))
        for s in (seed, seed, seed + 1)
    ]
    assert _same(runs[0], runs[1])
    assert not _same(runs[0], runs[2])
    assert np.array_equal(np.random.get_state()[1], state)  # type: ignore[index]  # noqa: NPY002


def test_progress_is_reported(make_frame: MakeFrame, mixed_metadata: Metadata, seed: int) -> None:
    calls: list[tuple[int, int]] = []
    frame = make_frame(50, seed)
    privacy_metrics(
        frame,
        frame,
        frame,
        mixed_metadata,
        seed=np.random.default_rng(seed),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(i, 6) for i in range(1, 7)]


@pytest.mark.parametrize("kind", ["categorical", "numeric"])
def test_tables_of_one_kind(kind: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 300
    if kind == "categorical":
        md = Metadata(tuple(Column(f"c{i}", ColumnKind.CATEGORICAL, "str") for i in range(4)))

        def make(r: np.random.Generator) -> pd.DataFrame:
            return pd.DataFrame(
                {f"c{i}": pd.array(r.choice(list("abc"), size=n), dtype="str") for i in range(4)}
            )
    else:
        md = Metadata(tuple(Column(f"x{i}", ColumnKind.FLOAT, "float64") for i in range(3)))

        def make(r: np.random.Generator) -> pd.DataFrame:
            return pd.DataFrame({f"x{i}": r.normal(size=n) for i in range(3)})

    train, holdout = make(rng), make(rng)
    for synthetic in (train, make(rng)):
        results = _by_name(privacy_metrics(train, synthetic, holdout, md, seed=rng))
        assert results["exact_copies"].ok
        assert results["dcr_share"].ok
        assert results["membership_auc"].ok
        assert results["inference"].details["secret"] == ("c3" if kind == "categorical" else "x2")
    if kind == "categorical":  # 27 combinations: every row has copies among real rows too
        assert results["exact_copies_holdout"].score > 0.9


def test_tiny_frames_give_nan_with_reasons(
    mixed_metadata: Metadata, make_frame: MakeFrame, seed: int
) -> None:
    frame = make_frame(4, seed)
    results = _by_name(
        privacy_metrics(
            frame, frame, make_frame(4, seed + 1), mixed_metadata, seed=np.random.default_rng(seed)
        )
    )
    assert results["exact_copies"].score == 1.0
    for name in NAMES[2:]:
        assert math.isnan(results[name].score), name
        assert results[name].details["reason"], name


def test_quasi_identifiers_and_secret_are_used(
    make_frame: MakeFrame, mixed_metadata: Metadata, seed: int
) -> None:
    train, synthetic, holdout = (make_frame(100, seed + i) for i in range(3))
    results = _by_name(
        privacy_metrics(
            train,
            synthetic,
            holdout,
            mixed_metadata,
            seed=np.random.default_rng(seed),
            quasi_identifiers=["age", "city", "income", "member"],
            secret="city",
        )
    )
    assert results["singling_out"].details["quasi_identifiers"] == [
        "age",
        "city",
        "income",
        "member",
    ]
    assert results["linkability"].details["columns_a"] == ["age", "city"]
    assert results["linkability"].details["columns_b"] == ["income", "member"]
    assert results["inference"].details["auxiliary_columns"] == ["age", "income", "member"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns=["city"]), "holdout lacks column(s) 'city'"),
        (lambda f: f.rename(columns={"age": "Age"}), "holdout lacks column(s) 'age'"),
        (lambda f: f.iloc[:0], "holdout has no rows"),
        (lambda f: f.to_numpy(), "holdout must be a pandas DataFrame"),
    ],
)
def test_bad_holdout(
    make_frame: MakeFrame,
    mixed_metadata: Metadata,
    seed: int,
    change: Callable[[pd.DataFrame], object],
    message: str,
) -> None:
    frame = make_frame(30, seed)
    with pytest.raises(UserInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        privacy_metrics(
            frame,
            frame,
            change(frame),  # type: ignore[arg-type]
            mixed_metadata,
            seed=np.random.default_rng(seed),
        )


def test_empty_train_and_synthetic(
    make_frame: MakeFrame, mixed_metadata: Metadata, seed: int
) -> None:
    frame = make_frame(30, seed)
    rng = np.random.default_rng(seed)
    with pytest.raises(UserInputError, match="train has no rows"):
        privacy_metrics(frame.iloc[:0], frame, frame, mixed_metadata, seed=rng)
    with pytest.raises(UserInputError, match="synthetic has no rows"):
        privacy_metrics(frame, frame.iloc[:0], frame, mixed_metadata, seed=rng)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"quasi_identifiers": ["nope"]}, "quasi_identifiers 'nope'"),
        ({"quasi_identifiers": ["id"]}, "quasi_identifiers 'id'"),
        ({"quasi_identifiers": []}, "quasi_identifiers is empty"),
        ({"quasi_identifiers": "age"}, "list of column names"),
        ({"quasi_identifiers": ["age", "age"]}, "twice"),
        ({"secret": "nope"}, "secret 'nope'"),
    ],
)
def test_bad_options(
    make_frame: MakeFrame,
    mixed_metadata: Metadata,
    seed: int,
    kwargs: dict[str, object],
    message: str,
) -> None:
    frame = make_frame(30, seed)
    with pytest.raises(UserInputError, match=message):
        privacy_metrics(
            frame,
            frame,
            frame,
            mixed_metadata,
            seed=np.random.default_rng(seed),
            **kwargs,  # type: ignore[arg-type]
        )


def test_metadata_with_only_ids_is_refused(seed: int) -> None:
    md = Metadata((Column("id", ColumnKind.ID, "Int64"),))
    frame = pd.DataFrame({"id": pd.array([1, 2, 3], dtype="Int64")})
    with pytest.raises(UserInputError, match="nothing to compare"):
        privacy_metrics(frame, frame, frame, md, seed=np.random.default_rng(seed))
