"""Check characters of credit codes and patent numbers (examples from identifiers.md)."""

import pytest

from subsidy.identifiers import is_valid_uscc, normalise_patent_number


@pytest.mark.parametrize("code, valid", [
    ("914403001922038216", True),
    ("91350100M000100Y4Z", False),
    ("91350100M000100Y43", True),
    (" 91350100m000100y43 ", True),
    ("91350100M000100Y4", False),
    ("91350100M000100YI3", False),
])
def test_unified_social_credit_code(code, valid):
    assert is_valid_uscc(code) is valid


@pytest.mark.parametrize("raw, normal", [
    ("201710601862.3", "201710601862.3"),
    ("ZL201310699744.2", "201310699744.2"),
    ("zl 95115608.X", "95115608.X"),
    ("ZL202110123456.7", "202110123456.7"),
    ("CN2017106018623", "201710601862.3"),
    ("201710601862.4", None),
    ("CN112345678A", None),
    ("", None),
])
def test_patent_numbers(raw, normal):
    assert normalise_patent_number(raw) == normal
