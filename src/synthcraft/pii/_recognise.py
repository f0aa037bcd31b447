"""Recognise which PII kind a column holds, from its name and a sample of its values."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from synthcraft.pii._kinds import KINDS, PiiKind

__all__ = ["SAMPLE_SIZE", "detect_pii_kind", "normalise_name"]

SAMPLE_SIZE = 1_000
"""Non-missing values checked per column: the first ones, no randomness."""

_SHARE_PLAIN = 0.9
_SHARE_HINTED = 0.7
_MIN_DISTINCT = 0.5
_CAMEL_LOWER = re.compile(r"([a-z0-9äöüß])([A-Z])")
_CAMEL_UPPER = re.compile(r"([A-Z]+)([A-Z][a-z])")
_NOT_WORD = re.compile(r"[^0-9a-zäöüß]+")

_DIGIT_AMBIGUOUS = frozenset({"phone", "national_id"})
"""Kinds that plain digit strings (ids, counts) could pass; they need a name hint then."""

_NUMERIC_KINDS = frozenset({"phone", "national_id", "credit_card", "postcode"})
"""Kinds that a numeric column can hold (only with a name hint)."""


_MIN_DIGITS = {
    "credit_card": 13,
    "phone": 7,
    "national_id": 6,
    "iban": 2,
    "street_address": 1,
    "postcode": 1,
}
"""Fewest digits in any valid value of a kind: a cheap bound checked before the validator."""


class _Features:
    """Counts over the whole sample that bound how many values any validator can accept."""

    def __init__(self, texts: list[str]) -> None:
        joined = "\n".join(texts)
        self.digits = sum(map(joined.count, "0123456789"))
        self.at = joined.count("@")
        self.scheme = joined.count("://")
        self.dots_colons = joined.count(".") + joined.count(":")

    def may_reach(self, kind: str, need: int) -> bool:
        """False when fewer than ``need`` values can be valid values of ``kind``."""
        if kind == "email":
            return self.at >= need
        if kind == "url":
            return self.scheme >= need
        if kind == "ip_address":
            return self.dots_colons >= 2 * need
        return self.digits >= _MIN_DIGITS.get(kind, 0) * need


def normalise_name(name: str) -> str:
    """Lower-case ``name`` with words joined by ``_`` (``"eMailAddress"`` -> ``"e_mail_address"``).

    Examples
    --------
    >>> normalise_name("ZIPCode"), normalise_name("First Name")
    ('zip_code', 'first_name')
    """
    text = _CAMEL_UPPER.sub(r"\1_\2", _CAMEL_LOWER.sub(r"\1_\2", str(name)))
    return _NOT_WORD.sub("_", text.lower()).strip("_")


def _first_values(values: pd.Series[Any]) -> pd.Series[Any]:
    """The first :data:`SAMPLE_SIZE` values that are not missing (blanks go later)."""
    parts: list[pd.Series[Any]] = []
    found = 0
    start = 0
    step = SAMPLE_SIZE * 2
    while found < SAMPLE_SIZE and start < len(values):
        chunk = values.iloc[start : start + step]
        chunk = chunk[chunk.notna()]
        parts.append(chunk.iloc[: SAMPLE_SIZE - found])
        found += len(parts[-1])
        start += step
        step *= 4
    if not parts:
        return values.iloc[:0]
    return pd.concat(parts) if len(parts) > 1 else parts[0]


def _text_sample(sample: pd.Series[Any]) -> list[str] | None:
    """Stripped non-blank strings of a text column, or None when the column is not text."""
    dtype = sample.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        sample = sample.astype(object)
    elif not (pd.api.types.is_string_dtype(dtype) or dtype == np.dtype(object)):
        return None
    items = sample.tolist()
    if not all(isinstance(item, str) for item in items):
        return None
    stripped = [item.strip() for item in items]
    return [item for item in stripped if item]


def _integer_sample(sample: pd.Series[Any]) -> list[str] | None:
    """Digit strings of whole, non-negative numbers (any dtype, object too), else None."""
    items = sample.tolist()
    if any(isinstance(x, bool) or not isinstance(x, (int, float, np.number)) for x in items):
        return None
    numbers = np.asarray(items, dtype=np.float64)
    if not np.all(np.isfinite(numbers)) or np.any(numbers != np.round(numbers)):
        return None
    if np.any(numbers < 0) or np.any(numbers >= 1e19):
        return None
    return [str(int(x)) for x in items]


def _numeric_forms(kind: str, digits: list[str]) -> list[list[str]]:
    """Ways a kind's values could have been stored as integers (leading zeros or '+' lost)."""
    if kind == "phone":
        return [["+" + d for d in digits], ["0" + d for d in digits]]
    if kind == "postcode":
        return [[d.zfill(5) for d in digits]]
    if kind == "national_id":
        ssn = [f"{d.zfill(9)[:3]}-{d.zfill(9)[3:5]}-{d.zfill(9)[5:]}" for d in digits]
        return [digits, ssn]
    return [digits]


