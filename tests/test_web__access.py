"""Every role against every page, and against other organisations' and counties' objects:
404 for objects one may not know exist, 403 for pages of another role, login for strangers."""

import pytest
from django.test import Client

from accounts.models import Role
from subsidy.models import Application, ExpertAssignment
from workflows.stages import State

from .factories import ApplicationFactory, AttachmentFactory, UserFactory
from .helpers import sign_in

ROLES = ["anonymous", "owner", "other_applicant", "county", "other_county", "city", "finance",
         "expert"]


@pytest.fixture
def people(applicant, other_applicant, county, other_county, city, finance):
    return {"anonymous": None, "owner": applicant, "other_applicant": other_applicant,
            "county": county, "other_county": other_county, "city": city, "finance": finance,
            "expert": UserFactory(role=Role.EXPERT)}


def client_for(user):
    client = Client()
    if user is not None:
        sign_in(client, user)
    return client


PAGES = {
    "/my/": {"owner": 200, "other_applicant": 200},
    "/my/organisation/": {"owner": 200, "other_applicant": 200},
    "/notifications/": {r: 200 for r in ROLES if r != "anonymous"},
    "/desk/review/": {"county": 200, "other_county": 200, "city": 200, "finance": 200},
    "/desk/budget/": {"city": 200, "finance": 200},
    "/desk/experts/": {"expert": 200},
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(PAGES))
def test_pages_by_role(path, people, programme):
    for role, user in people.items():
        response = client_for(user).get(path)
        expected = 302 if role == "anonymous" else PAGES[path].get(role, 403)
        assert response.status_code == expected, (path, role, response.status_code)
        if role == "anonymous":
            assert "/accounts/login/" in response.url


@pytest.mark.django_db
def test_programme_pages_are_for_applicants(people, programme):
    for path in (f"/programmes/{programme.pk}/", f"/programmes/{programme.pk}/apply/21/"):
        for role, user in people.items():
            expected = {"anonymous": 302, "owner": 200, "other_applicant": 200}.get(role, 403)
            assert client_for(user).get(path).status_code == expected, (path, role)


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.AWAITING_DISBURSEMENT])
def test_objects_by_role(state, people, programme):
    owner = people["owner"]
    app = ApplicationFactory(programme=programme, organisation=owner.organisation,
                             created_by=owner)
    attachment = AttachmentFactory(application=app)
    Application.objects.filter(pk=app.pk).update(state=state)
    portal = [f"/applications/{app.pk}/", f"/applications/{app.pk}/attachments/{attachment.pk}/"]
    desk = [f"/desk/review/{app.pk}/",
            f"/desk/review/{app.pk}/attachments/{attachment.pk}/"]
    sees_in_desk = {"county": state != State.DRAFT, "city": state != State.DRAFT,
                    "finance": state == State.AWAITING_DISBURSEMENT}
    for role, user in people.items():
        client = client_for(user)
        for path in portal:
            expected = {"anonymous": 302, "owner": 200, "other_applicant": 404}.get(role, 403)
            assert client.get(path).status_code == expected, (path, role)
        for path in desk:
            if role == "anonymous":
                expected = 302
            elif role in ("owner", "other_applicant"):
                expected = 403
            elif role == "expert":
                expected = 403
            else:
                expected = 200 if sees_in_desk.get(role) else 404
            assert client.get(path).status_code == expected, (path, role, state)


@pytest.mark.django_db
def test_experts_see_only_their_own_assignments(people, programme, city):
    app = ApplicationFactory(programme=programme)
    Application.objects.filter(pk=app.pk).update(state=State.EXPERT_REVIEW)
    mine = ExpertAssignment.objects.create(application=app, expert=people["expert"],
                                           assigned_by=city)
    other_expert = UserFactory(role=Role.EXPERT)
    attachment = AttachmentFactory(application=app)
    download = f"/desk/experts/applications/{app.pk}/attachments/{attachment.pk}/"
    assert client_for(people["expert"]).get(f"/desk/experts/{mine.pk}/").status_code == 200
    assert client_for(people["expert"]).get(download).status_code == 200
    assert client_for(other_expert).get(f"/desk/experts/{mine.pk}/").status_code == 404
    assert client_for(other_expert).get(download).status_code == 404


@pytest.mark.django_db
def test_csrf_is_enforced_on_actions(people, programme):
    owner = people["owner"]
    app = ApplicationFactory(programme=programme, organisation=owner.organisation)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, owner)
    assert client.post(f"/applications/{app.pk}/", {"action": "withdraw"}).status_code == 403
    assert Application.objects.get(pk=app.pk).state == State.DRAFT


@pytest.mark.django_db
def test_no_page_leaks_another_organisations_data(people, programme):
    other = people["other_applicant"]
    secret = ApplicationFactory(programme=programme, organisation=other.organisation,
                                title="绝密项目名称")
    Application.objects.filter(pk=secret.pk).update(state=State.SUBMITTED)
    owner_client = client_for(people["owner"])
    county_client = client_for(people["county"])
    for client, path in ((owner_client, "/my/"), (owner_client, "/notifications/"),
                         (county_client, "/desk/review/?all=1")):
        assert "绝密项目名称" not in client.get(path).content.decode(), path
