"""Publicity and acceptance batches: build, publish, object, decide, close.

Views only parse input and call these; state changes go through the transition service.
"""

import hashlib
import logging
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import SYSTEM_USERNAME, Role, User
from subsidy.identifiers import is_valid_resident_id, is_valid_uscc, normalise_uscc, parse_ids
from subsidy.models import Application, Programme
from subsidy.rules import CITY_REVIEW_ROLES
from subsidy.uploads import check_upload
from workcalendar.models import ScheduleGap
from workcalendar.schedules import record_gap
from workcalendar.workdays import Calendar, ScheduleMissing, period_end
from workflows import services as engine
from workflows.exceptions import TransitionRefused
from workflows.i18n import lazy_format
from workflows.lifecycle import lifecycles
from workflows.stages import State

from .models import (
    OPEN_OBJECTION,
    AcceptanceBatch,
    BatchKind,
    BatchStatus,
    Objection,
    ObjectionHandling,
    ObjectionStatus,
    PublicityBatch,
    UpheldOutcome,
)

#: The state an application waits in before each kind of publicity, and the one it enters.
READY_STATE = {BatchKind.APPROVAL: State.APPROVED, BatchKind.REWARD: State.APPROVED,
               BatchKind.ACCEPTANCE: State.ACCEPTANCE_PASSED}
PUBLICITY_STATE = {BatchKind.APPROVAL: State.APPROVAL_PUBLICITY,
                   BatchKind.REWARD: State.APPROVAL_PUBLICITY,
                   BatchKind.ACCEPTANCE: State.ACCEPTANCE_PUBLICITY}
#: The lifecycle kind (workflows/lifecycles/*.toml `kind`) of the items an approval-time
#: batch lists: rewards (后补助) are published apart from projects, under their own name.
LIFECYCLE_KIND = {BatchKind.APPROVAL: "project", BatchKind.REWARD: "reward"}
logger = logging.getLogger(__name__)


def _require_city(actor):
    if getattr(actor, "role", None) not in CITY_REVIEW_ROLES:
        raise PermissionDenied(_("只有市局科室工作人员可以办理公示。"))


def system_actor() -> User:
    """The account scheduled jobs act as (role city section, cannot log in)."""
    user, _created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"role": Role.CITY, "first_name": "系统（定时任务）",
                  "password": make_password(None)})
    return user


#: The title the desk offers for a new batch, as the office titles each kind of list
#: (official Chinese, like the notices).
SUGGESTED_TITLE = {
    BatchKind.APPROVAL: "{year}年度知识产权培育资助拟立项项目名单公示",
    BatchKind.REWARD: "{year}年度知识产权培育资助拟奖励（后补助）项目名单公示",
    BatchKind.ACCEPTANCE: "{year}年度知识产权培育资助项目验收通过名单公示",
}


def suggested_title(programme, kind) -> str:
    return SUGGESTED_TITLE[kind].format(year=programme.year) if programme else ""


def lifecycle_keys(kind) -> list[str] | None:
    """The lifecycles whose items a `kind` batch lists (None: any that reaches its state)."""
    wanted = LIFECYCLE_KIND.get(kind)
    if wanted is None:
        return None
    return [key for key, lifecycle in lifecycles().items() if lifecycle.kind == wanted]


def publicity_kind(application) -> str | None:
    """The kind of batch that publishes `application` next (None: it waits for none)."""
    if application.state == State.ACCEPTANCE_PASSED:
        return BatchKind.ACCEPTANCE
    if application.state != State.APPROVED:
        return None
    reward = application.lifecycle_definition.kind == LIFECYCLE_KIND[BatchKind.REWARD]
    return BatchKind.REWARD if reward else BatchKind.APPROVAL


def ready_applications(programme, kind):
    """Applications waiting for `kind` publicity and not yet in an unfinished batch."""
    in_unfinished_batch = PublicityBatch.applications.through.objects.filter(
        publicitybatch__status__in=(BatchStatus.DRAFT, BatchStatus.PUBLISHED),
        publicitybatch__kind__in=[k for k in BatchKind if READY_STATE[k] == READY_STATE[kind]],
    ).values("application_id")
    ready = Application.objects.filter(programme=programme, state=READY_STATE[kind])
    keys = lifecycle_keys(kind)
    if keys is not None:
        ready = ready.filter(lifecycle__in=keys)
    return (ready.exclude(pk__in=in_unfinished_batch)
            .select_related("organisation", "region", "category"))


