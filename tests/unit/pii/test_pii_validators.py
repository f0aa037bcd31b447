"""Validators: known-valid examples pass, corrupted ones fail, check digits hold as properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthcraft.errors import UserInputError
from synthcraft.pii import validate
from synthcraft.pii._validators import iban_check_digits, luhn_check_digit, steuer_id_check_digit

VALID = {
    "email": ["a.b@example.com", "x+tag@mail.example.org", "o'neil@example.co.uk"],
    "phone": [
        "+49 30 23125000",
        "(212) 555-0123",
        "212-555-0123",
        "212.555.0123",
        "+1 212 555 0123",
        "07700 900123",
        "020 7946 0123",
        "+44 (0)20 7946 0123",
        "030/23125123",
        "0171 1234567",
        "+4930231250",
        "01 99 00 12 34",
        "+33 1 99 00 12 34",
        "612 345 678",
        "+34 612 345 678",
        "333 123 4567",
        "06 1234 5678",
        "06-12345678",
        "020 123 4567",
        "(11) 96123-4567",
        "+55 11 3123-4567",
        "090-1234-5678",
        "+81 3-1234-5678",
    ],
    "iban": [
        "GB82WEST12345698765432",
        "DE89370400440532013000",
        "GB82 WEST 1234 5698 7654 32",
        "NL91ABNA0417164300",
        "FR1420041010050500013M02606",
        "FR7630006000011234567890189",
        "ES9121000418450200051332",
        "IT60X0542811101000000123456",
        "BR1800360305000010009795493C1",
    ],
    "credit_card": [
        "4111111111111111",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "378282246310005",
        "6011111111111117",
        "5555555555554444",
    ],
    "ip_address": ["192.0.2.1", "203.0.113.255", "2001:db8::1", "::1", "fe80::1:2"],
    "url": [
        "https://example.com",
        "http://www.example.org/a/b?c=1#d",
        "https://[2001:db8::1]:8080/x",
        "http://192.0.2.7:8000/",
    ],
    "national_id": [
        "123-45-6789",
        "987-65-4321",
        "AB123456C",
        "AB 12 34 56 C",
        "86095742719",
        "47036892816",
        "65929970489",
        "2 55 08 14 168 025 38",
        "255081416802538",
        "12345678Z",
        "X1234567L",
        "RSSMRA85T10A562S",
        "111222333",
        "529.982.247-25",
        "52998224725",
        "123456789018",
        "1234 5678 9018",
    ],
    "postcode": [
        "12345",
        "12345-6789",
        "SW1A 1AA",
        "sw1a1aa",
        "EC1A 1BB",
        "W1A 0AX",
        "M1 1AE",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "01067",
        "GIR 0AA",
        "1012 AB",
        "1012AB",
        "01310-100",
        "100-0001",
    ],
    "street_address": [
        "123 Main St",
        "12 High Street",
        "1600 Pennsylvania Ave NW",
        "123 Main St Apt 4B",
        "Flat 2, 12 High Street",
        "Hauptstraße 12",
        "Berliner Straße 5a",
        "Am Markt 3",
        "Lindenallee 7-9",
        "12 Rue de la Paix",
        "3 bis Avenue Victor Hugo",
        "Calle Mayor, 3",
        "Via Roma, 12",
        "Corso Vittorio Emanuele II 18",
        "Kerkstraat 5a",
        "Rua Augusta, 1500",
        "丸の内1丁目9-1",
    ],
    "full_name": [
        "John Smith",
        "Ludwig van Beethoven",
        "Anna-Lena Müller",
        "Mary O'Neil",
        "佐藤 翔太",
        "María Carmen García López",
        "Ana dos Santos",
    ],
    "first_name": ["Anna", "Jean-Luc", "Mary Jane", "Jürgen", "翔太", "アキラ"],
    "last_name": ["Smith", "van der Berg", "O'Brien", "Müller-Lüdenscheidt", "dos Santos", "佐藤"],
    "city": [
        "Berlin",
        "Frankfurt am Main",
        "St. Louis",
        "Halle (Saale)",
        "Stoke-on-Trent",
        "Newcastle upon Tyne",
        "São Paulo",
        "東京都",
    ],
    "username": ["anna.smith", "jsmith42", "anna_smith", "a-b-c", "User2024"],
    "company": ["Smith & Jones LLC", "Müller GmbH", "van Tol B.V.", "佐藤株式会社", "eBay Inc."],
    "job_title": ["Accountant", "Anwalt / Anwältin", "Journaliste reporter d’images (JRI)", "医師"],
    "sentence": ["It works.", "¿Dónde está?", "Ça va !", "今日は晴れです。", '"Quoted," she said.'],
    "country": ["Germany", "Côte d'Ivoire", "Bosnia and Herzegovina", "ドイツ"],
}

INVALID = {
    "email": ["x@y", "john..doe@example.com", "@example.com", "a b@example.com", "plain"],
    "phone": ["1234567", "12345", "04/05/2021", "04.05.2021", "2021-05-04", "0.1234567", "abc"],
    "iban": [
        "GB83WEST12345698765432",
        "DE89370400440532013001",
        "XX89370400440532013000",
        "GB82WEST1234569876543",
        "DE8937040044053201300O",
    ],
    "credit_card": ["4111111111111112", "378282246310006", "123", "4111 11111 111 1111x"],
    "ip_address": ["256.1.1.1", "1.5", "192.0.2", "abc", "2001:db8:::1", "1.2.3.4.5"],
    "url": ["ftp://example.com", "https://", "example.com", "https://exa mple.com", "http//x.org"],
    "national_id": [
        "000-12-3456",
        "666-12-3456",
        "123-00-6789",
        "123-45-0000",
        "123456789",
        "QQ123456C",
        "BG123456A",
        "AB123456E",
        "DA123456A",
        "86095742718",
        "12345678903",
        "01234567891",
        "2 55 08 14 168 025 39",
        "12345678A",
        "RSSMRA85T10A562T",
        "111222334",
        "529.982.247-26",
        "111.111.111-11",
        "123456789019",
    ],
    "postcode": [
        "1234",
        "123456",
        "QQ1 1AA",
        "SW1A 1CA",
        "AAA 1AA",
        "12345-67",
        "1012 SA",
        "0123 AB",
        "01310-10",
    ],
    "street_address": ["4 apples", "The quick brown fox", "2 bedrooms", "Main St", "Hauptstraße"],
    "full_name": ["john smith", "Smith", "Male", "John Smith 3", "The Quick Brown Fox Jumps Over"],
    "first_name": ["anna", "A1", "Anna Maria Luise", "J.", ""],
    "last_name": ["smith", "Smith3", "van der", ""],
    "city": ["berlin", "123", "Berlin 10115", ""],
    "username": ["a", "anna smith", "anna..smith", "anna.", "_anna", "a@example.com", "1234"],
    "company": ["", "x", "a@b.com", "Foo  Bar", " Lead"],
    "job_title": ["engineer", "Engineer 2", "", "Nurse "],
    "sentence": ["hello world.", "No punctuation", "Two\nlines.", "."],
    "country": ["germany", "Germany1", "", "X"],
}


@pytest.mark.parametrize("kind", sorted(VALID))
def test_known_valid_values_pass(kind: str) -> None:
    result = validate(kind, VALID[kind])
    assert result.dtype == np.bool_
    rejected = [v for v, ok in zip(VALID[kind], result, strict=True) if not ok]
    assert rejected == []


@pytest.mark.parametrize("kind", sorted(INVALID))
def test_known_invalid_values_fail(kind: str) -> None:
    result = validate(kind, INVALID[kind])
    accepted = [v for v, ok in zip(INVALID[kind], result, strict=True) if ok]
    assert accepted == []


def test_non_strings_and_empty_input_are_handled() -> None:
    assert validate("email", [None, 3, np.nan, b"a@example.com"]).tolist() == [False] * 4
    assert validate("iban", []).shape == (0,)
    assert validate("credit_card", np.array([4111111111111111])).tolist() == [False]
    assert validate("email", "a@example.com").tolist() == [True]


def test_unknown_kind_lists_the_kinds() -> None:
    with pytest.raises(UserInputError, match=r"unknown PII kind 'passport'.*email"):
        validate("passport", ["x"])


def test_changed_check_digit_is_rejected() -> None:
    iban = "DE89370400440532013000"
    assert validate("iban", [iban, iban[:2] + "88" + iban[4:]]).tolist() == [True, False]
    card = "4012888888881881"
    assert validate("credit_card", [card, card[:-1] + "2"]).tolist() == [True, False]
    steuer = "86095742719"
    assert validate("national_id", [steuer, steuer[:-1] + "8"]).tolist() == [True, False]


def test_steuer_id_needs_one_repeated_digit() -> None:
    # all ten leading digits distinct: no digit repeats, so not a Steuer-ID even with a check
    head = "1234567890"
    check = int(steuer_id_check_digit([head])[0])
    assert not validate("national_id", [head + str(check)])[0]
    head = "1123456789"
    check = int(steuer_id_check_digit([head])[0])
    assert validate("national_id", [head + str(check)])[0]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_luhn_digit_completes_any_payload(payload: str) -> None:
    check = int(luhn_check_digit([payload])[0])
    number = payload + str(check)
    assert validate("credit_card", [number])[0]
    wrong = payload + str((check + 1) % 10)
    assert not validate("credit_card", [wrong])[0]


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=18, max_size=18),
    st.integers(min_value=0, max_value=17),
    st.integers(min_value=1, max_value=9),
)
def test_iban_check_digits_catch_any_single_digit_change(
    bban: str, position: int, delta: int
) -> None:
    iban = "DE" + iban_check_digits("DE", [bban])[0] + bban
    assert validate("iban", [iban])[0]
    changed = str((int(bban[position]) + delta) % 10)
    corrupted = iban[: 4 + position] + changed + iban[5 + position :]
    assert not validate("iban", [corrupted])[0]
