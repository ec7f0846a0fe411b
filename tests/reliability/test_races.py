"""Many concurrent requests on PostgreSQL: exactly the allowed number succeed, the rest are
told so, and the audit log and counters stay exact."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from notices.models import Notice, NoticeStatus
from notices.services import draft_disbursement_notice, issue_notice
from subsidy.models import Application
from workflows import services as engine
from workflows.exceptions import ConcurrentUpdate, GuardFailed, TransitionRefused
from workflows.models import AuditEntry
from workflows.stages import State

from ..api_client import ApiClient
from ..factories import ApplicationFactory, ProgrammeFactory, attach_required
from ..helpers import race
from . import in_batches, postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def assert_audit_intact():
    call_command("verify_audit")  # raises CommandError on any broken chain


def test_32_concurrent_api_attempts_at_one_transition(county, reference):
    """32 reviewers' clients accept the same application at once: one 200, 31 × 409."""
    app = ApplicationFactory(organisation__region=county.region)
    Application.objects.filter(pk=app.pk).update(state=State.SUBMITTED)
    clients = [ApiClient(county) for _ in range(32)]
    results = race([lambda c=c: c.transition(app.pk, "accept", comment="受理") for c in clients])
    codes = [r.status_code for r in results]
    assert codes.count(200) == 1 and codes.count(409) == 31, codes
    assert {r.json()["code"] for r in results if r.status_code == 409} <= {
        "conflict", "not_available"}
    assert AuditEntry.objects.filter(subject_id=app.pk).count() == 1
    app.refresh_from_db()
    assert app.state == State.COUNTY_REVIEW and app.audit_seq == 1
    assert_audit_intact()


def test_32_concurrent_submits_through_the_service(programme, applicant):
    """A guarded transition (row locked, guards re-checked): 32 submits, one wins, 31 × 409."""
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                             created_by=applicant)
    attach_required(app)
    readers = [Application.objects.get(pk=app.pk) for _ in range(32)]  # all read 'draft'
    results = race([lambda a=a: engine.perform(a, "submit", applicant) for a in readers])
    wins = [r for r in results if isinstance(r, AuditEntry)]
    losses = [r for r in results if isinstance(r, TransitionRefused)]
    assert len(wins) == 1 and len(losses) == 31, results
    assert all(isinstance(r, ConcurrentUpdate) and r.status == 409 for r in losses), losses
    assert AuditEntry.objects.filter(subject_id=app.pk).count() == 1
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED
    assert_audit_intact()


def test_200_concurrent_approvals_against_a_budget_for_100(city, reference):
    """Budget 100,000 yuan, 200 applications of 1,000 each approved at once: exactly 100."""
    programme = ProgrammeFactory(category_budget="100000")
    apps = [ApplicationFactory(programme=programme, requested_amount=Decimal("1000"))
            for _ in range(200)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=State.CITY_REVIEW)
    readers = list(Application.objects.filter(pk__in=[a.pk for a in apps]))

    def approve(app):
        return engine.perform(app, "approve", city)

    outcomes = [r for share in race(in_batches(approve, readers, threads=50)) for r in share]
    assert len(outcomes) == 200
    assert sum(isinstance(r, AuditEntry) for r in outcomes) == 100, outcomes
    assert all(isinstance(r, AuditEntry | GuardFailed) for r in outcomes), outcomes
    approved = Application.objects.filter(programme=programme, state=State.APPROVED)
    assert approved.count() == 100
    assert sum(a.approved_amount for a in approved) == Decimal("100000.00")
    assert AuditEntry.objects.filter(transition="approve").count() == 100
    assert_audit_intact()


def test_100_concurrent_notice_issues_get_100_consecutive_numbers(programme, city,
                                                                  monkeypatch):
    """100 drafts issued at once (through issue_notice, the PDF stubbed): serials 1…100."""
    monkeypatch.setattr("notices.services.render_pdf",
                        lambda notice, draft: b"%PDF-1.4\n%stub\n%%EOF\n")
    apps = [ApplicationFactory(programme=programme, approved_amount=Decimal("1000"))
            for _ in range(100)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.AWAITING_DISBURSEMENT)
    drafts = [draft_disbursement_notice(city, programme, [a.pk]) for a in apps]

    outcomes = [r for share in race(in_batches(lambda n: issue_notice(city, n), drafts,
                                                threads=25)) for r in share]
    assert all(isinstance(r, Notice) for r in outcomes), outcomes
    issued = Notice.objects.filter(status=NoticeStatus.ISSUED)
    serials = sorted(issued.values_list("serial", flat=True))
    assert serials == list(range(1, 101))
    assert len({n.number for n in issued}) == 100
    assert Application.objects.filter(state=State.DISBURSEMENT_NOTIFIED).count() == 100
    assert_audit_intact()
