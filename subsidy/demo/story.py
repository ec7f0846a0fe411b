"""Playing a programme's plan: every step through the project's own services, on the day and
at the time it happened.

The process clock is moved to each step's time (time-machine, the clock standing still), so
the services write what they would have written that day: audit entries and their times,
publicity periods counted from their real start, objections lodged within the period,
notices numbered and dated when issued, payments after the notice, notifications and
e-mails. E-mails go nowhere (the demo's history is not mailed to anyone). Steps at the same
minute by the same person doing the same thing are taken in one bulk call, as the desk's
batch actions do; each minute is one transaction, and each day's notifications are
delivered at its end.
"""

import logging
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from itertools import groupby

import time_machine
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from notices.services import draft_disbursement_notice, draft_publicity_notice
from notices.signoff import start_signoff, take_step
from notifications.messenger import deliver, queue_transition_notifications
from notifications.models import Notification
from notifications.reminders import remind_now, send_overdue_reminders
from publicity.models import BatchStatus, Objection, PublicityBatch
from publicity.objections import receive_objection
from publicity.services import (
    close_batch,
    create_acceptance_batch,
    create_batch,
    handle_objection,
    publish_batch,
)
from workflows import services as engine
from workflows.signals import transitions_committed

from ..attachments import PRE_APPROVAL_STAGES, add_attachment
from ..experts import assign_experts, submit_scores
from ..identifiers import is_valid_resident_id
from ..models import Application, ExpertAssignment
from ..payments import PaymentLine, record_payments
from ..services import create_application, update_application
from .events import PUBLICITY_DAYS
from .files import pdf_document, png_scan
from .plan import ProgrammePlan
from .reference import rng
from .steps import Step

#: How the notifications app connects its receiver (notifications/apps.py).
MESSENGER_UID = "notifications.transitions"
#: Attachment kinds people send as a photographed or scanned image.
IMAGE_KINDS = frozenset({"certificate", "registration_certificates", "policy",
                         "pledge_registration"})
SIGNOFF_OPINIONS = {"chief": "材料齐全，同意，请局领导签发。", "leader": "同意印发。",
                    "finance": "经核，资金已列入年度预算，同意会签。"}
#: People who object: (name, identity as 18 digits but the check, contact); None: a
#: competing enterprise of the demo objects, with its credit code.
OBJECTORS = [("陈立新", "43040519780312051", "13974712345"),
             None,
             ("刘建平", "43042219821107331", "18907341122"),
             ("王秀兰", "43048119850623162", "15873456789"),
             ("谢国庆", "43040819700901273", "13607349876")]


def resident_id(first17: str) -> str:
    """A resident identity number (GB 11643): the first 17 digits and the check character
    the project's own check accepts."""
    return next(first17 + c for c in "0123456789X" if is_valid_resident_id(first17 + c))


@contextmanager
def quiet_tasks():
    """Celery logs every eager task it runs, and kombu that no broker is named (eager tasks
    need none); the seed's are not news."""
    loggers = [(logging.getLogger(name), level) for name, level in (
        ("celery.app.trace", logging.WARNING), ("kombu.connection", logging.ERROR))]
    before = [logger.level for logger, _level in loggers]
    for logger, level in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for (logger, _level), level in zip(loggers, before, strict=True):
            logger.setLevel(level)


@contextmanager
def notifications_by_day():
    """The messenger's notifications of each day's transitions, delivered once at the end of
    the day (`deliver` on the entries collected) rather than one task per transaction: the
    same rows, in a fraction of the time. Yields the list the entries are collected in."""
    committed = []

    def collect(sender, entries, **kwargs):
        committed.extend([entry.subject_id, entry.seq] for entry in entries)

    transitions_committed.disconnect(dispatch_uid=MESSENGER_UID)
    transitions_committed.connect(collect, dispatch_uid="demo.collect")
    try:
        yield committed
    finally:
        transitions_committed.disconnect(dispatch_uid="demo.collect")
        transitions_committed.connect(queue_transition_notifications, dispatch_uid=MESSENGER_UID)


