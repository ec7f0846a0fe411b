"""Drafting and issuing notices. Issuing allocates the number, freezes the PDF and moves
every item to "disbursement notified" in one transaction."""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template import engines
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subsidy.models import DEFAULT_ISSUER, Application
from subsidy.money import format_wan, format_yuan
from subsidy.rules import CITY_REVIEW_ROLES
from workflows import services as engine
from workflows.stages import State

from .models import Notice, NoticeKind, NoticeStatus
from .numbers import allocate
from .pdf import allocation_table, render_pdf, snapshot_rows

DEFAULT_ADDRESSEES = "各县市区（园区）市场监督管理局、财政局："
DEFAULT_COPY_TO = "省市场监督管理局，市审计局。"


def number_prefix(programme) -> str:
    """The issuer's prefix from the call's number: 衡市监办〔2021〕68号 → 衡市监办."""
    return (programme.call_number or "").split("〔")[0] or "衡市监办"


EMPTY_DRAFT = _("请至少选择一个待下拨资金、且未列入其他公文的项目（未选择任何项目时不起草公文）。")


def draft_disbursement_notice(actor, programme, application_ids, label: str = "") -> Notice:
    """A draft disbursement notice for applications awaiting disbursement."""
    if getattr(actor, "role", None) not in CITY_REVIEW_ROLES:
        raise PermissionDenied(_("只有市局科室工作人员可以起草公文。"))
    with transaction.atomic():
        # locked, so two drafts cannot take the same items
        applications = list(
            Application.objects.select_for_update()
            .filter(programme=programme, pk__in=application_ids,
                    state=State.AWAITING_DISBURSEMENT)
            .exclude(notices__status__in=(NoticeStatus.DRAFT, NoticeStatus.ISSUED))
            .select_related("region", "organisation", "category"))
        if not applications:
            raise ValidationError(EMPTY_DRAFT)
        accepted = any(a.lifecycle.startswith("project") for a in applications)
        label = label or shared_batch_label(applications)
        rows = snapshot_rows(applications)
        context = disbursement_body_context(programme, label, accepted, rows)
        template = programme.disbursement_notice_template.strip()
        body = (plain_text_template(template) if template
                else get_template("notices/disbursement_body.txt")).render(context)
        notice = Notice.objects.create(
            programme=programme, kind=NoticeKind.DISBURSEMENT,
            title=f"关于下拨{programme.year}年度{label}知识产权培育资助项目资金的通知",
            addressees=DEFAULT_ADDRESSEES, body=body.strip(),
            attachment_title=f"{programme.year}年度{label}知识产权培育资助项目资金分配表",
            copy_to=DEFAULT_COPY_TO, contact=programme.notice_contact,
            issuers=programme.issuers or [DEFAULT_ISSUER],
            number_prefix=number_prefix(programme), rows=rows, created_by=actor)
        notice.applications.set(applications)
    return notice


def shared_batch_label(applications) -> str:
    """第三批验收通过的, when every item was accepted in the same numbered acceptance batch
    (the title then says which), else nothing."""
    batches = {batch.pk: batch for app in applications
               for batch in app.acceptance_batches.all()}
    per_item = [{b.pk for b in app.acceptance_batches.all()} for app in applications]
    shared = set.intersection(*per_item) if per_item else set()
    if len(shared) != 1:
        return ""
    return f"{batches[shared.pop()].label}验收通过的"


def disbursement_body_context(programme, label: str, accepted: bool, rows: list[dict]) -> dict:
    """What a disbursement notice's body template may use: the programme, the label, whether
    items were accepted, the total as the attachment states it (`total`: 210.73万元, or
    2107345.82元 when 万元 with two decimals would round), `total_capital` (人民币…) and, for
    templates written before, `total_wan` (exact, up to six decimals)."""
    table = allocation_table(rows)
    return {"programme": programme, "label": label, "accepted": accepted,
            "total": table["total_text"], "total_capital": table["total_capital"],
            "total_wan": format_wan(table["total"])}


