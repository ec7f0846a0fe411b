"""The small helpers behind the dashboard's grouped queries: folding grouped rows by state,
counting flags from groups, and the ranks the waiting-time query reads."""

from decimal import Decimal

import pytest
from django.db.models import Q

from reports.figures import picked_ranks, ranked_rows
from subsidy.flags import count_flags, flag_summary, suspect_org_types
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
    assert counts == {"any": 1 + 3 + 1 + 2, "shared_number": 4, "repeated": 3,
                      "wrong_type": 1}


def repeated_count(programme, visible=None, few=False) -> int:
    summary = flag_summary(programme, ~Q(state=State.DRAFT) if visible is None else visible,
                           few_organisations=few)
    return {kind["kind"]: kind["count"] for kind in summary["kinds"]}["repeated"]


@pytest.mark.django_db
def test_repeated_counts_live_applications_of_any_visibility(programme):
    first = make(programme, "01", "430405", State.CITY_REVIEW, "1000")
    second = make(programme, "02", "430405", State.CITY_REVIEW, "1000", org_type="university")
    Application.objects.filter(pk=second.pk).update(organisation=first.organisation)
    ended = make(programme, "01", "430405", State.WITHDRAWN, "1000")
    Application.objects.filter(pk=ended.pk).update(organisation=first.organisation)
    assert repeated_count(programme) == 0  # other category; the withdrawn one has ended
    Application.objects.filter(pk=second.pk).update(category=first.category)
    assert repeated_count(programme) == 2
    # a draft (which no reviewer sees) and an application outside the view still count
    Application.objects.filter(pk=second.pk).update(state=State.DRAFT)
    assert repeated_count(programme) == 1
    assert repeated_count(programme, Q(pk=first.pk)) == 1
    assert repeated_count(programme, Q(pk=first.pk), few=True) == 1
    assert repeated_count(programme, Q(pk=ended.pk)) == 0


@pytest.mark.django_db
def test_suspect_types_leave_out_what_every_category_accepts(programme):
    first = make(programme, "01", "430405", State.CITY_REVIEW, "1000")
    university = make(programme, "02", "430405", State.CITY_REVIEW, "1000",
                      org_type="university")
    assert suspect_org_types({1: []}) == {}
    suspects = suspect_org_types({1: ["enterprise"], 2: ["enterprise", "university"]})
    assert first.organisation_id not in suspects
    assert suspects[university.organisation_id] == "university"


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
