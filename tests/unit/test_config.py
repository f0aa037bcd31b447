"""Tests of synthcraft._config: YAML loading and the problem collector with typed readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synthcraft._config import MAX_CONFIG_BYTES, Problems, at, did_you_mean, join, load_yaml
from synthcraft.errors import SpecError, UserInputError


def test_load_yaml_text_and_file(tmp_path: Path) -> None:
    text = "a: 1\nb: [x, y]\nwhen: 2024-01-31\n"
    assert load_yaml(text)["b"] == ["x", "y"]
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_yaml(path)["a"] == 1
    assert load_yaml(str(path))["a"] == 1


def test_load_yaml_json_file(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"a": [1, 2]}', encoding="utf-8")
    assert load_yaml(path) == {"a": [1, 2]}
    path.write_text('{"a": 1, "a": 2}', encoding="utf-8")
    with pytest.raises(SpecError, match="duplicate key 'a'"):
        load_yaml(path)
    path.write_text('{"a": 1,\n "b": }', encoding="utf-8")
    with pytest.raises(SpecError, match="line 2"):
        load_yaml(path)


def test_load_yaml_empty_document_is_none() -> None:
    assert load_yaml("# only a comment\n") is None


def test_load_yaml_syntax_error_names_line_and_column() -> None:
    with pytest.raises(SpecError) as info:
        load_yaml("a: 1\nb:\n  c: [1, 2\n  d: 3\n", what="scene config")
    assert "line " in str(info.value)
    assert "column " in str(info.value)
    assert str(info.value).startswith("scene config text: YAML syntax error")


def test_load_yaml_bad_indentation_line_number() -> None:
    with pytest.raises(SpecError, match="line 3"):
        load_yaml("a: 1\nb: 2\n c: 3\n")


def test_load_yaml_refuses_duplicate_keys() -> None:
    with pytest.raises(SpecError, match=r"line 3.*duplicate key 'age'"):
        load_yaml("columns:\n  age: 1\n  age: 2\n")


def test_load_yaml_safe_loader_only() -> None:
    with pytest.raises(SpecError, match="YAML"):
        load_yaml("a: !!python/object/apply:os.system ['echo hi']\n")


def test_load_yaml_missing_file_names_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(UserInputError, match=r"nope\.yaml"):
        load_yaml(missing)
    with pytest.raises(UserInputError, match="not a file"):
        load_yaml(tmp_path)


def test_load_yaml_refuses_large_files(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_CONFIG_BYTES + 1)
    with pytest.raises(UserInputError, match="10 MB"):
        load_yaml(path)


def test_join_at_and_did_you_mean() -> None:
    assert join("", "a") == "a"
    assert join("a", "b") == "a.b"
    assert at("a.b", 2) == "a.b[2]"
    assert did_you_mean("distributon", ["distribution", "categories"]) == (
        "; did you mean 'distribution'?"
    )
    assert did_you_mean("zzz", ["distribution"]) == ""


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        (True, {}, "must be a number, got true"),
        ("3", {}, "must be a number, got '3'"),
        (None, {}, "must be a number, got null"),
        (float("nan"), {}, "must be a finite number, got nan"),
        (float("inf"), {}, "must be a finite number, got inf"),
        (-1, {"low": 0, "low_open": True}, "must be > 0, got -1"),
        (-1, {"low": 0}, "must be >= 0, got -1"),
        (1.5, {"high": 1}, "must be <= 1, got 1.5"),
        (1, {"high": 1, "high_open": True}, "must be < 1, got 1"),
        (2.5, {"integer": True}, "must be a whole number, got 2.5"),
        ("x", {"integer": True}, "must be a whole number, got 'x'"),
    ],
)
def test_number_records_problems(value: Any, kwargs: dict[str, Any], message: str) -> None:
    problems = Problems()
    assert problems.number(value, "t.x", **kwargs) is None
    assert problems.messages() == [f"t.x: {message}"]


def test_number_accepts_valid_values() -> None:
    problems = Problems()
    assert problems.number(0.5, "p", low=0, high=1) == 0.5
    result = problems.number(3.0, "n", integer=True)
    assert result == 3
    assert isinstance(result, int)
    assert not problems


def test_string_identifier_choice_boolean() -> None:
    problems = Problems()
    assert problems.string("abc", "a") == "abc"
    assert problems.identifier("age_2", "b") == "age_2"
    assert problems.choice("norm", "c", ["norm", "expon"]) == "norm"
    assert problems.boolean(False, "d") is False
    assert problems.string(3, "e") is None
    assert problems.string("  ", "f") is None
    assert problems.identifier("2age", "g") is None
    assert problems.identifier("my col", "h") is None
    assert problems.choice("nrom", "i", ["norm", "expon"]) is None
    assert problems.choice("qqq", "j", ["norm", "expon"]) is None
    assert problems.boolean("yes", "k") is None
    assert problems.messages() == [
        "e: must be text, got 3",
        "f: must not be empty",
        "g: '2age' is not a valid name; use letters, digits and _ (not a digit first)",
        "h: 'my col' is not a valid name; use letters, digits and _ (not a digit first)",
        "i: unknown value 'nrom'; did you mean 'norm'?",
        "j: unknown value 'qqq'; use one of expon, norm",
        "k: must be true or false, got 'yes'",
    ]


def test_mapping_sequence_required_check_keys() -> None:
    problems = Problems()
    assert problems.mapping({"a": 1}, "m") == {"a": 1}
    assert problems.mapping([1], "n") is None
    assert problems.mapping({1: 2}, "o") is None
    assert problems.sequence((1, 2), "p", length=2) == [1, 2]
    assert problems.sequence([1], "q", length=2) is None
    assert problems.sequence("ab", "r") is None
    assert problems.required({"a": 1}, "a", "s") == 1
    assert problems.required({}, "b", "s") is None
    assert problems.check_keys({"familly": 1, "loc": 0}, ["family", "loc"], "t") is False
    assert problems.messages() == [
        "n: must be a mapping (key: value), got a list",
        "o: keys must be text, got 1; quote it",
        "q: must be a list of 2 items, got 1",
        "r: must be a list, got 'ab'",
        "s.b: required; add it",
        "t.familly: unknown key; did you mean 'family'?",
    ]


def test_problems_in_document_order_and_raise() -> None:
    document = {"spec_version": "1.0", "tables": {"a": {"columns": {"x": 1, "y": 2}}, "b": {}}}
    problems = Problems(document)
    problems.add("tables.b", "second table")
    problems.add("tables.a.columns.y", "column y")
    problems.add("tables.a.columns.x.distribution.scale", "column x")
    problems.add("", "whole spec")
    problems.add("tables.a.columns.x.distribution.scale", "column x")  # duplicate dropped
    assert len(problems) == 5
    with pytest.raises(SpecError) as info:
        problems.raise_if_any()
    assert info.value.problems == [
        "spec: whole spec",
        "tables.a.columns.x.distribution.scale: column x",
        "tables.a.columns.y: column y",
        "tables.b: second table",
    ]


def test_problems_lists_index_order_and_extend() -> None:
    document = {"keys": [{"a": 1}, {"b": 2}]}
    problems = Problems(document, root="scene")
    problems.extend(["keys[1].b: late", "keys[0]: early", "no path here"])
    assert problems.messages() == ["scene: no path here", "keys[0]: early", "keys[1].b: late"]
    assert list(problems) == problems.messages()


def test_empty_problems_do_not_raise() -> None:
    problems = Problems()
    problems.raise_if_any()
    assert not problems
