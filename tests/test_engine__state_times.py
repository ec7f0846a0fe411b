"""The transition service keeps on the row when the application entered its state (and when
it was last approved / notified for disbursement), in the same UPDATE; the migration fills
them from the audit log for existing rows; verify_audit notices when they are changed."""

import importlib
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from subsidy.models import Application
from workflows import services as engine
from workflows.audit import verify_chain
from workflows.models import AuditEntry
from workflows.stages import State

from .factories import ApplicationFactory
from .helpers import at
from .reports_data import moment

backfill = importlib.import_module("subsidy.migrations.0009_application_state_changed_at").backfill


def row(app) -> Application:
    return Application.objects.get(pk=app.pk)


@pytest.mark.django_db
def test_a_transition_sets_state_changed_at_in_its_one_update(programme, county):
    app = at(ApplicationFactory(programme=programme,
                                organisation__region=county.region), State.SUBMITTED)
    with time_machine.travel(moment(2021, 9, 16, 9), tick=False), \
            CaptureQueriesContext(connection) as queries:
        entry = engine.perform(app, "accept", county)
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 2 and "state_changed_at" in writes[0]  # still one UPDATE, one INSERT
    assert entry.at == moment(2021, 9, 16, 9)
    assert app.state_changed_at == entry.at == row(app).state_changed_at
    assert row(app).approved_at is None and row(app).notified_at is None


@pytest.mark.django_db
def test_a_bulk_transition_sets_each_ones_time(programme, county):
    apps = [at(ApplicationFactory(programme=programme, organisation__region=county.region),
               State.COUNTY_REVIEW) for _ in range(3)]
    with time_machine.travel(moment(2021, 9, 17, 9)):
        result = engine.perform_bulk(Application.objects.filter(pk__in=[a.pk for a in apps]),
                                     "recommend", county, comment="同意")
    assert len(result.entries) == 3 and not result.refused
    for entry in result.entries:
        assert Application.objects.get(pk=entry.subject_id).state_changed_at == entry.at
        assert moment(2021, 9, 17, 9) <= entry.at < moment(2021, 9, 17, 9, 1)


@pytest.mark.django_db
def test_approval_and_notice_times_are_kept(programme, city, monkeypatch):
    app = at(ApplicationFactory(programme=programme), State.CITY_REVIEW)
    # any transition named in transition_times stamps its field with the entry's time
    monkeypatch.setattr(Application, "transition_times",
                        {"return_for_revision": "approved_at"})
    entry = engine.perform(app, "return_for_revision", city, comment="请补充材料")
    assert row(app).approved_at == entry.at == row(app).state_changed_at
    monkeypatch.undo()
    assert Application.transition_times == {"approve": "approved_at",
                                            "notify_disbursement": "notified_at"}


@pytest.mark.django_db
def test_verify_notices_a_changed_time(programme, county, city):
    app = at(ApplicationFactory(programme=programme,
                                organisation__region=county.region), State.SUBMITTED)
    engine.perform(app, "accept", county)
    entries = AuditEntry.objects.filter(subject=app).order_by("seq")
    assert verify_chain(row(app), entries) is None
    Application.objects.filter(pk=app.pk).update(
        state_changed_at=timezone.now() - timedelta(days=30))
    broken = verify_chain(row(app), entries)
    assert broken and "state_changed_at" in broken.problem
    Application.objects.filter(pk=app.pk).update(state_changed_at=entries.last().at,
                                                 approved_at=timezone.now())
    broken = verify_chain(row(app), entries)
    assert broken and "approved_at" in broken.problem  # never approved, so must be empty


@pytest.mark.django_db
def test_the_migration_fills_the_times_from_the_audit_log(programme):
    def entry(app, seq, transition, when):
        AuditEntry.objects.create(subject=app, seq=seq, at=when, transition=transition,
                                  source="", target="", hash="test")

    returned = ApplicationFactory(programme=programme)  # approved, notified, returned
    entry(returned, 1, "approve", moment(2021, 7, 10, 10))
    entry(returned, 2, "notify_disbursement", moment(2021, 8, 1, 10))
    entry(returned, 3, "approve", moment(2021, 8, 5, 10))  # the latest approval counts
    entry(returned, 4, "return_for_revision", moment(2021, 9, 10, 10))
    submitted = ApplicationFactory(programme=programme)
    entry(submitted, 1, "submit", moment(2021, 9, 1, 9))
    draft = ApplicationFactory(programme=programme)  # no entry: its creation time
    Application.objects.update(state_changed_at=moment(2000, 1, 1),
                               approved_at=moment(2000, 1, 1), notified_at=moment(2000, 1, 1))

    assert backfill(Application, AuditEntry) == 3
    assert (row(returned).state_changed_at, row(returned).approved_at,
            row(returned).notified_at) == (moment(2021, 9, 10, 10), moment(2021, 8, 5, 10),
                                           moment(2021, 8, 1, 10))
    assert (row(submitted).state_changed_at, row(submitted).approved_at,
            row(submitted).notified_at) == (moment(2021, 9, 1, 9), None, None)
    assert (row(draft).state_changed_at, row(draft).approved_at) == (
        row(draft).created_at, None)
