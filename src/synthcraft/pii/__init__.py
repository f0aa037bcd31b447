"""PII kinds: recognisers with validators, and safe vectorised fake-value providers.

Eighteen kinds (:func:`list_kinds`) in nine locales (:data:`LOCALES`). :func:`validate` checks
format and check digits, :func:`detect_pii_kind` names the kind a column holds, and
:func:`generate` draws valid fake values that are safe by construction where the world allows:
reserved e-mail domains, fiction phone ranges, test card numbers, documentation IP ranges (see
:mod:`._providers` for what is only format-valid). :func:`generate_from_names` makes e-mails and
usernames that match a name column; :func:`generate_unique` gives values that never repeat in a
table generated block by block, within :func:`space_size` values.

Examples
--------
>>> from synthcraft.pii import generate, validate
>>> values = generate("iban", 3, 0, locale="de_DE")
>>> bool(validate("iban", values).all())
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from synthcraft._rng import check_rng
from synthcraft._types import SeedLike
from synthcraft.errors import UserInputError
from synthcraft.pii._kinds import LOCALES, PiiKind, check_locale, get_kind, list_kinds, validate
from synthcraft.pii._matching import generate_from_names
from synthcraft.pii._providers import PROVIDERS
from synthcraft.pii._recognise import detect_pii_kind
from synthcraft.pii._unique import generate_unique, space_size

__all__ = [
    "LOCALES",
    "PiiKind",
    "detect_pii_kind",
    "generate",
    "generate_from_names",
    "generate_unique",
    "get_kind",
    "list_kinds",
    "space_size",
    "validate",
]


def generate(
    kind: str, n: int, seed_or_rng: SeedLike = None, *, locale: str = "en_US"
) -> npt.NDArray[Any]:
    """``n`` valid fake values of ``kind`` (an object array of ``str``).

    Parameters
    ----------
    kind : str
        A name from :func:`list_kinds`.
    n : int
        How many values, at least 0.
    seed_or_rng : int, numpy.random.Generator, numpy.random.SeedSequence or None
        The same seed gives the same values; global random state is never used.
    locale : str
        One of :data:`LOCALES`.

    Returns
    -------
    numpy.ndarray
        ``n`` Python strings, each passing ``validate(kind, ...)``.

    Examples
    --------
    >>> generate("email", 2, 7)[0].endswith(("example.com", "example.org", "example.net"))
    True
    """
    provider = PROVIDERS[get_kind(kind).name]
    check_locale(locale)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise UserInputError(f"n must be a whole number of values >= 0, got {n!r}; pass e.g. 100")
    rng = check_rng(seed_or_rng)
    if n == 0:
        return np.empty(0, dtype=object)
    return np.asarray(provider(int(n), rng, locale), dtype=np.str_).astype(object)
