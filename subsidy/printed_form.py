"""What a printed 申报书 says: the application as submitted (organisation, project, the
category's own fields, the attachments), or the same form left blank for a category so
that an organisation can prepare it offline. Layout-free: `portal.documents` prints it with
the notices' PDF set-up.

A draft prints too, unmarked: the call asks for the 申报书 stamped and scanned
(申报书（盖章扫描件）) before the application can be submitted, so the applicant prints what
they filled in, has it stamped and uploads it. Every page carries the content's 校验码, and
the application page shows the current one, so a reviewer sees at once whether the stamped
scan is the content that was submitted."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from workflows.stages import State

from .attachments import PRE_APPROVAL_STAGES
from .funding import application_breakdown, rule_summary
from .models import AttachmentStage, OrgType
from .money import capital, format_yuan

#: The applicant's undertaking above the signature, as such forms word it.
UNDERTAKING = ("本单位承诺：本申报书所填内容及所附材料真实、准确、完整，项目不存在重复申报"
               "或知识产权权属纠纷；如有虚假，愿承担由此产生的一切责任，并退回已获得的资助资金。")


@dataclass
class Row:
    """One entry of the form: a label and its value (empty on a blank form), with a note
    (the field's help, or a condition). `short` entries may share a line with another;
    `lines` is how many lines a blank form leaves for the value (long texts, lists)."""

    label: str
    value: str = ""
    note: str = ""
    short: bool = False
    lines: int = 1


@dataclass
class PrintedForm:
    """A 申报书: `title` is the programme's (the form is its 申报书), `code` the 校验码."""

    title: str
    category: str
    number: str
    sections: list[tuple[str, list[Row]]]
    attachments: list[dict]
    code: str = ""
    blank: bool = False


def cn_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def content_code(application) -> str:
    """A short fingerprint (校验码, `3F2A-9C1B`) of what the 申报书 prints about the
    application's own content: it changes with any of it, and only with it."""
    content = {"number": application.number, "category": application.category.code,
               "organisation": application.organisation.name,
               "uscc": application.organisation.uscc, "title": application.title,
               "requested_amount": f"{Decimal(application.requested_amount):.2f}",
               "form_data": application.form_data}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False)
                            .encode()).hexdigest()[:8].upper()
    return f"{digest[:4]}-{digest[4:]}"


def field_value(definition: dict, value) -> str:
    """A category field's stored value as printed (dates in Chinese, amounts grouped,
    patent numbers one a line with their ZL)."""
    if value in (None, "", []):
        return ""
    kind = definition.get("type", "text")
    if kind == "patent_numbers":  # stored normalised; granted patents are written ZL…
        return "\n".join(f"ZL{number}" for number in
                         (value if isinstance(value, list) else [str(value)]))
    if kind == "madrid_registrations" and isinstance(value, list):
        return "\n".join(madrid_text(item) for item in value)
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if kind == "decimal":
        return format_yuan(value)
    if kind == "date":
        try:
            return cn_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def madrid_text(item) -> str:
    """One Madrid registration as pages write it: 1634567（指定 3 个国家（地区）：US、JP、EM）."""
    if not isinstance(item, dict):
        return str(item)
    text = f"{item.get('number', '')}（指定 {item.get('countries', '')} 个国家（地区）"
    designations = item.get("designations")
    return text + (f"：{'、'.join(designations)}）" if designations else "）")


def breakdown_rows(breakdown) -> list[Row]:
    """The parts of a computed subsidy (subsidy.funding.Breakdown) as rows of the form:
    each part's basis and amount, then the total (and the category's cap when it bites)."""
    if breakdown is None:
        return []
    rows = []
    for part in breakdown.parts:
        capped = f"，上限 {format_yuan(part.cap)} 元" if part.cap is not None \
            and part.amount < part.computed else ""
        rows.append(Row(part.label, f"{part.basis} = {format_yuan(part.computed)} 元{capped}，"
                                    f"计 {format_yuan(part.amount)} 元"))
    total = f"{format_yuan(breakdown.total)} 元"
    if breakdown.capped:
        total += f"（各项合计 {format_yuan(breakdown.subtotal)} 元，不超过上限 " \
                 f"{format_yuan(breakdown.cap)} 元）"
    rows.append(Row("按规则测算可资助", total))
    return rows


