"""The review desk: inbox and filters, opinions, batch actions, approval with the budget,
suspicious-application flags, expert assignment and scoring."""

from decimal import Decimal

import pytest

from accounts.models import Role
from subsidy.models import Application, ExpertAssignment
from subsidy.services import record_identifier_claims
from workflows.stages import State

from .factories import ApplicationFactory, ProgrammeFactory, UserFactory, category, region
from .helpers import at, signed_in


@pytest.mark.django_db
def test_county_inbox_shows_own_county_todo_and_filters(programme, county):
    mine = at(ApplicationFactory(programme=programme, title="本县待初审",
                                 organisation__region=county.region), State.COUNTY_REVIEW)
    at(ApplicationFactory(programme=programme, title="本县已到市局",
                          organisation__region=county.region), State.CITY_REVIEW)
    at(ApplicationFactory(programme=programme, title="外县待初审",
                          organisation__region=region("430424")), State.COUNTY_REVIEW)
    client = signed_in(county)
    todo = client.get("/desk/review/").content.decode()
    assert "本县待初审" in todo and "本县已到市局" not in todo and "外县待初审" not in todo
    everything = client.get("/desk/review/?all=1").content.decode()
    assert "本县已到市局" in everything and "外县待初审" not in everything
    by_state = client.get("/desk/review/?state=city_review").content.decode()
    assert "本县已到市局" in by_state and "本县待初审" not in by_state
    by_org = client.get(f"/desk/review/?q={mine.organisation.name[:6]}").content
    assert "本县待初审" in by_org.decode()
    by_category = client.get(f"/desk/review/?category={category('02').pk}").content.decode()
    assert "本县待初审" not in by_category


@pytest.mark.django_db
def test_return_needs_an_opinion_and_keeps_what_was_typed(programme, county):
    app = at(ApplicationFactory(programme=programme, organisation__region=county.region),
             State.COUNTY_REVIEW)
    client = signed_in(county)
    refused = client.post(f"/desk/review/{app.pk}/", {"action": "return_for_revision",
                                                      "return_for_revision-comment": ""})
    assert refused.status_code == 422
    assert "必须填写意见" in refused.content.decode()
    assert Application.objects.get(pk=app.pk).state == State.COUNTY_REVIEW
    done = client.post(f"/desk/review/{app.pk}/", {
        "action": "return_for_revision", "return_for_revision-comment": "请补充证明材料"})
    assert done.status_code == 303
    assert Application.objects.get(pk=app.pk).state == State.RETURNED


@pytest.mark.django_db
def test_batch_recommend(programme, county):
    ready = [at(ApplicationFactory(programme=programme, organisation__region=county.region),
                State.COUNTY_REVIEW) for _ in range(3)]
    waiting = at(ApplicationFactory(programme=programme, organisation__region=county.region),
                 State.SUBMITTED)
    response = signed_in(county).post("/desk/review/", {
        "action": "recommend", "comment": "同意推荐", "confirm": "1",
        "ids": [a.pk for a in ready] + [waiting.pk]}, follow=True)
    page = response.content.decode()
    assert "已办理 3 件" in page and f"申报 {waiting.number} 未办理" in page
    assert Application.objects.filter(state=State.CITY_REVIEW).count() == 3
    assert all(a.audit_entries.get().comment == "同意推荐" for a in ready)


@pytest.mark.django_db
def test_city_approves_with_the_rule_amount_and_is_stopped_by_the_budget(city):
    programme = ProgrammeFactory(category_budget="150000")
    first = at(ApplicationFactory(programme=programme, requested_amount=Decimal("100000")),
               State.CITY_REVIEW)
    second = at(ApplicationFactory(programme=programme, requested_amount=Decimal("80000")),
                State.CITY_REVIEW)
    client = signed_in(city)
    page = client.get(f"/desk/review/{first.pk}/").content.decode()
    assert 'value="100000.00"' in page
    assert client.post(f"/desk/review/{first.pk}/", {
        "action": "approve", "approve-amount": "100000.00"}).status_code == 303
    over = client.post(f"/desk/review/{second.pk}/", {"action": "approve",
                                                     "approve-amount": "80000.00"})
    assert over.status_code == 422
    assert "超出类别预算：核定 80,000.00 元，类别预算 150,000.00 元，剩余 50,000.00 元" in \
        over.content.decode()
    assert 'value="80000.00"' in over.content.decode()
    budget = client.get(f"/desk/budget/?programme={programme.pk}").content.decode()
    assert "100,000.00" in budget and "50,000.00" in budget


@pytest.mark.django_db
def test_suspicious_applications_are_flagged(programme, city, applicant):
    org = applicant.organisation
    one = ApplicationFactory(programme=programme, organisation=org, category=category("07"),
                             form_data={"project_summary": "x",
                                        "patent_numbers": ["201310699744.2"]})
    two = ApplicationFactory(programme=programme, category=category("08"),
                             form_data={"project_summary": "y",
                                        "patent_numbers": ["201310699744.2"]})
    three = ApplicationFactory(programme=programme, organisation=org, category=category("07"))
    university_only = ApplicationFactory(programme=programme, organisation=org,
                                         category=category("09"))
    for app in (one, two, three, university_only):
        record_identifier_claims(app)
        at(app, State.CITY_REVIEW)
    client = signed_in(city)
    inbox = client.get("/desk/review/?all=1").content.decode()
    assert f"同时在申报 {two.number} 中使用" in inbox
    assert "同一单位在本类别有多个申报" in inbox
    detail = client.get(f"/desk/review/{university_only.pk}/").content.decode()
    assert "单位类型不属于该类别的申报主体" in detail


@pytest.mark.django_db
def test_expert_review_assignment_and_scores(programme, city):
    expert = UserFactory(role=Role.EXPERT, first_name="张教授")
    app = at(ApplicationFactory(programme=programme, category=category("07")),
             State.CITY_REVIEW)
    client = signed_in(city)
    assert client.post(f"/desk/review/{app.pk}/", {"action": "send_to_experts"}
                       ).status_code == 303
    client.post(f"/desk/review/{app.pk}/", {"assign_experts": "1", "experts": [expert.pk]})
    assignment = ExpertAssignment.objects.get()
    expert_client = signed_in(expert)
    assert app.number in expert_client.get("/desk/experts/").content.decode()
    bad = expert_client.post(f"/desk/experts/{assignment.pk}/", {
        "innovation": "31", "value": "20", "feasibility": "15", "benefit": "10",
        "capacity": "8", "opinion": "创新性突出"})
    assert bad.status_code == 422
    assert "分数应在 0 到 30 之间" in bad.content.decode() and "创新性突出" in bad.content.decode()
    good = expert_client.post(f"/desk/experts/{assignment.pk}/", {
        "innovation": "28", "value": "20", "feasibility": "15", "benefit": "10.5",
        "capacity": "8", "opinion": "创新性突出"})
    assert good.status_code == 303
    assignment.refresh_from_db()
    assert assignment.total == Decimal("81.5")
    assert "81.5" in client.get(f"/desk/review/{app.pk}/").content.decode()
