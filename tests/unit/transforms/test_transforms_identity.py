"""Ids and PII: decoded values are valid, unique where required and share nothing with the fit."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthcraft import pii
from synthcraft.errors import DataError, MetadataError, UserInputError
from synthcraft.metadata import Column, ColumnKind
from synthcraft.transforms import Encoder, IdEncoder, PiiEncoder

SETTINGS = settings(max_examples=30, deadline=None)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def decode(encoder: Encoder, n: int, seed: int, start: int = 0) -> pd.Series:
    return encoder.inverse_transform(np.zeros((n, 0)), rng=np.random.default_rng(seed), start=start)


def fit_id(values: Sequence[object], dtype: str, unique: bool = True) -> IdEncoder:
    s = pd.Series(values, dtype=dtype, name="id")
    enc = IdEncoder().fit(s, Column("id", ColumnKind.ID, dtype, unique=unique))
    assert enc.transform(s).shape == (len(s), 0)
    return enc


def check_new_ids(enc: IdEncoder, fitted: Sequence[object], n: int, seed: int) -> pd.Series:
    """Two blocks decoded apart: same dtype, unique over both, none equal to a fitted id."""
    first, second = decode(enc, n, seed), decode(enc, n, seed + 1, start=n)
    both = pd.concat([first, second], ignore_index=True)
    assert str(both.dtype) == enc.dtype_
    assert both.notna().all()
    assert both.is_unique
    assert not set(both) & {v for v in fitted if v is not None}
    saved = Encoder.from_state(*enc.get_state())
    pd.testing.assert_series_equal(decode(saved, n, seed), first)
    return both


@SETTINGS
@given(st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=40, unique=True), st.integers())
def test_integer_ids_are_new_and_unique(values: list[int], seed: int) -> None:
    enc = fit_id([*values], "Int64")
    assert enc.style_ == "integer"
    check_new_ids(enc, [*values], 25, abs(seed))


@SETTINGS
@given(
    st.sampled_from(["", "C-", "ORD", "x_"]),
    st.lists(st.integers(0, 10**6), min_size=1, max_size=40, unique=True),
    st.booleans(),
)
def test_prefixed_number_codes_keep_prefix_and_padding(
    prefix: str, numbers: list[int], padded: bool
) -> None:
    values = [f"{prefix}{k:07d}" if padded else f"{prefix}{k}" for k in numbers]
    enc = fit_id(values, "str")
    assert enc.style_ == "number"
    out = check_new_ids(enc, values, 20, 3)
    assert all(v.startswith(prefix) and v[len(prefix) :].isdigit() for v in out)
    if padded:
        assert all(len(v) == len(prefix) + 7 for v in out)


@SETTINGS
@given(st.integers(1, 60), st.booleans(), st.integers(0, 2**32))
def test_uuid_ids_become_new_version_8_uuids(n_fit: int, upper: bool, seed: int) -> None:
    gen = np.random.default_rng(seed)
    values = [str(uuid.UUID(bytes=gen.bytes(16), version=4)) for _ in range(n_fit)]
    values = [v.upper() for v in values] if upper else values
    enc = fit_id(values, "str")
    assert enc.style_ == "uuid"
    out = check_new_ids(enc, values, 30, seed)
    assert all(UUID.fullmatch(v.lower()) for v in out)
    assert all((v == v.upper()) == upper or not any(c.isalpha() for c in v) for v in out)


@SETTINGS
@given(
    st.sampled_from(["0123456789abcdef", "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", "ab"]),
    st.integers(1, 12),
    st.integers(1, 80),
    st.integers(0, 2**32),
)
def test_fixed_shape_codes_keep_length_and_alphabet(
    alphabet: str, length: int, n_fit: int, seed: int
) -> None:
    gen = np.random.default_rng(seed)
    values = sorted({"".join(gen.choice(list(alphabet), size=length)) for _ in range(n_fit)})
    values = [v for v in values if not v.isdigit()] or ["a" * length]
    enc = fit_id(values, "str")
    assert enc.style_ in ("shape", "number")
    out = check_new_ids(enc, values, 15, seed)
    if enc.style_ == "shape":
        # Same length, one more when every position was exhausted, longer once codes run out.
        assert all(len(v) >= length for v in out)
        allowed = set((enc.free_chars_ or "") + "".join(enc.alphabets_ or []) + "0123456789")
        assert set("".join(out)) <= allowed


def test_hex_codes_exhausting_every_position_grow_one_character(seed: int) -> None:
    gen = np.random.default_rng(seed)
    values = list(dict.fromkeys(gen.bytes(4).hex() for _ in range(400)))
    enc = fit_id(values, "str")
    assert enc.style_ == "shape"
    assert enc.free_position_ == -1
    out = check_new_ids(enc, values, 50, seed)
    assert all(len(v) == 9 and re.fullmatch(r"[0-9a-f]+", v) for v in out)


def test_variable_length_codes_are_longer_than_every_fitted_code(seed: int) -> None:
    values = ["ab", "c-d", "efgh", "x"]
    out = check_new_ids(fit_id(values, "str"), values, 10, seed)
    assert all(len(v) == 5 and v.isalpha() for v in out)


def test_state_holds_no_real_id(seed: int) -> None:
    values = [f"{k:x}-{k * 7919 % 10007:05d}" for k in range(100, 160)]
    for style_values in (values, [str(uuid.UUID(int=k * 99991, version=4)) for k in range(50)]):
        text = repr(fit_id(style_values, "str").get_state())
        assert not any(v in text for v in style_values)


def test_non_unique_ids_repeat_and_missing_ids_come_back(seed: int) -> None:
    values = [1, 1, 2, 2, None, 3, 3, 3, None, None]
    enc = fit_id(values, "Int64", unique=False)
    out = decode(enc, 2000, seed)
    assert not out.is_unique
    assert 0.2 < out.isna().mean() < 0.4
    assert out.dropna().min() > 3


def test_ids_of_other_dtypes_are_refused() -> None:
    s = pd.Series([1.5, 2.5], name="id")
    with pytest.raises(DataError, match="whole numbers"):
        IdEncoder().fit(s, Column("id", ColumnKind.ID, "float64"))


REAL = {
    "email": ["anna.schmidt@gmail.com", "bob@company.co.uk", "carol.jones@yahoo.com"],
    "phone": ["212-736-5000", "+1 415 867 5309", "(646) 555-1212"],
    "ip_address": ["8.8.8.8", "142.250.74.46", "10.0.0.1"],
    "credit_card": ["4532015112830366", "5425233430109903", "374245455400126"],
    "iban": ["DE89370400440532013000", "GB29NWBK60161331926819"],
    "national_id": ["123-45-6789", "078-05-1120", "219-09-9999"],
    "url": ["https://github.com/pandas-dev", "http://news.ycombinator.com/item"],
}


@pytest.mark.parametrize("kind", sorted(REAL))
def test_pii_fakes_are_valid_unique_and_not_real(kind: str, seed: int) -> None:
    real = REAL[kind]
    s = pd.Series([*real, None], dtype="str", name="p")
    col = Column("p", ColumnKind.PII, "str", pii_kind=kind, unique=True)
    enc = PiiEncoder().fit(s, col)
    assert enc.output_names == []
    out = decode(enc, 300, seed)
    assert str(out.dtype) == "str"
    present = out.dropna()
    assert 0 < len(present) < 300
    assert pii.validate(kind, present.to_numpy()).all()
    assert present.is_unique
    assert not set(present) & set(real)
    saved = Encoder.from_state(*enc.get_state())
    pd.testing.assert_series_equal(decode(saved, 300, seed), out)
    assert not any(v in repr(enc.get_state()) for v in real)


@SETTINGS
@given(st.sampled_from(pii.list_kinds()), st.sampled_from(pii.LOCALES), st.integers(0, 2**32))
def test_pii_fakes_of_every_kind_and_locale_are_valid(kind: str, locale: str, seed: int) -> None:
    s = pd.Series(["someone"] * 3, dtype="str", name="p")
    enc = PiiEncoder(locale=locale).fit(s, Column("p", ColumnKind.PII, "str", pii_kind=kind))
    out = decode(enc, 40, seed)
    assert out.notna().all()
    assert pii.validate(kind, out.to_numpy()).all()
    pd.testing.assert_series_equal(decode(enc, 40, seed), out)


def test_pii_unique_beyond_the_kinds_word_list_is_refused(seed: int) -> None:
    col = Column("p", ColumnKind.PII, "str", pii_kind="first_name", unique=True)
    enc = PiiEncoder().fit(pd.Series(["Ann"], dtype="str", name="p"), col)
    with pytest.raises(DataError, match="unique values"):
        decode(enc, 5000, seed)


def test_pii_needs_a_known_kind_and_locale() -> None:
    s = pd.Series(["x"], dtype="str", name="p")
    with pytest.raises(MetadataError, match="pii_kind"):
        PiiEncoder().fit(s, Column("p", ColumnKind.PII, "str"))
    with pytest.raises(UserInputError, match="unknown PII kind"):
        PiiEncoder().fit(s, Column("p", ColumnKind.PII, "str", pii_kind="shoe_size"))
    with pytest.raises(UserInputError, match="locale"):
        PiiEncoder(locale="xx_XX").fit(s, Column("p", ColumnKind.PII, "str", pii_kind="email"))
