"""Funding rules give the allowed amount; approvals beyond a budget are refused with figures."""

from decimal import Decimal

import pytest

from subsidy.funding import allowed_amount
from subsidy.models import Application, ProgrammeCategory
from workflows import services as engine
from workflows.exceptions import GuardFailed
from workflows.stages import State

from .factories import (
    ApplicationFactory,
    ProgrammeFactory,
    attach_required,
    category,
    valid_form_data,
)


def in_city_review(**kwargs):
    app = ApplicationFactory(**kwargs)
    Application.objects.filter(pk=app.pk).update(state=State.CITY_REVIEW)
    return Application.objects.get(pk=app.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("code, form, requested, allowed", [
    ("01", {}, "150000.00", "150000.00"),           # capped request, under the cap
    ("01", {}, "250000.00", "200000.00"),           # capped request, over the cap
    ("10", {"interest_paid": "100000", "evaluation_fee": "", "insurance_fee": ""},
     "50000", "30000.00"),                                       # 30% of interest
    ("10", {"interest_paid": "900000", "evaluation_fee": "8000", "insurance_fee": ""},
     "500000", "154000.00"),              # 30% of interest capped, + 50% of the fee
    ("14", {"madrid_registrations": [{"number": "1634567", "countries": 3},
                                     {"number": "1634568", "countries": 12}]},
     "50000", "26000.00"),                # (3 + at most 10) countries × 2,000
    ("21", {}, "1000", "30000.00"),                  # fixed amount
])
def test_allowed_amount_per_rule(code, form, requested, allowed, programme):
    cat = category(code)
    data = valid_form_data(cat) | form
    app = ApplicationFactory(programme=programme, category=cat, form_data=data,
                             requested_amount=Decimal(requested))
    assert allowed_amount(app) == Decimal(allowed)


@pytest.mark.django_db
def test_requested_amount_over_the_rule_is_refused_on_submit(programme, applicant):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                             requested_amount=Decimal("200000.01"))
    attach_required(app)
    with pytest.raises(GuardFailed) as refused:
        engine.perform(app, "submit", applicant)
    assert "200,000.01" in str(refused.value.reason)
    assert app.state == State.DRAFT


@pytest.mark.django_db
def test_missing_attachment_is_refused_on_submit(programme, applicant):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                             category=category("21"))
    with pytest.raises(GuardFailed) as refused:
        engine.perform(app, "submit", applicant)
    assert refused.value.reasons()["zh-hans"] == "缺少必备附件：申报书（盖章扫描件）、贯标认证证书"
    assert refused.value.status == 422


@pytest.mark.django_db
def test_approval_beyond_the_category_budget_is_refused_with_the_figures(city):
    programme = ProgrammeFactory(category_budget="250000")
    first = in_city_review(programme=programme, requested_amount=Decimal("200000"))
    second = in_city_review(programme=programme, requested_amount=Decimal("100000"))
    engine.perform(first, "approve", city)
    with pytest.raises(GuardFailed) as refused:
        engine.perform(second, "approve", city)
    reasons = refused.value.reasons()
    assert reasons["zh-hans"] == ("超出类别预算：核定 100,000.00 元，类别预算 250,000.00 元，"
                                  "剩余 50,000.00 元。")
    assert reasons["en"].startswith("Over the category budget")
    engine.perform(second, "approve", city, amount="50000")
    assert second.approved_amount == Decimal("50000.00")


@pytest.mark.django_db
def test_approval_beyond_the_programme_budget_is_refused(city):
    programme = ProgrammeFactory(category_budget="1000000", total_budget=Decimal("120000"))
    first = in_city_review(programme=programme, requested_amount=Decimal("100000"))
    other = in_city_review(programme=programme, category=category("02"),
                           requested_amount=Decimal("50000"))
    engine.perform(first, "approve", city)
    with pytest.raises(GuardFailed, match=r"总预算剩余 20,000\.00"):
        engine.perform(other, "approve", city)


@pytest.mark.django_db
def test_approved_amount_above_the_rule_is_refused(programme, city):
    app = in_city_review(programme=programme, requested_amount=Decimal("1000"))
    with pytest.raises(GuardFailed, match=r"超过资助规则允许的 1,000\.00"):
        engine.perform(app, "approve", city, amount="1000.01")
    assert app.approved_amount is None and app.state == State.CITY_REVIEW


@pytest.mark.django_db
def test_budget_figures_use_programme_overrides(programme):
    pc = ProgrammeCategory.objects.get(programme=programme, category__code="10")
    pc.rule_settings = {"components": [{"key": "interest", "label": "贷款贴息",
                                        "field": "interest_paid", "rate": "0.5", "cap": "200000"}]}
    pc.save()
    app = ApplicationFactory(programme=programme, category=category("10"),
                             form_data={"interest_paid": "10000"},
                             requested_amount=Decimal("9000"))
    assert allowed_amount(app) == Decimal("5000.00")
