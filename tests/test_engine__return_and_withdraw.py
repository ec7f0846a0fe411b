"""Returned applications come back to the stage that returned them; withdrawal ends early."""

import pytest

from workflows import services as engine
from workflows.exceptions import GuardFailed
from workflows.stages import State

from .factories import ApplicationFactory, attach_required
from .helpers import at


@pytest.mark.django_db
@pytest.mark.parametrize("stage, reviewer", [("county_review", "county"),
                                             ("city_review", "city")])
def test_resubmission_returns_to_the_same_stage(stage, reviewer, programme, applicant,
                                                county, city):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation)
    attach_required(app)
    app = at(app, stage)
    engine.perform(app, "return_for_revision", {"county": county, "city": city}[reviewer],
                   comment="请补充材料")
    assert (app.state, app.returned_from) == ("returned", stage)
    engine.perform(app, "resubmit", applicant)
    assert (app.state, app.returned_from) == (stage, "")
    app.refresh_from_db()
    assert app.state == stage


@pytest.mark.django_db
def test_withdraw_before_approval_only(programme, applicant, city):
    app = at(ApplicationFactory(programme=programme, organisation=applicant.organisation),
             State.CITY_REVIEW)
    engine.perform(app, "withdraw", applicant)
    assert app.state == State.WITHDRAWN

    approved = at(ApplicationFactory(programme=programme, organisation=applicant.organisation),
                  State.ACCEPTANCE_REVIEW)
    attach_required(approved, "acceptance")
    engine.perform(approved, "return_for_revision", city, comment="补充验收材料")
    with pytest.raises(GuardFailed, match="不能撤回"):
        engine.perform(approved, "withdraw", applicant)
    engine.perform(approved, "resubmit", applicant)
    assert approved.state == State.ACCEPTANCE_REVIEW
