"""催办 now: city staff remind whoever must act on one application (its page), on the ones
ticked in the inbox, or through the API, with the daily job's digest; each 催办 is recorded
(who, when, to whom, which applications) and shown on the application's page; nobody else
may, and the refusal says why."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from accounts.models import Role
from notifications.models import Notification, Reminder
from notifications.reminders import send_overdue_reminders
from workflows.stages import State

from .api_client import ApiClient
from .factories import ApplicantFactory, ApplicationFactory, OrganisationFactory, UserFactory
from .helpers import at, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.today(datetime(2026, 11, 24, 9, 0,
                                                                tzinfo=ZoneInfo("Asia/Shanghai")))]
WAITED = datetime(2026, 11, 17, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # 5 working days


@pytest.fixture
def cases(programme, applicant, other_applicant):
    def make(name, owner, state):
        app = ApplicationFactory(programme=programme, organisation=owner.organisation,
                                 created_by=owner, title=f"项目-{name}")
        return at(app, state, state_changed_at=WAITED)

    return {"submitted": make("submitted", applicant, State.SUBMITTED),
            "far": make("far", other_applicant, State.COUNTY_REVIEW),
            "city": make("city", applicant, State.CITY_REVIEW),
            "returned": make("returned", other_applicant, State.RETURNED),
            "finance": make("finance", applicant, State.DISBURSEMENT_NOTIFIED),
            "publicity": make("publicity", applicant, State.APPROVAL_PUBLICITY)}


def digests(user):
    return list(Notification.objects.filter(user=user, reminder__isnull=False))


def test_from_the_application_page_after_a_confirmation(cases, city, county, other_county,
                                                         django_capture_on_commit_callbacks):
    app = cases["submitted"]
    client = signed_in(city)
    page = client.get(f"/desk/review/{app.pk}/").content.decode()
    assert 'id="reminders"' in page and county.username in page  # who would be reminded
    asked = client.post(f"/desk/review/{app.pk}/remind/")
    assert asked.status_code == 200 and "confirm-step" in asked.content.decode()
    assert not Notification.objects.exists()  # nothing before the confirmation
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails go after the commit
        done = client.post(f"/desk/review/{app.pk}/remind/", {"confirm": "1"}, follow=True)
    assert "已催办 1 人（1 件申报）" in done.content.decode()
    [digest] = digests(county)
    assert digest.reminder.sent_by == city and list(digest.reminded.all()) == [app]
    assert digest.subject == "【催办】请尽快办理 1 件申报"
    assert "项目-submitted" in digest.body and "已等待 5 个工作日" in digest.body
    assert [m.to for m in mail.outbox] == [[county.email]]
    assert not digests(other_county) and not digests(city)
    shown = client.get(f"/desk/review/{app.pk}/").content.decode()
    record = shown[shown.index("催办记录"):]
    assert city.username in record and county.username in record  # by whom, to whom


def test_a_batch_from_the_inbox_reaches_each_actor_once(cases, city, county, other_county,
                                                        finance, applicant, other_applicant,
                                                        django_capture_on_commit_callbacks):
    colleague = UserFactory(role=Role.CITY)
    client = signed_in(city)
    ids = [str(a.pk) for a in cases.values()]
    inbox = client.get("/desk/review/").content.decode()
    assert 'name="remind"' in inbox
    asked = client.post("/desk/review/", {"ids": ids, "remind": "1"}).content.decode()
    assert "将向以下 5 人发送催办" in asked
    assert "不催办 " + cases["publicity"].number in asked  # publicity waits by design
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/desk/review/", {"ids": ids, "remind": "1", "confirm": "1"},
                           follow=True).content.decode()
    assert "已催办 5 人（5 件申报）" in done
    assert "“立项公示”环节无人需要办理" in done
    listed = {user: {a.title for d in digests(user) for a in d.reminded.all()}
              for user in (county, other_county, colleague, finance, other_applicant)}
    assert listed == {county: {"项目-submitted"}, other_county: {"项目-far"},
                      colleague: {"项目-city"}, finance: {"项目-finance"},
                      other_applicant: {"项目-returned"}}
    assert not digests(city) and not digests(applicant)  # not the sender; nothing to act on
    assert Reminder.objects.get().sent_by == city  # one 催办, five digests
    assert len(mail.outbox) == 5


def test_when_nobody_has_to_act_it_says_so_and_sends_nothing(cases, city):
    done = signed_in(city).post("/desk/review/", {
        "ids": [cases["publicity"].pk], "remind": "1"}, follow=True).content.decode()
    assert "所选申报当前都没有需要办理的人，未发送催办。" in done
    assert not Notification.objects.exists() and not Reminder.objects.exists()


def test_only_city_staff_may_and_the_refusal_says_why(cases, county, finance):
    app = cases["submitted"]
    for user in (county, finance):
        client = signed_in(user)
        assert 'name="remind"' not in client.get("/desk/review/").content.decode()
        refused = client.post(f"/desk/review/{app.pk}/remind/", {"confirm": "1"})
        if user == county:
            assert refused.status_code == 403
            assert "只有市局科室工作人员可以执行此操作。" in refused.content.decode()
        else:  # finance does not see this application at all
            assert refused.status_code == 404
        batch = client.post("/desk/review/", {"ids": [app.pk], "remind": "1", "confirm": "1"})
        assert batch.status_code in (403, 303)
    assert not Notification.objects.exists()


def test_in_the_api(cases, city, county):
    ids = [cases["submitted"].pk, cases["publicity"].pk, 999999]
    answer = ApiClient(city).post("/applications/reminders", {"ids": ids})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["people"] == 1
    assert body["reminded"] == [{"username": county.username, "name": county.get_full_name(),
                                 "role": "county", "applications": [cases["submitted"].pk]}]
    assert {(r["id"], r["code"]) for r in body["not_reminded"]} == {
        (cases["publicity"].pk, "nobody_to_remind"), (999999, "not_found")}
    refused = ApiClient(county).post("/applications/reminders", {"ids": ids})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "只有市局科室工作人员可以执行此操作。"
    assert Reminder.objects.count() == 1


def test_the_daily_job_is_recorded_the_same_way(cases, city, county, settings):
    settings.REPORTS_OVERDUE_WORKDAYS = 3
    assert send_overdue_reminders() > 0
    reminder = Reminder.objects.get()
    assert reminder.sent_by is None
    [digest] = digests(county)
    assert digest.reminder == reminder and list(digest.reminded.all()) == [cases["submitted"]]
    page = signed_in(city).get(f"/desk/review/{cases['submitted'].pk}/").content.decode()
    assert "系统每日催办" in page[page.index("催办记录"):]


def test_an_applicant_is_told_of_nothing_they_need_not_do(cases, city):
    """The applicant of a returned application is reminded; their other organisation's people
    and everyone else outside the rule are not."""
    stranger = ApplicantFactory(organisation=OrganisationFactory())
    signed_in(city).post("/desk/review/", {"ids": [cases["returned"].pk], "remind": "1",
                                           "confirm": "1"})
    assert not digests(stranger)
    [digest] = Notification.objects.filter(reminder__isnull=False)
    assert digest.user.organisation_id == cases["returned"].organisation_id