def check_period(start_date: date, workdays: int) -> date:
    """The end of a period of `workdays` working days from `start_date`, if it may be set:
    it starts today (the office's date) or later and its year's holidays are known."""
    if not 1 <= workdays <= 30:
        raise ValidationError({"workdays": [_("公示期应为 1 到 30 个工作日。")]})
    today = timezone.localdate()
    if start_date < today:
        raise ValidationError({"start_date": [lazy_format(
            _("公示开始日期 %(date)s 早于今天（%(today)s）：公众将没有完整的公示期。"
              "请选择今天或以后的日期。"), {"date": start_date, "today": today})]})
    try:
        return period_end(start_date, workdays)
    except ScheduleMissing as missing:
        record_gap(missing, ScheduleGap.Outcome.REFUSED, ScheduleGap.Context.PUBLICITY_PERIOD)
        raise ValidationError({"start_date": [missing.message]}) from None


def check_draft(title: str, start_date: date, workdays: int) -> str:
    """The trimmed title, if title and period may be set; otherwise every problem at once."""
    errors = {}
    if not title.strip():
        errors["title"] = [_("请填写公示标题。")]
    try:
        check_period(start_date, workdays)
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)
    return title.strip()


def create_batch(actor, programme, kind, title, start_date: date, workdays: int,
                 application_ids, acceptance_batch=None) -> PublicityBatch:
    """A draft batch of ready applications; its end date counted in working days."""
    _require_city(actor)
    title = check_draft(title, start_date, workdays)
    with transaction.atomic():
        # one batch at a time per programme, so an application cannot land in two
        Programme.objects.select_for_update().filter(pk=programme.pk).exists()
        chosen = list(ready_applications(programme, kind).filter(pk__in=application_ids))
        if not chosen:
            raise ValidationError({"applications": [other_kind_hint(
                programme, kind, application_ids) or _("请至少选择一个待公示的申报。")]})
        batch = PublicityBatch.objects.create(
            programme=programme, kind=kind, title=title, start_date=start_date,
            workdays=workdays, acceptance_batch=acceptance_batch, created_by=actor)
        batch.applications.set(chosen)
    return batch


def other_kind_hint(programme, kind, application_ids):
    """Why none of `application_ids` is ready for a `kind` batch when they are ready for
    another kind (a reward chosen for a project list): which batch to make instead."""
    for other in BatchKind:
        if other != kind and ready_applications(programme, other).filter(
                pk__in=application_ids).exists():
            return lazy_format(_("所选申报应列入“%(other)s”，不属于“%(kind)s”："
                                 "请建立该类型的公示批次。"),
                               {"other": other.label, "kind": BatchKind(kind).label})
    return None


def _locked_draft(batch: PublicityBatch, refusal) -> PublicityBatch:
    """The batch re-read under a row lock; `refusal` when it is no longer a draft."""
    batch = PublicityBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.is_draft:
        raise ValidationError(lazy_format(refusal, {"status": batch.get_status_display()}))
    return batch


def editable_applications(batch: PublicityBatch):
    """What a draft batch may hold: its own items still waiting, and every ready application."""
    return (Application.objects.filter(programme=batch.programme_id,
                                       state=READY_STATE[batch.kind])
            .filter(Q(pk__in=batch.applications.values("pk"))
                    | Q(pk__in=ready_applications(batch.programme, batch.kind).values("pk")))
            .select_related("organisation", "region", "category"))


def update_draft_batch(actor, batch: PublicityBatch, title, start_date: date, workdays: int,
                       application_ids) -> PublicityBatch:
    """Change a draft's title, period or items; the end date is counted again."""
    _require_city(actor)
    title = check_draft(title, start_date, workdays)
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=batch.programme_id).exists()
        batch = _locked_draft(batch, _("该公示批次已发布（%(status)s）：名单和公示期已向社会公开，"
                                      "不能再修改。"))
        chosen = list(editable_applications(batch).filter(pk__in=application_ids))
        if not chosen:
            raise ValidationError({"applications": [
                _("请至少保留一个待公示的申报；不再需要的批次可以删除。")]})
        batch.title, batch.start_date, batch.workdays = title, start_date, workdays
        batch.save(update_fields=["title", "start_date", "workdays"])
        batch.applications.set(chosen)
    return batch


def delete_draft_batch(actor, batch: PublicityBatch) -> int:
    """Delete a draft batch; its items are free for a new batch. Returns how many they were."""
    _require_city(actor)
    with transaction.atomic():
        batch = _locked_draft(batch,
                              _("该公示批次已发布（%(status)s）：名单已向社会公开，不能删除。"))
        count = batch.applications.count()
        batch.delete()  # its item rows go with it
    return count


