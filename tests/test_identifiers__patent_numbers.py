"""Patent numbers as applicants type them: one a line, spaced in groups, full-width from a
Chinese input method; stored normalised, so the shared-patent flag sees the same patent
however it was written."""

import pytest

from subsidy.flags import flags_for
from subsidy.forms import PatentNumbersField
from subsidy.identifiers import normalise_patent_number
from subsidy.models import Application, IdentifierClaim

from .helpers import signed_in


@pytest.mark.parametrize("raw", [
    "ZL 2021 2065 4321.9", "ZL202120654321.9", "ＺＬ２０２１２０６５４３２１．９",
    "zl 2021 2065 4321。9", "2021 2065 4321 . 9", "CN 202120654321 9",
])
def test_one_number_however_it_is_written(raw):
    assert normalise_patent_number(raw) == "202120654321.9"


def test_a_wrong_check_digit_is_still_refused():
    assert normalise_patent_number("ZL 2021 2065 4321.8") is None


def test_the_field_reads_one_number_a_line():
    field = PatentNumbersField(required=False)
    text = ("ZL 2021 2065 4321.9\r\nＺＬ２０１３１０６９９７４４．２\n\n"
            "ZL95115608.X，ZL202110123456.7")
    assert field.clean(text) == ["202120654321.9", "201310699744.2", "95115608.X",
                                 "202110123456.7"]


def test_two_numbers_on_one_line_are_refused_with_the_hint():
    field = PatentNumbersField(required=False)
    with pytest.raises(Exception, match="每行填写一个专利号") as refused:
        field.clean("ZL201310699744.2 ZL202110123456.7")
    assert "ZL201310699744.2 ZL202110123456.7" in str(refused.value)


@pytest.mark.django_db
def test_spaced_numbers_typed_in_the_portal_are_flagged_as_shared(programme, applicant,
                                                                  other_applicant):
    first = signed_in(applicant).post(f"/programmes/{programme.pk}/apply/07/", {
        "title": "专利产业化", "requested_amount": "100000", "project_summary": "概述",
        "patent_numbers": "ZL 2021 2065 4321.9\nＺＬ２０１３１０６９９７４４．２"})
    assert first.status_code == 302, first.content.decode()
    mine = Application.objects.get(organisation=applicant.organisation)
    assert mine.form_data["patent_numbers"] == ["202120654321.9", "201310699744.2"]
    assert set(IdentifierClaim.objects.filter(application=mine).values_list("number", flat=True)) \
        == {"202120654321.9", "201310699744.2"}

    second = signed_in(other_applicant).post(f"/programmes/{programme.pk}/apply/08/", {
        "title": "另一个项目", "requested_amount": "100000", "project_summary": "概述",
        "patent_numbers": "zl202120654321。9"})
    assert second.status_code == 302, second.content.decode()
    theirs = Application.objects.get(organisation=other_applicant.organisation)
    flags = flags_for(Application.objects.filter(pk__in=[mine.pk, theirs.pk])
                      .select_related("category", "organisation"))
    assert [str(f) for f in flags[mine.pk]] == [
        f"专利 202120654321.9 同时在申报 {theirs.number} 中使用"]
    assert [str(f) for f in flags[theirs.pk]] == [
        f"专利 202120654321.9 同时在申报 {mine.number} 中使用"]


@pytest.mark.django_db
def test_the_form_page_keeps_what_was_typed_when_a_number_is_wrong(programme, applicant):
    typed = "ZL 2021 2065 4321.8"
    page = signed_in(applicant).post(f"/programmes/{programme.pk}/apply/07/", {
        "title": "专利产业化", "requested_amount": "100000", "project_summary": "概述",
        "patent_numbers": typed})
    assert page.status_code == 422
    assert typed in page.content.decode() and "每行填写一个专利号" in page.content.decode()
    assert not Application.objects.exists()
