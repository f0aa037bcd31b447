"""``auto`` model choice (api.choose_model, api.fit(model="auto")) and time budgets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft import api, synthesizers
from synthcraft.errors import UserInputError

SEED = 31337


def table(n_rows: int, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n_rows)
    return pd.DataFrame(
        {
            "x": x,
            "y": 3 * x + rng.normal(size=n_rows),
            "c": np.where(x + rng.normal(size=n_rows) > 0, "up", "down"),
            "k": rng.choice(["p", "q", "r"], n_rows),
        }
    )


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90.0), ("2m", 120.0), ("1h", 3600.0), ("45", 45.0), (" 1.5 m ", 90.0), (7, 7.0)],
)
def test_time_budgets_parse(text: str | int, seconds: float) -> None:
    assert api.parse_time_budget(text) == seconds


@pytest.mark.parametrize("bad", ["", "2 days", "-3s", "0", "m", "1e3", float("inf"), True])
def test_bad_time_budgets_are_refused(bad: object) -> None:
    with pytest.raises(UserInputError, match="time budget"):
        api.parse_time_budget(bad)  # type: ignore[arg-type]


def test_tiny_table_gets_a_fast_model_recorded_in_the_model_file(tmp_path: Path) -> None:
    path = tmp_path / "m.synth"
    model = api.fit(table(120), model="auto", seed=SEED, output=path)
    auto = model.training_summary_["auto"]
    assert auto["chosen"] == "copula" == api.model_name(model)
    assert "120 rows" in auto["reason"]
    assert auto["candidates"] == []
    assert model.fit_seed_ == SEED
    loaded = api.load_model(path)
    assert loaded.training_summary_["auto"] == auto
    assert api.inspect_model(path)["training_summary"]["auto"]["chosen"] == "copula"


def test_short_budget_gets_a_fast_model_without_trials() -> None:
    choice = api.choose_model(table(600), time_budget="5s", seed=SEED)
    assert choice.chosen in ("copula", "independent")
    assert "5 s" in choice.reason
    assert choice.candidates == ()
    assert choice.time_budget == 5.0


def test_candidates_are_tried_scored_in_order_and_repeatable() -> None:
    data = table(600)
    names = ("independent", "copula")
    choice = api.choose_model(data, time_budget=60, seed=SEED, available=names)
    again = api.choose_model(data, time_budget=60, seed=SEED, available=names)

    def without_times(c: api.AutoChoice) -> list[dict[str, object]]:
        return [{k: v for k, v in row.items() if k != "seconds"} for row in c.candidates]

    assert (choice.chosen, choice.reason) == (again.chosen, again.reason)
    assert without_times(choice) == without_times(again)
    tried = [c["name"] for c in choice.candidates]
    assert sorted(tried) == sorted(names)
    assert tried[0] == choice.chosen
    # y and c follow x: the copula keeps that, independent columns do not.
    assert choice.chosen == "copula"
    best, other = choice.candidates
    assert best["detection_auc"] <= other["detection_auc"]
    assert "validation split of 120 rows" in choice.reason


def test_names_not_registered_are_skipped() -> None:
    registered = set(synthesizers.list_synthesizers())
    wanted = ("cart", "no_such_model", "independent", "copula")
    choice = api.choose_model(table(600), time_budget=60, seed=SEED, available=wanted)
    tried = {c["name"] for c in choice.candidates}
    assert tried <= registered
    assert "no_such_model" not in tried
    assert ("cart" in tried) == ("cart" in registered)
    with pytest.raises(UserInputError, match="no model to choose from"):
        api.choose_model(table(600), available=("no_such_model",))


def test_fit_auto_refuses_settings_and_named_models_without_a_budget_setting() -> None:
    data = table(120)
    with pytest.raises(UserInputError, match="auto"):
        api.fit(data, model="auto", params={"rare_category_k": 3})
    with pytest.raises(UserInputError, match="time budget"):
        api.fit(data, model="copula", time_budget="1m")
    with pytest.raises(UserInputError, match="time budget"):
        api.fit(data, model="auto", time_budget="soon")


def test_a_named_model_with_a_time_budget_setting_gets_it() -> None:
    pytest.importorskip("torch")
    model = api.fit(
        table(120), model="argn", params={"max_epochs": 1}, seed=SEED, time_budget="90s"
    )
    assert model.get_params()["time_budget"] == 90.0
