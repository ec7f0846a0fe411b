"""Category 10 知识产权质押融资培育: patents or trademarks pledged (at least one), the loan's
dates within the programme's window, and the subsidy computed per component (interest,
evaluation fee, insurance fee), each with its own rate and cap, the total within the
category's cap, shown with its breakdown."""

from decimal import Decimal

import pytest

from subsidy.funding import application_breakdown, rule_breakdown
from subsidy.models import Application, ProgrammeCategory
from subsidy.printed_form import application_form

from .api_client import ApiClient
from .factories import ApplicationFactory, category
from .helpers import signed_in

PLEDGE = {"title": "商标专用权质押融资贴息", "requested_amount": "100000",
          "project_summary": "以注册商标质押取得贷款。",
          "loan_contract_number": "2021衡质贷字第001号",
          "bank": "中国银行衡阳分行", "loan_amount": "5000000", "loan_start": "2021-03-01",
          "loan_end": "2022-02-28", "patent_numbers": "", "trademark_numbers": "第12345678号",
          "interest_paid": "120000", "evaluation_fee": "30000", "insurance_fee": "8000"}


def apply(user, programme, **changes):
    return signed_in(user).post(f"/programmes/{programme.pk}/apply/10/", {**PLEDGE, **changes})


@pytest.mark.django_db
def test_a_trademark_pledge_is_accepted_and_its_number_stored_normalised(programme, applicant):
    response = apply(applicant, programme)
    assert response.status_code == 302, response.content.decode()
    app = Application.objects.get(organisation=applicant.organisation)
    assert app.form_data["trademark_numbers"] == ["12345678"]
    assert app.form_data["patent_numbers"] == []


@pytest.mark.django_db
def test_neither_patents_nor_trademarks_is_refused_saying_so(programme, applicant):
    response = apply(applicant, programme, trademark_numbers="")
    assert response.status_code == 422
    assert "请至少填写以下一项：质押专利号、质押商标注册号。" in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_a_loan_ending_before_it_starts_is_refused(programme, applicant):
    response = apply(applicant, programme, loan_start="2021-05-01", loan_end="2021-04-30")
    assert response.status_code == 422
    assert "贷款到期日期不能早于贷款发放日期。" in response.content.decode()


@pytest.mark.django_db
def test_a_loan_taken_outside_the_programmes_window_is_refused_naming_it(programme, applicant):
    response = apply(applicant, programme, loan_start="2020-12-31", loan_end="2021-12-30")
    assert response.status_code == 422
    assert "贷款发放日期须在本计划实施期 2021-01-01 至 2021-11-30 之内" in \
        response.content.decode()


@pytest.mark.django_db
def test_each_component_has_its_rate_and_cap(programme):
    pc = ProgrammeCategory.objects.get(programme=programme, category__code="10")
    breakdown = rule_breakdown(pc, {"interest_paid": "120000", "evaluation_fee": "50000",
                                    "insurance_fee": "8000"})
    assert [(p.label, p.computed, p.amount) for p in breakdown.parts] == [
        ("贷款贴息", Decimal("36000.00"), Decimal("36000.00")),         # 30%
        ("评估费补助", Decimal("25000.00"), Decimal("20000.00")),       # 50%, capped at 20,000
        ("保险费补助", Decimal("4000.00"), Decimal("4000.00"))]         # 50%
    assert breakdown.total == Decimal("60000.00") and not breakdown.capped


@pytest.mark.django_db
def test_the_total_is_capped_by_the_category_and_rounded_half_up_once_per_part(programme):
    pc = ProgrammeCategory.objects.get(programme=programme, category__code="10")
    pc.cap = Decimal("100000")
    pc.save()
    capped = rule_breakdown(pc, {"interest_paid": "900000", "evaluation_fee": "40000",
                                 "insurance_fee": "60000"})
    assert capped.subtotal == Decimal("200000.00")
    assert capped.total == Decimal("100000.00") and capped.capped
    rounded = rule_breakdown(pc, {"interest_paid": "0.05", "evaluation_fee": "0.01"})
    assert [p.amount for p in rounded.parts] == [Decimal("0.02"), Decimal("0.01"),
                                                 Decimal("0.00")]


