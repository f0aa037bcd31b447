"""Validators: array of values in, boolean array out (format and check digits).

Every validator takes a 1-D array of values (anything that is not a ``str`` is invalid) and
returns a boolean array of the same length. Check digits (Luhn, IBAN mod 97, ISO 7064 MOD 11,10)
are computed on whole arrays with numpy; formats are compiled regular expressions.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

from synthcraft.pii._forms import num_str

__all__ = [
    "BoolArray",
    "iban_check_digits",
    "is_city",
    "is_credit_card",
    "is_email",
    "is_first_name",
    "is_full_name",
    "is_iban",
    "is_ip_address",
    "is_last_name",
    "is_national_id",
    "is_phone",
    "is_postcode",
    "is_street_address",
    "is_url",
    "luhn_check_digit",
    "steuer_id_check_digit",
]

BoolArray = npt.NDArray[np.bool_]

IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip
"""IBAN length per country (ISO 13616 registry)."""

_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_URL = re.compile(
    rf"(?i:https?)://(?:[^\s/?#@]+@)?(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])"
    r"(?::\d{1,5})?(?:[/?#]\S*)?"
)
_IP_CHARS = re.compile(r"[0-9A-Fa-f:.]{2,45}")
_PHONE_SHAPE = re.compile(r"\+?[0-9 ().\-/]{6,24}")
_PHONE_NUMBER = re.compile(
    r"\+[1-9]\d{6,14}"  # E.164
    r"|(?:1)?[2-9]\d{2}[2-9]\d{6}"  # US: NANP area code + exchange + line
    r"|0[1-9]\d{5,13}"  # trunk 0 then area code: UK, DE, FR, NL, IT landlines, JP
    r"|[6-9]\d{8}"  # ES: nine digits, no trunk prefix
    r"|3\d{9}"  # IT mobile
    r"|[1-9]{2}(?:9[6-9]\d{7}|[2-5]\d{7})"  # BR: area code, then mobile or landline
)
_NOT_PHONE = re.compile(r"\d{1,2}([./-])\d{1,2}\1\d{2,4}|\d{4}([./-])\d{1,2}\2\d{1,2}|\d*\.\d+")
"""Dates and decimal numbers, which digit-and-separator shapes would otherwise admit."""
_PHONE_SEPARATORS = str.maketrans("", "", " ()-./")
_PHONE_GROUPING = re.compile(r"\+?\d+(?:[ .\-/]?\(?\d+\)?)*|\+?\d*\s?\(\d+\)(?:[ .\-/]?\d+)+")
_CARD = re.compile(r"\d{13,19}|\d{4}(?:[ -]\d{3,6}){2,4}")
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
_SSN = re.compile(r"(?!000|666)\d{3}-(?!00)\d{2}-(?!0000)\d{4}")
_NINO = re.compile(
    r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D]"
)
_STEUER_ID = re.compile(r"[1-9]\d{10}")
_POSTCODE = re.compile(
    r"\d{5}(?:-\d{4})?"  # US ZIP and ZIP+4; DE, FR, ES, IT (5 digits) are a subset
    r"|\d{5}-\d{3}"  # BR CEP
    r"|\d{3}-\d{4}"  # JP
    r"|[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}"  # NL
    r"|GIR ?0AA"
    r"|(?:[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY]))"
    r" ?\d[ABD-HJLNP-UW-Z]{2}"  # UK (official pattern)
)
_NAME_PART = r"[^\W\d_]+(?:['’][^\W\d_]+)?"
_NAME_WORD = re.compile(rf"{_NAME_PART}(?:-{_NAME_PART})*")
_PARTICLES = frozenset(
    [
        "van", "von", "der", "den", "de", "del", "della", "degli", "dei", "delle", "da", "das",
        "do", "dos", "di", "du", "des", "la", "las", "le", "los", "lo", "zu", "ten", "ter", "te",
        "het", "op", "y", "e", "af", "al", "el", "bin", "ibn", "st",
    ]
)  # fmt: skip
_CITY = re.compile(r"[^\W\d_][^\W\d_ '’.()/-]*(?:(?:[ '’./-]|\s\(|\)\s?)+[^\W\d_]+\)?)*\.?")
_US_SUFFIX = (
    r"St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|"
    r"Ter|Terrace|Cir|Circle|Pkwy|Parkway|Hwy|Highway|Sq|Square|Close|Crescent|Gardens|Grove|"
    r"Hill|Row|Mews|Walk|Green|Park|Rise|View|Trail|Loop|Path|Pike|Alley"
)
_STREET_EN = re.compile(
    rf"(?:(?:Flat|Apt|Unit|Suite)\.? \w+,? )?\d{{1,6}}[A-Za-z]?(?:-\d{{1,4}})?,? "
    rf"(?:[NSEW]\.? )?(?:[\w'’.-]+ ){{0,4}}(?i:{_US_SUFFIX})\.?(?: [NSEW]{{1,2}}\.?)?"
    r"(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.? ?#?\w+)?"
)
_DE_SUFFIX = (
    r"straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|pfad|steig|markt|"
    r"hof|berg|graben|wall|kai|zeile|garten|park|feld|anger|au|bogen|winkel|stieg|tor|brücke"
)
_STREET_DE = re.compile(
    rf"(?:(?:[\w'’.-]+[ -]){{0,3}}[\w'’.-]*(?i:{_DE_SUFFIX})"
    r"|(?:Am|An der|An den|Im|In der|In den|Auf der|Auf dem|Zum|Zur|Unter den) [\w'’.-]+"
    r"(?: [\w'’.-]+)?) \d{1,4} ?[a-zA-Z]?(?:[-/]\d{1,4}[a-zA-Z]?)?"
)
_NL_SUFFIX = (
    r"straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|dreef|hof|park|pad|markt|plantsoen|"
    r"veld|ring|baan|wal|haven|burg|erf|hoek|oord|werf|zijde|zoom|poort|brug|dam|straatweg|"
    r"boulevard|allee|kanaal|stede|wijk|dal|berg|bosch|bos|meer|tuin|donk|hout|akker|kamp|"
    r"horst|straten|linie|wetering|vaart|vliet|sloot|gang|hove|hoven|daal|rade|lei"
)
_STREET_NL = re.compile(
    rf"(?:[\w'’.-]+[ -]){{0,4}}[\w'’.-]*(?i:{_NL_SUFFIX}) \d{{1,5}}(?: ?[a-zA-Z]|-\d{{1,4}})?"
)
_FR_TYPES = (
    r"Rue|Avenue|Av\.|Boulevard|Bd|Allée|Allee|Impasse|Place|Chemin|Route|Quai|Cours|Square|"
    r"Passage|Chaussée|Promenade|Rond-point|Voie|Sentier|Villa|Cité|Hameau|Résidence|Parvis"
)
_STREET_FR = re.compile(
    rf"\d{{1,4}}(?: ?(?:bis|ter|[A-D]))?,? (?i:{_FR_TYPES})(?: [\w'’.-]+){{1,6}}"
)
_SOUTH_TYPES = (
    r"Calle|C/|Avenida|Avda\.|Av\.?|Paseo|Plaza|Camino|Carretera|Ronda|Travesía|Travesia|"
    r"Alameda|Rambla|Gran Vía|Vía|Glorieta|Pasaje|Via|Viale|Piazza|Piazzale|Corso|Largo|Vicolo|"
    r"Strada|Contrada|Lungomare|Rua|Rúa|Camiño|Cuesta|Travessa|Praça|Praca|Estrada|Rodovia|"
    r"Viela|Ladeira|Beco"
)
_STREET_SOUTH = re.compile(
    rf"(?i:{_SOUTH_TYPES})(?: [\w'’.-]+){{1,7}},? (?:\d{{1,5}}[A-Za-z]?|s/n)"
    r"(?:,? (?:\d{1,2}º ?[A-Za-z]?|Apto\.? \d{1,4}|int\. \d{1,3}))?"
)
_STREET_JA = re.compile(r"[^\W\d_]{1,20}(?:\d{1,2}丁目)?\d{1,4}(?:番地?|-)\d{1,4}(?:号|-\d{1,4})?")


def _as_str_list(values: object) -> list[object]:
    """Values as a flat Python list (numpy arrays, pandas objects and sequences)."""
    if isinstance(values, str):
        return [values]
    if isinstance(values, np.ndarray):
        return list(values.ravel().tolist())
    tolist = getattr(values, "tolist", None)
    if callable(tolist):
        return list(tolist())
    if isinstance(values, Iterable):
        return list(values)
    return [values]


def _each(values: object, test: Callable[[str], bool]) -> BoolArray:
    items = _as_str_list(values)
    return np.fromiter(
        (isinstance(v, str) and test(v) for v in items), dtype=np.bool_, count=len(items)
    )


def _fullmatch(values: object, pattern: re.Pattern[str]) -> BoolArray:
    match = pattern.fullmatch
    return _each(values, lambda v: match(v) is not None)


def _code_matrix(
    strings: Sequence[str] | npt.NDArray[np.str_], width: int, *, right: bool
) -> npt.NDArray[np.int64]:
    """Code points of ``strings`` padded to ``width`` ("0" on the left if ``right``, else NUL)."""
    arr = np.asarray(strings, dtype=f"<U{width}")
    if right:
        arr = np.strings.rjust(arr, width, "0")
    return arr.view(np.uint32).reshape(len(strings), width).astype(np.int64)


def _luhn_ok(digit_strings: list[str]) -> BoolArray:
    if not digit_strings:
        return np.zeros(0, dtype=np.bool_)
    codes = _code_matrix(digit_strings, 19, right=True)
    digits = np.where(codes == 0, 0, codes - 48)
    doubled = digits[:, -2::-2] * 2
    total = digits[:, ::-2].sum(axis=1) + (doubled - 9 * (doubled > 9)).sum(axis=1)
    return np.asarray(total % 10 == 0)


def luhn_check_digit(payloads: Sequence[str] | npt.NDArray[np.str_]) -> npt.NDArray[np.int64]:
    """Luhn check digit that completes each digit string in ``payloads``."""
    if len(payloads) == 0:
        return np.zeros(0, dtype=np.int64)
    codes = _code_matrix(payloads, 19, right=True)
    digits = np.where(codes == 0, 0, codes - 48)
    doubled = digits[:, ::-2] * 2  # rightmost payload digit is doubled once the check is appended
    total = digits[:, -2::-2].sum(axis=1) + (doubled - 9 * (doubled > 9)).sum(axis=1)
    return np.asarray((10 - total % 10) % 10, dtype=np.int64)


def _mod97(strings: Sequence[str] | npt.NDArray[np.str_]) -> npt.NDArray[np.int64]:
    """``int(s) mod 97`` for alphanumeric strings with letters as 10..35 (ISO 13616)."""
    if len(strings) == 0:
        return np.zeros(0, dtype=np.int64)
    arr = np.asarray(strings, dtype=np.str_)
    codes = _code_matrix(arr, max(int(np.strings.str_len(arr).max()), 1), right=False)
    rem = np.zeros(len(strings), dtype=np.int64)
    for col in codes.T:
        is_digit = (col >= 48) & (col <= 57)
        is_letter = (col >= 65) & (col <= 90)
        rem = np.where(is_digit, (rem * 10 + col - 48) % 97, rem)
        rem = np.where(is_letter, (rem * 100 + col - 55) % 97, rem)
    return rem


def iban_check_digits(
    country: str, bbans: Sequence[str] | npt.NDArray[np.str_]
) -> npt.NDArray[np.str_]:
    """The two IBAN check digits for each BBAN of ``country`` (ISO 13616, mod 97)."""
    rem = _mod97(np.strings.add(np.asarray(bbans, dtype=np.str_), country + "00"))
    return num_str(98 - rem, 2)


def _steuer_id_check(first_ten: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    product = np.full(first_ten.shape[0], 10, dtype=np.int64)
    for col in first_ten.T:
        total = (col + product) % 10
        total = np.where(total == 0, 10, total)
        product = (total * 2) % 11
    check = 11 - product
    return np.where(check == 10, 0, check)


def steuer_id_check_digit(
    first_ten: Sequence[str] | npt.NDArray[np.str_],
) -> npt.NDArray[np.int64]:
    """ISO 7064 MOD 11,10 check digit of the German Steuer-ID for 10-digit strings."""
    if len(first_ten) == 0:
        return np.zeros(0, dtype=np.int64)
    return _steuer_id_check(_code_matrix(first_ten, 10, right=False) - 48)


def _steuer_id_ok(candidates: list[str]) -> BoolArray:
    """Check digit plus the digit rule: one digit appears two or three times in the first ten."""
    if not candidates:
        return np.zeros(0, dtype=np.bool_)
    digits = _code_matrix(candidates, 11, right=False) - 48
    head = digits[:, :10]
    counts = (head[:, :, None] == np.arange(10)).sum(axis=1)
    repeated = (counts >= 2).sum(axis=1)
    shape_ok = (repeated == 1) & (counts.max(axis=1) <= 3)
    triple_run = ((head[:, :-2] == head[:, 1:-1]) & (head[:, 1:-1] == head[:, 2:])).any(axis=1)
    return np.asarray(shape_ok & ~triple_run & (_steuer_id_check(head) == digits[:, 10]))


def _apply_numeric(
    values: object, prepare: Callable[[str], str | None], check: Callable[[list[str]], BoolArray]
) -> BoolArray:
    """Run ``check`` on the prepared strings of the values ``prepare`` does not reject."""
    items = _as_str_list(values)
    out = np.zeros(len(items), dtype=np.bool_)
    index: list[int] = []
    prepared: list[str] = []
    for i, value in enumerate(items):
        if isinstance(value, str):
            text = prepare(value)
            if text is not None:
                index.append(i)
                prepared.append(text)
    if prepared:
        out[np.asarray(index, dtype=np.intp)] = check(prepared)
    return out


def is_email(values: object) -> BoolArray:
    """Addresses like ``local.part@domain.tld`` (RFC 5322 dot-atom, at most 254 characters)."""
    match = _EMAIL.fullmatch
    return _each(values, lambda v: len(v) <= 254 and match(v) is not None)


def is_url(values: object) -> BoolArray:
    """``http`` or ``https`` URLs with a host name or IP literal."""
    return _fullmatch(values, _URL)


def _ip_ok(value: str) -> bool:
    if _IP_CHARS.fullmatch(value) is None:
        return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_ip_address(values: object) -> BoolArray:
    """IPv4 or IPv6 addresses (as :mod:`ipaddress` parses them)."""
    return _each(values, _ip_ok)


def _phone_ok(value: str) -> bool:
    if _PHONE_SHAPE.fullmatch(value) is None or _PHONE_GROUPING.fullmatch(value) is None:
        return False
    if _NOT_PHONE.fullmatch(value) is not None:
        return False
    return _PHONE_NUMBER.fullmatch(value.translate(_PHONE_SEPARATORS)) is not None


def is_phone(values: object) -> BoolArray:
    """E.164 numbers or national formats of the supported countries (usual separators)."""
    return _each(values, _phone_ok)


def _card_digits(value: str) -> str | None:
    if _CARD.fullmatch(value) is None:
        return None
    digits = value.replace(" ", "").replace("-", "")
    return digits if 13 <= len(digits) <= 19 else None


def is_credit_card(values: object) -> BoolArray:
    """13 to 19 digits (optionally grouped by spaces or hyphens) with a valid Luhn digit."""
    return _apply_numeric(values, _card_digits, _luhn_ok)


def _iban_text(value: str) -> str | None:
    compact = value.replace(" ", "").upper()
    if _IBAN.fullmatch(compact) is None or IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return None
    return compact[4:] + compact[:4]


def is_iban(values: object) -> BoolArray:
    """IBANs (spaces allowed): known country, its length and the mod-97 check."""
    return _apply_numeric(values, _iban_text, lambda s: np.asarray(_mod97(s) == 1))


def is_national_id(values: object) -> BoolArray:
    """US SSN ``ddd-dd-dddd``, UK National Insurance number, or German Steuer-ID (11 digits).

    The other countries' identifiers are added by :func:`._national_ids.is_national_id`.

    SSN: area not 000 or 666, group not 00, serial not 0000 (areas 900-999 pass the format;
    they are never issued as SSNs). NINO: the official letter exclusions and suffix A-D.
    Steuer-ID: first digit not 0, one digit repeated in the first ten, ISO 7064 MOD 11,10.
    """
    ssn_or_nino = _each(values, lambda v: (_SSN.fullmatch(v) or _NINO.fullmatch(v)) is not None)
    steuer = _apply_numeric(
        values, lambda v: v if _STEUER_ID.fullmatch(v) is not None else None, _steuer_id_ok
    )
    return ssn_or_nino | steuer


def is_postcode(values: object) -> BoolArray:
    """US ZIP (5 or 5+4 digits), UK postcode (official pattern), five-digit codes (DE, FR, ES,
    IT), NL ``1234 AB``, BR ``01310-100`` or JP ``100-0001``."""
    match = _POSTCODE.fullmatch
    return _each(values, lambda v: match(v.upper()) is not None)


def _name_words(value: str, low: int, high: int, *, lead_particle: bool = False) -> bool:
    """Words of letters; each capitalised (or from a script without case) apart from particles."""
    words = value.split()
    if not low <= len(words) <= high or " ".join(words) != value:
        return False
    capitalised = 0
    for word in words:
        if _NAME_WORD.fullmatch(word) is None:
            return False
        if not word[0].islower():
            capitalised += 1
        elif word not in _PARTICLES:
            return False
    first_ok = lead_particle or not words[0][0].islower()
    return first_ok and not words[-1][0].islower() and capitalised >= 1


def is_first_name(values: object) -> BoolArray:
    """One or two capitalised alphabetic words (``Anna``, ``Mary Jane``, ``Jean-Luc``)."""
    return _each(values, lambda v: _name_words(v, 1, 2))


def is_last_name(values: object) -> BoolArray:
    """One to three alphabetic words, capitalised apart from particles (``van der Berg``)."""
    return _each(values, lambda v: _name_words(v, 1, 3, lead_particle=True))


def is_full_name(values: object) -> BoolArray:
    """Two to five capitalised alphabetic words, particles allowed (``Ludwig van Beethoven``)."""
    return _each(values, lambda v: _name_words(v, 2, 5))


def is_city(values: object) -> BoolArray:
    """Alphabetic words starting with a capital or an uncased letter (``St. Louis``, ``東京都``)."""
    match = _CITY.fullmatch
    return _each(values, lambda v: v[:1].isalpha() and not v[0].islower() and match(v) is not None)


_STREETS = (_STREET_EN, _STREET_DE, _STREET_NL, _STREET_FR, _STREET_SOUTH, _STREET_JA)


def is_street_address(values: object) -> BoolArray:
    """Street lines: US/UK ``123 Main St``, DE ``Hauptstraße 12``, NL ``Kerkstraat 5``,
    FR ``12 Rue de la Paix``, ES/IT/BR ``Calle Mayor, 3`` / ``Via Roma 12`` / ``Rua Augusta, 5``,
    JP ``丸の内1丁目9-1``."""
    matchers = [p.fullmatch for p in _STREETS]
    return _each(values, lambda v: any(m(v) is not None for m in matchers))
