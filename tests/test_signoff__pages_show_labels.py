"""The sign-off pages (viewflow's dashboard, lists, process and task pages, and the desk's
notice page) name the notice by its title, show its number and link its PDF, and read every
status through its Chinese label: no "#1/2", no "New", no "False", no Python lists."""

import re

import pytest

from accounts.models import Role
from notices.services import draft_disbursement_notice
from notices.signoff import signoff_process, start_signoff, take_step, waiting_task

from .factories import UserFactory
from .helpers import signed_in

pytestmark = pytest.mark.django_db

#: What a page must not show: viewflow's raw states and ids, Python values.
RAW = re.compile(r"#\d+/\d+|\b(New|NEW|Assigned|ASSIGNED|Started|Done|DONE|Canceled|CANCELED|"
                 r"False|True|None|Unassigned|Start|Check|Sign|Revise)\b|\[|\]|notices\.\w+")


def visible_text(response) -> str:
    """The page's text as read: no scripts, styles or tags."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def people(reference):
    return {role: UserFactory(role=role) for role in (Role.CHIEF, Role.LEADER, Role.FINANCE)}


@pytest.fixture
def notice(programme, city, waiting):
    drafted = draft_disbursement_notice(city, programme, [a.pk for a in waiting])
    start_signoff(drafted)
    return drafted


def pages(notice, task):
    process = task.process_id
    base = f"/desk/signoff/{process}/{task.flow_task.name}/{task.pk}"
    return ["/desk/signoff/", "/desk/signoff/queue/", "/desk/signoff/inbox/",
            "/desk/signoff/archive/", "/desk/signoff/tasks/", "/desk/signoff/flows/",
            f"/desk/signoff/{process}/", f"{base}/detail/", f"/desk/notices/{notice.pk}/"]


def assert_readable(client, url, notice):
    answer = client.get(url)
    assert answer.status_code == 200, url
    text = visible_text(answer)
    raw = RAW.findall(text) and RAW.search(text).group(0)
    assert not raw, (url, raw, text[max(0, text.find(raw) - 80):text.find(raw) + 80])
    return text


def test_a_waiting_and_a_taken_step_read_in_chinese(notice, people):
    chief = signed_in(people[Role.CHIEF])
    task = waiting_task(notice)
    for url in pages(notice, task):
        text = assert_readable(chief, url, notice)
        if "/notices/" not in url and url.rstrip("/").split("/")[-1] not in (
                "inbox", "archive"):
            assert notice.title in text, url
    assert "待认领" in assert_readable(chief, f"/desk/signoff/{task.process_id}/", notice)
    base = f"/desk/signoff/{task.process_id}/check/{task.pk}"
    chief.post(f"{base}/assign/")
    execute = chief.get(f"{base}/execute/")
    page = execute.content.decode()
    assert notice.title in page and "印发时编号" in page
    assert f'href="/desk/notices/{notice.pk}/pdf/"' in page
    assert_readable(chief, f"{base}/execute/", notice)
    assert notice.title in assert_readable(chief, "/desk/signoff/inbox/", notice)


def test_an_issued_notice_shows_its_number_on_every_page(notice, people):
    for role in (Role.CHIEF, Role.LEADER, Role.FINANCE):
        take_step(people[role], notice, True, "同意")
    notice.refresh_from_db()
    assert notice.number
    finance = signed_in(people[Role.FINANCE])
    task = signoff_process(notice).task_set.get(flow_task_type="HUMAN",
                                                 owner=people[Role.FINANCE])
    detail = assert_readable(finance, f"/desk/signoff/{task.process_id}/countersign/"
                                      f"{task.pk}/detail/", notice)
    assert notice.title in detail and notice.number in detail and "同意" in detail
    assert f'href="/desk/notices/{notice.pk}/pdf/"' in finance.get(
        f"/desk/signoff/{task.process_id}/countersign/{task.pk}/detail/").content.decode()
    for url in pages(notice, task):
        assert_readable(finance, url, notice)
    archive = assert_readable(finance, "/desk/signoff/archive/", notice)
    assert notice.title in archive and "同意" in archive
    assert "已完成" in assert_readable(finance, f"/desk/signoff/{task.process_id}/", notice)


def test_a_cancelled_sign_off_reads_in_chinese(notice, city):
    admin = signed_in(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    task = waiting_task(notice)
    admin.post(f"/desk/signoff/{task.process_id}/check/{task.pk}/cancel/")
    for url in pages(notice, task)[:-1]:
        assert_readable(admin, url, notice)
    assert "已取消" in assert_readable(signed_in(city), f"/desk/notices/{notice.pk}/", notice)
