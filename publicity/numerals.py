"""Chinese numerals for batch labels (第三批) — money in 大写 lives with the notices."""

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals: 一, 十, 十二, 二十, 九十九."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def batch_label(number: int) -> str:
    return f"第{chinese_number(number)}批"
