"""Approval from expert review needs the experts' scores: at least as many experts as the
category asks for (`Category.experts_required`), every assigned one submitted. One guard
(`expert_scores_complete`) judges it for the desk, the inbox's batch action and the API."""

from decimal import Decimal

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from accounts.models import Role, User
from subsidy.demo import seed
from subsidy.experts import assign_experts, submit_scores, withdraw_assignment
from subsidy.models import Application, Category, ExpertAssignment
from workflows import services as engine
from workflows.exceptions import GuardFailed
from workflows.stages import State

from .api_client import ApiClient
from .factories import (
    ApplicationFactory,
    ExpertFactory,
    category,
    full_marks,
    score_by_required_experts,
)
from .helpers import at, signed_in

pytestmark = pytest.mark.django_db


def in_expert_review(programme, **extra):
    return at(ApplicationFactory(programme=programme, category=category("07"), **extra),
              State.EXPERT_REVIEW)


def refusal(app, city) -> str:
    with pytest.raises(GuardFailed) as refused:
        engine.perform(app, "approve", city, comment="同意")
    assert Application.objects.get(pk=app.pk).state == State.EXPERT_REVIEW
    return str(refused.value.reason)


def test_refused_without_any_expert(programme, city):
    reason = refusal(in_expert_review(programme), city)
    assert reason.startswith("还需 3 位专家提交评分")
    assert "已指派 0 位，已提交 0 位" in reason


def test_refused_with_fewer_experts_than_the_category_asks_for(programme, city):
    app = in_expert_review(programme)
    score_by_required_experts(app, assigned_by=city, count=1)
    assert refusal(app, city).startswith("还需 2 位专家提交评分")


def test_refused_while_an_assigned_expert_has_not_submitted(programme, city):
    app = in_expert_review(programme)
    score_by_required_experts(app, assigned_by=city, count=2)
    assign_experts(city, app, [ExpertFactory()])  # the third is assigned but has not scored
    assert refusal(app, city).startswith("还需 1 位专家提交评分")


def test_every_assigned_expert_must_submit_even_beyond_the_minimum(programme, city):
    app = in_expert_review(programme)
    score_by_required_experts(app, assigned_by=city)
    assign_experts(city, app, [ExpertFactory()])
    reason = refusal(app, city)
    assert reason.startswith("还需 1 位专家提交评分") and "已指派 4 位，已提交 3 位" in reason


def test_allowed_once_the_required_experts_have_scored(programme, city):
    app = ApplicationFactory(programme=programme, expert_scored=True)
    engine.perform(app, "approve", city, comment="同意")
    app.refresh_from_db()
    assert app.state == State.APPROVED and app.approved_amount == Decimal("1000.00")


def test_the_categorys_setting_is_honoured(programme, city):
    Category.objects.filter(code="07").update(experts_required=1)
    one = in_expert_review(programme)
    score_by_required_experts(one, assigned_by=city)
    assert one.expert_assignments.count() == 1
    engine.perform(one, "approve", city, comment="同意")
    assert Application.objects.get(pk=one.pk).state == State.APPROVED

    Category.objects.filter(code="07").update(experts_required=5)
    five = in_expert_review(programme)
    score_by_required_experts(five, assigned_by=city, count=3)
    assert refusal(five, city).startswith("还需 2 位专家提交评分（本类别至少需要 5 位专家评分")


def test_a_category_asks_for_three_experts_unless_told():
    assert Category._meta.get_field("experts_required").default == 3


def test_the_setting_is_editable_in_the_admin(reference):
    request = RequestFactory().get("/admin/")
    request.user = User(role=Role.ADMIN, is_staff=True, is_superuser=True)
    form = admin_site._registry[Category].get_form(request)
    assert "experts_required" in form.base_fields
    assert "experts_required" in admin_site._registry[Category].list_display


def test_the_demos_expert_categories_ask_for_three_and_the_demo_has_three_experts(db):
    seed(password="demo-pass-1")
    for cat in Category.objects.filter(lifecycle="project_expert"):
        assert cat.experts_required == 3, cat.code
    assert User.objects.filter(role=Role.EXPERT, is_active=True).count() >= 3


