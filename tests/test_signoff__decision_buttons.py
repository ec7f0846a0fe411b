"""The sign-off decision is one of two buttons, 同意 or 退回, never a checkbox left unticked:
a form sent without a button is refused, and sending back needs a reason."""

import pytest

from accounts.models import Role
from notices.services import draft_disbursement_notice
from notices.signoff import start_signoff, waiting_task

from .api_client import ApiClient
from .factories import UserFactory
from .helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(programme, city, waiting):
    drafted = draft_disbursement_notice(city, programme, [a.pk for a in waiting])
    start_signoff(drafted)
    return drafted


@pytest.fixture
def chief():
    return UserFactory(role=Role.CHIEF)


def execute_url(notice, client):
    """Assign the waiting step to the client's user; the URL of its decision form."""
    task = waiting_task(notice)
    base = f"/desk/signoff/{task.process_id}/{task.flow_task.name}/{task.pk}"
    if task.owner_id is None:
        assert client.post(f"{base}/assign/").status_code == 302
    return f"{base}/execute/"


def test_the_form_offers_two_buttons_and_no_checkbox(notice, chief):
    client = signed_in(chief)
    page = client.get(execute_url(notice, client)).content.decode()
    assert 'type="checkbox"' not in page
    assert '<button type="submit" name="decision" value="agree"' in page
    assert '<button type="submit" name="decision" value="return"' in page
    assert "同意" in page and "退回" in page


def test_an_opinion_sent_without_a_button_decides_nothing(notice, chief):
    client = signed_in(chief)
    url = execute_url(notice, client)
    answer = client.post(url, {"reason": "同意，请局领导签发。"})
    page = answer.content.decode()
    assert answer.status_code == 200 and "请点击“同意”或“退回”作出决定。" in page
    assert "同意，请局领导签发。" in page  # the typed opinion is kept
    assert waiting_task(notice).flow_task.name == "check"  # not sent back to the drafter


def test_sending_back_needs_a_reason_and_keeps_the_form(notice, chief):
    client = signed_in(chief)
    url = execute_url(notice, client)
    answer = client.post(url, {"decision": "return", "reason": "   "})
    assert answer.status_code == 200 and "退回时必须写明理由。" in answer.content.decode()
    assert waiting_task(notice).flow_task.name == "check"
    done = client.post(url, {"decision": "return", "reason": "附件金额与正文不一致"})
    assert done.status_code == 302
    assert waiting_task(notice).flow_task.name == "revise"
    page = signed_in(notice.created_by).get(f"/desk/notices/{notice.pk}/").content.decode()
    assert "退回" in page and "附件金额与正文不一致" in page  # the step's decision, kept


def test_agreeing_moves_the_notice_on(notice, chief):
    client = signed_in(chief)
    assert client.post(execute_url(notice, client),
                       {"decision": "agree", "reason": "同意"}).status_code == 302
    assert waiting_task(notice).flow_task.name == "sign"


def test_the_api_refuses_a_return_without_a_reason(notice, chief):
    refused = ApiClient(chief).post(f"/notices/{notice.pk}/signoff", {"approve": False})
    assert refused.status_code == 422
    assert refused.json()["errors"]["reason"] == ["退回时必须写明理由。"]
    assert waiting_task(notice).flow_task.name == "check"


def test_signing_asks_first_saying_what_will_happen(notice, chief):
    from notices.signoff import take_step

    take_step(chief, notice, True, "科长的意见")
    client = signed_in(UserFactory(role=Role.LEADER))
    url = execute_url(notice, client)
    assert "科长的意见</textarea>" not in client.get(url).content.decode()  # own opinion
    asked = client.post(url, {"decision": "agree", "reason": "同意印发"})
    page = asked.content.decode()
    assert asked.status_code == 200 and "请确认：局领导签发" in page
    assert "编号并印发为 PDF" in page and "不能撤回" in page and "确认签发" in page
    assert "同意印发" in page and 'name="confirmed" value="1"' in page
    assert waiting_task(notice).flow_task.name == "sign"  # nothing happened yet
    assert client.post(url, {"decision": "agree", "reason": "同意印发",
                             "confirmed": "1"}).status_code == 302
    assert waiting_task(notice).flow_task.name == "countersign"
    client = signed_in(UserFactory(role=Role.FINANCE))
    url = execute_url(notice, client)
    asked = client.post(url, {"decision": "agree"}).content.decode()
    assert "取得文号并印发为 PDF" in asked and "不能撤销" in asked and "确认会签并印发" in asked
    notice.refresh_from_db()
    assert notice.status == "draft" and not notice.number
