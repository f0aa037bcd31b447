"""Format-level validators of the free-text kinds: usernames, companies, job titles, sentences,
countries. They check shape only (characters, length, capitals); detection relies on the column
name for these kinds (see :mod:`._kinds`)."""

from __future__ import annotations

import re

from synthcraft.pii._validators import BoolArray, _each

__all__ = ["is_company", "is_country", "is_job_title", "is_sentence", "is_username"]

_USERNAME = re.compile(r"(?=[^\s]*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9])){2,31}")
_COMPANY = re.compile(r"[^\W_](?:[\w&'’.,()/+-]| (?! ))*[\w.)]")
_WORDS = re.compile(r"[^\W\d_](?:[^\W\d_]|[-'’.,()&/]| (?! ))*")
_SENTENCE = re.compile(r"[\"'“‘«¿¡(]?[^\W_][^\n\r\t]*[.!?…。！？][\"'”’»)]?")


def _not_lower(value: str) -> bool:
    return not value[:1].islower()


def _words(value: str, longest: int) -> bool:
    """Letters and name punctuation, no digits, trimmed, not starting with a lower-case letter."""
    return (
        2 <= len(value) <= longest
        and value == value.strip()
        and _not_lower(value)
        and _WORDS.fullmatch(value) is not None
    )


def is_username(values: object) -> BoolArray:
    """3 to 32 letters, digits and single ``.``/``_``/``-`` between them, at least one letter."""
    match = _USERNAME.fullmatch
    return _each(values, lambda v: match(v) is not None)


def is_company(values: object) -> BoolArray:
    """A one-line name of 2 to 100 characters with a letter, no doubled spaces, no ``@``."""
    match = _COMPANY.fullmatch
    return _each(
        values,
        lambda v: 2 <= len(v) <= 100 and any(c.isalpha() for c in v) and match(v) is not None,
    )


def is_job_title(values: object) -> BoolArray:
    """Words without digits, 2 to 80 characters, not starting with a lower-case letter."""
    return _each(values, lambda v: _words(v, 80))


def is_sentence(values: object) -> BoolArray:
    """One line of 2 to 1,000 characters, starting with a word, ending with ``.``/``!``/``?``."""
    match = _SENTENCE.fullmatch
    return _each(
        values,
        lambda v: (
            2 <= len(v) <= 1_000 and _not_lower(v.lstrip("\"'“‘«¿¡(")) and match(v) is not None
        ),
    )


def is_country(values: object) -> BoolArray:
    """A name of letters (``Germany``, ``Côte d'Ivoire``), 2 to 60 characters, no digits."""
    return _each(values, lambda v: _words(v, 60))
