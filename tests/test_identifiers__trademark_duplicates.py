"""Trademark registration numbers (and Madrid numbers) normalised and flagged when two
applications share one, by the same claims and flags as patent numbers: one number of one
kind, however it was typed; the same digits as another kind are not a duplicate."""

import pytest
from django.db.models import Q

from subsidy.flags import flag_summary, flags_for
from subsidy.forms import TrademarkNumbersField
from subsidy.identifiers import normalise_trademark_number
from subsidy.models import Application, IdentifierClaim
from subsidy.services import claimed_numbers, record_identifier_claims

from .factories import ApplicationFactory, category
from .helpers import signed_in


@pytest.mark.parametrize("raw", ["12345678", "第12345678号", "第 1234 5678 号", "１２３４５６７８",
                                 "No.12345678"])
def test_one_trademark_number_however_it_is_written(raw):
    assert normalise_trademark_number(raw) == "12345678"


@pytest.mark.parametrize("raw", ["12345", "123456789", "1234567A", "ZL201310699744.2"])
def test_what_is_not_a_registration_number_is_refused(raw):
    assert normalise_trademark_number(raw) is None


def test_the_field_reads_one_a_line_and_names_the_bad_ones():
    field = TrademarkNumbersField(required=False)
    assert field.clean("第12345678号\n7654321、12345678") == ["12345678", "7654321"]
    with pytest.raises(Exception, match=r"商标注册号无效.*1234"):
        field.clean("12345678\n1234")


def signed_in_post(programme, user, trademarks):
    return signed_in(user).post(f"/programmes/{programme.pk}/apply/10/", {
        "title": "商标专用权质押融资贴息", "requested_amount": "10000", "project_summary": "概述",
        "loan_contract_number": "2021衡质贷字第001号", "bank": "中国银行衡阳分行",
        "loan_amount": "1000000", "loan_start": "2021-03-01", "loan_end": "2022-02-28",
        "trademark_numbers": trademarks, "interest_paid": "30000"})


@pytest.mark.django_db
def test_two_applications_pledging_one_trademark_are_both_flagged(programme, applicant,
                                                                 other_applicant):
    assert signed_in_post(programme, applicant, "第 1234 5678 号").status_code == 302
    second = signed_in_post(programme, other_applicant, "１２３４５６７８\n7654321")
    assert second.status_code == 302
    mine = Application.objects.get(organisation=applicant.organisation)
    theirs = Application.objects.get(organisation=other_applicant.organisation)
    assert set(IdentifierClaim.objects.filter(application=theirs)
               .values_list("kind", "number")) == {("trademark", "12345678"),
                                                   ("trademark", "7654321")}
    flags = flags_for(Application.objects.filter(pk__in=[mine.pk, theirs.pk])
                      .select_related("category", "organisation"))
    assert [str(f) for f in flags[mine.pk]] == [
        f"商标注册号 12345678 同时在申报 {theirs.number} 中使用"]
    assert [str(f) for f in flags[theirs.pk]] == [
        f"商标注册号 12345678 同时在申报 {mine.number} 中使用"]
    summary = flag_summary(programme, Q(pk__isnull=False))  # every application
    assert {k["kind"]: k["count"] for k in summary["kinds"]}["shared_number"] == 2


@pytest.mark.django_db
def test_madrid_duplicates_are_flagged_and_other_kinds_never_match(programme):
    first = ApplicationFactory(programme=programme, category=category("14"), form_data={
        "madrid_registrations": [{"number": "1234567", "countries": 2}]})
    second = ApplicationFactory(programme=programme, category=category("14"), form_data={
        "madrid_registrations": [{"number": "1234567", "countries": 5}]})
    trademark = ApplicationFactory(programme=programme, category=category("10"), form_data={
        "trademark_numbers": ["1234567"], "interest_paid": "1000"})
    for app in (first, second, trademark):
        record_identifier_claims(app)
    flags = flags_for(Application.objects.filter(pk__in=[first.pk, second.pk, trademark.pk])
                      .select_related("category", "organisation"))
    assert [str(f) for f in flags[first.pk]] == [
        f"马德里国际注册号 1234567 同时在申报 {second.number} 中使用"]
    assert not flags.get(trademark.pk)


@pytest.mark.django_db
def test_one_function_collects_every_kind_a_form_claims(reference):
    assert claimed_numbers(category("10"), {
        "patent_numbers": ["201310699744.2"], "trademark_numbers": ["第12345678号"]}) == {
        ("patent", "201310699744.2"), ("trademark", "12345678")}
    assert claimed_numbers(category("21"), {"certificate_number": " 18121ip0325r0m "}) == {
        ("certificate", "18121IP0325R0M")}
