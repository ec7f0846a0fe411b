"""万元 and 大写 as they appear on notices."""

from decimal import Decimal

import pytest

from subsidy.money import capital, format_wan


@pytest.mark.parametrize("amount, text", [
    ("1200000", "壹佰贰拾万元整"), ("30000", "叁万元整"), ("1001.50", "壹仟零壹元伍角"),
    ("0.05", "伍分"), ("100000.01", "壹拾万元零壹分"), ("10010000", "壹仟零壹万元整"),
    ("100010000", "壹亿零壹万元整"), ("0", "零元整"), ("105.6", "壹佰零伍元陆角"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"), ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("10.5", "壹拾元零伍角"),
    ("7654321.09", "柒佰陆拾伍万肆仟叁佰贰拾壹元零玖分"), ("20000000", "贰仟万元整"),
])
def test_capital_numerals(amount, text):
    assert capital(Decimal(amount)) == text


@pytest.mark.parametrize("amount, text", [
    ("30000", "3.00"), ("15000", "1.50"), ("12500", "1.25"), ("1234.56", "0.123456"),
    ("30000.10", "3.00001"),
    ("7700000", "770.00"),
])
def test_ten_thousand_yuan(amount, text):
    assert format_wan(Decimal(amount)) == text
