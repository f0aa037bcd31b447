"""The kind registry: names, lookups, and the PiiKind record."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import synthcraft.pii as pii
from synthcraft.errors import UserInputError
from synthcraft.pii import LOCALES, PiiKind, get_kind, list_kinds

EXPECTED = [
    "city",
    "credit_card",
    "email",
    "first_name",
    "full_name",
    "iban",
    "ip_address",
    "last_name",
    "national_id",
    "phone",
    "postcode",
    "street_address",
    "url",
]


def test_list_kinds_is_sorted_and_complete() -> None:
    assert list_kinds() == EXPECTED
    assert LOCALES == ("de_DE", "en_GB", "en_US")
    assert pii.__all__ == sorted(pii.__all__)


def test_get_kind_returns_a_frozen_record() -> None:
    kind = get_kind("email")
    assert isinstance(kind, PiiKind)
    assert kind.name == "email"
    assert kind.unique
    assert not kind.needs_name_hint
    assert kind.validator(np.array(["a@example.com", "nope"], dtype=object)).tolist() == [
        True,
        False,
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        kind.name = "other"  # type: ignore[misc]


def test_ambiguous_kinds_need_a_name_hint() -> None:
    hinted = {k for k in list_kinds() if get_kind(k).needs_name_hint}
    assert hinted == {"city", "first_name", "full_name", "last_name", "postcode"}


@pytest.mark.parametrize("name", ["Email", "passport", "", None])
def test_unknown_kind_is_a_user_input_error(name: object) -> None:
    with pytest.raises(UserInputError, match=r"unknown PII kind.*use one of: city, credit_card"):
        get_kind(name)  # type: ignore[arg-type]
