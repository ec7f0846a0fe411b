"""Money as people read it: yuan with thousands separators (180,000.00) on every page,
message, list and sheet; rates as percentages (50%); on official documents 万元 and Chinese
capital numerals (大写).

The one place amounts are formatted; amounts stay Decimal yuan everywhere else.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
WAN = Decimal(10000)
DIGITS = "零壹贰叁肆伍陆柒捌玖"
SECTION_UNITS = ((1000, "仟"), (100, "佰"), (10, "拾"), (1, ""))
GROUP_UNITS = ("", "万", "亿", "万亿")
#: A number as people type it: plain (180000.5) or grouped by thousands (180,000.50), with
#: an optional sign; the Chinese full-width comma counts as a comma.
TYPED_NUMBER = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d*)?|[+-]?\.\d+")


def round_fen(amount) -> Decimal:
    """`amount` rounded to the fen, half up: the one rounding every computed sum of money
    goes through (a rule's product, a component, a total)."""
    return Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)


def format_yuan(amount) -> str:
    """Yuan as every page, message and list shows them, in every language: thousands
    separated, two decimals, half up (180,000.00; -1,234.50). Empty for no amount."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(FEN, rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"


def format_rate(rate) -> str:
    """A rate stored as a fraction, as a percentage without trailing zeros: 0.5000 → 50%,
    0.1250 → 12.5%. Empty for no rate."""
    if rate is None or rate == "":
        return ""
    percent = (Decimal(str(rate)) * 100).normalize()
    text = f"{percent:f}"
    return f"{text.rstrip('0').rstrip('.') if '.' in text else text}%"


def parse_yuan(text) -> Decimal | None:
    """A typed amount as a Decimal: plain (180000.00) or grouped by thousands (180,000.00,
    180，000.00), spaces around it ignored; None when it is not a number written either way
    (1,5 or 18,0000 are not read as anything, rather than misread)."""
    if text is None:
        return None
    if isinstance(text, int | Decimal):
        return Decimal(text)
    cleaned = str(text).strip().replace("，", ",").replace(" ", "")
    if not TYPED_NUMBER.fullmatch(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        return None


def to_wan(amount) -> Decimal:
    """Yuan to 万元, exactly (a fen is 0.000001 万元), so printed rows add up to the total."""
    return (Decimal(amount) / WAN).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def format_wan(amount) -> str:
    """万元 for tables: at least two decimals, trailing zeros beyond that dropped (3.00,
    1.25, 0.123456)."""
    text = f"{to_wan(amount):.6f}"
    while text.endswith("0") and len(text.split(".")[1]) > 2:
        text = text[:-1]
    return text


def _section(n: int) -> str:
    """0 < n < 10000 in capital numerals with the zeros a reader expects (壹仟零壹)."""
    out, zero = "", False
    for power, unit in SECTION_UNITS:
        digit = n // power % 10
        if digit == 0:
            zero = bool(out)
        else:
            if zero:
                out += "零"
                zero = False
            out += DIGITS[digit] + unit
    return out


def _integer(n: int) -> str:
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = True
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _section(group) + GROUP_UNITS[index]
        gap = False
    return out


def capital(amount) -> str:
    """Yuan in capital numerals as finance bureaus write them: 壹佰贰拾万元整, 壹仟零壹元伍角,
    壹拾万元零壹分, 壹拾万柒仟元零伍角叁分."""
    value = Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)
    if value < 0:
        return "负" + capital(-value)
    yuan, rest = divmod(int(value * 100), 100)
    jiao, fen = divmod(rest, 10)
    text = _integer(yuan) + "元" if yuan else ""
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        if yuan and yuan % 10 == 0:
            text += "零"  # the People's Bank rules: 壹拾万柒仟元零伍角叁分
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return text


def document_unit(amounts) -> str:
    """The unit an official document states these amounts in: 万元 when two decimals of 万元
    say every one of them exactly (whole hundreds of yuan), otherwise 元."""
    hundred = Decimal(100)
    return "万元" if all(Decimal(a) % hundred == 0 for a in amounts) else "元"


def format_in_unit(amount, unit: str) -> str:
    """An amount in a document's unit with two decimals: 20.00 (万元) or 107000.53 (元)."""
    value = Decimal(amount) / WAN if unit == "万元" else Decimal(amount)
    return f"{value.quantize(FEN, rounding=ROUND_HALF_UP):.2f}"


def capital_rmb(amount) -> str:
    """大写 as a document writes it after a figure: 人民币贰拾万元整."""
    return "人民币" + capital(amount)
