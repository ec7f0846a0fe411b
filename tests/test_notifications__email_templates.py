"""Every message the project sends (a transition's notice to those concerned, the daily
reminder digest, a new objection to the city section) is rendered from its subject and body
templates under templates/notifications/, in the site's language: the same text as ever in
Chinese, English when the site's language is English, and no message text left in code."""

import ast
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.template.loader import get_template
from django.utils import translation

from notifications.messages import render_message
from notifications.messenger import compose
from notifications.models import Notification
from notifications.reminders import compose as compose_digest
from publicity.objections import receive_objection
from workcalendar.workdays import Calendar
from workflows import services as engine
from workflows.models import AuditEntry
from workflows.stages import State, state_label

from .factories import ApplicationFactory, attach_required
from .helpers import at
from .publicity_data import TODAY, objection_data, published_batch

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = ZoneInfo("Asia/Shanghai")
KINDS = ("transition", "reminder", "objection_received")


@pytest.fixture
def approval(programme):
    """An approval with a comment and an amount, as the audit log records it."""
    app = ApplicationFactory(programme=programme, title="高价值专利培育项目")
    return AuditEntry(subject=app, seq=4, transition="approve", source=State.CITY_REVIEW,
                      target=State.APPROVED, comment="同意，按上限核定。",
                      data={"approved_amount": "180000.00"},
                      at=datetime(2021, 11, 1, 9, 30, tzinfo=SHANGHAI))


def test_each_kind_has_its_subject_and_body_templates():
    for kind in KINDS:
        get_template(f"notifications/{kind}_subject.txt")
        get_template(f"notifications/{kind}_body.txt")


GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext"}


def test_no_message_text_is_left_in_code():
    """No f-string or string in the code that sends messages holds Chinese text, except the
    translatable ones (refusals): what a person reads comes from the templates."""
    for module in ("notifications/messenger.py", "notifications/reminders.py",
                   "notifications/messages.py", "notifications/tasks.py",
                   "publicity/objections.py"):
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        skipped = {id(node.body[0].value) for node in ast.walk(tree)  # docstrings
                   if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
                   and node.body and isinstance(node.body[0], ast.Expr)}
        skipped |= {id(arg) for node in ast.walk(tree) if isinstance(node, ast.Call)
                    and getattr(node.func, "id", None) in GETTEXT for arg in node.args}
        texts = [node for node in ast.walk(tree)
                 if isinstance(node, ast.JoinedStr)
                 or (isinstance(node, ast.Constant) and isinstance(node.value, str)
                     and id(node) not in skipped)]
        assert [ast.unparse(node) for node in texts
                if any("\u4e00" <= c <= "\u9fff" for c in ast.unparse(node))] == [], module


def test_a_transition_reads_as_before_in_chinese_amounts_grouped(approval):
    app = approval.subject
    subject, body = compose(approval)
    assert subject == f"【资助申报】{app.number} 审核通过"
    assert body == "\n".join([
        f"申报编号：{app.number}", "项目名称：高价值专利培育项目",
        f"申报单位：{app.organisation.name}", "操作：审核通过",
        f"状态：{state_label(State.CITY_REVIEW)} → {state_label(State.APPROVED)}",
        "意见：同意，按上限核定。", "核定金额：180,000.00 元", "时间：2021-11-01 09:30"])


def test_a_transition_without_comment_or_amount_leaves_those_lines_out(approval):
    approval.comment, approval.data = "", {}
    body = compose(approval)[1]
    assert "意见" not in body and "核定金额" not in body
    assert body.endswith("\n时间：2021-11-01 09:30")


def test_a_transition_reads_in_english(approval):
    subject, body = compose(approval, "en")
    with translation.override("en"):
        states = f"{state_label(State.CITY_REVIEW)} → {state_label(State.APPROVED)}"
    assert subject.startswith("[Subsidy application] ")
    assert body.splitlines() == [
        f"Application number: {approval.subject.number}",
        "Project title: 高价值专利培育项目",
        f"Applicant organisation: {approval.subject.organisation.name}",
        f"Action: {subject.split(' ', 3)[3]}", f"State: {states}",
        "Comment: 同意，按上限核定。", "Approved amount: 180,000.00 yuan", "Time: 2021-11-01 09:30"]
    assert not any("\u4e00" <= c <= "\u9fff" for c in subject.split(" ", 3)[3])


@pytest.fixture
def overdue(programme):
    waited = datetime(2026, 10, 20, 10, 0, tzinfo=SHANGHAI)
    return [at(ApplicationFactory(programme=programme, title=f"项目{i}"), State.CITY_REVIEW,
               state_changed_at=waited) for i in range(22)]


