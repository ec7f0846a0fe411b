"""Two requests racing on one application: exactly one wins, the other is told (409).

Runs on whichever database DATABASE_URL selects (SQLite file in WAL mode, or PostgreSQL).
"""

import pytest
from django.db import connection

from subsidy.models import Application
from workflows import services as engine
from workflows.exceptions import ConcurrentUpdate, TransitionRefused
from workflows.models import AuditEntry
from workflows.stages import State

from .api_client import ApiClient
from .factories import ApplicationFactory, ensure_reference_data
from .helpers import race


def submitted_application(county):
    app = ApplicationFactory(organisation__region=county.region)
    Application.objects.filter(pk=app.pk).update(state=State.SUBMITTED)
    return app.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", ["accept", "return_for_revision"])
def test_two_reviewers_race_on_one_application(second, county):
    ensure_reference_data()

    def act(name, pk):
        app = Application.objects.get(pk=pk)  # both read the same state before racing

        def go():
            return engine.perform(app, name, county, comment="意见")
        return go

    for _round in range(5):
        pk = submitted_application(county)
        results = race([act("accept", pk), act(second, pk)])
        wins = [r for r in results if isinstance(r, AuditEntry)]
        losses = [r for r in results if isinstance(r, TransitionRefused)]
        assert len(wins) == 1 and len(losses) == 1, results
        assert isinstance(losses[0], ConcurrentUpdate), losses[0]
        assert losses[0].status == 409
        app = Application.objects.get(pk=pk)
        assert app.state == wins[0].target
        assert app.audit_seq == 1 == AuditEntry.objects.filter(subject_id=pk).count()
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.django_db(transaction=True)
def test_racing_api_requests_one_200_one_409(county):
    ensure_reference_data()
    pk = submitted_application(county)
    clients = [ApiClient(county), ApiClient(county)]
    results = race([lambda c=c: c.transition(pk, "accept") for c in clients])
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409], [r.json() for r in results]
    assert AuditEntry.objects.filter(subject_id=pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_exceed_a_nearly_spent_budget(city):
    """Four approvals race for a budget with room for two: exactly two pass."""
    from decimal import Decimal

    from workflows.exceptions import GuardFailed

    from .factories import ProgrammeFactory

    ensure_reference_data()
    programme = ProgrammeFactory(category_budget="2000")
    pks = []
    for _ in range(4):
        app = ApplicationFactory(programme=programme, requested_amount=Decimal("1000"))
        Application.objects.filter(pk=app.pk).update(state=State.CITY_REVIEW)
        pks.append(app.pk)

    def approve(pk):
        app = Application.objects.get(pk=pk)
        return lambda: engine.perform(app, "approve", city)

    results = race([approve(pk) for pk in pks])
    assert sum(isinstance(r, AuditEntry) for r in results) == 2, results
    assert all(isinstance(r, AuditEntry | GuardFailed) for r in results), results
    approved = Application.objects.filter(pk__in=pks, state=State.APPROVED)
    assert sum(a.approved_amount for a in approved) == Decimal("2000.00")
