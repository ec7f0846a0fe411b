"""All PDF work for notices: GB/T 9704-2012 layout rendered with WeasyPrint."""

from collections import OrderedDict
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from subsidy.money import capital, format_wan

HEADINGS = (("一二三四五六七八九十", "、", "h1"), ("（", "）", "h2"))


def paragraphs(body: str) -> list[tuple[str, str]]:
    """(css class, text) per line: 一、 headings in 黑体, （一） in 楷体, the rest plain."""
    out = []
    for line in (ln.strip() for ln in body.splitlines()):
        if not line:
            continue
        kind = "p"
        if line[0] in HEADINGS[0][0] and "、" in line[:4]:
            kind = "h1"
        elif line.startswith("（") and "）" in line[:5]:
            kind = "h2"
        out.append((kind, line))
    return out


def allocation_table(applications) -> dict:
    """Rows grouped by county (code order) with subtotals, and the grand total."""
    groups = OrderedDict()
    for app in sorted(applications, key=lambda a: (a.region.code, a.number)):
        groups.setdefault(app.region, []).append(app)
    rows, serial, total = [], 0, Decimal(0)
    for region, apps in groups.items():
        subtotal = Decimal(0)
        for app in apps:
            serial += 1
            amount = app.approved_amount or Decimal(0)
            subtotal += amount
            rows.append({"kind": "row", "serial": serial, "county": region.name,
                         "organisation": app.organisation.name, "title": app.title,
                         "category": app.category.name, "amount": format_wan(amount)})
        total += subtotal
        rows.append({"kind": "subtotal", "county": region.name, "amount": format_wan(subtotal)})
    return {"rows": rows, "total": total, "total_wan": format_wan(total),
            "total_capital": capital(total)}


ORGAN_PT = 28


def stacked_organs(issuers) -> list[tuple[str, float]]:
    """(name, letter spacing in pt) so that jointly issuing organs stack to one width."""
    longest = max((len(name) for name in issuers), default=1)
    width = longest * ORGAN_PT + (longest - 1) * ORGAN_PT * 0.1
    return [(name, round((width - len(name) * ORGAN_PT) / max(len(name) - 1, 1), 2))
            for name in issuers]


def font_stack(role: str) -> str:
    return ", ".join(f'"{name}"' for name in settings.NOTICE_FONTS[role]) + ", serif"


def render_html(notice, applications, *, draft: bool) -> str:
    table = allocation_table(applications)
    return render_to_string("notices/notice.html", {
        "notice": notice, "draft": draft, "paragraphs": paragraphs(notice.body),
        "table": table, "issuers": notice.issuers,
        "organs": stacked_organs(notice.issuers),
        "fonts": {role: font_stack(role) for role in settings.NOTICE_FONTS},
    })


def render_pdf(notice, applications=None, *, draft: bool | None = None) -> bytes:
    """The notice as PDF bytes (drafts carry a 草稿 watermark)."""
    if applications is None:
        applications = notice.applications.select_related("region", "organisation",
                                                          "category")
    if draft is None:
        draft = notice.serial is None
    html = render_html(notice, list(applications), draft=draft)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
