"""Check-character validation of unified social credit codes and Chinese patent numbers, and
the normal forms of trademark, Madrid and certificate numbers (the keys duplicates are
spotted by).

Algorithms from GB 32100-2015 and CNIPA's application-number check digit; see
`shared/domain/identifiers.md` for the verified examples the tests use.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_USCC_SHAPE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")


def normalise_uscc(raw: str) -> str:
    """Upper-case and strip all whitespace."""
    return re.sub(r"\s+", "", raw or "").upper()


def uscc_check_character(first17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(raw: str) -> bool:
    """True if `raw` (after normalising) is an 18-character code with the right check character."""
    code = normalise_uscc(raw)
    return bool(_USCC_SHAPE.match(code)) and uscc_check_character(code[:17]) == code[17]


_PATENT = re.compile(r"^(?:ZL|CN)?(\d{12}|\d{8})\.?([\dX])$")
_PATENT_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]


def patent_check_digit(digits: str) -> str:
    """The check digit (0–9 or X) of a 12- or 8-digit application number."""
    total = sum(int(d) * w for d, w in zip(digits, _PATENT_WEIGHTS, strict=False))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def patent_text(raw: str) -> str:
    """`raw` as plain ASCII the way a Chinese input method may not type it: full-width
    letters, digits and dot (ＺＬ２０２１…．９) as their ASCII forms (NFKC), the ideographic
    full stop 。 as the dot."""
    return unicodedata.normalize("NFKC", raw or "").replace("。", ".")


def normalise_patent_number(raw: str) -> str | None:
    """`digits.check` for a valid application/patent number, else None.

    Accepts the forms people write: with or without ZL/CN prefix, with or without the dot,
    any case, spacing inside the number (`ZL 2021 2065 4321.9`) and full-width characters.
    The normalised form is the key for spotting duplicates.
    """
    text = re.sub(r"\s+", "", patent_text(raw)).upper()
    match = _PATENT.match(text)
    if not match:
        return None
    digits, check = match.groups()
    if patent_check_digit(digits) != check:
        return None
    return f"{digits}.{check}"


_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def is_valid_resident_id(raw: str) -> bool:
    """True for an 18-character resident identity number (GB 11643) with the right check."""
    code = re.sub(r"\s+", "", raw or "").upper()
    if not re.fullmatch(r"\d{17}[\dX]", code):
        return False
    total = sum(int(d) * w for d, w in zip(code[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == code[17]


MAX_ID = 2**63 - 1


def parse_ids(values) -> list[int]:
    """The database ids among `values` (ASCII digits, within the 64-bit range); others dropped."""
    ids = []
    for value in values:
        if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
            ids.append(int(value))
    return ids


def _compact(raw: str) -> str:
    """`raw` as ASCII (patent_text) without any whitespace, upper-cased."""
    return re.sub(r"\s+", "", patent_text(raw)).upper()


#: A Chinese trademark registration number as certificates print it (第12345678号) or as
#: people type it; registrations since the 1980s have 6 to 8 digits (7–8 today).
_TRADEMARK = re.compile(r"^(?:第)?(?:NO\.?)?(\d{6,8})(?:号)?$")


def normalise_trademark_number(raw: str) -> str | None:
    """The digits of a Chinese trademark registration number (`12345678`), else None.

    Accepts 第…号, full-width digits and spaces inside the number."""
    match = _TRADEMARK.match(_compact(raw))
    return match.group(1) if match else None


#: A Madrid international registration number: 6 or 7 digits (WIPO's numbering passed one
#: million in 2008), cited as `IR 1234567`, `No. 1234567` or, in China, `G1234567`.
_MADRID = re.compile(r"^(?:IR|G|NO\.?)?(\d{6,7})$")


def normalise_madrid_number(raw: str) -> str | None:
    """The digits of a Madrid international registration number (`1234567`), else None.

    Accepts the IR/G/No. prefixes, full-width digits, spaces and thousands separators
    (`1 634 567`, `1,634,567`)."""
    text = _compact(raw)
    if re.fullmatch(r"(?:IR|G|NO\.?)?\d{1,3}(?:,\d{3})+", text):
        text = text.replace(",", "")
    match = _MADRID.match(text)
    return match.group(1) if match else None


def normalise_certificate_number(raw: str) -> str | None:
    """A certification body's certificate number (formats differ between bodies:
    `18121IP0325R0M`), upper-cased without spaces, full-width characters as ASCII; None
    when empty."""
    text = _compact(raw)
    return text or None


@dataclass(frozen=True)
class IdentifierKind:
    """A kind of number an application claims (a patent, a trademark, a Madrid
    registration, a certificate): claimed twice, it is flagged (subsidy.flags)."""

    key: str
    #: what the number is, as a flag names it (专利、商标注册号…)
    label: object
    normalise: Callable[[str], str | None]
    #: the normalised number as pages write it (a granted patent with its ZL)
    cited: Callable[[str], str] = str
    #: rewarded once only: an approval is refused while another application holds money
    #: for the same number (a certificate); other kinds are only flagged (a patent may
    #: rightly serve a pledge and a high-value project)
    once: bool = False


IDENTIFIER_KINDS = {kind.key: kind for kind in (
    IdentifierKind("patent", _("专利"), normalise_patent_number, lambda n: f"ZL{n}"),
    IdentifierKind("trademark", _("商标注册号"), normalise_trademark_number),
    IdentifierKind("madrid", _("马德里国际注册号"), normalise_madrid_number),
    IdentifierKind("certificate", _("认证证书编号"), normalise_certificate_number, once=True),
)}
#: The kind of number each list field type holds (a text field names its kind with
#: "identifier" in the form definition).
FIELD_TYPE_KINDS = {"patent_numbers": "patent", "trademark_numbers": "trademark",
                    "madrid_registrations": "madrid"}


def field_identifier_kind(definition: dict) -> str | None:
    """The identifier kind a form field's values are claims of, if any."""
    return FIELD_TYPE_KINDS.get(definition.get("type", "text")) or definition.get("identifier")