def draft_publicity_notice(actor, batch) -> Notice:
    """The publicity notice of a publicity batch, as an official document."""
    if getattr(actor, "role", None) not in CITY_REVIEW_ROLES:
        raise PermissionDenied(_("只有市局科室工作人员可以起草公文。"))
    programme = batch.programme
    body = get_template("notices/publicity_body.txt").render({
        "programme": programme, "batch": batch, "acceptance": batch.kind == "acceptance"})
    with transaction.atomic():
        type(batch).objects.select_for_update().filter(pk=batch.pk).exists()
        if batch.notices.exclude(status__in=(NoticeStatus.REVOKED,
                                             NoticeStatus.WITHDRAWN)).exists():
            raise ValidationError(_("该公示批次已有公示公文。"))
        applications = list(batch.applications.select_related("region", "organisation",
                                                               "category"))
        # a 公示 is titled by its list, addressed to no one and issued by the lead organ
        # alone (no finance countersignature)
        notice = Notice.objects.create(
            programme=programme, kind=NoticeKind.PUBLICITY, title=batch.title,
            addressees="", body=body.strip(),
            attachment_title=publicity_attachment_title(batch.title),
            copy_to=DEFAULT_COPY_TO, contact=programme.notice_contact,
            issuers=[programme.lead_organ],
            number_prefix=number_prefix(programme), publicity_batch=batch,
            rows=snapshot_rows(applications), created_by=actor)
        notice.applications.set(applications)
    return notice


def publicity_attachment_title(title: str) -> str:
    """The list attached to a publicity notice, named once: 「…名单公示」 → 「…名单」,
    「…公示」 → 「…名单」, 「…名单（第三批）公示」 → 「…名单（第三批）」."""
    listed = title.strip().removesuffix("公示").rstrip()
    return listed if "名单" in listed else f"{listed}名单"


def plain_text_template(source: str):
    """A programme's own body template; its output is plain text (escaped in the PDF)."""
    return engines["django"].from_string("{% autoescape off %}" + source + "{% endautoescape %}")


def supersede_notice(actor, old: Notice) -> Notice:
    """A new draft that will revoke and replace an issued notice (which is never edited)."""
    if getattr(actor, "role", None) not in CITY_REVIEW_ROLES:
        raise PermissionDenied(_("只有市局科室工作人员可以起草公文。"))
    with transaction.atomic():
        old = Notice.objects.select_for_update().get(pk=old.pk)
        if old.status != NoticeStatus.ISSUED or Notice.objects.filter(supersedes=old).exists():
            raise ValidationError(_("只能替代一份已印发且尚未被替代的公文。"))
        new = Notice.objects.create(
            programme=old.programme, kind=old.kind, title=old.title,
            addressees=old.addressees,
            body=f"《{old.title}》（{old.number}）即行废止，以本通知为准。\n{old.body}",
            attachment_title=old.attachment_title, copy_to=old.copy_to, contact=old.contact,
            issuers=old.issuers, number_prefix=old.number_prefix, supersedes=old,
            rows=old.rows, created_by=actor)
        new.applications.set(old.applications.all())
    return new


def notice_summary(notice: Notice) -> dict:
    """What a signer sees of the notice: its items and their total."""
    amounts = list(notice.applications.values_list("approved_amount", flat=True))
    return {"items": len(amounts), "total_yuan": format_yuan(sum(a or 0 for a in amounts))}


def issues_in_background(notice: Notice) -> bool:
    """Whether issuing this notice is handed to a Celery worker (it has many rows)."""
    return notice.applications.count() > settings.NOTICE_BACKGROUND_ROWS


def issue_notice(actor, notice: Notice) -> Notice:
    """Number it, freeze its PDF (sha256 kept) and notify every item, all or nothing."""
    if getattr(actor, "role", None) not in CITY_REVIEW_ROLES:
        raise PermissionDenied(_("只有市局科室工作人员可以印发公文。"))
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != NoticeStatus.DRAFT:
            raise ValidationError(_("该公文已经印发，不能再次印发或修改。"))
        today = timezone.localdate()
        notice.year, notice.issued_on = today.year, today
        notice.serial = allocate(notice.number_prefix, notice.year)
        pdf = render_pdf(notice, draft=False)
        notice.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        notice.pdf.save(f"{notice.number_prefix}-{notice.year}-{notice.serial}.pdf",
                        ContentFile(pdf), save=False)
        notice.status = NoticeStatus.ISSUED
        notice.save()
        if notice.supersedes_id:
            Notice.objects.filter(pk=notice.supersedes_id).update(status=NoticeStatus.REVOKED)
        if notice.kind == NoticeKind.DISBURSEMENT:
            # a superseding notice re-issues items the old one notified already
            items = notice.applications.all()
            if notice.supersedes_id:
                items = items.filter(state=State.AWAITING_DISBURSEMENT)
            result = engine.perform_bulk(items, "notify_disbursement", actor,
                                         comment=notice.number)
            if result.refused:
                refusal = next(iter(result.refused.values()))
                raise ValidationError(refusal.reason)
    return notice
