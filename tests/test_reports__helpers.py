"""The small helpers behind the dashboard's grouped queries: folding grouped rows by state,
counting flags from groups, and the ranks the waiting-time query reads."""

from decimal import Decimal

import pytest

from reports.figures import picked_ranks, ranked_rows
from subsidy.flags import count_flags, repeated_pairs, suspect_org_types
from subsidy.funding import holds_budget, money_by, money_total
from subsidy.models import Application
from tests.factories import category, region
from workflows.stages import State

from .reports_data import dashboard_set, make

D = Decimal


def test_holds_budget_matches_the_rule():
    assert holds_budget(State.PAID, None) and holds_budget(State.APPROVED, "")
    assert not holds_budget(State.CITY_REVIEW, None)
    assert holds_budget(State.RETURNED, State.ACCEPTANCE_REVIEW)
    assert not holds_budget(State.RETURNED, State.CITY_REVIEW)
    assert not holds_budget(State.REJECTED, State.APPROVED)


@pytest.mark.django_db
def test_money_by_folds_the_states(programme):
    dashboard_set(programme)
    visible = Application.objects.exclude(state=State.DRAFT)
    by_category = money_by(visible, "category_id")
    c01, c21 = category("01").pk, category("21").pk
    assert by_category[c01] == {"count": 3, "approved_count": 2, "requested": D("380000.00"),
                                "approved": D("230000.00"), "notified": D("80000.00"),
                                "paid": D("80000.00")}
    assert by_category[c21]["approved"] == D("60000.00")  # the returned one still holds
    triples = money_by(visible, "category_id", "region_id", "state")
    assert money_total(triples, 0) == by_category
    assert money_total(triples, 0, 2)[(c21, State.REJECTED)]["count"] == 1
    assert money_total(triples, 1)[region("430424").pk]["paid"] == D("80000.00")


def test_count_flags_counts_each_application_once():
    groups = [(1, 10, 100, 3, 1),   # repeated pair, one ended with a shared patent
              (1, 11, 101, 1, 0),   # wrong organisation type
              (1, 12, 102, 2, 2)]   # only shared patents: one live, one ended
    shared = {(1, 10, 100): (1, 1), (1, 12, 102): (1, 1)}
    counts = count_flags(groups, shared, {(1, 10, 100)}, {11: ["university"]},
                         {101: "enterprise", 100: "enterprise"})
    assert counts == {"any": 1 + 3 + 1 + 2, "shared_patent": 4, "repeated": 3,
                      "wrong_type": 1}


@pytest.mark.django_db
def test_repeated_pairs_and_suspect_types(programme):
    first = make(programme, "01", "430405", State.CITY_REVIEW, "1000")
    second = make(programme, "02", "430405", State.CITY_REVIEW, "1000", org_type="university")
    Application.objects.filter(pk=second.pk).update(organisation=first.organisation)
    make(programme, "03", "430405", State.WITHDRAWN, "1000")
    assert repeated_pairs({programme.pk}) == set()
    Application.objects.filter(pk=second.pk).update(category=first.category)
    assert repeated_pairs({programme.pk}) == {
        (programme.pk, first.category_id, first.organisation_id)}
    assert suspect_org_types({1: []}) == {}
    suspects = suspect_org_types({1: ["enterprise"], 2: ["enterprise", "university"]})
    assert first.organisation_id not in suspects


def test_picked_ranks_are_the_first_and_the_middle():
    assert picked_ranks(5, 2) == [0, 1, 2]
    assert picked_ranks(6, 2) == [0, 1, 2, 3]
    assert picked_ranks(1, 20) == [0]
    assert picked_ranks(100, 20) == [*range(20), 49, 50]


@pytest.mark.django_db
def test_ranked_rows_reads_the_picked_ranks(programme):
    apps = [make(programme, "01", "430405", State.CITY_REVIEW, "1000") for _ in range(7)]
    for index, app in enumerate(apps):
        Application.objects.filter(pk=app.pk).update(
            state_changed_at=app.created_at.replace(year=2020, day=1 + index))
    rows = ranked_rows(Application.objects.all(), {State.CITY_REVIEW: 7}, 2)
    assert [(rank, pk) for rank, (_entered, pk) in rows[State.CITY_REVIEW]] == [
        (0, apps[0].pk), (1, apps[1].pk), (3, apps[3].pk)]
