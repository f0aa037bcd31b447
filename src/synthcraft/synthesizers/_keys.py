"""Keyed pseudonyms and key formats: vectorised hashing, a keyed permutation, id styles.

Everything here works on ``uint64`` arrays without per-row Python. A *style* describes how the
ids of one column look (an integer, a prefix and zero-padded digits, a prefix and a fixed number
of letters and digits, a UUID) without holding any real id; :func:`format_ids` writes numbers in
that style, so that regenerated keys and pseudonyms look like the real ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api import types as ptypes

__all__ = ["IdStyle", "derive_keys", "format_ids", "infer_style", "keyed_hash", "permute"]

U64 = npt.NDArray[np.uint64]
StyleType = Literal["int", "digits", "chars", "uuid"]

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_ROUNDS = 4
MIN_DOMAIN = 65_536
"""Pseudonyms are drawn from at least this many distinct values (one block's worth)."""

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_CHARSETS = (
    "0123456789abcdef",
    "0123456789ABCDEF",
    "0123456789abcdefghijklmnopqrstuvwxyz",
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
)


def _mix(x: U64) -> U64:
    """SplitMix64 finaliser: a fast, well-spread bijection of 64-bit words."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def derive_keys(entropy: Any, column: int) -> U64:
    """Round keys for one column from a seed's ``entropy`` (the same in every block)."""
    state = np.random.SeedSequence(entropy).generate_state(_ROUNDS + 1, dtype=np.uint64)
    salt = _mix(np.array([column + 1], dtype=np.uint64))
    return _mix(state ^ salt)


def keyed_hash(x: U64, keys: U64) -> U64:
    """A keyed 64-bit hash of each value."""
    return _mix(_mix(x ^ keys[-1]) ^ keys[0])


def _feistel(x: U64, keys: U64, half: int) -> U64:
    shift = np.uint64(half)
    mask = np.uint64((1 << half) - 1)
    left, right = x >> shift, x & mask
    for key in keys[:_ROUNDS]:
        left, right = right, left ^ (_mix(right ^ key) & mask)
    return (left << shift) | right


def permute(codes: U64, keys: U64, domain: int) -> U64:
    """A keyed permutation of ``range(domain)`` applied to ``codes`` (each ``< domain``).

    A balanced Feistel network over the next even number of bits, with cycle walking back
    into the domain: distinct codes always give distinct results.
    """
    bits = max(2, (domain - 1).bit_length())
    bits += bits % 2
    half = bits // 2
    out = _feistel(codes, keys, half)
    if domain < 2**64:
        redo = out >= np.uint64(domain)
        while redo.any():
            out[redo] = _feistel(out[redo], keys, half)
            redo[redo] = out[redo] >= np.uint64(domain)
    return out


@dataclass(frozen=True)
class IdStyle:
    """How the ids of a column look; holds no real id.

    ``int``: whole numbers of ``width`` digits; ``digits``: ``prefix`` + digits zero-padded to
    ``width`` (0: no padding); ``chars``: ``prefix`` + ``width`` characters of ``charset``;
    ``uuid``: canonical UUIDs, ``upper`` case or not.
    """

    type: StyleType
    prefix: str = ""
    width: int = 0
    charset: str = ""
    upper: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "type": self.type,
            "prefix": self.prefix,
            "width": self.width,
            "charset": self.charset,
            "upper": self.upper,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IdStyle:
        """Inverse of :meth:`to_dict`."""
        kind = str(data["type"])
        if kind not in ("int", "digits", "chars", "uuid"):
            raise ValueError(f"unknown id style {kind!r}")
        return cls(
            type=kind,  # type: ignore[arg-type]
            prefix=str(data.get("prefix", "")),
            width=int(data.get("width", 0)),
            charset=str(data.get("charset", "")),
            upper=bool(data.get("upper", False)),
        )

    @property
    def base(self) -> int:
        """Number of symbols per position (10 for digits, the charset size for codes)."""
        return len(self.charset) if self.type == "chars" else 10

    @property
    def pseudonym_width(self) -> int:
        """Width of pseudonyms: the real width, widened until :data:`MIN_DOMAIN` values fit.

        Integers get at least 5 digits; unpadded digits (width 0) stay unpadded.
        """
        if self.type == "int":
            return max(self.width, 5)
        if self.width == 0 or self.type == "uuid":
            return self.width
        width = self.width
        while self.base**width < MIN_DOMAIN:
            width += 1
        return width

    @property
    def domain(self) -> int:
        """How many distinct pseudonyms fit the style (at least :data:`MIN_DOMAIN`)."""
        width = self.pseudonym_width
        size: int = 2**64
        if self.type == "int":
            size = 9 * 10 ** (width - 1)
        elif self.type != "uuid":
            size = min(max(self.base**width, MIN_DOMAIN), 2**62)
        return size


def _common_prefix(first: str, last: str) -> str:
    """Longest common prefix of the smallest and largest string (so of all of them)."""
    size = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        size += 1
    return first[:size]


def infer_style(values: pd.Series) -> IdStyle:
    """The style of the non-missing ``values`` of an id column."""
    values = values.dropna()
    if ptypes.is_numeric_dtype(values.dtype) and not ptypes.is_bool_dtype(values.dtype):
        numbers = np.abs(values.to_numpy(dtype=np.float64))
        median = float(np.median(numbers)) if numbers.size else 0.0
        return IdStyle("int", width=len(str(int(median))))
    text = values.astype("str")
    if text.empty:
        return IdStyle("digits", prefix="id", width=0)
    if bool(text.str.fullmatch(_UUID.pattern).all()):
        return IdStyle("uuid", upper=bool(text.str.contains("[A-F]", regex=True).any()))
    shortest = int(text.str.len().min())
    prefix = _common_prefix(str(text.min()), str(text.max()))[: max(shortest - 1, 0)]
    prefix = prefix.rstrip("0123456789")
    rest = text.str.slice(len(prefix))
    lengths = rest.str.len()
    if bool(rest.str.fullmatch(r"[0-9]+").all()):
        fixed = int(lengths.nunique()) == 1 and bool(rest.str.startswith("0").any())
        return IdStyle("digits", prefix=prefix, width=int(lengths.iloc[0]) if fixed else 0)
    charset = next(
        (c for c in _CHARSETS if bool(rest.str.fullmatch(f"[{re.escape(c)}]+").all())),
        _CHARSETS[3],
    )
    return IdStyle("chars", prefix=prefix, width=int(lengths.mode().iloc[0]), charset=charset)


def _digits_matrix(x: U64, base: int, width: int) -> npt.NDArray[np.uint8]:
    out = np.empty((x.size, width), dtype=np.uint8)
    b = np.uint64(base)
    rest = x.copy()
    for pos in range(width - 1, -1, -1):
        out[:, pos] = (rest % b).astype(np.uint8)
        rest //= b
    return out


def _n_digits(x: U64, base: int) -> npt.NDArray[np.int64]:
    count = np.ones(x.shape, dtype=np.int64)
    rest = x // np.uint64(base)
    while (rest > 0).any():
        count += rest > 0
        rest //= np.uint64(base)
    return count


def _encode(x: U64, charset: str, width: int) -> npt.NDArray[np.str_]:
    """Each number in base ``len(charset)``, left-padded to ``width`` (longer when it must be)."""
    alphabet = np.frombuffer(charset.encode("ascii"), dtype=np.uint8)
    lengths = np.maximum(_n_digits(x, len(charset)), width)
    out = np.empty(x.shape, dtype=object)
    for length in np.unique(lengths):
        rows = lengths == length
        ell = int(length)
        chars = alphabet[_digits_matrix(x[rows], len(charset), ell)]
        out[rows] = np.ascontiguousarray(chars).view(f"S{ell}").ravel().astype(str)
    return out.astype(str)


def _uuid(hi: U64, lo: U64, upper: bool) -> npt.NDArray[np.str_]:
    alphabet = np.frombuffer(b"0123456789ABCDEF" if upper else b"0123456789abcdef", np.uint8)
    nibbles = np.concatenate([_digits_matrix(hi, 16, 16), _digits_matrix(lo, 16, 16)], axis=1)
    chars = alphabet[nibbles]
    dash = np.full((hi.size, 1), ord("-"), dtype=np.uint8)
    parts = [chars[:, :8], dash, chars[:, 8:12], dash, chars[:, 12:16], dash]
    parts += [chars[:, 16:20], dash, chars[:, 20:]]
    joined = np.ascontiguousarray(np.concatenate(parts, axis=1))
    return joined.view("S36").ravel().astype(str)


def format_ids(
    style: IdStyle, numbers: U64, keys: U64, *, pseudonyms: bool = False
) -> npt.NDArray[Any]:
    """Write ``numbers`` in ``style``: int64 for ``int``, strings otherwise.

    ``pseudonyms`` uses :attr:`IdStyle.pseudonym_width` (wide enough for many ids); keys use
    the real width. Numbers too large for the width get more positions, never a collision.
    """
    width = style.pseudonym_width if pseudonyms else style.width
    if style.type == "int":
        floor = 10 ** (width - 1)
        return (numbers + np.uint64(floor)).astype(np.int64)
    if style.type == "uuid":
        return _uuid(numbers, keyed_hash(numbers, keys), style.upper)
    charset = style.charset if style.type == "chars" else "0123456789"
    body = _encode(numbers, charset, width)
    return np.strings.add(style.prefix, body) if style.prefix else body