def _accepts(
    kind: PiiKind, values: list[str], share: float, features: _Features | None = None
) -> bool:
    """Whether ``kind``'s validator accepts at least ``share`` of ``values``.

    Rejects early on the sample's character counts, then checks a first slice just large enough
    to reject a column that cannot reach the share, so columns of another kind cost little.
    """
    n = len(values)
    if features is not None and not features.may_reach(kind.name, math.ceil(share * n - 1e-9)):
        return False
    allowed = math.floor(n * (1.0 - share) + 1e-9)
    head = np.asarray(values[: allowed + 1], dtype=object)
    accepted = int(np.count_nonzero(kind.validator(head)))
    if len(head) - accepted > allowed:
        return False
    rest = np.asarray(values[allowed + 1 :], dtype=object)
    if len(rest):
        accepted += int(np.count_nonzero(kind.validator(rest)))
    return accepted >= share * n - 1e-9


def detect_pii_kind(name: str, values: pd.Series[Any]) -> str | None:
    """The PII kind a column holds, or None.

    Checks the first 1,000 non-missing values (no randomness). A kind is chosen when its
    validator accepts at least 90% of them, or 70% when the column name matches the kind's
    ``name_pattern``. Kinds whose content alone is ambiguous (names, cities, postcodes) need a
    name match too. Columns with under 50% distinct values, and digit-only text, are only
    matched with a name hint (and never to companies, job titles, countries or sentences,
    which are then ordinary categories); numeric columns only to phones, national ids, card
    numbers and postcodes, with a name hint.

    Parameters
    ----------
    name : str
        Column name.
    values : pandas.Series
        Column values.

    Returns
    -------
    str or None
        A name from :func:`~synthcraft.pii.list_kinds`, or None.

    Examples
    --------
    >>> import pandas as pd
    >>> detect_pii_kind("contact", pd.Series(["ann@example.com", "bob@example.org"]))
    'email'
    """
    if not isinstance(values, pd.Series):
        values = pd.Series(values)
    norm = normalise_name(name)
    hinted = [kind for kind in KINDS.values() if kind.name_pattern.search(norm)]
    sample = _first_values(values)
    if len(sample) == 0:
        return None
    texts = _text_sample(sample)
    if texts is None:
        return _detect_numeric(hinted, sample)
    if not texts:
        return None
    features = _Features(texts)
    varied = len(set(texts)) >= _MIN_DISTINCT * len(texts)
    for kind in hinted:
        if _accepts(kind, texts, _SHARE_HINTED, features):
            # a company or job column with few distinct values is a category, not PII
            return kind.name if varied or not kind.needs_variety else None
    if not varied:
        return None
    digit_heavy = sum(t.isdecimal() and t.isascii() for t in texts) >= 0.5 * len(texts)
    for kind in KINDS.values():
        if kind.needs_name_hint or kind in hinted:
            continue
        if digit_heavy and kind.name in _DIGIT_AMBIGUOUS:
            continue
        if _accepts(kind, texts, _SHARE_PLAIN, features):
            return kind.name
    return None


def _detect_numeric(hinted: list[PiiKind], sample: pd.Series[Any]) -> str | None:
    candidates = [kind for kind in hinted if kind.name in _NUMERIC_KINDS]
    if not candidates:
        return None
    digits = _integer_sample(sample)
    if digits is None:
        return None
    for kind in candidates:
        if any(_accepts(kind, form, _SHARE_HINTED) for form in _numeric_forms(kind.name, digits)):
            return kind.name
    return None
