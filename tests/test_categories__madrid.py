"""Category 14 马德里商标培育: paid per designated country of each international
registration (at most max_countries counted per registration), within the category's
cap; registration numbers of 6-7 digits, normalised before they are stored."""

from decimal import Decimal

import pytest

from subsidy.forms import MadridRegistrationsField
from subsidy.funding import allowed_amount, rule_breakdown
from subsidy.identifiers import normalise_madrid_number
from subsidy.models import Application, IdentifierClaim, ProgrammeCategory

from .helpers import signed_in


@pytest.mark.parametrize("raw", ["1634567", "１６３４５６７", "1 634 567", "IR 1634567",
                                 "G1634567", "No. 1634567", "1,634,567"])
def test_one_registration_number_however_it_is_written(raw):
    assert normalise_madrid_number(raw) == "1634567"


@pytest.mark.parametrize("raw", ["12345", "12345678", "16345a7", ""])
def test_numbers_not_of_six_or_seven_digits_are_refused(raw):
    assert normalise_madrid_number(raw) is None


def test_each_line_gives_a_count_or_the_designations_counted():
    field = MadridRegistrationsField(required=True)
    assert field.clean("IR １６３４５６７ 5\n1500123：美国、日本、EM, em\n") == [
        {"number": "1634567", "countries": 5},
        {"number": "1500123", "countries": 3, "designations": ["美国", "日本", "EM"]}]


@pytest.mark.parametrize("text, message", [
    ("12345 3", "马德里国际注册填写有误"), ("1634567", "马德里国际注册填写有误"),
    ("1634567 0", "马德里国际注册填写有误"), ("1634567 3\n1634567 2", "国际注册号重复填写")])
def test_bad_lines_are_refused_with_the_format(text, message):
    with pytest.raises(Exception, match=message):
        MadridRegistrationsField(required=True).clean(text)


@pytest.mark.django_db
def test_paid_per_country_with_a_cap_on_countries_and_the_category_cap(programme):
    pc = ProgrammeCategory.objects.get(programme=programme, category__code="14")
    registrations = [{"number": "1634567", "countries": 3},
                     {"number": "1634568", "countries": 14}]
    breakdown = rule_breakdown(pc, {"madrid_registrations": registrations})
    assert [(p.label, p.amount) for p in breakdown.parts] == [
        ("国际注册 1634567", Decimal("6000.00")), ("国际注册 1634568", Decimal("20000.00"))]
    assert "每件最多计 10 个" in breakdown.parts[1].basis
    assert breakdown.total == Decimal("26000.00")
    many = [{"number": str(1634567 + i), "countries": 5} for i in range(6)]  # 60,000
    assert rule_breakdown(pc, {"madrid_registrations": many}).total == Decimal("50000.00")


@pytest.mark.django_db
def test_the_declared_item_count_no_longer_decides_the_amount(programme, applicant):
    response = signed_in(applicant).post(f"/programmes/{programme.pk}/apply/14/", {
        "title": "马德里商标国际注册资助（2件）", "requested_amount": "50000",
        "project_summary": "两件马德里注册。", "item_count": "9",
        "madrid_registrations": "ＩＲ １６３４５６７ ４\n1 500 123：美国、日本"})
    assert response.status_code == 302, response.content.decode()
    app = Application.objects.get(organisation=applicant.organisation)
    assert app.form_data["madrid_registrations"] == [
        {"number": "1634567", "countries": 4},
        {"number": "1500123", "countries": 2, "designations": ["美国", "日本"]}]
    assert allowed_amount(app) == Decimal("12000.00")  # (4 + 2) × 2,000
    assert set(IdentifierClaim.objects.filter(application=app).values_list("kind", "number")) \
        == {("madrid", "1634567"), ("madrid", "1500123")}
    page = signed_in(applicant).get(f"/applications/{app.pk}/").content.decode()
    assert "国际注册 1500123" in page and "12,000.00" in page
    edit = signed_in(applicant).get(f"/applications/{app.pk}/edit/").content.decode()
    assert "1634567 4" in edit and "1500123 美国、日本" in edit


@pytest.mark.django_db
def test_a_malformed_number_is_refused_on_the_portal(programme, applicant):
    response = signed_in(applicant).post(f"/programmes/{programme.pk}/apply/14/", {
        "title": "马德里", "requested_amount": "5000", "project_summary": "概述",
        "madrid_registrations": "16345678 3"})
    assert response.status_code == 422
    assert "6至7位国际注册号" in response.content.decode()
