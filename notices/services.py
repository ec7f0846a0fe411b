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

from subsidy.models import Application
from subsidy.money import capital, format_wan
from subsidy.rules import CITY_REVIEW_ROLES
from workflows import services as engine
from workflows.stages import State

from .models import Notice, NoticeKind, NoticeStatus
from .numbers import allocate
from .pdf import render_pdf, snapshot_rows

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
        total = sum((a.approved_amount or 0) for a in applications)
        accepted = any(a.lifecycle.startswith("project") for a in applications)
        context = {"programme": programme, "label": label, "accepted": accepted,
                   "total_wan": format_wan(total), "total_capital": capital(total)}
        template = programme.disbursement_notice_template.strip()
        body = (plain_text_template(template) if template
                else get_template("notices/disbursement_body.txt")).render(context)
        notice = Notice.objects.create(
            programme=programme, kind=NoticeKind.DISBURSEMENT,
            title=f"关于下拨{programme.year}年度{label}知识产权培育资助项目资金的通知",
            addressees=DEFAULT_ADDRESSEES, body=body.strip(),
            attachment_title=f"{programme.year}年度{label}知识产权培育资助项目资金分配表",
            copy_to=DEFAULT_COPY_TO, contact=programme.notice_contact,
            issuers=programme.issuers or ["衡阳市市场监督管理局"],
            number_prefix=number_prefix(programme), rows=snapshot_rows(applications),
            created_by=actor)
        notice.applications.set(applications)
    return notice


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
        notice = Notice.objects.create(
            programme=programme, kind=NoticeKind.PUBLICITY, title=f"关于{batch.title}的通知",
            addressees=DEFAULT_ADDRESSEES, body=body.strip(),
            attachment_title=publicity_attachment_title(batch.title),
            copy_to=DEFAULT_COPY_TO, contact=programme.notice_contact,
            issuers=programme.issuers or ["衡阳市市场监督管理局"],
            number_prefix=number_prefix(programme), publicity_batch=batch,
            rows=snapshot_rows(applications), created_by=actor)
        notice.applications.set(applications)
    return notice


def publicity_attachment_title(title: str) -> str:
    """The list attached to a publicity notice: 「…名单公示」 → 「…名单」, 「…公示」 → 「…名单」."""
    listed = title.removesuffix("公示")
    return listed if listed.endswith("名单") else f"{listed}名单"


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
    return {"items": len(amounts), "total_wan": format_wan(sum(a or 0 for a in amounts))}


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
