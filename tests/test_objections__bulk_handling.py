"""Staff decide several objections in one step with one opinion (不予受理：无具体事实和证据):
a decision asks first, each objection is recorded on its own (who, when, the opinion, that it
was in bulk), one that cannot take the decision is named and leaves the others done, and of
two staff deciding one objection at once one wins and the other is told."""

import re

import pytest

from accounts.models import Role
from publicity.models import Objection, ObjectionHandling, ObjectionStatus
from publicity.services import handle_objection, handle_objections_in_bulk, lodge_objection

from .factories import UserFactory
from .helpers import signed_in
from .publicity_data import OTHER_ID, TODAY, VALID_ID, objection_data, published_batch

pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]
REASON = "不予受理：无具体事实和证据"


@pytest.fixture
def batch_and_objections(programme, city):
    batch, apps = published_batch(programme, city)
    objections = [lodge_objection(batch, objection_data(app, identity=identity))[0]
                  for app, identity in zip(apps, [VALID_ID, OTHER_ID, VALID_ID], strict=True)]
    return batch, objections


def page(batch) -> str:
    return f"/desk/publicity/{batch.pk}/"


def bulk_post(batch, objections, **fields):
    return {"bulk_objections": "1", "objections": [str(o.pk) for o in objections],
            "status": ObjectionStatus.DISMISSED, "outcome": "", "result": REASON, **fields}


def test_several_decided_in_one_step_each_recorded_on_its_own(batch_and_objections, city):
    batch, objections = batch_and_objections
    client = signed_in(city)
    listed = client.get(page(batch)).content.decode()
    assert listed.count('name="objections"') == 3 and 'form="bulk-objections"' in listed

    asked = client.post(page(batch), bulk_post(batch, objections[:2]))
    text = asked.content.decode()
    assert asked.status_code == 200 and "批量作出异议处理结论" in text
    assert all(o.receipt in text for o in objections[:2]) and objections[2].receipt not in text
    assert not ObjectionHandling.objects.exists()  # nothing before the confirmation

    done = client.post(page(batch), {**bulk_post(batch, objections[:2]), "confirm": "1"},
                       follow=True)
    assert "已处理 2 条异议" in done.content.decode()
    for objection in objections[:2]:
        objection.refresh_from_db()
        assert (objection.status, objection.result, objection.handled_by) == (
            ObjectionStatus.DISMISSED, REASON, city)
        handling = objection.handlings.get()
        assert handling.in_bulk and handling.handled_by == city and handling.result == REASON
    assert Objection.objects.get(pk=objections[2].pk).status == ObjectionStatus.RECEIVED
    history = client.get(page(batch)).content.decode()
    assert history.count("（批量处理）") == 2
    assert history.count('name="objections"') == 1  # decided ones can no longer be chosen


def test_one_that_cannot_take_the_decision_is_named_and_the_rest_are_done(
        batch_and_objections, city):
    batch, objections = batch_and_objections
    handle_objection(city, objections[0], ObjectionStatus.UPHELD, "remove", "专利权属确有争议")
    handled, refused = handle_objections_in_bulk(city, batch, [o.pk for o in objections],
                                                 ObjectionStatus.DISMISSED, "", REASON)
    assert [o.pk for o in handled] == [o.pk for o in objections[1:]]
    assert list(refused) == [objections[0]] and "不能从“异议成立”改为" in refused[objections[0]]
    response = signed_in(city).post(page(batch), {
        **bulk_post(batch, objections[:1]), "confirm": "1"}, follow=True)
    assert re.search(rf"异议 {objections[0].receipt} 未处理：", response.content.decode())


def test_a_decision_without_an_opinion_is_refused_for_each(batch_and_objections, city):
    batch, objections = batch_and_objections
    handled, refused = handle_objections_in_bulk(city, batch, [o.pk for o in objections],
                                                 ObjectionStatus.DISMISSED, "", "  ")
    assert handled == [] and len(refused) == 3
    assert all("必须填写处理意见" in reason for reason in refused.values())
    assert not ObjectionHandling.objects.exists()


def test_of_two_staff_deciding_at_once_the_second_is_told(batch_and_objections, city):
    _batch, objections = batch_and_objections
    stale = Objection.objects.get(pk=objections[0].pk)  # both opened the page as 已收到
    colleague = UserFactory(role=Role.CITY)
    handle_objection(colleague, objections[0], ObjectionStatus.UPHELD, "remove", "属实")
    with pytest.raises(Exception, match="不能从“异议成立”改为“异议不成立”"):
        handle_objection(city, stale, ObjectionStatus.DISMISSED, "", REASON)
    assert Objection.objects.get(pk=stale.pk).handled_by == colleague


def test_only_the_city_section_handles_objections_in_bulk(batch_and_objections, reference):
    batch, objections = batch_and_objections
    county = UserFactory(role=Role.COUNTY)
    response = signed_in(county).post(page(batch), {**bulk_post(batch, objections),
                                                    "confirm": "1"})
    assert response.status_code == 403
    assert not ObjectionHandling.objects.exists()
