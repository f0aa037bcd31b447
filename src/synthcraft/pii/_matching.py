"""E-mail addresses and usernames made from given full names.

Names are split with vectorised string functions: the first word is the given name, the
remaining words the family name. Each *distinct* word group is folded to lower-case ASCII once
(Python over the distinct groups only; rows reuse the result through ``pandas.factorize``
codes): ``"José Núñez"`` -> ``jose``, ``nunez``; ``"Jürgen Weiß"`` in de_DE -> ``juergen``,
``weiss``. Japanese names written family name first (``"佐藤 翔太"``) are romanised when both
words are built-in names (``shota``, ``sato``); other names without Latin letters, and missing
names, fall back to the local part ``user``. Rows then combine the parts with vectorised
patterns (``first.last``, ``flast``, ``first_last42``, ...).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from synthcraft._rng import check_rng
from synthcraft._types import SeedLike
from synthcraft.errors import UserInputError
from synthcraft.pii import _data
from synthcraft.pii import _wordlists as w
from synthcraft.pii._forms import IntArray, StrArray, join, num_str, select
from synthcraft.pii._kinds import check_locale, get_kind
from synthcraft.pii._providers import local_parts

__all__ = ["ascii_parts", "generate_from_names", "name_local_parts", "random_local_parts"]

_FALLBACK = "user"


def _fold_all(tokens: npt.NDArray[Any], locale: str) -> tuple[IntArray, StrArray]:
    """Codes into, and ASCII folds of, the distinct strings of ``tokens``."""
    codes, uniques = pd.factorize(tokens)
    folded = np.asarray([w.ascii_fold(x, locale) for x in uniques.tolist()] + [""], dtype=np.str_)
    return np.asarray(codes, dtype=np.int64), folded


def ascii_parts(names: npt.ArrayLike, locale: str) -> tuple[StrArray, StrArray]:
    """Per row the ASCII given and family name (``""`` where unknown or missing).

    The first word is the given name, the rest the family name (ja_JP: family name first when
    both words are built-in names). Each distinct word group is folded once.
    """
    values = np.asarray(names, dtype=object).ravel()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = np.asarray([x if isinstance(x, str) else "" for x in uniques.tolist()] + [""])
    rows = np.where(codes < 0, len(texts) - 1, codes)
    head, _, tail = np.strings.partition(np.strings.strip(texts.astype(np.str_)), " ")
    head_codes, head_folded = _fold_all(head, locale)
    tail_codes, tail_folded = _fold_all(tail, locale)
    given, family = head_folded[head_codes], tail_folded[tail_codes]
    if locale == "ja_JP":
        names_ = w.romaji()
        head_roman = np.asarray([names_.get(x, "") for x in head.tolist()], dtype=np.str_)
        tail_roman = np.asarray([names_.get(x.strip(), "") for x in tail.tolist()], dtype=np.str_)
        known = (np.strings.str_len(head_roman) > 0) & (np.strings.str_len(tail_roman) > 0)
        given = np.where(known, tail_roman, given)
        family = np.where(known, head_roman, family)
    lone = (
        np.strings.str_len(given) == 0
    )  # "アキラ Smith": the first readable word is the given name
    given, family = np.where(lone, family, given), np.where(lone, "", family)
    return given[rows], family[rows]


def _short(part: StrArray, longest: int) -> StrArray:
    """At most ``longest`` characters, not ending in a separator."""
    out: StrArray = np.strings.rstrip(np.strings.slice(part, 0, longest), "._-")
    return out


def random_local_parts(
    names: npt.ArrayLike, rng: np.random.Generator, locale: str, *, longest: int
) -> StrArray:
    """Local parts from the names, with random patterns and numbers (not unique)."""
    given, family = ascii_parts(names, locale)
    n = given.shape[0]
    number = num_str(rng.integers(1, 100, size=n))
    which: npt.NDArray[np.intp] = np.asarray(rng.integers(0, 8, size=n), dtype=np.intp)
    known = np.strings.str_len(given) > 0
    alone = join(np.where(known, given, _FALLBACK), number)
    both = local_parts(given, family, number, which)
    lone = np.strings.str_len(family) == 0
    return _short(select(lone.astype(np.intp), both, alone), longest)


_UNIQUE_PATTERNS = 5


def name_local_parts(names: npt.ArrayLike, selector: IntArray, locale: str) -> StrArray:
    """Local parts from the names without numbers (the unique suffix follows), 3 to 20 chars.

    Patterns ``first.last``, ``first_last``, ``flast``, ``last.first``, ``firstlast`` by
    ``selector``; a lone name stands alone, a missing one becomes ``user``.
    """
    given, family = ascii_parts(names, locale)
    given = np.where(np.strings.str_len(given) > 0, given, _FALLBACK)
    initial = np.strings.slice(given, 0, 1)
    both = select(
        (selector % _UNIQUE_PATTERNS).astype(np.intp),
        join(given, ".", family),
        join(given, "_", family),
        join(initial, family),
        join(family, ".", given),
        join(given, family),
    )
    local = np.where(np.strings.str_len(family) > 0, both, given)
    local = _short(local, 20)
    return np.where(np.strings.str_len(local) < 3, join(local, "_", _FALLBACK), local)


def generate_from_names(
    kind: str, names: npt.ArrayLike, rng: SeedLike = None, *, locale: str = "en_US"
) -> npt.NDArray[Any]:
    """E-mail addresses or usernames made from each row's full name (not unique).

    Parameters
    ----------
    kind : {"email", "username"}
        What to make.
    names : array-like
        Full names, one per row (missing values give ``user42``-style local parts).
    rng : int, numpy.random.Generator, numpy.random.SeedSequence or None
        Source of the patterns and numbers.
    locale : str
        One of :data:`LOCALES`; decides how names are folded to ASCII (``ü`` -> ``ue`` in
        de_DE) and romanised (ja_JP).

    Returns
    -------
    numpy.ndarray
        One Python string per name (object array), each valid for ``kind``.

    Examples
    --------
    >>> generate_from_names("email", ["Anna Müller"], 1, locale="de_DE")[0]
    'mueller.anna@example.org'
    """
    name = get_kind(kind).name
    check_locale(locale)
    if name not in ("email", "username"):
        raise UserInputError(
            f"values made from names exist for 'email' and 'username' only, not {name!r}"
        )
    generator = check_rng(rng)
    values = np.asarray(names, dtype=object).ravel()
    if values.shape[0] == 0:
        return np.empty(0, dtype=object)
    if name == "username":
        return random_local_parts(values, generator, locale, longest=32).astype(object)
    local = random_local_parts(values, generator, locale, longest=40)
    domains = w.weighted(("@" + d, weight) for d, weight in _data.EMAIL_DOMAINS)
    return join(local, domains.draw(generator, values.shape[0])).astype(object)
