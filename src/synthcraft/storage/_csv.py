"""CSV / TSV: reading with sniffed separator and encoding, streaming writing."""

from __future__ import annotations

import contextlib
import csv
import io
import warnings
from collections import Counter
from pathlib import Path
from typing import IO

import pandas as pd
import pyarrow.compute as pc

from synthcraft.errors import DataError
from synthcraft.storage._dtypes import Kind, check_names, iso_strings
from synthcraft.storage._formats import DataWarning, compression_of, show
from synthcraft.storage._infer import MISSING_TOKENS, arrow_text
from synthcraft.storage._textio import (
    SAMPLE_BYTES,
    bom_encoding,
    decode_sample,
    looks_binary,
    open_bytes,
    open_text_sink,
)

__all__ = ["CsvSink", "read_delimited", "sniff_separator"]

_SEPARATORS = (",", ";", "\t", "|")
_FALLBACK_ENCODING = "cp1252"
_EOL = "\r\n"  # RFC 4180; with it, cells holding a lone CR or LF are quoted too


def read_delimited(path: Path, *, tsv: bool, encoding: str | None) -> pd.DataFrame:
    """Read a CSV/TSV file as text columns (``str`` dtype, nothing typed yet)."""
    with open_bytes(path) as stream:
        sample = stream.read(SAMPLE_BYTES)
    if not sample.strip():
        raise DataError(f"file {show(path)} is empty; give a file with a header row and data")
    chosen = encoding or bom_encoding(sample) or "utf-8"
    text = decode_sample(sample, chosen)
    if text is None and encoding is None and chosen == "utf-8":
        chosen = _FALLBACK_ENCODING
        text = decode_sample(sample, chosen)
    if text is None and encoding is not None:
        raise DataError(f"file {show(path)} is not valid {encoding!r} text; pass another encoding=")
    if looks_binary(sample, text, chosen):
        raise _not_text(path)
    assert text is not None
    sep = "\t" if tsv else sniff_separator(text, complete=len(sample) < SAMPLE_BYTES)
    try:
        raw = _parse(path, sep, chosen)
    except UnicodeDecodeError:
        if encoding is not None or chosen != "utf-8":
            raise _not_text(path) from None
        chosen = _FALLBACK_ENCODING
        try:
            raw = _parse(path, sep, chosen)
        except UnicodeDecodeError:
            raise _not_text(path) from None
    if chosen == _FALLBACK_ENCODING and encoding is None:
        warnings.warn(
            f"file {show(path)} is not UTF-8; read it as {_FALLBACK_ENCODING} "
            "(pass encoding= to choose another)",
            DataWarning,
            stacklevel=3,
        )
    names = check_names(raw.iloc[0].fillna("").tolist())
    body = raw.iloc[1:].reset_index(drop=True)
    body.columns = pd.Index(names, dtype=object)
    if sep == ";":
        for position in range(body.shape[1]):
            body.isetitem(position, decimal_commas(body.iloc[:, position]).array)
    return body


_DECIMAL_COMMA = r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+),[0-9]+"
_COMMA_NUMBER = r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+)(?:,[0-9]+)?"


def decimal_commas(column: pd.Series) -> pd.Series:
    """Numbers written with a decimal comma as plain numbers (``"1.234,5"`` -> ``"1234.5"``).

    Only when at least one value has a decimal comma and every other value (missing tokens
    aside) is a number in that style; anything else is returned unchanged.
    """
    text = column.astype("str")
    stripped = text.str.strip()
    present = stripped[text.notna() & ~stripped.isin(MISSING_TOKENS)]
    if present.empty or not present.str.fullmatch(_DECIMAL_COMMA).any():
        return column
    if not present.str.fullmatch(_COMMA_NUMBER).all():
        return column
    plain = present.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    out = text.copy()
    out[plain.index] = plain
    return out


def _not_text(path: Path) -> DataError:
    return DataError(
        f"file {show(path)} does not look like a text table (binary content, or text in an "
        "encoding other than UTF-8/cp1252: pass encoding=); check the file or pass format="
    )


