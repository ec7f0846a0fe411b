"""Once an application leaves expert review its assignments have ended: they leave the
expert's to-do list, stay in the history as 已结束, and the score page says so instead of
offering the form."""

import pytest
from django.core.exceptions import ValidationError

from subsidy.experts import assign_experts, submit_scores
from subsidy.models import ExpertAssignment
from workflows import services as engine
from workflows.stages import State

from .factories import ApplicationFactory, ExpertFactory, category, full_marks
from .helpers import at, signed_in

pytestmark = pytest.mark.django_db


def lists(expert) -> tuple[str, str]:
    """(the to-do table, the history table) of the expert's page."""
    page = signed_in(expert).get("/desk/experts/").content.decode()
    todo, history = page.split('id="expert-history"')
    return todo, history


def test_an_open_assignment_is_on_the_to_do_list(programme, city):
    expert = ExpertFactory()
    app = at(ApplicationFactory(programme=programme, category=category("07"), title="待评项目"),
             State.EXPERT_REVIEW)
    assign_experts(city, app, [expert])
    todo, history = lists(expert)
    assert app.number in todo and "待评项目" in todo
    assert app.number not in history


def test_a_scored_assignment_moves_to_the_history_and_stays_revisable(programme, city):
    expert = ExpertFactory()
    app = at(ApplicationFactory(programme=programme, category=category("07")),
             State.EXPERT_REVIEW)
    assignment = assign_experts(city, app, [expert])[0]
    submit_scores(expert, assignment, full_marks(app.category), "同意。")
    todo, history = lists(expert)
    assert app.number not in todo
    assert app.number in history and "已提交" in history
    page = signed_in(expert).get(f"/desk/experts/{assignment.pk}/").content.decode()
    assert ">提交评分</button>" in page and "评审已结束" not in page


def test_after_approval_the_assignment_leaves_the_to_do_list_and_is_ended(programme, city):
    expert = ExpertFactory()
    app = ApplicationFactory(programme=programme, expert_scored=True)
    engine.perform(app, "approve", city, comment="同意")
    mine = app.expert_assignments.first()
    todo, history = lists(mine.expert)
    assert app.number not in todo and "暂无待评分的任务" in todo
    assert app.number in history and "已结束" in history
    assert "暂无评审记录" in lists(expert)[1]  # an expert it was never assigned to


@pytest.mark.parametrize("state", [State.RETURNED, State.REJECTED, State.WITHDRAWN,
                                   State.APPROVED])
def test_an_unscored_assignment_ends_when_the_application_leaves(state, programme, city):
    expert = ExpertFactory()
    app = at(ApplicationFactory(programme=programme, category=category("07")),
             State.EXPERT_REVIEW)
    assign_experts(city, app, [expert])
    at(app, state)
    todo, history = lists(expert)
    assert app.number not in todo
    assert app.number in history and "已结束" in history and "待评分" not in history


def test_the_score_page_of_an_ended_assignment_says_so_instead_of_the_form(programme, city):
    expert = ExpertFactory()
    app = at(ApplicationFactory(programme=programme, category=category("07")),
             State.EXPERT_REVIEW)
    assignment = assign_experts(city, app, [expert])[0]
    at(app, State.REJECTED)
    page = signed_in(expert).get(f"/desk/experts/{assignment.pk}/").content.decode()
    assert "评审已结束" in page and "当前状态：未获支持" in page
    assert 'name="opinion"' not in page and ">提交评分</button>" not in page
    assert "您未提交评分" in page


def test_an_ended_assignment_shows_the_scores_that_were_submitted(programme, city):
    app = ApplicationFactory(programme=programme, expert_scored=True)
    engine.perform(app, "approve", city, comment="同意")
    mine = app.expert_assignments.first()
    page = signed_in(mine.expert).get(f"/desk/experts/{mine.pk}/").content.decode()
    assert "评审已结束" in page and "100.00" in page and "同意立项。" in page
    assert ">提交评分</button>" not in page


def test_a_stale_form_posted_after_the_end_is_refused_and_changes_nothing(programme, city):
    expert = ExpertFactory()
    app = at(ApplicationFactory(programme=programme, category=category("07")),
             State.EXPERT_REVIEW)
    assignment = assign_experts(city, app, [expert])[0]
    at(app, State.RETURNED)
    response = signed_in(expert).post(f"/desk/experts/{assignment.pk}/", {
        **full_marks(app.category), "opinion": "迟到的意见"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "该申报已不在专家评审阶段，评审已结束" in body and "评审已结束：" in body
    assert ExpertAssignment.objects.get(pk=assignment.pk).submitted_at is None


def test_the_service_takes_no_scores_after_the_end(programme, city):
    expert = ExpertFactory()
    app = at(ApplicationFactory(programme=programme, category=category("07")),
             State.EXPERT_REVIEW)
    assignment = assign_experts(city, app, [expert])[0]
    at(app, State.APPROVED)
    assignment = ExpertAssignment.objects.select_related("application").get(pk=assignment.pk)
    with pytest.raises(ValidationError, match="评审已结束"):
        submit_scores(expert, assignment, full_marks(app.category), "意见")
