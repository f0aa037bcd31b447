"""Model settings: KEY=VALUE parsing, settings files and conversion of text by type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synthcraft.api import load_params, parse_param_pairs
from synthcraft.api._params import coerce_params
from synthcraft.errors import UserInputError


class Model:
    def __init__(
        self,
        *,
        epochs: int = 10,
        rate: float = 0.5,
        flag: bool = False,
        name: str = "x",
        families: tuple[str, ...] = ("norm",),
        k: int | None = None,
        untyped=3,  # type: ignore[no-untyped-def]
    ) -> None:
        self.epochs = epochs


class LooseModel:
    # Annotations that cannot be resolved: the text of the annotation is used instead.
    def __init__(self, *, size: Missing | int = 1, label: Missing | str = "a") -> None:  # noqa: F821
        self.size = size


DEFAULTS: dict[str, Any] = {
    "epochs": 10,
    "rate": 0.5,
    "flag": False,
    "name": "x",
    "families": ("norm",),
    "k": None,
    "untyped": 3,
}


def test_pairs_are_split_on_the_first_equals() -> None:
    assert parse_param_pairs(["a=1", " b = x=y ", "a=2"]) == {"a": "2", "b": "x=y"}


@pytest.mark.parametrize("pair", ["novalue", "=3", ""])
def test_malformed_pairs_are_refused(pair: str) -> None:
    with pytest.raises(UserInputError, match="KEY=VALUE"):
        parse_param_pairs([pair])


def test_text_values_are_converted_by_type() -> None:
    given = {
        "epochs": "1_000",
        "rate": "1e-3",
        "flag": "yes",
        "name": "none-such",
        "families": "norm, gamma,",
        "k": "null",
        "untyped": "7",
    }
    got = coerce_params(Model, DEFAULTS, given, model="m")
    assert got == {
        "epochs": 1000,
        "rate": 0.001,
        "flag": True,
        "name": "none-such",
        "families": ("norm", "gamma"),
        "k": None,
        "untyped": 7,
    }
    assert type(got["untyped"]) is int
    assert coerce_params(Model, DEFAULTS, {"k": "4", "rate": "2"}, model="m") == {
        "k": 4,
        "rate": 2.0,
    }


def test_values_that_are_not_text_pass_unchanged() -> None:
    assert coerce_params(Model, DEFAULTS, {"epochs": 3.5, "families": ["a"]}, model="m") == {
        "epochs": 3.5,
        "families": ["a"],
    }


def test_annotation_text_is_used_when_names_do_not_resolve() -> None:
    defaults = {"size": 1, "label": "a"}
    got = coerce_params(LooseModel, defaults, {"size": "5", "label": "5"}, model="m")
    assert got == {"size": 5, "label": "5"}


@pytest.mark.parametrize(
    ("key", "text", "wanted"),
    [("epochs", "ten", "int"), ("flag", "maybe", "bool"), ("rate", "fast", "float")],
)
def test_unconvertible_text_names_the_type(key: str, text: str, wanted: str) -> None:
    with pytest.raises(UserInputError, match=f"setting '{key}' must be {wanted}"):
        coerce_params(Model, DEFAULTS, {key: text}, model="m")


def test_unknown_setting_lists_the_valid_ones() -> None:
    with pytest.raises(UserInputError, match=r"has no setting 'epoch'.*epochs, families, flag"):
        coerce_params(Model, DEFAULTS, {"epoch": "3"}, model="m")


def test_settings_files_yaml_and_json(tmp_path: Path) -> None:
    yml = tmp_path / "p.yaml"
    yml.write_text("epochs: 5\nfamilies: [norm, beta]\n", encoding="utf-8")
    assert load_params(yml) == {"epochs": 5, "families": ["norm", "beta"]}
    js = tmp_path / "p.json"
    js.write_text('{"rate": 0.1}', encoding="utf-8")
    assert load_params(js) == {"rate": 0.1}
    empty = tmp_path / "e.yml"
    empty.write_text("", encoding="utf-8")
    assert load_params(empty) == {}


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        ("list.yaml", "- a\n- b\n", "one mapping"),
        ("bad.yaml", "a: [1, 2\n", "not valid YAML"),
        ("bad.json", "{", "not valid JSON"),
    ],
)
def test_bad_settings_files(tmp_path: Path, name: str, text: str, match: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserInputError, match=match):
        load_params(path)


def test_missing_settings_file(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="does not exist"):
        load_params(tmp_path / "nope.yaml")
