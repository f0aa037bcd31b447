"""Byte and text streams for the text formats: transparent gzip / zstandard, encodings."""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

import zstandard

from synthcraft.errors import DataError
from synthcraft.storage._formats import show

__all__ = [
    "SAMPLE_BYTES",
    "bom_encoding",
    "decode_sample",
    "looks_binary",
    "open_bytes",
    "open_text_sink",
]

SAMPLE_BYTES = 1 << 16
"""Bytes read from the start of a text file to sniff its encoding and separator."""

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


@contextlib.contextmanager
def open_bytes(path: Path) -> Iterator[IO[bytes]]:
    """Open ``path`` for reading bytes, decompressing gzip or zstandard (told by magic bytes)."""
    with open(path, "rb") as raw:
        magic = raw.read(4)
        raw.seek(0)
        if magic.startswith(_GZIP_MAGIC):
            with gzip.GzipFile(fileobj=raw, mode="rb") as gz:
                yield _checked(cast(IO[bytes], gz), path)
        elif magic.startswith(_ZSTD_MAGIC):
            reader = zstandard.ZstdDecompressor().stream_reader(raw, closefd=False)
            with io.BufferedReader(reader) as zst:
                yield _checked(zst, path)
        else:
            yield raw


def _checked(stream: IO[bytes], path: Path) -> IO[bytes]:
    try:
        stream.peek(1)  # type: ignore[attr-defined]
    except (OSError, EOFError, zstandard.ZstdError) as exc:
        raise DataError(f"file {show(path)} is not a valid compressed file ({exc})") from exc
    return stream


def bom_encoding(sample: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``sample`` announces, if any."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    return None


def decode_sample(sample: bytes, encoding: str) -> str | None:
    """Decode a sample (possibly cut mid-character); None if it is not in ``encoding``."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except (UnicodeDecodeError, LookupError):
        return None


def looks_binary(sample: bytes, text: str | None, encoding: str) -> bool:
    """True when a sample is not text: NUL bytes (outside UTF-16/32) or many control characters."""
    if b"\x00" in sample and not encoding.startswith(("utf-16", "utf-32")):
        return True
    if text is None:
        return True
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    return controls > max(8, len(text) // 20)


@contextlib.contextmanager
def open_text_sink(path: Path, compression: str | None) -> Iterator[IO[str]]:
    """Open ``path`` for writing UTF-8 text, compressed as asked (gzip output is reproducible)."""
    with contextlib.ExitStack() as stack:
        raw: IO[bytes] = stack.enter_context(open(path, "wb"))
        if compression == "gzip":
            gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
            raw = cast(IO[bytes], stack.enter_context(gz))
        elif compression == "zstd":
            writer = zstandard.ZstdCompressor(level=3).stream_writer(raw, closefd=False)
            raw = stack.enter_context(writer)  # type: ignore[arg-type]
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
        try:
            yield text
            text.flush()
        finally:
            text.detach()
