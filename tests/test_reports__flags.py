"""The dashboard counts the suspicious-application flags in SQL, and agrees with flags_for
(the per-page form the review desk shows)."""

import pytest
from django.db.models import Q

from reports.figures import dashboard
from subsidy.flags import flag_summary, flags_for
from subsidy.models import Application, IdentifierClaim
from tests.factories import ApplicationFactory, OrganisationFactory, category, region
from workflows.stages import State

from .reports_data import make


@pytest.mark.django_db
def test_flag_counts_match_the_review_desk(programme, city):
    shared = [make(programme, "01", "430405", State.CITY_REVIEW, "1000") for _ in range(2)]
    for app in shared:
        IdentifierClaim.objects.create(application=app, number="ZL201310699744.2")
    org = OrganisationFactory(region=region("430424"))
    twice = [Application.objects.filter(pk=ApplicationFactory(
        programme=programme, category=category("21"), organisation=org).pk).update(
        state=State.COUNTY_REVIEW) for _ in range(2)]
    assert twice == [1, 1]
    university = make(programme, "01", "430405", State.SUBMITTED, "1000",
                      org_type="university")
    withdrawn = make(programme, "01", "430405", State.WITHDRAWN, "1000")
    IdentifierClaim.objects.create(application=withdrawn, number="ZL201310699744.2")
    make(programme, "02", "430405", State.CITY_REVIEW, "1000")  # nothing wrong

    flags = dashboard(city, programme)["flags"]
    assert {k["kind"]: k["count"] for k in flags["kinds"]} == {
        "shared_number": 3, "repeated": 2, "wrong_type": 1}
    # the withdrawn one shares the number with live ones, so it is flagged as flags_for does
    assert flags["total"] == 6
    visible = Application.objects.exclude(state=State.DRAFT).select_related(
        "category", "organisation")
    per_page = {pk for pk, found in flags_for(visible).items() if found}
    assert {app.pk for app, _messages in flags["examples"]} == per_page
    readable = dict(flags["examples"])
    assert [str(m) for m in readable[Application.objects.get(pk=university.pk)]] == [
        "单位类型不属于该类别的申报主体"]


@pytest.mark.django_db
def test_examples_are_limited_but_counts_are_not(programme):
    org = OrganisationFactory(region=region("430405"))
    for _ in range(5):
        app = ApplicationFactory(programme=programme, category=category("01"), organisation=org)
        Application.objects.filter(pk=app.pk).update(state=State.CITY_REVIEW)
    summary = flag_summary(programme, Q(), limit=2)
    assert summary["total"] == 5 and len(summary["examples"]) == 2