def category_rows(category, form_data: dict | None) -> list[Row]:
    """The category's own fields in definition order, with their values when given."""
    rows = []
    for definition in category.form_fields:
        kind = definition.get("type", "text")
        value = field_value(definition, form_data.get(definition["name"])) \
            if form_data is not None else ""
        note = definition.get("help") or ("可另附页" if kind == "textarea" else "")
        if kind == "choice" and form_data is None:  # a blank form names what may be chosen
            note = "选填其一：" + "；".join(c.get("label", c["value"])
                                         for c in definition.get("choices", []))
        rows.append(Row(definition["label"], value, note=note,
                        short=kind in ("decimal", "integer", "date"),
                        lines={"textarea": 7, "patent_numbers": 4}.get(kind, 1)))
    return rows


def submission_text(application) -> str:
    """When the application was submitted, and resubmitted after a return (from its
    audit entries); 尚未提交 for a draft."""
    entries = application.audit_entries.filter(
        transition__in=("submit", "resubmit")).order_by("seq")
    days = [timezone.localdate(e.at) for e in entries
            if e.transition == "submit" or e.target in PRE_APPROVAL_STAGES]
    if not days:
        return "尚未提交" if application.state == State.DRAFT else ""
    text = cn_date(days[0])
    if len(days) > 1:
        text += f"（退回修改后于{cn_date(days[-1])}重新提交）"
    return text


def attachment_list(category, application=None) -> list[dict]:
    """The application materials the category asks for, each with the current version
    uploaded (name, version, date), if any."""
    current = {}
    if application is not None:
        for a in application.attachments.filter(stage=AttachmentStage.APPLICATION) \
                .order_by("kind", "-version"):
            current.setdefault(a.kind, a)
    out = []
    for item in category.required_attachments:
        a = current.get(item["kind"])
        out.append({"label": item["label"],
                    "file": f"{a.original_name}（第{a.version}版，"
                            f"{cn_date(timezone.localdate(a.uploaded_at))}上传）" if a else ""})
    return out


#: The organisation's part of the form: (label, whether it may share a line).
ORGANISATION_LABELS = (("单位名称", False), ("统一社会信用代码", False), ("单位类型", True),
                       ("所在县市区", True), ("通讯地址", False), ("联系人", True),
                       ("联系电话", True), ("电子邮箱", False))


def organisation_rows(values: list[str]) -> list[Row]:
    return [Row(label, value, short=short)
            for (label, short), value in zip(ORGANISATION_LABELS, values, strict=True)]


def application_form(application) -> PrintedForm:
    """The 申报书 of `application` as it stands."""
    org, category = application.organisation, application.category
    pc = application.programme.programme_categories.get(category=category)
    organisation = organisation_rows([
        org.name, org.uscc, str(OrgType(org.org_type).label), org.region.name, org.address,
        org.contact_name, org.contact_phone, org.email])
    project = [
        Row("资助类别", f"{category.code} {category.name}"), Row("资助标准", rule_summary(pc)),
        Row("项目名称", application.title),
        Row("申请金额（元）", f"{format_yuan(application.requested_amount)}"
                            f"（大写：{capital(application.requested_amount)}）"),
        *breakdown_rows(application_breakdown(application)),
        Row("提交日期", submission_text(application))]
    return PrintedForm(
        title=application.programme.title, category=f"{category.code} {category.name}",
        number=application.number, code=content_code(application),
        sections=[("一、申报单位基本情况", organisation), ("二、申报项目", project),
                  ("三、申报内容", category_rows(category, application.form_data))],
        attachments=attachment_list(category, application))


def blank_form(programme_category) -> PrintedForm:
    """The same form for `programme_category` with every value left to fill in."""
    programme, category = programme_category.programme, programme_category.category
    organisation = organisation_rows([""] * len(ORGANISATION_LABELS))
    if category.applicant_type_labels:
        organisation[2].note = "限" + "、".join(category.applicant_type_labels)
    project = [Row("资助类别", f"{category.code} {category.name}"),
               Row("资助标准", rule_summary(programme_category)),
               Row("项目名称"), Row("申请金额（元）", note="并写明大写金额")]
    return PrintedForm(
        title=programme.title, category=f"{category.code} {category.name}", number="",
        sections=[("一、申报单位基本情况", organisation), ("二、申报项目", project),
                  ("三、申报内容", category_rows(category, None))],
        attachments=attachment_list(category), blank=True)
