"""The reviewers (the county's, the city's) see on an application the applicant's credit
code, contact person and phone; nobody else does: not the finance bureau, not a reviewer of
another county, not an expert, even one asked to score it (no private contact during a
review)."""

import pytest

from accounts.models import Role
from subsidy.experts import assign_experts
from subsidy.services import sees_applicant_contact
from workflows.stages import State

from .factories import ApplicationFactory, ExpertFactory, OrganisationFactory, UserFactory, category
from .helpers import at, signed_in

pytestmark = pytest.mark.django_db

PHONE = "0734-8123456"


@pytest.fixture
def in_review(programme, county):
    """An application in expert review from the county reviewer's county."""
    organisation = OrganisationFactory(region=county.region, contact_name="张经办",
                                       contact_phone=PHONE)
    return at(ApplicationFactory(programme=programme, organisation=organisation,
                                 category=category("07")), State.EXPERT_REVIEW)


def shows_contact(page: str, app) -> bool:
    contact = [app.organisation.uscc, "张经办", PHONE]
    shown = [value in page for value in contact]
    assert all(shown) or not any(shown), shown  # all three together, or none
    return all(shown)


def test_county_and_city_reviewers_see_the_contact(in_review, county, city):
    for reviewer in (county, city):
        page = signed_in(reviewer).get(f"/desk/review/{in_review.pk}/").content.decode()
        assert shows_contact(page, in_review), reviewer.role
        assert f'href="tel:{PHONE}"' in page


def test_an_assigned_expert_scores_without_it(in_review, city):
    expert = ExpertFactory()
    [assignment] = assign_experts(city, in_review, [expert])
    response = signed_in(expert).get(f"/desk/experts/{assignment.pk}/")
    assert response.status_code == 200 and in_review.title in response.content.decode()
    assert not shows_contact(response.content.decode(), in_review)


def test_finance_does_not_see_the_contact(in_review, finance):
    paid = at(in_review, State.DISBURSEMENT_NOTIFIED)
    response = signed_in(finance).get(f"/desk/review/{paid.pk}/")
    assert response.status_code == 200  # finance sees the application…
    assert not shows_contact(response.content.decode(), paid)  # …not whom to call


def test_others_who_may_not_see_the_application_are_not_told(in_review, other_county):
    assert signed_in(other_county).get(f"/desk/review/{in_review.pk}/").status_code == 404
    for user in (other_county, ExpertFactory(), UserFactory(role=Role.FINANCE),
                 UserFactory(role=Role.APPLICANT)):
        assert not sees_applicant_contact(user, in_review), user.role
