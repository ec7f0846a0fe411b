"""The demo (`seed(history=True)`, what `manage.py seed_demo` loads): two programme years
in flight, played through the services, seeded once for the module on a fixed day."""

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from pypdf import PdfReader

from accounts.models import Role, User
from notices.models import DocumentNumberChange, Notice, NoticeKind, NoticeStatus
from notifications.models import Notification, Reminder
from publicity.models import AcceptanceBatch, BatchStatus, Objection, PublicityBatch
from subsidy.demo import seed
from subsidy.demo.plan import ProgrammePlan
from subsidy.demo.reference import Timeline, programme_years
from subsidy.identifiers import is_valid_uscc
from subsidy.models import (
    Application,
    Attachment,
    Category,
    ExpertAssignment,
    Organisation,
    Payment,
    Programme,
    ProgrammeStatus,
    Region,
    Revision,
)
from subsidy.uploads import ALLOWED_TYPES, detect_type
from workcalendar.workdays import Calendar
from workflows.lifecycle import get_lifecycle
from workflows.models import AuditEntry
from workflows.stages import State

from .helpers import travel_to

DAY = date(2026, 11, 20)
PASSWORD = "demo-pass-1"
pytestmark = [pytest.mark.django_db, pytest.mark.today(DAY)]
CJK = re.compile(r"[\u4e00-\u9fff]")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    """The demo, committed once for the module (its history commits day by day, as the
    command's does), and the database emptied afterwards."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media):
        with travel_to(DAY):
            counts = seed(password=PASSWORD, history=True)
        yield counts
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _demo_files(settings, demo_media):
    """The tests read the files the demo stored."""
    settings.MEDIA_ROOT = demo_media


def current_and_previous():
    previous, current = Programme.objects.order_by("year")
    return current, previous


def test_two_programme_years_modelled_on_the_2021_call(demo):
    current, previous = current_and_previous()
    assert (previous.year, current.year) == (2025, 2026)
    for programme in (current, previous):
        assert programme.title == f"{programme.year}年度知识产权培育资助"
        assert re.fullmatch(rf"衡市监办〔{programme.year}〕\d+号", programme.call_number)
        assert programme.issuers == ["衡阳市市场监督管理局", "衡阳市财政局"]
        assert programme.implementation_start == date(programme.year, 1, 1)
        assert programme.office_phone and programme.office_address
        committed = sum(a.approved_amount or 0 for a in programme.applications.filter(
            state__in=("approved", "implementation", "paid")))
        assert committed <= programme.total_budget
    assert current.status == ProgrammeStatus.OPEN and previous.status == ProgrammeStatus.CLOSED
    assert current.call_date < DAY < current.applications_close


def test_about_three_hundred_applications_in_every_category_and_county(demo):
    assert 350 <= demo["applications"] == Application.objects.count() <= 420
    assert set(Application.objects.values_list("category__code", flat=True)) == set(
        Category.objects.values_list("code", flat=True))
    assert Category.objects.count() == 23
    assert set(Application.objects.values_list("region__code", flat=True)) == set(
        Region.objects.values_list("code", flat=True))
    assert Region.objects.count() == 13


def test_every_category_has_every_state_of_its_lifecycle(demo):
    states = defaultdict(set)
    for code, state in Application.objects.values_list("category__code", "state"):
        states[code].add(state)
    for category in Category.objects.all():
        assert states[category.code] == set(get_lifecycle(category.lifecycle).states), \
            category.code
    current, _previous = current_and_previous()
    waiting = set(current.applications.values_list("state", flat=True))
    assert {State.DRAFT, State.EXPERT_REVIEW, State.APPROVAL_PUBLICITY,
            State.ACCEPTANCE_PUBLICITY, State.DISBURSEMENT_NOTIFIED, State.PAID} <= waiting


def test_organisations_are_real_sounding_with_valid_credit_codes_and_contacts(demo):
    organisations = list(Organisation.objects.all())
    assert len(organisations) >= 150
    assert len({o.name for o in organisations}) == len(organisations)
    for org in organisations:
        assert is_valid_uscc(org.uscc), org.uscc
        assert CJK.search(org.name) and CJK.search(org.contact_name), org.name
        assert re.fullmatch(r"0734-\d{7}|1\d{10}", org.contact_phone), org.contact_phone
        assert org.address.startswith(("衡阳市", org.region.name, "衡阳"))
    kinds = {o.org_type for o in organisations}
    assert kinds == {"enterprise", "university", "public_institution", "service_agency",
                     "association", "county_government"}
    applicant1 = User.objects.get(username="applicant1")
    assert applicant1.organisation.applications.count() >= 5


def test_staff_have_chinese_names_and_the_readme_usernames_sign_in(demo):
    readme = {"applicant1", "applicant2", "city", "chief", "leader", "finance", "expert",
              "expert2", "expert3", "admin"} | {f"county-{r.code}" for r in Region.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    assert readme <= set(users)
    for username in readme:
        assert authenticate(RequestFactory().post("/accounts/login/"), username=username,
                            password=PASSWORD) is not None, username
    for user in users.values():
        if user.username != "system":
            assert CJK.search(user.get_full_name()), user.username
    assert users["county-430422"].get_full_name().startswith("衡南县 ")
    assert User.objects.filter(role=Role.EXPERT).count() >= 5


def test_attachments_are_small_valid_files_the_upload_checks_accept(demo):
    attachments = list(Attachment.objects.all())
    assert len(attachments) > 2 * Application.objects.exclude(state=State.DRAFT).count()
    seen = set()
    for attachment in attachments:
        with attachment.file.open("rb") as f:
            content = f.read()
        assert len(content) == attachment.size < 20_000
        assert hashlib.sha256(content).hexdigest() == attachment.sha256
        with attachment.file.open("rb") as f:
            assert detect_type(f) == attachment.content_type in ALLOWED_TYPES
        if attachment.content_type not in seen:
            seen.add(attachment.content_type)
            if attachment.content_type == "application/pdf":
                with attachment.file.open("rb") as f:
                    assert attachment.application.number in PdfReader(f).pages[0].extract_text()
    assert seen == {"application/pdf", "image/png"}


def test_experts_scored_and_the_expert_has_work_to_do(demo):
    submitted = ExpertAssignment.objects.filter(submitted_at__isnull=False)
    assert submitted.count() >= 100
    assert all(a.total and a.opinion for a in submitted)
    pending = ExpertAssignment.objects.filter(submitted_at__isnull=True,
                                              application__state=State.EXPERT_REVIEW)
    assert pending.filter(expert__username="expert").exists()


def test_returns_have_reasons_and_resubmissions_their_revisions(demo):
    returns = AuditEntry.objects.filter(transition="return_for_revision")
    assert returns.count() >= 23
    assert all(len(entry.comment) >= 10 for entry in returns)
    assert Revision.objects.exists()
    assert AuditEntry.objects.filter(transition="resubmit").exists()
    assert all(e.comment for e in AuditEntry.objects.filter(
        transition__in=("reject", "fail_acceptance", "uphold_objection")))


def test_a_publicity_batch_runs_with_an_objection_being_handled(demo):
    running = PublicityBatch.objects.filter(status=BatchStatus.PUBLISHED)
    assert set(running.values_list("kind", flat=True)) == {"approval", "reward", "acceptance"}
    for batch in running:
        assert batch.start_date <= DAY <= batch.end_date
    handled = Objection.objects.filter(batch__in=running, status="investigating")
    assert handled.exists()
    assert Objection.objects.filter(batch__in=running, status="received").exists()
    closed = PublicityBatch.objects.filter(status=BatchStatus.CLOSED)
    assert closed.count() == 7  # three of the current programme, four of the previous
    decided = Objection.objects.filter(batch__in=closed)
    assert {"dismissed", "upheld"} <= set(decided.values_list("status", flat=True))
    assert all(o.result for o in decided)


def test_acceptance_batches_one_and_two(demo):
    current, previous = current_and_previous()
    for programme in (current, previous):
        batches = list(AcceptanceBatch.objects.filter(programme=programme))
        assert [b.label for b in batches] == ["第一批", "第二批"]
        assert all(b.applications.exists() for b in batches)


def test_an_issued_disbursement_notice_with_its_pdf(demo):
    current, _previous = current_and_previous()
    notice = Notice.objects.get(programme=current, kind=NoticeKind.DISBURSEMENT,
                                status=NoticeStatus.ISSUED)
    assert re.fullmatch(r"衡市监办〔2026〕\d+号", notice.number)
    with notice.pdf.open("rb") as f:
        pdf = f.read()
    assert hashlib.sha256(pdf).hexdigest() == notice.pdf_sha256
    assert notice.number in PdfReader(notice.pdf.path).pages[0].extract_text().replace(" ", "")
    assert set(notice.applications.values_list("state", flat=True)) <= {
        State.DISBURSEMENT_NOTIFIED, State.PAID}
    waiting = Notice.objects.filter(programme=current, status=NoticeStatus.DRAFT)
    assert waiting.count() == 2  # one with the leader, one with the chief


def test_the_systems_numbers_continue_after_the_paper_call(demo):
    current, _previous = current_and_previous()
    call = int(current.call_number.split("〕")[1].rstrip("号"))
    setting = DocumentNumberChange.objects.get(year=current.year)
    assert (setting.next_number, setting.changed_by.username) == (call + 1, "admin")
    serials = sorted(Notice.objects.filter(programme=current, serial__isnull=False)
                     .values_list("serial", flat=True))
    assert serials and serials == list(range(call + 1, call + 1 + len(serials)))


def test_payments_in_part_and_in_full(demo):
    partly = Application.objects.filter(state=State.DISBURSEMENT_NOTIFIED, paid_amount__gt=0)
    assert partly.exists()
    for app in partly:
        assert 0 < app.paid_amount < app.approved_amount
    paid = Application.objects.filter(state=State.PAID)
    assert paid.count() >= 23
    for app in paid:
        assert sum(p.amount for p in app.payments.all()) == app.paid_amount == app.approved_amount
    assert Payment.objects.filter(application__in=paid).count() > paid.count()  # instalments


def test_the_demo_follows_the_pledge_madrid_and_standard_rules(demo):
    from subsidy.flags import flags_for
    from subsidy.funding import application_breakdown, programme_category

    current, _previous = current_and_previous()
    for app in Application.objects.filter(category__code__in=("10", "14")):
        breakdown = application_breakdown(app)
        assert breakdown is not None and app.requested_amount <= breakdown.total, app.number
        assert breakdown.total <= programme_category(app).figure("cap")
    for app in Application.objects.filter(category__code="21"):
        assert app.form_data["standard"] == "GB/T 29490-2023"
        assert app.programme.implementation_start <= date.fromisoformat(
            app.form_data["certified_on"]) <= app.programme.implementation_end
    pledges = (Application.objects.filter(programme=current, category__code="10",
                                          identifier_claims__kind="trademark")
               .select_related("category", "organisation").distinct())
    flagged = [app for app, flags in flags_for(pledges).items()
               if any("商标注册号" in str(f) for f in flags)]
    assert len(flagged) == 2


def test_everyone_was_notified(demo):
    for username in ("applicant1", "county-430405", "city", "finance"):
        assert Notification.objects.filter(user__username=username).exists(), username
    assert Notification.objects.filter(reminder_on__isnull=False).exists()
    assert Reminder.objects.filter(sent_by__username="city", notifications__isnull=False).exists()
    assert Notification.objects.filter(subject__contains="异议").exists()
    assert Notification.objects.filter(read_at__isnull=True).exists()


def test_the_audit_chain_holds(demo, capsys):
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


def test_running_it_again_changes_nothing(demo):
    tables = (Application, AuditEntry, Attachment, Organisation, User, Programme,
              PublicityBatch, Objection, Notice, Payment, Notification, Reminder)
    before = [model.objects.count() for model in tables]
    again = seed(password=PASSWORD, history=True)
    assert [model.objects.count() for model in tables] == before
    assert again["applications"] == demo["applications"]


def plan_fingerprint(day: date = DAY) -> list:
    """What the current programme's plan holds on `day`, without database ids."""
    calendar = Calendar()
    year, call_date, in_flight = programme_years(day, calendar)[1]
    built = ProgrammePlan(year, Timeline(call_date, day, calendar), in_flight,
                          list(Category.objects.order_by("code")),
                          list(Organisation.objects.order_by("pk")),
                          list(Region.objects.values_list("code", flat=True)))
    return [[p.category.code, p.organisation.uscc, p.destination, p.title, str(p.requested),
             sorted(p.form_data.items()), [[s.when.isoformat(), s.kind, s.name] for s in p.steps]]
            for p in built.plans]


#: Another process (other string hashes) builds the organisations and plans the programme.
ELSEWHERE = """
import json, django, time_machine
django.setup()
from django.core.management import call_command
from tests.helpers import travel_to
from tests.test_demo__seed import DAY, plan_fingerprint
from subsidy.demo import seed
call_command("migrate", verbosity=0)
with travel_to(DAY):
    seed(history=False)
    print(json.dumps(plan_fingerprint()))
"""


def test_the_same_day_gives_the_same_demo(demo, tmp_path):
    here = plan_fingerprint()
    assert {title for _c, _o, _d, title, *_rest in here} == set(
        Application.objects.filter(programme__year=2026).values_list("title", flat=True))
    env = {**os.environ, "PYTHONHASHSEED": "1", "DJANGO_SETTINGS_MODULE": "config.settings",
           "DATABASE_URL": f"sqlite:///{tmp_path}/elsewhere.sqlite3",
           "MEDIA_ROOT": str(tmp_path / "media")}
    done = subprocess.run([sys.executable, "-c", ELSEWHERE], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == json.loads(json.dumps(here))