def _parse(path: Path, sep: str, encoding: str) -> pd.DataFrame:
    with open_bytes(path) as stream:
        try:
            return pd.read_csv(
                stream,
                sep=sep,
                header=None,
                dtype=str,
                na_filter=False,
                keep_default_na=False,
                encoding=encoding,
                quotechar='"',
                skip_blank_lines=True,
                engine="c",
            )
        except pd.errors.EmptyDataError:
            raise DataError(
                f"file {show(path)} is empty; give a file with a header row and data"
            ) from None
        except pd.errors.ParserError as exc:
            detail = str(exc).strip().splitlines()[-1]
            raise DataError(
                f"file {show(path)} is not a well-formed table ({detail}); "
                "check its rows and quotes"
            ) from None


def sniff_separator(text: str, *, complete: bool) -> str:
    """The field separator of a CSV sample: ``,`` ``;`` tab or ``|``.

    ``csv.Sniffer`` is asked first and its answer kept when every record of the sample splits
    into the same number of fields; otherwise the candidate with the most consistent field count
    wins. A one-column file gives ``,``.
    """
    if not complete and "\n" in text:
        text = text[: text.rfind("\n")]
    try:
        sniffed = csv.Sniffer().sniff(text, delimiters="".join(_SEPARATORS)).delimiter
    except csv.Error:
        sniffed = None
    scores = {sep: _consistency(text, sep) for sep in _SEPARATORS}
    if sniffed in scores and scores[sniffed][0] == 1.0 and scores[sniffed][1] > 1:
        return sniffed
    best = max(_SEPARATORS, key=lambda sep: scores[sep])
    return best if scores[best][1] > 1 else ","


def _consistency(text: str, sep: str) -> tuple[float, int]:
    """(share of records with the most common field count, that count)."""
    try:
        counts = [len(row) for row in csv.reader(io.StringIO(text), delimiter=sep) if row]
    except csv.Error:
        return (0.0, 0)
    if not counts:
        return (0.0, 0)
    width, times = Counter(counts).most_common(1)[0]
    return (times / len(counts), width)


class CsvSink:
    """Write chunks of a canonical frame as CSV/TSV, appending through a (compressed) stream."""

    def __init__(self, path: Path, *, final: Path, sep: str) -> None:
        self._stack = contextlib.ExitStack()
        self._out: IO[str] = self._stack.enter_context(open_text_sink(path, compression_of(final)))
        self._sep = sep
        self._header = True

    def write(self, frame: pd.DataFrame, kinds: list[Kind]) -> None:
        """Append rows (the header with the first chunk)."""
        columns: dict[str, object] = {}
        for (name, s), kind in zip(frame.items(), kinds, strict=True):
            if kind is Kind.BOOL:
                columns[str(name)] = s.map({True: "true", False: "false"})
            elif kind in (Kind.DATETIME, Kind.DATETIME_UTC):
                columns[str(name)] = iso_strings(s)
            else:
                if kind is Kind.TEXT and pc.any(pc.match_substring(arrow_text(s), "\x00")).as_py():
                    raise DataError(
                        f"column {name!r} has NUL characters, which a CSV/TSV file cannot hold; "
                        "remove them or write Parquet instead"
                    )
                columns[str(name)] = s
        out = pd.DataFrame(columns, index=frame.index)
        if self._header:
            self._out.write(self._header_line(list(frame.columns)))
            self._header = False
        out.to_csv(
            self._out, sep=self._sep, header=False, index=False, na_rep="", lineterminator=_EOL
        )

    def _header_line(self, names: list[str]) -> str:
        buf = io.StringIO()
        csv.writer(buf, delimiter=self._sep, lineterminator=_EOL).writerow(names)
        return buf.getvalue()

    def close(self) -> None:
        """Finish the file."""
        self._stack.close()

    def abort(self) -> None:
        """Release the file after an error (the caller removes it)."""
        with contextlib.suppress(Exception):
            self._stack.close()