def check_publishable(batch: PublicityBatch):
    """Refuse (ValidationError saying why) unless the batch is a draft whose period is whole."""
    if batch.status != BatchStatus.DRAFT:
        raise ValidationError(_("该公示批次已经发布。"))
    if batch.start_date < timezone.localdate():
        raise ValidationError(lazy_format(
            _("公示开始日期 %(date)s 已过，公众将没有完整的公示期。"
              "请修改本批次的开始日期（今天或以后）后再发布。"),
            {"date": batch.start_date}))


def publish_batch(actor, batch: PublicityBatch):
    """Move every item into its publicity state in one transaction."""
    _require_city(actor)
    with transaction.atomic():
        batch = PublicityBatch.objects.select_for_update().get(pk=batch.pk)
        check_publishable(batch)
        batch.status = BatchStatus.PUBLISHED
        batch.published_at = timezone.now()
        batch.save(update_fields=["status", "published_at"])
        result = engine.perform_bulk(batch.applications.all(), "publish", actor,
                                     comment=batch.title)
        if result.refused:
            refusal = next(iter(result.refused.values()))
            raise ValidationError(lazy_format(_("有 %(n)d 个申报不能发布：%(reason)s"),
                                              {"n": len(result.refused),
                                               "reason": refusal.reason}))
    return result