class Play:
    """Carries out one programme's plan (see the module docstring)."""

    def __init__(self, programme, plan: ProgrammePlan, applicants: dict, staff: dict):
        self.programme, self.plan = programme, plan
        self.applicants, self.staff = applicants, staff
        self.county = {u.region_id: u for u in staff.values() if u.region_id}
        self.batches, self.notices, self.payment_serial = {}, {}, 0
        #: applications another service moved in bulk: read again before their next step
        self.stale: set[int] = set()
        self.scores = rng("scores", programme.year)

    # --- who --------------------------------------------------------------------------
    def actor(self, step: Step):
        if step.actor == "applicant":
            return self.applicants[step.plan.organisation.pk]
        if step.actor == "county":
            return self.county[step.plan.organisation.region_id]
        return self.staff[step.actor]

    def fresh(self, plan) -> Application:
        """The plan's application as it is now (the one in memory unless a bulk service
        moved it meanwhile)."""
        if plan.application.pk in self.stale:
            self.stale.discard(plan.application.pk)
            plan.application = Application.objects.select_related(
                "category", "organisation").get(pk=plan.application.pk)
        return plan.application

    def moved(self, applications) -> None:
        self.stale.update(a if isinstance(a, int) else a.pk for a in applications)

    # --- running ---------------------------------------------------------------------------
    def run(self) -> None:
        steps = [s for p in self.plan.plans for s in p.steps] + self.plan.events
        steps.sort(key=lambda s: (s.when, s.kind != "create"))
        # (DEBUG off: the seed's tens of thousands of queries are not kept in memory)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                               DEBUG=False), quiet_tasks(), notifications_by_day() as committed:
            for _day, of_day in groupby(steps, key=lambda s: timezone.localdate(s.when)):
                for when, group in groupby(of_day, key=lambda s: s.when):
                    with time_machine.travel(when, tick=False), transaction.atomic():
                        self.run_minute(list(group))
                if committed:
                    with time_machine.travel(when + timedelta(minutes=1), tick=False):
                        deliver(committed)
                    committed.clear()

    def run_minute(self, steps: list[Step]) -> None:
        bulk = defaultdict(list)
        for step in steps:
            if step.kind == "transition":
                key = (step.name, self.actor(step).pk, step.comment,
                       tuple(sorted(step.params.items())))
                bulk[key].append(step)
            else:
                self.take(step)
        for (name, _actor, comment, params), group in bulk.items():
            actor = self.actor(group[0])
            if len(group) == 1:
                engine.perform(self.fresh(group[0].plan), name, actor, comment=comment,
                               **dict(params))
                continue
            ids = [s.plan.application.pk for s in group]
            result = engine.perform_bulk(Application.objects.filter(pk__in=ids), name, actor,
                                         comment=comment, **dict(params))
            self.moved(ids)
            if result.refused:
                pk, refusal = next(iter(result.refused.items()))
                raise RuntimeError(f"demo: {name} refused for application {pk}: "
                                   f"{refusal.reason}")

    def take(self, step: Step) -> None:
        try:
            getattr(self, f"do_{step.kind}")(step)
        except Exception as problem:
            what = f"{step.plan.destination} {step.plan.category.code} {step.plan.title}" \
                if step.plan else step.data.get("key", "")
            raise RuntimeError(f"demo: {step.kind} {step.name} at {step.when:%Y-%m-%d %H:%M} "
                               f"({what}) failed: {problem}") from problem

    # --- an application's people ---------------------------------------------------------
    def do_create(self, step):
        plan = step.plan
        user = self.applicants[plan.organisation.pk]
        data = {"title": plan.title, "requested_amount": str(plan.requested), **plan.form_data}
        plan.application = create_application(user, self.programme, plan.category, data)
        for item in plan.category.required_attachments:
            self.upload(user, plan.application, item)

    def upload(self, user, application, item, revised=False):
        kind, label = item["kind"], item["label"]
        if kind in IMAGE_KINDS and not revised:
            upload = ContentFile(png_scan(), name=f"{label.split('（')[0]}.png")
        else:
            upload = ContentFile(self.document(application, label, revised),
                                 name=f"{label}.pdf")
        add_attachment(user, application, kind, upload)

    def document(self, application, label: str, revised: bool) -> bytes:
        org = application.organisation
        heading = f"{self.programme.year}年度知识产权培育资助{label.split('（')[0]}"
        lines = [f"申报编号：{application.number}", f"项目名称：{application.title}",
                 f"资助类别：{application.category.code} {application.category.name}",
                 f"申报单位：{org.name}", f"统一社会信用代码：{org.uscc}",
                 f"联系人：{org.contact_name}    联系电话：{org.contact_phone}",
                 f"申请金额：{application.requested_amount:,.2f} 元",
                 f"日期：{timezone.localdate():%Y年%m月%d日}"]
        if revised:
            lines.append("（按审核意见修改后的版本）")
        return pdf_document(heading, lines, seal=org.name)

    def do_revise(self, step):
        app = self.fresh(step.plan)
        user = self.applicants[step.plan.organisation.pk]
        if step.data.get("acceptance") or app.returned_from not in PRE_APPROVAL_STAGES:
            item = app.category.acceptance_attachments[0]
        else:
            form = {**app.form_data}
            if isinstance(form.get("patent_numbers"), list):
                form["patent_numbers"] = "\n".join(form["patent_numbers"])
            form["project_summary"] = f"{form.get('project_summary', '')}（已按审核意见补充。）"
            update_application(user, app, {"title": app.title,
                                           "requested_amount": str(app.requested_amount),
                                           **form})
            item = app.category.required_attachments[0]
        self.upload(user, app, item, revised=True)

    def do_acceptance(self, step):
        app = self.fresh(step.plan)
        user = self.applicants[step.plan.organisation.pk]
        for item in app.category.acceptance_attachments:
            self.upload(user, app, item)
        engine.perform(self.fresh(step.plan), "submit_acceptance", user, **step.params)

    def do_assign(self, step):
        assign_experts(self.staff["city"], self.fresh(step.plan),
                       [self.staff[name] for name in step.data["experts"]])

    def do_score(self, step):
        expert = self.staff[step.actor]
        assignment = ExpertAssignment.objects.select_related("application__category").get(
            application_id=step.plan.application.pk, expert=expert)
        raw = {item["key"]: str(round(item["max"] * self.scores.uniform(0.62, 0.95)))
               for item in assignment.application.category.score_sheet}
        submit_scores(expert, assignment, raw, step.comment)

    # --- the programme's events ----------------------------------------------------------
    def do_publicity(self, step):
        data, city = step.data, self.staff["city"]
        batch = create_batch(city, self.programme, data["kind"], data["title"],
                             timezone.localdate(), PUBLICITY_DAYS,
                             [p.application.pk for p in data["plans"]],
                             acceptance_batch=self.batches.get(data.get("batch")))
        self.batches[data["key"]] = batch
        if data.get("notice"):
            notice = draft_publicity_notice(city, batch)
            start_signoff(notice)
        publish_batch(city, batch)
        self.moved(p.application for p in data["plans"])
        batch.refresh_from_db()

    def do_close(self, step):
        """The hourly job closes the batch the night its period ends."""
        batch = PublicityBatch.objects.get(pk=self.batches[step.data["key"]].pk)
        counts = close_batch(batch)
        self.moved(batch.applications.values_list("pk", flat=True))
        batch.refresh_from_db()
        if batch.status != BatchStatus.CLOSED:
            raise RuntimeError(f"not closed: {counts}")

    def do_objection(self, step):
        data = step.data
        if OBJECTORS[data["person"]]:
            name, digits, contact = OBJECTORS[data["person"]]
            identity = resident_id(digits)
        else:
            rival = next(o for o in reversed(self.plan.orgs) if o.org_type == "enterprise"
                         and o.pk != data["plan"].organisation.pk)
            name, identity, contact = rival.name, rival.uscc, rival.contact_phone
        evidence = None
        if data.get("evidence"):
            evidence = ContentFile(pdf_document("异议证明材料", [data["text"][:40],
                                                              data["text"][40:80]]),
                                   name="证明材料.pdf")
        receive_objection(self.batches[data["key"]], {
            "name": name, "identity": identity, "contact": contact, "reasons": data["text"],
            "application": str(data["plan"].application.pk)}, evidence)

    def do_handle(self, step):
        data = step.data
        objection = Objection.objects.filter(batch=self.batches[data["key"]],
                                             application=data["plan"].application).latest("pk")
        handle_objection(self.staff["city"], objection, data["status"],
                         data.get("outcome", ""), data.get("result", ""))

    def do_acceptance_batch(self, step):
        plans = step.data["plans"]
        self.batches[step.data["key"]] = create_acceptance_batch(
            self.staff["city"], self.programme, [p.application.pk for p in plans])

    def do_notice(self, step):
        data = step.data
        notice = draft_disbursement_notice(self.staff["city"], self.programme,
                                           [p.application.pk for p in data["plans"]],
                                           label=data["label"])
        start_signoff(notice)
        self.notices[data["key"]] = notice

    def do_signoff(self, step):
        notice = self.notices[step.data["key"]]
        take_step(self.staff[step.actor], notice, True, SIGNOFF_OPINIONS[step.actor])
        notice.refresh_from_db()
        self.moved(notice.applications.values_list("pk", flat=True))
        if step.actor == "finance" and notice.status != "issued":
            raise RuntimeError(f"demo: notice {notice.title} not issued: {notice.render_error}")

    def do_payment(self, step):
        self.payment_serial += 1
        paid_on = step.params["paid_on"]
        reference = f"衡财国库〔{paid_on.year}〕{self.payment_serial + 100:04d}号"
        record_payments(self.staff["finance"], [PaymentLine(
            self.fresh(step.plan), paid_on, step.params["amount"], reference)])

    def do_reminders(self, step):
        """The daily job's digests of what has waited too long."""
        send_overdue_reminders(today=step.data["day"])

    def do_remind(self, step):
        """City staff press 催办 on the applications waiting for applicants and counties."""
        remind_now(self.staff["city"], Application.objects.filter(
            pk__in=[p.application.pk for p in step.data["plans"] if p.application]))


def read_older_notifications(before) -> int:
    """People have read what they were told before `before` (a few hours after it came)."""
    return Notification.objects.filter(created_at__lt=before, read_at__isnull=True).update(
        read_at=F("created_at") + timedelta(hours=3))


def committed_by_category(plans) -> dict[str, Decimal]:
    """The approved amounts each category's plans will have spent at their peak (every
    approval counted, though some are released later)."""
    out = defaultdict(Decimal)
    for plan in plans:
        if any(s.kind == "transition" and s.name == "approve" for s in plan.steps):
            out[plan.category.code] += plan.approved
    return out


def staff_by_username() -> dict[str, User]:
    return {u.username: u for u in User.objects.exclude(role="applicant")}