@pytest.mark.django_db
def test_the_rates_come_from_the_configuration_a_programme_may_override(programme):
    pc = ProgrammeCategory.objects.get(programme=programme, category__code="10")
    assert [c["rate"] for c in category("10").rule_settings["components"]] == \
        ["0.30", "0.50", "0.50"]
    pc.rule_settings = {"components": [{"key": "interest", "label": "贷款贴息",
                                        "field": "interest_paid", "rate": "0.5", "cap": ""}]}
    pc.save()
    assert rule_breakdown(pc, {"interest_paid": "10000"}).total == Decimal("5000.00")


@pytest.mark.django_db
def test_a_component_naming_no_amount_of_the_form_is_refused_in_the_admin():
    from django.core.exceptions import ValidationError

    pledge = category("10")
    pledge.rule_settings = {"components": [{"field": "bank", "rate": "0.3"}]}
    with pytest.raises(ValidationError, match="decimal field"):
        pledge.full_clean()


@pytest.mark.django_db
def test_applicant_reviewer_form_and_api_see_the_breakdown(programme, applicant, city):
    assert apply(applicant, programme).status_code == 302
    app = Application.objects.get(organisation=applicant.organisation)
    assert application_breakdown(app).total == Decimal("55000.00")  # 36,000 + 15,000 + 4,000
    page = signed_in(applicant).get(f"/applications/{app.pk}/").content.decode()
    assert "评估费补助" in page and "55,000.00" in page and "30,000.00 元 × 50%" in page
    Application.objects.filter(pk=app.pk).update(state="city_review")
    desk = signed_in(city).get(f"/desk/review/{app.pk}/").content.decode()
    assert "贷款贴息" in desk and "55,000.00" in desk
    body = ApiClient(city).get(f"/applications/{app.pk}").json()
    assert [p["label"] for p in body["breakdown"]["parts"]] == ["贷款贴息", "评估费补助",
                                                               "保险费补助"]
    assert Decimal(body["breakdown"]["total"]) == Decimal("55000.00")
    printed = application_form(app)
    project = dict((row.label, row.value) for row in printed.sections[1][1])
    assert project["评估费补助"].endswith("计 15,000.00 元")
    assert project["按规则测算可资助"] == "55,000.00 元"


@pytest.mark.django_db
def test_an_older_application_with_interest_only_still_computes(programme):
    app = ApplicationFactory(programme=programme, category=category("10"),
                             form_data={"interest_paid": "100000"},
                             requested_amount=Decimal("50000"))
    assert application_breakdown(app).total == Decimal("30000.00")


@pytest.mark.django_db
def test_the_api_takes_the_same_form_and_refuses_the_same_way(programme, applicant):
    client = ApiClient(applicant)
    form = {k: v for k, v in PLEDGE.items() if k not in ("title", "requested_amount")}
    refused = client.post("/applications", {
        "programme": programme.pk, "category": "10", "title": "质押", "requested_amount": "1000",
        "form_data": {**form, "trademark_numbers": []}})
    assert refused.status_code == 422
    assert refused.json()["errors"]["__all__"] == [
        "请至少填写以下一项：质押专利号、质押商标注册号。"]
    created = client.post("/applications", {
        "programme": programme.pk, "category": "10", "title": "质押", "requested_amount": "1000",
        "form_data": {**form, "trademark_numbers": ["第 8765 4321 号"]}})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["form_data"]["trademark_numbers"] == ["87654321"]
    assert Decimal(body["breakdown"]["total"]) == Decimal("55000.00")
    assert Decimal(body["allowed_amount"]) == Decimal("1000.00")  # no more than asked