def test_a_digest_reads_as_before_in_chinese(overdue, settings):
    settings.REPORTS_OVERDUE_WORKDAYS = 10
    calendar = Calendar(weekday_fallback=True)
    subject, body = compose_digest(overdue, date(2026, 11, 24), calendar)
    assert subject == "【催办】22 件申报已超过 10 个工作日未处理"
    lines = body.splitlines()
    assert lines[:2] == ["截至 2026年11月24日，以下申报在当前环节已超过 10 个工作日：", ""]
    first = overdue[0]
    assert lines[2] == (f"{first.number}  项目0（{first.organisation.name}）  "
                        f"{state_label(State.CITY_REVIEW)}  已等待 25 个工作日")
    assert len(lines) == 2 + 20 + 1 and lines[-1] == "……另有 2 件，请登录系统查看。"


def test_a_digest_says_when_it_counted_monday_to_friday(overdue, settings):
    settings.REPORTS_OVERDUE_WORKDAYS = 10
    calendar = Calendar(weekday_fallback=True)
    calendar.fell_back.update({2027, 2028})
    body = compose_digest(overdue[:1], date(2026, 11, 24), calendar)[1]
    assert body.endswith("\n\n注：尚未录入 2027、2028 年的法定节假日安排，本提醒中的工作日按周一至"
                         "周五计算，可能与实际不符。")
    english = compose_digest(overdue[:1], date(2026, 11, 24), calendar, language="en")[1]
    assert english.startswith("As of 24 November 2026, these applications")
    assert "waiting 25 working days" in english and "2027, 2028" in english


def test_a_reminder_someone_sent_names_them(overdue, settings, city):
    city.first_name = "李经办"
    calendar = Calendar()
    subject, body = compose_digest(overdue[:2], date(2026, 11, 24), calendar, sent_by=city)
    assert subject == "【催办】请尽快办理 2 件申报"
    assert body.startswith(
        "李经办（市局科室工作人员）于 2026年11月24日 催办以下申报，请尽快办理：\n\n")
    subject, body = compose_digest(overdue[:2], date(2026, 11, 24), calendar, sent_by=city,
                                   language="en")
    assert subject == "[Reminder] Please deal with 2 applications soon"
    assert body.startswith("李经办 (City section staff) asked on 24 November 2026")


def test_a_digest_reads_in_english(overdue, settings):
    settings.REPORTS_OVERDUE_WORKDAYS = 10
    subject = compose_digest(overdue[:1], date(2026, 11, 24), Calendar(), language="en")[0]
    assert subject == "[Reminder] 1 application has waited more than 10 working days"


@pytest.mark.today(TODAY)
def test_an_objection_notice_in_both_languages(programme, city):
    batch, apps = published_batch(programme, city)
    objection, _created = receive_objection(batch, objection_data(apps[0]))
    context = {"objection": objection, "batch": batch, "application": apps[0],
               "handle_url": "https://zizhu.example/desk/publicity/1/"}
    subject, body = render_message("objection_received", context)
    assert subject == f"【公示异议】{apps[0].number} 收到异议（受理编号 {objection.receipt}）"
    assert f"异议受理编号：{objection.receipt}" in body and "异议理由：\n该单位" in body
    assert body.endswith("办理：https://zizhu.example/desk/publicity/1/")
    subject, body = render_message("objection_received", context, "en")
    assert subject.startswith("[Publicity objection]")
    assert f"Objection receipt number: {objection.receipt}" in body
    assert body.endswith("Handle it at: https://zizhu.example/desk/publicity/1/")


def test_the_mail_sent_is_the_rendered_message_in_the_sites_language(
        programme, applicant, county, settings, django_capture_on_commit_callbacks):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                             created_by=applicant)
    attach_required(app)
    with django_capture_on_commit_callbacks(execute=True):
        engine.perform(app, "submit", applicant)
    entry = app.audit_entries.get()
    sent = next(m for m in mail.outbox if applicant.email in m.to)
    assert (sent.subject, sent.body) == compose(entry)
    assert Notification.objects.filter(user=applicant, subject=sent.subject).exists()

    settings.LANGUAGE_CODE = "en"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        engine.perform(app, "withdraw", applicant)
    sent = next(m for m in mail.outbox if applicant.email in m.to)
    assert sent.subject.startswith("[Subsidy application] ")
    assert sent.body.startswith(f"Application number: {app.number}\n")
