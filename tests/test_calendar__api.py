"""The API offers what the desk's working calendar offers: the years and where their
schedule comes from, reading a pasted notice, and (administrators) entering a year."""

from datetime import date

import pytest

from accounts.models import Role
from workcalendar.workdays import period_end

from .api_client import ApiClient
from .factories import UserFactory
from .holiday_schedules import NOTICE_2027

pytestmark = pytest.mark.django_db



@pytest.fixture
def admin(reference):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.mark.today(date(2026, 12, 1))
def test_an_administrator_enters_2027_from_the_notice_through_the_api(admin, city, applicant):
    api = ApiClient(admin)
    listed = {y["year"]: y for y in api.get("/calendar/years").json()}
    assert listed[2026]["source"] == "package"
    assert listed[2027] | {} == {**listed[2027], "source": "missing", "needed": True}
    parsed = api.post("/calendar/parse", {"text": NOTICE_2027}).json()
    assert parsed["year"] == 2027 and parsed["problems"] == []
    assert parsed["holidays"][0] == {"name": "元旦", "first_day": "2027-01-01",
                                     "last_day": "2027-01-03"}
    body = {"basis": parsed["title"], "notice_text": NOTICE_2027,
            "holidays": parsed["holidays"], "workdays": parsed["workdays"]}
    assert ApiClient(city).put("/calendar/years/2027", body).status_code == 403
    assert ApiClient(applicant).get("/calendar/years").status_code == 404
    created = api.put("/calendar/years/2027", body)
    assert created.status_code == 201 and created.json()["source"] == "entered"
    assert period_end(date(2026, 12, 28), 5) == date(2027, 1, 4)
    again = api.put("/calendar/years/2027", body)
    assert again.status_code == 422 and "revision" in again.json()["errors"]
    revision = api.get("/calendar/years/2027").json()["revision"]
    replaced = api.put("/calendar/years/2027", {**body, "revision": revision,
                                                "workdays": body["workdays"][:1]})
    assert replaced.status_code == 200, replaced.json()
    assert len(replaced.json()["workdays"]) == 1
    stale = api.put("/calendar/years/2027", {**body, "revision": revision})
    assert stale.status_code == 422 and "刚被他人修改" in stale.json()["errors"]["year"][0]


def test_refusals_say_what_is_wrong(admin):
    refused = ApiClient(admin).put("/calendar/years/2027", {
        "holidays": [{"name": "元旦", "first_day": "2027-01-01", "last_day": "2027-01-03"}],
        "workdays": [{"date": "2027-01-04", "note": "元旦"}]})
    assert refused.status_code == 422
    assert "调休上班日应是周六或周日" in refused.json()["errors"]["workdays"][0]
    known = ApiClient(admin).put("/calendar/years/2026", {"holidays": [
        {"name": "元旦", "first_day": "2026-01-01", "last_day": "2026-01-03"}]})
    assert "系统已经内置" in known.json()["errors"]["year"][0]