def objection_open(batch: PublicityBatch, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return batch.status == BatchStatus.PUBLISHED and batch.start_date <= today <= batch.end_date


#: The longest of each field of an objection; longer is refused (never cut), with the figure.
OBJECTION_FIELD_LIMITS = {"name": 100, "contact": 100, "reasons": 5000}


def objection_fingerprint(application_id: int, identity: str, reasons: str) -> str:
    """The same objection: the same item, identity number and text (spaces and line breaks
    aside), so a repeated submission is recorded once."""
    text = "".join(reasons.split())
    return hashlib.sha256(f"{application_id}|{identity}|{text}".encode()).hexdigest()


def lodge_objection(batch: PublicityBatch, data: dict, evidence=None,
                    evidence_too_large: bool = False) -> tuple[Objection, bool]:
    """Record a signed objection from the public page; refused when late, anonymous, too
    long or with evidence that is not a document. Returns (objection, created): the same
    objection submitted again is the one recorded before, not a second."""
    errors = {}
    if not objection_open(batch):
        raise ValidationError(lazy_format(
            _("不在公示期内（%(start)s 至 %(end)s），异议不予受理。"),
            {"start": batch.start_date, "end": batch.end_date}))
    name = (data.get("name") or "").strip()
    identity = normalise_uscc(data.get("identity") or "")
    contact = (data.get("contact") or "").strip()
    reasons = (data.get("reasons") or "").strip()
    if not name:
        errors["name"] = [_("请填写真实姓名或单位名称；匿名异议不予受理。")]
    if not (is_valid_resident_id(identity) or is_valid_uscc(identity)):
        errors["identity"] = [_("请填写有效的身份证号码或统一社会信用代码。")]
    if not contact:
        errors["contact"] = [_("请填写联系方式。")]
    if len(reasons) < 10:
        errors["reasons"] = [_("请写明异议理由（至少 10 个字）。")]
    for field, value in (("name", name), ("contact", contact), ("reasons", reasons)):
        limit = OBJECTION_FIELD_LIMITS[field]
        if len(value) > limit:
            errors[field] = [lazy_format(_("最多 %(limit)s 个字，现为 %(length)s 个字。"),
                                         {"limit": limit, "length": len(value)})]
    ids = parse_ids([str(data.get("application") or "")])
    application = batch.applications.filter(pk=ids[0]).first() if ids else None
    if application is None:
        errors["application"] = [_("请选择异议针对的项目。")]
    checked = None
    if evidence_too_large:
        errors["evidence"] = [lazy_format(
            _("证明材料须为 %(size)s 以内的 PDF、图片、Office 文档或 ZIP。"),
            {"size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)})]
    elif evidence is not None:
        try:  # the same checks as the applicants' files
            checked = check_upload(evidence)
        except ValidationError as refusal:
            errors["evidence"] = refusal.message_dict["file"]
    if errors:
        raise ValidationError(errors)
    fingerprint = objection_fingerprint(application.pk, identity, reasons)
    with transaction.atomic():
        # one lodging at a time per batch, so a double submission finds the first
        PublicityBatch.objects.select_for_update().filter(pk=batch.pk).exists()
        earlier = batch.objections.filter(fingerprint=fingerprint).first()
        if earlier is not None:
            return earlier, False
        objection = Objection(batch=batch, application=application, name=name,
                              identity=identity, contact=contact, reasons=reasons,
                              fingerprint=fingerprint)
        if checked is not None:
            objection.evidence_name = checked.name
            objection.evidence.save(f"{batch.pk}-{application.pk}-{checked.stored_name}",
                                    evidence, save=False)
        objection.save()
    return objection, True


def handle_objection(actor, objection: Objection, status: str, outcome: str = "",
                     result: str = "", *, in_bulk: bool = False) -> Objection:
    """Staff record progress or the decision; a decision needs a written result. Each
    handling is kept (ObjectionHandling); the objection's row is locked, so of two staff
    deciding at once one wins and the other is refused with the status it found."""
    _require_city(actor)
    with transaction.atomic():
        objection = (Objection.objects.select_for_update().select_related("batch")
                     .get(pk=objection.pk))
        if objection.batch.status != BatchStatus.PUBLISHED:
            raise ValidationError(_("公示已结束，异议处理结论不能再修改。"))
        if status not in NEXT_OBJECTION_STATUS.get(objection.status, ()):
            raise ValidationError({"status": [lazy_format(
                _("异议处理状态不能从“%(old)s”改为“%(new)s”。"),
                {"old": ObjectionStatus(objection.status).label,
                 "new": ObjectionStatus(status).label if status in ObjectionStatus.values
                 else status})]})
        if status in (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED) and not result.strip():
            raise ValidationError({"result": [_("作出处理结论时必须填写处理意见。")]})
        if status == ObjectionStatus.UPHELD and outcome not in UpheldOutcome.values:
            raise ValidationError({"outcome": [_("异议成立时请选择：撤出名单或退回重新审核。")]})
        objection.status = status
        objection.outcome = outcome if status == ObjectionStatus.UPHELD else ""
        objection.result = result.strip()
        objection.handled_by = actor
        objection.handled_at = timezone.now()
        objection.save()
        ObjectionHandling.objects.create(
            objection=objection, status=objection.status, outcome=objection.outcome,
            result=objection.result, handled_by=actor, in_bulk=in_bulk)
    return objection


def handle_objections_in_bulk(actor, batch: PublicityBatch, objection_ids, status: str,
                              outcome: str = "", result: str = "") -> tuple[list, dict]:
    """The same handling for several objections of `batch` in one step (e.g. 不予受理：无具体
    事实和证据), each recorded on its own as if handled alone. Returns (handled objections,
    {objection: the reason it was refused}); a refused one leaves the others done."""
    _require_city(actor)
    chosen = list(batch.objections.filter(pk__in=objection_ids).select_related("application")
                  .order_by("pk"))
    if not chosen:
        raise ValidationError(_("请至少选择一条异议。"))
    handled, refused = [], {}
    for objection in chosen:
        try:
            handled.append(handle_objection(actor, objection, status, outcome, result,
                                            in_bulk=True))
        except ValidationError as refusal:
            refused[objection] = " ".join(refusal.messages)
    return handled, refused


#: How an objection's handling may progress; a decision is final.
NEXT_OBJECTION_STATUS = {
    ObjectionStatus.RECEIVED: (ObjectionStatus.INVESTIGATING, ObjectionStatus.UPHELD,
                               ObjectionStatus.DISMISSED),
    ObjectionStatus.INVESTIGATING: (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED),
}


def _closing_step(application, batch):
    """(transition, comment) that ends `application`'s publicity as its objections decide;
    None while an objection is still being handled."""
    objections = list(application.objections.filter(batch=batch))
    if any(o.status in OPEN_OBJECTION for o in objections):
        return None
    upheld = [o for o in objections if o.status == ObjectionStatus.UPHELD]
    if not upheld:
        return "close_publicity", _("公示期满，无异议。")
    if any(o.outcome == UpheldOutcome.REMOVE for o in upheld):
        return "uphold_objection", upheld[0].result
    return "reopen_review", upheld[0].result


def closing_plan(batch: PublicityBatch) -> dict:
    """What closing the batch now would do: counts by transition, and those left waiting."""
    counts = {"close_publicity": 0, "uphold_objection": 0, "reopen_review": 0, "waiting": 0}
    for application in batch.applications.filter(state=PUBLICITY_STATE[batch.kind]):
        step = _closing_step(application, batch)
        counts[step[0] if step else "waiting"] += 1
    return counts


def check_closable(batch: PublicityBatch):
    """Refuse (ValidationError saying why) unless the batch's period is over."""
    if batch.status != BatchStatus.PUBLISHED:
        raise ValidationError(lazy_format(_("该公示批次%(status)s，没有要办理的结果。"),
                                          {"status": batch.get_status_display()}))
    if batch.end_date >= timezone.localdate():
        raise ValidationError(lazy_format(_("公示期至 %(date)s 结束，期满后才能办理。"),
                                          {"date": batch.end_date}))


def close_batch(batch: PublicityBatch, actor=None, today: date | None = None) -> dict:
    """After the period: move each item on as its objections decide. Safe to run again.

    Items with an open objection wait; the batch closes when none is left in publicity.
    Returns counts by transition.
    """
    today = today or timezone.localdate()
    counts = {"close_publicity": 0, "uphold_objection": 0, "reopen_review": 0, "waiting": 0,
              "refused": 0}
    if batch.status != BatchStatus.PUBLISHED or batch.end_date >= today:
        return counts
    actor = actor or system_actor()
    publicity_state = PUBLICITY_STATE[batch.kind]
    with transaction.atomic():
        for application in batch.applications.filter(state=publicity_state):
            step = _closing_step(application, batch)
            if step is None:
                counts["waiting"] += 1
                continue
            name, comment = step
            try:
                with transaction.atomic():
                    engine.perform(application, name, actor, comment=str(comment))
            except TransitionRefused as refusal:
                logger.warning("publicity %s: %s not moved: %s", batch.pk, application.number,
                               refusal.reason)
                counts["refused"] += 1
                continue
            counts[name] += 1
        if not counts["waiting"] and not counts["refused"]:
            batch.status = BatchStatus.CLOSED
            batch.closed_at = timezone.now()
            batch.save(update_fields=["status", "closed_at"])
    return counts


def close_due_batches(today: date | None = None) -> list[tuple[PublicityBatch, dict]]:
    """Close every published batch whose period has ended (the scheduled job)."""
    today = today or timezone.localdate()
    due = PublicityBatch.objects.filter(status=BatchStatus.PUBLISHED, end_date__lt=today)
    results = []
    for batch in due:
        try:
            results.append((batch, close_batch(batch, today=today)))
        except Exception:  # one broken batch must not stop the others
            logger.exception("closing publicity batch %s failed", batch.pk)
    return results


def unbatched_passed(programme):
    """Applications that passed acceptance and are in no acceptance batch yet."""
    return (Application.objects.filter(programme=programme, state=State.ACCEPTANCE_PASSED,
                                       acceptance_batches__isnull=True)
            .select_related("organisation", "region", "category"))


def next_acceptance_number(programme) -> int:
    """The number the programme's next acceptance batch gets (第N批)."""
    return (AcceptanceBatch.objects.filter(programme=programme).aggregate(
        n=Max("number"))["n"] or 0) + 1


def create_acceptance_batch(actor, programme, application_ids) -> AcceptanceBatch:
    """Group passed applications into the programme's next numbered acceptance batch."""
    _require_city(actor)
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).exists()
        chosen = list(unbatched_passed(programme).filter(pk__in=application_ids))
        if not chosen:
            raise ValidationError(_("请至少选择一个验收通过且尚未编批的申报。"))
        batch = AcceptanceBatch.objects.create(programme=programme,
                                               number=next_acceptance_number(programme),
                                               created_by=actor)
        batch.applications.set(chosen)
    return batch


def recount_periods(sender=None, year=None, **kwargs) -> list:
    """After a holiday schedule changed: unfinished batches counted again. A draft's end date
    follows the new schedule; a published batch keeps the dates the public was given, and the
    note asks staff to check it. Returns the notes (the schedule_changed receiver)."""
    calendar, notes = Calendar(), []
    for batch in PublicityBatch.objects.filter(
            status__in=(BatchStatus.DRAFT, BatchStatus.PUBLISHED)).order_by("start_date"):
        try:
            end = calendar.add_workdays(batch.start_date, batch.workdays)
        except ScheduleMissing:
            continue  # counted when it is published or its year is entered
        if end == batch.end_date:
            continue
        if batch.status == BatchStatus.DRAFT:
            PublicityBatch.objects.filter(pk=batch.pk).update(end_date=end)
            notes.append(lazy_format(_("待发布的公示批次“%(title)s”的截止日按新安排改为 %(end)s。"),
                                     {"title": batch.title, "end": end}))
        else:
            notes.append(lazy_format(
                _("公示中的批次“%(title)s”按新安排应于 %(end)s 截止，公布的是 %(was)s："
                  "请核对是否需要重新公示。"),
                {"title": batch.title, "end": end, "was": batch.end_date}))
    return notes
