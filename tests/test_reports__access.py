"""Who may see the reports: city roles, finance and county reviewers (a county reviewer only
their county's figures, through visible_applications); applicants and experts are refused,
strangers sent to log in; another county's summary or export is not there."""

import pytest
from django.test import Client

from accounts.models import Role
from reports.figures import dashboard
from reports.half_year import half_year
from tests.factories import ProgrammeFactory, UserFactory, region
from tests.helpers import signed_in

from .reports_data import dashboard_set

PAGES = ("/desk/reports/", "/desk/reports/excel/", "/desk/reports/county/",
         "/desk/reports/county/print/", "/desk/reports/county/excel/",
         "/desk/reports/half-year/", "/desk/reports/half-year/excel/", "/desk/review/export/")


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_pages_by_role(path, programme, applicant, county, city, finance):
    expert, chief, leader = (UserFactory(role=r) for r in (Role.EXPERT, Role.CHIEF,
                                                           Role.LEADER))
    allowed = {"county": county, "city": city, "chief": chief, "leader": leader}
    if path != "/desk/review/export/":
        allowed["finance"] = finance
    for name, user in allowed.items():
        assert signed_in(user).get(path).status_code == 200, (path, name)
    for name, user in {"applicant": applicant, "expert": expert}.items():
        assert signed_in(user).get(path).status_code == 403, (path, name)
    stranger = Client().get(path)
    assert stranger.status_code == 302 and "/accounts/login/" in stranger.url


@pytest.mark.django_db
def test_finance_exports_the_inbox_too(programme, finance):
    assert signed_in(finance).get("/desk/review/export/").status_code == 200


@pytest.mark.django_db
def test_a_county_reviewer_sees_only_their_county(reference, county, other_county):
    programme = ProgrammeFactory()
    dashboard_set(programme)
    mine = dashboard(county, programme)
    assert mine["budget"]["count"] == 3 and mine["category_states"]["total"] == 3
    assert [r["region"] for r in mine["counties"]["rows"]] == [county.region]
    assert mine["counties"]["totals"]["requested"] == 330000
    theirs = dashboard(other_county, programme)
    assert theirs["budget"]["count"] == 3 and theirs["budget"]["paid"] == 80000
    assert half_year(county, 2021, 2)["totals"]["approved"]["current"] == 2  # a2, a4
    html = signed_in(county).get(f"/desk/reports/?programme={programme.pk}").content.decode()
    assert region("430405").name in html and region("430424").name not in html


@pytest.mark.django_db
def test_another_countys_summary_is_not_there(reference, county):
    programme = ProgrammeFactory()
    dashboard_set(programme)
    client = signed_in(county)
    other = region("430424")
    for path in ("/desk/reports/county/", "/desk/reports/county/print/",
                 "/desk/reports/county/excel/"):
        assert client.get(f"{path}?programme={programme.pk}&region={other.pk}"
                          ).status_code == 404, path
        own = client.get(f"{path}?programme={programme.pk}")
        assert own.status_code == 200, path
    page = client.get(f"/desk/reports/county/?programme={programme.pk}").content.decode()
    assert f'value="{other.pk}"' not in page  # not even offered


@pytest.mark.django_db
def test_finance_sees_only_what_it_follows(reference, finance):
    programme = ProgrammeFactory()
    dashboard_set(programme)
    figures = dashboard(finance, programme)
    assert figures["budget"]["count"] == 2  # notified and paid
    assert figures["budget"]["requested"] == 110000


@pytest.mark.django_db
def test_city_may_pick_any_county(reference, city):
    programme = ProgrammeFactory()
    dashboard_set(programme)
    other = region("430424")
    html = signed_in(city).get(
        f"/desk/reports/county/?programme={programme.pk}&region={other.pk}").content.decode()
    assert "160,000.00" in html
