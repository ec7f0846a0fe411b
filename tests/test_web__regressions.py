"""Defects found in review of the web layer, kept fixed."""

import pytest

from accounts.models import Role
from subsidy.models import Application, ExpertAssignment, ProgrammeStatus
from workflows.stages import State

from .factories import ApplicationFactory, ProgrammeFactory, UserFactory, category
from .helpers import at, signed_in


@pytest.mark.django_db
@pytest.mark.parametrize("score", ["NaN", "sNaN", "1e999", "Infinity", "abc"])
def test_bad_expert_scores_are_explained(score, programme, city):
    expert = UserFactory(role=Role.EXPERT)
    app = at(ApplicationFactory(programme=programme, category=category("07")),
             State.EXPERT_REVIEW)
    assignment = ExpertAssignment.objects.create(application=app, expert=expert,
                                                 assigned_by=city)
    response = signed_in(expert).post(f"/desk/experts/{assignment.pk}/", {
        "innovation": score, "value": "1", "feasibility": "1", "benefit": "1", "capacity": "1",
        "opinion": "意见"})
    assert response.status_code == 422
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


@pytest.mark.django_db
def test_an_expert_is_told_when_the_review_is_over(programme, city):
    expert = UserFactory(role=Role.EXPERT)
    app = at(ApplicationFactory(programme=programme, category=category("07")), State.CITY_REVIEW)
    assignment = ExpertAssignment.objects.create(application=app, expert=expert,
                                                 assigned_by=city)
    response = signed_in(expert).post(f"/desk/experts/{assignment.pk}/", {"opinion": "x"})
    assert "该申报已不在专家评审阶段" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 30, "-1", "abc"])
def test_odd_ids_are_ignored_not_a_500(value, programme, city, county):
    app = at(ApplicationFactory(programme=programme, category=category("07")),
             State.EXPERT_REVIEW)
    assert signed_in(city).get(f"/desk/budget/?programme={value}").status_code == 200
    assert signed_in(city).post(f"/desk/review/{app.pk}/", {
        "assign_experts": "1", "experts": [value]}).status_code == 303
    assert signed_in(county).post("/desk/review/", {"action": "recommend",
                                                    "ids": [value]}).status_code == 303


@pytest.mark.django_db
def test_later_pages_of_the_inbox_stay_the_to_do_list(programme, county):
    for _ in range(12):
        at(ApplicationFactory(programme=programme, organisation__region=county.region),
           State.SUBMITTED)
    at(ApplicationFactory(programme=programme, organisation__region=county.region,
                          title="早已拨付"), State.PAID)
    page = signed_in(county).get("/desk/review/?page=2&per_page=10").content.decode()
    assert "待办申报" in page and "早已拨付" not in page


@pytest.mark.django_db
def test_experts_land_on_their_tasks_and_leaders_get_no_impossible_actions(programme):
    expert = UserFactory(role=Role.EXPERT)
    assert signed_in(expert).get("/").url == "/desk/experts/"
    leader = UserFactory(role=Role.LEADER)
    at(ApplicationFactory(programme=programme), State.CITY_REVIEW)
    page = signed_in(leader).get("/desk/review/").content.decode()
    assert "批量操作" not in page


@pytest.mark.django_db
def test_batch_with_only_foreign_ids_says_so(programme, county, other_county):
    foreign = at(ApplicationFactory(programme=programme,
                                    organisation__region=other_county.region),
                 State.COUNTY_REVIEW)
    response = signed_in(county).post("/desk/review/", {"action": "recommend",
                                                        "ids": [foreign.pk]}, follow=True)
    assert "不存在或不在您的范围内" in response.content.decode()
    assert Application.objects.get(pk=foreign.pk).state == State.COUNTY_REVIEW


@pytest.mark.django_db
def test_draft_programmes_are_not_open_to_applicants(applicant):
    draft = ProgrammeFactory(status=ProgrammeStatus.DRAFT)
    client = signed_in(applicant)
    assert client.get(f"/programmes/{draft.pk}/").status_code == 404
    assert client.get(f"/programmes/{draft.pk}/apply/01/").status_code == 404


@pytest.mark.django_db
def test_upload_without_a_file_is_explained(programme, applicant):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation)
    response = signed_in(applicant).post(f"/applications/{app.pk}/",
                                         {"kind": "application_form"})
    assert response.status_code == 422 and "这个字段是必填项" in response.content.decode()