def test_the_desk_shows_why_approval_waits_and_refuses_the_post(programme, city):
    app = in_expert_review(programme)
    score_by_required_experts(app, assigned_by=city, count=1)
    client = signed_in(city)
    page = client.get(f"/desk/review/{app.pk}/").content.decode()
    assert "暂不能办理：还需 2 位专家提交评分" in page
    assert "核定前需至少 3 位专家提交评分" in page

    response = client.post(f"/desk/review/{app.pk}/", {
        "action": "approve", "approve-amount": "1000.00", "approve-comment": "同意立项"})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'role="alert">还需 2 位专家提交评分' in body
    assert "同意立项" in body  # what was typed is kept
    assert Application.objects.get(pk=app.pk).state == State.EXPERT_REVIEW


def test_the_api_refuses_with_the_number_missing_in_both_languages(programme, city):
    app = in_expert_review(programme)
    score_by_required_experts(app, assigned_by=city, count=1)
    response = ApiClient(city).transition(app.pk, "approve", comment="同意")
    assert response.status_code == 422
    answer = response.json()
    assert answer["code"] == "guard_failed"
    assert answer["reasons"]["zh-hans"].startswith("还需 2 位专家提交评分")
    assert answer["reasons"]["en"].startswith("2 more expert score(s) needed")
    assert Application.objects.get(pk=app.pk).state == State.EXPERT_REVIEW


def test_the_inboxs_batch_approval_obeys_the_same_rule(programme, city):
    scored = ApplicationFactory(programme=programme, expert_scored=True)
    unscored = in_expert_review(programme)
    response = signed_in(city).post("/desk/review/", {
        "action": "approve", "comment": "同意立项", "ids": [scored.pk, unscored.pk],
        "confirm": "1"},
        follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已办理 1 件" in page
    assert f"申报 {unscored.number} 未办理：还需 3 位专家提交评分" in page
    assert Application.objects.get(pk=scored.pk).state == State.APPROVED
    assert Application.objects.get(pk=unscored.pk).state == State.EXPERT_REVIEW


def test_an_expert_who_cannot_take_part_is_withdrawn_and_approval_stops_waiting(programme,
                                                                                city):
    app = in_expert_review(programme)
    score_by_required_experts(app, assigned_by=city)
    absent = assign_experts(city, app, [ExpertFactory(first_name="缺席专家")])[0]
    client = signed_in(city)
    assert "还需 1 位专家提交评分" in client.get(f"/desk/review/{app.pk}/").content.decode()

    page = client.post(f"/desk/review/{app.pk}/", {"withdraw_assignment": absent.pk},
                       follow=True).content.decode()
    assert "已撤销指派" in page and "缺席专家" not in page.split("指派评审专家")[0]
    engine.perform(app, "approve", city, comment="同意")
    assert Application.objects.get(pk=app.pk).state == State.APPROVED


def test_a_scored_assignment_cannot_be_withdrawn(programme, city):
    app = in_expert_review(programme)
    scored = score_by_required_experts(app, assigned_by=city, count=1)[0]
    page = signed_in(city).post(f"/desk/review/{app.pk}/", {"withdraw_assignment": scored.pk},
                                follow=True).content.decode()
    assert "该专家已提交评分，不能撤销指派" in page
    assert app.expert_assignments.filter(pk=scored.pk).exists()
    with pytest.raises(ValidationError, match="已提交评分"):
        withdraw_assignment(city, scored)


def test_scores_for_a_withdrawn_assignment_are_refused_not_a_500(programme, city):
    app = in_expert_review(programme)
    expert = ExpertFactory()
    assignment = assign_experts(city, app, [expert])[0]
    stale = ExpertAssignment.objects.select_related("application__category").get(
        pk=assignment.pk)
    withdraw_assignment(city, assignment)
    with pytest.raises(ValidationError, match="撤销"):
        submit_scores(expert, stale, full_marks(app.category), "意见")
    assert signed_in(expert).get(f"/desk/experts/{assignment.pk}/").status_code == 404
